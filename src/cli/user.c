/* `ourvoice user`: staff accounts from the command line — add, list, disable, enable and
 * reset (new password, sign-in brakes lifted, optionally a new second factor). A generated
 * password and a TOTP secret are printed once, on stdout, and never stored in the clear:
 * the password as Argon2id, the secret sealed by the crypto module. Every change appends
 * an audit entry (actor "cli") in the same transaction. No command prints a TOTP code. */
#include <getopt.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <uniwidth.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/crypto.h"
#include "core/text.h"
#include "domain/audit.h"
#include "domain/staff.h"
#include "domain/totp.h"
#include "store/store.h"
#include "core/banned.h"

static const char usage[] =
    "usage: ourvoice user add --db DB --login LOGIN --name NAME --role ROLE [--office CODE]\n"
    "                         [--password-stdin] [--totp] [--keys FILE]\n"
    "       ourvoice user list --db DB\n"
    "       ourvoice user disable --db DB --login LOGIN\n"
    "       ourvoice user enable --db DB --login LOGIN\n"
    "       ourvoice user reset --db DB --login LOGIN [--password-stdin] [--totp] [--keys FILE]\n"
    "\n"
    "Manages staff accounts. Each change is written to the audit log.\n"
    "\n"
    "  add      creates an account. ROLE is officer, head, ombudsman, ccwc, provincial_admin,\n"
    "           national_admin or analyst. Every role but analyst and national_admin needs\n"
    "           --office (an office code such as C-120101, DO-1201, OWSU-12); a national\n"
    "           admin defaults to the office MOI if there is one; an analyst has none.\n"
    "  list     shows every account: login, name, role, office, active, second factor\n"
    "  disable  stops an account from signing in (its sessions stop working at once)\n"
    "  enable   lets a disabled account sign in again\n"
    "  reset    sets a new password and clears the failed sign-ins that brake the account\n"
    "\n"
    "  --db FILE|URL     database (env OURVOICE_DB; made by `ourvoice init`)\n"
    "  --keys FILE       key file, needed to seal a TOTP secret (env OURVOICE_KEYS;\n"
    "                    default DB.keys)\n"
    "  --login LOGIN     2 to 64 characters: a-z, 0-9, '.', '-', '_'\n"
    "  --name NAME       the person's name as colleagues see it (Khmer or Latin)\n"
    "  --role ROLE       see add above\n"
    "  --office CODE     the office the person works for\n"
    "  --password-stdin  read the password from the first line of standard input (at least\n"
    "                    10 characters); without it a random one is generated and printed once\n"
    "  --totp            enrol a new second factor (TOTP): prints its otpauth:// URI and its\n"
    "                    secret once. Ombudsman, provincial_admin and national_admin accounts\n"
    "                    always get one when created, and on reset if they have none.\n"
    "  --help            this text\n"
    "\n"
    "Exit status: 0 done; 1 failed (database, key file, login taken or unknown);\n"
    "2 usage error (missing or bad option, unknown role or office, short password).\n";

enum {
    O_DB = 1 << 0,
    O_KEYS = 1 << 1,
    O_LOGIN = 1 << 2,
    O_NAME = 1 << 3,
    O_ROLE = 1 << 4,
    O_OFFICE = 1 << 5,
    O_PASSWORD_STDIN = 1 << 6,
    O_TOTP = 1 << 7,
};

static const char *const option_names[] = {"--db",   "--keys",   "--login",          "--name",
                                           "--role", "--office", "--password-stdin", "--totp"};

static const char *option_name(unsigned bit)
{
    for (size_t i = 0; i < sizeof option_names / sizeof option_names[0]; i++)
        if (bit == 1u << i)
            return option_names[i];
    return "?";
}

struct user_opts {
    const char *db, *keys, *login, *name, *role, *office;
    bool password_stdin, totp;
    unsigned given;
};

/* A generated password: 16 characters of a 49-letter alphabet, about 90 bits. */
#define GENERATED_PASSWORD_LEN 16

/* A password line: STAFF_PASSWORD_MAX bytes, a CR before the LF, and the NUL. */
#define PASSWORD_BUF (STAFF_PASSWORD_MAX + 2)

/* What one run holds: the connection, an arena for rows, and the secrets to wipe at exit. */
struct user_run {
    const struct user_opts *o;
    struct store *s;
    struct arena *a;
    char password[PASSWORD_BUF];
    bool password_generated;
    char hash[CRYPTO_PASSWORD_HASH_LEN];
    unsigned char secret[TOTP_SECRET_BYTES];
    bool enrol_totp;
    const unsigned char *sealed;
    size_t sealed_len;
    struct staff staff;
    struct office office;
};

static bool role_needs_office(const char *role)
{
    return strcmp(role, "analyst") != 0 && strcmp(role, "national_admin") != 0;
}

/* Printable UTF-8 without control characters, not blank, within STAFF_NAME_MAX bytes. */
static bool name_valid(const char *name)
{
    size_t n = strnlen(name, STAFF_NAME_MAX + 1);
    if (n == 0 || n > STAFF_NAME_MAX || !text_utf8_valid(name, n))
        return false;
    bool visible = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7f)
            return false;
        visible |= c != ' ';
    }
    return visible;
}

/* Whether the office suits the role: NULL if it does, else why not. */
static const char *office_mismatch(const char *role, const struct office *office)
{
    if (!office->active)
        return "the office is inactive";
    if (strcmp(role, "ombudsman") == 0 && strcmp(office->kind, "district_ombudsman") != 0 &&
        strcmp(office->kind, "provincial_ombudsman") != 0)
        return "an ombudsman works for a district or provincial ombudsman office";
    if (strcmp(role, "ccwc") == 0 && strcmp(office->kind, "commune") != 0)
        return "a CCWC focal point works for a commune/sangkat office";
    if (strcmp(role, "provincial_admin") == 0 && (!office->area_code || !office->area_code[0]))
        return "a provincial admin works for an office in a province";
    if (strcmp(role, "analyst") == 0)
        return "an analyst has no office";
    return NULL;
}

/* Characters (code points) of UTF-8 text; for other bytes, one each. */
static size_t char_count(const char *s, size_t len)
{
    if (!text_utf8_valid(s, len))
        return len;
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xc0) != 0x80;
    return n;
}

/* Reads one line (without its line end, LF or CR LF) from stdin, unbuffered so that no copy
 * of the password stays in stdio's buffer. The limits are those of staff.h: at least
 * STAFF_PASSWORD_MIN characters, at most STAFF_PASSWORD_MAX bytes. Returns 0, or 2 after
 * printing why not. */
static int read_password(char out[PASSWORD_BUF])
{
    setvbuf(stdin, NULL, _IONBF, 0);
    size_t n = 0;
    bool too_long = false, nul = false, any = false;
    int c;
    while ((c = getchar()) != EOF && c != '\n') {
        any = true;
        nul |= c == '\0';
        if (n < PASSWORD_BUF - 1)
            out[n++] = (char)c;
        else
            too_long = true;
    }
    if (n > 0 && out[n - 1] == '\r')
        n--;
    out[n] = '\0';
    too_long |= n > STAFF_PASSWORD_MAX;
    if (!any)
        return opt_fail("--password-stdin: nothing on standard input", NULL);
    if (nul)
        return opt_fail("--password-stdin: the password contains a NUL byte", NULL);
    if (too_long) {
        fprintf(stderr, "ourvoice: the password is longer than %d bytes\n", STAFF_PASSWORD_MAX);
        return 2;
    }
    if (char_count(out, n) < STAFF_PASSWORD_MIN) {
        fprintf(stderr, "ourvoice: the password is shorter than %d characters\n",
                STAFF_PASSWORD_MIN);
        return 2;
    }
    return 0;
}

/* The password (read or generated) and its hash. Returns 0, 1 or 2. */
static int prepare_password(struct user_run *r)
{
    if (r->o->password_stdin) {
        int rc = read_password(r->password);
        if (rc)
            return rc;
    } else {
        staff_random_password(r->password, GENERATED_PASSWORD_LEN + 1);
        r->password_generated = true;
    }
    if (crypto_password_hash(r->password, r->hash) < 0) {
        fputs("ourvoice: cannot hash the password (out of memory?)\n", stderr);
        return 1;
    }
    return 0;
}

/* A new TOTP secret, sealed to the system's key. Returns 0 or 1. */
static int prepare_totp(struct user_run *r)
{
    const char *err = NULL;
    /* static: opt_keys_path's string lives until exit, and stays reachable meanwhile */
    static const char *path;
    path = opt_keys_path(r->o->keys, r->o->db);
    if (crypto_keys_load(path, false, &err) < 0) {
        fprintf(stderr, "ourvoice: %s\n", err);
        return 1;
    }
    if (totp_new_secret(r->secret) < 0) {
        fputs("ourvoice: the OATH library cannot start\n", stderr);
        return 1;
    }
    r->sealed = crypto_seal(r->a, r->secret, sizeof r->secret, &r->sealed_len);
    r->enrol_totp = true;
    return 0;
}

/* Prints what is shown only once: the generated password and the TOTP enrolment. */
static void print_secrets(struct user_run *r, const char *login)
{
    if (r->password_generated)
        printf("password:    %s\n", r->password);
    if (r->enrol_totp) {
        char *b32 = totp_base32(r->a, r->secret, sizeof r->secret);
        char *uri = totp_uri(r->a, login, r->secret, sizeof r->secret);
        printf("totp secret: %s\n", b32);
        printf("totp uri:    %s\n", uri);
        sodium_memzero(b32, strlen(b32));
        sodium_memzero(uri, strlen(uri));
    }
    if (r->password_generated || r->enrol_totp)
        printf("%s shown only now: hand %s over in person and keep no copy.\n",
               r->password_generated && r->enrol_totp ? "These are" : "This is",
               r->password_generated && r->enrol_totp ? "them" : "it");
    if (r->enrol_totp)
        printf("The person adds the secret (or the URI as a QR code) to an authenticator app.\n");
    fflush(stdout);
}

static int fail_store(int rc, const char *what)
{
    fprintf(stderr, "ourvoice: %s: %s\n", what,
            rc == STORE_RETRY ? "the database is busy, try again" : "database error");
    return 1;
}

/* Looks the account up; prints why not and returns 1 if it does not exist. */
static int find_staff(struct user_run *r)
{
    int rc = store_staff_by_login(r->s, r->a, r->o->login, &r->staff);
    if (rc == STORE_NOT_FOUND) {
        fprintf(stderr, "ourvoice: no account with login %s\n", r->o->login);
        return 1;
    }
    return rc == STORE_OK ? 0 : fail_store(rc, "cannot read the account");
}

/* ---- add ---- */

static int add_tx(struct store *s, void *ctx)
{
    struct user_run *r = ctx;
    bool created = false;
    int rc = store_staff_put(s, &r->staff, &created);
    if (rc == STORE_OK && !created)
        return STORE_CONFLICT;
    if (rc == STORE_OK && r->enrol_totp) {
        struct staff row;
        rc = store_staff_by_login(s, r->a, r->staff.login, &row);
        if (rc == STORE_OK) {
            row.totp_sealed = r->sealed;
            row.totp_sealed_len = r->sealed_len;
            rc = store_staff_update(s, &row);
        }
    }
    if (rc == STORE_OK)
        rc = audit_append(s, "cli", 0, "staff_add", 0, r->staff.login);
    return rc;
}

static int user_add(struct user_run *r)
{
    const struct user_opts *o = r->o;
    r->office.id = 0;
    if (o->office) {
        int rc = store_office_by_code(r->s, r->a, o->office, &r->office);
        if (rc == STORE_NOT_FOUND)
            return opt_fail("unknown office", o->office);
        if (rc != STORE_OK)
            return fail_store(rc, "cannot read the office");
        const char *why = office_mismatch(o->role, &r->office);
        if (why)
            return opt_fail(why, o->office);
    } else if (strcmp(o->role, "national_admin") == 0) {
        int rc = store_office_by_code(r->s, r->a, "MOI", &r->office);
        if (rc == STORE_NOT_FOUND)
            r->office.id = 0;
        else if (rc != STORE_OK)
            return fail_store(rc, "cannot read the office");
    }
    struct staff existing;
    int rc = store_staff_by_login(r->s, r->a, o->login, &existing);
    if (rc == STORE_OK) {
        fprintf(stderr, "ourvoice: the login %s is taken\n", o->login);
        return 1;
    }
    if (rc != STORE_NOT_FOUND)
        return fail_store(rc, "cannot read the accounts");

    if ((o->totp || staff_role_needs_totp(o->role)) && (rc = prepare_totp(r)) != 0)
        return rc;
    if ((rc = prepare_password(r)) != 0)
        return rc;
    r->staff = (struct staff){.login = o->login,
                              .name = o->name,
                              .role = o->role,
                              .office_id = r->office.id,
                              .password_hash = r->hash,
                              .active = true};
    rc = store_tx(r->s, add_tx, r);
    if (rc == STORE_CONFLICT) {
        fprintf(stderr, "ourvoice: the login %s is taken\n", o->login);
        return 1;
    }
    if (rc != STORE_OK)
        return fail_store(rc, "cannot create the account");
    printf("created %s: %s%s%s%s\n", o->login, o->role, r->office.id ? " at " : "",
           r->office.id ? r->office.code : "", r->enrol_totp ? ", with a second factor" : "");
    print_secrets(r, o->login);
    return 0;
}

/* ---- list ---- */

/* Prints s padded with spaces to `width` terminal columns, control characters shown as
 * '?' (a name must not be able to forge lines of the table). */
static void print_cell(struct arena *a, const char *s, size_t width, bool last)
{
    char *clean = arena_strdup(a, s ? s : "-");
    for (char *p = clean; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    fputs(clean, stdout);
    if (last) {
        fputc('\n', stdout);
        return;
    }
    int w = u8_strwidth((const uint8_t *)clean, "UTF-8");
    size_t used = w < 0 ? strlen(clean) : (size_t)w;
    for (size_t i = used; i < width + 2; i++)
        fputc(' ', stdout);
}

static size_t cell_width(const char *s)
{
    s = s ? s : "-";
    int w = u8_strwidth((const uint8_t *)s, "UTF-8");
    return w < 0 ? strlen(s) : (size_t)w;
}

static int user_list(struct user_run *r)
{
    struct staff_list l;
    int rc = store_staff_list(r->s, r->a, &l);
    if (rc != STORE_OK)
        return fail_store(rc, "cannot list the accounts");
    enum { NCOLS = 6 };
    const char *head[NCOLS] = {"LOGIN", "NAME", "ROLE", "OFFICE", "ACTIVE", "2FA"};
    const char **cells = arena_zalloc(r->a, (l.count + 1) * NCOLS * sizeof *cells);
    memcpy(cells, head, sizeof head);
    for (size_t i = 0; i < l.count; i++) {
        const struct staff *u = &l.items[i];
        const char **row = cells + (i + 1) * NCOLS;
        struct office office = {.code = NULL};
        if (u->office_id) {
            rc = store_office_get(r->s, r->a, u->office_id, &office);
            if (rc != STORE_OK && rc != STORE_NOT_FOUND)
                return fail_store(rc, "cannot read an office");
            if (rc == STORE_NOT_FOUND)
                office.code = "?";
        }
        row[0] = u->login;
        row[1] = u->name;
        row[2] = u->role;
        row[3] = office.code ? office.code : "-";
        row[4] = u->active ? "yes" : "no";
        row[5] = u->totp_sealed ? "yes" : "no";
    }
    size_t width[NCOLS] = {0};
    for (size_t i = 0; i <= l.count; i++)
        for (size_t j = 0; j < NCOLS; j++) {
            size_t w = cell_width(cells[i * NCOLS + j]);
            if (w > width[j])
                width[j] = w;
        }
    for (size_t i = 0; i <= l.count; i++)
        for (size_t j = 0; j < NCOLS; j++)
            print_cell(r->a, cells[i * NCOLS + j], width[j], j == NCOLS - 1);
    return 0;
}

/* ---- disable, enable ---- */

struct change {
    struct user_run *r;
    const char *action;
    const char *throttle_key; /* cleared too (reset), or NULL */
    bool totp_changed;
};

static int change_tx(struct store *s, void *ctx)
{
    struct change *c = ctx;
    int rc = store_staff_update(s, &c->r->staff);
    if (rc == STORE_OK && c->throttle_key)
        rc = store_throttle_clear(s, c->throttle_key);
    if (rc == STORE_OK)
        rc = audit_append(s, "cli", 0, c->action, 0, c->r->staff.login);
    if (rc == STORE_OK && c->totp_changed)
        rc = audit_append(s, "cli", 0, "staff_totp_reset", 0, c->r->staff.login);
    return rc;
}

static int user_set_active(struct user_run *r, bool active)
{
    int rc = find_staff(r);
    if (rc)
        return rc;
    if (r->staff.active == active) {
        printf("%s is already %s\n", r->staff.login, active ? "enabled" : "disabled");
        return 0;
    }
    r->staff.active = active;
    struct change c = {.r = r, .action = active ? "staff_enable" : "staff_disable"};
    rc = store_tx(r->s, change_tx, &c);
    if (rc != STORE_OK)
        return fail_store(rc, "cannot change the account");
    printf("%s %s\n", active ? "enabled" : "disabled", r->staff.login);
    return 0;
}

/* ---- reset ---- */

static int user_reset(struct user_run *r)
{
    int rc = find_staff(r);
    if (rc)
        return rc;
    bool totp = r->o->totp || (staff_role_needs_totp(r->staff.role) && !r->staff.totp_sealed);
    if (totp && (rc = prepare_totp(r)) != 0)
        return rc;
    if ((rc = prepare_password(r)) != 0)
        return rc;
    r->staff.password_hash = r->hash;
    r->staff.failed_logins = 0;
    r->staff.locked_until = NULL;
    if (r->enrol_totp) {
        r->staff.totp_sealed = r->sealed;
        r->staff.totp_sealed_len = r->sealed_len;
    }
    struct change c = {.r = r,
                       .action = "staff_reset",
                       .throttle_key = arena_printf(r->a, "login:%s", r->staff.login),
                       .totp_changed = r->enrol_totp};
    rc = store_tx(r->s, change_tx, &c);
    if (rc != STORE_OK)
        return fail_store(rc, "cannot reset the account");
    printf("reset %s: new password%s, failed sign-ins cleared%s\n", r->staff.login,
           r->password_generated ? "" : " (from standard input)",
           r->enrol_totp ? ", new second factor" : "");
    if (!r->staff.active)
        printf("note: %s is disabled; `ourvoice user enable` lets it sign in\n", r->staff.login);
    print_secrets(r, r->staff.login);
    return 0;
}

static int user_disable(struct user_run *r)
{
    return user_set_active(r, false);
}

static int user_enable(struct user_run *r)
{
    return user_set_active(r, true);
}

/* ---- the command ---- */

static const struct verb {
    const char *name;
    unsigned allowed, required;
    int (*run)(struct user_run *r);
} verbs[] = {
    {"add", O_DB | O_KEYS | O_LOGIN | O_NAME | O_ROLE | O_OFFICE | O_PASSWORD_STDIN | O_TOTP,
     O_DB | O_LOGIN | O_NAME | O_ROLE, user_add},
    {"list", O_DB, O_DB, user_list},
    {"disable", O_DB | O_LOGIN, O_DB | O_LOGIN, user_disable},
    {"enable", O_DB | O_LOGIN, O_DB | O_LOGIN, user_enable},
    {"reset", O_DB | O_KEYS | O_LOGIN | O_PASSWORD_STDIN | O_TOTP, O_DB | O_LOGIN, user_reset},
};

static int parse(int argc, char **argv, const struct verb *v, struct user_opts *o)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},       {"keys", required_argument, NULL, 'k'},
        {"login", required_argument, NULL, 'l'},    {"name", required_argument, NULL, 'n'},
        {"role", required_argument, NULL, 'r'},     {"office", required_argument, NULL, 'o'},
        {"password-stdin", no_argument, NULL, 'p'}, {"totp", no_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    o->db = opt_env("OURVOICE_DB", NULL);
    o->keys = NULL;
    o->given = o->db ? O_DB : 0;
    optind = 0;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        unsigned bit = 0;
        switch (c) {
        case 'd':
            o->db = optarg, bit = O_DB;
            break;
        case 'k':
            o->keys = optarg, bit = O_KEYS;
            break;
        case 'l':
            o->login = optarg, bit = O_LOGIN;
            break;
        case 'n':
            o->name = optarg, bit = O_NAME;
            break;
        case 'r':
            o->role = optarg, bit = O_ROLE;
            break;
        case 'o':
            o->office = optarg, bit = O_OFFICE;
            break;
        case 'p':
            o->password_stdin = true, bit = O_PASSWORD_STDIN;
            break;
        case 't':
            o->totp = true, bit = O_TOTP;
            break;
        case 'h':
            fputs(usage, stdout);
            return -1;
        default:
            fprintf(stderr, "ourvoice: unknown option, or one without its value: %s\n",
                    argv[optind - 1]);
            return 2;
        }
        if (!(v->allowed & bit)) {
            fprintf(stderr, "ourvoice: %s does not apply to `ourvoice user %s`\n", option_name(bit),
                    v->name);
            return 2;
        }
        o->given |= bit;
    }
    if (optind < argc)
        return opt_fail("unexpected argument", argv[optind]);
    for (size_t i = 0; i < sizeof option_names / sizeof option_names[0]; i++)
        if ((v->required & (1u << i)) && !(o->given & (1u << i))) {
            fprintf(stderr, "ourvoice: `ourvoice user %s` needs %s\n", v->name,
                    option_name(1u << i));
            return 2;
        }
    return 0;
}

/* Checks what can be checked before the database is opened. Returns 0 or 2. */
static int validate(const struct user_opts *o)
{
    if (o->login && !staff_login_valid(o->login))
        return opt_fail("bad login (2 to 64 characters: a-z, 0-9, '.', '-', '_')", o->login);
    if (o->name && !name_valid(o->name)) {
        fprintf(stderr,
                "ourvoice: bad name (1 to %d bytes of UTF-8 text, no control "
                "characters)\n",
                STAFF_NAME_MAX);
        return 2;
    }
    if (o->role && !staff_role_valid(o->role))
        return opt_fail("unknown role (officer, head, ombudsman, ccwc, provincial_admin, "
                        "national_admin, analyst)",
                        o->role);
    if (o->role && role_needs_office(o->role) && !o->office) {
        fprintf(stderr, "ourvoice: the role %s needs --office\n", o->role);
        return 2;
    }
    if (o->role && o->office && strcmp(o->role, "analyst") == 0)
        return opt_fail("an analyst has no office: leave out --office", NULL);
    return 0;
}

/* The database must exist: opening a missing SQLite file would create an empty one. */
static bool is_sqlite_path(const char *db)
{
    return !store_is_postgres_url(db);
}

int cmd_user(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const struct verb *v = NULL;
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (strcmp(argv[1], verbs[i].name) == 0)
            v = &verbs[i];
    if (!v) {
        fprintf(stderr, "ourvoice: unknown user command (add, list, disable, enable, reset; "
                        "see `ourvoice user --help`)\n");
        return 2;
    }
    struct user_opts o = {0};
    int rc = parse(argc - 1, argv + 1, v, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    if ((rc = validate(&o)) != 0)
        return rc;
    if (is_sqlite_path(o.db) && access(o.db, F_OK) != 0) {
        fprintf(stderr, "ourvoice: no database at %s (run `ourvoice init` first)\n", o.db);
        return 1;
    }

    struct user_run *r = sodium_malloc(sizeof *r);
    if (!r) {
        fputs("ourvoice: out of memory\n", stderr);
        return 1;
    }
    memset(r, 0, sizeof *r);
    r->o = &o;
    const char *err = NULL;
    if (store_open(o.db, &r->s, &err) != STORE_OK) {
        fprintf(stderr, "ourvoice: %s: %s\n", err, opt_db_shown(o.db));
        sodium_free(r);
        return 1;
    }
    r->a = arena_new();
    rc = v->run(r);
    store_close(r->s);
    arena_free(r->a);
    crypto_keys_release();
    sodium_free(r); /* wipes the password, its hash and the TOTP secret */
    return rc;
}
