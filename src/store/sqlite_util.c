/* SQLite helpers (see sqlite_internal.h). */
#include <string.h>

#include "core/log.h"
#include "store/sqlite_internal.h"
#include "core/banned.h"

int sq_status_of(int rc)
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

int sq_failed(struct sqlite_store *s, int rc, const char *what)
{
    int status = sq_status_of(rc);
    if (status == STORE_FAILED)
        log_error("sqlite_error", "op=%s code=%d msg=\"%s\"", what, rc, sqlite3_errmsg(s->db));
    return status;
}

sqlite3_stmt *sq_stmt(struct sqlite_store *s, const char *sql)
{
    size_t i = 0;
    while (i < s->nstmts && s->stmts[i].sql != sql)
        i++;
    if (i == s->nstmts) {
        if (s->nstmts == SQ_MAX_STATEMENTS) {
            log_error("sqlite_error", "op=prepare msg=\"statement cache full\"");
            return NULL;
        }
        sqlite3_stmt *st;
        int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
        if (rc != SQLITE_OK) {
            sq_failed(s, rc, "prepare");
            return NULL;
        }
        s->stmts[i].sql = sql;
        s->stmts[i].st = st;
        s->nstmts++;
    }
    sqlite3_reset(s->stmts[i].st);
    sqlite3_clear_bindings(s->stmts[i].st);
    return s->stmts[i].st;
}

void sq_finalize_all(struct sqlite_store *s)
{
    for (size_t i = 0; i < s->nstmts; i++)
        sqlite3_finalize(s->stmts[i].st);
    s->nstmts = 0;
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

void sq_bind_id(sqlite3_stmt *st, int i, int64_t id)
{
    if (id)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

void sq_bind_blob(sqlite3_stmt *st, int i, const void *data, size_t len)
{
    if (data)
        sqlite3_bind_blob(st, i, data, (int)len, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

const char *sq_col_text(sqlite3_stmt *st, int i, struct arena *a)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    return v ? arena_strndup(a, (const char *)v, (size_t)sqlite3_column_bytes(st, i)) : NULL;
}

const unsigned char *sq_col_blob(sqlite3_stmt *st, int i, struct arena *a, size_t *len)
{
    const void *v = sqlite3_column_blob(st, i);
    *len = (size_t)sqlite3_column_bytes(st, i);
    if (!v)
        return NULL;
    unsigned char *copy = arena_alloc(a, *len ? *len : 1);
    memcpy(copy, v, *len);
    return copy;
}

int sq_exec(struct sqlite_store *s, const char *sql)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? STORE_OK : sq_failed(s, rc, "exec");
}

int sq_run(struct sqlite_store *s, sqlite3_stmt *st, const char *what)
{
    if (!st)
        return STORE_FAILED;
    int rc = sqlite3_step(st);
    int status = rc == SQLITE_DONE ? STORE_OK : sq_failed(s, rc, what);
    sqlite3_reset(st);
    return status;
}

int sq_collect(struct sqlite_store *s, sqlite3_stmt *st, struct arena *a, size_t size,
               sq_row_reader read, void **items, size_t *count)
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
    int status = rc == SQLITE_DONE ? STORE_OK : sq_failed(s, rc, "query");
    sqlite3_reset(st);
    return status;
}

int sq_one(struct sqlite_store *s, sqlite3_stmt *st, struct arena *a, size_t size,
           sq_row_reader read, void *out)
{
    void *items;
    size_t count;
    int rc = sq_collect(s, st, a, size, read, &items, &count);
    if (rc != STORE_OK)
        return rc;
    if (count == 0)
        return STORE_NOT_FOUND;
    memcpy(out, items, size);
    return STORE_OK;
}

/* Rows of offices and services, read the same way by every file of the engine (the
 * column order of their SELECTs: see sqlite_internal.h). */
void sq_read_office(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct office *o = item;
    o->id = sqlite3_column_int64(st, 0);
    o->code = sq_col_text(st, 1, a);
    o->kind = sq_col_text(st, 2, a);
    o->area_code = sq_col_text(st, 3, a);
    o->name_km = sq_col_text(st, 4, a);
    o->name_en = sq_col_text(st, 5, a);
    o->active = sqlite3_column_int(st, 6) != 0;
}

void sq_read_service(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct service *sv = item;
    sv->code = sq_col_text(st, 0, a);
    sv->office_kind = sq_col_text(st, 1, a);
    sv->sector = sq_col_text(st, 2, a);
    sv->name_km = sq_col_text(st, 3, a);
    sv->name_en = sq_col_text(st, 4, a);
    sv->fee_khr = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 5);
    sv->days = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 6);
    sv->placeholder = sqlite3_column_int(st, 7) != 0;
    sv->source = sq_col_text(st, 8, a);
    sv->active = sqlite3_column_int(st, 9) != 0;
}
