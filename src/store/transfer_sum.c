/* Per-table checksums for the transfer (transfer.h): the rows in primary-key order (every
 * column when there is no key; text compared byte by byte and NULLs first on both sides),
 * each value rendered canonically by the target column's kind — integers in decimal, floats
 * as %.17g, booleans as t/f, bytes as lowercase hex, JSON compact with sorted keys, text as
 * it is — and framed (NULL marker, or length and bytes) into one SHA-256 per table. */
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "store/transfer_internal.h"
#include "core/banned.h"

#define VALUE_MAX ((size_t)64 * 1024 * 1024) /* a 24 MiB attachment as hex fits */

struct digest {
    crypto_hash_sha256_state st;
    long long rows;
    struct buf value;
};

static void digest_init(struct digest *d)
{
    crypto_hash_sha256_init(&d->st);
    d->rows = 0;
    buf_init(&d->value, VALUE_MAX);
}

static void digest_null(struct digest *d)
{
    unsigned char marker = 0;
    crypto_hash_sha256_update(&d->st, &marker, 1);
}

/* adds d->value, framed by its length */
static void digest_value(struct digest *d)
{
    unsigned char head[9] = {1};
    uint64_t n = d->value.len;
    for (int i = 0; i < 8; i++)
        head[1 + i] = (unsigned char)(n >> (8 * i));
    crypto_hash_sha256_update(&d->st, head, sizeof head);
    crypto_hash_sha256_update(&d->st, (const unsigned char *)buf_cstr(&d->value), d->value.len);
    buf_reset(&d->value);
}

static void digest_final(struct digest *d, long long *rows, char hex[65])
{
    unsigned char sum[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&d->st, sum);
    sodium_bin2hex(hex, 65, sum, sizeof sum);
    *rows = d->rows;
    buf_release(&d->value);
}

/* ---- canonical values ---- */

static void canon_hex(struct buf *out, const unsigned char *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        buf_addc(out, digits[p[i] >> 4]);
        buf_addc(out, digits[p[i] & 15]);
    }
}

static void canon_float(struct buf *out, double v)
{
    buf_addf(out, "%.17g", v);
}

static void canon_bool_text(struct buf *out, const char *text)
{
    bool yes = (text[0] && strchr("tTyY1", text[0])) || strcasecmp(text, "on") == 0;
    buf_addc(out, yes ? 't' : 'f');
}

static void canon_json(struct buf *out, const char *text, size_t n)
{
    json_t *doc = json_loadb(text, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    char *dump = doc ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
    if (dump)
        buf_adds(out, dump);
    else
        buf_add(out, text, n);
    free(dump);
    json_decref(doc);
}

/* A value as PostgreSQL's text output gives it (bytea in hex). */
static void canon_pg(struct buf *out, enum kind k, const char *text, size_t n)
{
    switch (k) {
    case K_BYTEA:
        if (n >= 2 && text[0] == '\\' && text[1] == 'x')
            buf_add(out, text + 2, n - 2);
        else
            buf_add(out, text, n);
        break;
    case K_FLOAT:
        canon_float(out, strtod(text, NULL));
        break;
    case K_BOOL:
        canon_bool_text(out, text);
        break;
    case K_JSON:
        canon_json(out, text, n);
        break;
    default:
        buf_add(out, text, n);
    }
}

/* Column i of a SQLite row, whatever its storage class, rendered as canon_pg renders the
 * target's copy of it. */
static void canon_sq(struct buf *out, enum kind k, sqlite3_stmt *st, int i)
{
    int type = sqlite3_column_type(st, i);
    if (k == K_BYTEA) {
        const void *p = sqlite3_column_blob(st, i);
        canon_hex(out, p, (size_t)sqlite3_column_bytes(st, i));
        return;
    }
    if (k == K_FLOAT && type == SQLITE_FLOAT) {
        canon_float(out, sqlite3_column_double(st, i));
        return;
    }
    if (k == K_BOOL && type == SQLITE_INTEGER) {
        buf_addc(out, sqlite3_column_int64(st, i) ? 't' : 'f');
        return;
    }
    const char *text = (const char *)sqlite3_column_text(st, i);
    canon_pg(out, k, text ? text : "", (size_t)sqlite3_column_bytes(st, i));
}

/* ---- ORDER BY ---- */

static bool in_order(const struct table *t, const struct column *c)
{
    bool keyed = false;
    for (size_t i = 0; i < t->ncols; i++)
        keyed |= t->cols[i].pk > 0;
    return !keyed || c->pk > 0;
}

/* The key columns by key position (every column when there is no key). */
static const char *order_by(struct job *j, const struct table *t, bool pg)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    int max_pk = 0;
    for (size_t i = 0; i < t->ncols; i++)
        max_pk = t->cols[i].pk > max_pk ? t->cols[i].pk : max_pk;
    for (int pos = max_pk ? 1 : 0; pos <= max_pk; pos++) {
        for (size_t i = 0; i < t->ncols; i++) {
            const struct column *c = &t->cols[i];
            if (!in_order(t, c) || (max_pk && c->pk != pos))
                continue;
            buf_adds(&b, b.len ? ", " : " ORDER BY ");
            if (!pg)
                buf_addf(&b, "%s", c->quoted_sq);
            else if (c->kind == K_TEXT || c->kind == K_JSON)
                buf_addf(&b, "%s::text COLLATE \"C\" NULLS FIRST", c->quoted_pg);
            else
                buf_addf(&b, "%s NULLS FIRST", c->quoted_pg);
        }
    }
    const char *out = arena_strdup(j->a, buf_cstr(&b));
    buf_release(&b);
    return out;
}

/* ---- each side ---- */

int tr_sum_source(struct job *j, const struct table *t, struct transfer_table *out)
{
    const char *sql = arena_printf(j->a, "SELECT %s FROM %s%s", tr_select_list(j, t, false),
                                   t->quoted_sq, order_by(j, t, false));
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(j->sq, sql, -1, &st, NULL) != SQLITE_OK)
        return tr_sq_failed(j, "checksum"), -1;
    struct digest d;
    digest_init(&d);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        for (size_t c = 0; c < t->ncols; c++) {
            if (sqlite3_column_type(st, (int)c) == SQLITE_NULL) {
                digest_null(&d);
                continue;
            }
            canon_sq(&d.value, t->cols[c].kind, st, (int)c);
            digest_value(&d);
        }
        d.rows++;
    }
    sqlite3_finalize(st);
    bool failed = buf_failed(&d.value);
    digest_final(&d, &out->source_rows, out->source_sum);
    if (step != SQLITE_DONE)
        return tr_sq_failed(j, "checksum"), -1;
    if (failed) {
        j->err = "a value is too large to compare";
        return -1;
    }
    return 0;
}

static void sum_pg_row(struct digest *d, const struct table *t, PGresult *res)
{
    for (size_t c = 0; c < t->ncols; c++) {
        if (PQgetisnull(res, 0, (int)c)) {
            digest_null(d);
            continue;
        }
        canon_pg(&d->value, t->cols[c].kind, PQgetvalue(res, 0, (int)c),
                 (size_t)PQgetlength(res, 0, (int)c));
        digest_value(d);
    }
    d->rows++;
}

int tr_sum_target(struct job *j, const struct table *t, struct transfer_table *out)
{
    const char *sql = arena_printf(j->a, "SELECT %s FROM %s%s", tr_select_list(j, t, true),
                                   t->quoted_pg, order_by(j, t, true));
    /* one row at a time: a table of attachments need not fit in memory */
    if (!PQsendQueryParams(j->pg, sql, 0, NULL, NULL, NULL, NULL, 0) ||
        !PQsetSingleRowMode(j->pg)) {
        j->err = "cannot read the PostgreSQL database";
        return -1;
    }
    struct digest d;
    digest_init(&d);
    bool ok = true;
    PGresult *res;
    while ((res = PQgetResult(j->pg))) {
        if (PQresultStatus(res) == PGRES_SINGLE_TUPLE)
            sum_pg_row(&d, t, res);
        else if (ok)
            ok = tr_pg_ok(j, res, "checksum");
        PQclear(res);
    }
    ok &= !buf_failed(&d.value);
    digest_final(&d, &out->target_rows, out->target_sum);
    if (!ok && !j->err)
        j->err = "a value is too large to compare";
    return ok ? 0 : -1;
}
