/* The PostgreSQL storage engine: opening (one libpq connection per struct store), the
 * migrations, the transaction verbs, the gazetteer/catalogue/office operations and the
 * operations table. Cases, sessions, the outbox and the audit log are in postgres_cases.c,
 * the console and administration in postgres_admin.c, statistics in postgres_stats.c.
 * Every write transaction first takes one cluster-wide advisory lock, as SQLite's BEGIN
 * IMMEDIATE takes the database's write lock: writers on every node queue in one line (each
 * node's writer still groups its jobs into one commit), the audit chain stays linear, and
 * our transactions never deadlock one another. Reads never wait for it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"
#include "store/migrations.h"
#include "store/postgres_internal.h"
#include "core/banned.h"

/* Advisory lock keys: "OVWR" (writers) and "OVMG" (migrations). */
#define WRITE_LOCK   "1331058514"
#define MIGRATE_LOCK "1331056967"

#define AREA_COLS "code, parent, level, type_km, type_en, name_km, name_en"
#define ANCESTORS "($1::text, $2::text, $3::text, $4::text)"

static const char sql_area_get[] = "SELECT " AREA_COLS " FROM areas WHERE code = $1::text";
static const char sql_area_provinces[] =
    "SELECT " AREA_COLS " FROM areas WHERE parent IS NULL ORDER BY code";
static const char sql_area_children[] =
    "SELECT " AREA_COLS " FROM areas WHERE parent = $1::text ORDER BY code";
static const char sql_area_search[] =
    "SELECT " AREA_COLS " FROM areas"
    " WHERE strpos(search, $1::text) > 0 AND ($2::text IS NULL OR level = $2::text)"
    "   AND ($3::text IS NULL OR starts_with(code, $3::text))"
    " ORDER BY starts_with(search, $1::text) DESC,"
    "   CASE level WHEN 'province' THEN 0 WHEN 'district' THEN 1 WHEN 'commune' THEN 2"
    "   ELSE 3 END, code LIMIT $4::bigint";
static const char sql_area_put[] =
    "INSERT INTO areas (" AREA_COLS ", search) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    " ON CONFLICT (code) DO UPDATE SET parent = excluded.parent, level = excluded.level,"
    " type_km = excluded.type_km, type_en = excluded.type_en, name_km = excluded.name_km,"
    " name_en = excluded.name_en, search = excluded.search"
    " WHERE (areas.parent, areas.level, areas.type_km, areas.type_en, areas.name_km,"
    "  areas.name_en, areas.search) IS DISTINCT FROM"
    " (excluded.parent, excluded.level, excluded.type_km, excluded.type_en,"
    "  excluded.name_km, excluded.name_en, excluded.search)";
static const char sql_area_count[] =
    "SELECT count(*) FROM areas WHERE $1::text IS NULL OR level = $1::text";
static const char sql_service_put[] =
    "INSERT INTO services (code, office_kind, sector, name_km, name_en, fee_khr, days,"
    " placeholder, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    " ON CONFLICT (code) DO NOTHING";
#define SERVICE_ORDER                                                                              \
    " ORDER BY CASE office_kind WHEN 'commune' THEN 0 WHEN 'owso' THEN 1 ELSE 2 END, sector, code"
static const char sql_services_for_area[] =
    "SELECT code, office_kind, sector, name_km, name_en, fee_khr, days, placeholder, source,"
    " active FROM services s WHERE active = 1 AND EXISTS (SELECT 1 FROM offices o"
    " WHERE o.active = 1 AND o.kind = s.office_kind AND o.area_code IN " ANCESTORS
    ")" SERVICE_ORDER;
static const char sql_services_all[] =
    "SELECT code, office_kind, sector, name_km, name_en, fee_khr, days, placeholder, source,"
    " active FROM services WHERE active = 1" SERVICE_ORDER;
static const char sql_office_put[] = "INSERT INTO offices (code, kind, area_code, name_km, name_en)"
                                     " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING";
static const char sql_offices_covering[] =
    "SELECT id, code, kind, area_code, name_km, name_en, active FROM offices"
    " WHERE active = 1 AND (area_code IN " ANCESTORS " OR area_code IS NULL)"
    " ORDER BY length(coalesce(area_code, '')) DESC, CASE kind WHEN 'commune' THEN 0"
    " WHEN 'owso' THEN 1 WHEN 'district_ombudsman' THEN 2 WHEN 'owsu' THEN 3"
    " WHEN 'provincial_ombudsman' THEN 4 ELSE 5 END";
static const char sql_office_by_code[] = "SELECT id, code, kind, area_code, name_km, name_en,"
                                         " active FROM offices WHERE code = $1::text";
static const char sql_holiday_put[] = "INSERT INTO holidays (day, name_km, name_en)"
                                      " VALUES ($1, $2, $3) ON CONFLICT (day) DO NOTHING";
static const char sql_staff_insert[] =
    "INSERT INTO staff (login, name, role, office_id, password_hash)"
    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (login) DO NOTHING";

static void read_area(PGresult *r, int row, struct arena *a, void *item)
{
    struct area *area = item;
    area->code = pg_col_text(r, row, 0, a);
    area->parent = pg_col_text(r, row, 1, a);
    area->level = pg_col_text(r, row, 2, a);
    area->type_km = pg_col_text(r, row, 3, a);
    area->type_en = pg_col_text(r, row, 4, a);
    area->name_km = pg_col_text(r, row, 5, a);
    area->name_en = pg_col_text(r, row, 6, a);
}

static void bind_ancestors(struct pg_params *p, const char *const *ancestors, size_t n)
{
    for (size_t i = 0; i < 4; i++)
        pg_text(p, (int)i + 1, i < n ? ancestors[i] : NULL);
}

/* ---- connection and transactions ---- */

static void op_close(struct store *base)
{
    struct pg_store *s = pg_impl(base);
    PQfinish(s->conn);
    free(s);
}

static int op_begin(struct store *base)
{
    struct pg_store *s = pg_impl(base);
    static const char sql[] = "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK ")";
    s->lost_tx = false;
    s->reconnected = false;
    int rc = pg_simple(s, sql, "begin");
    if (rc == STORE_RETRY && s->reconnected) /* nothing was done yet: begin on the new one */
        rc = pg_simple(s, sql, "begin");
    s->in_tx = rc == STORE_OK;
    if (rc != STORE_OK && PQtransactionStatus(s->conn) != PQTRANS_IDLE)
        pg_simple(s, "ROLLBACK", "rollback");
    return rc;
}

/* COMMIT of a transaction that failed answers "ROLLBACK" without an error. */
static int op_commit(struct store *base)
{
    struct pg_store *s = pg_impl(base);
    if (s->lost_tx || PQtransactionStatus(s->conn) == PQTRANS_IDLE) {
        log_error("postgres_error", "op=commit msg=\"the transaction was lost\"");
        s->lost_tx = false;
        s->in_tx = false;
        return STORE_RETRY;
    }
    PGresult *r = PQexec(s->conn, "COMMIT");
    int rc;
    if (r && PQresultStatus(r) == PGRES_COMMAND_OK) {
        rc = strcmp(PQcmdStatus(r), "COMMIT") == 0 ? STORE_OK : STORE_FAILED;
        if (rc != STORE_OK)
            log_error("postgres_error", "op=commit msg=\"the transaction was rolled back\"");
    } else {
        rc = pg_failed(s, r, "commit");
    }
    PQclear(r);
    s->in_tx = false;
    return rc;
}

static void op_rollback(struct store *base)
{
    struct pg_store *s = pg_impl(base);
    s->lost_tx = false;
    if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
        pg_simple(s, "ROLLBACK", "rollback");
    s->in_tx = false;
}

static int op_savepoint(struct store *base, enum store_savepoint verb)
{
    static const char *const sql[] = {"SAVEPOINT job", "ROLLBACK TO job", "RELEASE job"};
    return pg_simple(pg_impl(base), sql[verb], "savepoint");
}

/* ---- migrations ---- */

static int current_version(struct pg_store *s, int *version)
{
    static const char sql[] = "SELECT coalesce(max(version), 0) FROM schema_migrations";
    long long v;
    int rc = pg_scalar(s, sql, NULL, "migrate", &v);
    *version = (int)v;
    return rc;
}

static int record_migration(struct pg_store *s, const struct migration *m)
{
    static const char sql[] =
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2,"
        " to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))";
    struct pg_params p = {0};
    pg_int(&p, 1, m->version);
    pg_text(&p, 2, m->name);
    return pg_run(s, sql, &p, "migrate", NULL);
}

/* One migration in its own transaction, under the migration lock, unless another node
 * applied it meanwhile. */
static int apply(struct pg_store *s, const struct migration *m, int *to)
{
    int rc = pg_simple(s, "BEGIN; SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")", "migrate");
    s->in_tx = rc == STORE_OK;
    int now = 0;
    if (rc == STORE_OK)
        rc = current_version(s, &now);
    if (rc == STORE_OK && now < m->version) {
        rc = pg_simple(s, m->sql, "migrate");
        if (rc == STORE_OK)
            rc = record_migration(s, m);
        if (rc == STORE_OK)
            log_info("migrated", "engine=postgres version=%d name=%s", m->version, m->name);
    }
    if (rc == STORE_OK)
        rc = pg_simple(s, "COMMIT", "migrate");
    s->in_tx = false;
    if (rc != STORE_OK)
        op_rollback(&s->base);
    if (rc == STORE_OK)
        *to = m->version;
    return rc;
}

static int op_schema_version(struct store *base, int *version)
{
    struct pg_store *s = pg_impl(base);
    return current_version(s, version);
}

static int op_migrate(struct store *base, int *from, int *to)
{
    struct pg_store *s = pg_impl(base);
    int rc = pg_simple(s,
                       "BEGIN; SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ");"
                       " CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY,"
                       " name text NOT NULL, applied_at text NOT NULL); COMMIT",
                       "migrate");
    if (rc == STORE_OK)
        rc = current_version(s, from);
    if (rc != STORE_OK) {
        op_rollback(base);
        return rc;
    }
    *to = *from;
    for (const struct migration *m = migrations; m->engine; m++) {
        if (strcmp(m->engine, "postgres") != 0 || m->version <= *to)
            continue;
        if ((rc = apply(s, m, to)) != STORE_OK)
            return rc;
    }
    return STORE_OK;
}

/* ---- gazetteer, catalogue, offices ---- */

static int op_area_get(struct store *base, struct arena *a, const char *code, struct area *out)
{
    struct pg_params p = {0};
    pg_text(&p, 1, code);
    return pg_one(pg_impl(base), sql_area_get, &p, a, sizeof *out, read_area, out);
}

static int op_area_children(struct store *base, struct arena *a, const char *parent,
                            struct area_list *out)
{
    struct pg_params p = {0};
    pg_text(&p, 1, parent);
    return pg_collect(pg_impl(base), parent ? sql_area_children : sql_area_provinces,
                      parent ? &p : NULL, a, sizeof(struct area), read_area, (void **)&out->items,
                      &out->count);
}

static int op_area_search(struct store *base, struct arena *a, const char *folded,
                          const char *level, const char *within, size_t limit,
                          struct area_list *out)
{
    struct pg_params p = {0};
    pg_text(&p, 1, folded);
    pg_text(&p, 2, level);
    pg_text(&p, 3, within);
    pg_int(&p, 4, (long long)limit);
    return pg_collect(pg_impl(base), sql_area_search, &p, a, sizeof(struct area), read_area,
                      (void **)&out->items, &out->count);
}

static int op_area_put(struct store *base, const struct area *area, const char *search)
{
    struct pg_params p = {0};
    pg_text(&p, 1, area->code);
    pg_text(&p, 2, area->parent);
    pg_text(&p, 3, area->level);
    pg_text(&p, 4, area->type_km);
    pg_text(&p, 5, area->type_en);
    pg_text(&p, 6, area->name_km);
    pg_text(&p, 7, area->name_en);
    pg_text(&p, 8, search);
    return pg_run(pg_impl(base), sql_area_put, &p, "area_put", NULL);
}

static int op_area_count(struct store *base, const char *level, long long *count)
{
    struct pg_params p = {0};
    pg_text(&p, 1, level);
    return pg_scalar(pg_impl(base), sql_area_count, &p, "area_count", count);
}

static int op_service_put(struct store *base, const struct service *sv)
{
    struct pg_params p = {0};
    pg_text(&p, 1, sv->code);
    pg_text(&p, 2, sv->office_kind);
    pg_text(&p, 3, sv->sector ? sv->sector : "");
    pg_text(&p, 4, sv->name_km);
    pg_text(&p, 5, sv->name_en);
    if (sv->fee_khr >= 0)
        pg_int(&p, 6, sv->fee_khr);
    if (sv->days >= 0)
        pg_int(&p, 7, sv->days);
    pg_int(&p, 8, sv->placeholder);
    pg_text(&p, 9, sv->source ? sv->source : "");
    return pg_run(pg_impl(base), sql_service_put, &p, "service_put", NULL);
}

static int op_services_for_area(struct store *base, struct arena *a, const char *const *ancestors,
                                size_t n, struct service_list *out)
{
    struct pg_params p = {0};
    bind_ancestors(&p, ancestors, n);
    return pg_collect(pg_impl(base), n ? sql_services_for_area : sql_services_all, n ? &p : NULL, a,
                      sizeof(struct service), pg_read_service, (void **)&out->items, &out->count);
}

static int op_office_put(struct store *base, const struct office *o)
{
    struct pg_params p = {0};
    pg_text(&p, 1, o->code);
    pg_text(&p, 2, o->kind);
    pg_text(&p, 3, o->area_code);
    pg_text(&p, 4, o->name_km);
    pg_text(&p, 5, o->name_en);
    return pg_run(pg_impl(base), sql_office_put, &p, "office_put", NULL);
}

static int op_offices_covering(struct store *base, struct arena *a, const char *const *ancestors,
                               size_t n, struct office_list *out)
{
    struct pg_params p = {0};
    bind_ancestors(&p, ancestors, n);
    return pg_collect(pg_impl(base), sql_offices_covering, &p, a, sizeof(struct office),
                      pg_read_office, (void **)&out->items, &out->count);
}

static int op_office_by_code(struct store *base, struct arena *a, const char *code,
                             struct office *out)
{
    struct pg_params p = {0};
    pg_text(&p, 1, code);
    return pg_one(pg_impl(base), sql_office_by_code, &p, a, sizeof *out, pg_read_office, out);
}

static int op_holiday_put(struct store *base, const struct holiday *h)
{
    struct pg_params p = {0};
    pg_text(&p, 1, h->date);
    pg_text(&p, 2, h->name_km);
    pg_text(&p, 3, h->name_en);
    return pg_run(pg_impl(base), sql_holiday_put, &p, "holiday_put", NULL);
}

static int op_staff_put(struct store *base, const struct staff *u, bool *created)
{
    struct pg_params p = {0};
    pg_text(&p, 1, u->login);
    pg_text(&p, 2, u->name);
    pg_text(&p, 3, u->role);
    pg_id(&p, 4, u->office_id > 0 ? u->office_id : 0);
    pg_text(&p, 5, u->password_hash);
    long long changed = 0;
    int rc = pg_run(pg_impl(base), sql_staff_insert, &p, "staff_put", &changed);
    *created = rc == STORE_OK && changed > 0;
    return rc;
}

static const struct store_ops postgres_ops = {
    .engine = "postgres",
    .close = op_close,
    .migrate = op_migrate,
    .schema_version = op_schema_version,
    .begin = op_begin,
    .commit = op_commit,
    .rollback = op_rollback,
    .savepoint = op_savepoint,
    .area_get = op_area_get,
    .area_children = op_area_children,
    .area_search = op_area_search,
    .area_put = op_area_put,
    .area_count = op_area_count,
    .service_put = op_service_put,
    .services_for_area = op_services_for_area,
    .office_put = op_office_put,
    .offices_covering = op_offices_covering,
    .office_by_code = op_office_by_code,
    .holiday_put = op_holiday_put,
    .staff_put = op_staff_put,
    .office_get = pgc_office_get,
    .office_find = pgc_office_find,
    .routing_target = pgc_routing_target,
    .deadline_get = pgc_deadline_get,
    .holidays_all = pgc_holidays_all,
    .case_insert = pgc_case_insert,
    .case_update = pgc_case_update,
    .case_next_number = pgc_case_next_number,
    .case_get = pgc_case_get,
    .case_by_number = pgc_case_by_number,
    .case_by_receipt = pgc_case_by_receipt,
    .cases_list = pgc_cases_list,
    .cases_overdue = pgc_cases_overdue,
    .event_insert = pgc_event_insert,
    .events_list = pgc_events_list,
    .attachment_insert = pgc_attachment_insert,
    .attachments_list = pgc_attachments_list,
    .attachment_get = pgc_attachment_get,
    .track_session_put = pgc_track_session_put,
    .track_session_get = pgc_track_session_get,
    .staff_session_put = pgc_staff_session_put,
    .staff_session_get = pgc_staff_session_get,
    .staff_session_touch = pgc_staff_session_touch,
    .staff_session_delete = pgc_staff_session_delete,
    .throttle_get = pgc_throttle_get,
    .throttle_put = pgc_throttle_put,
    .throttle_clear = pgc_throttle_clear,
    .staff_get = pgc_staff_get,
    .staff_by_login = pgc_staff_by_login,
    .staff_list = pgc_staff_list,
    .staff_update = pgc_staff_update,
    .outbox_insert = pgc_outbox_insert,
    .outbox_due = pgc_outbox_due,
    .outbox_update = pgc_outbox_update,
    .audit_last_hash = pgc_audit_last_hash,
    .audit_insert = pgc_audit_insert,
    .audit_list = pgc_audit_list,
    .cases_counts = pga_cases_counts,
    .cases_changes = pga_cases_changes,
    .cases_export = pga_cases_export,
    .cases_stats = pga_cases_stats,
    .templates_list = pga_templates_list,
    .template_get = pga_template_get,
    .template_insert = pga_template_insert,
    .template_update = pga_template_update,
    .offices_search = pga_offices_search,
    .office_insert = pga_office_insert,
    .office_update = pga_office_update,
    .staff_entries = pga_staff_entries,
    .staff_sessions_revoke = pga_staff_sessions_revoke,
    .service_get = pga_service_get,
    .services_every = pga_services_every,
    .service_insert = pga_service_insert,
    .service_update = pga_service_update,
    .deadlines_all = pga_deadlines_all,
    .deadline_put = pga_deadline_put,
    .holidays_list = pga_holidays_list,
    .holiday_upsert = pga_holiday_upsert,
    .holiday_delete = pga_holiday_delete,
    .routing_rules_all = pga_routing_rules_all,
    .routing_rule_put = pga_routing_rule_put,
    .audit_search = pga_audit_search,
    .stats_read = pgs_stats_read,
    .stats_quotes = pgs_stats_quotes,
    .stats_rebuild = pgs_stats_rebuild,
    .stats_pause = pgs_stats_pause,
    .stats_check = pgs_stats_check,
};

/* libpq prints server notices on stderr by default; ours are not worth a log line. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* libpq's reason, first line only, without double quotes (it names the host, never a
 * password). */
static void log_connect_failure(PGconn *conn)
{
    char reason[256];
    snprintf(reason, sizeof reason, "%s", PQerrorMessage(conn));
    for (char *c = reason; *c; c++) {
        if (*c == '\n') {
            *c = '\0';
            break;
        }
        if (*c == '"')
            *c = '\'';
    }
    log_error("postgres_connect_failed", "reason=\"%s\"", reason);
}

static bool usable(PGconn *conn, const char **err)
{
    if (PQstatus(conn) != CONNECTION_OK) {
        *err = "cannot connect to the PostgreSQL database";
        return false;
    }
    const char *encoding = PQparameterStatus(conn, "server_encoding");
    if (!encoding || strcmp(encoding, "UTF8") != 0) {
        *err = "the PostgreSQL database must use the UTF8 encoding";
        return false;
    }
    if (PQsetClientEncoding(conn, "UTF8") != 0) {
        *err = "cannot set the client encoding to UTF8";
        return false;
    }
    return true;
}

int postgres_store_open(const char *url, struct store **out, const char **err);

int postgres_store_open(const char *url, struct store **out, const char **err)
{
    struct pg_store *s = xcalloc(1, sizeof *s);
    s->base.ops = &postgres_ops;
    s->conn = PQconnectdb(url);
    if (!s->conn || !usable(s->conn, err)) {
        if (s->conn && PQstatus(s->conn) != CONNECTION_OK)
            log_connect_failure(s->conn);
        op_close(&s->base);
        return STORE_FAILED;
    }
    PQsetNoticeProcessor(s->conn, ignore_notice, NULL);
    /* short statements only: compiling a plan costs more than it saves */
    if (pg_simple(s, "SET jit = off", "connect") != STORE_OK) {
        *err = "the PostgreSQL connection does not accept settings";
        op_close(&s->base);
        return STORE_FAILED;
    }
    *out = &s->base;
    return STORE_OK;
}
