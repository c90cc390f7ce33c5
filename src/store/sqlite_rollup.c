/* Rebuilding the statistics roll-ups on SQLite (`ourvoice stats rebuild`, and the end of
 * `ourvoice seed`). Grouping the expanded view case_stat_rows in SQL costs minutes per
 * million cases (40 rows a case through SQLite's sorter), so the per-case facts of the view
 * case_stat_facts are read in area order and summed in memory, one province at a time, and
 * the sums written with upserts. The expansion here (nation, province, district, commune,
 * office × the breakdowns) is the one case_stat_rows makes; `ourvoice stats check` compares
 * the result with that view, and the tests run it after a rebuild. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/countmap.h"
#include "store/sqlite_internal.h"
#include "core/banned.h"

#define SEP "\x1f"

enum {
    F_MONTH,
    F_KIND,
    F_STATUS,
    F_OFFICE,
    F_AREA,
    F_SEX,
    F_AGE,
    F_DISABILITY,
    F_SERVICE,
    F_COUNTERS /* 15 counters from complaint to overcharged */,
    F_ACK_DAYS = F_COUNTERS + 15,
    F_ANSWER_DAYS,
    F_SCORES
};

static const char sql_facts[] =
    "SELECT month, kind, status, office_id, area_code, sex, age_band, disability, service,"
    " complaint, support, information, evaluation, open, to_answer, responded, acknowledged,"
    " answered, answered_in_time, rated, satisfied, rating_n, rating_sum, overcharged,"
    " acknowledge_days, answer_days, scores FROM case_stat_facts ORDER BY area_code";

#define ADD(c) c " = " c " + excluded." c
static const char sql_put_cell[] =
    "INSERT INTO stats_cells VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
    " ?14, ?15, ?16, ?17, ?18, ?19, ?20) ON CONFLICT DO UPDATE SET"
    " n = n + excluded.n,"
    " complaint = complaint + excluded.complaint,"
    " support = support + excluded.support,"
    " information = information + excluded.information,"
    " evaluation = evaluation + excluded.evaluation,"
    " open = open + excluded.open,"
    " to_answer = to_answer + excluded.to_answer,"
    " responded = responded + excluded.responded,"
    " acknowledged = acknowledged + excluded.acknowledged,"
    " answered = answered + excluded.answered,"
    " answered_in_time = answered_in_time + excluded.answered_in_time,"
    " rated = rated + excluded.rated,"
    " satisfied = satisfied + excluded.satisfied,"
    " rating_n = rating_n + excluded.rating_n,"
    " rating_sum = rating_sum + excluded.rating_sum,"
    " overcharged = overcharged + excluded.overcharged";
static const char sql_put_delay[] = "INSERT INTO stats_delays VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                                    " ON CONFLICT DO UPDATE SET " ADD("n");
static const char sql_put_score[] = "INSERT INTO stats_scores VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                                    " ON CONFLICT DO UPDATE SET " ADD("n") ", " ADD("sum");

struct rollup {
    struct sqlite_store *s;
    struct countmap *cells, *delays, *scores;
};

/* One fact row, as text. */
struct facts {
    const char *month, *office, *area, *value[8];
    long long counters[STATS_COUNTERS];
    bool has_ack, has_answer;
    int ack_days, answer_days;
    json_t *scores;
};

static const char *const dims[8] = {"all",      "kind",       "status",  "sex",
                                    "age_band", "disability", "service", "office"};

static bool timed_dim(int d)
{
    return d == 0 || d == 1 || d == 3 || d == 7; /* all, kind, sex, office */
}

static const char *text(sqlite3_stmt *st, int i)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    return v ? v : "";
}

static void read_facts(sqlite3_stmt *st, struct facts *f)
{
    f->month = text(st, F_MONTH);
    f->office = text(st, F_OFFICE);
    f->area = text(st, F_AREA);
    f->value[0] = "";
    f->value[1] = text(st, F_KIND);
    f->value[2] = text(st, F_STATUS);
    f->value[3] = text(st, F_SEX);
    f->value[4] = text(st, F_AGE);
    f->value[5] = text(st, F_DISABILITY);
    f->value[6] = text(st, F_SERVICE);
    f->value[7] = f->office;
    f->counters[SC_CASES] = 1;
    for (int i = 0; i < 15; i++)
        f->counters[SC_COMPLAINT + i] = sqlite3_column_int64(st, F_COUNTERS + i);
    f->has_ack = sqlite3_column_type(st, F_ACK_DAYS) != SQLITE_NULL;
    f->has_answer = sqlite3_column_type(st, F_ANSWER_DAYS) != SQLITE_NULL;
    f->ack_days = sqlite3_column_int(st, F_ACK_DAYS);
    f->answer_days = sqlite3_column_int(st, F_ANSWER_DAYS);
    const char *scores = (const char *)sqlite3_column_text(st, F_SCORES);
    f->scores = scores ? json_loads(scores, 0, NULL) : NULL;
}

static void add_timed(struct rollup *r, const char *key, const struct facts *f)
{
    char k[2 * COUNTMAP_KEY_MAX];
    if (f->has_ack) {
        snprintf(k, sizeof k, "%s" SEP "acknowledge" SEP "%d", key, f->ack_days);
        countmap_get(r->delays, k)[0]++;
    }
    if (f->has_answer) {
        snprintf(k, sizeof k, "%s" SEP "answer" SEP "%d", key, f->answer_days);
        countmap_get(r->delays, k)[0]++;
    }
    const char *criterion;
    json_t *v;
    json_object_foreach(f->scores, criterion, v)
    {
        snprintf(k, sizeof k, "%s" SEP "%s", key, criterion);
        long long *c = countmap_get(r->scores, k);
        c[0]++;
        c[1] += json_integer_value(v);
    }
}

static void add_scope(struct rollup *r, const char *scope, const struct facts *f)
{
    char key[COUNTMAP_KEY_MAX];
    for (int d = 0; d < 8; d++) {
        snprintf(key, sizeof key, "%s" SEP "%s" SEP "%s" SEP "%s", scope, dims[d], f->value[d],
                 f->month);
        long long *c = countmap_get(r->cells, key);
        for (int i = 0; i < STATS_COUNTERS; i++)
            c[i] += f->counters[i];
        if (timed_dim(d))
            add_timed(r, key, f);
    }
}

static void add_case(struct rollup *r, const struct facts *f)
{
    char scope[32];
    add_scope(r, "", f);
    size_t len = strlen(f->area);
    for (size_t level = 2; level <= 6 && level <= len; level += 2) {
        snprintf(scope, sizeof scope, "%.*s", (int)level, f->area);
        add_scope(r, scope, f);
    }
    snprintf(scope, sizeof scope, "office:%s", f->office);
    add_scope(r, scope, f);
}

/* Binds the key's fields to ?1.. and returns how many there were. */
static int bind_key(sqlite3_stmt *st, const char *key, char *copy)
{
    snprintf(copy, COUNTMAP_KEY_MAX, "%s", key);
    int n = 0;
    for (char *p = copy, *next; p; p = next) {
        next = strchr(p, SEP[0]);
        if (next)
            *next++ = '\0';
        sqlite3_bind_text(st, ++n, p, -1, SQLITE_TRANSIENT);
    }
    return n;
}

struct entry {
    const char *key;
    const long long *counters;
};

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

/* Writes the map's sums in key order (B-tree pages filled in order, not at random). */
static int flush_map(struct rollup *r, struct countmap *m, const char *sql, int width)
{
    sqlite3_stmt *st = sq_stmt(r->s, sql);
    if (!st)
        return STORE_FAILED;
    size_t n = countmap_size(m), pos = 0, i = 0;
    struct entry *all = xmalloc((n ? n : 1) * sizeof *all);
    for (const char *key; (key = countmap_next(m, &pos, &all[i].counters));)
        all[i++].key = key;
    qsort(all, n, sizeof *all, by_key);
    char copy[COUNTMAP_KEY_MAX];
    int rc = STORE_OK;
    for (i = 0; rc == STORE_OK && i < n; i++) {
        int k = bind_key(st, all[i].key, copy);
        for (int c = 0; c < width; c++)
            sqlite3_bind_int64(st, k + 1 + c, all[i].counters[c]);
        rc = sq_run(r->s, st, "stats_rebuild");
        sqlite3_reset(st);
    }
    free(all);
    countmap_clear(m);
    return rc;
}

static int flush(struct rollup *r)
{
    int rc = flush_map(r, r->cells, sql_put_cell, STATS_COUNTERS);
    if (rc == STORE_OK)
        rc = flush_map(r, r->delays, sql_put_delay, 1);
    if (rc == STORE_OK)
        rc = flush_map(r, r->scores, sql_put_score, 2);
    return rc;
}

static int sum_cases(struct rollup *r)
{
    sqlite3_stmt *st = sq_stmt(r->s, sql_facts);
    if (!st)
        return STORE_FAILED;
    char province[3] = "";
    int rc, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct facts f;
        read_facts(st, &f);
        if (strncmp(province, f.area, 2) != 0) {
            /* a new province: what is summed so far is written (the nation and the
             * offices that span provinces are upserted again later) */
            if ((rc = flush(r)) != STORE_OK) {
                json_decref(f.scores);
                sqlite3_reset(st);
                return rc;
            }
            snprintf(province, sizeof province, "%.2s", f.area);
        }
        add_case(r, &f);
        json_decref(f.scores);
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return sq_failed(r->s, step, "stats_rebuild");
    return flush(r);
}

int sqs_stats_rebuild(struct store *base)
{
    struct sqlite_store *s = sq_impl(base);
    static const char *const clear[] = {"DELETE FROM stats_cells", "DELETE FROM stats_delays",
                                        "DELETE FROM stats_scores"};
    for (size_t i = 0; i < sizeof clear / sizeof *clear; i++) {
        int rc = sq_exec(s, clear[i]);
        if (rc != STORE_OK)
            return rc;
    }
    struct rollup r = {s, countmap_new(STATS_COUNTERS), countmap_new(1), countmap_new(2)};
    int rc = sum_cases(&r);
    countmap_free(r.cells);
    countmap_free(r.delays);
    countmap_free(r.scores);
    return rc;
}
