/* Server glue (see server.h): start-up, the per-loop threads, request dispatch through the
 * router (framing, URL, body and content-type checks before any handler), deferred work,
 * and the graceful stop. */
#include "http/server.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/text.h"
#include "http/metrics.h"
#include "http/reply.h"
#include "http/static.h"
#include "store/store.h"
#include "store/writer.h"
#include "core/banned.h"

struct server;

struct loop {
    struct server *server;
    int index;
    pthread_t thread;
    struct event_base *base;
    struct evhttp *http;
    struct evhttp_bound_socket *bound;
    struct store *store;
    struct store *read_store; /* --db-read's connection, or NULL */
    struct event *stop_event, *drain_timer;
    int in_flight; /* requests not yet written out; touched only on this loop's thread */
    uint64_t drain_deadline_ns;
};

struct server {
    const struct server_config *cfg;
    const struct route_table *routes;
    struct static_site *site;
    struct pool *pool;
    struct writer *writer;
    struct loop loops[LIMIT_LOOPS];
    int nloops;
    atomic_bool stopping;
};

bool server_stopping(const struct loop *loop)
{
    return atomic_load(&loop->server->stopping);
}

size_t server_max_body(const struct loop *loop)
{
    return loop->server->cfg->max_body;
}

static const struct route_table *current_routes;

int server_route_index(const struct route *route)
{
    return current_routes ? (int)(route - current_routes->routes) : METRICS_ROUTE_NONE;
}

void server_request_done(struct request *r)
{
    metrics_inflight(-1);
}

/* A request stays in flight (holding up a stop) until its answer has left the output
 * buffer, or its connection is gone: a reply only queues the answer, and a loop that ended
 * right after the reply would close the connection with the answer unsent. evhttp handles
 * one request at a time per connection, so the connection's close callback is this
 * request's until the answer is written. */
struct flight {
    struct loop *loop;
    struct evhttp_connection *conn;
};

static void flight_end(struct flight *f)
{
    f->loop->in_flight--;
    free(f);
}

static void flight_written(struct evhttp_request *ev, void *arg)
{
    struct flight *f = arg;
    (void)ev;
    evhttp_connection_set_closecb(f->conn, NULL, NULL);
    flight_end(f);
}

static void flight_dropped(struct evhttp_connection *conn, void *arg)
{
    (void)conn;
    flight_end(arg);
}

static void flight_begin(struct loop *loop, struct evhttp_request *ev)
{
    struct flight *f = xmalloc(sizeof *f);
    f->loop = loop;
    f->conn = evhttp_request_get_connection(ev);
    evhttp_request_set_on_complete_cb(ev, flight_written, f);
    evhttp_connection_set_closecb(f->conn, flight_dropped, f);
    loop->in_flight++;
}

void request_release(struct request *r)
{
    if (r->replied && r->holds == 0 && r->pending == 0)
        arena_free(r->arena);
}

/* ---- deferred work ---- */

struct deferred {
    struct request *r;
    pool_fn work;
    server_done_fn done;
    void *arg;
};

static void finish_request(struct request *r);

static void deferred_work(void *p)
{
    struct deferred *d = p;
    d->work(d->arg);
}

static void deferred_done(void *p)
{
    struct deferred *d = p;
    struct request *r = d->r;
    r->holds++;
    r->pending--;
    d->done(r, d->arg);
    r->holds--;
    finish_request(r);
}

void server_defer(struct request *r, pool_fn work, server_done_fn done, void *arg)
{
    struct deferred *d = arena_alloc(r->arena, sizeof *d);
    d->r = r;
    d->work = work;
    d->done = done;
    d->arg = arg;
    r->pending++;
    pool_submit(r->loop->server->pool, r->loop->base, deferred_work, deferred_done, d);
}

/* ---- durable writes ---- */

struct pending_write {
    struct request *r;
    void *ctx;
    server_write_done_fn done;
};

/* After a handler or a completion ran: a request with nothing pending must have replied. */
static void finish_request(struct request *r)
{
    if (r->pending && !r->replied)
        return; /* a worker or the writer answers later */
    if (!r->replied) {
        log_error("no_reply", "rid=%s route=%s", r->id, r->route ? r->route->pattern : "-");
        reply_error(r, ERR_INTERNAL, NULL);
    } else {
        request_release(r);
    }
}

static void write_done(void *p, int rc)
{
    struct pending_write *pw = p;
    struct request *r = pw->r;
    r->holds++;
    r->pending--;
    pw->done(r, pw->ctx, rc);
    r->holds--;
    finish_request(r);
}

void server_write(struct request *r, server_write_fn fn, void *ctx, server_write_done_fn done)
{
    struct pending_write *pw = arena_alloc(r->arena, sizeof *pw);
    pw->r = r;
    pw->ctx = ctx;
    pw->done = done;
    r->pending++;
    writer_submit(r->loop->server->writer, r->loop->base, fn, ctx, write_done, pw);
}

static void detached_done(void *ctx, int rc)
{
    if (rc != STORE_OK)
        log_warn("detached_write_failed", "status=%d", rc);
    free(ctx);
}

void server_write_detached(struct request *r, server_write_fn fn, void *ctx)
{
    writer_submit(r->loop->server->writer, r->loop->base, fn, ctx, detached_done, ctx);
}

static struct server *running;

struct writer *server_writer(void)
{
    return running ? running->writer : NULL;
}

const struct server_config *server_config(void)
{
    return running ? running->cfg : NULL;
}

/* ---- dispatch ---- */

static enum lang language_of(struct evhttp_request *ev)
{
    const char *al = evhttp_find_header(evhttp_request_get_input_headers(ev), "Accept-Language");
    return al && strncasecmp(al, "km", 2) == 0 ? LANG_KM : LANG_EN;
}

/* How many times a header occurs (evhttp_find_header sees only the first). */
static int header_count(struct evkeyvalq *h, const char *name)
{
    int n = 0;
    struct evkeyval *kv;
    TAILQ_FOREACH(kv, h, next)
    n += strcasecmp(kv->key, name) == 0;
    return n;
}

static bool framing_ok(struct evhttp_request *ev)
{
    struct evkeyvalq *h = evhttp_request_get_input_headers(ev);
    /* libevent frames the body by the first of repeated length headers; what follows would
     * be read as the next request on the connection */
    if (header_count(h, "Content-Length") > 1 || header_count(h, "Transfer-Encoding") > 1)
        return false;
    const char *te = evhttp_find_header(h, "Transfer-Encoding");
    if (!te)
        return true;
    return strcasecmp(te, "chunked") == 0 && !evhttp_find_header(h, "Content-Length");
}

static bool is_json(const char *content_type)
{
    if (!content_type)
        return false;
    size_t n = strlen("application/json");
    if (strncasecmp(content_type, "application/json", n) != 0)
        return false;
    const char *rest = content_type + n;
    while (*rest == ' ')
        rest++;
    return *rest == '\0' || *rest == ';';
}

static bool api_path(const char *path)
{
    return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0 ||
           strncmp(path, "/open311/", 9) == 0;
}

/* The decoded path, or NULL if it holds a NUL byte or is not UTF-8. */
static const char *decode_path(struct request *r)
{
    const char *raw = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(r->ev));
    if (!raw || raw[0] != '/')
        return NULL;
    size_t len;
    char *decoded = evhttp_uridecode(raw, 0, &len);
    if (!decoded)
        return NULL;
    const char *path = NULL;
    if (strlen(decoded) == len && text_utf8_valid(decoded, len))
        path = arena_strndup(r->arena, decoded, len);
    free(decoded);
    return path;
}

/* Checks and parses the body the route declares; replies and returns false on error. */
static bool take_body(struct request *r)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
    size_t len = evbuffer_get_length(in);
    size_t limit = r->route->body_limit;
    if (limit == ROUTE_BODY_DEFAULT)
        limit = server_max_body(r->loop);
    if (len > limit) {
        reply_error(r, ERR_BODY_TOO_LARGE, NULL);
        return false;
    }
    if (!(r->route->flags & ROUTE_JSON_BODY))
        return true;
    if (!is_json(req_header(r, "Content-Type"))) {
        reply_error(r, ERR_UNSUPPORTED_MEDIA_TYPE, NULL);
        return false;
    }
    const char *text = (const char *)evbuffer_pullup(in, -1);
    struct jf_error err;
    if (jf_load(text ? text : "", len, LIMIT_JSON_DEPTH, &r->body, &err) < 0) {
        reply_jf_error(r, &err);
        return false;
    }
    arena_defer(r->arena, (arena_dispose_fn)json_decref, r->body);
    return true;
}

static void route_request(struct request *r)
{
    struct server *srv = r->loop->server;
    enum evhttp_cmd_type method = evhttp_request_get_command(r->ev);
    char allow[128];
    const struct route *route = NULL;
    enum route_match m = router_match(srv->routes, method, r->path, r->arena, &route, r->params,
                                      allow, sizeof allow);
    if (m == ROUTE_FOUND && (route->flags & ROUTE_TEST_HOOK) && !srv->cfg->test_hooks)
        m = ROUTE_NO_PATH;
    if (m == ROUTE_WRONG_METHOD) {
        reply_header(r, "Allow", allow);
        reply_error(r, ERR_METHOD_NOT_ALLOWED, NULL);
        return;
    }
    if (m == ROUTE_NO_PATH) {
        if ((method == EVHTTP_REQ_GET || method == EVHTTP_REQ_HEAD) && !api_path(r->path))
            static_serve(srv->site, r);
        else
            reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    r->route = route;
    if (!take_body(r))
        return;
    if (route->access != ACCESS_PUBLIC &&
        (!srv->cfg->authenticate || srv->cfg->authenticate(r) < 0)) {
        if (!r->replied)
            reply_error(r, ERR_UNAUTHENTICATED, NULL);
        return;
    }
    route->handler(r);
}

static void dispatch(struct evhttp_request *ev, void *arg)
{
    struct loop *loop = arg;
    struct arena *a = arena_new();
    struct request *r = arena_zalloc(a, sizeof *r);
    r->ev = ev;
    r->arena = a;
    r->loop = loop;
    r->store = loop->store;
    r->read_store = loop->read_store ? loop->read_store : loop->store;
    r->started_ns = clock_mono_ns();
    r->lang = language_of(ev);
    r->holds = 1;
    ids_request(r->id);
    flight_begin(loop, ev);
    metrics_inflight(1);

    if (!framing_ok(ev)) {
        reply_header(r, "Connection", "close");
        reply_error(r, ERR_BAD_FRAMING, NULL);
    } else if (strlen(evhttp_request_get_uri(ev)) > LIMIT_URL_BYTES) {
        reply_error(r, ERR_URI_TOO_LONG, NULL);
    } else if (!(r->path = decode_path(r))) {
        reply_error(r, ERR_BAD_REQUEST, NULL);
    } else {
        route_request(r);
    }
    r->holds--;
    finish_request(r);
}

/* ---- loops and the stop ---- */

static void drain_check(evutil_socket_t fd, short what, void *arg)
{
    struct loop *loop = arg;
    (void)fd, (void)what;
    if (loop->in_flight == 0 || clock_mono_ns() > loop->drain_deadline_ns) {
        if (loop->in_flight)
            log_warn("stop_grace_expired", "loop=%d in_flight=%d", loop->index, loop->in_flight);
        event_base_loopexit(loop->base, NULL);
    }
}

static void on_stop(evutil_socket_t fd, short what, void *arg)
{
    struct loop *loop = arg;
    (void)fd, (void)what;
    if (loop->bound) {
        evhttp_del_accept_socket(loop->http, loop->bound);
        loop->bound = NULL;
    }
    loop->drain_deadline_ns =
        clock_mono_ns() + (uint64_t)LIMIT_SHUTDOWN_GRACE_SECONDS * 1000000000u;
    struct timeval every = {0, 20000};
    loop->drain_timer = event_new(loop->base, -1, EV_PERSIST, drain_check, loop);
    event_add(loop->drain_timer, &every);
    drain_check(-1, 0, loop);
}

static void *loop_main(void *arg)
{
    struct loop *loop = arg;
    event_base_dispatch(loop->base);
    return NULL;
}

static int resolve(const char *host, int port, struct sockaddr_storage *sa, socklen_t *len)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res;
    char service[8];
    snprintf(service, sizeof service, "%d", port);
    if (getaddrinfo(host, service, &hints, &res) != 0)
        return -1;
    memcpy(sa, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

static void set_port(struct sockaddr_storage *sa, int port)
{
    if (sa->ss_family == AF_INET)
        ((struct sockaddr_in *)sa)->sin_port = htons((uint16_t)port);
    else
        ((struct sockaddr_in6 *)sa)->sin6_port = htons((uint16_t)port);
}

static int bound_port(struct evconnlistener *l)
{
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    if (getsockname(evconnlistener_get_fd(l), (struct sockaddr *)&sa, &len) < 0)
        return -1;
    return ntohs(sa.ss_family == AF_INET ? ((struct sockaddr_in *)&sa)->sin_port
                                         : ((struct sockaddr_in6 *)&sa)->sin6_port);
}

static int loop_init(struct server *srv, struct loop *loop, struct sockaddr_storage *sa,
                     socklen_t salen, int *port)
{
    const char *err = NULL;
    loop->server = srv;
    if (!(loop->base = event_base_new()) || !(loop->http = evhttp_new(loop->base))) {
        log_error("start_failed", "reason=\"cannot create an event loop\"");
        return -1;
    }
    if (store_open(srv->cfg->db_url, &loop->store, &err) != STORE_OK ||
        (srv->cfg->db_read_url &&
         store_open(srv->cfg->db_read_url, &loop->read_store, &err) != STORE_OK)) {
        log_error("start_failed", "reason=\"%s\"", err);
        return -1;
    }
    evhttp_set_max_headers_size(loop->http, LIMIT_HEADERS_BYTES);
    evhttp_set_max_body_size(loop->http, LIMIT_BODY_ABSOLUTE);
    evhttp_set_timeout(loop->http, LIMIT_REQUEST_TIMEOUT_SECONDS);
    evhttp_set_allowed_methods(loop->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                               EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                               EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE |
                                               EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
    evhttp_set_gencb(loop->http, dispatch, loop);
    set_port(sa, *port);
    struct evconnlistener *l = evconnlistener_new_bind(
        loop->base, NULL, NULL,
        LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT | LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC,
        1024, (struct sockaddr *)sa, (int)salen);
    if (!l) {
        log_error("start_failed", "reason=\"cannot listen on the address and port\"");
        return -1;
    }
    /* accepted sockets inherit it: a reply's last segment is never held back waiting for
     * the client's (delayed) acknowledgement of the previous one */
    int one = 1;
    setsockopt(evconnlistener_get_fd(l), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (*port == 0)
        *port = bound_port(l);
    loop->bound = evhttp_bind_listener(loop->http, l);
    loop->stop_event = event_new(loop->base, -1, 0, on_stop, loop);
    return loop->bound && loop->stop_event ? 0 : -1;
}

static void loop_release(struct loop *loop)
{
    if (loop->http)
        evhttp_free(loop->http);
    if (loop->stop_event)
        event_free(loop->stop_event);
    if (loop->drain_timer)
        event_free(loop->drain_timer);
    if (loop->base)
        event_base_free(loop->base);
    store_close(loop->store);
    store_close(loop->read_store);
}

static int cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > LIMIT_LOOPS ? LIMIT_LOOPS : (int)n;
}

static void wait_for_signal(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    sigwait(&set, &sig);
    log_info("stopping", "signal=%s", sig == SIGINT ? "SIGINT" : "SIGTERM");
}

static void block_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int server_run(const struct server_config *cfg, const struct route_table *routes)
{
    static struct server srv;
    memset(&srv, 0, sizeof srv);
    srv.cfg = cfg;
    srv.routes = routes;
    current_routes = routes;
    metrics_init(routes);
    const char *err = NULL;
    if (static_load(cfg->web_dir, cfg->data_dir, &srv.site, &err) < 0) {
        log_error("start_failed", "reason=\"%s\"", err);
        return 1;
    }
    block_signals();
    evthread_use_pthreads();
    srv.nloops = cfg->loops > 0 ? (cfg->loops > LIMIT_LOOPS ? LIMIT_LOOPS : cfg->loops) : cores();
    struct sockaddr_storage sa;
    socklen_t salen;
    int port = cfg->port, rc = 0;
    if (resolve(cfg->bind, port, &sa, &salen) < 0) {
        log_error("start_failed", "reason=\"cannot resolve the bind address\"");
        static_free(srv.site);
        return 1;
    }
    for (int i = 0; i < srv.nloops && rc == 0; i++) {
        srv.loops[i].index = i;
        rc = loop_init(&srv, &srv.loops[i], &sa, salen, &port);
    }
    if (rc == 0 && !(srv.writer = writer_new(cfg->db_url, &err))) {
        log_error("start_failed", "reason=\"%s\"", err);
        rc = -1;
    }
    if (rc == 0) {
        srv.pool = pool_new(cfg->workers > 0 ? cfg->workers : cores());
        running = &srv;
        if (cfg->start_jobs)
            cfg->start_jobs(cfg);
        for (int i = 0; i < srv.nloops; i++)
            pthread_create(&srv.loops[i].thread, NULL, loop_main, &srv.loops[i]);
        printf("listening on http://%s:%d\n", cfg->bind, port);
        fflush(stdout);
        log_info("listening", "bind=%s port=%d loops=%d static_files=%zu", cfg->bind, port,
                 srv.nloops, static_count(srv.site));
        wait_for_signal();
        atomic_store(&srv.stopping, true);
        for (int i = 0; i < srv.nloops; i++)
            event_active(srv.loops[i].stop_event, EV_READ, 0);
        for (int i = 0; i < srv.nloops; i++)
            pthread_join(srv.loops[i].thread, NULL);
        if (cfg->stop_jobs)
            cfg->stop_jobs();
        pool_free(srv.pool);
        log_info("stopped", "clean=1");
    }
    writer_free(srv.writer);
    running = NULL;
    for (int i = 0; i < srv.nloops; i++)
        loop_release(&srv.loops[i]);
    static_free(srv.site);
    libevent_global_shutdown();
    return rc == 0 ? 0 : 1;
}
