/* Case views and attachment input (see views.h). */
#include "api/views.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "domain/media.h"
#include "store/store.h"
#include "http/reply.h"
#include "core/banned.h"

#define ATTACHMENT_BASE64_MAX ((MEDIA_MAX_BYTES / 3 + 1) * 4 + 16)

int view_parse_attachments(struct request *r, const json_t *array, const char *field,
                           struct attachment **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (!array)
        return 0;
    size_t n = json_array_size(array);
    struct attachment *items = arena_zalloc(r->arena, (n ? n : 1) * sizeof *items);
    for (size_t i = 0; i < n; i++) {
        const json_t *item = json_array_get(array, i);
        const json_t *data = json_object_get(item, "data"), *type = json_object_get(item, "type");
        if (!json_is_object(item) || !json_is_string(data) || (type && !json_is_string(type)) ||
            json_object_size(item) > (type ? 2u : 1u)) {
            reply_error(r, ERR_WRONG_TYPE, field);
            return -1;
        }
        size_t b64 = json_string_length(data), len = 0;
        if (b64 > ATTACHMENT_BASE64_MAX) {
            reply_error(r, ERR_BODY_TOO_LARGE, field);
            return -1;
        }
        unsigned char *bytes = arena_alloc(r->arena, b64 / 4 * 3 + 3);
        if (sodium_base642bin(bytes, b64 / 4 * 3 + 3, json_string_value(data), b64, "\r\n ", &len,
                              NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
            len == 0) {
            reply_error(r, ERR_INVALID_VALUE, field);
            return -1;
        }
        struct media_type mt;
        if (!media_sniff(bytes, len, &mt)) {
            reply_error(r, ERR_UNSUPPORTED_FILE, field);
            return -1;
        }
        if (type && strcmp(json_string_value(type), mt.mime) != 0) {
            reply_error(r, ERR_FILE_TYPE_MISMATCH, field);
            return -1;
        }
        unsigned char *clean;
        size_t clean_len;
        if (media_strip(&mt, bytes, len, &clean, &clean_len) < 0) {
            reply_error(r, ERR_UNSUPPORTED_FILE, field);
            return -1;
        }
        unsigned char *kept = arena_alloc(r->arena, clean_len ? clean_len : 1);
        memcpy(kept, clean, clean_len);
        free(clean);
        items[i].mime = mt.mime;
        items[i].data = kept;
        items[i].bytes = clean_len;
    }
    *out = items;
    *count = n;
    return 0;
}

json_t *view_office(struct request *r, int64_t office_id)
{
    struct office o;
    if (!office_id || store_office_get(r->store, r->arena, office_id, &o) != STORE_OK)
        return json_null();
    return json_pack("{s:s,s:s,s:s,s:s,s:s?}", "code", o.code, "kind", o.kind, "name_km", o.name_km,
                     "name_en", o.name_en, "area", o.area_code);
}

static json_t *due_json(const struct case_row *c)
{
    return json_pack("{s:s,s:s?}", "acknowledge", c->due_acknowledge, "answer", c->due_answer);
}

static bool overdue(const struct case_row *c, const char *now)
{
    if (strcmp(c->status, "submitted") == 0)
        return strcmp(c->due_acknowledge, now) < 0;
    if (strcmp(c->status, "acknowledged") == 0 || strcmp(c->status, "in_progress") == 0)
        return c->due_answer && strcmp(c->due_answer, now) < 0;
    return false;
}

static json_t *rating_json(const struct case_row *c)
{
    if (c->satisfied < 0)
        return json_null();
    json_t *j = json_pack("{s:b,s:s?}", "satisfied", c->satisfied, "comment", c->rating_comment);
    json_object_set_new(j, "score", c->rating ? json_integer(c->rating) : json_null());
    return j;
}

static json_t *attachments_json(struct request *r, int64_t case_id)
{
    struct attachment_list l;
    json_t *arr = json_array();
    if (store_attachments_list(r->store, r->arena, case_id, false, &l) == STORE_OK)
        for (size_t i = 0; i < l.count; i++)
            json_array_append_new(
                arr, json_pack("{s:I,s:s,s:I,s:I,s:s}", "id", (json_int_t)l.items[i].id, "type",
                               l.items[i].mime, "bytes", (json_int_t)l.items[i].bytes, "event",
                               (json_int_t)l.items[i].event_id, "at", l.items[i].created_at));
    return arr;
}

static json_t *timeline(struct request *r, const struct case_row *c, bool staff)
{
    struct event_list l;
    json_t *arr = json_array();
    if (store_events_list(r->store, r->arena, c->id, staff, &l) != STORE_OK)
        return arr;
    for (size_t i = 0; i < l.count; i++) {
        const struct event_row *e = &l.items[i];
        const char *actor = strcmp(e->actor_kind, "citizen") == 0  ? "citizen"
                            : strcmp(e->actor_kind, "system") == 0 ? "system"
                                                                   : "office";
        json_t *j =
            json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s?}", "id", (json_int_t)e->id, "at", e->at, "type",
                      e->type, "actor", actor, "text", e->text, "status", e->status);
        bool show_reason =
            staff || strcmp(e->type, "rejected") == 0 || strcmp(e->type, "appealed") == 0;
        if (e->reason && show_reason)
            json_object_set_new(j, "reason", json_string(e->reason));
        if (e->to_office && strcmp(e->type, "submitted") != 0)
            json_object_set_new(j, "to_office", view_office(r, e->to_office));
        if (staff) {
            json_object_set_new(j, "visibility", json_string(e->visibility));
            if (e->actor_id)
                json_object_set_new(j, "staff_id", json_integer(e->actor_id));
        }
        json_array_append_new(arr, j);
    }
    return arr;
}

static json_t *scores_json(const struct case_row *c)
{
    json_t *j = c->scores ? json_loads(c->scores, 0, NULL) : NULL;
    return j ? j : json_null();
}

json_t *view_case_citizen(struct request *r, const struct case_row *c)
{
    bool rateable = (strcmp(c->status, "answered") == 0 || strcmp(c->status, "closed") == 0) &&
                    c->answered_at && c->satisfied < 0;
    bool appealable = (strcmp(c->status, "answered") == 0 || strcmp(c->status, "closed") == 0) &&
                      c->satisfied == 0;
    json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s,s:s,s:s}", "case", c->number, "kind", c->kind,
                          "status", c->status, "area", c->area_code, "service", c->service_code,
                          "text", c->text, "made_at", c->made_at, "created_at", c->created_at);
    json_object_set_new(j, "office", view_office(r, c->office_id));
    json_object_set_new(j, "due", due_json(c));
    json_object_set_new(j, "scores", scores_json(c));
    json_object_set_new(j, "rating", rating_json(c));
    json_object_set_new(j, "can_rate", json_boolean(rateable));
    json_object_set_new(j, "can_appeal", json_boolean(appealable));
    json_object_set_new(j, "timeline", timeline(r, c, false));
    json_object_set_new(j, "attachments", attachments_json(r, c->id));
    return j;
}

static json_t *excerpt(const char *text)
{
    size_t n = strlen(text), cut = n > 160 ? 160 : n;
    while (cut < n && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--; /* never split a UTF-8 sequence */
    return json_stringn(text, cut);
}

json_t *view_case_summary(const struct case_row *c, const char *now)
{
    json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s,s:s,s:b,s:b}", "case", c->number, "kind",
                          c->kind, "status", c->status, "area", c->area_code, "service",
                          c->service_code, "created_at", c->created_at, "made_at", c->made_at,
                          "sensitive", c->sensitive, "overdue", overdue(c, now));
    json_object_set_new(j, "due", due_json(c));
    json_object_set_new(j, "excerpt", excerpt(c->text));
    json_object_set_new(j, "office_id", json_integer(c->office_id));
    json_object_set_new(j, "assigned_to",
                        c->assigned_to ? json_integer(c->assigned_to) : json_null());
    return j;
}

json_t *view_case_staff(struct request *r, const struct case_row *c, const struct actor *who,
                        const char *shared_name)
{
    char now[32];
    clock_format(clock_now(), now, sizeof now);
    json_t *j = view_case_summary(c, now);
    json_object_set_new(j, "text", json_string(c->text));
    json_object_set_new(j, "language", json_string(c->language));
    json_object_set_new(j, "office", view_office(r, c->office_id));
    json_object_set_new(j, "origin_office", view_office(r, c->origin_office_id));
    json_object_set_new(j, "ccwc_office", view_office(r, c->ccwc_office_id));
    json_object_set_new(j, "scores", scores_json(c));
    json_object_set_new(j, "rating", rating_json(c));
    json_object_set_new(j, "escalation_level", json_integer(c->escalation_level));
    json_object_set_new(j, "public_consent", json_boolean(c->public_consent));
    json_object_set_new(j, "public_approved", json_boolean(c->public_approved));
    json_object_set_new(j, "overcharged", json_boolean(c->overcharged));
    json_object_set_new(j, "demographics",
                        json_pack("{s:s?,s:s?,s:o}", "sex", c->sex, "age_band", c->age_band,
                                  "disability",
                                  c->disability < 0 ? json_null() : json_boolean(c->disability)));
    json_object_set_new(j, "identity",
                        shared_name ? json_pack("{s:s}", "name", shared_name) : json_null());
    json_object_set_new(j, "has_contact", json_boolean(c->contact_sealed != NULL));
    json_object_set_new(j, "timeline", timeline(r, c, true));
    json_object_set_new(j, "attachments", attachments_json(r, c->id));
    (void)who;
    return j;
}
