/* Reply writing (see reply.h). */
#include "http/reply.h"

#include <event2/buffer.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "store/store.h"
#include "core/banned.h"

/* The policy in three parts, so that a page's own sources (reply_csp_with) can follow
 * script-src and style-src. */
#define CSP_SCRIPTS "default-src 'self'; script-src 'self'"
#define CSP_STYLES  "; style-src 'self'"
#define CSP_REST                                                                                   \
    "; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; "  \
    "manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; "                 \
    "form-action 'self'; frame-ancestors 'none'"

static const char content_security_policy[] = CSP_SCRIPTS CSP_STYLES CSP_REST;

char *reply_csp_with(const char *scripts, const char *styles)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    buf_adds(&b, CSP_SCRIPTS);
    if (scripts && *scripts)
        buf_addf(&b, " %s", scripts);
    buf_adds(&b, CSP_STYLES);
    if (styles && *styles)
        buf_addf(&b, " %s", styles);
    buf_adds(&b, CSP_REST);
    char *out = buf_failed(&b) ? NULL : buf_detach(&b, NULL);
    buf_release(&b);
    return out;
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 429:
        return "Too Many Requests";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    default:
        return status >= 500 ? "Internal Server Error" : "Error";
    }
}

void reply_header(struct request *r, const char *name, const char *value)
{
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), name, value);
}

static void security_headers(struct request *r)
{
    struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
    if (!evhttp_find_header(h, "Content-Security-Policy")) /* a page may bring its own */
        evhttp_add_header(h, "Content-Security-Policy", content_security_policy);
    evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
    evhttp_add_header(h, "Referrer-Policy", "no-referrer");
    evhttp_add_header(h, "X-Frame-Options", "DENY");
    evhttp_add_header(h, "Cross-Origin-Opener-Policy", "same-origin");
    evhttp_add_header(h, "Cross-Origin-Resource-Policy", "same-origin");
    evhttp_add_header(h, "Permissions-Policy",
                      "camera=(self), microphone=(self), geolocation=(), payment=()");
    evhttp_add_header(h, "X-Request-Id", r->id);
    if (!evhttp_find_header(h, "Cache-Control"))
        evhttp_add_header(h, "Cache-Control", "no-store");
    if (server_stopping(r->loop))
        evhttp_add_header(h, "Connection", "close");
}

static int route_index(const struct request *r)
{
    if (!r->route)
        return r->path && strncmp(r->path, "/api/", 5) != 0 ? METRICS_ROUTE_STATIC
                                                            : METRICS_ROUTE_NONE;
    return server_route_index(r->route);
}

void reply_send(struct request *r, int status, const char *content_type, const void *body,
                size_t len)
{
    if (r->replied) {
        log_error("double_reply", "rid=%s status=%d", r->id, status);
        return;
    }
    r->replied = true;
    security_headers(r);
    if (content_type)
        reply_header(r, "Content-Type", content_type);
    struct evbuffer *out = evbuffer_new();
    if (len && evhttp_request_get_command(r->ev) != EVHTTP_REQ_HEAD)
        evbuffer_add(out, body, len);
    evhttp_send_reply(r->ev, status, reason(status), out);
    evbuffer_free(out);

    uint64_t ns = clock_mono_ns() - r->started_ns;
    log_info("request", "rid=%s method=%s route=%s status=%d ms=%.3f bytes=%zu", r->id,
             router_method_name(evhttp_request_get_command(r->ev)),
             r->route ? r->route->pattern
                      : (route_index(r) == METRICS_ROUTE_STATIC ? "static" : "none"),
             status, (double)ns / 1e6, len);
    metrics_observe(route_index(r), status, ns);
    server_request_done(r);
    request_release(r);
}

void reply_json(struct request *r, int status, json_t *doc)
{
    char *text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(12));
    json_decref(doc);
    if (!text) {
        reply_send(
            r, 500, "application/json; charset=utf-8",
            "{\"error\":{\"code\":\"internal\",\"message\":\"Internal error.\",\"field\":null}}",
            73);
        return;
    }
    reply_send(r, status, "application/json; charset=utf-8", text, strlen(text));
    free(text);
}

void reply_error(struct request *r, enum err e, const char *field)
{
    const struct err_info *info = err_info(e);
    json_t *doc =
        json_pack("{s:{s:s,s:s,s:s?}}", "error", "code", info->code, "message",
                  r->lang == LANG_KM ? info->message_km : info->message_en, "field", field);
    if (e == ERR_RATE_LIMITED &&
        !evhttp_find_header(evhttp_request_get_output_headers(r->ev), "Retry-After"))
        reply_header(r, "Retry-After", "1");
    reply_json(r, info->status, doc);
}

/* A field name from the client is named back only if it looks like one of ours. */
static bool plain_name(const char *s)
{
    size_t n = 0;
    for (; s && s[n]; n++)
        if (n >= 64 || !((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') ||
                         s[n] == '_' || s[n] == '.'))
            return false;
    return n > 0;
}

void reply_jf_error(struct request *r, const struct jf_error *err)
{
    reply_error(r, err_from_code(err->code), plain_name(err->field) ? err->field : NULL);
}

void reply_problem(struct request *r, const struct problem *p)
{
    enum err e = err_from_code(p->code);
    if (p->code && strcmp(p->code, "not_found") == 0)
        e = ERR_NOT_FOUND;
    reply_error(r, e, p->field);
}

void reply_store_error(struct request *r, int store_status)
{
    if (store_status == STORE_NOT_FOUND)
        reply_error(r, ERR_NOT_FOUND, NULL);
    else if (store_status == STORE_CONFLICT)
        reply_error(r, ERR_CONFLICT, NULL);
    else {
        log_error("store_failed", "rid=%s status=%d", r->id, store_status);
        reply_error(r, store_status == STORE_RETRY ? ERR_UNAVAILABLE : ERR_INTERNAL, NULL);
    }
}
