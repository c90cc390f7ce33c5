/* Identifier generation (see ids.h). */
#include "core/ids.h"

#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "core/banned.h"

/* Request IDs only need to be unique, not secret: a per-thread random start and a
 * splitmix64 step spare the kernel a getrandom call on every request. */
void ids_request(char out[IDS_REQUEST_LEN + 1])
{
    static _Thread_local uint64_t state;
    if (!state)
        randombytes_buf(&state, sizeof state);
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    unsigned char raw[IDS_REQUEST_LEN / 2];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (unsigned char)(z >> (8 * i));
    sodium_bin2hex(out, IDS_REQUEST_LEN + 1, raw, sizeof raw);
}

void ids_token(char out[IDS_TOKEN_LEN + 1])
{
    unsigned char raw[IDS_TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, IDS_TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

bool ids_token_valid(const char *s)
{
    size_t n = strnlen(s, IDS_TOKEN_LEN + 1);
    if (n != IDS_TOKEN_LEN)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}
