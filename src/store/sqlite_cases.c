/* The SQLite engine's operations on cases, the timeline, attachments, sessions, throttling,
 * staff, the outbox and the audit log (see store.h for each contract). */
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "core/text.h"
#include "core/banned.h"

/* ---- offices, routing, deadlines, holidays ---- */

static const char sql_office_get[] =
    "SELECT id, code, kind, area_code, name_km, name_en, active FROM offices WHERE id = ?1";
static const char sql_office_find[] =
    "SELECT id, code, kind, area_code, name_km, name_en, active FROM offices"
    " WHERE kind = ?1 AND area_code IS ?2 AND active = 1 ORDER BY id LIMIT 1";

int sqc_office_get(struct store *base, struct arena *a, int64_t id, struct office *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_office_get);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    return sq_one(s, st, a, sizeof *out, sq_read_office, out);
}

int sqc_office_find(struct store *base, struct arena *a, const char *kind, const char *area_code,
                    struct office *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_office_find);
    if (st) {
        sq_bind_text(st, 1, kind);
        sq_bind_text(st, 2, area_code);
    }
    return sq_one(s, st, a, sizeof *out, sq_read_office, out);
}

static const char sql_routing[] =
    "SELECT target_kind FROM routing_rules WHERE delivered_by = ?1 AND condition = ?3"
    " AND kind IN (?2, '*') ORDER BY kind = '*' LIMIT 1";

int sqc_routing_target(struct store *base, struct arena *a, const char *delivered_by,
                       const char *kind, const char *condition, const char **target_kind)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_routing);
    if (!st)
        return STORE_FAILED;
    sq_bind_text(st, 1, delivered_by);
    sq_bind_text(st, 2, kind);
    sq_bind_text(st, 3, condition);
    int rc = sqlite3_step(st);
    *target_kind = rc == SQLITE_ROW ? sq_col_text(st, 0, a) : NULL;
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return STORE_OK;
    return rc == SQLITE_DONE ? STORE_NOT_FOUND : sq_failed(s, rc, "routing");
}

static const char sql_deadline[] =
    "SELECT acknowledge_days, coalesce(answer_days, -1) FROM deadlines WHERE kind = ?1";

int sqc_deadline_get(struct store *base, const char *kind, struct deadline_rule *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_deadline);
    if (!st)
        return STORE_FAILED;
    sq_bind_text(st, 1, kind);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->acknowledge_days = sqlite3_column_int(st, 0);
        out->answer_days = sqlite3_column_int(st, 1);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return STORE_OK;
    return rc == SQLITE_DONE ? STORE_NOT_FOUND : sq_failed(s, rc, "deadline");
}

static void read_day(sqlite3_stmt *st, struct arena *a, void *item)
{
    *(const char **)item = sq_col_text(st, 0, a);
}

static const char sql_holidays[] = "SELECT day FROM holidays ORDER BY day";

int sqc_holidays_all(struct store *base, struct arena *a, const char ***dates, size_t *count)
{
    struct sqlite_store *s = sq_impl(base);
    return sq_collect(s, sq_stmt(s, sql_holidays), a, sizeof(const char *), read_day,
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

static void read_case(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct case_row *c = item;
    size_t len;
    c->id = sqlite3_column_int64(st, 0);
    c->number = sq_col_text(st, 1, a);
    c->kind = sq_col_text(st, 2, a);
    c->status = sq_col_text(st, 3, a);
    c->office_id = sqlite3_column_int64(st, 4);
    c->origin_office_id = sqlite3_column_int64(st, 5);
    c->ccwc_office_id = sqlite3_column_int64(st, 6);
    c->area_code = sq_col_text(st, 7, a);
    c->service_code = sq_col_text(st, 8, a);
    c->text = sq_col_text(st, 9, a);
    c->language = sq_col_text(st, 10, a);
    c->scores = sq_col_text(st, 11, a);
    c->sensitive = sqlite3_column_int(st, 12) != 0;
    c->bypass_office = sqlite3_column_int(st, 13) != 0;
    c->public_consent = sqlite3_column_int(st, 14) != 0;
    c->public_approved = sqlite3_column_int(st, 15) != 0;
    c->sex = sq_col_text(st, 16, a);
    c->age_band = sq_col_text(st, 17, a);
    c->disability = sqlite3_column_type(st, 18) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 18);
    const void *hash = sqlite3_column_blob(st, 19);
    if (hash && sqlite3_column_bytes(st, 19) == HASH_BYTES)
        memcpy(c->receipt_hash, hash, HASH_BYTES);
    c->contact_sealed = sq_col_blob(st, 20, a, &len);
    c->contact_sealed_len = len;
    c->name_sealed = sq_col_blob(st, 21, a, &len);
    c->name_sealed_len = len;
    c->assigned_to = sqlite3_column_int64(st, 22);
    c->escalation_level = sqlite3_column_int(st, 23);
    c->made_at = sq_col_text(st, 24, a);
    c->created_at = sq_col_text(st, 25, a);
    c->updated_at = sq_col_text(st, 26, a);
    c->acknowledged_at = sq_col_text(st, 27, a);
    c->answered_at = sq_col_text(st, 28, a);
    c->closed_at = sq_col_text(st, 29, a);
    c->due_acknowledge = sq_col_text(st, 30, a);
    c->due_answer = sq_col_text(st, 31, a);
    c->breached = sq_col_text(st, 32, a);
    c->satisfied = sqlite3_column_type(st, 33) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 33);
    c->rating = sqlite3_column_int(st, 34);
    c->rating_comment = sq_col_text(st, 35, a);
    c->overcharged = sqlite3_column_int(st, 36) != 0;
}

static const char sql_case_insert[] =
    "INSERT INTO cases (" CASE_COLS ") VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
    " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28,"
    " ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36)";

static const char sql_case_update[] =
    "UPDATE cases SET status = ?2, office_id = ?3, ccwc_office_id = ?4, public_approved = ?5,"
    " assigned_to = ?6, escalation_level = ?7, updated_at = ?8, acknowledged_at = ?9,"
    " answered_at = ?10, closed_at = ?11, due_acknowledge = ?12, due_answer = ?13,"
    " breached = ?14, satisfied = ?15, rating = ?16, rating_comment = ?17 WHERE id = ?1";

static void bind_optional_int(sqlite3_stmt *st, int i, int v, int none)
{
    if (v == none)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int(st, i, v);
}

int sqc_case_insert(struct store *base, struct case_row *c)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_case_insert);
    if (!st)
        return STORE_FAILED;
    sq_bind_text(st, 1, c->number);
    sq_bind_text(st, 2, c->kind);
    sq_bind_text(st, 3, c->status);
    sq_bind_id(st, 4, c->office_id);
    sq_bind_id(st, 5, c->origin_office_id);
    sq_bind_id(st, 6, c->ccwc_office_id);
    sq_bind_text(st, 7, c->area_code);
    sq_bind_text(st, 8, c->service_code);
    sq_bind_text(st, 9, c->text);
    sq_bind_text(st, 10, c->language);
    sq_bind_text(st, 11, c->scores);
    sqlite3_bind_int(st, 12, c->sensitive);
    sqlite3_bind_int(st, 13, c->bypass_office);
    sqlite3_bind_int(st, 14, c->public_consent);
    sqlite3_bind_int(st, 15, c->public_approved);
    sq_bind_text(st, 16, c->sex);
    sq_bind_text(st, 17, c->age_band);
    bind_optional_int(st, 18, c->disability, -1);
    sq_bind_blob(st, 19, c->receipt_hash, HASH_BYTES);
    sq_bind_blob(st, 20, c->contact_sealed, c->contact_sealed_len);
    sq_bind_blob(st, 21, c->name_sealed, c->name_sealed_len);
    sq_bind_id(st, 22, c->assigned_to);
    sqlite3_bind_int(st, 23, c->escalation_level);
    sq_bind_text(st, 24, c->made_at);
    sq_bind_text(st, 25, c->created_at);
    sq_bind_text(st, 26, c->updated_at);
    sq_bind_text(st, 27, c->acknowledged_at);
    sq_bind_text(st, 28, c->answered_at);
    sq_bind_text(st, 29, c->closed_at);
    sq_bind_text(st, 30, c->due_acknowledge);
    sq_bind_text(st, 31, c->due_answer);
    sq_bind_text(st, 32, c->breached);
    bind_optional_int(st, 33, c->satisfied, -1);
    bind_optional_int(st, 34, c->rating, 0);
    sq_bind_text(st, 35, c->rating_comment);
    sqlite3_bind_int(st, 36, c->overcharged);
    int rc = sq_run(s, st, "case_insert");
    if (rc == STORE_OK)
        c->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int sqc_case_update(struct store *base, const struct case_row *c)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_case_update);
    if (!st)
        return STORE_FAILED;
    sqlite3_bind_int64(st, 1, c->id);
    sq_bind_text(st, 2, c->status);
    sq_bind_id(st, 3, c->office_id);
    sq_bind_id(st, 4, c->ccwc_office_id);
    sqlite3_bind_int(st, 5, c->public_approved);
    sq_bind_id(st, 6, c->assigned_to);
    sqlite3_bind_int(st, 7, c->escalation_level);
    sq_bind_text(st, 8, c->updated_at);
    sq_bind_text(st, 9, c->acknowledged_at);
    sq_bind_text(st, 10, c->answered_at);
    sq_bind_text(st, 11, c->closed_at);
    sq_bind_text(st, 12, c->due_acknowledge);
    sq_bind_text(st, 13, c->due_answer);
    sq_bind_text(st, 14, c->breached);
    bind_optional_int(st, 15, c->satisfied, -1);
    bind_optional_int(st, 16, c->rating, 0);
    sq_bind_text(st, 17, c->rating_comment);
    int rc = sq_run(s, st, "case_update");
    if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
        return STORE_NOT_FOUND;
    return rc;
}

static const char sql_counter[] =
    "INSERT INTO case_counters (office_id, year, next) VALUES (?1, ?2, 1)"
    " ON CONFLICT (office_id, year) DO UPDATE SET next = next + 1 RETURNING next";

int sqc_case_next_number(struct store *base, int64_t office_id, int year, int64_t *seq)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_counter);
    if (!st)
        return STORE_FAILED;
    sqlite3_bind_int64(st, 1, office_id);
    sqlite3_bind_int(st, 2, year);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *seq = sqlite3_column_int64(st, 0);
    int status = rc == SQLITE_ROW ? STORE_OK : sq_failed(s, rc, "case_number");
    sqlite3_reset(st);
    return status;
}

static const char sql_case_get[] = "SELECT " CASE_COLS " FROM cases WHERE id = ?1";
static const char sql_case_by_number[] = "SELECT " CASE_COLS " FROM cases WHERE number = ?1";
static const char sql_case_by_receipt[] = "SELECT " CASE_COLS " FROM cases WHERE receipt_hash = ?1";

int sqc_case_get(struct store *base, struct arena *a, int64_t id, struct case_row *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_case_get);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    return sq_one(s, st, a, sizeof *out, read_case, out);
}

int sqc_case_by_number(struct store *base, struct arena *a, const char *number,
                       struct case_row *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_case_by_number);
    if (st)
        sq_bind_text(st, 1, number);
    return sq_one(s, st, a, sizeof *out, read_case, out);
}

int sqc_case_by_receipt(struct store *base, struct arena *a, const unsigned char hash[HASH_BYTES],
                        struct case_row *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_case_by_receipt);
    if (st)
        sq_bind_blob(st, 1, hash, HASH_BYTES);
    return sq_one(s, st, a, sizeof *out, read_case, out);
}

/* The scope picks the statement (so that each uses its index: by office, by CCWC, by
 * area range, or all); every further filter is switched off by a NULL parameter. */
#define CASE_FILTERS                                                                               \
    " AND NOT (?4 IS NOT NULL AND (c.sensitive = 1 OR c.bypass_office = 1)"                        \
    "         AND c.origin_office_id = ?4)"                                                        \
    " AND (?5 IS NULL OR c.status = ?5) AND (?6 IS NULL OR c.kind = ?6)"                           \
    " AND (?7 IS NULL OR c.service_code = ?7)"                                                     \
    " AND (?8 IS NULL OR c.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?8))"          \
    " AND (?9 IS NULL OR (c.status = 'submitted' AND c.due_acknowledge < ?9)"                      \
    "      OR (c.status IN ('acknowledged', 'in_progress') AND c.due_answer < ?9))"                \
    " AND (?10 IS NULL OR c.assigned_to = ?10) AND (?11 IS NULL OR c.id < ?11)"                    \
    " ORDER BY c.id DESC LIMIT ?12"

static const char sql_cases_by_office[] =
    "SELECT " CASE_COLS " FROM cases c WHERE c.office_id = ?1" CASE_FILTERS;
static const char sql_cases_by_ccwc[] =
    "SELECT " CASE_COLS
    " FROM cases c WHERE c.ccwc_office_id = ?3 AND c.sensitive = 1" CASE_FILTERS;
static const char sql_cases_by_area[] =
    "SELECT " CASE_COLS " FROM cases c WHERE c.area_code >= ?2 AND c.area_code < ?13" CASE_FILTERS;
static const char sql_cases_all[] = "SELECT " CASE_COLS " FROM cases c WHERE 1" CASE_FILTERS;

/* The FTS5 query for free text: a phrase, quotes doubled (trigram needs 3+ characters). */
static const char *fts_phrase(struct arena *a, const char *q)
{
    size_t n = strlen(q), extra = 0;
    for (size_t i = 0; i < n; i++)
        extra += q[i] == '"';
    char *out = arena_alloc(a, n + extra + 3), *p = out;
    *p++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (q[i] == '"')
            *p++ = '"';
        *p++ = q[i];
    }
    *p++ = '"';
    *p = '\0';
    return out;
}

int sqc_cases_list(struct store *base, struct arena *a, const struct case_filter *f,
                   struct case_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    const char *sql = f->office_id                        ? sql_cases_by_office
                      : f->ccwc_office_id                 ? sql_cases_by_ccwc
                      : f->area_prefix && *f->area_prefix ? sql_cases_by_area
                                                          : sql_cases_all;
    sqlite3_stmt *st = sq_stmt(s, sql);
    if (!st)
        return STORE_FAILED;
    if (f->office_id)
        sqlite3_bind_int64(st, 1, f->office_id);
    if (sql == sql_cases_by_area) {
        sq_bind_text(st, 2, f->area_prefix);
        sqlite3_bind_text(st, 13, text_prefix_end(a, f->area_prefix), -1, SQLITE_TRANSIENT);
    }
    if (f->ccwc_office_id)
        sqlite3_bind_int64(st, 3, f->ccwc_office_id);
    sq_bind_id(st, 4, f->hide_origin_office);
    sq_bind_text(st, 5, f->status);
    sq_bind_text(st, 6, f->kind);
    sq_bind_text(st, 7, f->service_code);
    if (f->q && *f->q)
        sqlite3_bind_text(st, 8, fts_phrase(a, f->q), -1, SQLITE_TRANSIENT);
    if (f->overdue_only)
        sq_bind_text(st, 9, f->now);
    sq_bind_id(st, 10, f->assigned_to);
    sq_bind_id(st, 11, f->before_id);
    sqlite3_bind_int64(st, 12, (sqlite3_int64)(f->limit ? f->limit : 50));
    return sq_collect(s, st, a, sizeof(struct case_row), read_case, (void **)&out->items,
                      &out->count);
}

static const char sql_cases_overdue[] =
    "SELECT " CASE_COLS " FROM cases WHERE"
    " (status = 'submitted' AND due_acknowledge < ?1 AND coalesce(breached, '') <> 'acknowledge')"
    " OR (status IN ('acknowledged', 'in_progress') AND due_answer < ?1"
    "     AND coalesce(breached, '') <> 'answer')"
    " ORDER BY id LIMIT ?2";

int sqc_cases_overdue(struct store *base, struct arena *a, const char *now, size_t limit,
                      struct case_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_cases_overdue);
    if (st) {
        sq_bind_text(st, 1, now);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    }
    return sq_collect(s, st, a, sizeof(struct case_row), read_case, (void **)&out->items,
                      &out->count);
}

/* ---- events ---- */

static const char sql_event_insert[] =
    "INSERT INTO events (case_id, at, actor_kind, actor_id, type, visibility, text, reason,"
    " from_office, to_office, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char sql_events_all[] =
    "SELECT id, case_id, at, actor_kind, actor_id, type, visibility, text, reason, from_office,"
    " to_office, status FROM events WHERE case_id = ?1 ORDER BY id";
static const char sql_events_public[] =
    "SELECT id, case_id, at, actor_kind, actor_id, type, visibility, text, reason, from_office,"
    " to_office, status FROM events WHERE case_id = ?1 AND visibility = 'public' ORDER BY id";

int sqc_event_insert(struct store *base, struct event_row *e)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_event_insert);
    if (!st)
        return STORE_FAILED;
    sqlite3_bind_int64(st, 1, e->case_id);
    sq_bind_text(st, 2, e->at);
    sq_bind_text(st, 3, e->actor_kind);
    sq_bind_id(st, 4, e->actor_id);
    sq_bind_text(st, 5, e->type);
    sq_bind_text(st, 6, e->visibility);
    sq_bind_text(st, 7, e->text);
    sq_bind_text(st, 8, e->reason);
    sq_bind_id(st, 9, e->from_office);
    sq_bind_id(st, 10, e->to_office);
    sq_bind_text(st, 11, e->status);
    int rc = sq_run(s, st, "event_insert");
    if (rc == STORE_OK)
        e->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static void read_event(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct event_row *e = item;
    e->id = sqlite3_column_int64(st, 0);
    e->case_id = sqlite3_column_int64(st, 1);
    e->at = sq_col_text(st, 2, a);
    e->actor_kind = sq_col_text(st, 3, a);
    e->actor_id = sqlite3_column_int64(st, 4);
    e->type = sq_col_text(st, 5, a);
    e->visibility = sq_col_text(st, 6, a);
    e->text = sq_col_text(st, 7, a);
    e->reason = sq_col_text(st, 8, a);
    e->from_office = sqlite3_column_int64(st, 9);
    e->to_office = sqlite3_column_int64(st, 10);
    e->status = sq_col_text(st, 11, a);
}

int sqc_events_list(struct store *base, struct arena *a, int64_t case_id, bool with_internal,
                    struct event_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, with_internal ? sql_events_all : sql_events_public);
    if (st)
        sqlite3_bind_int64(st, 1, case_id);
    return sq_collect(s, st, a, sizeof(struct event_row), read_event, (void **)&out->items,
                      &out->count);
}

/* ---- attachments ---- */

static const char sql_attachment_insert[] =
    "INSERT INTO attachments (case_id, event_id, mime, bytes, data, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_attachments_meta[] =
    "SELECT id, case_id, event_id, mime, bytes, NULL, created_at FROM attachments"
    " WHERE case_id = ?1 ORDER BY id";
static const char sql_attachments_data[] =
    "SELECT id, case_id, event_id, mime, bytes, data, created_at FROM attachments"
    " WHERE case_id = ?1 ORDER BY id";
static const char sql_attachment_get[] =
    "SELECT id, case_id, event_id, mime, bytes, data, created_at FROM attachments WHERE id = ?1";

int sqc_attachment_insert(struct store *base, struct attachment *att)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_attachment_insert);
    if (!st)
        return STORE_FAILED;
    sqlite3_bind_int64(st, 1, att->case_id);
    sq_bind_id(st, 2, att->event_id);
    sq_bind_text(st, 3, att->mime);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)att->bytes);
    sqlite3_bind_blob(st, 5, att->data, (int)att->bytes, SQLITE_STATIC);
    sq_bind_text(st, 6, att->created_at);
    int rc = sq_run(s, st, "attachment_insert");
    if (rc == STORE_OK)
        att->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static void read_attachment(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct attachment *att = item;
    size_t len;
    att->id = sqlite3_column_int64(st, 0);
    att->case_id = sqlite3_column_int64(st, 1);
    att->event_id = sqlite3_column_int64(st, 2);
    att->mime = sq_col_text(st, 3, a);
    att->bytes = (size_t)sqlite3_column_int64(st, 4);
    att->data = sq_col_blob(st, 5, a, &len);
    att->created_at = sq_col_text(st, 6, a);
}

int sqc_attachments_list(struct store *base, struct arena *a, int64_t case_id, bool with_data,
                         struct attachment_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, with_data ? sql_attachments_data : sql_attachments_meta);
    if (st)
        sqlite3_bind_int64(st, 1, case_id);
    return sq_collect(s, st, a, sizeof(struct attachment), read_attachment, (void **)&out->items,
                      &out->count);
}

int sqc_attachment_get(struct store *base, struct arena *a, int64_t id, struct attachment *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_attachment_get);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    return sq_one(s, st, a, sizeof *out, read_attachment, out);
}

/* ---- sessions ---- */

static const char sql_track_put[] =
    "INSERT INTO track_sessions (token_hash, case_id, expires_at) VALUES (?1, ?2, ?3)";
static const char sql_track_get[] =
    "SELECT case_id FROM track_sessions WHERE token_hash = ?1 AND expires_at > ?2";

int sqc_track_session_put(struct store *base, const unsigned char hash[HASH_BYTES], int64_t case_id,
                          const char *expires_at)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_track_put);
    if (st) {
        sq_bind_blob(st, 1, hash, HASH_BYTES);
        sqlite3_bind_int64(st, 2, case_id);
        sq_bind_text(st, 3, expires_at);
    }
    return sq_run(s, st, "track_session_put");
}

int sqc_track_session_get(struct store *base, const unsigned char hash[HASH_BYTES], const char *now,
                          int64_t *case_id)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_track_get);
    if (!st)
        return STORE_FAILED;
    sq_bind_blob(st, 1, hash, HASH_BYTES);
    sq_bind_text(st, 2, now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *case_id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return STORE_OK;
    return rc == SQLITE_DONE ? STORE_NOT_FOUND : sq_failed(s, rc, "track_session_get");
}

static const char sql_staff_session_put[] =
    "INSERT INTO staff_sessions (token_hash, staff_id, csrf, created_at, last_seen, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_staff_session_get[] =
    "SELECT token_hash, staff_id, csrf, created_at, last_seen, expires_at FROM staff_sessions"
    " WHERE token_hash = ?1";
static const char sql_staff_session_touch[] =
    "UPDATE staff_sessions SET last_seen = ?2 WHERE token_hash = ?1";
static const char sql_staff_session_delete[] = "DELETE FROM staff_sessions WHERE token_hash = ?1";

int sqc_staff_session_put(struct store *base, const struct staff_session *ss)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_staff_session_put);
    if (st) {
        sq_bind_blob(st, 1, ss->token_hash, HASH_BYTES);
        sqlite3_bind_int64(st, 2, ss->staff_id);
        sq_bind_text(st, 3, ss->csrf);
        sq_bind_text(st, 4, ss->created_at);
        sq_bind_text(st, 5, ss->last_seen);
        sq_bind_text(st, 6, ss->expires_at);
    }
    return sq_run(s, st, "staff_session_put");
}

static void read_staff_session(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct staff_session *ss = item;
    const void *h = sqlite3_column_blob(st, 0);
    if (h && sqlite3_column_bytes(st, 0) == HASH_BYTES)
        memcpy(ss->token_hash, h, HASH_BYTES);
    ss->staff_id = sqlite3_column_int64(st, 1);
    ss->csrf = sq_col_text(st, 2, a);
    ss->created_at = sq_col_text(st, 3, a);
    ss->last_seen = sq_col_text(st, 4, a);
    ss->expires_at = sq_col_text(st, 5, a);
}

int sqc_staff_session_get(struct store *base, struct arena *a, const unsigned char hash[HASH_BYTES],
                          struct staff_session *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_staff_session_get);
    if (st)
        sq_bind_blob(st, 1, hash, HASH_BYTES);
    return sq_one(s, st, a, sizeof *out, read_staff_session, out);
}

int sqc_staff_session_touch(struct store *base, const unsigned char hash[HASH_BYTES],
                            const char *last_seen)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_staff_session_touch);
    if (st) {
        sq_bind_blob(st, 1, hash, HASH_BYTES);
        sq_bind_text(st, 2, last_seen);
    }
    return sq_run(s, st, "staff_session_touch");
}

int sqc_staff_session_delete(struct store *base, const unsigned char hash[HASH_BYTES])
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_staff_session_delete);
    if (st)
        sq_bind_blob(st, 1, hash, HASH_BYTES);
    return sq_run(s, st, "staff_session_delete");
}

/* ---- throttling ---- */

static const char sql_throttle_get[] =
    "SELECT key, failures, window_start, last_failure FROM throttle WHERE key = ?1";
static const char sql_throttle_put[] =
    "INSERT INTO throttle (key, failures, window_start, last_failure) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,"
    " window_start = excluded.window_start, last_failure = excluded.last_failure";
static const char sql_throttle_clear[] = "DELETE FROM throttle WHERE key = ?1";

static void read_throttle(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct throttle_row *t = item;
    t->key = sq_col_text(st, 0, a);
    t->failures = sqlite3_column_int(st, 1);
    t->window_start = sq_col_text(st, 2, a);
    t->last_failure = sq_col_text(st, 3, a);
}

int sqc_throttle_get(struct store *base, struct arena *a, const char *key, struct throttle_row *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_throttle_get);
    if (st)
        sq_bind_text(st, 1, key);
    return sq_one(s, st, a, sizeof *out, read_throttle, out);
}

int sqc_throttle_put(struct store *base, const struct throttle_row *t)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_throttle_put);
    if (st) {
        sq_bind_text(st, 1, t->key);
        sqlite3_bind_int(st, 2, t->failures);
        sq_bind_text(st, 3, t->window_start);
        sq_bind_text(st, 4, t->last_failure);
    }
    return sq_run(s, st, "throttle_put");
}

int sqc_throttle_clear(struct store *base, const char *key)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_throttle_clear);
    if (st)
        sq_bind_text(st, 1, key);
    return sq_run(s, st, "throttle_clear");
}

/* ---- staff ---- */

#define STAFF_COLS                                                                                 \
    "id, login, name, role, office_id, password_hash, active, totp_secret, failed_logins,"         \
    " locked_until, created_at, totp_last_step"

static void read_staff_full(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct staff *u = item;
    size_t len;
    u->id = sqlite3_column_int64(st, 0);
    u->login = sq_col_text(st, 1, a);
    u->name = sq_col_text(st, 2, a);
    u->role = sq_col_text(st, 3, a);
    u->office_id = sqlite3_column_int64(st, 4);
    u->password_hash = sq_col_text(st, 5, a);
    u->active = sqlite3_column_int(st, 6) != 0;
    u->totp_sealed = sq_col_blob(st, 7, a, &len);
    u->totp_sealed_len = len;
    u->failed_logins = sqlite3_column_int(st, 8);
    u->locked_until = sq_col_text(st, 9, a);
    u->created_at = sq_col_text(st, 10, a);
    u->totp_last_step = sqlite3_column_int64(st, 11);
}

static const char sql_staff_get[] = "SELECT " STAFF_COLS " FROM staff WHERE id = ?1";
static const char sql_staff_by_login[] = "SELECT " STAFF_COLS " FROM staff WHERE login = ?1";
static const char sql_staff_list[] = "SELECT " STAFF_COLS " FROM staff ORDER BY login";
static const char sql_staff_update[] =
    "UPDATE staff SET name = ?2, role = ?3, office_id = ?4, password_hash = ?5, active = ?6,"
    " totp_secret = ?7, failed_logins = ?8, locked_until = ?9, totp_last_step = ?10"
    " WHERE id = ?1";

int sqc_staff_get(struct store *base, struct arena *a, int64_t id, struct staff *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_staff_get);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    return sq_one(s, st, a, sizeof *out, read_staff_full, out);
}

int sqc_staff_by_login(struct store *base, struct arena *a, const char *login, struct staff *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_staff_by_login);
    if (st)
        sq_bind_text(st, 1, login);
    return sq_one(s, st, a, sizeof *out, read_staff_full, out);
}

int sqc_staff_list(struct store *base, struct arena *a, struct staff_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    return sq_collect(s, sq_stmt(s, sql_staff_list), a, sizeof(struct staff), read_staff_full,
                      (void **)&out->items, &out->count);
}

int sqc_staff_update(struct store *base, const struct staff *u)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_staff_update);
    if (!st)
        return STORE_FAILED;
    sqlite3_bind_int64(st, 1, u->id);
    sq_bind_text(st, 2, u->name);
    sq_bind_text(st, 3, u->role);
    sq_bind_id(st, 4, u->office_id);
    sq_bind_text(st, 5, u->password_hash);
    sqlite3_bind_int(st, 6, u->active);
    sq_bind_blob(st, 7, u->totp_sealed, u->totp_sealed_len);
    sqlite3_bind_int(st, 8, u->failed_logins);
    sq_bind_text(st, 9, u->locked_until);
    sqlite3_bind_int64(st, 10, u->totp_last_step);
    int rc = sq_run(s, st, "staff_update");
    if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
        return STORE_NOT_FOUND;
    return rc;
}

/* ---- outbox ---- */

static const char sql_outbox_insert[] =
    "INSERT INTO outbox (channel, recipient_sealed, case_id, template, status, attempts,"
    " next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?4, 'pending', 0, ?5, ?5)";
static const char sql_outbox_due[] =
    "SELECT id, channel, template, recipient_sealed, case_id, status, attempts,"
    " next_attempt_at, last_error, created_at, sent_at FROM outbox"
    " WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2";
static const char sql_outbox_update[] =
    "UPDATE outbox SET status = ?2, attempts = ?3, next_attempt_at = ?4, last_error = ?5,"
    " sent_at = ?6 WHERE id = ?1";

int sqc_outbox_insert(struct store *base, struct outbox_msg *m)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_outbox_insert);
    if (!st)
        return STORE_FAILED;
    sq_bind_text(st, 1, m->channel);
    sq_bind_blob(st, 2, m->recipient_sealed, m->recipient_sealed_len);
    sq_bind_id(st, 3, m->case_id);
    sq_bind_text(st, 4, m->template_name);
    sq_bind_text(st, 5, m->created_at);
    int rc = sq_run(s, st, "outbox_insert");
    if (rc == STORE_OK)
        m->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static void read_outbox(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct outbox_msg *m = item;
    size_t len;
    m->id = sqlite3_column_int64(st, 0);
    m->channel = sq_col_text(st, 1, a);
    m->template_name = sq_col_text(st, 2, a);
    m->recipient_sealed = sq_col_blob(st, 3, a, &len);
    m->recipient_sealed_len = len;
    m->case_id = sqlite3_column_int64(st, 4);
    m->status = sq_col_text(st, 5, a);
    m->attempts = sqlite3_column_int(st, 6);
    m->next_attempt_at = sq_col_text(st, 7, a);
    m->last_error = sq_col_text(st, 8, a);
    m->created_at = sq_col_text(st, 9, a);
    m->sent_at = sq_col_text(st, 10, a);
}

int sqc_outbox_due(struct store *base, struct arena *a, const char *now, size_t limit,
                   struct outbox_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_outbox_due);
    if (st) {
        sq_bind_text(st, 1, now);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    }
    return sq_collect(s, st, a, sizeof(struct outbox_msg), read_outbox, (void **)&out->items,
                      &out->count);
}

int sqc_outbox_update(struct store *base, const struct outbox_msg *m)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_outbox_update);
    if (!st)
        return STORE_FAILED;
    sqlite3_bind_int64(st, 1, m->id);
    sq_bind_text(st, 2, m->status);
    sqlite3_bind_int(st, 3, m->attempts);
    sq_bind_text(st, 4, m->next_attempt_at);
    sq_bind_text(st, 5, m->last_error);
    sq_bind_text(st, 6, m->sent_at);
    return sq_run(s, st, "outbox_update");
}

/* ---- audit ---- */

static const char sql_audit_last[] = "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1";
static const char sql_audit_insert[] =
    "INSERT INTO audit_log (at, actor_kind, actor_id, action, case_id, detail, prev_hash, hash)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char sql_audit_list[] =
    "SELECT id, at, actor_kind, actor_id, action, case_id, detail, prev_hash, hash"
    " FROM audit_log WHERE id > ?1 ORDER BY id LIMIT ?2";

int sqc_audit_last_hash(struct store *base, unsigned char hash[HASH_BYTES])
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_audit_last);
    if (!st)
        return STORE_FAILED;
    int rc = sqlite3_step(st);
    memset(hash, 0, HASH_BYTES);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == HASH_BYTES)
        memcpy(hash, sqlite3_column_blob(st, 0), HASH_BYTES);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_failed(s, rc, "audit_last");
}

int sqc_audit_insert(struct store *base, struct audit_entry *e)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_audit_insert);
    if (!st)
        return STORE_FAILED;
    sq_bind_text(st, 1, e->at);
    sq_bind_text(st, 2, e->actor_kind);
    sq_bind_id(st, 3, e->actor_id);
    sq_bind_text(st, 4, e->action);
    sq_bind_id(st, 5, e->case_id);
    sq_bind_text(st, 6, e->detail ? e->detail : "");
    sq_bind_blob(st, 7, e->prev_hash, HASH_BYTES);
    sq_bind_blob(st, 8, e->hash, HASH_BYTES);
    int rc = sq_run(s, st, "audit_insert");
    if (rc == STORE_OK)
        e->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static void read_audit(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct audit_entry *e = item;
    e->id = sqlite3_column_int64(st, 0);
    e->at = sq_col_text(st, 1, a);
    e->actor_kind = sq_col_text(st, 2, a);
    e->actor_id = sqlite3_column_int64(st, 3);
    e->action = sq_col_text(st, 4, a);
    e->case_id = sqlite3_column_int64(st, 5);
    e->detail = sq_col_text(st, 6, a);
    memset(e->prev_hash, 0, HASH_BYTES);
    memset(e->hash, 0, HASH_BYTES);
    if (sqlite3_column_bytes(st, 7) == HASH_BYTES)
        memcpy(e->prev_hash, sqlite3_column_blob(st, 7), HASH_BYTES);
    if (sqlite3_column_bytes(st, 8) == HASH_BYTES)
        memcpy(e->hash, sqlite3_column_blob(st, 8), HASH_BYTES);
}

int sqc_audit_list(struct store *base, struct arena *a, int64_t after_id, size_t limit,
                   struct audit_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_audit_list);
    if (st) {
        sqlite3_bind_int64(st, 1, after_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    }
    return sq_collect(s, st, a, sizeof(struct audit_entry), read_audit, (void **)&out->items,
                      &out->count);
}
