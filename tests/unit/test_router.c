/* Unit tests for http/router: matching a small table (GET /a, GET /a/:id, POST /a,
 * GET /b/:x/c) finds the right row and its parameters, HEAD matches GET, 404 is told from
 * 405 with its Allow text, and paths with over-long, empty or trailing segments do not match. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/limits.h"
#include "http/router.h"
#include "core/banned.h"

static void h_list(struct request *r)
{
    (void)r;
}

static void h_get(struct request *r)
{
    (void)r;
}

static void h_create(struct request *r)
{
    (void)r;
}

static void h_bc(struct request *r)
{
    (void)r;
}

static const struct route routes[] = {
    {EVHTTP_REQ_GET, "/a", h_list, ACCESS_PUBLIC, 0, 0},
    {EVHTTP_REQ_GET, "/a/:id", h_get, ACCESS_PUBLIC, 0, 0},
    {EVHTTP_REQ_POST, "/a", h_create, ACCESS_STAFF, ROUTE_BODY_DEFAULT, ROUTE_JSON_BODY},
    {EVHTTP_REQ_GET, "/b/:x/c", h_bc, ACCESS_CITIZEN, 0, 0},
};

static const struct route_table table = {routes, sizeof routes / sizeof routes[0]};

struct match {
    enum route_match result;
    const struct route *route;
    const char *params[REQUEST_MAX_PARAMS];
    char allow[128];
};

static struct arena *arena;

static int setup(void **state)
{
    arena = arena_new();
    return 0;
}

static int teardown(void **state)
{
    arena_free(arena);
    arena = NULL;
    return 0;
}

static struct match match_in(const struct route_table *t, enum evhttp_cmd_type method,
                             const char *path)
{
    struct match m;
    memset(&m, 0, sizeof m);
    memset(m.allow, 'Z', sizeof m.allow);
    m.result = router_match(t, method, path, arena, &m.route, m.params, m.allow, sizeof m.allow);
    return m;
}

static struct match match(enum evhttp_cmd_type method, const char *path)
{
    return match_in(&table, method, path);
}

static void expect_no_path(enum evhttp_cmd_type method, const char *path)
{
    struct match m = match(method, path);
    assert_int_equal(m.result, ROUTE_NO_PATH);
    assert_null(m.route);
    assert_string_equal(m.allow, "");
}

static void test_found(void **state)
{
    struct match m = match(EVHTTP_REQ_GET, "/a");
    assert_int_equal(m.result, ROUTE_FOUND);
    assert_ptr_equal(m.route, &routes[0]);
    assert_ptr_equal(m.route->handler, h_list);
    assert_null(m.params[0]);

    m = match(EVHTTP_REQ_POST, "/a");
    assert_int_equal(m.result, ROUTE_FOUND);
    assert_ptr_equal(m.route, &routes[2]);
    assert_int_equal(m.route->access, ACCESS_STAFF);
    assert_int_equal(m.route->flags, ROUTE_JSON_BODY);
}

static void test_found_with_params(void **state)
{
    const char *path = "/a/42";
    struct match m = match(EVHTTP_REQ_GET, path);
    assert_int_equal(m.result, ROUTE_FOUND);
    assert_ptr_equal(m.route, &routes[1]);
    assert_non_null(m.params[0]);
    assert_string_equal(m.params[0], "42");
    assert_ptr_not_equal(m.params[0], path + 3); /* a copy in the arena */
    assert_null(m.params[1]);

    m = match(EVHTTP_REQ_GET, "/b/xyz/c");
    assert_int_equal(m.result, ROUTE_FOUND);
    assert_ptr_equal(m.route, &routes[3]);
    assert_string_equal(m.params[0], "xyz");

    /* a parameter takes any characters of a segment, Khmer included */
    m = match(EVHTTP_REQ_GET, "/a/ភ្នំពេញ-1.x");
    assert_int_equal(m.result, ROUTE_FOUND);
    assert_string_equal(m.params[0], "ភ្នំពេញ-1.x");
}

static void test_head_matches_get(void **state)
{
    struct match m = match(EVHTTP_REQ_HEAD, "/a");
    assert_int_equal(m.result, ROUTE_FOUND);
    assert_ptr_equal(m.route, &routes[0]);

    m = match(EVHTTP_REQ_HEAD, "/a/7");
    assert_int_equal(m.result, ROUTE_FOUND);
    assert_ptr_equal(m.route, &routes[1]);
    assert_string_equal(m.params[0], "7");

    m = match(EVHTTP_REQ_HEAD, "/b/q/c");
    assert_int_equal(m.result, ROUTE_FOUND);
    assert_ptr_equal(m.route, &routes[3]);

    /* HEAD stands in for GET only, never for POST */
    static const struct route post_only[] = {
        {EVHTTP_REQ_POST, "/p", h_create, ACCESS_PUBLIC, 0, 0},
    };
    static const struct route_table pt = {post_only, 1};
    m = match_in(&pt, EVHTTP_REQ_HEAD, "/p");
    assert_int_equal(m.result, ROUTE_WRONG_METHOD);
    assert_string_equal(m.allow, "POST");
}

static void test_no_path(void **state)
{
    expect_no_path(EVHTTP_REQ_GET, "/nope");
    expect_no_path(EVHTTP_REQ_GET, "/");
    expect_no_path(EVHTTP_REQ_GET, "");
    expect_no_path(EVHTTP_REQ_GET, "a");
    expect_no_path(EVHTTP_REQ_GET, "/A");
    expect_no_path(EVHTTP_REQ_GET, "/ab");
    expect_no_path(EVHTTP_REQ_GET, "//a");
    expect_no_path(EVHTTP_REQ_GET, "/b");
    expect_no_path(EVHTTP_REQ_GET, "/b/x");
    expect_no_path(EVHTTP_REQ_GET, "/b/x/cc");
    expect_no_path(EVHTTP_REQ_GET, "/b/x/c/d");
    expect_no_path(EVHTTP_REQ_GET, "/a/1/2");
    /* an unknown path is 404 whatever the method */
    expect_no_path(EVHTTP_REQ_DELETE, "/nope");
    expect_no_path(EVHTTP_REQ_POST, "/b/x");
}

static void test_wrong_method_allow(void **state)
{
    struct match m = match(EVHTTP_REQ_DELETE, "/a");
    assert_int_equal(m.result, ROUTE_WRONG_METHOD);
    assert_string_equal(m.allow, "GET, HEAD, POST");

    m = match(EVHTTP_REQ_PUT, "/a");
    assert_int_equal(m.result, ROUTE_WRONG_METHOD);
    assert_string_equal(m.allow, "GET, HEAD, POST");

    m = match(EVHTTP_REQ_POST, "/a/1");
    assert_int_equal(m.result, ROUTE_WRONG_METHOD);
    assert_string_equal(m.allow, "GET, HEAD");

    m = match(EVHTTP_REQ_PUT, "/b/1/c");
    assert_int_equal(m.result, ROUTE_WRONG_METHOD);
    assert_string_equal(m.allow, "GET, HEAD");

    m = match(EVHTTP_REQ_OPTIONS, "/b/1/c");
    assert_int_equal(m.result, ROUTE_WRONG_METHOD);
    assert_string_equal(m.allow, "GET, HEAD");
}

/* With a short buffer the Allow text holds whole method names only, never a fragment. */
static void test_allow_buffer_short(void **state)
{
    char allow[32];
    const struct route *out = NULL;
    const char *params[REQUEST_MAX_PARAMS] = {0};
    /* "GET, HEAD" fits in 10 bytes, ", POST" does not */
    for (size_t size = 10; size < 16; size++) {
        memset(allow, 'Z', sizeof allow);
        assert_int_equal(
            router_match(&table, EVHTTP_REQ_DELETE, "/a", arena, &out, params, allow, size),
            ROUTE_WRONG_METHOD);
        assert_string_equal(allow, "GET, HEAD");
        assert_int_equal(allow[size], 'Z'); /* nothing written past the buffer */
    }
    memset(allow, 'Z', sizeof allow);
    assert_int_equal(router_match(&table, EVHTTP_REQ_DELETE, "/a", arena, &out, params, allow, 16),
                     ROUTE_WRONG_METHOD);
    assert_string_equal(allow, "GET, HEAD, POST");

    /* "GET, HEAD" does not fit at all and is left out whole, "POST" fits */
    memset(allow, 'Z', sizeof allow);
    assert_int_equal(router_match(&table, EVHTTP_REQ_DELETE, "/a", arena, &out, params, allow, 5),
                     ROUTE_WRONG_METHOD);
    assert_string_equal(allow, "POST");
    assert_int_equal(allow[5], 'Z');
    memset(allow, 'Z', sizeof allow);
    assert_int_equal(router_match(&table, EVHTTP_REQ_DELETE, "/a", arena, &out, params, allow, 4),
                     ROUTE_WRONG_METHOD);
    assert_string_equal(allow, "");
    assert_int_equal(allow[4], 'Z');

    /* a zero-sized buffer is left alone */
    memset(allow, 'Z', sizeof allow);
    assert_int_equal(router_match(&table, EVHTTP_REQ_DELETE, "/a", arena, &out, params, allow, 0),
                     ROUTE_WRONG_METHOD);
    assert_int_equal(allow[0], 'Z');
}

static void test_param_segment_limit(void **state)
{
    char path[2 + LIMIT_PATH_SEGMENT_BYTES + 2 + 1 + 8];
    char seg[LIMIT_PATH_SEGMENT_BYTES + 2];

    memset(seg, 'x', LIMIT_PATH_SEGMENT_BYTES);
    seg[LIMIT_PATH_SEGMENT_BYTES] = '\0';
    snprintf(path, sizeof path, "/a/%s", seg);
    struct match m = match(EVHTTP_REQ_GET, path);
    assert_int_equal(m.result, ROUTE_FOUND);
    assert_ptr_equal(m.route, &routes[1]);
    assert_int_equal(strlen(m.params[0]), LIMIT_PATH_SEGMENT_BYTES);
    assert_string_equal(m.params[0], seg);

    memset(seg, 'x', LIMIT_PATH_SEGMENT_BYTES + 1);
    seg[LIMIT_PATH_SEGMENT_BYTES + 1] = '\0';
    snprintf(path, sizeof path, "/a/%s", seg);
    expect_no_path(EVHTTP_REQ_GET, path);
    snprintf(path, sizeof path, "/b/%s/c", seg);
    expect_no_path(EVHTTP_REQ_GET, path);
    /* a too-long parameter is no path for any method, not a 405 */
    snprintf(path, sizeof path, "/a/%s", seg);
    expect_no_path(EVHTTP_REQ_POST, path);
}

static void test_trailing_slash(void **state)
{
    expect_no_path(EVHTTP_REQ_GET, "/a/1/");
    expect_no_path(EVHTTP_REQ_GET, "/b/x/c/");
    /* "/a/" is "/a/:id" with an empty id */
    expect_no_path(EVHTTP_REQ_GET, "/a/");
    expect_no_path(EVHTTP_REQ_POST, "/a/");
}

static void test_empty_segment(void **state)
{
    expect_no_path(EVHTTP_REQ_GET, "/b//c");
    expect_no_path(EVHTTP_REQ_GET, "/a//");
    expect_no_path(EVHTTP_REQ_GET, "/a//1");
    expect_no_path(EVHTTP_REQ_GET, "//");
}

static void test_many_params(void **state)
{
    static const struct route deep[] = {
        {EVHTTP_REQ_GET, "/:a/:b/:c/:d", h_get, ACCESS_PUBLIC, 0, 0},
        {EVHTTP_REQ_GET, "/x/:a/:b/:c/:d/:e", h_get, ACCESS_PUBLIC, 0, 0},
    };
    static const struct route_table dt = {deep, 2};
    struct match m = match_in(&dt, EVHTTP_REQ_GET, "/1/22/333/4444");
    assert_int_equal(m.result, ROUTE_FOUND);
    assert_ptr_equal(m.route, &deep[0]);
    assert_string_equal(m.params[0], "1");
    assert_string_equal(m.params[1], "22");
    assert_string_equal(m.params[2], "333");
    assert_string_equal(m.params[3], "4444");
    /* more parameters than REQUEST_MAX_PARAMS never match (nor overflow params) */
    m = match_in(&dt, EVHTTP_REQ_GET, "/x/1/2/3/4/5");
    assert_int_equal(m.result, ROUTE_NO_PATH);
}

static void test_method_names(void **state)
{
    assert_string_equal(router_method_name(EVHTTP_REQ_GET), "GET");
    assert_string_equal(router_method_name(EVHTTP_REQ_HEAD), "HEAD");
    assert_string_equal(router_method_name(EVHTTP_REQ_POST), "POST");
    assert_string_equal(router_method_name(EVHTTP_REQ_PUT), "PUT");
    assert_string_equal(router_method_name(EVHTTP_REQ_DELETE), "DELETE");
    assert_string_equal(router_method_name(EVHTTP_REQ_PATCH), "PATCH");
    assert_string_equal(router_method_name((enum evhttp_cmd_type)0), "OTHER");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_found_with_params, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_matches_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_method_allow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allow_buffer_short, setup, teardown),
        cmocka_unit_test_setup_teardown(test_param_segment_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trailing_slash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_segment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_params, setup, teardown),
        cmocka_unit_test_setup_teardown(test_method_names, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
