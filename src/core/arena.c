/* Arena allocator: blocks of at least ARENA_BLOCK bytes; an allocation larger than a block
 * gets a block of its own. Deferred disposals form a stack run by arena_free(). */
#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/banned.h"

#define ARENA_BLOCK 8192
#define ARENA_ALIGN 16

struct block {
    struct block *next;
    size_t used, size;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

struct deferred {
    struct deferred *next;
    arena_dispose_fn dispose;
    void *object;
};

struct arena {
    struct block *blocks;
    struct deferred *deferred;
    size_t total;
};

struct arena *arena_new(void)
{
    return xcalloc(1, sizeof(struct arena));
}

void arena_free(struct arena *arena)
{
    if (!arena)
        return;
    for (struct deferred *d = arena->deferred; d; d = d->next)
        d->dispose(d->object);
    struct block *b = arena->blocks;
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(arena);
}

void *arena_alloc(struct arena *arena, size_t size)
{
    size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < size) {
        fputs("fatal: arena allocation overflow\n", stderr);
        abort();
    }
    struct block *b = arena->blocks;
    if (!b || b->size - b->used < need) {
        size_t bsize = need > ARENA_BLOCK ? need : ARENA_BLOCK;
        struct block *nb = xmalloc(sizeof(struct block) + bsize);
        nb->used = 0;
        nb->size = bsize;
        if (b && need > ARENA_BLOCK) {
            /* keep the current block's free space for later small allocations */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            arena->blocks = nb;
        }
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    arena->total += size;
    return p;
}

void *arena_zalloc(struct arena *arena, size_t size)
{
    void *p = arena_alloc(arena, size);
    memset(p, 0, size);
    return p;
}

char *arena_strndup(struct arena *arena, const char *s, size_t n)
{
    char *p = arena_alloc(arena, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *arena, const char *s)
{
    return arena_strndup(arena, s, strlen(s));
}

char *arena_printf(struct arena *arena, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *p = arena_alloc(arena, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

void arena_defer(struct arena *arena, arena_dispose_fn dispose, void *object)
{
    struct deferred *d = arena_alloc(arena, sizeof(*d));
    d->dispose = dispose;
    d->object = object;
    d->next = arena->deferred;
    arena->deferred = d;
}

size_t arena_used(const struct arena *arena)
{
    return arena->total;
}
