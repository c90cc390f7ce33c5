/* Public statistics (docs/statistics.md): GET /api/v1/stats (JSON or CSV),
 * /api/v1/stats/quotes and /api/v1/stats/dictionary. No account needed: everything here is
 * aggregated, with small cells hidden by domain/public_stats. Reads go to the read store
 * (a replica when one is configured). */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "domain/feedback.h"
#include "domain/geography.h"
#include "domain/public_stats.h"
#include "http/reply.h"
#include "http/reply_cache.h"
#include "http/server.h"
#include "core/banned.h"

#define QUOTES_DEFAULT    5
#define QUOTES_MAX        20
#define CSV_MAX_BYTES     (4 << 20)
#define STATS_OFFICES_MAX 10000 /* more than the country has */
#define JSON_TYPE         "application/json; charset=utf-8"
#define CSV_TYPE          "text/csv; charset=utf-8"

struct label {
    const char *key, *km, *en;
};

static const struct label kind_labels[] = {{"complaint", "ពាក្យបណ្តឹង", "Complaint"},
                                           {"support", "សុំជំនួយ", "Support"},
                                           {"information", "សុំព័ត៌មាន", "Information"},
                                           {"evaluation", "ការវាយតម្លៃ", "Evaluation"},
                                           {NULL, NULL, NULL}};
static const struct label status_labels[] = {{"submitted", "បានដាក់ស្នើ", "Submitted"},
                                             {"acknowledged", "បានទទួលស្គាល់", "Acknowledged"},
                                             {"in_progress", "កំពុងដោះស្រាយ", "In progress"},
                                             {"answered", "បានឆ្លើយតប", "Answered"},
                                             {"closed", "បានបិទ", "Closed"},
                                             {"rejected", "បានបដិសេធ", "Rejected"},
                                             {NULL, NULL, NULL}};
static const struct label sex_labels[] = {{"female", "ស្រី", "Female"},
                                          {"male", "ប្រុស", "Male"},
                                          {"other", "ផ្សេងទៀត", "Other"},
                                          {"unsaid", "មិនបញ្ជាក់", "Not said"},
                                          {NULL, NULL, NULL}};
static const struct label age_labels[] = {
    {"under_18", "ក្រោម ១៨ ឆ្នាំ", "Under 18"}, {"18_24", "១៨–២៤ ឆ្នាំ", "18–24"},
    {"25_34", "២៥–៣៤ ឆ្នាំ", "25–34"},         {"35_44", "៣៥–៤៤ ឆ្នាំ", "35–44"},
    {"45_59", "៤៥–៥៩ ឆ្នាំ", "45–59"},         {"60_plus", "៦០ ឆ្នាំឡើង", "60 and over"},
    {"unsaid", "មិនបញ្ជាក់", "Not said"},       {NULL, NULL, NULL}};
static const struct label disability_labels[] = {{"yes", "មានពិការភាព", "With a disability"},
                                                 {"no", "គ្មានពិការភាព", "Without a disability"},
                                                 {"unsaid", "មិនបញ្ជាក់", "Not said"},
                                                 {NULL, NULL, NULL}};

/* The breakdowns: `by` value, the roll-up dim it reads, how rows are grouped, fixed labels. */
struct breakdown {
    const char *by, *dim;
    enum stats_group group;
    const struct label *labels; /* NULL: labels looked up (services, offices, areas, months) */
};

static const struct breakdown breakdowns[] = {
    {"kind", "kind", STATS_BY_VALUE, kind_labels},
    {"status", "status", STATS_BY_VALUE, status_labels},
    {"sex", "sex", STATS_BY_VALUE, sex_labels},
    {"age_band", "age_band", STATS_BY_VALUE, age_labels},
    {"disability", "disability", STATS_BY_VALUE, disability_labels},
    {"service", "service", STATS_BY_VALUE, NULL},
    {"office", "office", STATS_BY_VALUE, NULL},
    {"month", "all", STATS_BY_MONTH, NULL},
    {"area", "all", STATS_BY_SCOPE, NULL},
};

/* One statistics request, as understood. */
struct stats_ask {
    const char *scope;       /* "" nation, an area code, "office:ID" */
    struct area area;        /* when an area (code NULL for the nation) */
    struct office office;    /* when an office (id 0 otherwise) */
    int from, to;            /* months */
    char from_s[8], to_s[8]; /* "YYYY-MM" */
    const struct breakdown *by;
    bool csv;
    const char *cache_key; /* the answer's key in the loop's reply cache */
};

/* Rows of the answer: keys in order, with their labels. */
struct keyed {
    const char **keys, **km, **en;
    const char **scopes; /* by=area: the child areas */
    size_t count;
};

static bool parse_scope(struct request *r, struct stats_ask *q)
{
    const char *area, *office;
    if (!param_text(r, "area", &area) || !param_text(r, "office", &office))
        return false;
    if (area && office) {
        reply_error(r, ERR_INVALID_VALUE, "office");
        return false;
    }
    if (office) {
        char *end;
        long long id = strtoll(office, &end, 10);
        int rc = *end || id <= 0 ? STORE_NOT_FOUND
                                 : store_office_get(r->read_store, r->arena, id, &q->office);
        if (rc != STORE_OK) {
            reply_store_error(r, rc);
            return false;
        }
        q->scope = arena_printf(r->arena, "office:%lld", id);
        return true;
    }
    q->scope = area ? area : "";
    if (!area)
        return true;
    int rc = geo_code_valid(area) ? store_area_get(r->read_store, r->arena, area, &q->area)
                                  : STORE_NOT_FOUND;
    if (rc == STORE_NOT_FOUND)
        reply_error(r, ERR_UNKNOWN_AREA, "area");
    else if (rc != STORE_OK)
        reply_store_error(r, rc);
    return rc == STORE_OK;
}

static bool parse_month(struct request *r, const char *name, int fallback, int *out)
{
    const char *v;
    if (!param_text(r, name, &v))
        return false;
    *out = v ? stats_month_parse(v) : fallback;
    if (*out < 0) {
        reply_error(r, ERR_INVALID_VALUE, name);
        return false;
    }
    return true;
}

static bool parse_period(struct request *r, struct stats_ask *q)
{
    int now = stats_month_of(clock_now());
    if (!parse_month(r, "to", now, &q->to) || !parse_month(r, "from", q->to - 11, &q->from))
        return false;
    if (q->from > q->to || q->to - q->from >= STATS_MAX_MONTHS) {
        reply_error(r, ERR_INVALID_VALUE, "from");
        return false;
    }
    stats_month_format(q->from, q->from_s);
    stats_month_format(q->to, q->to_s);
    return true;
}

static bool parse_by(struct request *r, struct stats_ask *q)
{
    const char *by, *format;
    if (!param_text(r, "by", &by) || !param_text(r, "format", &format))
        return false;
    q->by = NULL;
    for (size_t i = 0; by && i < sizeof breakdowns / sizeof *breakdowns; i++)
        if (strcmp(breakdowns[i].by, by) == 0)
            q->by = &breakdowns[i];
    bool area_of_office = q->by && q->by->group == STATS_BY_SCOPE && q->office.id;
    bool area_of_commune =
        q->by && q->by->group == STATS_BY_SCOPE && q->area.code && strlen(q->area.code) >= 6;
    if ((by && !q->by) || area_of_office || area_of_commune) {
        reply_error(r, ERR_INVALID_VALUE, "by");
        return false;
    }
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
        reply_error(r, ERR_INVALID_VALUE, "format");
        return false;
    }
    q->csv = format && strcmp(format, "csv") == 0;
    return true;
}

/* ---- the rows' keys and labels ---- */

static void keyed_alloc(struct arena *a, struct keyed *k, size_t n)
{
    size_t cap = n ? n : 1;
    k->keys = arena_alloc(a, cap * sizeof *k->keys);
    k->km = arena_alloc(a, cap * sizeof *k->km);
    k->en = arena_alloc(a, cap * sizeof *k->en);
    k->scopes = NULL;
    k->count = 0;
}

static void keyed_add(struct keyed *k, const char *key, const char *km, const char *en)
{
    k->keys[k->count] = key;
    k->km[k->count] = km;
    k->en[k->count] = en;
    k->count++;
}

static int keys_fixed(struct arena *a, const struct label *labels, struct keyed *k)
{
    size_t n = 0;
    while (labels[n].key)
        n++;
    keyed_alloc(a, k, n);
    for (size_t i = 0; i < n; i++)
        keyed_add(k, labels[i].key, labels[i].km, labels[i].en);
    return STORE_OK;
}

static int keys_months(struct arena *a, const struct stats_ask *q, struct keyed *k)
{
    keyed_alloc(a, k, (size_t)(q->to - q->from + 1));
    for (int m = q->from; m <= q->to; m++) {
        char *s = arena_alloc(a, 8);
        stats_month_format(m, s);
        keyed_add(k, s, s, s);
    }
    return STORE_OK;
}

static int keys_services(struct store *db, struct arena *a, struct keyed *k)
{
    struct service_list l;
    int rc = store_services_every(db, a, &l);
    if (rc != STORE_OK)
        return rc;
    keyed_alloc(a, k, l.count + 1);
    for (size_t i = 0; i < l.count; i++)
        keyed_add(k, l.items[i].code, l.items[i].name_km, l.items[i].name_en);
    keyed_add(k, "other", "ផ្សេងៗ", "Other");
    return STORE_OK;
}

static int keys_areas(struct store *db, struct arena *a, const struct stats_ask *q, struct keyed *k)
{
    struct area_list l;
    int rc = store_area_children(db, a, q->area.code, &l);
    if (rc != STORE_OK)
        return rc;
    keyed_alloc(a, k, l.count);
    for (size_t i = 0; i < l.count; i++)
        keyed_add(k, l.items[i].code, l.items[i].name_km, l.items[i].name_en);
    k->scopes = k->keys;
    return STORE_OK;
}

/* The offices that sit in the area (all, for the nation), by code; an office elsewhere that
 * handles cases of the area (an ombudsman above, the ministry) is looked up by label_of. */
static int keys_offices(struct store *db, struct arena *a, const struct stats_ask *q,
                        struct keyed *k)
{
    struct office_filter f = {.scope_prefix = q->area.code ? q->area.code : "",
                              .limit = STATS_OFFICES_MAX};
    struct office_list l;
    int rc = store_offices_search(db, a, &f, &l);
    if (rc != STORE_OK)
        return rc;
    keyed_alloc(a, k, l.count);
    for (size_t i = 0; i < l.count; i++)
        keyed_add(k, arena_printf(a, "%lld", (long long)l.items[i].id), l.items[i].name_km,
                  l.items[i].name_en);
    return STORE_OK;
}

static int keys_for(struct store *db, struct arena *a, const struct stats_ask *q, struct keyed *k)
{
    if (!q->by) {
        keyed_alloc(a, k, 0);
        return STORE_OK;
    }
    if (q->by->labels)
        return keys_fixed(a, q->by->labels, k);
    if (q->by->group == STATS_BY_MONTH)
        return keys_months(a, q, k);
    if (q->by->group == STATS_BY_SCOPE)
        return keys_areas(db, a, q, k);
    if (strcmp(q->by->by, "service") == 0)
        return keys_services(db, a, k);
    return keys_offices(db, a, q, k);
}

static void label_of(struct request *r, const struct keyed *k, const struct public_row *row,
                     const char **km, const char **en)
{
    struct office o;
    if (row->key_index >= 0) {
        *km = k->km[row->key_index];
        *en = k->en[row->key_index];
    } else if (store_office_get(r->read_store, r->arena, strtoll(row->key, NULL, 10), &o) ==
               STORE_OK) { /* only offices are looked up after the query */
        *km = o.name_km;
        *en = o.name_en;
    } else {
        *km = *en = row->key;
    }
}

/* ---- reading ---- */

static int read_figures(struct store *db, struct arena *a, const struct stats_ask *q,
                        const struct keyed *k, struct public_stats *out)
{
    const char *scope[] = {q->scope};
    struct stats_query total_q = {scope, 1, "all", q->from_s, q->to_s, STATS_BY_NOTHING};
    struct stats_raw total, rows;
    int rc = store_stats_read(db, a, &total_q, &total);
    if (rc != STORE_OK || !q->by) {
        if (rc == STORE_OK)
            public_stats_build(a, &total, NULL, NULL, 0, false, out);
        return rc;
    }
    struct stats_query rows_q = total_q;
    rows_q.dim = q->by->dim;
    rows_q.group = q->by->group;
    if (k->scopes) {
        rows_q.scopes = k->scopes;
        rows_q.scope_count = k->count;
    }
    rc = store_stats_read(db, a, &rows_q, &rows);
    if (rc == STORE_OK) {
        bool keep_empty = q->by->group != STATS_BY_VALUE;
        public_stats_build(a, &total, &rows, k->keys, k->count, keep_empty, out);
    }
    return rc;
}

/* ---- the answer, kept in the loop's reply cache ---- */

static int cache_seconds(void)
{
    const struct server_config *cfg = server_config();
    return cfg ? cfg->stats_cache_seconds : 0;
}

static const char *cache_key_of(struct request *r, const struct stats_ask *q)
{
    return arena_printf(r->arena, "stats:%s:%s:%s:%s:%s", q->scope, q->from_s, q->to_s,
                        q->by ? q->by->by : "", q->csv ? "csv" : "json");
}

/* ---- JSON ---- */

static json_t *share_json(double v, double scale)
{
    return v < 0 ? json_null() : json_real(round(v * scale) / scale);
}

static json_t *days_json(const struct stats_percentiles *p)
{
    if (p->median < 0)
        return json_null();
    return json_pack("{s:i,s:i}", "median", p->median, "p90", p->p90);
}

static void figures_json(json_t *j, const struct public_figures *f)
{
    for (int c = 0; c < STATS_COUNTS; c++)
        json_object_set_new(j, stats_count_names[c],
                            f->hidden[c] ? json_null() : json_integer(f->count[c]));
    json_object_set_new(j, "suppressed", json_boolean(f->hidden[CNT_CASES]));
    json_object_set_new(j, "response_rate", share_json(f->response_rate, 1000));
    json_object_set_new(j, "acknowledge_days", days_json(&f->acknowledge_days));
    json_object_set_new(j, "answer_days", days_json(&f->answer_days));
    json_object_set_new(j, "answered_in_time", share_json(f->answered_in_time, 1000));
    json_object_set_new(j, "satisfaction", share_json(f->satisfaction, 1000));
    json_object_set_new(j, "rating", share_json(f->rating, 100));
    json_t *scores = json_object();
    for (int c = 0; c < FEEDBACK_CRITERIA; c++)
        json_object_set_new(scores, feedback_criteria[c], share_json(f->score[c], 100));
    json_object_set_new(j, "scores", scores);
}

static json_t *scope_json(const struct stats_ask *q)
{
    if (q->office.id)
        return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s?}", "office", (json_int_t)q->office.id, "code",
                         q->office.code, "kind", q->office.kind, "name_km", q->office.name_km,
                         "name_en", q->office.name_en, "area", q->office.area_code);
    if (!q->area.code)
        return json_pack("{s:s,s:s,s:s,s:s}", "area", "", "level", "nation", "name_km", "កម្ពុជា",
                         "name_en", "Cambodia");
    return json_pack("{s:s,s:s,s:s,s:s,s:s?}", "area", q->area.code, "level", q->area.level,
                     "name_km", q->area.name_km, "name_en", q->area.name_en, "parent",
                     q->area.parent);
}

static void reply_stats_json(struct request *r, const struct stats_ask *q, const struct keyed *k,
                             const struct public_stats *st)
{
    json_t *total = json_object();
    figures_json(total, &st->total);
    json_t *rows = json_array();
    for (size_t i = 0; i < st->count; i++) {
        const char *km, *en;
        label_of(r, k, &st->rows[i], &km, &en);
        json_t *row =
            json_pack("{s:s,s:s,s:s}", "key", st->rows[i].key, "label_km", km, "label_en", en);
        figures_json(row, &st->rows[i].f);
        json_array_append_new(rows, row);
    }
    json_t *doc =
        json_pack("{s:o,s:{s:s,s:s},s:i,s:o,s:o,s:o}", "scope", scope_json(q), "period", "from",
                  q->from_s, "to", q->to_s, "min_cell", STATS_MIN_CELL, "total", total, "by",
                  q->by ? json_string(q->by->by) : json_null(), "rows", rows);
    char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
    json_decref(doc);
    if (!text) {
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    reply_cache_send_kept(r, q->cache_key, cache_seconds(), JSON_TYPE, NULL, text, strlen(text));
    free(text);
}

/* ---- CSV ---- */

static void csv_number(struct buf *b, bool hidden, long long v)
{
    if (hidden)
        buf_adds(b, ",<5");
    else
        buf_addf(b, ",%lld", v);
}

static void csv_share(struct buf *b, double v, int decimals)
{
    if (v < 0)
        buf_addc(b, ',');
    else
        buf_addf(b, ",%.*f", decimals, v);
}

static void csv_days(struct buf *b, int v)
{
    if (v < 0)
        buf_addc(b, ',');
    else
        buf_addf(b, ",%d", v);
}

static void csv_header(struct buf *b)
{
    buf_adds(b, "key,label_en,label_km");
    for (int c = 0; c < STATS_COUNTS; c++)
        buf_addf(b, ",%s", stats_count_names[c]);
    buf_adds(b, ",response_rate,acknowledge_days_median,acknowledge_days_p90,"
                "answer_days_median,answer_days_p90,answered_in_time,satisfaction,rating");
    for (int c = 0; c < FEEDBACK_CRITERIA; c++)
        buf_addf(b, ",score_%s", feedback_criteria[c]);
    buf_adds(b, "\r\n");
}

static void csv_row(struct buf *b, const char *key, const char *en, const char *km,
                    const struct public_figures *f)
{
    csv_write_field(b, key, true);
    csv_write_field(b, en, false);
    csv_write_field(b, km, false);
    for (int c = 0; c < STATS_COUNTS; c++)
        csv_number(b, f->hidden[c], f->count[c]);
    csv_share(b, f->response_rate, 3);
    csv_days(b, f->acknowledge_days.median);
    csv_days(b, f->acknowledge_days.p90);
    csv_days(b, f->answer_days.median);
    csv_days(b, f->answer_days.p90);
    csv_share(b, f->answered_in_time, 3);
    csv_share(b, f->satisfaction, 3);
    csv_share(b, f->rating, 2);
    for (int c = 0; c < FEEDBACK_CRITERIA; c++)
        csv_share(b, f->score[c], 2);
    buf_adds(b, "\r\n");
}

static void reply_stats_csv(struct request *r, const struct stats_ask *q, const struct keyed *k,
                            const struct public_stats *st)
{
    struct buf b;
    buf_init(&b, CSV_MAX_BYTES);
    csv_header(&b);
    for (size_t i = 0; i < st->count; i++) {
        const char *km, *en;
        label_of(r, k, &st->rows[i], &km, &en);
        csv_row(&b, st->rows[i].key, en, km, &st->rows[i].f);
    }
    csv_row(&b, "total", "Total", "សរុប", &st->total);
    if (buf_failed(&b)) {
        buf_release(&b);
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    const char *name =
        arena_printf(r->arena, "attachment; filename=\"ourvoice-stats-%s-%s-%s%s%s.csv\"",
                     q->office.id   ? q->scope + 7
                     : q->area.code ? q->area.code
                                    : "KH",
                     q->from_s, q->to_s, q->by ? "-by-" : "", q->by ? q->by->by : "");
    reply_cache_send_kept(r, q->cache_key, cache_seconds(), CSV_TYPE, name, buf_cstr(&b), b.len);
    buf_release(&b);
}

/* The figures of an answer: computed on the loop, or on a worker (weight_of). */
struct stats_job {
    struct stats_ask q;
    struct keyed k;
    struct public_stats st;
    struct arena *arena; /* the request's: only the worker touches it meanwhile */
    const char *db_url;
    bool exclusive; /* holds the one place of ONE_AT_A_TIME */
    int rc;
};

static void compute(struct store *db, struct stats_job *j)
{
    j->rc = keys_for(db, j->arena, &j->q, &j->k);
    if (j->rc == STORE_OK)
        j->rc = read_figures(db, j->arena, &j->q, &j->k, &j->st);
}

static void answer(struct request *r, struct stats_job *j)
{
    if (j->rc != STORE_OK)
        reply_store_error(r, j->rc);
    else if (j->q.csv)
        reply_stats_csv(r, &j->q, &j->k, &j->st);
    else
        reply_stats_json(r, &j->q, &j->k, &j->st);
}

/* A breakdown by office of a province or the nation reads a roll-up row per office, month
 * and day of delay: tens of milliseconds for a province, a second or more for the nation
 * at ten million cases. Those run on a worker, not the loop; the nation's one at a time,
 * so that they never fill the worker pool the submissions' hashes need. */
enum weight { LIGHT, ON_WORKER, ONE_AT_A_TIME };

static atomic_int exclusive_running;

static enum weight weight_of(const struct stats_ask *q)
{
    if (!q->by || strcmp(q->by->by, "office") != 0 || q->office.id)
        return LIGHT;
    if (!q->area.code)
        return ONE_AT_A_TIME;
    return strlen(q->area.code) <= 2 ? ON_WORKER : LIGHT;
}

static void stats_work(void *arg)
{
    struct stats_job *j = arg;
    struct store *db;
    const char *err = NULL;
    j->rc = store_open(j->db_url, &db, &err);
    if (j->rc != STORE_OK)
        return;
    compute(db, j);
    store_close(db);
}

static void stats_done(struct request *r, void *arg)
{
    struct stats_job *j = arg;
    if (j->exclusive)
        atomic_fetch_sub(&exclusive_running, 1);
    answer(r, j);
}

void h_stats(struct request *r)
{
    struct stats_job *j = arena_zalloc(r->arena, sizeof *j);
    j->arena = r->arena;
    if (!parse_scope(r, &j->q) || !parse_period(r, &j->q) || !parse_by(r, &j->q))
        return;
    j->q.cache_key = cache_key_of(r, &j->q);
    if (reply_cache_send(r, j->q.cache_key))
        return;
    const struct server_config *cfg = server_config();
    enum weight w = cfg ? weight_of(&j->q) : LIGHT;
    if (w == LIGHT) {
        compute(r->read_store, j);
        answer(r, j);
        return;
    }
    j->exclusive = w == ONE_AT_A_TIME;
    if (j->exclusive && atomic_fetch_add(&exclusive_running, 1) > 0) {
        atomic_fetch_sub(&exclusive_running, 1);
        reply_header(r, "Retry-After", "5");
        reply_error(r, ERR_UNAVAILABLE, NULL);
        return;
    }
    j->db_url = cfg->db_read_url ? cfg->db_read_url : cfg->db_url;
    server_defer(r, stats_work, stats_done, j);
}

/* ---- quotations ---- */

static json_t *quote_json(struct request *r, const struct stats_quote *sq)
{
    char month[8] = "";
    time_t t;
    if (sq->created_at && clock_parse(sq->created_at, &t) == 0)
        stats_month_format(stats_month_of(t), month);
    (void)r;
    return json_pack("{s:s,s:s?,s:s,s:s}", "kind", sq->kind, "service_code", sq->service_code,
                     "month", month, "text", sq->text);
}

void h_stats_quotes(struct request *r)
{
    struct stats_ask q;
    memset(&q, 0, sizeof q);
    long long limit = QUOTES_DEFAULT;
    const char *lim;
    if (!parse_scope(r, &q) || !parse_period(r, &q) || !param_text(r, "limit", &lim))
        return;
    if (lim) {
        char *end;
        limit = strtoll(lim, &end, 10);
        if (*end || limit < 1 || limit > QUOTES_MAX) {
            reply_error(r, ERR_OUT_OF_RANGE, "limit");
            return;
        }
    }
    char from[32], to[32];
    stats_month_start(q.from, from);
    stats_month_start(q.to + 1, to);
    struct stats_quote_query sq = {q.office.id ? "" : q.scope, q.office.id, from, to,
                                   (size_t)limit};
    struct stats_quote_list l;
    int rc = store_stats_quotes(r->read_store, r->arena, &sq, &l);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.count; i++)
        json_array_append_new(arr, quote_json(r, &l.items[i]));
    reply_json(r, 200, json_pack("{s:o}", "quotes", arr));
}
