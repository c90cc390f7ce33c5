/* Request accessors (see request.h). */
#include "http/request.h"

#include <sys/queue.h>

#include <string.h>
#include <strings.h>

#include "core/limits.h"
#include "core/text.h"
#include "core/banned.h"

static void clear_query(void *q)
{
    evhttp_clear_headers(q);
}

int req_query(struct request *r, const char *name, const char **out)
{
    *out = NULL;
    if (!r->query_parsed) {
        r->query_parsed = true;
        TAILQ_INIT(&r->query);
        const char *q = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(r->ev));
        if (q && evhttp_parse_query_str(q, &r->query) == 0)
            arena_defer(r->arena, clear_query, &r->query);
        else
            TAILQ_INIT(&r->query);
    }
    const char *v = evhttp_find_header(&r->query, name);
    if (!v)
        return 0;
    size_t n = strnlen(v, LIMIT_QUERY_VALUE_BYTES + 1);
    if (n > LIMIT_QUERY_VALUE_BYTES)
        return -1;
    if (!text_utf8_valid(v, n))
        return -2;
    *out = v;
    return 0;
}

const char *req_header(struct request *r, const char *name)
{
    return evhttp_find_header(evhttp_request_get_input_headers(r->ev), name);
}

bool req_accepts_gzip(struct request *r)
{
    const char *ae = req_header(r, "Accept-Encoding");
    if (!ae)
        return false;
    const char *g = strcasestr(ae, "gzip");
    if (!g)
        return false;
    const char *q = g + 4;
    while (*q == ' ')
        q++;
    return !(strncmp(q, ";q=0", 4) == 0 &&
             (q[4] == '\0' || q[4] == ',' || q[4] == ' ' ||
              (q[4] == '.' && strspn(q + 5, "0") > 0 &&
               (q[5 + strspn(q + 5, "0")] == '\0' || q[5 + strspn(q + 5, "0")] == ','))));
}

const char *req_peer(struct request *r)
{
    char *host = NULL;
    ev_uint16_t port = 0;
    struct evhttp_connection *conn = evhttp_request_get_connection(r->ev);
    if (conn)
        evhttp_connection_get_peer(conn, &host, &port);
    return arena_strdup(r->arena, host ? host : "unknown");
}

const char *req_cookie(struct request *r, const char *name)
{
    const char *h = req_header(r, "Cookie");
    size_t n = strlen(name);
    while (h && *h) {
        while (*h == ' ' || *h == ';')
            h++;
        size_t len = strcspn(h, ";");
        if (len > n && strncmp(h, name, n) == 0 && h[n] == '=')
            return arena_strndup(r->arena, h + n + 1, len - n - 1);
        h += len;
    }
    return NULL;
}

bool req_mutating(struct request *r)
{
    enum evhttp_cmd_type m = evhttp_request_get_command(r->ev);
    return m != EVHTTP_REQ_GET && m != EVHTTP_REQ_HEAD && m != EVHTTP_REQ_OPTIONS;
}
