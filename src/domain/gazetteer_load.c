/* Reference data loaders (see gazetteer_load.h). Each file is read inside one transaction
 * so that a half-read file never leaves a half-loaded table. */
#include "domain/gazetteer_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/text.h"
#include "core/workdays.h"
#include "domain/catalogue.h"
#include "domain/geography.h"
#include "core/banned.h"

struct load_job {
    const char *path;
    const char *const *columns; /* required header names, NULL-terminated */
    int (*row)(struct store *s, const char **f, struct load_job *job);
    long long rows;
    const char *err;
    int col[12];
};

static FILE *open_data(const char *data_dir, const char *name, struct buf *path)
{
    buf_init(path, 4096);
    buf_addf(path, "%s/%s", data_dir, name);
    return buf_failed(path) ? NULL : fopen(buf_cstr(path), "r");
}

static int read_rows(struct store *s, void *ctx)
{
    struct load_job *job = ctx;
    FILE *in = fopen(job->path, "r");
    if (!in) {
        job->err = "cannot read a data file";
        return STORE_FAILED;
    }
    struct csv_reader r;
    csv_init(&r, in);
    int rc = STORE_OK;
    job->rows = 0; /* a retried transaction counts afresh */
    if (csv_next(&r) != 1) {
        job->err = "a data file has no header";
        rc = STORE_FAILED;
        goto done;
    }
    for (int i = 0; job->columns[i]; i++)
        if ((job->col[i] = csv_column(&r, job->columns[i])) < 0) {
            job->err = "a data file lacks a required column";
            rc = STORE_FAILED;
            goto done;
        }
    int got;
    while ((got = csv_next(&r)) == 1) {
        const char *f[12];
        for (int i = 0; job->columns[i]; i++) {
            if ((size_t)job->col[i] >= r.count) {
                job->err = "a data file has a short row";
                rc = STORE_FAILED;
                goto done;
            }
            f[i] = r.fields[job->col[i]];
        }
        if ((rc = job->row(s, f, job)) != STORE_OK)
            goto done;
    }
    if (got < 0) {
        job->err = "a data file is malformed";
        rc = STORE_FAILED;
    }
done:
    csv_release(&r);
    fclose(in);
    return rc;
}

static int load_file(struct store *s, const char *data_dir, const char *name, struct load_job *job,
                     const char **err)
{
    struct buf path;
    FILE *probe = open_data(data_dir, name, &path);
    if (!probe) {
        buf_release(&path);
        *err = "a data file is missing (see --data)";
        return STORE_NOT_FOUND;
    }
    fclose(probe);
    job->path = buf_cstr(&path);
    job->err = "the database refused the data";
    int rc = store_tx(s, read_rows, job);
    if (rc != STORE_OK)
        *err = job->err;
    buf_release(&path);
    return rc;
}

/* ---- gazetteer ---- */

static const char *const area_columns[] = {"code",    "parent_code", "level",   "type_km",
                                           "type_en", "name_km",     "name_en", NULL};

static int area_row(struct store *s, const char **f, struct load_job *job)
{
    struct area a = {.code = f[0],
                     .parent = *f[1] ? f[1] : NULL,
                     .level = f[2],
                     .type_km = f[3],
                     .type_en = f[4],
                     .name_km = f[5],
                     .name_en = f[6]};
    if (!geo_code_valid(a.code) || !geo_level_valid(a.level)) {
        job->err = "the gazetteer has an invalid code or level";
        return STORE_FAILED;
    }
    struct buf search;
    buf_init(&search, 1024);
    text_fold(a.name_en, &search);
    buf_addc(&search, '\x1f');
    text_fold(a.name_km, &search);
    int rc = store_area_put(s, &a, buf_cstr(&search));
    buf_release(&search);
    job->rows += rc == STORE_OK;
    return rc;
}

int load_gazetteer(struct store *s, const char *data_dir, struct load_counts *n, const char **err)
{
    struct load_job job = {.columns = area_columns, .row = area_row};
    int rc = load_file(s, data_dir, "gazetteer/admin_units.csv", &job, err);
    n->areas = job.rows;
    if (rc == STORE_OK) {
        rc = load_file(s, data_dir, "gazetteer/villages.csv", &job, err);
        n->areas += job.rows;
    }
    return rc;
}

/* ---- services ---- */

static const char *const service_columns[] = {"code",    "office_kind", "sector", "name_km",
                                              "name_en", "fee_khr",     "days",   "placeholder",
                                              "source",  NULL};

static long long optional_number(const char *s)
{
    if (!*s)
        return -1;
    if (!text_is_digits(s, 12))
        return -2;
    return strtoll(s, NULL, 10);
}

static int service_row(struct store *s, const char **f, struct load_job *job)
{
    struct service sv = {.code = f[0],
                         .office_kind = f[1],
                         .sector = f[2],
                         .name_km = f[3],
                         .name_en = f[4],
                         .fee_khr = optional_number(f[5]),
                         .days = (int)optional_number(f[6]),
                         .placeholder = strcmp(f[7], "1") == 0,
                         .source = f[8]};
    if (!*sv.code || strlen(sv.code) > SERVICE_CODE_MAX ||
        !catalogue_office_kind_valid(sv.office_kind) || sv.fee_khr < -1 || sv.days < -1) {
        job->err = "the services catalogue has an invalid row";
        return STORE_FAILED;
    }
    job->rows++;
    return store_service_put(s, &sv);
}

int load_services(struct store *s, const char *data_dir, struct load_counts *n, const char **err)
{
    struct load_job job = {.columns = service_columns, .row = service_row};
    int rc = load_file(s, data_dir, "services.csv", &job, err);
    n->services = job.rows;
    return rc;
}

/* ---- holidays ---- */

static const char *const holiday_columns[] = {"date", "name_km", "name_en", NULL};

static int holiday_row(struct store *s, const char **f, struct load_job *job)
{
    int32_t day;
    if (workdays_parse_date(f[0], &day) < 0) {
        job->err = "the holidays file has an invalid date";
        return STORE_FAILED;
    }
    struct holiday h = {.date = f[0], .name_km = f[1], .name_en = f[2]};
    job->rows++;
    return store_holiday_put(s, &h);
}

int load_holidays(struct store *s, const char *data_dir, struct load_counts *n, const char **err)
{
    struct load_job job = {.columns = holiday_columns, .row = holiday_row};
    int rc = load_file(s, data_dir, "holidays.csv", &job, err);
    n->holidays = job.rows;
    return rc;
}

/* ---- demo offices ---- */

static int put_office(struct store *s, const char *code, const char *kind, const char *area,
                      const char *name_km, const char *name_en, struct load_job *job)
{
    struct office o = {
        .code = code, .kind = kind, .area_code = area, .name_km = name_km, .name_en = name_en};
    int rc = store_office_put(s, &o);
    if (rc == STORE_OK)
        job->rows++;
    return rc;
}

static int office_row(struct store *s, const char **f, struct load_job *job)
{
    const char *code = f[0], *level = f[2], *type_km = f[3], *type_en = f[4];
    const char *name_km = f[5], *name_en = f[6];
    char c1[OFFICE_CODE_MAX], c2[OFFICE_CODE_MAX], km1[512], km2[512], en1[512], en2[512];
    int rc;
    if (strcmp(level, "commune") == 0) {
        snprintf(c1, sizeof c1, "C-%s", code);
        snprintf(km1, sizeof km1, "រដ្ឋបាល%s%s", type_km, name_km);
        snprintf(en1, sizeof en1, "%s %s Office", name_en, type_en);
        return put_office(s, c1, "commune", code, km1, en1, job);
    }
    if (strcmp(level, "district") == 0) {
        snprintf(c1, sizeof c1, "OWSO-%s", code);
        snprintf(km1, sizeof km1, "ការិយាល័យច្រកចេញចូលតែមួយ %s%s", type_km, name_km);
        snprintf(en1, sizeof en1, "One Window Service Office, %s %s", name_en, type_en);
        snprintf(c2, sizeof c2, "DO-%s", code);
        snprintf(km2, sizeof km2, "ការិយាល័យប្រជាពលរដ្ឋ %s%s", type_km, name_km);
        snprintf(en2, sizeof en2, "District Ombudsman (Citizens' Office), %s %s", name_en, type_en);
        rc = put_office(s, c1, "owso", code, km1, en1, job);
        return rc ? rc : put_office(s, c2, "district_ombudsman", code, km2, en2, job);
    }
    if (strcmp(level, "province") == 0) {
        bool capital = strcmp(type_en, "Capital") == 0;
        snprintf(c1, sizeof c1, "OWSU-%s", code);
        snprintf(km1, sizeof km1, "អង្គភាពច្រកចេញចូលតែមួយ %s%s", type_km, name_km);
        snprintf(en1, sizeof en1, "One Window Service Unit, %s %s", name_en, type_en);
        snprintf(c2, sizeof c2, "PO-%s", code);
        snprintf(km2, sizeof km2, "ការិយាល័យប្រជាពលរដ្ឋ %s%s", type_km, name_km);
        snprintf(en2, sizeof en2, "%s Ombudsman (Citizens' Office), %s %s",
                 capital ? "Capital" : "Provincial", name_en, type_en);
        rc = put_office(s, c1, "owsu", code, km1, en1, job);
        return rc ? rc : put_office(s, c2, "provincial_ombudsman", code, km2, en2, job);
    }
    return STORE_OK;
}

static int put_ministry(struct store *s, void *ctx)
{
    struct office o = {.code = "MOI",
                       .kind = "ministry",
                       .area_code = NULL,
                       .name_km = "ក្រសួងមហាផ្ទៃ",
                       .name_en = "Ministry of Interior"};
    (void)ctx;
    return store_office_put(s, &o);
}

int load_demo_offices(struct store *s, const char *data_dir, struct load_counts *n,
                      const char **err)
{
    *err = NULL;
    struct load_job job = {.columns = area_columns, .row = office_row};
    int rc = load_file(s, data_dir, "gazetteer/admin_units.csv", &job, err);
    n->offices = job.rows;
    if (rc == STORE_OK && (rc = store_tx(s, put_ministry, &job)) == STORE_OK)
        n->offices++;
    else if (rc != STORE_OK && !*err)
        *err = "the database refused the offices";
    return rc;
}
