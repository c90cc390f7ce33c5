/* Unit tests for domain/media: type sniffing from bytes and metadata stripping. Real files
 * made by ImageMagick, cjpeg and exiftool (tests/unit/fixtures/media/make-fixtures.sh)
 * carry EXIF GPS, XMP, comments and PNG text chunks; the test checks that they are gone,
 * that the rest is byte for byte what it was, and that a decoder reads the same pixels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "domain/media.h"
#include "core/banned.h"

#define FIXTURES OURVOICE_SOURCE_DIR "/tests/unit/fixtures/media/"

static const struct media_type jpeg_type = {"image/jpeg", MEDIA_IMAGE};
static const struct media_type png_type = {"image/png", MEDIA_IMAGE};

/* GPSLatitude 11/1 33/1 576/25 (11°33'23.04"), big-endian rationals, as exiftool wrote them */
static const unsigned char gps_latitude[24] = {0, 0, 0, 11, 0, 0, 0, 1,  0, 0, 0, 33,
                                               0, 0, 0, 1,  0, 0, 2, 64, 0, 0, 0, 25};

struct bytes {
    unsigned char *data;
    size_t len;
};

static struct bytes fixture(const char *name)
{
    char path[512];
    int n = snprintf(path, sizeof path, "%s%s", FIXTURES, name);
    assert_true(n > 0 && (size_t)n < sizeof path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct bytes b = {xmalloc(MEDIA_MAX_BYTES), 0};
    b.len = fread(b.data, 1, MEDIA_MAX_BYTES, f);
    fclose(f);
    assert_true(b.len > 0);
    return b;
}

static bool contains(const unsigned char *hay, size_t n, const void *needle, size_t m)
{
    return memmem(hay, n, needle, m) != NULL;
}

static bool contains_str(const unsigned char *hay, size_t n, const char *needle)
{
    return contains(hay, n, needle, strlen(needle));
}

static struct bytes strip_ok(const struct media_type *type, const unsigned char *data, size_t len)
{
    struct bytes out = {NULL, 0};
    assert_int_equal(media_strip(type, data, len, &out.data, &out.len), 0);
    assert_non_null(out.data);
    assert_true(out.len > 0);
    return out;
}

/* media_strip must refuse and leave the outputs alone. */
static void strip_refused(const struct media_type *type, const unsigned char *data, size_t len)
{
    unsigned char sentinel;
    unsigned char *out = &sentinel;
    size_t out_len = 12345;
    assert_int_equal(media_strip(type, data, len, &out, &out_len), -1);
    assert_ptr_equal(out, &sentinel);
    assert_int_equal(out_len, 12345);
}

/* ---- an independent JPEG reader for the checks ---------------------------------------- */

static bool jpeg_dropped(unsigned m)
{
    return (m >= 0xE1 && m <= 0xEF && m != 0xEE) || m == 0xFE;
}

/* Walks a well-formed JPEG without fill bytes: SOI, segments, each SOS followed by its
 * entropy-coded data, EOI as the very last two bytes. Records the markers in order. If
 * expect is given, appends every segment except APP1-13/APP15/COM to it: the input with
 * its metadata cut out, which is what media_strip must produce. */
static size_t jpeg_walk(const unsigned char *d, size_t len, unsigned char *markers, size_t max,
                        unsigned char *expect, size_t *expect_len)
{
    size_t n = 0, pos = 2, e = 0;
    assert_true(len >= 4);
    assert_int_equal(d[0], 0xFF);
    assert_int_equal(d[1], 0xD8);
    markers[n++] = 0xD8;
    if (expect) {
        memcpy(expect, d, 2);
        e = 2;
    }
    for (;;) {
        assert_true(pos + 2 <= len);
        assert_int_equal(d[pos], 0xFF);
        unsigned m = d[pos + 1];
        assert_true(n < max);
        markers[n++] = (unsigned char)m;
        if (m == 0xD9) {
            assert_int_equal(pos + 2, len); /* EOI last */
            if (expect) {
                memcpy(expect + e, d + pos, 2);
                *expect_len = e + 2;
            }
            return n;
        }
        assert_true(pos + 4 <= len);
        size_t seglen = (size_t)d[pos + 2] << 8 | d[pos + 3];
        assert_true(seglen >= 2 && pos + 2 + seglen <= len);
        size_t end = pos + 2 + seglen;
        if (m == 0xDA) /* entropy-coded data: up to a marker other than FF00 and RSTn */
            while (!(d[end] == 0xFF && d[end + 1] != 0 && (d[end + 1] < 0xD0 || d[end + 1] > 0xD7)))
                end++;
        if (expect && !jpeg_dropped(m)) {
            memcpy(expect + e, d + pos, end - pos);
            e += end - pos;
        }
        pos = end;
    }
}

static const unsigned char *jpeg_segment(const unsigned char *d, size_t len, unsigned marker)
{
    for (size_t i = 2; i + 1 < len; i++)
        if (d[i] == 0xFF && d[i + 1] == marker)
            return d + i;
    return NULL;
}

/* Checks the stripped output against the input less its metadata segments, and that what
 * identifies the citizen, the phone or the place is gone. Returns the marker count. */
static size_t check_jpeg_stripped(const char *name, unsigned char *markers, size_t max)
{
    struct bytes in = fixture(name);
    assert_true(contains_str(in.data, in.len, "Exif"));
    assert_true(contains(in.data, in.len, gps_latitude, sizeof gps_latitude));
    assert_true(contains_str(in.data, in.len, "CitizenName"));

    struct bytes out = strip_ok(&jpeg_type, in.data, in.len);
    unsigned char *expect = xmalloc(in.len);
    size_t expect_len = 0;
    unsigned char in_markers[64];
    jpeg_walk(in.data, in.len, in_markers, sizeof in_markers, expect, &expect_len);
    assert_int_equal(out.len, expect_len);
    assert_memory_equal(out.data, expect, expect_len);

    assert_int_equal(out.data[0], 0xFF);
    assert_int_equal(out.data[1], 0xD8);
    assert_int_equal(out.data[out.len - 2], 0xFF);
    assert_int_equal(out.data[out.len - 1], 0xD9);
    const char *gone[] = {"Exif",     "http://ns.adobe.com", "CitizenName", "TestPhone",
                          "SN123456", "taken at home"};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        assert_false(contains_str(out.data, out.len, gone[i]));
    assert_false(contains(out.data, out.len, gps_latitude, sizeof gps_latitude));

    size_t n = jpeg_walk(out.data, out.len, markers, max, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        assert_false(jpeg_dropped(markers[i]));
    free(expect);
    free(out.data);
    free(in.data);
    return n;
}

static size_t index_of(const unsigned char *markers, size_t n, unsigned m)
{
    for (size_t i = 0; i < n; i++)
        if (markers[i] == m)
            return i;
    return SIZE_MAX;
}

static size_t count_of(const unsigned char *markers, size_t n, unsigned m)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += markers[i] == m;
    return c;
}

/* ---- an independent PNG reader --------------------------------------------------------- */

/* Checks every CRC and records the chunk types ("IHDRgAMA..."); IEND must end the file. */
static size_t png_walk(const unsigned char *d, size_t len, char *types, size_t max)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    assert_true(len >= 8);
    assert_memory_equal(d, sig, 8);
    size_t pos = 8, n = 0;
    for (;;) {
        assert_true(pos + 12 <= len);
        size_t clen =
            (size_t)d[pos] << 24 | (size_t)d[pos + 1] << 16 | (size_t)d[pos + 2] << 8 | d[pos + 3];
        assert_true(pos + 12 + clen <= len);
        const unsigned char *c = d + pos + 8 + clen;
        uint32_t want = (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 | (uint32_t)c[2] << 8 | c[3];
        assert_int_equal(crc32(0L, d + pos + 4, (uInt)clen + 4), want);
        assert_true(n + 4 < max);
        memcpy(types + n, d + pos + 4, 4);
        n += 4;
        types[n] = '\0';
        bool iend = memcmp(d + pos + 4, "IEND", 4) == 0;
        pos += 12 + clen;
        if (iend) {
            assert_int_equal(pos, len);
            return n / 4;
        }
    }
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Appends one chunk with a correct CRC at d + *len. */
static void png_chunk(unsigned char *d, size_t *len, const char *type, const void *data, size_t n)
{
    put32(d + *len, (uint32_t)n);
    memcpy(d + *len + 4, type, 4);
    if (n)
        memcpy(d + *len + 8, data, n);
    put32(d + *len + 8 + n, (uint32_t)crc32(0L, d + *len + 4, (uInt)n + 4));
    *len += n + 12;
}

/* ---- sniffing ----------------------------------------------------------------------------- */

static void expect_sniff(const void *data, size_t len, const char *mime, enum media_kind kind)
{
    struct media_type t = {"x", MEDIA_AUDIO};
    assert_true(media_sniff(data, len, &t));
    assert_string_equal(t.mime, mime);
    assert_int_equal(t.kind, kind);
}

static void expect_no_sniff(const void *data, size_t len)
{
    struct media_type t = {"x", MEDIA_AUDIO};
    assert_false(media_sniff(data, len, &t));
    assert_null(t.mime);
    assert_int_equal(t.kind, MEDIA_NONE);
}

static void test_sniff_images_and_pdf(void **state)
{
    (void)state;
    expect_sniff("\xFF\xD8\xFF\xE0", 4, "image/jpeg", MEDIA_IMAGE);
    expect_sniff("\xFF\xD8\xFF", 3, "image/jpeg", MEDIA_IMAGE);
    expect_sniff("\x89PNG\r\n\x1A\n", 8, "image/png", MEDIA_IMAGE);
    expect_sniff("%PDF-1.7\n", 9, "application/pdf", MEDIA_DOCUMENT);
}

static void test_sniff_audio(void **state)
{
    (void)state;
    /* EBML header: EBMLVersion 1, DocType "webm" */
    static const unsigned char webm[] = {0x1A, 0x45, 0xDF, 0xA3, 0x8B, 0x42, 0x86, 0x81,
                                         0x01, 0x42, 0x82, 0x84, 'w',  'e',  'b',  'm'};
    expect_sniff(webm, sizeof webm, "audio/webm", MEDIA_AUDIO);
    unsigned char ogg[27] = "OggS\0\x02";
    expect_sniff(ogg, sizeof ogg, "audio/ogg", MEDIA_AUDIO);
    static const unsigned char m4a[24] = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'M', '4', 'A', ' ',
                                          0, 0, 2, 0,  'M', '4', 'A', ' ', 'i', 's', 'o', 'm'};
    expect_sniff(m4a, sizeof m4a, "audio/mp4", MEDIA_AUDIO);
    static const unsigned char gp3[20] = {0,   0,   0, 20, 'f', 't', 'y', 'p', '3', 'g',
                                          'p', '4', 0, 0,  0,   0,   '3', 'g', 'p', '4'};
    expect_sniff(gp3, sizeof gp3, "audio/mp4", MEDIA_AUDIO);
    static const unsigned char mp42[20] = {0,   0,   0, 20, 'f', 't', 'y', 'p', 'm', 'p',
                                           '4', '2', 0, 0,  0,   0,   'i', 's', 'o', 'm'};
    expect_sniff(mp42, sizeof mp42, "audio/mp4", MEDIA_AUDIO);
    expect_sniff("ID3\x04\x00\x00\x00\x00\x01\x7F", 10, "audio/mpeg", MEDIA_AUDIO);
    expect_sniff("\xFF\xFB\x90\x64", 4, "audio/mpeg", MEDIA_AUDIO); /* MPEG-1 layer III */
    expect_sniff("\xFF\xF3\x48\xC4", 4, "audio/mpeg", MEDIA_AUDIO); /* MPEG-2 layer III */
    expect_sniff("RIFF\x24\x08\x00\x00WAVEfmt ", 16, "audio/wav", MEDIA_AUDIO);
    expect_sniff("#!AMR\n\x3C", 7, "audio/amr", MEDIA_AUDIO);
    expect_sniff("#!AMR-WB\n", 9, "audio/amr-wb", MEDIA_AUDIO);
}

static void test_sniff_png_named_jpeg_is_png(void **state)
{
    (void)state;
    /* A PNG uploaded as photo.jpg with Content-Type image/jpeg: the bytes decide. */
    struct bytes png = fixture("text-exif.png");
    struct media_type t;
    assert_true(media_sniff(png.data, png.len, &t));
    assert_string_equal(t.mime, "image/png");
    assert_int_equal(t.kind, MEDIA_IMAGE);
    strip_refused(&jpeg_type, png.data, png.len); /* and the JPEG stripper will not take it */
    free(png.data);

    struct bytes jpg = fixture("photo-gps.jpg");
    assert_true(media_sniff(jpg.data, jpg.len, &t));
    assert_string_equal(t.mime, "image/jpeg");
    strip_refused(&png_type, jpg.data, jpg.len);
    free(jpg.data);
}

static void test_sniff_rejects(void **state)
{
    (void)state;
    expect_no_sniff("", 0);
    expect_no_sniff(NULL, 0);
    expect_no_sniff("hello, world: not a file type at all", 36);
    expect_no_sniff("<html><body>", 12);
    expect_no_sniff("\xFF\xD8", 2);        /* truncated JPEG signature */
    expect_no_sniff("\x89PNG\r\n\x1A", 7); /* truncated PNG signature */
    expect_no_sniff("%PDF", 4);
    expect_no_sniff("RIFF\x24\x08\x00\x00"
                    "AVI ",
                    12); /* RIFF but video */
    expect_no_sniff("#!AMX\n", 6);
    expect_no_sniff("\xFF\xF1\x50\x80", 4);                 /* AAC ADTS: layer bits 00 */
    expect_no_sniff("\xFF\xFF\xFF\xFF", 4);                 /* sync with reserved fields */
    expect_no_sniff("\xFF\xFB\xF0\x64", 4);                 /* bit rate index 15 */
    expect_no_sniff("ID3\x04\x00\x00\x80\x00\x00\x00", 10); /* size byte not 7-bit */
    unsigned char ogg[26] = "OggS\0\x02";                   /* shorter than a page header */
    expect_no_sniff(ogg, sizeof ogg);
    /* EBML but Matroska, and EBML whose DocType runs past the end */
    static const unsigned char mkv[] = {0x1A, 0x45, 0xDF, 0xA3, 0x8F, 0x42, 0x82, 0x88,
                                        'm',  'a',  't',  'r',  'o',  's',  'k',  'a'};
    expect_no_sniff(mkv, sizeof mkv);
    static const unsigned char ebml_short[] = {0x1A, 0x45, 0xDF, 0xA3, 0x87,
                                               0x42, 0x82, 0x84, 'w',  'e'};
    expect_no_sniff(ebml_short, sizeof ebml_short);
    static const unsigned char ebml_zero[] = {0x1A, 0x45, 0xDF, 0xA3, 0x00, 0x00};
    expect_no_sniff(ebml_zero, sizeof ebml_zero);
    /* HEIC photo: ISO BMFF, but a still-image brand */
    static const unsigned char heic[24] = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c',
                                           0, 0, 0, 0,  'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'};
    expect_no_sniff(heic, sizeof heic);
    /* ftyp box longer than the data, and QuickTime */
    static const unsigned char ftyp_long[16] = {0,   0,   1,   0,   'f', 't', 'y', 'p',
                                                'M', '4', 'A', ' ', 0,   0,   0,   0};
    expect_no_sniff(ftyp_long, sizeof ftyp_long);
    static const unsigned char mov[16] = {0,   0,   0,   16,  'f', 't', 'y', 'p',
                                          'q', 't', ' ', ' ', 0,   0,   0,   0};
    expect_no_sniff(mov, sizeof mov);
}

/* ---- JPEG --------------------------------------------------------------------------------- */

static void test_strip_jpeg_exif_gps(void **state)
{
    (void)state;
    unsigned char m[64];
    size_t n = check_jpeg_stripped("photo-gps.jpg", m, sizeof m);
    /* SOI APP0 DQT DQT SOF0 DHT×4 SOS EOI */
    static const unsigned char want[] = {0xD8, 0xE0, 0xDB, 0xDB, 0xC0, 0xC4,
                                         0xC4, 0xC4, 0xC4, 0xDA, 0xD9};
    assert_int_equal(n, sizeof want);
    assert_memory_equal(m, want, sizeof want);

    /* the SOF0 and SOS segments are there unchanged */
    struct bytes in = fixture("photo-gps.jpg");
    struct bytes out = strip_ok(&jpeg_type, in.data, in.len);
    const unsigned char *sof = jpeg_segment(in.data, in.len, 0xC0);
    assert_non_null(sof);
    assert_true(contains(out.data, out.len, sof, 2 + ((size_t)sof[2] << 8 | sof[3])));
    const unsigned char *sos = jpeg_segment(in.data, in.len, 0xDA);
    assert_non_null(sos);
    size_t tail = in.len - (size_t)(sos - in.data); /* SOS, the scan and EOI */
    assert_memory_equal(out.data + out.len - tail, sos, tail);

    /* stripping is idempotent */
    struct bytes again = strip_ok(&jpeg_type, out.data, out.len);
    assert_int_equal(again.len, out.len);
    assert_memory_equal(again.data, out.data, out.len);
    free(again.data);
    free(out.data);
    free(in.data);
}

static void test_strip_jpeg_progressive_restart(void **state)
{
    (void)state;
    unsigned char m[64];
    size_t n = check_jpeg_stripped("progressive-gps.jpg", m, sizeof m);
    assert_int_equal(m[0], 0xD8);
    assert_int_equal(m[n - 1], 0xD9);
    assert_int_equal(count_of(m, n, 0xC2), 1);  /* progressive SOF2 */
    assert_int_equal(count_of(m, n, 0xDA), 10); /* every scan kept */
    assert_true(count_of(m, n, 0xDD) >= 1);     /* DRI */
    assert_true(index_of(m, n, 0xDB) < index_of(m, n, 0xC2));
    assert_true(index_of(m, n, 0xC2) < index_of(m, n, 0xDA));

    struct bytes in = fixture("progressive-gps.jpg");
    struct bytes out = strip_ok(&jpeg_type, in.data, in.len);
    size_t rst = 0; /* restart markers inside the scans survive */
    for (size_t i = 0; i + 1 < out.len; i++)
        rst += out.data[i] == 0xFF && out.data[i + 1] >= 0xD0 && out.data[i + 1] <= 0xD7;
    assert_true(rst > 0);
    free(out.data);
    free(in.data);
}

static void test_strip_jpeg_cmyk_keeps_adobe(void **state)
{
    (void)state;
    unsigned char m[64];
    size_t n = check_jpeg_stripped("cmyk-adobe.jpg", m, sizeof m);
    assert_int_equal(m[1], 0xEE); /* APP14 Adobe right after SOI; there is no JFIF */
    assert_int_equal(count_of(m, n, 0xE0), 0);
    assert_int_equal(count_of(m, n, 0xC0), 1);
    assert_int_equal(m[n - 2], 0xDA);
}

/* Appends bytes to a scratch JPEG. */
static void add(unsigned char *d, size_t *len, const void *src, size_t n)
{
    memcpy(d + *len, src, n);
    *len += n;
}

/* The photo with fill bytes before markers, APP2 (ICC), APP13 (IPTC), APP15 and a second
 * COM put in, and data after EOI: the result must be what the plain photo gives. */
static void test_strip_jpeg_fill_bytes_and_more_metadata(void **state)
{
    (void)state;
    struct bytes in = fixture("photo-gps.jpg");
    struct bytes plain = strip_ok(&jpeg_type, in.data, in.len);
    unsigned char *d = xmalloc(in.len + 256);
    size_t len = 0, pos = 2;
    add(d, &len, in.data, 2);
    add(d, &len, "\xFF\xFF\xFF\xE2\x00\x0EICC_PROFILE\x00", 18);
    add(d, &len, "\xFF\xED\x00\x0APhotosh", 12);
    add(d, &len,
        "\xFF\xEF\x00\x05"
        "ab\x01",
        7);
    add(d, &len, "\xFF\xFE\x00\x0Cgps 11.55", 14);
    while (pos < in.len) { /* copy the rest, with two fill bytes before each segment */
        assert_int_equal(in.data[pos], 0xFF);
        unsigned mk = in.data[pos + 1];
        size_t end =
            mk == 0xD9 ? pos + 2 : pos + 2 + ((size_t)in.data[pos + 2] << 8 | in.data[pos + 3]);
        if (mk == 0xDA) {
            const unsigned char *eoi = jpeg_segment(in.data + end, in.len - end, 0xD9);
            assert_non_null(eoi);
            end = (size_t)(eoi - in.data);
        }
        add(d, &len, "\xFF\xFF", 2);
        add(d, &len, in.data + pos, end - pos);
        pos = end;
    }
    add(d, &len, "trailer: lat 11.5564", 20);

    struct bytes out = strip_ok(&jpeg_type, d, len);
    assert_int_equal(out.len, plain.len);
    assert_memory_equal(out.data, plain.data, plain.len);
    assert_false(contains_str(out.data, out.len, "ICC_PROFILE"));
    assert_false(contains_str(out.data, out.len, "Photosh"));
    assert_false(contains_str(out.data, out.len, "trailer"));
    free(out.data);
    free(d);
    free(plain.data);
    free(in.data);
}

/* A hand-made stream: stuffed bytes, restart markers and fill bytes inside the scan are
 * entropy-coded data and stay exactly as they were. */
static void test_strip_jpeg_scan_bytes_verbatim(void **state)
{
    (void)state;
    static const unsigned char head[] = {
        0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x04, 0x00, 0x01,                               /* SOI, DQT */
        0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00, /* SOF0 */
        0xFF, 0xC4, 0x00, 0x04, 0x00, 0x00,                                           /* DHT */
        0xFF, 0xDD, 0x00, 0x04, 0x00, 0x01,                                           /* DRI */
        0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00,                   /* SOS */
    };
    static const unsigned char scan[] = {0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56,
                                         0xFF, 0xFF, 0xD1, 0x78, 0xFF, 0x00};
    unsigned char d[128];
    size_t len = 0;
    add(d, &len, head, sizeof head);
    add(d, &len, scan, sizeof scan);
    add(d, &len, "\xFF\xFF\xFF\xD9", 4);
    struct bytes out = strip_ok(&jpeg_type, d, len);
    assert_int_equal(out.len, sizeof head + sizeof scan + 2);
    assert_memory_equal(out.data, head, sizeof head);
    assert_memory_equal(out.data + sizeof head, scan, sizeof scan);
    assert_memory_equal(out.data + out.len - 2, "\xFF\xD9", 2);
    free(out.data);
}

static size_t scratch_jpeg(unsigned char *d, const void *app0, size_t app0_len)
{
    size_t len = 0;
    add(d, &len, "\xFF\xD8", 2);
    add(d, &len, app0, app0_len);
    add(d, &len, "\xFF\xC0\x00\x0B\x08\x00\x01\x00\x01\x01\x01\x11\x00", 13);
    add(d, &len, "\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00\x55\xFF\xD9", 13);
    return len;
}

static void test_strip_jpeg_jfif_thumbnail_and_jfxx(void **state)
{
    (void)state;
    unsigned char d[128];
    /* JFIF with a 1x1 RGB thumbnail: kept, rewritten without the thumbnail */
    size_t len = scratch_jpeg(d,
                              "\xFF\xE0\x00\x13JFIF\x00\x01\x02\x01\x00\x48\x00\x48\x01\x01"
                              "\xAA\xBB\xCC",
                              21);
    struct bytes out = strip_ok(&jpeg_type, d, len);
    assert_int_equal(out.len, len - 3);
    assert_memory_equal(out.data,
                        "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x02\x01\x00\x48\x00\x48\x00\x00", 20);
    assert_false(contains(out.data, out.len, "\xAA\xBB\xCC", 3));
    free(out.data);
    /* JFXX (an extension holding only a thumbnail) and a short JFIF: dropped */
    len = scratch_jpeg(d, "\xFF\xE0\x00\x0AJFXX\x00\x10\xAA\xBB", 12);
    out = strip_ok(&jpeg_type, d, len);
    assert_int_equal(out.len, len - 12);
    assert_int_equal(out.data[3], 0xC0);
    free(out.data);
    len = scratch_jpeg(d, "\xFF\xE0\x00\x08JFIF\x00\x01", 10);
    out = strip_ok(&jpeg_type, d, len);
    assert_int_equal(out.len, len - 10);
    free(out.data);
    /* APP14 that is not Adobe: dropped */
    len = scratch_jpeg(d, "\xFF\xEE\x00\x0EOther\x00\x64\x00\x00\x00\x00\x01", 16);
    out = strip_ok(&jpeg_type, d, len);
    assert_int_equal(out.len, len - 16);
    free(out.data);
}

static void test_strip_jpeg_rejects(void **state)
{
    (void)state;
    struct bytes in = fixture("photo-gps.jpg");
    unsigned char *d = xmalloc(in.len + 16);

    /* APP1's length says more than the file has */
    memcpy(d, in.data, in.len);
    const unsigned char *app1 = jpeg_segment(in.data, in.len, 0xE1);
    assert_non_null(app1);
    size_t at = (size_t)(app1 - in.data);
    d[at + 2] = 0xFF;
    d[at + 3] = 0xFF;
    strip_refused(&jpeg_type, d, in.len);
    strip_refused(&jpeg_type, d, at + 200);
    /* segment lengths 0 and 1 */
    d[at + 2] = 0x00;
    d[at + 3] = 0x01;
    strip_refused(&jpeg_type, d, in.len);
    d[at + 3] = 0x00;
    strip_refused(&jpeg_type, d, in.len);
    /* cut: after SOI, inside a segment header, inside the scan, just before EOI */
    memcpy(d, in.data, in.len);
    strip_refused(&jpeg_type, d, 2);
    strip_refused(&jpeg_type, d, 3);
    strip_refused(&jpeg_type, d, at + 3);
    strip_refused(&jpeg_type, d, in.len - 10);
    strip_refused(&jpeg_type, d, in.len - 2);
    strip_refused(&jpeg_type, d, in.len - 1);
    /* stray byte where a marker belongs */
    memcpy(d, in.data, 2);
    d[2] = 0x00;
    memcpy(d + 3, in.data + 2, in.len - 2);
    strip_refused(&jpeg_type, d, in.len + 1);
    /* EOI with no image, SOS before SOF, JPEG-LS, a second SOI, an RST outside a scan */
    strip_refused(&jpeg_type, (const unsigned char *)"\xFF\xD8\xFF\xD9", 4);
    strip_refused(
        &jpeg_type,
        (const unsigned char *)"\xFF\xD8\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00\x55\xFF\xD9", 15);
    strip_refused(&jpeg_type, (const unsigned char *)"\xFF\xD8\xFF\xF7\x00\x04\x00\x00\xFF\xD9",
                  10);
    strip_refused(&jpeg_type, (const unsigned char *)"\xFF\xD8\xFF\xD8\xFF\xD9", 6);
    strip_refused(&jpeg_type, (const unsigned char *)"\xFF\xD8\xFF\xD0\xFF\xD9", 6);
    strip_refused(&jpeg_type, (const unsigned char *)"\xFF\xD8\xFF\xFF\xFF", 5);
    /* not a JPEG at all */
    strip_refused(&jpeg_type, (const unsigned char *)"garbage garbage", 15);
    strip_refused(&jpeg_type, (const unsigned char *)"", 0);
    strip_refused(&jpeg_type, NULL, 0);
    free(d);
    free(in.data);
}

/* ---- PNG ---------------------------------------------------------------------------------- */

static void test_strip_png_text_and_exif(void **state)
{
    (void)state;
    struct bytes in = fixture("text-exif.png");
    char types[128];
    png_walk(in.data, in.len, types, sizeof types);
    const char *meta[] = {"tEXt", "zTXt", "iTXt", "eXIf", "tIME", "prVt"};
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++)
        assert_non_null(strstr(types, meta[i]));
    assert_true(contains(in.data, in.len, gps_latitude, sizeof gps_latitude));

    struct bytes out = strip_ok(&png_type, in.data, in.len);
    size_t n = png_walk(out.data, out.len, types, sizeof types); /* every CRC checked */
    assert_int_equal(n, 7);
    assert_string_equal(types, "IHDRgAMAcHRMbKGDIDATIDATIEND");
    const char *gone[] = {"tEXt", "zTXt",        "iTXt",        "eXIf",      "tIME",
                          "prVt", "SecretTitle", "CitizenName", "TestPhone", "SN123456"};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        assert_false(contains_str(out.data, out.len, gone[i]));
    assert_false(contains(out.data, out.len, gps_latitude, sizeof gps_latitude));
    /* the image data is unchanged: same two IDAT chunks, byte for byte, at the end */
    const unsigned char *idat = memmem(in.data, in.len, "IDAT", 4);
    assert_non_null(idat);
    size_t tail = in.len - (size_t)(idat - 4 - in.data);
    assert_memory_equal(out.data + out.len - tail, idat - 4, tail);
    free(out.data);
    free(in.data);
}

static void test_strip_png_keeps_safe_chunks(void **state)
{
    (void)state;
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    static const unsigned char ihdr[13] = {0, 0, 0, 1, 0, 0, 0, 1, 8, 3, 0, 0, 0};
    unsigned char pixels[2] = {0, 0}, z[64];
    uLongf zlen = sizeof z;
    assert_int_equal(compress(z, &zlen, pixels, sizeof pixels), Z_OK);
    unsigned char d[512];
    size_t len = 0;
    add(d, &len, sig, 8);
    png_chunk(d, &len, "IHDR", ihdr, 13);
    png_chunk(d, &len, "sRGB", "\x00", 1);
    png_chunk(d, &len, "iCCP", "icc\0\0x", 6);
    png_chunk(d, &len, "sBIT", "\x08\x08\x08", 3);
    png_chunk(d, &len, "PLTE", "\xFF\x00\x00", 3);
    png_chunk(d, &len, "tRNS", "\x80", 1);
    png_chunk(d, &len, "pHYs", "\0\0\x0B\x13\0\0\x0B\x13\x01", 9);
    png_chunk(d, &len, "acTL", "\0\0\0\x01\0\0\0\0", 8); /* APNG: ancillary, dropped */
    png_chunk(d, &len, "IDAT", z, zlen);
    png_chunk(d, &len, "IEND", NULL, 0);
    size_t end = len;
    add(d, &len, "after IEND", 10);
    struct bytes out = strip_ok(&png_type, d, len);
    char types[128];
    png_walk(out.data, out.len, types, sizeof types);
    assert_string_equal(types, "IHDRsRGBiCCPsBITPLTEtRNSpHYsIDATIEND");
    assert_int_equal(out.len, end - 20);
    free(out.data);
}

static void test_strip_png_rejects(void **state)
{
    (void)state;
    struct bytes in = fixture("text-exif.png");
    unsigned char *d = xmalloc(in.len + 64);
    const unsigned char *idat = memmem(in.data, in.len, "IDAT", 4);
    assert_non_null(idat);
    size_t at = (size_t)(idat - in.data); /* the type field of the first IDAT */

    memcpy(d, in.data, in.len);
    d[at + 10] ^= 0x01; /* a data byte: the CRC no longer matches */
    strip_refused(&png_type, d, in.len);
    memcpy(d, in.data, in.len);
    d[in.len - 1] ^= 0x80; /* IEND's CRC */
    strip_refused(&png_type, d, in.len);
    memcpy(d, in.data, in.len);
    d[at - 4] = 0x7F; /* IDAT length far past the end */
    strip_refused(&png_type, d, in.len);
    d[at - 4] = 0xFF; /* and above 2^31 - 1 */
    strip_refused(&png_type, d, in.len);
    memcpy(d, in.data, in.len);
    d[0] = 0x88; /* signature */
    strip_refused(&png_type, d, in.len);
    strip_refused(&png_type, in.data, in.len - 12); /* no IEND */
    strip_refused(&png_type, in.data, at + 20);     /* cut inside IDAT */
    strip_refused(&png_type, in.data, 8);
    strip_refused(&png_type, in.data, 7);

    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    static const unsigned char ihdr[13] = {0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0};
    size_t len = 0; /* IHDR not first */
    add(d, &len, sig, 8);
    png_chunk(d, &len, "gAMA", "\0\0\xB1\x8F", 4);
    png_chunk(d, &len, "IHDR", ihdr, 13);
    png_chunk(d, &len, "IDAT", "x", 1);
    png_chunk(d, &len, "IEND", NULL, 0);
    strip_refused(&png_type, d, len);
    len = 0; /* an unknown critical chunk */
    add(d, &len, sig, 8);
    png_chunk(d, &len, "IHDR", ihdr, 13);
    png_chunk(d, &len, "ABCD", "x", 1);
    png_chunk(d, &len, "IDAT", "x", 1);
    png_chunk(d, &len, "IEND", NULL, 0);
    strip_refused(&png_type, d, len);
    len = 0; /* no IDAT */
    add(d, &len, sig, 8);
    png_chunk(d, &len, "IHDR", ihdr, 13);
    png_chunk(d, &len, "IEND", NULL, 0);
    strip_refused(&png_type, d, len);
    len = 0; /* a chunk type that is not letters */
    add(d, &len, sig, 8);
    png_chunk(d, &len, "IHDR", ihdr, 13);
    png_chunk(d, &len, "te#t", "x", 1);
    png_chunk(d, &len, "IDAT", "x", 1);
    png_chunk(d, &len, "IEND", NULL, 0);
    strip_refused(&png_type, d, len);
    len = 0; /* two IHDRs */
    add(d, &len, sig, 8);
    png_chunk(d, &len, "IHDR", ihdr, 13);
    png_chunk(d, &len, "IHDR", ihdr, 13);
    png_chunk(d, &len, "IDAT", "x", 1);
    png_chunk(d, &len, "IEND", NULL, 0);
    strip_refused(&png_type, d, len);
    free(d);
    free(in.data);
}

/* ---- other types ------------------------------------------------------------------------ */

static void test_strip_copies_pdf_and_audio(void **state)
{
    (void)state;
    static const char pdf[] = "%PDF-1.4\n1 0 obj << /Author (Someone) >> endobj\n%%EOF\n";
    struct media_type t;
    assert_true(media_sniff((const unsigned char *)pdf, sizeof pdf - 1, &t));
    struct bytes out = strip_ok(&t, (const unsigned char *)pdf, sizeof pdf - 1);
    assert_int_equal(out.len, sizeof pdf - 1);
    assert_memory_equal(out.data, pdf, sizeof pdf - 1);
    free(out.data);

    unsigned char ogg[40] = "OggS\0\x02";
    assert_true(media_sniff(ogg, sizeof ogg, &t));
    out = strip_ok(&t, ogg, sizeof ogg);
    assert_int_equal(out.len, sizeof ogg);
    assert_memory_equal(out.data, ogg, sizeof ogg);
    free(out.data);
}

static void test_strip_refuses_mismatch_and_limits(void **state)
{
    (void)state;
    struct bytes jpg = fixture("photo-gps.jpg");
    static const struct media_type pdf = {"application/pdf", MEDIA_DOCUMENT};
    static const struct media_type mp3 = {"audio/mpeg", MEDIA_AUDIO};
    static const struct media_type gif = {"image/gif", MEDIA_IMAGE};
    static const struct media_type none = {"application/octet-stream", MEDIA_NONE};
    static const struct media_type nomime = {NULL, MEDIA_DOCUMENT};
    /* a photo passed off as a document or a recording is not copied with its EXIF */
    strip_refused(&pdf, jpg.data, jpg.len);
    strip_refused(&mp3, jpg.data, jpg.len);
    strip_refused(&gif, (const unsigned char *)"GIF89a\x01\x00\x01\x00", 10);
    strip_refused(&none, jpg.data, jpg.len);
    strip_refused(&nomime, jpg.data, jpg.len);
    strip_refused(NULL, jpg.data, jpg.len);
    free(jpg.data);

    /* one byte over the limit, even if well-formed */
    unsigned char *big = xcalloc(1, MEDIA_MAX_BYTES + 1);
    memcpy(big, "%PDF-1.4\n", 9);
    static const struct media_type pdf_type = {"application/pdf", MEDIA_DOCUMENT};
    strip_refused(&pdf_type, big, MEDIA_MAX_BYTES + 1);
    struct bytes ok = strip_ok(&pdf_type, big, MEDIA_MAX_BYTES);
    assert_int_equal(ok.len, MEDIA_MAX_BYTES);
    free(ok.data);
    free(big);
}

/* ---- a real decoder ------------------------------------------------------------------ */

static const char *python_with_pil(void)
{
    static const char *const candidates[] = {"python3", "/usr/bin/python3"};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "%s -c 'import PIL.Image' >/dev/null 2>&1", candidates[i]);
        if (system(cmd) == 0)
            return candidates[i];
    }
    return NULL;
}

static void write_temp(char *path, const unsigned char *data, size_t len)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
}

/* Pillow decodes the original and the stripped file to the same pixels, and finds no EXIF
 * or text in the stripped one. Skipped where python3 has no Pillow (the structural checks
 * above still run everywhere). */
static void test_decoder_reads_stripped_output(void **state)
{
    (void)state;
    const char *python = python_with_pil();
    if (!python)
        skip();
    static const char script[] =
        "import sys\n"
        "from PIL import Image\n"
        "a = Image.open(sys.argv[1]); a.load()\n"
        "b = Image.open(sys.argv[2]); b.load()\n"
        "same = a.format == b.format and a.mode == b.mode and a.size == b.size\n"
        "same = same and a.tobytes() == b.tobytes()\n"
        "clean = not any(k in b.info for k in ('exif', 'comment', 'xmp', 'XML:com.adobe.xmp'))\n"
        "clean = clean and not getattr(b, 'text', {})\n"
        "sys.exit(0 if same and clean and 'exif' in a.info else 1)\n";
    char spath[] = "/tmp/test_media_pyXXXXXX";
    write_temp(spath, (const unsigned char *)script, sizeof script - 1);
    const char *files[] = {"photo-gps.jpg", "progressive-gps.jpg", "cmyk-adobe.jpg",
                           "text-exif.png"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct bytes in = fixture(files[i]);
        struct media_type t;
        assert_true(media_sniff(in.data, in.len, &t));
        struct bytes out = strip_ok(&t, in.data, in.len);
        char a[] = "/tmp/test_media_inXXXXXX", b[] = "/tmp/test_media_outXXXXXX";
        write_temp(a, in.data, in.len);
        write_temp(b, out.data, out.len);
        char cmd[256];
        int n = snprintf(cmd, sizeof cmd, "%s %s %s %s", python, spath, a, b);
        assert_true(n > 0 && (size_t)n < sizeof cmd);
        int rc = system(cmd);
        unlink(a);
        unlink(b);
        free(out.data);
        free(in.data);
        if (rc != 0)
            print_error("decoder check failed for %s\n", files[i]);
        assert_int_equal(rc, 0);
    }
    unlink(spath);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff_images_and_pdf),
        cmocka_unit_test(test_sniff_audio),
        cmocka_unit_test(test_sniff_png_named_jpeg_is_png),
        cmocka_unit_test(test_sniff_rejects),
        cmocka_unit_test(test_strip_jpeg_exif_gps),
        cmocka_unit_test(test_strip_jpeg_progressive_restart),
        cmocka_unit_test(test_strip_jpeg_cmyk_keeps_adobe),
        cmocka_unit_test(test_strip_jpeg_fill_bytes_and_more_metadata),
        cmocka_unit_test(test_strip_jpeg_scan_bytes_verbatim),
        cmocka_unit_test(test_strip_jpeg_jfif_thumbnail_and_jfxx),
        cmocka_unit_test(test_strip_jpeg_rejects),
        cmocka_unit_test(test_strip_png_text_and_exif),
        cmocka_unit_test(test_strip_png_keeps_safe_chunks),
        cmocka_unit_test(test_strip_png_rejects),
        cmocka_unit_test(test_strip_copies_pdf_and_audio),
        cmocka_unit_test(test_strip_refuses_mismatch_and_limits),
        cmocka_unit_test(test_decoder_reads_stripped_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
