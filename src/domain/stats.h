/* Office statistics for the dashboard of a head of office (DESIGN §1, issue 5): cases by
 * status and kind, overdue, median hours to acknowledge and to answer, satisfaction and
 * evaluation scores per criterion — for the office, and split by the sex the citizen gave.
 * Computed from the office's case rows (fine at office scale). */
#ifndef OURVOICE_STATS_H
#define OURVOICE_STATS_H

#include "core/arena.h"
#include "domain/feedback.h"
#include "domain/model.h"

#define STATS_STATUSES   6
#define STATS_KINDS      4
#define STATS_SEX_GROUPS 5

extern const char *const stats_statuses[STATS_STATUSES];
extern const char *const stats_kinds[STATS_KINDS];
/* female, male, other, unsaid, and not_given for a case without the question answered */
extern const char *const stats_sex_groups[STATS_SEX_GROUPS];

struct stats_figures {
    long long total, by_status[STATS_STATUSES], by_kind[STATS_KINDS], overdue;
    double median_hours_acknowledge, median_hours_answer; /* < 0: no case to measure */
    long long rated, satisfied;
    double score_sum[FEEDBACK_CRITERIA];
    long long score_count[FEEDBACK_CRITERIA];
};

struct office_stats {
    struct stats_figures all;
    struct stats_figures by_sex[STATS_SEX_GROUPS];
};

/* now: RFC 3339 UTC, for what is overdue. */
void stats_compute(struct arena *a, const struct case_stat_list *rows, const char *now,
                   struct office_stats *out);

/* Whether a case is past its acknowledge or answer deadline at `now` (RFC 3339 UTC). */
bool stats_overdue(const char *status, const char *due_acknowledge, const char *due_answer,
                   const char *now);

#endif
