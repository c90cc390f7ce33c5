/* Shared by the SQLite engine's files: the connection struct and the small helpers that
 * prepare (once), bind, step and read rows. Not for use outside src/store/sqlite*.c. */
#ifndef OURVOICE_SQLITE_INTERNAL_H
#define OURVOICE_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

#define SQ_MAX_STATEMENTS 224

struct sqlite_store {
    struct store base;
    sqlite3 *db;
    struct {
        const char *sql; /* the static SQL text is the cache key */
        sqlite3_stmt *st;
    } stmts[SQ_MAX_STATEMENTS];
    size_t nstmts;
};

static inline struct sqlite_store *sq_impl(struct store *s)
{
    return (struct sqlite_store *)s;
}

typedef void (*sq_row_reader)(sqlite3_stmt *st, struct arena *a, void *item);

int sq_status_of(int rc);
int sq_failed(struct sqlite_store *s, int rc, const char *what);

/* The statement for this static SQL text, prepared on first use, reset and unbound. */
sqlite3_stmt *sq_stmt(struct sqlite_store *s, const char *sql);
void sq_finalize_all(struct sqlite_store *s);

void sq_bind_text(sqlite3_stmt *st, int i, const char *v);
void sq_bind_id(sqlite3_stmt *st, int i, int64_t id);                     /* 0 binds NULL */
void sq_bind_blob(sqlite3_stmt *st, int i, const void *data, size_t len); /* NULL binds NULL */
const char *sq_col_text(sqlite3_stmt *st, int i, struct arena *a);
const unsigned char *sq_col_blob(sqlite3_stmt *st, int i, struct arena *a, size_t *len);

/* Row readers shared by the engine's files. Offices: id, code, kind, area_code, name_km,
 * name_en, active. Services: code, office_kind, sector, name_km, name_en, fee_khr, days,
 * placeholder, source, active. */
void sq_read_office(sqlite3_stmt *st, struct arena *a, void *item);
void sq_read_service(sqlite3_stmt *st, struct arena *a, void *item);

int sq_exec(struct sqlite_store *s, const char *sql);
/* Steps a statement that returns no rows. */
int sq_run(struct sqlite_store *s, sqlite3_stmt *st, const char *what);
/* Steps through rows into a growing arena array of `size`-byte items. */
int sq_collect(struct sqlite_store *s, sqlite3_stmt *st, struct arena *a, size_t size,
               sq_row_reader read, void **items, size_t *count);
/* Exactly one row into *out, or STORE_NOT_FOUND. */
int sq_one(struct sqlite_store *s, sqlite3_stmt *st, struct arena *a, size_t size,
           sq_row_reader read, void *out);

/* operations defined in sqlite_cases.c */
int sqc_office_get(struct store *base, struct arena *a, int64_t id, struct office *out);
int sqc_office_find(struct store *base, struct arena *a, const char *kind, const char *area_code,
                    struct office *out);
int sqc_routing_target(struct store *base, struct arena *a, const char *delivered_by,
                       const char *kind, const char *condition, const char **target_kind);
int sqc_deadline_get(struct store *base, const char *kind, struct deadline_rule *out);
int sqc_holidays_all(struct store *base, struct arena *a, const char ***dates, size_t *count);
int sqc_case_insert(struct store *base, struct case_row *c);
int sqc_case_update(struct store *base, const struct case_row *c);
int sqc_case_next_number(struct store *base, int64_t office_id, int year, int64_t *seq);
int sqc_case_get(struct store *base, struct arena *a, int64_t id, struct case_row *out);
int sqc_case_by_number(struct store *base, struct arena *a, const char *number,
                       struct case_row *out);
int sqc_case_by_receipt(struct store *base, struct arena *a, const unsigned char hash[HASH_BYTES],
                        struct case_row *out);
int sqc_cases_list(struct store *base, struct arena *a, const struct case_filter *f,
                   struct case_list *out);
int sqc_cases_overdue(struct store *base, struct arena *a, const char *now, size_t limit,
                      struct case_list *out);
int sqc_event_insert(struct store *base, struct event_row *e);
int sqc_events_list(struct store *base, struct arena *a, int64_t case_id, bool with_internal,
                    struct event_list *out);
int sqc_attachment_insert(struct store *base, struct attachment *att);
int sqc_attachments_list(struct store *base, struct arena *a, int64_t case_id, bool with_data,
                         struct attachment_list *out);
int sqc_attachment_get(struct store *base, struct arena *a, int64_t id, struct attachment *out);
int sqc_track_session_put(struct store *base, const unsigned char hash[HASH_BYTES], int64_t case_id,
                          const char *expires_at);
int sqc_track_session_get(struct store *base, const unsigned char hash[HASH_BYTES], const char *now,
                          int64_t *case_id);
int sqc_staff_session_put(struct store *base, const struct staff_session *ss);
int sqc_staff_session_get(struct store *base, struct arena *a, const unsigned char hash[HASH_BYTES],
                          struct staff_session *out);
int sqc_staff_session_touch(struct store *base, const unsigned char hash[HASH_BYTES],
                            const char *last_seen);
int sqc_staff_session_delete(struct store *base, const unsigned char hash[HASH_BYTES]);
int sqc_throttle_get(struct store *base, struct arena *a, const char *key,
                     struct throttle_row *out);
int sqc_throttle_put(struct store *base, const struct throttle_row *t);
int sqc_throttle_clear(struct store *base, const char *key);
int sqc_staff_get(struct store *base, struct arena *a, int64_t id, struct staff *out);
int sqc_staff_by_login(struct store *base, struct arena *a, const char *login, struct staff *out);
int sqc_staff_list(struct store *base, struct arena *a, struct staff_list *out);
int sqc_staff_update(struct store *base, const struct staff *u);
int sqc_outbox_insert(struct store *base, struct outbox_msg *m);
int sqc_outbox_due(struct store *base, struct arena *a, const char *now, size_t limit,
                   struct outbox_list *out);
int sqc_outbox_update(struct store *base, const struct outbox_msg *m);
int sqc_audit_last_hash(struct store *base, unsigned char hash[HASH_BYTES]);
int sqc_audit_insert(struct store *base, struct audit_entry *e);
int sqc_audit_list(struct store *base, struct arena *a, int64_t after_id, size_t limit,
                   struct audit_list *out);

/* operations defined in sqlite_admin.c */
int sqa_cases_counts(struct store *base, const struct case_filter *f, struct case_counts *out);
int sqa_cases_changes(struct store *base, const struct case_filter *f, int64_t since,
                      int64_t *latest, long long *fresh);
int sqa_cases_export(struct store *base, const struct case_filter *f, case_export_fn row,
                     void *ctx);
int sqa_cases_stats(struct store *base, struct arena *a, int64_t office_id, const char *from,
                    const char *to, struct case_stat_list *out);
int sqa_templates_list(struct store *base, struct arena *a, const struct template_filter *f,
                       struct template_list *out);
int sqa_template_get(struct store *base, struct arena *a, int64_t id,
                     struct response_template *out);
int sqa_template_insert(struct store *base, struct response_template *t);
int sqa_template_update(struct store *base, const struct response_template *t);
int sqa_offices_search(struct store *base, struct arena *a, const struct office_filter *f,
                       struct office_list *out);
int sqa_office_insert(struct store *base, struct office *o);
int sqa_office_update(struct store *base, const struct office *o);
int sqa_staff_entries(struct store *base, struct arena *a, int64_t office_id,
                      const char *area_prefix, struct staff_entry_list *out);
int sqa_staff_sessions_revoke(struct store *base, int64_t staff_id, const unsigned char *keep);
int sqa_service_get(struct store *base, struct arena *a, const char *code, struct service *out);
int sqa_services_every(struct store *base, struct arena *a, struct service_list *out);
int sqa_service_insert(struct store *base, const struct service *sv);
int sqa_service_update(struct store *base, const struct service *sv);
int sqa_deadlines_all(struct store *base, struct arena *a, struct deadline_list *out);
int sqa_deadline_put(struct store *base, const struct deadline_row *d);
int sqa_holidays_list(struct store *base, struct arena *a, struct holiday_list *out);
int sqa_holiday_upsert(struct store *base, const struct holiday *h, bool *created);
int sqa_holiday_delete(struct store *base, const char *date);
int sqa_routing_rules_all(struct store *base, struct arena *a, struct routing_rule_list *out);
int sqa_routing_rule_put(struct store *base, const struct routing_rule *rule);
int sqa_audit_search(struct store *base, struct arena *a, const struct audit_filter *f,
                     struct audit_view_list *out);

/* operations defined in sqlite_stats.c */
int sqs_stats_read(struct store *base, struct arena *a, const struct stats_query *q,
                   struct stats_raw *out);
int sqs_stats_quotes(struct store *base, struct arena *a, const struct stats_quote_query *q,
                     struct stats_quote_list *out);
int sqs_stats_rebuild(struct store *base);
int sqs_stats_pause(struct store *base, bool paused);
int sqs_stats_check(struct store *base, long long *differences);

#endif
