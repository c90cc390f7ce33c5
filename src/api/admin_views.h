/* JSON views of what the console and administration endpoints return: offices (with their
 * active flag), staff accounts (never a password hash or TOTP secret), services (with
 * placeholder, source and active), response templates, deadlines, holidays and routing
 * rules. */
#ifndef OURVOICE_ADMIN_VIEWS_H
#define OURVOICE_ADMIN_VIEWS_H

#include <jansson.h>

#include "domain/model.h"

json_t *view_admin_office(const struct office *o);
/* office_code NULL: no office */
json_t *view_admin_staff(const char *login, const char *name, const char *role,
                         const char *office_code, bool active, bool totp);
json_t *view_admin_service(const struct service *s);
json_t *view_template(const struct response_template *t);
json_t *view_deadline(const struct deadline_row *d);
json_t *view_holiday(const struct holiday *h);
json_t *view_routing_rule(const struct routing_rule *rule);

#endif
