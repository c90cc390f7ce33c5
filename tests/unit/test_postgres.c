/* Unit tests for the PostgreSQL engine's helpers (store/postgres_util.c), without a server:
 * parameters (NULLs, integers, bytea in binary), the ILIKE pattern of a free-text search
 * (wildcards escaped), the end of a prefix range, and column readers over results built by
 * hand, which must read like SQLite's (an empty bytea reads as NULL, a hash only when it has
 * its full length, booleans as 0/1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "store/postgres_internal.h"
#include "core/banned.h"

static void test_params(void **state)
{
    struct pg_params p = {0};
    pg_text(&p, 2, "two");
    pg_id(&p, 3, 0);
    pg_int(&p, 4, -42);
    pg_opt_int(&p, 5, -1, -1);
    pg_opt_int(&p, 6, 7, -1);
    pg_blob(&p, 7, "\0\1", 2);
    pg_text(&p, PG_MAX_PARAMS + 1, "ignored");
    assert_int_equal(p.n, 7);
    assert_null(p.values[0]);
    assert_string_equal(p.values[1], "two");
    assert_null(p.values[2]);
    assert_string_equal(p.values[3], "-42");
    assert_null(p.values[4]);
    assert_string_equal(p.values[5], "7");
    assert_int_equal(p.formats[6], 1);
    assert_int_equal(p.lengths[6], 2);
    assert_int_equal(p.formats[1], 0);
}

static void test_substring_pattern(void **state)
{
    struct arena *a = arena_new();
    assert_string_equal(pg_substring_pattern(a, "clerk"), "%clerk%");
    assert_string_equal(pg_substring_pattern(a, "50%_off\\"), "%50\\%\\_off\\\\%");
    assert_string_equal(pg_substring_pattern(a, "ពិភព"), "%ពិភព%");
    arena_free(a);
}

/* A result of one row with the given text values (NULL: SQL NULL). */
static PGresult *one_row(int n, const char *const *values)
{
    PGresult *r = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    PGresAttDesc attrs[8];
    memset(attrs, 0, sizeof attrs);
    for (int i = 0; i < n; i++) {
        attrs[i].name = (char *)"c";
        attrs[i].format = 0;
    }
    assert_true(PQsetResultAttrs(r, n, attrs));
    for (int i = 0; i < n; i++)
        assert_true(
            PQsetvalue(r, 0, i, (char *)values[i], values[i] ? (int)strlen(values[i]) : -1));
    return r;
}

static void test_columns(void **state)
{
    static const char *const values[] = {"hello", NULL, "t", "f", "123", "\\x", "\\x0aff", "\\xzz"};
    PGresult *r = one_row(8, values);
    struct arena *a = arena_new();
    size_t len = 99;
    assert_string_equal(pg_col_text(r, 0, 0, a), "hello");
    assert_null(pg_col_text(r, 0, 1, a));
    assert_int_equal(pg_col_int(r, 0, 1), 0);
    assert_int_equal(pg_col_opt_int(r, 0, 1, -1), -1);
    assert_true(pg_col_bool(r, 0, 2));
    assert_false(pg_col_bool(r, 0, 3));
    assert_int_equal(pg_col_int(r, 0, 4), 123);
    assert_null(pg_col_blob(r, 0, 5, a, &len)); /* empty, as sqlite3_column_blob() gives */
    assert_int_equal(len, 0);
    const unsigned char *b = pg_col_blob(r, 0, 6, a, &len);
    assert_int_equal(len, 2);
    assert_int_equal(b[0], 0x0a);
    assert_int_equal(b[1], 0xff);
    assert_null(pg_col_blob(r, 0, 7, a, &len)); /* malformed */
    assert_null(pg_col_blob(r, 0, 1, a, &len)); /* NULL */
    arena_free(a);
    PQclear(r);
}

static void test_hash(void **state)
{
    char full[2 + 2 * HASH_BYTES + 1] = "\\x";
    for (int i = 0; i < HASH_BYTES; i++)
        memcpy(full + 2 + 2 * i, "ab", 2);
    full[sizeof full - 1] = '\0';
    const char *const values[] = {full, "\\xabab", NULL};
    PGresult *r = one_row(3, values);
    unsigned char hash[HASH_BYTES], zero[HASH_BYTES] = {0};
    pg_col_hash(r, 0, 0, hash, HASH_BYTES);
    for (int i = 0; i < HASH_BYTES; i++)
        assert_int_equal(hash[i], 0xab);
    pg_col_hash(r, 0, 1, hash, HASH_BYTES); /* too short: zeroes */
    assert_memory_equal(hash, zero, HASH_BYTES);
    memset(hash, 1, HASH_BYTES);
    pg_col_hash(r, 0, 2, hash, HASH_BYTES);
    assert_memory_equal(hash, zero, HASH_BYTES);
    PQclear(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_substring_pattern),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
