/* Operational endpoints: health, Prometheus metrics, and the test hooks that exist only
 * when the server runs with --test-hooks. */
#include <stdlib.h>
#include <time.h>

#include "api/handlers.h"
#include "core/buf.h"
#include "core/clock.h"
#include "domain/workflow.h"
#include "jobs/outbox.h"
#include "http/metrics.h"
#include "http/reply.h"
#include "http/server.h"
#include "core/banned.h"

void h_healthz(struct request *r)
{
    reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

void h_metrics(struct request *r)
{
    struct buf out;
    buf_init(&out, 1 << 20);
    metrics_render(&out);
    reply_send(r, 200, "text/plain; version=0.0.4; charset=utf-8", buf_cstr(&out), out.len);
    buf_release(&out);
}

/* Test hook: holds a worker for ?ms= milliseconds (at most 10 s), then answers. Lets the
 * tests check that a stop lets slow requests finish. */
struct sleep_job {
    long ms;
};

static void sleep_work(void *arg)
{
    struct sleep_job *job = arg;
    struct timespec ts = {job->ms / 1000, (job->ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void sleep_done(struct request *r, void *arg)
{
    struct sleep_job *job = arg;
    reply_json(r, 200, json_pack("{s:s,s:I}", "status", "ok", "slept_ms", (json_int_t)job->ms));
}

void h_test_sleep(struct request *r)
{
    const char *ms;
    if (req_query(r, "ms", &ms) < 0 || !ms) {
        reply_error(r, ERR_MISSING_FIELD, "ms");
        return;
    }
    char *end;
    long v = strtol(ms, &end, 10);
    if (*end || v < 0 || v > 10000) {
        reply_error(r, ERR_OUT_OF_RANGE, "ms");
        return;
    }
    struct sleep_job *job = arena_alloc(r->arena, sizeof *job);
    job->ms = v;
    server_defer(r, sleep_work, sleep_done, job);
}

/* Test hook: answers 200 with the JSON body it was sent. The server checks the body (size,
 * content type, UTF-8, depth, syntax) before this runs, so the tests of those checks need
 * no real endpoint. */
void h_test_echo(struct request *r)
{
    reply_json(r, 200, json_incref(r->body));
}

/* Test hook: moves the clock by offset_seconds (from the real time). */
struct clock_body {
    long long offset_seconds;
};

void h_test_clock(struct request *r)
{
    static const struct jf_field fields[] = {{"offset_seconds", JF_INT, true, false, 0,
                                              -400LL * 86400, 400LL * 86400, NULL,
                                              offsetof(struct clock_body, offset_seconds)}};
    struct clock_body b;
    struct jf_error err;
    if (jf_parse(r->body, fields, 1, &b, &err) < 0) {
        reply_jf_error(r, &err);
        return;
    }
    clock_set_offset(b.offset_seconds);
    char now[32];
    clock_format(clock_now(), now, sizeof now);
    reply_json(r, 200, json_pack("{s:s}", "now", now));
}

/* Test hook: one pass of the deadline job, now. */
struct deadline_hook {
    int escalated;
};

static int deadline_hook_tx(struct store *s, void *ctx)
{
    struct deadline_hook *h = ctx;
    struct arena *a = arena_new();
    int rc = workflow_escalate_overdue(s, a, &h->escalated);
    arena_free(a);
    return rc;
}

static void deadline_hook_done(struct request *r, void *ctx, int rc)
{
    struct deadline_hook *h = ctx;
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    else
        reply_json(r, 200, json_pack("{s:i}", "escalated", h->escalated));
}

void h_test_jobs(struct request *r)
{
    struct deadline_hook *h = arena_zalloc(r->arena, sizeof *h);
    server_write(r, deadline_hook_tx, h, deadline_hook_done);
}

/* Test hook: one pass of the outbox sender, now (on a worker, with its own connection). */
struct outbox_hook {
    const char *db_url;
    int sent;
};

static void outbox_hook_work(void *ctx)
{
    struct outbox_hook *h = ctx;
    struct store *s;
    const char *err;
    struct outbox_config cfg;
    outbox_config_from_env(&cfg);
    h->sent = -1;
    if (store_open(h->db_url, &s, &err) != STORE_OK)
        return;
    h->sent = outbox_drain(s, &cfg, 1000);
    store_close(s);
}

static void outbox_hook_done(struct request *r, void *ctx)
{
    struct outbox_hook *h = ctx;
    if (h->sent < 0)
        reply_error(r, ERR_INTERNAL, NULL);
    else
        reply_json(r, 200, json_pack("{s:i}", "sent", h->sent));
}

void h_test_outbox(struct request *r)
{
    struct outbox_hook *h = arena_zalloc(r->arena, sizeof *h);
    h->db_url = server_config()->db_url;
    server_defer(r, outbox_hook_work, outbox_hook_done, h);
}
