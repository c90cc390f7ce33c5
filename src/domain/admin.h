/* Administration rules that do not depend on who asks (authz.c decides that): what a
 * well-formed office, service, staff account, routing rule or holiday looks like, and
 * which office may employ which role. */
#ifndef OURVOICE_ADMIN_H
#define OURVOICE_ADMIN_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/model.h"

#define ADMIN_NAME_MAX   200 /* bytes of an office, service or template name */
#define ADMIN_SECTOR_MAX 40
#define ADMIN_SOURCE_MAX 500
#define ADMIN_FEE_MAX    100000000LL /* riel */
#define ADMIN_DAYS_MAX   365

extern const char *const admin_office_kinds[];  /* NULL-terminated */
extern const char *const admin_service_kinds[]; /* office kinds that deliver services */
extern const char *const admin_roles[];         /* NULL-terminated */
extern const char *const admin_template_actions[];
extern const char *const admin_languages[];

/* 2 to OFFICE_CODE_MAX characters: A-Z, 0-9 and '-', starting with a letter. */
bool admin_office_code_valid(const char *code);
/* 2 to SERVICE_CODE_MAX characters: a-z, 0-9 and '-', starting with a letter. */
bool admin_service_code_valid(const char *code);
/* Up to ADMIN_SECTOR_MAX characters: a-z, 0-9 and '-' (may be empty). */
bool admin_sector_valid(const char *sector);
/* Printable text (no control characters), not blank, at most max bytes. */
bool admin_text_valid(const char *text, size_t max, bool multiline);
/* The level of area an office of this kind sits on ("commune", "district", "province"), or
 * NULL for the ministry, which covers the nation. */
const char *admin_office_level(const char *kind);
/* Roles without an office: national_admin (may have the ministry) and analyst. */
bool admin_role_needs_office(const char *role);
/* Whether the office (id 0: none) suits the role. */
bool admin_office_suits_role(const char *role, const struct office *o);
/* A rule may not send a bypassed or gender-sensitive complaint back to the kind of office
 * that delivered the service (DESIGN §2). */
bool admin_routing_rule_sound(const struct routing_rule *rule);
/* "YYYY-MM-DD", a real date. */
bool admin_date_valid(const char *date);

#endif
