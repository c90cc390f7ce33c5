/* JSON views of cases shared by the citizen and staff handlers, and the attachment input
 * they both accept. What a view shows depends on who asks: the citizen sees the public
 * timeline; staff see internal notes and, where the policy allows, a shared name. */
#ifndef OURVOICE_VIEWS_H
#define OURVOICE_VIEWS_H

#include <jansson.h>

#include "domain/authz.h"
#include "domain/model.h"
#include "http/request.h"

/* Attachments from a JSON array of {"type"?, "data": base64}: type checked from the bytes,
 * metadata stripped. Replies 400 and returns -1 on bad input. */
int view_parse_attachments(struct request *r, const json_t *array, const char *field,
                           struct attachment **out, size_t *count);

json_t *view_office(struct request *r, int64_t office_id);
json_t *view_case_citizen(struct request *r, const struct case_row *c);
json_t *view_case_summary(const struct case_row *c, const char *now);
json_t *view_case_staff(struct request *r, const struct case_row *c, const struct actor *who,
                        const char *shared_name);

#endif
