/* The PostgreSQL engine's operations on cases, the timeline, attachments, sessions,
 * throttling, staff, the outbox and the audit log (see store.h for each contract), with
 * the same SQL as sqlite_cases.c where the dialects agree. Where several nodes share the
 * database, the deadline job and the outbox sender claim their rows (FOR UPDATE SKIP
 * LOCKED) so that each case is escalated, and each message sent, by one node. */
#include <stdio.h>
#include <string.h>

#include "store/postgres_internal.h"
#include "core/text.h"
#include "core/banned.h"

/* ---- offices, routing, deadlines, holidays ---- */

static const char sql_office_get[] =
    "SELECT id, code, kind, area_code, name_km, name_en, active FROM offices WHERE id = $1::bigint";
static const char sql_office_find[] =
    "SELECT id, code, kind, area_code, name_km, name_en, active FROM offices"
    " WHERE kind = $1::text AND area_code IS NOT DISTINCT FROM $2::text AND active = 1"
    " ORDER BY id LIMIT 1";

int pgc_office_get(struct store *base, struct arena *a, int64_t id, struct office *out)
{
    struct pg_params p = {0};
    pg_int(&p, 1, id);
    return pg_one(pg_impl(base), sql_office_get, &p, a, sizeof *out, pg_read_office, out);
}

int pgc_office_find(struct store *base, struct arena *a, const char *kind, const char *area_code,
                    struct office *out)
{
    struct pg_params p = {0};
    pg_text(&p, 1, kind);
    pg_text(&p, 2, area_code);
    return pg_one(pg_impl(base), sql_office_find, &p, a, sizeof *out, pg_read_office, out);
}

static const char sql_routing[] =
    "SELECT target_kind FROM routing_rules WHERE delivered_by = $1::text AND condition = $3::text"
    " AND kind IN ($2::text, '*') ORDER BY kind = '*' LIMIT 1";

static void read_first_text(PGresult *r, int row, struct arena *a, void *item)
{
    *(const char **)item = pg_col_text(r, row, 0, a);
}

int pgc_routing_target(struct store *base, struct arena *a, const char *delivered_by,
                       const char *kind, const char *condition, const char **target_kind)
{
    struct pg_params p = {0};
    pg_text(&p, 1, delivered_by);
    pg_text(&p, 2, kind);
    pg_text(&p, 3, condition);
    *target_kind = NULL;
    return pg_one(pg_impl(base), sql_routing, &p, a, sizeof *target_kind, read_first_text,
                  (void *)target_kind);
}

static const char sql_deadline[] = "SELECT acknowledge_days, coalesce(answer_days, -1)"
                                   " FROM deadlines WHERE kind = $1::text";

int pgc_deadline_get(struct store *base, const char *kind, struct deadline_rule *out)
{
    struct pg_store *s = pg_impl(base);
    struct pg_params p = {0};
    pg_text(&p, 1, kind);
    PGresult *r;
    int rc = pg_exec(s, sql_deadline, &p, "deadline", &r);
    if (rc != STORE_OK)
        return rc;
    rc = PQntuples(r) > 0 ? STORE_OK : STORE_NOT_FOUND;
    if (rc == STORE_OK) {
        out->acknowledge_days = (int)pg_col_int(r, 0, 0);
        out->answer_days = (int)pg_col_int(r, 0, 1);
    }
    PQclear(r);
    return rc;
}

static const char sql_holidays[] = "SELECT day FROM holidays ORDER BY day";

int pgc_holidays_all(struct store *base, struct arena *a, const char ***dates, size_t *count)
{
    return pg_collect(pg_impl(base), sql_holidays, NULL, a, sizeof(const char *), read_first_text,
                      (void **)dates, count);
}

/* ---- cases ---- */

#define CASE_COLS                                                                                  \
    "id, number, kind, status, office_id, origin_office_id, ccwc_office_id, area_code,"            \
    " service_code, text, language, scores, sensitive, bypass_office, public_consent,"             \
    " public_approved, sex, age_band, disability, receipt_hash, contact_sealed, name_sealed,"      \
    " assigned_to, escalation_level, made_at, created_at, updated_at, acknowledged_at,"            \
    " answered_at, closed_at, due_acknowledge, due_answer, breached, satisfied, rating,"           \
    " rating_comment, overcharged"

static void read_case(PGresult *r, int row, struct arena *a, void *item)
{
    struct case_row *c = item;
    size_t len;
    c->id = pg_col_int(r, row, 0);
    c->number = pg_col_text(r, row, 1, a);
    c->kind = pg_col_text(r, row, 2, a);
    c->status = pg_col_text(r, row, 3, a);
    c->office_id = pg_col_int(r, row, 4);
    c->origin_office_id = pg_col_int(r, row, 5);
    c->ccwc_office_id = pg_col_int(r, row, 6);
    c->area_code = pg_col_text(r, row, 7, a);
    c->service_code = pg_col_text(r, row, 8, a);
    c->text = pg_col_text(r, row, 9, a);
    c->language = pg_col_text(r, row, 10, a);
    c->scores = pg_col_text(r, row, 11, a);
    c->sensitive = pg_col_bool(r, row, 12);
    c->bypass_office = pg_col_bool(r, row, 13);
    c->public_consent = pg_col_bool(r, row, 14);
    c->public_approved = pg_col_bool(r, row, 15);
    c->sex = pg_col_text(r, row, 16, a);
    c->age_band = pg_col_text(r, row, 17, a);
    c->disability = pg_col_opt_int(r, row, 18, -1);
    pg_col_hash(r, row, 19, c->receipt_hash, HASH_BYTES);
    c->contact_sealed = pg_col_blob(r, row, 20, a, &len);
    c->contact_sealed_len = len;
    c->name_sealed = pg_col_blob(r, row, 21, a, &len);
    c->name_sealed_len = len;
    c->assigned_to = pg_col_int(r, row, 22);
    c->escalation_level = (int)pg_col_int(r, row, 23);
    c->made_at = pg_col_text(r, row, 24, a);
    c->created_at = pg_col_text(r, row, 25, a);
    c->updated_at = pg_col_text(r, row, 26, a);
    c->acknowledged_at = pg_col_text(r, row, 27, a);
    c->answered_at = pg_col_text(r, row, 28, a);
    c->closed_at = pg_col_text(r, row, 29, a);
    c->due_acknowledge = pg_col_text(r, row, 30, a);
    c->due_answer = pg_col_text(r, row, 31, a);
    c->breached = pg_col_text(r, row, 32, a);
    c->satisfied = pg_col_opt_int(r, row, 33, -1);
    c->rating = (int)pg_col_int(r, row, 34);
    c->rating_comment = pg_col_text(r, row, 35, a);
    c->overcharged = pg_col_bool(r, row, 36);
}

static const char sql_case_insert[] =
    "INSERT INTO cases (number, kind, status, office_id, origin_office_id, ccwc_office_id,"
    " area_code, service_code, text, language, scores, sensitive, bypass_office, public_consent,"
    " public_approved, sex, age_band, disability, receipt_hash, contact_sealed, name_sealed,"
    " assigned_to, escalation_level, made_at, created_at, updated_at, acknowledged_at,"
    " answered_at, closed_at, due_acknowledge, due_answer, breached, satisfied, rating,"
    " rating_comment, overcharged) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
    " $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30,"
    " $31, $32, $33, $34, $35, $36) RETURNING id";

static const char sql_case_update[] =
    "UPDATE cases SET status = $2, office_id = $3, ccwc_office_id = $4, public_approved = $5,"
    " assigned_to = $6, escalation_level = $7, updated_at = $8, acknowledged_at = $9,"
    " answered_at = $10, closed_at = $11, due_acknowledge = $12, due_answer = $13,"
    " breached = $14, satisfied = $15, rating = $16, rating_comment = $17 WHERE id = $1";

static void bind_case_people(struct pg_params *p, const struct case_row *c)
{
    pg_int(p, 12, c->sensitive);
    pg_int(p, 13, c->bypass_office);
    pg_int(p, 14, c->public_consent);
    pg_int(p, 15, c->public_approved);
    pg_text(p, 16, c->sex);
    pg_text(p, 17, c->age_band);
    pg_opt_int(p, 18, c->disability, -1);
    pg_blob(p, 19, c->receipt_hash, HASH_BYTES);
    pg_blob(p, 20, c->contact_sealed, c->contact_sealed_len);
    pg_blob(p, 21, c->name_sealed, c->name_sealed_len);
    pg_id(p, 22, c->assigned_to);
    pg_int(p, 23, c->escalation_level);
}

static void bind_case_times(struct pg_params *p, const struct case_row *c)
{
    pg_text(p, 24, c->made_at);
    pg_text(p, 25, c->created_at);
    pg_text(p, 26, c->updated_at);
    pg_text(p, 27, c->acknowledged_at);
    pg_text(p, 28, c->answered_at);
    pg_text(p, 29, c->closed_at);
    pg_text(p, 30, c->due_acknowledge);
    pg_text(p, 31, c->due_answer);
    pg_text(p, 32, c->breached);
    pg_opt_int(p, 33, c->satisfied, -1);
    pg_opt_int(p, 34, c->rating, 0);
    pg_text(p, 35, c->rating_comment);
    pg_int(p, 36, c->overcharged);
}

int pgc_case_insert(struct store *base, struct case_row *c)
{
    struct pg_params p = {0};
    pg_text(&p, 1, c->number);
    pg_text(&p, 2, c->kind);
    pg_text(&p, 3, c->status);
    pg_id(&p, 4, c->office_id);
    pg_id(&p, 5, c->origin_office_id);
    pg_id(&p, 6, c->ccwc_office_id);
    pg_text(&p, 7, c->area_code);
    pg_text(&p, 8, c->service_code);
    pg_text(&p, 9, c->text);
    pg_text(&p, 10, c->language);
    pg_text(&p, 11, c->scores);
    bind_case_people(&p, c);
    bind_case_times(&p, c);
    long long id;
    int rc = pg_scalar(pg_impl(base), sql_case_insert, &p, "case_insert", &id);
    if (rc == STORE_OK)
        c->id = id;
    return rc;
}

int pgc_case_update(struct store *base, const struct case_row *c)
{
    struct pg_params p = {0};
    pg_int(&p, 1, c->id);
    pg_text(&p, 2, c->status);
    pg_id(&p, 3, c->office_id);
    pg_id(&p, 4, c->ccwc_office_id);
    pg_int(&p, 5, c->public_approved);
    pg_id(&p, 6, c->assigned_to);
    pg_int(&p, 7, c->escalation_level);
    pg_text(&p, 8, c->updated_at);
    pg_text(&p, 9, c->acknowledged_at);
    pg_text(&p, 10, c->answered_at);
    pg_text(&p, 11, c->closed_at);
    pg_text(&p, 12, c->due_acknowledge);
    pg_text(&p, 13, c->due_answer);
    pg_text(&p, 14, c->breached);
    pg_opt_int(&p, 15, c->satisfied, -1);
    pg_opt_int(&p, 16, c->rating, 0);
    pg_text(&p, 17, c->rating_comment);
    long long changed = 0;
    int rc = pg_run(pg_impl(base), sql_case_update, &p, "case_update", &changed);
    if (rc == STORE_OK && changed == 0)
        return STORE_NOT_FOUND;
    return rc;
}

/* The counter row stays locked until the transaction ends: numbers are unique, and a
 * rolled-back transaction leaves at most a gap. */
static const char sql_counter[] =
    "INSERT INTO case_counters (office_id, year, next) VALUES ($1, $2, 1)"
    " ON CONFLICT (office_id, year) DO UPDATE SET next = case_counters.next + 1 RETURNING next";

int pgc_case_next_number(struct store *base, int64_t office_id, int year, int64_t *seq)
{
    struct pg_params p = {0};
    pg_int(&p, 1, office_id);
    pg_int(&p, 2, year);
    long long v;
    int rc = pg_scalar(pg_impl(base), sql_counter, &p, "case_number", &v);
    if (rc == STORE_OK)
        *seq = v;
    return rc == STORE_NOT_FOUND ? STORE_FAILED : rc;
}

static const char sql_case_get[] = "SELECT " CASE_COLS " FROM cases WHERE id = $1::bigint";
static const char sql_case_by_number[] = "SELECT " CASE_COLS " FROM cases WHERE number = $1::text";
static const char sql_case_by_receipt[] =
    "SELECT " CASE_COLS " FROM cases WHERE receipt_hash = $1::bytea";

int pgc_case_get(struct store *base, struct arena *a, int64_t id, struct case_row *out)
{
    struct pg_params p = {0};
    pg_int(&p, 1, id);
    return pg_one(pg_impl(base), sql_case_get, &p, a, sizeof *out, read_case, out);
}

int pgc_case_by_number(struct store *base, struct arena *a, const char *number,
                       struct case_row *out)
{
    struct pg_params p = {0};
    pg_text(&p, 1, number);
    return pg_one(pg_impl(base), sql_case_by_number, &p, a, sizeof *out, read_case, out);
}

int pgc_case_by_receipt(struct store *base, struct arena *a, const unsigned char hash[HASH_BYTES],
                        struct case_row *out)
{
    struct pg_params p = {0};
    pg_blob(&p, 1, hash, HASH_BYTES);
    return pg_one(pg_impl(base), sql_case_by_receipt, &p, a, sizeof *out, read_case, out);
}

/* The scope picks the statement (so that each uses its index: by office, by CCWC, by area
 * range, or all); every further filter is switched off by a NULL parameter. Free text is a
 * case-insensitive substring (ILIKE, served by the trigram index), as FTS5's trigram
 * phrase is in SQLite. */
#define CASE_FILTERS                                                                               \
    " AND NOT ($4::bigint IS NOT NULL AND (c.sensitive = 1 OR c.bypass_office = 1)"                \
    "         AND c.origin_office_id = $4::bigint)"                                                \
    " AND ($5::text IS NULL OR c.status = $5::text) AND ($6::text IS NULL OR c.kind = $6::text)"   \
    " AND ($7::text IS NULL OR c.service_code = $7::text)"                                         \
    " AND ($8::text IS NULL OR c.text ILIKE $8::text)"                                             \
    " AND ($9::text IS NULL OR (c.status = 'submitted' AND c.due_acknowledge < $9::text)"          \
    "      OR (c.status IN ('acknowledged', 'in_progress') AND c.due_answer < $9::text))"          \
    " AND ($10::bigint IS NULL OR c.assigned_to = $10::bigint)"                                    \
    " AND ($11::bigint IS NULL OR c.id < $11::bigint)"                                             \
    " ORDER BY c.id DESC LIMIT $12::bigint"

static const char sql_cases_by_office[] =
    "SELECT " CASE_COLS " FROM cases c WHERE c.office_id = $1::bigint" CASE_FILTERS;
static const char sql_cases_by_ccwc[] =
    "SELECT " CASE_COLS
    " FROM cases c WHERE c.ccwc_office_id = $3::bigint AND c.sensitive = 1" CASE_FILTERS;
static const char sql_cases_by_area[] =
    "SELECT " CASE_COLS " FROM cases c"
    " WHERE c.area_code >= $2::text AND c.area_code < $13::text" CASE_FILTERS;
static const char sql_cases_all[] = "SELECT " CASE_COLS " FROM cases c WHERE true" CASE_FILTERS;

int pgc_cases_list(struct store *base, struct arena *a, const struct case_filter *f,
                   struct case_list *out)
{
    const char *sql = f->office_id                        ? sql_cases_by_office
                      : f->ccwc_office_id                 ? sql_cases_by_ccwc
                      : f->area_prefix && *f->area_prefix ? sql_cases_by_area
                                                          : sql_cases_all;
    struct pg_params p = {0};
    pg_id(&p, 1, f->office_id);
    if (sql == sql_cases_by_area) {
        pg_text(&p, 2, f->area_prefix);
        pg_text(&p, 13, text_prefix_end(a, f->area_prefix));
    }
    pg_id(&p, 3, f->ccwc_office_id);
    pg_id(&p, 4, f->hide_origin_office);
    pg_text(&p, 5, f->status);
    pg_text(&p, 6, f->kind);
    pg_text(&p, 7, f->service_code);
    if (f->q && *f->q)
        pg_text(&p, 8, pg_substring_pattern(a, f->q));
    if (f->overdue_only)
        pg_text(&p, 9, f->now);
    pg_id(&p, 10, f->assigned_to);
    pg_id(&p, 11, f->before_id);
    pg_int(&p, 12, (long long)(f->limit ? f->limit : 50));
    return pg_collect(pg_impl(base), sql, &p, a, sizeof(struct case_row), read_case,
                      (void **)&out->items, &out->count);
}

/* Locks the rows it returns until the caller's transaction ends; rows another node holds
 * are skipped (that node is escalating them), and once it commits they are no longer
 * overdue. */
static const char sql_cases_overdue[] =
    "SELECT " CASE_COLS " FROM cases WHERE"
    " (status = 'submitted' AND due_acknowledge < $1::text"
    "  AND coalesce(breached, '') <> 'acknowledge')"
    " OR (status IN ('acknowledged', 'in_progress') AND due_answer < $1::text"
    "     AND coalesce(breached, '') <> 'answer')"
    " ORDER BY id LIMIT $2::bigint FOR UPDATE SKIP LOCKED";

int pgc_cases_overdue(struct store *base, struct arena *a, const char *now, size_t limit,
                      struct case_list *out)
{
    struct pg_params p = {0};
    pg_text(&p, 1, now);
    pg_int(&p, 2, (long long)limit);
    return pg_collect(pg_impl(base), sql_cases_overdue, &p, a, sizeof(struct case_row), read_case,
                      (void **)&out->items, &out->count);
}

/* ---- events ---- */

#define EVENT_COLS                                                                                 \
    "id, case_id, at, actor_kind, actor_id, type, visibility, text, reason, from_office,"          \
    " to_office, status"

static const char sql_event_insert[] =
    "INSERT INTO events (case_id, at, actor_kind, actor_id, type, visibility, text, reason,"
    " from_office, to_office, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    " RETURNING id";
static const char sql_events_all[] =
    "SELECT " EVENT_COLS " FROM events WHERE case_id = $1::bigint ORDER BY id";
static const char sql_events_public[] = "SELECT " EVENT_COLS " FROM events"
                                        " WHERE case_id = $1::bigint AND visibility = 'public'"
                                        " ORDER BY id";

int pgc_event_insert(struct store *base, struct event_row *e)
{
    struct pg_params p = {0};
    pg_int(&p, 1, e->case_id);
    pg_text(&p, 2, e->at);
    pg_text(&p, 3, e->actor_kind);
    pg_id(&p, 4, e->actor_id);
    pg_text(&p, 5, e->type);
    pg_text(&p, 6, e->visibility);
    pg_text(&p, 7, e->text);
    pg_text(&p, 8, e->reason);
    pg_id(&p, 9, e->from_office);
    pg_id(&p, 10, e->to_office);
    pg_text(&p, 11, e->status);
    long long id;
    int rc = pg_scalar(pg_impl(base), sql_event_insert, &p, "event_insert", &id);
    if (rc == STORE_OK)
        e->id = id;
    return rc;
}

static void read_event(PGresult *r, int row, struct arena *a, void *item)
{
    struct event_row *e = item;
    e->id = pg_col_int(r, row, 0);
    e->case_id = pg_col_int(r, row, 1);
    e->at = pg_col_text(r, row, 2, a);
    e->actor_kind = pg_col_text(r, row, 3, a);
    e->actor_id = pg_col_int(r, row, 4);
    e->type = pg_col_text(r, row, 5, a);
    e->visibility = pg_col_text(r, row, 6, a);
    e->text = pg_col_text(r, row, 7, a);
    e->reason = pg_col_text(r, row, 8, a);
    e->from_office = pg_col_int(r, row, 9);
    e->to_office = pg_col_int(r, row, 10);
    e->status = pg_col_text(r, row, 11, a);
}

int pgc_events_list(struct store *base, struct arena *a, int64_t case_id, bool with_internal,
                    struct event_list *out)
{
    struct pg_params p = {0};
    pg_int(&p, 1, case_id);
    return pg_collect(pg_impl(base), with_internal ? sql_events_all : sql_events_public, &p, a,
                      sizeof(struct event_row), read_event, (void **)&out->items, &out->count);
}

/* ---- attachments ---- */

static const char sql_attachment_insert[] =
    "INSERT INTO attachments (case_id, event_id, mime, bytes, data, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
static const char sql_attachments_meta[] =
    "SELECT id, case_id, event_id, mime, bytes, NULL::bytea, created_at FROM attachments"
    " WHERE case_id = $1::bigint ORDER BY id";
static const char sql_attachments_data[] =
    "SELECT id, case_id, event_id, mime, bytes, data, created_at FROM attachments"
    " WHERE case_id = $1::bigint ORDER BY id";
static const char sql_attachment_get[] = "SELECT id, case_id, event_id, mime, bytes, data,"
                                         " created_at FROM attachments WHERE id = $1::bigint";

int pgc_attachment_insert(struct store *base, struct attachment *att)
{
    struct pg_params p = {0};
    pg_int(&p, 1, att->case_id);
    pg_id(&p, 2, att->event_id);
    pg_text(&p, 3, att->mime);
    pg_int(&p, 4, (long long)att->bytes);
    pg_blob(&p, 5, att->data ? (const void *)att->data : "", att->bytes);
    pg_text(&p, 6, att->created_at);
    long long id;
    int rc = pg_scalar(pg_impl(base), sql_attachment_insert, &p, "attachment_insert", &id);
    if (rc == STORE_OK)
        att->id = id;
    return rc;
}

static void read_attachment(PGresult *r, int row, struct arena *a, void *item)
{
    struct attachment *att = item;
    size_t len;
    att->id = pg_col_int(r, row, 0);
    att->case_id = pg_col_int(r, row, 1);
    att->event_id = pg_col_int(r, row, 2);
    att->mime = pg_col_text(r, row, 3, a);
    att->bytes = (size_t)pg_col_int(r, row, 4);
    att->data = pg_col_blob(r, row, 5, a, &len);
    att->created_at = pg_col_text(r, row, 6, a);
}

int pgc_attachments_list(struct store *base, struct arena *a, int64_t case_id, bool with_data,
                         struct attachment_list *out)
{
    struct pg_params p = {0};
    pg_int(&p, 1, case_id);
    return pg_collect(pg_impl(base), with_data ? sql_attachments_data : sql_attachments_meta, &p, a,
                      sizeof(struct attachment), read_attachment, (void **)&out->items,
                      &out->count);
}

int pgc_attachment_get(struct store *base, struct arena *a, int64_t id, struct attachment *out)
{
    struct pg_params p = {0};
    pg_int(&p, 1, id);
    return pg_one(pg_impl(base), sql_attachment_get, &p, a, sizeof *out, read_attachment, out);
}

/* ---- sessions ---- */

static const char sql_track_put[] =
    "INSERT INTO track_sessions (token_hash, case_id, expires_at) VALUES ($1, $2, $3)";
static const char sql_track_get[] = "SELECT case_id FROM track_sessions"
                                    " WHERE token_hash = $1::bytea AND expires_at > $2::text";

int pgc_track_session_put(struct store *base, const unsigned char hash[HASH_BYTES], int64_t case_id,
                          const char *expires_at)
{
    struct pg_params p = {0};
    pg_blob(&p, 1, hash, HASH_BYTES);
    pg_int(&p, 2, case_id);
    pg_text(&p, 3, expires_at);
    return pg_run(pg_impl(base), sql_track_put, &p, "track_session_put", NULL);
}

int pgc_track_session_get(struct store *base, const unsigned char hash[HASH_BYTES], const char *now,
                          int64_t *case_id)
{
    struct pg_params p = {0};
    pg_blob(&p, 1, hash, HASH_BYTES);
    pg_text(&p, 2, now);
    long long v;
    int rc = pg_scalar(pg_impl(base), sql_track_get, &p, "track_session_get", &v);
    if (rc == STORE_OK)
        *case_id = v;
    return rc;
}

static const char sql_staff_session_put[] =
    "INSERT INTO staff_sessions (token_hash, staff_id, csrf, created_at, last_seen, expires_at)"
    " VALUES ($1, $2, $3, $4, $5, $6)";
static const char sql_staff_session_get[] =
    "SELECT token_hash, staff_id, csrf, created_at, last_seen, expires_at FROM staff_sessions"
    " WHERE token_hash = $1::bytea";
static const char sql_staff_session_touch[] =
    "UPDATE staff_sessions SET last_seen = $2::text WHERE token_hash = $1::bytea";
static const char sql_staff_session_delete[] =
    "DELETE FROM staff_sessions WHERE token_hash = $1::bytea";

int pgc_staff_session_put(struct store *base, const struct staff_session *ss)
{
    struct pg_params p = {0};
    pg_blob(&p, 1, ss->token_hash, HASH_BYTES);
    pg_int(&p, 2, ss->staff_id);
    pg_text(&p, 3, ss->csrf);
    pg_text(&p, 4, ss->created_at);
    pg_text(&p, 5, ss->last_seen);
    pg_text(&p, 6, ss->expires_at);
    return pg_run(pg_impl(base), sql_staff_session_put, &p, "staff_session_put", NULL);
}

static void read_staff_session(PGresult *r, int row, struct arena *a, void *item)
{
    struct staff_session *ss = item;
    pg_col_hash(r, row, 0, ss->token_hash, HASH_BYTES);
    ss->staff_id = pg_col_int(r, row, 1);
    ss->csrf = pg_col_text(r, row, 2, a);
    ss->created_at = pg_col_text(r, row, 3, a);
    ss->last_seen = pg_col_text(r, row, 4, a);
    ss->expires_at = pg_col_text(r, row, 5, a);
}

int pgc_staff_session_get(struct store *base, struct arena *a, const unsigned char hash[HASH_BYTES],
                          struct staff_session *out)
{
    struct pg_params p = {0};
    pg_blob(&p, 1, hash, HASH_BYTES);
    return pg_one(pg_impl(base), sql_staff_session_get, &p, a, sizeof *out, read_staff_session,
                  out);
}

int pgc_staff_session_touch(struct store *base, const unsigned char hash[HASH_BYTES],
                            const char *last_seen)
{
    struct pg_params p = {0};
    pg_blob(&p, 1, hash, HASH_BYTES);
    pg_text(&p, 2, last_seen);
    return pg_run(pg_impl(base), sql_staff_session_touch, &p, "staff_session_touch", NULL);
}

int pgc_staff_session_delete(struct store *base, const unsigned char hash[HASH_BYTES])
{
    struct pg_params p = {0};
    pg_blob(&p, 1, hash, HASH_BYTES);
    return pg_run(pg_impl(base), sql_staff_session_delete, &p, "staff_session_delete", NULL);
}

/* ---- throttling ---- */

static const char sql_throttle_get[] =
    "SELECT key, failures, window_start, last_failure FROM throttle WHERE key = $1::text";
static const char sql_throttle_put[] =
    "INSERT INTO throttle (key, failures, window_start, last_failure) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,"
    " window_start = excluded.window_start, last_failure = excluded.last_failure";
static const char sql_throttle_clear[] = "DELETE FROM throttle WHERE key = $1::text";

static void read_throttle(PGresult *r, int row, struct arena *a, void *item)
{
    struct throttle_row *t = item;
    t->key = pg_col_text(r, row, 0, a);
    t->failures = (int)pg_col_int(r, row, 1);
    t->window_start = pg_col_text(r, row, 2, a);
    t->last_failure = pg_col_text(r, row, 3, a);
}

int pgc_throttle_get(struct store *base, struct arena *a, const char *key, struct throttle_row *out)
{
    struct pg_params p = {0};
    pg_text(&p, 1, key);
    return pg_one(pg_impl(base), sql_throttle_get, &p, a, sizeof *out, read_throttle, out);
}

int pgc_throttle_put(struct store *base, const struct throttle_row *t)
{
    struct pg_params p = {0};
    pg_text(&p, 1, t->key);
    pg_int(&p, 2, t->failures);
    pg_text(&p, 3, t->window_start);
    pg_text(&p, 4, t->last_failure);
    return pg_run(pg_impl(base), sql_throttle_put, &p, "throttle_put", NULL);
}

int pgc_throttle_clear(struct store *base, const char *key)
{
    struct pg_params p = {0};
    pg_text(&p, 1, key);
    return pg_run(pg_impl(base), sql_throttle_clear, &p, "throttle_clear", NULL);
}

/* ---- staff ---- */

#define STAFF_COLS                                                                                 \
    "id, login, name, role, office_id, password_hash, active, totp_secret, failed_logins,"         \
    " locked_until, created_at, totp_last_step"

static void read_staff_full(PGresult *r, int row, struct arena *a, void *item)
{
    struct staff *u = item;
    size_t len;
    u->id = pg_col_int(r, row, 0);
    u->login = pg_col_text(r, row, 1, a);
    u->name = pg_col_text(r, row, 2, a);
    u->role = pg_col_text(r, row, 3, a);
    u->office_id = pg_col_int(r, row, 4);
    u->password_hash = pg_col_text(r, row, 5, a);
    u->active = pg_col_bool(r, row, 6);
    u->totp_sealed = pg_col_blob(r, row, 7, a, &len);
    u->totp_sealed_len = len;
    u->failed_logins = (int)pg_col_int(r, row, 8);
    u->locked_until = pg_col_text(r, row, 9, a);
    u->created_at = pg_col_text(r, row, 10, a);
    u->totp_last_step = pg_col_int(r, row, 11);
}

static const char sql_staff_get[] = "SELECT " STAFF_COLS " FROM staff WHERE id = $1::bigint";
static const char sql_staff_by_login[] = "SELECT " STAFF_COLS " FROM staff WHERE login = $1::text";
static const char sql_staff_list[] = "SELECT " STAFF_COLS " FROM staff ORDER BY login";
static const char sql_staff_update[] =
    "UPDATE staff SET name = $2, role = $3, office_id = $4, password_hash = $5, active = $6,"
    " totp_secret = $7, failed_logins = $8, locked_until = $9, totp_last_step = $10"
    " WHERE id = $1";

int pgc_staff_get(struct store *base, struct arena *a, int64_t id, struct staff *out)
{
    struct pg_params p = {0};
    pg_int(&p, 1, id);
    return pg_one(pg_impl(base), sql_staff_get, &p, a, sizeof *out, read_staff_full, out);
}

int pgc_staff_by_login(struct store *base, struct arena *a, const char *login, struct staff *out)
{
    struct pg_params p = {0};
    pg_text(&p, 1, login);
    return pg_one(pg_impl(base), sql_staff_by_login, &p, a, sizeof *out, read_staff_full, out);
}

int pgc_staff_list(struct store *base, struct arena *a, struct staff_list *out)
{
    return pg_collect(pg_impl(base), sql_staff_list, NULL, a, sizeof(struct staff), read_staff_full,
                      (void **)&out->items, &out->count);
}

int pgc_staff_update(struct store *base, const struct staff *u)
{
    struct pg_params p = {0};
    pg_int(&p, 1, u->id);
    pg_text(&p, 2, u->name);
    pg_text(&p, 3, u->role);
    pg_id(&p, 4, u->office_id);
    pg_text(&p, 5, u->password_hash);
    pg_int(&p, 6, u->active);
    pg_blob(&p, 7, u->totp_sealed, u->totp_sealed_len);
    pg_int(&p, 8, u->failed_logins);
    pg_text(&p, 9, u->locked_until);
    pg_int(&p, 10, u->totp_last_step);
    long long changed = 0;
    int rc = pg_run(pg_impl(base), sql_staff_update, &p, "staff_update", &changed);
    if (rc == STORE_OK && changed == 0)
        return STORE_NOT_FOUND;
    return rc;
}

/* ---- outbox ---- */

/* How long claimed messages stay away from other senders: 10 minutes, plus 30 s for each
 * message claimed (one attempt sends to at most three contacts, 10 s each), so that a claim
 * never runs out while its batch is still being sent. A sender that stops midway loses its
 * claim after that. */
#define OUTBOX_LEASE "interval '1 second' * (600 + 30 * $2::bigint)"

#define OUTBOX_COLS                                                                                \
    "id, channel, template, recipient_sealed, case_id, status, attempts, next_attempt_at,"         \
    " last_error, created_at, sent_at"

static const char sql_outbox_insert[] =
    "INSERT INTO outbox (channel, recipient_sealed, case_id, template, status, attempts,"
    " next_attempt_at, created_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5) RETURNING id";
/* Claims the due rows (one statement, its own transaction): their next_attempt_at moves
 * past the lease, and the rows come back as they were, in the order SQLite gives. */
static const char sql_outbox_due[] =
    "WITH due AS (SELECT id, next_attempt_at AS was FROM outbox"
    "   WHERE status = 'pending' AND next_attempt_at <= $1::text"
    "   ORDER BY next_attempt_at, id LIMIT $2::bigint FOR UPDATE SKIP LOCKED),"
    " claimed AS (UPDATE outbox o SET next_attempt_at = to_char(($1::text)::timestamptz"
    "   AT TIME ZONE 'UTC' + " OUTBOX_LEASE ", 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    "   FROM due WHERE o.id = due.id RETURNING o.*, due.was)"
    " SELECT id, channel, template, recipient_sealed, case_id, status, attempts, was,"
    " last_error, created_at, sent_at FROM claimed ORDER BY was, id";
static const char sql_outbox_update[] =
    "UPDATE outbox SET status = $2, attempts = $3, next_attempt_at = $4, last_error = $5,"
    " sent_at = $6 WHERE id = $1";

int pgc_outbox_insert(struct store *base, struct outbox_msg *m)
{
    struct pg_params p = {0};
    pg_text(&p, 1, m->channel);
    pg_blob(&p, 2, m->recipient_sealed, m->recipient_sealed_len);
    pg_id(&p, 3, m->case_id);
    pg_text(&p, 4, m->template_name);
    pg_text(&p, 5, m->created_at);
    long long id;
    int rc = pg_scalar(pg_impl(base), sql_outbox_insert, &p, "outbox_insert", &id);
    if (rc == STORE_OK)
        m->id = id;
    return rc;
}

static void read_outbox(PGresult *r, int row, struct arena *a, void *item)
{
    struct outbox_msg *m = item;
    size_t len;
    m->id = pg_col_int(r, row, 0);
    m->channel = pg_col_text(r, row, 1, a);
    m->template_name = pg_col_text(r, row, 2, a);
    m->recipient_sealed = pg_col_blob(r, row, 3, a, &len);
    m->recipient_sealed_len = len;
    m->case_id = pg_col_int(r, row, 4);
    m->status = pg_col_text(r, row, 5, a);
    m->attempts = (int)pg_col_int(r, row, 6);
    m->next_attempt_at = pg_col_text(r, row, 7, a);
    m->last_error = pg_col_text(r, row, 8, a);
    m->created_at = pg_col_text(r, row, 9, a);
    m->sent_at = pg_col_text(r, row, 10, a);
}

int pgc_outbox_due(struct store *base, struct arena *a, const char *now, size_t limit,
                   struct outbox_list *out)
{
    struct pg_params p = {0};
    pg_text(&p, 1, now);
    pg_int(&p, 2, (long long)limit);
    return pg_collect(pg_impl(base), sql_outbox_due, &p, a, sizeof(struct outbox_msg), read_outbox,
                      (void **)&out->items, &out->count);
}

int pgc_outbox_update(struct store *base, const struct outbox_msg *m)
{
    struct pg_params p = {0};
    pg_int(&p, 1, m->id);
    pg_text(&p, 2, m->status);
    pg_int(&p, 3, m->attempts);
    pg_text(&p, 4, m->next_attempt_at);
    pg_text(&p, 5, m->last_error);
    pg_text(&p, 6, m->sent_at);
    return pg_run(pg_impl(base), sql_outbox_update, &p, "outbox_update", NULL);
}

/* ---- audit ---- */

static const char sql_audit_last[] = "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1";
static const char sql_audit_insert[] =
    "INSERT INTO audit_log (at, actor_kind, actor_id, action, case_id, detail, prev_hash, hash)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
static const char sql_audit_list[] =
    "SELECT id, at, actor_kind, actor_id, action, case_id, detail, prev_hash, hash"
    " FROM audit_log WHERE id > $1::bigint ORDER BY id LIMIT $2::bigint";

/* Writers hold the write lock (postgres.c), so the last entry cannot change under us. */
int pgc_audit_last_hash(struct store *base, unsigned char hash[HASH_BYTES])
{
    PGresult *r;
    memset(hash, 0, HASH_BYTES);
    int rc = pg_exec(pg_impl(base), sql_audit_last, NULL, "audit_last", &r);
    if (rc != STORE_OK)
        return rc;
    if (PQntuples(r) > 0)
        pg_col_hash(r, 0, 0, hash, HASH_BYTES);
    PQclear(r);
    return STORE_OK;
}

int pgc_audit_insert(struct store *base, struct audit_entry *e)
{
    struct pg_params p = {0};
    pg_text(&p, 1, e->at);
    pg_text(&p, 2, e->actor_kind);
    pg_id(&p, 3, e->actor_id);
    pg_text(&p, 4, e->action);
    pg_id(&p, 5, e->case_id);
    pg_text(&p, 6, e->detail ? e->detail : "");
    pg_blob(&p, 7, e->prev_hash, HASH_BYTES);
    pg_blob(&p, 8, e->hash, HASH_BYTES);
    long long id;
    int rc = pg_scalar(pg_impl(base), sql_audit_insert, &p, "audit_insert", &id);
    if (rc == STORE_OK)
        e->id = id;
    return rc;
}

static void read_audit(PGresult *r, int row, struct arena *a, void *item)
{
    struct audit_entry *e = item;
    e->id = pg_col_int(r, row, 0);
    e->at = pg_col_text(r, row, 1, a);
    e->actor_kind = pg_col_text(r, row, 2, a);
    e->actor_id = pg_col_int(r, row, 3);
    e->action = pg_col_text(r, row, 4, a);
    e->case_id = pg_col_int(r, row, 5);
    e->detail = pg_col_text(r, row, 6, a);
    pg_col_hash(r, row, 7, e->prev_hash, HASH_BYTES);
    pg_col_hash(r, row, 8, e->hash, HASH_BYTES);
}

int pgc_audit_list(struct store *base, struct arena *a, int64_t after_id, size_t limit,
                   struct audit_list *out)
{
    struct pg_params p = {0};
    pg_int(&p, 1, after_id);
    pg_int(&p, 2, (long long)limit);
    return pg_collect(pg_impl(base), sql_audit_list, &p, a, sizeof(struct audit_entry), read_audit,
                      (void **)&out->items, &out->count);
}
