/* The HTTP handlers, grouped by audience; api/routes.c wires them to paths. */
#ifndef OURVOICE_HANDLERS_H
#define OURVOICE_HANDLERS_H

#include "http/request.h"

/* operations (ops.c) */
void h_healthz(struct request *r);
void h_metrics(struct request *r);
void h_test_sleep(struct request *r);

/* public reads (public.c) */
void h_areas(struct request *r);
void h_area(struct request *r);
void h_services(struct request *r);
void h_offices(struct request *r);

#endif
