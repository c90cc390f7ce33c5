/* Notifications, queued in the outbox inside the same transaction as the change they
 * announce; a background worker sends them after commit (jobs/outbox.c). A citizen's
 * message says only that there is news — never the case's content. */
#ifndef OURVOICE_NOTIFY_H
#define OURVOICE_NOTIFY_H

#include "domain/model.h"
#include "store/store.h"

/* News for the citizen, if they left a contact. */
int notify_citizen(struct store *s, const struct case_row *c, const char *now);

/* A message for the staff of the case's office: template "new_case" or "overdue". */
int notify_staff(struct store *s, const struct case_row *c, const char *template_name,
                 const char *now);

#endif
