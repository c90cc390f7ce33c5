/* Unit tests for domain/authz, the case policy as a full matrix: every role (active and not)
 * against every relation of a case to the actor's office — its own, a sensitive or
 * bypass-office complaint about its own office (handled there or elsewhere), a CCWC case of
 * its commune, another office of the same province, another province — for
 * authz_case_visible, authz_case_action with every case_action, authz_sees_identity and
 * authz_case_scope. What is asserted is what authz.h promises: office roles see the cases
 * their office handles but never a sensitive (or bypass-office) complaint about their own
 * office, wherever it goes; the CCWC sees the sensitive cases routed with it; admins see
 * their province or the nation (read, note, transfer) without identities; analysts no case.
 * A list's scope (applied as the store applies it) admits exactly the visible cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/authz.h"
#include "core/banned.h"

enum { OFFICE_A = 10, OFFICE_B = 20, OFFICE_C = 30, OFFICE_D = 40, MINISTRY = 99 };

enum role { R_OFFICER, R_HEAD, R_OMBUDSMAN, R_CCWC, R_PROVINCIAL, R_NATIONAL, R_ANALYST, R_COUNT };

static const char *const role_names[R_COUNT] = {
    "officer", "head", "ombudsman", "ccwc", "provincial_admin", "national_admin", "analyst"};

enum relation {
    OWN,                           /* handled by the actor's office, about another office */
    SENSITIVE_ABOUT_OWN,           /* gender-sensitive, accuses the actor's office, handled there */
    BYPASS_ABOUT_OWN,              /* the citizen asked that the actor's office not handle it */
    SENSITIVE_ABOUT_OWN_ELSEWHERE, /* accuses the actor's office, handled by another */
    CCWC_CASE,                     /* sensitive, routed with the actor's office as its CCWC */
    OTHER_OFFICE,                  /* another office in the same province */
    OTHER_PROVINCE,
    REL_COUNT
};

static const char *const relation_names[REL_COUNT] = {
    "own office",
    "sensitive about own office",
    "bypass_office about own office",
    "sensitive about own office, handled elsewhere",
    "ccwc case",
    "other office same province",
    "other province"};

static const enum case_action actions[] = {
    CASE_READ,     CASE_ACKNOWLEDGE, CASE_ASSIGN, CASE_MESSAGE, CASE_NOTE,           CASE_TRANSFER,
    CASE_ESCALATE, CASE_ANSWER,      CASE_CLOSE,  CASE_REJECT,  CASE_APPROVE_PUBLIC,
};
static const char *const action_names[] = {
    "read",     "acknowledge", "assign", "message", "note",           "transfer",
    "escalate", "answer",      "close",  "reject",  "approve_public",
};
#define NACTIONS (sizeof actions / sizeof actions[0])

static struct actor actor(enum role r, bool active)
{
    struct actor who;
    memset(&who, 0, sizeof who);
    who.staff.id = 7;
    who.staff.login = "someone";
    who.staff.role = role_names[r];
    who.staff.active = active;
    if (r == R_NATIONAL || r == R_ANALYST) {
        who.staff.office_id = who.office.id = MINISTRY;
        who.office.kind = "ministry";
        who.office.area_code = NULL;
        who.province[0] = '\0';
    } else {
        who.staff.office_id = who.office.id = OFFICE_A;
        who.office.kind = r == R_PROVINCIAL ? "provincial_ombudsman" : "commune";
        who.office.area_code = r == R_PROVINCIAL ? "12" : "120101";
        memcpy(who.province, "12", 3);
    }
    who.office.active = true;
    return who;
}

static struct case_row case_of(enum relation rel)
{
    struct case_row c;
    memset(&c, 0, sizeof c);
    c.id = 100 + rel;
    c.kind = "complaint";
    c.status = "submitted";
    c.area_code = "120101";
    c.disability = -1;
    c.satisfied = -1;
    switch (rel) {
    case OWN:
        c.office_id = OFFICE_A, c.origin_office_id = OFFICE_D;
        break;
    case SENSITIVE_ABOUT_OWN: /* every link points at the actor's office */
        c.office_id = OFFICE_A, c.origin_office_id = OFFICE_A, c.ccwc_office_id = OFFICE_A;
        c.sensitive = true;
        break;
    case BYPASS_ABOUT_OWN:
        c.office_id = OFFICE_A, c.origin_office_id = OFFICE_A;
        c.bypass_office = true;
        break;
    case SENSITIVE_ABOUT_OWN_ELSEWHERE:
        c.office_id = OFFICE_B, c.origin_office_id = OFFICE_A, c.ccwc_office_id = OFFICE_A;
        c.sensitive = true;
        break;
    case CCWC_CASE:
        c.office_id = OFFICE_B, c.origin_office_id = OFFICE_D, c.ccwc_office_id = OFFICE_A;
        c.sensitive = true;
        break;
    case OTHER_OFFICE:
        c.office_id = OFFICE_B, c.origin_office_id = OFFICE_B;
        c.area_code = "120203";
        break;
    case OTHER_PROVINCE:
        c.office_id = OFFICE_C, c.origin_office_id = OFFICE_C;
        c.area_code = "130101";
        break;
    case REL_COUNT:
        break;
    }
    return c;
}

/* The policy as authz.h states it. */
#define T true
#define F false
/* clang-format off */
static const bool visible[R_COUNT][REL_COUNT] = {
    /*                own sens bypass elsewhere ccwc other province */
    [R_OFFICER]    = {T,  F,   F,     F,        F,   F,    F},
    [R_HEAD]       = {T,  F,   F,     F,        F,   F,    F},
    [R_OMBUDSMAN]  = {T,  F,   F,     F,        F,   F,    F},
    [R_CCWC]       = {F,  F,   F,     F,        T,   F,    F},
    [R_PROVINCIAL] = {T,  T,   T,     T,        T,   T,    F},
    [R_NATIONAL]   = {T,  T,   T,     T,        T,   T,    T},
    [R_ANALYST]    = {F,  F,   F,     F,        F,   F,    F},
};
/* clang-format on */
#undef T
#undef F

static bool handles(enum role r)
{
    return r == R_OFFICER || r == R_HEAD || r == R_OMBUDSMAN;
}

/* What a role may do with a case it sees. */
static bool may(enum role r, enum case_action a)
{
    bool lead = r == R_HEAD || r == R_OMBUDSMAN;
    bool admin = r == R_PROVINCIAL || r == R_NATIONAL;
    switch (a) {
    case CASE_READ:
    case CASE_NOTE:
        return true;
    case CASE_ACKNOWLEDGE:
    case CASE_ANSWER:
    case CASE_ESCALATE:
        return handles(r);
    case CASE_MESSAGE:
        return handles(r) || r == R_CCWC;
    case CASE_ASSIGN:
    case CASE_CLOSE:
    case CASE_REJECT:
    case CASE_APPROVE_PUBLIC:
        return lead;
    case CASE_TRANSFER:
        return lead || admin; /* admins: read, note, transfer */
    }
    return false;
}

static void cell(bool got, bool want, const char *what, enum role r, bool active, enum relation rel,
                 const char *action)
{
    if (got != want) {
        print_error("%s: %s%s, %s%s%s: got %s, want %s\n", what, active ? "" : "inactive ",
                    role_names[r], relation_names[rel], action ? ", " : "", action ? action : "",
                    got ? "true" : "false", want ? "true" : "false");
        fail();
    }
}

/* The scope as the store applies it (store/sqlite_cases.c CASE_FILTERS and the scope
 * statements): by office, by CCWC, by area prefix or all, hiding accusing cases. */
static bool scope_admits(const struct case_filter *f, const struct case_row *c)
{
    bool in =
        f->office_id        ? c->office_id == f->office_id
        : f->ccwc_office_id ? c->ccwc_office_id == f->ccwc_office_id && c->sensitive
        : f->area_prefix && *f->area_prefix
            ? c->area_code && strncmp(c->area_code, f->area_prefix, strlen(f->area_prefix)) == 0
            : true;
    bool hidden = f->hide_origin_office && (c->sensitive || c->bypass_office) &&
                  c->origin_office_id == f->hide_origin_office;
    return in && !hidden;
}

/* ---- the matrices ---- */

static void visibility_matrix(void **state)
{
    (void)state;
    for (int r = 0; r < R_COUNT; r++)
        for (int rel = 0; rel < REL_COUNT; rel++) {
            struct actor who = actor(r, true);
            struct case_row c = case_of(rel);
            cell(authz_case_visible(&who, &c), visible[r][rel], "visible", r, true, rel, NULL);
        }
}

static void action_matrix(void **state)
{
    (void)state;
    for (int r = 0; r < R_COUNT; r++)
        for (int rel = 0; rel < REL_COUNT; rel++)
            for (size_t k = 0; k < NACTIONS; k++) {
                struct actor who = actor(r, true);
                struct case_row c = case_of(rel);
                cell(authz_case_action(&who, &c, actions[k]), visible[r][rel] && may(r, actions[k]),
                     "action", r, true, rel, action_names[k]);
            }
}

static void identity_matrix(void **state)
{
    (void)state;
    for (int r = 0; r < R_COUNT; r++)
        for (int rel = 0; rel < REL_COUNT; rel++) {
            struct actor who = actor(r, true);
            struct case_row c = case_of(rel);
            bool want = visible[r][rel] && (handles(r) || r == R_CCWC); /* admins: no identities */
            cell(authz_sees_identity(&who, &c), want, "identity", r, true, rel, NULL);
        }
}

static void inactive_accounts_get_nothing(void **state)
{
    (void)state;
    for (int r = 0; r < R_COUNT; r++) {
        struct actor who = actor(r, false);
        for (int rel = 0; rel < REL_COUNT; rel++) {
            struct case_row c = case_of(rel);
            cell(authz_case_visible(&who, &c), false, "visible", r, false, rel, NULL);
            cell(authz_sees_identity(&who, &c), false, "identity", r, false, rel, NULL);
            for (size_t k = 0; k < NACTIONS; k++)
                cell(authz_case_action(&who, &c, actions[k]), false, "action", r, false, rel,
                     action_names[k]);
        }
        struct case_filter f;
        memset(&f, 0, sizeof f);
        cell(authz_case_scope(&who, &f), false, "scope", r, false, OWN, NULL);
    }
}

/* ---- scopes ---- */

static void scope_by_role(void **state)
{
    (void)state;
    for (int r = 0; r < R_COUNT; r++) {
        struct actor who = actor(r, true);
        struct case_filter f;
        memset(&f, 0, sizeof f);
        bool ok = authz_case_scope(&who, &f);
        switch (r) {
        case R_OFFICER:
        case R_HEAD:
        case R_OMBUDSMAN:
            assert_true(ok);
            assert_int_equal(f.office_id, OFFICE_A);
            assert_int_equal(f.hide_origin_office, OFFICE_A);
            assert_int_equal(f.ccwc_office_id, 0);
            assert_null(f.area_prefix);
            break;
        case R_CCWC:
            assert_true(ok);
            assert_int_equal(f.office_id, 0);
            assert_int_equal(f.ccwc_office_id, OFFICE_A);
            assert_int_equal(f.hide_origin_office, OFFICE_A); /* never the accusing ones */
            assert_null(f.area_prefix);
            break;
        case R_PROVINCIAL:
            assert_true(ok);
            assert_int_equal(f.office_id, 0);
            assert_int_equal(f.ccwc_office_id, 0);
            assert_string_equal(f.area_prefix, "12");
            break;
        case R_NATIONAL:
            assert_true(ok);
            assert_int_equal(f.office_id, 0);
            assert_int_equal(f.ccwc_office_id, 0);
            assert_string_equal(f.area_prefix, "");
            break;
        case R_ANALYST:
            assert_false(ok);
            break;
        }
    }
}

static void scope_admits_exactly_the_visible_cases(void **state)
{
    (void)state;
    for (int r = 0; r < R_COUNT; r++) {
        struct actor who = actor(r, true);
        struct case_filter f;
        memset(&f, 0, sizeof f);
        if (!authz_case_scope(&who, &f)) {
            for (int rel = 0; rel < REL_COUNT; rel++)
                cell(false, visible[r][rel], "listed", r, true, rel, NULL);
            continue;
        }
        for (int rel = 0; rel < REL_COUNT; rel++) {
            struct case_row c = case_of(rel);
            cell(scope_admits(&f, &c), visible[r][rel], "listed", r, true, rel, NULL);
        }
    }
}

/* ---- edges ---- */

static void office_roles_without_an_office_get_nothing(void **state)
{
    (void)state;
    const enum role roles[] = {R_OFFICER, R_HEAD, R_OMBUDSMAN, R_CCWC};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        struct actor who = actor(roles[i], true);
        who.office.id = who.staff.office_id = 0;
        struct case_row c = case_of(CCWC_CASE);
        c.office_id = c.origin_office_id = c.ccwc_office_id = 0; /* 0 is "none", not a match */
        assert_false(authz_case_visible(&who, &c));
        assert_false(authz_sees_identity(&who, &c));
        struct case_filter f;
        memset(&f, 0, sizeof f);
        assert_false(authz_case_scope(&who, &f));
    }
}

static void provincial_admin_without_a_province_gets_nothing(void **state)
{
    (void)state;
    struct actor who = actor(R_PROVINCIAL, true);
    who.province[0] = '\0';
    for (int rel = 0; rel < REL_COUNT; rel++) {
        struct case_row c = case_of(rel);
        cell(authz_case_visible(&who, &c), false, "visible (no province)", R_PROVINCIAL, true, rel,
             NULL);
    }
    struct case_filter f;
    memset(&f, 0, sizeof f);
    assert_false(authz_case_scope(&who, &f));
}

static void province_is_the_first_two_characters(void **state)
{
    (void)state;
    struct actor who = actor(R_PROVINCIAL, true);
    struct case_row c = case_of(OTHER_PROVINCE);
    c.area_code = "1";
    assert_false(authz_case_visible(&who, &c));
    c.area_code = "21";
    assert_false(authz_case_visible(&who, &c));
    c.area_code = "12";
    assert_true(authz_case_visible(&who, &c));
    c.area_code = NULL; /* a national case */
    assert_false(authz_case_visible(&who, &c));
    struct actor national = actor(R_NATIONAL, true);
    assert_true(authz_case_visible(&national, &c));
}

static void unknown_or_missing_role_gets_nothing(void **state)
{
    (void)state;
    const char *const roles[] = {NULL, "", "root", "Officer", "national_admin "};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        struct actor who = actor(R_OFFICER, true);
        who.staff.role = roles[i];
        for (int rel = 0; rel < REL_COUNT; rel++) {
            struct case_row c = case_of(rel);
            assert_false(authz_case_visible(&who, &c));
            assert_false(authz_sees_identity(&who, &c));
            for (size_t k = 0; k < NACTIONS; k++)
                assert_false(authz_case_action(&who, &c, actions[k]));
        }
        struct case_filter f;
        memset(&f, 0, sizeof f);
        assert_false(authz_case_scope(&who, &f));
    }
}

static void unknown_action_is_denied(void **state)
{
    (void)state;
    struct actor who = actor(R_HEAD, true);
    struct case_row c = case_of(OWN);
    assert_true(authz_case_action(&who, &c, CASE_CLOSE));
    assert_false(authz_case_action(&who, &c, (enum case_action)(CASE_APPROVE_PUBLIC + 1)));
    assert_false(authz_case_action(&who, &c, (enum case_action) - 1));
}

static void sensitive_case_about_another_office_is_seen_by_its_handlers(void **state)
{
    (void)state;
    /* accusing office D, handled by A: A's staff see it and its identity */
    struct case_row c = case_of(OWN);
    c.sensitive = true;
    c.ccwc_office_id = OFFICE_B;
    for (int r = R_OFFICER; r <= R_OMBUDSMAN; r++) {
        struct actor who = actor(r, true);
        assert_true(authz_case_visible(&who, &c));
        assert_true(authz_sees_identity(&who, &c));
    }
    struct actor ccwc = actor(R_CCWC, true);
    assert_false(authz_case_visible(&ccwc, &c)); /* another commune's CCWC */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(visibility_matrix),
        cmocka_unit_test(action_matrix),
        cmocka_unit_test(identity_matrix),
        cmocka_unit_test(inactive_accounts_get_nothing),
        cmocka_unit_test(scope_by_role),
        cmocka_unit_test(scope_admits_exactly_the_visible_cases),
        cmocka_unit_test(office_roles_without_an_office_get_nothing),
        cmocka_unit_test(provincial_admin_without_a_province_gets_nothing),
        cmocka_unit_test(province_is_the_first_two_characters),
        cmocka_unit_test(unknown_or_missing_role_gets_nothing),
        cmocka_unit_test(unknown_action_is_denied),
        cmocka_unit_test(sensitive_case_about_another_office_is_seen_by_its_handlers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
