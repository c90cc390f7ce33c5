/* Gzip of a whole body in memory (zlib), for replies sent compressed. */
#ifndef OURVOICE_GZIP_H
#define OURVOICE_GZIP_H

#include <stdbool.h>
#include <stddef.h>

/* Compresses len bytes at level (1–9) into *out (malloc'd) and returns true, or returns
 * false when zlib fails or the result would not be smaller. */
bool gzip_bytes(const void *in, size_t len, int level, unsigned char **out, size_t *out_len);

#endif
