/* Unit tests for core/jsonf: the declared-field parser (every field type, its limits, and
 * errors that name the field), the depth scan, and the guarded body loader (malformed JSON,
 * invalid UTF-8, too deep, non-object roots, duplicate keys, NUL in strings). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/jsonf.h"
#include "core/limits.h"
#include "core/banned.h"

struct form {
    const char *name;
    const char *kind;
    long long count;
    bool urgent;
    const json_t *where;
    const json_t *photos;
    const char *note;
};

static const char *const kinds[] = {"complaint", "suggestion", NULL};

static const struct jf_field fields[] = {
    {.name = "name",
     .type = JF_STRING,
     .required = true,
     .max_len = 10,
     .offset = offsetof(struct form, name)},
    {.name = "kind",
     .type = JF_ENUM,
     .required = true,
     .allowed = kinds,
     .offset = offsetof(struct form, kind)},
    {.name = "count", .type = JF_INT, .min = 1, .max = 5, .offset = offsetof(struct form, count)},
    {.name = "urgent", .type = JF_BOOL, .offset = offsetof(struct form, urgent)},
    {.name = "where", .type = JF_OBJECT, .offset = offsetof(struct form, where)},
    {.name = "photos", .type = JF_ARRAY, .max = 3, .offset = offsetof(struct form, photos)},
    {.name = "note", .type = JF_STRING, .nullable = true, .offset = offsetof(struct form, note)},
};

#define NFIELDS (sizeof fields / sizeof fields[0])

static const char sentinel_text[] = "sentinel";
static const json_t *const sentinel_json = (const json_t *)sentinel_text;

/* A form whose every member holds a recognisable non-zero value. */
static struct form dirty_form(void)
{
    struct form f = {sentinel_text, sentinel_text, -7,           true,
                     sentinel_json, sentinel_json, sentinel_text};
    return f;
}

/* Parses `text` (which must be valid JSON) against the fields; the document is kept in *doc
 * for the caller to release, since strings in the form point into it. */
static int parse(const char *text, struct form *f, struct jf_error *err, json_t **doc)
{
    json_error_t jerr;
    *doc = json_loads(text, 0, &jerr);
    assert_non_null(*doc);
    err->code = err->field = NULL;
    return jf_parse(*doc, fields, NFIELDS, f, err);
}

/* Expects jf_parse to fail with `code` naming `field`. */
static void parse_fails(const char *text, const char *code, const char *field)
{
    struct form f = dirty_form();
    struct jf_error err;
    json_t *doc;
    assert_int_equal(parse(text, &f, &err, &doc), -1);
    assert_non_null(err.code);
    assert_string_equal(err.code, code);
    if (field) {
        assert_non_null(err.field);
        assert_string_equal(err.field, field);
    } else {
        assert_null(err.field);
    }
    json_decref(doc);
}

/* ---- jf_parse ------------------------------------------------------------------------- */

static void test_parse_all_types(void **state)
{
    struct form f = {0};
    struct jf_error err;
    json_t *doc;
    int rc = parse("{\"name\":\"Sokha\",\"kind\":\"suggestion\",\"count\":3,\"urgent\":true,"
                   "\"where\":{\"lat\":11.5},\"photos\":[1,2,3],\"note\":\"ភ្នំពេញ\"}",
                   &f, &err, &doc);
    assert_int_equal(rc, 0);
    assert_string_equal(f.name, "Sokha");
    assert_string_equal(f.kind, "suggestion");
    assert_int_equal(f.count, 3);
    assert_true(f.urgent);
    assert_non_null(f.where);
    assert_true(json_is_object(f.where));
    assert_ptr_equal(f.where, json_object_get(doc, "where"));
    assert_non_null(f.photos);
    assert_int_equal(json_array_size(f.photos), 3);
    assert_string_equal(f.note, "ភ្នំពេញ");
    /* strings point into the document, not copies */
    assert_ptr_equal(f.name, json_string_value(json_object_get(doc, "name")));
    json_decref(doc);

    struct form g = dirty_form();
    rc = parse("{\"name\":\"x\",\"kind\":\"complaint\",\"urgent\":false}", &g, &err, &doc);
    assert_int_equal(rc, 0);
    assert_false(g.urgent);
    json_decref(doc);
}

/* Absent optional fields: strings, objects and arrays are NULL, integers and booleans are
 * left as they were (jsonf.h). */
static void test_parse_absent_optional(void **state)
{
    struct form f = dirty_form();
    struct jf_error err;
    json_t *doc;
    assert_int_equal(parse("{\"name\":\"a\",\"kind\":\"complaint\"}", &f, &err, &doc), 0);
    assert_string_equal(f.name, "a");
    assert_string_equal(f.kind, "complaint");
    assert_int_equal(f.count, -7);
    assert_true(f.urgent);
    assert_null(f.where);
    assert_null(f.photos);
    assert_null(f.note);
    json_decref(doc);
}

static void test_parse_nullable(void **state)
{
    struct form f = dirty_form();
    struct jf_error err;
    json_t *doc;
    assert_int_equal(parse("{\"name\":\"a\",\"kind\":\"complaint\",\"note\":null}", &f, &err, &doc),
                     0);
    assert_null(f.note);
    json_decref(doc);

    /* null for a field that is not nullable is the wrong type */
    parse_fails("{\"name\":null,\"kind\":\"complaint\"}", "wrong_type", "name");
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"count\":null}", "wrong_type", "count");
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"where\":null}", "wrong_type", "where");
}

static void test_parse_int_range(void **state)
{
    struct form f = dirty_form();
    struct jf_error err;
    json_t *doc;
    assert_int_equal(parse("{\"name\":\"a\",\"kind\":\"complaint\",\"count\":1}", &f, &err, &doc),
                     0);
    assert_int_equal(f.count, 1);
    json_decref(doc);
    assert_int_equal(parse("{\"name\":\"a\",\"kind\":\"complaint\",\"count\":5}", &f, &err, &doc),
                     0);
    assert_int_equal(f.count, 5);
    json_decref(doc);

    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"count\":0}", "out_of_range", "count");
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"count\":6}", "out_of_range", "count");
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"count\":-9223372036854775808}",
                "out_of_range", "count");
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"count\":\"3\"}", "wrong_type", "count");
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"count\":2.5}", "wrong_type", "count");
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"count\":true}", "wrong_type", "count");
}

static void test_parse_wrong_types(void **state)
{
    parse_fails("{\"name\":5,\"kind\":\"complaint\"}", "wrong_type", "name");
    parse_fails("{\"name\":[\"a\"],\"kind\":\"complaint\"}", "wrong_type", "name");
    parse_fails("{\"name\":\"a\",\"kind\":1}", "wrong_type", "kind");
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"urgent\":\"yes\"}", "wrong_type",
                "urgent");
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"urgent\":1}", "wrong_type", "urgent");
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"where\":[]}", "wrong_type", "where");
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"where\":\"here\"}", "wrong_type",
                "where");
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"photos\":{}}", "wrong_type", "photos");
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"note\":false}", "wrong_type", "note");
}

static void test_parse_array_count(void **state)
{
    struct form f = dirty_form();
    struct jf_error err;
    json_t *doc;
    assert_int_equal(parse("{\"name\":\"a\",\"kind\":\"complaint\",\"photos\":[]}", &f, &err, &doc),
                     0);
    assert_int_equal(json_array_size(f.photos), 0);
    json_decref(doc);
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"photos\":[1,2,3,4]}", "too_many",
                "photos");
}

static void test_parse_unknown_field(void **state)
{
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint\",\"evil\":1}", "unknown_field", "evil");
    /* names match exactly: no case folding, no prefixes */
    parse_fails("{\"Name\":\"a\",\"kind\":\"complaint\"}", "unknown_field", "Name");
    parse_fails("{\"nam\":\"a\",\"kind\":\"complaint\"}", "unknown_field", "nam");
}

static void test_parse_missing_required(void **state)
{
    parse_fails("{\"kind\":\"complaint\"}", "missing_field", "name");
    parse_fails("{\"name\":\"a\"}", "missing_field", "kind");
    parse_fails("{}", "missing_field", "name");
    parse_fails("{\"count\":2}", "missing_field", "name");
}

static void test_parse_too_long(void **state)
{
    struct form f = dirty_form();
    struct jf_error err;
    json_t *doc;
    assert_int_equal(parse("{\"name\":\"0123456789\",\"kind\":\"complaint\"}", &f, &err, &doc), 0);
    assert_string_equal(f.name, "0123456789");
    json_decref(doc);
    parse_fails("{\"name\":\"0123456789A\",\"kind\":\"complaint\"}", "too_long", "name");
    /* the limit is in bytes: four Khmer letters are twelve bytes */
    parse_fails("{\"name\":\"ភ្នំ\",\"kind\":\"complaint\"}", "too_long", "name");

    /* a field without max_len gets JF_DEFAULT_MAX_STRING */
    struct buf b;
    buf_init(&b, 3 * JF_DEFAULT_MAX_STRING);
    buf_adds(&b, "{\"name\":\"a\",\"kind\":\"complaint\",\"note\":\"");
    for (int i = 0; i < JF_DEFAULT_MAX_STRING; i++)
        buf_addc(&b, 'n');
    buf_adds(&b, "\"}");
    assert_false(buf_failed(&b));
    assert_int_equal(parse(buf_cstr(&b), &f, &err, &doc), 0);
    assert_int_equal(strlen(f.note), JF_DEFAULT_MAX_STRING);
    json_decref(doc);

    buf_reset(&b);
    buf_adds(&b, "{\"name\":\"a\",\"kind\":\"complaint\",\"note\":\"");
    for (int i = 0; i < JF_DEFAULT_MAX_STRING + 1; i++)
        buf_addc(&b, 'n');
    buf_adds(&b, "\"}");
    parse_fails(buf_cstr(&b), "too_long", "note");
    buf_release(&b);
}

static void test_parse_enum_not_allowed(void **state)
{
    parse_fails("{\"name\":\"a\",\"kind\":\"other\"}", "not_allowed", "kind");
    parse_fails("{\"name\":\"a\",\"kind\":\"Complaint\"}", "not_allowed", "kind");
    parse_fails("{\"name\":\"a\",\"kind\":\"\"}", "not_allowed", "kind");
    parse_fails("{\"name\":\"a\",\"kind\":\"complaint \"}", "not_allowed", "kind");
}

static void test_parse_not_object(void **state)
{
    struct form f = dirty_form();
    struct jf_error err = {NULL, NULL};
    json_t *arr = json_array();
    assert_int_equal(jf_parse(arr, fields, NFIELDS, &f, &err), -1);
    assert_string_equal(err.code, "not_an_object");
    json_decref(arr);
    assert_int_equal(jf_parse(NULL, fields, NFIELDS, &f, &err), -1);
    assert_string_equal(err.code, "not_an_object");
}

/* ---- jf_depth ------------------------------------------------------------------------- */

static int depth(const char *s, int max)
{
    return jf_depth(s, strlen(s), max);
}

static void test_depth(void **state)
{
    assert_int_equal(depth("", 16), 0);
    assert_int_equal(depth("42", 16), 0);
    assert_int_equal(depth("{}", 16), 1);
    assert_int_equal(depth("{\"a\":[{}]}", 16), 3);
    assert_int_equal(depth("[[],[[]],[]]", 16), 3);
    assert_int_equal(depth("{\"a\":[{}]}", 3), 3);  /* exactly the maximum */
    assert_int_equal(depth("{\"a\":[{}]}", 2), -1); /* one past it */
    assert_int_equal(depth("[]", 0), -1);
    /* brackets inside strings do not count, escaped quotes do not end the string */
    assert_int_equal(depth("{\"[[[[\":\"{{{{\"}", 1), 1);
    assert_int_equal(depth("{\"a\":\"\\\"[[[[\"}", 1), 1);
    assert_int_equal(depth("{\"a\":\"\\\\\",\"b\":[[]]}", 16), 3);
    /* only `len` bytes are looked at */
    assert_int_equal(jf_depth("{[[[[", 1, 1), 1);
}

/* ---- jf_load -------------------------------------------------------------------------- */

static void load_ok(const char *text, size_t len)
{
    json_t *doc = (json_t *)sentinel_json;
    struct jf_error err = {NULL, NULL};
    assert_int_equal(jf_load(text, len, LIMIT_JSON_DEPTH, &doc, &err), 0);
    assert_non_null(doc);
    assert_true(json_is_object(doc));
    json_decref(doc);
}

static void load_fails(const char *text, size_t len, const char *code)
{
    json_t *doc = (json_t *)sentinel_json;
    struct jf_error err = {NULL, NULL};
    assert_int_equal(jf_load(text, len, LIMIT_JSON_DEPTH, &doc, &err), -1);
    assert_null(doc);
    assert_non_null(err.code);
    assert_string_equal(err.code, code);
}

#define LOAD_OK(lit)          load_ok(lit, sizeof(lit) - 1)
#define LOAD_FAILS(lit, code) load_fails(lit, sizeof(lit) - 1, code)

static void test_load_ok(void **state)
{
    LOAD_OK("{}");
    LOAD_OK(" {\"a\":1,\"b\":[true,null,\"ភ្នំពេញ\"]} ");
    LOAD_OK("{\"a\":\"\\u1797\"}");
    json_t *doc;
    struct jf_error err;
    assert_int_equal(jf_load("{\"n\":7}", 7, 1, &doc, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(doc, "n")), 7);
    json_decref(doc);
}

static void test_load_malformed(void **state)
{
    LOAD_FAILS("", "malformed_json");
    LOAD_FAILS("   ", "malformed_json");
    LOAD_FAILS("{", "malformed_json");
    LOAD_FAILS("{\"a\":}", "malformed_json");
    LOAD_FAILS("{a:1}", "malformed_json");
    LOAD_FAILS("{'a':1}", "malformed_json");
    LOAD_FAILS("{\"a\":1,}", "malformed_json");
    LOAD_FAILS("{\"a\":1}{\"b\":2}", "malformed_json");
    LOAD_FAILS("{\"a\":1} x", "malformed_json");
    LOAD_FAILS("{\"a\":NaN}", "malformed_json");
    LOAD_FAILS("{\"a\":\"\\x\"}", "malformed_json");
    LOAD_FAILS("}{", "malformed_json");
    /* the length is honoured: a valid prefix of a longer text */
    load_fails("{\"a\":1}", 6, "malformed_json");
}

static void test_load_invalid_utf8(void **state)
{
    LOAD_FAILS("{\"a\":\"\xff\"}", "invalid_utf8");
    LOAD_FAILS("{\"a\":\"\xc0\xaf\"}", "invalid_utf8");     /* overlong '/' */
    LOAD_FAILS("{\"a\":\"\xed\xa0\x80\"}", "invalid_utf8"); /* a surrogate */
    LOAD_FAILS("{\"a\":\"\xe1\x9e\"}", "invalid_utf8");     /* truncated Khmer letter */
    LOAD_FAILS("{\"\xfe\":1}", "invalid_utf8");
}

static void test_load_too_deep(void **state)
{
    struct buf b;
    buf_init(&b, 1024);
    /* {"a": then k arrays: depth 1 + k */
    for (int k = LIMIT_JSON_DEPTH - 1; k <= LIMIT_JSON_DEPTH; k++) {
        buf_reset(&b);
        buf_adds(&b, "{\"a\":");
        for (int i = 0; i < k; i++)
            buf_addc(&b, '[');
        for (int i = 0; i < k; i++)
            buf_addc(&b, ']');
        buf_addc(&b, '}');
        assert_false(buf_failed(&b));
        if (1 + k <= LIMIT_JSON_DEPTH)
            load_ok(buf_cstr(&b), b.len);
        else
            load_fails(buf_cstr(&b), b.len, "too_deep");
    }
    /* deep and malformed is reported as too deep: the scan runs before the parser */
    buf_reset(&b);
    for (int i = 0; i < 500; i++)
        buf_addc(&b, '[');
    load_fails(buf_cstr(&b), b.len, "too_deep");
    buf_release(&b);
    /* brackets in strings are not nesting */
    LOAD_OK("{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}");
}

static void test_load_not_object(void **state)
{
    LOAD_FAILS("[1,2]", "not_an_object");
    LOAD_FAILS("[]", "not_an_object");
    LOAD_FAILS("\"text\"", "not_an_object");
    LOAD_FAILS("12", "not_an_object");
    LOAD_FAILS("null", "not_an_object");
    LOAD_FAILS("true", "not_an_object");
}

static void test_load_duplicate_keys(void **state)
{
    LOAD_FAILS("{\"a\":1,\"a\":2}", "malformed_json");
    LOAD_FAILS("{\"a\":1,\"b\":{\"c\":1,\"c\":1}}", "malformed_json");
    LOAD_OK("{\"a\":{\"a\":1}}"); /* the same key in different objects is fine */
}

static void test_load_nul(void **state)
{
    LOAD_FAILS("{\"a\":\"x\\u0000y\"}", "malformed_json");
    LOAD_FAILS("{\"\\u0000\":1}", "malformed_json");
    LOAD_FAILS("{\"a\":\"x\0y\"}", "malformed_json"); /* a raw NUL byte in a string */
    LOAD_FAILS("{\"a\":1}\0", "malformed_json");      /* and after the object */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_all_types),
        cmocka_unit_test(test_parse_absent_optional),
        cmocka_unit_test(test_parse_nullable),
        cmocka_unit_test(test_parse_int_range),
        cmocka_unit_test(test_parse_wrong_types),
        cmocka_unit_test(test_parse_array_count),
        cmocka_unit_test(test_parse_unknown_field),
        cmocka_unit_test(test_parse_missing_required),
        cmocka_unit_test(test_parse_too_long),
        cmocka_unit_test(test_parse_enum_not_allowed),
        cmocka_unit_test(test_parse_not_object),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_load_ok),
        cmocka_unit_test(test_load_malformed),
        cmocka_unit_test(test_load_invalid_utf8),
        cmocka_unit_test(test_load_too_deep),
        cmocka_unit_test(test_load_not_object),
        cmocka_unit_test(test_load_duplicate_keys),
        cmocka_unit_test(test_load_nul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
