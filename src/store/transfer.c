/* SQLite → PostgreSQL transfer (see transfer.h): the tables and their columns are read from
 * SQLite's catalogue, each column's kind from the target's, and the tables are copied in
 * foreign-key order with batched multi-row INSERTs whose values are all parameters (BLOBs as
 * binary bytea parameters). Names come from the catalogues and are quoted as identifiers.
 * The target's own triggers (roll-ups, append-only guards) are switched off during the copy,
 * inside its one transaction, so that derived tables arrive exactly as they were. */
#include "store/transfer.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "store/migrations.h"
#include "store/transfer_internal.h"
#include "core/banned.h"

#define BATCH_ROWS   500
#define BATCH_PARAMS 60000              /* below the protocol's 65535 parameters */
#define BATCH_BYTES  (16 * 1024 * 1024) /* attachments may be 24 MiB each */
#define MAX_TABLES   128

/* ---- connections and plain statements ---- */

bool tr_pg_ok(struct job *j, PGresult *res, const char *what)
{
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_SINGLE_TUPLE)
        return true;
    /* the primary message only: the detail may quote a row's values */
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    log_error("transfer_failed", "engine=postgres op=%s msg=\"%s\"", what,
              msg ? msg : PQerrorMessage(j->pg));
    j->err = "a PostgreSQL statement failed (see the log line above)";
    return false;
}

/* A statement without values (transaction control, DDL on catalogue names). */
static bool pg_run(struct job *j, const char *sql, const char *what)
{
    PGresult *res = PQexec(j->pg, sql);
    bool ok = tr_pg_ok(j, res, what);
    PQclear(res);
    return ok;
}

bool tr_sq_failed(struct job *j, const char *what)
{
    log_error("transfer_failed", "engine=sqlite op=%s msg=\"%s\"", what, sqlite3_errmsg(j->sq));
    j->err = "reading the SQLite database failed (see the log line above)";
    return false;
}

static int open_both(struct job *j, const char *sqlite_path, const char *pg_url)
{
    if (sqlite3_open_v2(sqlite_path, &j->sq, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        j->err = "cannot open the SQLite database";
        return -1;
    }
    j->pg = PQconnectdb(pg_url);
    if (PQstatus(j->pg) != CONNECTION_OK) {
        log_error("transfer_failed", "engine=postgres op=connect msg=\"%s\"",
                  PQerrorMessage(j->pg));
        j->err = "cannot connect to the PostgreSQL database";
        return -1;
    }
    /* one read transaction: the copy and the checksums see the same snapshot */
    if (sqlite3_exec(j->sq, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return tr_sq_failed(j, "begin"), -1;
    if (!pg_run(j, "SET client_encoding = 'UTF8'", "set") ||
        !pg_run(j, "SET bytea_output = 'hex'", "set"))
        return -1;
    return 0;
}

static void close_both(struct job *j)
{
    if (j->sq) {
        sqlite3_exec(j->sq, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(j->sq);
    }
    if (j->pg)
        PQfinish(j->pg);
}

/* ---- the catalogue ---- */

static const char *sq_quote(struct arena *a, const char *name)
{
    struct buf b;
    buf_init(&b, 1024);
    buf_addc(&b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            buf_addc(&b, '"');
        buf_addc(&b, *p);
    }
    buf_addc(&b, '"');
    const char *out = arena_strdup(a, buf_cstr(&b));
    buf_release(&b);
    return out;
}

static const char *pg_quote(struct job *j, const char *name)
{
    char *q = PQescapeIdentifier(j->pg, name, strlen(name));
    const char *out = arena_strdup(j->a, q ? q : "\"\"");
    PQfreemem(q);
    return out;
}

/* The source must be at the latest SQLite schema, or its columns would not match. */
static int source_current(struct job *j)
{
    int known = 0;
    for (const struct migration *m = migrations; m->engine; m++)
        if (strcmp(m->engine, "sqlite") == 0 && m->version > known)
            known = m->version;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(j->sq, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1,
                           &st, NULL) != SQLITE_OK) {
        j->err = "the SQLite file is not an Our Voice database";
        return -1;
    }
    int have = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (have != known) {
        j->err = "the SQLite database is not at the latest schema: run `ourvoice init --db FILE` "
                 "on it first";
        return -1;
    }
    return 0;
}

static enum kind kind_of(const char *pg_type)
{
    static const struct {
        const char *type;
        enum kind kind;
    } kinds[] = {
        {"smallint", K_INT}, {"integer", K_INT},   {"bigint", K_INT},
        {"real", K_FLOAT},   {"numeric", K_FLOAT}, {"double precision", K_FLOAT},
        {"boolean", K_BOOL}, {"bytea", K_BYTEA},   {"json", K_JSON},
        {"jsonb", K_JSON},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].type, pg_type) == 0)
            return kinds[i].kind;
    return K_TEXT;
}

/* The target's columns of a table: name → kind, whether generated, and identity ALWAYS. */
static PGresult *target_columns(struct job *j, const char *table)
{
    const char *params[] = {table};
    PGresult *res = PQexecParams(
        j->pg,
        "SELECT column_name, data_type, is_generated, coalesce(identity_generation, '')"
        " FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = $1",
        1, NULL, params, NULL, NULL, 0);
    if (!tr_pg_ok(j, res, "columns")) {
        PQclear(res);
        return NULL;
    }
    return res;
}

static int target_row(PGresult *cols, const char *name)
{
    for (int i = 0; i < PQntuples(cols); i++)
        if (strcmp(PQgetvalue(cols, i, 0), name) == 0)
            return i;
    return -1;
}

/* Adds one source column, matched with the target's; generated target columns are left to
 * the target. */
static int add_column(struct job *j, struct table *t, PGresult *cols, const char *name, int pk)
{
    int row = target_row(cols, name);
    if (row < 0) {
        log_error("transfer_failed", "op=columns table=%s column=%s msg=\"not in the target\"",
                  t->name, name);
        j->err = "the target's schema lacks a column of the source (see the log line above)";
        return -1;
    }
    if (strcmp(PQgetvalue(cols, row, 2), "ALWAYS") == 0)
        return 0;
    if (strcmp(PQgetvalue(cols, row, 3), "ALWAYS") == 0)
        t->identity_always = true;
    struct column *c = &t->cols[t->ncols++];
    c->name = arena_strdup(j->a, name);
    c->quoted_sq = sq_quote(j->a, name);
    c->quoted_pg = pg_quote(j, name);
    c->kind = kind_of(PQgetvalue(cols, row, 1));
    c->pk = pk;
    return 0;
}

static int read_columns(struct job *j, struct table *t)
{
    PGresult *cols = target_columns(j, t->name);
    if (!cols)
        return -1;
    if (PQntuples(cols) == 0) {
        PQclear(cols);
        log_error("transfer_failed", "op=tables table=%s msg=\"not in the target\"", t->name);
        j->err = "the target's schema lacks a table of the source (see the log line above)";
        return -1;
    }
    sqlite3_stmt *st;
    /* hidden: 0 ordinary, 1 a virtual table's hidden column, 2/3 generated */
    if (sqlite3_prepare_v2(j->sq,
                           "SELECT name, pk, (SELECT count(*) FROM pragma_table_xinfo(?1))"
                           " FROM pragma_table_xinfo(?1) WHERE hidden = 0 ORDER BY cid",
                           -1, &st, NULL) != SQLITE_OK) {
        PQclear(cols);
        return tr_sq_failed(j, "columns"), -1;
    }
    sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!t->cols)
            t->cols = arena_zalloc(j->a, sizeof *t->cols * (size_t)sqlite3_column_int(st, 2));
        rc = add_column(j, t, cols, (const char *)sqlite3_column_text(st, 0),
                        sqlite3_column_int(st, 1));
    }
    sqlite3_finalize(st);
    PQclear(cols);
    return rc;
}

static int read_deps(struct job *j, struct table *t)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(j->sq, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)", -1,
                           &st, NULL) != SQLITE_OK)
        return tr_sq_failed(j, "foreign keys"), -1;
    sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
    t->deps = arena_zalloc(j->a, sizeof *t->deps * MAX_TABLES);
    while (sqlite3_step(st) == SQLITE_ROW && t->ndeps < MAX_TABLES)
        t->deps[t->ndeps++] = arena_strdup(j->a, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return 0;
}

/* Each engine's own bookkeeping, never copied: the applied migrations, and the switch and
 * the work list of SQLite's statistics triggers (PostgreSQL's triggers need neither). */
static bool engine_private(const char *table)
{
    static const char *const names[] = {"schema_migrations", "stats_control", "stats_pending"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], table) == 0)
            return true;
    return false;
}

/* Ordinary tables only: not SQLite's own, not virtual tables nor their shadow tables, not
 * the engines' bookkeeping. */
static int list_tables(struct job *j)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(j->sq,
                           "SELECT name FROM pragma_table_list WHERE schema = 'main'"
                           " AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                           " ORDER BY name",
                           -1, &st, NULL) != SQLITE_OK)
        return tr_sq_failed(j, "tables"), -1;
    j->tables = arena_zalloc(j->a, sizeof *j->tables * MAX_TABLES);
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        if (engine_private((const char *)sqlite3_column_text(st, 0)))
            continue;
        if (j->ntables == MAX_TABLES) {
            j->err = "too many tables";
            rc = -1;
            break;
        }
        struct table *t = &j->tables[j->ntables++];
        t->name = arena_strdup(j->a, (const char *)sqlite3_column_text(st, 0));
        t->quoted_sq = sq_quote(j->a, t->name);
        t->quoted_pg = pg_quote(j, t->name);
        rc = read_columns(j, t);
        if (rc == 0)
            rc = read_deps(j, t);
    }
    sqlite3_finalize(st);
    return rc;
}

static bool deps_done(const struct job *j, const struct table *t, const struct table *sorted,
                      size_t nsorted)
{
    for (size_t d = 0; d < t->ndeps; d++) {
        if (strcmp(t->deps[d], t->name) == 0)
            continue;
        bool known = false, done = false;
        for (size_t i = 0; i < j->ntables; i++)
            known |= strcmp(j->tables[i].name, t->deps[d]) == 0;
        for (size_t i = 0; i < nsorted; i++)
            done |= strcmp(sorted[i].name, t->deps[d]) == 0;
        if (known && !done)
            return false;
    }
    return true;
}

/* Parents before children; whatever is left by a cycle goes last, by name. */
static void sort_tables(struct job *j)
{
    struct table *sorted = arena_zalloc(j->a, sizeof *sorted * MAX_TABLES);
    bool *taken = arena_zalloc(j->a, sizeof *taken * MAX_TABLES);
    size_t n = 0;
    for (bool progress = true; progress;) {
        progress = false;
        for (size_t i = 0; i < j->ntables; i++)
            if (!taken[i] && deps_done(j, &j->tables[i], sorted, n)) {
                sorted[n++] = j->tables[i];
                taken[i] = progress = true;
            }
    }
    for (size_t i = 0; i < j->ntables; i++)
        if (!taken[i])
            sorted[n++] = j->tables[i];
    j->tables = sorted;
}

/* ---- the copy ---- */

static bool has_table(const struct job *j, const char *name)
{
    for (size_t i = 0; i < j->ntables; i++)
        if (strcmp(j->tables[i].name, name) == 0)
            return true;
    return false;
}

/* The target must hold no areas, staff or cases yet (rows its migrations seed are fine). */
static int target_fresh(struct job *j)
{
    static const char *const core[] = {"areas", "staff", "cases"};
    for (size_t i = 0; i < sizeof core / sizeof core[0]; i++) {
        if (!has_table(j, core[i]))
            continue;
        PGresult *res =
            PQexec(j->pg, arena_printf(j->a, "SELECT 1 FROM %s LIMIT 1", pg_quote(j, core[i])));
        bool ok = tr_pg_ok(j, res, "fresh"), empty = ok && PQntuples(res) == 0;
        PQclear(res);
        if (!ok)
            return -1;
        if (!empty) {
            j->err = "the target database already holds data: migrate-store fills a new, empty "
                     "database only";
            return -1;
        }
    }
    return 0;
}

/* Empties every copied table (rows seeded by the target's migrations) in one statement. */
static int truncate_all(struct job *j)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    buf_adds(&b, "TRUNCATE ");
    for (size_t i = 0; i < j->ntables; i++)
        buf_addf(&b, "%s%s", i ? ", " : "", j->tables[i].quoted_pg);
    int rc = !buf_failed(&b) && pg_run(j, buf_cstr(&b), "truncate") ? 0 : -1;
    buf_release(&b);
    return rc;
}

static int set_triggers(struct job *j, bool enable)
{
    for (size_t i = 0; i < j->ntables; i++) {
        const char *sql = arena_printf(j->a, "ALTER TABLE %s %s TRIGGER USER",
                                       j->tables[i].quoted_pg, enable ? "ENABLE" : "DISABLE");
        if (!pg_run(j, sql, "triggers"))
            return -1;
    }
    return 0;
}

/* A batch of rows for one multi-row INSERT: parameter values live in the batch's arena. */
struct batch {
    struct arena *a;
    const char **values;
    int *lengths, *formats;
    int nparams, rows;
    size_t bytes;
};

static void batch_reset(struct batch *b)
{
    if (b->a)
        arena_free(b->a);
    b->a = arena_new();
    b->nparams = b->rows = 0;
    b->bytes = 0;
}

/* One source value as a parameter of the kind the target column has. */
static void batch_value(struct batch *b, const struct column *c, sqlite3_stmt *st, int i)
{
    int n = b->nparams++, type = sqlite3_column_type(st, i);
    b->formats[n] = 0;
    b->lengths[n] = 0;
    if (type == SQLITE_NULL) {
        b->values[n] = NULL;
        return;
    }
    if (c->kind == K_BYTEA) {
        const void *p = sqlite3_column_blob(st, i);
        int len = sqlite3_column_bytes(st, i);
        char *copy = arena_alloc(b->a, (size_t)len + 1);
        if (len)
            memcpy(copy, p, (size_t)len);
        b->values[n] = copy;
        b->lengths[n] = len;
        b->formats[n] = 1;
        b->bytes += (size_t)len;
    } else if (c->kind == K_FLOAT && type == SQLITE_FLOAT) {
        b->values[n] = arena_printf(b->a, "%.17g", sqlite3_column_double(st, i));
    } else if (c->kind == K_BOOL && type == SQLITE_INTEGER) {
        b->values[n] = sqlite3_column_int64(st, i) ? "t" : "f";
    } else {
        const char *text = (const char *)sqlite3_column_text(st, i);
        b->values[n] = arena_strndup(b->a, text, (size_t)sqlite3_column_bytes(st, i));
        b->bytes += (size_t)sqlite3_column_bytes(st, i);
    }
}

/* In the batch's arena: freed with the batch, so memory does not grow with the table. */
static const char *insert_sql(struct arena *a, const struct table *t, int rows)
{
    struct buf b;
    buf_init(&b, 4 * 1024 * 1024);
    buf_addf(&b, "INSERT INTO %s (", t->quoted_pg);
    for (size_t c = 0; c < t->ncols; c++)
        buf_addf(&b, "%s%s", c ? ", " : "", t->cols[c].quoted_pg);
    buf_addf(&b, ")%s VALUES ", t->identity_always ? " OVERRIDING SYSTEM VALUE" : "");
    int p = 1;
    for (int r = 0; r < rows; r++) {
        buf_adds(&b, r ? ", (" : "(");
        for (size_t c = 0; c < t->ncols; c++)
            buf_addf(&b, "%s$%d", c ? ", " : "", p++);
        buf_addc(&b, ')');
    }
    const char *sql = buf_failed(&b) ? NULL : arena_strdup(a, buf_cstr(&b));
    buf_release(&b);
    return sql;
}

static int batch_flush(struct job *j, const struct table *t, struct batch *b)
{
    if (b->rows == 0)
        return 0;
    const char *sql = insert_sql(b->a, t, b->rows);
    if (!sql) {
        j->err = "an INSERT statement grew too long";
        return -1;
    }
    PGresult *res =
        PQexecParams(j->pg, sql, b->nparams, NULL, b->values, b->lengths, b->formats, 0);
    bool ok = tr_pg_ok(j, res, arena_printf(b->a, "insert into %s", t->name));
    PQclear(res);
    batch_reset(b);
    return ok ? 0 : -1;
}

const char *tr_select_list(struct job *j, const struct table *t, bool pg)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    for (size_t c = 0; c < t->ncols; c++)
        buf_addf(&b, "%s%s", c ? ", " : "", pg ? t->cols[c].quoted_pg : t->cols[c].quoted_sq);
    const char *out = arena_strdup(j->a, buf_cstr(&b));
    buf_release(&b);
    return out;
}

static int copy_table(struct job *j, const struct table *t, struct batch *b, long long *rows)
{
    sqlite3_stmt *st;
    const char *sql =
        arena_printf(j->a, "SELECT %s FROM %s", tr_select_list(j, t, false), t->quoted_sq);
    if (sqlite3_prepare_v2(j->sq, sql, -1, &st, NULL) != SQLITE_OK)
        return tr_sq_failed(j, "select"), -1;
    int per_batch = (int)(BATCH_PARAMS / (t->ncols ? t->ncols : 1));
    if (per_batch > BATCH_ROWS)
        per_batch = BATCH_ROWS;
    batch_reset(b);
    int rc = 0, step;
    *rows = 0;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        for (size_t c = 0; c < t->ncols; c++)
            batch_value(b, &t->cols[c], st, (int)c);
        b->rows++;
        ++*rows;
        if (b->rows == per_batch || b->bytes >= BATCH_BYTES)
            rc = batch_flush(j, t, b);
    }
    if (rc == 0 && step != SQLITE_DONE) {
        tr_sq_failed(j, "select");
        rc = -1;
    }
    if (rc == 0)
        rc = batch_flush(j, t, b);
    sqlite3_finalize(st);
    return rc;
}

/* Serial and identity columns continue after the highest copied value. */
static int fix_sequences(struct job *j, const struct table *t)
{
    for (size_t c = 0; c < t->ncols; c++) {
        const char *params[] = {t->quoted_pg, t->cols[c].name};
        PGresult *res = PQexecParams(j->pg, "SELECT pg_get_serial_sequence($1, $2)", 2, NULL,
                                     params, NULL, NULL, 0);
        bool ok = tr_pg_ok(j, res, "sequence");
        const char *seq =
            ok && !PQgetisnull(res, 0, 0) ? arena_strdup(j->a, PQgetvalue(res, 0, 0)) : NULL;
        PQclear(res);
        if (!ok)
            return -1;
        if (!seq)
            continue;
        const char *sql = arena_printf(j->a,
                                       "SELECT setval($1::regclass, (SELECT coalesce(max(%s), 0)"
                                       " + 1 FROM %s), false)",
                                       t->cols[c].quoted_pg, t->quoted_pg);
        const char *seq_param[] = {seq};
        res = PQexecParams(j->pg, sql, 1, NULL, seq_param, NULL, NULL, 0);
        ok = tr_pg_ok(j, res, "setval");
        PQclear(res);
        if (!ok)
            return -1;
    }
    return 0;
}

static int copy_all(struct job *j)
{
    if (!pg_run(j, "BEGIN", "begin"))
        return -1;
    struct batch b = {.values = arena_alloc(j->a, sizeof *b.values * BATCH_PARAMS),
                      .lengths = arena_alloc(j->a, sizeof *b.lengths * BATCH_PARAMS),
                      .formats = arena_alloc(j->a, sizeof *b.formats * BATCH_PARAMS)};
    int rc = target_fresh(j);
    if (rc == 0) /* first: the append-only tables refuse TRUNCATE through a trigger */
        rc = set_triggers(j, false);
    if (rc == 0)
        rc = truncate_all(j);
    for (size_t i = 0; rc == 0 && i < j->ntables; i++) {
        long long rows;
        rc = copy_table(j, &j->tables[i], &b, &rows);
        if (rc == 0)
            rc = fix_sequences(j, &j->tables[i]);
        if (rc == 0)
            log_info("transfer_copied", "table=%s rows=%lld", j->tables[i].name, rows);
    }
    if (b.a)
        arena_free(b.a);
    if (rc == 0)
        rc = set_triggers(j, true);
    if (rc == 0)
        rc = pg_run(j, "COMMIT", "commit") ? 0 : -1;
    if (rc != 0)
        pg_run(j, "ROLLBACK", "rollback");
    return rc;
}

/* ---- the whole job ---- */

static int compare_all(struct job *j, transfer_report_fn report, void *ctx)
{
    int differ = 0;
    for (size_t i = 0; i < j->ntables; i++) {
        struct transfer_table r = {.name = j->tables[i].name};
        if (tr_sum_source(j, &j->tables[i], &r) < 0 || tr_sum_target(j, &j->tables[i], &r) < 0)
            return -1;
        differ += r.source_rows != r.target_rows || strcmp(r.source_sum, r.target_sum) != 0;
        report(&r, ctx);
    }
    return differ;
}

int transfer_sqlite_to_postgres(const char *sqlite_path, const char *pg_url, bool copy,
                                transfer_report_fn report, void *ctx, const char **err)
{
    struct job j = {.a = arena_new()};
    int rc = open_both(&j, sqlite_path, pg_url);
    if (rc == 0)
        rc = source_current(&j);
    if (rc == 0)
        rc = list_tables(&j);
    if (rc == 0) {
        sort_tables(&j);
        if (copy)
            rc = copy_all(&j);
    }
    if (rc == 0)
        rc = compare_all(&j, report, ctx);
    if (rc < 0)
        *err = j.err ? j.err : "the transfer failed";
    close_both(&j);
    arena_free(j.a);
    return rc;
}
