/* RFC 4180 CSV reader for the data files: quoted fields, doubled quotes, CRLF or LF.
 * Field pointers returned by csv_next() stay valid until the next call. */
#ifndef OURVOICE_CSV_H
#define OURVOICE_CSV_H

#include <stdbool.h>
#include <stdio.h>

#include "core/buf.h"

#define CSV_MAX_FIELDS 32
#define CSV_MAX_RECORD 65536

struct csv_reader {
    FILE *in;
    struct buf record;
    size_t offsets[CSV_MAX_FIELDS];
    const char *fields[CSV_MAX_FIELDS];
    size_t count;
    long line;
};

void csv_init(struct csv_reader *r, FILE *in);
void csv_release(struct csv_reader *r);

/* 1: a record is in r->fields[0..r->count); 0: end of input; -1: malformed or too long. */
int csv_next(struct csv_reader *r);

/* Index of the header field named `name`, or -1. Call right after reading the header. */
int csv_column(const struct csv_reader *r, const char *name);

/* Appends one RFC 4180 field (a comma first unless `first`). A value a spreadsheet would
 * read as a formula (=, +, -, @, tab, CR first) is quoted and prefixed with an apostrophe. */
void csv_write_field(struct buf *b, const char *v, bool first);

#endif
