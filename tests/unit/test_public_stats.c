/* Unit tests for domain/public_stats: percentiles from day histograms, months, figures from
 * raw roll-up sums, and the hiding rule — a cell of 1–4 hidden, and hidden cells that a
 * total minus the shown cells would reveal protected by hiding more. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "domain/public_stats.h"
#include "core/banned.h"

static void test_percentiles(void **state)
{
    (void)state;
    long long hist[8] = {2, 3, 0, 0, 0, 5, 0, 0};         /* n = 10 */
    assert_int_equal(stats_percentile(hist, 8, 0.5), 1);  /* rank 5 */
    assert_int_equal(stats_percentile(hist, 8, 0.9), 5);  /* rank 9 */
    assert_int_equal(stats_percentile(hist, 8, 0.2), 0);  /* rank 2 */
    assert_int_equal(stats_percentile(hist, 8, 0.21), 1); /* rank 3 */
    long long none[3] = {0, 0, 0};
    assert_int_equal(stats_percentile(none, 3, 0.5), -1);
}

static void test_months(void **state)
{
    (void)state;
    assert_int_equal(stats_month_parse("2026-03"), 2026 * 12 + 2);
    assert_int_equal(stats_month_parse("2026-03-31"), 2026 * 12 + 2);
    assert_int_equal(stats_month_parse("2026-13"), -1);
    assert_int_equal(stats_month_parse("2026-02-30"), -1);
    assert_int_equal(stats_month_parse("26-03"), -1);
    char m[8], start[32];
    stats_month_format(2026 * 12 + 11, m);
    assert_string_equal(m, "2026-12");
    stats_month_start(2026 * 12 + 0, start); /* local midnight of 1 January */
    assert_string_equal(start, "2025-12-31T17:00:00Z");
    assert_int_equal(stats_month_of(1767200400 /* 2025-12-31T17:00:00Z */), 2026 * 12);
    assert_int_equal(stats_month_of(1767200399), 2025 * 12 + 11);
}

/* A table of `n` rows whose cases are `cases[i]` (one kind each: complaints), total the sum
 * plus `extra` cases no row holds. */
static struct public_row rows_buf[8];

static void table(struct public_stats *st, const long long *cases, size_t n, long long extra)
{
    memset(st, 0, sizeof *st);
    memset(rows_buf, 0, sizeof rows_buf);
    st->rows = rows_buf;
    st->count = n;
    for (size_t i = 0; i < n; i++) {
        rows_buf[i].f.count[CNT_CASES] = rows_buf[i].f.count[CNT_COMPLAINT] = cases[i];
        st->total.count[CNT_CASES] += cases[i];
    }
    st->total.count[CNT_CASES] += extra;
    st->total.count[CNT_COMPLAINT] = st->total.count[CNT_CASES];
}

static void test_small_cell_and_its_complement(void **state)
{
    (void)state;
    struct public_stats st;
    /* 10 / 6 / 4: the 4 is hidden; alone it would be 20 - 10 - 6, so the 6 goes too */
    table(&st, (long long[]){10, 6, 4}, 3, 0);
    public_stats_suppress(&st);
    assert_false(st.total.hidden[CNT_CASES]);
    assert_false(st.rows[0].f.hidden[CNT_CASES]);
    assert_true(st.rows[1].f.hidden[CNT_CASES]);
    assert_true(st.rows[2].f.hidden[CNT_CASES]);
    /* and the row's kind cells with it */
    assert_true(st.rows[2].f.hidden[CNT_COMPLAINT]);
    assert_true(st.rows[1].f.hidden[CNT_COMPLAINT]);
}

static void test_two_fours_are_not_enough(void **state)
{
    (void)state;
    struct public_stats st;
    /* 12 / 4 / 0 / 4: hiding both 4s leaves 8 over two cells of at most 4: both 4 */
    table(&st, (long long[]){12, 4, 0, 4}, 4, 0);
    public_stats_suppress(&st);
    assert_true(st.rows[0].f.hidden[CNT_CASES]);
    assert_true(st.rows[1].f.hidden[CNT_CASES]);
    assert_false(st.rows[2].f.hidden[CNT_CASES]); /* zero is shown */
    assert_true(st.rows[3].f.hidden[CNT_CASES]);
}

static void test_remainder_counts_as_a_cell(void **state)
{
    (void)state;
    struct public_stats st;
    /* the rows hold 30 + 20 of 53: the 3 left over would show; a row is hidden with it */
    table(&st, (long long[]){30, 20}, 2, 3);
    public_stats_suppress(&st);
    assert_false(st.rows[0].f.hidden[CNT_CASES]);
    assert_true(st.rows[1].f.hidden[CNT_CASES]);
    assert_false(st.total.hidden[CNT_CASES]);
}

static void test_small_total_hides_all(void **state)
{
    (void)state;
    struct public_stats st;
    table(&st, (long long[]){3, 0}, 2, 0);
    public_stats_suppress(&st);
    assert_true(st.total.hidden[CNT_CASES]);
    assert_true(st.rows[0].f.hidden[CNT_CASES]);
    assert_true(st.rows[1].f.hidden[CNT_CASES]); /* every row, as docs/statistics.md says */
}

static void test_within_a_row(void **state)
{
    (void)state;
    struct public_stats st;
    memset(&st, 0, sizeof st);
    struct public_figures *f = &st.total;
    f->count[CNT_CASES] = 10;
    f->count[CNT_COMPLAINT] = 3; /* hidden, and the support 7 with it */
    f->count[CNT_SUPPORT] = 7;
    f->count[CNT_OPEN] = 8; /* 2 not open would show: open is hidden */
    f->count[CNT_OVERCHARGED] = 0;
    public_stats_suppress(&st);
    assert_false(f->hidden[CNT_CASES]);
    assert_true(f->hidden[CNT_COMPLAINT]);
    assert_true(f->hidden[CNT_SUPPORT]);
    assert_false(f->hidden[CNT_INFORMATION]);
    assert_true(f->hidden[CNT_OPEN]);
    assert_true(f->hidden[CNT_OVERCHARGED]); /* its complaint total is hidden */
}

static void test_build_from_sums(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct stats_sums total_sums = {"", {0}};
    total_sums.count[SC_CASES] = 12;
    total_sums.count[SC_INFORMATION] = 12;
    total_sums.count[SC_TO_ANSWER] = 12;
    total_sums.count[SC_RESPONDED] = 9;
    total_sums.count[SC_RATED] = 4;
    total_sums.count[SC_SATISFIED] = 4;
    struct stats_delay delays[] = {{"", STATS_ANSWER, 2, 3}, {"", STATS_ANSWER, 9, 2}};
    struct stats_score scores[] = {{"", "overall", 5, 18}, {"", "courtesy", 4, 20}};
    struct stats_raw total = {&total_sums, 1, delays, 2, scores, 2};
    struct stats_sums row_sums[2] = {{"male", {0}}, {"female", {0}}};
    row_sums[0].count[SC_CASES] = row_sums[0].count[SC_INFORMATION] = 5;
    row_sums[1].count[SC_CASES] = row_sums[1].count[SC_INFORMATION] = 7;
    struct stats_raw rows = {row_sums, 2, NULL, 0, NULL, 0};
    const char *keys[] = {"female", "male", "other"};
    struct public_stats st;
    public_stats_build(a, &total, &rows, keys, 3, false, &st);
    assert_int_equal(st.total.count[CNT_CASES], 12);
    assert_true(st.total.response_rate > 0.749 && st.total.response_rate < 0.751);
    assert_true(st.total.satisfaction < 0); /* 4 ratings: not shown */
    assert_int_equal(st.total.answer_days.median, 2);
    assert_int_equal(st.total.answer_days.p90, 9);
    assert_int_equal(st.total.acknowledge_days.median, -1);
    assert_true(st.total.score[5] > 3.59 && st.total.score[5] < 3.61); /* overall 18/5 */
    assert_true(st.total.score[2] < 0);                                /* courtesy: 4 */
    assert_int_equal(st.count, 2);                                     /* "other" has no case */
    assert_string_equal(st.rows[0].key, "female");
    assert_int_equal(st.rows[0].f.count[CNT_CASES], 7);
    assert_string_equal(st.rows[1].key, "male");
    public_stats_build(a, &total, &rows, keys, 3, true, &st);
    assert_int_equal(st.count, 3);
    assert_int_equal(st.rows[2].f.count[CNT_CASES], 0);
    arena_free(a);
}

/* A wait longer than a year is not dropped: it counts as STATS_MAX_DAYS - 1 days. The delay
 * rows of one key may also come in several runs (the store sums per run); they add up. */
static void test_long_waits_and_split_runs(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct stats_sums sums = {"", {0}};
    sums.count[SC_CASES] = sums.count[SC_COMPLAINT] = 10;
    struct stats_delay delays[] = {{"", STATS_ACKNOWLEDGE, 1, 4},
                                   {"", STATS_ACKNOWLEDGE, 400, 5},
                                   {"", STATS_ACKNOWLEDGE, 1, 1},
                                   {"", STATS_ANSWER, 900, 6}};
    struct stats_raw total = {&sums, 1, delays, 4, NULL, 0};
    struct public_stats st;
    public_stats_build(a, &total, NULL, NULL, 0, false, &st);
    assert_int_equal(st.total.acknowledge_days.median, 1); /* 5 of 10 within a day */
    assert_int_equal(st.total.acknowledge_days.p90, STATS_MAX_DAYS - 1);
    assert_int_equal(st.total.answer_days.median, STATS_MAX_DAYS - 1);
    assert_int_equal(stats_days_bucket(-1), -1);
    assert_int_equal(stats_days_bucket(365), 365);
    assert_int_equal(stats_days_bucket(10000), 365);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentiles),
        cmocka_unit_test(test_months),
        cmocka_unit_test(test_small_cell_and_its_complement),
        cmocka_unit_test(test_two_fours_are_not_enough),
        cmocka_unit_test(test_remainder_counts_as_a_cell),
        cmocka_unit_test(test_small_total_hides_all),
        cmocka_unit_test(test_within_a_row),
        cmocka_unit_test(test_build_from_sums),
        cmocka_unit_test(test_long_waits_and_split_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
