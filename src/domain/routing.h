/* Routing (DESIGN §2): which office handles a new case, from the editable routing_rules
 * table: the office kind that delivered the service, the kind of feedback, and whether the
 * citizen asked that the office not handle it or flagged it gender-sensitive. A sensitive
 * complaint never goes to the office it accuses. Where the target office does not exist,
 * the case goes one level up (commune → District Ombudsman → Provincial Ombudsman →
 * ministry), which is also the escalation chain. */
#ifndef OURVOICE_ROUTING_H
#define OURVOICE_ROUTING_H

#include <stdbool.h>

#include "domain/model.h"
#include "store/store.h"

struct route_request {
    const char *kind;
    const struct area *area;
    const char *delivered_by; /* the service's office kind; NULL: from the area's level */
    bool sensitive, bypass_office;
};

struct route_result {
    struct office office;     /* handles the case */
    int64_t origin_office_id; /* delivered the service (0: unknown) */
    int64_t ccwc_office_id;   /* a CCWC that may help with a sensitive case (0: none) */
};

/* STORE_NOT_FOUND when no office at all can take it. */
int routing_route(struct store *s, struct arena *a, const struct route_request *req,
                  struct route_result *out);

/* The office one level above `from` (escalation, appeal). STORE_NOT_FOUND at the top. */
int routing_next_level(struct store *s, struct arena *a, const struct office *from,
                       struct office *out);

#endif
