/* Input helpers (see params.h). */
#include "api/params.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/workdays.h"
#include "domain/admin.h"
#include "http/reply.h"
#include "core/banned.h"

bool param_text(struct request *r, const char *name, const char **out)
{
    int rc = req_query(r, name, out);
    if (rc < 0) {
        reply_error(r, rc == -2 ? ERR_INVALID_UTF8 : ERR_TOO_LONG, name);
        return false;
    }
    if (*out && !**out)
        *out = NULL;
    return true;
}

bool param_enum(struct request *r, const char *name, const char *const *allowed, const char **out)
{
    if (!param_text(r, name, out))
        return false;
    if (!*out)
        return true;
    for (; *allowed; allowed++)
        if (strcmp(*allowed, *out) == 0)
            return true;
    reply_error(r, ERR_NOT_ALLOWED, name);
    return false;
}

bool param_int(struct request *r, const char *name, long long min, long long max, long long *out)
{
    const char *v;
    if (!param_text(r, name, &v))
        return false;
    if (!v)
        return true;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (*end || errno == ERANGE || !((v[0] >= '0' && v[0] <= '9') || v[0] == '-') || n < min ||
        n > max) {
        reply_error(r, ERR_INVALID_VALUE, name);
        return false;
    }
    *out = n;
    return true;
}

bool param_bool(struct request *r, const char *name, bool *out)
{
    static const char *const values[] = {"true", "false", "1", "0", NULL};
    const char *v;
    if (!param_enum(r, name, values, &v))
        return false;
    if (v)
        *out = strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
    return true;
}

bool param_date(struct request *r, const char *name, int32_t *day, bool *given)
{
    const char *v;
    *given = false;
    if (!param_text(r, name, &v))
        return false;
    if (!v)
        return true;
    if (!admin_date_valid(v) || workdays_parse_date(v, day) < 0) {
        reply_error(r, ERR_INVALID_VALUE, name);
        return false;
    }
    *given = true;
    return true;
}

bool body_has(const struct request *r, const char *name)
{
    return r->body && json_object_get(r->body, name) != NULL;
}

size_t utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}
