/* One HTTP request as handlers see it: the evhttp request, its arena, the loop (and so the
 * database connection) it runs on, the matched route and its path parameters. A request
 * is answered exactly once, through reply.h; its arena is freed when the answer is sent. */
#ifndef OURVOICE_REQUEST_H
#define OURVOICE_REQUEST_H

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ids.h"

struct actor;
struct loop;
struct route;
struct store;

#define REQUEST_MAX_PARAMS 4

enum lang { LANG_EN, LANG_KM };

struct request {
    struct evhttp_request *ev;
    struct arena *arena;
    struct loop *loop;
    struct store *store;      /* the loop's connection: writes and anything read back */
    struct store *read_store; /* public reads and statistics: the loop's connection to
                                 the read replica (--db-read), else the same as store */
    const struct route *route;
    const char *path; /* decoded path, no query */
    const char *params[REQUEST_MAX_PARAMS];
    struct evkeyvalq query;
    bool query_parsed;
    json_t *body; /* parsed JSON body for routes that take one; owned by the arena */
    enum lang lang;
    int64_t citizen_case_id; /* routes for citizens: the case of the track token */
    struct actor *actor;     /* routes for staff: who is signed in */
    unsigned char session_hash[32];
    const char *csrf; /* the staff session's CSRF token */
    char id[IDS_REQUEST_LEN + 1];
    uint64_t started_ns;
    int holds;   /* > 0 while code on the stack still uses the request */
    int pending; /* worker or writer jobs that will call back */
    bool replied;
};

typedef void (*handler_fn)(struct request *r);

/* A query parameter, decoded: *out is NULL when absent. -1 (and *out NULL) when the value
 * is longer than LIMIT_QUERY_VALUE_BYTES, -2 when it is not valid UTF-8. */
int req_query(struct request *r, const char *name, const char **out);
const char *req_header(struct request *r, const char *name);
/* The peer's address as text (in the arena). */
const char *req_peer(struct request *r);
/* A cookie's value (in the arena) or NULL. */
const char *req_cookie(struct request *r, const char *name);
bool req_mutating(struct request *r);
bool req_accepts_gzip(struct request *r);

#endif
