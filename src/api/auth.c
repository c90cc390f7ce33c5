/* Who is calling: citizens with a track token (Authorization: Bearer), staff with a session
 * cookie plus a CSRF token on every mutating request; and the staff sign-in, sign-out and
 * "me" endpoints. Tokens are stored only as keyed hashes. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/staff.h"
#include "domain/throttle.h"
#include "domain/totp.h"
#include "http/reply.h"
#include "http/server.h"
#include "core/banned.h"

#define SESSION_COOKIE           "ov_session"
#define SESSION_IDLE_SECONDS     (30 * 60)
#define SESSION_ABSOLUTE_SECONDS (12 * 3600)
#define SESSION_TOUCH_SECONDS    60

static const char *stamp(struct arena *a, time_t t)
{
    char *out = arena_alloc(a, 32);
    clock_format(t, out, 32);
    return out;
}

/* ---- citizens ---- */

static int authenticate_citizen(struct request *r)
{
    const char *h = req_header(r, "Authorization");
    if (!h || strncmp(h, "Bearer ", 7) != 0 || !ids_token_valid(h + 7)) {
        reply_error(r, ERR_UNAUTHENTICATED, NULL);
        return -1;
    }
    unsigned char hash[CRYPTO_HASH_BYTES];
    crypto_token_hash(h + 7, hash);
    int rc =
        store_track_session_get(r->store, hash, stamp(r->arena, clock_now()), &r->citizen_case_id);
    if (rc == STORE_NOT_FOUND)
        reply_error(r, ERR_SESSION_EXPIRED, NULL);
    else if (rc != STORE_OK)
        reply_store_error(r, rc);
    return rc == STORE_OK ? 0 : -1;
}

/* ---- staff ---- */

struct touch {
    unsigned char hash[CRYPTO_HASH_BYTES];
    char now[32];
};

static int touch_tx(struct store *s, void *ctx)
{
    struct touch *t = ctx;
    return store_staff_session_touch(s, t->hash, t->now);
}

/* Loads the account and its office into r->actor. */
static int load_actor(struct request *r, int64_t staff_id)
{
    struct actor *who = arena_zalloc(r->arena, sizeof *who);
    int rc = store_staff_get(r->store, r->arena, staff_id, &who->staff);
    if (rc == STORE_OK && who->staff.office_id)
        rc = store_office_get(r->store, r->arena, who->staff.office_id, &who->office);
    if (rc != STORE_OK)
        return rc;
    if (who->office.area_code && strlen(who->office.area_code) >= 2) {
        memcpy(who->province, who->office.area_code, 2);
        who->province[2] = '\0';
    }
    r->actor = who;
    return STORE_OK;
}

static int authenticate_staff(struct request *r)
{
    const char *token = req_cookie(r, SESSION_COOKIE);
    if (!token || !ids_token_valid(token)) {
        reply_error(r, ERR_UNAUTHENTICATED, NULL);
        return -1;
    }
    crypto_token_hash(token, r->session_hash);
    struct staff_session ss;
    int rc = store_staff_session_get(r->store, r->arena, r->session_hash, &ss);
    time_t now = clock_now(), expires, seen;
    if (rc == STORE_OK &&
        (clock_parse(ss.expires_at, &expires) < 0 || clock_parse(ss.last_seen, &seen) < 0 ||
         now >= expires || now - seen > SESSION_IDLE_SECONDS))
        rc = STORE_NOT_FOUND;
    if (rc == STORE_OK)
        rc = load_actor(r, ss.staff_id);
    if (rc == STORE_OK && !r->actor->staff.active)
        rc = STORE_NOT_FOUND;
    if (rc != STORE_OK) {
        if (rc == STORE_NOT_FOUND)
            reply_error(r, ERR_SESSION_EXPIRED, NULL);
        else
            reply_store_error(r, rc);
        return -1;
    }
    if (req_mutating(r)) {
        const char *csrf = req_header(r, "X-CSRF-Token");
        if (!csrf || strlen(csrf) != strlen(ss.csrf) ||
            sodium_memcmp(csrf, ss.csrf, strlen(ss.csrf)) != 0) {
            reply_error(r, ERR_CSRF_FAILED, NULL);
            return -1;
        }
    }
    if (now - seen >= SESSION_TOUCH_SECONDS) {
        struct touch *t = xcalloc(1, sizeof *t);
        memcpy(t->hash, r->session_hash, sizeof t->hash);
        clock_format(now, t->now, sizeof t->now);
        server_write_detached(r, touch_tx, t);
    }
    r->csrf = ss.csrf;
    return 0;
}

int api_authenticate(struct request *r)
{
    return r->route->access == ACCESS_CITIZEN ? authenticate_citizen(r) : authenticate_staff(r);
}

/* ---- sign-in ---- */

struct login {
    const char *login, *password, *totp;
    const char *address;
    struct staff staff;
    bool known, password_ok, totp_needed, totp_enrolled, totp_ok;
    int64_t totp_step;
    char token[IDS_TOKEN_LEN + 1], csrf[IDS_TOKEN_LEN + 1];
    struct arena *arena;
};

/* A hash of a password nobody has, verified when the login is unknown so that the answer
 * takes as long either way. */
static char decoy_hash[CRYPTO_PASSWORD_HASH_LEN];

static void login_work(void *arg)
{
    struct login *l = arg;
    if (!decoy_hash[0])
        crypto_password_hash("not a password anyone has", decoy_hash);
    l->password_ok =
        crypto_password_verify(l->known ? l->staff.password_hash : decoy_hash, l->password) &&
        l->known && l->staff.active;
    if (!l->password_ok)
        return;
    l->totp_enrolled = l->staff.totp_sealed != NULL;
    l->totp_needed = l->totp_enrolled || staff_role_needs_totp(l->staff.role);
    if (l->totp_enrolled && l->totp) {
        size_t len = l->staff.totp_sealed_len - CRYPTO_SEAL_OVERHEAD;
        char *secret = crypto_unseal(l->arena, l->staff.totp_sealed, l->staff.totp_sealed_len);
        l->totp_step =
            secret ? totp_verify_step((unsigned char *)secret, len, l->totp, clock_now()) : -1;
        /* a code is good once: a step at or before the last one used is refused */
        l->totp_ok = l->totp_step > l->staff.totp_last_step;
        if (secret)
            sodium_memzero(secret, len);
    }
}

static int login_fail_tx(struct store *s, void *ctx)
{
    struct login *l = ctx;
    time_t now = clock_now();
    int n, rc = throttle_fail(s, l->arena, arena_printf(l->arena, "login:%s", l->login),
                              &throttle_login_account, now, &n);
    if (rc == STORE_OK)
        rc = throttle_fail(s, l->arena, arena_printf(l->arena, "login-addr:%s", l->address),
                           &throttle_login_address, now, &n);
    if (rc == STORE_OK)
        rc = audit_append(s, "staff", l->known ? l->staff.id : 0, "login_failed", 0,
                          l->known ? l->staff.login : "unknown login");
    return rc;
}

static int login_ok_tx(struct store *s, void *ctx)
{
    struct login *l = ctx;
    time_t now = clock_now();
    struct staff_session ss = {.staff_id = l->staff.id,
                               .csrf = l->csrf,
                               .created_at = stamp(l->arena, now),
                               .last_seen = stamp(l->arena, now),
                               .expires_at = stamp(l->arena, now + SESSION_ABSOLUTE_SECONDS)};
    crypto_token_hash(l->token, ss.token_hash);
    int rc = STORE_OK;
    if (l->totp_enrolled) {
        /* checked again here, where sign-ins are serialised, so two racing uses of one
         * code cannot both pass */
        struct staff fresh;
        rc = store_staff_get(s, l->arena, l->staff.id, &fresh);
        if (rc == STORE_OK && fresh.totp_last_step >= l->totp_step)
            return STORE_CONFLICT;
        fresh.totp_last_step = l->totp_step;
        if (rc == STORE_OK)
            rc = store_staff_update(s, &fresh);
    }
    if (rc == STORE_OK)
        rc = store_staff_session_put(s, &ss);
    if (rc == STORE_OK)
        rc = store_throttle_clear(s, arena_printf(l->arena, "login:%s", l->login));
    if (rc == STORE_OK)
        rc = audit_append(s, "staff", l->staff.id, "login", 0, l->staff.login);
    return rc;
}

json_t *api_me_json(struct request *r, const struct actor *who, const char *csrf);

static void login_saved(struct request *r, void *ctx, int rc)
{
    struct login *l = ctx;
    if (rc == STORE_CONFLICT) { /* the code was used meanwhile */
        reply_error(r, ERR_INVALID_CREDENTIALS, NULL);
        return;
    }
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    if (!l->password_ok || (l->totp_needed && !l->totp_ok)) {
        enum err e = ERR_INVALID_CREDENTIALS;
        if (l->password_ok && l->totp_needed && !l->totp_enrolled)
            e = ERR_TOTP_NOT_ENROLLED;
        else if (l->password_ok && l->totp_needed && !l->totp)
            e = ERR_TOTP_REQUIRED;
        reply_error(r, e, e == ERR_TOTP_REQUIRED ? "totp" : NULL);
        return;
    }
    const char *proto = req_header(r, "X-Forwarded-Proto");
    bool secure = proto && strcmp(proto, "https") == 0;
    reply_header(r, "Set-Cookie",
                 arena_printf(r->arena,
                              SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict;"
                                             " Max-Age=%d%s",
                              l->token, SESSION_ABSOLUTE_SECONDS, secure ? "; Secure" : ""));
    struct actor who = {.staff = l->staff};
    if (l->staff.office_id)
        store_office_get(r->store, r->arena, l->staff.office_id, &who.office);
    reply_json(r, 200, api_me_json(r, &who, l->csrf));
}

static void login_checked(struct request *r, void *ctx)
{
    struct login *l = ctx;
    bool ok = l->password_ok && (!l->totp_needed || l->totp_ok);
    if (ok) {
        ids_token(l->token);
        ids_token(l->csrf);
    }
    /* a missing code after a right password is not a failure to brake */
    bool just_ask = l->password_ok && l->totp_needed && !l->totp && l->totp_enrolled;
    if (just_ask) {
        login_saved(r, ctx, STORE_OK);
        return;
    }
    server_write(r, ok ? login_ok_tx : login_fail_tx, l, login_saved);
}

static const struct jf_field login_fields[] = {
    {"login", JF_STRING, true, false, STAFF_LOGIN_MAX, 0, 0, NULL, offsetof(struct login, login)},
    {"password", JF_STRING, true, false, STAFF_PASSWORD_MAX, 0, 0, NULL,
     offsetof(struct login, password)},
    {"totp", JF_STRING, false, true, 10, 0, 0, NULL, offsetof(struct login, totp)},
};

void h_login(struct request *r)
{
    struct login *l = arena_zalloc(r->arena, sizeof *l);
    struct jf_error err;
    if (jf_parse(r->body, login_fields, sizeof login_fields / sizeof login_fields[0], l, &err) <
        0) {
        reply_jf_error(r, &err);
        return;
    }
    l->arena = r->arena;
    l->address = req_peer(r);
    time_t now = clock_now();
    int wait_account = 0, wait_address = 0;
    int rc = throttle_wait(r->store, r->arena, arena_printf(r->arena, "login:%s", l->login),
                           &throttle_login_account, now, &wait_account);
    if (rc == STORE_OK)
        rc = throttle_wait(r->store, r->arena, arena_printf(r->arena, "login-addr:%s", l->address),
                           &throttle_login_address, now, &wait_address);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    int wait = wait_account > wait_address ? wait_account : wait_address;
    if (wait > 0) {
        reply_header(r, "Retry-After", arena_printf(r->arena, "%d", wait));
        reply_error(r, ERR_RATE_LIMITED, NULL);
        return;
    }
    rc = store_staff_by_login(r->store, r->arena, l->login, &l->staff);
    if (rc != STORE_OK && rc != STORE_NOT_FOUND) {
        reply_store_error(r, rc);
        return;
    }
    l->known = rc == STORE_OK;
    server_defer(r, login_work, login_checked, l);
}

static int logout_tx(struct store *s, void *ctx)
{
    struct request *r = ctx;
    int rc = store_staff_session_delete(s, r->session_hash);
    if (rc == STORE_OK)
        rc = audit_append(s, "staff", r->actor->staff.id, "logout", 0, r->actor->staff.login);
    return rc;
}

static void logout_saved(struct request *r, void *ctx, int rc)
{
    (void)ctx;
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    reply_header(r, "Set-Cookie", SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    reply_json(r, 200, json_pack("{s:s}", "status", "signed_out"));
}

void h_logout(struct request *r)
{
    server_write(r, logout_tx, r, logout_saved);
}

json_t *api_me_json(struct request *r, const struct actor *who, const char *csrf)
{
    json_t *office = who->office.id
                         ? json_pack("{s:s,s:s,s:s,s:s,s:s?}", "code", who->office.code, "kind",
                                     who->office.kind, "name_km", who->office.name_km, "name_en",
                                     who->office.name_en, "area", who->office.area_code)
                         : json_null();
    (void)r;
    return json_pack("{s:{s:s,s:s,s:s,s:o,s:b},s:s}", "user", "login", who->staff.login, "name",
                     who->staff.name, "role", who->staff.role, "office", office, "totp",
                     who->staff.totp_sealed != NULL, "csrf", csrf);
}

void h_me(struct request *r)
{
    reply_json(r, 200, api_me_json(r, r->actor, r->csrf));
}
