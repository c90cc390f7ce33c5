-- Feedback from submission to closure: cases and their append-only timeline, routing rules,
-- deadlines, receipts (hashes only), sessions, throttling, the outbox and the audit chain.

-- Routing (DESIGN §2), editable by the national admin. `condition` is 'default',
-- 'bypass' (the citizen asked that the office not handle it) or 'sensitive'
-- (gender-sensitive complaint). `kind` '*' matches any kind.
CREATE TABLE routing_rules (
    delivered_by TEXT NOT NULL CHECK (delivered_by IN ('commune', 'owso', 'owsu')),
    kind         TEXT NOT NULL CHECK (kind IN ('complaint', 'support', 'information',
                                              'evaluation', '*')),
    condition    TEXT NOT NULL CHECK (condition IN ('default', 'bypass', 'sensitive')),
    target_kind  TEXT NOT NULL CHECK (target_kind IN ('commune', 'owso', 'district_ombudsman',
                                                      'owsu', 'provincial_ombudsman', 'ministry')),
    PRIMARY KEY (delivered_by, kind, condition)
) WITHOUT ROWID;
INSERT INTO routing_rules VALUES
    ('commune', '*', 'default', 'commune'),
    ('commune', 'complaint', 'bypass', 'district_ombudsman'),
    ('commune', 'complaint', 'sensitive', 'district_ombudsman'),
    ('owso', '*', 'default', 'owso'),
    ('owso', 'complaint', 'default', 'district_ombudsman'),
    ('owso', 'complaint', 'sensitive', 'district_ombudsman'),
    ('owsu', '*', 'default', 'owsu'),
    ('owsu', 'complaint', 'default', 'provincial_ombudsman'),
    ('owsu', 'complaint', 'sensitive', 'provincial_ombudsman');

-- Deadlines in working days per kind (NULL: no answer deadline).
CREATE TABLE deadlines (
    kind             TEXT PRIMARY KEY CHECK (kind IN ('complaint', 'support', 'information',
                                                      'evaluation')),
    acknowledge_days INTEGER NOT NULL CHECK (acknowledge_days >= 0),
    answer_days      INTEGER CHECK (answer_days IS NULL OR answer_days >= 0)
) WITHOUT ROWID;
INSERT INTO deadlines VALUES ('complaint', 2, 15), ('support', 2, 5), ('information', 2, 5),
                             ('evaluation', 2, NULL);

ALTER TABLE staff ADD COLUMN totp_secret BLOB;  -- sealed by the crypto module
ALTER TABLE staff ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN locked_until TEXT;

-- Case numbers: one sequence per office and year ("C-120101/2026/000042").
CREATE TABLE case_counters (
    office_id INTEGER NOT NULL REFERENCES offices(id),
    year      INTEGER NOT NULL,
    next      INTEGER NOT NULL,
    PRIMARY KEY (office_id, year)
) WITHOUT ROWID;

CREATE TABLE cases (
    id                INTEGER PRIMARY KEY,
    number            TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL CHECK (kind IN ('complaint', 'support', 'information',
                                                    'evaluation')),
    status            TEXT NOT NULL CHECK (status IN ('submitted', 'acknowledged', 'in_progress',
                                                      'answered', 'closed', 'rejected')),
    office_id         INTEGER NOT NULL REFERENCES offices(id),    -- handling now
    origin_office_id  INTEGER REFERENCES offices(id),             -- delivered the service
    ccwc_office_id    INTEGER REFERENCES offices(id),             -- CCWC of this commune may help
    area_code         TEXT NOT NULL REFERENCES areas(code),
    service_code      TEXT REFERENCES services(code),             -- NULL: "other"
    text              TEXT NOT NULL,
    language          TEXT NOT NULL CHECK (language IN ('km', 'en')),
    scores            TEXT,                                        -- JSON object, evaluations
    sensitive         INTEGER NOT NULL DEFAULT 0,
    bypass_office     INTEGER NOT NULL DEFAULT 0,
    public_consent    INTEGER NOT NULL DEFAULT 0,
    public_approved   INTEGER NOT NULL DEFAULT 0,
    sex               TEXT CHECK (sex IN ('female', 'male', 'other', 'unsaid')),
    age_band          TEXT,
    disability        INTEGER,
    receipt_hash      BLOB NOT NULL UNIQUE,   -- Argon2id(keyed BLAKE2b(receipt))
    contact_sealed    BLOB,                   -- sealed box: phone, e-mail, telegram
    name_sealed       BLOB,                   -- sealed box: the name, only if shared
    assigned_to       INTEGER REFERENCES staff(id),
    escalation_level  INTEGER NOT NULL DEFAULT 0,
    made_at           TEXT NOT NULL,          -- when the citizen made it (offline queue)
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    acknowledged_at   TEXT,
    answered_at       TEXT,
    closed_at         TEXT,
    due_acknowledge   TEXT NOT NULL,
    due_answer        TEXT,
    breached          TEXT,                   -- which deadline escalated last ('acknowledge'/'answer')
    satisfied         INTEGER,
    rating            INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
    rating_comment    TEXT
);
CREATE INDEX cases_by_office ON cases(office_id, id DESC);
CREATE INDEX cases_by_area ON cases(area_code, id DESC);
CREATE INDEX cases_by_status_due ON cases(status, due_acknowledge, due_answer);
CREATE INDEX cases_by_ccwc ON cases(ccwc_office_id) WHERE ccwc_office_id IS NOT NULL;

-- Full-text search over case text, Khmer and English (trigram), kept by triggers.
CREATE VIRTUAL TABLE cases_fts USING fts5(text, content='cases', content_rowid='id',
                                          tokenize='trigram');
CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER cases_fts_update AFTER UPDATE OF text ON cases BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO cases_fts(rowid, text) VALUES (new.id, new.text);
END;

-- The timeline: append-only. visibility 'public' is shown to the citizen.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    at          TEXT NOT NULL,
    actor_kind  TEXT NOT NULL CHECK (actor_kind IN ('citizen', 'staff', 'system')),
    actor_id    INTEGER REFERENCES staff(id),
    type        TEXT NOT NULL,  -- submitted, acknowledged, assigned, message, note, transferred,
                                -- escalated, answered, closed, rejected, rated, appealed, reply
    visibility  TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    text        TEXT,
    reason      TEXT,
    from_office INTEGER REFERENCES offices(id),
    to_office   INTEGER REFERENCES offices(id),
    status      TEXT           -- the case's status after this event
);
CREATE INDEX events_by_case ON events(case_id, id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only');
END;

CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    event_id   INTEGER REFERENCES events(id),
    mime       TEXT NOT NULL,
    bytes      INTEGER NOT NULL,
    data       BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX attachments_by_case ON attachments(case_id);

-- Sessions: only hashes of tokens are stored.
CREATE TABLE track_sessions (
    token_hash BLOB PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE staff_sessions (
    token_hash  BLOB PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    expires_at  TEXT NOT NULL   -- absolute expiry
) WITHOUT ROWID;

-- Throttling state shared by every node: failures per key ("addr:..." / "login:...").
CREATE TABLE throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start TEXT NOT NULL,
    last_failure TEXT NOT NULL
) WITHOUT ROWID;

-- Messages to send after commit. Recipient details are sealed; the text never holds
-- case content.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL,   -- log, sms, email, telegram, staff
    recipient_sealed BLOB,
    case_id         INTEGER REFERENCES cases(id),
    template        TEXT NOT NULL,   -- news, new_case, overdue
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_pending ON outbox(status, next_attempt_at);

-- The audit log: append-only and hash-chained (hash = BLAKE2b(prev_hash || entry)).
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id   INTEGER,
    action     TEXT NOT NULL,
    case_id    INTEGER,
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  BLOB NOT NULL,
    hash       BLOB NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
