/* What transfer.c and transfer_sum.c share: the job (both connections, the tables in copy
 * order with their columns) and the kinds of value a column can hold. */
#ifndef OURVOICE_TRANSFER_INTERNAL_H
#define OURVOICE_TRANSFER_INTERNAL_H

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "store/transfer.h"

/* from the target column's type; decides both the copy and the canonical rendering */
enum kind { K_TEXT, K_INT, K_FLOAT, K_BOOL, K_BYTEA, K_JSON };

struct column {
    const char *name, *quoted_sq, *quoted_pg;
    enum kind kind;
    int pk; /* position in the primary key from 1; 0: not part of it */
};

struct table {
    const char *name, *quoted_sq, *quoted_pg;
    struct column *cols;
    size_t ncols;
    const char **deps; /* tables its foreign keys name */
    size_t ndeps;
    bool identity_always; /* inserts need OVERRIDING SYSTEM VALUE */
};

struct job {
    struct arena *a;
    sqlite3 *sq;
    PGconn *pg;
    struct table *tables;
    size_t ntables;
    const char *err;
};

/* Logs a failed result's primary message (never its detail, which may quote values) and
 * sets j->err; true when the result is a success. */
bool tr_pg_ok(struct job *j, PGresult *res, const char *what);
/* Logs SQLite's message, sets j->err, returns false. */
bool tr_sq_failed(struct job *j, const char *what);
/* "c1", "c2", … quoted for PostgreSQL (pg) or SQLite */
const char *tr_select_list(struct job *j, const struct table *t, bool pg);

/* Row count and SHA-256 of a table on each side (transfer_sum.c). */
int tr_sum_source(struct job *j, const struct table *t, struct transfer_table *out);
int tr_sum_target(struct job *j, const struct table *t, struct transfer_table *out);

#endif
