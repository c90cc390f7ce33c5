/* Feedback submission (DESIGN §2, §4): a complaint, request for support, question or
 * evaluation becomes a case in three steps, each on the right thread:
 *   feedback_prepare  — event loop: checks every field, routes, computes the deadlines;
 *   feedback_seal     — worker pool: draws the receipt, hashes it (Argon2id, the one slow
 *                       step) and seals the contact details;
 *   feedback_store    — the writer: numbers the case and stores it with its first event,
 *                       attachments, audit entry and staff notification, in one commit. */
#ifndef OURVOICE_FEEDBACK_H
#define OURVOICE_FEEDBACK_H

#include <stdbool.h>

#include "domain/model.h"
#include "domain/receipt.h"
#include "store/store.h"

#define FEEDBACK_TEXT_MAX        20000 /* bytes */
#define FEEDBACK_CRITERIA        6
#define FEEDBACK_MAX_ATTACHMENTS 4
#define FEEDBACK_MADE_AT_MAX_AGE (30 * 86400) /* an offline submission up to 30 days old */

extern const char *const feedback_criteria[FEEDBACK_CRITERIA];
extern const char *const feedback_kinds[];     /* NULL-terminated */
extern const char *const feedback_sexes[];     /* NULL-terminated */
extern const char *const feedback_age_bands[]; /* NULL-terminated */

struct feedback_input {
    const char *kind, *area_code, *service_code, *text, *language, *made_at;
    int scores[FEEDBACK_CRITERIA]; /* 0: not given */
    bool sensitive, bypass_office, public_consent;
    bool overcharged; /* complaints: charged above the official fee */
    const char *phone, *email, *telegram, *name;
    bool share_identity;
    const char *sex, *age_band;
    int disability; /* -1: not said */
    const struct attachment *attachments;
    size_t attachment_count;
};

struct submission {
    struct case_row c;
    struct office office;
    const struct attachment *attachments;
    size_t attachment_count;
    char receipt[RECEIPT_DIGITS + 1];
    const char *contact_json, *name; /* plaintext until sealed */
    bool sealed_ok;
    struct arena *arena;
    struct problem problem;
};

/* STORE_OK, or STORE_CONFLICT with sub->problem naming the field. */
int feedback_prepare(struct store *s, struct arena *a, const struct feedback_input *in,
                     struct submission *sub);
void feedback_seal(struct submission *sub);
int feedback_store(struct store *s, struct submission *sub);

/* NFC-normalised copy of UTF-8 text in the arena (NULL if it cannot be normalised). */
char *feedback_normalize(struct arena *a, const char *text);

#endif
