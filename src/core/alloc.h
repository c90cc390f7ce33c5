/* Memory allocation that never returns NULL: running out of memory aborts here, in one
 * place (exceeding a *limit* is an ordinary error handled by the caller, not this). */
#ifndef OURVOICE_ALLOC_H
#define OURVOICE_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
