/* Unit tests for core/countmap: counters per key, growth past many keys, iteration over
 * every entry once, clearing, and over-long keys cut to the limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/countmap.h"
#include "core/banned.h"

static void test_counts_and_growth(void **state)
{
    (void)state;
    struct countmap *m = countmap_new(3);
    char key[32];
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 5000; i++) {
            snprintf(key, sizeof key, "scope\x1f%d", i);
            long long *c = countmap_get(m, key);
            c[0] += 1;
            c[2] += i;
        }
    assert_int_equal(countmap_size(m), 5000);
    assert_int_equal(countmap_get(m, "scope\x1f"
                                     "42")[0],
                     3);
    assert_int_equal(countmap_get(m, "scope\x1f"
                                     "42")[1],
                     0);
    assert_int_equal(countmap_get(m, "scope\x1f"
                                     "42")[2],
                     126);
    size_t pos = 0, seen = 0;
    long long total = 0;
    const long long *c;
    for (const char *k; (k = countmap_next(m, &pos, &c));) {
        assert_non_null(strstr(k, "scope"));
        seen++;
        total += c[0];
    }
    assert_int_equal(seen, 5000);
    assert_int_equal(total, 15000);
    countmap_clear(m);
    assert_int_equal(countmap_size(m), 0);
    pos = 0;
    assert_null(countmap_next(m, &pos, &c));
    countmap_free(m);
}

static void test_long_keys_are_cut(void **state)
{
    (void)state;
    struct countmap *m = countmap_new(1);
    char a[300], b[300];
    memset(a, 'x', sizeof a - 1);
    a[sizeof a - 1] = '\0';
    memcpy(b, a, sizeof b);
    b[250] = 'y'; /* differs only past the limit */
    countmap_get(m, a)[0]++;
    countmap_get(m, b)[0]++;
    assert_int_equal(countmap_size(m), 1);
    assert_int_equal(countmap_get(m, a)[0], 2);
    countmap_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_growth),
        cmocka_unit_test(test_long_keys_are_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
