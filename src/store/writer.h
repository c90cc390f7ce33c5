/* The single writer: durable writes from every event loop go through one thread with its
 * own connection, which groups the jobs that are waiting into one transaction (each job in
 * its own SAVEPOINT, so one job's failure does not undo the others) and one COMMIT. A job's
 * done() runs on the loop that submitted it, after the COMMIT returned. */
#ifndef OURVOICE_WRITER_H
#define OURVOICE_WRITER_H

#include <event2/event.h>

#include "store/store.h"

#define WRITER_MAX_BATCH 256

struct writer;

typedef int (*writer_fn)(struct store *s, void *ctx);
typedef void (*writer_done_fn)(void *ctx, int rc);

/* Opens its own connection to db_url and starts the thread. NULL with *err on failure. */
struct writer *writer_new(const char *db_url, const char **err);
/* Finishes the queued jobs, then stops. */
void writer_free(struct writer *w);

/* Queues fn(store, ctx); done(done_ctx, rc) runs later on `base`'s loop. */
void writer_submit(struct writer *w, struct event_base *base, writer_fn fn, void *ctx,
                   writer_done_fn done, void *done_ctx);

/* Runs fn through the writer and waits for its commit (for threads without a loop). */
int writer_run(struct writer *w, writer_fn fn, void *ctx);

/* Commits so far and jobs per commit (for /metrics and the benchmark). */
void writer_stats(struct writer *w, unsigned long long *commits, unsigned long long *jobs);

#endif
