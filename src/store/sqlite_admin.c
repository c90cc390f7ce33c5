/* The SQLite engine's operations for the staff console and administration: inbox counts,
 * polling for new cases, the CSV export, office statistics rows, response templates, and
 * the administration of offices, staff, services, deadlines, holidays, routing rules and
 * the audit log (see store.h for each contract).
 * Case scopes follow sqlite_cases.c exactly: the scope a `struct case_filter` names picks
 * the statement (by office, by CCWC, by area range, or all), and every further filter is
 * switched off by a NULL parameter, with the same parameter numbers. */
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "core/text.h"
#include "core/banned.h"

/* ---- case scopes ----
 * ?1 office, ?2 area prefix, ?3 CCWC office, ?4 office whose accusing sensitive cases are
 * hidden, ?13 the first code after the area prefix; filters as CASE_FILTERS in
 * sqlite_cases.c: ?5 status, ?6 kind, ?7 service, ?8 FTS phrase, ?9 overdue at, ?10
 * assigned, ?11 below id, ?12 limit. ?14 is "now" for overdue counts, ?15 "since". */

#define SCOPE_OFFICE " c.office_id = ?1"
#define SCOPE_CCWC   " c.ccwc_office_id = ?3 AND c.sensitive = 1"
#define SCOPE_AREA   " c.area_code >= ?2 AND c.area_code < ?13"
#define SCOPE_ALL    " 1"
#define HIDE                                                                                       \
    " AND NOT (?4 IS NOT NULL AND (c.sensitive = 1 OR c.bypass_office = 1)"                        \
    "         AND c.origin_office_id = ?4)"

#define OVERDUE_AT(now)                                                                            \
    "((c.status = 'submitted' AND c.due_acknowledge < " now ")"                                    \
    " OR (c.status IN ('acknowledged', 'in_progress') AND c.due_answer < " now "))"

#define OVERDUE_FILTER " AND (?9 IS NULL OR " OVERDUE_AT("?9") ")"

#define FILTERS                                                                                    \
    " AND (?5 IS NULL OR c.status = ?5) AND (?6 IS NULL OR c.kind = ?6)"                           \
    " AND (?7 IS NULL OR c.service_code = ?7)"                                                     \
    " AND (?8 IS NULL OR c.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH "              \
    "?8))" OVERDUE_FILTER                                                                          \
    " AND (?10 IS NULL OR c.assigned_to = ?10) AND (?11 IS NULL OR c.id < ?11)"

enum scope { SC_OFFICE, SC_CCWC, SC_AREA, SC_ALL };

static enum scope scope_of(const struct case_filter *f)
{
    return f->office_id                        ? SC_OFFICE
           : f->ccwc_office_id                 ? SC_CCWC
           : f->area_prefix && *f->area_prefix ? SC_AREA
                                               : SC_ALL;
}

/* The FTS5 query for free text: a phrase, quotes doubled. */
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

static void bind_scope(sqlite3_stmt *st, struct arena *a, const struct case_filter *f)
{
    switch (scope_of(f)) {
    case SC_OFFICE:
        sqlite3_bind_int64(st, 1, f->office_id);
        break;
    case SC_CCWC:
        sqlite3_bind_int64(st, 3, f->ccwc_office_id);
        break;
    case SC_AREA:
        sq_bind_text(st, 2, f->area_prefix);
        sqlite3_bind_text(st, 13, text_prefix_end(a, f->area_prefix), -1, SQLITE_TRANSIENT);
        break;
    case SC_ALL:
        break;
    }
    sq_bind_id(st, 4, f->hide_origin_office);
}

static void bind_filters(sqlite3_stmt *st, struct arena *a, const struct case_filter *f)
{
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
}

/* ---- counts ---- */

#define OVERDUE_COUNT " coalesce(sum(" OVERDUE_AT("?14") "), 0)"
#define BY_STATUS     " GROUP BY c.status"
#define COUNTS(scope)                                                                              \
    "SELECT c.status, count(*)," OVERDUE_COUNT " FROM cases c WHERE" scope HIDE BY_STATUS

static const char *const sql_counts[] = {COUNTS(SCOPE_OFFICE), COUNTS(SCOPE_CCWC),
                                         COUNTS(SCOPE_AREA), COUNTS(SCOPE_ALL)};

static long long *count_slot(struct case_counts *out, const char *status)
{
    static const struct {
        const char *name;
        size_t offset;
    } slots[] = {
        {"submitted", offsetof(struct case_counts, submitted)},
        {"acknowledged", offsetof(struct case_counts, acknowledged)},
        {"in_progress", offsetof(struct case_counts, in_progress)},
        {"answered", offsetof(struct case_counts, answered)},
        {"closed", offsetof(struct case_counts, closed)},
        {"rejected", offsetof(struct case_counts, rejected)},
    };
    for (size_t i = 0; status && i < sizeof slots / sizeof slots[0]; i++)
        if (strcmp(slots[i].name, status) == 0)
            return (long long *)((char *)out + slots[i].offset);
    return NULL;
}

int sqa_cases_counts(struct store *base, const struct case_filter *f, struct case_counts *out)
{
    struct sqlite_store *s = sq_impl(base);
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = sq_stmt(s, sql_counts[scope_of(f)]);
    if (!st)
        return STORE_FAILED;
    struct arena *a = arena_new();
    bind_scope(st, a, f);
    sq_bind_text(st, 14, f->now);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long *slot = count_slot(out, (const char *)sqlite3_column_text(st, 0));
        if (slot)
            *slot = sqlite3_column_int64(st, 1);
        out->overdue += sqlite3_column_int64(st, 2);
    }
    int status = rc == SQLITE_DONE ? STORE_OK : sq_failed(s, rc, "cases_counts");
    sqlite3_reset(st);
    arena_free(a);
    return status;
}

/* ---- polling ---- */

#define CHANGES(scope)                                                                             \
    "SELECT (SELECT c.id FROM cases c WHERE" scope HIDE " ORDER BY c.id DESC LIMIT 1),"            \
    " (SELECT count(*) FROM cases c WHERE" scope HIDE " AND c.id > ?15)"

static const char *const sql_changes[] = {CHANGES(SCOPE_OFFICE), CHANGES(SCOPE_CCWC),
                                          CHANGES(SCOPE_AREA), CHANGES(SCOPE_ALL)};

int sqa_cases_changes(struct store *base, const struct case_filter *f, int64_t since,
                      int64_t *latest, long long *fresh)
{
    struct sqlite_store *s = sq_impl(base);
    *latest = 0;
    *fresh = 0;
    sqlite3_stmt *st = sq_stmt(s, sql_changes[scope_of(f)]);
    if (!st)
        return STORE_FAILED;
    struct arena *a = arena_new();
    bind_scope(st, a, f);
    sqlite3_bind_int64(st, 15, since);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *latest = sqlite3_column_int64(st, 0); /* NULL reads as 0 */
        *fresh = sqlite3_column_int64(st, 1);
    }
    int status = rc == SQLITE_ROW ? STORE_OK : sq_failed(s, rc, "cases_changes");
    sqlite3_reset(st);
    arena_free(a);
    return status;
}

/* ---- export ---- */

#define EXPORT(scope)                                                                              \
    "SELECT c.number, c.kind, c.status, o.code, o.name_km, o.name_en, c.area_code,"                \
    " ar.name_km, ar.name_en, c.service_code, sv.name_km, sv.name_en, c.created_at,"               \
    " c.due_acknowledge, c.due_answer, c.sex, c.age_band, c.disability, c.satisfied,"              \
    " c.rating FROM cases c LEFT JOIN offices o ON o.id = c.office_id"                             \
    " LEFT JOIN areas ar ON ar.code = c.area_code"                                                 \
    " LEFT JOIN services sv ON sv.code = c.service_code"                                           \
    " WHERE" scope HIDE FILTERS " ORDER BY c.id DESC LIMIT ?12"

static const char *const sql_export[] = {EXPORT(SCOPE_OFFICE), EXPORT(SCOPE_CCWC),
                                         EXPORT(SCOPE_AREA), EXPORT(SCOPE_ALL)};

static const char *col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static int col_optional_int(sqlite3_stmt *st, int i, int none)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? none : sqlite3_column_int(st, i);
}

int sqa_cases_export(struct store *base, const struct case_filter *f, case_export_fn row, void *ctx)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_export[scope_of(f)]);
    if (!st)
        return STORE_FAILED;
    struct arena *a = arena_new();
    bind_scope(st, a, f);
    bind_filters(st, a, f);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct case_export_row r = {.number = col(st, 0),
                                    .kind = col(st, 1),
                                    .status = col(st, 2),
                                    .office_code = col(st, 3),
                                    .office_name_km = col(st, 4),
                                    .office_name_en = col(st, 5),
                                    .area_code = col(st, 6),
                                    .area_name_km = col(st, 7),
                                    .area_name_en = col(st, 8),
                                    .service_code = col(st, 9),
                                    .service_name_km = col(st, 10),
                                    .service_name_en = col(st, 11),
                                    .created_at = col(st, 12),
                                    .due_acknowledge = col(st, 13),
                                    .due_answer = col(st, 14),
                                    .sex = col(st, 15),
                                    .age_band = col(st, 16),
                                    .disability = col_optional_int(st, 17, -1),
                                    .satisfied = col_optional_int(st, 18, -1),
                                    .rating = col_optional_int(st, 19, 0)};
        row(ctx, &r);
    }
    int status = rc == SQLITE_DONE ? STORE_OK : sq_failed(s, rc, "cases_export");
    sqlite3_reset(st);
    arena_free(a);
    return status;
}

/* ---- office statistics ---- */

static const char sql_stats[] =
    "SELECT kind, status, sex, created_at, acknowledged_at, answered_at, due_acknowledge,"
    " due_answer, scores, satisfied FROM cases WHERE office_id = ?1"
    " AND NOT (sensitive = 1 AND origin_office_id = ?1)"
    " AND (?2 IS NULL OR created_at >= ?2) AND (?3 IS NULL OR created_at < ?3)";

static void read_stat(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct case_stat_row *c = item;
    c->kind = sq_col_text(st, 0, a);
    c->status = sq_col_text(st, 1, a);
    c->sex = sq_col_text(st, 2, a);
    c->created_at = sq_col_text(st, 3, a);
    c->acknowledged_at = sq_col_text(st, 4, a);
    c->answered_at = sq_col_text(st, 5, a);
    c->due_acknowledge = sq_col_text(st, 6, a);
    c->due_answer = sq_col_text(st, 7, a);
    c->scores = sq_col_text(st, 8, a);
    c->satisfied = col_optional_int(st, 9, -1);
}

int sqa_cases_stats(struct store *base, struct arena *a, int64_t office_id, const char *from,
                    const char *to, struct case_stat_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_stats);
    if (st) {
        sqlite3_bind_int64(st, 1, office_id);
        sq_bind_text(st, 2, from);
        sq_bind_text(st, 3, to);
    }
    return sq_collect(s, st, a, sizeof(struct case_stat_row), read_stat, (void **)&out->items,
                      &out->count);
}

/* ---- response templates ---- */

#define TEMPLATE_COLS                                                                              \
    "id, service_code, action, language, title, text, active, created_at, updated_at"

static const char sql_templates[] =
    "SELECT " TEMPLATE_COLS " FROM response_templates"
    " WHERE (?1 IS NULL OR service_code IS NULL OR service_code = ?1)"
    " AND (?2 IS NULL OR action = ?2) AND (?3 IS NULL OR language = ?3)"
    " AND (?4 = 1 OR active = 1)"
    " ORDER BY service_code IS NULL, action, language, title, id";
static const char sql_template_get[] =
    "SELECT " TEMPLATE_COLS " FROM response_templates WHERE id = ?1";
static const char sql_template_insert[] =
    "INSERT INTO response_templates (service_code, action, language, title, text, active,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)";
static const char sql_template_update[] =
    "UPDATE response_templates SET title = ?2, text = ?3, active = ?4, updated_at = ?5"
    " WHERE id = ?1";

static void read_template(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct response_template *t = item;
    t->id = sqlite3_column_int64(st, 0);
    t->service_code = sq_col_text(st, 1, a);
    t->action = sq_col_text(st, 2, a);
    t->language = sq_col_text(st, 3, a);
    t->title = sq_col_text(st, 4, a);
    t->text = sq_col_text(st, 5, a);
    t->active = sqlite3_column_int(st, 6) != 0;
    t->created_at = sq_col_text(st, 7, a);
    t->updated_at = sq_col_text(st, 8, a);
}

int sqa_templates_list(struct store *base, struct arena *a, const struct template_filter *f,
                       struct template_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_templates);
    if (st) {
        sq_bind_text(st, 1, f->service_code);
        sq_bind_text(st, 2, f->action);
        sq_bind_text(st, 3, f->language);
        sqlite3_bind_int(st, 4, f->with_inactive);
    }
    return sq_collect(s, st, a, sizeof(struct response_template), read_template,
                      (void **)&out->items, &out->count);
}

int sqa_template_get(struct store *base, struct arena *a, int64_t id, struct response_template *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_template_get);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    return sq_one(s, st, a, sizeof *out, read_template, out);
}

int sqa_template_insert(struct store *base, struct response_template *t)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_template_insert);
    if (st) {
        sq_bind_text(st, 1, t->service_code);
        sq_bind_text(st, 2, t->action);
        sq_bind_text(st, 3, t->language);
        sq_bind_text(st, 4, t->title);
        sq_bind_text(st, 5, t->text);
        sqlite3_bind_int(st, 6, t->active);
        sq_bind_text(st, 7, t->created_at);
    }
    int rc = sq_run(s, st, "template_insert");
    if (rc == STORE_OK)
        t->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int sqa_template_update(struct store *base, const struct response_template *t)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_template_update);
    if (st) {
        sqlite3_bind_int64(st, 1, t->id);
        sq_bind_text(st, 2, t->title);
        sq_bind_text(st, 3, t->text);
        sqlite3_bind_int(st, 4, t->active);
        sq_bind_text(st, 5, t->updated_at);
    }
    int rc = sq_run(s, st, "template_update");
    if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
        return STORE_NOT_FOUND;
    return rc;
}

/* ---- offices ---- */

#define OFFICE_COLS "id, code, kind, area_code, name_km, name_en, active"

static const char sql_offices_search[] =
    "SELECT " OFFICE_COLS " FROM offices"
    " WHERE substr(coalesce(area_code, ''), 1, length(?1)) = ?1"
    " AND (?2 IS NULL OR substr(coalesce(area_code, ''), 1, length(?2)) = ?2)"
    " AND (?3 IS NULL OR kind = ?3)"
    " AND (?4 IS NULL OR instr(lower(code || ' ' || name_en), ?4) > 0 OR instr(name_km, ?4) > 0)"
    " ORDER BY code LIMIT ?5";
static const char sql_office_insert[] =
    "INSERT INTO offices (code, kind, area_code, name_km, name_en, active)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_office_update[] =
    "UPDATE offices SET name_km = ?2, name_en = ?3, active = ?4 WHERE id = ?1";

int sqa_offices_search(struct store *base, struct arena *a, const struct office_filter *f,
                       struct office_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_offices_search);
    if (st) {
        sq_bind_text(st, 1, f->scope_prefix ? f->scope_prefix : "");
        sq_bind_text(st, 2, f->area_prefix);
        sq_bind_text(st, 3, f->kind);
        sq_bind_text(st, 4, f->q);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)(f->limit ? f->limit : 100));
    }
    return sq_collect(s, st, a, sizeof(struct office), sq_read_office, (void **)&out->items,
                      &out->count);
}

int sqa_office_insert(struct store *base, struct office *o)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_office_insert);
    if (st) {
        sq_bind_text(st, 1, o->code);
        sq_bind_text(st, 2, o->kind);
        sq_bind_text(st, 3, o->area_code);
        sq_bind_text(st, 4, o->name_km);
        sq_bind_text(st, 5, o->name_en);
        sqlite3_bind_int(st, 6, o->active);
    }
    int rc = sq_run(s, st, "office_insert");
    if (rc == STORE_OK)
        o->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int sqa_office_update(struct store *base, const struct office *o)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_office_update);
    if (st) {
        sqlite3_bind_int64(st, 1, o->id);
        sq_bind_text(st, 2, o->name_km);
        sq_bind_text(st, 3, o->name_en);
        sqlite3_bind_int(st, 4, o->active);
    }
    int rc = sq_run(s, st, "office_update");
    if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
        return STORE_NOT_FOUND;
    return rc;
}

/* ---- staff ---- */

static const char sql_staff_entries[] =
    "SELECT s.id, s.login, s.name, s.role, s.created_at, o.code, o.area_code, s.active,"
    " s.totp_secret IS NOT NULL FROM staff s LEFT JOIN offices o ON o.id = s.office_id"
    " WHERE (?1 IS NULL OR s.office_id = ?1)"
    " AND (?2 IS NULL OR (o.area_code IS NOT NULL AND substr(o.area_code, 1, length(?2)) = ?2))"
    " ORDER BY s.login";
static const char sql_sessions_revoke[] =
    "DELETE FROM staff_sessions WHERE staff_id = ?1 AND (?2 IS NULL OR token_hash <> ?2)";

static void read_staff_entry(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct staff_entry *e = item;
    e->id = sqlite3_column_int64(st, 0);
    e->login = sq_col_text(st, 1, a);
    e->name = sq_col_text(st, 2, a);
    e->role = sq_col_text(st, 3, a);
    e->created_at = sq_col_text(st, 4, a);
    e->office_code = sq_col_text(st, 5, a);
    e->office_area = sq_col_text(st, 6, a);
    e->active = sqlite3_column_int(st, 7) != 0;
    e->has_totp = sqlite3_column_int(st, 8) != 0;
}

int sqa_staff_entries(struct store *base, struct arena *a, int64_t office_id,
                      const char *area_prefix, struct staff_entry_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_staff_entries);
    if (st) {
        sq_bind_id(st, 1, office_id);
        sq_bind_text(st, 2, area_prefix);
    }
    return sq_collect(s, st, a, sizeof(struct staff_entry), read_staff_entry, (void **)&out->items,
                      &out->count);
}

int sqa_staff_sessions_revoke(struct store *base, int64_t staff_id, const unsigned char *keep)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_sessions_revoke);
    if (st) {
        sqlite3_bind_int64(st, 1, staff_id);
        sq_bind_blob(st, 2, keep, HASH_BYTES);
    }
    return sq_run(s, st, "staff_sessions_revoke");
}

/* ---- services ---- */

#define SERVICE_COLS                                                                               \
    "code, office_kind, sector, name_km, name_en, fee_khr, days, placeholder, source, active"

static const char sql_service_get[] = "SELECT " SERVICE_COLS " FROM services WHERE code = ?1";
static const char sql_services_every[] =
    "SELECT " SERVICE_COLS " FROM services ORDER BY CASE office_kind WHEN 'commune' THEN 0"
    " WHEN 'owso' THEN 1 ELSE 2 END, sector, code";
static const char sql_service_insert[] =
    "INSERT INTO services (" SERVICE_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char sql_service_update[] =
    "UPDATE services SET office_kind = ?2, sector = ?3, name_km = ?4, name_en = ?5,"
    " fee_khr = ?6, days = ?7, placeholder = ?8, source = ?9, active = ?10 WHERE code = ?1";

static void bind_service(sqlite3_stmt *st, const struct service *sv)
{
    sq_bind_text(st, 1, sv->code);
    sq_bind_text(st, 2, sv->office_kind);
    sq_bind_text(st, 3, sv->sector ? sv->sector : "");
    sq_bind_text(st, 4, sv->name_km);
    sq_bind_text(st, 5, sv->name_en);
    if (sv->fee_khr >= 0)
        sqlite3_bind_int64(st, 6, sv->fee_khr);
    if (sv->days >= 0)
        sqlite3_bind_int(st, 7, sv->days);
    sqlite3_bind_int(st, 8, sv->placeholder);
    sq_bind_text(st, 9, sv->source ? sv->source : "");
    sqlite3_bind_int(st, 10, sv->active);
}

int sqa_service_get(struct store *base, struct arena *a, const char *code, struct service *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_service_get);
    if (st)
        sq_bind_text(st, 1, code);
    return sq_one(s, st, a, sizeof *out, sq_read_service, out);
}

int sqa_services_every(struct store *base, struct arena *a, struct service_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    return sq_collect(s, sq_stmt(s, sql_services_every), a, sizeof(struct service), sq_read_service,
                      (void **)&out->items, &out->count);
}

int sqa_service_insert(struct store *base, const struct service *sv)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_service_insert);
    if (st)
        bind_service(st, sv);
    return sq_run(s, st, "service_insert");
}

int sqa_service_update(struct store *base, const struct service *sv)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_service_update);
    if (st)
        bind_service(st, sv);
    int rc = sq_run(s, st, "service_update");
    if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
        return STORE_NOT_FOUND;
    return rc;
}

/* ---- deadlines, holidays, routing ---- */

static const char sql_deadlines_all[] =
    "SELECT kind, acknowledge_days, coalesce(answer_days, -1) FROM deadlines"
    " ORDER BY CASE kind WHEN 'complaint' THEN 0 WHEN 'support' THEN 1 WHEN 'information'"
    " THEN 2 ELSE 3 END";
static const char sql_deadline_put[] =
    "INSERT INTO deadlines (kind, acknowledge_days, answer_days) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (kind) DO UPDATE SET acknowledge_days = excluded.acknowledge_days,"
    " answer_days = excluded.answer_days";

static void read_deadline(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct deadline_row *d = item;
    d->kind = sq_col_text(st, 0, a);
    d->acknowledge_days = sqlite3_column_int(st, 1);
    d->answer_days = sqlite3_column_int(st, 2);
}

int sqa_deadlines_all(struct store *base, struct arena *a, struct deadline_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    return sq_collect(s, sq_stmt(s, sql_deadlines_all), a, sizeof(struct deadline_row),
                      read_deadline, (void **)&out->items, &out->count);
}

int sqa_deadline_put(struct store *base, const struct deadline_row *d)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_deadline_put);
    if (st) {
        sq_bind_text(st, 1, d->kind);
        sqlite3_bind_int(st, 2, d->acknowledge_days);
        if (d->answer_days >= 0)
            sqlite3_bind_int(st, 3, d->answer_days);
    }
    return sq_run(s, st, "deadline_put");
}

static const char sql_holidays_list[] = "SELECT day, name_km, name_en FROM holidays ORDER BY day";
static const char sql_holiday_exists[] = "SELECT 1 FROM holidays WHERE day = ?1";
static const char sql_holiday_upsert[] =
    "INSERT INTO holidays (day, name_km, name_en) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (day) DO UPDATE SET name_km = excluded.name_km, name_en = excluded.name_en";
static const char sql_holiday_delete[] = "DELETE FROM holidays WHERE day = ?1";

static void read_holiday(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct holiday *h = item;
    h->date = sq_col_text(st, 0, a);
    h->name_km = sq_col_text(st, 1, a);
    h->name_en = sq_col_text(st, 2, a);
}

int sqa_holidays_list(struct store *base, struct arena *a, struct holiday_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    return sq_collect(s, sq_stmt(s, sql_holidays_list), a, sizeof(struct holiday), read_holiday,
                      (void **)&out->items, &out->count);
}

int sqa_holiday_upsert(struct store *base, const struct holiday *h, bool *created)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_holiday_exists);
    if (!st)
        return STORE_FAILED;
    sq_bind_text(st, 1, h->date);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_failed(s, rc, "holiday_exists");
    *created = rc == SQLITE_DONE;
    st = sq_stmt(s, sql_holiday_upsert);
    if (st) {
        sq_bind_text(st, 1, h->date);
        sq_bind_text(st, 2, h->name_km);
        sq_bind_text(st, 3, h->name_en);
    }
    return sq_run(s, st, "holiday_upsert");
}

int sqa_holiday_delete(struct store *base, const char *date)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_holiday_delete);
    if (st)
        sq_bind_text(st, 1, date);
    int rc = sq_run(s, st, "holiday_delete");
    if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
        return STORE_NOT_FOUND;
    return rc;
}

static const char sql_routing_all[] =
    "SELECT delivered_by, kind, condition, target_kind FROM routing_rules"
    " ORDER BY CASE delivered_by WHEN 'commune' THEN 0 WHEN 'owso' THEN 1 ELSE 2 END,"
    " kind = '*' DESC, kind, condition";
static const char sql_routing_put[] =
    "INSERT INTO routing_rules (delivered_by, kind, condition, target_kind)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (delivered_by, kind, condition)"
    " DO UPDATE SET target_kind = excluded.target_kind";

static void read_rule(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct routing_rule *r = item;
    r->delivered_by = sq_col_text(st, 0, a);
    r->kind = sq_col_text(st, 1, a);
    r->condition = sq_col_text(st, 2, a);
    r->target_kind = sq_col_text(st, 3, a);
}

int sqa_routing_rules_all(struct store *base, struct arena *a, struct routing_rule_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    return sq_collect(s, sq_stmt(s, sql_routing_all), a, sizeof(struct routing_rule), read_rule,
                      (void **)&out->items, &out->count);
}

int sqa_routing_rule_put(struct store *base, const struct routing_rule *rule)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, sql_routing_put);
    if (st) {
        sq_bind_text(st, 1, rule->delivered_by);
        sq_bind_text(st, 2, rule->kind);
        sq_bind_text(st, 3, rule->condition);
        sq_bind_text(st, 4, rule->target_kind);
    }
    return sq_run(s, st, "routing_rule_put");
}

/* ---- audit search ----
 * The most selective filter picks the statement (and so the index): case, actor, action,
 * or none (newest first by id). ?5/?6: the area range of the cases an entry may be about. */

#define AUDIT_SEARCH(where)                                                                        \
    "SELECT l.id, l.at, l.actor_kind, l.actor_id, l.action, l.case_id, l.detail, st.login,"        \
    " c.number FROM audit_log l"                                                                   \
    " LEFT JOIN staff st ON l.actor_kind = 'staff' AND st.id = l.actor_id"                         \
    " LEFT JOIN cases c ON c.id = l.case_id WHERE " where                                          \
    " AND (?1 IS NULL OR l.action = ?1) AND (?2 IS NULL OR l.actor_id = ?2)"                       \
    " AND (?3 IS NULL OR l.case_id = ?3) AND (?4 IS NULL OR l.id < ?4)"                            \
    " AND (?5 IS NULL OR (c.area_code >= ?5 AND c.area_code < ?6))"                                \
    " ORDER BY l.id DESC LIMIT ?7"

static const char sql_audit_by_case[] = AUDIT_SEARCH("l.case_id = ?3");
static const char sql_audit_by_actor[] = AUDIT_SEARCH("l.actor_id = ?2");
static const char sql_audit_by_action[] = AUDIT_SEARCH("l.action = ?1");
static const char sql_audit_all[] = AUDIT_SEARCH("1");

static void read_audit_view(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct audit_view *v = item;
    v->e.id = sqlite3_column_int64(st, 0);
    v->e.at = sq_col_text(st, 1, a);
    v->e.actor_kind = sq_col_text(st, 2, a);
    v->e.actor_id = sqlite3_column_int64(st, 3);
    v->e.action = sq_col_text(st, 4, a);
    v->e.case_id = sqlite3_column_int64(st, 5);
    v->e.detail = sq_col_text(st, 6, a);
    v->actor_login = sq_col_text(st, 7, a);
    v->case_number = sq_col_text(st, 8, a);
}

int sqa_audit_search(struct store *base, struct arena *a, const struct audit_filter *f,
                     struct audit_view_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    const char *sql = f->case_id    ? sql_audit_by_case
                      : f->actor_id ? sql_audit_by_actor
                      : f->action   ? sql_audit_by_action
                                    : sql_audit_all;
    sqlite3_stmt *st = sq_stmt(s, sql);
    if (st) {
        sq_bind_text(st, 1, f->action);
        sq_bind_id(st, 2, f->actor_id);
        sq_bind_id(st, 3, f->case_id);
        sq_bind_id(st, 4, f->before_id);
        if (f->area_prefix) {
            sq_bind_text(st, 5, f->area_prefix);
            sqlite3_bind_text(st, 6, text_prefix_end(a, f->area_prefix), -1, SQLITE_TRANSIENT);
        }
        sqlite3_bind_int64(st, 7, (sqlite3_int64)(f->limit ? f->limit : 50));
    }
    return sq_collect(s, st, a, sizeof(struct audit_view), read_audit_view, (void **)&out->items,
                      &out->count);
}
