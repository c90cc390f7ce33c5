/* Office queries (see offices.h). */
#include "domain/offices.h"

#include <string.h>

#include "domain/geography.h"
#include "core/banned.h"

bool office_kind_valid(const char *kind)
{
    static const char *const kinds[] = {
        "commune", "owso", "district_ombudsman", "owsu", "provincial_ombudsman", "ministry"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kind, kinds[i]) == 0)
            return true;
    return false;
}

int offices_covering(struct store *s, struct arena *a, const char *area_code,
                     struct office_list *out)
{
    struct geo_ancestry anc;
    geo_ancestry(area_code, &anc);
    return store_offices_covering(s, a, anc.list, anc.count, out);
}
