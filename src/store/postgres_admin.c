/* The PostgreSQL engine's operations for the staff console and administration: inbox
 * counts, polling for new cases, the CSV export, office statistics rows, response
 * templates, and the administration of offices, staff, services, deadlines, holidays,
 * routing rules and the audit log (see store.h for each contract).
 * Case scopes follow sqlite_admin.c exactly, with the same parameter numbers: the scope a
 * `struct case_filter` names picks the statement, and every further filter is switched
 * off by a NULL parameter. */
#include <stdio.h>
#include <string.h>

#include "store/postgres_internal.h"
#include "core/text.h"
#include "core/banned.h"

/* ---- case scopes ----
 * $1 office, $2 area prefix, $3 CCWC office, $4 office whose accusing sensitive cases are
 * hidden, $13 the first code after the area prefix; filters: $5 status, $6 kind, $7
 * service, $8 ILIKE pattern, $9 overdue at, $10 assigned, $11 below id, $12 limit. $14 is
 * "now" for overdue counts, $15 "since". */

#define SCOPE_OFFICE " c.office_id = $1::bigint"
#define SCOPE_CCWC   " c.ccwc_office_id = $3::bigint AND c.sensitive = 1"
#define SCOPE_AREA   " c.area_code >= $2::text AND c.area_code < $13::text"
#define SCOPE_ALL    " true"
#define HIDE                                                                                       \
    " AND NOT ($4::bigint IS NOT NULL AND (c.sensitive = 1 OR c.bypass_office = 1)"                \
    "         AND c.origin_office_id = $4::bigint)"

#define OVERDUE_AT(now)                                                                            \
    "((c.status = 'submitted' AND c.due_acknowledge < " now ")"                                    \
    " OR (c.status IN ('acknowledged', 'in_progress') AND c.due_answer < " now "))"

#define FILTERS                                                                                    \
    " AND ($5::text IS NULL OR c.status = $5::text) AND ($6::text IS NULL OR c.kind = $6::text)"   \
    " AND ($7::text IS NULL OR c.service_code = $7::text)"                                         \
    " AND ($8::text IS NULL OR c.text ILIKE $8::text)"                                             \
    " AND ($9::text IS NULL OR " OVERDUE_AT(                                                       \
        "$9::text") ")"                                                                            \
                    " AND ($10::bigint IS NULL OR c.assigned_to = $10::bigint)"                    \
                    " AND ($11::bigint IS NULL OR c.id < $11::bigint)"

enum scope { SC_OFFICE, SC_CCWC, SC_AREA, SC_ALL };

static enum scope scope_of(const struct case_filter *f)
{
    return f->office_id                        ? SC_OFFICE
           : f->ccwc_office_id                 ? SC_CCWC
           : f->area_prefix && *f->area_prefix ? SC_AREA
                                               : SC_ALL;
}

static void bind_scope(struct pg_params *p, struct arena *a, const struct case_filter *f)
{
    switch (scope_of(f)) {
    case SC_OFFICE:
        pg_int(p, 1, f->office_id);
        break;
    case SC_CCWC:
        pg_int(p, 3, f->ccwc_office_id);
        break;
    case SC_AREA:
        pg_text(p, 2, f->area_prefix);
        pg_text(p, 13, text_prefix_end(a, f->area_prefix));
        break;
    case SC_ALL:
        break;
    }
    pg_id(p, 4, f->hide_origin_office);
}

static void bind_filters(struct pg_params *p, struct arena *a, const struct case_filter *f)
{
    pg_text(p, 5, f->status);
    pg_text(p, 6, f->kind);
    pg_text(p, 7, f->service_code);
    if (f->q && *f->q)
        pg_text(p, 8, pg_substring_pattern(a, f->q));
    if (f->overdue_only)
        pg_text(p, 9, f->now);
    pg_id(p, 10, f->assigned_to);
    pg_id(p, 11, f->before_id);
    pg_int(p, 12, (long long)(f->limit ? f->limit : 50));
}

/* ---- counts ---- */

#define OVERDUE_COUNT " count(*) FILTER (WHERE " OVERDUE_AT("$14::text") ")"
#define BY_STATUS     " GROUP BY c.status"
#define COUNTS(scope)                                                                              \
    "SELECT c.status, count(*)," OVERDUE_COUNT " FROM cases c WHERE" scope HIDE BY_STATUS

static const char *const sql_counts[] = {COUNTS(SCOPE_OFFICE), COUNTS(SCOPE_CCWC),
                                         COUNTS(SCOPE_AREA), COUNTS(SCOPE_ALL)};

static long long *count_slot(struct case_counts *out, const char *status)
{
    static const struct {
        const char *name;
        size_t offset;
    } slots[] = {
        {"submitted", offsetof(struct case_counts, submitted)},
        {"acknowledged", offsetof(struct case_counts, acknowledged)},
        {"in_progress", offsetof(struct case_counts, in_progress)},
        {"answered", offsetof(struct case_counts, answered)},
        {"closed", offsetof(struct case_counts, closed)},
        {"rejected", offsetof(struct case_counts, rejected)},
    };
    for (size_t i = 0; status && i < sizeof slots / sizeof slots[0]; i++)
        if (strcmp(slots[i].name, status) == 0)
            return (long long *)((char *)out + slots[i].offset);
    return NULL;
}

int pga_cases_counts(struct store *base, const struct case_filter *f, struct case_counts *out)
{
    memset(out, 0, sizeof *out);
    struct arena *a = arena_new();
    struct pg_params p = {0};
    bind_scope(&p, a, f);
    pg_text(&p, 14, f->now);
    PGresult *r;
    int rc = pg_exec(pg_impl(base), sql_counts[scope_of(f)], &p, "cases_counts", &r);
    for (int i = 0; rc == STORE_OK && i < PQntuples(r); i++) {
        long long *slot = count_slot(out, PQgetvalue(r, i, 0));
        if (slot)
            *slot = pg_col_int(r, i, 1);
        out->overdue += pg_col_int(r, i, 2);
    }
    if (rc == STORE_OK)
        PQclear(r);
    arena_free(a);
    return rc;
}

/* ---- polling ---- */

#define CHANGES(scope)                                                                             \
    "SELECT (SELECT c.id FROM cases c WHERE" scope HIDE " ORDER BY c.id DESC LIMIT 1),"            \
    " (SELECT count(*) FROM cases c WHERE" scope HIDE " AND c.id > $15::bigint)"

static const char *const sql_changes[] = {CHANGES(SCOPE_OFFICE), CHANGES(SCOPE_CCWC),
                                          CHANGES(SCOPE_AREA), CHANGES(SCOPE_ALL)};

int pga_cases_changes(struct store *base, const struct case_filter *f, int64_t since,
                      int64_t *latest, long long *fresh)
{
    *latest = 0;
    *fresh = 0;
    struct arena *a = arena_new();
    struct pg_params p = {0};
    bind_scope(&p, a, f);
    pg_int(&p, 15, since);
    PGresult *r;
    int rc = pg_exec(pg_impl(base), sql_changes[scope_of(f)], &p, "cases_changes", &r);
    if (rc == STORE_OK) {
        if (PQntuples(r) > 0) {
            *latest = pg_col_int(r, 0, 0); /* NULL reads as 0 */
            *fresh = pg_col_int(r, 0, 1);
        }
        PQclear(r);
    }
    arena_free(a);
    return rc;
}

/* ---- export ---- */

#define EXPORT(scope)                                                                              \
    "SELECT c.number, c.kind, c.status, o.code, o.name_km, o.name_en, c.area_code,"                \
    " ar.name_km, ar.name_en, c.service_code, sv.name_km, sv.name_en, c.created_at,"               \
    " c.due_acknowledge, c.due_answer, c.sex, c.age_band, c.disability, c.satisfied,"              \
    " c.rating FROM cases c LEFT JOIN offices o ON o.id = c.office_id"                             \
    " LEFT JOIN areas ar ON ar.code = c.area_code"                                                 \
    " LEFT JOIN services sv ON sv.code = c.service_code"                                           \
    " WHERE" scope HIDE FILTERS " ORDER BY c.id DESC LIMIT $12::bigint"

static const char *const sql_export[] = {EXPORT(SCOPE_OFFICE), EXPORT(SCOPE_CCWC),
                                         EXPORT(SCOPE_AREA), EXPORT(SCOPE_ALL)};

static const char *col(PGresult *r, int row, int i)
{
    return PQgetisnull(r, row, i) ? NULL : PQgetvalue(r, row, i);
}

struct export_ctx {
    case_export_fn row;
    void *ctx;
};

static void export_row(PGresult *r, void *arg)
{
    struct export_ctx *x = arg;
    const int i = 0; /* a one-row result */
    struct case_export_row e = {.number = col(r, i, 0),
                                .kind = col(r, i, 1),
                                .status = col(r, i, 2),
                                .office_code = col(r, i, 3),
                                .office_name_km = col(r, i, 4),
                                .office_name_en = col(r, i, 5),
                                .area_code = col(r, i, 6),
                                .area_name_km = col(r, i, 7),
                                .area_name_en = col(r, i, 8),
                                .service_code = col(r, i, 9),
                                .service_name_km = col(r, i, 10),
                                .service_name_en = col(r, i, 11),
                                .created_at = col(r, i, 12),
                                .due_acknowledge = col(r, i, 13),
                                .due_answer = col(r, i, 14),
                                .sex = col(r, i, 15),
                                .age_band = col(r, i, 16),
                                .disability = pg_col_opt_int(r, i, 17, -1),
                                .satisfied = pg_col_opt_int(r, i, 18, -1),
                                .rating = pg_col_opt_int(r, i, 19, 0)};
    x->row(x->ctx, &e);
}

int pga_cases_export(struct store *base, const struct case_filter *f, case_export_fn row, void *ctx)
{
    struct arena *a = arena_new();
    struct pg_params p = {0};
    bind_scope(&p, a, f);
    bind_filters(&p, a, f);
    struct export_ctx x = {row, ctx};
    int rc = pg_stream(pg_impl(base), sql_export[scope_of(f)], &p, "cases_export", export_row, &x);
    arena_free(a);
    return rc;
}

/* ---- office statistics ---- */

static const char sql_stats[] =
    "SELECT kind, status, sex, created_at, acknowledged_at, answered_at, due_acknowledge,"
    " due_answer, scores, satisfied FROM cases WHERE office_id = $1::bigint"
    " AND NOT (sensitive = 1 AND origin_office_id = $1::bigint)"
    " AND ($2::text IS NULL OR created_at >= $2::text)"
    " AND ($3::text IS NULL OR created_at < $3::text)";

static void read_stat(PGresult *r, int row, struct arena *a, void *item)
{
    struct case_stat_row *c = item;
    c->kind = pg_col_text(r, row, 0, a);
    c->status = pg_col_text(r, row, 1, a);
    c->sex = pg_col_text(r, row, 2, a);
    c->created_at = pg_col_text(r, row, 3, a);
    c->acknowledged_at = pg_col_text(r, row, 4, a);
    c->answered_at = pg_col_text(r, row, 5, a);
    c->due_acknowledge = pg_col_text(r, row, 6, a);
    c->due_answer = pg_col_text(r, row, 7, a);
    c->scores = pg_col_text(r, row, 8, a);
    c->satisfied = pg_col_opt_int(r, row, 9, -1);
}

int pga_cases_stats(struct store *base, struct arena *a, int64_t office_id, const char *from,
                    const char *to, struct case_stat_list *out)
{
    struct pg_params p = {0};
    pg_int(&p, 1, office_id);
    pg_text(&p, 2, from);
    pg_text(&p, 3, to);
    return pg_collect(pg_impl(base), sql_stats, &p, a, sizeof(struct case_stat_row), read_stat,
                      (void **)&out->items, &out->count);
}

/* ---- response templates ---- */

#define TEMPLATE_COLS                                                                              \
    "id, service_code, action, language, title, text, active, created_at, updated_at"

static const char sql_templates[] =
    "SELECT " TEMPLATE_COLS " FROM response_templates"
    " WHERE ($1::text IS NULL OR service_code IS NULL OR service_code = $1::text)"
    " AND ($2::text IS NULL OR action = $2::text) AND ($3::text IS NULL OR language = $3::text)"
    " AND ($4::integer = 1 OR active = 1)"
    " ORDER BY service_code IS NULL, action, language, title, id";
static const char sql_template_get[] =
    "SELECT " TEMPLATE_COLS " FROM response_templates WHERE id = $1::bigint";
static const char sql_template_insert[] =
    "INSERT INTO response_templates (service_code, action, language, title, text, active,"
    " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id";
static const char sql_template_update[] =
    "UPDATE response_templates SET title = $2, text = $3, active = $4, updated_at = $5"
    " WHERE id = $1";

static void read_template(PGresult *r, int row, struct arena *a, void *item)
{
    struct response_template *t = item;
    t->id = pg_col_int(r, row, 0);
    t->service_code = pg_col_text(r, row, 1, a);
    t->action = pg_col_text(r, row, 2, a);
    t->language = pg_col_text(r, row, 3, a);
    t->title = pg_col_text(r, row, 4, a);
    t->text = pg_col_text(r, row, 5, a);
    t->active = pg_col_bool(r, row, 6);
    t->created_at = pg_col_text(r, row, 7, a);
    t->updated_at = pg_col_text(r, row, 8, a);
}

int pga_templates_list(struct store *base, struct arena *a, const struct template_filter *f,
                       struct template_list *out)
{
    struct pg_params p = {0};
    pg_text(&p, 1, f->service_code);
    pg_text(&p, 2, f->action);
    pg_text(&p, 3, f->language);
    pg_int(&p, 4, f->with_inactive);
    return pg_collect(pg_impl(base), sql_templates, &p, a, sizeof(struct response_template),
                      read_template, (void **)&out->items, &out->count);
}

int pga_template_get(struct store *base, struct arena *a, int64_t id, struct response_template *out)
{
    struct pg_params p = {0};
    pg_int(&p, 1, id);
    return pg_one(pg_impl(base), sql_template_get, &p, a, sizeof *out, read_template, out);
}

int pga_template_insert(struct store *base, struct response_template *t)
{
    struct pg_params p = {0};
    pg_text(&p, 1, t->service_code);
    pg_text(&p, 2, t->action);
    pg_text(&p, 3, t->language);
    pg_text(&p, 4, t->title);
    pg_text(&p, 5, t->text);
    pg_int(&p, 6, t->active);
    pg_text(&p, 7, t->created_at);
    long long id;
    int rc = pg_scalar(pg_impl(base), sql_template_insert, &p, "template_insert", &id);
    if (rc == STORE_OK)
        t->id = id;
    return rc;
}

int pga_template_update(struct store *base, const struct response_template *t)
{
    struct pg_params p = {0};
    pg_int(&p, 1, t->id);
    pg_text(&p, 2, t->title);
    pg_text(&p, 3, t->text);
    pg_int(&p, 4, t->active);
    pg_text(&p, 5, t->updated_at);
    long long changed = 0;
    int rc = pg_run(pg_impl(base), sql_template_update, &p, "template_update", &changed);
    if (rc == STORE_OK && changed == 0)
        return STORE_NOT_FOUND;
    return rc;
}

/* ---- offices ---- */

#define OFFICE_COLS "id, code, kind, area_code, name_km, name_en, active"

static const char sql_offices_search[] =
    "SELECT " OFFICE_COLS " FROM offices"
    " WHERE starts_with(coalesce(area_code, ''), $1::text)"
    " AND ($2::text IS NULL OR starts_with(coalesce(area_code, ''), $2::text))"
    " AND ($3::text IS NULL OR kind = $3::text)"
    " AND ($4::text IS NULL OR strpos(lower(code || ' ' || name_en), $4::text) > 0"
    "      OR strpos(name_km, $4::text) > 0)"
    " ORDER BY code LIMIT $5::bigint";
static const char sql_office_insert[] =
    "INSERT INTO offices (code, kind, area_code, name_km, name_en, active)"
    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
static const char sql_office_update[] =
    "UPDATE offices SET name_km = $2, name_en = $3, active = $4 WHERE id = $1";

int pga_offices_search(struct store *base, struct arena *a, const struct office_filter *f,
                       struct office_list *out)
{
    struct pg_params p = {0};
    pg_text(&p, 1, f->scope_prefix ? f->scope_prefix : "");
    pg_text(&p, 2, f->area_prefix);
    pg_text(&p, 3, f->kind);
    pg_text(&p, 4, f->q);
    pg_int(&p, 5, (long long)(f->limit ? f->limit : 100));
    return pg_collect(pg_impl(base), sql_offices_search, &p, a, sizeof(struct office),
                      pg_read_office, (void **)&out->items, &out->count);
}

int pga_office_insert(struct store *base, struct office *o)
{
    struct pg_params p = {0};
    pg_text(&p, 1, o->code);
    pg_text(&p, 2, o->kind);
    pg_text(&p, 3, o->area_code);
    pg_text(&p, 4, o->name_km);
    pg_text(&p, 5, o->name_en);
    pg_int(&p, 6, o->active);
    long long id;
    int rc = pg_scalar(pg_impl(base), sql_office_insert, &p, "office_insert", &id);
    if (rc == STORE_OK)
        o->id = id;
    return rc;
}

int pga_office_update(struct store *base, const struct office *o)
{
    struct pg_params p = {0};
    pg_int(&p, 1, o->id);
    pg_text(&p, 2, o->name_km);
    pg_text(&p, 3, o->name_en);
    pg_int(&p, 4, o->active);
    long long changed = 0;
    int rc = pg_run(pg_impl(base), sql_office_update, &p, "office_update", &changed);
    if (rc == STORE_OK && changed == 0)
        return STORE_NOT_FOUND;
    return rc;
}

/* ---- staff ---- */

static const char sql_staff_entries[] =
    "SELECT s.id, s.login, s.name, s.role, s.created_at, o.code, o.area_code, s.active,"
    " s.totp_secret IS NOT NULL FROM staff s LEFT JOIN offices o ON o.id = s.office_id"
    " WHERE ($1::bigint IS NULL OR s.office_id = $1::bigint)"
    " AND ($2::text IS NULL OR (o.area_code IS NOT NULL AND starts_with(o.area_code, $2::text)))"
    " ORDER BY s.login";
static const char sql_sessions_revoke[] = "DELETE FROM staff_sessions WHERE staff_id = $1::bigint"
                                          " AND ($2::bytea IS NULL OR token_hash <> $2::bytea)";

static void read_staff_entry(PGresult *r, int row, struct arena *a, void *item)
{
    struct staff_entry *e = item;
    e->id = pg_col_int(r, row, 0);
    e->login = pg_col_text(r, row, 1, a);
    e->name = pg_col_text(r, row, 2, a);
    e->role = pg_col_text(r, row, 3, a);
    e->created_at = pg_col_text(r, row, 4, a);
    e->office_code = pg_col_text(r, row, 5, a);
    e->office_area = pg_col_text(r, row, 6, a);
    e->active = pg_col_bool(r, row, 7);
    e->has_totp = pg_col_bool(r, row, 8);
}

int pga_staff_entries(struct store *base, struct arena *a, int64_t office_id,
                      const char *area_prefix, struct staff_entry_list *out)
{
    struct pg_params p = {0};
    pg_id(&p, 1, office_id);
    pg_text(&p, 2, area_prefix);
    return pg_collect(pg_impl(base), sql_staff_entries, &p, a, sizeof(struct staff_entry),
                      read_staff_entry, (void **)&out->items, &out->count);
}

int pga_staff_sessions_revoke(struct store *base, int64_t staff_id, const unsigned char *keep)
{
    struct pg_params p = {0};
    pg_int(&p, 1, staff_id);
    pg_blob(&p, 2, keep, HASH_BYTES);
    return pg_run(pg_impl(base), sql_sessions_revoke, &p, "staff_sessions_revoke", NULL);
}

/* ---- services ---- */

#define SERVICE_COLS                                                                               \
    "code, office_kind, sector, name_km, name_en, fee_khr, days, placeholder, source, active"

static const char sql_service_get[] = "SELECT " SERVICE_COLS " FROM services WHERE code = $1::text";
static const char sql_services_every[] =
    "SELECT " SERVICE_COLS " FROM services ORDER BY CASE office_kind WHEN 'commune' THEN 0"
    " WHEN 'owso' THEN 1 ELSE 2 END, sector, code";
static const char sql_service_insert[] =
    "INSERT INTO services (" SERVICE_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
static const char sql_service_update[] =
    "UPDATE services SET office_kind = $2, sector = $3, name_km = $4, name_en = $5,"
    " fee_khr = $6, days = $7, placeholder = $8, source = $9, active = $10 WHERE code = $1";

static void bind_service(struct pg_params *p, const struct service *sv)
{
    pg_text(p, 1, sv->code);
    pg_text(p, 2, sv->office_kind);
    pg_text(p, 3, sv->sector ? sv->sector : "");
    pg_text(p, 4, sv->name_km);
    pg_text(p, 5, sv->name_en);
    if (sv->fee_khr >= 0)
        pg_int(p, 6, sv->fee_khr);
    else
        pg_text(p, 6, NULL);
    if (sv->days >= 0)
        pg_int(p, 7, sv->days);
    else
        pg_text(p, 7, NULL);
    pg_int(p, 8, sv->placeholder);
    pg_text(p, 9, sv->source ? sv->source : "");
    pg_int(p, 10, sv->active);
}

int pga_service_get(struct store *base, struct arena *a, const char *code, struct service *out)
{
    struct pg_params p = {0};
    pg_text(&p, 1, code);
    return pg_one(pg_impl(base), sql_service_get, &p, a, sizeof *out, pg_read_service, out);
}

int pga_services_every(struct store *base, struct arena *a, struct service_list *out)
{
    return pg_collect(pg_impl(base), sql_services_every, NULL, a, sizeof(struct service),
                      pg_read_service, (void **)&out->items, &out->count);
}

int pga_service_insert(struct store *base, const struct service *sv)
{
    struct pg_params p = {0};
    bind_service(&p, sv);
    return pg_run(pg_impl(base), sql_service_insert, &p, "service_insert", NULL);
}

int pga_service_update(struct store *base, const struct service *sv)
{
    struct pg_params p = {0};
    bind_service(&p, sv);
    long long changed = 0;
    int rc = pg_run(pg_impl(base), sql_service_update, &p, "service_update", &changed);
    if (rc == STORE_OK && changed == 0)
        return STORE_NOT_FOUND;
    return rc;
}

/* ---- deadlines, holidays, routing ---- */

static const char sql_deadlines_all[] =
    "SELECT kind, acknowledge_days, coalesce(answer_days, -1) FROM deadlines"
    " ORDER BY CASE kind WHEN 'complaint' THEN 0 WHEN 'support' THEN 1 WHEN 'information'"
    " THEN 2 ELSE 3 END";
static const char sql_deadline_put[] =
    "INSERT INTO deadlines (kind, acknowledge_days, answer_days) VALUES ($1, $2, $3)"
    " ON CONFLICT (kind) DO UPDATE SET acknowledge_days = excluded.acknowledge_days,"
    " answer_days = excluded.answer_days";

static void read_deadline(PGresult *r, int row, struct arena *a, void *item)
{
    struct deadline_row *d = item;
    d->kind = pg_col_text(r, row, 0, a);
    d->acknowledge_days = (int)pg_col_int(r, row, 1);
    d->answer_days = (int)pg_col_int(r, row, 2);
}

int pga_deadlines_all(struct store *base, struct arena *a, struct deadline_list *out)
{
    return pg_collect(pg_impl(base), sql_deadlines_all, NULL, a, sizeof(struct deadline_row),
                      read_deadline, (void **)&out->items, &out->count);
}

int pga_deadline_put(struct store *base, const struct deadline_row *d)
{
    struct pg_params p = {0};
    pg_text(&p, 1, d->kind);
    pg_int(&p, 2, d->acknowledge_days);
    if (d->answer_days >= 0)
        pg_int(&p, 3, d->answer_days);
    else
        pg_text(&p, 3, NULL);
    return pg_run(pg_impl(base), sql_deadline_put, &p, "deadline_put", NULL);
}

static const char sql_holidays_list[] = "SELECT day, name_km, name_en FROM holidays ORDER BY day";
static const char sql_holiday_exists[] = "SELECT 1 FROM holidays WHERE day = $1::text";
static const char sql_holiday_upsert[] =
    "INSERT INTO holidays (day, name_km, name_en) VALUES ($1, $2, $3)"
    " ON CONFLICT (day) DO UPDATE SET name_km = excluded.name_km, name_en = excluded.name_en";
static const char sql_holiday_delete[] = "DELETE FROM holidays WHERE day = $1::text";

static void read_holiday(PGresult *r, int row, struct arena *a, void *item)
{
    struct holiday *h = item;
    h->date = pg_col_text(r, row, 0, a);
    h->name_km = pg_col_text(r, row, 1, a);
    h->name_en = pg_col_text(r, row, 2, a);
}

int pga_holidays_list(struct store *base, struct arena *a, struct holiday_list *out)
{
    return pg_collect(pg_impl(base), sql_holidays_list, NULL, a, sizeof(struct holiday),
                      read_holiday, (void **)&out->items, &out->count);
}

int pga_holiday_upsert(struct store *base, const struct holiday *h, bool *created)
{
    struct pg_store *s = pg_impl(base);
    struct pg_params p = {0};
    pg_text(&p, 1, h->date);
    long long one;
    int rc = pg_scalar(s, sql_holiday_exists, &p, "holiday_exists", &one);
    if (rc != STORE_OK && rc != STORE_NOT_FOUND)
        return rc;
    *created = rc == STORE_NOT_FOUND;
    pg_text(&p, 2, h->name_km);
    pg_text(&p, 3, h->name_en);
    return pg_run(s, sql_holiday_upsert, &p, "holiday_upsert", NULL);
}

int pga_holiday_delete(struct store *base, const char *date)
{
    struct pg_params p = {0};
    pg_text(&p, 1, date);
    long long changed = 0;
    int rc = pg_run(pg_impl(base), sql_holiday_delete, &p, "holiday_delete", &changed);
    if (rc == STORE_OK && changed == 0)
        return STORE_NOT_FOUND;
    return rc;
}

static const char sql_routing_all[] =
    "SELECT delivered_by, kind, condition, target_kind FROM routing_rules"
    " ORDER BY CASE delivered_by WHEN 'commune' THEN 0 WHEN 'owso' THEN 1 ELSE 2 END,"
    " kind = '*' DESC, kind, condition";
static const char sql_routing_put[] =
    "INSERT INTO routing_rules (delivered_by, kind, condition, target_kind)"
    " VALUES ($1, $2, $3, $4) ON CONFLICT (delivered_by, kind, condition)"
    " DO UPDATE SET target_kind = excluded.target_kind";

static void read_rule(PGresult *r, int row, struct arena *a, void *item)
{
    struct routing_rule *rule = item;
    rule->delivered_by = pg_col_text(r, row, 0, a);
    rule->kind = pg_col_text(r, row, 1, a);
    rule->condition = pg_col_text(r, row, 2, a);
    rule->target_kind = pg_col_text(r, row, 3, a);
}

int pga_routing_rules_all(struct store *base, struct arena *a, struct routing_rule_list *out)
{
    return pg_collect(pg_impl(base), sql_routing_all, NULL, a, sizeof(struct routing_rule),
                      read_rule, (void **)&out->items, &out->count);
}

int pga_routing_rule_put(struct store *base, const struct routing_rule *rule)
{
    struct pg_params p = {0};
    pg_text(&p, 1, rule->delivered_by);
    pg_text(&p, 2, rule->kind);
    pg_text(&p, 3, rule->condition);
    pg_text(&p, 4, rule->target_kind);
    return pg_run(pg_impl(base), sql_routing_put, &p, "routing_rule_put", NULL);
}

/* ---- audit search ----
 * The most selective filter picks the statement (and so the index): case, actor, action,
 * or none (newest first by id). $5/$6: the area range of the cases an entry may be about. */

#define AUDIT_SEARCH(where)                                                                        \
    "SELECT l.id, l.at, l.actor_kind, l.actor_id, l.action, l.case_id, l.detail, st.login,"        \
    " c.number FROM audit_log l"                                                                   \
    " LEFT JOIN staff st ON l.actor_kind = 'staff' AND st.id = l.actor_id"                         \
    " LEFT JOIN cases c ON c.id = l.case_id WHERE " where                                          \
    " AND ($1::text IS NULL OR l.action = $1::text)"                                               \
    " AND ($2::bigint IS NULL OR l.actor_id = $2::bigint)"                                         \
    " AND ($3::bigint IS NULL OR l.case_id = $3::bigint)"                                          \
    " AND ($4::bigint IS NULL OR l.id < $4::bigint)"                                               \
    " AND ($5::text IS NULL OR (c.area_code >= $5::text AND c.area_code < $6::text))"              \
    " ORDER BY l.id DESC LIMIT $7::bigint"

static const char sql_audit_by_case[] = AUDIT_SEARCH("l.case_id = $3::bigint");
static const char sql_audit_by_actor[] = AUDIT_SEARCH("l.actor_id = $2::bigint");
static const char sql_audit_by_action[] = AUDIT_SEARCH("l.action = $1::text");
static const char sql_audit_all[] = AUDIT_SEARCH("true");

static void read_audit_view(PGresult *r, int row, struct arena *a, void *item)
{
    struct audit_view *v = item;
    v->e.id = pg_col_int(r, row, 0);
    v->e.at = pg_col_text(r, row, 1, a);
    v->e.actor_kind = pg_col_text(r, row, 2, a);
    v->e.actor_id = pg_col_int(r, row, 3);
    v->e.action = pg_col_text(r, row, 4, a);
    v->e.case_id = pg_col_int(r, row, 5);
    v->e.detail = pg_col_text(r, row, 6, a);
    v->actor_login = pg_col_text(r, row, 7, a);
    v->case_number = pg_col_text(r, row, 8, a);
}

int pga_audit_search(struct store *base, struct arena *a, const struct audit_filter *f,
                     struct audit_view_list *out)
{
    const char *sql = f->case_id    ? sql_audit_by_case
                      : f->actor_id ? sql_audit_by_actor
                      : f->action   ? sql_audit_by_action
                                    : sql_audit_all;
    struct pg_params p = {0};
    pg_text(&p, 1, f->action);
    pg_id(&p, 2, f->actor_id);
    pg_id(&p, 3, f->case_id);
    pg_id(&p, 4, f->before_id);
    if (f->area_prefix) {
        pg_text(&p, 5, f->area_prefix);
        pg_text(&p, 6, text_prefix_end(a, f->area_prefix));
    }
    pg_int(&p, 7, (long long)(f->limit ? f->limit : 50));
    return pg_collect(pg_impl(base), sql, &p, a, sizeof(struct audit_view), read_audit_view,
                      (void **)&out->items, &out->count);
}
