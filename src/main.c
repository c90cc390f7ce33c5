/* ourvoice: the command line of Our Voice, the citizen feedback and complaint system for
 * Cambodia's sub-national public services. Dispatches to the subcommands in src/cli/. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/crypto.h"
#include "core/banned.h"

static const char usage[] =
    "usage: ourvoice COMMAND [options]   (ourvoice COMMAND --help for each)\n"
    "\n"
    "  init     create or migrate the database and load the reference data\n"
    "  serve    serve the web apps and the HTTP API\n"
    "  user     add, list, disable, enable and reset staff accounts\n"
    "  audit    verify the audit log's hash chain\n"
    "  migrate-store  move a SQLite database into PostgreSQL and compare them\n"
    "  stats    rebuild or check the statistics roll-ups\n"
    "  seed     add synthetic cases (demos and benchmarks)\n"
    "  report   print a dialogue report to PDF\n"
    "  version  print the version\n";

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (crypto_init() < 0) {
        fputs("ourvoice: the crypto library cannot start\n", stderr);
        return 1;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("ourvoice %s\n", OURVOICE_VERSION);
        return 0;
    }
    if (strcmp(cmd, "init") == 0)
        return cmd_init(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "user") == 0)
        return cmd_user(argc - 1, argv + 1);
    if (strcmp(cmd, "audit") == 0)
        return cmd_audit(argc - 1, argv + 1);
    if (strcmp(cmd, "migrate-store") == 0)
        return cmd_migrate_store(argc - 1, argv + 1);
    if (strcmp(cmd, "stats") == 0)
        return cmd_stats(argc - 1, argv + 1);
    if (strcmp(cmd, "seed") == 0)
        return cmd_seed(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 1, argv + 1);
    fprintf(stderr, "ourvoice: unknown command (try `ourvoice --help`)\n");
    return 2;
}
