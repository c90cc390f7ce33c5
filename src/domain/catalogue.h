/* The services catalogue: what each kind of office delivers, with official fee and statutory
 * working days where known. A citizen can give feedback on the services of the offices whose
 * jurisdiction covers the place where the service was delivered. */
#ifndef OURVOICE_CATALOGUE_H
#define OURVOICE_CATALOGUE_H

#include "domain/model.h"
#include "store/store.h"

bool catalogue_office_kind_valid(const char *kind);

/* Services available at a valid area code; area_code NULL: the whole catalogue. */
int catalogue_for_area(struct store *s, struct arena *a, const char *area_code,
                       struct service_list *out);

#endif
