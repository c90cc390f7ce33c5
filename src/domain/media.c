/* Attachment sniffing and metadata stripping (see media.h). Every reader here is bounded by
 * {data, len}: lengths read from the file are compared with what is left before use, and a
 * file that does not parse is refused, never repaired. The stripped copy is built in a
 * struct buf whose maximum is the input's length: stripping only ever removes bytes. */
#include "domain/media.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/banned.h"

#define MIME_JPEG "image/jpeg"
#define MIME_PNG  "image/png"

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool starts_with(const unsigned char *data, size_t len, const void *sig, size_t n)
{
    return len >= n && memcmp(data, sig, n) == 0;
}

static bool found(struct media_type *out, const char *mime, enum media_kind kind)
{
    out->mime = mime;
    out->kind = kind;
    return true;
}

/* ---- sniffing ---------------------------------------------------------------------- */

/* One EBML variable-length integer at data[*pos]. Element IDs keep their length marker
 * bit, sizes do not. -1 if the first byte is 0 or the integer runs past len. */
static int ebml_vint(const unsigned char *data, size_t len, size_t *pos, bool keep_marker,
                     uint64_t *value)
{
    if (*pos >= len)
        return -1;
    unsigned first = data[*pos], mask = 0x80;
    size_t width = 1;
    while (width <= 8 && !(first & mask)) {
        width++;
        mask >>= 1;
    }
    if (width > 8 || width > len - *pos)
        return -1;
    uint64_t v = keep_marker ? first : (first & (mask - 1));
    for (size_t i = 1; i < width; i++)
        v = v << 8 | data[*pos + i];
    *pos += width;
    *value = v;
    return 0;
}

/* The EBML header's DocType must be "webm" (Matroska proper is not accepted). */
static bool is_webm(const unsigned char *data, size_t len)
{
    size_t pos = 0;
    uint64_t id, size;
    if (ebml_vint(data, len, &pos, true, &id) || id != 0x1A45DFA3 ||
        ebml_vint(data, len, &pos, false, &size))
        return false;
    size_t end = size < len - pos ? pos + (size_t)size : len;
    while (pos < end) {
        if (ebml_vint(data, end, &pos, true, &id) || ebml_vint(data, end, &pos, false, &size) ||
            size > end - pos)
            return false;
        if (id == 0x4282) { /* DocType: a string, possibly NUL-padded */
            if (size < 4 || memcmp(data + pos, "webm", 4) != 0)
                return false;
            for (size_t i = 4; i < size; i++)
                if (data[pos + i] != 0)
                    return false;
            return true;
        }
        pos += (size_t)size;
    }
    return false;
}

static bool brand_is(const unsigned char *b, const char *brand)
{
    return memcmp(b, brand, 4) == 0;
}

/* ISO BMFF: the first box is 'ftyp' with a major brand, a minor version and compatible
 * brands. HEIF/AVIF stills share the container and are not audio. */
static bool is_mp4_audio(const unsigned char *data, size_t len)
{
    if (len < 16 || memcmp(data + 4, "ftyp", 4) != 0)
        return false;
    uint32_t box = be32(data);
    if (box < 16 || box > len || box % 4 != 0)
        return false;
    bool audio = false;
    for (size_t off = 8; off + 4 <= box; off += 4) {
        if (off == 12)
            continue; /* minor version, not a brand */
        const unsigned char *b = data + off;
        if (brand_is(b, "mif1") || brand_is(b, "msf1") || brand_is(b, "heic") ||
            brand_is(b, "heix") || brand_is(b, "heim") || brand_is(b, "heis") ||
            brand_is(b, "hevc") || brand_is(b, "hevx") || brand_is(b, "avif") ||
            brand_is(b, "avis") || brand_is(b, "avci"))
            return false;
        if (brand_is(b, "M4A ") || brand_is(b, "M4B ") || brand_is(b, "mp41") ||
            brand_is(b, "mp42") || brand_is(b, "isom") || brand_is(b, "iso2") ||
            memcmp(b, "3gp", 3) == 0 || memcmp(b, "3g2", 3) == 0)
            audio = true;
    }
    return audio;
}

/* ID3v2 header: "ID3", major version 2-4, revision, flags, four 7-bit size bytes. */
static bool is_id3(const unsigned char *data, size_t len)
{
    return len >= 10 && memcmp(data, "ID3", 3) == 0 && data[3] >= 2 && data[3] <= 4 &&
           data[4] != 0xFF && (data[6] | data[7] | data[8] | data[9]) < 0x80;
}

/* MPEG-1/2/2.5 audio frame header: 11 sync bits, then no reserved version, layer, bit rate
 * (free format and "bad" refused), sample rate or emphasis. Layer bits 00 is ADTS (AAC). */
static bool is_mpeg_frame(const unsigned char *data, size_t len)
{
    if (len < 4 || data[0] != 0xFF || (data[1] & 0xE0) != 0xE0)
        return false;
    unsigned version = (data[1] >> 3) & 3, layer = (data[1] >> 1) & 3;
    unsigned bitrate = data[2] >> 4, rate = (data[2] >> 2) & 3, emphasis = data[3] & 3;
    return version != 1 && layer != 0 && bitrate != 0 && bitrate != 15 && rate != 3 &&
           emphasis != 2;
}

bool media_sniff(const unsigned char *data, size_t len, struct media_type *out)
{
    out->mime = NULL;
    out->kind = MEDIA_NONE;
    if (!data)
        return false;
    if (starts_with(data, len, "\xFF\xD8\xFF", 3))
        return found(out, MIME_JPEG, MEDIA_IMAGE);
    if (starts_with(data, len, png_signature, sizeof png_signature))
        return found(out, MIME_PNG, MEDIA_IMAGE);
    if (starts_with(data, len, "%PDF-", 5))
        return found(out, "application/pdf", MEDIA_DOCUMENT);
    if (starts_with(data, len, "\x1A\x45\xDF\xA3", 4))
        return is_webm(data, len) && found(out, "audio/webm", MEDIA_AUDIO);
    if (starts_with(data, len, "OggS\0", 5)) /* then a 27-byte page header, flags 0-7 */
        return len >= 27 && data[5] <= 7 && found(out, "audio/ogg", MEDIA_AUDIO);
    if (is_mp4_audio(data, len))
        return found(out, "audio/mp4", MEDIA_AUDIO);
    if (len >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WAVE", 4) == 0)
        return found(out, "audio/wav", MEDIA_AUDIO);
    if (starts_with(data, len, "#!AMR\n", 6))
        return found(out, "audio/amr", MEDIA_AUDIO);
    if (starts_with(data, len, "#!AMR-WB\n", 9))
        return found(out, "audio/amr-wb", MEDIA_AUDIO);
    if (is_id3(data, len) || is_mpeg_frame(data, len))
        return found(out, "audio/mpeg", MEDIA_AUDIO);
    return false;
}

/* ---- JPEG -------------------------------------------------------------------------- */

enum jpeg_action { JPEG_REFUSE, JPEG_KEEP, JPEG_DROP, JPEG_APP0, JPEG_APP14, JPEG_SOF, JPEG_SOS };

/* What to do with a marker that carries a length. Standalone markers (SOI, EOI, RSTn, TEM)
 * are handled by the caller; anything not named here is refused. */
static enum jpeg_action jpeg_action_for(unsigned m)
{
    if ((m >= 0xC0 && m <= 0xCF) && m != 0xC4 && m != 0xC8 && m != 0xCC)
        return JPEG_SOF;
    switch (m) {
    case 0xC4: /* DHT */
    case 0xCC: /* DAC */
    case 0xDB: /* DQT */
    case 0xDC: /* DNL */
    case 0xDD: /* DRI */
    case 0xDE: /* DHP */
    case 0xDF: /* EXP */
        return JPEG_KEEP;
    case 0xDA:
        return JPEG_SOS;
    case 0xE0:
        return JPEG_APP0;
    case 0xEE:
        return JPEG_APP14;
    case 0xFE: /* COM */
        return JPEG_DROP;
    default:
        return m >= 0xE1 && m <= 0xEF ? JPEG_DROP : JPEG_REFUSE;
    }
}

/* Copies the entropy-coded data that follows an SOS header at data[*pos] up to the next
 * marker that is neither a stuffed 0xFF00 nor RSTn; leaves *pos on that marker's 0xFF. */
static int jpeg_copy_scan(const unsigned char *data, size_t len, size_t *pos, struct buf *b)
{
    size_t start = *pos, i = *pos;
    for (;;) {
        const unsigned char *ff = i < len ? memchr(data + i, 0xFF, len - i) : NULL;
        if (!ff)
            return -1; /* the scan runs off the end: truncated */
        i = (size_t)(ff - data);
        size_t j = i + 1;
        while (j < len && data[j] == 0xFF)
            j++;
        if (j >= len)
            return -1;
        if (data[j] == 0x00 || (data[j] >= 0xD0 && data[j] <= 0xD7)) {
            i = j + 1;
            continue;
        }
        buf_add(b, data + start, i - start);
        *pos = i;
        return 0;
    }
}

static int jpeg_strip(const unsigned char *data, size_t len, struct buf *b)
{
    if (len < 4 || data[0] != 0xFF || data[1] != 0xD8)
        return -1;
    buf_add(b, data, 2);
    size_t pos = 2;
    bool frame = false, scan = false;
    for (;;) {
        if (pos >= len || data[pos] != 0xFF)
            return -1; /* truncated, or stray bytes where a marker belongs */
        while (pos < len && data[pos] == 0xFF)
            pos++; /* fill bytes */
        if (pos >= len)
            return -1;
        unsigned m = data[pos++];
        if (m == 0xD9) { /* EOI: anything after it is dropped */
            if (!scan)
                return -1;
            buf_add(b, "\xFF\xD9", 2);
            return 0;
        }
        enum jpeg_action action = jpeg_action_for(m);
        if (action == JPEG_REFUSE) /* also SOI, RSTn, TEM and 0x00 out of place */
            return -1;
        if (len - pos < 2)
            return -1;
        size_t seglen = (size_t)data[pos] << 8 | data[pos + 1];
        if (seglen < 2 || seglen > len - pos)
            return -1;
        const unsigned char *segment = data + pos - 2; /* FF, marker, length, payload */
        const unsigned char *payload = data + pos + 2;
        size_t plen = seglen - 2;
        pos += seglen;
        switch (action) {
        case JPEG_APP0: /* JFIF: version, units, densities; the thumbnail is not kept */
            if (plen >= 14 && memcmp(payload, "JFIF\0", 5) == 0) {
                buf_add(b, "\xFF\xE0\x00\x10", 4);
                buf_add(b, payload, 12);
                buf_add(b, "\x00\x00", 2);
            }
            break;
        case JPEG_APP14: /* Adobe: version, flags0, flags1, colour transform */
            if (plen >= 12 && memcmp(payload, "Adobe", 5) == 0) {
                buf_add(b, "\xFF\xEE\x00\x0E", 4);
                buf_add(b, payload, 12);
            }
            break;
        case JPEG_SOF:
            frame = true;
            buf_add(b, segment, seglen + 2);
            break;
        case JPEG_SOS:
            if (!frame)
                return -1;
            buf_add(b, segment, seglen + 2);
            if (jpeg_copy_scan(data, len, &pos, b) != 0)
                return -1;
            scan = true;
            break;
        case JPEG_KEEP:
            buf_add(b, segment, seglen + 2);
            break;
        case JPEG_DROP:
        case JPEG_REFUSE:
            break;
        }
    }
}

/* ---- PNG --------------------------------------------------------------------------- */

static const char *const png_kept[] = {
    "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "pHYs", "bKGD",
};

static bool png_is_kept(const unsigned char *type)
{
    for (size_t i = 0; i < sizeof png_kept / sizeof png_kept[0]; i++)
        if (memcmp(type, png_kept[i], 4) == 0)
            return true;
    return false;
}

static bool png_type_valid(const unsigned char *type)
{
    for (int i = 0; i < 4; i++) {
        unsigned c = type[i] & ~0x20u; /* upper case */
        if (c < 'A' || c > 'Z')
            return false;
    }
    return true;
}

static int png_strip(const unsigned char *data, size_t len, struct buf *b)
{
    if (!starts_with(data, len, png_signature, sizeof png_signature))
        return -1;
    buf_add(b, data, sizeof png_signature);
    size_t pos = sizeof png_signature;
    bool have_ihdr = false, have_idat = false;
    for (;;) {
        if (len - pos < 12)
            return -1; /* truncated: no IEND */
        uint32_t n = be32(data + pos);
        if (n > 0x7FFFFFFFu || n > len - pos - 12)
            return -1;
        const unsigned char *type = data + pos + 4;
        if (!png_type_valid(type))
            return -1;
        uLong crc = crc32(0L, Z_NULL, 0);
        crc = crc32(crc, type, (uInt)n + 4); /* n + 4 <= MEDIA_MAX_BYTES */
        if (crc != be32(type + 4 + n))
            return -1;
        bool ihdr = memcmp(type, "IHDR", 4) == 0;
        if (ihdr != !have_ihdr || (ihdr && n != 13))
            return -1; /* IHDR first, once, 13 bytes */
        have_ihdr = true;
        if (memcmp(type, "IDAT", 4) == 0)
            have_idat = true;
        if (memcmp(type, "IEND", 4) == 0) {
            if (!have_idat || n != 0)
                return -1;
            buf_add(b, data + pos, 12);
            return 0; /* anything after IEND is dropped */
        }
        if (png_is_kept(type))
            buf_add(b, data + pos, (size_t)n + 12);
        else if (!(type[0] & 0x20))
            return -1; /* a critical chunk we do not know: a decoder would refuse it too */
        pos += (size_t)n + 12;
    }
}

/* ---- stripping --------------------------------------------------------------------- */

int media_strip(const struct media_type *type, const unsigned char *data, size_t len,
                unsigned char **out, size_t *out_len)
{
    if (!type || !type->mime || !data || len == 0 || len > MEDIA_MAX_BYTES)
        return -1;
    bool jpeg = strcmp(type->mime, MIME_JPEG) == 0;
    if (jpeg || strcmp(type->mime, MIME_PNG) == 0) {
        struct buf b;
        buf_init(&b, len);
        int rc = jpeg ? jpeg_strip(data, len, &b) : png_strip(data, len, &b);
        if (rc != 0 || buf_failed(&b)) {
            buf_release(&b);
            return -1;
        }
        *out = (unsigned char *)buf_detach(&b, out_len);
        return 0;
    }
    /* Not rewritten: copied as is, but only if the bytes are what the caller says. */
    struct media_type seen;
    if (type->kind == MEDIA_NONE || type->kind == MEDIA_IMAGE || !media_sniff(data, len, &seen) ||
        strcmp(seen.mime, type->mime) != 0)
        return -1;
    unsigned char *copy = xmalloc(len);
    memcpy(copy, data, len);
    *out = copy;
    *out_len = len;
    return 0;
}
