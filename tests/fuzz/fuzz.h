/* The entry point every fuzz driver exposes: libFuzzer calls it in a -Dfuzz=true build
 * (clang), replay.c calls it over the seed corpus in every build (see README.md). It returns
 * 0 and aborts on any broken invariant, so that both the fuzzer and the replay test fail. */
#ifndef OURVOICE_FUZZ_H
#define OURVOICE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant the module under test promises; aborts with its text when broken. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#endif
