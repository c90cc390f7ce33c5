/* `ourvoice seed --synthetic N`: adds N realistic, made-up cases for demos and benchmarks.
 * Cases are spread over the real communes (more in some provinces than others), the four
 * kinds, the catalogue's services, sexes, age bands and disability, and over the last
 * months; each province has its own pace, so delays, answers, ratings and scores differ
 * from place to place. Cases are routed by the real routing rules and given real numbers
 * and deadlines; their timeline holds the events their state implies. Receipts are random
 * (nobody can follow these cases up) and no contact is kept. The statistics roll-ups are
 * paused during the load and rebuilt at the end. The same --seed gives the same cases. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/workdays.h"
#include "domain/feedback.h"
#include "domain/public_stats.h"
#include "domain/routing.h"
#include "store/store.h"
#include "core/banned.h"

#define BATCH          2000
#define SEED_MAX_CASES 100000000L
#define DAY            86400

static const char usage[] =
    "usage: ourvoice seed --db FILE|URL --synthetic N [--seed S] [--months M]\n"
    "\n"
    "Adds N synthetic cases submitted over the last M months (default 24) and rebuilds the\n"
    "statistics. For demos and benchmarks only: never on a live database.\n";

static uint64_t next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double uniform(uint64_t *rng)
{
    return (double)(next(rng) >> 11) / 9007199254740992.0;
}

static int below(uint64_t *rng, int n)
{
    return (int)(uniform(rng) * n);
}

/* Index into weights (summing to about 1). */
static int pick(uint64_t *rng, const double *weights, int n)
{
    double u = uniform(rng), acc = 0;
    for (int i = 0; i < n - 1; i++)
        if (u < (acc += weights[i]))
            return i;
    return n - 1;
}

static const double kind_w[] = {0.35, 0.25, 0.22, 0.18};
static const double sex_w[] = {0.53, 0.38, 0.02, 0.07};
static const char *const ages[] = {"under_18", "18_24", "25_34", "35_44", "45_59", "60_plus", NULL};
static const double age_w[] = {0.08, 0.34, 0.26, 0.14, 0.08, 0.04, 0.06};

static const char *const texts_km[] = {
    "ខ្ញុំបានរង់ចាំយូរពេកដើម្បីទទួលបានសំបុត្រកំណើតរបស់កូនខ្ញុំ។",   "មន្ត្រីបានសុំថ្លៃបន្ថែមក្រៅពីថ្លៃផ្លូវការ។",
    "សូមជួយពន្យល់ពីឯកសារដែលត្រូវការសម្រាប់សុំលិខិតបញ្ជាក់ទីលំនៅ។", "បុគ្គលិកនៅការិយាល័យរួសរាយរាក់ទាក់ ហើយសេវាលឿន។",
    "ការិយាល័យបិទទ្វារនៅម៉ោងធ្វើការ ខ្ញុំត្រូវមកម្តងទៀត។",    "ខ្ញុំចង់ដឹងថាតើត្រូវចំណាយប៉ុន្មានសម្រាប់ការចុះបញ្ជីអាពាហ៍ពិពាហ៍។",
    "ព័ត៌មានអំពីតម្លៃសេវាមិនត្រូវបានបិទផ្សាយនៅការិយាល័យទេ។",  "សូមអរគុណចំពោះការជួយដោះស្រាយបញ្ហារបស់ខ្ញុំយ៉ាងឆាប់រហ័ស។",
};
static const char *const texts_en[] = {
    "I waited too long for my child's birth certificate.",
    "The official asked for more than the posted fee.",
    "Please explain which documents I need for a residence certificate.",
    "The staff were friendly and the service was quick.",
    "The office was closed during working hours and I had to come back.",
    "How much does it cost to register a marriage?",
};

struct route_slot {
    bool filled, missing;
    int64_t office_id, origin, ccwc;
    const char *code;
};

struct seed {
    struct area *communes;
    size_t ncommunes;
    double *province_pace; /* by province code number: 0.5 slow … 1.5 quick */
    double *commune_weight;
    double weight_total;
    struct service *services;
    size_t nservices;
    struct deadline_rule rules[4];
    struct holidays holidays;
    struct route_slot *routes; /* [commune][service + 1][kind][sensitive] */
    struct arena *keep;        /* lives as long as the seed */
    time_t now, start;
    long long made;
};

static int province_number(const char *code)
{
    return (code[0] - '0') * 10 + (code[1] - '0');
}

static int load_communes(struct store *s, struct seed *sd, uint64_t *rng)
{
    struct area_list provinces;
    int rc = store_area_children(s, sd->keep, NULL, &provinces);
    size_t cap = 2048;
    sd->communes = arena_alloc(sd->keep, cap * sizeof *sd->communes);
    sd->province_pace = arena_zalloc(sd->keep, 100 * sizeof *sd->province_pace);
    for (size_t p = 0; rc == STORE_OK && p < provinces.count; p++) {
        sd->province_pace[province_number(provinces.items[p].code) % 100] = 0.5 + uniform(rng);
        struct area_list districts;
        rc = store_area_children(s, sd->keep, provinces.items[p].code, &districts);
        for (size_t d = 0; rc == STORE_OK && d < districts.count; d++) {
            struct area_list communes;
            rc = store_area_children(s, sd->keep, districts.items[d].code, &communes);
            for (size_t c = 0; rc == STORE_OK && c < communes.count && sd->ncommunes < cap; c++)
                sd->communes[sd->ncommunes++] = communes.items[c];
        }
    }
    if (rc == STORE_OK && sd->ncommunes == 0)
        rc = STORE_NOT_FOUND;
    return rc;
}

/* Some provinces and communes send much more than others (a map worth shading). */
static void weigh_communes(struct seed *sd, uint64_t *rng)
{
    sd->commune_weight = arena_alloc(sd->keep, sd->ncommunes * sizeof *sd->commune_weight);
    for (size_t i = 0; i < sd->ncommunes; i++) {
        double pace = sd->province_pace[province_number(sd->communes[i].code) % 100];
        double w = pace * pace * (0.2 + uniform(rng));
        sd->commune_weight[i] = w;
        sd->weight_total += w;
    }
}

static size_t pick_commune(struct seed *sd, uint64_t *rng)
{
    double u = uniform(rng) * sd->weight_total, acc = 0;
    for (size_t i = 0; i < sd->ncommunes; i++)
        if (u < (acc += sd->commune_weight[i]))
            return i;
    return sd->ncommunes - 1;
}

static int load_rules(struct store *s, struct seed *sd)
{
    for (int k = 0; k < 4; k++) {
        int rc = store_deadline_get(s, feedback_kinds[k], &sd->rules[k]);
        if (rc != STORE_OK)
            return rc;
    }
    const char **dates;
    size_t n;
    int rc = store_holidays_all(s, sd->keep, &dates, &n);
    if (rc != STORE_OK)
        return rc;
    int32_t *days = arena_alloc(sd->keep, (n ? n : 1) * sizeof *days);
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (workdays_parse_date(dates[i], &days[count]) == 0)
            count++;
    sd->holidays = (struct holidays){days, count};
    struct service_list l;
    if ((rc = store_services_every(s, sd->keep, &l)) != STORE_OK)
        return rc;
    sd->services = l.items;
    sd->nservices = l.count;
    return STORE_OK;
}

static struct route_slot *route(struct store *s, struct seed *sd, size_t commune, int service,
                                int kind, bool sensitive)
{
    size_t i = ((commune * (sd->nservices + 1) + (size_t)(service + 1)) * 4 + (size_t)kind) * 2 +
               sensitive;
    struct route_slot *slot = &sd->routes[i];
    if (slot->filled)
        return slot->missing ? NULL : slot;
    slot->filled = true;
    struct route_request req = {.kind = feedback_kinds[kind],
                                .area = &sd->communes[commune],
                                .delivered_by =
                                    service >= 0 ? sd->services[service].office_kind : NULL,
                                .sensitive = sensitive};
    struct route_result r;
    if (routing_route(s, sd->keep, &req, &r) != STORE_OK) {
        slot->missing = true;
        return NULL;
    }
    slot->office_id = r.office.id;
    slot->origin = r.origin_office_id;
    slot->ccwc = r.ccwc_office_id;
    slot->code = r.office.code;
    return slot;
}

static char *when(struct arena *a, time_t t)
{
    char *out = arena_alloc(a, 32);
    clock_format(t, out, 32);
    return out;
}

static int add_event(struct store *s, const struct case_row *c, time_t at, const char *actor,
                     const char *type, const char *status, const char *text)
{
    struct event_row e = {.case_id = c->id,
                          .at = NULL,
                          .actor_kind = actor,
                          .type = type,
                          .visibility = "public",
                          .text = text,
                          .status = status};
    char stamp[32];
    clock_format(at, stamp, sizeof stamp);
    e.at = stamp;
    return store_event_insert(s, &e);
}

/* What happened to the case by now, at the province's pace. */
static void outcome(struct seed *sd, uint64_t *rng, struct case_row *c, int kind, time_t created,
                    double pace, struct arena *a, time_t *ack, time_t *answer, time_t *closed)
{
    *ack = *answer = *closed = 0;
    double age = (double)(sd->now - created) / DAY;
    double ack_days = uniform(rng) * uniform(rng) * 6 / pace;
    if (age > ack_days + 0.1 && uniform(rng) < 0.75 + 0.2 * pace / 1.5) {
        *ack = created + (time_t)(ack_days * DAY) + 600;
        c->status = "acknowledged";
        c->acknowledged_at = when(a, *ack);
    }
    if (!*ack)
        return;
    if (kind == 3) { /* an evaluation needs no answer: it is read and closed */
        if (uniform(rng) < 0.8) {
            *closed = *ack + DAY;
            c->status = "closed";
        }
        return;
    }
    double answer_days = ack_days + 1 + uniform(rng) * uniform(rng) * 30 / pace;
    if (age > answer_days && uniform(rng) < 0.6 + 0.3 * pace / 1.5) {
        *answer = created + (time_t)(answer_days * DAY);
        bool rejected = uniform(rng) < 0.06;
        c->status = rejected ? "rejected" : "answered";
        if (!rejected)
            c->answered_at = when(a, *answer);
    }
    if (c->answered_at && uniform(rng) < 0.6) {
        c->satisfied = uniform(rng) < 0.45 + 0.3 * pace / 1.5;
        c->rating = c->satisfied ? 3 + below(rng, 3) : 1 + below(rng, 3);
        if (uniform(rng) < 0.7) {
            *closed = *answer + 2 * DAY;
            c->status = "closed";
        }
    }
}

static char *scores(struct arena *a, uint64_t *rng, double pace)
{
    char *out = arena_alloc(a, 256);
    size_t len = 0;
    out[len++] = '{';
    for (int i = 0; i < FEEDBACK_CRITERIA; i++) {
        int v = (int)(1.5 + pace * 2 + uniform(rng) * 2.2);
        v = v < 1 ? 1 : v > 5 ? 5 : v;
        len += (size_t)snprintf(out + len, 256 - len, "%s\"%s\":%d", i ? "," : "",
                                feedback_criteria[i], v);
    }
    out[len++] = '}';
    out[len] = '\0';
    return out;
}

static void demographics(struct case_row *c, uint64_t *rng)
{
    c->sex = feedback_sexes[pick(rng, sex_w, 4)];
    int age = pick(rng, age_w, 7);
    c->age_band = ages[age];
    double u = uniform(rng);
    c->disability = u < 0.05 ? 1 : u < 0.85 ? 0 : -1;
    if (uniform(rng) < 0.1)
        c->sex = NULL, c->age_band = NULL, c->disability = -1; /* question skipped */
}

static int timeline(struct store *s, const struct case_row *c, time_t created, time_t ack,
                    time_t answer, time_t closed)
{
    int rc = add_event(s, c, created, "citizen", "submitted", "submitted", NULL);
    if (rc == STORE_OK && ack)
        rc = add_event(s, c, ack, "staff", "acknowledged", "acknowledged", NULL);
    if (rc == STORE_OK && answer)
        rc = add_event(s, c, answer, "staff", c->answered_at ? "answered" : "rejected",
                       c->answered_at ? "answered" : "rejected", NULL);
    if (rc == STORE_OK && closed)
        rc = add_event(s, c, closed, "staff", "closed", "closed", NULL);
    return rc;
}

static int one_case(struct store *s, struct seed *sd, uint64_t *rng, struct arena *a)
{
    size_t commune = pick_commune(sd, rng);
    int kind = pick(rng, kind_w, 4);
    int service = uniform(rng) < 0.9 ? below(rng, (int)sd->nservices) : -1;
    bool sensitive = kind == 0 && uniform(rng) < 0.03;
    struct route_slot *to = route(s, sd, commune, service, kind, sensitive);
    if (!to)
        return STORE_OK; /* nobody can take it here: not made */
    double pace = sd->province_pace[province_number(sd->communes[commune].code) % 100];
    time_t created = sd->start + (time_t)(uniform(rng) * (double)(sd->now - sd->start));
    struct deadline_rule *rule = &sd->rules[kind];
    struct case_row c = {
        .kind = feedback_kinds[kind],
        .status = "submitted",
        .office_id = to->office_id,
        .origin_office_id = to->origin,
        .ccwc_office_id = to->ccwc,
        .area_code = sd->communes[commune].code,
        .service_code = service >= 0 ? sd->services[service].code : NULL,
        .sensitive = sensitive,
        .overcharged = kind == 0 && uniform(rng) < 0.12 / pace,
        .public_consent = uniform(rng) < 0.3,
        .satisfied = -1,
    };
    c.public_approved = c.public_consent && uniform(rng) < 0.3;
    bool khmer = uniform(rng) < 0.85;
    c.language = khmer ? "km" : "en";
    c.text = khmer ? texts_km[below(rng, (int)(sizeof texts_km / sizeof *texts_km))]
                   : texts_en[below(rng, (int)(sizeof texts_en / sizeof *texts_en))];
    c.scores = kind == 3 ? scores(a, rng, pace) : NULL;
    demographics(&c, rng);
    c.made_at = c.created_at = when(a, created);
    c.due_acknowledge = when(a, workdays_deadline(created, rule->acknowledge_days, &sd->holidays));
    c.due_answer = rule->answer_days >= 0
                       ? when(a, workdays_deadline(created, rule->answer_days, &sd->holidays))
                       : NULL;
    time_t ack, answer, closed;
    outcome(sd, rng, &c, kind, created, pace, a, &ack, &answer, &closed);
    time_t last = closed ? closed : answer ? answer : ack ? ack : created;
    c.updated_at = when(a, last);
    if (closed)
        c.closed_at = when(a, closed);
    randombytes_buf(c.receipt_hash, HASH_BYTES);
    int64_t seq;
    int year = workdays_year(created);
    int rc = store_case_next_number(s, c.office_id, year, &seq);
    if (rc != STORE_OK)
        return rc;
    c.number = arena_printf(a, "%s-%d-%06lld", to->code, year, (long long)seq);
    if ((rc = store_case_insert(s, &c)) != STORE_OK)
        return rc;
    sd->made++;
    return timeline(s, &c, created, ack, answer, closed);
}

struct batch {
    struct seed *sd;
    uint64_t rng, rng_after;
    long count;
    long long made_before;
};

static int run_batch(struct store *s, void *ctx)
{
    struct batch *b = ctx;
    uint64_t rng = b->rng;
    b->sd->made = b->made_before;
    int rc = STORE_OK;
    for (long i = 0; rc == STORE_OK && i < b->count; i++) {
        struct arena *a = arena_new();
        rc = one_case(s, b->sd, &rng, a);
        arena_free(a);
    }
    b->rng_after = rng;
    return rc;
}

static int set_paused(struct store *s, void *ctx)
{
    return store_stats_pause(s, *(bool *)ctx);
}

static int rebuild(struct store *s, void *ctx)
{
    (void)ctx;
    int rc = store_stats_pause(s, false);
    return rc == STORE_OK ? store_stats_rebuild(s) : rc;
}

static int prepare(struct store *s, struct seed *sd, uint64_t *rng, long months)
{
    sd->keep = arena_new();
    sd->now = clock_now();
    sd->start = sd->now - (time_t)(months * 30.4 * DAY);
    int rc = load_communes(s, sd, rng);
    if (rc == STORE_OK)
        rc = load_rules(s, sd);
    if (rc != STORE_OK)
        return rc;
    weigh_communes(sd, rng);
    sd->routes = xcalloc(sd->ncommunes * (sd->nservices + 1) * 8, sizeof *sd->routes);
    return STORE_OK;
}

static int seed_cases(struct store *s, long n, uint64_t rng, long months)
{
    struct seed sd = {0};
    int rc = prepare(s, &sd, &rng, months);
    bool paused = true;
    if (rc == STORE_OK)
        rc = store_tx(s, set_paused, &paused);
    for (long done = 0; rc == STORE_OK && done < n; done += BATCH) {
        struct batch b = {&sd, rng, rng, n - done < BATCH ? n - done : BATCH, sd.made};
        rc = store_tx(s, run_batch, &b);
        rng = b.rng_after;
        if (rc == STORE_OK && (done / BATCH) % 50 == 49)
            fprintf(stderr, "seed: %lld cases\n", sd.made);
    }
    if (rc == STORE_OK) {
        fprintf(stderr, "seed: %lld cases made; rebuilding the statistics\n", sd.made);
        rc = store_tx(s, rebuild, NULL);
    }
    if (rc == STORE_OK)
        printf("%lld synthetic cases added\n", sd.made);
    free(sd.routes);
    if (sd.keep)
        arena_free(sd.keep);
    return rc;
}

int cmd_seed(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},   {"synthetic", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'}, {"months", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    const char *db = opt_env("OURVOICE_DB", NULL);
    long n = -1, seed = 1, months = 24;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'n' && opt_int(optarg, 0, SEED_MAX_CASES, "--synthetic", &n) < 0)
            return 2;
        else if (c == 's' && opt_int(optarg, 0, 2147483647L, "--seed", &seed) < 0)
            return 2;
        else if (c == 'm' && opt_int(optarg, 1, STATS_MAX_MONTHS, "--months", &months) < 0)
            return 2;
        else if (c == 'h' || c == '?') {
            fputs(usage, c == 'h' ? stdout : stderr);
            return c == 'h' ? 0 : 2;
        }
    }
    if (!db || n < 0)
        return opt_fail(!db ? "--db is required" : "--synthetic N is required", NULL);
    struct store *s;
    const char *err = NULL;
    if (store_open(db, &s, &err) != STORE_OK)
        return opt_fail(err, opt_db_shown(db)), 1;
    int rc = seed_cases(s, n, (uint64_t)seed * 0x2545F4914F6CDD1Dull + 1, months);
    store_close(s);
    if (rc != STORE_OK) {
        fprintf(stderr, "ourvoice: seeding failed (is the database initialised?)\n");
        return 1;
    }
    return 0;
}
