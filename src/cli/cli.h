/* The subcommands of `ourvoice` and the helpers they share for options. Every option can
 * also come from an environment variable (named in each --help). */
#ifndef OURVOICE_CLI_H
#define OURVOICE_CLI_H

#include <stdbool.h>

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_migrate_store(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_seed(int argc, char **argv);
int cmd_report(int argc, char **argv);

#define DEFAULT_DATA_DIR OURVOICE_SOURCE_DIR "/data"
#define DEFAULT_WEB_DIR  OURVOICE_SOURCE_DIR "/web"

/* The key file: --keys, else OURVOICE_KEYS, else the database path with ".keys" appended
 * (in a static buffer; NULL if that path is too long, or if the database is a PostgreSQL
 * URL: then --keys or OURVOICE_KEYS is required). */
const char *opt_keys_path(const char *given, const char *db);

/* The database as messages may show it: a URL's password replaced by "***" (in a static
 * buffer). */
const char *opt_db_shown(const char *db);

/* The environment variable's value if set and non-empty, else fallback. */
const char *opt_env(const char *name, const char *fallback);

/* Parses a decimal integer within [min, max]; prints an error naming `what` and returns -1
 * otherwise. */
int opt_int(const char *text, long min, long max, const char *what, long *out);

/* Prints "ourvoice: message" on stderr; returns 2 (the usage-error exit code). */
int opt_fail(const char *message, const char *detail);

#endif
