/* Reply cache (see reply_cache.h): open addressing over a fixed table per thread, freed
 * by a thread-exit destructor. */
#include "http/reply_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "http/reply.h"
#include "core/banned.h"

#define SLOTS     4096 /* more than the gazetteer's 1,888 parents */
#define JSON_TYPE "application/json; charset=utf-8"

struct entry {
    char key[REPLY_CACHE_KEY_MAX + 1];
    char *body;
    size_t len;
    uint64_t built_ns;
};

struct table {
    struct entry slots[SLOTS];
};

static pthread_key_t table_key;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void table_free(void *p)
{
    struct table *t = p;
    for (size_t i = 0; i < SLOTS; i++)
        free(t->slots[i].body);
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

static bool fresh(const struct entry *e)
{
    return e->body && clock_mono_ns() - e->built_ns < (uint64_t)REPLY_CACHE_SECONDS * 1000000000u;
}

bool reply_cache_send(struct request *r, const char *key)
{
    if (strlen(key) > REPLY_CACHE_KEY_MAX)
        return false;
    struct entry *e = slot(table(), key);
    if (!e || !fresh(e))
        return false;
    reply_send(r, 200, JSON_TYPE, e->body, e->len);
    return true;
}

void reply_cache_store(struct request *r, const char *key, json_t *doc)
{
    char *body = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!body) {
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    size_t len = strlen(body);
    struct entry *e = strlen(key) <= REPLY_CACHE_KEY_MAX ? slot(table(), key) : NULL;
    reply_send(r, 200, JSON_TYPE, body, len);
    if (!e) {
        free(body);
        return;
    }
    free(e->body);
    memcpy(e->key, key, strlen(key) + 1);
    e->body = body;
    e->len = len;
    e->built_ns = clock_mono_ns();
}
