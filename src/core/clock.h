/* The program's clock. Everything that reads "now" for domain purposes (deadlines, expiry)
 * goes through clock_now(), which tests move with clock_set_offset() (or the
 * OURVOICE_CLOCK_OFFSET environment variable, in seconds, read at start-up). */
#ifndef OURVOICE_CLOCK_H
#define OURVOICE_CLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

time_t clock_now(void);
void clock_set_offset(int64_t seconds);
int64_t clock_offset(void);

/* Monotonic nanoseconds, for durations. */
uint64_t clock_mono_ns(void);

/* RFC 3339 UTC ("2026-11-28T14:30:00Z") into out (at least 21 bytes). */
void clock_format(time_t t, char *out, size_t size);

/* Parses RFC 3339 with a Z or ±hh:mm offset; -1 if malformed. */
int clock_parse(const char *s, time_t *out);

#endif
