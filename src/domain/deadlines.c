/* Deadline computation (see deadlines.h). */
#include "domain/deadlines.h"

#include "core/workdays.h"
#include "core/banned.h"

int deadlines_compute(struct store *s, struct arena *a, const char *kind, time_t from,
                      struct deadline_due *out)
{
    struct deadline_rule rule;
    int rc = store_deadline_get(s, kind, &rule);
    if (rc != STORE_OK)
        return rc;
    const char **dates;
    size_t n;
    if ((rc = store_holidays_all(s, a, &dates, &n)) != STORE_OK)
        return rc;
    int32_t *days = arena_alloc(a, (n ? n : 1) * sizeof *days);
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (workdays_parse_date(dates[i], &days[count]) == 0)
            count++;
    struct holidays h = {days, count};
    out->acknowledge = workdays_deadline(from, rule.acknowledge_days, &h);
    out->answer = rule.answer_days >= 0 ? workdays_deadline(from, rule.answer_days, &h) : 0;
    return STORE_OK;
}
