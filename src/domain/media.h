/* Attachments (DESIGN: "photos and documents lose their metadata"): media_sniff names a
 * file's type from its bytes alone, never from its name or a client's Content-Type;
 * media_strip writes a copy of a JPEG or PNG without EXIF, XMP, comments, text chunks or
 * anything it does not know to be picture data. Both read only inside {data, len}, never
 * assert on what a client sent, and keep nothing: the caller owns input and output. */
#ifndef OURVOICE_MEDIA_H
#define OURVOICE_MEDIA_H

#include <stdbool.h>
#include <stddef.h>

#define MEDIA_MAX_BYTES (5 * 1024 * 1024) /* one attachment; media_strip refuses more */

enum media_kind { MEDIA_NONE, MEDIA_IMAGE, MEDIA_DOCUMENT, MEDIA_AUDIO };

/* mime points to a static string; compare it with strcmp. */
struct media_type {
    const char *mime;
    enum media_kind kind;
};

/* Recognises the type from the leading bytes:
 *   image/jpeg       FF D8 FF
 *   image/png        the 8-byte PNG signature
 *   application/pdf  "%PDF-"
 *   audio/webm       EBML header (1A 45 DF A3) whose DocType element is "webm"
 *   audio/ogg        "OggS" with stream version 0
 *   audio/mp4        an ISO BMFF 'ftyp' box naming an audio-capable brand (M4A , M4B ,
 *                    mp41, mp42, isom, iso2, 3gp*, 3g2*) and no still-image brand (HEIF/AVIF)
 *   audio/mpeg       an ID3v2 tag, or an MPEG audio frame header with valid version, layer,
 *                    bit rate and sample rate fields (ADTS/AAC is not accepted)
 *   audio/wav        "RIFF" size "WAVE"
 *   audio/amr        "#!AMR\n";  audio/amr-wb: "#!AMR-WB\n"
 * A WebM, Ogg or MP4 holding video also sniffs as audio: the container is not parsed
 * further. Returns false (and sets *out to {NULL, MEDIA_NONE}) if none matches, data is
 * NULL or len is too short for the signature. A PNG that the client called photo.jpg
 * sniffs as image/png: the caller compares the result with what it was told. */
bool media_sniff(const unsigned char *data, size_t len, struct media_type *out);

/* Writes a copy without metadata into *out (malloc'd here, the caller frees it) and its
 * length into *out_len. Returns 0, or -1 — with nothing allocated and *out, *out_len
 * untouched — if the file is malformed, is not of the given type, or len > MEDIA_MAX_BYTES.
 *
 * image/jpeg: keeps SOI; APP0 only if JFIF, rewritten without its thumbnail; APP14 only if
 *   Adobe (its 12 standard bytes: needed for CMYK/YCCK colour); DQT, DHT, DAC, SOFn, DRI,
 *   DNL, DHP, EXP and each SOS with its entropy-coded data (restart markers included);
 *   EOI. Drops APP1 (EXIF, XMP), APP2-APP13 (ICC, IPTC/Photoshop…), APP15, COM, fill
 *   bytes and everything after EOI. Refuses a segment length that is < 2 or runs past the
 *   end, a missing EOI, an SOS before any SOFn, no SOS at all, stray bytes between
 *   segments, and any other marker (JPEG-LS, reserved): deny by default.
 * image/png: checks the signature, every chunk's length and CRC, that IHDR comes first and
 *   that there is an IDAT and an IEND. Keeps IHDR, PLTE, IDAT, IEND, tRNS, gAMA, cHRM,
 *   sRGB, iCCP, sBIT, pHYs and bKGD byte for byte; drops tEXt, zTXt, iTXt, eXIf, tIME, any
 *   other ancillary chunk (APNG frames included: the default image stays) and everything
 *   after IEND. Refuses an unknown critical chunk.
 * application/pdf and audio types: NOT rewritten — copied unchanged (a PDF's Info dictionary
 *   and XMP, an MP3's ID3 tag, an MP4's udta stay). They are still refused unless
 *   media_sniff finds the same type in data. Any other image type is refused. */
int media_strip(const struct media_type *type, const unsigned char *data, size_t len,
                unsigned char **out, size_t *out_len);

#endif
