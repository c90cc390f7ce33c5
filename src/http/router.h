/* The table-driven router: one static table of routes (api/routes.c) declaring method,
 * path pattern, handler, who may call, body limit and flags. Matching tells "no such path"
 * (404) from "path exists, wrong method" (405, with the allowed methods). */
#ifndef OURVOICE_ROUTER_H
#define OURVOICE_ROUTER_H

#include <stddef.h>

#include "http/request.h"

enum access {
    ACCESS_PUBLIC,  /* anyone */
    ACCESS_CITIZEN, /* a citizen's track token */
    ACCESS_STAFF,   /* a signed-in staff member (CSRF checked on mutations) */
};

/* body_limit value: the server's configured JSON limit (--max-body) */
#define ROUTE_BODY_DEFAULT ((size_t)1)

enum route_flags {
    ROUTE_JSON_BODY = 1u << 0, /* body must be application/json, parsed into r->body */
    ROUTE_TEST_HOOK = 1u << 1, /* only when the server runs with test hooks on */
};

struct route {
    enum evhttp_cmd_type method;
    const char *pattern; /* "/api/v1/areas/:code": ':' marks a parameter segment */
    handler_fn handler;
    enum access access;
    size_t body_limit; /* 0: the route takes no body */
    unsigned flags;
};

enum route_match { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_WRONG_METHOD };

struct route_table {
    const struct route *routes;
    size_t count;
};

/* Matches a decoded path; HEAD matches GET routes. On ROUTE_FOUND *out and params are set
 * (params point into the arena); on ROUTE_WRONG_METHOD `allow` lists the methods
 * ("GET, HEAD") in a buffer of allow_size bytes. */
enum route_match router_match(const struct route_table *t, enum evhttp_cmd_type method,
                              const char *path, struct arena *a, const struct route **out,
                              const char *params[REQUEST_MAX_PARAMS], char *allow,
                              size_t allow_size);

const char *router_method_name(enum evhttp_cmd_type method);

#endif
