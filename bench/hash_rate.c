/* The receipt hash alone, on every core: the ceiling for durable submissions and receipt
 * checks in bench/feedback.sh. Runs crypto_pwhash Argon2id with exactly the parameters of
 * src/core/crypto.h (CRYPTO_ARGON2_OPS, CRYPTO_ARGON2_MEM, a CRYPTO_HASH_BYTES output, a
 * 16-byte salt, a 32-byte input as crypto_receipt_hash gives it: the keyed BLAKE2b of the
 * digits) on THREADS threads for about SECONDS seconds, and prints two figures: the hashes
 * per second (completed hashes / the longest thread's running time) and the CPU time per
 * hash in ms (user + system, which includes the kernel's work of mapping the 19 MiB each
 * hash allocates; on a shared machine this figure is steadier than the rate).
 *
 *   cc -O2 -Isrc bench/hash_rate.c -o hash_rate -lsodium -lpthread
 *   ./hash_rate SECONDS THREADS */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "core/crypto.h"

#define MAX_THREADS 256

_Static_assert(crypto_pwhash_SALTBYTES == 16, "the receipt salt is 16 bytes");

struct worker {
    pthread_t thread;
    double seconds, elapsed;
    long count;
    int failed;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *run(void *arg)
{
    struct worker *w = arg;
    unsigned char out[CRYPTO_HASH_BYTES], salt[crypto_pwhash_SALTBYTES],
        input[crypto_generichash_BYTES];
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(input, sizeof input);
    double start = now(), t = start;
    while (t - start < w->seconds) {
        if (crypto_pwhash(out, sizeof out, (const char *)input, sizeof input, salt,
                          CRYPTO_ARGON2_OPS, CRYPTO_ARGON2_MEM,
                          crypto_pwhash_ALG_ARGON2ID13) != 0) {
            w->failed = 1;
            break;
        }
        input[0] ^= out[0]; /* a different input each time */
        w->count++;
        t = now();
    }
    w->elapsed = t - start;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: hash_rate SECONDS THREADS\n");
        return 2;
    }
    double seconds = strtod(argv[1], NULL);
    int n = atoi(argv[2]);
    if (seconds <= 0 || n < 1 || n > MAX_THREADS || sodium_init() < 0) {
        fprintf(stderr, "hash_rate: bad arguments or libsodium failed\n");
        return 2;
    }
    static struct worker w[MAX_THREADS];
    for (int i = 0; i < n; i++) {
        w[i].seconds = seconds;
        if (pthread_create(&w[i].thread, NULL, run, &w[i]) != 0) {
            fprintf(stderr, "hash_rate: cannot start a thread\n");
            return 1;
        }
    }
    long total = 0;
    double longest = 0;
    int failed = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(w[i].thread, NULL);
        total += w[i].count;
        failed |= w[i].failed;
        if (w[i].elapsed > longest)
            longest = w[i].elapsed;
    }
    if (failed || longest <= 0) {
        fprintf(stderr, "hash_rate: crypto_pwhash failed (out of memory?)\n");
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("%.1f %.2f\n", (double)total / longest, total ? 1000 * cpu / (double)total : 0);
    return 0;
}
