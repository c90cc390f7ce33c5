/* Unit tests for core/workdays: weekdays and holidays, adding working days, deadlines in
 * Cambodian local time (UTC+7, so a Friday evening in UTC is already Saturday), the local
 * year, and the YYYY-MM-DD parser and formatter, invalid dates included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/workdays.h"
#include "core/banned.h"

static int32_t day(const char *s)
{
    int32_t d = INT32_MIN;
    assert_int_equal(workdays_parse_date(s, &d), 0);
    return d;
}

/* A UTC time, independent of the module under test. */
static time_t utc(int y, int mo, int d, int h, int mi, int s)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    return timegm(&tm);
}

static void expect_date(int32_t d, const char *want)
{
    char out[11];
    workdays_format_date(d, out);
    assert_string_equal(out, want);
}

/* Independence Day (Monday 9 November) and the Water Festival (23-25 November) of 2026,
 * plus a holiday that falls on a Saturday. */
static int32_t holiday_days[5];
static struct holidays holidays = {holiday_days, 5};

static int group_setup(void **state)
{
    static const char *const dates[] = {"2026-11-09", "2026-11-23", "2026-11-24", "2026-11-25",
                                        "2026-12-05"};
    for (size_t i = 0; i < 5; i++)
        if (workdays_parse_date(dates[i], &holiday_days[i]) < 0)
            return -1;
    return 0;
}

static void test_parse_known_days(void **state)
{
    assert_int_equal(day("1970-01-01"), 0);
    assert_int_equal(day("1970-01-02"), 1);
    assert_int_equal(day("1969-12-27"), -5);
    assert_int_equal(day("2000-02-29"), 11016);
    assert_int_equal(day("2026-11-28"), 20785);
    assert_int_equal(day("2026-11-28"), (int32_t)(utc(2026, 11, 28, 0, 0, 0) / 86400));
}

static void test_weekdays(void **state)
{
    assert_false(workdays_is_working(day("2026-11-28"), NULL)); /* Saturday */
    assert_false(workdays_is_working(day("2026-11-29"), NULL)); /* Sunday */
    assert_true(workdays_is_working(day("2026-11-27"), NULL));  /* Friday */
    assert_true(workdays_is_working(day("2026-11-30"), NULL));  /* Monday */

    /* a whole week, Monday 2026-11-30 to Sunday 2026-12-06 */
    static const bool week[7] = {true, true, true, true, true, false, false};
    int32_t monday = day("2026-11-30");
    for (int i = 0; i < 7; i++)
        assert_int_equal(workdays_is_working(monday + i, NULL), week[i]);
    /* the same pattern every week, far from the epoch */
    for (int w = -3000; w < 3000; w += 7)
        for (int i = 0; i < 7; i++)
            assert_int_equal(workdays_is_working(monday + w * 7 + i, NULL), week[i]);

    /* around the epoch: 1970-01-01 was a Thursday */
    assert_true(workdays_is_working(0, NULL));
    assert_true(workdays_is_working(1, NULL));   /* Friday */
    assert_false(workdays_is_working(2, NULL));  /* Saturday */
    assert_false(workdays_is_working(3, NULL));  /* Sunday */
    assert_true(workdays_is_working(4, NULL));   /* Monday */
    assert_true(workdays_is_working(-1, NULL));  /* Wednesday 1969-12-31 */
    assert_false(workdays_is_working(-4, NULL)); /* Sunday 1969-12-28 */
    assert_false(workdays_is_working(-5, NULL)); /* Saturday 1969-12-27 */
    assert_true(workdays_is_working(-6, NULL));  /* Friday 1969-12-26 */

    struct holidays none = {NULL, 0};
    assert_true(workdays_is_working(day("2026-11-09"), &none));
}

static void test_holidays(void **state)
{
    assert_false(workdays_is_working(day("2026-11-09"), &holidays));
    assert_false(workdays_is_working(day("2026-11-23"), &holidays));
    assert_false(workdays_is_working(day("2026-11-24"), &holidays));
    assert_false(workdays_is_working(day("2026-11-25"), &holidays));
    assert_true(workdays_is_working(day("2026-11-26"), &holidays));
    assert_true(workdays_is_working(day("2026-11-10"), &holidays));
    assert_true(workdays_is_working(day("2026-11-09"), NULL));
    assert_false(workdays_is_working(day("2026-12-05"), &holidays)); /* a Saturday anyway */
}

static void test_add(void **state)
{
    int32_t fri = day("2026-11-27"), sat = day("2026-11-28"), sun = day("2026-11-29"),
            mon = day("2026-11-30");
    assert_int_equal(workdays_add(fri, 0, NULL), fri);
    assert_int_equal(workdays_add(fri, 1, NULL), mon);
    assert_int_equal(workdays_add(fri, 5, NULL), day("2026-12-04"));
    assert_int_equal(workdays_add(sat, 0, NULL), mon);
    assert_int_equal(workdays_add(sun, 0, NULL), mon);
    assert_int_equal(workdays_add(sat, 1, NULL), day("2026-12-01"));
    assert_int_equal(workdays_add(sun, 1, NULL), day("2026-12-01"));
    assert_int_equal(workdays_add(mon, 4, NULL), day("2026-12-04"));
    assert_int_equal(workdays_add(mon, 5, NULL), day("2026-12-07"));
    assert_int_equal(workdays_add(day("2026-01-01"), 260, NULL), day("2026-12-31"));

    /* holidays are skipped like weekends */
    assert_int_equal(workdays_add(day("2026-11-20"), 1, &holidays), day("2026-11-26"));
    assert_int_equal(workdays_add(day("2026-11-21"), 0, &holidays), day("2026-11-26"));
    assert_int_equal(workdays_add(day("2026-11-06"), 1, &holidays), day("2026-11-10"));
    assert_int_equal(workdays_add(day("2026-11-06"), 1, NULL), day("2026-11-09"));
    /* a holiday on a Saturday costs nothing extra */
    assert_int_equal(workdays_add(day("2026-12-04"), 1, &holidays), day("2026-12-07"));
    struct holidays new_year = {(int32_t[]){day("2027-01-01")}, 1};
    assert_int_equal(workdays_add(day("2026-12-24"), 5, &new_year), day("2026-12-31"));
    assert_int_equal(workdays_add(day("2026-12-24"), 6, &new_year), day("2027-01-04"));
}

/* From a working day, exactly n working days lie in (start, result], and the result is one. */
static void test_add_counts(void **state)
{
    int32_t first = day("2026-10-01");
    for (int32_t start = first; start < first + 90; start++) {
        if (!workdays_is_working(start, &holidays))
            continue;
        for (int n = 0; n < 20; n++) {
            int32_t end = workdays_add(start, n, &holidays);
            assert_true(workdays_is_working(end, &holidays));
            int count = 0;
            for (int32_t d = start + 1; d <= end; d++)
                count += workdays_is_working(d, &holidays);
            assert_int_equal(count, n);
        }
    }
}

static void test_local_day(void **state)
{
    /* local midnight is 17:00 UTC the day before */
    assert_int_equal(workdays_local_day(utc(2026, 11, 27, 16, 59, 59)), day("2026-11-27"));
    assert_int_equal(workdays_local_day(utc(2026, 11, 27, 17, 0, 0)), day("2026-11-28"));
    assert_int_equal(workdays_local_day(utc(2026, 11, 27, 20, 0, 0)), day("2026-11-28"));
    assert_int_equal(workdays_local_day(utc(2026, 11, 28, 0, 0, 0)), day("2026-11-28"));
    /* before the epoch, days round down */
    assert_int_equal(workdays_local_day(0), 0);
    assert_int_equal(workdays_local_day(-7 * 3600), 0);
    assert_int_equal(workdays_local_day(-7 * 3600 - 1), -1);
    assert_int_equal(workdays_local_day(-7 * 3600 - 86400), -1);
    assert_int_equal(workdays_local_day(-7 * 3600 - 86400 - 1), -2);
}

static void test_deadline(void **state)
{
    time_t end_fri = utc(2026, 11, 27, 17, 0, 0); /* 24:00 local on Friday 27 */
    time_t end_mon = utc(2026, 11, 30, 17, 0, 0);
    time_t end_tue = utc(2026, 12, 1, 17, 0, 0);

    /* Friday 20:00 UTC is Saturday 03:00 in Phnom Penh: received on a day off */
    time_t fri_evening = utc(2026, 11, 27, 20, 0, 0);
    assert_int_equal(workdays_local_day(fri_evening), day("2026-11-28"));
    assert_int_equal(workdays_deadline(fri_evening, 0, NULL), end_mon);
    assert_int_equal(workdays_deadline(fri_evening, 1, NULL), end_mon);
    assert_int_equal(workdays_deadline(fri_evening, 2, NULL), end_tue);

    /* the same Friday, a minute before local midnight, is still a working day */
    time_t fri_late = utc(2026, 11, 27, 16, 59, 0);
    assert_int_equal(workdays_deadline(fri_late, 0, NULL), end_fri);
    assert_int_equal(workdays_deadline(fri_late, 1, NULL), end_mon);
    assert_int_equal(workdays_deadline(fri_late, 2, NULL), end_tue);

    /* Thursday 20:00 UTC is Friday morning locally: one working day runs to Monday, not to
     * Friday as it would in UTC */
    time_t thu_evening = utc(2026, 11, 26, 20, 0, 0);
    assert_int_equal(workdays_deadline(thu_evening, 1, NULL), end_mon);
    assert_int_equal(workdays_deadline(thu_evening, 0, NULL), end_fri);

    /* Sunday evening UTC is Monday locally */
    time_t sun_evening = utc(2026, 11, 29, 18, 0, 0);
    assert_int_equal(workdays_deadline(sun_evening, 0, NULL), end_mon);
    assert_int_equal(workdays_deadline(sun_evening, 1, NULL), end_tue);

    /* holidays: Friday 20 November, received after local midnight, and the Water Festival */
    time_t before_festival = utc(2026, 11, 20, 18, 0, 0); /* Saturday 21, 01:00 local */
    assert_int_equal(workdays_deadline(before_festival, 1, &holidays), utc(2026, 11, 26, 17, 0, 0));
    assert_int_equal(workdays_deadline(before_festival, 3, &holidays), utc(2026, 11, 30, 17, 0, 0));

    /* the deadline is always a local midnight, later than the start */
    for (time_t t = utc(2026, 11, 1, 0, 0, 0); t < utc(2026, 12, 31, 0, 0, 0); t += 3 * 3600 + 7) {
        time_t d = workdays_deadline(t, 3, &holidays);
        assert_true(d > t);
        assert_int_equal((d + WORKDAYS_TZ_OFFSET) % 86400, 0);
        assert_true(workdays_is_working(workdays_local_day(d - 1), &holidays));
    }
}

static void test_year(void **state)
{
    assert_int_equal(workdays_year(utc(2026, 12, 31, 16, 59, 59)), 2026);
    assert_int_equal(workdays_year(utc(2026, 12, 31, 17, 0, 0)), 2027);
    assert_int_equal(workdays_year(utc(2027, 1, 1, 0, 0, 0)), 2027);
    assert_int_equal(workdays_year(0), 1970);
}

static void test_parse_format_round_trip(void **state)
{
    static const char *const dates[] = {"1970-01-01", "1969-12-31", "1969-12-27", "2000-02-29",
                                        "2024-02-29", "2026-11-28", "2026-12-31", "2099-12-31",
                                        "1900-03-01", "2038-01-19", "2038-01-20", "9999-12-31"};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
        expect_date(day(dates[i]), dates[i]);

    /* every day from 1950 to 2150 formats and parses back to itself, one day apart */
    int32_t from = day("1950-01-01"), to = day("2150-12-31");
    for (int32_t d = from; d <= to; d++) {
        char s[11];
        workdays_format_date(d, s);
        int32_t back = INT32_MIN;
        assert_int_equal(workdays_parse_date(s, &back), 0);
        assert_int_equal(back, d);
    }
    assert_int_equal(to - from + 1, 73414); /* 201 years, 49 of them leap years */
}

static void test_parse_invalid(void **state)
{
    static const char *const bad[] = {
        "2026-02-30", "2026-02-29", "2100-02-29",   "2026-04-31",  "2026-13-01",
        "2026-00-10", "2026-01-00", "2026-01-32",   "2026-1-01",   "2026-01-1",
        "26-01-01",   "2026/01/01", "2026-01-01 ",  " 2026-01-01", "2026-01-01T00:00:00Z",
        "",           "20260101",   "2026-0a-01",   "+026-01-01",  "2026--1-01",
        "2026-01- 1", "abcd-ef-gh", "2026-11-28\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t d = 12345;
        assert_int_equal(workdays_parse_date(bad[i], &d), -1);
        assert_int_equal(d, 12345); /* untouched */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_known_days),
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_holidays),
        cmocka_unit_test(test_add),
        cmocka_unit_test(test_add_counts),
        cmocka_unit_test(test_local_day),
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_year),
        cmocka_unit_test(test_parse_format_round_trip),
        cmocka_unit_test(test_parse_invalid),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
