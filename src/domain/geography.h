/* Geography: the gazetteer's areas. Codes are hierarchical NCDD strings (2 digits for a
 * province, 4 district, 6 commune, 8 village) and an area's ancestors are its prefixes. */
#ifndef OURVOICE_GEOGRAPHY_H
#define OURVOICE_GEOGRAPHY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "domain/model.h"
#include "store/store.h"

#define GEO_SEARCH_MAX_BYTES 100
#define GEO_SEARCH_LIMIT     50

struct geo_ancestry {
    char codes[4][AREA_CODE_MAX + 1];
    const char *list[4]; /* the code itself first, then its parent, up to the province */
    size_t count;
};

bool geo_code_valid(const char *code);
bool geo_level_valid(const char *level);

/* Fills the ancestry of a valid code. */
void geo_ancestry(const char *code, struct geo_ancestry *out);

/* Finds areas whose Khmer or Latin name contains the query (folded as text_fold does).
 * level and within (a code prefix) are optional filters. */
int geo_search(struct store *s, struct arena *a, const char *query, const char *level,
               const char *within, size_t limit, struct area_list *out);

#endif
