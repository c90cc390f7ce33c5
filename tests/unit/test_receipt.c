/* Unit tests for domain/receipt: new receipts are 16 random ASCII digits; the format groups
 * them in fours with dashes; the parser takes ASCII or Khmer digits with any spaces and
 * dashes, and refuses 15 or 17 digits, letters, other scripts' digits, broken UTF-8 and
 * text over RECEIPT_TEXT_MAX bytes. Results go to heap buffers of the exact size, so that
 * the sanitizer build catches a write past them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "domain/receipt.h"
#include "core/banned.h"

static int group_setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* receipt_parse into an exact-size buffer; the digits are copied to `out` on success. */
static int parse(const char *text, char out[RECEIPT_DIGITS + 1])
{
    char *digits = malloc(RECEIPT_DIGITS + 1);
    assert_non_null(digits);
    int rc = receipt_parse(text, digits);
    if (rc == 0) {
        assert_int_equal(digits[RECEIPT_DIGITS], '\0');
        memcpy(out, digits, RECEIPT_DIGITS + 1);
    }
    free(digits);
    return rc;
}

static void assert_parses_to(const char *text, const char *want)
{
    char got[RECEIPT_DIGITS + 1];
    assert_int_equal(parse(text, got), 0);
    assert_string_equal(got, want);
}

static void assert_refused(const char *text)
{
    char got[RECEIPT_DIGITS + 1];
    assert_int_equal(parse(text, got), -1);
}

/* ---- receipt_new ---- */

static void new_is_sixteen_ascii_digits(void **state)
{
    (void)state;
    char *digits = malloc(RECEIPT_DIGITS + 1);
    assert_non_null(digits);
    receipt_new(digits);
    assert_int_equal(strlen(digits), RECEIPT_DIGITS);
    assert_true(all_digits(digits, RECEIPT_DIGITS));
    free(digits);
}

static void new_receipts_differ_and_use_every_digit(void **state)
{
    (void)state;
    char first[RECEIPT_DIGITS + 1], next[RECEIPT_DIGITS + 1];
    int seen[10] = {0};
    receipt_new(first);
    for (int i = 0; i < 200; i++) {
        receipt_new(next);
        assert_string_not_equal(first, next); /* 1 in 10^16 */
        for (int k = 0; k < RECEIPT_DIGITS; k++)
            seen[next[k] - '0']++;
    }
    for (int d = 0; d < 10; d++) /* 3200 draws: each digit about 320 times */
        assert_in_range(seen[d], 200, 440);
}

static void new_receipt_parses_back(void **state)
{
    (void)state;
    char digits[RECEIPT_DIGITS + 1];
    receipt_new(digits);
    assert_parses_to(digits, digits);
}

/* ---- receipt_format ---- */

static void format_groups_in_fours(void **state)
{
    (void)state;
    char *out = malloc(RECEIPT_DIGITS + 4);
    assert_non_null(out);
    receipt_format("1234567890123456", out);
    assert_string_equal(out, "1234-5678-9012-3456");
    assert_int_equal(strlen(out), RECEIPT_DIGITS + 3);
    receipt_format("0000000000000000", out);
    assert_string_equal(out, "0000-0000-0000-0000");
    free(out);
}

static void format_parses_back(void **state)
{
    (void)state;
    char digits[RECEIPT_DIGITS + 1], shown[RECEIPT_DIGITS + 4];
    for (int i = 0; i < 20; i++) {
        receipt_new(digits);
        receipt_format(digits, shown);
        assert_parses_to(shown, digits);
    }
}

/* ---- receipt_parse: accepted ---- */

static void parse_plain_digits(void **state)
{
    (void)state;
    assert_parses_to("1234567890123456", "1234567890123456");
    assert_parses_to("0000000000000000", "0000000000000000");
}

static void parse_with_dashes(void **state)
{
    (void)state;
    assert_parses_to("1234-5678-9012-3456", "1234567890123456");
    assert_parses_to("1-2-3-4-5-6-7-8-9-0-1-2-3-4-5-6", "1234567890123456");
    assert_parses_to("--1234567890123456--", "1234567890123456");
}

static void parse_with_spaces(void **state)
{
    (void)state;
    assert_parses_to("1234 5678 9012 3456", "1234567890123456");
    assert_parses_to("  1234 5678 9012 3456  ", "1234567890123456");
    assert_parses_to("12 34 - 56 78 -- 9012 3456", "1234567890123456");
}

static void parse_khmer_digits(void **state)
{
    (void)state;
    /* ០១២៣៤៥៦៧៨៩ are U+17E0..U+17E9 */
    assert_parses_to("\u17e1\u17e2\u17e3\u17e4\u17e5\u17e6\u17e7\u17e8"
                     "\u17e9\u17e0\u17e1\u17e2\u17e3\u17e4\u17e5\u17e6",
                     "1234567890123456");
    assert_parses_to("\u17e0\u17e0\u17e0\u17e0-\u17e9\u17e9\u17e9\u17e9-"
                     "\u17e5\u17e5\u17e5\u17e5-\u17e3\u17e3\u17e3\u17e3",
                     "0000999955553333");
    assert_parses_to("\u17e1\u17e2\u17e3\u17e4 \u17e5\u17e6\u17e7\u17e8 "
                     "\u17e9\u17e0\u17e1\u17e2 \u17e3\u17e4\u17e5\u17e6",
                     "1234567890123456");
}

static void parse_mixed_khmer_and_ascii(void **state)
{
    (void)state;
    assert_parses_to("1234-\u17e5\u17e6\u17e7\u17e8-9012-\u17e3\u17e4\u17e5\u17e6",
                     "1234567890123456");
    assert_parses_to("\u17e1"
                     "234567890123456",
                     "1234567890123456");
    assert_parses_to("123456789012345\u17e6", "1234567890123456"); /* Khmer digit last */
}

static void parse_at_the_length_limit(void **state)
{
    (void)state;
    char text[RECEIPT_TEXT_MAX + 1];
    memset(text, ' ', RECEIPT_TEXT_MAX);
    memcpy(text, "1234567890123456", RECEIPT_DIGITS);
    text[RECEIPT_TEXT_MAX] = '\0'; /* 64 bytes: the most a client may send */
    assert_parses_to(text, "1234567890123456");
}

/* ---- receipt_parse: refused ---- */

static void parse_refuses_wrong_digit_counts(void **state)
{
    (void)state;
    assert_refused("");
    assert_refused("   --  ");
    assert_refused("1");
    assert_refused("123456789012345");    /* 15 */
    assert_refused("1234-5678-9012-345"); /* 15, grouped */
    assert_refused("12345678901234567");  /* 17 */
    assert_refused("1234-5678-9012-3456-7");
    assert_refused("12345678901234561234567890123456"); /* two receipts */
    assert_refused("\u17e1\u17e2\u17e3\u17e4\u17e5\u17e6\u17e7\u17e8"
                   "\u17e9\u17e0\u17e1\u17e2\u17e3\u17e4\u17e5"); /* 15 Khmer */
    assert_refused("\u17e1\u17e2\u17e3\u17e4\u17e5\u17e6\u17e7\u17e8"
                   "\u17e9\u17e0\u17e1\u17e2\u17e3\u17e4\u17e5\u17e6\u17e7"); /* 17 Khmer */
    assert_refused("1234567890123456\u17e7"); /* 16 ASCII and a Khmer digit */
}

static void parse_refuses_letters_and_punctuation(void **state)
{
    (void)state;
    assert_refused("1234-5678-9012-345a");
    assert_refused("a1234567890123456");
    assert_refused("1234567890123456x");
    assert_refused("ABCD-EFGH-IJKL-MNOP");
    assert_refused("1234_5678_9012_3456");
    assert_refused("1234.5678.9012.3456");
    assert_refused("1234/5678/9012/3456");
    assert_refused("+1234567890123456");
    assert_refused("1234\t5678 9012 3456"); /* only spaces and dashes */
    assert_refused("1234567890123456\n");
    assert_refused("1234\u00a05678 9012 3456"); /* no-break space */
    assert_refused("1234\u20135678-9012-3456"); /* en dash */
}

static void parse_refuses_other_scripts_digits(void **state)
{
    (void)state;
    assert_refused("\uff11\uff12\uff13\uff14567890123456"); /* fullwidth */
    assert_refused("\u0661\u0662\u0663\u0664567890123456"); /* Arabic-Indic */
    assert_refused("\u0e51\u0e52\u0e53\u0e54567890123456"); /* Thai */
    assert_refused("\u17aa"
                   "234567890123456"); /* a Khmer letter, not a digit */
    assert_refused("\u17df"
                   "234567890123456"); /* just below the Khmer digits */
    assert_refused("\u17ea"
                   "234567890123456"); /* just above them */
    assert_refused("\u19e0"
                   "234567890123456"); /* Khmer symbols block */
}

static void parse_refuses_broken_utf8(void **state)
{
    (void)state;
    assert_refused("123456789012345\xe1\x9f"); /* a Khmer digit cut short */
    assert_refused("123456789012345\xe1");
    assert_refused("\xe1\x9f"
                   "1234567890123456");
    assert_refused("123456789012345\xe1\x9f\xa1\xa1"); /* a stray continuation byte */
    assert_refused("123456789012345\xc3\xa9");         /* é */
}

static void parse_refuses_overlong_input(void **state)
{
    (void)state;
    char text[RECEIPT_TEXT_MAX + 2];
    memset(text, ' ', RECEIPT_TEXT_MAX + 1);
    memcpy(text, "1234567890123456", RECEIPT_DIGITS);
    text[RECEIPT_TEXT_MAX + 1] = '\0'; /* 65 bytes, only 16 digits */
    assert_refused(text);

    char *big = malloc(100000);
    assert_non_null(big);
    memset(big, '-', 99999);
    memcpy(big + 50000, "1234567890123456", RECEIPT_DIGITS);
    big[99999] = '\0';
    assert_refused(big);
    free(big);

    /* 16 Khmer digits (48 bytes) and 17 spaces: 65 bytes */
    char khmer[RECEIPT_TEXT_MAX + 2];
    size_t n = 0;
    for (int i = 0; i < RECEIPT_DIGITS; i++) {
        memcpy(khmer + n, "\u17e7", 3);
        n += 3;
    }
    memset(khmer + n, ' ', 17);
    n += 17;
    khmer[n] = '\0';
    assert_int_equal(n, RECEIPT_TEXT_MAX + 1);
    assert_refused(khmer);
    khmer[n - 1] = '\0'; /* 64 bytes */
    assert_parses_to(khmer, "7777777777777777");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_is_sixteen_ascii_digits),
        cmocka_unit_test(new_receipts_differ_and_use_every_digit),
        cmocka_unit_test(new_receipt_parses_back),
        cmocka_unit_test(format_groups_in_fours),
        cmocka_unit_test(format_parses_back),
        cmocka_unit_test(parse_plain_digits),
        cmocka_unit_test(parse_with_dashes),
        cmocka_unit_test(parse_with_spaces),
        cmocka_unit_test(parse_khmer_digits),
        cmocka_unit_test(parse_mixed_khmer_and_ascii),
        cmocka_unit_test(parse_at_the_length_limit),
        cmocka_unit_test(parse_refuses_wrong_digit_counts),
        cmocka_unit_test(parse_refuses_letters_and_punctuation),
        cmocka_unit_test(parse_refuses_other_scripts_digits),
        cmocka_unit_test(parse_refuses_broken_utf8),
        cmocka_unit_test(parse_refuses_overlong_input),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
