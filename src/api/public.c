/* Public reads: the gazetteer's areas, the services catalogue and the offices that cover a
 * place. No account needed; nothing personal here. */
#include <string.h>

#include "api/handlers.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"
#include "domain/catalogue.h"
#include "domain/geography.h"
#include "domain/offices.h"
#include "http/reply.h"
#include "core/banned.h"

static json_t *area_json(const struct area *a)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s,s:s}", "code", a->code, "level", a->level,
                     "name_km", a->name_km, "name_en", a->name_en, "parent", a->parent,
                     "type_km", a->type_km, "type_en", a->type_en);
}

/* Area lists are the hottest public reads, so they are written straight into a buffer
 * rather than built as a jansson document and dumped: same bytes as area_json() under
 * json_dumps(JSON_COMPACT) (key order, escapes, "parent":null), without the few hundred
 * allocations per reply. See bench/README.md. */
#define AREA_LIST_MAX_BYTES (8u << 20)

static bool area_strings_valid(const struct area *a)
{
    const char *const v[] = {a->code, a->level, a->name_km, a->name_en, a->type_km, a->type_en};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (!v[i] || !text_utf8_valid(v[i], strlen(v[i])))
            return false;
    return !a->parent || text_utf8_valid(a->parent, strlen(a->parent));
}

/* A JSON string as jansson writes it without JSON_ENSURE_ASCII. */
static void add_json_string(struct buf *b, const char *s)
{
    buf_addc(b, '"');
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        buf_add(b, run, (size_t)(s - run));
        switch (c) {
        case '"':
            buf_adds(b, "\\\"");
            break;
        case '\\':
            buf_adds(b, "\\\\");
            break;
        case '\b':
            buf_adds(b, "\\b");
            break;
        case '\f':
            buf_adds(b, "\\f");
            break;
        case '\n':
            buf_adds(b, "\\n");
            break;
        case '\r':
            buf_adds(b, "\\r");
            break;
        case '\t':
            buf_adds(b, "\\t");
            break;
        default:
            buf_addf(b, "\\u%04X", c);
            break;
        }
        run = s + 1;
    }
    buf_add(b, run, (size_t)(s - run));
    buf_addc(b, '"');
}

static void reply_area_list(struct request *r, const struct area_list *l)
{
    struct buf b;
    buf_init(&b, AREA_LIST_MAX_BYTES);
    buf_addc(&b, '[');
    bool first = true;
    for (size_t i = 0; i < l->count; i++) {
        const struct area *a = &l->items[i];
        if (!area_strings_valid(a)) {
            log_error("bad_area_row", "code=%s", a->code ? a->code : "-");
            continue; /* as json_pack() did: the row is left out */
        }
        buf_adds(&b, first ? "{\"code\":" : ",{\"code\":");
        first = false;
        add_json_string(&b, a->code);
        buf_adds(&b, ",\"level\":");
        add_json_string(&b, a->level);
        buf_adds(&b, ",\"name_km\":");
        add_json_string(&b, a->name_km);
        buf_adds(&b, ",\"name_en\":");
        add_json_string(&b, a->name_en);
        buf_adds(&b, ",\"parent\":");
        if (a->parent)
            add_json_string(&b, a->parent);
        else
            buf_adds(&b, "null");
        buf_adds(&b, ",\"type_km\":");
        add_json_string(&b, a->type_km);
        buf_adds(&b, ",\"type_en\":");
        add_json_string(&b, a->type_en);
        buf_addc(&b, '}');
    }
    buf_addc(&b, ']');
    if (buf_failed(&b))
        reply_error(r, ERR_INTERNAL, NULL);
    else
        reply_send(r, 200, "application/json; charset=utf-8", buf_cstr(&b), b.len);
    buf_release(&b);
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
    int rc = store_area_get(r->store, r->arena, *out, &area);
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
    int rc = geo_search(r->store, r->arena, q, level, within, GEO_SEARCH_LIMIT, &l);
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    else
        reply_area_list(r, &l);
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
    if (!area_param(r, "parent", false, &parent))
        return;
    struct area_list l;
    int rc = store_area_children(r->store, r->arena, parent, &l);
    if (rc != STORE_OK)
        reply_store_error(r, rc);
    else
        reply_area_list(r, &l);
}

void h_area(struct request *r)
{
    const char *code = r->params[0];
    struct area a;
    int rc = geo_code_valid(code) ? store_area_get(r->store, r->arena, code, &a)
                                  : STORE_NOT_FOUND;
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
    int rc = catalogue_for_area(r->store, r->arena, area, &l);
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
    int rc = offices_covering(r->store, r->arena, area, &l);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.count; i++)
        json_array_append_new(arr, office_json(&l.items[i]));
    reply_json(r, 200, arr);
}
