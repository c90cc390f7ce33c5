-- Public statistics from roll-up tables (docs/statistics.md). One view, case_stat_rows,
-- says what a case contributes: one row per scope (nation, province, district, commune,
-- handling office) × breakdown (dim) it counts in. Triggers add a case's rows when it is
-- inserted and, when a figure-bearing column changes, take the old rows away before the
-- update and add the new ones after — in the same transaction as the change. A query then
-- sums a few roll-up rows instead of scanning the cases. `ourvoice stats rebuild` refills
-- the tables from the same view, `ourvoice stats check` compares them with it.

-- The complaint says the citizen was charged above the official fee (complaints only).
ALTER TABLE cases ADD COLUMN overcharged INTEGER NOT NULL DEFAULT 0;

CREATE INDEX cases_published ON cases(id) WHERE public_consent = 1 AND public_approved = 1;

-- Set while `ourvoice seed` bulk-loads cases: the triggers stand still and the seed
-- rebuilds the roll-ups at the end.
CREATE TABLE stats_control (paused INTEGER NOT NULL);
INSERT INTO stats_control (paused) VALUES (0);

-- Scope levels: -1 the handling office, 0 the nation, 2/4/6 the first characters of the
-- area code (province, district, commune).
CREATE TABLE stats_levels (level INTEGER PRIMARY KEY);
INSERT INTO stats_levels (level) VALUES (-1), (0), (2), (4), (6);

CREATE TABLE stats_dims (dim TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO stats_dims (dim) VALUES ('all'), ('kind'), ('status'), ('sex'), ('age_band'),
                                    ('disability'), ('service'), ('office');

-- What one case is, for statistics: its month in Cambodian time and its outcome now.
CREATE VIEW case_stat_facts AS
SELECT id AS case_id,
       strftime('%Y-%m', created_at, '+7 hours') AS month,
       kind, status, office_id, area_code, scores,
       coalesce(sex, 'unsaid') AS sex,
       coalesce(age_band, 'unsaid') AS age_band,
       CASE disability WHEN 1 THEN 'yes' WHEN 0 THEN 'no' ELSE 'unsaid' END AS disability,
       coalesce(service_code, 'other') AS service,
       kind = 'complaint' AS complaint,
       kind = 'support' AS support,
       kind = 'information' AS information,
       kind = 'evaluation' AS evaluation,
       status IN ('submitted', 'acknowledged', 'in_progress') AS open,
       kind <> 'evaluation' AS to_answer,
       kind <> 'evaluation' AND (answered_at IS NOT NULL OR status = 'rejected') AS responded,
       acknowledged_at IS NOT NULL AS acknowledged,
       answered_at IS NOT NULL AS answered,
       coalesce(answered_at <= due_answer, 0) AS answered_in_time,
       satisfied IS NOT NULL AS rated,
       coalesce(satisfied, 0) AS satisfied,
       rating IS NOT NULL AS rating_n,
       coalesce(rating, 0) AS rating_sum,
       kind = 'complaint' AND overcharged = 1 AS overcharged,
       max(0, min(365, CAST(julianday(acknowledged_at) - julianday(created_at) AS INTEGER)))
           AS acknowledge_days,
       max(0, min(365, CAST(julianday(answered_at) - julianday(created_at) AS INTEGER)))
           AS answer_days
FROM cases;

CREATE VIEW case_stat_rows AS
SELECT f.*,
       CASE l.level WHEN -1 THEN 'office:' || f.office_id WHEN 0 THEN ''
                    ELSE substr(f.area_code, 1, l.level) END AS scope,
       d.dim,
       CASE d.dim WHEN 'all' THEN '' WHEN 'kind' THEN f.kind WHEN 'status' THEN f.status
                  WHEN 'sex' THEN f.sex WHEN 'age_band' THEN f.age_band
                  WHEN 'disability' THEN f.disability WHEN 'service' THEN f.service
                  ELSE CAST(f.office_id AS TEXT) END AS value
FROM case_stat_facts f
JOIN stats_levels l ON l.level <= length(f.area_code)
CROSS JOIN stats_dims d;

CREATE TABLE stats_cells (
    scope            TEXT NOT NULL,
    dim              TEXT NOT NULL,
    value            TEXT NOT NULL,
    month            TEXT NOT NULL,
    n                INTEGER NOT NULL,
    complaint        INTEGER NOT NULL,
    support          INTEGER NOT NULL,
    information      INTEGER NOT NULL,
    evaluation       INTEGER NOT NULL,
    open             INTEGER NOT NULL,
    to_answer        INTEGER NOT NULL,
    responded        INTEGER NOT NULL,
    acknowledged     INTEGER NOT NULL,
    answered         INTEGER NOT NULL,
    answered_in_time INTEGER NOT NULL,
    rated            INTEGER NOT NULL,
    satisfied        INTEGER NOT NULL,
    rating_n         INTEGER NOT NULL,
    rating_sum       INTEGER NOT NULL,
    overcharged      INTEGER NOT NULL,
    PRIMARY KEY (scope, dim, value, month)
) WITHOUT ROWID;

-- Histograms of whole days to acknowledge / to answer, for the breakdowns all, kind, sex
-- and office only (kept small: a national database holds millions of roll-up rows).
CREATE TABLE stats_delays (
    scope   TEXT NOT NULL,
    dim     TEXT NOT NULL,
    value   TEXT NOT NULL,
    month   TEXT NOT NULL,
    measure TEXT NOT NULL CHECK (measure IN ('acknowledge', 'answer')),
    days    INTEGER NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (scope, dim, value, month, measure, days)
) WITHOUT ROWID;

-- Evaluation scores per criterion, for the breakdowns all, kind, sex and office only.
CREATE TABLE stats_scores (
    scope     TEXT NOT NULL,
    dim       TEXT NOT NULL,
    value     TEXT NOT NULL,
    month     TEXT NOT NULL,
    criterion TEXT NOT NULL,
    n         INTEGER NOT NULL,
    sum       INTEGER NOT NULL,
    PRIMARY KEY (scope, dim, value, month, criterion)
) WITHOUT ROWID;

-- A case whose rows are to be added: filled by the two triggers on cases below, emptied at
-- once by the trigger on it (so the adding is written once for inserts and updates).
CREATE TABLE stats_pending (case_id INTEGER PRIMARY KEY);

CREATE TRIGGER stats_pending_add AFTER INSERT ON stats_pending BEGIN
    INSERT INTO stats_cells
    SELECT scope, dim, value, month, 1, complaint, support, information, evaluation, open,
           to_answer, responded, acknowledged, answered, answered_in_time, rated, satisfied,
           rating_n, rating_sum, overcharged
    FROM case_stat_rows WHERE case_id = new.case_id
    ON CONFLICT DO UPDATE SET
        n = n + excluded.n, complaint = complaint + excluded.complaint,
        support = support + excluded.support, information = information + excluded.information,
        evaluation = evaluation + excluded.evaluation, open = open + excluded.open,
        to_answer = to_answer + excluded.to_answer, responded = responded + excluded.responded,
        acknowledged = acknowledged + excluded.acknowledged,
        answered = answered + excluded.answered,
        answered_in_time = answered_in_time + excluded.answered_in_time,
        rated = rated + excluded.rated, satisfied = satisfied + excluded.satisfied,
        rating_n = rating_n + excluded.rating_n, rating_sum = rating_sum + excluded.rating_sum,
        overcharged = overcharged + excluded.overcharged;
    INSERT INTO stats_delays
    SELECT scope, dim, value, month, 'acknowledge', acknowledge_days, 1 FROM case_stat_rows
    WHERE case_id = new.case_id AND dim IN ('all', 'kind', 'sex', 'office') AND acknowledge_days IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO stats_delays
    SELECT scope, dim, value, month, 'answer', answer_days, 1 FROM case_stat_rows
    WHERE case_id = new.case_id AND dim IN ('all', 'kind', 'sex', 'office') AND answer_days IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO stats_scores
    SELECT r.scope, r.dim, r.value, r.month, j.key, 1, j.value
    FROM case_stat_rows r, json_each(r.scores) j
    WHERE r.case_id = new.case_id AND r.dim IN ('all', 'kind', 'sex', 'office')
    ON CONFLICT DO UPDATE SET n = n + 1, sum = sum + excluded.sum;
    DELETE FROM stats_pending WHERE case_id = new.case_id;
END;

CREATE TRIGGER stats_case_added AFTER INSERT ON cases
WHEN NOT (SELECT paused FROM stats_control)
BEGIN
    INSERT INTO stats_pending (case_id) VALUES (new.id);
END;

-- Before a change to what a case contributes: take its old rows away.
CREATE TRIGGER stats_case_leaving BEFORE UPDATE ON cases
WHEN NOT (SELECT paused FROM stats_control) AND (old.kind IS NOT new.kind OR old.status IS NOT new.status
  OR old.office_id IS NOT new.office_id OR old.area_code IS NOT new.area_code
  OR old.service_code IS NOT new.service_code OR old.sex IS NOT new.sex
  OR old.age_band IS NOT new.age_band OR old.disability IS NOT new.disability
  OR old.scores IS NOT new.scores OR old.created_at IS NOT new.created_at
  OR old.acknowledged_at IS NOT new.acknowledged_at OR old.answered_at IS NOT new.answered_at
  OR old.due_answer IS NOT new.due_answer OR old.satisfied IS NOT new.satisfied
  OR old.rating IS NOT new.rating OR old.overcharged IS NOT new.overcharged)
BEGIN
    UPDATE stats_cells SET
        n = stats_cells.n - r.n, complaint = stats_cells.complaint - r.complaint,
        support = stats_cells.support - r.support,
        information = stats_cells.information - r.information,
        evaluation = stats_cells.evaluation - r.evaluation, open = stats_cells.open - r.open,
        to_answer = stats_cells.to_answer - r.to_answer,
        responded = stats_cells.responded - r.responded,
        acknowledged = stats_cells.acknowledged - r.acknowledged,
        answered = stats_cells.answered - r.answered,
        answered_in_time = stats_cells.answered_in_time - r.answered_in_time,
        rated = stats_cells.rated - r.rated, satisfied = stats_cells.satisfied - r.satisfied,
        rating_n = stats_cells.rating_n - r.rating_n,
        rating_sum = stats_cells.rating_sum - r.rating_sum,
        overcharged = stats_cells.overcharged - r.overcharged
    FROM (SELECT scope, dim, value, month, 1 AS n, complaint, support, information, evaluation,
                 open, to_answer, responded, acknowledged, answered, answered_in_time, rated,
                 satisfied, rating_n, rating_sum, overcharged
          FROM case_stat_rows WHERE case_id = old.id) AS r
    WHERE stats_cells.scope = r.scope AND stats_cells.dim = r.dim
      AND stats_cells.value = r.value AND stats_cells.month = r.month;
    UPDATE stats_delays SET n = n - 1
    FROM (SELECT scope, dim, value, month, 'acknowledge' AS measure, acknowledge_days AS days
          FROM case_stat_rows
          WHERE case_id = old.id AND dim IN ('all', 'kind', 'sex', 'office') AND acknowledge_days IS NOT NULL
          UNION ALL
          SELECT scope, dim, value, month, 'answer', answer_days FROM case_stat_rows
          WHERE case_id = old.id AND dim IN ('all', 'kind', 'sex', 'office') AND answer_days IS NOT NULL) AS r
    WHERE stats_delays.scope = r.scope AND stats_delays.dim = r.dim
      AND stats_delays.value = r.value AND stats_delays.month = r.month
      AND stats_delays.measure = r.measure AND stats_delays.days = r.days;
    UPDATE stats_scores SET n = n - 1, sum = stats_scores.sum - r.score
    FROM (SELECT c.scope, c.dim, c.value, c.month, j.key AS criterion, j.value AS score
          FROM case_stat_rows c, json_each(c.scores) j
          WHERE c.case_id = old.id AND c.dim IN ('all', 'kind', 'sex', 'office')) AS r
    WHERE stats_scores.scope = r.scope AND stats_scores.dim = r.dim
      AND stats_scores.value = r.value AND stats_scores.month = r.month
      AND stats_scores.criterion = r.criterion;
END;

-- After it: add the new rows.
CREATE TRIGGER stats_case_changed AFTER UPDATE ON cases
WHEN NOT (SELECT paused FROM stats_control) AND (old.kind IS NOT new.kind OR old.status IS NOT new.status
  OR old.office_id IS NOT new.office_id OR old.area_code IS NOT new.area_code
  OR old.service_code IS NOT new.service_code OR old.sex IS NOT new.sex
  OR old.age_band IS NOT new.age_band OR old.disability IS NOT new.disability
  OR old.scores IS NOT new.scores OR old.created_at IS NOT new.created_at
  OR old.acknowledged_at IS NOT new.acknowledged_at OR old.answered_at IS NOT new.answered_at
  OR old.due_answer IS NOT new.due_answer OR old.satisfied IS NOT new.satisfied
  OR old.rating IS NOT new.rating OR old.overcharged IS NOT new.overcharged)
BEGIN
    INSERT INTO stats_pending (case_id) VALUES (new.id);
END;
