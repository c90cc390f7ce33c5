/* The HTTP server: one event loop per core, each with its own evhttp on the shared port
 * (SO_REUSEPORT) and its own database connection; slow work on a worker pool; a clean stop
 * on SIGINT/SIGTERM that finishes the requests in flight. */
#ifndef OURVOICE_SERVER_H
#define OURVOICE_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/pool.h"
#include "http/request.h"
#include "http/router.h"

struct server_config {
    const char *db_url;
    const char *db_read_url; /* a read replica for public reads and statistics; NULL: none */
    const char *bind;
    int port; /* 0: any free port (printed on stdout) */
    const char *web_dir;
    const char *data_dir; /* its geo/ maps are served to the dashboard; NULL: none */
    int loops;            /* 0: one per core */
    int workers;          /* 0: one per core */
    size_t max_body;
    int stats_cache_seconds; /* public statistics answers are reused this long; 0: never */
    bool test_hooks;
    /* Checks a non-public route's caller (token or session); on failure it replies and
     * returns -1. */
    int (*authenticate)(struct request *r);
    /* Started after the loops, stopped before them (background jobs); may be NULL. */
    void (*start_jobs)(const struct server_config *cfg);
    void (*stop_jobs)(void);
};

/* Runs until SIGINT or SIGTERM; 0 on a clean stop. */
int server_run(const struct server_config *cfg, const struct route_table *routes);

/* For handlers: runs work(arg) on the worker pool, then done(r, arg) on r's loop, which
 * must reply. */
typedef void (*server_done_fn)(struct request *r, void *arg);
void server_defer(struct request *r, pool_fn work, server_done_fn done, void *arg);

/* For handlers: runs fn through the group-commit writer; done(r, ctx, rc) runs on r's loop
 * after the COMMIT returned, and must reply. */
typedef int (*server_write_fn)(struct store *s, void *ctx);
typedef void (*server_write_done_fn)(struct request *r, void *ctx, int rc);
void server_write(struct request *r, server_write_fn fn, void *ctx, server_write_done_fn done);

/* A write nobody waits for (e.g. a session's last-seen time): ctx is malloc'd and freed
 * with free() after the commit. */
void server_write_detached(struct request *r, server_write_fn fn, void *ctx);

/* The writer, for background jobs that run through it. */
struct writer *server_writer(void);
const struct server_config *server_config(void);

/* For reply.c */
bool server_stopping(const struct loop *loop);
void server_request_done(struct request *r);
int server_route_index(const struct route *route);
size_t server_max_body(const struct loop *loop);

#endif
