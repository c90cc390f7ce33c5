/* A per-loop cache of whole replies to public reads that many people ask alike: the
 * gazetteer's area lists and the public statistics. Each event loop has its own table, so
 * there are no locks. An entry lives the seconds it was kept for (so an edited gazetteer or
 * a new case shows within that time), is sent gzipped to clients that take it, and tells
 * browsers and proxies they may keep it as long. A loop keeps at most
 * REPLY_CACHE_MAX_BYTES; past that, expired entries go first, then nothing new is kept. */
#ifndef OURVOICE_REPLY_CACHE_H
#define OURVOICE_REPLY_CACHE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"

#define REPLY_CACHE_SECONDS   60 /* the area lists */
#define REPLY_CACHE_KEY_MAX   160
#define REPLY_CACHE_MAX_BYTES ((size_t)64 << 20)

/* Sends the cached 200 reply for key and returns true, or returns false. */
bool reply_cache_send(struct request *r, const char *key);

/* Sends doc as a 200 JSON reply (releasing it) and keeps it under key for
 * REPLY_CACHE_SECONDS. */
void reply_cache_store(struct request *r, const char *key, json_t *doc);

/* Sends body as a 200 of the given type (with a Content-Disposition when disposition is not
 * NULL) and keeps a copy under key for `seconds` (0: not kept, and not cacheable). */
void reply_cache_send_kept(struct request *r, const char *key, int seconds, const char *type,
                           const char *disposition, const char *body, size_t len);

#endif
