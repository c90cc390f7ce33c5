/* Administration of what the whole system runs on — the services catalogue, deadlines per
 * kind, public holidays, routing rules and response templates — by the national admin
 * only (domain/authz.c). Each change goes through the group-commit writer with its audit
 * entry in the same transaction, and is read back by the next request (nothing is cached),
 * so GET /api/v1/services shows a new fee at once. Existing cases keep the deadlines they
 * were given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/admin_views.h"
#include "api/handlers.h"
#include "api/params.h"
#include "core/clock.h"
#include "domain/admin.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/feedback.h"
#include "domain/workflow.h"
#include "http/reply.h"
#include "http/server.h"
#include "core/banned.h"

static bool national_gate(struct request *r)
{
    if (authz_admin_national(r->actor))
        return true;
    reply_error(r, ERR_FORBIDDEN, NULL);
    return false;
}

static bool parse(struct request *r, const struct jf_field *fields, size_t n, void *out)
{
    struct jf_error err;
    if (jf_parse(r->body, fields, n, out, &err) == 0)
        return true;
    reply_jf_error(r, &err);
    return false;
}

#define PARSE(r, fields, out) parse(r, fields, sizeof fields / sizeof fields[0], out)

/* Checked, NFC-normalised text; replies 400 naming the field and returns NULL if bad. */
static const char *clean(struct request *r, const char *field, const char *v, size_t max,
                         bool multiline)
{
    const char *norm =
        v && admin_text_valid(v, max, multiline) ? feedback_normalize(r->arena, v) : NULL;
    if (!norm)
        reply_error(r, ERR_INVALID_VALUE, field);
    return norm;
}

/* ---- services ---- */

void h_admin_services(struct request *r)
{
    if (!national_gate(r))
        return;
    struct service_list l;
    int rc = store_services_every(r->store, r->arena, &l);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.count; i++)
        json_array_append_new(arr, view_admin_service(&l.items[i]));
    reply_json(r, 200, arr);
}

struct service_body {
    const char *code, *office_kind, *sector, *name_km, *name_en, *source;
    long long fee_khr, days;
    bool placeholder, active;
};

static const struct jf_field service_create_fields[] = {
    {"code", JF_STRING, true, false, SERVICE_CODE_MAX, 0, 0, NULL,
     offsetof(struct service_body, code)},
    {"office_kind", JF_ENUM, true, false, 0, 0, 0, admin_service_kinds,
     offsetof(struct service_body, office_kind)},
    {"sector", JF_STRING, true, false, ADMIN_SECTOR_MAX, 0, 0, NULL,
     offsetof(struct service_body, sector)},
    {"name_km", JF_STRING, true, false, ADMIN_NAME_MAX, 0, 0, NULL,
     offsetof(struct service_body, name_km)},
    {"name_en", JF_STRING, true, false, ADMIN_NAME_MAX, 0, 0, NULL,
     offsetof(struct service_body, name_en)},
    {"fee_khr", JF_INT, false, true, 0, 0, ADMIN_FEE_MAX, NULL,
     offsetof(struct service_body, fee_khr)},
    {"days", JF_INT, false, true, 0, 0, ADMIN_DAYS_MAX, NULL, offsetof(struct service_body, days)},
    {"placeholder", JF_BOOL, false, false, 0, 0, 0, NULL,
     offsetof(struct service_body, placeholder)},
    {"source", JF_STRING, false, false, ADMIN_SOURCE_MAX, 0, 0, NULL,
     offsetof(struct service_body, source)},
};

/* as for a new service, every field optional, and `active` */
static const struct jf_field service_update_fields[] = {
    {"office_kind", JF_ENUM, false, false, 0, 0, 0, admin_service_kinds,
     offsetof(struct service_body, office_kind)},
    {"sector", JF_STRING, false, false, ADMIN_SECTOR_MAX, 0, 0, NULL,
     offsetof(struct service_body, sector)},
    {"name_km", JF_STRING, false, false, ADMIN_NAME_MAX, 0, 0, NULL,
     offsetof(struct service_body, name_km)},
    {"name_en", JF_STRING, false, false, ADMIN_NAME_MAX, 0, 0, NULL,
     offsetof(struct service_body, name_en)},
    {"fee_khr", JF_INT, false, true, 0, 0, ADMIN_FEE_MAX, NULL,
     offsetof(struct service_body, fee_khr)},
    {"days", JF_INT, false, true, 0, 0, ADMIN_DAYS_MAX, NULL, offsetof(struct service_body, days)},
    {"placeholder", JF_BOOL, false, false, 0, 0, 0, NULL,
     offsetof(struct service_body, placeholder)},
    {"source", JF_STRING, false, false, ADMIN_SOURCE_MAX, 0, 0, NULL,
     offsetof(struct service_body, source)},
    {"active", JF_BOOL, false, false, 0, 0, 0, NULL, offsetof(struct service_body, active)},
};

struct service_change {
    int64_t admin_id;
    struct service sv;
    bool creating;
    /* update: what the body set */
    struct service_body b;
    bool has_fee, has_days, has_placeholder, has_active;
    struct arena *arena;
};

static const char *service_detail(struct service_change *c)
{
    char fee[24] = "-", days[12] = "-";
    if (c->sv.fee_khr >= 0)
        snprintf(fee, sizeof fee, "%lld", (long long)c->sv.fee_khr);
    if (c->sv.days >= 0)
        snprintf(days, sizeof days, "%d", c->sv.days);
    return arena_printf(c->arena,
                        "code=%s office_kind=%s fee_khr=%s days=%s placeholder=%s"
                        " active=%s",
                        c->sv.code, c->sv.office_kind, fee, days,
                        c->sv.placeholder ? "true" : "false", c->sv.active ? "true" : "false");
}

static int service_create_tx(struct store *s, void *ctx)
{
    struct service_change *c = ctx;
    int rc = store_service_insert(s, &c->sv);
    if (rc == STORE_OK)
        rc = audit_append(s, "staff", c->admin_id, "service_created", 0, service_detail(c));
    return rc;
}

static int service_update_tx(struct store *s, void *ctx)
{
    struct service_change *c = ctx;
    struct service sv;
    int rc = store_service_get(s, c->arena, c->sv.code, &sv);
    if (rc != STORE_OK)
        return rc;
    const struct service_body *b = &c->b;
    if (b->office_kind)
        sv.office_kind = b->office_kind;
    if (b->sector)
        sv.sector = b->sector;
    if (b->name_km)
        sv.name_km = b->name_km;
    if (b->name_en)
        sv.name_en = b->name_en;
    if (b->source)
        sv.source = b->source;
    if (c->has_fee)
        sv.fee_khr = b->fee_khr;
    if (c->has_days)
        sv.days = (int)b->days;
    if (c->has_placeholder)
        sv.placeholder = b->placeholder;
    if (c->has_active)
        sv.active = b->active;
    c->sv = sv;
    if ((rc = store_service_update(s, &sv)) == STORE_OK)
        rc = audit_append(s, "staff", c->admin_id, "service_updated", 0, service_detail(c));
    return rc;
}

static void service_saved(struct request *r, void *ctx, int rc)
{
    struct service_change *c = ctx;
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    else
        reply_json(r, c->creating ? 201 : 200, view_admin_service(&c->sv));
}

/* The body's texts checked and normalised in place; false after replying 400. */
static bool service_texts(struct request *r, struct service_body *b)
{
    if (b->sector && !admin_sector_valid(b->sector)) {
        reply_error(r, ERR_INVALID_VALUE, "sector");
        return false;
    }
    if ((b->name_km && !(b->name_km = clean(r, "name_km", b->name_km, ADMIN_NAME_MAX, false))) ||
        (b->name_en && !(b->name_en = clean(r, "name_en", b->name_en, ADMIN_NAME_MAX, false))))
        return false;
    if (b->source && *b->source && !admin_text_valid(b->source, ADMIN_SOURCE_MAX, false)) {
        reply_error(r, ERR_INVALID_VALUE, "source");
        return false;
    }
    return true;
}

/* A nullable integer field: -1 when null or absent. */
static long long nullable_int(struct request *r, const char *name, long long v)
{
    json_t *j = r->body ? json_object_get(r->body, name) : NULL;
    return !j || json_is_null(j) ? -1 : v;
}

void h_admin_service_create(struct request *r)
{
    if (!national_gate(r))
        return;
    struct service_change *c = arena_zalloc(r->arena, sizeof *c);
    struct service_body *b = &c->b;
    if (!PARSE(r, service_create_fields, b))
        return;
    if (!admin_service_code_valid(b->code)) {
        reply_error(r, ERR_INVALID_VALUE, "code");
        return;
    }
    if (!service_texts(r, b))
        return;
    c->sv = (struct service){.code = b->code,
                             .office_kind = b->office_kind,
                             .sector = b->sector,
                             .name_km = b->name_km,
                             .name_en = b->name_en,
                             .source = b->source ? b->source : "",
                             .fee_khr = nullable_int(r, "fee_khr", b->fee_khr),
                             .days = (int)nullable_int(r, "days", b->days),
                             .placeholder = body_has(r, "placeholder") && b->placeholder,
                             .active = true};
    c->admin_id = r->actor->staff.id;
    c->creating = true;
    c->arena = r->arena;
    server_write(r, service_create_tx, c, service_saved);
}

void h_admin_service_update(struct request *r)
{
    if (!national_gate(r))
        return;
    struct service_change *c = arena_zalloc(r->arena, sizeof *c);
    struct service_body *b = &c->b;
    if (!PARSE(r, service_update_fields, b) || !service_texts(r, b))
        return;
    c->has_fee = body_has(r, "fee_khr");
    c->has_days = body_has(r, "days");
    b->fee_khr = nullable_int(r, "fee_khr", b->fee_khr);
    b->days = nullable_int(r, "days", b->days);
    c->has_placeholder = body_has(r, "placeholder");
    c->has_active = body_has(r, "active");
    c->sv.code = r->params[0];
    c->admin_id = r->actor->staff.id;
    c->arena = r->arena;
    server_write(r, service_update_tx, c, service_saved);
}

/* ---- deadlines ---- */

void h_admin_deadlines(struct request *r)
{
    if (!national_gate(r))
        return;
    struct deadline_list l;
    int rc = store_deadlines_all(r->store, r->arena, &l);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.count; i++)
        json_array_append_new(arr, view_deadline(&l.items[i]));
    reply_json(r, 200, arr);
}

struct deadline_body {
    const char *kind;
    long long acknowledge_days, answer_days;
};

static const struct jf_field deadline_fields[] = {
    {"kind", JF_ENUM, true, false, 0, 0, 0, feedback_kinds, offsetof(struct deadline_body, kind)},
    {"acknowledge_days", JF_INT, true, false, 0, 0, 60, NULL,
     offsetof(struct deadline_body, acknowledge_days)},
    {"answer_days", JF_INT, false, true, 0, 0, ADMIN_DAYS_MAX, NULL,
     offsetof(struct deadline_body, answer_days)},
};

struct deadline_change {
    int64_t admin_id;
    struct deadline_row d;
    struct arena *arena;
};

static int deadline_tx(struct store *s, void *ctx)
{
    struct deadline_change *c = ctx;
    int rc = store_deadline_put(s, &c->d);
    if (rc == STORE_OK) {
        char answer[12] = "none";
        if (c->d.answer_days >= 0)
            snprintf(answer, sizeof answer, "%d", c->d.answer_days);
        rc = audit_append(s, "staff", c->admin_id, "deadline_changed", 0,
                          arena_printf(c->arena, "kind=%s acknowledge_days=%d answer_days=%s",
                                       c->d.kind, c->d.acknowledge_days, answer));
    }
    return rc;
}

static void deadline_saved(struct request *r, void *ctx, int rc)
{
    struct deadline_change *c = ctx;
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    else
        reply_json(r, 200, view_deadline(&c->d));
}

void h_admin_deadline_put(struct request *r)
{
    if (!national_gate(r))
        return;
    struct deadline_body b = {0};
    if (!PARSE(r, deadline_fields, &b))
        return;
    struct deadline_change *c = arena_zalloc(r->arena, sizeof *c);
    c->d = (struct deadline_row){.kind = b.kind,
                                 .acknowledge_days = (int)b.acknowledge_days,
                                 .answer_days = (int)nullable_int(r, "answer_days", b.answer_days)};
    c->admin_id = r->actor->staff.id;
    c->arena = r->arena;
    server_write(r, deadline_tx, c, deadline_saved);
}

/* ---- holidays ---- */

void h_admin_holidays(struct request *r)
{
    if (!national_gate(r))
        return;
    struct holiday_list l;
    int rc = store_holidays_list(r->store, r->arena, &l);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.count; i++)
        json_array_append_new(arr, view_holiday(&l.items[i]));
    reply_json(r, 200, arr);
}

static const struct jf_field holiday_fields[] = {
    {"date", JF_STRING, true, false, 10, 0, 0, NULL, offsetof(struct holiday, date)},
    {"name_km", JF_STRING, true, false, ADMIN_NAME_MAX, 0, 0, NULL,
     offsetof(struct holiday, name_km)},
    {"name_en", JF_STRING, true, false, ADMIN_NAME_MAX, 0, 0, NULL,
     offsetof(struct holiday, name_en)},
};

struct holiday_change {
    int64_t admin_id;
    struct holiday h;
    bool created;
    struct arena *arena;
};

static int holiday_put_tx(struct store *s, void *ctx)
{
    struct holiday_change *c = ctx;
    int rc = store_holiday_upsert(s, &c->h, &c->created);
    if (rc == STORE_OK)
        rc = audit_append(s, "staff", c->admin_id, c->created ? "holiday_added" : "holiday_changed",
                          0, arena_printf(c->arena, "date=%s", c->h.date));
    return rc;
}

static void holiday_saved(struct request *r, void *ctx, int rc)
{
    struct holiday_change *c = ctx;
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    else
        reply_json(r, c->created ? 201 : 200, view_holiday(&c->h));
}

void h_admin_holiday_put(struct request *r)
{
    if (!national_gate(r))
        return;
    struct holiday_change *c = arena_zalloc(r->arena, sizeof *c);
    if (!PARSE(r, holiday_fields, &c->h))
        return;
    if (!admin_date_valid(c->h.date)) {
        reply_error(r, ERR_INVALID_VALUE, "date");
        return;
    }
    if (!(c->h.name_km = clean(r, "name_km", c->h.name_km, ADMIN_NAME_MAX, false)) ||
        !(c->h.name_en = clean(r, "name_en", c->h.name_en, ADMIN_NAME_MAX, false)))
        return;
    c->admin_id = r->actor->staff.id;
    c->arena = r->arena;
    server_write(r, holiday_put_tx, c, holiday_saved);
}

static int holiday_delete_tx(struct store *s, void *ctx)
{
    struct holiday_change *c = ctx;
    int rc = store_holiday_delete(s, c->h.date);
    if (rc == STORE_OK)
        rc = audit_append(s, "staff", c->admin_id, "holiday_removed", 0,
                          arena_printf(c->arena, "date=%s", c->h.date));
    return rc;
}

static void holiday_deleted(struct request *r, void *ctx, int rc)
{
    struct holiday_change *c = ctx;
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    else
        reply_json(r, 200, json_pack("{s:s}", "deleted", c->h.date));
}

void h_admin_holiday_delete(struct request *r)
{
    if (!national_gate(r))
        return;
    if (!admin_date_valid(r->params[0])) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    struct holiday_change *c = arena_zalloc(r->arena, sizeof *c);
    c->h.date = r->params[0];
    c->admin_id = r->actor->staff.id;
    c->arena = r->arena;
    server_write(r, holiday_delete_tx, c, holiday_deleted);
}

/* ---- routing rules ---- */

void h_admin_routing(struct request *r)
{
    if (!national_gate(r))
        return;
    struct routing_rule_list l;
    int rc = store_routing_rules_all(r->store, r->arena, &l);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.count; i++)
        json_array_append_new(arr, view_routing_rule(&l.items[i]));
    reply_json(r, 200, arr);
}

static const char *const rule_kinds[] = {"complaint",  "support", "information",
                                         "evaluation", "*",       NULL};
static const char *const rule_conditions[] = {"default", "bypass", "sensitive", NULL};

static const struct jf_field routing_fields[] = {
    {"delivered_by", JF_ENUM, true, false, 0, 0, 0, admin_service_kinds,
     offsetof(struct routing_rule, delivered_by)},
    {"kind", JF_ENUM, true, false, 0, 0, 0, rule_kinds, offsetof(struct routing_rule, kind)},
    {"condition", JF_ENUM, true, false, 0, 0, 0, rule_conditions,
     offsetof(struct routing_rule, condition)},
    {"target_kind", JF_ENUM, true, false, 0, 0, 0, admin_office_kinds,
     offsetof(struct routing_rule, target_kind)},
};

struct routing_change {
    int64_t admin_id;
    struct routing_rule rule;
    struct arena *arena;
};

static int routing_tx(struct store *s, void *ctx)
{
    struct routing_change *c = ctx;
    int rc = store_routing_rule_put(s, &c->rule);
    if (rc == STORE_OK)
        rc = audit_append(s, "staff", c->admin_id, "routing_rule_changed", 0,
                          arena_printf(c->arena, "delivered_by=%s kind=%s condition=%s target=%s",
                                       c->rule.delivered_by, c->rule.kind, c->rule.condition,
                                       c->rule.target_kind));
    return rc;
}

static void routing_saved(struct request *r, void *ctx, int rc)
{
    struct routing_change *c = ctx;
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    else
        reply_json(r, 200, view_routing_rule(&c->rule));
}

void h_admin_routing_put(struct request *r)
{
    if (!national_gate(r))
        return;
    struct routing_change *c = arena_zalloc(r->arena, sizeof *c);
    if (!PARSE(r, routing_fields, &c->rule))
        return;
    if (!admin_routing_rule_sound(&c->rule)) {
        reply_error(r, ERR_ACCUSED_OFFICE, "target_kind");
        return;
    }
    c->admin_id = r->actor->staff.id;
    c->arena = r->arena;
    server_write(r, routing_tx, c, routing_saved);
}

/* ---- response templates ---- */

struct template_body {
    const char *service, *action, *language, *title, *text;
    bool active;
};

static const struct jf_field template_create_fields[] = {
    {"service", JF_STRING, false, true, SERVICE_CODE_MAX, 0, 0, NULL,
     offsetof(struct template_body, service)},
    {"action", JF_ENUM, true, false, 0, 0, 0, admin_template_actions,
     offsetof(struct template_body, action)},
    {"language", JF_ENUM, true, false, 0, 0, 0, admin_languages,
     offsetof(struct template_body, language)},
    {"title", JF_STRING, true, false, ADMIN_NAME_MAX, 0, 0, NULL,
     offsetof(struct template_body, title)},
    {"text", JF_STRING, true, false, WORKFLOW_TEXT_MAX, 0, 0, NULL,
     offsetof(struct template_body, text)},
};

static const struct jf_field template_update_fields[] = {
    {"title", JF_STRING, false, false, ADMIN_NAME_MAX, 0, 0, NULL,
     offsetof(struct template_body, title)},
    {"text", JF_STRING, false, false, WORKFLOW_TEXT_MAX, 0, 0, NULL,
     offsetof(struct template_body, text)},
    {"active", JF_BOOL, false, false, 0, 0, 0, NULL, offsetof(struct template_body, active)},
};

struct template_change {
    int64_t admin_id;
    struct response_template t;
    const char *title, *text; /* update: NULL keeps */
    int active;               /* update: -1 keeps */
    bool creating;
    const char *now;
    struct arena *arena;
};

static int template_create_tx(struct store *s, void *ctx)
{
    struct template_change *c = ctx;
    int rc = store_template_insert(s, &c->t);
    if (rc == STORE_OK)
        rc = audit_append(
            s, "staff", c->admin_id, "template_created", 0,
            arena_printf(c->arena, "id=%lld service=%s action=%s language=%s", (long long)c->t.id,
                         c->t.service_code ? c->t.service_code : "*", c->t.action, c->t.language));
    return rc;
}

static int template_update_tx(struct store *s, void *ctx)
{
    struct template_change *c = ctx;
    int rc = store_template_get(s, c->arena, c->t.id, &c->t);
    if (rc != STORE_OK)
        return rc;
    if (c->title)
        c->t.title = c->title;
    if (c->text)
        c->t.text = c->text;
    if (c->active >= 0)
        c->t.active = c->active;
    c->t.updated_at = c->now;
    if ((rc = store_template_update(s, &c->t)) == STORE_OK)
        rc = audit_append(s, "staff", c->admin_id, "template_updated", 0,
                          arena_printf(c->arena, "id=%lld text=%s active=%s", (long long)c->t.id,
                                       c->title || c->text ? "changed" : "kept",
                                       c->t.active ? "true" : "false"));
    return rc;
}

static void template_saved(struct request *r, void *ctx, int rc)
{
    struct template_change *c = ctx;
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    else
        reply_json(r, c->creating ? 201 : 200, view_template(&c->t));
}

static const char *now_text(struct arena *a)
{
    char *now = arena_alloc(a, 32);
    clock_format(clock_now(), now, 32);
    return now;
}

void h_admin_template_create(struct request *r)
{
    if (!national_gate(r))
        return;
    struct template_body b = {0};
    if (!PARSE(r, template_create_fields, &b))
        return;
    struct template_change *c = arena_zalloc(r->arena, sizeof *c);
    if (b.service) {
        struct service sv;
        int rc = store_service_get(r->store, r->arena, b.service, &sv);
        if (rc == STORE_NOT_FOUND)
            reply_error(r, ERR_UNKNOWN_SERVICE, "service");
        else if (rc != STORE_OK)
            reply_store_error(r, rc);
        if (rc != STORE_OK)
            return;
    }
    if (!(c->t.title = clean(r, "title", b.title, ADMIN_NAME_MAX, false)) ||
        !(c->t.text = clean(r, "text", b.text, WORKFLOW_TEXT_MAX, true)))
        return;
    c->t.service_code = b.service;
    c->t.action = b.action;
    c->t.language = b.language;
    c->t.active = true;
    c->t.created_at = c->t.updated_at = now_text(r->arena);
    c->admin_id = r->actor->staff.id;
    c->creating = true;
    c->arena = r->arena;
    server_write(r, template_create_tx, c, template_saved);
}

void h_admin_template_update(struct request *r)
{
    if (!national_gate(r))
        return;
    struct template_body b = {0};
    if (!PARSE(r, template_update_fields, &b))
        return;
    char *end;
    long long id = strtoll(r->params[0], &end, 10);
    if (*end || id <= 0 || r->params[0][0] < '0' || r->params[0][0] > '9') {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    struct template_change *c = arena_zalloc(r->arena, sizeof *c);
    if ((b.title && !(c->title = clean(r, "title", b.title, ADMIN_NAME_MAX, false))) ||
        (b.text && !(c->text = clean(r, "text", b.text, WORKFLOW_TEXT_MAX, true))))
        return;
    c->active = body_has(r, "active") ? b.active : -1;
    c->t.id = id;
    c->now = now_text(r->arena);
    c->admin_id = r->actor->staff.id;
    c->arena = r->arena;
    server_write(r, template_update_tx, c, template_saved);
}
