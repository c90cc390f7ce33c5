/* Unit tests for domain/totp: the RFC 6238 SHA1 test vectors (8 digits straight from liboath,
 * 6 digits through totp_code), base32 against RFC 4648's vectors, the enrolment URI, the
 * ±1-step window, malformed codes, and a secret sealed and unsealed as sign-in does it.
 * The code helpers here are the only way to compute a code for an account: there is no
 * command that prints one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <liboath/oath.h>
#include <sodium.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "domain/totp.h"
#include "core/banned.h"

/* RFC 6238 appendix B: the SHA1 seed is the ASCII string "12345678901234567890". */
static const unsigned char rfc_secret[] = "12345678901234567890";
#define RFC_LEN 20

static const struct {
    time_t t;
    const char *code8;
} rfc_vectors[] = {
    {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
    {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
};
#define NVECTORS (sizeof rfc_vectors / sizeof rfc_vectors[0])

/* Test-only helper: the 6-digit code of `secret` at `t`. */
static void code_at(const unsigned char *secret, size_t len, time_t t, char out[TOTP_DIGITS + 1])
{
    assert_int_equal(totp_code(secret, len, t, out), 0);
    assert_int_equal(strlen(out), TOTP_DIGITS);
}

static void test_rfc6238_vectors_8_digits(void **state)
{
    assert_int_equal(oath_init(), OATH_OK);
    for (size_t i = 0; i < NVECTORS; i++) {
        if (sizeof(time_t) < 8 && rfc_vectors[i].t > INT32_MAX)
            continue;
        char out[9];
        assert_int_equal(
            oath_totp_generate((const char *)rfc_secret, RFC_LEN, rfc_vectors[i].t, 30, 0, 8, out),
            OATH_OK);
        assert_string_equal(out, rfc_vectors[i].code8);
    }
}

static void test_rfc6238_vectors_6_digits(void **state)
{
    for (size_t i = 0; i < NVECTORS; i++) {
        char out[TOTP_DIGITS + 1];
        code_at(rfc_secret, RFC_LEN, rfc_vectors[i].t, out);
        assert_string_equal(out, rfc_vectors[i].code8 + 2);
        assert_true(totp_verify(rfc_secret, RFC_LEN, rfc_vectors[i].code8 + 2, rfc_vectors[i].t));
    }
}

static void test_code_keeps_leading_zeros(void **state)
{
    char out[TOTP_DIGITS + 1];
    code_at(rfc_secret, RFC_LEN, 1111111109, out); /* 07081804 */
    assert_string_equal(out, "081804");
    assert_true(totp_verify(rfc_secret, RFC_LEN, "081804", 1111111109));
    assert_false(totp_verify(rfc_secret, RFC_LEN, "81804", 1111111109));
}

static void test_window_one_step_each_side(void **state)
{
    const time_t t = 1234567890 + 7; /* 7 s into step 41152263 */
    const time_t start = t - t % TOTP_STEP_SECONDS;
    char code[TOTP_DIGITS + 1];
    code_at(rfc_secret, RFC_LEN, t, code);
    /* the whole current step, the previous and the next */
    assert_true(totp_verify(rfc_secret, RFC_LEN, code, start));
    assert_true(totp_verify(rfc_secret, RFC_LEN, code, start + 29));
    assert_true(totp_verify(rfc_secret, RFC_LEN, code, start - 30));
    assert_true(totp_verify(rfc_secret, RFC_LEN, code, start - 1));
    assert_true(totp_verify(rfc_secret, RFC_LEN, code, start + 30));
    assert_true(totp_verify(rfc_secret, RFC_LEN, code, start + 59));
    /* two steps away is refused */
    assert_false(totp_verify(rfc_secret, RFC_LEN, code, start - 31));
    assert_false(totp_verify(rfc_secret, RFC_LEN, code, start + 60));
    assert_false(totp_verify(rfc_secret, RFC_LEN, code, start + 3600));
}

static void test_window_near_the_epoch(void **state)
{
    char code[TOTP_DIGITS + 1];
    code_at(rfc_secret, RFC_LEN, 0, code);
    assert_true(totp_verify(rfc_secret, RFC_LEN, code, 0));
    assert_true(totp_verify(rfc_secret, RFC_LEN, code, 59));
    assert_false(totp_verify(rfc_secret, RFC_LEN, code, 60));
    assert_int_equal(totp_code(rfc_secret, RFC_LEN, -1, code), -1);
}

static void test_malformed_codes_refused(void **state)
{
    const time_t t = 59;
    assert_true(totp_verify(rfc_secret, RFC_LEN, "287082", t));
    static const char *const bad[] = {
        "",         "28708",  "2870820", "94287082", /* the right 8-digit code */
        "87082",    "28708a", "abcdef",  "ABCDEF",   " 287082",      "287082 ",
        "287082\n", "+28708", "-28708",  "28 708",   "２８７０８２", "2870８2",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(totp_verify(rfc_secret, RFC_LEN, bad[i], t));
    assert_false(totp_verify(rfc_secret, RFC_LEN, NULL, t));
}

static void test_wrong_secret_refused(void **state)
{
    char code[TOTP_DIGITS + 1];
    code_at(rfc_secret, RFC_LEN, 59, code);
    unsigned char other[TOTP_SECRET_BYTES];
    memcpy(other, rfc_secret, sizeof other);
    other[0] ^= 1;
    assert_false(totp_verify(other, sizeof other, code, 59));
    assert_false(totp_verify(rfc_secret, 0, code, 59));
    assert_false(totp_verify(NULL, RFC_LEN, code, 59));
    assert_int_equal(totp_code(rfc_secret, 0, 59, code), -1);
    assert_string_equal(code, "");
}

static void test_new_secret_is_random(void **state)
{
    unsigned char a[TOTP_SECRET_BYTES], b[TOTP_SECRET_BYTES], zero[TOTP_SECRET_BYTES] = {0};
    assert_int_equal(totp_new_secret(a), 0);
    assert_int_equal(totp_new_secret(b), 0);
    assert_memory_not_equal(a, b, sizeof a);
    assert_memory_not_equal(a, zero, sizeof a);
}

static void test_base32_rfc4648(void **state)
{
    static const struct {
        const char *in, *out;
    } v[] = {{"", ""},
             {"f", "MY"},
             {"fo", "MZXQ"},
             {"foo", "MZXW6"},
             {"foob", "MZXW6YQ"},
             {"fooba", "MZXW6YTB"},
             {"foobar", "MZXW6YTBOI"}};
    struct arena *a = arena_new();
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        assert_string_equal(totp_base32(a, (const unsigned char *)v[i].in, strlen(v[i].in)),
                            v[i].out);
    assert_string_equal(totp_base32(a, rfc_secret, RFC_LEN), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    /* liboath decodes what we encode */
    unsigned char secret[TOTP_SECRET_BYTES];
    assert_int_equal(totp_new_secret(secret), 0);
    const char *b32 = totp_base32(a, secret, sizeof secret);
    assert_int_equal(strlen(b32), 32);
    char *back = NULL;
    size_t back_len = 0;
    assert_int_equal(oath_base32_decode(b32, strlen(b32), &back, &back_len), OATH_OK);
    assert_int_equal(back_len, sizeof secret);
    assert_memory_equal(back, secret, sizeof secret);
    free(back);
    arena_free(a);
}

static void test_uri(void **state)
{
    struct arena *a = arena_new();
    assert_string_equal(totp_uri(a, "ombudsman.1201", rfc_secret, RFC_LEN),
                        "otpauth://totp/Our%20Voice:ombudsman.1201"
                        "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Our%20Voice"
                        "&algorithm=SHA1&digits=6&period=30");
    /* anything outside RFC 3986's unreserved set is escaped */
    const char *uri = totp_uri(a, "a b:c/d?e&f%", rfc_secret, RFC_LEN);
    assert_non_null(strstr(uri, "Our%20Voice:a%20b%3Ac%2Fd%3Fe%26f%25?secret="));
    arena_free(a);
}

/* What `ourvoice user` stores and what sign-in (api/auth.c) reads back: the raw secret
 * sealed, the plain length being sealed length - CRYPTO_SEAL_OVERHEAD. */
static void test_sealed_secret_round_trip(void **state)
{
    char dir[] = "/tmp/ourvoice-totp-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/keys", dir);
    const char *err = NULL;
    assert_int_equal(crypto_init(), 0);
    assert_int_equal(crypto_keys_load(path, true, &err), 0);

    struct arena *a = arena_new();
    unsigned char secret[TOTP_SECRET_BYTES];
    assert_int_equal(totp_new_secret(secret), 0);
    size_t sealed_len;
    unsigned char *sealed = crypto_seal(a, secret, sizeof secret, &sealed_len);
    assert_int_equal(sealed_len, sizeof secret + CRYPTO_SEAL_OVERHEAD);
    assert_memory_not_equal(sealed, secret, sizeof secret);

    time_t now = clock_now();
    char code[TOTP_DIGITS + 1];
    code_at(secret, sizeof secret, now, code);
    size_t len = sealed_len - CRYPTO_SEAL_OVERHEAD;
    char *plain = crypto_unseal(a, sealed, sealed_len);
    assert_non_null(plain);
    assert_true(totp_verify((unsigned char *)plain, len, code, now));
    /* a moved clock (as the API tests move it) moves the window with it */
    clock_set_offset(3600);
    assert_false(totp_verify((unsigned char *)plain, len, code, clock_now()));
    clock_set_offset(0);
    sodium_memzero(secret, sizeof secret);

    arena_free(a);
    crypto_keys_release();
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6238_vectors_8_digits),
        cmocka_unit_test(test_rfc6238_vectors_6_digits),
        cmocka_unit_test(test_code_keeps_leading_zeros),
        cmocka_unit_test(test_window_one_step_each_side),
        cmocka_unit_test(test_window_near_the_epoch),
        cmocka_unit_test(test_malformed_codes_refused),
        cmocka_unit_test(test_wrong_secret_refused),
        cmocka_unit_test(test_new_secret_is_random),
        cmocka_unit_test(test_base32_rfc4648),
        cmocka_unit_test(test_uri),
        cmocka_unit_test(test_sealed_secret_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
