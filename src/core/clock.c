/* Clock with a test offset (see clock.h). */
#include "core/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static _Atomic int64_t offset;

time_t clock_now(void)
{
    return time(NULL) + (time_t)atomic_load_explicit(&offset, memory_order_relaxed);
}

void clock_set_offset(int64_t seconds)
{
    atomic_store(&offset, seconds);
}

int64_t clock_offset(void)
{
    return atomic_load(&offset);
}

uint64_t clock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void clock_format(time_t t, char *out, size_t size)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int clock_parse(const char *s, time_t *out)
{
    size_t len = strlen(s);
    if (len < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
        s[16] != ':')
        return -1;
    struct tm tm = {0};
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
    int h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
        se < 0 || se > 60)
        return -1;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    long tz = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
        int th = digits(p + 1, 2), tmin = digits(p + 4, 2);
        if (th < 0 || th > 23 || tmin < 0 || tmin > 59)
            return -1;
        tz = (th * 3600L + tmin * 60L) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;
    }
    if (*p)
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    time_t t = timegm(&tm);
    struct tm check;
    gmtime_r(&t, &check);
    if (check.tm_mday != d) /* 31 February and the like */
        return -1;
    *out = t - tz;
    return 0;
}
