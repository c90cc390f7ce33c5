/* The life of a case after submission (DESIGN §2): staff actions, citizen follow-up and the
 * deadline escalations. Each function runs inside one transaction (the group-commit writer
 * or store_tx), re-reads the case, checks the transition against the state it finds, and
 * writes the case, its timeline events, the audit entries and the outbox rows together.
 * A refused transition returns STORE_CONFLICT with `problem` set; bad input STORE_OK is
 * never returned with a problem. */
#ifndef OURVOICE_WORKFLOW_H
#define OURVOICE_WORKFLOW_H

#include "domain/authz.h"
#include "domain/model.h"
#include "store/store.h"

#define WORKFLOW_TEXT_MAX   20000 /* bytes of a message, answer or note */
#define WORKFLOW_REASON_MAX 2000

struct staff_action {
    const struct actor *actor;
    int64_t case_id;
    const char *action; /* acknowledge assign message note transfer escalate answer close
                           reject approve_public */
    const char *text, *to, *reason;
    struct arena *arena;
    struct problem problem;
};

struct citizen_action {
    int64_t case_id;
    const char *action; /* reply rate appeal */
    const char *text, *comment, *reason;
    int satisfied; /* rate: 0 or 1 */
    int score;     /* rate: 1..5, 0 when not given */
    const struct attachment *attachments;
    size_t attachment_count;
    struct arena *arena;
    struct problem problem;
};

/* true if the name is one of the staff actions */
bool workflow_staff_action_known(const char *action);

int workflow_staff_action(struct store *s, struct staff_action *act);
int workflow_citizen_action(struct store *s, struct citizen_action *act);

/* Escalates every case whose deadline has passed, one level, once per breach. */
int workflow_escalate_overdue(struct store *s, struct arena *a, int *escalated);

/* Records a staff member's read of a case in the audit log. */
int workflow_audit_read(struct store *s, const struct actor *who, int64_t case_id);

/* "now" as the timeline writes it */
void workflow_now(char out[32]);

#endif
