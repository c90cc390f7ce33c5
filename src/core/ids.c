/* Identifier generation (see ids.h). */
#include "core/ids.h"

#include <sodium.h>
#include <string.h>

#include "core/banned.h"

void ids_request(char out[IDS_REQUEST_LEN + 1])
{
    unsigned char raw[IDS_REQUEST_LEN / 2];
    randombytes_buf(raw, sizeof raw);
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
