/* The one growable byte buffer: every buffer has a hard maximum and a sticky error, so a
 * run of appends is checked once at the end with buf_failed(). The content is always
 * NUL-terminated. buf_init/buf_release manage the contents of a caller-owned struct. */
#ifndef OURVOICE_BUF_H
#define OURVOICE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *data;
    size_t len, cap, max;
    bool failed;
};

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);

void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);

/* true once any append would have passed the maximum; the content is then incomplete */
static inline bool buf_failed(const struct buf *b)
{
    return b->failed;
}

/* "" for an empty buffer, never NULL */
const char *buf_cstr(const struct buf *b);

/* Hands the NUL-terminated data to the caller (free() it) and resets the buffer. */
char *buf_detach(struct buf *b, size_t *len);

#endif
