/* Receipt generation and parsing (see receipt.h). */
#include "domain/receipt.h"

#include <sodium.h>
#include <string.h>

#include "core/banned.h"

void receipt_new(char digits[RECEIPT_DIGITS + 1])
{
    for (int i = 0; i < RECEIPT_DIGITS; i++)
        digits[i] = (char)('0' + randombytes_uniform(10));
    digits[RECEIPT_DIGITS] = '\0';
}

void receipt_format(const char digits[RECEIPT_DIGITS + 1], char out[RECEIPT_DIGITS + 4])
{
    size_t o = 0;
    for (int i = 0; i < RECEIPT_DIGITS; i++) {
        if (i && i % 4 == 0)
            out[o++] = '-';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

int receipt_parse(const char *text, char digits[RECEIPT_DIGITS + 1])
{
    const unsigned char *p = (const unsigned char *)text;
    size_t n = 0, len = strnlen(text, RECEIPT_TEXT_MAX + 1);
    if (len > RECEIPT_TEXT_MAX)
        return -1;
    for (size_t i = 0; i < len;) {
        if (p[i] >= '0' && p[i] <= '9') {
            if (n == RECEIPT_DIGITS)
                return -1;
            digits[n++] = (char)p[i++];
        } else if (p[i] == ' ' || p[i] == '-') {
            i++;
        } else if (i + 2 < len && p[i] == 0xE1 && p[i + 1] == 0x9F && p[i + 2] >= 0xA0 &&
                   p[i + 2] <= 0xA9) { /* Khmer digits U+17E0..U+17E9 */
            if (n == RECEIPT_DIGITS)
                return -1;
            digits[n++] = (char)('0' + (p[i + 2] - 0xA0));
            i += 3;
        } else {
            return -1;
        }
    }
    digits[n] = '\0';
    return n == RECEIPT_DIGITS ? 0 : -1;
}
