/* A QR code as a small SVG document, for showing a TOTP enrolment URI once. The symbol is
 * computed by libqrencode (error correction level M); the SVG is drawn here: one <rect>
 * per horizontal run of dark modules on a white background with the 4-module quiet zone,
 * no style attribute or element (the CSP forbids inline styles), no script. */
#ifndef OURVOICE_QRSVG_H
#define OURVOICE_QRSVG_H

#include "core/arena.h"

#define QRSVG_TEXT_MAX 1024 /* bytes of text a code may carry */

/* The SVG text (NUL-terminated, in the arena), or NULL if text is empty, longer than
 * QRSVG_TEXT_MAX or cannot be encoded. The text may hold a secret: the result must be
 * shown once and never logged. */
char *qrsvg_render(struct arena *a, const char *text);

#endif
