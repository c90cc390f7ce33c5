/* Unit tests for core/buf, the bounded buffer: appends and printf keep the content
 * NUL-terminated; passing the maximum sets a sticky error and keeps what came before;
 * reset clears content and error; detach hands the data over and leaves an empty buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/banned.h"

static void test_empty(void **state)
{
    struct buf b;
    buf_init(&b, 100);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.max, 100);
    assert_false(buf_failed(&b));
    assert_non_null(buf_cstr(&b));
    assert_string_equal(buf_cstr(&b), "");
    buf_release(&b);
    assert_string_equal(buf_cstr(&b), "");
}

static void test_appends(void **state)
{
    struct buf b;
    buf_init(&b, 100);
    buf_adds(&b, "abc");
    buf_addc(&b, 'd');
    buf_add(&b, "efgh", 2);
    buf_add(&b, "zzz", 0);
    buf_adds(&b, "");
    assert_false(buf_failed(&b));
    assert_int_equal(b.len, 6);
    assert_string_equal(buf_cstr(&b), "abcdef");
    assert_int_equal(b.data[b.len], '\0');

    /* bytes, not strings: an embedded NUL is kept and counted */
    buf_add(&b, "x\0y", 3);
    assert_int_equal(b.len, 9);
    assert_memory_equal(b.data, "abcdefx\0y", 10);
    buf_release(&b);
}

/* Growing across many reallocations keeps every byte. */
static void test_growth(void **state)
{
    struct buf b;
    buf_init(&b, 10000);
    for (int i = 0; i < 5000; i++)
        buf_addc(&b, (char)('a' + i % 26));
    assert_false(buf_failed(&b));
    assert_int_equal(b.len, 5000);
    assert_true(b.cap >= b.len + 1);
    assert_true(b.cap <= b.max + 1);
    for (int i = 0; i < 5000; i++)
        assert_int_equal(b.data[i], 'a' + i % 26);
    assert_int_equal(b.data[5000], '\0');
    buf_release(&b);
}

static void test_printf(void **state)
{
    struct buf b;
    buf_init(&b, 1000);
    buf_addf(&b, "%d-%s", 42, "x");
    assert_string_equal(buf_cstr(&b), "42-x");
    buf_addf(&b, "|%05.2f|%c|%%", 3.14159, 'k');
    assert_string_equal(buf_cstr(&b), "42-x|03.14|k|%");
    buf_addf(&b, "%s", "");
    assert_string_equal(buf_cstr(&b), "42-x|03.14|k|%");
    /* output that forces a reallocation in the middle of formatting */
    buf_addf(&b, "%200s", "end");
    assert_false(buf_failed(&b));
    assert_int_equal(b.len, 14 + 200);
    assert_string_equal(b.data + b.len - 3, "end");
    assert_int_equal(b.data[14], ' ');
    buf_release(&b);
}

/* Filling the buffer to exactly the maximum is fine; one more byte fails. */
static void test_max_exact(void **state)
{
    struct buf b;
    buf_init(&b, 8);
    buf_adds(&b, "12345678");
    assert_false(buf_failed(&b));
    assert_int_equal(b.len, 8);
    assert_string_equal(buf_cstr(&b), "12345678");
    buf_addc(&b, '9');
    assert_true(buf_failed(&b));
    assert_int_equal(b.len, 8);
    assert_string_equal(buf_cstr(&b), "12345678");
    buf_release(&b);
}

/* Once failed, appends that would fit are refused too: the content stays what it was. */
static void test_max_sticky(void **state)
{
    struct buf b;
    buf_init(&b, 10);
    buf_adds(&b, "hello");
    buf_adds(&b, "world!"); /* 11 bytes > 10 */
    assert_true(buf_failed(&b));
    assert_string_equal(buf_cstr(&b), "hello");
    assert_int_equal(b.len, 5);

    buf_addc(&b, 'x');
    buf_adds(&b, "ab");
    buf_add(&b, "cd", 2);
    buf_addf(&b, "%d", 1);
    assert_true(buf_failed(&b));
    assert_string_equal(buf_cstr(&b), "hello");
    assert_int_equal(b.len, 5);
    buf_release(&b);
}

static void test_printf_past_max(void **state)
{
    struct buf b;
    buf_init(&b, 6);
    buf_adds(&b, "ab");
    buf_addf(&b, "%s", "toolong");
    assert_true(buf_failed(&b));
    assert_string_equal(buf_cstr(&b), "ab");
    buf_release(&b);

    buf_init(&b, 6);
    buf_addf(&b, "%d", 123456);
    assert_false(buf_failed(&b));
    assert_string_equal(buf_cstr(&b), "123456");
    buf_addf(&b, "%d", 7);
    assert_true(buf_failed(&b));
    assert_string_equal(buf_cstr(&b), "123456");
    buf_release(&b);
}

/* A length so large that len + extra would wrap must fail, not wrap. */
static void test_huge_length(void **state)
{
    struct buf b;
    buf_init(&b, 100);
    buf_adds(&b, "abc");
    buf_add(&b, "x", SIZE_MAX);
    assert_true(buf_failed(&b));
    assert_string_equal(buf_cstr(&b), "abc");
    buf_release(&b);
}

static void test_max_zero(void **state)
{
    struct buf b;
    buf_init(&b, 0);
    buf_adds(&b, "");
    assert_false(buf_failed(&b));
    assert_string_equal(buf_cstr(&b), "");
    buf_addc(&b, 'a');
    assert_true(buf_failed(&b));
    assert_string_equal(buf_cstr(&b), "");
    buf_release(&b);
}

static void test_reset(void **state)
{
    struct buf b;
    buf_init(&b, 5);
    buf_adds(&b, "abcdefg");
    assert_true(buf_failed(&b));
    buf_reset(&b);
    assert_false(buf_failed(&b));
    assert_int_equal(b.len, 0);
    assert_string_equal(buf_cstr(&b), "");
    assert_int_equal(b.max, 5);

    buf_adds(&b, "abc");
    buf_reset(&b);
    assert_string_equal(buf_cstr(&b), "");
    buf_adds(&b, "abcde");
    assert_false(buf_failed(&b));
    assert_string_equal(buf_cstr(&b), "abcde");
    buf_addc(&b, 'f');
    assert_true(buf_failed(&b)); /* the maximum survives a reset */
    buf_release(&b);

    buf_init(&b, 5); /* reset of a buffer that never allocated */
    buf_reset(&b);
    assert_string_equal(buf_cstr(&b), "");
    buf_release(&b);
}

static void test_detach(void **state)
{
    struct buf b;
    buf_init(&b, 64);
    buf_addf(&b, "case %d", 7);
    size_t len = 0;
    char *s = buf_detach(&b, &len);
    assert_non_null(s);
    assert_string_equal(s, "case 7");
    assert_int_equal(len, 6);
    /* the buffer is empty and usable again, with the same maximum */
    assert_int_equal(b.len, 0);
    assert_null(b.data);
    assert_false(buf_failed(&b));
    assert_int_equal(b.max, 64);
    assert_string_equal(buf_cstr(&b), "");
    buf_adds(&b, "again");
    assert_string_equal(buf_cstr(&b), "again");
    assert_string_equal(s, "case 7"); /* the detached data is not shared */
    free(s);

    char *t = buf_detach(&b, NULL);
    assert_string_equal(t, "again");
    free(t);

    /* detaching an empty buffer gives an empty string the caller frees */
    char *e = buf_detach(&b, &len);
    assert_non_null(e);
    assert_string_equal(e, "");
    assert_int_equal(len, 0);
    free(e);
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),           cmocka_unit_test(test_appends),
        cmocka_unit_test(test_growth),          cmocka_unit_test(test_printf),
        cmocka_unit_test(test_max_exact),       cmocka_unit_test(test_max_sticky),
        cmocka_unit_test(test_printf_past_max), cmocka_unit_test(test_huge_length),
        cmocka_unit_test(test_max_zero),        cmocka_unit_test(test_reset),
        cmocka_unit_test(test_detach),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
