/* The staff console's own endpoints: password change, inbox counts per status, polling for
 * new cases, the CSV export, an office's statistics and the response templates staff pick
 * from. What a caller may see is decided only by the authorization policy (domain/authz.c):
 * counts, polling and export cover exactly the cases the inbox would list. */
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/admin_views.h"
#include "api/handlers.h"
#include "api/params.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/crypto.h"
#include "core/workdays.h"
#include "domain/admin.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/feedback.h"
#include "domain/staff.h"
#include "domain/stats.h"
#include "domain/throttle.h"
#include "http/reply.h"
#include "http/server.h"
#include "core/banned.h"

static const char *now_text(struct arena *a)
{
    char *now = arena_alloc(a, 32);
    clock_format(clock_now(), now, 32);
    return now;
}

/* ---- password change ---- */

struct password_change {
    const char *current, *new_password;
    int64_t staff_id;
    const char *login, *stored_hash;
    unsigned char keep[CRYPTO_HASH_BYTES]; /* this session: the others end */
    char hash[CRYPTO_PASSWORD_HASH_LEN];
    bool ok, hashed;
    struct arena *arena;
};

static const struct jf_field password_fields[] = {
    {"current", JF_STRING, true, false, STAFF_PASSWORD_MAX, 0, 0, NULL,
     offsetof(struct password_change, current)},
    {"new", JF_STRING, true, false, STAFF_PASSWORD_MAX, 0, 0, NULL,
     offsetof(struct password_change, new_password)},
};

/* The sign-in brake's key: wrong current passwords count as failed sign-ins. */
static const char *account_key(struct arena *a, const char *login)
{
    return arena_printf(a, "login:%s", login);
}

static void password_work(void *arg)
{
    struct password_change *p = arg;
    p->ok = crypto_password_verify(p->stored_hash, p->current);
    if (p->ok)
        p->hashed = crypto_password_hash(p->new_password, p->hash) == 0;
}

static int password_fail_tx(struct store *s, void *ctx)
{
    struct password_change *p = ctx;
    int failures;
    int rc = throttle_fail(s, p->arena, account_key(p->arena, p->login), &throttle_login_account,
                           clock_now(), &failures);
    if (rc == STORE_OK)
        rc = audit_append(s, "staff", p->staff_id, "password_change_failed", 0, p->login);
    return rc;
}

static int password_ok_tx(struct store *s, void *ctx)
{
    struct password_change *p = ctx;
    struct staff u;
    int rc = store_staff_get(s, p->arena, p->staff_id, &u);
    if (rc != STORE_OK)
        return rc;
    u.password_hash = p->hash;
    u.failed_logins = 0;
    u.locked_until = NULL;
    if ((rc = store_staff_update(s, &u)) == STORE_OK)
        rc = store_staff_sessions_revoke(s, p->staff_id, p->keep);
    if (rc == STORE_OK)
        rc = store_throttle_clear(s, account_key(p->arena, p->login));
    if (rc == STORE_OK)
        rc = audit_append(s, "staff", p->staff_id, "password_changed", 0, p->login);
    return rc;
}

static void password_saved(struct request *r, void *ctx, int rc)
{
    struct password_change *p = ctx;
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    else if (!p->ok)
        reply_error(r, ERR_INVALID_CREDENTIALS, "current");
    else
        reply_json(r, 200, json_pack("{s:s}", "status", "password_changed"));
}

static void password_checked(struct request *r, void *ctx)
{
    struct password_change *p = ctx;
    if (p->ok && !p->hashed) {
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    server_write(r, p->ok ? password_ok_tx : password_fail_tx, p, password_saved);
}

void h_password(struct request *r)
{
    struct password_change *p = arena_zalloc(r->arena, sizeof *p);
    struct jf_error err;
    if (jf_parse(r->body, password_fields, sizeof password_fields / sizeof password_fields[0], p,
                 &err) < 0) {
        reply_jf_error(r, &err);
        return;
    }
    if (utf8_length(p->new_password) < STAFF_PASSWORD_MIN) {
        reply_error(r, ERR_TOO_SHORT, "new");
        return;
    }
    p->arena = r->arena;
    p->staff_id = r->actor->staff.id;
    p->login = r->actor->staff.login;
    p->stored_hash = r->actor->staff.password_hash;
    memcpy(p->keep, r->session_hash, sizeof p->keep);
    int wait = 0;
    int rc = throttle_wait(r->store, r->arena, account_key(r->arena, p->login),
                           &throttle_login_account, clock_now(), &wait);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    if (wait > 0) {
        reply_header(r, "Retry-After", arena_printf(r->arena, "%d", wait));
        reply_error(r, ERR_RATE_LIMITED, NULL);
        return;
    }
    server_defer(r, password_work, password_checked, p);
}

/* ---- counts and polling ---- */

void h_case_counts(struct request *r)
{
    struct case_filter f = {0};
    if (!authz_case_scope(r->actor, &f)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    f.now = now_text(r->arena);
    struct case_counts c;
    int rc = store_cases_counts(r->store, &f, &c);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    reply_json(r, 200,
               json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "submitted", (json_int_t)c.submitted,
                         "acknowledged", (json_int_t)c.acknowledged, "in_progress",
                         (json_int_t)c.in_progress, "answered", (json_int_t)c.answered, "closed",
                         (json_int_t)c.closed, "rejected", (json_int_t)c.rejected, "overdue",
                         (json_int_t)c.overdue));
}

void h_case_changes(struct request *r)
{
    struct case_filter f = {0};
    if (!authz_case_scope(r->actor, &f)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    long long since = 0;
    if (!param_int(r, "since", 0, INT64_MAX, &since))
        return;
    int64_t latest;
    long long fresh;
    int rc = store_cases_changes(r->store, &f, since, &latest, &fresh);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    reply_json(r, 200,
               json_pack("{s:I,s:I}", "latest", (json_int_t)latest, "new", (json_int_t)fresh));
}

/* ---- CSV export ---- */

#define EXPORT_MAX_ROWS  50000
#define EXPORT_MAX_BYTES (64u << 20)

static const char *const export_statuses[] = {
    "submitted", "acknowledged", "in_progress", "answered", "closed", "rejected", NULL};
static const char *const assigned_values[] = {"me", NULL};

struct export
{
    struct case_filter f;
    const char *db_url;
    int64_t staff_id;
    struct buf out;
    long long rows;
    bool truncated;
    int rc;
    const char *detail;
};

static void export_release(void *p)
{
    struct export *x = p;
    buf_release(&x->out);
}

static const char *yes_no(int v)
{
    return v < 0 ? NULL : v ? "yes" : "no";
}

static void export_row(void *ctx, const struct case_export_row *c)
{
    struct export *x = ctx;
    if (x->rows == EXPORT_MAX_ROWS) {
        x->truncated = true;
        return;
    }
    x->rows++;
    char rating[12] = "";
    if (c->rating > 0)
        snprintf(rating, sizeof rating, "%d", c->rating);
    const char *fields[] = {
        c->number,
        c->kind,
        c->status,
        c->office_code,
        c->office_name_km,
        c->office_name_en,
        c->area_code,
        c->area_name_km,
        c->area_name_en,
        c->service_code,
        c->service_name_km,
        c->service_name_en,
        c->created_at,
        c->due_acknowledge,
        c->due_answer,
        stats_overdue(c->status, c->due_acknowledge, c->due_answer, x->f.now) ? "yes" : "no",
        c->sex,
        c->age_band,
        yes_no(c->disability),
        yes_no(c->satisfied),
        rating};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        csv_write_field(&x->out, fields[i], i == 0);
    buf_adds(&x->out, "\r\n");
}

/* On the worker pool, with a connection of its own: the loop stays free while a large
 * export is read. */
static void export_work(void *arg)
{
    struct export *x = arg;
    struct store *s;
    const char *err = NULL;
    x->rc = store_open(x->db_url, &s, &err);
    if (x->rc != STORE_OK)
        return;
    buf_adds(&x->out, "\xEF\xBB\xBF"); /* the BOM: spreadsheet programs then read UTF-8 */
    buf_adds(&x->out, "case,kind,status,office,office_name_km,office_name_en,area,area_name_km,"
                      "area_name_en,service,service_name_km,service_name_en,created_at,"
                      "due_acknowledge,due_answer,overdue,sex,age_band,disability,satisfied,"
                      "rating\r\n");
    x->rc = store_cases_export(s, &x->f, export_row, x);
    store_close(s);
    if (x->rc == STORE_OK && buf_failed(&x->out))
        x->rc = STORE_FAILED;
}

static int export_audit_tx(struct store *s, void *ctx)
{
    struct export *x = ctx;
    return audit_append(s, "staff", x->staff_id, "cases_exported", 0, x->detail);
}

static void export_saved(struct request *r, void *ctx, int rc)
{
    struct export *x = ctx;
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    char day[11];
    workdays_format_date(workdays_local_day(clock_now()), day);
    reply_header(r, "Content-Disposition",
                 arena_printf(r->arena, "attachment; filename=\"ourvoice-cases-%s.csv\"", day));
    reply_header(r, "X-Export-Rows", arena_printf(r->arena, "%lld", x->rows));
    reply_header(r, "X-Export-Truncated", x->truncated ? "true" : "false");
    reply_send(r, 200, "text/csv; charset=utf-8", buf_cstr(&x->out), x->out.len);
}

static void export_done(struct request *r, void *arg)
{
    struct export *x = arg;
    if (x->rc != STORE_OK) {
        reply_store_error(r, x->rc);
        return;
    }
    const struct case_filter *f = &x->f;
    x->detail = arena_printf(r->arena,
                             "rows=%lld truncated=%s status=%s kind=%s service=%s overdue=%s"
                             " assigned=%s search=%s",
                             x->rows, x->truncated ? "yes" : "no", f->status ? f->status : "-",
                             f->kind ? f->kind : "-", f->service_code ? f->service_code : "-",
                             f->overdue_only ? "yes" : "no", f->assigned_to ? "me" : "-",
                             f->q ? "yes" : "no"); /* never the search text itself */
    server_write(r, export_audit_tx, x, export_saved);
}

void h_cases_csv(struct request *r)
{
    struct export *x = arena_zalloc(r->arena, sizeof *x);
    buf_init(&x->out, EXPORT_MAX_BYTES);
    arena_defer(r->arena, export_release, x);
    struct case_filter *f = &x->f;
    if (!authz_case_scope(r->actor, f)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    const char *assigned;
    bool overdue = false;
    if (!param_enum(r, "status", export_statuses, &f->status) ||
        !param_enum(r, "kind", feedback_kinds, &f->kind) ||
        !param_text(r, "service", &f->service_code) || !param_text(r, "q", &f->q) ||
        !param_bool(r, "overdue", &overdue) ||
        !param_enum(r, "assigned", assigned_values, &assigned))
        return;
    if (f->q && utf8_length(f->q) < 3) {
        reply_error(r, ERR_INVALID_VALUE, "q"); /* the trigram index needs 3 characters */
        return;
    }
    const struct server_config *cfg = server_config();
    if (!cfg) {
        reply_error(r, ERR_UNAVAILABLE, NULL);
        return;
    }
    f->now = now_text(r->arena);
    f->overdue_only = overdue;
    f->assigned_to = assigned ? r->actor->staff.id : 0;
    f->limit = EXPORT_MAX_ROWS + 1; /* one more tells that the export was cut */
    x->db_url = cfg->db_url;
    x->staff_id = r->actor->staff.id;
    server_defer(r, export_work, export_done, x);
}

/* ---- office statistics ---- */

static json_t *hours_json(double h)
{
    return h < 0 ? json_null() : json_real(round(h * 10.0) / 10.0);
}

static json_t *figures_json(const struct stats_figures *f)
{
    json_t *status = json_object(), *kind = json_object(), *scores = json_object();
    for (size_t i = 0; i < STATS_STATUSES; i++)
        json_object_set_new(status, stats_statuses[i], json_integer(f->by_status[i]));
    for (size_t i = 0; i < STATS_KINDS; i++)
        json_object_set_new(kind, stats_kinds[i], json_integer(f->by_kind[i]));
    for (size_t i = 0; i < FEEDBACK_CRITERIA; i++) {
        long long n = f->score_count[i];
        json_t *avg =
            n ? json_real(round(f->score_sum[i] / (double)n * 100.0) / 100.0) : json_null();
        json_object_set_new(scores, feedback_criteria[i],
                            json_pack("{s:o,s:I}", "average", avg, "count", (json_int_t)n));
    }
    return json_pack("{s:I,s:o,s:o,s:I,s:o,s:o,s:{s:I,s:I},s:o}", "total", (json_int_t)f->total,
                     "by_status", status, "by_kind", kind, "overdue", (json_int_t)f->overdue,
                     "median_hours_to_acknowledge", hours_json(f->median_hours_acknowledge),
                     "median_hours_to_answer", hours_json(f->median_hours_answer), "satisfaction",
                     "rated", (json_int_t)f->rated, "satisfied", (json_int_t)f->satisfied, "scores",
                     scores);
}

/* The start (local midnight, in UTC) of a Cambodian calendar day. */
static const char *day_start(struct arena *a, int32_t day)
{
    char *out = arena_alloc(a, 32);
    clock_format((time_t)day * 86400 - WORKDAYS_TZ_OFFSET, out, 32);
    return out;
}

void h_office_stats(struct request *r)
{
    const char *code;
    int32_t from_day = 0, to_day = 0;
    bool has_from, has_to;
    if (!param_text(r, "office", &code) || !param_date(r, "from", &from_day, &has_from) ||
        !param_date(r, "to", &to_day, &has_to))
        return;
    if (has_from && has_to && to_day < from_day) {
        reply_error(r, ERR_INVALID_VALUE, "to");
        return;
    }
    struct office o = r->actor->office;
    if (code) {
        int rc = store_office_by_code(r->store, r->arena, code, &o);
        if (rc == STORE_NOT_FOUND)
            reply_error(r, ERR_UNKNOWN_OFFICE, "office");
        else if (rc != STORE_OK)
            reply_store_error(r, rc);
        if (rc != STORE_OK)
            return;
    } else if (!o.id) {
        reply_error(r, authz_admin(r->actor) ? ERR_MISSING_FIELD : ERR_FORBIDDEN,
                    authz_admin(r->actor) ? "office" : NULL);
        return;
    }
    if (!authz_office_stats(r->actor, &o)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    const char *from = has_from ? day_start(r->arena, from_day) : NULL;
    const char *to = has_to ? day_start(r->arena, to_day + 1) : NULL;
    struct case_stat_list rows;
    int rc = store_cases_stats(r->store, r->arena, o.id, from, to, &rows);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    struct office_stats st;
    stats_compute(r->arena, &rows, now_text(r->arena), &st);
    json_t *doc = figures_json(&st.all), *by_sex = json_object();
    for (size_t i = 0; i < STATS_SEX_GROUPS; i++)
        json_object_set_new(by_sex, stats_sex_groups[i], figures_json(&st.by_sex[i]));
    char day[11];
    json_object_set_new(doc, "office",
                        json_pack("{s:s,s:s,s:s,s:s,s:s?}", "code", o.code, "kind", o.kind,
                                  "name_km", o.name_km, "name_en", o.name_en, "area", o.area_code));
    workdays_format_date(from_day, day);
    json_object_set_new(doc, "from", has_from ? json_string(day) : json_null());
    workdays_format_date(to_day, day);
    json_object_set_new(doc, "to", has_to ? json_string(day) : json_null());
    json_object_set_new(doc, "by_sex", by_sex);
    reply_json(r, 200, doc);
}

/* ---- response templates ---- */

void h_templates(struct request *r)
{
    struct template_filter f = {0};
    bool all = false;
    if (!param_text(r, "service", &f.service_code) ||
        !param_enum(r, "action", admin_template_actions, &f.action) ||
        !param_enum(r, "language", admin_languages, &f.language) || !param_bool(r, "all", &all))
        return;
    if (all && !authz_admin_national(r->actor)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    f.with_inactive = all;
    struct template_list l;
    int rc = store_templates_list(r->store, r->arena, &f, &l);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.count; i++)
        json_array_append_new(arr, view_template(&l.items[i]));
    reply_json(r, 200, arr);
}
