/* Unit tests for domain/routing over a temporary SQLite store (migrated, so with the default
 * routing table of 0002_feedback.sql) holding a small gazetteer: province 12 with every
 * office kind, province 13 with a commune office and a Provincial Ombudsman only, province
 * 14 with none, and the ministry. Each row of the default table routes as written; bypass
 * and sensitive complaints never reach the office they accuse (even when an edited rule says
 * so) and get the commune's CCWC unless the commune is the accused; a missing or inactive
 * target office hands the case one level up; routing_next_level climbs commune → District
 * Ombudsman → Provincial Ombudsman → ministry and stops there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/log.h"
#include "domain/routing.h"
#include "store/store.h"
#include "core/banned.h"

struct fixture {
    char dir[64], db_path[128];
    struct store *s;
    struct arena *a;
};

static const struct area areas[] = {
    {"12", NULL, "province", "ខេត្ត", "Province", "ក", "Twelve"},
    {"1201", "12", "district", "ស្រុក", "District", "ក", "Twelve One"},
    {"120101", "1201", "commune", "ឃុំ", "Commune", "ក", "Twelve One One"},
    {"12010101", "120101", "village", "ភូមិ", "Village", "ក", "Twelve One One One"},
    {"120102", "1201", "commune", "ឃុំ", "Commune", "ក", "Twelve One Two"},
    {"13", NULL, "province", "ខេត្ត", "Province", "ខ", "Thirteen"},
    {"1301", "13", "district", "ស្រុក", "District", "ខ", "Thirteen One"},
    {"130101", "1301", "commune", "ឃុំ", "Commune", "ខ", "Thirteen One One"},
    {"14", NULL, "province", "ខេត្ត", "Province", "គ", "Fourteen"},
    {"1401", "14", "district", "ស្រុក", "District", "គ", "Fourteen One"},
    {"140101", "1401", "commune", "ឃុំ", "Commune", "គ", "Fourteen One One"},
};

static const struct office offices[] = {
    {0, "C-120101", "commune", "120101", "ឃុំ", "Commune 120101", true},
    {0, "OWSO-1201", "owso", "1201", "ច", "One Window 1201", true},
    {0, "DO-1201", "district_ombudsman", "1201", "ឆ", "District Ombudsman 1201", true},
    {0, "OWSU-12", "owsu", "12", "ជ", "One Window Unit 12", true},
    {0, "PO-12", "provincial_ombudsman", "12", "ឈ", "Provincial Ombudsman 12", true},
    {0, "C-130101", "commune", "130101", "ឃុំ", "Commune 130101", true},
    {0, "PO-13", "provincial_ombudsman", "13", "ឈ", "Provincial Ombudsman 13", true},
    {0, "MIN", "ministry", NULL, "ក្រសួង", "Ministry", true},
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/ourvoice-routing-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->db_path, sizeof fx->db_path, "%s/t.db", fx->dir);
    const char *err = NULL;
    assert_int_equal(store_open(fx->db_path, &fx->s, &err), STORE_OK);
    int from, to;
    assert_int_equal(store_migrate(fx->s, &from, &to), STORE_OK);
    for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++)
        assert_int_equal(store_area_put(fx->s, &areas[i], areas[i].name_en), STORE_OK);
    for (size_t i = 0; i < sizeof offices / sizeof offices[0]; i++)
        assert_int_equal(store_office_put(fx->s, &offices[i]), STORE_OK);
    fx->a = arena_new();
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    arena_free(fx->a);
    store_close(fx->s);
    const char *files[] = {"t.db", "t.db-wal", "t.db-shm", "t.db-journal"};
    char path[192];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", fx->dir, files[i]);
        unlink(path);
    }
    rmdir(fx->dir);
    free(fx);
    return 0;
}

static int64_t office_id(struct fixture *fx, const char *code)
{
    if (!code)
        return 0;
    struct office o;
    assert_int_equal(store_office_by_code(fx->s, fx->a, code, &o), STORE_OK);
    return o.id;
}

static const char *code_of(struct fixture *fx, int64_t id)
{
    if (!id)
        return "(none)";
    struct office o;
    assert_int_equal(store_office_get(fx->s, fx->a, id, &o), STORE_OK);
    return o.code;
}

static struct area area(struct fixture *fx, const char *code)
{
    struct area ar;
    assert_int_equal(store_area_get(fx->s, fx->a, code, &ar), STORE_OK);
    return ar;
}

struct expect {
    const char *delivered_by, *kind;
    bool sensitive, bypass;
    const char *area;
    const char *office, *origin, *ccwc; /* office codes; NULL: none */
};

static void check_route(struct fixture *fx, const struct expect *e)
{
    struct area ar = area(fx, e->area);
    struct route_request req = {e->kind, &ar, e->delivered_by, e->sensitive, e->bypass};
    struct route_result out;
    int rc = routing_route(fx->s, fx->a, &req, &out);
    if (rc != STORE_OK || strcmp(out.office.code, e->office) != 0 ||
        out.origin_office_id != office_id(fx, e->origin) ||
        out.ccwc_office_id != office_id(fx, e->ccwc)) {
        print_error("%s %s%s%s in %s: rc %d, office %s origin %s ccwc %s; want %s %s %s\n",
                    e->delivered_by ? e->delivered_by : "(level)", e->kind,
                    e->sensitive ? " sensitive" : "", e->bypass ? " bypass" : "", e->area, rc,
                    rc == STORE_OK ? out.office.code : "-",
                    rc == STORE_OK ? code_of(fx, out.origin_office_id) : "-",
                    rc == STORE_OK ? code_of(fx, out.ccwc_office_id) : "-", e->office,
                    e->origin ? e->origin : "(none)", e->ccwc ? e->ccwc : "(none)");
        fail();
    }
    assert_int_equal(out.office.id, office_id(fx, e->office));
    assert_true(out.office.active);
    /* a bypass or sensitive complaint never lands on the office it accuses */
    if (strcmp(e->kind, "complaint") == 0 && (e->sensitive || e->bypass) && out.origin_office_id)
        assert_int_not_equal(out.office.id, out.origin_office_id);
    if (out.ccwc_office_id)
        assert_int_not_equal(out.ccwc_office_id, out.origin_office_id);
}

static void check_routes(struct fixture *fx, const struct expect *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        check_route(fx, &e[i]);
}

#define CHECK_ROUTES(fx, table) check_routes(fx, table, sizeof table / sizeof table[0])

/* ---- routing_route ---- */

static void default_table_row_by_row(void **state)
{
    static const struct expect rows[] = {
        /* ('commune', '*', 'default', 'commune') */
        {"commune", "support", false, false, "120101", "C-120101", "C-120101", NULL},
        {"commune", "information", false, false, "120101", "C-120101", "C-120101", NULL},
        {"commune", "evaluation", false, false, "120101", "C-120101", "C-120101", NULL},
        {"commune", "complaint", false, false, "120101", "C-120101", "C-120101", NULL},
        /* ('commune', 'complaint', 'bypass', 'district_ombudsman') */
        {"commune", "complaint", false, true, "120101", "DO-1201", "C-120101", NULL},
        /* ('commune', 'complaint', 'sensitive', 'district_ombudsman'): the commune is
         * accused, so its CCWC is not asked to help */
        {"commune", "complaint", true, false, "120101", "DO-1201", "C-120101", NULL},
        /* ('owso', '*', 'default', 'owso') */
        {"owso", "support", false, false, "120101", "OWSO-1201", "OWSO-1201", NULL},
        {"owso", "information", false, false, "1201", "OWSO-1201", "OWSO-1201", NULL},
        /* ('owso', 'complaint', 'default', 'district_ombudsman') */
        {"owso", "complaint", false, false, "120101", "DO-1201", "OWSO-1201", NULL},
        /* ('owso', 'complaint', 'sensitive', 'district_ombudsman') and the commune's CCWC */
        {"owso", "complaint", true, false, "120101", "DO-1201", "OWSO-1201", "C-120101"},
        /* ('owsu', '*', 'default', 'owsu') */
        {"owsu", "support", false, false, "120101", "OWSU-12", "OWSU-12", NULL},
        {"owsu", "evaluation", false, false, "12", "OWSU-12", "OWSU-12", NULL},
        /* ('owsu', 'complaint', 'default', 'provincial_ombudsman') */
        {"owsu", "complaint", false, false, "120101", "PO-12", "OWSU-12", NULL},
        /* ('owsu', 'complaint', 'sensitive', 'provincial_ombudsman') */
        {"owsu", "complaint", true, false, "120101", "PO-12", "OWSU-12", "C-120101"},
        {"owsu", "complaint", true, false, "12", "PO-12", "OWSU-12", NULL}, /* no commune */
    };
    CHECK_ROUTES(*state, rows);
}

static void conditions_without_a_row_fall_back_to_default(void **state)
{
    static const struct expect rows[] = {
        /* no 'bypass' row for owso or owsu: the complaint default */
        {"owso", "complaint", false, true, "120101", "DO-1201", "OWSO-1201", NULL},
        {"owsu", "complaint", false, true, "120101", "PO-12", "OWSU-12", NULL},
        /* sensitive and bypass together: sensitive decides */
        {"commune", "complaint", true, true, "120101", "DO-1201", "C-120101", NULL},
        {"owso", "complaint", true, true, "120101", "DO-1201", "OWSO-1201", "C-120101"},
        /* the flags mean nothing for other kinds */
        {"commune", "support", true, false, "120101", "C-120101", "C-120101", NULL},
        {"commune", "information", false, true, "120101", "C-120101", "C-120101", NULL},
        {"owso", "support", true, true, "120101", "OWSO-1201", "OWSO-1201", NULL},
    };
    CHECK_ROUTES(*state, rows);
}

static void delivered_by_from_the_area_level(void **state)
{
    static const struct expect rows[] = {
        {NULL, "support", false, false, "12010101", "C-120101", "C-120101", NULL}, /* village */
        {NULL, "support", false, false, "120101", "C-120101", "C-120101", NULL},   /* commune */
        {NULL, "support", false, false, "1201", "OWSO-1201", "OWSO-1201", NULL},   /* district */
        {NULL, "support", false, false, "12", "OWSU-12", "OWSU-12", NULL},         /* province */
        {NULL, "complaint", false, false, "1201", "DO-1201", "OWSO-1201", NULL},
        {NULL, "complaint", true, false, "12010101", "DO-1201", "C-120101", NULL},
    };
    CHECK_ROUTES(*state, rows);
}

static void missing_target_office_goes_one_level_up(void **state)
{
    static const struct expect rows[] = {
        /* no commune office in 120102: its District Ombudsman */
        {"commune", "support", false, false, "120102", "DO-1201", NULL, NULL},
        {"commune", "complaint", true, false, "120102", "DO-1201", NULL, NULL},
        /* no OWSO nor District Ombudsman in 1301: the Provincial Ombudsman */
        {"owso", "support", false, false, "130101", "PO-13", NULL, NULL},
        {"owso", "complaint", false, false, "130101", "PO-13", NULL, NULL},
        {"owso", "complaint", true, false, "130101", "PO-13", NULL, "C-130101"},
        {"commune", "complaint", false, true, "130101", "PO-13", "C-130101", NULL},
        /* no OWSU in 13: the Provincial Ombudsman */
        {"owsu", "support", false, false, "13", "PO-13", NULL, NULL},
        /* nothing in province 14: the ministry */
        {"commune", "support", false, false, "140101", "MIN", NULL, NULL},
        {"owsu", "complaint", true, false, "140101", "MIN", NULL, NULL},
        /* an area too coarse for the office kind counts as missing */
        {"commune", "support", false, false, "12", "PO-12", NULL, NULL},
        {"owso", "support", false, false, "12", "PO-12", NULL, NULL},
    };
    CHECK_ROUTES(*state, rows);
}

static void inactive_office_is_skipped(void **state)
{
    struct fixture *fx = *state;
    struct office o;
    assert_int_equal(store_office_by_code(fx->s, fx->a, "DO-1201", &o), STORE_OK);
    o.active = false;
    assert_int_equal(store_office_update(fx->s, &o), STORE_OK);
    static const struct expect rows[] = {
        {"commune", "complaint", false, true, "120101", "PO-12", "C-120101", NULL},
        {"owso", "complaint", true, false, "120101", "PO-12", "OWSO-1201", "C-120101"},
    };
    CHECK_ROUTES(fx, rows);
}

static void edited_rules_never_hand_a_complaint_to_the_accused(void **state)
{
    struct fixture *fx = *state;
    const struct routing_rule edits[] = {
        {"commune", "complaint", "bypass", "commune"},
        {"commune", "complaint", "sensitive", "commune"},
        {"owso", "complaint", "sensitive", "owso"},
        {"owsu", "complaint", "sensitive", "owsu"},
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++)
        assert_int_equal(store_routing_rule_put(fx->s, &edits[i]), STORE_OK);
    static const struct expect rows[] = {
        {"commune", "complaint", false, true, "120101", "DO-1201", "C-120101", NULL},
        {"commune", "complaint", true, false, "120101", "DO-1201", "C-120101", NULL},
        {"owso", "complaint", true, false, "120101", "DO-1201", "OWSO-1201", "C-120101"},
        {"owsu", "complaint", true, false, "120101", "PO-12", "OWSU-12", "C-120101"},
        /* a plain complaint may go to the office itself if the rule says so */
        {"commune", "complaint", false, false, "120101", "C-120101", "C-120101", NULL},
    };
    CHECK_ROUTES(fx, rows);
}

static void edited_rule_is_followed(void **state)
{
    struct fixture *fx = *state;
    const struct routing_rule rule = {"owso", "support", "default", "provincial_ombudsman"};
    assert_int_equal(store_routing_rule_put(fx->s, &rule), STORE_OK);
    static const struct expect rows[] = {
        {"owso", "support", false, false, "120101", "PO-12", "OWSO-1201", NULL},
        {"owso", "information", false, false, "120101", "OWSO-1201", "OWSO-1201", NULL},
    };
    CHECK_ROUTES(fx, rows);
}

static void no_office_at_all_is_not_found(void **state)
{
    struct fixture *fx = *state;
    struct office o;
    assert_int_equal(store_office_by_code(fx->s, fx->a, "MIN", &o), STORE_OK);
    o.active = false;
    assert_int_equal(store_office_update(fx->s, &o), STORE_OK);
    struct area ar = area(fx, "140101");
    struct route_request req = {"support", &ar, "commune", false, false};
    struct route_result out;
    assert_int_equal(routing_route(fx->s, fx->a, &req, &out), STORE_NOT_FOUND);
    req.kind = "complaint", req.sensitive = true;
    assert_int_equal(routing_route(fx->s, fx->a, &req, &out), STORE_NOT_FOUND);
    /* province 12 still routes */
    ar = area(fx, "120101");
    assert_int_equal(routing_route(fx->s, fx->a, &req, &out), STORE_OK);
    assert_string_equal(out.office.code, "DO-1201");
}

/* ---- routing_next_level ---- */

static const char *next_of(struct fixture *fx, const char *code)
{
    struct office from, to;
    assert_int_equal(store_office_by_code(fx->s, fx->a, code, &from), STORE_OK);
    int rc = routing_next_level(fx->s, fx->a, &from, &to);
    if (rc == STORE_NOT_FOUND)
        return NULL;
    assert_int_equal(rc, STORE_OK);
    return to.code;
}

static void next_level_climbs_to_the_ministry(void **state)
{
    struct fixture *fx = *state;
    assert_string_equal(next_of(fx, "C-120101"), "DO-1201");
    assert_string_equal(next_of(fx, "DO-1201"), "PO-12");
    assert_string_equal(next_of(fx, "PO-12"), "MIN");
    assert_null(next_of(fx, "MIN"));
    assert_string_equal(next_of(fx, "OWSO-1201"), "DO-1201");
    assert_string_equal(next_of(fx, "OWSU-12"), "PO-12");
}

static void next_level_skips_missing_offices(void **state)
{
    struct fixture *fx = *state;
    assert_string_equal(next_of(fx, "C-130101"), "PO-13"); /* no District Ombudsman in 1301 */
    assert_string_equal(next_of(fx, "PO-13"), "MIN");
    struct office o;
    assert_int_equal(store_office_by_code(fx->s, fx->a, "PO-12", &o), STORE_OK);
    o.active = false;
    assert_int_equal(store_office_update(fx->s, &o), STORE_OK);
    assert_string_equal(next_of(fx, "DO-1201"), "MIN");
    assert_string_equal(next_of(fx, "OWSU-12"), "MIN");
}

static void next_level_of_an_office_not_in_the_chain(void **state)
{
    struct fixture *fx = *state;
    struct office o = {0, "X", "agency", "12", "x", "x", true};
    struct office to;
    assert_int_equal(routing_next_level(fx->s, fx->a, &o, &to), STORE_NOT_FOUND);
    o.kind = "ministry";
    assert_int_equal(routing_next_level(fx->s, fx->a, &o, &to), STORE_NOT_FOUND);
}

int main(void)
{
    log_set_level(LOG_WARN); /* no "migrated" lines for every fixture */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(default_table_row_by_row, setup, teardown),
        cmocka_unit_test_setup_teardown(conditions_without_a_row_fall_back_to_default, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(delivered_by_from_the_area_level, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_target_office_goes_one_level_up, setup, teardown),
        cmocka_unit_test_setup_teardown(inactive_office_is_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(edited_rules_never_hand_a_complaint_to_the_accused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(edited_rule_is_followed, setup, teardown),
        cmocka_unit_test_setup_teardown(no_office_at_all_is_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(next_level_climbs_to_the_ministry, setup, teardown),
        cmocka_unit_test_setup_teardown(next_level_skips_missing_offices, setup, teardown),
        cmocka_unit_test_setup_teardown(next_level_of_an_office_not_in_the_chain, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
