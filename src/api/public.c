/* Public reads: the gazetteer's areas, the services catalogue and the offices that cover a
 * place. No account needed; nothing personal here. They read through r->read_store: the
 * read replica when `serve --db-read` names one. */
#include <string.h>

#include "api/handlers.h"
#include "domain/catalogue.h"
#include "domain/geography.h"
#include "domain/offices.h"
#include "http/reply.h"
#include "http/reply_cache.h"
#include "core/banned.h"

static json_t *area_json(const struct area *a)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s,s:s}", "code", a->code, "level", a->level,
                     "name_km", a->name_km, "name_en", a->name_en, "parent", a->parent, "type_km",
                     a->type_km, "type_en", a->type_en);
}

static json_t *areas_json(const struct area_list *l)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < l->count; i++)
        json_array_append_new(arr, area_json(&l->items[i]));
    return arr;
}

static json_t *optional_int(int64_t v)
{
    return v < 0 ? json_null() : json_integer(v);
}

static json_t *service_json(const struct service *s)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:b}", "code", s->code, "name_km", s->name_km,
                     "name_en", s->name_en, "office_kind", s->office_kind, "sector", s->sector,
                     "fee_khr", optional_int(s->fee_khr), "days", optional_int(s->days),
                     "placeholder", s->placeholder);
}

static json_t *office_json(const struct office *o)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s?}", "code", o->code, "kind", o->kind, "name_km",
                     o->name_km, "name_en", o->name_en, "area", o->area_code);
}

/* Reads an optional query parameter; replies 400 naming it and returns false if invalid. */
static bool query_param(struct request *r, const char *name, const char **out)
{
    int rc = req_query(r, name, out);
    if (rc < 0) {
        reply_error(r, rc == -2 ? ERR_INVALID_UTF8 : ERR_TOO_LONG, name);
        return false;
    }
    return true;
}

/* Reads an optional area code parameter that must name a known area. */
static bool area_param(struct request *r, const char *name, bool required, const char **out)
{
    if (!query_param(r, name, out))
        return false;
    if (!*out) {
        if (required)
            reply_error(r, ERR_MISSING_FIELD, name);
        return !required;
    }
    if (!geo_code_valid(*out)) {
        reply_error(r, ERR_INVALID_VALUE, name);
        return false;
    }
    struct area area;
    int rc = store_area_get(r->read_store, r->arena, *out, &area);
    if (rc == STORE_NOT_FOUND)
        reply_error(r, ERR_UNKNOWN_AREA, name);
    else if (rc != STORE_OK)
        reply_store_error(r, rc);
    return rc == STORE_OK;
}

static void search_areas(struct request *r, const char *q)
{
    const char *level, *within;
    if (!query_param(r, "level", &level) || !query_param(r, "within", &within))
        return;
    if (strlen(q) > GEO_SEARCH_MAX_BYTES) {
        reply_error(r, ERR_TOO_LONG, "q");
        return;
    }
    if (level && !geo_level_valid(level)) {
        reply_error(r, ERR_NOT_ALLOWED, "level");
        return;
    }
    if (within && !geo_code_valid(within)) {
        reply_error(r, ERR_INVALID_VALUE, "within");
        return;
    }
    struct area_list l;
    int rc = geo_search(r->read_store, r->arena, q, level, within, GEO_SEARCH_LIMIT, &l);
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    else
        reply_json(r, 200, areas_json(&l));
}

void h_areas(struct request *r)
{
    const char *parent, *q;
    if (!query_param(r, "q", &q))
        return;
    if (q) {
        search_areas(r, q);
        return;
    }
    /* area lists are the hottest public read: served from the loop's reply cache */
    const char *raw;
    if (req_query(r, "parent", &raw) == 0 && (!raw || geo_code_valid(raw)) &&
        reply_cache_send(r, arena_printf(r->arena, "areas:%s", raw ? raw : "")))
        return;
    if (!area_param(r, "parent", false, &parent))
        return;
    struct area_list l;
    int rc = store_area_children(r->read_store, r->arena, parent, &l);
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    else
        reply_cache_store(r, arena_printf(r->arena, "areas:%s", parent ? parent : ""),
                          areas_json(&l));
}

void h_area(struct request *r)
{
    const char *code = r->params[0];
    struct area a;
    int rc =
        geo_code_valid(code) ? store_area_get(r->read_store, r->arena, code, &a) : STORE_NOT_FOUND;
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    else
        reply_json(r, 200, area_json(&a));
}

void h_services(struct request *r)
{
    const char *area;
    if (!area_param(r, "area", false, &area))
        return;
    struct service_list l;
    int rc = catalogue_for_area(r->read_store, r->arena, area, &l);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.count; i++)
        json_array_append_new(arr, service_json(&l.items[i]));
    reply_json(r, 200, arr);
}

void h_offices(struct request *r)
{
    const char *area;
    if (!area_param(r, "area", true, &area))
        return;
    struct office_list l;
    int rc = offices_covering(r->read_store, r->arena, area, &l);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.count; i++)
        json_array_append_new(arr, office_json(&l.items[i]));
    reply_json(r, 200, arr);
}
