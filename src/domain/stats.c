/* Office statistics (see stats.h). Durations are measured from the case's arrival
 * (created_at) to its acknowledgement and its answer, in hours. */
#include "domain/stats.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/banned.h"

const char *const stats_statuses[STATS_STATUSES] = {"submitted", "acknowledged", "in_progress",
                                                    "answered",  "closed",       "rejected"};
const char *const stats_kinds[STATS_KINDS] = {"complaint", "support", "information", "evaluation"};
const char *const stats_sex_groups[STATS_SEX_GROUPS] = {"female", "male", "other", "unsaid",
                                                        "not_given"};

static int index_of(const char *const *names, size_t n, const char *value)
{
    for (size_t i = 0; value && i < n; i++)
        if (strcmp(names[i], value) == 0)
            return (int)i;
    return -1;
}

bool stats_overdue(const char *status, const char *due_acknowledge, const char *due_answer,
                   const char *now)
{
    if (!status)
        return false;
    if (strcmp(status, "submitted") == 0)
        return due_acknowledge && strcmp(due_acknowledge, now) < 0;
    if (strcmp(status, "acknowledged") == 0 || strcmp(status, "in_progress") == 0)
        return due_answer && strcmp(due_answer, now) < 0;
    return false;
}

/* Hours from one RFC 3339 time to another; -1 if either is missing or malformed. */
static double hours_between(const char *from, const char *to)
{
    time_t a, b;
    if (!from || !to || clock_parse(from, &a) < 0 || clock_parse(to, &b) < 0 || b < a)
        return -1;
    return (double)(b - a) / 3600.0;
}

struct samples {
    double *v;
    size_t n;
};

static int by_value(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double median(struct samples *s)
{
    if (s->n == 0)
        return -1;
    qsort(s->v, s->n, sizeof *s->v, by_value);
    return s->n % 2 ? s->v[s->n / 2] : (s->v[s->n / 2 - 1] + s->v[s->n / 2]) / 2.0;
}

static void add_scores(struct stats_figures *f, const char *scores)
{
    json_t *doc = scores ? json_loads(scores, 0, NULL) : NULL;
    if (!json_is_object(doc)) {
        json_decref(doc);
        return;
    }
    for (size_t i = 0; i < FEEDBACK_CRITERIA; i++) {
        json_t *v = json_object_get(doc, feedback_criteria[i]);
        if (json_is_integer(v) && json_integer_value(v) >= 1 && json_integer_value(v) <= 5) {
            f->score_sum[i] += (double)json_integer_value(v);
            f->score_count[i]++;
        }
    }
    json_decref(doc);
}

static void add_case(struct stats_figures *f, struct samples *ack, struct samples *ans,
                     const struct case_stat_row *c, const char *now)
{
    f->total++;
    int st = index_of(stats_statuses, STATS_STATUSES, c->status);
    int kd = index_of(stats_kinds, STATS_KINDS, c->kind);
    if (st >= 0)
        f->by_status[st]++;
    if (kd >= 0)
        f->by_kind[kd]++;
    f->overdue += stats_overdue(c->status, c->due_acknowledge, c->due_answer, now);
    double h = hours_between(c->created_at, c->acknowledged_at);
    if (h >= 0)
        ack->v[ack->n++] = h;
    h = hours_between(c->created_at, c->answered_at);
    if (h >= 0)
        ans->v[ans->n++] = h;
    if (c->satisfied >= 0) {
        f->rated++;
        f->satisfied += c->satisfied == 1;
    }
    if (c->scores)
        add_scores(f, c->scores);
}

void stats_compute(struct arena *a, const struct case_stat_list *rows, const char *now,
                   struct office_stats *out)
{
    memset(out, 0, sizeof *out);
    enum { GROUPS = 1 + STATS_SEX_GROUPS };
    struct samples ack[GROUPS], ans[GROUPS];
    size_t n = rows->count ? rows->count : 1;
    for (size_t g = 0; g < GROUPS; g++) {
        ack[g] = (struct samples){arena_alloc(a, n * sizeof(double)), 0};
        ans[g] = (struct samples){arena_alloc(a, n * sizeof(double)), 0};
    }
    for (size_t i = 0; i < rows->count; i++) {
        const struct case_stat_row *c = &rows->items[i];
        int sex = c->sex ? index_of(stats_sex_groups, STATS_SEX_GROUPS - 1, c->sex)
                         : STATS_SEX_GROUPS - 1;
        if (sex < 0)
            sex = STATS_SEX_GROUPS - 1;
        add_case(&out->all, &ack[0], &ans[0], c, now);
        add_case(&out->by_sex[sex], &ack[1 + sex], &ans[1 + sex], c, now);
    }
    out->all.median_hours_acknowledge = median(&ack[0]);
    out->all.median_hours_answer = median(&ans[0]);
    for (size_t g = 0; g < STATS_SEX_GROUPS; g++) {
        out->by_sex[g].median_hours_acknowledge = median(&ack[1 + g]);
        out->by_sex[g].median_hours_answer = median(&ans[1 + g]);
    }
}
