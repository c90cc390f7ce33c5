/* Unit tests for jobs/outbox: each test gets a fresh SQLite database (migrated), queues
 * messages with the real producers (domain/notify.c) and drains them against fake servers
 * that run on a thread of the test: an HTTP webhook answering a scripted list of statuses,
 * and a small SMTP server. The clock is moved with clock_set_offset() to reach retries.
 * The checks: what reached the servers (exactly the fixed text and the recipient, never
 * case content), the rows' status/attempts/next_attempt_at/last_error, the audit entries
 * for each opened contact, the counters, and that no log line names a recipient. */
#include <arpa/inet.h>
#include <ctype.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "domain/notify.h"
#include "http/metrics.h"
#include "jobs/outbox.h"
#include "store/store.h"
#include "core/banned.h"

#define PHONE       "+855 12 345 678"
#define TELEGRAM    "@sokha_voice"
#define EMAIL       "sokha@example.org"
#define CASE_TEXT   "The chief asked me for a secret payment"
#define CASE_NUMBER "C-120101/2026/000001"
#define OFFICE_CODE "C-120101"

/* ---- fake servers ---- */

#define FAKE_MAX_REQUESTS 16
#define FAKE_TRANSCRIPT   16384

struct fake {
    int listen_fd, port;
    bool smtp;
    atomic_int
        statuses[FAKE_MAX_REQUESTS]; /* HTTP: the answer to request i (0 or past the end: 200) */
    atomic_int rcpt_code;            /* SMTP: the answer to RCPT TO (0: 250) */
    pthread_t thread;
    atomic_bool stop;
    pthread_mutex_t lock;
    char *bodies[FAKE_MAX_REQUESTS]; /* HTTP bodies, SMTP mail data */
    atomic_int count;
    char transcript[FAKE_TRANSCRIPT]; /* SMTP commands */
    size_t transcript_len;
};

static void note(struct fake *f, const char *s, size_t n)
{
    pthread_mutex_lock(&f->lock);
    if (f->transcript_len + n < sizeof f->transcript) {
        memcpy(f->transcript + f->transcript_len, s, n);
        f->transcript_len += n;
        f->transcript[f->transcript_len] = '\0';
    }
    pthread_mutex_unlock(&f->lock);
}

static void keep(struct fake *f, const char *data, size_t n)
{
    pthread_mutex_lock(&f->lock);
    int i = atomic_load(&f->count);
    if (i < FAKE_MAX_REQUESTS) {
        f->bodies[i] = strndup(data, n);
        atomic_store(&f->count, i + 1);
    }
    pthread_mutex_unlock(&f->lock);
}

static void say(int fd, const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

/* Reads more into buf (of cap) after len; false at the end, on error or on stop. */
static bool read_more(struct fake *f, int fd, char *buf, size_t cap, size_t *len)
{
    while (!atomic_load(&f->stop)) {
        struct pollfd p = {fd, POLLIN, 0};
        int r = poll(&p, 1, 50);
        if (r < 0)
            return false;
        if (r == 0)
            continue;
        if (*len + 1 >= cap)
            return false;
        ssize_t n = recv(fd, buf + *len, cap - 1 - *len, 0);
        if (n <= 0)
            return false;
        *len += (size_t)n;
        buf[*len] = '\0';
        return true;
    }
    return false;
}

static void serve_http(struct fake *f, int fd)
{
    char buf[8192] = "";
    size_t len = 0;
    char *end;
    while (!(end = strstr(buf, "\r\n\r\n"))) {
        if (!read_more(f, fd, buf, sizeof buf, &len))
            return;
    }
    size_t head = (size_t)(end + 4 - buf), body = 0;
    for (char *p = buf; p < end; p++)
        if (strncasecmp(p, "\r\ncontent-length:", 17) == 0)
            body = strtoul(p + 17, NULL, 10);
    while (len < head + body)
        if (!read_more(f, fd, buf, sizeof buf, &len))
            return;
    int i = atomic_load(&f->count);
    int status = i < FAKE_MAX_REQUESTS && f->statuses[i] ? f->statuses[i] : 200;
    keep(f, buf + head, body);
    char reply[128];
    snprintf(reply, sizeof reply,
             "HTTP/1.1 %d Scripted\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", status);
    say(fd, reply);
}

static void serve_smtp(struct fake *f, int fd)
{
    char buf[8192] = "";
    size_t len = 0;
    bool data = false;
    say(fd, "220 fake ESMTP\r\n");
    for (;;) {
        char *eol;
        if (data) {
            eol = strstr(buf, "\r\n.\r\n");
            if (!eol && !read_more(f, fd, buf, sizeof buf, &len))
                return;
            if (!eol)
                continue;
            keep(f, buf, (size_t)(eol + 2 - buf));
            size_t used = (size_t)(eol + 5 - buf);
            memmove(buf, buf + used, len - used + 1);
            len -= used;
            data = false;
            say(fd, "250 queued\r\n");
            continue;
        }
        eol = strstr(buf, "\r\n");
        if (!eol) {
            if (!read_more(f, fd, buf, sizeof buf, &len))
                return;
            continue;
        }
        size_t line = (size_t)(eol + 2 - buf);
        note(f, buf, line);
        if (strncasecmp(buf, "EHLO", 4) == 0 || strncasecmp(buf, "HELO", 4) == 0) {
            say(fd, "250 fake\r\n");
        } else if (strncasecmp(buf, "RCPT", 4) == 0 && f->rcpt_code) {
            char reply[64];
            snprintf(reply, sizeof reply, "%d no\r\n", f->rcpt_code);
            say(fd, reply);
        } else if (strncasecmp(buf, "DATA", 4) == 0) {
            say(fd, "354 go on\r\n");
            data = true;
        } else if (strncasecmp(buf, "QUIT", 4) == 0) {
            say(fd, "221 bye\r\n");
            return;
        } else {
            say(fd, "250 ok\r\n");
        }
        memmove(buf, buf + line, len - line + 1);
        len -= line;
    }
}

static void *fake_main(void *arg)
{
    struct fake *f = arg;
    while (!atomic_load(&f->stop)) {
        struct pollfd p = {f->listen_fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0)
            continue;
        int fd = accept(f->listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        if (f->smtp)
            serve_smtp(f, fd);
        else
            serve_http(f, fd);
        close(fd);
    }
    return NULL;
}

/* A listening socket on 127.0.0.1 and a free port. */
static int listen_loopback(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 8), 0);
    socklen_t n = sizeof sa;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &n), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

static void fake_start(struct fake *f, bool smtp)
{
    memset(f, 0, sizeof *f);
    f->smtp = smtp;
    pthread_mutex_init(&f->lock, NULL);
    f->listen_fd = listen_loopback(&f->port);
    assert_int_equal(pthread_create(&f->thread, NULL, fake_main, f), 0);
}

static void fake_stop(struct fake *f)
{
    atomic_store(&f->stop, true);
    pthread_join(f->thread, NULL);
    close(f->listen_fd);
    for (int i = 0; i < atomic_load(&f->count); i++)
        free(f->bodies[i]);
    pthread_mutex_destroy(&f->lock);
}

/* ---- fixtures ---- */

struct fixture {
    char dir[64], db_path[128];
    struct store *s;
    sqlite3 *db; /* a second connection, to read what the store wrote */
    int64_t case_id;
    char url[64];
    char log_path[128];
    int saved_stderr;
};

static int group_setup(void **state)
{
    (void)state;
    if (crypto_init() < 0)
        return -1;
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/ourvoice-outbox-keys-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/keys", dir);
    const char *err;
    int rc = crypto_keys_load(path, true, &err);
    unlink(path);
    rmdir(dir);
    return rc;
}

static int group_teardown(void **state)
{
    (void)state;
    crypto_keys_release();
    return 0;
}

static void exec_sql(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/ourvoice-outbox-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->db_path, sizeof fx->db_path, "%s/t.db", fx->dir);
    snprintf(fx->log_path, sizeof fx->log_path, "%s/stderr.log", fx->dir);
    const char *err;
    assert_int_equal(store_open(fx->db_path, &fx->s, &err), STORE_OK);
    int from, to;
    assert_int_equal(store_migrate(fx->s, &from, &to), STORE_OK);
    assert_int_equal(sqlite3_open(fx->db_path, &fx->db), SQLITE_OK);
    sqlite3_busy_timeout(fx->db, 5000);
    exec_sql(fx->db, "INSERT INTO areas (code, level, type_km, type_en, name_km, name_en, search)"
                     " VALUES ('120101', 'commune', 'ឃុំ', 'Commune', 'ទន្លេបាសាក់',"
                     " 'Tonle Basak', 'tonle basak')");
    exec_sql(fx->db, "INSERT INTO offices (code, kind, area_code, name_km, name_en)"
                     " VALUES ('" OFFICE_CODE "', 'commune', '120101', 'ឃុំ', 'Commune')");
    exec_sql(fx->db,
             "INSERT INTO cases (number, kind, status, office_id, area_code, text, language,"
             " receipt_hash, made_at, created_at, updated_at, due_acknowledge) VALUES"
             " ('" CASE_NUMBER "', 'complaint', 'submitted', (SELECT id FROM offices),"
             " '120101', '" CASE_TEXT "', 'en', zeroblob(32), '2026-01-05T08:00:00Z',"
             " '2026-01-05T08:00:00Z', '2026-01-05T08:00:00Z', '2026-01-07T08:00:00Z')");
    fx->case_id = sqlite3_last_insert_rowid(fx->db);
    fx->saved_stderr = -1;
    clock_set_offset(0);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    clock_set_offset(0);
    sqlite3_close(fx->db);
    store_close(fx->s);
    char path[160];
    static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm", "stderr.log"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", fx->dir, files[i]);
        unlink(path);
    }
    rmdir(fx->dir);
    free(fx);
    return 0;
}

static int64_t last_outbox_id(struct fixture *fx)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(fx->db, "SELECT max(id) FROM outbox", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

/* Queues a citizen message (as the workflow does) whose sealed contact is `contact`. */
static int64_t citizen(struct fixture *fx, const char *contact)
{
    struct arena *a = arena_new();
    struct case_row c = {.id = fx->case_id};
    c.contact_sealed = crypto_seal(a, contact, strlen(contact), &c.contact_sealed_len);
    char now[32];
    clock_format(clock_now(), now, sizeof now);
    assert_int_equal(notify_citizen(fx->s, &c, now), STORE_OK);
    arena_free(a);
    return last_outbox_id(fx);
}

static int64_t staff(struct fixture *fx, int64_t case_id, const char *template_name)
{
    struct case_row c = {.id = case_id};
    char now[32];
    clock_format(clock_now(), now, sizeof now);
    assert_int_equal(notify_staff(fx->s, &c, template_name, now), STORE_OK);
    return last_outbox_id(fx);
}

struct row {
    char status[16], next_attempt_at[32], last_error[64], sent_at[32];
    int attempts;
};

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t size)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    snprintf(out, size, "%s", v ? (const char *)v : "");
}

static struct row read_row(struct fixture *fx, int64_t id)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(fx->db,
                                        "SELECT status, attempts, next_attempt_at, last_error,"
                                        " sent_at FROM outbox WHERE id = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    struct row r;
    copy_col(st, 0, r.status, sizeof r.status);
    r.attempts = sqlite3_column_int(st, 1);
    copy_col(st, 2, r.next_attempt_at, sizeof r.next_attempt_at);
    copy_col(st, 3, r.last_error, sizeof r.last_error);
    copy_col(st, 4, r.sent_at, sizeof r.sent_at);
    sqlite3_finalize(st);
    return r;
}

static int count_rows(struct fixture *fx, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(fx->db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Seconds from now (the moved clock) to an RFC 3339 time. */
static long seconds_until(const char *when)
{
    time_t t;
    assert_int_equal(clock_parse(when, &t), 0);
    return (long)(t - clock_now());
}

/* Sends stderr to a file while `fn` runs, so the test can read what was logged. */
static void capture_begin(struct fixture *fx)
{
    fflush(stderr);
    fx->saved_stderr = dup(2);
    int fd = open(fx->log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    dup2(fd, 2);
    close(fd);
}

static char *capture_end(struct fixture *fx)
{
    fflush(stderr);
    dup2(fx->saved_stderr, 2);
    close(fx->saved_stderr);
    fx->saved_stderr = -1;
    FILE *in = fopen(fx->log_path, "rb");
    assert_non_null(in);
    char *text = calloc(1, 1 << 16);
    size_t n = fread(text, 1, (1 << 16) - 1, in);
    text[n] = '\0';
    fclose(in);
    fputs(text, stderr); /* still visible in the test's output */
    return text;
}

static int drain(struct fixture *fx, const struct outbox_config *cfg)
{
    capture_begin(fx);
    int n = outbox_drain(fx->s, cfg, 100);
    free(capture_end(fx));
    return n;
}

static uint64_t counter(const char *name)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    metrics_render(&b);
    char needle[128];
    snprintf(needle, sizeof needle, "\n%s ", name);
    const char *at = strstr(buf_cstr(&b), needle);
    uint64_t v = at ? strtoull(at + strlen(needle), NULL, 10) : 0;
    buf_release(&b);
    return v;
}

static void assert_no_secret(const char *text)
{
    assert_null(strstr(text, PHONE));
    assert_null(strstr(text, "345 678"));
    assert_null(strstr(text, TELEGRAM));
    assert_null(strstr(text, EMAIL));
    assert_null(strstr(text, CASE_TEXT));
}

/* ---- tests ---- */

static void test_backoff_doubles_up_to_an_hour(void **state)
{
    (void)state;
    assert_int_equal(outbox_backoff_seconds(0), 30);
    assert_int_equal(outbox_backoff_seconds(1), 60);
    assert_int_equal(outbox_backoff_seconds(2), 120);
    assert_int_equal(outbox_backoff_seconds(6), 1920);
    assert_int_equal(outbox_backoff_seconds(7), 3600);
    assert_int_equal(outbox_backoff_seconds(1000), 3600);
}

static void test_config_from_env(void **state)
{
    (void)state;
    setenv("OURVOICE_NOTIFY_WEBHOOK", "http://127.0.0.1:9/hook", 1);
    setenv("OURVOICE_SMTP_URL", "", 1);
    unsetenv("OURVOICE_SMTP_FROM");
    struct outbox_config cfg;
    outbox_config_from_env(&cfg);
    assert_string_equal(cfg.webhook_url, "http://127.0.0.1:9/hook");
    assert_null(cfg.smtp_url); /* empty counts as unset */
    assert_string_equal(cfg.smtp_from, "ourvoice@localhost");
    assert_int_equal(cfg.max_attempts, 8);
    unsetenv("OURVOICE_NOTIFY_WEBHOOK");
    unsetenv("OURVOICE_SMTP_URL");
}

/* Without a transport every message is one log line and counts as sent; the contact is not
 * even opened (no audit entry). */
static void test_log_channel(void **state)
{
    struct fixture *fx = *state;
    int64_t c = citizen(fx, "{\"phone\":\"" PHONE "\"}");
    int64_t s = staff(fx, 0, "new_case"); /* a row with case_id NULL */
    assert_int_equal(count_rows(fx, "SELECT count(*) FROM outbox WHERE case_id IS NULL"), 1);
    uint64_t before = counter("ourvoice_notifications_sent_total");
    struct outbox_config cfg = {.max_attempts = 8};
    capture_begin(fx);
    assert_int_equal(outbox_drain(fx->s, &cfg, 100), 2);
    char *log = capture_end(fx);
    char expect[128];
    snprintf(expect, sizeof expect, "event=notification outbox=%lld channel=citizen template=news",
             (long long)c);
    assert_non_null(strstr(log, expect));
    snprintf(expect, sizeof expect,
             "event=notification outbox=%lld channel=staff template=new_case", (long long)s);
    assert_non_null(strstr(log, expect));
    assert_no_secret(log);
    free(log);
    struct row r = read_row(fx, c);
    assert_string_equal(r.status, "sent");
    assert_int_equal(r.attempts, 0);
    assert_true(r.sent_at[0]);
    assert_string_equal(read_row(fx, s).status, "sent");
    assert_int_equal(count_rows(fx, "SELECT count(*) FROM audit_log"), 0);
    assert_int_equal(counter("ourvoice_notifications_sent_total"), before + 2);
    /* nothing is due any more */
    assert_int_equal(drain(fx, &cfg), 0);
}

/* The webhook answers 500 once: the message waits 30 s, then goes exactly once more. */
static void test_webhook_retries_then_delivers_once(void **state)
{
    struct fixture *fx = *state;
    struct fake hook;
    fake_start(&hook, false);
    hook.statuses[0] = 500;
    snprintf(fx->url, sizeof fx->url, "http://127.0.0.1:%d/notify", hook.port);
    struct outbox_config cfg = {.webhook_url = fx->url, .max_attempts = 8};
    int64_t id = citizen(fx, "{\"phone\":\"" PHONE "\"}");
    uint64_t failed_before = counter("ourvoice_notifications_failed_total");

    capture_begin(fx);
    assert_int_equal(outbox_drain(fx->s, &cfg, 100), 0);
    char *log1 = capture_end(fx);
    assert_int_equal(atomic_load(&hook.count), 1);
    struct row r = read_row(fx, id);
    assert_string_equal(r.status, "pending");
    assert_int_equal(r.attempts, 1);
    assert_string_equal(r.last_error, "http 500");
    long wait = seconds_until(r.next_attempt_at);
    assert_true(wait >= 29 && wait <= 31);
    assert_int_equal(counter("ourvoice_notifications_failed_total"), failed_before + 1);

    /* not due yet */
    assert_int_equal(drain(fx, &cfg), 0);
    assert_int_equal(atomic_load(&hook.count), 1);

    clock_set_offset(31);
    capture_begin(fx);
    assert_int_equal(outbox_drain(fx->s, &cfg, 100), 1);
    char *log2 = capture_end(fx);
    assert_int_equal(atomic_load(&hook.count), 2);
    r = read_row(fx, id);
    assert_string_equal(r.status, "sent");
    assert_int_equal(r.attempts, 1);
    assert_true(r.sent_at[0]);
    assert_int_equal(drain(fx, &cfg), 0);
    assert_int_equal(atomic_load(&hook.count), 2);

    /* both attempts carried exactly the fixed text and the phone number */
    for (int i = 0; i < 2; i++) {
        json_error_t jerr;
        json_t *doc = json_loads(hook.bodies[i], 0, &jerr);
        assert_non_null(doc);
        assert_int_equal(json_object_size(doc), 3);
        assert_string_equal(json_string_value(json_object_get(doc, "channel")), "sms");
        assert_string_equal(json_string_value(json_object_get(doc, "to")), PHONE);
        assert_string_equal(json_string_value(json_object_get(doc, "text")), OUTBOX_CITIZEN_TEXT);
        json_decref(doc);
        assert_null(strstr(hook.bodies[i], CASE_TEXT));
        assert_null(strstr(hook.bodies[i], CASE_NUMBER));
        assert_null(strstr(hook.bodies[i], OFFICE_CODE));
    }
    /* each opening of the contact is in the audit log */
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_log WHERE actor_kind = 'system' AND actor_id IS NULL"
             " AND action = 'contact_decrypted' AND detail = 'outbox %lld' AND case_id = %lld",
             (long long)id, (long long)fx->case_id);
    assert_int_equal(count_rows(fx, sql), 2);
    assert_no_secret(log1);
    assert_no_secret(log2);
    assert_null(strstr(log1, "127.0.0.1")); /* nor the webhook's address */
    free(log1);
    free(log2);
    fake_stop(&hook);
}

/* Phone and Telegram each get one POST; e-mail is skipped without SMTP. */
static void test_webhook_phone_and_telegram(void **state)
{
    struct fixture *fx = *state;
    struct fake hook;
    fake_start(&hook, false);
    snprintf(fx->url, sizeof fx->url, "http://127.0.0.1:%d/", hook.port);
    struct outbox_config cfg = {.webhook_url = fx->url, .max_attempts = 8};
    int64_t id = citizen(fx, "{\"phone\":\"" PHONE "\",\"telegram\":\"" TELEGRAM
                             "\",\"email\":\"" EMAIL "\"}");
    assert_int_equal(drain(fx, &cfg), 1);
    assert_int_equal(atomic_load(&hook.count), 2);
    assert_non_null(strstr(hook.bodies[0], "\"channel\":\"sms\""));
    assert_non_null(strstr(hook.bodies[1], "\"channel\":\"telegram\""));
    assert_non_null(strstr(hook.bodies[1], "\"to\":\"" TELEGRAM "\""));
    assert_null(strstr(hook.bodies[0], EMAIL));
    assert_null(strstr(hook.bodies[1], EMAIL));
    assert_string_equal(read_row(fx, id).status, "sent");
    fake_stop(&hook);
}

/* Staff get the office code and the case number, never the case text. */
static void test_staff_message(void **state)
{
    struct fixture *fx = *state;
    struct fake hook;
    fake_start(&hook, false);
    snprintf(fx->url, sizeof fx->url, "http://127.0.0.1:%d/staff", hook.port);
    struct outbox_config cfg = {.webhook_url = fx->url, .max_attempts = 8};
    int64_t a = staff(fx, fx->case_id, "new_case");
    int64_t b = staff(fx, fx->case_id, "overdue");
    int64_t orphan = staff(fx, 0, "new_case");
    assert_int_equal(drain(fx, &cfg), 2);
    assert_int_equal(atomic_load(&hook.count), 2);
    json_t *doc = json_loads(hook.bodies[0], 0, NULL);
    json_t *expect = json_pack("{s:s,s:s,s:s,s:s}", "channel", "staff", "template", "new_case",
                               "office", OFFICE_CODE, "case", CASE_NUMBER);
    assert_true(json_equal(doc, expect));
    json_decref(doc);
    json_decref(expect);
    assert_non_null(strstr(hook.bodies[1], "\"template\":\"overdue\""));
    assert_null(strstr(hook.bodies[0], CASE_TEXT));
    assert_string_equal(read_row(fx, a).status, "sent");
    assert_string_equal(read_row(fx, b).status, "sent");
    /* a staff message without a case cannot ever go: failed at once */
    struct row r = read_row(fx, orphan);
    assert_string_equal(r.status, "failed");
    assert_string_equal(r.last_error, "no case");
    assert_int_equal(r.attempts, 1);
    assert_int_equal(count_rows(fx, "SELECT count(*) FROM audit_log"), 0);
    fake_stop(&hook);
}

/* A closed port: "connect failed", backoff 30 s, 60 s, ..., then 'failed' after
 * max_attempts. */
static void test_closed_port_backs_off_then_fails(void **state)
{
    struct fixture *fx = *state;
    int port;
    close(listen_loopback(&port)); /* nobody listens there now */
    snprintf(fx->url, sizeof fx->url, "http://127.0.0.1:%d/", port);
    struct outbox_config cfg = {.webhook_url = fx->url, .max_attempts = 3};
    int64_t id = staff(fx, fx->case_id, "overdue");
    int64_t offset = 0;
    for (int attempt = 1; attempt <= 3; attempt++) {
        assert_int_equal(drain(fx, &cfg), 0);
        struct row r = read_row(fx, id);
        assert_int_equal(r.attempts, attempt);
        assert_string_equal(r.last_error, "connect failed");
        if (attempt < 3) {
            assert_string_equal(r.status, "pending");
            long wait = seconds_until(r.next_attempt_at);
            long expect = outbox_backoff_seconds(attempt - 1);
            assert_true(wait >= expect - 1 && wait <= expect + 1);
            assert_int_equal(drain(fx, &cfg), 0); /* not due before then */
            assert_int_equal(read_row(fx, id).attempts, attempt);
            offset += wait + 1;
            clock_set_offset(offset);
        } else {
            assert_string_equal(r.status, "failed");
        }
    }
    /* a failed message is never tried again */
    clock_set_offset(offset + 86400);
    assert_int_equal(drain(fx, &cfg), 0);
    assert_int_equal(read_row(fx, id).attempts, 3);
}

/* A contact that does not open fails at once (the opening attempt is still audited). */
static void test_unopenable_contact_fails(void **state)
{
    struct fixture *fx = *state;
    struct fake hook;
    fake_start(&hook, false);
    snprintf(fx->url, sizeof fx->url, "http://127.0.0.1:%d/", hook.port);
    struct outbox_config cfg = {.webhook_url = fx->url, .max_attempts = 8};
    unsigned char junk[80];
    randombytes_buf(junk, sizeof junk);
    struct outbox_msg m = {.channel = "citizen",
                           .template_name = "news",
                           .recipient_sealed = junk,
                           .recipient_sealed_len = sizeof junk,
                           .case_id = fx->case_id,
                           .created_at = "2026-01-05T08:00:00Z"};
    assert_int_equal(store_outbox_insert(fx->s, &m), STORE_OK);
    assert_int_equal(drain(fx, &cfg), 0);
    struct row r = read_row(fx, m.id);
    assert_string_equal(r.status, "failed");
    assert_string_equal(r.last_error, "contact does not open");
    assert_int_equal(atomic_load(&hook.count), 0);
    assert_int_equal(count_rows(fx, "SELECT count(*) FROM audit_log"), 1);
    fake_stop(&hook);
}

/* E-mail over SMTP: envelope, headers, and the fixed text (base64) as the only content. */
static void test_email(void **state)
{
    struct fixture *fx = *state;
    struct fake smtp;
    fake_start(&smtp, true);
    snprintf(fx->url, sizeof fx->url, "smtp://127.0.0.1:%d", smtp.port);
    struct outbox_config cfg = {
        .smtp_url = fx->url, .smtp_from = "noreply@ourvoice.example", .max_attempts = 8};
    int64_t id = citizen(fx, "{\"email\":\"" EMAIL "\",\"phone\":\"" PHONE "\"}");
    assert_int_equal(drain(fx, &cfg), 1);
    assert_string_equal(read_row(fx, id).status, "sent");
    assert_int_equal(atomic_load(&smtp.count), 1);
    pthread_mutex_lock(&smtp.lock);
    assert_non_null(strstr(smtp.transcript, "MAIL FROM:<noreply@ourvoice.example>"));
    assert_non_null(strstr(smtp.transcript, "RCPT TO:<" EMAIL ">"));
    pthread_mutex_unlock(&smtp.lock);
    const char *mail = smtp.bodies[0];
    assert_non_null(strstr(mail, "\r\nSubject: Our Voice\r\n"));
    assert_non_null(strstr(mail, "From: <noreply@ourvoice.example>\r\n"));
    assert_non_null(strstr(mail, "\r\nTo: <" EMAIL ">\r\n"));
    assert_non_null(strstr(mail, "\r\nDate: "));
    assert_non_null(strstr(mail, "Content-Type: text/plain; charset=UTF-8\r\n"));
    assert_null(strstr(mail, PHONE));
    /* the body decodes to the fixed text */
    const char *body = strstr(mail, "\r\n\r\n");
    assert_non_null(body);
    char b64[1024];
    size_t n = 0;
    for (const char *p = body + 4; *p && n + 1 < sizeof b64; p++)
        if (!isspace((unsigned char)*p))
            b64[n++] = *p;
    b64[n] = '\0';
    unsigned char text[1024];
    size_t text_len;
    assert_int_equal(sodium_base642bin(text, sizeof text, b64, n, NULL, &text_len, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    assert_int_equal(text_len, strlen(OUTBOX_CITIZEN_TEXT "\r\n"));
    assert_memory_equal(text, OUTBOX_CITIZEN_TEXT "\r\n", text_len);
    fake_stop(&smtp);
}

/* An SMTP 5xx for the recipient is permanent: failed at once. */
static void test_email_refused_is_permanent(void **state)
{
    struct fixture *fx = *state;
    struct fake smtp;
    fake_start(&smtp, true);
    smtp.rcpt_code = 550;
    snprintf(fx->url, sizeof fx->url, "smtp://127.0.0.1:%d", smtp.port);
    struct outbox_config cfg = {.smtp_url = fx->url, .smtp_from = "a@b.example", .max_attempts = 8};
    int64_t id = citizen(fx, "{\"email\":\"" EMAIL "\"}");
    assert_int_equal(drain(fx, &cfg), 0);
    struct row r = read_row(fx, id);
    assert_string_equal(r.status, "failed");
    assert_string_equal(r.last_error, "smtp 550");
    assert_int_equal(atomic_load(&smtp.count), 0);
    fake_stop(&smtp);
}

/* A 4xx (or a 5xx that is about us, not the mailbox) is retried. */
static void test_email_busy_is_retried(void **state)
{
    struct fixture *fx = *state;
    struct fake smtp;
    fake_start(&smtp, true);
    smtp.rcpt_code = 451;
    snprintf(fx->url, sizeof fx->url, "smtp://127.0.0.1:%d", smtp.port);
    struct outbox_config cfg = {.smtp_url = fx->url, .smtp_from = "a@b.example", .max_attempts = 8};
    int64_t id = citizen(fx, "{\"email\":\"" EMAIL "\"}");
    assert_int_equal(drain(fx, &cfg), 0);
    struct row r = read_row(fx, id);
    assert_string_equal(r.status, "pending");
    assert_int_equal(r.attempts, 1);
    assert_string_equal(r.last_error, "smtp 451");
    smtp.rcpt_code = 0;
    clock_set_offset(31);
    assert_int_equal(drain(fx, &cfg), 1);
    assert_string_equal(read_row(fx, id).status, "sent");
    assert_int_equal(atomic_load(&smtp.count), 1);
    fake_stop(&smtp);
}

/* Only `limit` messages go per drain, oldest first. */
static void test_limit(void **state)
{
    struct fixture *fx = *state;
    struct outbox_config cfg = {.max_attempts = 8};
    for (int i = 0; i < 5; i++)
        staff(fx, fx->case_id, "new_case");
    capture_begin(fx);
    assert_int_equal(outbox_drain(fx->s, &cfg, 3), 3);
    assert_int_equal(outbox_drain(fx->s, &cfg, 3), 2);
    assert_int_equal(outbox_drain(fx->s, &cfg, 3), 0);
    free(capture_end(fx));
    assert_int_equal(count_rows(fx, "SELECT count(*) FROM outbox WHERE status = 'sent'"), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff_doubles_up_to_an_hour),
        cmocka_unit_test(test_config_from_env),
        cmocka_unit_test_setup_teardown(test_log_channel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_webhook_retries_then_delivers_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_webhook_phone_and_telegram, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_closed_port_backs_off_then_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unopenable_contact_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_email, setup, teardown),
        cmocka_unit_test_setup_teardown(test_email_refused_is_permanent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_email_busy_is_retried, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limit, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
