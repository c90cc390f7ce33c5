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
    if (n > LIMIT_QUERY_VALUE_BYTES || !text_utf8_valid(v, n))
        return -1;
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
    return !(strncmp(q, ";q=0", 4) == 0 && (q[4] == '\0' || q[4] == ',' || q[4] == ' ' ||
                                            (q[4] == '.' && strspn(q + 5, "0") > 0 &&
                                             (q[5 + strspn(q + 5, "0")] == '\0' ||
                                              q[5 + strspn(q + 5, "0")] == ','))));
}
