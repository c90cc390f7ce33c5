/* Structured one-line logs on stderr: `ts=... level=... event=... key=value ...`.
 * Callers pass only values they control or have sanitised: never a receipt, token,
 * password, contact detail or raw client input. */
#ifndef OURVOICE_LOG_H
#define OURVOICE_LOG_H

#include <stdbool.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
bool log_enabled(enum log_level level);

/* fmt continues the line after `event=NAME`, e.g. "status=%d route=%s" */
void log_event(enum log_level level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_info(event, ...)  log_event(LOG_INFO, event, __VA_ARGS__)
#define log_warn(event, ...)  log_event(LOG_WARN, event, __VA_ARGS__)
#define log_error(event, ...) log_event(LOG_ERROR, event, __VA_ARGS__)

#endif
