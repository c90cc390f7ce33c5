/* Unit tests for core/qrsvg: the SVG redrawn into a module grid equals libqrencode's symbol
 * (quiet zone included), the document has no style, script or link, and empty or too long
 * text gives NULL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <qrencode.h>

#include "core/arena.h"
#include "core/qrsvg.h"
#include "core/banned.h"

static const char uri[] = "otpauth://totp/Our%20Voice:officer.120101?secret=JBSWY3DPEHPK3PXP"
                          "&issuer=Our%20Voice&algorithm=SHA1&digits=6&period=30";

/* Fills grid (size × size) from the SVG's dark <rect>s; returns the number of rects. */
static int redraw(const char *svg, int size, unsigned char *grid)
{
    int rects = 0;
    const char *p = svg;
    while ((p = strstr(p, "<rect x=\"")) != NULL) {
        int x, y, w, h;
        assert_int_equal(
            sscanf(p, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"", &x, &y, &w, &h), 4);
        assert_int_equal(h, 1);
        assert_true(x >= 0 && y >= 0 && w > 0 && x + w <= size && y < size);
        assert_non_null(strstr(p, "fill=\"#000000\"/>"));
        for (int i = 0; i < w; i++) {
            assert_int_equal(grid[y * size + x + i], 0); /* runs never overlap */
            grid[y * size + x + i] = 1;
        }
        rects++;
        p++;
    }
    return rects;
}

static void test_modules_match_the_symbol(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    const char *svg = qrsvg_render(a, uri);
    assert_non_null(svg);
    QRcode *qr = QRcode_encodeString(uri, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    assert_non_null(qr);
    int size = qr->width + 8;
    char head[200];
    snprintf(head, sizeof head, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\"",
             size, size);
    assert_memory_equal(svg, head, strlen(head));
    assert_true(strlen(svg) > 6 && strcmp(svg + strlen(svg) - 6, "</svg>") == 0);
    unsigned char *grid = calloc((size_t)size * (size_t)size, 1);
    assert_true(redraw(svg, size, grid) > 0);
    for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++) {
            bool inside = x >= 4 && y >= 4 && x < size - 4 && y < size - 4;
            int want = inside ? qr->data[(y - 4) * qr->width + (x - 4)] & 1 : 0;
            assert_int_equal(grid[y * size + x], want);
        }
    free(grid);
    QRcode_free(qr);
    arena_free(a);
}

static void test_no_style_script_or_link(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    const char *svg = qrsvg_render(a, uri);
    assert_null(strstr(svg, "style"));
    assert_null(strstr(svg, "script"));
    assert_null(strstr(svg, "href"));
    assert_null(strstr(svg, " on"));
    arena_free(a);
}

static void test_bad_text_gives_null(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    assert_null(qrsvg_render(a, NULL));
    assert_null(qrsvg_render(a, ""));
    char *long_text = arena_alloc(a, QRSVG_TEXT_MAX + 2);
    memset(long_text, 'a', QRSVG_TEXT_MAX + 1);
    long_text[QRSVG_TEXT_MAX + 1] = '\0';
    assert_null(qrsvg_render(a, long_text));
    long_text[QRSVG_TEXT_MAX] = '\0';
    assert_non_null(qrsvg_render(a, long_text));
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modules_match_the_symbol),
        cmocka_unit_test(test_no_style_script_or_link),
        cmocka_unit_test(test_bad_text_gives_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
