/* Fuzz driver for core/jsonf: jf_load() with the server's LIMIT_JSON_DEPTH over the raw
 * bytes, then jf_parse() of the document with two field tables holding every JF_ type (all
 * optional; all required). Checked: a load either fails with one of its four codes and no
 * document, or gives an object no deeper than the limit; a parse either fails with a known
 * code naming a declared field (or the unknown key), or fills every slot within its declared
 * limits, NULL for absent pointers, untouched for absent integers and booleans. */
#include <stdbool.h>
#include <string.h>

#include "core/jsonf.h"
#include "core/limits.h"
#include "fuzz.h"
#include "core/banned.h"

struct form {
    const char *s, *e, *n;
    long long i;
    bool b;
    const json_t *o, *a, *on;
};

static const char *const kinds[] = {"complaint", "support", "", NULL};

#define FIELDS(req)                                                                                \
    {                                                                                              \
        {.name = "s",                                                                              \
         .type = JF_STRING,                                                                        \
         .required = req,                                                                          \
         .max_len = 8,                                                                             \
         .offset = offsetof(struct form, s)},                                                      \
            {.name = "e",                                                                          \
             .type = JF_ENUM,                                                                      \
             .required = req,                                                                      \
             .allowed = kinds,                                                                     \
             .offset = offsetof(struct form, e)},                                                  \
            {.name = "n",                                                                          \
             .type = JF_STRING,                                                                    \
             .required = req,                                                                      \
             .nullable = true,                                                                     \
             .offset = offsetof(struct form, n)},                                                  \
            {.name = "i",                                                                          \
             .type = JF_INT,                                                                       \
             .required = req,                                                                      \
             .min = -5,                                                                            \
             .max = 1000,                                                                          \
             .offset = offsetof(struct form, i)},                                                  \
            {.name = "b", .type = JF_BOOL, .required = req, .offset = offsetof(struct form, b)},   \
            {.name = "o", .type = JF_OBJECT, .required = req, .offset = offsetof(struct form, o)}, \
            {.name = "a",                                                                          \
             .type = JF_ARRAY,                                                                     \
             .required = req,                                                                      \
             .max = 3,                                                                             \
             .offset = offsetof(struct form, a)},                                                  \
            {.name = "on",                                                                         \
             .type = JF_OBJECT,                                                                    \
             .required = req,                                                                      \
             .nullable = true,                                                                     \
             .offset = offsetof(struct form, on)},                                                 \
    }

static const struct jf_field optional_fields[] = FIELDS(false);
static const struct jf_field required_fields[] = FIELDS(true);
#define NFIELDS (sizeof optional_fields / sizeof optional_fields[0])

static const char sentinel_text[] = "sentinel";
static const json_t *const sentinel_json = (const json_t *)sentinel_text;

static int depth_of(const json_t *j)
{
    int deepest = 0;
    if (json_is_object(j)) {
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)j, key, v)
        {
            int d = depth_of(v);
            deepest = d > deepest ? d : deepest;
        }
        return deepest + 1;
    }
    if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v)
        {
            int d = depth_of(v);
            deepest = d > deepest ? d : deepest;
        }
        return deepest + 1;
    }
    return 0;
}

static bool one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static void check_parse(const json_t *doc, const struct jf_field *fields)
{
    static const char *const codes[] = {
        "unknown_field", "wrong_type", "too_long",      "not_allowed",
        "out_of_range",  "too_many",   "missing_field", NULL};
    struct form f = {sentinel_text, sentinel_text, sentinel_text, -77,
                     true,          sentinel_json, sentinel_json, sentinel_json};
    struct jf_error err = {NULL, NULL};
    if (jf_parse(doc, fields, NFIELDS, &f, &err) < 0) {
        FUZZ_CHECK(err.code && one_of(err.code, codes));
        FUZZ_CHECK(err.field);
        if (strcmp(err.code, "unknown_field") == 0) {
            FUZZ_CHECK(json_object_get(doc, err.field));
            for (size_t k = 0; k < NFIELDS; k++)
                FUZZ_CHECK(strcmp(fields[k].name, err.field) != 0);
        } else {
            bool declared = false;
            for (size_t k = 0; k < NFIELDS; k++)
                declared |= fields[k].name == err.field; /* the table's own storage */
            FUZZ_CHECK(declared);
        }
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)doc, key, v)
    {
        bool declared = false;
        for (size_t k = 0; k < NFIELDS; k++)
            declared |= strcmp(fields[k].name, key) == 0;
        FUZZ_CHECK(declared);
    }
    for (size_t k = 0; k < NFIELDS; k++)
        if (fields[k].required)
            FUZZ_CHECK(json_object_get(doc, fields[k].name));

    const json_t *s = json_object_get(doc, "s"), *e = json_object_get(doc, "e"),
                 *n = json_object_get(doc, "n"), *i = json_object_get(doc, "i"),
                 *b = json_object_get(doc, "b"), *o = json_object_get(doc, "o"),
                 *a = json_object_get(doc, "a"), *on = json_object_get(doc, "on");
    FUZZ_CHECK(s ? f.s == json_string_value(s) && json_string_length(s) <= 8 : f.s == NULL);
    FUZZ_CHECK(e ? f.e == json_string_value(e) && one_of(f.e, kinds) : f.e == NULL);
    if (n && json_is_null(n))
        FUZZ_CHECK(f.n == NULL);
    else
        FUZZ_CHECK(n ? f.n == json_string_value(n) && json_string_length(n) <= JF_DEFAULT_MAX_STRING
                     : f.n == NULL);
    FUZZ_CHECK(i ? json_is_integer(i) && f.i == json_integer_value(i) && f.i >= -5 && f.i <= 1000
                 : f.i == -77);
    FUZZ_CHECK(b ? json_is_boolean(b) && f.b == json_is_true(b) : f.b == true);
    FUZZ_CHECK(o ? json_is_object(o) && f.o == o : f.o == NULL);
    FUZZ_CHECK(a ? json_is_array(a) && f.a == a && json_array_size(a) <= 3 : f.a == NULL);
    if (on && json_is_null(on))
        FUZZ_CHECK(f.on == NULL);
    else
        FUZZ_CHECK(on ? json_is_object(on) && f.on == on : f.on == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of exactly `size` bytes, so that a read past the body is caught */
    char *text = malloc(size ? size : 1);
    FUZZ_CHECK(text);
    if (size)
        memcpy(text, data, size);

    json_t *doc = (json_t *)sentinel_json;
    struct jf_error err = {NULL, NULL};
    if (jf_load(text, size, LIMIT_JSON_DEPTH, &doc, &err) < 0) {
        static const char *const codes[] = {"too_deep", "malformed_json", "invalid_utf8",
                                            "not_an_object", NULL};
        FUZZ_CHECK(doc == NULL);
        FUZZ_CHECK(err.code && one_of(err.code, codes));
    } else {
        FUZZ_CHECK(json_is_object(doc));
        FUZZ_CHECK(depth_of(doc) <= LIMIT_JSON_DEPTH);
        FUZZ_CHECK(jf_depth(text, size, LIMIT_JSON_DEPTH) == depth_of(doc));
        check_parse(doc, optional_fields);
        check_parse(doc, required_fields);
        json_decref(doc);
    }
    free(text);
    return 0;
}
