/* Every endpoint in one table: method, path, handler, who may call, body limit, flags.
 * The server applies what a row declares before the handler runs (see http/server.c). */
#include "api/routes.h"

#include "api/handlers.h"
#include "core/limits.h"
#include "core/banned.h"

#define GET EVHTTP_REQ_GET
#define POST EVHTTP_REQ_POST

static const struct route routes[] = {
    {GET, "/healthz", h_healthz, ACCESS_PUBLIC, 0, 0},
    {GET, "/metrics", h_metrics, ACCESS_PUBLIC, 0, 0},
    {GET, "/api/v1/areas", h_areas, ACCESS_PUBLIC, 0, 0},
    {GET, "/api/v1/areas/:code", h_area, ACCESS_PUBLIC, 0, 0},
    {GET, "/api/v1/services", h_services, ACCESS_PUBLIC, 0, 0},
    {GET, "/api/v1/offices", h_offices, ACCESS_PUBLIC, 0, 0},
    {GET, "/api/v1/_test/sleep", h_test_sleep, ACCESS_PUBLIC, 0, ROUTE_TEST_HOOK},
};

const struct route_table api_routes = {routes, sizeof routes / sizeof routes[0]};
