/* Administration views (see admin_views.h). */
#include "api/admin_views.h"

#include "core/banned.h"

static json_t *optional_int(int64_t v)
{
    return v < 0 ? json_null() : json_integer(v);
}

json_t *view_admin_office(const struct office *o)
{
    return json_pack("{s:s,s:s,s:s?,s:s,s:s,s:b}", "code", o->code, "kind", o->kind, "area",
                     o->area_code, "name_km", o->name_km, "name_en", o->name_en, "active",
                     o->active);
}

json_t *view_admin_staff(const char *login, const char *name, const char *role,
                         const char *office_code, bool active, bool totp)
{
    return json_pack("{s:s,s:s,s:s,s:s?,s:b,s:b}", "login", login, "name", name, "role", role,
                     "office", office_code, "active", active, "totp", totp);
}

json_t *view_admin_service(const struct service *s)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:b,s:s,s:b}", "code", s->code, "office_kind",
                     s->office_kind, "sector", s->sector ? s->sector : "", "name_km", s->name_km,
                     "name_en", s->name_en, "fee_khr", optional_int(s->fee_khr), "days",
                     optional_int(s->days), "placeholder", s->placeholder, "source",
                     s->source ? s->source : "", "active", s->active);
}

json_t *view_template(const struct response_template *t)
{
    return json_pack("{s:I,s:s?,s:s,s:s,s:s,s:s,s:b,s:s}", "id", (json_int_t)t->id, "service",
                     t->service_code, "action", t->action, "language", t->language, "title",
                     t->title, "text", t->text, "active", t->active, "updated_at",
                     t->updated_at ? t->updated_at : "");
}

json_t *view_deadline(const struct deadline_row *d)
{
    return json_pack("{s:s,s:i,s:o}", "kind", d->kind, "acknowledge_days", d->acknowledge_days,
                     "answer_days", optional_int(d->answer_days));
}

json_t *view_holiday(const struct holiday *h)
{
    return json_pack("{s:s,s:s,s:s}", "date", h->date, "name_km", h->name_km, "name_en",
                     h->name_en);
}

json_t *view_routing_rule(const struct routing_rule *rule)
{
    return json_pack("{s:s,s:s,s:s,s:s}", "delivered_by", rule->delivered_by, "kind", rule->kind,
                     "condition", rule->condition, "target_kind", rule->target_kind);
}
