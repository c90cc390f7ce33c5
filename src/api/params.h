/* Input helpers shared by the console and administration handlers. Query parameters: an
 * empty value counts as absent (a form that sends "?q=&kind=" filters nothing). Each
 * helper replies 400 naming the parameter and returns false on bad input. */
#ifndef OURVOICE_PARAMS_H
#define OURVOICE_PARAMS_H

#include <stdbool.h>
#include <stdint.h>

#include "http/request.h"

bool param_text(struct request *r, const char *name, const char **out);
/* allowed: NULL-terminated list */
bool param_enum(struct request *r, const char *name, const char *const *allowed, const char **out);
/* *out is left as it is when the parameter is absent */
bool param_int(struct request *r, const char *name, long long min, long long max, long long *out);
/* "true"/"1" or "false"/"0"; *out left as it is when absent */
bool param_bool(struct request *r, const char *name, bool *out);
/* A calendar date "YYYY-MM-DD" → its day number; *given false when absent. */
bool param_date(struct request *r, const char *name, int32_t *day, bool *given);

/* Whether the JSON body names the field at all (null included): tells "leave it" from
 * "clear it" for nullable fields, which jf_parse reads alike. */
bool body_has(const struct request *r, const char *name);

/* Characters (code points) of valid UTF-8 text. */
size_t utf8_length(const char *s);

#endif
