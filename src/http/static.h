/* Static files of the web apps, loaded from the web folder into memory at start-up with
 * their ETag and a gzip copy. A request is served only if its path is a key of that table,
 * so no path can reach outside the folder. URL layout: web/citizen/X is served at /X;
 * web/staff, web/dashboard and web/common at /staff/, /dashboard/ and /common/; and, from the
 * data folder, the dashboard's two maps DATA/geo/NAME.geojson at /dashboard/geo/NAME.geojson
 * (kept once, in data/, rather than copied into web/). An HTML page that holds inline <style>
 * or <script> blocks is served with a Content-Security-Policy naming each by its SHA-256
 * (computed at load; see reply_csp_with), and no other page gets more than the default. */
#ifndef OURVOICE_STATIC_H
#define OURVOICE_STATIC_H

#include <stddef.h>

#include "http/request.h"

struct static_site;

/* Loads web_dir's apps and, from data_dir (NULL: none), the dashboard's two maps. */
int static_load(const char *web_dir, const char *data_dir, struct static_site **out,
                const char **err);
void static_free(struct static_site *site);
size_t static_count(const struct static_site *site);

/* Replies 200 (maybe gzip), 304, 301 (to a folder's "/"), or a JSON 404. */
void static_serve(const struct static_site *site, struct request *r);

#endif
