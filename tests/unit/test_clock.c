/* Unit tests for core/clock: RFC 3339 parsing (Z, offsets, fractions, and the malformed:
 * impossible days, missing zone, bad offsets), formatting and its round trip, the test
 * offset that moves clock_now(), and the monotonic clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/banned.h"

#define T_2026_11_28_1430Z ((time_t)1795876200)

static int reset_offset(void **state)
{
    clock_set_offset(0);
    return 0;
}

static time_t parsed(const char *s)
{
    time_t t = (time_t)-12345;
    assert_int_equal(clock_parse(s, &t), 0);
    return t;
}

static void test_parse_z(void **state)
{
    assert_int_equal(parsed("2026-11-28T14:30:00Z"), T_2026_11_28_1430Z);
    assert_int_equal(parsed("2026-11-28t14:30:00z"), T_2026_11_28_1430Z);
    assert_int_equal(parsed("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(parsed("2024-02-29T12:00:00Z"), 1709208000);
    assert_int_equal(parsed("2038-01-19T03:14:08Z"), (time_t)2147483648LL);
    assert_int_equal(parsed("2100-01-01T00:00:00Z"), (time_t)4102444800LL);
    assert_int_equal(parsed("2026-12-31T23:59:59Z"), parsed("2027-01-01T00:00:00Z") - 1);
}

static void test_parse_offsets(void **state)
{
    assert_int_equal(parsed("2026-11-28T21:30:00+07:00"), T_2026_11_28_1430Z);
    assert_int_equal(parsed("2026-11-28T09:00:00-05:30"), T_2026_11_28_1430Z);
    assert_int_equal(parsed("2026-11-28T14:30:00+00:00"), T_2026_11_28_1430Z);
    assert_int_equal(parsed("2026-11-28T14:30:00-00:00"), T_2026_11_28_1430Z);
    /* across midnight and the end of a year */
    assert_int_equal(parsed("2026-11-29T02:00:00+07:00"), parsed("2026-11-28T19:00:00Z"));
    assert_int_equal(parsed("2026-12-31T20:00:00-05:00"), parsed("2027-01-01T01:00:00Z"));
    assert_int_equal(parsed("2027-01-01T05:00:00+07:00"), parsed("2026-12-31T22:00:00Z"));
    assert_int_equal(parsed("2026-11-28T14:30:00+23:59"), T_2026_11_28_1430Z - 23 * 3600 - 59 * 60);
}

static void test_parse_fractions(void **state)
{
    assert_int_equal(parsed("2026-11-28T14:30:00.5Z"), T_2026_11_28_1430Z);
    assert_int_equal(parsed("2026-11-28T14:30:00.999999999Z"), T_2026_11_28_1430Z);
    assert_int_equal(parsed("2026-11-28T14:30:00.000Z"), T_2026_11_28_1430Z);
    assert_int_equal(parsed("2026-11-28T21:30:00.123456+07:00"), T_2026_11_28_1430Z);
}

static void expect_invalid(const char *s)
{
    time_t t = (time_t)-12345;
    assert_int_equal(clock_parse(s, &t), -1);
    assert_int_equal(t, (time_t)-12345); /* untouched */
}

static void test_parse_bad_dates(void **state)
{
    expect_invalid("2026-02-30T10:00:00Z");
    expect_invalid("2026-02-29T10:00:00Z"); /* not a leap year */
    expect_invalid("2100-02-29T10:00:00Z");
    expect_invalid("2026-11-31T10:00:00Z");
    expect_invalid("2026-04-31T10:00:00+07:00");
    expect_invalid("2026-11-00T10:00:00Z");
    expect_invalid("2026-11-32T10:00:00Z");
    expect_invalid("2026-00-10T10:00:00Z");
    expect_invalid("2026-13-10T10:00:00Z");
    expect_invalid("2026-11-28T24:00:00Z");
    expect_invalid("2026-11-28T14:60:00Z");
    expect_invalid("2026-11-28T14:30:61Z");
    expect_invalid("2026-1a-28T14:30:00Z");
    expect_invalid("2026-11-2xT14:30:00Z");
    expect_invalid("20a6-11-28T14:30:00Z");
    expect_invalid("2026-11-28T1x:30:00Z");
}

static void test_parse_bad_zones(void **state)
{
    expect_invalid("2026-11-28T14:30:00");   /* missing zone */
    expect_invalid("2026-11-28T14:30:00.5"); /* missing zone after a fraction */
    expect_invalid("2026-11-28T14:30:00.Z"); /* empty fraction */
    expect_invalid("2026-11-28T14:30:00+7:00");
    expect_invalid("2026-11-28T14:30:00+0700");
    expect_invalid("2026-11-28T14:30:00+07");
    expect_invalid("2026-11-28T14:30:00+07:00:00");
    expect_invalid("2026-11-28T14:30:00+24:00");
    expect_invalid("2026-11-28T14:30:00+07:60");
    expect_invalid("2026-11-28T14:30:00+0a:00");
    expect_invalid("2026-11-28T14:30:00 07:00");
    expect_invalid("2026-11-28T14:30:00UTC");
    expect_invalid("2026-11-28T14:30:00Zx");
    expect_invalid("2026-11-28T14:30:00Z ");
    expect_invalid("2026-11-28T14:30:00ZZ");
}

static void test_parse_bad_shapes(void **state)
{
    expect_invalid("");
    expect_invalid("2026-11-28");
    expect_invalid("2026-11-28Z");
    expect_invalid("2026-11-28X14:30:00Z");
    expect_invalid("2026/11/28T14:30:00Z");
    expect_invalid("2026-11-28T14.30.00Z");
    expect_invalid("26-11-28T14:30:00Z");
    expect_invalid("2026-11-28T14:30Z");
    expect_invalid(" 2026-11-28T14:30:00Z");
    expect_invalid("not a time at all, no");
}

static void test_format(void **state)
{
    char out[21];
    clock_format(0, out, sizeof out);
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    clock_format(T_2026_11_28_1430Z, out, sizeof out);
    assert_string_equal(out, "2026-11-28T14:30:00Z");
    clock_format((time_t)2147483648LL, out, sizeof out);
    assert_string_equal(out, "2038-01-19T03:14:08Z");
    assert_int_equal(strlen(out), 20);
}

static void test_round_trip(void **state)
{
    static const char *const texts[] = {"1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z",
                                        "2026-11-28T14:30:00Z", "2099-12-31T00:00:01Z"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char out[21];
        clock_format(parsed(texts[i]), out, sizeof out);
        assert_string_equal(out, texts[i]);
    }
    for (time_t t = 0; t < (time_t)4102444800LL; t += 86400 * 37 + 3671) {
        char out[21];
        clock_format(t, out, sizeof out);
        assert_int_equal(parsed(out), t);
    }
    /* an offset form formats as the same instant in UTC */
    char out[21];
    clock_format(parsed("2026-11-29T02:00:00+07:00"), out, sizeof out);
    assert_string_equal(out, "2026-11-28T19:00:00Z");
}

static void test_offset_moves_now(void **state)
{
    clock_set_offset(0);
    assert_int_equal(clock_offset(), 0);
    time_t before = time(NULL);
    time_t now = clock_now();
    time_t after = time(NULL);
    assert_true(now >= before && now <= after);

    clock_set_offset(3 * 86400);
    assert_int_equal(clock_offset(), 3 * 86400);
    before = time(NULL);
    now = clock_now();
    after = time(NULL);
    assert_true(now >= before + 3 * 86400 && now <= after + 3 * 86400);

    clock_set_offset(-400LL * 86400);
    assert_int_equal(clock_offset(), -400LL * 86400);
    before = time(NULL);
    now = clock_now();
    after = time(NULL);
    assert_true(now >= before - 400 * 86400 && now <= after - 400 * 86400);

    clock_set_offset(0);
    before = time(NULL);
    now = clock_now();
    after = time(NULL);
    assert_true(now >= before && now <= after);
}

static void test_mono(void **state)
{
    uint64_t a = clock_mono_ns();
    struct timespec ts = {0, 2000000}; /* 2 ms */
    nanosleep(&ts, NULL);
    uint64_t b = clock_mono_ns();
    assert_true(b > a);
    assert_true(b - a >= 2000000);
    /* unaffected by the test offset */
    clock_set_offset(86400);
    uint64_t c = clock_mono_ns();
    assert_true(c >= b);
    assert_true(c - b < 86400ULL * 1000000000ULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_z),
        cmocka_unit_test(test_parse_offsets),
        cmocka_unit_test(test_parse_fractions),
        cmocka_unit_test(test_parse_bad_dates),
        cmocka_unit_test(test_parse_bad_zones),
        cmocka_unit_test(test_parse_bad_shapes),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test_teardown(test_offset_moves_now, reset_offset),
        cmocka_unit_test_teardown(test_mono, reset_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
