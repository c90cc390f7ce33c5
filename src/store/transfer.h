/* Moving a SQLite database into PostgreSQL (`ourvoice migrate-store`): every table is copied
 * into a target whose schema the postgres migrations made, in one transaction, and then each
 * table is compared on both sides by its row count and a SHA-256 over its rows in primary-key
 * order, every value rendered the same canonical way from either engine. Virtual (full-text)
 * tables and their shadow tables are not copied (the target keeps its own index), nor is
 * each engine's schema_migrations. */
#ifndef OURVOICE_TRANSFER_H
#define OURVOICE_TRANSFER_H

#include <stdbool.h>

struct transfer_table {
    const char *name;
    long long source_rows, target_rows;
    char source_sum[65], target_sum[65]; /* hex SHA-256 */
};

typedef void (*transfer_report_fn)(const struct transfer_table *t, void *ctx);

/* Copies the SQLite file into the (migrated, still empty) PostgreSQL database, sets the
 * target's sequences past the copied ids, then compares every table, calling report() once
 * per table in copy order. With copy false it only compares. Returns how many tables differ
 * (0: identical), or -1 with *err set to a static message (the target is then unchanged). */
int transfer_sqlite_to_postgres(const char *sqlite_path, const char *pg_url, bool copy,
                                transfer_report_fn report, void *ctx, const char **err);

#endif
