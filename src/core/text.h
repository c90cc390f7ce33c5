/* Text helpers: UTF-8 validation, the search fold shared by the loader and the queries,
 * and escaping of LIKE patterns. */
#ifndef OURVOICE_TEXT_H
#define OURVOICE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"

/* Well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
bool text_utf8_valid(const char *s, size_t len);

/* The form names are searched in: ASCII lowered, Latin accents dropped (é → e), invisible
 * joiners and zero-width spaces removed, runs of spaces made one. Khmer is kept as is. */
void text_fold(const char *s, struct buf *out);

/* Appends s with %, _ and \ escaped by a backslash (for LIKE ... ESCAPE '\'). */
void text_like_escape(const char *s, struct buf *out);

/* The first string after every string that starts with prefix ("12" → "13"), for range
 * scans of an index: code >= prefix AND code < text_prefix_end(prefix). */
char *text_prefix_end(struct arena *a, const char *prefix);

/* true if s is non-empty and only ASCII digits, at most max bytes long */
bool text_is_digits(const char *s, size_t max);

#endif
