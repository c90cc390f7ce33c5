/* Operational endpoints: health, Prometheus metrics, and the test hooks that exist only
 * when the server runs with --test-hooks. */
#include <stdlib.h>
#include <time.h>

#include "api/handlers.h"
#include "core/buf.h"
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
