-- Foundation: the gazetteer, the services catalogue, offices, staff and public holidays.
CREATE TABLE areas (
    code     TEXT PRIMARY KEY,
    parent   TEXT REFERENCES areas(code),
    level    TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune', 'village')),
    type_km  TEXT NOT NULL,
    type_en  TEXT NOT NULL,
    name_km  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    search   TEXT NOT NULL -- folded Latin and Khmer names, see core/text.c text_fold()
) WITHOUT ROWID;
CREATE INDEX areas_by_parent ON areas(parent, code);

CREATE TABLE services (
    code        TEXT PRIMARY KEY,
    office_kind TEXT NOT NULL CHECK (office_kind IN ('commune', 'owso', 'owsu')),
    sector      TEXT NOT NULL DEFAULT '',
    name_km     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    fee_khr     INTEGER CHECK (fee_khr IS NULL OR fee_khr >= 0),
    days        INTEGER CHECK (days IS NULL OR days >= 0),
    placeholder INTEGER NOT NULL DEFAULT 0,
    source      TEXT NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

CREATE TABLE offices (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,
    kind      TEXT NOT NULL CHECK (kind IN ('commune', 'owso', 'district_ombudsman', 'owsu',
                                            'provincial_ombudsman', 'ministry')),
    area_code TEXT REFERENCES areas(code), -- NULL: the whole nation
    name_km   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    active    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX offices_by_area ON offices(area_code, kind);

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('officer', 'head', 'ombudsman', 'ccwc',
                                                'provincial_admin', 'national_admin', 'analyst')),
    office_id     INTEGER REFERENCES offices(id),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE holidays (
    day     TEXT PRIMARY KEY, -- YYYY-MM-DD
    name_km TEXT NOT NULL,
    name_en TEXT NOT NULL
) WITHOUT ROWID;
