/* Administration of offices, staff accounts and the audit log (national admin; provincial
 * admin inside its province — domain/authz.c decides). Every change is written through the
 * group-commit writer with its audit entry (actor: the admin) in the same transaction; a
 * transaction re-reads the row it changes, so two admins editing at once lose nothing but
 * what they both set. A generated password and a TOTP secret appear in exactly one
 * response; never a password hash or a stored secret. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/admin_views.h"
#include "api/handlers.h"
#include "api/params.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/qrsvg.h"
#include "domain/admin.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/feedback.h"
#include "domain/geography.h"
#include "domain/staff.h"
#include "domain/totp.h"
#include "http/reply.h"
#include "http/server.h"
#include "core/banned.h"

#define OFFICES_LIST_MAX       5000
#define AUDIT_LIMIT_DEFAULT    50
#define AUDIT_LIMIT_MAX        200
#define GENERATED_PASSWORD_LEN 16

/* The gate every administration endpoint passes first: an administrator at all. */
static bool admin_gate(struct request *r)
{
    if (authz_admin(r->actor))
        return true;
    reply_error(r, ERR_FORBIDDEN, NULL);
    return false;
}

/* A name as stored: checked and NFC-normalised; replies 400 and returns NULL if bad. */
static const char *clean_name(struct request *r, const char *field, const char *v)
{
    const char *norm =
        v && admin_text_valid(v, ADMIN_NAME_MAX, false) ? feedback_normalize(r->arena, v) : NULL;
    if (!norm)
        reply_error(r, ERR_INVALID_VALUE, field);
    return norm;
}

static void reply_write_error(struct request *r, int rc)
{
    reply_store_error(r, rc); /* NOT_FOUND 404, CONFLICT 409 (a code or login taken) */
}

/* ---- offices ---- */

void h_admin_offices(struct request *r)
{
    struct office_filter f = {.limit = OFFICES_LIST_MAX};
    if (!authz_admin_office_scope(r->actor, &f.scope_prefix)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    const char *q;
    if (!param_text(r, "area", &f.area_prefix) ||
        !param_enum(r, "kind", admin_office_kinds, &f.kind) || !param_text(r, "q", &q))
        return;
    if (f.area_prefix && !geo_code_valid(f.area_prefix)) {
        reply_error(r, ERR_INVALID_VALUE, "area");
        return;
    }
    if (q) {
        char *lower = arena_strdup(r->arena, q);
        for (char *p = lower; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        f.q = lower;
    }
    struct office_list l;
    int rc = store_offices_search(r->store, r->arena, &f, &l);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.count; i++)
        json_array_append_new(arr, view_admin_office(&l.items[i]));
    reply_json(r, 200, arr);
}

struct office_change {
    int64_t admin_id;
    struct office o;
    const char *name_km, *name_en; /* update: NULL keeps */
    int active;                    /* update: -1 keeps */
    bool creating;
    struct arena *arena;
};

static int office_create_tx(struct store *s, void *ctx)
{
    struct office_change *c = ctx;
    int rc = store_office_insert(s, &c->o);
    if (rc == STORE_OK)
        rc = audit_append(s, "staff", c->admin_id, "office_created", 0,
                          arena_printf(c->arena, "code=%s kind=%s area=%s", c->o.code, c->o.kind,
                                       c->o.area_code ? c->o.area_code : "-"));
    return rc;
}

static void office_saved(struct request *r, void *ctx, int rc)
{
    struct office_change *c = ctx;
    if (rc != STORE_OK)
        reply_write_error(r, rc);
    else
        reply_json(r, c->creating ? 201 : 200, view_admin_office(&c->o));
}

struct office_body {
    const char *code, *kind, *area, *name_km, *name_en;
    bool active;
};

static const struct jf_field office_create_fields[] = {
    {"code", JF_STRING, true, false, OFFICE_CODE_MAX, 0, 0, NULL,
     offsetof(struct office_body, code)},
    {"kind", JF_ENUM, true, false, 0, 0, 0, admin_office_kinds, offsetof(struct office_body, kind)},
    {"area", JF_STRING, false, true, AREA_CODE_MAX, 0, 0, NULL, offsetof(struct office_body, area)},
    {"name_km", JF_STRING, true, false, ADMIN_NAME_MAX, 0, 0, NULL,
     offsetof(struct office_body, name_km)},
    {"name_en", JF_STRING, true, false, ADMIN_NAME_MAX, 0, 0, NULL,
     offsetof(struct office_body, name_en)},
};

void h_admin_office_create(struct request *r)
{
    if (!admin_gate(r))
        return;
    struct office_body b = {0};
    struct jf_error err;
    if (jf_parse(r->body, office_create_fields,
                 sizeof office_create_fields / sizeof office_create_fields[0], &b, &err) < 0) {
        reply_jf_error(r, &err);
        return;
    }
    if (!admin_office_code_valid(b.code)) {
        reply_error(r, ERR_INVALID_VALUE, "code");
        return;
    }
    const char *level = admin_office_level(b.kind);
    if (!level != !b.area) { /* the ministry has no area; every other office one */
        reply_error(r, b.area ? ERR_INVALID_VALUE : ERR_MISSING_FIELD, "area");
        return;
    }
    if (b.area) {
        struct area area;
        int rc = geo_code_valid(b.area) ? store_area_get(r->store, r->arena, b.area, &area)
                                        : STORE_NOT_FOUND;
        if (rc == STORE_NOT_FOUND)
            reply_error(r, ERR_UNKNOWN_AREA, "area");
        else if (rc != STORE_OK)
            reply_store_error(r, rc);
        else if (strcmp(area.level, level) != 0)
            reply_error(r, ERR_INVALID_VALUE, "area");
        if (rc != STORE_OK || strcmp(area.level, level) != 0)
            return;
    }
    struct office_change *c = arena_zalloc(r->arena, sizeof *c);
    if (!(c->o.name_km = clean_name(r, "name_km", b.name_km)) ||
        !(c->o.name_en = clean_name(r, "name_en", b.name_en)))
        return;
    if (!authz_admin_area(r->actor, b.area)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    c->admin_id = r->actor->staff.id;
    c->o.code = b.code;
    c->o.kind = b.kind;
    c->o.area_code = b.area;
    c->o.active = true;
    c->creating = true;
    c->arena = r->arena;
    server_write(r, office_create_tx, c, office_saved);
}

static const struct jf_field office_update_fields[] = {
    {"name_km", JF_STRING, false, false, ADMIN_NAME_MAX, 0, 0, NULL,
     offsetof(struct office_body, name_km)},
    {"name_en", JF_STRING, false, false, ADMIN_NAME_MAX, 0, 0, NULL,
     offsetof(struct office_body, name_en)},
    {"active", JF_BOOL, false, false, 0, 0, 0, NULL, offsetof(struct office_body, active)},
};

static int office_update_tx(struct store *s, void *ctx)
{
    struct office_change *c = ctx;
    int rc = store_office_by_code(s, c->arena, c->o.code, &c->o);
    if (rc != STORE_OK)
        return rc;
    if (c->name_km)
        c->o.name_km = c->name_km;
    if (c->name_en)
        c->o.name_en = c->name_en;
    if (c->active >= 0)
        c->o.active = c->active;
    if ((rc = store_office_update(s, &c->o)) == STORE_OK)
        rc = audit_append(s, "staff", c->admin_id, "office_updated", 0,
                          arena_printf(c->arena, "code=%s names=%s active=%s", c->o.code,
                                       c->name_km || c->name_en ? "changed" : "kept",
                                       c->active < 0 ? "kept"
                                       : c->active   ? "true"
                                                     : "false"));
    return rc;
}

void h_admin_office_update(struct request *r)
{
    if (!admin_gate(r))
        return;
    struct office_body b = {0};
    struct jf_error err;
    if (jf_parse(r->body, office_update_fields,
                 sizeof office_update_fields / sizeof office_update_fields[0], &b, &err) < 0) {
        reply_jf_error(r, &err);
        return;
    }
    struct office_change *c = arena_zalloc(r->arena, sizeof *c);
    int rc = store_office_by_code(r->store, r->arena, r->params[0], &c->o);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    if (!authz_admin_office(r->actor, &c->o)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    if ((b.name_km && !(c->name_km = clean_name(r, "name_km", b.name_km))) ||
        (b.name_en && !(c->name_en = clean_name(r, "name_en", b.name_en))))
        return;
    c->active = body_has(r, "active") ? b.active : -1;
    c->admin_id = r->actor->staff.id;
    c->arena = r->arena;
    server_write(r, office_update_tx, c, office_saved);
}

/* ---- staff ---- */

void h_admin_staff(struct request *r)
{
    const char *scope, *code;
    if (!authz_admin_staff_scope(r->actor, &scope)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    if (!param_text(r, "office", &code))
        return;
    struct office o = {.id = 0};
    if (code) {
        int rc = store_office_by_code(r->store, r->arena, code, &o);
        if (rc == STORE_NOT_FOUND)
            reply_error(r, ERR_UNKNOWN_OFFICE, "office");
        else if (rc != STORE_OK)
            reply_store_error(r, rc);
        if (rc != STORE_OK)
            return;
        if (!authz_admin_office(r->actor, &o)) {
            reply_error(r, ERR_FORBIDDEN, NULL);
            return;
        }
    }
    struct staff_entry_list l;
    int rc = store_staff_entries(r->store, r->arena, o.id, scope, &l);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.count; i++) {
        const struct staff_entry *e = &l.items[i];
        json_array_append_new(arr, view_admin_staff(e->login, e->name, e->role, e->office_code,
                                                    e->active, e->has_totp));
    }
    reply_json(r, 200, arr);
}

/* A staff account being created or changed, with the one-time secrets it may get. */
struct staff_change {
    int64_t admin_id;
    struct staff before; /* update: as read by the handler */
    struct staff u;      /* what the account becomes */
    const char *office_code;
    bool creating, set_name, set_role, set_office, set_active;
    bool reset_password, enrol_totp;
    char password[GENERATED_PASSWORD_LEN + 1];
    char hash[CRYPTO_PASSWORD_HASH_LEN];
    unsigned char secret[TOTP_SECRET_BYTES];
    const unsigned char *sealed;
    size_t sealed_len;
    bool prepared;
    struct arena *arena;
};

static void staff_change_wipe(void *p)
{
    struct staff_change *c = p;
    sodium_memzero(c->password, sizeof c->password);
    sodium_memzero(c->secret, sizeof c->secret);
}

/* On the worker pool: the slow and secret parts (Argon2id, the TOTP secret and its seal). */
static void staff_secrets_work(void *arg)
{
    struct staff_change *c = arg;
    c->prepared = true;
    if (c->reset_password) {
        staff_random_password(c->password, sizeof c->password);
        c->prepared = crypto_password_hash(c->password, c->hash) == 0;
    }
    if (c->prepared && c->enrol_totp) {
        c->prepared = totp_new_secret(c->secret) == 0;
        if (c->prepared)
            c->sealed = crypto_seal(c->arena, c->secret, sizeof c->secret, &c->sealed_len);
        c->prepared = c->prepared && c->sealed;
    }
}

static const char *staff_detail(struct staff_change *c)
{
    struct buf b;
    buf_init(&b, 512);
    buf_addf(&b, "login=%s", c->u.login);
    if (c->creating || c->set_role)
        buf_addf(&b, " role=%s", c->u.role);
    if (c->creating || c->set_office)
        buf_addf(&b, " office=%s", c->office_code ? c->office_code : "-");
    if (c->set_name)
        buf_adds(&b, " name=changed");
    if (c->set_active)
        buf_addf(&b, " active=%s", c->u.active ? "true" : "false");
    if (c->reset_password && !c->creating)
        buf_adds(&b, " password=reset");
    if (c->enrol_totp)
        buf_adds(&b, " totp=enrolled");
    const char *out = arena_strdup(c->arena, buf_cstr(&b));
    buf_release(&b);
    return out;
}

static int staff_create_tx(struct store *s, void *ctx)
{
    struct staff_change *c = ctx;
    bool created = false;
    c->u.password_hash = c->hash;
    int rc = store_staff_put(s, &c->u, &created);
    if (rc == STORE_OK && !created)
        return STORE_CONFLICT; /* the login is taken */
    struct staff fresh;
    if (rc == STORE_OK)
        rc = store_staff_by_login(s, c->arena, c->u.login, &fresh);
    if (rc == STORE_OK && c->enrol_totp) {
        fresh.totp_sealed = c->sealed;
        fresh.totp_sealed_len = c->sealed_len;
        rc = store_staff_update(s, &fresh);
    }
    if (rc == STORE_OK)
        rc = audit_append(s, "staff", c->admin_id, "staff_created", 0, staff_detail(c));
    c->u.totp_sealed = c->enrol_totp ? c->sealed : NULL;
    return rc;
}

static int staff_update_tx(struct store *s, void *ctx)
{
    struct staff_change *c = ctx;
    struct staff u;
    int rc = store_staff_get(s, c->arena, c->before.id, &u);
    if (rc != STORE_OK)
        return rc;
    if (c->set_name)
        u.name = c->u.name;
    if (c->set_role)
        u.role = c->u.role;
    if (c->set_office)
        u.office_id = c->u.office_id;
    if (c->set_active)
        u.active = c->u.active;
    if (c->reset_password) {
        u.password_hash = c->hash;
        u.failed_logins = 0;
        u.locked_until = NULL;
    }
    if (c->enrol_totp) {
        u.totp_sealed = c->sealed;
        u.totp_sealed_len = c->sealed_len;
        u.totp_last_step = 0; /* a new secret: no code of it has been used yet */
    }
    c->u = u;
    rc = store_staff_update(s, &u);
    /* a new password, a new second factor or a disabled account: its sessions end */
    if (rc == STORE_OK && (c->reset_password || c->enrol_totp || !u.active))
        rc = store_staff_sessions_revoke(s, u.id, NULL);
    if (rc == STORE_OK && c->reset_password)
        rc = store_throttle_clear(s, arena_printf(c->arena, "login:%s", u.login));
    if (rc == STORE_OK)
        rc = audit_append(s, "staff", c->admin_id, "staff_updated", 0, staff_detail(c));
    return rc;
}

static void staff_saved(struct request *r, void *ctx, int rc)
{
    struct staff_change *c = ctx;
    if (rc != STORE_OK) {
        reply_write_error(r, rc);
        return;
    }
    json_t *doc = json_pack("{s:o}", "user",
                            view_admin_staff(c->u.login, c->u.name, c->u.role, c->office_code,
                                             c->u.active, c->u.totp_sealed != NULL));
    if (c->reset_password)
        json_object_set_new(doc, "password", json_string(c->password));
    json_t *totp = json_null();
    if (c->enrol_totp) {
        const char *uri = totp_uri(r->arena, c->u.login, c->secret, sizeof c->secret);
        const char *svg = qrsvg_render(r->arena, uri);
        totp = json_pack("{s:s,s:s,s:s?}", "secret",
                         totp_base32(r->arena, c->secret, sizeof c->secret), "uri", uri, "qr_svg",
                         svg);
    }
    if (c->creating || c->enrol_totp)
        json_object_set_new(doc, "totp", totp);
    else
        json_decref(totp);
    reply_json(r, c->creating ? 201 : 200, doc);
}

static void staff_prepared(struct request *r, void *ctx)
{
    struct staff_change *c = ctx;
    if (!c->prepared) {
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    server_write(r, c->creating ? staff_create_tx : staff_update_tx, c, staff_saved);
}

struct staff_body {
    const char *login, *name, *role, *office;
    bool active, reset_password, reset_totp;
};

/* The office a body names (code NULL: none) into *o; replies 400 and returns false if it
 * does not exist or does not suit the role. */
static bool office_for_role(struct request *r, const char *role, const char *code, struct office *o)
{
    *o = (struct office){.id = 0};
    if (!code) {
        if (!admin_role_needs_office(role))
            return true;
        reply_error(r, ERR_MISSING_FIELD, "office");
        return false;
    }
    int rc = store_office_by_code(r->store, r->arena, code, o);
    if (rc == STORE_NOT_FOUND)
        reply_error(r, ERR_UNKNOWN_OFFICE, "office");
    else if (rc != STORE_OK)
        reply_store_error(r, rc);
    else if (!admin_office_suits_role(role, o))
        reply_error(r, ERR_INVALID_VALUE, "office");
    return rc == STORE_OK && admin_office_suits_role(role, o);
}

static const struct jf_field staff_create_fields[] = {
    {"login", JF_STRING, true, false, STAFF_LOGIN_MAX, 0, 0, NULL,
     offsetof(struct staff_body, login)},
    {"name", JF_STRING, true, false, STAFF_NAME_MAX, 0, 0, NULL, offsetof(struct staff_body, name)},
    {"role", JF_ENUM, true, false, 0, 0, 0, admin_roles, offsetof(struct staff_body, role)},
    {"office", JF_STRING, false, true, OFFICE_CODE_MAX, 0, 0, NULL,
     offsetof(struct staff_body, office)},
};

void h_admin_staff_create(struct request *r)
{
    if (!admin_gate(r))
        return;
    struct staff_body b = {0};
    struct jf_error err;
    if (jf_parse(r->body, staff_create_fields,
                 sizeof staff_create_fields / sizeof staff_create_fields[0], &b, &err) < 0) {
        reply_jf_error(r, &err);
        return;
    }
    if (!staff_login_valid(b.login)) {
        reply_error(r, ERR_INVALID_VALUE, "login");
        return;
    }
    struct staff_change *c = arena_zalloc(r->arena, sizeof *c);
    arena_defer(r->arena, staff_change_wipe, c);
    const char *name = b.name && admin_text_valid(b.name, STAFF_NAME_MAX, false)
                           ? feedback_normalize(r->arena, b.name)
                           : NULL;
    if (!name) {
        reply_error(r, ERR_INVALID_VALUE, "name");
        return;
    }
    struct office o;
    if (!office_for_role(r, b.role, b.office, &o))
        return;
    c->u = (struct staff){
        .login = b.login, .name = name, .role = b.role, .office_id = o.id, .active = true};
    if (!authz_admin_staff(r->actor, NULL, NULL, &c->u, &o)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    struct staff existing;
    int rc = store_staff_by_login(r->store, r->arena, b.login, &existing);
    if (rc != STORE_NOT_FOUND) {
        reply_store_error(r, rc == STORE_OK ? STORE_CONFLICT : rc);
        return;
    }
    c->admin_id = r->actor->staff.id;
    c->office_code = o.id ? o.code : NULL;
    c->creating = true;
    c->reset_password = true;
    c->enrol_totp = staff_role_needs_totp(b.role);
    c->arena = r->arena;
    server_defer(r, staff_secrets_work, staff_prepared, c);
}

static const struct jf_field staff_update_fields[] = {
    {"name", JF_STRING, false, false, STAFF_NAME_MAX, 0, 0, NULL,
     offsetof(struct staff_body, name)},
    {"role", JF_ENUM, false, false, 0, 0, 0, admin_roles, offsetof(struct staff_body, role)},
    {"office", JF_STRING, false, true, OFFICE_CODE_MAX, 0, 0, NULL,
     offsetof(struct staff_body, office)},
    {"active", JF_BOOL, false, false, 0, 0, 0, NULL, offsetof(struct staff_body, active)},
    {"reset_password", JF_BOOL, false, false, 0, 0, 0, NULL,
     offsetof(struct staff_body, reset_password)},
    {"reset_totp", JF_BOOL, false, false, 0, 0, 0, NULL, offsetof(struct staff_body, reset_totp)},
};

void h_admin_staff_update(struct request *r)
{
    if (!admin_gate(r))
        return;
    struct staff_body b = {0};
    struct jf_error err;
    if (jf_parse(r->body, staff_update_fields,
                 sizeof staff_update_fields / sizeof staff_update_fields[0], &b, &err) < 0) {
        reply_jf_error(r, &err);
        return;
    }
    struct staff_change *c = arena_zalloc(r->arena, sizeof *c);
    arena_defer(r->arena, staff_change_wipe, c);
    int rc = store_staff_by_login(r->store, r->arena, r->params[0], &c->before);
    struct office before_office = {.id = 0}, after_office;
    if (rc == STORE_OK && c->before.office_id)
        rc = store_office_get(r->store, r->arena, c->before.office_id, &before_office);
    if (rc != STORE_OK) {
        reply_store_error(r, rc);
        return;
    }
    c->u = c->before;
    c->set_name = b.name != NULL;
    c->set_role = b.role && strcmp(b.role, c->before.role) != 0;
    c->set_active = body_has(r, "active") && b.active != c->before.active;
    if (c->set_name) {
        c->u.name = admin_text_valid(b.name, STAFF_NAME_MAX, false)
                        ? feedback_normalize(r->arena, b.name)
                        : NULL;
        if (!c->u.name) {
            reply_error(r, ERR_INVALID_VALUE, "name");
            return;
        }
    }
    if (c->set_role)
        c->u.role = b.role;
    if (c->set_active)
        c->u.active = b.active;
    after_office = before_office;
    if (body_has(r, "office")) {
        if (!office_for_role(r, c->u.role, b.office, &after_office))
            return;
    } else if (c->set_role && !admin_office_suits_role(c->u.role, &before_office)) {
        reply_error(r, before_office.id ? ERR_INVALID_VALUE : ERR_MISSING_FIELD, "office");
        return;
    }
    c->u.office_id = after_office.id;
    c->set_office = c->u.office_id != c->before.office_id;
    if (!authz_admin_staff(r->actor, &c->before, &before_office, &c->u, &after_office)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    c->admin_id = r->actor->staff.id;
    c->office_code = after_office.id ? after_office.code : NULL;
    c->reset_password = b.reset_password;
    c->enrol_totp = b.reset_totp || (staff_role_needs_totp(c->u.role) && !c->before.totp_sealed);
    c->arena = r->arena;
    if (c->reset_password || c->enrol_totp) {
        server_defer(r, staff_secrets_work, staff_prepared, c);
        return;
    }
    c->prepared = true;
    staff_prepared(r, c);
}

/* ---- audit ---- */

void h_admin_audit(struct request *r)
{
    struct audit_filter f = {.limit = AUDIT_LIMIT_DEFAULT};
    if (!authz_audit_scope(r->actor, &f)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    const char *actor, *number;
    long long limit = AUDIT_LIMIT_DEFAULT, cursor = 0;
    if (!param_text(r, "action", &f.action) || !param_text(r, "actor", &actor) ||
        !param_text(r, "case", &number) || !param_int(r, "cursor", 1, INT64_MAX, &cursor) ||
        !param_int(r, "limit", 1, AUDIT_LIMIT_MAX, &limit))
        return;
    f.before_id = cursor;
    f.limit = (size_t)limit + 1; /* one more tells whether there is a next page */
    json_t *entries = json_array();
    struct audit_view_list l = {NULL, 0};
    int rc = STORE_OK;
    bool none = false; /* an unknown login or case number matches nothing */
    if (actor) {
        struct staff u;
        rc = store_staff_by_login(r->store, r->arena, actor, &u);
        none = rc == STORE_NOT_FOUND;
        f.actor_id = rc == STORE_OK ? u.id : 0;
    }
    if (rc == STORE_OK && number) {
        struct case_row c;
        rc = store_case_by_number(r->store, r->arena, number, &c);
        none = none || rc == STORE_NOT_FOUND;
        f.case_id = rc == STORE_OK ? c.id : 0;
    }
    if (rc == STORE_NOT_FOUND)
        rc = STORE_OK;
    if (rc == STORE_OK && !none)
        rc = store_audit_search(r->store, r->arena, &f, &l);
    if (rc != STORE_OK) {
        json_decref(entries);
        reply_store_error(r, rc);
        return;
    }
    size_t shown = l.count > (size_t)limit ? (size_t)limit : l.count;
    for (size_t i = 0; i < shown; i++) {
        const struct audit_view *v = &l.items[i];
        json_array_append_new(entries, json_pack("{s:I,s:s,s:s,s:s?,s:s,s:s?,s:s}", "id",
                                                 (json_int_t)v->e.id, "at", v->e.at, "actor_kind",
                                                 v->e.actor_kind, "actor", v->actor_login, "action",
                                                 v->e.action, "case", v->case_number, "detail",
                                                 v->e.detail ? v->e.detail : ""));
    }
    json_t *next =
        l.count > shown ? json_sprintf("%lld", (long long)l.items[shown - 1].e.id) : json_null();
    reply_json(r, 200, json_pack("{s:o,s:o}", "entries", entries, "next_cursor", next));
}

struct verify {
    const char *db_url;
    struct audit_report report;
    int rc;
};

/* On the worker pool with a connection of its own: the chain may be long. */
static void verify_work(void *arg)
{
    struct verify *v = arg;
    struct store *s;
    const char *err = NULL;
    v->rc = store_open(v->db_url, &s, &err);
    if (v->rc != STORE_OK)
        return;
    v->rc = audit_verify(s, &v->report);
    store_close(s);
}

static void verify_done(struct request *r, void *arg)
{
    struct verify *v = arg;
    if (v->rc != STORE_OK) {
        reply_store_error(r, v->rc);
        return;
    }
    reply_json(
        r, 200,
        json_pack("{s:I,s:b,s:o}", "entries", (json_int_t)v->report.entries, "intact",
                  v->report.first_bad_id == 0, "first_bad_id",
                  v->report.first_bad_id ? json_integer(v->report.first_bad_id) : json_null()));
}

void h_admin_audit_verify(struct request *r)
{
    const struct server_config *cfg = server_config();
    if (!authz_admin_national(r->actor)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    if (!cfg) {
        reply_error(r, ERR_UNAVAILABLE, NULL);
        return;
    }
    struct verify *v = arena_zalloc(r->arena, sizeof *v);
    v->db_url = cfg->db_url;
    server_defer(r, verify_work, verify_done, v);
}
