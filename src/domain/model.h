/* The records that travel between the store, the domain and the handlers. Strings are
 * owned by whoever allocated the record (usually a request's arena). */
#ifndef OURVOICE_MODEL_H
#define OURVOICE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AREA_CODE_MAX    8
#define SERVICE_CODE_MAX 40
#define OFFICE_CODE_MAX  24

struct area {
    const char *code, *parent, *level, *type_km, *type_en, *name_km, *name_en;
};

struct area_list {
    struct area *items;
    size_t count;
};

struct service {
    const char *code, *office_kind, *sector, *name_km, *name_en, *source;
    int64_t fee_khr; /* -1: unknown */
    int days;        /* statutory working days; -1: unknown */
    bool placeholder, active;
};

struct service_list {
    struct service *items;
    size_t count;
};

struct office {
    int64_t id;
    const char *code, *kind, *area_code /* NULL: the whole nation */, *name_km, *name_en;
    bool active;
};

struct office_list {
    struct office *items;
    size_t count;
};

struct staff {
    int64_t id;
    const char *login, *name, *role, *password_hash;
    int64_t office_id; /* 0: none (national roles) */
    bool active;
    const unsigned char *totp_sealed; /* NULL: no second factor enrolled */
    size_t totp_sealed_len;
    int failed_logins;
    const char *locked_until, *created_at;
    int64_t totp_last_step; /* the last TOTP time step accepted (codes are single-use) */
};

struct staff_list {
    struct staff *items;
    size_t count;
};

/* A rule a request broke, named like the HTTP error table's codes (http/errors.c), with the
 * input field at fault (or NULL). */
struct problem {
    const char *code;
    const char *field;
};

struct holiday {
    const char *date, *name_km, *name_en;
};

#define CASE_NUMBER_MAX 40
#define HASH_BYTES      32

/* A case as stored. Times are RFC 3339 UTC strings; NULL when not (yet) set. */
struct case_row {
    int64_t id;
    const char *number, *kind, *status;
    int64_t office_id, origin_office_id, ccwc_office_id; /* 0: none */
    const char *area_code, *service_code, *text, *language, *scores;
    bool sensitive, bypass_office, public_consent, public_approved;
    bool overcharged; /* a complaint: charged above the official fee */
    const char *sex, *age_band;
    int disability; /* -1 not said, 0 no, 1 yes */
    unsigned char receipt_hash[HASH_BYTES];
    const unsigned char *contact_sealed, *name_sealed;
    size_t contact_sealed_len, name_sealed_len;
    int64_t assigned_to;
    int escalation_level;
    const char *made_at, *created_at, *updated_at, *acknowledged_at, *answered_at, *closed_at;
    const char *due_acknowledge, *due_answer, *breached;
    int satisfied; /* -1 not rated, 0 no, 1 yes */
    int rating;    /* 0 not rated */
    const char *rating_comment;
};

struct case_list {
    struct case_row *items;
    size_t count;
};

/* Which cases a list may return: built by the authorization policy, never by handlers. */
struct case_filter {
    int64_t office_id;          /* cases this office handles (0: not this scope) */
    const char *area_prefix;    /* or: cases whose area starts with this ("" = all) */
    int64_t hide_origin_office; /* exclude sensitive or bypass cases about this office */
    int64_t ccwc_office_id;     /* or: sensitive cases this CCWC may help with */
    const char *status, *kind, *service_code, *q;
    bool overdue_only;
    const char *now;     /* for overdue */
    int64_t assigned_to; /* 0: anyone */
    int64_t before_id;   /* cursor: ids below this (0: from the newest) */
    size_t limit;
};

struct event_row {
    int64_t id, case_id;
    const char *at, *actor_kind;
    int64_t actor_id; /* 0: none */
    const char *type, *visibility, *text, *reason;
    int64_t from_office, to_office; /* 0: none */
    const char *status;
};

struct event_list {
    struct event_row *items;
    size_t count;
};

struct attachment {
    int64_t id, case_id, event_id;
    const char *mime;
    const unsigned char *data;
    size_t bytes;
    const char *created_at;
};

struct attachment_list {
    struct attachment *items;
    size_t count;
};

struct staff_session {
    unsigned char token_hash[HASH_BYTES];
    int64_t staff_id;
    const char *csrf, *created_at, *last_seen, *expires_at;
};

struct throttle_row {
    const char *key;
    int failures;
    const char *window_start, *last_failure;
};

struct outbox_msg {
    int64_t id;
    const char *channel, *template_name;
    const unsigned char *recipient_sealed;
    size_t recipient_sealed_len;
    int64_t case_id;
    const char *status;
    int attempts;
    const char *next_attempt_at, *last_error, *created_at, *sent_at;
};

struct outbox_list {
    struct outbox_msg *items;
    size_t count;
};

struct audit_entry {
    int64_t id;
    const char *at, *actor_kind;
    int64_t actor_id;
    const char *action;
    int64_t case_id;
    const char *detail;
    unsigned char prev_hash[HASH_BYTES], hash[HASH_BYTES];
};

struct audit_list {
    struct audit_entry *items;
    size_t count;
};

struct deadline_rule {
    int acknowledge_days, answer_days; /* answer_days -1: none */
};

/* ---- the staff console and administration ---- */

/* Cases per status in a scope, and how many of them are past a deadline. */
struct case_counts {
    long long submitted, acknowledged, in_progress, answered, closed, rejected, overdue;
};

/* One row of the CSV export: what may leave the system — no text, identity or contact.
 * Strings are valid only during the callback that receives the row. */
struct case_export_row {
    const char *number, *kind, *status, *office_code, *office_name_km, *office_name_en;
    const char *area_code, *area_name_km, *area_name_en;
    const char *service_code, *service_name_km, *service_name_en;
    const char *created_at, *due_acknowledge, *due_answer, *sex, *age_band;
    int disability; /* -1 not said */
    int satisfied;  /* -1 not rated */
    int rating;     /* 0 not rated */
};

typedef void (*case_export_fn)(void *ctx, const struct case_export_row *row);

/* What office statistics are computed from (one case each). */
struct case_stat_row {
    const char *kind, *status, *sex, *created_at, *acknowledged_at, *answered_at;
    const char *due_acknowledge, *due_answer, *scores;
    int satisfied; /* -1 not rated */
};

struct case_stat_list {
    struct case_stat_row *items;
    size_t count;
};

struct response_template {
    int64_t id;
    const char *service_code; /* NULL: any service */
    const char *action, *language, *title, *text, *created_at, *updated_at;
    bool active;
};

struct template_list {
    struct response_template *items;
    size_t count;
};

struct template_filter {
    const char *service_code, *action, *language; /* NULL: any */
    bool with_inactive;
};

struct office_filter {
    const char *scope_prefix; /* offices whose area starts with this ("" or NULL: all) */
    const char *area_prefix;  /* and this (NULL: any) */
    const char *kind;         /* NULL: any */
    const char *q;            /* ASCII-lowered text in the code or names (NULL: any) */
    size_t limit;
};

/* A staff account as administrators list it: never its password hash or TOTP secret. */
struct staff_entry {
    int64_t id;
    const char *login, *name, *role, *created_at;
    const char *office_code, *office_area; /* NULL: no office */
    bool active, has_totp;
};

struct staff_entry_list {
    struct staff_entry *items;
    size_t count;
};

struct deadline_row {
    const char *kind;
    int acknowledge_days, answer_days; /* answer_days -1: none */
};

struct deadline_list {
    struct deadline_row *items;
    size_t count;
};

struct holiday_list {
    struct holiday *items;
    size_t count;
};

struct routing_rule {
    const char *delivered_by, *kind, *condition, *target_kind;
};

struct routing_rule_list {
    struct routing_rule *items;
    size_t count;
};

/* Which audit entries a search returns, newest first: built by the authorization policy
 * (area_prefix) and the query. */
struct audit_filter {
    const char *action;      /* NULL: any */
    int64_t actor_id;        /* staff id; 0: anyone */
    int64_t case_id;         /* 0: any */
    const char *area_prefix; /* only entries about cases whose area starts with this */
    int64_t before_id;       /* cursor (0: from the newest) */
    size_t limit;
};

struct audit_view {
    struct audit_entry e;
    const char *actor_login; /* NULL unless a staff member */
    const char *case_number; /* NULL unless about a case */
};

struct audit_view_list {
    struct audit_view *items;
    size_t count;
};

/* Public statistics read from the roll-up tables (docs/statistics.md). */
enum stats_counter {
    SC_CASES,
    SC_COMPLAINT,
    SC_SUPPORT,
    SC_INFORMATION,
    SC_EVALUATION,
    SC_OPEN,
    SC_TO_ANSWER,
    SC_RESPONDED,
    SC_ACKNOWLEDGED,
    SC_ANSWERED,
    SC_ANSWERED_IN_TIME,
    SC_RATED,
    SC_SATISFIED,
    SC_RATING_N,
    SC_RATING_SUM,
    SC_OVERCHARGED,
    STATS_COUNTERS
};

/* What the rows are grouped by: nothing, the breakdown's value, the scope (the areas of a
 * map) or the month. */
enum stats_group { STATS_BY_NOTHING, STATS_BY_VALUE, STATS_BY_SCOPE, STATS_BY_MONTH };

struct stats_query {
    const char *const *scopes; /* "" nation, an area code, or "office:ID" */
    size_t scope_count;
    const char *dim;                   /* "all", "kind", "status", "sex", … */
    const char *from_month, *to_month; /* "YYYY-MM", both included */
    enum stats_group group;
};

enum stats_measure { STATS_ACKNOWLEDGE, STATS_ANSWER };

/* Delays are whole days; a wait of STATS_MAX_DAYS - 1 days or more counts as that many. */
#define STATS_MAX_DAYS 366

static inline int stats_days_bucket(int days)
{
    return days < STATS_MAX_DAYS ? days : STATS_MAX_DAYS - 1;
}

struct stats_sums {
    const char *key; /* the group ("" when not grouped) */
    long long count[STATS_COUNTERS];
};

struct stats_delay {
    const char *key;
    enum stats_measure measure;
    int days;
    long long n;
};

struct stats_score {
    const char *key, *criterion;
    long long n, sum;
};

struct stats_raw {
    struct stats_sums *sums;
    size_t sums_count;
    struct stats_delay *delays;
    size_t delays_count;
    struct stats_score *scores;
    size_t scores_count;
};

/* Published quotations: cases whose citizen consented and whose text staff approved. */
struct stats_quote_query {
    const char *area_prefix; /* "" nation; ignored when office_id is set */
    int64_t office_id;
    const char *from, *to; /* RFC 3339 UTC, [from, to) */
    size_t limit;
};

struct stats_quote {
    const char *kind, *service_code, *created_at, *text;
};

struct stats_quote_list {
    struct stats_quote *items;
    size_t count;
};

#endif
