/* The outbox sender (see outbox.h). One drain reads the due rows, sends each over libcurl
 * (a JSON POST to the webhook, or SMTP) and records the outcome in its own transaction.
 * A citizen's contact is opened only after the audit entry for it is committed, lives in
 * memory only while its messages are sent, and is wiped afterwards, with every copy we
 * made of it (the JSON documents, the request bodies, the recipient lists). */
#include "jobs/outbox.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"
#include "domain/audit.h"
#include "http/metrics.h"
#include "core/banned.h"

#define METRIC_SENT        "ourvoice_notifications_sent_total"
#define METRIC_SENT_HELP   "Notifications delivered (or logged, without a transport)."
#define METRIC_FAILED      "ourvoice_notifications_failed_total"
#define METRIC_FAILED_HELP "Notification attempts that failed (each retry counts)."

#define SMTP_FROM_DEFAULT "ourvoice@localhost"
#define MAIL_MAX          4096 /* the whole e-mail, headers included */

/* What one attempt at one message came to. `error` is a short fixed description. */
enum outcome {                  /* in order of precedence when a message has several contacts */
               OUTCOME_SKIPPED, /* no transport fits (a contact kind with nothing configured for it)
                                 */
               OUTCOME_FAILED,  /* retrying cannot help */
               OUTCOME_RETRY,
               OUTCOME_SENT,
};

struct result {
    enum outcome outcome;
    const char *error; /* static storage or the message's arena; NULL when sent */
    const char *via;   /* "webhook", "smtp" or "log" */
};

struct sender {
    struct store *s;
    const struct outbox_config *cfg;
    struct arena *a; /* this message's */
    CURL *curl;      /* one handle per drain, so connections are reused */
    bool curl_broken;
};

static pthread_mutex_t drain_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static bool curl_ready;

static void curl_start(void)
{
    curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

static const char *env_value(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

void outbox_config_from_env(struct outbox_config *cfg)
{
    cfg->webhook_url = env_value("OURVOICE_NOTIFY_WEBHOOK");
    cfg->smtp_url = env_value("OURVOICE_SMTP_URL");
    cfg->smtp_from = env_value("OURVOICE_SMTP_FROM");
    if (!cfg->smtp_from)
        cfg->smtp_from = SMTP_FROM_DEFAULT;
    cfg->max_attempts = OUTBOX_MAX_ATTEMPTS_DEFAULT;
    /* so that /metrics shows both counters from the start */
    metrics_count(METRIC_SENT, METRIC_SENT_HELP, 0);
    metrics_count(METRIC_FAILED, METRIC_FAILED_HELP, 0);
}

long outbox_backoff_seconds(int attempts)
{
    long delay = OUTBOX_BACKOFF_BASE_SECONDS;
    for (int i = 0; i < attempts && delay < OUTBOX_BACKOFF_MAX_SECONDS; i++)
        delay *= 2;
    return delay < OUTBOX_BACKOFF_MAX_SECONDS ? delay : OUTBOX_BACKOFF_MAX_SECONDS;
}

static bool is(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

/* A stored word as it may appear in a log line: our own lower-case names, else "?". */
static const char *word(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n > 0 && n <= 32 && strspn(s, "abcdefghijklmnopqrstuvwxyz_") == n ? s : "?";
}

static struct result sent(const char *via)
{
    return (struct result){OUTCOME_SENT, NULL, via};
}

static struct result retry(const char *error, const char *via)
{
    return (struct result){OUTCOME_RETRY, error, via};
}

static struct result failed(const char *error, const char *via)
{
    return (struct result){OUTCOME_FAILED, error, via};
}

/* ---- libcurl ---- */

static CURL *sender_curl(struct sender *sd)
{
    if (sd->curl_broken)
        return NULL;
    if (!sd->curl) {
        pthread_once(&curl_once, curl_start);
        sd->curl = curl_ready ? curl_easy_init() : NULL;
        sd->curl_broken = !sd->curl;
        if (sd->curl_broken)
            log_error("notification_transport", "reason=\"libcurl does not start\"");
    } else {
        curl_easy_reset(sd->curl);
    }
    return sd->curl;
}

static size_t discard_body(char *data, size_t size, size_t n, void *ctx)
{
    (void)data;
    (void)ctx;
    return size * n;
}

/* Options every request gets: bounded time, no signals (we run on threads), no redirects. */
static void common_options(CURL *c, const char *url, const char *protocols)
{
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)OUTBOX_CONNECT_TIMEOUT_SECONDS);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)OUTBOX_REQUEST_TIMEOUT_SECONDS);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "ourvoice/" OURVOICE_VERSION);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_body);
}

/* A short fixed description of a transport failure: never the URL, the host or the
 * recipient (libcurl's own messages may name them). */
static const char *transport_error(struct arena *a, CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return "resolve failed";
    case CURLE_COULDNT_CONNECT:
        return "connect failed";
    case CURLE_OPERATION_TIMEDOUT:
        return "timeout";
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_USE_SSL_FAILED:
        return "tls failed";
    case CURLE_LOGIN_DENIED:
        return "login denied";
    case CURLE_SEND_ERROR:
        return "send failed";
    case CURLE_RECV_ERROR:
        return "receive failed";
    case CURLE_GOT_NOTHING:
        return "empty reply";
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return "bad url";
    default:
        return arena_printf(a, "curl error %d", (int)rc);
    }
}

/* Wipes the string values of a flat JSON object (jansson's copies of a contact). */
static void wipe_strings(json_t *object)
{
    const char *key;
    json_t *value;
    json_object_foreach(object, key, value)
    {
        if (json_is_string(value))
            sodium_memzero((char *)json_string_value(value), json_string_length(value));
    }
}

/* Dumps, POSTs and wipes `doc` (consumed). 2xx is success, anything else is retried. */
static struct result post_json(struct sender *sd, int64_t id, const char *kind, json_t *doc)
{
    char *body = json_dumps(doc, JSON_COMPACT);
    wipe_strings(doc);
    json_decref(doc);
    if (!body)
        return retry("encoding failed", "webhook");
    CURL *c = sender_curl(sd);
    struct result r;
    if (!c) {
        r = retry("transport unavailable", "webhook");
        goto out;
    }
    char key[80];
    snprintf(key, sizeof key, "Idempotency-Key: ourvoice-outbox-%" PRId64 "-%s", id, kind);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    struct curl_slist *more = headers ? curl_slist_append(headers, "Expect:") : NULL;
    struct curl_slist *all = more ? curl_slist_append(more, key) : NULL;
    if (!all) {
        curl_slist_free_all(headers);
        r = retry("out of memory", "webhook");
        goto out;
    }
    common_options(c, sd->cfg->webhook_url, "http,https");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, all);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, NULL);
    curl_slist_free_all(all);
    if (rc != CURLE_OK)
        r = retry(transport_error(sd->a, rc), "webhook");
    else if (status < 200 || status > 299)
        r = retry(arena_printf(sd->a, "http %ld", status), "webhook");
    else
        r = sent("webhook");
out:
    sodium_memzero(body, strlen(body));
    free(body);
    return r;
}

/* ---- e-mail ---- */

struct upload {
    const char *data;
    size_t len, pos;
};

static size_t read_upload(char *out, size_t size, size_t n, void *ctx)
{
    struct upload *u = ctx;
    size_t room = size * n, left = u->len - u->pos;
    size_t take = left < room ? left : room;
    memcpy(out, u->data + u->pos, take);
    u->pos += take;
    return take;
}

/* An address we put in an SMTP envelope and a header: printable ASCII, one '@', none of
 * the characters that would end the address or start another header. */
static bool mailbox_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > 254)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return false;
    const char *at = strchr(s, '@');
    return at && at != s && at[1] && !strchr(at + 1, '@') && !strpbrk(s, "<>()[],;:\\\"");
}

/* RFC 5322 date, in English whatever the locale. */
static void mail_date(time_t t, char *out, size_t size)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, size, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
             months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The whole message into out (MAIL_MAX): headers, then the fixed text in base64 (so that
 * no relay needs 8BITMIME), lines of 76. Returns its length, or 0 if it does not fit. */
static size_t mail_compose(char *out, const char *from, const char *to, int64_t id)
{
    char date[64], nonce_hex[17];
    unsigned char nonce[8];
    mail_date(clock_now(), date, sizeof date);
    randombytes_buf(nonce, sizeof nonce);
    sodium_bin2hex(nonce_hex, sizeof nonce_hex, nonce, sizeof nonce);
    const char *domain = strchr(from, '@') + 1;
    int n = snprintf(out, MAIL_MAX,
                     "From: <%s>\r\nTo: <%s>\r\nSubject: Our Voice\r\nDate: %s\r\n"
                     "Message-ID: <outbox-%" PRId64 ".%s@%s>\r\nMIME-Version: 1.0\r\n"
                     "Content-Type: text/plain; charset=UTF-8\r\n"
                     "Content-Transfer-Encoding: base64\r\n\r\n",
                     from, to, date, id, nonce_hex, domain);
    if (n < 0 || (size_t)n >= MAIL_MAX)
        return 0;
    static const char text[] = OUTBOX_CITIZEN_TEXT "\r\n";
    char b64[sodium_base64_ENCODED_LEN(sizeof text - 1, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, (const unsigned char *)text, sizeof text - 1,
                      sodium_base64_VARIANT_ORIGINAL);
    size_t len = (size_t)n, b64_len = strlen(b64);
    for (size_t at = 0; at < b64_len; at += 76) {
        size_t line = b64_len - at < 76 ? b64_len - at : 76;
        if (len + line + 3 > MAIL_MAX)
            return 0;
        memcpy(out + len, b64 + at, line);
        len += line;
        memcpy(out + len, "\r\n", 2);
        len += 2;
    }
    out[len] = '\0';
    return len;
}

static struct result send_mail(struct sender *sd, int64_t id, const char *to)
{
    if (!mailbox_ok(to))
        return failed("bad contact", "smtp");
    if (!mailbox_ok(sd->cfg->smtp_from))
        return failed("bad sender address", "smtp");
    char mail[MAIL_MAX];
    size_t len = mail_compose(mail, sd->cfg->smtp_from, to, id);
    if (!len)
        return failed("bad contact", "smtp");
    char from[300], rcpt[300];
    snprintf(from, sizeof from, "<%s>", sd->cfg->smtp_from);
    snprintf(rcpt, sizeof rcpt, "<%s>", to);
    struct result r;
    struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
    CURL *c = rcpts ? sender_curl(sd) : NULL;
    if (!c) {
        r = retry(rcpts ? "transport unavailable" : "out of memory", "smtp");
        goto out;
    }
    struct upload u = {mail, len, 0};
    common_options(c, sd->cfg->smtp_url, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &u);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, NULL);
    if (rc == CURLE_OK)
        r = sent("smtp");
    else if (code == 550 || code == 551 || code == 553) /* no such mailbox: for good */
        r = failed(arena_printf(sd->a, "smtp %ld", code), "smtp");
    else if (code >= 400 && code <= 599) /* busy, or our configuration (auth, relay) */
        r = retry(arena_printf(sd->a, "smtp %ld", code), "smtp");
    else
        r = retry(transport_error(sd->a, rc), "smtp");
out:
    if (rcpts)
        sodium_memzero(rcpts->data, strlen(rcpts->data));
    curl_slist_free_all(rcpts);
    sodium_memzero(mail, sizeof mail);
    sodium_memzero(rcpt, sizeof rcpt);
    return r;
}

/* ---- channels ---- */

static struct result send_log(const struct outbox_msg *m)
{
    log_info("notification", "outbox=%lld channel=%s template=%s", (long long)m->id,
             word(m->channel), word(m->template_name));
    return sent("log");
}

struct audit_ctx {
    int64_t case_id;
    const char *detail;
};

static int audit_tx(struct store *s, void *ctx)
{
    struct audit_ctx *ac = ctx;
    return audit_append(s, "system", 0, "contact_decrypted", ac->case_id, ac->detail);
}

/* Folds one contact's result into the message's: one reached contact is enough; else a
 * retry beats a permanent failure, which beats "nothing fits". */
static void fold(struct result *all, struct result one, int64_t id, const char *kind)
{
    if (one.outcome == OUTCOME_RETRY || one.outcome == OUTCOME_FAILED)
        log_info("notification_contact_failed", "outbox=%lld kind=%s error=\"%s\"", (long long)id,
                 kind, one.error);
    if (one.outcome > all->outcome)
        *all = one;
}

static const char *contact_field(json_t *contact, const char *name)
{
    const char *v = json_string_value(json_object_get(contact, name));
    return v && *v ? v : NULL;
}

static struct result send_citizen(struct sender *sd, const struct outbox_msg *m)
{
    if (!sd->cfg->webhook_url && !sd->cfg->smtp_url)
        return send_log(m); /* nothing to send with: the contact stays sealed */
    if (!m->recipient_sealed || m->recipient_sealed_len == 0)
        return failed("no recipient", "webhook");
    if (!crypto_keys_loaded())
        return retry("keys not loaded", "webhook");
    /* audit first: no opening goes unrecorded, even if we stop right after it */
    struct audit_ctx ac = {m->case_id, arena_printf(sd->a, "outbox %lld", (long long)m->id)};
    if (store_tx(sd->s, audit_tx, &ac) != STORE_OK)
        return retry("audit failed", "webhook");
    char *plain = crypto_unseal(sd->a, m->recipient_sealed, m->recipient_sealed_len);
    if (!plain)
        return failed("contact does not open", "webhook");
    json_t *contact = json_loads(plain, JSON_REJECT_DUPLICATES, NULL);
    sodium_memzero(plain, strlen(plain));
    if (!json_is_object(contact)) {
        json_decref(contact);
        return failed("contact unreadable", "webhook");
    }
    struct result all = {OUTCOME_SKIPPED, NULL, "log"};
    static const struct {
        const char *field, *kind;
    } chats[] = {{"phone", "sms"}, {"telegram", "telegram"}};
    for (size_t i = 0; i < sizeof chats / sizeof chats[0]; i++) {
        const char *to = contact_field(contact, chats[i].field);
        if (!to)
            continue;
        if (!sd->cfg->webhook_url) {
            log_info("notification_contact_skipped", "outbox=%lld kind=%s reason=no_webhook",
                     (long long)m->id, chats[i].kind);
            continue;
        }
        json_t *doc = json_pack("{s:s,s:s,s:s}", "channel", chats[i].kind, "to", to, "text",
                                OUTBOX_CITIZEN_TEXT);
        struct result one =
            doc ? post_json(sd, m->id, chats[i].kind, doc) : failed("bad contact", "webhook");
        fold(&all, one, m->id, chats[i].kind);
    }
    const char *email = contact_field(contact, "email");
    if (email && !sd->cfg->smtp_url)
        log_info("notification_contact_skipped", "outbox=%lld kind=email reason=no_smtp",
                 (long long)m->id);
    else if (email)
        fold(&all, send_mail(sd, m->id, email), m->id, "email");
    wipe_strings(contact);
    json_decref(contact);
    return all.outcome == OUTCOME_SKIPPED ? send_log(m) : all;
}

static struct result send_staff(struct sender *sd, const struct outbox_msg *m)
{
    if (!is(m->template_name, "new_case") && !is(m->template_name, "overdue"))
        return failed("unknown template", "webhook");
    if (!sd->cfg->webhook_url)
        return send_log(m);
    if (m->case_id <= 0)
        return failed("no case", "webhook");
    struct case_row c;
    struct office o;
    int rc = store_case_get(sd->s, sd->a, m->case_id, &c);
    if (rc == STORE_OK)
        rc = store_office_get(sd->s, sd->a, c.office_id, &o);
    if (rc == STORE_NOT_FOUND)
        return failed("case not found", "webhook");
    if (rc != STORE_OK)
        return retry("store failed", "webhook");
    json_t *doc = json_pack("{s:s,s:s,s:s,s:s}", "channel", "staff", "template", m->template_name,
                            "office", o.code, "case", c.number);
    if (!doc)
        return failed("case unreadable", "webhook");
    return post_json(sd, m->id, "staff", doc);
}

static struct result send_one(struct sender *sd, const struct outbox_msg *m)
{
    if (is(m->channel, "citizen"))
        return send_citizen(sd, m);
    if (is(m->channel, "staff"))
        return send_staff(sd, m);
    if (is(m->channel, "log"))
        return send_log(m);
    return failed("unknown channel", "log");
}

/* ---- recording ---- */

static int update_tx(struct store *s, void *ctx)
{
    return store_outbox_update(s, ctx);
}

/* Records the outcome; true if the message counts as sent. */
static bool record(struct sender *sd, const struct outbox_msg *m, struct result r)
{
    char now[32], next[32] = "";
    time_t t = clock_now();
    clock_format(t, now, sizeof now);
    struct outbox_msg u = *m;
    const char *what = "sent";
    if (r.outcome == OUTCOME_SENT) {
        u.status = "sent";
        u.sent_at = now;
        metrics_count(METRIC_SENT, METRIC_SENT_HELP, 1);
    } else {
        u.attempts = m->attempts + 1;
        u.last_error = r.error;
        metrics_count(METRIC_FAILED, METRIC_FAILED_HELP, 1);
        if (r.outcome == OUTCOME_FAILED || u.attempts >= sd->cfg->max_attempts) {
            u.status = "failed";
            what = "failed";
        } else {
            clock_format(t + outbox_backoff_seconds(m->attempts), next, sizeof next);
            u.status = "pending";
            u.next_attempt_at = next;
            what = "retry";
        }
    }
    int rc = store_tx(sd->s, update_tx, &u);
    if (rc != STORE_OK)
        log_error("notification_unrecorded", "outbox=%lld outcome=%s rc=%d", (long long)m->id, what,
                  rc);
    if (r.outcome == OUTCOME_SENT) {
        if (!is(r.via, "log"))
            log_info("notification_sent", "outbox=%lld channel=%s template=%s via=%s",
                     (long long)m->id, word(m->channel), word(m->template_name), r.via);
        return true;
    }
    if (is(what, "failed"))
        log_warn("notification_failed",
                 "outbox=%lld channel=%s template=%s attempts=%d error=\"%s\"", (long long)m->id,
                 word(m->channel), word(m->template_name), u.attempts, r.error);
    else
        log_info("notification_retry",
                 "outbox=%lld channel=%s template=%s attempts=%d next=%s error=\"%s\"",
                 (long long)m->id, word(m->channel), word(m->template_name), u.attempts, next,
                 r.error);
    return false;
}

int outbox_drain(struct store *s, const struct outbox_config *cfg, size_t limit)
{
    if (limit == 0)
        return 0;
    struct outbox_config defaults;
    if (!cfg) {
        outbox_config_from_env(&defaults);
        cfg = &defaults;
    }
    struct outbox_config effective = *cfg;
    if (effective.max_attempts < 1)
        effective.max_attempts = OUTBOX_MAX_ATTEMPTS_DEFAULT;
    if (!effective.smtp_from)
        effective.smtp_from = SMTP_FROM_DEFAULT;

    pthread_mutex_lock(&drain_lock);
    struct arena *a = arena_new();
    char now[32];
    clock_format(clock_now(), now, sizeof now);
    struct outbox_list due = {0};
    int rc = store_outbox_due(s, a, now, limit, &due);
    int count = 0;
    struct sender sd = {s, &effective, NULL, NULL, false};
    for (size_t i = 0; rc == STORE_OK && i < due.count; i++) {
        sd.a = arena_new();
        struct result r = send_one(&sd, &due.items[i]);
        if (record(&sd, &due.items[i], r))
            count++;
        arena_free(sd.a);
    }
    if (sd.curl)
        curl_easy_cleanup(sd.curl);
    arena_free(a);
    pthread_mutex_unlock(&drain_lock);
    if (rc != STORE_OK) {
        log_error("notification_due_failed", "rc=%d", rc);
        return rc;
    }
    return count;
}
