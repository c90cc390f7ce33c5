/* Public statistics (see public_stats.h and docs/statistics.md).
 *
 * The hiding rule works on groups: a total and the cells that add up to it. A cell of 1–4
 * is hidden. The hidden cells of a group are safe when nobody can work any of them out from
 * the total and the shown cells: at least two of them, and their sum neither as small as
 * "all 1" nor as large as "all 4". When that fails the smallest shown cell is hidden too;
 * when nothing is left to hide, the total is hidden. Cells the output does not show but a
 * reader can derive (the cases of a province that no district holds, the complaints not
 * "overcharged", the cases not open) take part as cells that are already hidden. A row
 * whose cases are hidden shows none of its counts. The rule runs until nothing changes. */
#include "domain/public_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/workdays.h"
#include "core/banned.h"

const char *const stats_count_names[STATS_COUNTS] = {
    "cases", "complaints", "support", "information", "evaluation", "open", "overcharged"};

/* Which raw counter each shown count is. */
static const enum stats_counter count_source[STATS_COUNTS] = {
    SC_CASES, SC_COMPLAINT, SC_SUPPORT, SC_INFORMATION, SC_EVALUATION, SC_OPEN, SC_OVERCHARGED};

int stats_month_parse(const char *s)
{
    size_t len = s ? strlen(s) : 0;
    if (len != 7 && len != 10)
        return -1;
    char date[11];
    memcpy(date, s, 7);
    memcpy(date + 7, len == 10 ? s + 7 : "-01", 3);
    date[10] = '\0';
    int32_t day;
    if (workdays_parse_date(date, &day) < 0)
        return -1;
    int year =
        (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
    int month = (date[5] - '0') * 10 + (date[6] - '0');
    return year * 12 + month - 1;
}

void stats_month_format(int month, char out[8])
{
    unsigned year = (unsigned)(month / 12) % 10000, m = (unsigned)(month % 12) + 1;
    out[0] = (char)('0' + year / 1000);
    out[1] = (char)('0' + year / 100 % 10);
    out[2] = (char)('0' + year / 10 % 10);
    out[3] = (char)('0' + year % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '\0';
}

int stats_month_of(time_t t)
{
    char date[11];
    workdays_format_date(workdays_local_day(t), date);
    return stats_month_parse(date);
}

void stats_month_start(int month, char out[32])
{
    char date[11];
    stats_month_format(month, date);
    memcpy(date + 7, "-01", 4);
    int32_t day = 0;
    workdays_parse_date(date, &day);
    clock_format((time_t)day * 86400 - WORKDAYS_TZ_OFFSET, out, 32);
}

int stats_percentile(const long long *per_day, int days, double p)
{
    long long n = 0;
    for (int d = 0; d < days; d++)
        n += per_day[d];
    if (n <= 0)
        return -1;
    long long rank = (long long)(p * (double)n);
    if ((double)rank < p * (double)n)
        rank++; /* ceil */
    if (rank < 1)
        rank = 1;
    long long seen = 0;
    for (int d = 0; d < days; d++) {
        seen += per_day[d];
        if (seen >= rank)
            return d;
    }
    return days - 1;
}

static bool small(long long v)
{
    return v > 0 && v < STATS_MIN_CELL;
}

/* ---- one group: a total and its parts ---- */

struct part {
    long long value;
    bool *hidden; /* NULL: a part nobody sees directly but anybody can derive */
};

static bool part_hidden(const struct part *p)
{
    return !p->hidden || *p->hidden;
}

/* Whether the hidden parts give nothing away. */
static bool group_safe(const struct part *parts, size_t n)
{
    long long sum = 0, count = 0;
    bool sensitive = false;
    for (size_t i = 0; i < n; i++)
        if (part_hidden(&parts[i]) && (parts[i].value != 0 || parts[i].hidden)) {
            sum += parts[i].value;
            count++;
            sensitive |= small(parts[i].value);
        }
    if (!sensitive)
        return true;
    return count >= 2 && sum != count && sum != 4 * count;
}

/* Hides the smallest shown non-zero part; false if there is none. */
static bool hide_smallest(struct part *parts, size_t n)
{
    struct part *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (!part_hidden(&parts[i]) && parts[i].value > 0 &&
            (!best || parts[i].value < best->value))
            best = &parts[i];
    if (!best)
        return false;
    *best->hidden = true;
    return true;
}

/* Returns true if it hid anything. */
static bool protect_group(bool *total_hidden, struct part *parts, size_t n)
{
    bool changed = false;
    for (size_t i = 0; i < n; i++)
        if (parts[i].hidden && !*parts[i].hidden && small(parts[i].value)) {
            *parts[i].hidden = true;
            changed = true;
        }
    if (*total_hidden) {
        for (size_t i = 0; i < n; i++)
            if (parts[i].hidden && !*parts[i].hidden) {
                *parts[i].hidden = true;
                changed = true;
            }
        return changed;
    }
    while (!group_safe(parts, n)) {
        if (!hide_smallest(parts, n)) {
            *total_hidden = true;
            return true;
        }
        changed = true;
    }
    return changed;
}

/* ---- the groups of a table ---- */

/* Within one figure: the kinds add up to the cases; open and not open; overcharged and not. */
static bool protect_row(struct public_figures *f)
{
    bool changed = false;
    if (small(f->count[CNT_CASES]) && !f->hidden[CNT_CASES]) {
        f->hidden[CNT_CASES] = true;
        changed = true;
    }
    if (f->hidden[CNT_CASES])
        for (int i = 0; i < STATS_COUNTS; i++)
            if (!f->hidden[i]) {
                f->hidden[i] = true;
                changed = true;
            }
    struct part kinds[] = {{f->count[CNT_COMPLAINT], &f->hidden[CNT_COMPLAINT]},
                           {f->count[CNT_SUPPORT], &f->hidden[CNT_SUPPORT]},
                           {f->count[CNT_INFORMATION], &f->hidden[CNT_INFORMATION]},
                           {f->count[CNT_EVALUATION], &f->hidden[CNT_EVALUATION]}};
    changed |= protect_group(&f->hidden[CNT_CASES], kinds, 4);
    struct part open[] = {{f->count[CNT_OPEN], &f->hidden[CNT_OPEN]},
                          {f->count[CNT_CASES] - f->count[CNT_OPEN], NULL}};
    bool keep = f->hidden[CNT_CASES];
    changed |= protect_group(&keep, open, 2);
    struct part fee[] = {{f->count[CNT_OVERCHARGED], &f->hidden[CNT_OVERCHARGED]},
                         {f->count[CNT_COMPLAINT] - f->count[CNT_OVERCHARGED], NULL}};
    keep = f->hidden[CNT_COMPLAINT];
    changed |= protect_group(&keep, fee, 2);
    return changed;
}

/* One count down the rows: the rows' cells add up to the total's (the remainder, if the
 * rows do not cover every case, is a derived part). */
static bool protect_column(struct public_stats *st, int c, struct part *parts)
{
    long long sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < st->count; i++) {
        parts[n++] = (struct part){st->rows[i].f.count[c], &st->rows[i].f.hidden[c]};
        sum += st->rows[i].f.count[c];
    }
    if (st->total.count[c] != sum)
        parts[n++] = (struct part){st->total.count[c] - sum, NULL};
    return protect_group(&st->total.hidden[c], parts, n);
}

void public_stats_suppress(struct public_stats *st)
{
    struct part *parts = xcalloc(st->count + 1, sizeof *parts);
    for (int round = 0; round < 64; round++) {
        bool changed = protect_row(&st->total);
        for (size_t i = 0; i < st->count; i++)
            changed |= protect_row(&st->rows[i].f);
        if (st->count)
            for (int c = 0; c < STATS_COUNTS; c++)
                changed |= protect_column(st, c, parts);
        if (!changed)
            break;
    }
    free(parts);
}

/* ---- figures from raw sums ---- */

static double share(long long part, long long base)
{
    return base >= STATS_MIN_CELL ? (double)part / (double)base : -1;
}

static void fill_rates(struct public_figures *f)
{
    const long long *s = f->sums;
    for (int i = 0; i < STATS_COUNTS; i++)
        f->count[i] = s[count_source[i]];
    f->response_rate = share(s[SC_RESPONDED], s[SC_TO_ANSWER]);
    f->answered_in_time = share(s[SC_ANSWERED_IN_TIME], s[SC_ANSWERED]);
    f->satisfaction = share(s[SC_SATISFIED], s[SC_RATED]);
    f->rating = share(s[SC_RATING_SUM], s[SC_RATING_N]);
}

/* The raw rows of one key. Every raw row type starts with its `const char *key`; the
 * arrays are sorted by key once (sort_raw), so a key's rows are one run found by bisection. */
struct run {
    const char *first;
    size_t count, size;
};

static const char *key_of(const void *item)
{
    const char *key = *(const char *const *)item;
    return key ? key : "";
}

static int by_key(const void *a, const void *b)
{
    return strcmp(key_of(a), key_of(b));
}

static void sort_by_key(void *items, size_t n, size_t size)
{
    if (n > 1) /* (qsort is not given the NULL of an empty list) */
        qsort(items, n, size, by_key);
}

static void sort_raw(struct stats_raw *raw)
{
    sort_by_key(raw->sums, raw->sums_count, sizeof *raw->sums);
    sort_by_key(raw->delays, raw->delays_count, sizeof *raw->delays);
    sort_by_key(raw->scores, raw->scores_count, sizeof *raw->scores);
}

static struct run run_of(const void *items, size_t n, size_t size, const char *key)
{
    const char *base = items;
    if (n == 0)
        return (struct run){NULL, 0, size};
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(key_of(base + mid * size), key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < n && strcmp(key_of(base + end * size), key) == 0)
        end++;
    return (struct run){base + lo * size, end - lo, size};
}

#define RUN(array, count, key) run_of((array), (count), sizeof *(array), (key))

static void fill_delays(struct public_figures *f, struct run r)
{
    long long hist[2][STATS_MAX_DAYS] = {{0}};
    const struct stats_delay *d = (const struct stats_delay *)r.first;
    for (size_t i = 0; i < r.count; i++)
        if (d[i].days >= 0)
            hist[d[i].measure == STATS_ANSWER][stats_days_bucket(d[i].days)] += d[i].n;
    struct stats_percentiles *out[2] = {&f->acknowledge_days, &f->answer_days};
    for (int m = 0; m < 2; m++) {
        long long n = 0;
        for (int day = 0; day < STATS_MAX_DAYS; day++)
            n += hist[m][day];
        out[m]->median = n >= STATS_MIN_CELL ? stats_percentile(hist[m], STATS_MAX_DAYS, 0.5) : -1;
        out[m]->p90 = n >= STATS_MIN_CELL ? stats_percentile(hist[m], STATS_MAX_DAYS, 0.9) : -1;
    }
}

static void fill_scores(struct public_figures *f, struct run r)
{
    const struct stats_score *sc = (const struct stats_score *)r.first;
    for (int c = 0; c < FEEDBACK_CRITERIA; c++) {
        long long n = 0, sum = 0;
        for (size_t i = 0; i < r.count; i++)
            if (strcmp(sc[i].criterion, feedback_criteria[c]) == 0) {
                n += sc[i].n;
                sum += sc[i].sum;
            }
        f->score[c] = share(sum, n);
    }
}

/* The figures of one key; returns the index of its raw sums row, or -1 if it has none. */
static long fill_figures(struct public_figures *f, const struct stats_raw *raw, const char *key)
{
    memset(f, 0, sizeof *f);
    struct run sums = RUN(raw->sums, raw->sums_count, key);
    const struct stats_sums *row = (const struct stats_sums *)sums.first;
    for (size_t i = 0; i < sums.count; i++)
        for (int c = 0; c < STATS_COUNTERS; c++)
            f->sums[c] += row[i].count[c];
    fill_rates(f);
    fill_delays(f, RUN(raw->delays, raw->delays_count, key));
    fill_scores(f, RUN(raw->scores, raw->scores_count, key));
    return sums.count ? (long)(row - raw->sums) : -1;
}

/* Adds the row of a key; `placed` marks the raw sums rows that have a row now. */
static void add_row(struct public_stats *st, const struct stats_raw *rows, const char *key,
                    int key_index, bool keep_empty, bool *placed)
{
    struct public_row *row = &st->rows[st->count];
    row->key = key;
    row->key_index = key_index;
    long at = fill_figures(&row->f, rows, key);
    if (at >= 0)
        placed[at] = true;
    if (keep_empty || row->f.sums[SC_CASES] != 0)
        st->count++;
}

void public_stats_build(struct arena *a, struct stats_raw *total, struct stats_raw *rows,
                        const char *const *keys, size_t nkeys, bool keep_empty,
                        struct public_stats *out)
{
    memset(out, 0, sizeof *out);
    sort_raw(total);
    fill_figures(&out->total, total, "");
    if (rows) {
        sort_raw(rows);
        size_t cap = nkeys + rows->sums_count;
        out->rows = arena_alloc(a, (cap ? cap : 1) * sizeof *out->rows);
        bool *placed = arena_zalloc(a, rows->sums_count + 1);
        for (size_t i = 0; i < nkeys; i++)
            add_row(out, rows, keys[i], (int)i, keep_empty, placed);
        for (size_t i = 0; i < rows->sums_count; i++)
            if (!placed[i])
                add_row(out, rows, rows->sums[i].key, -1, false, placed);
    }
    public_stats_suppress(out);
}
