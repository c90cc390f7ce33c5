/* Unit tests for core/csv, the RFC 4180 reader: plain and quoted fields, doubled quotes,
 * commas and newlines inside quotes, CRLF, a byte-order mark before the header, empty
 * fields and lines, and malformed input (unterminated quote, too many fields, too long). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/csv.h"
#include "core/banned.h"

struct fixture {
    FILE *f;
    struct csv_reader r;
};

/* A reader over `len` bytes of `text`, through a real file. */
static struct fixture *open_text(const char *text, size_t len)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    fx->f = tmpfile();
    assert_non_null(fx->f);
    if (len)
        assert_int_equal(fwrite(text, 1, len, fx->f), len);
    rewind(fx->f);
    csv_init(&fx->r, fx->f);
    return fx;
}

#define OPEN(lit) open_text(lit, sizeof(lit) - 1)

static void close_text(struct fixture *fx)
{
    csv_release(&fx->r);
    fclose(fx->f);
    free(fx);
}

/* Reads one record and checks its fields; `want` is NULL-terminated. */
static void expect_record(struct csv_reader *r, const char *const *want)
{
    assert_int_equal(csv_next(r), 1);
    size_t n = 0;
    while (want[n])
        n++;
    assert_int_equal(r->count, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(r->fields[i], want[i]);
}

#define EXPECT(r, ...) expect_record(r, (const char *const[]){__VA_ARGS__, NULL})

static void test_plain(void **state)
{
    struct fixture *fx = OPEN("id,name\n1,Phnom Penh\n2,Kampot\n");
    EXPECT(&fx->r, "id", "name");
    assert_int_equal(fx->r.line, 1);
    EXPECT(&fx->r, "1", "Phnom Penh");
    EXPECT(&fx->r, "2", "Kampot");
    assert_int_equal(fx->r.line, 3);
    assert_int_equal(csv_next(&fx->r), 0);
    assert_int_equal(csv_next(&fx->r), 0); /* and stays at the end */
    close_text(fx);
}

static void test_no_final_newline(void **state)
{
    struct fixture *fx = OPEN("a,b\nc,d");
    EXPECT(&fx->r, "a", "b");
    EXPECT(&fx->r, "c", "d");
    assert_int_equal(csv_next(&fx->r), 0);
    close_text(fx);
}

static void test_empty_input(void **state)
{
    struct fixture *fx = open_text("", 0);
    assert_int_equal(csv_next(&fx->r), 0);
    close_text(fx);
}

static void test_quoted(void **state)
{
    struct fixture *fx = OPEN("\"a\",\"b c\",d\n\"\",x\n");
    EXPECT(&fx->r, "a", "b c", "d");
    EXPECT(&fx->r, "", "x");
    assert_int_equal(csv_next(&fx->r), 0);
    close_text(fx);
}

static void test_doubled_quotes(void **state)
{
    struct fixture *fx = OPEN("\"He said \"\"hi\"\"\",x\n\"\"\"\",\"a\"\"\"\n");
    EXPECT(&fx->r, "He said \"hi\"", "x");
    EXPECT(&fx->r, "\"", "a\"");
    close_text(fx);
}

static void test_embedded_comma_newline(void **state)
{
    struct fixture *fx = OPEN("\"1, 2\",\"line1\nline2\",z\nnext,row\n");
    EXPECT(&fx->r, "1, 2", "line1\nline2", "z");
    assert_int_equal(fx->r.line, 2); /* the record spans lines 1 and 2 */
    EXPECT(&fx->r, "next", "row");
    assert_int_equal(fx->r.line, 3);
    assert_int_equal(csv_next(&fx->r), 0);
    close_text(fx);
}

static void test_crlf(void **state)
{
    struct fixture *fx = OPEN("a,b\r\n\"c\",\"d,e\"\r\nf,\r\n");
    EXPECT(&fx->r, "a", "b");
    EXPECT(&fx->r, "c", "d,e");
    EXPECT(&fx->r, "f", "");
    assert_int_equal(csv_next(&fx->r), 0);
    close_text(fx);
}

static void test_bom_header(void **state)
{
    struct fixture *fx = OPEN("\xEF\xBB\xBFid,name_km,name_en\n12,ភ្នំពេញ,Phnom Penh\n");
    assert_int_equal(csv_next(&fx->r), 1);
    assert_int_equal(csv_column(&fx->r, "id"), 0);
    assert_int_equal(csv_column(&fx->r, "name_km"), 1);
    assert_int_equal(csv_column(&fx->r, "name_en"), 2);
    assert_int_equal(csv_column(&fx->r, "missing"), -1);
    assert_int_equal(csv_column(&fx->r, ""), -1);
    EXPECT(&fx->r, "12", "ភ្នំពេញ", "Phnom Penh");
    close_text(fx);

    /* without a BOM */
    fx = OPEN("id,name\n");
    assert_int_equal(csv_next(&fx->r), 1);
    assert_int_equal(csv_column(&fx->r, "id"), 0);
    assert_int_equal(csv_column(&fx->r, "name"), 1);
    assert_int_equal(csv_column(&fx->r, "Name"), -1);
    close_text(fx);

    /* a BOM is only skipped before the first header */
    fx = OPEN("x,\xEF\xBB\xBFid\n");
    assert_int_equal(csv_next(&fx->r), 1);
    assert_int_equal(csv_column(&fx->r, "id"), -1);
    close_text(fx);
}

static void test_empty_fields(void **state)
{
    struct fixture *fx = OPEN("a,,c\n,,\n\n,x\n");
    EXPECT(&fx->r, "a", "", "c");
    EXPECT(&fx->r, "", "", "");
    EXPECT(&fx->r, ""); /* an empty line is one empty field */
    EXPECT(&fx->r, "", "x");
    assert_int_equal(csv_next(&fx->r), 0);
    close_text(fx);
}

static void test_unterminated_quote(void **state)
{
    struct fixture *fx = OPEN("\"abc,def\n");
    assert_int_equal(csv_next(&fx->r), -1);
    close_text(fx);

    fx = OPEN("ok,row\na,\"unterminated\nmore,text\n");
    EXPECT(&fx->r, "ok", "row");
    assert_int_equal(csv_next(&fx->r), -1);
    close_text(fx);
}

static void test_field_count_limit(void **state)
{
    char line[4 * CSV_MAX_FIELDS + 8];
    size_t n = 0;
    for (int i = 0; i < CSV_MAX_FIELDS; i++)
        n += (size_t)snprintf(line + n, sizeof line - n, "%s%d", i ? "," : "", i % 10);
    line[n++] = '\n';
    struct fixture *fx = open_text(line, n);
    assert_int_equal(csv_next(&fx->r), 1);
    assert_int_equal(fx->r.count, CSV_MAX_FIELDS);
    assert_string_equal(fx->r.fields[CSV_MAX_FIELDS - 1], "1");
    close_text(fx);

    /* one more field, plain or quoted, is refused */
    static const char *const extra[] = {",x\n", ",\"x\"\n", ",\n"};
    for (size_t e = 0; e < sizeof extra / sizeof extra[0]; e++) {
        char longer[sizeof line + 8];
        memcpy(longer, line, n - 1);
        size_t m =
            n - 1 + (size_t)snprintf(longer + n - 1, sizeof longer - (n - 1), "%s", extra[e]);
        fx = open_text(longer, m);
        assert_int_equal(csv_next(&fx->r), -1);
        close_text(fx);
    }
}

/* A record past CSV_MAX_RECORD is refused; the reader goes on with the next one. */
static void test_record_too_long(void **state)
{
    size_t big = CSV_MAX_RECORD + 10;
    char *text = malloc(big + 16);
    assert_non_null(text);
    memset(text, 'x', big);
    memcpy(text + big, "\nok,1\n", 6);
    struct fixture *fx = open_text(text, big + 6);
    assert_int_equal(csv_next(&fx->r), -1);
    EXPECT(&fx->r, "ok", "1");
    assert_int_equal(csv_next(&fx->r), 0);
    close_text(fx);
    free(text);
}

/* Field pointers point into one buffer that the next record reuses. */
static void test_fields_are_terminated(void **state)
{
    struct fixture *fx = OPEN("long-first-value,b\nc,d\n");
    EXPECT(&fx->r, "long-first-value", "b");
    assert_ptr_equal(fx->r.fields[0], fx->r.record.data);
    EXPECT(&fx->r, "c", "d");
    assert_int_equal(strlen(fx->r.fields[0]), 1);
    close_text(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_doubled_quotes),
        cmocka_unit_test(test_embedded_comma_newline),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_bom_header),
        cmocka_unit_test(test_empty_fields),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_field_count_limit),
        cmocka_unit_test(test_record_too_long),
        cmocka_unit_test(test_fields_are_terminated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
