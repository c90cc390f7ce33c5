/* Working-day arithmetic for deadlines. Days are counted as days since 1970-01-01 in
 * Cambodian local time (UTC+7, no daylight saving). A working day is Monday to Friday and
 * not in the sorted holiday list. */
#ifndef OURVOICE_WORKDAYS_H
#define OURVOICE_WORKDAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define WORKDAYS_TZ_OFFSET (7 * 3600)

struct holidays {
    const int32_t *days; /* sorted ascending */
    size_t count;
};

int32_t workdays_local_day(time_t t);
bool workdays_is_working(int32_t day, const struct holidays *h);

/* The day `n` working days after `day` (n >= 0; n = 0 gives `day` itself if working,
 * else the next working day). */
int32_t workdays_add(int32_t day, int n, const struct holidays *h);

/* The deadline `n` working days after time t: the end (24:00 local) of that day, in UTC. */
time_t workdays_deadline(time_t t, int n, const struct holidays *h);

/* The year of time t in Cambodian local time. */
int workdays_year(time_t t);

/* "YYYY-MM-DD" into a day number; -1 if malformed. */
int workdays_parse_date(const char *s, int32_t *day);
void workdays_format_date(int32_t day, char out[11]);

#endif
