/* Public statistics on PostgreSQL: sums of roll-up rows (stats_cells, stats_delays,
 * stats_scores; kept by the triggers of migration 0005), the published quotations, and the
 * rebuild (one grouped INSERT per table: PostgreSQL aggregates by hashing, where SQLite
 * needs sqlite_rollup.c) and recount check of the roll-ups from the view case_stat_rows,
 * and the pause of the triggers for bulk loads. The scopes travel as one JSON array. */
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "store/postgres_internal.h"
#include "core/banned.h"

/* The counters of stats_cells, in the order of enum stats_counter. */
#define SUMS                                                                                       \
    "sum(n), sum(complaint), sum(support), sum(information), sum(evaluation), sum(open),"          \
    " sum(to_answer), sum(responded), sum(acknowledged), sum(answered),"                           \
    " sum(answered_in_time), sum(rated), sum(satisfied), sum(rating_n), sum(rating_sum),"          \
    " sum(overcharged)"

/* $1 a JSON array of scopes, $2 the dim, $3/$4 the first and last month. The dim "all" has
 * only the value '', which said lets the month range narrow the primary key's search. */
#define WHERE_ANY                                                                                  \
    " WHERE scope IN (SELECT jsonb_array_elements_text($1::jsonb)) AND dim = $2::text"             \
    " AND month BETWEEN $3::text AND $4::text"
#define WHERE_ALL                                                                                  \
    " WHERE scope IN (SELECT jsonb_array_elements_text($1::jsonb)) AND dim = $2::text"             \
    " AND value = '' AND month BETWEEN $3::text AND $4::text"

#define CELLS(key, where) "SELECT " key ", " SUMS " FROM stats_cells" where " GROUP BY 1 ORDER BY 1"
#define DELAYS(key, where)                                                                         \
    "SELECT " key ", measure, days, sum(n) FROM stats_delays" where                                \
    " GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3"
#define SCORES(key, where)                                                                         \
    "SELECT " key ", criterion, sum(n), sum(sum) FROM stats_scores" where                          \
    " GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2"
#define BY_GROUP(sql)                                                                              \
    {                                                                                              \
        {sql("''::text", WHERE_ANY), sql("value", WHERE_ANY), sql("scope", WHERE_ANY),             \
         sql("month", WHERE_ANY)},                                                                 \
            {sql("''::text", WHERE_ALL), sql("value", WHERE_ALL), sql("scope", WHERE_ALL),         \
             sql("month", WHERE_ALL)},                                                             \
    }

/* Indexed by [dim is "all"][enum stats_group]: the key each group sums under. */
static const char *const sql_cells[2][4] = BY_GROUP(CELLS);
static const char *const sql_delays[2][4] = BY_GROUP(DELAYS);
static const char *const sql_scores[2][4] = BY_GROUP(SCORES);

static void read_sums(PGresult *r, int row, struct arena *a, void *item)
{
    struct stats_sums *s = item;
    s->key = pg_col_text(r, row, 0, a);
    for (int i = 0; i < STATS_COUNTERS; i++)
        s->count[i] = pg_col_int(r, row, i + 1);
}

static void read_delay(PGresult *r, int row, struct arena *a, void *item)
{
    struct stats_delay *d = item;
    d->key = pg_col_text(r, row, 0, a);
    const char *measure = PQgetvalue(r, row, 1);
    d->measure = strcmp(measure, "answer") == 0 ? STATS_ANSWER : STATS_ACKNOWLEDGE;
    d->days = (int)pg_col_int(r, row, 2);
    d->n = pg_col_int(r, row, 3);
}

static void read_score(PGresult *r, int row, struct arena *a, void *item)
{
    struct stats_score *s = item;
    s->key = pg_col_text(r, row, 0, a);
    s->criterion = pg_col_text(r, row, 1, a);
    s->n = pg_col_int(r, row, 2);
    s->sum = pg_col_int(r, row, 3);
}

static int read_table(struct pg_store *s, const char *sql, const char *scopes,
                      const struct stats_query *q, struct arena *a, size_t size, pg_row_reader read,
                      void **items, size_t *count)
{
    struct pg_params p = {0};
    pg_text(&p, 1, scopes);
    pg_text(&p, 2, q->dim);
    pg_text(&p, 3, q->from_month);
    pg_text(&p, 4, q->to_month);
    return pg_collect(s, sql, &p, a, size, read, items, count);
}

int pgs_stats_read(struct store *base, struct arena *a, const struct stats_query *q,
                   struct stats_raw *out)
{
    struct pg_store *s = pg_impl(base);
    memset(out, 0, sizeof *out);
    if ((unsigned)q->group > STATS_BY_MONTH)
        return STORE_FAILED;
    char *scopes = store_stats_scopes_json(q);
    if (!scopes)
        return STORE_FAILED;
    int all = strcmp(q->dim, "all") == 0;
    int rc = read_table(s, sql_cells[all][q->group], scopes, q, a, sizeof *out->sums, read_sums,
                        (void **)&out->sums, &out->sums_count);
    if (rc == STORE_OK)
        rc = read_table(s, sql_delays[all][q->group], scopes, q, a, sizeof *out->delays, read_delay,
                        (void **)&out->delays, &out->delays_count);
    if (rc == STORE_OK)
        rc = read_table(s, sql_scores[all][q->group], scopes, q, a, sizeof *out->scores, read_score,
                        (void **)&out->scores, &out->scores_count);
    free(scopes);
    return rc;
}

/* As sqlite_stats.c: the nation from the index of published cases by id; an area's ids first
 * from the index by area (migration 0006), then their rows. */
#define QUOTE_COLS      "SELECT kind, service_code, created_at, text FROM cases"
#define QUOTE_PUBLISHED " AND public_consent = 1 AND public_approved = 1"
#define QUOTE_PERIOD    " AND created_at >= $2::text AND created_at < $3::text"

static const char sql_quotes_nation[] = QUOTE_COLS
    " WHERE $1::text = ''" QUOTE_PERIOD QUOTE_PUBLISHED " ORDER BY id DESC LIMIT $4::bigint";
static const char sql_quotes_area[] =
    QUOTE_COLS " WHERE id IN (SELECT id FROM cases WHERE area_code >= $1::text"
               " AND area_code < $5::text" QUOTE_PERIOD QUOTE_PUBLISHED
               " ORDER BY id DESC LIMIT $4::bigint) ORDER BY id DESC";
static const char sql_quotes_office[] =
    QUOTE_COLS " WHERE office_id = $1::bigint" QUOTE_PERIOD QUOTE_PUBLISHED
               " ORDER BY id DESC LIMIT $4::bigint";

static void read_quote(PGresult *r, int row, struct arena *a, void *item)
{
    struct stats_quote *q = item;
    q->kind = pg_col_text(r, row, 0, a);
    q->service_code = pg_col_text(r, row, 1, a);
    q->created_at = pg_col_text(r, row, 2, a);
    q->text = pg_col_text(r, row, 3, a);
}

int pgs_stats_quotes(struct store *base, struct arena *a, const struct stats_quote_query *q,
                     struct stats_quote_list *out)
{
    struct pg_params p = {0};
    const char *prefix = q->area_prefix ? q->area_prefix : "";
    if (q->office_id) {
        pg_int(&p, 1, q->office_id);
    } else {
        pg_text(&p, 1, prefix);
        if (*prefix)
            pg_text(&p, 5, text_prefix_end(a, prefix));
    }
    pg_text(&p, 2, q->from);
    pg_text(&p, 3, q->to);
    pg_int(&p, 4, (long long)q->limit);
    const char *sql = q->office_id ? sql_quotes_office
                      : *prefix    ? sql_quotes_area
                                   : sql_quotes_nation;
    return pg_collect(pg_impl(base), sql, &p, a, sizeof *out->items, read_quote,
                      (void **)&out->items, &out->count);
}

/* ---- rebuild and recount ---- */

#define CELLS_RECOUNT                                                                              \
    "SELECT scope, dim, value, month, count(*), sum(complaint), sum(support), sum(information),"   \
    " sum(evaluation), sum(open), sum(to_answer), sum(responded), sum(acknowledged),"              \
    " sum(answered), sum(answered_in_time), sum(rated), sum(satisfied), sum(rating_n),"            \
    " sum(rating_sum), sum(overcharged) FROM case_stat_rows GROUP BY 1, 2, 3, 4"
/* the breakdowns that keep delay histograms and scores */
#define DETAILED "('all', 'kind', 'sex', 'office')"
#define DELAYS_RECOUNT                                                                             \
    "SELECT scope, dim, value, month, 'acknowledge', acknowledge_days, count(*)"                   \
    " FROM case_stat_rows WHERE dim IN " DETAILED " AND acknowledge_days IS NOT NULL"              \
    " GROUP BY 1, 2, 3, 4, 6 UNION ALL"                                                            \
    " SELECT scope, dim, value, month, 'answer', answer_days, count(*)"                            \
    " FROM case_stat_rows WHERE dim IN " DETAILED " AND answer_days IS NOT NULL"                   \
    " GROUP BY 1, 2, 3, 4, 6"
#define SCORES_RECOUNT                                                                             \
    "SELECT r.scope, r.dim, r.value, r.month, j.key, count(*), sum(j.value::bigint)"               \
    " FROM case_stat_rows r CROSS JOIN LATERAL jsonb_each_text(r.scores::jsonb) AS j"              \
    " WHERE r.dim IN " DETAILED " GROUP BY 1, 2, 3, 4, 5"

/* The recounts group a row per case, place and breakdown (40 a case): with room to hash
 * them in memory they take a third of the time of sorting on disk. */
#define BIG_WORK_MEM "SET work_mem = '128MB'"

int pgs_stats_rebuild(struct store *base)
{
    struct pg_store *s = pg_impl(base);
    static const char *const steps[] = {
        "SET LOCAL work_mem = '128MB'", /* rebuild runs in store_tx: until its end */
        "DELETE FROM stats_cells",
        "DELETE FROM stats_delays",
        "DELETE FROM stats_scores",
        "INSERT INTO stats_cells " CELLS_RECOUNT,
        "INSERT INTO stats_delays " DELAYS_RECOUNT,
        "INSERT INTO stats_scores " SCORES_RECOUNT,
    };
    int rc = STORE_OK;
    for (size_t i = 0; rc == STORE_OK && i < sizeof steps / sizeof *steps; i++)
        rc = pg_simple(s, steps[i], "stats_rebuild");
    return rc;
}

static const char sql_pause[] = "UPDATE stats_control SET paused = $1";

int pgs_stats_pause(struct store *base, bool paused)
{
    struct pg_params p = {0};
    pg_int(&p, 1, paused);
    return pg_run(pg_impl(base), sql_pause, &p, "stats_pause", NULL);
}

/* Rows in one and not the other, both ways; rows summing to zero do not count. Each
 * recount is a subquery: EXCEPT binds as tightly as the UNION ALL inside DELAYS_RECOUNT. */
#define ONLY_IN(a, b) "(SELECT count(*) FROM (SELECT * FROM (" a ") x EXCEPT " b ") d)"
#define BOTH_WAYS(recount, table)                                                                  \
    ONLY_IN(recount, "SELECT * FROM " table)                                                       \
    " + " ONLY_IN("SELECT * FROM " table " WHERE n <> 0", "SELECT * FROM (" recount ") r")
#define CHECK_CELLS  BOTH_WAYS(CELLS_RECOUNT, "stats_cells")
#define CHECK_DELAYS BOTH_WAYS(DELAYS_RECOUNT, "stats_delays")
#define CHECK_SCORES BOTH_WAYS(SCORES_RECOUNT, "stats_scores")

static const char sql_check[] = "SELECT " CHECK_CELLS " + " CHECK_DELAYS " + " CHECK_SCORES;

int pgs_stats_check(struct store *base, long long *differences)
{
    struct pg_store *s = pg_impl(base);
    int rc = pg_simple(s, BIG_WORK_MEM, "stats_check");
    if (rc == STORE_OK)
        rc = pg_scalar(s, sql_check, NULL, "stats_check", differences);
    pg_simple(s, "RESET work_mem", "stats_check");
    return rc;
}
