/* The crypto module: the only code that touches keys. The keys live in a key file outside
 * the database (created by `ourvoice init`, mode 0600): the receipt pepper and salt, the
 * key pair that seals contact details, and the key for token hashes and challenges.
 * Staff passwords and receipts use Argon2id at no less than m=19 MiB, t=2, p=1. */
#ifndef OURVOICE_CRYPTO_H
#define OURVOICE_CRYPTO_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

#define CRYPTO_ARGON2_OPS        2
#define CRYPTO_ARGON2_MEM        (19u * 1024u * 1024u)
#define CRYPTO_PASSWORD_HASH_LEN crypto_pwhash_STRBYTES
#define CRYPTO_HASH_BYTES        32
#define CRYPTO_SEAL_OVERHEAD     crypto_box_SEALBYTES

/* Once, before threads start. -1 if libsodium cannot initialise. */
int crypto_init(void);

/* Loads the key file; with create, makes a new one (0600) if it does not exist. Returns 0,
 * or -1 with *err set. Must be called before the functions below that need keys. */
int crypto_keys_load(const char *path, bool create, const char **err);
bool crypto_keys_loaded(void);
/* Forgets the keys (wiped), e.g. at exit. */
void crypto_keys_release(void);

int crypto_password_hash(const char *password, char out[CRYPTO_PASSWORD_HASH_LEN]);
bool crypto_password_verify(const char *hash, const char *password);

/* Argon2id(BLAKE2b-keyed(receipt digits, pepper), system salt): slow on purpose, run it on
 * the worker pool. -1 if out of memory. */
int crypto_receipt_hash(const char *digits, size_t len, unsigned char out[CRYPTO_HASH_BYTES]);

/* Keyed BLAKE2b of a random token (sessions): fast, for storing tokens by hash. */
void crypto_token_hash(const char *token, unsigned char out[CRYPTO_HASH_BYTES]);

/* Keyed MAC over data (challenges): out of CRYPTO_HASH_BYTES. */
void crypto_mac(const void *data, size_t len, unsigned char out[CRYPTO_HASH_BYTES]);

/* Sealed box to the system's key: anyone with the public key can seal, only crypto_unseal
 * (the notifier, and the case view for a shared name, both audited) can open. */
unsigned char *crypto_seal(struct arena *a, const void *plain, size_t len, size_t *out_len);
/* NUL-terminated plaintext in the arena, or NULL if it does not open. */
char *crypto_unseal(struct arena *a, const unsigned char *sealed, size_t len);

#endif
