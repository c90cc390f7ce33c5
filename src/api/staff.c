/* Staff endpoints for handling cases: the inbox (filters, search, cursor paging), the case
 * view (audited) and the actions. What a caller may see and do is decided only by the
 * authorization policy (domain/authz.c); a case they may not see is a 404. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/views.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "domain/audit.h"
#include "domain/feedback.h"
#include "domain/workflow.h"
#include "http/reply.h"
#include "http/server.h"
#include "core/banned.h"

#define INBOX_LIMIT_DEFAULT 50
#define INBOX_LIMIT_MAX     200

static bool enum_param(struct request *r, const char *name, const char *const *allowed,
                       const char **out)
{
    int rc = req_query(r, name, out);
    if (rc < 0) {
        reply_error(r, rc == -2 ? ERR_INVALID_UTF8 : ERR_TOO_LONG, name);
        return false;
    }
    if (!*out || !allowed)
        return true;
    for (; *allowed; allowed++)
        if (strcmp(*allowed, *out) == 0)
            return true;
    reply_error(r, ERR_NOT_ALLOWED, name);
    return false;
}

static bool number_param(struct request *r, const char *name, long long min, long long max,
                         long long *out)
{
    const char *v;
    int rc = req_query(r, name, &v);
    if (rc < 0) {
        reply_error(r, rc == -2 ? ERR_INVALID_UTF8 : ERR_TOO_LONG, name);
        return false;
    }
    if (!v)
        return true;
    char *end;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || n < min || n > max) {
        reply_error(r, ERR_INVALID_VALUE, name);
        return false;
    }
    *out = n;
    return true;
}

/* Characters (code points) of text already checked to be UTF-8: its non-continuation bytes. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static const char *const statuses[] = {"submitted", "acknowledged", "in_progress", "answered",
                                       "closed",    "rejected",     NULL};
static const char *const yes_no[] = {"true", "false", "1", "0", NULL};
static const char *const assigned_values[] = {"me", NULL};

void h_cases(struct request *r)
{
    struct case_filter f = {0};
    if (!authz_case_scope(r->actor, &f)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    const char *overdue, *assigned;
    long long limit = INBOX_LIMIT_DEFAULT, cursor = 0;
    if (!enum_param(r, "status", statuses, &f.status) ||
        !enum_param(r, "kind", feedback_kinds, &f.kind) ||
        !enum_param(r, "service", NULL, &f.service_code) || !enum_param(r, "q", NULL, &f.q) ||
        !enum_param(r, "overdue", yes_no, &overdue) ||
        !enum_param(r, "assigned", assigned_values, &assigned) ||
        !number_param(r, "limit", 1, INBOX_LIMIT_MAX, &limit) ||
        !number_param(r, "cursor", 1, INT64_MAX, &cursor))
        return;
    char now[32];
    clock_format(clock_now(), now, sizeof now);
    f.now = now;
    f.overdue_only = overdue && (strcmp(overdue, "true") == 0 || strcmp(overdue, "1") == 0);
    f.assigned_to = assigned ? r->actor->staff.id : 0;
    f.before_id = cursor;
    f.limit = (size_t)limit + 1; /* one more tells whether there is a next page */
    if (f.q && utf8_chars(f.q) < 3) {
        reply_error(r, ERR_INVALID_VALUE, "q"); /* the trigram index needs 3 characters */
        return;
    }
    struct case_list l;
    int rc = store_cases_list(r->store, r->arena, &f, &l);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    json_t *items = json_array();
    size_t shown = l.count > (size_t)limit ? (size_t)limit : l.count;
    for (size_t i = 0; i < shown; i++)
        json_array_append_new(items, view_case_summary(&l.items[i], now));
    json_t *next =
        l.count > shown ? json_sprintf("%lld", (long long)l.items[shown - 1].id) : json_null();
    reply_json(r, 200, json_pack("{s:o,s:o}", "cases", items, "next_cursor", next));
}

/* The case named in the path, if the caller may see it (else a 404 has been sent). */
static int visible_case(struct request *r, struct case_row *c)
{
    int rc = store_case_by_number(r->store, r->arena, r->params[0], c);
    if (rc == STORE_OK && !authz_case_visible(r->actor, c))
        rc = STORE_NOT_FOUND;
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    return rc;
}

struct case_read {
    struct case_row c;
    const char *name; /* the shared name, decrypted */
    const struct actor *who;
};

static int read_tx(struct store *s, void *ctx)
{
    struct case_read *cr = ctx;
    int rc = workflow_audit_read(s, cr->who, cr->c.id);
    if (rc == STORE_OK && cr->name)
        rc = audit_append(s, "staff", cr->who->staff.id, "name_decrypted", cr->c.id, "");
    return rc;
}

static void read_saved(struct request *r, void *ctx, int rc)
{
    struct case_read *cr = ctx;
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    else
        reply_json(r, 200, view_case_staff(r, &cr->c, cr->who, cr->name));
}

void h_case(struct request *r)
{
    struct case_read *cr = arena_zalloc(r->arena, sizeof *cr);
    if (visible_case(r, &cr->c) != STORE_OK)
        return;
    cr->who = r->actor;
    if (cr->c.name_sealed && authz_sees_identity(r->actor, &cr->c))
        cr->name = crypto_unseal(r->arena, cr->c.name_sealed, cr->c.name_sealed_len);
    server_write(r, read_tx, cr, read_saved);
}

struct action_body {
    const char *action, *text, *to, *reason;
};

static const char *const action_names[] = {"acknowledge", "assign",         "message", "note",
                                           "transfer",    "escalate",       "answer",  "close",
                                           "reject",      "approve_public", NULL};

static const struct jf_field action_fields[] = {
    {"action", JF_ENUM, true, false, 0, 0, 0, action_names, offsetof(struct action_body, action)},
    {"text", JF_STRING, false, true, WORKFLOW_TEXT_MAX, 0, 0, NULL,
     offsetof(struct action_body, text)},
    {"to", JF_STRING, false, true, 64, 0, 0, NULL, offsetof(struct action_body, to)},
    {"reason", JF_STRING, false, true, WORKFLOW_REASON_MAX, 0, 0, NULL,
     offsetof(struct action_body, reason)},
};

static int action_tx(struct store *s, void *ctx)
{
    return workflow_staff_action(s, ctx);
}

static void action_saved(struct request *r, void *ctx, int rc)
{
    struct staff_action *act = ctx;
    if (rc == STORE_CONFLICT && act->problem.code) {
        reply_problem(r, &act->problem);
        return;
    }
    struct case_row c;
    if (rc == STORE_OK)
        rc = store_case_get(r->store, r->arena, act->case_id, &c);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    /* after a transfer the caller may no longer see the case: answer with what it may */
    if (!authz_case_visible(r->actor, &c)) {
        reply_json(r, 200, json_pack("{s:s,s:s}", "case", c.number, "status", c.status));
        return;
    }
    reply_json(r, 200, view_case_staff(r, &c, r->actor, NULL));
}

void h_case_action(struct request *r)
{
    struct action_body b = {0};
    struct jf_error err;
    if (jf_parse(r->body, action_fields, sizeof action_fields / sizeof action_fields[0], &b, &err) <
        0) {
        reply_jf_error(r, &err);
        return;
    }
    struct case_row c;
    if (visible_case(r, &c) != STORE_OK)
        return;
    struct staff_action *act = arena_zalloc(r->arena, sizeof *act);
    act->actor = r->actor;
    act->case_id = c.id;
    act->action = b.action;
    act->to = b.to;
    act->arena = r->arena;
    if ((b.text && !(act->text = feedback_normalize(r->arena, b.text))) ||
        (b.reason && !(act->reason = feedback_normalize(r->arena, b.reason)))) {
        reply_error(r, ERR_INVALID_UTF8, b.text ? "text" : "reason");
        return;
    }
    server_write(r, action_tx, act, action_saved);
}

struct attachment_read {
    const struct actor *who;
    struct attachment att;
};

static int attachment_read_tx(struct store *s, void *ctx)
{
    struct attachment_read *ar = ctx;
    char detail[32];
    snprintf(detail, sizeof detail, "attachment %lld", (long long)ar->att.id);
    return audit_append(s, "staff", ar->who->staff.id, "attachment_read", ar->att.case_id, detail);
}

static void attachment_read_saved(struct request *r, void *ctx, int rc)
{
    struct attachment_read *ar = ctx;
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    reply_header(r, "Content-Disposition", "inline");
    reply_send(r, 200, ar->att.mime, ar->att.data, ar->att.bytes);
}

/* An attachment is part of the case: reading it is audited like the case view. */
void h_case_attachment(struct request *r)
{
    struct case_row c;
    if (visible_case(r, &c) != STORE_OK)
        return;
    char *end;
    long long id = strtoll(r->params[1], &end, 10);
    struct attachment_read *ar = arena_zalloc(r->arena, sizeof *ar);
    int rc =
        *end || id <= 0 ? STORE_NOT_FOUND : store_attachment_get(r->store, r->arena, id, &ar->att);
    if (rc == STORE_OK && ar->att.case_id != c.id)
        rc = STORE_NOT_FOUND;
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    ar->who = r->actor;
    server_write(r, attachment_read_tx, ar, attachment_read_saved);
}

/* The active colleagues of the caller's office (for "assign"): login, name and role only. */
void h_office_staff(struct request *r)
{
    if (!r->actor->office.id) {
        reply_json(r, 200, json_array());
        return;
    }
    struct staff_list l;
    int rc = store_staff_list(r->store, r->arena, &l);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.count; i++)
        if (l.items[i].active && l.items[i].office_id == r->actor->office.id)
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "login", l.items[i].login, "name",
                                                 l.items[i].name, "role", l.items[i].role));
    reply_json(r, 200, arr);
}
