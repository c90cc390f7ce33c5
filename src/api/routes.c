/* Every endpoint in one table: method, path, handler, who may call, body limit, flags.
 * The server applies what a row declares before the handler runs (see http/server.c). */
#include "api/routes.h"

#include "api/handlers.h"
#include "core/limits.h"
#include "core/banned.h"

#define GET                 EVHTTP_REQ_GET
#define POST                EVHTTP_REQ_POST
#define DEL                 EVHTTP_REQ_DELETE
#define JSON                ROUTE_BODY_DEFAULT
#define FEEDBACK_BODY_LIMIT (24 * 1024 * 1024) /* up to four photos, documents or recordings */

static const struct route routes[] = {
    {GET, "/healthz", h_healthz, ACCESS_PUBLIC, 0, 0},
    {GET, "/metrics", h_metrics, ACCESS_PUBLIC, 0, 0},
    {GET, "/api/v1/areas", h_areas, ACCESS_PUBLIC, 0, 0},
    {GET, "/api/v1/areas/:code", h_area, ACCESS_PUBLIC, 0, 0},
    {GET, "/api/v1/services", h_services, ACCESS_PUBLIC, 0, 0},
    {GET, "/api/v1/offices", h_offices, ACCESS_PUBLIC, 0, 0},
    {GET, "/api/v1/stats", h_stats, ACCESS_PUBLIC, 0, 0},
    {GET, "/api/v1/stats/quotes", h_stats_quotes, ACCESS_PUBLIC, 0, 0},
    {GET, "/api/v1/stats/dictionary", h_stats_dictionary, ACCESS_PUBLIC, 0, 0},
    {POST, "/api/v1/feedback", h_feedback, ACCESS_PUBLIC, FEEDBACK_BODY_LIMIT, ROUTE_JSON_BODY},
    {GET, "/api/v1/track/challenge", h_track_challenge, ACCESS_PUBLIC, 0, 0},
    {POST, "/api/v1/track/session", h_track_session, ACCESS_PUBLIC, JSON, ROUTE_JSON_BODY},
    {GET, "/api/v1/track", h_track, ACCESS_CITIZEN, 0, 0},
    {POST, "/api/v1/track/messages", h_track_message, ACCESS_CITIZEN, FEEDBACK_BODY_LIMIT,
     ROUTE_JSON_BODY},
    {POST, "/api/v1/track/rating", h_track_rating, ACCESS_CITIZEN, JSON, ROUTE_JSON_BODY},
    {POST, "/api/v1/track/appeal", h_track_appeal, ACCESS_CITIZEN, JSON, ROUTE_JSON_BODY},
    {GET, "/api/v1/track/attachments/:id", h_track_attachment, ACCESS_CITIZEN, 0, 0},
    {POST, "/api/v1/auth/login", h_login, ACCESS_PUBLIC, JSON, ROUTE_JSON_BODY},
    {POST, "/api/v1/auth/logout", h_logout, ACCESS_STAFF, JSON, 0},
    {GET, "/api/v1/me", h_me, ACCESS_STAFF, 0, 0},
    {GET, "/api/v1/cases", h_cases, ACCESS_STAFF, 0, 0},
    {GET, "/api/v1/cases/counts", h_case_counts, ACCESS_STAFF, 0, 0}, /* before :case */
    {GET, "/api/v1/cases/changes", h_case_changes, ACCESS_STAFF, 0, 0},
    {GET, "/api/v1/cases/:case", h_case, ACCESS_STAFF, 0, 0},
    {POST, "/api/v1/cases/:case/actions", h_case_action, ACCESS_STAFF, JSON, ROUTE_JSON_BODY},
    {GET, "/api/v1/cases/:case/attachments/:id", h_case_attachment, ACCESS_STAFF, 0, 0},
    {POST, "/api/v1/auth/password", h_password, ACCESS_STAFF, JSON, ROUTE_JSON_BODY},
    {GET, "/api/v1/cases.csv", h_cases_csv, ACCESS_STAFF, 0, 0},
    {GET, "/api/v1/office/stats", h_office_stats, ACCESS_STAFF, 0, 0},
    {GET, "/api/v1/office/staff", h_office_staff, ACCESS_STAFF, 0, 0},
    {GET, "/api/v1/templates", h_templates, ACCESS_STAFF, 0, 0},
    {POST, "/api/v1/admin/templates", h_admin_template_create, ACCESS_STAFF, JSON, ROUTE_JSON_BODY},
    {POST, "/api/v1/admin/templates/:id", h_admin_template_update, ACCESS_STAFF, JSON,
     ROUTE_JSON_BODY},
    {GET, "/api/v1/admin/offices", h_admin_offices, ACCESS_STAFF, 0, 0},
    {POST, "/api/v1/admin/offices", h_admin_office_create, ACCESS_STAFF, JSON, ROUTE_JSON_BODY},
    {POST, "/api/v1/admin/offices/:code", h_admin_office_update, ACCESS_STAFF, JSON,
     ROUTE_JSON_BODY},
    {GET, "/api/v1/admin/staff", h_admin_staff, ACCESS_STAFF, 0, 0},
    {POST, "/api/v1/admin/staff", h_admin_staff_create, ACCESS_STAFF, JSON, ROUTE_JSON_BODY},
    {POST, "/api/v1/admin/staff/:login", h_admin_staff_update, ACCESS_STAFF, JSON, ROUTE_JSON_BODY},
    {GET, "/api/v1/admin/services", h_admin_services, ACCESS_STAFF, 0, 0},
    {POST, "/api/v1/admin/services", h_admin_service_create, ACCESS_STAFF, JSON, ROUTE_JSON_BODY},
    {POST, "/api/v1/admin/services/:code", h_admin_service_update, ACCESS_STAFF, JSON,
     ROUTE_JSON_BODY},
    {GET, "/api/v1/admin/deadlines", h_admin_deadlines, ACCESS_STAFF, 0, 0},
    {POST, "/api/v1/admin/deadlines", h_admin_deadline_put, ACCESS_STAFF, JSON, ROUTE_JSON_BODY},
    {GET, "/api/v1/admin/holidays", h_admin_holidays, ACCESS_STAFF, 0, 0},
    {POST, "/api/v1/admin/holidays", h_admin_holiday_put, ACCESS_STAFF, JSON, ROUTE_JSON_BODY},
    {DEL, "/api/v1/admin/holidays/:date", h_admin_holiday_delete, ACCESS_STAFF, 0, 0},
    {GET, "/api/v1/admin/routing", h_admin_routing, ACCESS_STAFF, 0, 0},
    {POST, "/api/v1/admin/routing", h_admin_routing_put, ACCESS_STAFF, JSON, ROUTE_JSON_BODY},
    {GET, "/api/v1/admin/audit", h_admin_audit, ACCESS_STAFF, 0, 0},
    {POST, "/api/v1/admin/audit/verify", h_admin_audit_verify, ACCESS_STAFF, JSON, 0},
    {GET, "/api/v1/_test/sleep", h_test_sleep, ACCESS_PUBLIC, 0, ROUTE_TEST_HOOK},
    {POST, "/api/v1/_test/clock", h_test_clock, ACCESS_PUBLIC, JSON,
     ROUTE_JSON_BODY | ROUTE_TEST_HOOK},
    {POST, "/api/v1/_test/jobs", h_test_jobs, ACCESS_PUBLIC, JSON, ROUTE_TEST_HOOK},
    {POST, "/api/v1/_test/outbox", h_test_outbox, ACCESS_PUBLIC, JSON, ROUTE_TEST_HOOK},
    {POST, "/api/v1/_test/echo", h_test_echo, ACCESS_PUBLIC, JSON,
     ROUTE_JSON_BODY | ROUTE_TEST_HOOK},
};

const struct route_table api_routes = {routes, sizeof routes / sizeof routes[0]};
