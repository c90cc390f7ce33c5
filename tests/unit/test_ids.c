/* Unit tests for core/ids: request IDs are 16 lowercase hex characters, tokens are 43
 * URL-safe base64 characters carrying 32 random bytes and never repeat, and ids_token_valid
 * accepts exactly that shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/ids.h"
#include "core/banned.h"

static int group_setup(void **state)
{
    return sodium_init() < 0 ? -1 : 0;
}

static bool url_safe(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

static void test_request_id_shape(void **state)
{
    for (int i = 0; i < 100; i++) {
        char id[IDS_REQUEST_LEN + 2];
        memset(id, 'Z', sizeof id);
        ids_request(id);
        assert_int_equal(strlen(id), 16);
        assert_int_equal(IDS_REQUEST_LEN, 16);
        for (size_t j = 0; j < 16; j++)
            assert_true((id[j] >= '0' && id[j] <= '9') || (id[j] >= 'a' && id[j] <= 'f'));
        assert_int_equal(id[IDS_REQUEST_LEN + 1], 'Z'); /* nothing past the terminator */
    }
}

static void test_request_ids_differ(void **state)
{
    char a[IDS_REQUEST_LEN + 1], b[IDS_REQUEST_LEN + 1];
    ids_request(a);
    ids_request(b);
    assert_string_not_equal(a, b);
}

static void test_token_shape(void **state)
{
    for (int i = 0; i < 100; i++) {
        char t[IDS_TOKEN_LEN + 2];
        memset(t, 'Z', sizeof t);
        ids_token(t);
        assert_int_equal(strlen(t), 43);
        for (size_t j = 0; j < IDS_TOKEN_LEN; j++)
            assert_true(url_safe(t[j]));
        assert_int_equal(t[IDS_TOKEN_LEN + 1], 'Z');
        assert_true(ids_token_valid(t));

        /* it decodes back to 32 bytes */
        unsigned char raw[IDS_TOKEN_BYTES + 8];
        size_t raw_len = 0;
        assert_int_equal(sodium_base642bin(raw, sizeof raw, t, IDS_TOKEN_LEN, NULL, &raw_len, NULL,
                                           sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                         0);
        assert_int_equal(raw_len, IDS_TOKEN_BYTES);
    }
}

static void test_tokens_distinct(void **state)
{
    enum { N = 200 };
    static char tokens[N][IDS_TOKEN_LEN + 1];
    for (int i = 0; i < N; i++)
        ids_token(tokens[i]);
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            assert_string_not_equal(tokens[i], tokens[j]);
}

static void test_token_valid_accepts(void **state)
{
    char t[IDS_TOKEN_LEN + 1];
    memset(t, 'A', IDS_TOKEN_LEN);
    t[IDS_TOKEN_LEN] = '\0';
    assert_true(ids_token_valid(t));
    memset(t, '-', IDS_TOKEN_LEN);
    assert_true(ids_token_valid(t));
    memset(t, '_', IDS_TOKEN_LEN);
    assert_true(ids_token_valid(t));
    assert_true(ids_token_valid("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456"));
}

static void test_token_valid_rejects_lengths(void **state)
{
    char good[IDS_TOKEN_LEN + 1];
    ids_token(good);
    char t[IDS_TOKEN_LEN + 3];

    assert_false(ids_token_valid(""));
    assert_false(ids_token_valid("a"));

    memcpy(t, good, IDS_TOKEN_LEN - 1); /* 42 */
    t[IDS_TOKEN_LEN - 1] = '\0';
    assert_false(ids_token_valid(t));

    memcpy(t, good, IDS_TOKEN_LEN); /* 44 */
    t[IDS_TOKEN_LEN] = 'A';
    t[IDS_TOKEN_LEN + 1] = '\0';
    assert_false(ids_token_valid(t));

    t[IDS_TOKEN_LEN] = '='; /* padded base64 */
    assert_false(ids_token_valid(t));

    char longer[200];
    memset(longer, 'A', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_false(ids_token_valid(longer));
}

static void test_token_valid_rejects_characters(void **state)
{
    static const char bad[] = {'+', '/', '=', ' ', '.', '~', '%', '\n', '\t', '"', '\x80', '\xff'};
    char good[IDS_TOKEN_LEN + 1];
    ids_token(good);
    static const size_t positions[] = {0, 21, IDS_TOKEN_LEN - 1};
    for (size_t i = 0; i < sizeof bad; i++) {
        for (size_t p = 0; p < sizeof positions / sizeof positions[0]; p++) {
            char t[IDS_TOKEN_LEN + 1];
            memcpy(t, good, sizeof t);
            t[positions[p]] = bad[i];
            assert_false(ids_token_valid(t));
        }
    }
    /* a NUL inside makes it short */
    char t[IDS_TOKEN_LEN + 1];
    memcpy(t, good, sizeof t);
    t[10] = '\0';
    assert_false(ids_token_valid(t));
    /* Khmer letters are three bytes each, 43 bytes in all, and still not a token */
    assert_false(ids_token_valid("ភ្នំពេញភ្នំពេញA"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_id_shape),
        cmocka_unit_test(test_request_ids_differ),
        cmocka_unit_test(test_token_shape),
        cmocka_unit_test(test_tokens_distinct),
        cmocka_unit_test(test_token_valid_accepts),
        cmocka_unit_test(test_token_valid_rejects_lengths),
        cmocka_unit_test(test_token_valid_rejects_characters),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
