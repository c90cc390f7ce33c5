/* Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) for the
 * staff second factor, computed by the OATH Toolkit (liboath). A secret is 20 random bytes,
 * stored only sealed by the crypto module (staff.totp_sealed); callers wipe the plain copy
 * with sodium_memzero once done. "now" comes from clock_now() so that tests can move it. */
#ifndef OURVOICE_TOTP_H
#define OURVOICE_TOTP_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <time.h>

#include "core/arena.h"

#define TOTP_SECRET_BYTES 20
#define TOTP_DIGITS       6
#define TOTP_STEP_SECONDS 30
#define TOTP_WINDOW       1 /* steps accepted either side of now (clock drift, slow typing) */
#define TOTP_ISSUER       "Our Voice"

/* Fills secret with fresh random bytes. Returns 0 (-1 only if liboath cannot start). */
int totp_new_secret(unsigned char secret[TOTP_SECRET_BYTES]);

/* The secret in RFC 4648 base32 without padding ("JBSWY3DP..."), as authenticator apps
 * take it typed in. NUL-terminated, in the arena. */
char *totp_base32(struct arena *a, const unsigned char *secret, size_t len);

/* The enrolment URI for a QR code or an authenticator app:
 * otpauth://totp/Our%20Voice:LOGIN?secret=BASE32&issuer=Our%20Voice&algorithm=SHA1&digits=6&period=30
 * with LOGIN percent-encoded. In the arena; it holds the secret, so show it once and never
 * log it. */
char *totp_uri(struct arena *a, const char *login, const unsigned char *secret, size_t len);

/* True if code is exactly TOTP_DIGITS ASCII digits and matches the step of `now` or one of
 * the TOTP_WINDOW steps either side. Compares in constant time. False for a NULL code or an
 * empty secret. */
bool totp_verify(const unsigned char *secret, size_t len, const char *code, time_t now);
/* As totp_verify, but returns the time step (unix time / 30 s) the code matched, or -1, so
 * that a sign-in can refuse a code whose step was already used (RFC 6238 §5.2). */
int64_t totp_verify_step(const unsigned char *secret, size_t len, const char *code, time_t now);

/* The code for `now` into out ("012345"). Returns 0, or -1 if the secret is empty or liboath
 * fails. For tests and for showing a code to someone who enrols on the command line. */
int totp_code(const unsigned char *secret, size_t len, time_t now, char out[TOTP_DIGITS + 1]);

#endif
