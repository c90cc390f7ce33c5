/* `ourvoice serve`: checks the database is migrated, then runs the HTTP server. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/routes.h"
#include "jobs/jobs.h"
#include "cli/cli.h"
#include "core/crypto.h"
#include "core/limits.h"
#include "core/log.h"
#include "http/server.h"
#include "store/store.h"
#include "core/banned.h"

static const char usage[] =
    "usage: ourvoice serve [options]\n"
    "\n"
    "Serves the web apps and the HTTP API.\n"
    "\n"
    "  --db FILE|URL     database (env OURVOICE_DB; required; run `ourvoice init` first)\n"
    "  --keys FILE       key file (env OURVOICE_KEYS; default DB.keys)\n"
    "  --db-read URL     a read replica of the database for public reads and statistics\n"
    "                    (env OURVOICE_DB_READ; default none: everything goes to --db)\n"
    "  --port N          TCP port, 0 for any free one (env OURVOICE_PORT; default 8080)\n"
    "  --bind ADDR       address to listen on (env OURVOICE_BIND; default 127.0.0.1)\n"
    "  --web DIR         web apps folder (env OURVOICE_WEB; default the source tree's web/)\n"
    "  --data DIR        reference data folder; its geo/ holds the dashboard's maps\n"
    "                    (env OURVOICE_DATA; default the source tree's data/)\n"
    "  --loops N         event loops (env OURVOICE_LOOPS; default one per core)\n"
    "  --workers N       worker threads for slow work (env OURVOICE_WORKERS; default one per "
    "core)\n"
    "  --max-body BYTES  largest JSON request body (env OURVOICE_MAX_BODY; default 1048576)\n"
    "  --stats-cache S   seconds a public statistics answer is kept and reused, 0 for none\n"
    "                    (env OURVOICE_STATS_CACHE; default 60)\n"
    "  --test-hooks      enable the endpoints the test suite uses (never in production)\n"
    "  --quiet           log warnings and errors only\n"
    "  --help            this text\n";

int cmd_serve(int argc, char **argv)
{
    static const struct option options[] = {{"db", required_argument, NULL, 'd'},
                                            {"port", required_argument, NULL, 'p'},
                                            {"bind", required_argument, NULL, 'b'},
                                            {"web", required_argument, NULL, 'w'},
                                            {"loops", required_argument, NULL, 'l'},
                                            {"workers", required_argument, NULL, 'k'},
                                            {"max-body", required_argument, NULL, 'm'},
                                            {"test-hooks", no_argument, NULL, 't'},
                                            {"quiet", no_argument, NULL, 'q'},
                                            {"keys", required_argument, NULL, 'K'},
                                            {"data", required_argument, NULL, 'D'},
                                            {"db-read", required_argument, NULL, 'R'},
                                            {"stats-cache", required_argument, NULL, 'S'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    struct server_config cfg = {
        .db_url = opt_env("OURVOICE_DB", NULL),
        .db_read_url = opt_env("OURVOICE_DB_READ", NULL),
        .bind = opt_env("OURVOICE_BIND", "127.0.0.1"),
        .web_dir = opt_env("OURVOICE_WEB", DEFAULT_WEB_DIR),
        .authenticate = api_authenticate,
        .start_jobs = jobs_start,
        .stop_jobs = jobs_stop,
    };
    const char *port = opt_env("OURVOICE_PORT", "8080");
    const char *loops = opt_env("OURVOICE_LOOPS", "0");
    const char *workers = opt_env("OURVOICE_WORKERS", "0");
    const char *max_body = opt_env("OURVOICE_MAX_BODY", "1048576");
    const char *stats_cache = opt_env("OURVOICE_STATS_CACHE", "60");
    const char *keys = NULL;
    const char *data_dir = opt_env("OURVOICE_DATA", DEFAULT_DATA_DIR);
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            cfg.db_url = optarg;
            break;
        case 'p':
            port = optarg;
            break;
        case 'b':
            cfg.bind = optarg;
            break;
        case 'w':
            cfg.web_dir = optarg;
            break;
        case 'l':
            loops = optarg;
            break;
        case 'k':
            workers = optarg;
            break;
        case 'm':
            max_body = optarg;
            break;
        case 't':
            cfg.test_hooks = true;
            break;
        case 'q':
            log_set_level(LOG_WARN);
            break;
        case 'K':
            keys = optarg;
            break;
        case 'R':
            cfg.db_read_url = optarg;
            break;
        case 'D':
            data_dir = optarg;
            break;
        case 'S':
            stats_cache = optarg;
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
    if (!cfg.db_url)
        return opt_fail("--db is required", NULL);
    long v;
    if (opt_int(port, 0, 65535, "--port", &v) < 0)
        return 2;
    cfg.port = (int)v;
    if (opt_int(loops, 0, LIMIT_LOOPS, "--loops", &v) < 0)
        return 2;
    cfg.loops = (int)v;
    if (opt_int(workers, 0, LIMIT_WORKERS, "--workers", &v) < 0)
        return 2;
    cfg.workers = (int)v;
    if (opt_int(max_body, 1024, LIMIT_BODY_ABSOLUTE, "--max-body", &v) < 0)
        return 2;
    cfg.max_body = (size_t)v;
    if (opt_int(stats_cache, 0, LIMIT_STATS_CACHE_SECONDS, "--stats-cache", &v) < 0)
        return 2;
    cfg.stats_cache_seconds = (int)v;

    const char *err = NULL;
    if (crypto_keys_load(opt_keys_path(keys, cfg.db_url), false, &err) < 0)
        return opt_fail(err, NULL), 1;
    struct store *s;
    if (store_open(cfg.db_url, &s, &err) != STORE_OK)
        return opt_fail(err, NULL), 1;
    long long areas = 0;
    int version = 0, latest = 0;
    int rc = store_area_count(s, NULL, &areas);
    if (rc == STORE_OK)
        rc = store_schema_version(s, &version, &latest);
    store_close(s);
    if (rc != STORE_OK || areas == 0)
        return opt_fail("the database is not initialised; run `ourvoice init --db FILE` first",
                        NULL),
               1;
    if (version < latest) {
        fprintf(stderr,
                "ourvoice: the database is at migration %d and this program at %d; run "
                "`ourvoice init --db …` to migrate it first\n",
                version, latest);
        return 1;
    }
    if (version > latest) /* a rolling upgrade: a newer node migrated it */
        log_warn("schema_newer", "database=%d program=%d", version, latest);
    cfg.data_dir = data_dir; /* the dashboard's maps come from there, not copied into web/ */
    if (cfg.test_hooks)
        log_warn("test_hooks_enabled", "note=\"test endpoints are on; never in production\"");
    int status = server_run(&cfg, &api_routes);
    crypto_keys_release();
    return status;
}
