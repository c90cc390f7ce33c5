/* Random identifiers from libsodium's CSPRNG: request IDs for logs, and opaque tokens
 * (sessions, CSRF) of 256 bits in URL-safe base64. */
#ifndef OURVOICE_IDS_H
#define OURVOICE_IDS_H

#include <stdbool.h>
#include <stddef.h>

#define IDS_REQUEST_LEN 16 /* hex characters */
#define IDS_TOKEN_BYTES 32
#define IDS_TOKEN_LEN   43 /* base64url without padding */

void ids_request(char out[IDS_REQUEST_LEN + 1]);
void ids_token(char out[IDS_TOKEN_LEN + 1]);

/* true if s has the shape of a token made by ids_token() */
bool ids_token_valid(const char *s);

#endif
