/* Offices: each sits on one area and its jurisdiction is that area's subtree (the ministry
 * covers the nation). Kinds: commune, owso, district_ombudsman, owsu, provincial_ombudsman,
 * ministry. */
#ifndef OURVOICE_OFFICES_H
#define OURVOICE_OFFICES_H

#include "domain/model.h"
#include "store/store.h"

bool office_kind_valid(const char *kind);

/* Offices whose jurisdiction covers a valid area code, nearest first. */
int offices_covering(struct store *s, struct arena *a, const char *area_code,
                     struct office_list *out);

#endif
