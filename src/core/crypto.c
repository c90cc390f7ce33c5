/* Crypto primitives over libsodium and the key file (see crypto.h). Key file format: one
 * `name=hex` per line. Keys are kept in sodium_malloc'd memory and wiped on release. */
#include "core/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

struct keys {
    unsigned char pepper[crypto_generichash_KEYBYTES];
    unsigned char salt[crypto_pwhash_SALTBYTES];
    unsigned char box_public[crypto_box_PUBLICKEYBYTES];
    unsigned char box_secret[crypto_box_SECRETKEYBYTES];
    unsigned char token_key[crypto_generichash_KEYBYTES];
};

static struct keys *keys;

int crypto_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

bool crypto_keys_loaded(void)
{
    return keys != NULL;
}

void crypto_keys_release(void)
{
    if (keys) {
        sodium_free(keys);
        keys = NULL;
    }
}

static const struct {
    const char *name;
    size_t offset, size;
} fields[] = {
    {"receipt_pepper", offsetof(struct keys, pepper), sizeof(((struct keys *)0)->pepper)},
    {"receipt_salt", offsetof(struct keys, salt), sizeof(((struct keys *)0)->salt)},
    {"box_public", offsetof(struct keys, box_public), sizeof(((struct keys *)0)->box_public)},
    {"box_secret", offsetof(struct keys, box_secret), sizeof(((struct keys *)0)->box_secret)},
    {"token_key", offsetof(struct keys, token_key), sizeof(((struct keys *)0)->token_key)},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

static int write_new(const char *path, const char **err)
{
    struct keys *k = sodium_malloc(sizeof *k);
    if (!k) {
        *err = "out of memory";
        return -1;
    }
    randombytes_buf(k->pepper, sizeof k->pepper);
    randombytes_buf(k->salt, sizeof k->salt);
    randombytes_buf(k->token_key, sizeof k->token_key);
    crypto_box_keypair(k->box_public, k->box_secret);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        sodium_free(k);
        *err = "cannot create the key file";
        return -1;
    }
    FILE *out = fdopen(fd, "w");
    fputs("# Our Voice keys: keep this file secret, outside the database, and backed up.\n"
          "# Losing it makes every stored receipt and contact unreadable.\n",
          out);
    for (size_t i = 0; i < NFIELDS; i++) {
        char hex[2 * crypto_box_SECRETKEYBYTES + 1];
        sodium_bin2hex(hex, sizeof hex, (unsigned char *)k + fields[i].offset, fields[i].size);
        fprintf(out, "%s=%s\n", fields[i].name, hex);
        sodium_memzero(hex, sizeof hex);
    }
    sodium_free(k);
    if (fclose(out) != 0) {
        *err = "cannot write the key file";
        return -1;
    }
    return 0;
}

static int parse_line(struct keys *k, char *line, unsigned *seen)
{
    char *eq = strchr(line, '=');
    if (line[0] == '#' || !eq)
        return 0;
    *eq = '\0';
    char *value = eq + 1;
    value[strcspn(value, "\r\n")] = '\0';
    for (size_t i = 0; i < NFIELDS; i++) {
        if (strcmp(line, fields[i].name) != 0)
            continue;
        size_t got = 0;
        if (sodium_hex2bin((unsigned char *)k + fields[i].offset, fields[i].size, value,
                           strlen(value), NULL, &got, NULL) != 0 ||
            got != fields[i].size)
            return -1;
        *seen |= 1u << i;
    }
    return 0;
}

int crypto_keys_load(const char *path, bool create, const char **err)
{
    if (!path) {
        *err = "no key file path: give --keys or OURVOICE_KEYS (required with a PostgreSQL URL)";
        return -1;
    }
    if (create && access(path, F_OK) != 0 && write_new(path, err) < 0)
        return -1;
    FILE *in = fopen(path, "r");
    if (!in) {
        *err = "cannot read the key file (see --keys)";
        return -1;
    }
    struct stat st;
    if (fstat(fileno(in), &st) == 0 && (st.st_mode & 077))
        fprintf(stderr, "ourvoice: warning: the key file is readable by others; chmod 600 it\n");
    struct keys *k = sodium_malloc(sizeof *k);
    char *line = sodium_malloc(512);
    unsigned seen = 0;
    int rc = k && line ? 0 : -1;
    while (rc == 0 && fgets(line, 512, in))
        rc = parse_line(k, line, &seen);
    fclose(in);
    if (line)
        sodium_free(line);
    if (rc < 0 || seen != (1u << NFIELDS) - 1) {
        if (k)
            sodium_free(k);
        *err = "the key file is incomplete or damaged";
        return -1;
    }
    crypto_keys_release();
    keys = k;
    return 0;
}

int crypto_password_hash(const char *password, char out[CRYPTO_PASSWORD_HASH_LEN])
{
    return crypto_pwhash_str(out, password, strlen(password), CRYPTO_ARGON2_OPS,
                             CRYPTO_ARGON2_MEM) == 0
               ? 0
               : -1;
}

bool crypto_password_verify(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int crypto_receipt_hash(const char *digits, size_t len, unsigned char out[CRYPTO_HASH_BYTES])
{
    unsigned char keyed[crypto_generichash_BYTES];
    crypto_generichash(keyed, sizeof keyed, (const unsigned char *)digits, len, keys->pepper,
                       sizeof keys->pepper);
    int rc = crypto_pwhash(out, CRYPTO_HASH_BYTES, (const char *)keyed, sizeof keyed, keys->salt,
                           CRYPTO_ARGON2_OPS, CRYPTO_ARGON2_MEM, crypto_pwhash_ALG_ARGON2ID13);
    sodium_memzero(keyed, sizeof keyed);
    return rc == 0 ? 0 : -1;
}

void crypto_token_hash(const char *token, unsigned char out[CRYPTO_HASH_BYTES])
{
    crypto_generichash(out, CRYPTO_HASH_BYTES, (const unsigned char *)token, strlen(token),
                       keys->token_key, sizeof keys->token_key);
}

void crypto_mac(const void *data, size_t len, unsigned char out[CRYPTO_HASH_BYTES])
{
    /* a different personalisation of the same key: prefix a domain byte */
    crypto_generichash_state st;
    static const unsigned char domain = 0x4d;
    crypto_generichash_init(&st, keys->token_key, sizeof keys->token_key, CRYPTO_HASH_BYTES);
    crypto_generichash_update(&st, &domain, 1);
    crypto_generichash_update(&st, data, len);
    crypto_generichash_final(&st, out, CRYPTO_HASH_BYTES);
}

unsigned char *crypto_seal(struct arena *a, const void *plain, size_t len, size_t *out_len)
{
    *out_len = len + crypto_box_SEALBYTES;
    unsigned char *out = arena_alloc(a, *out_len);
    crypto_box_seal(out, plain, len, keys->box_public);
    return out;
}

char *crypto_unseal(struct arena *a, const unsigned char *sealed, size_t len)
{
    if (!sealed || len < crypto_box_SEALBYTES)
        return NULL;
    size_t plain_len = len - crypto_box_SEALBYTES;
    char *out = arena_alloc(a, plain_len + 1);
    if (crypto_box_seal_open((unsigned char *)out, sealed, len, keys->box_public,
                             keys->box_secret) != 0)
        return NULL;
    out[plain_len] = '\0';
    return out;
}
