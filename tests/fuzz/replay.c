/* Replays a fuzz driver over its seed corpus as a cmocka group, one test per file, so that
 * every `make test` runs the drivers (and their invariants) without clang or libFuzzer.
 * The corpus is argv[1], or FUZZ_CORPUS (tests/fuzz/corpus/<name>, set by meson.build). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fuzz.h"
#include "core/banned.h"

#ifndef FUZZ_CORPUS
#error "FUZZ_CORPUS names the corpus directory"
#endif
#ifndef FUZZ_NAME
#define FUZZ_NAME "fuzz_replay"
#endif

#define REPLAY_MAX_BYTES (1024 * 1024)

static void replay_one(void **state)
{
    const char *path = *state;
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t *data = malloc(REPLAY_MAX_BYTES);
    assert_non_null(data);
    size_t n = fread(data, 1, REPLAY_MAX_BYTES, f);
    assert_int_equal(ferror(f), 0);
    assert_true(feof(f)); /* corpus files are small */
    fclose(f);
    /* an exact-size copy, so that the sanitizers catch a read past the input */
    uint8_t *input = malloc(n ? n : 1);
    assert_non_null(input);
    memcpy(input, data, n);
    free(data);
    assert_int_equal(LLVMFuzzerTestOneInput(input, n), 0);
    free(input);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : FUZZ_CORPUS;
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "%s: cannot open the corpus %s\n", argv[0], dir);
        return 1;
    }
    char **names = NULL;
    size_t count = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char **grown = realloc(names, (count + 1) * sizeof *names);
        if (!grown)
            return 1;
        names = grown;
        names[count++] = strdup(e->d_name);
    }
    closedir(d);
    if (count == 0) {
        fprintf(stderr, "%s: the corpus %s is empty\n", argv[0], dir);
        return 1;
    }
    qsort(names, count, sizeof *names, by_name);

    struct CMUnitTest *tests = calloc(count, sizeof *tests);
    char **paths = calloc(count, sizeof *paths);
    if (!tests || !paths)
        return 1;
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        paths[i] = malloc(len);
        if (!paths[i])
            return 1;
        snprintf(paths[i], len, "%s/%s", dir, names[i]);
        /* cmocka_unit_test_prestate(replay_one, path), named after the file */
        tests[i] = (struct CMUnitTest){names[i], replay_one, NULL, NULL, paths[i]};
    }
    int failed = _cmocka_run_group_tests(FUZZ_NAME, tests, count, NULL, NULL);
    for (size_t i = 0; i < count; i++) {
        free(paths[i]);
        free(names[i]);
    }
    free(paths);
    free(names);
    free(tests);
    return failed;
}
