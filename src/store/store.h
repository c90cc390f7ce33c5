/* The storage interface: an operations table with one instance per engine (sqlite.c; later
 * postgres.c). Handlers and domain code call the store_* wrappers below and never see SQL.
 * A `struct store` is one connection and belongs to one thread at a time. Results are
 * allocated from the caller's arena. Every operation returns 0 or a negative store_status. */
#ifndef OURVOICE_STORE_H
#define OURVOICE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "domain/model.h"

enum store_status {
    STORE_OK = 0,
    STORE_NOT_FOUND = -1,
    STORE_CONFLICT = -2, /* a uniqueness or state rule refused the write */
    STORE_RETRY = -3,    /* busy or serialization failure: the transaction may be retried */
    STORE_FAILED = -4,
};

struct store;

struct store_ops {
    const char *engine;
    void (*close)(struct store *s);
    int (*migrate)(struct store *s, int *from, int *to);
    int (*begin)(struct store *s);
    int (*commit)(struct store *s);
    void (*rollback)(struct store *s);

    int (*area_get)(struct store *s, struct arena *a, const char *code, struct area *out);
    int (*area_children)(struct store *s, struct arena *a, const char *parent,
                         struct area_list *out);
    int (*area_search)(struct store *s, struct arena *a, const char *folded, const char *level,
                       const char *within, size_t limit, struct area_list *out);
    int (*area_put)(struct store *s, const struct area *area, const char *search);
    int (*area_count)(struct store *s, const char *level, long long *count);

    int (*service_put)(struct store *s, const struct service *service);
    /* n == 0: the whole active catalogue */
    int (*services_for_area)(struct store *s, struct arena *a, const char *const *ancestors,
                             size_t n, struct service_list *out);

    int (*office_put)(struct store *s, const struct office *office);
    int (*offices_covering)(struct store *s, struct arena *a, const char *const *ancestors,
                            size_t n, struct office_list *out);

    int (*office_by_code)(struct store *s, struct arena *a, const char *code, struct office *out);
    int (*holiday_put)(struct store *s, const struct holiday *h);

    int (*staff_put)(struct store *s, const struct staff *staff, bool *created);
    int (*staff_by_login)(struct store *s, struct arena *a, const char *login, struct staff *out);
};

struct store {
    const struct store_ops *ops;
};

/* Opens a connection: "postgres://" or "postgresql://" URLs select PostgreSQL, anything
 * else is a SQLite file path. Returns 0 or a store_status; *err gets a static message. */
int store_open(const char *url, struct store **out, const char **err);
void store_close(struct store *s);
const char *store_engine(const struct store *s);

/* Runs fn inside one transaction, retrying (bounded, with backoff) while the engine says
 * STORE_RETRY. fn may therefore run more than once: it must have no side effects outside
 * the store. */
typedef int (*store_tx_fn)(struct store *s, void *ctx);
int store_tx(struct store *s, store_tx_fn fn, void *ctx);

int store_migrate(struct store *s, int *from, int *to);

int store_area_get(struct store *s, struct arena *a, const char *code, struct area *out);
int store_area_children(struct store *s, struct arena *a, const char *parent,
                        struct area_list *out);
int store_area_search(struct store *s, struct arena *a, const char *folded, const char *level,
                      const char *within, size_t limit, struct area_list *out);
int store_area_put(struct store *s, const struct area *area, const char *search);
int store_area_count(struct store *s, const char *level, long long *count);
int store_service_put(struct store *s, const struct service *service);
int store_services_for_area(struct store *s, struct arena *a, const char *const *ancestors,
                            size_t n, struct service_list *out);
int store_office_put(struct store *s, const struct office *office);
int store_offices_covering(struct store *s, struct arena *a, const char *const *ancestors,
                           size_t n, struct office_list *out);
int store_office_by_code(struct store *s, struct arena *a, const char *code, struct office *out);
int store_holiday_put(struct store *s, const struct holiday *h);
int store_staff_put(struct store *s, const struct staff *staff, bool *created);
int store_staff_by_login(struct store *s, struct arena *a, const char *login, struct staff *out);

/* Counts failed store calls since start (for /metrics). */
unsigned long long store_error_count(void);

#endif
