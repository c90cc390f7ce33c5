/* TOTP second factor (see totp.h). liboath computes the HOTP values; this file checks the
 * code's shape, walks the window and compares in constant time (oath_totp_validate() uses
 * strcmp and takes the digit count from the code it is given, so neither is left to it). */
#include "domain/totp.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "core/banned.h"

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_status = OATH_OK;

static void oath_start(void)
{
    oath_status = oath_init();
}

/* liboath's global initialisation, once per process whichever thread asks first. */
static bool oath_ready(void)
{
    pthread_once(&oath_once, oath_start);
    return oath_status == OATH_OK;
}

int totp_new_secret(unsigned char secret[TOTP_SECRET_BYTES])
{
    if (!oath_ready())
        return -1;
    randombytes_buf(secret, TOTP_SECRET_BYTES);
    return 0;
}

char *totp_base32(struct arena *a, const unsigned char *secret, size_t len)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    char *out = arena_alloc(a, (len * 8 + 4) / 5 + 1);
    size_t n = 0;
    unsigned buffer = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        buffer = (buffer << 8) | secret[i];
        bits += 8;
        while (bits >= 5) {
            out[n++] = alphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[n++] = alphabet[(buffer << (5 - bits)) & 31];
    out[n] = '\0';
    return out;
}

/* Percent-encodes everything but RFC 3986's unreserved characters. */
static char *uri_escape(struct arena *a, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(s);
    char *out = arena_alloc(a, len * 3 + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            out[n++] = (char)c;
        } else {
            out[n++] = '%';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 15];
        }
    }
    out[n] = '\0';
    return out;
}

char *totp_uri(struct arena *a, const char *login, const unsigned char *secret, size_t len)
{
    const char *issuer = uri_escape(a, TOTP_ISSUER);
    char *b32 = totp_base32(a, secret, len);
    char *uri =
        arena_printf(a,
                     "otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1"
                     "&digits=%d&period=%d",
                     issuer, uri_escape(a, login), b32, issuer, TOTP_DIGITS, TOTP_STEP_SECONDS);
    sodium_memzero(b32, strlen(b32));
    return uri;
}

int totp_code(const unsigned char *secret, size_t len, time_t now, char out[TOTP_DIGITS + 1])
{
    out[0] = '\0';
    if (!secret || len == 0 || now < 0 || !oath_ready())
        return -1;
    int rc = oath_totp_generate((const char *)secret, len, now, TOTP_STEP_SECONDS,
                                OATH_TOTP_DEFAULT_START_TIME, TOTP_DIGITS, out);
    if (rc != OATH_OK) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

static bool code_well_formed(const char *code)
{
    if (!code)
        return false;
    for (size_t i = 0; i < TOTP_DIGITS; i++)
        if (code[i] < '0' || code[i] > '9')
            return false;
    return code[TOTP_DIGITS] == '\0';
}

int64_t totp_verify_step(const unsigned char *secret, size_t len, const char *code, time_t now)
{
    if (!secret || len == 0 || !code_well_formed(code))
        return -1;
    int64_t matched = -1;
    bool failed = false;
    /* every step of the window is computed and compared, so the time taken does not say
     * which step (if any) matched */
    for (int step = -TOTP_WINDOW; step <= TOTP_WINDOW; step++) {
        time_t t = now + (time_t)step * TOTP_STEP_SECONDS;
        if (t < 0)
            continue;
        char expect[TOTP_DIGITS + 1];
        if (totp_code(secret, len, t, expect) < 0) {
            failed = true;
            continue;
        }
        if (sodium_memcmp(expect, code, TOTP_DIGITS) == 0)
            matched = (int64_t)(t / TOTP_STEP_SECONDS);
        sodium_memzero(expect, sizeof expect);
    }
    return failed ? -1 : matched;
}

bool totp_verify(const unsigned char *secret, size_t len, const char *code, time_t now)
{
    return totp_verify_step(secret, len, code, now) >= 0;
}
