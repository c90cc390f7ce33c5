/* Services catalogue queries (see catalogue.h). */
#include "domain/catalogue.h"

#include <string.h>

#include "domain/geography.h"
#include "core/banned.h"

bool catalogue_office_kind_valid(const char *kind)
{
    return strcmp(kind, "commune") == 0 || strcmp(kind, "owso") == 0 || strcmp(kind, "owsu") == 0;
}

int catalogue_for_area(struct store *s, struct arena *a, const char *area_code,
                       struct service_list *out)
{
    struct geo_ancestry anc = {.count = 0};
    if (area_code)
        geo_ancestry(area_code, &anc);
    return store_services_for_area(s, a, anc.list, anc.count, out);
}
