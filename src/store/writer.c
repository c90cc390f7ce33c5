/* Group-commit writer (see writer.h). */
#include "store/writer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/banned.h"

struct job {
    struct job *next;
    writer_fn fn;
    void *ctx;
    writer_done_fn done;
    void *done_ctx;
    struct event *ev; /* NULL: a waiting thread (writer_run) */
    int rc;
    bool finished;
};

struct writer {
    struct store *store;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t ready, finished;
    struct job *head, *tail;
    bool stopping;
    _Atomic unsigned long long commits, jobs;
};

static void deliver(evutil_socket_t fd, short what, void *arg)
{
    struct job *j = arg;
    (void)fd, (void)what;
    j->done(j->done_ctx, j->rc);
    event_free(j->ev);
    free(j);
}

static void run_batch(struct writer *w, struct job *batch)
{
    int rc = w->store->ops->begin(w->store);
    for (struct job *j = batch; j; j = j->next) {
        if (rc != STORE_OK) {
            j->rc = rc;
            continue;
        }
        j->rc = w->store->ops->savepoint(w->store, SAVEPOINT_BEGIN);
        if (j->rc == STORE_OK)
            j->rc = j->fn(w->store, j->ctx);
        if (j->rc != STORE_OK)
            w->store->ops->savepoint(w->store, SAVEPOINT_ROLLBACK);
        w->store->ops->savepoint(w->store, SAVEPOINT_RELEASE);
    }
    if (rc == STORE_OK)
        rc = w->store->ops->commit(w->store);
    if (rc != STORE_OK) {
        w->store->ops->rollback(w->store);
        log_error("group_commit_failed", "status=%d", rc);
        for (struct job *j = batch; j; j = j->next)
            j->rc = j->rc == STORE_OK ? rc : j->rc;
    } else {
        atomic_fetch_add(&w->commits, 1);
    }
}

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->lock);
        while (!w->head && !w->stopping)
            pthread_cond_wait(&w->ready, &w->lock);
        if (!w->head) {
            pthread_mutex_unlock(&w->lock);
            return NULL;
        }
        /* take up to WRITER_MAX_BATCH jobs */
        struct job *batch = w->head, *last = batch;
        int n = 1;
        while (last->next && n < WRITER_MAX_BATCH) {
            last = last->next;
            n++;
        }
        w->head = last->next;
        if (!w->head)
            w->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&w->lock);

        run_batch(w, batch);
        atomic_fetch_add(&w->jobs, (unsigned long long)n);

        struct job *j = batch;
        while (j) {
            struct job *next = j->next;
            if (j->ev) {
                event_active(j->ev, EV_READ, 0);
            } else {
                pthread_mutex_lock(&w->lock);
                j->finished = true;
                pthread_cond_broadcast(&w->finished);
                pthread_mutex_unlock(&w->lock);
            }
            j = next;
        }
    }
}

struct writer *writer_new(const char *db_url, const char **err)
{
    struct writer *w = xcalloc(1, sizeof *w);
    if (store_open(db_url, &w->store, err) != STORE_OK) {
        free(w);
        return NULL;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->ready, NULL);
    pthread_cond_init(&w->finished, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        *err = "cannot start the writer thread";
        store_close(w->store);
        free(w);
        return NULL;
    }
    return w;
}

void writer_free(struct writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    pthread_cond_broadcast(&w->ready);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->ready);
    pthread_cond_destroy(&w->finished);
    pthread_mutex_destroy(&w->lock);
    store_close(w->store);
    free(w);
}

static void enqueue(struct writer *w, struct job *j)
{
    pthread_mutex_lock(&w->lock);
    if (w->tail)
        w->tail->next = j;
    else
        w->head = j;
    w->tail = j;
    pthread_cond_signal(&w->ready);
    pthread_mutex_unlock(&w->lock);
}

void writer_submit(struct writer *w, struct event_base *base, writer_fn fn, void *ctx,
                   writer_done_fn done, void *done_ctx)
{
    struct job *j = xcalloc(1, sizeof *j);
    j->fn = fn;
    j->ctx = ctx;
    j->done = done;
    j->done_ctx = done_ctx;
    j->ev = event_new(base, -1, 0, deliver, j);
    enqueue(w, j);
}

int writer_run(struct writer *w, writer_fn fn, void *ctx)
{
    struct job j = {.fn = fn, .ctx = ctx};
    enqueue(w, &j);
    pthread_mutex_lock(&w->lock);
    while (!j.finished)
        pthread_cond_wait(&w->finished, &w->lock);
    pthread_mutex_unlock(&w->lock);
    return j.rc;
}

void writer_stats(struct writer *w, unsigned long long *commits, unsigned long long *jobs)
{
    *commits = atomic_load(&w->commits);
    *jobs = atomic_load(&w->jobs);
}
