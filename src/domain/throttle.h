/* Brakes on guessing (DESIGN §4): failures are counted per key (an address, an account,
 * or everyone) in the shared `throttle` table, so every node sees them. After a number of
 * free failures inside a window, each further attempt must wait an exponentially growing
 * delay after the last failure — never a lock-out, because many honest people share one
 * address behind a mobile carrier or a commune's Wi-Fi. */
#ifndef OURVOICE_THROTTLE_H
#define OURVOICE_THROTTLE_H

#include <time.h>

#include "store/store.h"

struct throttle_policy {
    int free_failures;
    int window_seconds;
    int max_delay_seconds;
};

extern const struct throttle_policy throttle_receipt_address; /* receipt checks per address */
extern const struct throttle_policy throttle_login_account;   /* staff sign-in per account */
extern const struct throttle_policy throttle_login_address;   /* staff sign-in per address */

/* How long the key must still wait (0: it may try now). */
int throttle_wait(struct store *s, struct arena *a, const char *key,
                  const struct throttle_policy *p, time_t now, int *wait_seconds);
/* Counts one failure (inside a transaction); *failures gets the count in the window. */
int throttle_fail(struct store *s, struct arena *a, const char *key,
                  const struct throttle_policy *p, time_t now, int *failures);

#endif
