/* The receipt hash alone, on every core: Argon2id with exactly the parameters of
 * src/core/crypto.h (t=2, m=19 MiB, 32-byte output), for the submission benchmark to
 * compare against. Usage: hash_rate SECONDS THREADS → prints hashes/s. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/crypto.h"

static double seconds;
static long counts[64];

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *run(void *arg)
{
    long *count = arg;
    unsigned char out[CRYPTO_HASH_BYTES], salt[crypto_pwhash_SALTBYTES] = {0};
    double end = now() + seconds;
    while (now() < end) {
        if (crypto_pwhash(out, sizeof out, "0123456789012345", 16, salt, CRYPTO_ARGON2_OPS,
                          CRYPTO_ARGON2_MEM, crypto_pwhash_ALG_ARGON2ID13) != 0)
            abort();
        (*count)++;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3 || sodium_init() < 0)
        return 2;
    seconds = strtod(argv[1], NULL);
    int n = atoi(argv[2]);
    if (n < 1 || n > 64)
        return 2;
    pthread_t t[64];
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, run, &counts[i]);
    long total = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        total += counts[i];
    }
    printf("%.1f\n", total / seconds);
    return 0;
}
