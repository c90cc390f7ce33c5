/* The route table of the whole HTTP interface. */
#ifndef OURVOICE_ROUTES_H
#define OURVOICE_ROUTES_H

#include "http/router.h"

extern const struct route_table api_routes;

#endif
