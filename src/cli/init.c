/* `ourvoice init`: creates or migrates the database and loads the reference data; with
 * --demo also an office of each kind wherever one can exist and a few staff accounts whose
 * passwords it prints once. Running it again changes nothing. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/crypto.h"
#include "core/log.h"
#include "domain/gazetteer_load.h"
#include "domain/staff.h"
#include "domain/totp.h"
#include "store/store.h"
#include "core/banned.h"

static const char usage[] =
    "usage: ourvoice init --db FILE [--demo] [--data DIR]\n"
    "\n"
    "Creates or migrates the database and loads the gazetteer, the services catalogue and\n"
    "the public holidays. Safe to run again: what is loaded already is left as it is.\n"
    "\n"
    "  --db FILE|URL  database (env OURVOICE_DB)\n"
    "  --keys FILE    key file, created if missing (env OURVOICE_KEYS; default DB.keys);\n"
    "                 keep it secret and outside the database's backups\n"
    "  --data DIR     reference data folder (env OURVOICE_DATA; default the source tree's data/)\n"
    "  --demo         also create demo offices (every commune, district and province, and the\n"
    "                 ministry) and demo staff accounts, printing their passwords once\n"
    "  --help         this text\n";

static const struct {
    const char *login, *name, *role, *office;
} demo_staff[] = {
    {"officer.120101", "Demo Officer, Tonle Basak Sangkat", "officer", "C-120101"},
    {"head.120101", "Demo Head, Tonle Basak Sangkat", "head", "C-120101"},
    {"ccwc.120101", "Demo CCWC Focal Point, Tonle Basak", "ccwc", "C-120101"},
    {"officer.owso.1201", "Demo Officer, OWSO Chamkar Mon", "officer", "OWSO-1201"},
    {"ombudsman.1201", "Demo District Ombudsman, Chamkar Mon", "ombudsman", "DO-1201"},
    {"ombudsman.12", "Demo Capital Ombudsman, Phnom Penh", "ombudsman", "PO-12"},
    {"padmin.12", "Demo Provincial Admin, Phnom Penh", "provincial_admin", "OWSU-12"},
    {"admin", "Demo National Admin", "national_admin", "MOI"},
    {"analyst", "Demo Analyst", "analyst", NULL},
};

static int create_demo_staff(struct store *s)
{
    printf("demo staff accounts (passwords are shown only when an account is created):\n");
    for (size_t i = 0; i < sizeof demo_staff / sizeof demo_staff[0]; i++) {
        struct arena *a = arena_new();
        struct office office = {.id = 0};
        int rc = demo_staff[i].office ? store_office_by_code(s, a, demo_staff[i].office, &office)
                                      : STORE_OK;
        char password[17];
        staff_random_password(password, sizeof password);
        bool created = false;
        if (rc == STORE_OK)
            rc = staff_create(s, demo_staff[i].login, demo_staff[i].name, demo_staff[i].role,
                              office.id, password, &created);
        unsigned char secret[TOTP_SECRET_BYTES];
        const char *totp = "";
        if (rc == STORE_OK && created && staff_role_needs_totp(demo_staff[i].role) &&
            (rc = staff_enrol_totp(s, a, demo_staff[i].login, secret)) == STORE_OK)
            totp = arena_printf(a, "  totp secret %s", totp_base32(a, secret, sizeof secret));
        sodium_memzero(secret, sizeof secret);
        if (rc != STORE_OK) {
            arena_free(a);
            fprintf(stderr, "ourvoice: cannot create demo account %s\n", demo_staff[i].login);
            return 1;
        }
        printf("  %-20s %-18s %-10s %s%s\n", demo_staff[i].login, demo_staff[i].role,
               demo_staff[i].office ? demo_staff[i].office : "-",
               created ? password : "(exists; password unchanged)", totp);
        arena_free(a);
    }
    return 0;
}

int cmd_init(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'}, {"data", required_argument, NULL, 'a'},
        {"demo", no_argument, NULL, 'm'},     {"keys", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0}};
    const char *db = opt_env("OURVOICE_DB", NULL);
    const char *data = opt_env("OURVOICE_DATA", DEFAULT_DATA_DIR);
    const char *keys = NULL;
    bool demo = false;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'a':
            data = optarg;
            break;
        case 'm':
            demo = true;
            break;
        case 'k':
            keys = optarg;
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
    if (!db)
        return opt_fail("--db is required", NULL);

    const char *err = NULL;
    if (crypto_keys_load(opt_keys_path(keys, db), true, &err) < 0)
        return opt_fail(err, NULL), 1;
    struct store *s;
    if (store_open(db, &s, &err) != STORE_OK)
        return opt_fail(err, opt_db_shown(db)), 1;
    int from, to, rc = store_migrate(s, &from, &to);
    struct load_counts n = {0};
    if (rc == STORE_OK)
        rc = load_gazetteer(s, data, &n, &err);
    if (rc == STORE_OK)
        rc = load_services(s, data, &n, &err);
    if (rc == STORE_OK)
        rc = load_holidays(s, data, &n, &err);
    if (rc == STORE_OK && demo)
        rc = load_demo_offices(s, data, &n, &err);
    if (rc != STORE_OK) {
        fprintf(stderr, "ourvoice: init failed: %s\n", err ? err : "database error");
        store_close(s);
        return 1;
    }
    printf("database %s: schema version %d (was %d)\n", opt_db_shown(db), to, from);
    printf("areas %lld, services %lld, holidays %lld%s", n.areas, n.services, n.holidays,
           demo ? "" : "\n");
    if (demo)
        printf(", demo offices %lld\n", n.offices);
    int status = demo ? create_demo_staff(s) : 0;
    store_close(s);
    return status;
}
