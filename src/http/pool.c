/* Worker pool: a mutex-protected FIFO and N threads. Completion is signalled to the
 * submitting loop with event_active() on a per-job event (libevent's pthread support makes
 * that safe from another thread). */
#include "http/pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "core/banned.h"

struct job {
    struct job *next;
    pool_fn work, done;
    void *arg;
    struct event *ev;
};

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    struct job *head, *tail;
    bool stopping;
    int count;
    pthread_t threads[LIMIT_WORKERS];
};

static void *worker(void *arg)
{
    struct pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        while (!p->head && !p->stopping)
            pthread_cond_wait(&p->ready, &p->lock);
        struct job *j = p->head;
        if (!j) {
            pthread_mutex_unlock(&p->lock);
            return NULL;
        }
        p->head = j->next;
        if (!p->head)
            p->tail = NULL;
        pthread_mutex_unlock(&p->lock);
        j->work(j->arg);
        event_active(j->ev, EV_READ, 0);
    }
}

static void finish(evutil_socket_t fd, short what, void *arg)
{
    struct job *j = arg;
    (void)fd, (void)what;
    j->done(j->arg);
    event_free(j->ev);
    free(j);
}

struct pool *pool_new(int threads)
{
    struct pool *p = xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->ready, NULL);
    if (threads < 1)
        threads = 1;
    if (threads > LIMIT_WORKERS)
        threads = LIMIT_WORKERS;
    for (p->count = 0; p->count < threads; p->count++)
        if (pthread_create(&p->threads[p->count], NULL, worker, p) != 0)
            break;
    return p;
}

void pool_free(struct pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->ready);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->count; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->ready);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

void pool_submit(struct pool *p, struct event_base *base, pool_fn work, pool_fn done, void *arg)
{
    struct job *j = xcalloc(1, sizeof *j);
    j->work = work;
    j->done = done;
    j->arg = arg;
    j->ev = event_new(base, -1, 0, finish, j);
    pthread_mutex_lock(&p->lock);
    if (p->tail)
        p->tail->next = j;
    else
        p->head = j;
    p->tail = j;
    pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->lock);
}
