/* The authorization policy (see authz.h). */
#include "domain/authz.h"

#include <string.h>

#include "core/banned.h"

static bool role(const struct actor *who, const char *name)
{
    return who->staff.role && strcmp(who->staff.role, name) == 0;
}

static bool handles(const struct actor *who)
{
    return role(who, "officer") || role(who, "head") || role(who, "ombudsman");
}

static bool in_province(const struct actor *who, const struct case_row *c)
{
    return who->province[0] && c->area_code && strncmp(c->area_code, who->province, 2) == 0;
}

/* A complaint the citizen asked the office not to handle, or a gender-sensitive one, is
 * never shown to the office it is about — wherever the case goes. */
static bool about_this_office(const struct actor *who, const struct case_row *c)
{
    return (c->sensitive || c->bypass_office) && c->origin_office_id == who->office.id;
}

static bool own_office(const struct actor *who, const struct case_row *c)
{
    return who->office.id && c->office_id == who->office.id && !about_this_office(who, c);
}

static bool ccwc_case(const struct actor *who, const struct case_row *c)
{
    return role(who, "ccwc") && who->office.id && c->sensitive &&
           c->ccwc_office_id == who->office.id && !about_this_office(who, c);
}

bool authz_case_visible(const struct actor *who, const struct case_row *c)
{
    if (!who->staff.active)
        return false;
    if (handles(who))
        return own_office(who, c);
    if (role(who, "ccwc"))
        return ccwc_case(who, c);
    if (role(who, "provincial_admin"))
        return in_province(who, c);
    return role(who, "national_admin");
}

bool authz_case_action(const struct actor *who, const struct case_row *c, enum case_action what)
{
    if (!authz_case_visible(who, c))
        return false;
    bool lead = role(who, "head") || role(who, "ombudsman");
    bool admin = role(who, "provincial_admin") || role(who, "national_admin");
    switch (what) {
    case CASE_READ:
    case CASE_NOTE:
        return true;
    case CASE_ACKNOWLEDGE:
    case CASE_ANSWER:
    case CASE_ESCALATE:
        return handles(who);
    case CASE_MESSAGE:
        return handles(who) || role(who, "ccwc");
    case CASE_ASSIGN:
    case CASE_CLOSE:
    case CASE_REJECT:
    case CASE_APPROVE_PUBLIC:
        return lead;
    case CASE_TRANSFER:
        return lead || admin;
    }
    return false;
}

bool authz_sees_identity(const struct actor *who, const struct case_row *c)
{
    return who->staff.active && ((handles(who) && own_office(who, c)) || ccwc_case(who, c));
}

bool authz_case_scope(const struct actor *who, struct case_filter *f)
{
    if (!who->staff.active)
        return false;
    if (handles(who) || role(who, "ccwc")) {
        if (!who->office.id)
            return false;
        if (handles(who))
            f->office_id = who->office.id;
        else
            f->ccwc_office_id = who->office.id;
        f->hide_origin_office = who->office.id;
        return true;
    }
    if (role(who, "provincial_admin")) {
        if (!who->province[0])
            return false;
        f->area_prefix = who->province;
        return true;
    }
    if (role(who, "national_admin")) {
        f->area_prefix = "";
        return true;
    }
    return false;
}

bool authz_admin(const struct actor *who)
{
    return who->staff.active && (role(who, "national_admin") || role(who, "provincial_admin"));
}

/* ---- the staff console and administration ---- */

static bool national(const struct actor *who)
{
    return who->staff.active && role(who, "national_admin");
}

static bool provincial(const struct actor *who)
{
    return who->staff.active && role(who, "provincial_admin") && who->province[0];
}

static bool area_in_province(const struct actor *who, const char *area_code)
{
    return area_code && strncmp(area_code, who->province, 2) == 0;
}

bool authz_admin_national(const struct actor *who)
{
    return national(who);
}

bool authz_admin_area(const struct actor *who, const char *area_code)
{
    return national(who) || (provincial(who) && area_in_province(who, area_code));
}

bool authz_admin_office(const struct actor *who, const struct office *o)
{
    return authz_admin_area(who, o->area_code);
}

/* A role a provincial admin may hand out: the office roles, its own among them. */
static bool provincial_role(const char *name)
{
    static const char *const roles[] = {"officer", "head", "ombudsman", "ccwc", "provincial_admin"};
    for (size_t i = 0; name && i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(name, roles[i]) == 0)
            return true;
    return false;
}

static bool staff_within_reach(const struct actor *who, const struct staff *u,
                               const struct office *o)
{
    if (national(who))
        return true;
    return provincial(who) && provincial_role(u->role) && o->id && o->id == u->office_id &&
           area_in_province(who, o->area_code);
}

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

bool authz_admin_staff(const struct actor *who, const struct staff *before,
                       const struct office *before_office, const struct staff *after,
                       const struct office *after_office)
{
    if (before && !staff_within_reach(who, before, before_office))
        return false;
    if (!staff_within_reach(who, after, after_office))
        return false;
    if (before && before->id == who->staff.id &&
        (!same(before->role, after->role) || before->office_id != after->office_id ||
         before->active != after->active))
        return false;
    return true;
}

bool authz_admin_staff_scope(const struct actor *who, const char **area_prefix)
{
    *area_prefix = NULL;
    if (national(who))
        return true;
    if (!provincial(who))
        return false;
    *area_prefix = who->province;
    return true;
}

bool authz_admin_office_scope(const struct actor *who, const char **area_prefix)
{
    *area_prefix = "";
    if (national(who))
        return true;
    if (!provincial(who))
        return false;
    *area_prefix = who->province;
    return true;
}

bool authz_office_stats(const struct actor *who, const struct office *o)
{
    if (!who->staff.active)
        return false;
    if (role(who, "head") || role(who, "ombudsman"))
        return who->office.id && o->id == who->office.id;
    return authz_admin_office(who, o);
}

bool authz_audit_scope(const struct actor *who, struct audit_filter *f)
{
    f->area_prefix = NULL;
    if (national(who))
        return true;
    if (!provincial(who))
        return false;
    f->area_prefix = who->province;
    return true;
}
