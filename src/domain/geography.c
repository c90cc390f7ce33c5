/* Geography rules (see geography.h). */
#include "domain/geography.h"

#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "core/banned.h"

bool geo_code_valid(const char *code)
{
    size_t n = strnlen(code, AREA_CODE_MAX + 1);
    return (n == 2 || n == 4 || n == 6 || n == 8) && text_is_digits(code, AREA_CODE_MAX);
}

bool geo_level_valid(const char *level)
{
    return strcmp(level, "province") == 0 || strcmp(level, "district") == 0 ||
           strcmp(level, "commune") == 0 || strcmp(level, "village") == 0;
}

void geo_ancestry(const char *code, struct geo_ancestry *out)
{
    size_t len = strnlen(code, AREA_CODE_MAX);
    out->count = 0;
    for (size_t n = len; n >= 2 && out->count < 4; n -= 2) {
        memcpy(out->codes[out->count], code, n);
        out->codes[out->count][n] = '\0';
        out->list[out->count] = out->codes[out->count];
        out->count++;
    }
}

int geo_search(struct store *s, struct arena *a, const char *query, const char *level,
               const char *within, size_t limit, struct area_list *out)
{
    struct buf folded;
    buf_init(&folded, GEO_SEARCH_MAX_BYTES * 2);
    text_fold(query, &folded);
    char *q = arena_strdup(a, buf_cstr(&folded));
    buf_release(&folded);
    if (!*q) {
        out->items = NULL;
        out->count = 0;
        return STORE_OK;
    }
    return store_area_search(s, a, q, level, within, limit, out);
}
