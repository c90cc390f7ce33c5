/* PostgreSQL helpers (see postgres_internal.h): parameters, statements prepared once per
 * connection, SQLSTATE to store_status, and column readers that give back what the SQLite
 * engine's readers give (NULL text as NULL, an empty bytea as NULL, flags as bool). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "store/postgres_internal.h"
#include "core/text.h"
#include "core/banned.h"

/* The OID of type text (catalog/pg_type.h is not among libpq's client headers). */
#define TEXT_OID 25

/* ---- parameters ---- */

static void param_at(struct pg_params *p, int i, const char *v, int len, int format)
{
    if (i < 1 || i > PG_MAX_PARAMS)
        return;
    p->values[i - 1] = v;
    p->lengths[i - 1] = len;
    p->formats[i - 1] = format;
    if (i > p->n)
        p->n = i;
}

void pg_text(struct pg_params *p, int i, const char *v)
{
    param_at(p, i, v, 0, 0);
}

void pg_int(struct pg_params *p, int i, long long v)
{
    if (i < 1 || i > PG_MAX_PARAMS)
        return;
    snprintf(p->ints[i - 1], sizeof p->ints[i - 1], "%lld", v);
    param_at(p, i, p->ints[i - 1], 0, 0);
}

void pg_id(struct pg_params *p, int i, int64_t id)
{
    if (id)
        pg_int(p, i, id);
    else
        param_at(p, i, NULL, 0, 0);
}

void pg_opt_int(struct pg_params *p, int i, int v, int none)
{
    if (v == none)
        param_at(p, i, NULL, 0, 0);
    else
        pg_int(p, i, v);
}

void pg_blob(struct pg_params *p, int i, const void *data, size_t len)
{
    param_at(p, i, data, (int)len, 1);
}

/* ---- errors ---- */

static bool state_is(const char *state, const char *prefix)
{
    return state && strncmp(state, prefix, strlen(prefix)) == 0;
}

/* Serialization failures, deadlocks, lock timeouts and lost connections may succeed when
 * tried again; every integrity violation is a conflict, as SQLITE_CONSTRAINT is. */
static int status_of_state(const char *state)
{
    if (state_is(state, "40001") || state_is(state, "40P01") || state_is(state, "55P03") ||
        state_is(state, "08") || state_is(state, "57P01"))
        return STORE_RETRY;
    if (state_is(state, "23"))
        return STORE_CONFLICT;
    return STORE_FAILED;
}

/* After a lost connection: reconnect once; the statements must be prepared again. A
 * transaction that was open is gone: until the caller ends it (rollback, or a commit that
 * then fails), statements are refused rather than run outside it. */
static void recover(struct pg_store *s)
{
    if (PQstatus(s->conn) != CONNECTION_BAD)
        return;
    log_warn("postgres_reconnect", "in_transaction=%s", s->in_tx ? "yes" : "no");
    PQreset(s->conn);
    pg_forget_statements(s);
    s->lost_tx = s->in_tx;
    s->reconnected = PQstatus(s->conn) == CONNECTION_OK;
}

/* The status of a failed result (NULL: no result at all). The log line names the SQLSTATE
 * and the table or constraint, never the values: messages may quote the input. */
int pg_failed(struct pg_store *s, PGresult *r, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    int status = state ? status_of_state(state) : STORE_RETRY;
    recover(s);
    if (status == STORE_FAILED || !state) {
        const char *table = r ? PQresultErrorField(r, PG_DIAG_TABLE_NAME) : NULL;
        const char *constraint = r ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : NULL;
        log_error("postgres_error", "op=%s state=%s table=%s constraint=%s", what,
                  state ? state : "none", table ? table : "-", constraint ? constraint : "-");
    }
    return status;
}

/* ---- statements ---- */

void pg_forget_statements(struct pg_store *s)
{
    s->nstmts = 0;
}

/* Which of $1..$PG_MAX_PARAMS the SQL text names; returns the highest. Our statements hold
 * no '$' in literals. */
static int parameters_named(const char *sql, bool named[PG_MAX_PARAMS])
{
    int highest = 0;
    memset(named, 0, PG_MAX_PARAMS * sizeof *named);
    for (const char *c = strchr(sql, '$'); c; c = strchr(c + 1, '$')) {
        long n = strtol(c + 1, NULL, 10);
        if (n >= 1 && n <= PG_MAX_PARAMS) {
            named[n - 1] = true;
            highest = n > highest ? (int)n : highest;
        }
    }
    return highest;
}

/* Prepares the statement once. A parameter the text skips (a scope's statement may not
 * use them all) is declared text, so that every statement takes the same numbering. */
static int prepare(struct pg_store *s, const char *sql, const char *name, int *nparams)
{
    bool named[PG_MAX_PARAMS];
    Oid types[PG_MAX_PARAMS];
    *nparams = parameters_named(sql, named);
    for (int i = 0; i < *nparams; i++)
        types[i] = named[i] ? 0 : TEXT_OID;
    PGresult *r = PQprepare(s->conn, name, sql, *nparams, types);
    int rc = r && PQresultStatus(r) == PGRES_COMMAND_OK ? STORE_OK : pg_failed(s, r, "prepare");
    PQclear(r);
    return rc;
}

static int statement(struct pg_store *s, const char *sql, char name[16], int *nparams)
{
    size_t i = 0;
    while (i < s->nstmts && s->stmts[i].sql != sql)
        i++;
    snprintf(name, 16, "ov%zu", i);
    if (i < s->nstmts) {
        *nparams = s->stmts[i].nparams;
        return STORE_OK;
    }
    if (s->nstmts == PG_MAX_STATEMENTS) {
        log_error("postgres_error", "op=prepare msg=\"statement cache full\"");
        return STORE_FAILED;
    }
    int rc = prepare(s, sql, name, nparams);
    if (rc == STORE_OK) {
        s->stmts[s->nstmts].sql = sql;
        s->stmts[s->nstmts++].nparams = *nparams;
    }
    return rc;
}

static int exec_once(struct pg_store *s, const char *sql, const struct pg_params *p,
                     const char *what, PGresult **out)
{
    char name[16];
    int nparams;
    *out = NULL;
    if (s->lost_tx)
        return STORE_RETRY;
    int rc = statement(s, sql, name, &nparams);
    if (rc != STORE_OK)
        return rc;
    if (p->n > nparams) {
        log_error("postgres_error", "op=%s msg=\"more parameters than the statement names\"", what);
        return STORE_FAILED;
    }
    /* parameters after the last one set are NULL (the list starts zeroed) */
    PGresult *r = PQexecPrepared(s->conn, name, nparams, p->values, p->lengths, p->formats, 0);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        rc = pg_failed(s, r, what);
        PQclear(r);
        return rc;
    }
    *out = r;
    return STORE_OK;
}

/* Outside a transaction, a statement the lost connection refused runs once more on the new
 * one (inside, the transaction is gone: see recover()). */
int pg_exec(struct pg_store *s, const char *sql, const struct pg_params *p, const char *what,
            PGresult **out)
{
    static const struct pg_params none = {0};
    if (!p)
        p = &none;
    s->reconnected = false;
    int rc = exec_once(s, sql, p, what, out);
    if (rc == STORE_RETRY && s->reconnected && !s->in_tx)
        rc = exec_once(s, sql, p, what, out);
    return rc;
}

/* Reads every result of the query that was sent; the status is the first failure's. */
static int stream_results(struct pg_store *s, const char *what, pg_row_fn each, void *ctx)
{
    int rc = STORE_OK;
    PGresult *r;
    while ((r = PQgetResult(s->conn))) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE && rc == STORE_OK)
            each(r, ctx);
        else if (st != PGRES_TUPLES_OK && st != PGRES_SINGLE_TUPLE && rc == STORE_OK)
            rc = pg_failed(s, r, what);
        PQclear(r);
    }
    return rc;
}

int pg_stream(struct pg_store *s, const char *sql, const struct pg_params *p, const char *what,
              pg_row_fn each, void *ctx)
{
    char name[16];
    int nparams;
    if (s->lost_tx)
        return STORE_RETRY;
    int rc = statement(s, sql, name, &nparams);
    if (rc != STORE_OK)
        return rc;
    if (p->n > nparams ||
        !PQsendQueryPrepared(s->conn, name, nparams, p->values, p->lengths, p->formats, 0))
        return pg_failed(s, NULL, what);
    if (!PQsetSingleRowMode(s->conn))
        log_warn("postgres_single_row_mode", "op=%s", what); /* still correct, all at once */
    return stream_results(s, what, each, ctx);
}

int pg_run(struct pg_store *s, const char *sql, const struct pg_params *p, const char *what,
           long long *changed)
{
    PGresult *r;
    int rc = pg_exec(s, sql, p, what, &r);
    if (rc != STORE_OK)
        return rc;
    if (changed)
        *changed = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return STORE_OK;
}

int pg_collect(struct pg_store *s, const char *sql, const struct pg_params *p, struct arena *a,
               size_t size, pg_row_reader read, void **items, size_t *count)
{
    PGresult *r;
    *items = NULL;
    *count = 0;
    int rc = pg_exec(s, sql, p, "query", &r);
    if (rc != STORE_OK)
        return rc;
    int rows = PQntuples(r);
    if (rows > 0) {
        *items = arena_zalloc(a, (size_t)rows * size);
        for (int i = 0; i < rows; i++)
            read(r, i, a, (char *)*items + (size_t)i * size);
    }
    *count = (size_t)rows;
    PQclear(r);
    return STORE_OK;
}

int pg_one(struct pg_store *s, const char *sql, const struct pg_params *p, struct arena *a,
           size_t size, pg_row_reader read, void *out)
{
    void *items;
    size_t count;
    int rc = pg_collect(s, sql, p, a, size, read, &items, &count);
    if (rc != STORE_OK)
        return rc;
    if (count == 0)
        return STORE_NOT_FOUND;
    memcpy(out, items, size);
    return STORE_OK;
}

int pg_scalar(struct pg_store *s, const char *sql, const struct pg_params *p, const char *what,
              long long *value)
{
    PGresult *r;
    *value = 0;
    int rc = pg_exec(s, sql, p, what, &r);
    if (rc != STORE_OK)
        return rc;
    rc = PQntuples(r) > 0 ? STORE_OK : STORE_NOT_FOUND;
    if (rc == STORE_OK)
        *value = pg_col_int(r, 0, 0);
    PQclear(r);
    return rc;
}

int pg_simple(struct pg_store *s, const char *sql, const char *what)
{
    if (s->lost_tx)
        return STORE_RETRY;
    PGresult *r = PQexec(s->conn, sql);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? STORE_OK : pg_failed(s, r, what);
    PQclear(r);
    return rc;
}

/* ---- columns ---- */

const char *pg_col_text(PGresult *r, int row, int col, struct arena *a)
{
    if (PQgetisnull(r, row, col))
        return NULL;
    return arena_strndup(a, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

long long pg_col_int(PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return 0;
    const char *v = PQgetvalue(r, row, col);
    if (v[0] == 't' || v[0] == 'f') /* a boolean expression */
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

int pg_col_opt_int(PGresult *r, int row, int col, int none)
{
    return PQgetisnull(r, row, col) ? none : (int)pg_col_int(r, row, col);
}

bool pg_col_bool(PGresult *r, int row, int col)
{
    return pg_col_int(r, row, col) != 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* bytea in hex output ("\x0a1b…") into out, which holds len / 2 bytes; false if malformed. */
static bool unhex(const char *text, size_t len, unsigned char *out, size_t *n)
{
    *n = 0;
    if (len < 2 || text[0] != '\\' || text[1] != 'x' || len % 2)
        return false;
    for (size_t i = 2; i < len; i += 2) {
        int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[(*n)++] = (unsigned char)(hi << 4 | lo);
    }
    return true;
}

const unsigned char *pg_col_blob(PGresult *r, int row, int col, struct arena *a, size_t *len)
{
    *len = 0;
    if (PQgetisnull(r, row, col))
        return NULL;
    size_t text_len = (size_t)PQgetlength(r, row, col);
    if (text_len <= 2) /* empty: NULL, as sqlite3_column_blob() gives */
        return NULL;
    unsigned char *out = arena_alloc(a, text_len / 2);
    if (!unhex(PQgetvalue(r, row, col), text_len, out, len)) {
        *len = 0;
        return NULL;
    }
    return out;
}

void pg_col_hash(PGresult *r, int row, int col, unsigned char *out, size_t n)
{
    memset(out, 0, n);
    size_t text_len = (size_t)PQgetlength(r, row, col);
    unsigned char tmp[128];
    size_t got;
    if (PQgetisnull(r, row, col) || text_len != 2 + 2 * n || n > sizeof tmp)
        return;
    if (unhex(PQgetvalue(r, row, col), text_len, tmp, &got) && got == n)
        memcpy(out, tmp, n);
}

void pg_read_office(PGresult *r, int row, struct arena *a, void *item)
{
    struct office *o = item;
    o->id = pg_col_int(r, row, 0);
    o->code = pg_col_text(r, row, 1, a);
    o->kind = pg_col_text(r, row, 2, a);
    o->area_code = pg_col_text(r, row, 3, a);
    o->name_km = pg_col_text(r, row, 4, a);
    o->name_en = pg_col_text(r, row, 5, a);
    o->active = pg_col_bool(r, row, 6);
}

void pg_read_service(PGresult *r, int row, struct arena *a, void *item)
{
    struct service *sv = item;
    sv->code = pg_col_text(r, row, 0, a);
    sv->office_kind = pg_col_text(r, row, 1, a);
    sv->sector = pg_col_text(r, row, 2, a);
    sv->name_km = pg_col_text(r, row, 3, a);
    sv->name_en = pg_col_text(r, row, 4, a);
    sv->fee_khr = PQgetisnull(r, row, 5) ? -1 : pg_col_int(r, row, 5);
    sv->days = pg_col_opt_int(r, row, 6, -1);
    sv->placeholder = pg_col_bool(r, row, 7);
    sv->source = pg_col_text(r, row, 8, a);
    sv->active = pg_col_bool(r, row, 9);
}

/* ---- text ---- */

const char *pg_substring_pattern(struct arena *a, const char *q)
{
    struct buf b;
    buf_init(&b, 2 * strlen(q) + 3);
    buf_addc(&b, '%');
    text_like_escape(q, &b);
    buf_addc(&b, '%');
    char *out = arena_strdup(a, buf_cstr(&b));
    buf_release(&b);
    return out;
}
