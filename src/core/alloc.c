/* Out-of-memory policy: print one line and abort. Nothing else in the program checks for
 * NULL from these. */
#include "core/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static void *checked(void *p, size_t size)
{
    if (!p && size) {
        fputs("fatal: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *xmalloc(size_t size)
{
    return checked(malloc(size ? size : 1), 1);
}

void *xcalloc(size_t count, size_t size)
{
    return checked(calloc(count ? count : 1, size ? size : 1), 1);
}

void *xrealloc(void *ptr, size_t size)
{
    return checked(realloc(ptr, size ? size : 1), 1);
}

char *xstrdup(const char *s)
{
    return checked(strdup(s), 1);
}

char *xstrndup(const char *s, size_t n)
{
    return checked(strndup(s, n), 1);
}
