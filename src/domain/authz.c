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

static bool own_office(const struct actor *who, const struct case_row *c)
{
    return who->office.id && c->office_id == who->office.id &&
           !(c->sensitive && c->origin_office_id == who->office.id);
}

static bool ccwc_case(const struct actor *who, const struct case_row *c)
{
    return role(who, "ccwc") && who->office.id && c->sensitive &&
           c->ccwc_office_id == who->office.id;
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
    return (handles(who) && own_office(who, c)) || ccwc_case(who, c);
}

bool authz_case_scope(const struct actor *who, struct case_filter *f)
{
    if (!who->staff.active)
        return false;
    if (handles(who) || role(who, "ccwc")) {
        if (!who->office.id)
            return false;
        if (handles(who)) {
            f->office_id = who->office.id;
            f->hide_origin_office = who->office.id;
        } else {
            f->ccwc_office_id = who->office.id;
        }
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
