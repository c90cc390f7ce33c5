/* Crypto primitives over libsodium (see crypto.h). */
#include "core/crypto.h"

#include <string.h>

#include "core/banned.h"

int crypto_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

int crypto_password_hash(const char *password, char out[CRYPTO_PASSWORD_HASH_LEN])
{
    return crypto_pwhash_str(out, password, strlen(password), CRYPTO_ARGON2_OPS,
                             CRYPTO_ARGON2_MEM) == 0
               ? 0
               : -1;
}

bool crypto_password_verify(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
