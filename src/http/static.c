/* Static file table (see static.h). */
#include "http/static.h"

#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/gzip.h"
#include "core/limits.h"
#include "http/reply.h"
#include "core/banned.h"

struct file {
    char *url;
    const char *type;
    unsigned char *data, *gz;
    size_t len, gz_len;
    char etag[24], etag_gz[28];
    char *csp; /* an HTML page's own Content-Security-Policy (its inline blocks), or NULL */
};

struct static_site {
    struct file *files;
    size_t count, cap, total;
};

static const struct {
    const char *ext, *type;
    int compress;
} types[] = {
    {".html", "text/html; charset=utf-8", 1},
    {".js", "text/javascript; charset=utf-8", 1},
    {".mjs", "text/javascript; charset=utf-8", 1},
    {".css", "text/css; charset=utf-8", 1},
    {".json", "application/json; charset=utf-8", 1},
    {".webmanifest", "application/manifest+json; charset=utf-8", 1},
    {".svg", "image/svg+xml", 1},
    {".geojson", "application/geo+json", 1},
    {".txt", "text/plain; charset=utf-8", 1},
    {".csv", "text/csv; charset=utf-8", 1},
    {".png", "image/png", 0},
    {".jpg", "image/jpeg", 0},
    {".ico", "image/x-icon", 1},
    {".woff2", "font/woff2", 0},
    {".pdf", "application/pdf", 0},
};

static const char *type_of(const char *name, int *compress)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0) {
            *compress = types[i].compress;
            return types[i].type;
        }
    *compress = 0;
    return "application/octet-stream";
}

static void gzip(struct file *f)
{
    if (!gzip_bytes(f->data, f->len, 9, &f->gz, &f->gz_len))
        f->gz = NULL;
}

/* Whether p (at most end) starts with s, ignoring ASCII case. */
static bool starts_ci(const char *p, const char *end, const char *s)
{
    for (; *s; p++, s++) {
        char c = p < end ? *p : '\0';
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != *s)
            return false;
    }
    return true;
}

/* Whether p starts the tag <name followed by '>', '/' or a space. */
static bool opens_tag(const char *p, const char *end, const char *name)
{
    size_t n = strlen(name);
    if (!starts_ci(p, end, "<") || !starts_ci(p + 1, end, name) || p + 1 + n >= end)
        return false;
    char c = p[1 + n];
    return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Adds "'sha256-BASE64'" of the text [p, end) to the list in b, with its line ends as the
 * browser's parser hands them to the policy check (CR LF and CR become LF). */
static void add_hash(struct buf *b, const char *p, const char *end)
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    for (const char *run = p; p <= end; p++) {
        if (p < end && *p != '\r')
            continue;
        crypto_hash_sha256_update(&st, (const unsigned char *)run, (unsigned long long)(p - run));
        if (p < end && !(p + 1 < end && p[1] == '\n'))
            crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
        run = p + 1;
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, digest);
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
    buf_addf(b, "%s'sha256-%s'", b->len ? " " : "", b64);
}

/* A page's inline <script> and <style> blocks (the citizen app's first screen comes whole
 * in its index.html, so that a slow phone needs no second round trip to show it) are
 * allowed by the SHA-256 of their exact text in the page's own policy; nothing else inline
 * is, and never 'unsafe-inline'. *csp is NULL when the page has none: the default policy
 * applies. -1 when the page has more blocks than a policy can name. */
static int page_csp(const unsigned char *data, size_t len, char **csp)
{
    const char *p = (const char *)data, *end = p + len;
    struct buf scripts, styles;
    buf_init(&scripts, 16 * 1024);
    buf_init(&styles, 16 * 1024);
    while (p < end && (p = memchr(p, '<', (size_t)(end - p)))) {
        bool script = opens_tag(p, end, "script");
        if (!script && !opens_tag(p, end, "style")) {
            p++;
            continue;
        }
        const char *body = memchr(p, '>', (size_t)(end - p));
        if (!body)
            break;
        bool external = false; /* <script src=...>: allowed as 'self', not by a hash */
        for (const char *a = p; script && a < body; a++)
            if ((*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r') &&
                starts_ci(a + 1, body, "src="))
                external = true;
        const char *close = ++body;
        const char *closing = script ? "</script" : "</style";
        while (close < end && !starts_ci(close, end, closing))
            close++;
        if (close >= end)
            break;
        if (!external)
            add_hash(script ? &scripts : &styles, body, close);
        p = close;
    }
    int rc = buf_failed(&scripts) || buf_failed(&styles) ? -1 : 0;
    *csp = rc == 0 && (scripts.len || styles.len)
               ? reply_csp_with(buf_cstr(&scripts), buf_cstr(&styles))
               : NULL;
    buf_release(&scripts);
    buf_release(&styles);
    return rc;
}

static int add_file(struct static_site *site, const char *path, const char *url, const char **err)
{
    FILE *in = fopen(path, "rb");
    if (!in) {
        *err = "cannot read a file of the web folder";
        return -1;
    }
    struct stat st;
    if (fstat(fileno(in), &st) < 0 || st.st_size > LIMIT_STATIC_FILE_BYTES ||
        site->total + (size_t)st.st_size > LIMIT_STATIC_TOTAL_BYTES ||
        site->count >= LIMIT_STATIC_FILES) {
        fclose(in);
        *err = "the web folder is larger than the static file limits";
        return -1;
    }
    if (site->count == site->cap) {
        site->cap = site->cap ? site->cap * 2 : 64;
        site->files = xrealloc(site->files, site->cap * sizeof *site->files);
    }
    struct file *f = &site->files[site->count];
    memset(f, 0, sizeof *f);
    f->len = (size_t)st.st_size;
    f->data = xmalloc(f->len ? f->len : 1);
    if (fread(f->data, 1, f->len, in) != f->len) {
        fclose(in);
        free(f->data);
        *err = "cannot read a file of the web folder";
        return -1;
    }
    fclose(in);
    f->url = xstrdup(url);
    int compress;
    f->type = type_of(url, &compress);
    unsigned char hash[8];
    crypto_generichash(hash, sizeof hash, f->data, f->len, NULL, 0);
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    snprintf(f->etag, sizeof f->etag, "\"%s\"", hex);
    snprintf(f->etag_gz, sizeof f->etag_gz, "\"%s-gz\"", hex);
    if (compress && f->len > 256)
        gzip(f);
    if (strncmp(f->type, "text/html;", 10) == 0 && page_csp(f->data, f->len, &f->csp) < 0) {
        free(f->data);
        free(f->gz);
        free(f->url);
        *err = "an HTML page of the web folder has too many inline blocks for its policy";
        return -1;
    }
    site->total += f->len;
    site->count++;
    return 0;
}

/* Walks dir, adding each regular file at url_prefix + its relative path. */
static int walk(struct static_site *site, const char *dir, const char *url_prefix, int depth,
                const char **err)
{
    if (depth > 8)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0; /* an app folder that does not exist yet serves nothing */
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue; /* dotfiles, "." and ".." */
        struct buf path, url;
        buf_init(&path, 4096);
        buf_init(&url, 1024);
        buf_addf(&path, "%s/%s", dir, e->d_name);
        buf_addf(&url, "%s%s", url_prefix, e->d_name);
        struct stat st;
        if (buf_failed(&path) || buf_failed(&url) || stat(buf_cstr(&path), &st) < 0) {
            /* skip what cannot be named or read */
        } else if (S_ISDIR(st.st_mode)) {
            buf_addc(&url, '/');
            rc = walk(site, buf_cstr(&path), buf_cstr(&url), depth + 1, err);
        } else if (S_ISREG(st.st_mode)) {
            rc = add_file(site, buf_cstr(&path), buf_cstr(&url), err);
        }
        buf_release(&path);
        buf_release(&url);
    }
    closedir(d);
    return rc;
}

static int by_url(const void *a, const void *b)
{
    return strcmp(((const struct file *)a)->url, ((const struct file *)b)->url);
}

/* The dashboard's maps: the boundaries have one copy in the tree, data/geo; the two the
 * dashboard draws join the table (same limits, same gzip copies), nothing else of data/. */
static int add_maps(struct static_site *site, const char *data_dir, const char **err)
{
    static const char *const maps[] = {"provinces.geojson", "districts_2014.geojson"};
    for (size_t i = 0; data_dir && i < sizeof maps / sizeof *maps; i++) {
        struct buf path, url;
        buf_init(&path, 4096);
        buf_init(&url, 256);
        buf_addf(&path, "%s/geo/%s", data_dir, maps[i]);
        buf_addf(&url, "/dashboard/geo/%s", maps[i]);
        int rc = buf_failed(&path) || access(buf_cstr(&path), R_OK) < 0
                     ? 0 /* a data folder without maps: the dashboard draws tables only */
                     : add_file(site, buf_cstr(&path), buf_cstr(&url), err);
        buf_release(&path);
        buf_release(&url);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int static_load(const char *web_dir, const char *data_dir, struct static_site **out,
                const char **err)
{
    struct static_site *site = xcalloc(1, sizeof *site);
    static const char *const apps[][2] = {{"citizen", "/"},
                                          {"staff", "/staff/"},
                                          {"dashboard", "/dashboard/"},
                                          {"common", "/common/"}};
    for (size_t i = 0; i < sizeof apps / sizeof apps[0]; i++) {
        struct buf dir;
        buf_init(&dir, 4096);
        buf_addf(&dir, "%s/%s", web_dir, apps[i][0]);
        int rc = walk(site, buf_cstr(&dir), apps[i][1], 0, err);
        buf_release(&dir);
        if (rc < 0) {
            static_free(site);
            return -1;
        }
    }
    if (add_maps(site, data_dir, err) < 0) {
        static_free(site);
        return -1;
    }
    qsort(site->files, site->count, sizeof *site->files, by_url);
    *out = site;
    return 0;
}

void static_free(struct static_site *site)
{
    if (!site)
        return;
    for (size_t i = 0; i < site->count; i++) {
        free(site->files[i].url);
        free(site->files[i].data);
        free(site->files[i].gz);
        free(site->files[i].csp);
    }
    free(site->files);
    free(site);
}

size_t static_count(const struct static_site *site)
{
    return site->count;
}

static const struct file *lookup(const struct static_site *site, const char *url)
{
    struct file key = {.url = (char *)url};
    return bsearch(&key, site->files, site->count, sizeof key, by_url);
}

static bool etag_matches(const char *header, const char *etag)
{
    if (!header)
        return false;
    if (strcmp(header, "*") == 0)
        return true;
    return strstr(header, etag) != NULL;
}

void static_serve(const struct static_site *site, struct request *r)
{
    struct buf url;
    buf_init(&url, LIMIT_URL_BYTES + 16);
    buf_adds(&url, r->path);
    size_t len = url.len;
    if (len && url.data[len - 1] == '/')
        buf_adds(&url, "index.html");
    const struct file *f = buf_failed(&url) ? NULL : lookup(site, buf_cstr(&url));
    if (!f && len && url.data[len - 1] != '/') {
        buf_adds(&url, "/index.html");
        const struct file *index = buf_failed(&url) ? NULL : lookup(site, buf_cstr(&url));
        buf_release(&url);
        if (index) { /* a folder named without its slash */
            char *location = arena_printf(r->arena, "%s/", r->path);
            reply_header(r, "Location", location);
            reply_send(r, 301, NULL, NULL, 0);
        } else {
            reply_error(r, ERR_NOT_FOUND, NULL);
        }
        return;
    }
    buf_release(&url);
    if (!f) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    bool gz = f->gz && req_accepts_gzip(r);
    const char *etag = gz ? f->etag_gz : f->etag;
    reply_header(r, "ETag", etag);
    reply_header(r, "Cache-Control", "no-cache");
    if (f->csp)
        reply_header(r, "Content-Security-Policy", f->csp);
    if (f->gz)
        reply_header(r, "Vary", "Accept-Encoding");
    if (etag_matches(req_header(r, "If-None-Match"), etag)) {
        reply_send(r, 304, NULL, NULL, 0);
        return;
    }
    if (gz)
        reply_header(r, "Content-Encoding", "gzip");
    reply_send(r, 200, f->type, gz ? f->gz : f->data, gz ? f->gz_len : f->len);
}
