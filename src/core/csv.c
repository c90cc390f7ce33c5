/* CSV state machine: reads characters, splitting on commas outside quotes; each field is
 * copied NUL-terminated into one record buffer. */
#include "core/csv.h"

#include <string.h>

#include "core/banned.h"

void csv_init(struct csv_reader *r, FILE *in)
{
    memset(r, 0, sizeof *r);
    r->in = in;
    buf_init(&r->record, CSV_MAX_RECORD);
}

void csv_release(struct csv_reader *r)
{
    buf_release(&r->record);
}

static int end_field(struct csv_reader *r)
{
    if (r->count == CSV_MAX_FIELDS)
        return -1;
    buf_addc(&r->record, '\0');
    r->count++;
    if (r->count < CSV_MAX_FIELDS)
        r->offsets[r->count] = r->record.len;
    return 0;
}

int csv_next(struct csv_reader *r)
{
    buf_reset(&r->record);
    r->count = 0;
    r->offsets[0] = 0;
    int c = getc(r->in);
    if (c == EOF)
        return 0;
    r->line++;
    bool quoted = false, was_quoted = false;
    for (;; c = getc(r->in)) {
        if (quoted) {
            if (c == EOF)
                return -1;
            if (c == '"') {
                int next = getc(r->in);
                if (next == '"') {
                    buf_addc(&r->record, '"');
                    continue;
                }
                quoted = false;
                c = next;
            } else {
                if (c == '\n')
                    r->line++;
                buf_addc(&r->record, (char)c);
                continue;
            }
        }
        if (c == '"' && !was_quoted && r->count < CSV_MAX_FIELDS &&
            r->record.len == r->offsets[r->count]) {
            quoted = was_quoted = true;
        } else if (c == ',') {
            if (end_field(r) < 0)
                return -1;
            was_quoted = false;
        } else if (c == '\r') {
            continue;
        } else if (c == '\n' || c == EOF) {
            if (end_field(r) < 0)
                return -1;
            break;
        } else {
            buf_addc(&r->record, (char)c);
        }
    }
    if (buf_failed(&r->record))
        return -1;
    for (size_t i = 0; i < r->count; i++)
        r->fields[i] = r->record.data + r->offsets[i];
    return 1;
}

int csv_column(const struct csv_reader *r, const char *name)
{
    for (size_t i = 0; i < r->count; i++) {
        const char *f = r->fields[i];
        if (i == 0 && (unsigned char)f[0] == 0xEF && (unsigned char)f[1] == 0xBB &&
            (unsigned char)f[2] == 0xBF)
            f += 3; /* a byte-order mark before the first header */
        if (strcmp(f, name) == 0)
            return (int)i;
    }
    return -1;
}

/* One RFC 4180 field. A value a spreadsheet would read as a formula (=, +, -, @, tab, CR
 * first) is quoted and prefixed with an apostrophe. */
void csv_write_field(struct buf *b, const char *v, bool first)
{
    if (!first)
        buf_addc(b, ',');
    if (!v || !*v)
        return;
    bool formula = strchr("=+-@\t\r", v[0]) != NULL;
    if (!formula && !strpbrk(v, ",\"\r\n")) {
        buf_adds(b, v);
        return;
    }
    buf_addc(b, '"');
    if (formula)
        buf_addc(b, '\'');
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            buf_addc(b, '"');
        buf_addc(b, *p);
    }
    buf_addc(b, '"');
}
