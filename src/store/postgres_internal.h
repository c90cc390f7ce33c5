/* Shared by the PostgreSQL engine's files: the connection struct, the parameter list, and
 * the helpers that prepare (once per connection), execute and read rows. Results come back
 * as text (bytea as hex), so every value reads like SQLite's. Not for use outside
 * src/store/postgres*.c. */
#ifndef OURVOICE_POSTGRES_INTERNAL_H
#define OURVOICE_POSTGRES_INTERNAL_H

#include <libpq-fe.h>

#include "store/store.h"

#define PG_MAX_STATEMENTS 224
#define PG_MAX_PARAMS     40

struct pg_store {
    struct store base;
    PGconn *conn;
    struct {
        const char *sql; /* the static SQL text is the cache key */
        int nparams;
    } stmts[PG_MAX_STATEMENTS];
    size_t nstmts;
    bool in_tx;
    bool lost_tx;     /* the connection dropped inside a transaction: refuse all until it ends */
    bool reconnected; /* the last failure reconnected */
};

static inline struct pg_store *pg_impl(struct store *s)
{
    return (struct pg_store *)s;
}

/* The parameters of one statement, $1..$n; unset ones are NULL. Integers are formatted
 * into the list itself; text and bytea point at the caller's memory until the call. */
struct pg_params {
    int n;
    const char *values[PG_MAX_PARAMS];
    int lengths[PG_MAX_PARAMS];
    int formats[PG_MAX_PARAMS];
    char ints[PG_MAX_PARAMS][24];
};

void pg_text(struct pg_params *p, int i, const char *v);
void pg_int(struct pg_params *p, int i, long long v);
void pg_id(struct pg_params *p, int i, int64_t id);                     /* 0 binds NULL */
void pg_opt_int(struct pg_params *p, int i, int v, int none);           /* none binds NULL */
void pg_blob(struct pg_params *p, int i, const void *data, size_t len); /* NULL binds NULL */

typedef void (*pg_row_reader)(PGresult *r, int row, struct arena *a, void *item);

/* Runs the statement for this static SQL text (prepared on first use) and hands back its
 * result (the caller PQclear()s it), or a store_status with *out NULL. */
int pg_exec(struct pg_store *s, const char *sql, const struct pg_params *p, const char *what,
            PGresult **out);
/* Streams the rows (libpq's single-row mode: one row in memory at a time), calling
 * each(result, ctx) with a one-row result per row. */
typedef void (*pg_row_fn)(PGresult *r, void *ctx);
int pg_stream(struct pg_store *s, const char *sql, const struct pg_params *p, const char *what,
              pg_row_fn each, void *ctx);
/* A statement without rows wanted; *changed (if not NULL) gets the rows it touched. */
int pg_run(struct pg_store *s, const char *sql, const struct pg_params *p, const char *what,
           long long *changed);
/* Every row into a growing arena array of `size`-byte items. */
int pg_collect(struct pg_store *s, const char *sql, const struct pg_params *p, struct arena *a,
               size_t size, pg_row_reader read, void **items, size_t *count);
/* Exactly one row into *out, or STORE_NOT_FOUND. */
int pg_one(struct pg_store *s, const char *sql, const struct pg_params *p, struct arena *a,
           size_t size, pg_row_reader read, void *out);
/* A statement with one int64 in its first row (NULL reads as 0); STORE_NOT_FOUND: no row. */
int pg_scalar(struct pg_store *s, const char *sql, const struct pg_params *p, const char *what,
              long long *value);
/* Plain SQL without parameters (transaction verbs, migrations). */
int pg_simple(struct pg_store *s, const char *sql, const char *what);
void pg_forget_statements(struct pg_store *s);
/* The store_status of a failed result (NULL: none at all), logged when it is STORE_FAILED. */
int pg_failed(struct pg_store *s, PGresult *r, const char *what);

/* Column readers: NULL columns read as NULL, 0, `none` or false. */
const char *pg_col_text(PGresult *r, int row, int col, struct arena *a);
long long pg_col_int(PGresult *r, int row, int col);
int pg_col_opt_int(PGresult *r, int row, int col, int none);
bool pg_col_bool(PGresult *r, int row, int col); /* "t", or an integer other than 0 */
const unsigned char *pg_col_blob(PGresult *r, int row, int col, struct arena *a, size_t *len);
/* A bytea of exactly n bytes into out (zeroes otherwise). */
void pg_col_hash(PGresult *r, int row, int col, unsigned char *out, size_t n);

/* Row readers shared by the engine's files, with the column orders of sqlite_internal.h. */
void pg_read_office(PGresult *r, int row, struct arena *a, void *item);
void pg_read_service(PGresult *r, int row, struct arena *a, void *item);

/* An ILIKE pattern matching q anywhere, its wildcards and backslashes escaped. */
const char *pg_substring_pattern(struct arena *a, const char *q);

/* operations defined in postgres_cases.c */
int pgc_office_get(struct store *base, struct arena *a, int64_t id, struct office *out);
int pgc_office_find(struct store *base, struct arena *a, const char *kind, const char *area_code,
                    struct office *out);
int pgc_routing_target(struct store *base, struct arena *a, const char *delivered_by,
                       const char *kind, const char *condition, const char **target_kind);
int pgc_deadline_get(struct store *base, const char *kind, struct deadline_rule *out);
int pgc_holidays_all(struct store *base, struct arena *a, const char ***dates, size_t *count);
int pgc_case_insert(struct store *base, struct case_row *c);
int pgc_case_update(struct store *base, const struct case_row *c);
int pgc_case_next_number(struct store *base, int64_t office_id, int year, int64_t *seq);
int pgc_case_get(struct store *base, struct arena *a, int64_t id, struct case_row *out);
int pgc_case_by_number(struct store *base, struct arena *a, const char *number,
                       struct case_row *out);
int pgc_case_by_receipt(struct store *base, struct arena *a, const unsigned char hash[HASH_BYTES],
                        struct case_row *out);
int pgc_cases_list(struct store *base, struct arena *a, const struct case_filter *f,
                   struct case_list *out);
int pgc_cases_overdue(struct store *base, struct arena *a, const char *now, size_t limit,
                      struct case_list *out);
int pgc_event_insert(struct store *base, struct event_row *e);
int pgc_events_list(struct store *base, struct arena *a, int64_t case_id, bool with_internal,
                    struct event_list *out);
int pgc_attachment_insert(struct store *base, struct attachment *att);
int pgc_attachments_list(struct store *base, struct arena *a, int64_t case_id, bool with_data,
                         struct attachment_list *out);
int pgc_attachment_get(struct store *base, struct arena *a, int64_t id, struct attachment *out);
int pgc_track_session_put(struct store *base, const unsigned char hash[HASH_BYTES], int64_t case_id,
                          const char *expires_at);
int pgc_track_session_get(struct store *base, const unsigned char hash[HASH_BYTES], const char *now,
                          int64_t *case_id);
int pgc_staff_session_put(struct store *base, const struct staff_session *ss);
int pgc_staff_session_get(struct store *base, struct arena *a, const unsigned char hash[HASH_BYTES],
                          struct staff_session *out);
int pgc_staff_session_touch(struct store *base, const unsigned char hash[HASH_BYTES],
                            const char *last_seen);
int pgc_staff_session_delete(struct store *base, const unsigned char hash[HASH_BYTES]);
int pgc_throttle_get(struct store *base, struct arena *a, const char *key,
                     struct throttle_row *out);
int pgc_throttle_put(struct store *base, const struct throttle_row *t);
int pgc_throttle_clear(struct store *base, const char *key);
int pgc_staff_get(struct store *base, struct arena *a, int64_t id, struct staff *out);
int pgc_staff_by_login(struct store *base, struct arena *a, const char *login, struct staff *out);
int pgc_staff_list(struct store *base, struct arena *a, struct staff_list *out);
int pgc_staff_update(struct store *base, const struct staff *u);
int pgc_outbox_insert(struct store *base, struct outbox_msg *m);
int pgc_outbox_due(struct store *base, struct arena *a, const char *now, size_t limit,
                   struct outbox_list *out);
int pgc_outbox_update(struct store *base, const struct outbox_msg *m);
int pgc_audit_last_hash(struct store *base, unsigned char hash[HASH_BYTES]);
int pgc_audit_insert(struct store *base, struct audit_entry *e);
int pgc_audit_list(struct store *base, struct arena *a, int64_t after_id, size_t limit,
                   struct audit_list *out);

/* operations defined in postgres_admin.c */
int pga_cases_counts(struct store *base, const struct case_filter *f, struct case_counts *out);
int pga_cases_changes(struct store *base, const struct case_filter *f, int64_t since,
                      int64_t *latest, long long *fresh);
int pga_cases_export(struct store *base, const struct case_filter *f, case_export_fn row,
                     void *ctx);
int pga_cases_stats(struct store *base, struct arena *a, int64_t office_id, const char *from,
                    const char *to, struct case_stat_list *out);
int pga_templates_list(struct store *base, struct arena *a, const struct template_filter *f,
                       struct template_list *out);
int pga_template_get(struct store *base, struct arena *a, int64_t id,
                     struct response_template *out);
int pga_template_insert(struct store *base, struct response_template *t);
int pga_template_update(struct store *base, const struct response_template *t);
int pga_offices_search(struct store *base, struct arena *a, const struct office_filter *f,
                       struct office_list *out);
int pga_office_insert(struct store *base, struct office *o);
int pga_office_update(struct store *base, const struct office *o);
int pga_staff_entries(struct store *base, struct arena *a, int64_t office_id,
                      const char *area_prefix, struct staff_entry_list *out);
int pga_staff_sessions_revoke(struct store *base, int64_t staff_id, const unsigned char *keep);
int pga_service_get(struct store *base, struct arena *a, const char *code, struct service *out);
int pga_services_every(struct store *base, struct arena *a, struct service_list *out);
int pga_service_insert(struct store *base, const struct service *sv);
int pga_service_update(struct store *base, const struct service *sv);
int pga_deadlines_all(struct store *base, struct arena *a, struct deadline_list *out);
int pga_deadline_put(struct store *base, const struct deadline_row *d);
int pga_holidays_list(struct store *base, struct arena *a, struct holiday_list *out);
int pga_holiday_upsert(struct store *base, const struct holiday *h, bool *created);
int pga_holiday_delete(struct store *base, const char *date);
int pga_routing_rules_all(struct store *base, struct arena *a, struct routing_rule_list *out);
int pga_routing_rule_put(struct store *base, const struct routing_rule *rule);
int pga_audit_search(struct store *base, struct arena *a, const struct audit_filter *f,
                     struct audit_view_list *out);

/* operations defined in postgres_stats.c */
int pgs_stats_read(struct store *base, struct arena *a, const struct stats_query *q,
                   struct stats_raw *out);
int pgs_stats_quotes(struct store *base, struct arena *a, const struct stats_quote_query *q,
                     struct stats_quote_list *out);
int pgs_stats_rebuild(struct store *base);
int pgs_stats_pause(struct store *base, bool paused);
int pgs_stats_check(struct store *base, long long *differences);

#endif
