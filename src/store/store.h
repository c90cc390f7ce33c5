/* The storage interface: an operations table with one instance per engine (sqlite.c and
 * postgres.c). Handlers and domain code call the store_* wrappers below and never see SQL.
 * A `struct store` is one connection and belongs to one thread at a time. Results are
 * allocated from the caller's arena. Every operation returns 0 or a negative store_status. */
#ifndef OURVOICE_STORE_H
#define OURVOICE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "domain/model.h"

#include <stdint.h>

enum store_status {
    STORE_OK = 0,
    STORE_NOT_FOUND = -1,
    STORE_CONFLICT = -2, /* a uniqueness or state rule refused the write */
    STORE_RETRY = -3,    /* busy or serialization failure: the transaction may be retried */
    STORE_FAILED = -4,
};

struct store;

/* Nested transactions inside one group commit (see writer.c). */
enum store_savepoint { SAVEPOINT_BEGIN, SAVEPOINT_ROLLBACK, SAVEPOINT_RELEASE };

struct store_ops {
    const char *engine;
    void (*close)(struct store *s);
    int (*migrate)(struct store *s, int *from, int *to);
    int (*schema_version)(struct store *s, int *version);
    int (*begin)(struct store *s);
    int (*commit)(struct store *s);
    void (*rollback)(struct store *s);
    int (*savepoint)(struct store *s, enum store_savepoint verb);

    int (*area_get)(struct store *s, struct arena *a, const char *code, struct area *out);
    int (*area_children)(struct store *s, struct arena *a, const char *parent,
                         struct area_list *out);
    int (*area_search)(struct store *s, struct arena *a, const char *folded, const char *level,
                       const char *within, size_t limit, struct area_list *out);
    int (*area_put)(struct store *s, const struct area *area, const char *search);
    int (*area_count)(struct store *s, const char *level, long long *count);

    int (*service_put)(struct store *s, const struct service *service);
    /* n == 0: the whole active catalogue */
    int (*services_for_area)(struct store *s, struct arena *a, const char *const *ancestors,
                             size_t n, struct service_list *out);

    int (*office_put)(struct store *s, const struct office *office);
    int (*offices_covering)(struct store *s, struct arena *a, const char *const *ancestors,
                            size_t n, struct office_list *out);

    int (*office_by_code)(struct store *s, struct arena *a, const char *code, struct office *out);
    int (*holiday_put)(struct store *s, const struct holiday *h);

    int (*staff_put)(struct store *s, const struct staff *staff, bool *created);
    int (*staff_by_login)(struct store *s, struct arena *a, const char *login, struct staff *out);

    /* offices, routing, deadlines, holidays */
    int (*office_get)(struct store *s, struct arena *a, int64_t id, struct office *out);
    int (*office_find)(struct store *s, struct arena *a, const char *kind, const char *area_code,
                       struct office *out);
    int (*routing_target)(struct store *s, struct arena *a, const char *delivered_by,
                          const char *kind, const char *condition, const char **target_kind);
    int (*deadline_get)(struct store *s, const char *kind, struct deadline_rule *out);
    int (*holidays_all)(struct store *s, struct arena *a, const char ***dates, size_t *count);

    /* cases and their timeline */
    int (*case_insert)(struct store *s, struct case_row *c); /* sets c->id; c->number given */
    int (*case_next_number)(struct store *s, int64_t office_id, int year, int64_t *seq);
    int (*case_update)(struct store *s, const struct case_row *c);
    int (*case_get)(struct store *s, struct arena *a, int64_t id, struct case_row *out);
    int (*case_by_number)(struct store *s, struct arena *a, const char *number,
                          struct case_row *out);
    int (*case_by_receipt)(struct store *s, struct arena *a, const unsigned char hash[HASH_BYTES],
                           struct case_row *out);
    int (*cases_list)(struct store *s, struct arena *a, const struct case_filter *f,
                      struct case_list *out);
    /* cases past a deadline they were not yet escalated for, oldest first. PostgreSQL
     * locks them until the caller's transaction ends and concurrent callers (other nodes)
     * skip them (today every write transaction also holds the engine's one write lock, so
     * a second node only finds them after the first committed, no longer overdue). */
    int (*cases_overdue)(struct store *s, struct arena *a, const char *now, size_t limit,
                         struct case_list *out);
    int (*event_insert)(struct store *s, struct event_row *e); /* sets e->id */
    int (*events_list)(struct store *s, struct arena *a, int64_t case_id, bool with_internal,
                       struct event_list *out);
    int (*attachment_insert)(struct store *s, struct attachment *att); /* sets att->id */
    int (*attachments_list)(struct store *s, struct arena *a, int64_t case_id, bool with_data,
                            struct attachment_list *out);
    int (*attachment_get)(struct store *s, struct arena *a, int64_t id, struct attachment *out);

    /* sessions and throttling */
    int (*track_session_put)(struct store *s, const unsigned char hash[HASH_BYTES], int64_t case_id,
                             const char *expires_at);
    int (*track_session_get)(struct store *s, const unsigned char hash[HASH_BYTES], const char *now,
                             int64_t *case_id);
    int (*staff_session_put)(struct store *s, const struct staff_session *ss);
    int (*staff_session_get)(struct store *s, struct arena *a, const unsigned char hash[HASH_BYTES],
                             struct staff_session *out);
    int (*staff_session_touch)(struct store *s, const unsigned char hash[HASH_BYTES],
                               const char *last_seen);
    int (*staff_session_delete)(struct store *s, const unsigned char hash[HASH_BYTES]);
    int (*throttle_get)(struct store *s, struct arena *a, const char *key,
                        struct throttle_row *out);
    int (*throttle_put)(struct store *s, const struct throttle_row *t);
    int (*throttle_clear)(struct store *s, const char *key);

    /* staff */
    int (*staff_get)(struct store *s, struct arena *a, int64_t id, struct staff *out);
    int (*staff_list)(struct store *s, struct arena *a, struct staff_list *out);
    int (*staff_update)(struct store *s, const struct staff *u); /* role, office, active,
                                                                    password, totp, failures */

    /* outbox and audit */
    int (*outbox_insert)(struct store *s, struct outbox_msg *m);
    /* pending messages due at `now`, in order. PostgreSQL claims them: other callers
     * (other nodes) skip them for a lease (10 minutes + 30 s a message), unless
     * outbox_update records an outcome first; the rows come back as before the claim. */
    int (*outbox_due)(struct store *s, struct arena *a, const char *now, size_t limit,
                      struct outbox_list *out);
    int (*outbox_update)(struct store *s, const struct outbox_msg *m);
    int (*audit_last_hash)(struct store *s, unsigned char hash[HASH_BYTES]);
    int (*audit_insert)(struct store *s, struct audit_entry *e);
    int (*audit_list)(struct store *s, struct arena *a, int64_t after_id, size_t limit,
                      struct audit_list *out);

    /* the staff console and administration (sqlite_admin.c) */
    int (*cases_counts)(struct store *s, const struct case_filter *f, struct case_counts *out);
    /* the highest case id in scope (0: none) and how many in scope have an id above since */
    int (*cases_changes)(struct store *s, const struct case_filter *f, int64_t since,
                         int64_t *latest, long long *fresh);
    /* the filtered cases, newest first, up to f->limit, one call of row() each */
    int (*cases_export)(struct store *s, const struct case_filter *f, case_export_fn row,
                        void *ctx);
    /* one office's cases created in [from, to) (NULL: unbounded), sensitive cases about the
     * office itself left out */
    int (*cases_stats)(struct store *s, struct arena *a, int64_t office_id, const char *from,
                       const char *to, struct case_stat_list *out);
    int (*templates_list)(struct store *s, struct arena *a, const struct template_filter *f,
                          struct template_list *out);
    int (*template_get)(struct store *s, struct arena *a, int64_t id,
                        struct response_template *out);
    int (*template_insert)(struct store *s, struct response_template *t); /* sets t->id */
    int (*template_update)(struct store *s, const struct response_template *t);
    int (*offices_search)(struct store *s, struct arena *a, const struct office_filter *f,
                          struct office_list *out);          /* inactive too */
    int (*office_insert)(struct store *s, struct office *o); /* sets o->id; CONFLICT: code taken */
    int (*office_update)(struct store *s, const struct office *o); /* names, active */
    /* office_id 0: any office; area_prefix NULL: anywhere */
    int (*staff_entries)(struct store *s, struct arena *a, int64_t office_id,
                         const char *area_prefix, struct staff_entry_list *out);
    /* ends the staff member's sessions, except `keep` (NULL: all) */
    int (*staff_sessions_revoke)(struct store *s, int64_t staff_id, const unsigned char *keep);
    int (*service_get)(struct store *s, struct arena *a, const char *code, struct service *out);
    int (*services_every)(struct store *s, struct arena *a, struct service_list *out);
    int (*service_insert)(struct store *s, const struct service *sv); /* CONFLICT: code taken */
    int (*service_update)(struct store *s, const struct service *sv);
    int (*deadlines_all)(struct store *s, struct arena *a, struct deadline_list *out);
    int (*deadline_put)(struct store *s, const struct deadline_row *d);
    int (*holidays_list)(struct store *s, struct arena *a, struct holiday_list *out);
    int (*holiday_upsert)(struct store *s, const struct holiday *h, bool *created);
    int (*holiday_delete)(struct store *s, const char *date);
    int (*routing_rules_all)(struct store *s, struct arena *a, struct routing_rule_list *out);
    int (*routing_rule_put)(struct store *s, const struct routing_rule *rule);
    int (*audit_search)(struct store *s, struct arena *a, const struct audit_filter *f,
                        struct audit_view_list *out);

    /* public statistics (sqlite_stats.c): the roll-up rows of a query, summed per group */
    int (*stats_read)(struct store *s, struct arena *a, const struct stats_query *q,
                      struct stats_raw *out);
    int (*stats_quotes)(struct store *s, struct arena *a, const struct stats_quote_query *q,
                        struct stats_quote_list *out);
    /* refills the roll-up tables from the cases */
    int (*stats_rebuild)(struct store *s);
    /* paused: changes to cases leave the roll-ups alone (bulk loads, then a rebuild) */
    int (*stats_pause)(struct store *s, bool paused);
    /* how many roll-up rows differ from a full recount (0: all equal) */
    int (*stats_check)(struct store *s, long long *differences);
};

struct store {
    const struct store_ops *ops;
};

/* Opens a connection: "postgres://" or "postgresql://" URLs select PostgreSQL, anything
 * else is a SQLite file path. Returns 0 or a store_status; *err gets a static message. */
int store_open(const char *url, struct store **out, const char **err);
/* Whether the URL selects PostgreSQL ("postgres://" or "postgresql://"). */
bool store_is_postgres_url(const char *url);
void store_close(struct store *s);
const char *store_engine(const struct store *s);

/* Runs fn inside one transaction, retrying (bounded, with backoff) while the engine says
 * STORE_RETRY. fn may therefore run more than once: it must have no side effects outside
 * the store. */
typedef int (*store_tx_fn)(struct store *s, void *ctx);
int store_tx(struct store *s, store_tx_fn fn, void *ctx);

int store_migrate(struct store *s, int *from, int *to);
/* The migration the database is at, and the last this program has (for its engine). */
int store_schema_version(struct store *s, int *version, int *latest);

int store_area_get(struct store *s, struct arena *a, const char *code, struct area *out);
int store_area_children(struct store *s, struct arena *a, const char *parent,
                        struct area_list *out);
int store_area_search(struct store *s, struct arena *a, const char *folded, const char *level,
                      const char *within, size_t limit, struct area_list *out);
int store_area_put(struct store *s, const struct area *area, const char *search);
int store_area_count(struct store *s, const char *level, long long *count);
int store_service_put(struct store *s, const struct service *service);
int store_services_for_area(struct store *s, struct arena *a, const char *const *ancestors,
                            size_t n, struct service_list *out);
int store_office_put(struct store *s, const struct office *office);
int store_offices_covering(struct store *s, struct arena *a, const char *const *ancestors, size_t n,
                           struct office_list *out);
int store_office_by_code(struct store *s, struct arena *a, const char *code, struct office *out);
int store_holiday_put(struct store *s, const struct holiday *h);
int store_staff_put(struct store *s, const struct staff *staff, bool *created);
int store_staff_by_login(struct store *s, struct arena *a, const char *login, struct staff *out);

int store_office_get(struct store *s, struct arena *a, int64_t id, struct office *out);
int store_office_find(struct store *s, struct arena *a, const char *kind, const char *area_code,
                      struct office *out);
int store_routing_target(struct store *s, struct arena *a, const char *delivered_by,
                         const char *kind, const char *condition, const char **target_kind);
int store_deadline_get(struct store *s, const char *kind, struct deadline_rule *out);
int store_holidays_all(struct store *s, struct arena *a, const char ***dates, size_t *count);
int store_case_insert(struct store *s, struct case_row *c);
int store_case_next_number(struct store *s, int64_t office_id, int year, int64_t *seq);
int store_case_update(struct store *s, const struct case_row *c);
int store_case_get(struct store *s, struct arena *a, int64_t id, struct case_row *out);
int store_case_by_number(struct store *s, struct arena *a, const char *number,
                         struct case_row *out);
int store_case_by_receipt(struct store *s, struct arena *a, const unsigned char hash[HASH_BYTES],
                          struct case_row *out);
int store_cases_list(struct store *s, struct arena *a, const struct case_filter *f,
                     struct case_list *out);
int store_cases_overdue(struct store *s, struct arena *a, const char *now, size_t limit,
                        struct case_list *out);
int store_event_insert(struct store *s, struct event_row *e);
int store_events_list(struct store *s, struct arena *a, int64_t case_id, bool with_internal,
                      struct event_list *out);
int store_attachment_insert(struct store *s, struct attachment *att);
int store_attachments_list(struct store *s, struct arena *a, int64_t case_id, bool with_data,
                           struct attachment_list *out);
int store_attachment_get(struct store *s, struct arena *a, int64_t id, struct attachment *out);
int store_track_session_put(struct store *s, const unsigned char hash[HASH_BYTES], int64_t case_id,
                            const char *expires_at);
int store_track_session_get(struct store *s, const unsigned char hash[HASH_BYTES], const char *now,
                            int64_t *case_id);
int store_staff_session_put(struct store *s, const struct staff_session *ss);
int store_staff_session_get(struct store *s, struct arena *a, const unsigned char hash[HASH_BYTES],
                            struct staff_session *out);
int store_staff_session_touch(struct store *s, const unsigned char hash[HASH_BYTES],
                              const char *last_seen);
int store_staff_session_delete(struct store *s, const unsigned char hash[HASH_BYTES]);
int store_throttle_get(struct store *s, struct arena *a, const char *key, struct throttle_row *out);
int store_throttle_put(struct store *s, const struct throttle_row *t);
int store_throttle_clear(struct store *s, const char *key);
int store_staff_get(struct store *s, struct arena *a, int64_t id, struct staff *out);
int store_staff_list(struct store *s, struct arena *a, struct staff_list *out);
int store_staff_update(struct store *s, const struct staff *u);
int store_outbox_insert(struct store *s, struct outbox_msg *m);
int store_outbox_due(struct store *s, struct arena *a, const char *now, size_t limit,
                     struct outbox_list *out);
int store_outbox_update(struct store *s, const struct outbox_msg *m);
int store_audit_last_hash(struct store *s, unsigned char hash[HASH_BYTES]);
int store_audit_insert(struct store *s, struct audit_entry *e);
int store_audit_list(struct store *s, struct arena *a, int64_t after_id, size_t limit,
                     struct audit_list *out);
int store_cases_counts(struct store *s, const struct case_filter *f, struct case_counts *out);
int store_cases_changes(struct store *s, const struct case_filter *f, int64_t since,
                        int64_t *latest, long long *fresh);
int store_cases_export(struct store *s, const struct case_filter *f, case_export_fn row, void *ctx);
int store_cases_stats(struct store *s, struct arena *a, int64_t office_id, const char *from,
                      const char *to, struct case_stat_list *out);
int store_templates_list(struct store *s, struct arena *a, const struct template_filter *f,
                         struct template_list *out);
int store_template_get(struct store *s, struct arena *a, int64_t id, struct response_template *out);
int store_template_insert(struct store *s, struct response_template *t);
int store_template_update(struct store *s, const struct response_template *t);
int store_offices_search(struct store *s, struct arena *a, const struct office_filter *f,
                         struct office_list *out);
int store_office_insert(struct store *s, struct office *o);
int store_office_update(struct store *s, const struct office *o);
int store_staff_entries(struct store *s, struct arena *a, int64_t office_id,
                        const char *area_prefix, struct staff_entry_list *out);
int store_staff_sessions_revoke(struct store *s, int64_t staff_id, const unsigned char *keep);
int store_service_get(struct store *s, struct arena *a, const char *code, struct service *out);
int store_services_every(struct store *s, struct arena *a, struct service_list *out);
int store_service_insert(struct store *s, const struct service *sv);
int store_service_update(struct store *s, const struct service *sv);
int store_deadlines_all(struct store *s, struct arena *a, struct deadline_list *out);
int store_deadline_put(struct store *s, const struct deadline_row *d);
int store_holidays_list(struct store *s, struct arena *a, struct holiday_list *out);
int store_holiday_upsert(struct store *s, const struct holiday *h, bool *created);
int store_holiday_delete(struct store *s, const char *date);
int store_routing_rules_all(struct store *s, struct arena *a, struct routing_rule_list *out);
int store_routing_rule_put(struct store *s, const struct routing_rule *rule);
int store_audit_search(struct store *s, struct arena *a, const struct audit_filter *f,
                       struct audit_view_list *out);

int store_stats_read(struct store *s, struct arena *a, const struct stats_query *q,
                     struct stats_raw *out);
int store_stats_quotes(struct store *s, struct arena *a, const struct stats_quote_query *q,
                       struct stats_quote_list *out);
int store_stats_rebuild(struct store *s);
int store_stats_pause(struct store *s, bool paused);
int store_stats_check(struct store *s, long long *differences);
/* For the engines: a query's scopes as one JSON array text (free() it; NULL: no memory). */
char *store_stats_scopes_json(const struct stats_query *q);

/* Counts failed store calls since start (for /metrics). */
unsigned long long store_error_count(void);

#endif
