/* The worker pool for slow work (Argon2id, image clean-up, PDF rendering). A job's work()
 * runs on a worker thread; its done() then runs on the event loop that submitted it, where
 * the reply is sent. */
#ifndef OURVOICE_POOL_H
#define OURVOICE_POOL_H

#include <event2/event.h>

struct pool;

typedef void (*pool_fn)(void *arg);

struct pool *pool_new(int threads);
/* Waits for queued jobs to finish, then stops the threads. */
void pool_free(struct pool *p);

void pool_submit(struct pool *p, struct event_base *base, pool_fn work, pool_fn done, void *arg);

#endif
