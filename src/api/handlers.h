/* The HTTP handlers, grouped by audience; api/routes.c wires them to paths. */
#ifndef OURVOICE_HANDLERS_H
#define OURVOICE_HANDLERS_H

#include "http/request.h"

/* operations (ops.c) */
void h_healthz(struct request *r);
void h_metrics(struct request *r);
void h_test_sleep(struct request *r);
void h_test_echo(struct request *r);

/* public reads (public.c) */
void h_areas(struct request *r);
void h_area(struct request *r);
void h_services(struct request *r);
void h_offices(struct request *r);

/* authentication (auth.c) */
int api_authenticate(struct request *r);
void h_login(struct request *r);
void h_logout(struct request *r);
void h_me(struct request *r);

/* citizens (citizen.c) */
void h_feedback(struct request *r);
void h_track_challenge(struct request *r);
void h_track_session(struct request *r);
void h_track(struct request *r);
void h_track_message(struct request *r);
void h_track_rating(struct request *r);
void h_track_appeal(struct request *r);
void h_track_attachment(struct request *r);

/* staff (staff.c) */
void h_cases(struct request *r);
void h_case(struct request *r);
void h_case_action(struct request *r);
void h_case_attachment(struct request *r);
void h_office_staff(struct request *r);

/* the staff console (console.c) */
void h_password(struct request *r);
void h_case_counts(struct request *r);
void h_case_changes(struct request *r);
void h_cases_csv(struct request *r);
void h_office_stats(struct request *r);
void h_stats(struct request *r);
void h_stats_quotes(struct request *r);
void h_stats_dictionary(struct request *r);
void h_templates(struct request *r);

/* administration: offices, staff, audit (admin.c); catalogue, deadlines, holidays, routing,
 * templates (admin_catalogue.c) */
void h_admin_offices(struct request *r);
void h_admin_office_create(struct request *r);
void h_admin_office_update(struct request *r);
void h_admin_staff(struct request *r);
void h_admin_staff_create(struct request *r);
void h_admin_staff_update(struct request *r);
void h_admin_audit(struct request *r);
void h_admin_audit_verify(struct request *r);
void h_admin_services(struct request *r);
void h_admin_service_create(struct request *r);
void h_admin_service_update(struct request *r);
void h_admin_deadlines(struct request *r);
void h_admin_deadline_put(struct request *r);
void h_admin_holidays(struct request *r);
void h_admin_holiday_put(struct request *r);
void h_admin_holiday_delete(struct request *r);
void h_admin_routing(struct request *r);
void h_admin_routing_put(struct request *r);
void h_admin_template_create(struct request *r);
void h_admin_template_update(struct request *r);

/* test hooks (ops.c) */
void h_test_clock(struct request *r);
void h_test_jobs(struct request *r);
void h_test_outbox(struct request *r);

#endif
