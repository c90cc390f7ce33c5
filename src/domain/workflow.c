/* Case workflow (see workflow.h). */
#include "domain/workflow.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "domain/audit.h"
#include "domain/deadlines.h"
#include "domain/notify.h"
#include "domain/routing.h"
#include "core/banned.h"

static const char *const staff_actions[] = {"acknowledge", "assign",        "message", "note",
                                            "transfer",    "escalate",      "answer",  "close",
                                            "reject",      "approve_public"};

bool workflow_staff_action_known(const char *action)
{
    for (size_t i = 0; i < sizeof staff_actions / sizeof staff_actions[0]; i++)
        if (strcmp(action, staff_actions[i]) == 0)
            return true;
    return false;
}

void workflow_now(char out[32])
{
    clock_format(clock_now(), out, 32);
}

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static bool open_status(const char *status)
{
    return !is(status, "closed") && !is(status, "rejected");
}

static int refuse(struct problem *p, const char *code, const char *field)
{
    p->code = code;
    p->field = field;
    return STORE_CONFLICT;
}

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r')
            return false;
    return true;
}

struct change {
    struct store *s;
    struct arena *a;
    struct case_row *c;
    const char *now;
    const char *actor_kind;
    int64_t actor_id;
};

static int add_event(struct change *ch, const char *type, const char *visibility, const char *text,
                     const char *reason, int64_t from, int64_t to)
{
    struct event_row e = {.case_id = ch->c->id,
                          .at = ch->now,
                          .actor_kind = ch->actor_kind,
                          .actor_id = ch->actor_id,
                          .type = type,
                          .visibility = visibility,
                          .text = text,
                          .reason = reason,
                          .from_office = from,
                          .to_office = to,
                          .status = ch->c->status};
    return store_event_insert(ch->s, &e);
}

/* Moves the case to another office with fresh deadlines. */
static int move_to(struct change *ch, const struct office *to)
{
    struct deadline_due due;
    time_t now;
    clock_parse(ch->now, &now);
    int rc = deadlines_compute(ch->s, ch->a, ch->c->kind, now, &due);
    if (rc != STORE_OK)
        return rc;
    char *ack = arena_alloc(ch->a, 32), *ans = NULL;
    clock_format(due.acknowledge, ack, 32);
    if (due.answer) {
        ans = arena_alloc(ch->a, 32);
        clock_format(due.answer, ans, 32);
    }
    ch->c->office_id = to->id;
    ch->c->status = "submitted";
    ch->c->assigned_to = 0;
    ch->c->due_acknowledge = ack;
    ch->c->due_answer = ans;
    ch->c->breached = NULL;
    ch->c->acknowledged_at = NULL;
    return STORE_OK;
}

static int save(struct change *ch)
{
    ch->c->updated_at = ch->now;
    return store_case_update(ch->s, ch->c);
}

static int escalate(struct change *ch, const char *type, const char *reason, struct problem *p)
{
    struct office from, to;
    int rc = store_office_get(ch->s, ch->a, ch->c->office_id, &from);
    if (rc != STORE_OK)
        return rc;
    rc = routing_next_level(ch->s, ch->a, &from, &to);
    if (rc == STORE_NOT_FOUND)
        return refuse(p, "no_higher_office", NULL);
    if (rc == STORE_OK)
        rc = move_to(ch, &to);
    if (rc != STORE_OK)
        return rc;
    ch->c->escalation_level++;
    if ((rc = save(ch)) == STORE_OK)
        rc = add_event(ch, type, "public", NULL, reason, from.id, to.id);
    if (rc == STORE_OK)
        rc = notify_staff(ch->s, ch->c, "new_case", ch->now);
    return rc;
}

/* ---- staff ---- */

static int do_assign(struct change *ch, struct staff_action *act)
{
    struct staff who;
    if (blank(act->to))
        return refuse(&act->problem, "missing_field", "to");
    int rc = store_staff_by_login(ch->s, ch->a, act->to, &who);
    if (rc == STORE_NOT_FOUND ||
        (rc == STORE_OK && (!who.active || who.office_id != ch->c->office_id)))
        return refuse(&act->problem, "unknown_staff", "to");
    if (rc != STORE_OK)
        return rc;
    if (!open_status(ch->c->status))
        return refuse(&act->problem, "invalid_transition", "action");
    ch->c->assigned_to = who.id;
    if (is(ch->c->status, "acknowledged"))
        ch->c->status = "in_progress";
    if ((rc = save(ch)) == STORE_OK)
        rc = add_event(ch, "assigned", "internal", who.name, NULL, 0, 0);
    return rc;
}

static int do_transfer(struct change *ch, struct staff_action *act)
{
    if (blank(act->to))
        return refuse(&act->problem, "missing_field", "to");
    if (blank(act->reason))
        return refuse(&act->problem, "missing_field", "reason");
    if (!open_status(ch->c->status))
        return refuse(&act->problem, "invalid_transition", "action");
    struct office to;
    int rc = store_office_by_code(ch->s, ch->a, act->to, &to);
    if (rc == STORE_NOT_FOUND || (rc == STORE_OK && (!to.active || to.id == ch->c->office_id)))
        return refuse(&act->problem, "unknown_office", "to");
    if (rc != STORE_OK)
        return rc;
    if ((ch->c->sensitive || ch->c->bypass_office) && to.id == ch->c->origin_office_id)
        return refuse(&act->problem, "accused_office", "to");
    if (is(act->actor->staff.role, "provincial_admin") &&
        !(to.area_code && strncmp(to.area_code, act->actor->province, 2) == 0))
        return refuse(&act->problem, "unknown_office", "to");
    int64_t from = ch->c->office_id;
    if ((rc = move_to(ch, &to)) != STORE_OK || (rc = save(ch)) != STORE_OK)
        return rc;
    rc = add_event(ch, "transferred", "public", NULL, act->reason, from, to.id);
    if (rc == STORE_OK)
        rc = notify_staff(ch->s, ch->c, "new_case", ch->now);
    return rc;
}

static int do_simple(struct change *ch, struct staff_action *act)
{
    struct case_row *c = ch->c;
    const char *a = act->action, *type = a, *visibility = "public", *text = NULL, *reason = NULL;
    bool tell_citizen = false;
    if (is(a, "acknowledge")) {
        if (!is(c->status, "submitted"))
            return refuse(&act->problem, "invalid_transition", "action");
        c->status = "acknowledged";
        c->acknowledged_at = ch->now;
        type = "acknowledged";
        tell_citizen = true;
    } else if (is(a, "message") || is(a, "note") || is(a, "answer")) {
        if (blank(act->text))
            return refuse(&act->problem, "missing_field", "text");
        text = act->text;
        if (is(a, "note")) {
            visibility = "internal";
        } else if (is(a, "message")) {
            if (!is(c->status, "acknowledged") && !is(c->status, "in_progress") &&
                !is(c->status, "answered"))
                return refuse(&act->problem, "invalid_transition", "action");
            if (is(c->status, "acknowledged"))
                c->status = "in_progress";
            tell_citizen = true;
        } else {
            if (!is(c->status, "acknowledged") && !is(c->status, "in_progress"))
                return refuse(&act->problem, "invalid_transition", "action");
            c->status = "answered";
            c->answered_at = ch->now;
            type = "answered";
            tell_citizen = true;
        }
    } else if (is(a, "close")) {
        bool evaluation_done = is(c->kind, "evaluation") &&
                               (is(c->status, "acknowledged") || is(c->status, "in_progress"));
        if (!is(c->status, "answered") && !evaluation_done)
            return refuse(&act->problem, "invalid_transition", "action");
        c->status = "closed";
        c->closed_at = ch->now;
        type = "closed";
        tell_citizen = true;
    } else if (is(a, "reject")) {
        if (blank(act->reason))
            return refuse(&act->problem, "missing_field", "reason");
        if (!is(c->status, "submitted") && !is(c->status, "acknowledged") &&
            !is(c->status, "in_progress"))
            return refuse(&act->problem, "invalid_transition", "action");
        c->status = "rejected";
        c->closed_at = ch->now;
        type = "rejected";
        reason = act->reason;
        tell_citizen = true;
    } else if (is(a, "approve_public")) {
        if (!c->public_consent)
            return refuse(&act->problem, "no_public_consent", "action");
        c->public_approved = true;
        type = "approved_public";
        visibility = "internal";
    } else {
        return refuse(&act->problem, "not_allowed", "action");
    }
    int rc = save(ch);
    if (rc == STORE_OK)
        rc = add_event(ch, type, visibility, text, reason, 0, 0);
    if (rc == STORE_OK && tell_citizen)
        rc = notify_citizen(ch->s, c, ch->now);
    return rc;
}

int workflow_staff_action(struct store *s, struct staff_action *act)
{
    struct case_row c;
    char now[32];
    workflow_now(now);
    int rc = store_case_get(s, act->arena, act->case_id, &c);
    if (rc != STORE_OK)
        return rc;
    struct change ch = {s,       act->arena,
                        &c,      act->arena ? arena_strdup(act->arena, now) : now,
                        "staff", act->actor->staff.id};
    if (!authz_case_visible(act->actor, &c))
        return STORE_NOT_FOUND;
    static const struct {
        const char *name;
        enum case_action what;
    } map[] = {{"acknowledge", CASE_ACKNOWLEDGE}, {"assign", CASE_ASSIGN},
               {"message", CASE_MESSAGE},         {"note", CASE_NOTE},
               {"transfer", CASE_TRANSFER},       {"escalate", CASE_ESCALATE},
               {"answer", CASE_ANSWER},           {"close", CASE_CLOSE},
               {"reject", CASE_REJECT},           {"approve_public", CASE_APPROVE_PUBLIC}};
    enum case_action what = CASE_READ;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (is(act->action, map[i].name))
            what = map[i].what;
    if (what == CASE_READ)
        return refuse(&act->problem, "not_allowed", "action");
    if (!authz_case_action(act->actor, &c, what))
        return refuse(&act->problem, "forbidden", NULL);
    if (is(act->action, "assign"))
        rc = do_assign(&ch, act);
    else if (is(act->action, "transfer"))
        rc = do_transfer(&ch, act);
    else if (is(act->action, "escalate"))
        rc = open_status(c.status) ? escalate(&ch, "escalated", act->reason, &act->problem)
                                   : refuse(&act->problem, "invalid_transition", "action");
    else
        rc = do_simple(&ch, act);
    if (rc == STORE_OK) {
        char action[48];
        snprintf(action, sizeof action, "case_%s", act->action);
        rc = audit_append(s, "staff", act->actor->staff.id, action, c.id, c.status);
    }
    return rc;
}

/* ---- citizen ---- */

static int attach(struct change *ch, const struct citizen_action *act, int64_t event_id)
{
    for (size_t i = 0; i < act->attachment_count; i++) {
        struct attachment att = act->attachments[i];
        att.case_id = ch->c->id;
        att.event_id = event_id;
        att.created_at = ch->now;
        int rc = store_attachment_insert(ch->s, &att);
        if (rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}

int workflow_citizen_action(struct store *s, struct citizen_action *act)
{
    struct case_row c;
    char now[32];
    workflow_now(now);
    int rc = store_case_get(s, act->arena, act->case_id, &c);
    if (rc != STORE_OK)
        return rc;
    struct change ch = {s, act->arena, &c, arena_strdup(act->arena, now), "citizen", 0};
    if (is(act->action, "reply")) {
        if (blank(act->text) && !act->attachment_count)
            return refuse(&act->problem, "missing_field", "text");
        if (!open_status(c.status))
            return refuse(&act->problem, "invalid_transition", NULL);
        struct event_row e = {.case_id = c.id,
                              .at = ch.now,
                              .actor_kind = "citizen",
                              .type = "reply",
                              .visibility = "public",
                              .text = blank(act->text) ? NULL : act->text,
                              .status = c.status};
        if ((rc = store_event_insert(s, &e)) == STORE_OK)
            rc = attach(&ch, act, e.id);
        if (rc == STORE_OK)
            rc = save(&ch);
    } else if (is(act->action, "rate")) {
        /* an answer to rate: a closed case may never have had one (an evaluation) */
        if ((!is(c.status, "answered") && !is(c.status, "closed")) || !c.answered_at)
            return refuse(&act->problem, "not_answered", NULL);
        if (c.satisfied >= 0)
            return refuse(&act->problem, "already_rated", NULL);
        c.satisfied = act->satisfied;
        c.rating = act->score;
        c.rating_comment = act->comment;
        if ((rc = save(&ch)) == STORE_OK)
            rc = add_event(&ch, "rated", "public", act->comment, NULL, 0, 0);
    } else if (is(act->action, "appeal")) {
        if ((!is(c.status, "answered") && !is(c.status, "closed")) || c.satisfied != 0)
            return refuse(&act->problem, "appeal_not_allowed", NULL);
        c.satisfied = -1; /* the next answer can be rated again */
        c.rating = 0;
        c.rating_comment = NULL;
        c.answered_at = NULL;
        c.closed_at = NULL;
        rc = escalate(&ch, "appealed", act->reason, &act->problem);
    } else {
        return refuse(&act->problem, "not_allowed", "action");
    }
    if (rc == STORE_OK) {
        char action[48];
        snprintf(action, sizeof action, "citizen_%s", act->action);
        rc = audit_append(s, "citizen", 0, action, c.id, c.status);
    }
    return rc;
}

/* ---- deadlines ---- */

int workflow_escalate_overdue(struct store *s, struct arena *a, int *escalated)
{
    char now[32];
    workflow_now(now);
    struct case_list l;
    *escalated = 0;
    int rc = store_cases_overdue(s, a, now, 100, &l);
    for (size_t i = 0; rc == STORE_OK && i < l.count; i++) {
        struct case_row *c = &l.items[i];
        const char *which = is(c->status, "submitted") ? "acknowledge" : "answer";
        struct change ch = {s, a, c, now, "system", 0};
        struct problem p = {0};
        char reason[48];
        snprintf(reason, sizeof reason, "deadline_%s", which);
        rc = escalate(&ch, "escalated", reason, &p);
        if (rc == STORE_CONFLICT && p.code) { /* at the top: remember, do not retry */
            c->breached = which;
            rc = save(&ch);
            if (rc == STORE_OK)
                rc = notify_staff(s, c, "overdue", now);
            continue;
        }
        if (rc == STORE_OK)
            rc = audit_append(s, "system", 0, "case_escalated_overdue", c->id, which);
        if (rc == STORE_OK)
            (*escalated)++;
    }
    return rc;
}

int workflow_audit_read(struct store *s, const struct actor *who, int64_t case_id)
{
    return audit_append(s, "staff", who->staff.id, "case_read", case_id, "");
}
