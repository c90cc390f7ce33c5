/* Counter map (see countmap.h): open addressing with linear probing, FNV-1a hashes, grown
 * to keep the table at most half full. Entries live in one array: key bytes, then counters. */
#include "core/countmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/banned.h"

struct countmap {
    size_t width, cap, size, entry;
    unsigned char *slots; /* cap entries of `entry` bytes; key[0] == 0: empty */
};

static uint64_t hash(const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h;
}

static void init_slots(struct countmap *m, size_t cap)
{
    m->cap = cap;
    m->size = 0;
    m->slots = xcalloc(cap, m->entry);
}

struct countmap *countmap_new(size_t width)
{
    struct countmap *m = xcalloc(1, sizeof *m);
    m->width = width;
    m->entry = COUNTMAP_KEY_MAX + width * sizeof(long long);
    init_slots(m, 1024);
    return m;
}

void countmap_free(struct countmap *m)
{
    if (m) {
        free(m->slots);
        free(m);
    }
}

void countmap_clear(struct countmap *m)
{
    memset(m->slots, 0, m->cap * m->entry);
    m->size = 0;
}

size_t countmap_size(const struct countmap *m)
{
    return m->size;
}

static unsigned char *find(const struct countmap *m, const char *key)
{
    size_t i = hash(key) & (m->cap - 1);
    for (;;) {
        unsigned char *slot = m->slots + i * m->entry;
        if (!slot[0] || strcmp((const char *)slot, key) == 0)
            return slot;
        i = (i + 1) & (m->cap - 1);
    }
}

static void grow(struct countmap *m)
{
    unsigned char *old = m->slots;
    size_t old_cap = m->cap;
    init_slots(m, old_cap * 2);
    for (size_t i = 0; i < old_cap; i++) {
        unsigned char *slot = old + i * m->entry;
        if (slot[0]) {
            memcpy(find(m, (const char *)slot), slot, m->entry);
            m->size++;
        }
    }
    free(old);
}

long long *countmap_get(struct countmap *m, const char *key)
{
    char cut[COUNTMAP_KEY_MAX];
    size_t len = strnlen(key, COUNTMAP_KEY_MAX - 1);
    memcpy(cut, key, len);
    cut[len] = '\0';
    unsigned char *slot = find(m, cut);
    if (!slot[0]) {
        if (2 * (m->size + 1) > m->cap) {
            grow(m);
            slot = find(m, cut);
        }
        memcpy(slot, cut, len + 1);
        m->size++;
    }
    return (long long *)(slot + COUNTMAP_KEY_MAX);
}

const char *countmap_next(const struct countmap *m, size_t *pos, const long long **counters)
{
    while (*pos < m->cap) {
        unsigned char *slot = m->slots + (*pos)++ * m->entry;
        if (slot[0]) {
            *counters = (const long long *)(slot + COUNTMAP_KEY_MAX);
            return (const char *)slot;
        }
    }
    return NULL;
}
