/* `ourvoice stats rebuild|check`: refills the statistics roll-ups from the cases, or
 * compares them with a full recount (exit 1 when they differ). docs/statistics.md. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"
#include "core/banned.h"

static const char usage[] =
    "usage: ourvoice stats rebuild|check --db FILE|URL\n"
    "\n"
    "  rebuild  recompute the statistics roll-up tables from the cases\n"
    "  check    compare the roll-up tables with a full recount of the cases\n"
    "  (env OURVOICE_DB for --db)\n";

static int rebuild(struct store *s, void *ctx)
{
    (void)ctx;
    return store_stats_rebuild(s);
}

static int run(const char *verb, const char *db)
{
    struct store *s;
    const char *err = NULL;
    if (store_open(db, &s, &err) != STORE_OK)
        return opt_fail(err, opt_db_shown(db)), 1;
    int rc, exit_code = 0;
    if (strcmp(verb, "rebuild") == 0) {
        rc = store_tx(s, rebuild, NULL);
        if (rc == STORE_OK)
            printf("statistics rebuilt\n");
    } else {
        long long differences = 0;
        rc = store_stats_check(s, &differences);
        if (rc == STORE_OK) {
            printf("statistics %s: %lld roll-up rows differ from a full recount\n",
                   differences ? "DIFFER" : "agree", differences);
            exit_code = differences ? 1 : 0;
        }
    }
    store_close(s);
    if (rc != STORE_OK) {
        fprintf(stderr, "ourvoice: the statistics could not be %s\n",
                strcmp(verb, "rebuild") == 0 ? "rebuilt" : "checked");
        return 1;
    }
    return exit_code;
}

int cmd_stats(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *db = opt_env("OURVOICE_DB", NULL);
    bool known = argc >= 2 && (strcmp(argv[1], "rebuild") == 0 || strcmp(argv[1], "check") == 0);
    if (!known) {
        bool help = argc >= 2 && strcmp(argv[1], "--help") == 0;
        fputs(usage, help ? stdout : stderr);
        return help ? 0 : 2;
    }
    const char *verb = argv[1];
    argc--, argv++;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'd') {
            db = optarg;
        } else {
            fputs(usage, c == 'h' ? stdout : stderr);
            return c == 'h' ? 0 : 2;
        }
    }
    if (!db)
        return opt_fail("--db is required", NULL);
    return run(verb, db);
}
