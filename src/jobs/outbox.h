/* The outbox sender: sends the messages that transactions queued in the outbox table (see
 * domain/notify.h) once they are committed, with retries and backoff. It is the only code
 * that opens a citizen's sealed contact, and every opening is audited. What goes out never
 * holds case content: citizens get one fixed bilingual sentence, staff get the office code
 * and the case number. Nothing it logs names a recipient or a secret. */
#ifndef OURVOICE_OUTBOX_H
#define OURVOICE_OUTBOX_H

#include <stddef.h>

#include "store/store.h"

#define OUTBOX_MAX_ATTEMPTS_DEFAULT    8
#define OUTBOX_BACKOFF_BASE_SECONDS    30   /* the first retry; doubles with each attempt */
#define OUTBOX_BACKOFF_MAX_SECONDS     3600 /* cap of the delay between two attempts */
#define OUTBOX_CONNECT_TIMEOUT_SECONDS 5    /* per request */
#define OUTBOX_REQUEST_TIMEOUT_SECONDS 10

/* The text every citizen notification carries, whatever the news. */
#define OUTBOX_CITIZEN_TEXT                                                                        \
    "សំឡេងយើង៖ មានព័ត៌មានថ្មីអំពីរបាយការណ៍របស់អ្នក។ Our Voice: there is news about your report."

struct outbox_config {
    const char *webhook_url; /* env OURVOICE_NOTIFY_WEBHOOK: SMS gateway / Telegram bot relay /
                                staff alerts, JSON POST; NULL: none */
    const char *smtp_url;  /* env OURVOICE_SMTP_URL, e.g. smtp://127.0.0.1:2525; NULL: no e-mail */
    const char *smtp_from; /* env OURVOICE_SMTP_FROM (default "ourvoice@localhost") */
    int max_attempts;      /* default OUTBOX_MAX_ATTEMPTS_DEFAULT */
};

/* Fills cfg from the environment (the strings point into the environment; empty values count
 * as unset) and registers the notification counters with /metrics. */
void outbox_config_from_env(struct outbox_config *cfg);

/* Sends up to `limit` due messages (status 'pending', next_attempt_at <= clock_now()) and
 * records each outcome in its own transaction: 'sent' with sent_at; or attempts + 1, a
 * short fixed last_error and next_attempt_at = now + 30 s × 2^(attempts before), at most
 * 1 h; or 'failed' after cfg->max_attempts attempts, or at once when retrying cannot help
 * (a contact that does not open, a missing case). With neither a webhook nor SMTP
 * configured, or none that fits a message, the message is only logged (the "log" channel)
 * and counts as sent. A citizen message with several contacts counts as sent when at least
 * one of them was reached (a retry would repeat the ones that were).
 * Each request waits at most 5 s to connect and 10 s in all. Calls in one process are
 * serialised, so two threads never send the same message twice; drainers in different
 * processes sharing one PostgreSQL database each get their own messages (outbox_due claims
 * them, see store.h). Returns how many messages were sent, or a negative store_status if the
 * due list could not be read.
 * Needs crypto keys loaded for citizen messages; safe to call from any thread. */
int outbox_drain(struct store *s, const struct outbox_config *cfg, size_t limit);

/* The delay before the next attempt, after `attempts` earlier failures (exposed for tests). */
long outbox_backoff_seconds(int attempts);

#endif
