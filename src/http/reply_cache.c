/* Reply cache (see reply_cache.h): open addressing over a fixed table per thread, freed
 * by a thread-exit destructor. Entries are only removed by a sweep, which rebuilds the
 * table from the live entries (so no probe chain is ever cut). */
#include "http/reply_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/gzip.h"
#include "http/reply.h"
#include "core/banned.h"

#define SLOTS      4096 /* more than the gazetteer's 1,888 parents */
#define GZIP_FROM  1024 /* bytes: smaller bodies are sent as they are */
#define JSON_TYPE  "application/json; charset=utf-8"
#define NS_PER_SEC 1000000000u

struct entry {
    char key[REPLY_CACHE_KEY_MAX + 1];
    const char *type; /* a string literal */
    char *disposition;
    char *body;
    unsigned char *gz; /* NULL when not worth it */
    size_t len, gz_len;
    uint64_t expires_ns;
    int seconds;
};

struct table {
    struct entry slots[SLOTS];
    size_t used, bytes;
};

static pthread_key_t table_key;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void entry_free(struct entry *e)
{
    free(e->disposition);
    free(e->body);
    free(e->gz);
    memset(e, 0, sizeof *e);
}

static size_t entry_bytes(const struct entry *e)
{
    return e->len + e->gz_len;
}

static void table_free(void *p)
{
    struct table *t = p;
    for (size_t i = 0; i < SLOTS; i++)
        entry_free(&t->slots[i]);
    free(t);
}

static void make_key(void)
{
    pthread_key_create(&table_key, table_free);
}

static struct table *table(void)
{
    pthread_once(&table_once, make_key);
    struct table *t = pthread_getspecific(table_key);
    if (!t) {
        t = xcalloc(1, sizeof *t);
        pthread_setspecific(table_key, t);
    }
    return t;
}

/* The slot holding key, or the empty slot where it would go; NULL if the table is full. */
static struct entry *slot(struct table *t, const char *key)
{
    uint32_t h = 2166136261u;
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    for (size_t i = 0; i < SLOTS; i++) {
        struct entry *e = &t->slots[(h + i) % SLOTS];
        if (!e->body || strcmp(e->key, key) == 0)
            return e;
    }
    return NULL;
}

/* Drops the expired entries and places the others again. */
static void sweep(struct table *t)
{
    uint64_t now = clock_mono_ns();
    struct entry *live = xmalloc(SLOTS * sizeof *live);
    size_t n = 0;
    for (size_t i = 0; i < SLOTS; i++) {
        struct entry *e = &t->slots[i];
        if (!e->body)
            continue;
        if (e->expires_ns > now)
            live[n++] = *e;
        else
            entry_free(e);
    }
    memset(t->slots, 0, sizeof t->slots);
    t->used = t->bytes = 0;
    for (size_t i = 0; i < n; i++) {
        *slot(t, live[i].key) = live[i];
        t->used++;
        t->bytes += entry_bytes(&live[i]);
    }
    free(live);
}

static void send_entry(struct request *r, const struct entry *e)
{
    char control[48];
    if (e->seconds > 0) {
        snprintf(control, sizeof control, "public, max-age=%d", e->seconds);
        reply_header(r, "Cache-Control", control);
    }
    if (e->disposition)
        reply_header(r, "Content-Disposition", e->disposition);
    bool gz = e->gz && req_accepts_gzip(r);
    if (e->len >= GZIP_FROM)
        reply_header(r, "Vary", "Accept-Encoding");
    if (gz)
        reply_header(r, "Content-Encoding", "gzip");
    reply_send(r, 200, e->type, gz ? (const void *)e->gz : e->body, gz ? e->gz_len : e->len);
}

bool reply_cache_send(struct request *r, const char *key)
{
    if (strlen(key) > REPLY_CACHE_KEY_MAX)
        return false;
    struct entry *e = slot(table(), key);
    if (!e || !e->body || e->expires_ns <= clock_mono_ns())
        return false;
    send_entry(r, e);
    return true;
}

/* Whether key can take `bytes` in t: within the budget, and one slot always left empty. */
static bool fits(const struct table *t, const struct entry *e, size_t bytes)
{
    bool replaces = e && e->body;
    size_t freed = replaces ? entry_bytes(e) : 0;
    return e && t->bytes - freed + bytes <= REPLY_CACHE_MAX_BYTES &&
           (replaces || t->used + 2 <= SLOTS);
}

/* The (emptied) slot for key with room for `bytes`, or NULL when the loop has no room. */
static struct entry *room_for(struct table *t, const char *key, size_t bytes)
{
    struct entry *e = slot(t, key);
    if (!fits(t, e, bytes)) {
        sweep(t);
        e = slot(t, key);
        if (!fits(t, e, bytes))
            return NULL;
    }
    if (e->body) {
        t->bytes -= entry_bytes(e);
        t->used--;
        entry_free(e);
    }
    return e;
}

void reply_cache_send_kept(struct request *r, const char *key, int seconds, const char *type,
                           const char *disposition, const char *body, size_t len)
{
    struct entry e = {.type = type, .len = len, .seconds = seconds > 0 ? seconds : 0};
    e.disposition = disposition ? xstrdup(disposition) : NULL;
    e.body = xmalloc(len + 1);
    memcpy(e.body, body, len);
    e.body[len] = '\0';
    if (len >= GZIP_FROM)
        gzip_bytes(body, len, 6, &e.gz, &e.gz_len);
    /* placed before sending: the request (and a key in its arena) is gone after */
    size_t keylen = strlen(key);
    struct table *t = table();
    struct entry *at =
        e.seconds && keylen <= REPLY_CACHE_KEY_MAX ? room_for(t, key, entry_bytes(&e)) : NULL;
    if (!at) {
        send_entry(r, &e);
        entry_free(&e);
        return;
    }
    memcpy(e.key, key, keylen + 1);
    e.expires_ns = clock_mono_ns() + (uint64_t)seconds * NS_PER_SEC;
    *at = e;
    t->used++;
    t->bytes += entry_bytes(at);
    send_entry(r, at);
}

void reply_cache_store(struct request *r, const char *key, json_t *doc)
{
    char *body = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!body) {
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    reply_cache_send_kept(r, key, REPLY_CACHE_SECONDS, JSON_TYPE, NULL, body, strlen(body));
    free(body);
}
