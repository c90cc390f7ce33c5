/* Staff account rules (see staff.h). */
#include "domain/staff.h"

#include <sodium.h>
#include <string.h>

#include "core/crypto.h"
#include "domain/audit.h"
#include "domain/totp.h"
#include "core/banned.h"

bool staff_role_valid(const char *role)
{
    static const char *const roles[] = {"officer",          "head",           "ombudsman", "ccwc",
                                        "provincial_admin", "national_admin", "analyst"};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(role, roles[i]) == 0)
            return true;
    return false;
}

bool staff_role_needs_totp(const char *role)
{
    return strcmp(role, "ombudsman") == 0 || strcmp(role, "provincial_admin") == 0 ||
           strcmp(role, "national_admin") == 0;
}

bool staff_login_valid(const char *login)
{
    size_t n = strnlen(login, STAFF_LOGIN_MAX + 1);
    if (n < 2 || n > STAFF_LOGIN_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = login[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
            return false;
    }
    return true;
}

struct create_ctx {
    struct staff staff;
    bool created;
};

static int create_tx(struct store *s, void *ctx)
{
    struct create_ctx *c = ctx;
    return store_staff_put(s, &c->staff, &c->created);
}

int staff_create(struct store *s, const char *login, const char *name, const char *role,
                 int64_t office_id, const char *password, bool *created)
{
    char hash[CRYPTO_PASSWORD_HASH_LEN];
    if (crypto_password_hash(password, hash) < 0)
        return STORE_FAILED;
    struct create_ctx c = {.staff = {.login = login,
                                     .name = name,
                                     .role = role,
                                     .office_id = office_id,
                                     .password_hash = hash}};
    int rc = store_tx(s, create_tx, &c);
    *created = c.created;
    return rc;
}

void staff_random_password(char *out, size_t len)
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3479";
    for (size_t i = 0; i + 1 < len; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[len - 1] = '\0';
}

struct enrol_ctx {
    struct arena *a;
    const char *login;
    const unsigned char *sealed;
    size_t sealed_len;
};

static int enrol_tx(struct store *s, void *ctx)
{
    struct enrol_ctx *e = ctx;
    struct staff u;
    int rc = store_staff_by_login(s, e->a, e->login, &u);
    if (rc != STORE_OK)
        return rc;
    u.totp_sealed = e->sealed;
    u.totp_sealed_len = e->sealed_len;
    if ((rc = store_staff_update(s, &u)) == STORE_OK)
        rc = audit_append(s, "cli", 0, "staff_totp_reset", 0, e->login);
    return rc;
}

int staff_enrol_totp(struct store *s, struct arena *a, const char *login, unsigned char *secret_out)
{
    if (totp_new_secret(secret_out) < 0)
        return STORE_FAILED;
    struct enrol_ctx e = {.a = a, .login = login};
    e.sealed = crypto_seal(a, secret_out, TOTP_SECRET_BYTES, &e.sealed_len);
    return store_tx(s, enrol_tx, &e);
}
