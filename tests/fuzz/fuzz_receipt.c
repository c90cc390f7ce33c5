/* Fuzz driver for domain/receipt: receipt_parse() over the bytes up to a NUL, into a heap
 * buffer of exactly RECEIPT_DIGITS + 1 bytes. Checked: on success the result is exactly 16
 * ASCII digits and a NUL, the input was at most RECEIPT_TEXT_MAX bytes, an independent
 * reading of receipt.h (ASCII and Khmer digits, spaces and dashes, nothing else) agrees
 * digit for digit, and formatting the result parses back to it; on failure that reading
 * refuses the text too. */
#include <stdbool.h>
#include <string.h>

#include "domain/receipt.h"
#include "fuzz.h"
#include "core/banned.h"

/* 0 and the digits, or -1: what receipt.h promises, decoded character by character. */
static int ref_parse(const char *text, char want[RECEIPT_DIGITS + 1])
{
    const unsigned char *p = (const unsigned char *)text;
    size_t len = strlen(text), n = 0;
    if (len > RECEIPT_TEXT_MAX)
        return -1;
    while (*p) {
        int digit = -1;
        if (*p >= '0' && *p <= '9') {
            digit = *p - '0';
            p += 1;
        } else if (p[0] == 0xE1 && p[1] == 0x9F && p[2] >= 0xA0 && p[2] <= 0xA9) {
            digit = p[2] - 0xA0; /* U+17E0..U+17E9, the Khmer digits */
            p += 3;
        } else if (*p == ' ' || *p == '-') {
            p += 1;
        } else {
            return -1;
        }
        if (digit >= 0) {
            if (n == RECEIPT_DIGITS)
                return -1;
            want[n++] = (char)('0' + digit);
        }
    }
    want[n] = '\0';
    return n == RECEIPT_DIGITS ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    char *digits = malloc(RECEIPT_DIGITS + 1);
    FUZZ_CHECK(text && digits);
    memcpy(text, data, size);
    text[size] = '\0';

    char want[RECEIPT_DIGITS + 1];
    int rc = receipt_parse(text, digits);
    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK(rc == ref_parse(text, want));
    if (rc == 0) {
        FUZZ_CHECK(strlen(text) <= RECEIPT_TEXT_MAX);
        for (int i = 0; i < RECEIPT_DIGITS; i++)
            FUZZ_CHECK(digits[i] >= '0' && digits[i] <= '9');
        FUZZ_CHECK(digits[RECEIPT_DIGITS] == '\0');
        FUZZ_CHECK(memcmp(digits, want, RECEIPT_DIGITS + 1) == 0);

        char shown[RECEIPT_DIGITS + 4], again[RECEIPT_DIGITS + 1];
        receipt_format(digits, shown);
        FUZZ_CHECK(strlen(shown) == RECEIPT_DIGITS + 3);
        FUZZ_CHECK(receipt_parse(shown, again) == 0);
        FUZZ_CHECK(memcmp(again, digits, RECEIPT_DIGITS + 1) == 0);
    }
    free(digits);
    free(text);
    return 0;
}
