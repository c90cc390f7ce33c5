/* QR code to SVG (see qrsvg.h). */
#include "core/qrsvg.h"

#include <qrencode.h>
#include <sodium.h>
#include <string.h>

#include "core/buf.h"
#include "core/banned.h"

#define QUIET_ZONE    4
#define MODULE_PX     4 /* the default rendered size: 4 px per module */
#define SVG_MAX_BYTES (256 * 1024)

char *qrsvg_render(struct arena *a, const char *text)
{
    size_t len = text ? strnlen(text, QRSVG_TEXT_MAX + 1) : 0;
    if (len == 0 || len > QRSVG_TEXT_MAX)
        return NULL;
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr)
        return NULL;
    int width = qr->width, size = width + 2 * QUIET_ZONE;
    struct buf b;
    buf_init(&b, SVG_MAX_BYTES);
    buf_addf(&b,
             "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\""
             " height=\"%d\" shape-rendering=\"crispEdges\">"
             "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>",
             size, size, size * MODULE_PX, size * MODULE_PX, size, size);
    for (int y = 0; y < width; y++) {
        const unsigned char *row = qr->data + (size_t)y * (size_t)width;
        for (int x = 0; x < width;) {
            if (!(row[x] & 1)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < width && (row[x + run] & 1))
                run++;
            buf_addf(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"1\" fill=\"#000000\"/>",
                     x + QUIET_ZONE, y + QUIET_ZONE, run);
            x += run;
        }
    }
    buf_adds(&b, "</svg>");
    sodium_memzero(qr->data, (size_t)width * (size_t)width);
    QRcode_free(qr);
    char *out = buf_failed(&b) ? NULL : arena_strndup(a, buf_cstr(&b), b.len);
    if (b.data)
        sodium_memzero(b.data, b.cap); /* the modules spell the secret */
    buf_release(&b);
    return out;
}
