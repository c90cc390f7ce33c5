/* Every hard limit of the program, in one place. Inputs are checked against these before
 * memory is committed to them; passing one is an ordinary error with its own status. */
#ifndef OURVOICE_LIMITS_H
#define OURVOICE_LIMITS_H

#define LIMIT_JSON_BODY_DEFAULT       (1024 * 1024)      /* JSON request bodies; --max-body */
#define LIMIT_BODY_ABSOLUTE           (32 * 1024 * 1024) /* evhttp refuses anything larger itself */
#define LIMIT_HEADERS_BYTES           (16 * 1024)        /* request line + headers */
#define LIMIT_URL_BYTES               2048
#define LIMIT_QUERY_VALUE_BYTES       256
#define LIMIT_PATH_SEGMENT_BYTES      64
#define LIMIT_JSON_DEPTH              16
#define LIMIT_JSON_STRING_BYTES       4096 /* unless a field declares its own */
#define LIMIT_REQUEST_TIMEOUT_SECONDS 30
#define LIMIT_SHUTDOWN_GRACE_SECONDS  30
#define LIMIT_STATIC_FILE_BYTES       (8 * 1024 * 1024)
#define LIMIT_STATIC_TOTAL_BYTES      (64 * 1024 * 1024)
#define LIMIT_STATIC_FILES            2000
#define LIMIT_LOOPS                   64
#define LIMIT_WORKERS                 64
#define LIMIT_STATS_CACHE_SECONDS     3600 /* an hour-old figure is the stalest shown */

#endif
