/* The SQLite storage engine: WAL, synchronous=FULL, foreign keys on. Each struct store is
 * one connection whose statements are prepared once (on first use) and reused; SQLITE_BUSY
 * becomes STORE_RETRY so that store_tx() retries. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"
#include "store/migrations.h"
#include "store/store.h"
#include "core/banned.h"

enum stmt_id {
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
    ST_STAFF_BY_LOGIN,
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
    [ST_STAFF_INSERT] =
        "INSERT INTO staff (login, name, role, office_id, password_hash)"
        " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (login) DO NOTHING",
    [ST_STAFF_BY_LOGIN] = "SELECT id, login, name, role, office_id, password_hash, active"
                          " FROM staff WHERE login = ?1",
};

struct sqlite_store {
    struct store base;
    sqlite3 *db;
    sqlite3_stmt *stmts[ST_COUNT];
};

static struct sqlite_store *impl(struct store *s)
{
    return (struct sqlite_store *)s;
}

static int status_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return STORE_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return STORE_RETRY;
    case SQLITE_CONSTRAINT:
        return STORE_CONFLICT;
    default:
        return STORE_FAILED;
    }
}

static int failed(struct sqlite_store *s, int rc, const char *what)
{
    int status = status_of(rc);
    if (status == STORE_FAILED)
        log_error("sqlite_error", "op=%s code=%d msg=\"%s\"", what, rc, sqlite3_errmsg(s->db));
    return status;
}

/* The prepared statement, reset and with its bindings cleared; NULL on failure. */
static sqlite3_stmt *stmt(struct sqlite_store *s, enum stmt_id id)
{
    if (!s->stmts[id]) {
        int rc = sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                    &s->stmts[id], NULL);
        if (rc != SQLITE_OK) {
            failed(s, rc, "prepare");
            return NULL;
        }
    }
    sqlite3_reset(s->stmts[id]);
    sqlite3_clear_bindings(s->stmts[id]);
    return s->stmts[id];
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i, struct arena *a)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    return v ? arena_strndup(a, (const char *)v, (size_t)sqlite3_column_bytes(st, i)) : NULL;
}

static int exec(struct sqlite_store *s, const char *sql)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? STORE_OK : failed(s, rc, "exec");
}

/* Steps a statement that returns no rows. */
static int run(struct sqlite_store *s, sqlite3_stmt *st, const char *what)
{
    if (!st)
        return STORE_FAILED;
    int rc = sqlite3_step(st);
    int status = rc == SQLITE_DONE ? STORE_OK : failed(s, rc, what);
    sqlite3_reset(st);
    return status;
}

/* Steps through rows, growing an arena array of `size`-byte items filled by `read`. */
typedef void (*row_reader)(sqlite3_stmt *st, struct arena *a, void *item);

static int collect(struct sqlite_store *s, sqlite3_stmt *st, struct arena *a, size_t size,
                   row_reader read, void **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    if (!st)
        return STORE_FAILED;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            void *grown = arena_alloc(a, ncap * size);
            if (*count)
                memcpy(grown, *items, *count * size);
            *items = grown;
            cap = ncap;
        }
        read(st, a, (char *)*items + *count * size);
        (*count)++;
    }
    int status = rc == SQLITE_DONE ? STORE_OK : failed(s, rc, "query");
    sqlite3_reset(st);
    return status;
}

static void read_area(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct area *area = item;
    area->code = col_text(st, 0, a);
    area->parent = col_text(st, 1, a);
    area->level = col_text(st, 2, a);
    area->type_km = col_text(st, 3, a);
    area->type_en = col_text(st, 4, a);
    area->name_km = col_text(st, 5, a);
    area->name_en = col_text(st, 6, a);
}

static void read_service(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct service *sv = item;
    sv->code = col_text(st, 0, a);
    sv->office_kind = col_text(st, 1, a);
    sv->sector = col_text(st, 2, a);
    sv->name_km = col_text(st, 3, a);
    sv->name_en = col_text(st, 4, a);
    sv->fee_khr = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 5);
    sv->days = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 6);
    sv->placeholder = sqlite3_column_int(st, 7) != 0;
    sv->source = col_text(st, 8, a);
    sv->active = sqlite3_column_int(st, 9) != 0;
}

static void read_office(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct office *o = item;
    o->id = sqlite3_column_int64(st, 0);
    o->code = col_text(st, 1, a);
    o->kind = col_text(st, 2, a);
    o->area_code = col_text(st, 3, a);
    o->name_km = col_text(st, 4, a);
    o->name_en = col_text(st, 5, a);
    o->active = sqlite3_column_int(st, 6) != 0;
}

static void read_staff(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct staff *u = item;
    u->id = sqlite3_column_int64(st, 0);
    u->login = col_text(st, 1, a);
    u->name = col_text(st, 2, a);
    u->role = col_text(st, 3, a);
    u->office_id = sqlite3_column_int64(st, 4);
    u->password_hash = col_text(st, 5, a);
    u->active = sqlite3_column_int(st, 6) != 0;
}

/* Exactly one row into *out, or STORE_NOT_FOUND. */
static int one(struct sqlite_store *s, sqlite3_stmt *st, struct arena *a, size_t size,
               row_reader read, void *out)
{
    void *items;
    size_t count;
    int rc = collect(s, st, a, size, read, &items, &count);
    if (rc != STORE_OK)
        return rc;
    if (count == 0)
        return STORE_NOT_FOUND;
    memcpy(out, items, size);
    return STORE_OK;
}

static void bind_ancestors(sqlite3_stmt *st, const char *const *ancestors, size_t n)
{
    for (size_t i = 0; i < 4; i++)
        bind_text(st, (int)i + 1, i < n ? ancestors[i] : NULL);
}

/* ---- operations ---- */

static void op_close(struct store *base)
{
    struct sqlite_store *s = impl(base);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->stmts[i]);
    sqlite3_close(s->db);
    free(s);
}

static int op_begin(struct store *base)
{
    return exec(impl(base), "BEGIN IMMEDIATE");
}

static int op_commit(struct store *base)
{
    return exec(impl(base), "COMMIT");
}

static void op_rollback(struct store *base)
{
    struct sqlite_store *s = impl(base);
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int current_version(struct sqlite_store *s, int *version)
{
    sqlite3_stmt *st;
    *version = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1,
                           &st, NULL) != SQLITE_OK)
        return failed(s, sqlite3_errcode(s->db), "migrate");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? STORE_OK : failed(s, rc, "migrate");
}

static int apply(struct sqlite_store *s, const struct migration *m)
{
    int rc = exec(s, "BEGIN IMMEDIATE");
    if (rc == STORE_OK)
        rc = exec(s, m->sql);
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
        rc = step == SQLITE_DONE ? STORE_OK : failed(s, step, "migrate");
    }
    if (rc == STORE_OK)
        rc = exec(s, "COMMIT");
    if (rc != STORE_OK)
        op_rollback(&s->base);
    return rc;
}

static int op_migrate(struct store *base, int *from, int *to)
{
    struct sqlite_store *s = impl(base);
    int rc = exec(s, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
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
    struct sqlite_store *s = impl(base);
    sqlite3_stmt *st = stmt(s, ST_AREA_GET);
    if (st)
        bind_text(st, 1, code);
    return one(s, st, a, sizeof *out, read_area, out);
}

static int op_area_children(struct store *base, struct arena *a, const char *parent,
                            struct area_list *out)
{
    struct sqlite_store *s = impl(base);
    sqlite3_stmt *st = stmt(s, parent ? ST_AREA_CHILDREN : ST_AREA_PROVINCES);
    if (st && parent)
        bind_text(st, 1, parent);
    return collect(s, st, a, sizeof(struct area), read_area, (void **)&out->items, &out->count);
}

static int op_area_search(struct store *base, struct arena *a, const char *folded,
                          const char *level, const char *within, size_t limit,
                          struct area_list *out)
{
    struct sqlite_store *s = impl(base);
    sqlite3_stmt *st = stmt(s, ST_AREA_SEARCH);
    if (st) {
        bind_text(st, 1, folded);
        bind_text(st, 2, level);
        bind_text(st, 3, within);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)limit);
    }
    return collect(s, st, a, sizeof(struct area), read_area, (void **)&out->items, &out->count);
}

static int op_area_put(struct store *base, const struct area *area, const char *search)
{
    struct sqlite_store *s = impl(base);
    sqlite3_stmt *st = stmt(s, ST_AREA_PUT);
    if (st) {
        bind_text(st, 1, area->code);
        bind_text(st, 2, area->parent);
        bind_text(st, 3, area->level);
        bind_text(st, 4, area->type_km);
        bind_text(st, 5, area->type_en);
        bind_text(st, 6, area->name_km);
        bind_text(st, 7, area->name_en);
        bind_text(st, 8, search);
    }
    return run(s, st, "area_put");
}

static int op_area_count(struct store *base, const char *level, long long *count)
{
    struct sqlite_store *s = impl(base);
    sqlite3_stmt *st = stmt(s, ST_AREA_COUNT);
    if (!st)
        return STORE_FAILED;
    bind_text(st, 1, level);
    int rc = sqlite3_step(st);
    *count = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? STORE_OK : failed(s, rc, "area_count");
}

static int op_service_put(struct store *base, const struct service *sv)
{
    struct sqlite_store *s = impl(base);
    sqlite3_stmt *st = stmt(s, ST_SERVICE_PUT);
    if (st) {
        bind_text(st, 1, sv->code);
        bind_text(st, 2, sv->office_kind);
        bind_text(st, 3, sv->sector ? sv->sector : "");
        bind_text(st, 4, sv->name_km);
        bind_text(st, 5, sv->name_en);
        if (sv->fee_khr >= 0)
            sqlite3_bind_int64(st, 6, sv->fee_khr);
        if (sv->days >= 0)
            sqlite3_bind_int(st, 7, sv->days);
        sqlite3_bind_int(st, 8, sv->placeholder);
        bind_text(st, 9, sv->source ? sv->source : "");
    }
    return run(s, st, "service_put");
}

static int op_services_for_area(struct store *base, struct arena *a, const char *const *ancestors,
                                size_t n, struct service_list *out)
{
    struct sqlite_store *s = impl(base);
    sqlite3_stmt *st = stmt(s, n ? ST_SERVICES_FOR_AREA : ST_SERVICES_ALL);
    if (st && n)
        bind_ancestors(st, ancestors, n);
    return collect(s, st, a, sizeof(struct service), read_service, (void **)&out->items,
                   &out->count);
}

static int op_office_put(struct store *base, const struct office *o)
{
    struct sqlite_store *s = impl(base);
    sqlite3_stmt *st = stmt(s, ST_OFFICE_PUT);
    if (st) {
        bind_text(st, 1, o->code);
        bind_text(st, 2, o->kind);
        bind_text(st, 3, o->area_code);
        bind_text(st, 4, o->name_km);
        bind_text(st, 5, o->name_en);
    }
    return run(s, st, "office_put");
}

static int op_offices_covering(struct store *base, struct arena *a, const char *const *ancestors,
                               size_t n, struct office_list *out)
{
    struct sqlite_store *s = impl(base);
    sqlite3_stmt *st = stmt(s, ST_OFFICES_COVERING);
    if (st)
        bind_ancestors(st, ancestors, n);
    return collect(s, st, a, sizeof(struct office), read_office, (void **)&out->items,
                   &out->count);
}

static int op_office_by_code(struct store *base, struct arena *a, const char *code,
                             struct office *out)
{
    struct sqlite_store *s = impl(base);
    sqlite3_stmt *st = stmt(s, ST_OFFICE_BY_CODE);
    if (st)
        bind_text(st, 1, code);
    return one(s, st, a, sizeof *out, read_office, out);
}

static int op_holiday_put(struct store *base, const struct holiday *h)
{
    struct sqlite_store *s = impl(base);
    sqlite3_stmt *st = stmt(s, ST_HOLIDAY_PUT);
    if (st) {
        bind_text(st, 1, h->date);
        bind_text(st, 2, h->name_km);
        bind_text(st, 3, h->name_en);
    }
    return run(s, st, "holiday_put");
}

static int op_staff_put(struct store *base, const struct staff *u, bool *created)
{
    struct sqlite_store *s = impl(base);
    sqlite3_stmt *st = stmt(s, ST_STAFF_INSERT);
    if (st) {
        bind_text(st, 1, u->login);
        bind_text(st, 2, u->name);
        bind_text(st, 3, u->role);
        if (u->office_id > 0)
            sqlite3_bind_int64(st, 4, u->office_id);
        bind_text(st, 5, u->password_hash);
    }
    int rc = run(s, st, "staff_put");
    *created = rc == STORE_OK && sqlite3_changes(s->db) > 0;
    return rc;
}

static int op_staff_by_login(struct store *base, struct arena *a, const char *login,
                             struct staff *out)
{
    struct sqlite_store *s = impl(base);
    sqlite3_stmt *st = stmt(s, ST_STAFF_BY_LOGIN);
    if (st)
        bind_text(st, 1, login);
    return one(s, st, a, sizeof *out, read_staff, out);
}

static const struct store_ops sqlite_ops = {
    .engine = "sqlite",
    .close = op_close,
    .migrate = op_migrate,
    .begin = op_begin,
    .commit = op_commit,
    .rollback = op_rollback,
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
    .staff_by_login = op_staff_by_login,
};

int sqlite_store_open(const char *path, struct store **out, const char **err);

int sqlite_store_open(const char *path, struct store **out, const char **err)
{
    struct sqlite_store *s = xcalloc(1, sizeof *s);
    s->base.ops = &sqlite_ops;
    int rc = sqlite3_open_v2(path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        *err = "cannot open the database file";
        sqlite3_close(s->db);
        free(s);
        return STORE_FAILED;
    }
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_extended_result_codes(s->db, 1);
    if (exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                " PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;") != STORE_OK) {
        *err = "the database file is not usable (locked, read-only or not SQLite)";
        op_close(&s->base);
        return STORE_FAILED;
    }
    *out = &s->base;
    return STORE_OK;
}
