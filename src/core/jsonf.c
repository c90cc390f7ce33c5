/* The declared-field parser and the guarded body loader (see jsonf.h). */
#include "core/jsonf.h"

#include <string.h>

#include "core/text.h"
#include "core/banned.h"

static const struct jf_field *find(const struct jf_field *fields, size_t count, const char *key)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(fields[i].name, key) == 0)
            return &fields[i];
    return NULL;
}

static int fail(struct jf_error *err, const char *code, const char *field)
{
    err->code = code;
    err->field = field;
    return -1;
}

static bool allowed(const char *const *list, const char *value)
{
    for (; *list; list++)
        if (strcmp(*list, value) == 0)
            return true;
    return false;
}

static int store_field(const struct jf_field *f, const json_t *v, void *out, struct jf_error *err)
{
    char *slot = (char *)out + f->offset;
    if (json_is_null(v)) {
        if (!f->nullable)
            return fail(err, "wrong_type", f->name);
        if (f->type == JF_STRING || f->type == JF_ENUM)
            *(const char **)slot = NULL;
        else if (f->type == JF_OBJECT || f->type == JF_ARRAY)
            *(const json_t **)slot = NULL;
        return 0;
    }
    switch (f->type) {
    case JF_STRING:
    case JF_ENUM: {
        if (!json_is_string(v))
            return fail(err, "wrong_type", f->name);
        size_t max = f->max_len ? f->max_len : JF_DEFAULT_MAX_STRING;
        if (json_string_length(v) > max)
            return fail(err, "too_long", f->name);
        const char *s = json_string_value(v);
        if (f->type == JF_ENUM && !allowed(f->allowed, s))
            return fail(err, "not_allowed", f->name);
        *(const char **)slot = s;
        return 0;
    }
    case JF_INT: {
        if (!json_is_integer(v))
            return fail(err, "wrong_type", f->name);
        long long n = json_integer_value(v);
        if (n < f->min || n > f->max)
            return fail(err, "out_of_range", f->name);
        *(long long *)slot = n;
        return 0;
    }
    case JF_BOOL:
        if (!json_is_boolean(v))
            return fail(err, "wrong_type", f->name);
        *(bool *)slot = json_is_true(v);
        return 0;
    case JF_OBJECT:
        if (!json_is_object(v))
            return fail(err, "wrong_type", f->name);
        *(const json_t **)slot = v;
        return 0;
    case JF_ARRAY:
        if (!json_is_array(v))
            return fail(err, "wrong_type", f->name);
        if ((long long)json_array_size(v) > f->max)
            return fail(err, "too_many", f->name);
        *(const json_t **)slot = v;
        return 0;
    }
    return fail(err, "wrong_type", f->name);
}

int jf_parse(const json_t *object, const struct jf_field *fields, size_t count, void *out,
             struct jf_error *err)
{
    if (!json_is_object(object))
        return fail(err, "not_an_object", NULL);
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)object, key, value)
    {
        const struct jf_field *f = find(fields, count, key);
        if (!f)
            return fail(err, "unknown_field", key);
        if (store_field(f, value, out, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < count; i++) {
        const struct jf_field *f = &fields[i];
        if (json_object_get(object, f->name))
            continue;
        if (f->required)
            return fail(err, "missing_field", f->name);
        char *slot = (char *)out + f->offset; /* absent: pointers are NULL (jsonf.h) */
        if (f->type == JF_STRING || f->type == JF_ENUM)
            *(const char **)slot = NULL;
        else if (f->type == JF_OBJECT || f->type == JF_ARRAY)
            *(const json_t **)slot = NULL;
    }
    return 0;
}

int jf_depth(const char *text, size_t len, int max_depth)
{
    int depth = 0, deepest = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth)
                return -1;
            if (depth > deepest)
                deepest = depth;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return deepest;
}

int jf_load(const char *text, size_t len, int max_depth, json_t **out, struct jf_error *err)
{
    *out = NULL;
    if (!text_utf8_valid(text, len))
        return fail(err, "invalid_utf8", NULL);
    if (jf_depth(text, len, max_depth) < 0)
        return fail(err, "too_deep", NULL);
    json_error_t jerr;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!doc)
        return fail(err, "malformed_json", NULL);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return fail(err, "not_an_object", NULL);
    }
    *out = doc;
    return 0;
}
