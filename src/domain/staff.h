/* Staff accounts: officers, heads of office, ombudsmen, CCWC focal points, provincial and
 * national administrators and analysts. Passwords are stored only as Argon2id strings. */
#ifndef OURVOICE_STAFF_H
#define OURVOICE_STAFF_H

#include <stdbool.h>

#include "domain/model.h"
#include "store/store.h"

#define STAFF_LOGIN_MAX    64
#define STAFF_NAME_MAX     200
#define STAFF_PASSWORD_MIN 10
#define STAFF_PASSWORD_MAX 200

bool staff_role_valid(const char *role);
/* Roles that must sign in with a second factor: ombudsman and the administrators. */
bool staff_role_needs_totp(const char *role);

/* Enrols a new TOTP secret for an existing account (sealed, inside a transaction of its
 * own); *secret_out gets the raw secret (TOTP_SECRET_BYTES) for showing it once. */
int staff_enrol_totp(struct store *s, struct arena *a, const char *login,
                     unsigned char *secret_out);
bool staff_login_valid(const char *login);

/* Creates an account unless the login exists (then *created is false and nothing changes). */
int staff_create(struct store *s, const char *login, const char *name, const char *role,
                 int64_t office_id, const char *password, bool *created);

/* A random password of `len` characters from an unambiguous alphabet. */
void staff_random_password(char *out, size_t len);

#endif
