/* Background jobs of `ourvoice serve`: one thread that, every interval, escalates cases
 * whose deadlines have passed (through the group-commit writer) and sends the outbox. */
#ifndef OURVOICE_JOBS_H
#define OURVOICE_JOBS_H

#include "http/server.h"
#include "store/writer.h"

void jobs_start(const struct server_config *cfg);
void jobs_stop(void);

/* One pass of the deadline job through the writer; *escalated gets the count. */
int jobs_deadlines(struct writer *w, int *escalated);

#endif
