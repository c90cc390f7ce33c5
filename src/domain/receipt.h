/* Receipts: the 16-digit secret a citizen gets once and follows a case with. Shown in
 * groups of four; accepted with or without spaces and dashes, in ASCII or Khmer digits. */
#ifndef OURVOICE_RECEIPT_H
#define OURVOICE_RECEIPT_H

#include <stddef.h>

#define RECEIPT_DIGITS   16
#define RECEIPT_TEXT_MAX 64 /* what a client may send */

void receipt_new(char digits[RECEIPT_DIGITS + 1]);
/* "1234-5678-9012-3456" */
void receipt_format(const char digits[RECEIPT_DIGITS + 1], char out[RECEIPT_DIGITS + 4]);
/* 0 and the 16 ASCII digits, or -1 if text is not a receipt. */
int receipt_parse(const char *text, char digits[RECEIPT_DIGITS + 1]);

#endif
