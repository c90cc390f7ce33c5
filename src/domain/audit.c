/* Hash-chained audit log (see audit.h). */
#include "domain/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/banned.h"

static void update_str(crypto_generichash_state *st, const char *s)
{
    /* length-prefixed so that ("ab","c") and ("a","bc") differ */
    uint32_t n = s ? (uint32_t)strlen(s) : 0xffffffffu;
    crypto_generichash_update(st, (const unsigned char *)&n, sizeof n);
    if (s)
        crypto_generichash_update(st, (const unsigned char *)s, n);
}

static void update_int(crypto_generichash_state *st, int64_t v)
{
    crypto_generichash_update(st, (const unsigned char *)&v, sizeof v);
}

void audit_entry_hash(const struct audit_entry *e, unsigned char out[HASH_BYTES])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, HASH_BYTES);
    crypto_generichash_update(&st, e->prev_hash, HASH_BYTES);
    update_str(&st, e->at);
    update_str(&st, e->actor_kind);
    update_int(&st, e->actor_id);
    update_str(&st, e->action);
    update_int(&st, e->case_id);
    update_str(&st, e->detail ? e->detail : "");
    crypto_generichash_final(&st, out, HASH_BYTES);
}

int audit_append(struct store *s, const char *actor_kind, int64_t actor_id, const char *action,
                 int64_t case_id, const char *detail)
{
    char at[32];
    clock_format(clock_now(), at, sizeof at);
    struct audit_entry e = {.at = at,
                            .actor_kind = actor_kind,
                            .actor_id = actor_id,
                            .action = action,
                            .case_id = case_id,
                            .detail = detail ? detail : ""};
    int rc = store_audit_last_hash(s, e.prev_hash);
    if (rc != STORE_OK)
        return rc;
    audit_entry_hash(&e, e.hash);
    return store_audit_insert(s, &e);
}

int audit_verify(struct store *s, struct audit_report *out)
{
    unsigned char prev[HASH_BYTES] = {0};
    int64_t after = 0;
    out->entries = 0;
    out->first_bad_id = 0;
    for (;;) {
        struct arena *a = arena_new();
        struct audit_list l;
        int rc = store_audit_list(s, a, after, 1000, &l);
        if (rc != STORE_OK || l.count == 0) {
            arena_free(a);
            return rc;
        }
        for (size_t i = 0; i < l.count && !out->first_bad_id; i++) {
            struct audit_entry *e = &l.items[i];
            unsigned char expect[HASH_BYTES];
            audit_entry_hash(e, expect);
            if (memcmp(e->prev_hash, prev, HASH_BYTES) != 0 ||
                sodium_memcmp(expect, e->hash, HASH_BYTES) != 0)
                out->first_bad_id = e->id;
            memcpy(prev, e->hash, HASH_BYTES);
            out->entries++;
            after = e->id;
        }
        arena_free(a);
        if (out->first_bad_id)
            return STORE_OK;
    }
}
