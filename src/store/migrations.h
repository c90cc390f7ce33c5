/* The numbered SQL migrations, embedded at build time from src/store/migrations/<engine>/
 * by tools/embed_migrations.py. The table ends with a zeroed row. */
#ifndef OURVOICE_MIGRATIONS_H
#define OURVOICE_MIGRATIONS_H

struct migration {
    const char *engine; /* "sqlite" or "postgres" */
    int version;
    const char *name;
    const char *sql;
};

extern const struct migration migrations[];

#endif
