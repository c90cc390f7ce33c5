/* Metrics storage and the Prometheus text rendering (see metrics.h). Status codes are
 * bucketed into a fixed list so the counter table is a plain array. */
#include "http/metrics.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include "store/store.h"
#include "core/banned.h"

#define MAX_ROUTES 128
#define ROWS       (MAX_ROUTES + 2) /* + static files + unmatched */

static const int statuses[] = {200, 201, 204, 301, 304, 400, 401, 403, 404, 405,
                               409, 413, 414, 415, 429, 500, 501, 503, 0 /* other */};
#define NSTATUS (sizeof statuses / sizeof statuses[0])

static const double buckets_ms[] = {0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};
#define NBUCKETS (sizeof buckets_ms / sizeof buckets_ms[0])

static const struct route_table *table;
static _Atomic uint64_t requests[ROWS][NSTATUS];
static _Atomic uint64_t histogram[NBUCKETS + 1];
static _Atomic uint64_t latency_sum_us;
static _Atomic uint64_t latency_count;
static _Atomic int64_t in_flight;

struct named {
    _Atomic(const char *) name;
    const char *help;
    _Atomic uint64_t value;
};
static struct named named[32];

void metrics_init(const struct route_table *routes)
{
    table = routes;
}

static size_t row_of(int route_index)
{
    if (route_index >= 0 && route_index < MAX_ROUTES)
        return (size_t)route_index;
    return route_index == METRICS_ROUTE_STATIC ? MAX_ROUTES : MAX_ROUTES + 1;
}

static size_t status_slot(int status)
{
    for (size_t i = 0; i + 1 < NSTATUS; i++)
        if (statuses[i] == status)
            return i;
    return NSTATUS - 1;
}

void metrics_observe(int route_index, int status, uint64_t duration_ns)
{
    atomic_fetch_add_explicit(&requests[row_of(route_index)][status_slot(status)], 1,
                              memory_order_relaxed);
    double ms = (double)duration_ns / 1e6;
    size_t b = 0;
    while (b < NBUCKETS && ms > buckets_ms[b])
        b++;
    atomic_fetch_add_explicit(&histogram[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&latency_sum_us, duration_ns / 1000, memory_order_relaxed);
    atomic_fetch_add_explicit(&latency_count, 1, memory_order_relaxed);
}

void metrics_inflight(int delta)
{
    atomic_fetch_add_explicit(&in_flight, delta, memory_order_relaxed);
}

void metrics_count(const char *name, const char *help, uint64_t delta)
{
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        const char *have = atomic_load(&named[i].name);
        if (!have) {
            const char *expected = NULL;
            named[i].help = help;
            if (!atomic_compare_exchange_strong(&named[i].name, &expected, name))
                have = expected;
            else
                have = name;
        }
        if (strcmp(have, name) == 0) {
            atomic_fetch_add(&named[i].value, delta);
            return;
        }
    }
}

static const char *route_label(size_t row)
{
    if (row == MAX_ROUTES)
        return "static";
    if (row == MAX_ROUTES + 1)
        return "none";
    return table && row < table->count ? table->routes[row].pattern : "unknown";
}

static const char *method_label(size_t row)
{
    return table && row < table->count ? router_method_name(table->routes[row].method) : "";
}

void metrics_render(struct buf *out)
{
    buf_adds(out, "# HELP ourvoice_http_requests_total HTTP requests by route and status.\n"
                  "# TYPE ourvoice_http_requests_total counter\n");
    for (size_t row = 0; row < ROWS; row++) {
        if (row < MAX_ROUTES && (!table || row >= table->count))
            continue;
        for (size_t s = 0; s < NSTATUS; s++) {
            uint64_t v = atomic_load_explicit(&requests[row][s], memory_order_relaxed);
            if (!v)
                continue;
            char status[8];
            if (statuses[s])
                snprintf(status, sizeof status, "%d", statuses[s]);
            else
                snprintf(status, sizeof status, "other");
            buf_addf(
                out,
                "ourvoice_http_requests_total{route=\"%s\",method=\"%s\",status=\"%s\"} %llu\n",
                route_label(row), method_label(row), status, (unsigned long long)v);
        }
    }
    buf_adds(out, "# HELP ourvoice_http_request_duration_seconds Time to answer a request.\n"
                  "# TYPE ourvoice_http_request_duration_seconds histogram\n");
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= NBUCKETS; b++) {
        cumulative += atomic_load_explicit(&histogram[b], memory_order_relaxed);
        if (b < NBUCKETS)
            buf_addf(out, "ourvoice_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                     buckets_ms[b] / 1000.0, (unsigned long long)cumulative);
        else
            buf_addf(out, "ourvoice_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                     (unsigned long long)cumulative);
    }
    buf_addf(out, "ourvoice_http_request_duration_seconds_sum %.6f\n",
             (double)atomic_load(&latency_sum_us) / 1e6);
    buf_addf(out, "ourvoice_http_request_duration_seconds_count %llu\n",
             (unsigned long long)atomic_load(&latency_count));
    buf_addf(out,
             "# HELP ourvoice_http_requests_in_flight Requests being handled.\n"
             "# TYPE ourvoice_http_requests_in_flight gauge\n"
             "ourvoice_http_requests_in_flight %lld\n",
             (long long)atomic_load(&in_flight));
    buf_addf(out,
             "# HELP ourvoice_db_errors_total Failed database operations.\n"
             "# TYPE ourvoice_db_errors_total counter\n"
             "ourvoice_db_errors_total %llu\n",
             store_error_count());
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        const char *name = atomic_load(&named[i].name);
        if (!name)
            break;
        buf_addf(out, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name, named[i].help, name, name,
                 (unsigned long long)atomic_load(&named[i].value));
    }
}
