/* The crypto module: the only code that touches keys. Staff passwords are Argon2id strings
 * (libsodium crypto_pwhash_str) at no less than m=19 MiB, t=2, p=1. */
#ifndef OURVOICE_CRYPTO_H
#define OURVOICE_CRYPTO_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

#define CRYPTO_ARGON2_OPS 2
#define CRYPTO_ARGON2_MEM (19u * 1024u * 1024u)
#define CRYPTO_PASSWORD_HASH_LEN crypto_pwhash_STRBYTES

/* Once, before threads start. -1 if libsodium cannot initialise. */
int crypto_init(void);

int crypto_password_hash(const char *password, char out[CRYPTO_PASSWORD_HASH_LEN]);
bool crypto_password_verify(const char *hash, const char *password);

#endif
