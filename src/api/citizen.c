/* Citizen endpoints: submitting feedback, exchanging a receipt for a short-lived track token
 * (with the guessing brakes), and following the case with that token: read, reply, rate,
 * appeal. No account; the receipt never travels in a URL and is never logged. */
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/views.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "domain/feedback.h"
#include "domain/throttle.h"
#include "domain/workflow.h"
#include "http/metrics.h"
#include "http/reply.h"
#include "http/server.h"
#include "core/banned.h"

#define TRACK_SESSION_SECONDS (30 * 60)
#define POW_SECONDS           300
#define POW_ALARM_SECONDS     600

/* ---- submission ---- */

struct feedback_body {
    const char *kind, *area, *service, *text, *language, *made_at;
    const json_t *scores, *contact, *demographics, *attachments;
    bool sensitive, bypass_office, public_consent, overcharged;
};

static const struct jf_field feedback_fields[] = {
    {"kind", JF_ENUM, true, false, 0, 0, 0, feedback_kinds, offsetof(struct feedback_body, kind)},
    {"area", JF_STRING, true, false, 8, 0, 0, NULL, offsetof(struct feedback_body, area)},
    {"service", JF_STRING, false, true, 40, 0, 0, NULL, offsetof(struct feedback_body, service)},
    {"text", JF_STRING, false, true, FEEDBACK_TEXT_MAX, 0, 0, NULL,
     offsetof(struct feedback_body, text)},
    {"language", JF_ENUM, false, false, 0, 0, 0, (const char *const[]){"km", "en", NULL},
     offsetof(struct feedback_body, language)},
    {"made_at", JF_STRING, false, true, 40, 0, 0, NULL, offsetof(struct feedback_body, made_at)},
    {"scores", JF_OBJECT, false, true, 0, 0, 0, NULL, offsetof(struct feedback_body, scores)},
    {"contact", JF_OBJECT, false, true, 0, 0, 0, NULL, offsetof(struct feedback_body, contact)},
    {"demographics", JF_OBJECT, false, true, 0, 0, 0, NULL,
     offsetof(struct feedback_body, demographics)},
    {"attachments", JF_ARRAY, false, true, 0, 0, FEEDBACK_MAX_ATTACHMENTS, NULL,
     offsetof(struct feedback_body, attachments)},
    {"sensitive", JF_BOOL, false, false, 0, 0, 0, NULL, offsetof(struct feedback_body, sensitive)},
    {"bypass_office", JF_BOOL, false, false, 0, 0, 0, NULL,
     offsetof(struct feedback_body, bypass_office)},
    {"public_consent", JF_BOOL, false, false, 0, 0, 0, NULL,
     offsetof(struct feedback_body, public_consent)},
    {"overcharged", JF_BOOL, false, false, 0, 0, 0, NULL,
     offsetof(struct feedback_body, overcharged)},
};

struct contact_body {
    const char *phone, *email, *telegram, *name;
    bool share_identity;
};

static const struct jf_field contact_fields[] = {
    {"phone", JF_STRING, false, true, 32, 0, 0, NULL, offsetof(struct contact_body, phone)},
    {"email", JF_STRING, false, true, 254, 0, 0, NULL, offsetof(struct contact_body, email)},
    {"telegram", JF_STRING, false, true, 64, 0, 0, NULL, offsetof(struct contact_body, telegram)},
    {"name", JF_STRING, false, true, 200, 0, 0, NULL, offsetof(struct contact_body, name)},
    {"share_identity", JF_BOOL, false, false, 0, 0, 0, NULL,
     offsetof(struct contact_body, share_identity)},
};

struct demographics_body {
    const char *sex, *age_band;
    bool disability, disability_set;
};

static const struct jf_field demographics_fields[] = {
    {"sex", JF_ENUM, false, true, 0, 0, 0, feedback_sexes, offsetof(struct demographics_body, sex)},
    {"age_band", JF_ENUM, false, true, 0, 0, 0, feedback_age_bands,
     offsetof(struct demographics_body, age_band)},
    {"disability", JF_BOOL, false, false, 0, 0, 0, NULL,
     offsetof(struct demographics_body, disability)},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Parses a nested object's fields, naming errors "outer.field". */
static int parse_nested(struct request *r, const json_t *obj, const char *outer,
                        const struct jf_field *fields, size_t n, void *out)
{
    struct jf_error err;
    if (!obj || jf_parse(obj, fields, n, out, &err) == 0)
        return 0;
    char *name = err.field ? arena_printf(r->arena, "%s.%s", outer, err.field)
                           : arena_strdup(r->arena, outer);
    err.field = name;
    reply_jf_error(r, &err);
    return -1;
}

static int parse_scores(struct request *r, const json_t *scores, int out[FEEDBACK_CRITERIA])
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)scores, key, v)
    {
        int i = 0;
        while (i < FEEDBACK_CRITERIA && strcmp(feedback_criteria[i], key) != 0)
            i++;
        const char *field = i < FEEDBACK_CRITERIA
                                ? arena_printf(r->arena, "scores.%s", feedback_criteria[i])
                                : "scores";
        if (i == FEEDBACK_CRITERIA) {
            reply_error(r, ERR_UNKNOWN_FIELD, field);
            return -1;
        }
        if (!json_is_integer(v)) {
            reply_error(r, ERR_WRONG_TYPE, field);
            return -1;
        }
        if (json_integer_value(v) < 1 || json_integer_value(v) > 5) {
            reply_error(r, ERR_OUT_OF_RANGE, field);
            return -1;
        }
        out[i] = (int)json_integer_value(v);
    }
    return 0;
}

static void feedback_sealed(struct request *r, void *ctx);

static int submission_tx(struct store *s, void *ctx)
{
    return feedback_store(s, ctx);
}

static void feedback_saved(struct request *r, void *ctx, int rc)
{
    struct submission *sub = ctx;
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    char receipt[RECEIPT_DIGITS + 4];
    receipt_format(sub->receipt, receipt);
    sodium_memzero(sub->receipt, sizeof sub->receipt);
    json_t *body =
        json_pack("{s:s,s:s,s:s,s:o,s:{s:s,s:s?}}", "case", sub->c.number, "receipt", receipt,
                  "status", sub->c.status, "office", view_office(r, sub->office.id), "due",
                  "acknowledge", sub->c.due_acknowledge, "answer", sub->c.due_answer);
    sodium_memzero(receipt, sizeof receipt);
    reply_json(r, 201, body);
}

static void seal_work(void *ctx)
{
    feedback_seal(ctx);
}

static void feedback_sealed(struct request *r, void *ctx)
{
    struct submission *sub = ctx;
    if (!sub->sealed_ok) {
        reply_error(r, ERR_UNAVAILABLE, NULL);
        return;
    }
    server_write(r, submission_tx, sub, feedback_saved);
}

void h_feedback(struct request *r)
{
    struct feedback_body b = {0};
    struct contact_body cb = {0};
    struct demographics_body db = {0};
    struct jf_error err;
    if (jf_parse(r->body, feedback_fields, COUNT(feedback_fields), &b, &err) < 0) {
        reply_jf_error(r, &err);
        return;
    }
    db.disability = false;
    if (parse_nested(r, b.contact, "contact", contact_fields, COUNT(contact_fields), &cb) < 0 ||
        parse_nested(r, b.demographics, "demographics", demographics_fields,
                     COUNT(demographics_fields), &db) < 0)
        return;
    struct feedback_input in = {
        .kind = b.kind,
        .area_code = b.area,
        .service_code = b.service,
        .text = b.text,
        .language = b.language,
        .made_at = b.made_at,
        .sensitive = b.sensitive,
        .bypass_office = b.bypass_office,
        .public_consent = b.public_consent,
        .overcharged = b.overcharged,
        .phone = cb.phone,
        .email = cb.email,
        .telegram = cb.telegram,
        .name = cb.name,
        .share_identity = cb.share_identity,
        .sex = db.sex,
        .age_band = db.age_band,
        .disability =
            b.demographics && json_object_get(b.demographics, "disability") ? db.disability : -1};
    if (b.scores && parse_scores(r, b.scores, in.scores) < 0)
        return;
    struct attachment *atts;
    if (view_parse_attachments(r, b.attachments, "attachments", &atts, &in.attachment_count) < 0)
        return;
    in.attachments = atts;
    struct submission *sub = arena_zalloc(r->arena, sizeof *sub);
    int rc = feedback_prepare(r->store, r->arena, &in, sub);
    if (rc == STORE_CONFLICT && sub->problem.code)
        reply_problem(r, &sub->problem);
    else if (rc != STORE_OK)
        reply_store_error(r, rc);
    else
        server_defer(r, seal_work, feedback_sealed, sub);
}

/* ---- proof of work ---- */

static _Atomic long long pow_alarm_until;

static bool pow_required(void)
{
    const struct server_config *cfg = server_config();
    return (cfg && getenv("OURVOICE_TRACK_POW") &&
            strcmp(getenv("OURVOICE_TRACK_POW"), "1") == 0) ||
           clock_now() < (time_t)atomic_load(&pow_alarm_until);
}

static int pow_bits(void)
{
    const char *v = getenv("OURVOICE_TRACK_POW_BITS");
    int bits = v ? (int)strtol(v, NULL, 10) : 16;
    return bits < 8 ? 8 : bits > 24 ? 24 : bits;
}

/* challenge = base64url(expiry[8] || random[16] || mac[16]) */
void h_track_challenge(struct request *r)
{
    unsigned char raw[40], mac[CRYPTO_HASH_BYTES];
    uint64_t expiry = (uint64_t)clock_now() + POW_SECONDS;
    for (int i = 0; i < 8; i++)
        raw[i] = (unsigned char)(expiry >> (56 - 8 * i));
    randombytes_buf(raw + 8, 16);
    crypto_mac(raw, 24, mac);
    memcpy(raw + 24, mac, 16);
    char text[64];
    sodium_bin2base64(text, sizeof text, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    reply_json(r, 200,
               json_pack("{s:s,s:i,s:s,s:b}", "challenge", text, "bits", pow_bits(), "algorithm",
                         "sha256", "required", pow_required()));
}

static bool pow_valid(const char *challenge, const char *nonce)
{
    unsigned char raw[40], mac[CRYPTO_HASH_BYTES];
    size_t len = 0;
    if (!challenge || !nonce || strlen(nonce) > 32 ||
        sodium_base642bin(raw, sizeof raw, challenge, strlen(challenge), NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len != sizeof raw)
        return false;
    crypto_mac(raw, 24, mac);
    if (sodium_memcmp(mac, raw + 24, 16) != 0)
        return false;
    uint64_t expiry = 0;
    for (int i = 0; i < 8; i++)
        expiry = expiry << 8 | raw[i];
    if ((uint64_t)clock_now() > expiry)
        return false;
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)challenge, strlen(challenge));
    crypto_hash_sha256_update(&st, (const unsigned char *)":", 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)nonce, strlen(nonce));
    crypto_hash_sha256_final(&st, digest);
    int bits = pow_bits();
    for (int i = 0; i < bits; i++)
        if (digest[i / 8] & (0x80 >> (i % 8)))
            return false;
    return true;
}

/* ---- receipt → track token ---- */

struct track_login {
    const char *receipt;
    const json_t *pow;
    char digits[RECEIPT_DIGITS + 1];
    unsigned char hash[CRYPTO_HASH_BYTES];
    bool hashed;
    struct case_row c;
    bool found;
    char token[IDS_TOKEN_LEN + 1];
    const char *address, *expires;
    int failures_all;
    struct arena *arena;
};

static const struct jf_field track_fields[] = {
    {"receipt", JF_STRING, true, false, RECEIPT_TEXT_MAX, 0, 0, NULL,
     offsetof(struct track_login, receipt)},
    {"pow", JF_OBJECT, false, true, 0, 0, 0, NULL, offsetof(struct track_login, pow)},
};

static void receipt_work(void *ctx)
{
    struct track_login *t = ctx;
    t->hashed = crypto_receipt_hash(t->digits, RECEIPT_DIGITS, t->hash) == 0;
    sodium_memzero(t->digits, sizeof t->digits);
}

static int track_ok_tx(struct store *s, void *ctx)
{
    struct track_login *t = ctx;
    unsigned char hash[CRYPTO_HASH_BYTES];
    crypto_token_hash(t->token, hash);
    int rc = store_track_session_put(s, hash, t->c.id, t->expires);
    if (rc == STORE_OK)
        rc = store_throttle_clear(s, arena_printf(t->arena, "receipt:addr:%s", t->address));
    return rc;
}

static const struct throttle_policy receipt_all = {0, 60, 0};

static int track_fail_tx(struct store *s, void *ctx)
{
    struct track_login *t = ctx;
    time_t now = clock_now();
    int n;
    int rc = throttle_fail(s, t->arena, arena_printf(t->arena, "receipt:addr:%s", t->address),
                           &throttle_receipt_address, now, &n);
    if (rc == STORE_OK)
        rc = throttle_fail(s, t->arena, "receipt:all", &receipt_all, now, &t->failures_all);
    return rc;
}

static int failure_cap(void)
{
    const char *v = getenv("OURVOICE_RECEIPT_FAILURE_CAP");
    long cap = v ? strtol(v, NULL, 10) : 200;
    return cap > 0 ? (int)cap : 200;
}

static void track_saved(struct request *r, void *ctx, int rc)
{
    struct track_login *t = ctx;
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    if (t->found) {
        reply_json(r, 200, json_pack("{s:s,s:s}", "token", t->token, "expires", t->expires));
        sodium_memzero(t->token, sizeof t->token);
        return;
    }
    metrics_count("ourvoice_receipt_failures_total", "Receipt checks that matched no case.", 1);
    if (t->failures_all == failure_cap() + 1) {
        log_warn("receipt_failure_alarm", "failures_last_minute=%d cap=%d action=proof_of_work_on",
                 t->failures_all, failure_cap());
        metrics_count("ourvoice_receipt_failure_alarms_total",
                      "Times the system-wide cap on failed receipt checks was passed.", 1);
        atomic_store(&pow_alarm_until, (long long)clock_now() + POW_ALARM_SECONDS);
    }
    reply_error(r, ERR_NOT_FOUND, NULL);
}

static void receipt_hashed(struct request *r, void *ctx)
{
    struct track_login *t = ctx;
    if (!t->hashed) {
        reply_error(r, ERR_UNAVAILABLE, NULL);
        return;
    }
    int rc = store_case_by_receipt(r->store, r->arena, t->hash, &t->c);
    if (rc != STORE_OK && rc != STORE_NOT_FOUND) {
        reply_store_error(r, rc);
        return;
    }
    t->found = rc == STORE_OK;
    if (t->found) {
        ids_token(t->token);
        char *expires = arena_alloc(r->arena, 32);
        clock_format(clock_now() + TRACK_SESSION_SECONDS, expires, 32);
        t->expires = expires;
    }
    server_write(r, t->found ? track_ok_tx : track_fail_tx, t, track_saved);
}

void h_track_session(struct request *r)
{
    struct track_login *t = arena_zalloc(r->arena, sizeof *t);
    struct jf_error err;
    if (jf_parse(r->body, track_fields, COUNT(track_fields), t, &err) < 0) {
        reply_jf_error(r, &err);
        return;
    }
    t->arena = r->arena;
    t->address = req_peer(r);
    if (receipt_parse(t->receipt, t->digits) < 0) {
        reply_error(r, ERR_INVALID_RECEIPT, "receipt");
        return;
    }
    int wait = 0;
    int rc =
        throttle_wait(r->store, r->arena, arena_printf(r->arena, "receipt:addr:%s", t->address),
                      &throttle_receipt_address, clock_now(), &wait);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    if (wait > 0) {
        reply_header(r, "Retry-After", arena_printf(r->arena, "%d", wait));
        reply_error(r, ERR_RATE_LIMITED, NULL);
        return;
    }
    if (pow_required()) {
        const json_t *c = t->pow ? json_object_get(t->pow, "challenge") : NULL;
        const json_t *n = t->pow ? json_object_get(t->pow, "nonce") : NULL;
        if (!t->pow) {
            reply_error(r, ERR_PROOF_OF_WORK_REQUIRED, "pow");
            return;
        }
        if (!pow_valid(json_string_value(c), json_string_value(n))) {
            reply_error(r, ERR_PROOF_OF_WORK_INVALID, "pow");
            return;
        }
    }
    server_defer(r, receipt_work, receipt_hashed, t);
}

/* ---- following the case ---- */

static int load_case(struct request *r, struct case_row *c)
{
    int rc = store_case_get(r->store, r->arena, r->citizen_case_id, c);
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    return rc;
}

void h_track(struct request *r)
{
    struct case_row c;
    if (load_case(r, &c) == STORE_OK)
        reply_json(r, 200, view_case_citizen(r, &c));
}

static int citizen_tx(struct store *s, void *ctx)
{
    return workflow_citizen_action(s, ctx);
}

static void citizen_saved(struct request *r, void *ctx, int rc)
{
    struct citizen_action *act = ctx;
    if (rc == STORE_CONFLICT && act->problem.code) {
        reply_problem(r, &act->problem);
        return;
    }
    struct case_row c;
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    else if (load_case(r, &c) == STORE_OK)
        reply_json(r, 200, view_case_citizen(r, &c));
}

static void run_citizen_action(struct request *r, struct citizen_action *act)
{
    act->case_id = r->citizen_case_id;
    act->arena = r->arena;
    if (act->text && !(act->text = feedback_normalize(r->arena, act->text))) {
        reply_error(r, ERR_INVALID_UTF8, "text");
        return;
    }
    server_write(r, citizen_tx, act, citizen_saved);
}

struct message_body {
    const char *text;
    const json_t *attachments;
};

static const struct jf_field message_fields[] = {
    {"text", JF_STRING, false, true, WORKFLOW_TEXT_MAX, 0, 0, NULL,
     offsetof(struct message_body, text)},
    {"attachments", JF_ARRAY, false, true, 0, 0, FEEDBACK_MAX_ATTACHMENTS, NULL,
     offsetof(struct message_body, attachments)},
};

void h_track_message(struct request *r)
{
    struct message_body b = {0};
    struct jf_error err;
    if (jf_parse(r->body, message_fields, COUNT(message_fields), &b, &err) < 0) {
        reply_jf_error(r, &err);
        return;
    }
    struct citizen_action *act = arena_zalloc(r->arena, sizeof *act);
    struct attachment *atts;
    if (view_parse_attachments(r, b.attachments, "attachments", &atts, &act->attachment_count) < 0)
        return;
    act->attachments = atts;
    act->action = "reply";
    act->text = b.text;
    run_citizen_action(r, act);
}

struct rating_body {
    bool satisfied;
    long long score;
    const char *comment;
};

static const struct jf_field rating_fields[] = {
    {"satisfied", JF_BOOL, true, false, 0, 0, 0, NULL, offsetof(struct rating_body, satisfied)},
    {"score", JF_INT, false, false, 0, 1, 5, NULL, offsetof(struct rating_body, score)},
    {"comment", JF_STRING, false, true, 2000, 0, 0, NULL, offsetof(struct rating_body, comment)},
};

void h_track_rating(struct request *r)
{
    struct rating_body b = {0};
    struct jf_error err;
    if (jf_parse(r->body, rating_fields, COUNT(rating_fields), &b, &err) < 0) {
        reply_jf_error(r, &err);
        return;
    }
    struct citizen_action *act = arena_zalloc(r->arena, sizeof *act);
    act->action = "rate";
    act->satisfied = b.satisfied;
    act->score = (int)b.score;
    act->comment = b.comment ? feedback_normalize(r->arena, b.comment) : NULL;
    run_citizen_action(r, act);
}

struct appeal_body {
    const char *reason;
};

static const struct jf_field appeal_fields[] = {
    {"reason", JF_STRING, false, true, WORKFLOW_REASON_MAX, 0, 0, NULL,
     offsetof(struct appeal_body, reason)},
};

void h_track_appeal(struct request *r)
{
    struct appeal_body b = {0};
    struct jf_error err;
    if (jf_parse(r->body, appeal_fields, COUNT(appeal_fields), &b, &err) < 0) {
        reply_jf_error(r, &err);
        return;
    }
    struct citizen_action *act = arena_zalloc(r->arena, sizeof *act);
    act->action = "appeal";
    act->reason = b.reason ? feedback_normalize(r->arena, b.reason) : NULL;
    run_citizen_action(r, act);
}

/* An attachment of the caller's own case (staff use their own route). */
void h_track_attachment(struct request *r)
{
    char *end;
    long long id = strtoll(r->params[0], &end, 10);
    struct attachment att;
    int rc = *end || id <= 0 ? STORE_NOT_FOUND : store_attachment_get(r->store, r->arena, id, &att);
    if (rc == STORE_OK && att.case_id != r->citizen_case_id)
        rc = STORE_NOT_FOUND;
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    reply_header(r, "Content-Disposition", "attachment");
    reply_send(r, 200, att.mime, att.data, att.bytes);
}
