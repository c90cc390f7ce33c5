/* Engine selection, the transaction runner and the thin wrappers every caller uses. The
 * wrappers are the one place where store failures are counted for /metrics. */
#include "store/store.h"

#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/banned.h"

int sqlite_store_open(const char *path, struct store **out, const char **err);

static _Atomic unsigned long long errors;

unsigned long long store_error_count(void)
{
    return atomic_load(&errors);
}

static int counted(int rc)
{
    if (rc == STORE_FAILED || rc == STORE_RETRY)
        atomic_fetch_add(&errors, 1);
    return rc;
}

static bool is_postgres_url(const char *url)
{
    return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

int store_open(const char *url, struct store **out, const char **err)
{
    *out = NULL;
    if (is_postgres_url(url)) {
        *err = "PostgreSQL storage is not available in this version";
        return STORE_FAILED;
    }
    return counted(sqlite_store_open(url, out, err));
}

void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}

const char *store_engine(const struct store *s)
{
    return s->ops->engine;
}

#define TX_ATTEMPTS 8

int store_tx(struct store *s, store_tx_fn fn, void *ctx)
{
    int rc = STORE_FAILED;
    for (int attempt = 0; attempt < TX_ATTEMPTS; attempt++) {
        if (attempt) {
            struct timespec pause = {0, (long)(1000000L << (attempt < 6 ? attempt : 6))};
            nanosleep(&pause, NULL);
        }
        rc = s->ops->begin(s);
        if (rc == STORE_OK) {
            rc = fn(s, ctx);
            if (rc == STORE_OK)
                rc = s->ops->commit(s);
            if (rc != STORE_OK)
                s->ops->rollback(s);
        }
        if (rc != STORE_RETRY)
            break;
    }
    if (rc == STORE_RETRY)
        log_warn("store_retry_exhausted", "attempts=%d", TX_ATTEMPTS);
    return counted(rc);
}

int store_migrate(struct store *s, int *from, int *to)
{
    return counted(s->ops->migrate(s, from, to));
}

int store_area_get(struct store *s, struct arena *a, const char *code, struct area *out)
{
    return counted(s->ops->area_get(s, a, code, out));
}

int store_area_children(struct store *s, struct arena *a, const char *parent,
                        struct area_list *out)
{
    return counted(s->ops->area_children(s, a, parent, out));
}

int store_area_search(struct store *s, struct arena *a, const char *folded, const char *level,
                      const char *within, size_t limit, struct area_list *out)
{
    return counted(s->ops->area_search(s, a, folded, level, within, limit, out));
}

int store_area_put(struct store *s, const struct area *area, const char *search)
{
    return counted(s->ops->area_put(s, area, search));
}

int store_area_count(struct store *s, const char *level, long long *count)
{
    return counted(s->ops->area_count(s, level, count));
}

int store_service_put(struct store *s, const struct service *service)
{
    return counted(s->ops->service_put(s, service));
}

int store_services_for_area(struct store *s, struct arena *a, const char *const *ancestors,
                            size_t n, struct service_list *out)
{
    return counted(s->ops->services_for_area(s, a, ancestors, n, out));
}

int store_office_put(struct store *s, const struct office *office)
{
    return counted(s->ops->office_put(s, office));
}

int store_offices_covering(struct store *s, struct arena *a, const char *const *ancestors,
                           size_t n, struct office_list *out)
{
    return counted(s->ops->offices_covering(s, a, ancestors, n, out));
}

int store_office_by_code(struct store *s, struct arena *a, const char *code, struct office *out)
{
    return counted(s->ops->office_by_code(s, a, code, out));
}

int store_holiday_put(struct store *s, const struct holiday *h)
{
    return counted(s->ops->holiday_put(s, h));
}

int store_staff_put(struct store *s, const struct staff *staff, bool *created)
{
    return counted(s->ops->staff_put(s, staff, created));
}

int store_staff_by_login(struct store *s, struct arena *a, const char *login, struct staff *out)
{
    return counted(s->ops->staff_by_login(s, a, login, out));
}
