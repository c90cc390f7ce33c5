/* Unit tests for core/arena: many allocations that never overlap, 16-byte alignment, blocks
 * larger than the arena's block size, strdup/strndup/printf copies, and deferred disposals
 * that run in reverse order of registration, exactly once, when the arena is freed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/banned.h"

#define ALIGN 16
#define BLOCK 8192 /* ARENA_BLOCK in arena.c */

static bool aligned(const void *p)
{
    return (uintptr_t)p % ALIGN == 0;
}

/* true if [a, a+alen) and [b, b+blen) share a byte */
static bool overlap(const void *a, size_t alen, const void *b, size_t blen)
{
    uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
    return x < y + blen && y < x + alen;
}

static void test_new_arena_is_empty(void **state)
{
    struct arena *a = arena_new();
    assert_non_null(a);
    assert_int_equal(arena_used(a), 0);
    arena_free(a);
    arena_free(NULL); /* a no-op, as free(NULL) */
}

/* Thousands of allocations of assorted sizes: each keeps the bytes written into it. */
static void test_many_allocations(void **state)
{
    enum { N = 5000 };
    struct arena *a = arena_new();
    unsigned char **ptrs = calloc(N, sizeof *ptrs);
    assert_non_null(ptrs);
    size_t total = 0;
    for (size_t i = 0; i < N; i++) {
        size_t size = 1 + (i * 37) % 300;
        ptrs[i] = arena_alloc(a, size);
        assert_non_null(ptrs[i]);
        assert_true(aligned(ptrs[i]));
        memset(ptrs[i], (int)(i & 0xFF), size);
        total += size;
    }
    assert_int_equal(arena_used(a), total);
    for (size_t i = 0; i < N; i++) {
        size_t size = 1 + (i * 37) % 300;
        for (size_t j = 0; j < size; j++)
            assert_int_equal(ptrs[i][j], i & 0xFF);
    }
    /* neighbours in time never share memory */
    for (size_t i = 1; i < N; i++)
        assert_false(overlap(ptrs[i - 1], 1 + ((i - 1) * 37) % 300, ptrs[i], 1 + (i * 37) % 300));
    free(ptrs);
    arena_free(a);
}

static void test_alignment(void **state)
{
    static const size_t sizes[] = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1000, 4097};
    struct arena *a = arena_new();
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            void *p = arena_alloc(a, sizes[i]);
            assert_true(aligned(p));
            memset(p, 0xEE, sizes[i]);
        }
    }
    char *s = arena_strdup(a, "odd");
    assert_true(aligned(s));
    char *f = arena_printf(a, "%d", 12345);
    assert_true(aligned(f));
    arena_free(a);
}

static void test_zalloc_zeroes(void **state)
{
    struct arena *a = arena_new();
    /* dirty some memory first so the zeroes are not luck */
    for (int i = 0; i < 64; i++)
        memset(arena_alloc(a, 100), 0xAB, 100);
    unsigned char *z = arena_zalloc(a, 500);
    assert_true(aligned(z));
    for (size_t i = 0; i < 500; i++)
        assert_int_equal(z[i], 0);
    unsigned char *big = arena_zalloc(a, 3 * BLOCK);
    for (size_t i = 0; i < 3 * BLOCK; i++)
        assert_int_equal(big[i], 0);
    arena_free(a);
}

static void test_large_allocation(void **state)
{
    struct arena *a = arena_new();
    char *small = arena_strdup(a, "before");
    assert_int_equal(arena_used(a), 7);
    size_t big_size = 10 * BLOCK + 3;
    unsigned char *big = arena_alloc(a, big_size);
    assert_true(aligned(big));
    memset(big, 0x5A, big_size); /* ASan catches a block that is too short */
    assert_int_equal(arena_used(a), 7 + big_size);
    assert_false(overlap(small, 7, big, big_size));

    /* the small allocations after the large one still work and do not land inside it */
    char *after[100];
    for (int i = 0; i < 100; i++) {
        after[i] = arena_printf(a, "after-%d", i);
        assert_false(overlap(after[i], strlen(after[i]) + 1, big, big_size));
        assert_false(overlap(after[i], strlen(after[i]) + 1, small, 7));
    }
    for (size_t i = 0; i < big_size; i++)
        assert_int_equal(big[i], 0x5A);
    assert_string_equal(small, "before");
    for (int i = 0; i < 100; i++) {
        char want[32];
        snprintf(want, sizeof want, "after-%d", i);
        assert_string_equal(after[i], want);
    }
    arena_free(a);
}

/* A large allocation as the very first one, and sizes right at the block boundary. */
static void test_block_boundaries(void **state)
{
    struct arena *a = arena_new();
    unsigned char *first = arena_alloc(a, 2 * BLOCK);
    memset(first, 1, 2 * BLOCK);
    unsigned char *exact = arena_alloc(a, BLOCK);
    memset(exact, 2, BLOCK);
    unsigned char *over = arena_alloc(a, BLOCK + 1);
    memset(over, 3, BLOCK + 1);
    unsigned char *tiny = arena_alloc(a, 1);
    *tiny = 4;
    assert_false(overlap(first, 2 * BLOCK, exact, BLOCK));
    assert_false(overlap(exact, BLOCK, over, BLOCK + 1));
    assert_false(overlap(over, BLOCK + 1, tiny, 1));
    assert_false(overlap(first, 2 * BLOCK, tiny, 1));
    assert_int_equal(first[2 * BLOCK - 1], 1);
    assert_int_equal(exact[0], 2);
    assert_int_equal(exact[BLOCK - 1], 2);
    assert_int_equal(over[BLOCK], 3);
    assert_int_equal(*tiny, 4);
    assert_int_equal(arena_used(a), 2 * BLOCK + BLOCK + BLOCK + 1 + 1);
    arena_free(a);
}

static void test_strdup_and_printf(void **state)
{
    struct arena *a = arena_new();
    const char *khmer = "ភ្នំពេញ";
    char *k = arena_strdup(a, khmer);
    assert_ptr_not_equal(k, khmer);
    assert_string_equal(k, khmer);

    char *e = arena_strdup(a, "");
    assert_string_equal(e, "");

    char *n = arena_strndup(a, "abcdef", 3);
    assert_string_equal(n, "abc");
    assert_int_equal(strlen(n), 3);
    char *z = arena_strndup(a, "abc", 0);
    assert_string_equal(z, "");

    char *p = arena_printf(a, "%s-%d-%05.1f", "case", 42, 3.14159);
    assert_string_equal(p, "case-42-003.1");
    char *empty = arena_printf(a, "%s", "");
    assert_string_equal(empty, "");

    /* output longer than a block */
    char *longs = malloc(3 * BLOCK);
    assert_non_null(longs);
    memset(longs, 'x', 3 * BLOCK - 1);
    longs[3 * BLOCK - 1] = '\0';
    char *lp = arena_printf(a, "[%s]", longs);
    assert_int_equal(strlen(lp), 3 * BLOCK + 1);
    assert_int_equal(lp[0], '[');
    assert_int_equal(lp[3 * BLOCK], ']');
    assert_memory_equal(lp + 1, longs, 3 * BLOCK - 1);
    char *ld = arena_strdup(a, longs);
    assert_string_equal(ld, longs);
    free(longs);

    /* the copies are independent of each other */
    k[0] = 'X';
    assert_string_equal(n, "abc");
    assert_string_equal(p, "case-42-003.1");
    arena_free(a);
}

/* ---- deferred disposals ---------------------------------------------------------------- */

static int calls[16];
static size_t ncalls;

static void record(void *object)
{
    assert_true(ncalls < sizeof calls / sizeof calls[0]);
    calls[ncalls++] = *(int *)object;
}

static void free_object(void *object)
{
    free(object);
    calls[ncalls++] = -1;
}

static void test_defer_reverse_order_once(void **state)
{
    static int one = 1, two = 2, three = 3, four = 4;
    ncalls = 0;
    struct arena *a = arena_new();
    arena_defer(a, record, &one);
    arena_defer(a, record, &two);
    (void)arena_alloc(a, 5 * BLOCK); /* a new block between registrations */
    arena_defer(a, record, &three);
    for (int i = 0; i < 1000; i++)
        (void)arena_alloc(a, 64);
    arena_defer(a, record, &four);
    assert_int_equal(ncalls, 0); /* nothing runs before arena_free */
    arena_free(a);
    assert_int_equal(ncalls, 4);
    assert_int_equal(calls[0], 4);
    assert_int_equal(calls[1], 3);
    assert_int_equal(calls[2], 2);
    assert_int_equal(calls[3], 1);
}

/* A disposal that frees heap memory: ASan reports a leak if it does not run, a double free
 * if it runs twice. */
static void test_defer_frees_foreign_object(void **state)
{
    ncalls = 0;
    struct arena *a = arena_new();
    char *foreign = malloc(32);
    assert_non_null(foreign);
    memcpy(foreign, "jansson document", 17);
    arena_defer(a, free_object, foreign);
    arena_free(a);
    assert_int_equal(ncalls, 1);
    assert_int_equal(calls[0], -1);
}

static void test_defer_none(void **state)
{
    ncalls = 0;
    struct arena *a = arena_new();
    (void)arena_strdup(a, "no disposals");
    arena_free(a);
    assert_int_equal(ncalls, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_arena_is_empty),
        cmocka_unit_test(test_many_allocations),
        cmocka_unit_test(test_alignment),
        cmocka_unit_test(test_zalloc_zeroes),
        cmocka_unit_test(test_large_allocation),
        cmocka_unit_test(test_block_boundaries),
        cmocka_unit_test(test_strdup_and_printf),
        cmocka_unit_test(test_defer_reverse_order_once),
        cmocka_unit_test(test_defer_frees_foreign_object),
        cmocka_unit_test(test_defer_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
