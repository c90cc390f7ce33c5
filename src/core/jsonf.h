/* Declared, deny-by-default JSON input. A handler declares its fields (name, type, required,
 * limits, allowed values, where to store) and jf_parse() fills a struct or fails naming the
 * field. Unknown fields are errors. Strings point into the json_t document, which must
 * outlive the struct. jf_load() parses a request body with our depth and size limits. */
#ifndef OURVOICE_JSONF_H
#define OURVOICE_JSONF_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum jf_type {
    JF_STRING, /* const char *; NULL when absent (or null, if nullable) */
    JF_ENUM,   /* const char *, one of `allowed` */
    JF_INT,    /* long long within [min, max]; untouched when absent */
    JF_BOOL,   /* bool; untouched when absent */
    JF_OBJECT, /* const json_t *; NULL when absent */
    JF_ARRAY,  /* const json_t *; NULL when absent; at most `max` elements */
};

struct jf_field {
    const char *name;
    enum jf_type type;
    bool required;
    bool nullable;
    size_t max_len;             /* strings: bytes (0 = JF_DEFAULT_MAX_STRING) */
    long long min, max;         /* integers; arrays: max = element count */
    const char *const *allowed; /* JF_ENUM: NULL-terminated list */
    size_t offset;              /* offsetof(struct ..., member) */
};

#define JF_DEFAULT_MAX_STRING 4096

/* Error codes match the HTTP error table (http/errors.h). */
struct jf_error {
    const char *code;  /* "missing_field", "unknown_field", "wrong_type", "too_long", ... */
    const char *field; /* the field's name (static storage or the document's key) */
};

int jf_parse(const json_t *object, const struct jf_field *fields, size_t count, void *out,
             struct jf_error *err);

/* Nesting depth of a JSON text (objects and arrays), counting only outside strings.
 * Returns -1 if it passes max_depth. Cheap, runs before the parser commits memory. */
int jf_depth(const char *text, size_t len, int max_depth);

/* Parse a body into a JSON object: checks depth, rejects duplicate keys, NUL in strings,
 * invalid UTF-8 and non-object roots. On error returns -1 with err->code set
 * ("too_deep", "malformed_json", "invalid_utf8", "not_an_object"). */
int jf_load(const char *text, size_t len, int max_depth, json_t **out, struct jf_error *err);

#endif
