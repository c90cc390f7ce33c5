/* `ourvoice migrate-store`: moves a pilot's SQLite database into a new PostgreSQL database
 * (schema by the postgres migrations, then every table copied in one transaction), and
 * proves it: per table the row count and a SHA-256 of the rows on each side. Exits 0 only
 * when every table is identical. The key file does not change: serve the new database with
 * the old key file (--keys). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"
#include "store/transfer.h"
#include "core/banned.h"

static const char usage[] =
    "usage: ourvoice migrate-store --from FILE.db --to postgresql://... [--verify-only]\n"
    "\n"
    "Moves an Our Voice SQLite database into a new, empty PostgreSQL database: creates the\n"
    "schema there, copies every table in one transaction (the full-text index is rebuilt by\n"
    "the target), sets the id sequences, then prints for each table its row count and a\n"
    "SHA-256 of its rows on both sides. Exits 0 only if every table is identical.\n"
    "Stop `ourvoice serve` on the SQLite file first. The key file stays the same: serve the\n"
    "new database with --keys FILE.db.keys.\n"
    "\n"
    "  --from FILE     the SQLite database (opened read-only)\n"
    "  --to URL        the PostgreSQL database (postgresql://user@host:port/name)\n"
    "  --verify-only   compare the two databases without copying anything\n"
    "  --help          this text\n";

struct totals {
    int tables;
    long long rows;
};

static void report_table(const struct transfer_table *t, void *ctx)
{
    struct totals *n = ctx;
    bool same = t->source_rows == t->target_rows && strcmp(t->source_sum, t->target_sum) == 0;
    printf("%-20s %10lld %10lld  %s  %s  %s\n", t->name, t->source_rows, t->target_rows,
           t->source_sum, t->target_sum, same ? "same" : "DIFFERENT");
    n->tables++;
    n->rows += t->source_rows;
}

/* The target's schema, by the postgres migrations (as `ourvoice init` would make it). */
static int prepare_target(const char *url)
{
    struct store *s;
    const char *err = NULL;
    if (store_open(url, &s, &err) != STORE_OK)
        return opt_fail(err, NULL), -1;
    int from = 0, to = 0, rc = store_migrate(s, &from, &to);
    store_close(s);
    if (rc != STORE_OK)
        return opt_fail("cannot create the schema in the target database", NULL), -1;
    printf("target schema version %d (was %d)\n", to, from);
    return 0;
}

static int run(const char *from, const char *to, bool copy)
{
    if (copy && prepare_target(to) < 0)
        return 1;
    printf("%-20s %10s %10s  %-64s  %-64s\n", "table", "sqlite", "postgres", "sha256 sqlite",
           "sha256 postgres");
    struct totals n = {0};
    const char *err = NULL;
    int differ = transfer_sqlite_to_postgres(from, to, copy, report_table, &n, &err);
    fflush(stdout);
    if (differ < 0) {
        fprintf(stderr, "ourvoice: migrate-store: %s\n", err);
        return 1;
    }
    if (differ > 0) {
        printf("%d of %d tables DIFFER\n", differ, n.tables);
        return 1;
    }
    printf("all %d tables identical (%lld rows)\n", n.tables, n.rows);
    return 0;
}

int cmd_migrate_store(int argc, char **argv)
{
    static const struct option options[] = {{"from", required_argument, NULL, 'f'},
                                            {"to", required_argument, NULL, 't'},
                                            {"verify-only", no_argument, NULL, 'v'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    const char *from = NULL, *to = NULL;
    bool copy = true;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            from = optarg;
            break;
        case 't':
            to = optarg;
            break;
        case 'v':
            copy = false;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 2;
        }
    }
    if (optind < argc)
        return opt_fail("unexpected argument", argv[optind]);
    if (!from || !to)
        return opt_fail("--from and --to are required", NULL);
    if (!store_is_postgres_url(to))
        return opt_fail("--to must be a postgresql:// URL", NULL);
    return run(from, to, copy);
}
