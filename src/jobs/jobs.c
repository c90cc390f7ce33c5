/* The background jobs thread (see jobs.h). The interval comes from OURVOICE_JOBS_INTERVAL
 * (seconds, default 30); the thread wakes early to stop. */
#include "jobs/jobs.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "core/log.h"
#include "domain/workflow.h"
#include "jobs/outbox.h"
#include "core/banned.h"

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static bool running, stopping;
static const char *db_url;

struct deadline_pass {
    int escalated;
};

static int deadlines_tx(struct store *s, void *ctx)
{
    struct deadline_pass *p = ctx;
    struct arena *a = arena_new();
    int rc = workflow_escalate_overdue(s, a, &p->escalated);
    arena_free(a);
    return rc;
}

int jobs_deadlines(struct writer *w, int *escalated)
{
    struct deadline_pass p = {0};
    int rc = writer_run(w, deadlines_tx, &p);
    *escalated = rc == STORE_OK ? p.escalated : 0;
    if (*escalated)
        log_info("deadlines_escalated", "count=%d", *escalated);
    return rc;
}

static void *jobs_main(void *arg)
{
    (void)arg;
    const char *v = getenv("OURVOICE_JOBS_INTERVAL");
    long interval = v ? strtol(v, NULL, 10) : 30;
    if (interval < 1)
        interval = 1;
    struct outbox_config cfg;
    outbox_config_from_env(&cfg);
    struct store *s = NULL;
    const char *err;
    if (store_open(db_url, &s, &err) != STORE_OK) {
        log_error("jobs_failed", "reason=\"%s\"", err);
        return NULL;
    }
    pthread_mutex_lock(&lock);
    while (!stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += interval;
        pthread_cond_timedwait(&wake, &lock, &until);
        if (stopping)
            break;
        pthread_mutex_unlock(&lock);
        int escalated;
        jobs_deadlines(server_writer(), &escalated);
        outbox_drain(s, &cfg, 100);
        pthread_mutex_lock(&lock);
    }
    pthread_mutex_unlock(&lock);
    store_close(s);
    return NULL;
}

void jobs_start(const struct server_config *cfg)
{
    db_url = cfg->db_url;
    stopping = false;
    running = pthread_create(&thread, NULL, jobs_main, NULL) == 0;
}

void jobs_stop(void)
{
    if (!running)
        return;
    pthread_mutex_lock(&lock);
    stopping = true;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
    running = false;
}
