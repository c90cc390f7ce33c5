/* Answering a request: every reply — JSON, error, static file — goes through reply_send(),
 * which adds the security headers and the request ID, sends, logs one access line, counts
 * the metrics and frees the request's arena. A second reply to one request is refused and
 * logged as a bug. */
#ifndef OURVOICE_REPLY_H
#define OURVOICE_REPLY_H

#include <jansson.h>
#include <stddef.h>

#include "core/jsonf.h"
#include "http/errors.h"
#include "domain/model.h"
#include "http/request.h"

/* The Content-Security-Policy every reply carries, with more sources for script-src and
 * style-src (each NULL, or a space-separated list such as "'sha256-...'"), for a page that
 * sets its own (a static page's inline blocks, see static.c) before reply_send. Returns a
 * malloc'd string, or NULL if too long. */
char *reply_csp_with(const char *scripts, const char *styles);

/* Adds a response header (before the reply is sent). */
void reply_header(struct request *r, const char *name, const char *value);

void reply_send(struct request *r, int status, const char *content_type, const void *body,
                size_t len);

/* Sends doc as JSON and releases it (json_decref). */
void reply_json(struct request *r, int status, json_t *doc);

/* The one JSON error reply: {"error":{"code","message","field"}} in the request's language. */
void reply_error(struct request *r, enum err e, const char *field);
void reply_jf_error(struct request *r, const struct jf_error *err);

/* A domain rule broken (struct problem): its code names the error table's entry. */
void reply_problem(struct request *r, const struct problem *p);

/* A store failure: NOT_FOUND → 404, CONFLICT → 409, anything else → 500 (logged). */
void reply_store_error(struct request *r, int store_status);

/* Frees the request once it has been replied to and no one holds it (see server.c). */
void request_release(struct request *r);

#endif
