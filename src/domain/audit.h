/* The audit log: every staff read of a case, every decryption and every change is appended,
 * inside the same transaction as what it records. Entries are hash-chained:
 * hash = BLAKE2b-256(prev_hash || at || actor_kind || actor_id || action || case_id || detail),
 * so removing or altering an entry breaks every later link. */
#ifndef OURVOICE_AUDIT_H
#define OURVOICE_AUDIT_H

#include <stdint.h>

#include "store/store.h"

/* Appends one entry (call inside a transaction). detail must hold no secret. */
int audit_append(struct store *s, const char *actor_kind, int64_t actor_id, const char *action,
                 int64_t case_id, const char *detail);

struct audit_report {
    int64_t entries;
    int64_t first_bad_id; /* 0: the chain is intact */
};

/* Recomputes the whole chain. */
int audit_verify(struct store *s, struct audit_report *out);

/* The entry hash as audit_append computes it (exposed for tests). */
void audit_entry_hash(const struct audit_entry *e, unsigned char out[HASH_BYTES]);

#endif
