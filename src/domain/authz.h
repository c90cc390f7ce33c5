/* The authorization policy: every access decision about cases is made here, over
 * role × office jurisdiction × case (DESIGN §1, §4). Handlers ask; they never decide.
 *   officer, head, ombudsman: the cases their office handles — never a sensitive case that
 *     accuses their own office;
 *   ccwc: the gender-sensitive cases routed with their commune's CCWC;
 *   provincial_admin: every case in their province (read, note, transfer), no identities;
 *   national_admin: every case (read, note, transfer), no identities;
 *   analyst: no case at all (aggregates only). */
#ifndef OURVOICE_AUTHZ_H
#define OURVOICE_AUTHZ_H

#include <stdbool.h>

#include "domain/model.h"

struct actor {
    struct staff staff;
    struct office office; /* id 0 when the account has no office */
    char province[3];     /* the office's province code ("" for national offices) */
};

enum case_action {
    CASE_READ,
    CASE_ACKNOWLEDGE,
    CASE_ASSIGN,
    CASE_MESSAGE,
    CASE_NOTE,
    CASE_TRANSFER,
    CASE_ESCALATE,
    CASE_ANSWER,
    CASE_CLOSE,
    CASE_REJECT,
    CASE_APPROVE_PUBLIC,
};

bool authz_case_visible(const struct actor *who, const struct case_row *c);
bool authz_case_action(const struct actor *who, const struct case_row *c, enum case_action what);
/* May see the name the citizen chose to share. */
bool authz_sees_identity(const struct actor *who, const struct case_row *c);
/* May list cases at all; fills the scope of the list. */
bool authz_case_scope(const struct actor *who, struct case_filter *f);
/* Administration of offices, staff and catalogue: national, or provincial in its province. */
bool authz_admin(const struct actor *who);

/* ---- the staff console and administration ----
 *   national_admin: every office, staff account, the catalogue, deadlines, holidays, routing
 *     rules, response templates and the whole audit log;
 *   provincial_admin: offices and staff inside its province (never a national role), the
 *     audit entries about cases of its province;
 *   head, ombudsman: their own office's statistics. Everyone else: none of it. */

/* The catalogue, deadlines, holidays, routing rules, templates, the audit chain check. */
bool authz_admin_national(const struct actor *who);
/* May create or change an office on this area (NULL: a national office). */
bool authz_admin_area(const struct actor *who, const char *area_code);
bool authz_admin_office(const struct actor *who, const struct office *o);
/* May a staff account be changed from `before` (NULL when creating one) to `after`, each
 * with its office (id 0: none)? Both must be within reach; nobody changes their own role,
 * office or active flag. */
bool authz_admin_staff(const struct actor *who, const struct staff *before,
                       const struct office *before_office, const struct staff *after,
                       const struct office *after_office);
/* Which staff accounts may be listed: fills *area_prefix (NULL: all). */
bool authz_admin_staff_scope(const struct actor *who, const char **area_prefix);
/* Which offices may be listed: fills *area_prefix ("" : all). */
bool authz_admin_office_scope(const struct actor *who, const char **area_prefix);
/* The statistics of one office. */
bool authz_office_stats(const struct actor *who, const struct office *o);
/* The audit log: fills the part of it the caller may read. */
bool authz_audit_scope(const struct actor *who, struct audit_filter *f);

#endif
