/* Feedback submission (see feedback.h). */
#include "domain/feedback.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uninorm.h>

#include "core/clock.h"
#include "core/crypto.h"
#include "domain/audit.h"
#include "domain/catalogue.h"
#include "domain/deadlines.h"
#include "domain/geography.h"
#include "domain/notify.h"
#include "domain/routing.h"
#include "core/workdays.h"
#include "core/banned.h"

const char *const feedback_criteria[FEEDBACK_CRITERIA] = {
    "timeliness", "official_fee", "courtesy", "clear_information", "women_safety", "overall"};
const char *const feedback_kinds[] = {"complaint", "support", "information", "evaluation", NULL};
const char *const feedback_sexes[] = {"female", "male", "other", "unsaid", NULL};
const char *const feedback_age_bands[] = {"under_18", "18_24",   "25_34", "35_44",
                                          "45_59",    "60_plus", NULL};

static int problem(struct submission *sub, const char *code, const char *field)
{
    sub->problem.code = code;
    sub->problem.field = field;
    return STORE_CONFLICT;
}

char *feedback_normalize(struct arena *a, const char *text)
{
    size_t len = 0;
    uint8_t *norm = u8_normalize(UNINORM_NFC, (const uint8_t *)text, strlen(text), NULL, &len);
    if (!norm)
        return NULL;
    char *out = arena_strndup(a, (const char *)norm, len);
    free(norm);
    return out;
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r')
            return false;
    return true;
}

static bool chars_in(const char *s, const char *allowed, size_t min, size_t max)
{
    size_t n = strlen(s);
    return n >= min && n <= max && strspn(s, allowed) == n;
}

static int check_contact(const struct feedback_input *in, struct submission *sub)
{
    if (in->phone && !chars_in(in->phone, "0123456789+ -", 6, 20))
        return problem(sub, "invalid_value", "contact.phone");
    if (in->email) {
        const char *at = strchr(in->email, '@');
        if (!at || at == in->email || !strchr(at, '.') || strlen(in->email) > 254 ||
            strpbrk(in->email, " \t\r\n<>,;"))
            return problem(sub, "invalid_value", "contact.email");
    }
    if (in->telegram &&
        !chars_in(in->telegram, "@_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                  3, 64))
        return problem(sub, "invalid_value", "contact.telegram");
    if (in->phone || in->email || in->telegram) {
        json_t *j = json_pack("{s:s?,s:s?,s:s?}", "phone", in->phone, "email", in->email,
                              "telegram", in->telegram);
        char *text = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        sub->contact_json = arena_strdup(sub->arena, text);
        free(text);
    }
    if (in->share_identity && in->name && !blank(in->name))
        sub->name = feedback_normalize(sub->arena, in->name);
    return STORE_OK;
}

static int check_kind_rules(const struct feedback_input *in, struct submission *sub)
{
    bool evaluation = strcmp(in->kind, "evaluation") == 0;
    bool complaint = strcmp(in->kind, "complaint") == 0;
    bool any_score = false;
    for (int i = 0; i < FEEDBACK_CRITERIA; i++)
        any_score |= in->scores[i] != 0;
    if (!evaluation && any_score)
        return problem(sub, "invalid_value", "scores");
    if (evaluation && !in->scores[FEEDBACK_CRITERIA - 1])
        return problem(sub, "missing_field", "scores.overall");
    if (!evaluation && blank(in->text))
        return problem(sub, "missing_field", "text");
    if (!complaint && in->sensitive)
        return problem(sub, "invalid_value", "sensitive");
    if (!complaint && in->bypass_office)
        return problem(sub, "invalid_value", "bypass_office");
    if (!complaint && in->overcharged)
        return problem(sub, "invalid_value", "overcharged");
    return STORE_OK;
}

static int check_service(struct store *s, struct arena *a, const struct feedback_input *in,
                         struct submission *sub, const char **delivered_by)
{
    *delivered_by = NULL;
    if (!in->service_code)
        return STORE_OK;
    struct service_list l;
    int rc = catalogue_for_area(s, a, in->area_code, &l);
    if (rc != STORE_OK)
        return rc;
    for (size_t i = 0; i < l.count; i++)
        if (strcmp(l.items[i].code, in->service_code) == 0) {
            *delivered_by = l.items[i].office_kind;
            return STORE_OK;
        }
    return problem(sub, "unknown_service", "service");
}

static char *rfc3339(struct arena *a, time_t t)
{
    char *out = arena_alloc(a, 32);
    clock_format(t, out, 32);
    return out;
}

static char *scores_json(struct arena *a, const int *scores)
{
    json_t *j = json_object();
    for (int i = 0; i < FEEDBACK_CRITERIA; i++)
        if (scores[i])
            json_object_set_new(j, feedback_criteria[i], json_integer(scores[i]));
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    char *out = arena_strdup(a, text);
    free(text);
    return out;
}

int feedback_prepare(struct store *s, struct arena *a, const struct feedback_input *in,
                     struct submission *sub)
{
    memset(sub, 0, sizeof *sub);
    sub->arena = a;
    time_t now = clock_now(), made = now;
    int rc = check_kind_rules(in, sub);
    if (rc != STORE_OK)
        return rc;
    if (in->made_at && (clock_parse(in->made_at, &made) < 0 || made > now + 600 ||
                        made < now - FEEDBACK_MADE_AT_MAX_AGE))
        return problem(sub, "invalid_value", "made_at");
    struct area area;
    if (!geo_code_valid(in->area_code))
        return problem(sub, "invalid_value", "area");
    rc = store_area_get(s, a, in->area_code, &area);
    if (rc == STORE_NOT_FOUND)
        return problem(sub, "unknown_area", "area");
    if (rc != STORE_OK)
        return rc;
    const char *delivered_by;
    if ((rc = check_service(s, a, in, sub, &delivered_by)) != STORE_OK)
        return rc;
    if ((rc = check_contact(in, sub)) != STORE_OK)
        return rc;
    const char *text = in->text ? feedback_normalize(a, in->text) : "";
    if (!text)
        return problem(sub, "invalid_utf8", "text");

    struct route_request req = {.kind = in->kind,
                                .area = &area,
                                .delivered_by = delivered_by,
                                .sensitive = in->sensitive,
                                .bypass_office = in->bypass_office};
    struct route_result route;
    rc = routing_route(s, a, &req, &route);
    if (rc == STORE_NOT_FOUND)
        return problem(sub, "no_office", "area");
    if (rc != STORE_OK)
        return rc;
    struct deadline_due due;
    if ((rc = deadlines_compute(s, a, in->kind, now, &due)) != STORE_OK)
        return rc;

    struct case_row *c = &sub->c;
    sub->office = route.office;
    c->kind = in->kind;
    c->status = "submitted";
    c->office_id = route.office.id;
    c->origin_office_id = route.origin_office_id;
    c->ccwc_office_id = route.ccwc_office_id;
    c->area_code = area.code;
    c->service_code = in->service_code;
    c->text = text;
    c->language = in->language ? in->language : "km";
    c->scores = strcmp(in->kind, "evaluation") == 0 ? scores_json(a, in->scores) : NULL;
    c->sensitive = in->sensitive;
    c->bypass_office = in->bypass_office;
    c->public_consent = in->public_consent;
    c->overcharged = in->overcharged;
    c->sex = in->sex;
    c->age_band = in->age_band;
    c->disability = in->disability;
    c->satisfied = -1;
    c->made_at = rfc3339(a, made);
    c->created_at = c->updated_at = rfc3339(a, now);
    c->due_acknowledge = rfc3339(a, due.acknowledge);
    c->due_answer = due.answer ? rfc3339(a, due.answer) : NULL;
    sub->attachments = in->attachments;
    sub->attachment_count = in->attachment_count;
    return STORE_OK;
}

void feedback_seal(struct submission *sub)
{
    receipt_new(sub->receipt);
    sub->sealed_ok = crypto_receipt_hash(sub->receipt, RECEIPT_DIGITS, sub->c.receipt_hash) == 0;
    if (sub->contact_json)
        sub->c.contact_sealed = crypto_seal(sub->arena, sub->contact_json,
                                            strlen(sub->contact_json), &sub->c.contact_sealed_len);
    if (sub->name)
        sub->c.name_sealed =
            crypto_seal(sub->arena, sub->name, strlen(sub->name), &sub->c.name_sealed_len);
    /* the plaintext is no longer needed */
    if (sub->contact_json)
        sodium_memzero((char *)sub->contact_json, strlen(sub->contact_json));
    if (sub->name)
        sodium_memzero((char *)sub->name, strlen(sub->name));
    sub->contact_json = sub->name = NULL;
}

int feedback_store(struct store *s, struct submission *sub)
{
    struct case_row *c = &sub->c;
    int64_t seq;
    int year = workdays_year(clock_now());
    int rc = store_case_next_number(s, c->office_id, year, &seq);
    if (rc != STORE_OK)
        return rc;
    c->number = arena_printf(sub->arena, "%s-%d-%06lld", sub->office.code, year, (long long)seq);
    if ((rc = store_case_insert(s, c)) != STORE_OK)
        return rc;
    struct event_row e = {.case_id = c->id,
                          .at = c->created_at,
                          .actor_kind = "citizen",
                          .type = "submitted",
                          .visibility = "public",
                          .to_office = c->office_id,
                          .status = c->status};
    if ((rc = store_event_insert(s, &e)) != STORE_OK)
        return rc;
    for (size_t i = 0; i < sub->attachment_count; i++) {
        struct attachment att = sub->attachments[i];
        att.case_id = c->id;
        att.event_id = e.id;
        att.created_at = c->created_at;
        if ((rc = store_attachment_insert(s, &att)) != STORE_OK)
            return rc;
    }
    if ((rc = audit_append(s, "citizen", 0, "case_submitted", c->id, c->kind)) != STORE_OK)
        return rc;
    return notify_staff(s, c, "new_case", c->created_at);
}
