/* Option helpers shared by the subcommands (see cli.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

#include <string.h>
#include "store/store.h"
#include "core/banned.h"

const char *opt_env(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

int opt_int(const char *text, long min, long max, const char *what, long *out)
{
    char *end;
    errno = 0;
    long v = text ? strtol(text, &end, 10) : 0;
    if (!text || !*text || *end || errno || v < min || v > max) {
        fprintf(stderr, "ourvoice: %s must be a whole number from %ld to %ld\n", what, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

int opt_fail(const char *message, const char *detail)
{
    if (detail)
        fprintf(stderr, "ourvoice: %s: %s\n", message, detail);
    else
        fprintf(stderr, "ourvoice: %s\n", message);
    return 2;
}

const char *opt_db_shown(const char *db)
{
    const char *scheme = strstr(db, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    const char *slash = scheme ? strchr(scheme + 3, '/') : NULL;
    if (!at || !colon || colon > at || (slash && slash < at))
        return db;
    static char shown[4096];
    if ((size_t)snprintf(shown, sizeof shown, "%.*s:***%s", (int)(colon - db), db, at) >=
        sizeof shown)
        return "(the database URL)";
    return shown;
}

const char *opt_keys_path(const char *given, const char *db)
{
    if (given)
        return given;
    const char *env = opt_env("OURVOICE_KEYS", NULL);
    if (env)
        return env;
    if (store_is_postgres_url(db))
        return NULL; /* a URL names no folder to keep keys next to */
    static char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s.keys", db) >= sizeof path)
        return NULL;
    return path;
}
