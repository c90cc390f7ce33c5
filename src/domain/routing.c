/* Routing rules and the escalation chain (see routing.h). */
#include "domain/routing.h"

#include <string.h>

#include "core/banned.h"

/* The part of an area code an office of this kind sits on; NULL for the ministry. */
static const char *office_area(struct arena *a, const char *kind, const char *area_code)
{
    size_t len = area_code ? strlen(area_code) : 0, want;
    if (strcmp(kind, "commune") == 0)
        want = 6;
    else if (strcmp(kind, "owso") == 0 || strcmp(kind, "district_ombudsman") == 0)
        want = 4;
    else if (strcmp(kind, "owsu") == 0 || strcmp(kind, "provincial_ombudsman") == 0)
        want = 2;
    else
        return NULL;
    return len >= want ? arena_strndup(a, area_code, want) : "";
}

static const char *next_kind(const char *kind)
{
    if (strcmp(kind, "commune") == 0 || strcmp(kind, "owso") == 0)
        return "district_ombudsman";
    if (strcmp(kind, "district_ombudsman") == 0 || strcmp(kind, "owsu") == 0)
        return "provincial_ombudsman";
    if (strcmp(kind, "provincial_ombudsman") == 0)
        return "ministry";
    return NULL;
}

static int find(struct store *s, struct arena *a, const char *kind, const char *area_code,
                struct office *out)
{
    const char *at = office_area(a, kind, area_code);
    if (at && !*at)
        return STORE_NOT_FOUND; /* the place is not precise enough for this kind */
    return store_office_find(s, a, kind, at, out);
}

/* The first existing office of `kind` or above it in the chain. */
static int find_or_above(struct store *s, struct arena *a, const char *kind, const char *area_code,
                         struct office *out)
{
    for (; kind; kind = next_kind(kind)) {
        int rc = find(s, a, kind, area_code, out);
        if (rc != STORE_NOT_FOUND)
            return rc;
    }
    return STORE_NOT_FOUND;
}

static const char *kind_for_level(const char *level)
{
    if (strcmp(level, "commune") == 0 || strcmp(level, "village") == 0)
        return "commune";
    if (strcmp(level, "district") == 0)
        return "owso";
    return "owsu";
}

int routing_route(struct store *s, struct arena *a, const struct route_request *req,
                  struct route_result *out)
{
    memset(out, 0, sizeof *out);
    const char *delivered_by =
        req->delivered_by ? req->delivered_by : kind_for_level(req->area->level);
    bool complaint = strcmp(req->kind, "complaint") == 0;
    const char *condition = complaint && req->sensitive       ? "sensitive"
                            : complaint && req->bypass_office ? "bypass"
                                                              : "default";
    const char *target;
    int rc = store_routing_target(s, a, delivered_by, req->kind, condition, &target);
    if (rc == STORE_NOT_FOUND)
        rc = store_routing_target(s, a, delivered_by, req->kind, "default", &target);
    if (rc == STORE_NOT_FOUND) {
        target = delivered_by;
        rc = STORE_OK;
    }
    if (rc != STORE_OK)
        return rc;

    struct office origin;
    rc = find(s, a, delivered_by, req->area->code, &origin);
    if (rc == STORE_OK)
        out->origin_office_id = origin.id;
    else if (rc != STORE_NOT_FOUND)
        return rc;
    bool avoid_origin = complaint && (req->sensitive || req->bypass_office);
    if (avoid_origin && strcmp(target, delivered_by) == 0)
        target = next_kind(delivered_by); /* the rules may never hand it to the accused */
    if (!target)
        return STORE_NOT_FOUND;
    rc = find_or_above(s, a, target, req->area->code, &out->office);
    if (rc != STORE_OK)
        return rc;

    if (complaint && req->sensitive) {
        struct office commune;
        if (find(s, a, "commune", req->area->code, &commune) == STORE_OK &&
            commune.id != out->origin_office_id)
            out->ccwc_office_id = commune.id;
    }
    return STORE_OK;
}

int routing_next_level(struct store *s, struct arena *a, const struct office *from,
                       struct office *out)
{
    const char *kind = next_kind(from->kind);
    return kind ? find_or_above(s, a, kind, from->area_code, out) : STORE_NOT_FOUND;
}
