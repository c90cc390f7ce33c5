/* Public statistics on SQLite: sums of roll-up rows (stats_cells, stats_delays,
 * stats_scores; kept by the triggers of migration 0005), the published quotations, and the
 * recount check of the roll-ups against the view case_stat_rows (the rebuild is in
 * sqlite_rollup.c). */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "core/banned.h"

/* The counters of stats_cells, in the order of enum stats_counter. */
#define SUMS                                                                                       \
    "sum(n), sum(complaint), sum(support), sum(information), sum(evaluation), sum(open),"          \
    " sum(to_answer), sum(responded), sum(acknowledged), sum(answered),"                           \
    " sum(answered_in_time), sum(rated), sum(satisfied), sum(rating_n), sum(rating_sum),"          \
    " sum(overcharged)"

/* ?1 a JSON array of scopes, ?2 the dim, ?3/?4 the first and last month. */
#define WHERE_QUERY                                                                                \
    " WHERE scope IN (SELECT value FROM json_each(?1)) AND dim = ?2 AND month BETWEEN ?3 AND ?4"

#define CELLS(key) "SELECT " key ", " SUMS " FROM stats_cells" WHERE_QUERY " GROUP BY 1 ORDER BY 1"
#define DELAYS(key)                                                                                \
    "SELECT " key ", measure, days, sum(n) FROM stats_delays" WHERE_QUERY                          \
    " GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3"
#define SCORES(key)                                                                                \
    "SELECT " key ", criterion, sum(n), sum(sum) FROM stats_scores" WHERE_QUERY                    \
    " GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2"

/* Indexed by enum stats_group: the key each group sums under. */
static const char *const sql_cells[] = {CELLS("''"), CELLS("value"), CELLS("scope"),
                                        CELLS("month")};
static const char *const sql_delays[] = {DELAYS("''"), DELAYS("value"), DELAYS("scope"),
                                         DELAYS("month")};
static const char *const sql_scores[] = {SCORES("''"), SCORES("value"), SCORES("scope"),
                                         SCORES("month")};

static void read_sums(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct stats_sums *row = item;
    row->key = sq_col_text(st, 0, a);
    for (int i = 0; i < STATS_COUNTERS; i++)
        row->count[i] = sqlite3_column_int64(st, i + 1);
}

static void read_delay(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct stats_delay *row = item;
    row->key = sq_col_text(st, 0, a);
    const char *measure = (const char *)sqlite3_column_text(st, 1);
    row->measure = measure && strcmp(measure, "answer") == 0 ? STATS_ANSWER : STATS_ACKNOWLEDGE;
    row->days = sqlite3_column_int(st, 2);
    row->n = sqlite3_column_int64(st, 3);
}

static void read_score(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct stats_score *row = item;
    row->key = sq_col_text(st, 0, a);
    row->criterion = sq_col_text(st, 1, a);
    row->n = sqlite3_column_int64(st, 2);
    row->sum = sqlite3_column_int64(st, 3);
}

static int read_table(struct sqlite_store *s, const char *sql, const char *scopes,
                      const struct stats_query *q, struct arena *a, size_t size, sq_row_reader read,
                      void **items, size_t *count)
{
    sqlite3_stmt *st = sq_stmt(s, sql);
    if (!st)
        return STORE_FAILED;
    sq_bind_text(st, 1, scopes);
    sq_bind_text(st, 2, q->dim);
    sq_bind_text(st, 3, q->from_month);
    sq_bind_text(st, 4, q->to_month);
    return sq_collect(s, st, a, size, read, items, count);
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
    int rc = read_table(s, sql_cells[q->group], scopes, q, a, sizeof *out->sums, read_sums,
                        (void **)&out->sums, &out->sums_count);
    if (rc == STORE_OK)
        rc = read_table(s, sql_delays[q->group], scopes, q, a, sizeof *out->delays, read_delay,
                        (void **)&out->delays, &out->delays_count);
    if (rc == STORE_OK)
        rc = read_table(s, sql_scores[q->group], scopes, q, a, sizeof *out->scores, read_score,
                        (void **)&out->scores, &out->scores_count);
    free(scopes);
    return rc;
}

#define QUOTE_COLS "SELECT kind, service_code, created_at, text FROM cases"
#define QUOTE_TAIL                                                                                 \
    " AND created_at >= ?2 AND created_at < ?3 AND public_consent = 1 AND public_approved = 1"     \
    " ORDER BY id DESC LIMIT ?4"

static const char sql_quotes_area[] =
    QUOTE_COLS " WHERE substr(area_code, 1, length(?1)) = ?1" QUOTE_TAIL;
static const char sql_quotes_office[] = QUOTE_COLS " WHERE office_id = ?1" QUOTE_TAIL;

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
    sqlite3_stmt *st = sq_stmt(s, q->office_id ? sql_quotes_office : sql_quotes_area);
    if (!st)
        return STORE_FAILED;
    if (q->office_id)
        sqlite3_bind_int64(st, 1, q->office_id);
    else
        sq_bind_text(st, 1, q->area_prefix ? q->area_prefix : "");
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
