/* Deadlines: acknowledge and answer within a number of working days per kind (the
 * `deadlines` table), skipping weekends and the public holidays table. */
#ifndef OURVOICE_DEADLINES_H
#define OURVOICE_DEADLINES_H

#include <time.h>

#include "store/store.h"

struct deadline_due {
    time_t acknowledge;
    time_t answer; /* 0: this kind has no answer deadline */
};

int deadlines_compute(struct store *s, struct arena *a, const char *kind, time_t from,
                      struct deadline_due *out);

#endif
