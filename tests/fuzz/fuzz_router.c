/* Fuzz driver for http/router over the real route table (api/routes.c). The first byte picks
 * the method (low nibble: 1 << n, so the nine libevent methods and a few unknown ones) and
 * the size of the Allow buffer (high nibble: 0 is the server's 128 bytes, else 3 × n); the
 * rest, up to a NUL, is the decoded path. Checked against an independent reading of
 * router.h: the first row whose path and method fit is found, its parameters rebuild the
 * path exactly, 404 and 405 are told apart, and the Allow text is terminated in bounds
 * (and, in the server's 128 bytes, lists exactly the methods of the rows that matched). */
#include <stdbool.h>
#include <string.h>

#include "api/routes.h"
#include "core/arena.h"
#include "core/limits.h"
#include "fuzz.h"
#include "core/banned.h"

/* Does the path fit the pattern? '/'-separated segments, a ':' segment takes 1 to
 * LIMIT_PATH_SEGMENT_BYTES bytes, at most REQUEST_MAX_PARAMS of them. */
static bool ref_match(const char *pattern, const char *path)
{
    size_t np = 0;
    while (*pattern || *path) {
        if (*pattern != '/' || *path != '/')
            return false;
        pattern++, path++;
        size_t pl = strcspn(pattern, "/"), sl = strcspn(path, "/");
        if (*pattern == ':') {
            if (sl == 0 || sl > LIMIT_PATH_SEGMENT_BYTES || ++np > REQUEST_MAX_PARAMS)
                return false;
        } else if (pl != sl || memcmp(pattern, path, pl) != 0) {
            return false;
        }
        pattern += pl, path += sl;
    }
    return true;
}

static bool ref_fits(enum evhttp_cmd_type route, enum evhttp_cmd_type asked)
{
    return route == asked || (route == EVHTTP_REQ_GET && asked == EVHTTP_REQ_HEAD);
}

/* The pattern with its parameters filled in, compared with the path. */
static void check_params(const struct route *r, const char *path,
                         const char *params[REQUEST_MAX_PARAMS])
{
    char rebuilt[4096];
    size_t used = 0, k = 0;
    for (const char *p = r->pattern; *p;) {
        size_t len = strcspn(p + 1, "/") + 1; /* "/segment" */
        const char *piece = p;
        size_t piece_len = len;
        if (p[1] == ':') {
            FUZZ_CHECK(k < REQUEST_MAX_PARAMS && params[k]);
            size_t n = strlen(params[k]);
            FUZZ_CHECK(n >= 1 && n <= LIMIT_PATH_SEGMENT_BYTES && !memchr(params[k], '/', n));
            FUZZ_CHECK(used + 1 + n < sizeof rebuilt);
            rebuilt[used++] = '/';
            piece = params[k++];
            piece_len = n;
        }
        FUZZ_CHECK(used + piece_len < sizeof rebuilt);
        memcpy(rebuilt + used, piece, piece_len);
        used += piece_len;
        p += len;
    }
    rebuilt[used] = '\0';
    FUZZ_CHECK(strcmp(rebuilt, path) == 0);
    for (; k < REQUEST_MAX_PARAMS; k++)
        FUZZ_CHECK(params[k] == NULL); /* untouched */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    enum evhttp_cmd_type method = (enum evhttp_cmd_type)(1u << (data[0] & 0x0F));
    size_t allow_size = (data[0] >> 4) ? 3u * (data[0] >> 4) : 128;

    char *path = malloc(size); /* size - 1 bytes and a NUL */
    FUZZ_CHECK(path);
    memcpy(path, data + 1, size - 1);
    path[size - 1] = '\0';
    char *allow = malloc(allow_size);
    FUZZ_CHECK(allow);
    memset(allow, 'Z', allow_size);

    struct arena *a = arena_new();
    const struct route *out = NULL;
    const char *params[REQUEST_MAX_PARAMS] = {NULL};
    enum route_match m =
        router_match(&api_routes, method, path, a, &out, params, allow, allow_size);

    /* what router.h promises, read independently */
    const struct route *first = NULL;
    bool known = false;
    char want_allow[256] = "";
    size_t want_used = 0;
    for (size_t i = 0; i < api_routes.count && !first; i++) {
        const struct route *r = &api_routes.routes[i];
        if (!ref_match(r->pattern, path))
            continue;
        if (ref_fits(r->method, method)) {
            first = r;
            break;
        }
        known = true;
        int n = snprintf(want_allow + want_used, sizeof want_allow - want_used, "%s%s%s",
                         want_used ? ", " : "", router_method_name(r->method),
                         r->method == EVHTTP_REQ_GET ? ", HEAD" : "");
        FUZZ_CHECK(n > 0 && (size_t)n < sizeof want_allow - want_used);
        want_used += (size_t)n;
    }

    FUZZ_CHECK(memchr(allow, '\0', allow_size) != NULL);
    if (first) {
        FUZZ_CHECK(m == ROUTE_FOUND);
        FUZZ_CHECK(out == first);
        check_params(out, path, params);
    } else {
        FUZZ_CHECK(m == (known ? ROUTE_WRONG_METHOD : ROUTE_NO_PATH));
        FUZZ_CHECK(out == NULL);
        for (size_t k = 0; k < REQUEST_MAX_PARAMS; k++)
            FUZZ_CHECK(params[k] == NULL);
        if (m == ROUTE_NO_PATH)
            FUZZ_CHECK(allow[0] == '\0');
        else if (allow_size == 128)
            FUZZ_CHECK(strcmp(allow, want_allow) == 0);
        else
            FUZZ_CHECK(strlen(allow) <= want_used);
    }

    arena_free(a);
    free(allow);
    free(path);
    return 0;
}
