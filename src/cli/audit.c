/* `ourvoice audit verify`: recomputes the audit log's hash chain and says whether it is
 * intact (exit 0) or where it breaks (exit 1). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/audit.h"
#include "store/store.h"
#include "core/banned.h"

static const char usage[] = "usage: ourvoice audit verify --db FILE\n"
                            "\n"
                            "Checks that no audit entry was changed, removed or inserted.\n";

int cmd_audit(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *db = opt_env("OURVOICE_DB", NULL);
    if (argc < 2 || strcmp(argv[1], "verify") != 0) {
        fputs(usage, argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
        return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
    }
    argc--, argv++;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 2;
        }
    }
    if (!db)
        return opt_fail("--db is required", NULL);
    struct store *s;
    const char *err = NULL;
    if (store_open(db, &s, &err) != STORE_OK)
        return opt_fail(err, opt_db_shown(db)), 1;
    struct audit_report report;
    int rc = audit_verify(s, &report);
    store_close(s);
    if (rc != STORE_OK) {
        fprintf(stderr, "ourvoice: cannot read the audit log\n");
        return 1;
    }
    if (report.first_bad_id) {
        printf("audit log BROKEN at entry %lld (%lld entries checked)\n",
               (long long)report.first_bad_id, (long long)report.entries);
        return 1;
    }
    printf("audit log intact: %lld entries\n", (long long)report.entries);
    return 0;
}
