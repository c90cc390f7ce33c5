/* The SQLite storage engine: opening (WAL, synchronous=FULL, foreign keys), migrations,
 * the transaction verbs, the gazetteer/catalogue/office operations and the operations
 * table. Cases, sessions, the outbox and the audit log are in sqlite_cases.c. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"
#include "store/migrations.h"
#include "store/store.h"
#include "store/sqlite_internal.h"
#include "core/banned.h"

enum sql_id {
    ST_AREA_GET,
    ST_AREA_PROVINCES,
    ST_AREA_CHILDREN,
    ST_AREA_SEARCH,
    ST_AREA_PUT,
    ST_AREA_COUNT,
    ST_SERVICE_PUT,
    ST_SERVICES_FOR_AREA,
    ST_SERVICES_ALL,
    ST_OFFICE_PUT,
    ST_OFFICES_COVERING,
    ST_OFFICE_BY_CODE,
    ST_HOLIDAY_PUT,
    ST_STAFF_INSERT,
    ST_COUNT
};

#define AREA_COLS "code, parent, level, type_km, type_en, name_km, name_en"
#define ANCESTORS "(?1, ?2, ?3, ?4)"

static const char *const stmt_sql[ST_COUNT] = {
    [ST_AREA_GET] = "SELECT " AREA_COLS " FROM areas WHERE code = ?1",
    [ST_AREA_PROVINCES] = "SELECT " AREA_COLS " FROM areas WHERE parent IS NULL ORDER BY code",
    [ST_AREA_CHILDREN] = "SELECT " AREA_COLS " FROM areas WHERE parent = ?1 ORDER BY code",
    [ST_AREA_SEARCH] =
        "SELECT " AREA_COLS " FROM areas"
        " WHERE instr(search, ?1) > 0 AND (?2 IS NULL OR level = ?2)"
        "   AND (?3 IS NULL OR substr(code, 1, length(?3)) = ?3)"
        " ORDER BY (substr(search, 1, length(?1)) = ?1) DESC,"
        "   CASE level WHEN 'province' THEN 0 WHEN 'district' THEN 1 WHEN 'commune' THEN 2"
        "   ELSE 3 END, code LIMIT ?4",
    [ST_AREA_PUT] =
        "INSERT INTO areas (" AREA_COLS ", search) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        " ON CONFLICT (code) DO UPDATE SET parent = excluded.parent, level = excluded.level,"
        " type_km = excluded.type_km, type_en = excluded.type_en, name_km = excluded.name_km,"
        " name_en = excluded.name_en, search = excluded.search"
        " WHERE (parent, level, type_km, type_en, name_km, name_en, search) IS NOT"
        " (excluded.parent, excluded.level, excluded.type_km, excluded.type_en,"
        "  excluded.name_km, excluded.name_en, excluded.search)",
    [ST_AREA_COUNT] = "SELECT count(*) FROM areas WHERE ?1 IS NULL OR level = ?1",
    [ST_SERVICE_PUT] =
        "INSERT INTO services (code, office_kind, sector, name_km, name_en, fee_khr, days,"
        " placeholder, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        " ON CONFLICT (code) DO NOTHING",
    [ST_SERVICES_FOR_AREA] =
        "SELECT code, office_kind, sector, name_km, name_en, fee_khr, days, placeholder, source,"
        " active FROM services s WHERE active = 1 AND EXISTS (SELECT 1 FROM offices o"
        " WHERE o.active = 1 AND o.kind = s.office_kind AND o.area_code IN " ANCESTORS ")"
        " ORDER BY CASE office_kind WHEN 'commune' THEN 0 WHEN 'owso' THEN 1 ELSE 2 END,"
        " sector, code",
    [ST_SERVICES_ALL] =
        "SELECT code, office_kind, sector, name_km, name_en, fee_khr, days, placeholder, source,"
        " active FROM services WHERE active = 1 ORDER BY CASE office_kind WHEN 'commune' THEN 0"
        " WHEN 'owso' THEN 1 ELSE 2 END, sector, code",
    [ST_OFFICE_PUT] = "INSERT INTO offices (code, kind, area_code, name_km, name_en)"
                      " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (code) DO NOTHING",
    [ST_OFFICES_COVERING] =
        "SELECT id, code, kind, area_code, name_km, name_en, active FROM offices"
        " WHERE active = 1 AND (area_code IN " ANCESTORS " OR area_code IS NULL)"
        " ORDER BY length(coalesce(area_code, '')) DESC, CASE kind WHEN 'commune' THEN 0"
        " WHEN 'owso' THEN 1 WHEN 'district_ombudsman' THEN 2 WHEN 'owsu' THEN 3"
        " WHEN 'provincial_ombudsman' THEN 4 ELSE 5 END",
    [ST_OFFICE_BY_CODE] = "SELECT id, code, kind, area_code, name_km, name_en, active"
                          " FROM offices WHERE code = ?1",
    [ST_HOLIDAY_PUT] = "INSERT INTO holidays (day, name_km, name_en) VALUES (?1, ?2, ?3)"
                       " ON CONFLICT (day) DO NOTHING",
    [ST_STAFF_INSERT] = "INSERT INTO staff (login, name, role, office_id, password_hash)"
                        " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (login) DO NOTHING",
};

static void read_area(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct area *area = item;
    area->code = sq_col_text(st, 0, a);
    area->parent = sq_col_text(st, 1, a);
    area->level = sq_col_text(st, 2, a);
    area->type_km = sq_col_text(st, 3, a);
    area->type_en = sq_col_text(st, 4, a);
    area->name_km = sq_col_text(st, 5, a);
    area->name_en = sq_col_text(st, 6, a);
}

static void bind_ancestors(sqlite3_stmt *st, const char *const *ancestors, size_t n)
{
    for (size_t i = 0; i < 4; i++)
        sq_bind_text(st, (int)i + 1, i < n ? ancestors[i] : NULL);
}

/* ---- operations ---- */

static void op_close(struct store *base)
{
    struct sqlite_store *s = sq_impl(base);
    sq_finalize_all(s);
    sqlite3_close(s->db);
    free(s);
}

static int op_begin(struct store *base)
{
    return sq_exec(sq_impl(base), "BEGIN IMMEDIATE");
}

static int op_commit(struct store *base)
{
    return sq_exec(sq_impl(base), "COMMIT");
}

static void op_rollback(struct store *base)
{
    struct sqlite_store *s = sq_impl(base);
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int op_savepoint(struct store *base, enum store_savepoint verb)
{
    static const char *const sql[] = {"SAVEPOINT job", "ROLLBACK TO job", "RELEASE job"};
    return sq_exec(sq_impl(base), sql[verb]);
}

static int current_version(struct sqlite_store *s, int *version)
{
    sqlite3_stmt *st;
    *version = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1,
                           &st, NULL) != SQLITE_OK)
        return sq_failed(s, sqlite3_errcode(s->db), "migrate");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? STORE_OK : sq_failed(s, rc, "migrate");
}

static int apply(struct sqlite_store *s, const struct migration *m)
{
    int rc = sq_exec(s, "BEGIN IMMEDIATE");
    if (rc == STORE_OK)
        rc = sq_exec(s, m->sql);
    if (rc == STORE_OK) {
        sqlite3_stmt *st;
        sqlite3_prepare_v2(s->db,
                           "INSERT INTO schema_migrations (version, name, applied_at)"
                           " VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                           -1, &st, NULL);
        sqlite3_bind_int(st, 1, m->version);
        sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
        int step = sqlite3_step(st);
        sqlite3_finalize(st);
        rc = step == SQLITE_DONE ? STORE_OK : sq_failed(s, step, "migrate");
    }
    if (rc == STORE_OK)
        rc = sq_exec(s, "COMMIT");
    if (rc != STORE_OK)
        op_rollback(&s->base);
    return rc;
}

static int op_schema_version(struct store *base, int *version)
{
    struct sqlite_store *s = sq_impl(base);
    return current_version(s, version);
}

static int op_migrate(struct store *base, int *from, int *to)
{
    struct sqlite_store *s = sq_impl(base);
    int rc = sq_exec(s, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                        " name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    if (rc == STORE_OK)
        rc = current_version(s, from);
    if (rc != STORE_OK)
        return rc;
    *to = *from;
    for (const struct migration *m = migrations; m->engine; m++) {
        if (strcmp(m->engine, "sqlite") != 0 || m->version <= *to)
            continue;
        rc = apply(s, m);
        if (rc != STORE_OK)
            return rc;
        log_info("migrated", "engine=sqlite version=%d name=%s", m->version, m->name);
        *to = m->version;
    }
    return STORE_OK;
}

static int op_area_get(struct store *base, struct arena *a, const char *code, struct area *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, stmt_sql[ST_AREA_GET]);
    if (st)
        sq_bind_text(st, 1, code);
    return sq_one(s, st, a, sizeof *out, read_area, out);
}

static int op_area_children(struct store *base, struct arena *a, const char *parent,
                            struct area_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, stmt_sql[parent ? ST_AREA_CHILDREN : ST_AREA_PROVINCES]);
    if (st && parent)
        sq_bind_text(st, 1, parent);
    return sq_collect(s, st, a, sizeof(struct area), read_area, (void **)&out->items, &out->count);
}

static int op_area_search(struct store *base, struct arena *a, const char *folded,
                          const char *level, const char *within, size_t limit,
                          struct area_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, stmt_sql[ST_AREA_SEARCH]);
    if (st) {
        sq_bind_text(st, 1, folded);
        sq_bind_text(st, 2, level);
        sq_bind_text(st, 3, within);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)limit);
    }
    return sq_collect(s, st, a, sizeof(struct area), read_area, (void **)&out->items, &out->count);
}

static int op_area_put(struct store *base, const struct area *area, const char *search)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, stmt_sql[ST_AREA_PUT]);
    if (st) {
        sq_bind_text(st, 1, area->code);
        sq_bind_text(st, 2, area->parent);
        sq_bind_text(st, 3, area->level);
        sq_bind_text(st, 4, area->type_km);
        sq_bind_text(st, 5, area->type_en);
        sq_bind_text(st, 6, area->name_km);
        sq_bind_text(st, 7, area->name_en);
        sq_bind_text(st, 8, search);
    }
    return sq_run(s, st, "area_put");
}

static int op_area_count(struct store *base, const char *level, long long *count)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, stmt_sql[ST_AREA_COUNT]);
    if (!st)
        return STORE_FAILED;
    sq_bind_text(st, 1, level);
    int rc = sqlite3_step(st);
    *count = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? STORE_OK : sq_failed(s, rc, "area_count");
}

static int op_service_put(struct store *base, const struct service *sv)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, stmt_sql[ST_SERVICE_PUT]);
    if (st) {
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
    }
    return sq_run(s, st, "service_put");
}

static int op_services_for_area(struct store *base, struct arena *a, const char *const *ancestors,
                                size_t n, struct service_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, stmt_sql[n ? ST_SERVICES_FOR_AREA : ST_SERVICES_ALL]);
    if (st && n)
        bind_ancestors(st, ancestors, n);
    return sq_collect(s, st, a, sizeof(struct service), sq_read_service, (void **)&out->items,
                      &out->count);
}

static int op_office_put(struct store *base, const struct office *o)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, stmt_sql[ST_OFFICE_PUT]);
    if (st) {
        sq_bind_text(st, 1, o->code);
        sq_bind_text(st, 2, o->kind);
        sq_bind_text(st, 3, o->area_code);
        sq_bind_text(st, 4, o->name_km);
        sq_bind_text(st, 5, o->name_en);
    }
    return sq_run(s, st, "office_put");
}

static int op_offices_covering(struct store *base, struct arena *a, const char *const *ancestors,
                               size_t n, struct office_list *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, stmt_sql[ST_OFFICES_COVERING]);
    if (st)
        bind_ancestors(st, ancestors, n);
    return sq_collect(s, st, a, sizeof(struct office), sq_read_office, (void **)&out->items,
                      &out->count);
}

static int op_office_by_code(struct store *base, struct arena *a, const char *code,
                             struct office *out)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, stmt_sql[ST_OFFICE_BY_CODE]);
    if (st)
        sq_bind_text(st, 1, code);
    return sq_one(s, st, a, sizeof *out, sq_read_office, out);
}

static int op_holiday_put(struct store *base, const struct holiday *h)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, stmt_sql[ST_HOLIDAY_PUT]);
    if (st) {
        sq_bind_text(st, 1, h->date);
        sq_bind_text(st, 2, h->name_km);
        sq_bind_text(st, 3, h->name_en);
    }
    return sq_run(s, st, "holiday_put");
}

static int op_staff_put(struct store *base, const struct staff *u, bool *created)
{
    struct sqlite_store *s = sq_impl(base);
    sqlite3_stmt *st = sq_stmt(s, stmt_sql[ST_STAFF_INSERT]);
    if (st) {
        sq_bind_text(st, 1, u->login);
        sq_bind_text(st, 2, u->name);
        sq_bind_text(st, 3, u->role);
        if (u->office_id > 0)
            sqlite3_bind_int64(st, 4, u->office_id);
        sq_bind_text(st, 5, u->password_hash);
    }
    int rc = sq_run(s, st, "staff_put");
    *created = rc == STORE_OK && sqlite3_changes(s->db) > 0;
    return rc;
}

static const struct store_ops sqlite_ops = {
    .engine = "sqlite",
    .close = op_close,
    .migrate = op_migrate,
    .schema_version = op_schema_version,
    .begin = op_begin,
    .commit = op_commit,
    .rollback = op_rollback,
    .savepoint = op_savepoint,
    .area_get = op_area_get,
    .area_children = op_area_children,
    .area_search = op_area_search,
    .area_put = op_area_put,
    .area_count = op_area_count,
    .service_put = op_service_put,
    .services_for_area = op_services_for_area,
    .office_put = op_office_put,
    .offices_covering = op_offices_covering,
    .office_by_code = op_office_by_code,
    .holiday_put = op_holiday_put,
    .staff_put = op_staff_put,
    .office_get = sqc_office_get,
    .office_find = sqc_office_find,
    .routing_target = sqc_routing_target,
    .deadline_get = sqc_deadline_get,
    .holidays_all = sqc_holidays_all,
    .case_insert = sqc_case_insert,
    .case_update = sqc_case_update,
    .case_next_number = sqc_case_next_number,
    .case_get = sqc_case_get,
    .case_by_number = sqc_case_by_number,
    .case_by_receipt = sqc_case_by_receipt,
    .cases_list = sqc_cases_list,
    .cases_overdue = sqc_cases_overdue,
    .event_insert = sqc_event_insert,
    .events_list = sqc_events_list,
    .attachment_insert = sqc_attachment_insert,
    .attachments_list = sqc_attachments_list,
    .attachment_get = sqc_attachment_get,
    .track_session_put = sqc_track_session_put,
    .track_session_get = sqc_track_session_get,
    .staff_session_put = sqc_staff_session_put,
    .staff_session_get = sqc_staff_session_get,
    .staff_session_touch = sqc_staff_session_touch,
    .staff_session_delete = sqc_staff_session_delete,
    .throttle_get = sqc_throttle_get,
    .throttle_put = sqc_throttle_put,
    .throttle_clear = sqc_throttle_clear,
    .staff_get = sqc_staff_get,
    .staff_by_login = sqc_staff_by_login,
    .staff_list = sqc_staff_list,
    .staff_update = sqc_staff_update,
    .outbox_insert = sqc_outbox_insert,
    .outbox_due = sqc_outbox_due,
    .outbox_update = sqc_outbox_update,
    .audit_last_hash = sqc_audit_last_hash,
    .audit_insert = sqc_audit_insert,
    .audit_list = sqc_audit_list,
    .cases_counts = sqa_cases_counts,
    .cases_changes = sqa_cases_changes,
    .cases_export = sqa_cases_export,
    .cases_stats = sqa_cases_stats,
    .templates_list = sqa_templates_list,
    .template_get = sqa_template_get,
    .template_insert = sqa_template_insert,
    .template_update = sqa_template_update,
    .offices_search = sqa_offices_search,
    .office_insert = sqa_office_insert,
    .office_update = sqa_office_update,
    .staff_entries = sqa_staff_entries,
    .staff_sessions_revoke = sqa_staff_sessions_revoke,
    .service_get = sqa_service_get,
    .services_every = sqa_services_every,
    .service_insert = sqa_service_insert,
    .service_update = sqa_service_update,
    .deadlines_all = sqa_deadlines_all,
    .deadline_put = sqa_deadline_put,
    .holidays_list = sqa_holidays_list,
    .holiday_upsert = sqa_holiday_upsert,
    .holiday_delete = sqa_holiday_delete,
    .routing_rules_all = sqa_routing_rules_all,
    .routing_rule_put = sqa_routing_rule_put,
    .audit_search = sqa_audit_search,
    .stats_read = sqs_stats_read,
    .stats_quotes = sqs_stats_quotes,
    .stats_rebuild = sqs_stats_rebuild,
    .stats_pause = sqs_stats_pause,
    .stats_check = sqs_stats_check,
};

int sqlite_store_open(const char *path, struct store **out, const char **err);

int sqlite_store_open(const char *path, struct store **out, const char **err)
{
    struct sqlite_store *s = xcalloc(1, sizeof *s);
    s->base.ops = &sqlite_ops;
    int rc = sqlite3_open_v2(
        path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        *err = "cannot open the database file";
        sqlite3_close(s->db);
        free(s);
        return STORE_FAILED;
    }
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_extended_result_codes(s->db, 1);
    if (sq_exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                   " PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
                   " PRAGMA cache_size = -16384;") /* KiB: the statistics' hot pages */
        != STORE_OK) {
        *err = "the database file is not usable (locked, read-only or not SQLite)";
        op_close(&s->base);
        return STORE_FAILED;
    }
    *out = &s->base;
    return STORE_OK;
}
