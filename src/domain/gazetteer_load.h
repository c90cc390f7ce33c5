/* Loading the reference data of `ourvoice init` from the data folder into the store: the
 * gazetteer (provinces, districts, communes, villages), the services catalogue, the public
 * holidays and, for a demo, an office of each kind wherever one can exist. Every load is
 * idempotent: running it again changes nothing. */
#ifndef OURVOICE_GAZETTEER_LOAD_H
#define OURVOICE_GAZETTEER_LOAD_H

#include "store/store.h"

struct load_counts {
    long long areas, services, holidays, offices;
};

/* Each returns 0 or a store status; *err gets a static message on failure. */
int load_gazetteer(struct store *s, const char *data_dir, struct load_counts *n, const char **err);
int load_services(struct store *s, const char *data_dir, struct load_counts *n, const char **err);
int load_holidays(struct store *s, const char *data_dir, struct load_counts *n, const char **err);
int load_demo_offices(struct store *s, const char *data_dir, struct load_counts *n,
                      const char **err);

#endif
