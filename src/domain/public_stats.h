/* Public statistics (docs/statistics.md): figures assembled from the roll-up sums the store
 * returns, with every cell of fewer than 5 people hidden — and hidden cells protected
 * against recovery by subtraction from a total or from the other cells of their row. */
#ifndef OURVOICE_PUBLIC_STATS_H
#define OURVOICE_PUBLIC_STATS_H

#include <stdbool.h>
#include <time.h>

#include "core/arena.h"
#include "domain/feedback.h"
#include "domain/model.h"

#define STATS_MIN_CELL 5

/* The counts a figure shows, each a cell that may be hidden. */
enum stats_count {
    CNT_CASES,
    CNT_COMPLAINT,
    CNT_SUPPORT,
    CNT_INFORMATION,
    CNT_EVALUATION,
    CNT_OPEN,
    CNT_OVERCHARGED,
    STATS_COUNTS
};
extern const char *const stats_count_names[STATS_COUNTS];

struct stats_percentiles {
    int median, p90; /* whole days; -1: not shown */
};

struct public_figures {
    long long sums[STATS_COUNTERS]; /* raw sums: never published as such */
    long long count[STATS_COUNTS];
    bool hidden[STATS_COUNTS];
    double response_rate, answered_in_time, satisfaction, rating; /* < 0: not shown */
    struct stats_percentiles acknowledge_days, answer_days;
    double score[FEEDBACK_CRITERIA]; /* < 0: not shown */
};

struct public_row {
    const char *key;
    int key_index; /* its place in the keys given to public_stats_build; -1: not among them */
    struct public_figures f;
};

struct public_stats {
    struct public_figures total;
    struct public_row *rows;
    size_t count;
};

/* Builds the figures of a query: `total` is the raw answer grouped by nothing, `rows` the
 * same query grouped by the breakdown (NULL: no breakdown); both are sorted by key here.
 * keys/nkeys give the rows' order; keys found in `rows` but not in `keys` follow in key
 * order. With keep_empty every key gets a row, otherwise keys without a case are left out.
 * Hides what must be hidden. */
void public_stats_build(struct arena *a, struct stats_raw *total, struct stats_raw *rows,
                        const char *const *keys, size_t nkeys, bool keep_empty,
                        struct public_stats *out);

/* The hiding rule alone, over figures whose counts are set (exposed for tests). */
void public_stats_suppress(struct public_stats *st);

/* Months as numbers (year * 12 + month - 1), for periods. */
#define STATS_MAX_MONTHS 120
/* "YYYY-MM" or "YYYY-MM-DD" → its month; -1 if malformed. */
int stats_month_parse(const char *s);
void stats_month_format(int month, char out[8]);
/* The month of time t in Cambodian local time. */
int stats_month_of(time_t t);
/* The first instant of the month (local midnight), as RFC 3339 UTC. */
void stats_month_start(int month, char out[32]);

/* Nearest-rank percentile (0 < p <= 1) of a histogram of whole days; -1 when empty. */
int stats_percentile(const long long *per_day, int days, double p);

#endif
