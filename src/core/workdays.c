/* Working days (see workdays.h). 1970-01-01 was a Thursday. */
#include "core/workdays.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

int32_t workdays_local_day(time_t t)
{
    int64_t local = (int64_t)t + WORKDAYS_TZ_OFFSET;
    int64_t day = local / 86400;
    if (local < 0 && local % 86400)
        day--;
    return (int32_t)day;
}

static int cmp_day(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

bool workdays_is_working(int32_t day, const struct holidays *h)
{
    int weekday = (int)(((int64_t)day % 7 + 7 + 3) % 7); /* 0 = Monday */
    if (weekday >= 5)
        return false;
    if (h && h->count && bsearch(&day, h->days, h->count, sizeof(int32_t), cmp_day))
        return false;
    return true;
}

int32_t workdays_add(int32_t day, int n, const struct holidays *h)
{
    while (!workdays_is_working(day, h))
        day++;
    for (int i = 0; i < n; i++) {
        day++;
        while (!workdays_is_working(day, h))
            day++;
    }
    return day;
}

time_t workdays_deadline(time_t t, int n, const struct holidays *h)
{
    int32_t start = workdays_local_day(t);
    /* a case received on a day off starts counting from the next working day */
    int32_t due = workdays_is_working(start, h) ? workdays_add(start, n, h)
                                                : workdays_add(start, n > 0 ? n - 1 : 0, h);
    return (time_t)((int64_t)(due + 1) * 86400 - WORKDAYS_TZ_OFFSET);
}

int workdays_parse_date(const char *s, int32_t *day)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    struct tm tm = {0};
    tm.tm_year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0') - 1900;
    tm.tm_mon = (s[5] - '0') * 10 + (s[6] - '0') - 1;
    tm.tm_mday = (s[8] - '0') * 10 + (s[9] - '0');
    if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31)
        return -1;
    int mday = tm.tm_mday;
    time_t t = timegm(&tm);
    struct tm check;
    gmtime_r(&t, &check);
    if (check.tm_mday != mday)
        return -1;
    *day = (int32_t)(t / 86400);
    return 0;
}

void workdays_format_date(int32_t day, char out[11])
{
    time_t t = (time_t)day * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

int workdays_year(time_t t)
{
    time_t local = t + WORKDAYS_TZ_OFFSET;
    struct tm tm;
    gmtime_r(&local, &tm);
    return tm.tm_year + 1900;
}
