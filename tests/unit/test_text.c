/* Unit tests for core/text: UTF-8 validation (Khmer, overlongs, surrogates, truncation,
 * code points past U+10FFFF), the search fold (case, Latin accents, spaces, invisible
 * characters; Khmer kept), LIKE escaping and the digits predicate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/text.h"
#include "core/banned.h"

#define VALID(lit)   assert_true(text_utf8_valid(lit, sizeof(lit) - 1))
#define INVALID(lit) assert_false(text_utf8_valid(lit, sizeof(lit) - 1))

static void test_utf8_valid(void **state)
{
    assert_true(text_utf8_valid("", 0));
    assert_true(text_utf8_valid(NULL, 0));
    VALID("plain ASCII, 123 ~");
    VALID("ភ្នំពេញ");
    VALID("Kratié");
    VALID("\xC2\x80");         /* U+0080, the smallest two-byte form */
    VALID("\xDF\xBF");         /* U+07FF */
    VALID("\xE0\xA0\x80");     /* U+0800, the smallest three-byte form */
    VALID("\xED\x9F\xBF");     /* U+D7FF, just below the surrogates */
    VALID("\xEE\x80\x80");     /* U+E000, just above them */
    VALID("\xEF\xBF\xBF");     /* U+FFFF */
    VALID("\xF0\x90\x80\x80"); /* U+10000, the smallest four-byte form */
    VALID("\xF0\x9F\x98\x80"); /* an emoji */
    VALID("\xF4\x8F\xBF\xBF"); /* U+10FFFF, the last code point */
    VALID("a\0b");             /* NUL is a valid code point; the length decides */
}

static void test_utf8_overlong(void **state)
{
    INVALID("\xC0\x80");         /* NUL in two bytes */
    INVALID("\xC0\xAF");         /* '/' in two bytes */
    INVALID("\xC1\xBF");         /* U+007F in two bytes */
    INVALID("\xE0\x80\xAF");     /* '/' in three bytes */
    INVALID("\xE0\x9F\xBF");     /* U+07FF in three bytes */
    INVALID("\xF0\x80\x80\xAF"); /* '/' in four bytes */
    INVALID("\xF0\x8F\xBF\xBF"); /* U+FFFF in four bytes */
}

static void test_utf8_surrogates(void **state)
{
    INVALID("\xED\xA0\x80");             /* U+D800 */
    INVALID("\xED\xAD\xBF");             /* U+DB7F */
    INVALID("\xED\xB0\x80");             /* U+DC00 */
    INVALID("\xED\xBF\xBF");             /* U+DFFF */
    INVALID("\xED\xA0\xBD\xED\xB8\x80"); /* a CESU-8 pair */
}

static void test_utf8_truncated(void **state)
{
    const char *khmer = "ភ្នំពេញ";
    size_t len = strlen(khmer);
    assert_true(text_utf8_valid(khmer, len));
    assert_false(text_utf8_valid(khmer, len - 1));
    assert_false(text_utf8_valid(khmer, len - 2));
    assert_true(text_utf8_valid(khmer, len - 3)); /* a whole letter fewer */
    assert_false(text_utf8_valid(khmer, 1));
    INVALID("\xE1\x9E");
    INVALID("\xC3");
    INVALID("\xF0\x9F\x98");
    INVALID("abc\xF0");
    INVALID("\xC3\x28"); /* a lead byte followed by ASCII */
    INVALID("\xE1\x9E\x41");
    INVALID("\x80"); /* a lone continuation byte */
    INVALID("a\xBF");
    INVALID("\xE1\x9E\x97\x97"); /* one continuation byte too many */
}

static void test_utf8_beyond_unicode(void **state)
{
    INVALID("\xF4\x90\x80\x80"); /* U+110000 */
    INVALID("\xF5\x80\x80\x80");
    INVALID("\xF7\xBF\xBF\xBF");     /* U+1FFFFF */
    INVALID("\xF8\x88\x80\x80\x80"); /* five-byte forms do not exist */
    INVALID("\xFC\x84\x80\x80\x80\x80");
    INVALID("\xFE");
    INVALID("\xFF");
}

/* ---- fold ----------------------------------------------------------------------------- */

static void expect_fold(const char *in, const char *want)
{
    struct buf b;
    buf_init(&b, 1024);
    text_fold(in, &b);
    assert_false(buf_failed(&b));
    assert_string_equal(buf_cstr(&b), want);
    assert_int_equal(b.len, strlen(want));
    buf_release(&b);
}

static void test_fold_case_and_accents(void **state)
{
    expect_fold("Kratié", "kratie");
    expect_fold("Takéo", "takeo");
    expect_fold("KRATIÉ", "kratie");
    expect_fold("Phnom Penh", "phnom penh");
    expect_fold("ÀÁÂÃÄÅ àáâãäå Çç ÈÉÊË Ñ ÒÓÔÕÖ ÙÚÛÜ Ýýÿ", "aaaaaa aaaaaa cc eeee n ooooo uuuu yyy");
    expect_fold("Road 271, #12-B", "road 271, #12-b");
    expect_fold("", "");
}

static void test_fold_spaces(void **state)
{
    expect_fold("  Phnom   Penh ", "phnom penh");
    expect_fold("Siem\t\nReap\r\n", "siem reap");
    expect_fold("Siem\xC2\xA0Reap\xC2\xA0", "siem reap"); /* no-break spaces */
    expect_fold("   ", "");
    expect_fold(" a ", "a");
}

static void test_fold_invisible(void **state)
{
    /* U+200B zero-width space between Khmer words */
    expect_fold("ភ្នំ\xE2\x80\x8Bពេញ", "ភ្នំពេញ");
    expect_fold("\xE2\x80\x8Bភ្នំពេញ\xE2\x80\x8B", "ភ្នំពេញ");
    /* joiners, the BOM and the soft hyphen go too */
    expect_fold("ក\xE2\x80\x8C\xE2\x80\x8Dខ", "កខ");
    expect_fold("\xEF\xBB\xBFKampot", "kampot");
    expect_fold("Kam\xC2\xADpot", "kampot");
    /* an invisible character between spaces leaves one space */
    expect_fold("a \xE2\x80\x8B b", "a b");
    expect_fold("\xE2\x80\x8B", "");
}

static void test_fold_khmer_unchanged(void **state)
{
    expect_fold("ភ្នំពេញ", "ភ្នំពេញ");
    expect_fold("ខេត្តក្រចេះ", "ខេត្តក្រចេះ");
    expect_fold("១២៣", "១២៣"); /* Khmer digits stay */
    expect_fold("Phnom Penh ភ្នំពេញ", "phnom penh ភ្នំពេញ");
    expect_fold("  ភ្នំ   ពេញ  ", "ភ្នំ ពេញ");
}

/* The fold respects the buffer's maximum: a sticky failure, the part that fitted kept. */
static void test_fold_bounded(void **state)
{
    struct buf b;
    buf_init(&b, 4);
    text_fold("Kampot", &b);
    assert_true(buf_failed(&b));
    assert_string_equal(buf_cstr(&b), "kamp");
    buf_release(&b);
}

/* ---- LIKE escaping and digits --------------------------------------------------------- */

static void expect_escape(const char *in, const char *want)
{
    struct buf b;
    buf_init(&b, 256);
    text_like_escape(in, &b);
    assert_false(buf_failed(&b));
    assert_string_equal(buf_cstr(&b), want);
    buf_release(&b);
}

static void test_like_escape(void **state)
{
    expect_escape("plain", "plain");
    expect_escape("", "");
    expect_escape("50%", "50\\%");
    expect_escape("a_b", "a\\_b");
    expect_escape("back\\slash", "back\\\\slash");
    expect_escape("%_\\", "\\%\\_\\\\");
    expect_escape("%%", "\\%\\%");
    expect_escape("ភ្នំ%ពេញ", "ភ្នំ\\%ពេញ");
    expect_escape("'quote\"", "'quote\"");
}

static void test_is_digits(void **state)
{
    assert_true(text_is_digits("0", 10));
    assert_true(text_is_digits("0123456789", 10));
    assert_true(text_is_digits("123", 3)); /* exactly max */
    assert_false(text_is_digits("1234", 3));
    assert_false(text_is_digits("1", 0));
    assert_false(text_is_digits("", 10));
    assert_false(text_is_digits("12a", 10));
    assert_false(text_is_digits("a12", 10));
    assert_false(text_is_digits("-1", 10));
    assert_false(text_is_digits("+1", 10));
    assert_false(text_is_digits(" 1", 10));
    assert_false(text_is_digits("1 ", 10));
    assert_false(text_is_digits("1.5", 10));
    assert_false(text_is_digits("១២៣", 10));          /* Khmer digits */
    assert_false(text_is_digits("\xEF\xBC\x91", 10)); /* fullwidth 1 */
}

static void test_prefix_end(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    assert_string_equal(text_prefix_end(a, "12"), "13");
    assert_string_equal(text_prefix_end(a, "1209"), "120:");
    assert_string_equal(text_prefix_end(a, "1\xff"), "2");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefix_end),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_overlong),
        cmocka_unit_test(test_utf8_surrogates),
        cmocka_unit_test(test_utf8_truncated),
        cmocka_unit_test(test_utf8_beyond_unicode),
        cmocka_unit_test(test_fold_case_and_accents),
        cmocka_unit_test(test_fold_spaces),
        cmocka_unit_test(test_fold_invisible),
        cmocka_unit_test(test_fold_khmer_unchanged),
        cmocka_unit_test(test_fold_bounded),
        cmocka_unit_test(test_like_escape),
        cmocka_unit_test(test_is_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
