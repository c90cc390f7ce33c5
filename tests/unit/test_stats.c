/* Unit tests for domain/stats: counts by status and kind, overdue at a given time, medians
 * (odd and even counts, none), satisfaction, score averages per criterion, and the split
 * by sex with "not_given" for a case without it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "domain/stats.h"
#include "core/banned.h"

#define T0  "2026-03-02T01:00:00Z"
#define NOW "2026-03-20T00:00:00Z"

static struct case_stat_row rows[] = {
    /* female complaint, acknowledged after 2 h, answer due before NOW: overdue */
    {"complaint", "acknowledged", "female", T0, "2026-03-02T03:00:00Z", NULL,
     "2026-03-04T17:00:00Z", "2026-03-10T17:00:00Z", NULL, -1},
    /* male information, acknowledged after 6 h, answered after 30 h, satisfied */
    {"information", "answered", "male", T0, "2026-03-02T07:00:00Z", "2026-03-03T07:00:00Z",
     "2026-03-04T17:00:00Z", "2026-03-10T17:00:00Z", NULL, 1},
    /* no sex given, support, acknowledged after 1 h, answered after 10 h, not satisfied */
    {"support", "closed", NULL, T0, "2026-03-02T02:00:00Z", "2026-03-02T11:00:00Z",
     "2026-03-04T17:00:00Z", "2026-03-10T17:00:00Z", NULL, 0},
    /* female evaluation, submitted, acknowledge due later than NOW */
    {"evaluation", "submitted", "female", T0, NULL, NULL, "2026-03-25T17:00:00Z", NULL,
     "{\"overall\":4,\"timeliness\":3,\"courtesy\":9}", -1},
    /* other evaluation, submitted and overdue */
    {"evaluation", "submitted", "other", T0, NULL, NULL, "2026-03-04T17:00:00Z", NULL,
     "{\"overall\":1}", -1},
};

static void test_whole_office(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct case_stat_list l = {rows, sizeof rows / sizeof rows[0]};
    struct office_stats s;
    stats_compute(a, &l, NOW, &s);
    assert_int_equal(s.all.total, 5);
    assert_int_equal(s.all.by_status[0], 2); /* submitted */
    assert_int_equal(s.all.by_status[1], 1); /* acknowledged */
    assert_int_equal(s.all.by_status[3], 1); /* answered */
    assert_int_equal(s.all.by_status[4], 1); /* closed */
    assert_int_equal(s.all.by_kind[3], 2);   /* evaluation */
    assert_int_equal(s.all.overdue, 2);
    /* acknowledge: 1, 2, 6 hours → 2; answer: 10, 30 hours → 20 */
    assert_true(s.all.median_hours_acknowledge == 2.0);
    assert_true(s.all.median_hours_answer == 20.0);
    assert_int_equal(s.all.rated, 2);
    assert_int_equal(s.all.satisfied, 1);
    assert_int_equal(s.all.score_count[5], 2); /* overall */
    assert_true(s.all.score_sum[5] == 5.0);
    assert_int_equal(s.all.score_count[0], 1); /* timeliness */
    assert_int_equal(s.all.score_count[2], 0); /* courtesy 9 is out of range */
    arena_free(a);
}

static void test_split_by_sex(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct case_stat_list l = {rows, sizeof rows / sizeof rows[0]};
    struct office_stats s;
    stats_compute(a, &l, NOW, &s);
    assert_string_equal(stats_sex_groups[4], "not_given");
    assert_int_equal(s.by_sex[0].total, 2); /* female */
    assert_true(s.by_sex[0].median_hours_acknowledge == 2.0);
    assert_true(s.by_sex[0].median_hours_answer < 0); /* none answered */
    assert_int_equal(s.by_sex[0].overdue, 1);
    assert_int_equal(s.by_sex[1].total, 1); /* male */
    assert_true(s.by_sex[1].median_hours_answer == 30.0);
    assert_int_equal(s.by_sex[2].total, 1); /* other */
    assert_int_equal(s.by_sex[3].total, 0); /* unsaid */
    assert_true(s.by_sex[3].median_hours_acknowledge < 0);
    assert_int_equal(s.by_sex[4].total, 1); /* not given */
    assert_int_equal(s.by_sex[4].rated, 1);
    assert_int_equal(s.by_sex[4].satisfied, 0);
    arena_free(a);
}

static void test_no_cases(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct case_stat_list l = {NULL, 0};
    struct office_stats s;
    stats_compute(a, &l, NOW, &s);
    assert_int_equal(s.all.total, 0);
    assert_true(s.all.median_hours_acknowledge < 0 && s.all.median_hours_answer < 0);
    arena_free(a);
}

static void test_overdue_rule(void **state)
{
    (void)state;
    assert_true(stats_overdue("submitted", "2026-03-01T00:00:00Z", NULL, NOW));
    assert_false(stats_overdue("submitted", "2026-03-30T00:00:00Z", NULL, NOW));
    assert_true(stats_overdue("in_progress", "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z", NOW));
    assert_false(stats_overdue("acknowledged", "2026-03-01T00:00:00Z", NULL, NOW));
    assert_false(stats_overdue("answered", "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z", NOW));
    assert_false(stats_overdue("rejected", "2026-03-01T00:00:00Z", NULL, NOW));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_office),
        cmocka_unit_test(test_split_by_sex),
        cmocka_unit_test(test_no_cases),
        cmocka_unit_test(test_overdue_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
