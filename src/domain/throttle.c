/* Failure brakes (see throttle.h). */
#include "domain/throttle.h"

#include "core/clock.h"
#include "core/banned.h"

const struct throttle_policy throttle_receipt_address = {5, 900, 60};
const struct throttle_policy throttle_login_account = {5, 900, 300};
const struct throttle_policy throttle_login_address = {20, 900, 60};

/* The wait before the next attempt after `failures` failures: none while some of the free
 * failures are left, then 1, 2, 4 … seconds, at most max_delay_seconds. */
static int delay_for(const struct throttle_policy *p, int failures)
{
    if (failures < p->free_failures)
        return 0;
    int shift = failures - p->free_failures;
    long d = shift >= 20 ? p->max_delay_seconds : 1L << shift;
    return d > p->max_delay_seconds ? p->max_delay_seconds : (int)d;
}

static int load(struct store *s, struct arena *a, const char *key, const struct throttle_policy *p,
                time_t now, struct throttle_row *t, time_t *last)
{
    int rc = store_throttle_get(s, a, key, t);
    time_t start = 0;
    if (rc == STORE_OK &&
        (clock_parse(t->window_start, &start) < 0 || clock_parse(t->last_failure, last) < 0 ||
         now - start > p->window_seconds))
        rc = STORE_NOT_FOUND; /* an old window counts as none */
    if (rc == STORE_NOT_FOUND) {
        t->key = key;
        t->failures = 0;
        t->window_start = NULL;
        *last = 0;
        return STORE_OK;
    }
    return rc;
}

int throttle_wait(struct store *s, struct arena *a, const char *key,
                  const struct throttle_policy *p, time_t now, int *wait_seconds)
{
    struct throttle_row t;
    time_t last;
    *wait_seconds = 0;
    int rc = load(s, a, key, p, now, &t, &last);
    int delay = rc == STORE_OK && t.failures ? delay_for(p, t.failures) : 0;
    if (delay > 0) {
        /* stamps are whole seconds: the last failure may have been up to a second after
         * `last`, so the delay is counted from the end of that second */
        long remaining = (long)(last + 1 + delay - now);
        *wait_seconds = remaining > 0 ? (int)remaining : 0;
    }
    return rc;
}

int throttle_fail(struct store *s, struct arena *a, const char *key,
                  const struct throttle_policy *p, time_t now, int *failures)
{
    struct throttle_row t;
    time_t last;
    int rc = load(s, a, key, p, now, &t, &last);
    if (rc != STORE_OK)
        return rc;
    char *stamp = arena_alloc(a, 32);
    clock_format(now, stamp, 32);
    t.failures++;
    if (!t.window_start)
        t.window_start = stamp;
    t.last_failure = stamp;
    *failures = t.failures;
    return store_throttle_put(s, &t);
}
