/* A hash map from short string keys to a fixed number of 64-bit counters, for summing many
 * rows in memory (the statistics rebuild). Keys are copied; lookups never fail (running out
 * of memory aborts, see alloc.h). Iterate with countmap_next; clear to reuse. */
#ifndef OURVOICE_COUNTMAP_H
#define OURVOICE_COUNTMAP_H

#include <stddef.h>

#define COUNTMAP_KEY_MAX 128

struct countmap;

struct countmap *countmap_new(size_t width);
void countmap_free(struct countmap *m);
void countmap_clear(struct countmap *m);
size_t countmap_size(const struct countmap *m);

/* The counters of `key` (zeroed when new). Keys longer than COUNTMAP_KEY_MAX - 1 are cut. */
long long *countmap_get(struct countmap *m, const char *key);

/* Walks the entries: start with *pos = 0; returns the key (and *counters) or NULL at the end. */
const char *countmap_next(const struct countmap *m, size_t *pos, const long long **counters);

#endif
