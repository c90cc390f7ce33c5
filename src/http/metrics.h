/* Prometheus metrics: requests by route and status, a latency histogram, requests in
 * flight, database errors, and named counters other modules register (e.g. alarms).
 * All updates are lock-free atomics, safe from any thread. */
#ifndef OURVOICE_METRICS_H
#define OURVOICE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "http/router.h"

#define METRICS_ROUTE_STATIC (-1)
#define METRICS_ROUTE_NONE   (-2)

void metrics_init(const struct route_table *routes);
void metrics_observe(int route_index, int status, uint64_t duration_ns);
void metrics_inflight(int delta);

/* A process-wide counter by name (static storage); up to 32 distinct names. */
void metrics_count(const char *name, const char *help, uint64_t delta);

void metrics_render(struct buf *out);

#endif
