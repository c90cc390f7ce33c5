/* A per-thread cache of whole JSON replies for public reads that rarely change (the
 * gazetteer's area lists). Each event loop has its own table, so there are no locks; an
 * entry lives REPLY_CACHE_SECONDS, so an edited gazetteer shows within that time. */
#ifndef OURVOICE_REPLY_CACHE_H
#define OURVOICE_REPLY_CACHE_H

#include <jansson.h>
#include <stdbool.h>

#include "http/request.h"

#define REPLY_CACHE_SECONDS 60
#define REPLY_CACHE_KEY_MAX 32

/* Sends the cached 200 reply for key and returns true, or returns false. */
bool reply_cache_send(struct request *r, const char *key);

/* Sends doc as a 200 JSON reply (releasing it) and keeps the bytes under key. */
void reply_cache_store(struct request *r, const char *key, json_t *doc);

#endif
