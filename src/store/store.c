/* Engine selection, the transaction runner and the thin wrappers every caller uses. The
 * wrappers are the one place where store failures are counted for /metrics. */
#include "store/store.h"

#include "store/migrations.h"

#include <jansson.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/banned.h"

int sqlite_store_open(const char *path, struct store **out, const char **err);
int postgres_store_open(const char *url, struct store **out, const char **err);

static _Atomic unsigned long long errors;

unsigned long long store_error_count(void)
{
    return atomic_load(&errors);
}

static int counted(int rc)
{
    if (rc == STORE_FAILED || rc == STORE_RETRY)
        atomic_fetch_add(&errors, 1);
    return rc;
}

bool store_is_postgres_url(const char *url)
{
    return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

int store_open(const char *url, struct store **out, const char **err)
{
    *out = NULL;
    if (store_is_postgres_url(url))
        return counted(postgres_store_open(url, out, err));
    return counted(sqlite_store_open(url, out, err));
}

void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}

const char *store_engine(const struct store *s)
{
    return s->ops->engine;
}

#define TX_ATTEMPTS 8

int store_tx(struct store *s, store_tx_fn fn, void *ctx)
{
    int rc = STORE_FAILED;
    for (int attempt = 0; attempt < TX_ATTEMPTS; attempt++) {
        if (attempt) {
            struct timespec pause = {0, (long)(1000000L << (attempt < 6 ? attempt : 6))};
            nanosleep(&pause, NULL);
        }
        rc = s->ops->begin(s);
        if (rc == STORE_OK) {
            rc = fn(s, ctx);
            if (rc == STORE_OK)
                rc = s->ops->commit(s);
            if (rc != STORE_OK)
                s->ops->rollback(s);
        }
        if (rc != STORE_RETRY)
            break;
    }
    if (rc == STORE_RETRY)
        log_warn("store_retry_exhausted", "attempts=%d", TX_ATTEMPTS);
    return counted(rc);
}

int store_migrate(struct store *s, int *from, int *to)
{
    return counted(s->ops->migrate(s, from, to));
}

int store_schema_version(struct store *s, int *version, int *latest)
{
    *latest = 0;
    for (const struct migration *m = migrations; m->engine; m++)
        if (strcmp(m->engine, s->ops->engine) == 0 && m->version > *latest)
            *latest = m->version;
    return counted(s->ops->schema_version(s, version));
}

int store_area_get(struct store *s, struct arena *a, const char *code, struct area *out)
{
    return counted(s->ops->area_get(s, a, code, out));
}

int store_area_children(struct store *s, struct arena *a, const char *parent, struct area_list *out)
{
    return counted(s->ops->area_children(s, a, parent, out));
}

int store_area_search(struct store *s, struct arena *a, const char *folded, const char *level,
                      const char *within, size_t limit, struct area_list *out)
{
    return counted(s->ops->area_search(s, a, folded, level, within, limit, out));
}

int store_area_put(struct store *s, const struct area *area, const char *search)
{
    return counted(s->ops->area_put(s, area, search));
}

int store_area_count(struct store *s, const char *level, long long *count)
{
    return counted(s->ops->area_count(s, level, count));
}

int store_service_put(struct store *s, const struct service *service)
{
    return counted(s->ops->service_put(s, service));
}

int store_services_for_area(struct store *s, struct arena *a, const char *const *ancestors,
                            size_t n, struct service_list *out)
{
    return counted(s->ops->services_for_area(s, a, ancestors, n, out));
}

int store_office_put(struct store *s, const struct office *office)
{
    return counted(s->ops->office_put(s, office));
}

int store_offices_covering(struct store *s, struct arena *a, const char *const *ancestors, size_t n,
                           struct office_list *out)
{
    return counted(s->ops->offices_covering(s, a, ancestors, n, out));
}

int store_office_by_code(struct store *s, struct arena *a, const char *code, struct office *out)
{
    return counted(s->ops->office_by_code(s, a, code, out));
}

int store_holiday_put(struct store *s, const struct holiday *h)
{
    return counted(s->ops->holiday_put(s, h));
}

int store_staff_put(struct store *s, const struct staff *staff, bool *created)
{
    return counted(s->ops->staff_put(s, staff, created));
}

int store_staff_by_login(struct store *s, struct arena *a, const char *login, struct staff *out)
{
    return counted(s->ops->staff_by_login(s, a, login, out));
}

int store_office_get(struct store *s, struct arena *a, int64_t id, struct office *out)
{
    return counted(s->ops->office_get(s, a, id, out));
}

int store_office_find(struct store *s, struct arena *a, const char *kind, const char *area_code,
                      struct office *out)
{
    return counted(s->ops->office_find(s, a, kind, area_code, out));
}

int store_routing_target(struct store *s, struct arena *a, const char *delivered_by,
                         const char *kind, const char *condition, const char **target_kind)
{
    return counted(s->ops->routing_target(s, a, delivered_by, kind, condition, target_kind));
}

int store_deadline_get(struct store *s, const char *kind, struct deadline_rule *out)
{
    return counted(s->ops->deadline_get(s, kind, out));
}

int store_holidays_all(struct store *s, struct arena *a, const char ***dates, size_t *count)
{
    return counted(s->ops->holidays_all(s, a, dates, count));
}

int store_case_insert(struct store *s, struct case_row *c)
{
    return counted(s->ops->case_insert(s, c));
}

int store_case_next_number(struct store *s, int64_t office_id, int year, int64_t *seq)
{
    return counted(s->ops->case_next_number(s, office_id, year, seq));
}

int store_case_update(struct store *s, const struct case_row *c)
{
    return counted(s->ops->case_update(s, c));
}

int store_case_get(struct store *s, struct arena *a, int64_t id, struct case_row *out)
{
    return counted(s->ops->case_get(s, a, id, out));
}

int store_case_by_number(struct store *s, struct arena *a, const char *number, struct case_row *out)
{
    return counted(s->ops->case_by_number(s, a, number, out));
}

int store_case_by_receipt(struct store *s, struct arena *a, const unsigned char hash[HASH_BYTES],
                          struct case_row *out)
{
    return counted(s->ops->case_by_receipt(s, a, hash, out));
}

int store_cases_list(struct store *s, struct arena *a, const struct case_filter *f,
                     struct case_list *out)
{
    return counted(s->ops->cases_list(s, a, f, out));
}

int store_cases_overdue(struct store *s, struct arena *a, const char *now, size_t limit,
                        struct case_list *out)
{
    return counted(s->ops->cases_overdue(s, a, now, limit, out));
}

int store_event_insert(struct store *s, struct event_row *e)
{
    return counted(s->ops->event_insert(s, e));
}

int store_events_list(struct store *s, struct arena *a, int64_t case_id, bool with_internal,
                      struct event_list *out)
{
    return counted(s->ops->events_list(s, a, case_id, with_internal, out));
}

int store_attachment_insert(struct store *s, struct attachment *att)
{
    return counted(s->ops->attachment_insert(s, att));
}

int store_attachments_list(struct store *s, struct arena *a, int64_t case_id, bool with_data,
                           struct attachment_list *out)
{
    return counted(s->ops->attachments_list(s, a, case_id, with_data, out));
}

int store_attachment_get(struct store *s, struct arena *a, int64_t id, struct attachment *out)
{
    return counted(s->ops->attachment_get(s, a, id, out));
}

int store_track_session_put(struct store *s, const unsigned char hash[HASH_BYTES], int64_t case_id,
                            const char *expires_at)
{
    return counted(s->ops->track_session_put(s, hash, case_id, expires_at));
}

int store_track_session_get(struct store *s, const unsigned char hash[HASH_BYTES], const char *now,
                            int64_t *case_id)
{
    return counted(s->ops->track_session_get(s, hash, now, case_id));
}

int store_staff_session_put(struct store *s, const struct staff_session *ss)
{
    return counted(s->ops->staff_session_put(s, ss));
}

int store_staff_session_get(struct store *s, struct arena *a, const unsigned char hash[HASH_BYTES],
                            struct staff_session *out)
{
    return counted(s->ops->staff_session_get(s, a, hash, out));
}

int store_staff_session_touch(struct store *s, const unsigned char hash[HASH_BYTES],
                              const char *last_seen)
{
    return counted(s->ops->staff_session_touch(s, hash, last_seen));
}

int store_staff_session_delete(struct store *s, const unsigned char hash[HASH_BYTES])
{
    return counted(s->ops->staff_session_delete(s, hash));
}

int store_throttle_get(struct store *s, struct arena *a, const char *key, struct throttle_row *out)
{
    return counted(s->ops->throttle_get(s, a, key, out));
}

int store_throttle_put(struct store *s, const struct throttle_row *t)
{
    return counted(s->ops->throttle_put(s, t));
}

int store_throttle_clear(struct store *s, const char *key)
{
    return counted(s->ops->throttle_clear(s, key));
}

int store_staff_get(struct store *s, struct arena *a, int64_t id, struct staff *out)
{
    return counted(s->ops->staff_get(s, a, id, out));
}

int store_staff_list(struct store *s, struct arena *a, struct staff_list *out)
{
    return counted(s->ops->staff_list(s, a, out));
}

int store_staff_update(struct store *s, const struct staff *u)
{
    return counted(s->ops->staff_update(s, u));
}

int store_outbox_insert(struct store *s, struct outbox_msg *m)
{
    return counted(s->ops->outbox_insert(s, m));
}

int store_outbox_due(struct store *s, struct arena *a, const char *now, size_t limit,
                     struct outbox_list *out)
{
    return counted(s->ops->outbox_due(s, a, now, limit, out));
}

int store_outbox_update(struct store *s, const struct outbox_msg *m)
{
    return counted(s->ops->outbox_update(s, m));
}

int store_audit_last_hash(struct store *s, unsigned char hash[HASH_BYTES])
{
    return counted(s->ops->audit_last_hash(s, hash));
}

int store_audit_insert(struct store *s, struct audit_entry *e)
{
    return counted(s->ops->audit_insert(s, e));
}

int store_audit_list(struct store *s, struct arena *a, int64_t after_id, size_t limit,
                     struct audit_list *out)
{
    return counted(s->ops->audit_list(s, a, after_id, limit, out));
}

int store_cases_counts(struct store *s, const struct case_filter *f, struct case_counts *out)
{
    return counted(s->ops->cases_counts(s, f, out));
}

int store_cases_changes(struct store *s, const struct case_filter *f, int64_t since,
                        int64_t *latest, long long *fresh)
{
    return counted(s->ops->cases_changes(s, f, since, latest, fresh));
}

int store_cases_export(struct store *s, const struct case_filter *f, case_export_fn row, void *ctx)
{
    return counted(s->ops->cases_export(s, f, row, ctx));
}

int store_cases_stats(struct store *s, struct arena *a, int64_t office_id, const char *from,
                      const char *to, struct case_stat_list *out)
{
    return counted(s->ops->cases_stats(s, a, office_id, from, to, out));
}

int store_templates_list(struct store *s, struct arena *a, const struct template_filter *f,
                         struct template_list *out)
{
    return counted(s->ops->templates_list(s, a, f, out));
}

int store_template_get(struct store *s, struct arena *a, int64_t id, struct response_template *out)
{
    return counted(s->ops->template_get(s, a, id, out));
}

int store_template_insert(struct store *s, struct response_template *t)
{
    return counted(s->ops->template_insert(s, t));
}

int store_template_update(struct store *s, const struct response_template *t)
{
    return counted(s->ops->template_update(s, t));
}

int store_offices_search(struct store *s, struct arena *a, const struct office_filter *f,
                         struct office_list *out)
{
    return counted(s->ops->offices_search(s, a, f, out));
}

int store_office_insert(struct store *s, struct office *o)
{
    return counted(s->ops->office_insert(s, o));
}

int store_office_update(struct store *s, const struct office *o)
{
    return counted(s->ops->office_update(s, o));
}

int store_staff_entries(struct store *s, struct arena *a, int64_t office_id,
                        const char *area_prefix, struct staff_entry_list *out)
{
    return counted(s->ops->staff_entries(s, a, office_id, area_prefix, out));
}

int store_staff_sessions_revoke(struct store *s, int64_t staff_id, const unsigned char *keep)
{
    return counted(s->ops->staff_sessions_revoke(s, staff_id, keep));
}

int store_service_get(struct store *s, struct arena *a, const char *code, struct service *out)
{
    return counted(s->ops->service_get(s, a, code, out));
}

int store_services_every(struct store *s, struct arena *a, struct service_list *out)
{
    return counted(s->ops->services_every(s, a, out));
}

int store_service_insert(struct store *s, const struct service *sv)
{
    return counted(s->ops->service_insert(s, sv));
}

int store_service_update(struct store *s, const struct service *sv)
{
    return counted(s->ops->service_update(s, sv));
}

int store_deadlines_all(struct store *s, struct arena *a, struct deadline_list *out)
{
    return counted(s->ops->deadlines_all(s, a, out));
}

int store_deadline_put(struct store *s, const struct deadline_row *d)
{
    return counted(s->ops->deadline_put(s, d));
}

int store_holidays_list(struct store *s, struct arena *a, struct holiday_list *out)
{
    return counted(s->ops->holidays_list(s, a, out));
}

int store_holiday_upsert(struct store *s, const struct holiday *h, bool *created)
{
    return counted(s->ops->holiday_upsert(s, h, created));
}

int store_holiday_delete(struct store *s, const char *date)
{
    return counted(s->ops->holiday_delete(s, date));
}

int store_routing_rules_all(struct store *s, struct arena *a, struct routing_rule_list *out)
{
    return counted(s->ops->routing_rules_all(s, a, out));
}

int store_routing_rule_put(struct store *s, const struct routing_rule *rule)
{
    return counted(s->ops->routing_rule_put(s, rule));
}

int store_audit_search(struct store *s, struct arena *a, const struct audit_filter *f,
                       struct audit_view_list *out)
{
    return counted(s->ops->audit_search(s, a, f, out));
}

int store_stats_read(struct store *s, struct arena *a, const struct stats_query *q,
                     struct stats_raw *out)
{
    return counted(s->ops->stats_read(s, a, q, out));
}

int store_stats_quotes(struct store *s, struct arena *a, const struct stats_quote_query *q,
                       struct stats_quote_list *out)
{
    return counted(s->ops->stats_quotes(s, a, q, out));
}

int store_stats_rebuild(struct store *s)
{
    return counted(s->ops->stats_rebuild(s));
}

int store_stats_check(struct store *s, long long *differences)
{
    return counted(s->ops->stats_check(s, differences));
}

int store_stats_pause(struct store *s, bool paused)
{
    return counted(s->ops->stats_pause(s, paused));
}

char *store_stats_scopes_json(const struct stats_query *q)
{
    json_t *list = json_array();
    for (size_t i = 0; i < q->scope_count; i++)
        json_array_append_new(list, json_string(q->scopes[i]));
    char *text = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    return text;
}
