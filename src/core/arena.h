/* A per-request arena: a chain of blocks freed all at once by arena_free(). Foreign objects
 * (a jansson document, a prepared statement) register a dispose callback that runs, in
 * reverse order of registration, when the arena is freed. Not thread-safe: an arena belongs
 * to one request, which is on one thread at a time. */
#ifndef OURVOICE_ARENA_H
#define OURVOICE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

typedef void (*arena_dispose_fn)(void *object);

struct arena *arena_new(void);
void arena_free(struct arena *arena);

/* Aligned memory valid until arena_free(); never NULL (out of memory aborts). */
void *arena_alloc(struct arena *arena, size_t size);
void *arena_zalloc(struct arena *arena, size_t size);
char *arena_strdup(struct arena *arena, const char *s);
char *arena_strndup(struct arena *arena, const char *s, size_t n);
char *arena_printf(struct arena *arena, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Runs dispose(object) when the arena is freed. */
void arena_defer(struct arena *arena, arena_dispose_fn dispose, void *object);

/* Bytes handed out so far (for tests and metrics). */
size_t arena_used(const struct arena *arena);

#endif
