/* Administration rules (see admin.h). */
#include "domain/admin.h"

#include <string.h>

#include "core/text.h"
#include "core/workdays.h"
#include "core/banned.h"

const char *const admin_office_kinds[] = {
    "commune", "owso", "district_ombudsman", "owsu", "provincial_ombudsman", "ministry", NULL};
const char *const admin_service_kinds[] = {"commune", "owso", "owsu", NULL};
const char *const admin_roles[] = {"officer",          "head",           "ombudsman", "ccwc",
                                   "provincial_admin", "national_admin", "analyst",   NULL};
const char *const admin_template_actions[] = {
    "acknowledge", "message", "note", "transfer", "escalate", "answer", "close", "reject", NULL};
const char *const admin_languages[] = {"km", "en", NULL};

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static bool code_chars(const char *s, size_t max, const char *extra_range)
{
    size_t n = strnlen(s, max + 1);
    if (n < 2 || n > max)
        return false;
    if (!(s[0] >= extra_range[0] && s[0] <= extra_range[1]))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= extra_range[0] && c <= extra_range[1]) || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

bool admin_office_code_valid(const char *code)
{
    return code && code_chars(code, OFFICE_CODE_MAX, "AZ");
}

bool admin_service_code_valid(const char *code)
{
    return code && code_chars(code, SERVICE_CODE_MAX, "az");
}

bool admin_sector_valid(const char *sector)
{
    size_t n = strnlen(sector, ADMIN_SECTOR_MAX + 1);
    if (n > ADMIN_SECTOR_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = sector[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

bool admin_text_valid(const char *text, size_t max, bool multiline)
{
    size_t n = strnlen(text, max + 1);
    if (n == 0 || n > max || !text_utf8_valid(text, n))
        return false;
    bool visible = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        bool line = multiline && (c == '\n' || c == '\r' || c == '\t');
        if ((c < 0x20 && !line) || c == 0x7f)
            return false;
        visible |= c != ' ' && c >= 0x20;
    }
    return visible;
}

const char *admin_office_level(const char *kind)
{
    if (is(kind, "commune"))
        return "commune";
    if (is(kind, "owso") || is(kind, "district_ombudsman"))
        return "district";
    if (is(kind, "owsu") || is(kind, "provincial_ombudsman"))
        return "province";
    return NULL;
}

bool admin_role_needs_office(const char *role)
{
    return !is(role, "national_admin") && !is(role, "analyst");
}

bool admin_office_suits_role(const char *role, const struct office *o)
{
    if (is(role, "analyst"))
        return o->id == 0;
    if (is(role, "national_admin"))
        return o->id == 0 || (o->active && is(o->kind, "ministry"));
    if (o->id == 0 || !o->active)
        return false;
    if (is(role, "ombudsman"))
        return is(o->kind, "district_ombudsman") || is(o->kind, "provincial_ombudsman");
    if (is(role, "ccwc"))
        return is(o->kind, "commune");
    if (is(role, "provincial_admin"))
        return o->area_code && o->area_code[0];
    return true; /* officer, head: any office */
}

bool admin_routing_rule_sound(const struct routing_rule *rule)
{
    if (is(rule->condition, "default"))
        return true;
    return !is(rule->target_kind, rule->delivered_by);
}

bool admin_date_valid(const char *date)
{
    int32_t day;
    char back[11];
    if (!date || strlen(date) != 10 || workdays_parse_date(date, &day) < 0)
        return false;
    workdays_format_date(day, back);
    return strcmp(back, date) == 0;
}
