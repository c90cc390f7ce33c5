/* The records that travel between the store, the domain and the handlers. Strings are
 * owned by whoever allocated the record (usually a request's arena). */
#ifndef OURVOICE_MODEL_H
#define OURVOICE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AREA_CODE_MAX 8
#define SERVICE_CODE_MAX 40
#define OFFICE_CODE_MAX 24

struct area {
    const char *code, *parent, *level, *type_km, *type_en, *name_km, *name_en;
};

struct area_list {
    struct area *items;
    size_t count;
};

struct service {
    const char *code, *office_kind, *sector, *name_km, *name_en, *source;
    int64_t fee_khr; /* -1: unknown */
    int days;        /* statutory working days; -1: unknown */
    bool placeholder, active;
};

struct service_list {
    struct service *items;
    size_t count;
};

struct office {
    int64_t id;
    const char *code, *kind, *area_code /* NULL: the whole nation */, *name_km, *name_en;
    bool active;
};

struct office_list {
    struct office *items;
    size_t count;
};

struct staff {
    int64_t id;
    const char *login, *name, *role, *password_hash;
    int64_t office_id; /* 0: none (national roles) */
    bool active;
};

struct holiday {
    const char *date, *name_km, *name_en;
};

#endif
