/* Route matching (see router.h): a linear walk over a small table, comparing path segments;
 * a parameter segment matches any non-empty segment of bounded length. */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "core/banned.h"

const char *router_method_name(enum evhttp_cmd_type method)
{
    switch (method) {
    case EVHTTP_REQ_GET:
        return "GET";
    case EVHTTP_REQ_POST:
        return "POST";
    case EVHTTP_REQ_HEAD:
        return "HEAD";
    case EVHTTP_REQ_PUT:
        return "PUT";
    case EVHTTP_REQ_DELETE:
        return "DELETE";
    case EVHTTP_REQ_OPTIONS:
        return "OPTIONS";
    case EVHTTP_REQ_TRACE:
        return "TRACE";
    case EVHTTP_REQ_CONNECT:
        return "CONNECT";
    case EVHTTP_REQ_PATCH:
        return "PATCH";
    }
    return "OTHER";
}

/* true if path matches pattern; parameters are copied into the arena */
static bool path_matches(const char *pattern, const char *path, struct arena *a,
                         const char *params[REQUEST_MAX_PARAMS])
{
    size_t np = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p != '/' || *s != '/')
            return false;
        p++, s++;
        size_t plen = strcspn(p, "/"), slen = strcspn(s, "/");
        if (*p == ':') {
            if (slen == 0 || slen > LIMIT_PATH_SEGMENT_BYTES || np == REQUEST_MAX_PARAMS)
                return false;
            if (a)
                params[np] = arena_strndup(a, s, slen);
            np++;
        } else if (plen != slen || memcmp(p, s, plen) != 0) {
            return false;
        }
        p += plen, s += slen;
    }
    return *p == '\0' && *s == '\0';
}

static bool method_fits(enum evhttp_cmd_type route, enum evhttp_cmd_type asked)
{
    return route == asked || (route == EVHTTP_REQ_GET && asked == EVHTTP_REQ_HEAD);
}

enum route_match router_match(const struct route_table *t, enum evhttp_cmd_type method,
                              const char *path, struct arena *a, const struct route **out,
                              const char *params[REQUEST_MAX_PARAMS], char *allow,
                              size_t allow_size)
{
    bool path_known = false;
    size_t used = 0;
    if (allow_size)
        allow[0] = '\0';
    for (size_t i = 0; i < t->count; i++) {
        const struct route *r = &t->routes[i];
        if (!path_matches(r->pattern, path, NULL, NULL))
            continue;
        if (method_fits(r->method, method)) {
            path_matches(r->pattern, path, a, params);
            *out = r;
            return ROUTE_FOUND;
        }
        path_known = true;
        const char *name = router_method_name(r->method);
        int n = snprintf(allow + used, allow_size - used, "%s%s%s", used ? ", " : "", name,
                         r->method == EVHTTP_REQ_GET ? ", HEAD" : "");
        if (n > 0 && (size_t)n < allow_size - used)
            used += (size_t)n;
        else if (allow_size)
            allow[used] = '\0'; /* drop a method that did not fit whole */
    }
    return path_known ? ROUTE_WRONG_METHOD : ROUTE_NO_PATH;
}
