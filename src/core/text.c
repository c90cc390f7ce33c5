/* UTF-8 and folding. The fold is deliberately small: it covers the Latin letters that occur
 * in Cambodian romanisation (é in Kratié and Takéo, etc.) and the invisible characters that
 * Khmer text often carries. */
#include "core/text.h"

#include <stdint.h>
#include <string.h>

#include "core/banned.h"

/* Decodes one code point; returns its length or 0 if malformed. */
static size_t decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t n;
    uint32_t min;
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2, min = 0x80, *cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3, min = 0x800, *cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4, min = 0x10000, *cp = s[0] & 0x07;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return n;
}

bool text_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = decode(p + i, len - i, &cp);
        if (!n)
            return false;
        i += n;
    }
    return true;
}

static char latin_base(uint32_t cp)
{
    static const struct {
        uint32_t from, to;
        char base;
    } map[] = {
        {0xC0, 0xC5, 'a'},   {0xE0, 0xE5, 'a'},   {0xC7, 0xC7, 'c'},   {0xE7, 0xE7, 'c'},
        {0xC8, 0xCB, 'e'},   {0xE8, 0xEB, 'e'},   {0xCC, 0xCF, 'i'},   {0xEC, 0xEF, 'i'},
        {0xD1, 0xD1, 'n'},   {0xF1, 0xF1, 'n'},   {0xD2, 0xD6, 'o'},   {0xF2, 0xF6, 'o'},
        {0xD9, 0xDC, 'u'},   {0xF9, 0xFC, 'u'},   {0xDD, 0xDD, 'y'},   {0xFD, 0xFD, 'y'},
        {0xFF, 0xFF, 'y'},   {0x100, 0x105, 'a'}, {0x112, 0x11B, 'e'}, {0x14C, 0x151, 'o'},
        {0x16A, 0x173, 'u'}, {0x1CD, 0x1CE, 'a'}, {0x1D3, 0x1D4, 'u'},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (cp >= map[i].from && cp <= map[i].to)
            return map[i].base;
    return 0;
}

static bool invisible(uint32_t cp)
{
    return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF || cp == 0x00AD;
}

void text_fold(const char *s, struct buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    bool space = true; /* drop leading spaces */
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = decode(p + i, len - i, &cp);
        if (!n) { /* not UTF-8: copy the byte, the caller validated earlier */
            buf_addc(out, (char)p[i++]);
            continue;
        }
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0) {
            if (!space)
                buf_addc(out, ' ');
            space = true;
        } else if (invisible(cp)) {
            /* nothing */
        } else if (cp < 0x80) {
            buf_addc(out, (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
            space = false;
        } else if (latin_base(cp)) {
            buf_addc(out, latin_base(cp));
            space = false;
        } else {
            buf_add(out, p + i, n);
            space = false;
        }
        i += n;
    }
    if (out->len && out->data[out->len - 1] == ' ')
        out->data[--out->len] = '\0';
}

void text_like_escape(const char *s, struct buf *out)
{
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            buf_addc(out, '\\');
        buf_addc(out, *s);
    }
}

bool text_is_digits(const char *s, size_t max)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (s[n] < '0' || s[n] > '9' || n >= max)
            return false;
    return n > 0;
}

char *text_prefix_end(struct arena *a, const char *prefix)
{
    char *end = arena_strdup(a, prefix);
    size_t n = strlen(end);
    while (n && (unsigned char)end[n - 1] == 0xff)
        end[--n] = '\0';
    if (n)
        end[n - 1]++;
    return end;
}
