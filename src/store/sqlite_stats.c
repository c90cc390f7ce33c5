/* Public statistics on SQLite: sums of roll-up rows (stats_cells, stats_delays,
 * stats_scores; kept by the triggers of migration 0005), the published quotations, and the
 * recount check of the roll-ups against the view case_stat_rows (the rebuild is in
 * sqlite_rollup.c).
 *
 * The delay and score rows are many (a day histogram per month and key), so they are not
 * grouped by SQL (a sort of every row): they are read in the primary key's order, where the
 * rows of one key and scope follow one another, and summed here one run at a time. A key
 * may come back in a later run (by=area reads several scopes); the domain adds runs up. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/text.h"
#include "store/sqlite_internal.h"
#include "core/banned.h"

/* The counters of stats_cells, in the order of enum stats_counter. */
#define SUMS                                                                                       \
    "sum(n), sum(complaint), sum(support), sum(information), sum(evaluation), sum(open),"          \
    " sum(to_answer), sum(responded), sum(acknowledged), sum(answered),"                           \
    " sum(answered_in_time), sum(rated), sum(satisfied), sum(rating_n), sum(rating_sum),"          \
    " sum(overcharged)"

/* ?1 a JSON array of scopes, ?2 the dim, ?3/?4 the first and last month. The dim "all" has
 * only the value '', which said lets the month range narrow the primary key's search. */
#define WHERE_ANY                                                                                  \
    " WHERE scope IN (SELECT value FROM json_each(?1)) AND dim = ?2 AND month BETWEEN ?3 AND ?4"
#define WHERE_ALL                                                                                  \
    " WHERE scope IN (SELECT value FROM json_each(?1)) AND dim = ?2 AND value = ''"                \
    " AND month BETWEEN ?3 AND ?4"

#define CELLS(key, where) "SELECT " key ", " SUMS " FROM stats_cells" where " GROUP BY 1 ORDER BY 1"
/* (No ORDER BY: the rows come in the primary key's order, which is what the summing wants.) */
#define DELAYS(key, where) "SELECT " key ", measure, days, n FROM stats_delays" where
#define SCORES(key, where) "SELECT " key ", criterion, n, sum FROM stats_scores" where
#define BY_GROUP(sql)                                                                              \
    {                                                                                              \
        {sql("''", WHERE_ANY), sql("value", WHERE_ANY), sql("scope", WHERE_ANY),                   \
         sql("month", WHERE_ANY)},                                                                 \
            {sql("''", WHERE_ALL), sql("value", WHERE_ALL), sql("scope", WHERE_ALL),               \
             sql("month", WHERE_ALL)},                                                             \
    }

/* Indexed by [dim is "all"][enum stats_group]: the key each group sums under. */
static const char *const sql_cells[2][4] = BY_GROUP(CELLS);
static const char *const sql_delays[2][4] = BY_GROUP(DELAYS);
static const char *const sql_scores[2][4] = BY_GROUP(SCORES);

static void read_sums(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct stats_sums *row = item;
    row->key = sq_col_text(st, 0, a);
    for (int i = 0; i < STATS_COUNTERS; i++)
        row->count[i] = sqlite3_column_int64(st, i + 1);
}

/* Rows summed while read, one run of rows with the same key at a time. */
struct summing {
    struct arena *a;
    void *items; /* struct stats_delay or struct stats_score */
    size_t count, cap, size;
    const char *key; /* the run's key (arena copy); NULL before the first row */
    long long hist[2][STATS_MAX_DAYS];
    struct stats_score scores[16]; /* the run's criteria */
    size_t score_count;
};

static void *summing_next(struct summing *sm)
{
    if (sm->count == sm->cap) {
        size_t ncap = sm->cap ? sm->cap * 2 : 64;
        void *grown = arena_alloc(sm->a, ncap * sm->size);
        if (sm->count)
            memcpy(grown, sm->items, sm->count * sm->size);
        sm->items = grown;
        sm->cap = ncap;
    }
    return (char *)sm->items + sm->count++ * sm->size;
}

static void delays_flush(struct summing *sm)
{
    for (int m = 0; m < 2; m++)
        for (int day = 0; day < STATS_MAX_DAYS; day++)
            if (sm->hist[m][day] != 0) {
                struct stats_delay *d = summing_next(sm);
                *d = (struct stats_delay){sm->key, (enum stats_measure)m, day, sm->hist[m][day]};
                sm->hist[m][day] = 0;
            }
}

static void scores_flush(struct summing *sm)
{
    for (size_t i = 0; i < sm->score_count; i++)
        if (sm->scores[i].n != 0) {
            struct stats_score *sc = summing_next(sm);
            *sc = sm->scores[i];
            sc->key = sm->key;
        }
    sm->score_count = 0;
}

/* Starts a new run when the row's key is not the run's (the previous run is flushed). */
static void summing_key(struct summing *sm, sqlite3_stmt *st, void (*flush)(struct summing *))
{
    const char *key = (const char *)sqlite3_column_text(st, 0);
    if (sm->key && strcmp(sm->key, key ? key : "") == 0)
        return;
    if (sm->key)
        flush(sm);
    sm->key = sq_col_text(st, 0, sm->a);
}

static void add_delay(struct summing *sm, sqlite3_stmt *st)
{
    summing_key(sm, st, delays_flush);
    const char *measure = (const char *)sqlite3_column_text(st, 1);
    int m = measure && strcmp(measure, "answer") == 0 ? STATS_ANSWER : STATS_ACKNOWLEDGE;
    int days = sqlite3_column_int(st, 2);
    if (days >= 0)
        sm->hist[m][stats_days_bucket(days)] += sqlite3_column_int64(st, 3);
}

static void add_score(struct summing *sm, sqlite3_stmt *st)
{
    summing_key(sm, st, scores_flush);
    const char *criterion = (const char *)sqlite3_column_text(st, 1);
    criterion = criterion ? criterion : "";
    size_t i = 0;
    while (i < sm->score_count && strcmp(sm->scores[i].criterion, criterion) != 0)
        i++;
    if (i == sm->score_count) {
        if (i == sizeof sm->scores / sizeof *sm->scores) { /* more criteria than ever defined */
            scores_flush(sm);
            i = 0;
        }
        sm->scores[i] = (struct stats_score){NULL, sq_col_text(st, 1, sm->a), 0, 0};
        sm->score_count = i + 1;
    }
    sm->scores[i].n += sqlite3_column_int64(st, 2);
    sm->scores[i].sum += sqlite3_column_int64(st, 3);
}

static sqlite3_stmt *stats_stmt(struct sqlite_store *s, const char *const sql[2][4],
                                const char *scopes, const struct stats_query *q)
{
    sqlite3_stmt *st = sq_stmt(s, sql[strcmp(q->dim, "all") == 0][q->group]);
    if (st) {
        sq_bind_text(st, 1, scopes);
        sq_bind_text(st, 2, q->dim);
        sq_bind_text(st, 3, q->from_month);
        sq_bind_text(st, 4, q->to_month);
    }
    return st;
}

/* Reads the rows of sql into *items (of `size` bytes each), summed by add and flush. */
static int read_summed(struct sqlite_store *s, const char *const sql[2][4], const char *scopes,
                       const struct stats_query *q, struct arena *a, size_t size,
                       void (*add)(struct summing *, sqlite3_stmt *),
                       void (*flush)(struct summing *), void **items, size_t *count)
{
    sqlite3_stmt *st = stats_stmt(s, sql, scopes, q);
    if (!st)
        return STORE_FAILED;
    struct summing *sm = xcalloc(1, sizeof *sm); /* (its histogram is 6 KB) */
    sm->a = a;
    sm->size = size;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        add(sm, st);
    if (sm->key)
        flush(sm);
    int status = rc == SQLITE_DONE ? STORE_OK : sq_failed(s, rc, "stats");
    sqlite3_reset(st);
    *items = sm->items;
    *count = sm->count;
    free(sm);
    return status;
}

int sqs_stats_read(struct store *base, struct arena *a, const struct stats_query *q,
                   struct stats_raw *out)
{
    struct sqlite_store *s = sq_impl(base);
    memset(out, 0, sizeof *out);
    if ((unsigned)q->group > STATS_BY_MONTH)
        return STORE_FAILED;
    char *scopes = store_stats_scopes_json(q);
    if (!scopes)
        return STORE_FAILED;
    sqlite3_stmt *st = stats_stmt(s, sql_cells, scopes, q);
    int rc =
        sq_collect(s, st, a, sizeof *out->sums, read_sums, (void **)&out->sums, &out->sums_count);
    if (rc == STORE_OK)
        rc = read_summed(s, sql_delays, scopes, q, a, sizeof *out->delays, add_delay, delays_flush,
                         (void **)&out->delays, &out->delays_count);
    if (rc == STORE_OK)
        rc = read_summed(s, sql_scores, scopes, q, a, sizeof *out->scores, add_score, scores_flush,
                         (void **)&out->scores, &out->scores_count);
    free(scopes);
    return rc;
}

/* The newest published quotations: for the nation from the index of published cases by id;
 * for an area, their ids first from the index by area (migration 0006), then their rows. */
#define QUOTE_COLS      "SELECT kind, service_code, created_at, text FROM cases"
#define QUOTE_PUBLISHED " AND public_consent = 1 AND public_approved = 1"
#define QUOTE_PERIOD    " AND created_at >= ?2 AND created_at < ?3"

static const char sql_quotes_nation[] =
    QUOTE_COLS " WHERE ?1 = ''" QUOTE_PERIOD QUOTE_PUBLISHED " ORDER BY id DESC LIMIT ?4";
/* (INDEXED BY: left to itself the planner takes cases_by_area and reads every case.) */
static const char sql_quotes_area[] =
    QUOTE_COLS " WHERE id IN (SELECT id FROM cases INDEXED BY cases_published_by_area"
               " WHERE area_code >= ?1 AND area_code < ?5" QUOTE_PERIOD QUOTE_PUBLISHED
               " ORDER BY id DESC LIMIT ?4) ORDER BY id DESC";
static const char sql_quotes_office[] =
    QUOTE_COLS " WHERE office_id = ?1" QUOTE_PERIOD QUOTE_PUBLISHED " ORDER BY id DESC LIMIT ?4";

static void read_quote(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct stats_quote *row = item;
    row->kind = sq_col_text(st, 0, a);
    row->service_code = sq_col_text(st, 1, a);
    row->created_at = sq_col_text(st, 2, a);
    row->text = sq_col_text(st, 3, a);
}

int sqs_stats_quotes(struct store *base, struct arena *a, const struct stats_quote_query *q,
                     struct stats_quote_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    const char *prefix = q->area_prefix ? q->area_prefix : "";
    sqlite3_stmt *st = sq_stmt(s, q->office_id ? sql_quotes_office
                                  : *prefix    ? sql_quotes_area
                                               : sql_quotes_nation);
    if (!st)
        return STORE_FAILED;
    if (q->office_id) {
        sqlite3_bind_int64(st, 1, q->office_id);
    } else {
        sq_bind_text(st, 1, prefix);
        if (*prefix)
            sq_bind_text(st, 5, text_prefix_end(a, prefix));
    }
    sq_bind_text(st, 2, q->from);
    sq_bind_text(st, 3, q->to);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)q->limit);
    return sq_collect(s, st, a, sizeof *out->items, read_quote, (void **)&out->items, &out->count);
}

/* ---- rebuild and recount ---- */

#define CELLS_RECOUNT                                                                              \
    "SELECT scope, dim, value, month, count(*), sum(complaint), sum(support), sum(information),"   \
    " sum(evaluation), sum(open), sum(to_answer), sum(responded), sum(acknowledged),"              \
    " sum(answered), sum(answered_in_time), sum(rated), sum(satisfied), sum(rating_n),"            \
    " sum(rating_sum), sum(overcharged) FROM case_stat_rows GROUP BY 1, 2, 3, 4"
#define DELAYS_RECOUNT                                                                             \
    "SELECT scope, dim, value, month, 'acknowledge', acknowledge_days, count(*)"                   \
    " FROM case_stat_rows WHERE dim IN ('all', 'kind', 'sex', 'office') AND acknowledge_days IS "  \
    "NOT NULL"                                                                                     \
    " GROUP BY 1, 2, 3, 4, 6 UNION ALL"                                                            \
    " SELECT scope, dim, value, month, 'answer', answer_days, count(*)"                            \
    " FROM case_stat_rows WHERE dim IN ('all', 'kind', 'sex', 'office') AND answer_days IS NOT "   \
    "NULL"                                                                                         \
    " GROUP BY 1, 2, 3, 4, 6"
#define SCORES_RECOUNT                                                                             \
    "SELECT r.scope, r.dim, r.value, r.month, j.key, count(*), sum(j.value)"                       \
    " FROM case_stat_rows r, json_each(r.scores) j WHERE r.dim IN ('all', 'kind', 'sex', "         \
    "'office')"                                                                                    \
    " GROUP BY 1, 2, 3, 4, 5"

static const char sql_pause[] = "UPDATE stats_control SET paused = ?1";

int sqs_stats_pause(struct store *base, bool paused)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_pause);
    if (!st)
        return STORE_FAILED;
    sqlite3_bind_int(st, 1, paused);
    return sq_run(s, st, "stats_pause");
}

/* Rows in one and not the other, both ways; rows summing to zero do not count. */
static const char sql_check[] = "SELECT (SELECT count(*) FROM (SELECT * FROM (" CELLS_RECOUNT ")"
                                " EXCEPT SELECT * FROM stats_cells))"
                                " + (SELECT count(*) FROM (SELECT * FROM stats_cells WHERE n <> 0"
                                " EXCEPT SELECT * FROM (" CELLS_RECOUNT ")))"
                                " + (SELECT count(*) FROM (SELECT * FROM (" DELAYS_RECOUNT ")"
                                " EXCEPT SELECT * FROM stats_delays))"
                                " + (SELECT count(*) FROM (SELECT * FROM stats_delays WHERE n <> 0"
                                " EXCEPT SELECT * FROM (" DELAYS_RECOUNT ")))"
                                " + (SELECT count(*) FROM (SELECT * FROM (" SCORES_RECOUNT ")"
                                " EXCEPT SELECT * FROM stats_scores))"
                                " + (SELECT count(*) FROM (SELECT * FROM stats_scores WHERE n <> 0"
                                " EXCEPT SELECT * FROM (" SCORES_RECOUNT ")))";

int sqs_stats_check(struct store *base, long long *differences)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_check);
    if (!st)
        return STORE_FAILED;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return sq_failed(s, rc, "stats_check");
    *differences = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return STORE_OK;
}
