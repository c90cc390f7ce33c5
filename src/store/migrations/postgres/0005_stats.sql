-- Public statistics from roll-up tables (docs/statistics.md). PostgreSQL translation of
-- sqlite/0005_stats.sql: the same tables and views, the same figures. One view,
-- case_stat_rows, says what a case contributes: one row per scope (nation, province,
-- district, commune, handling office) × breakdown (dim) it counts in. Triggers add a case's
-- rows when it is inserted and, when a figure-bearing column changes, take the old rows away
-- before the update and add the new ones after, in the same transaction as the change.
-- SQLite shares the adding between its triggers through a stats_pending table; here the
-- triggers call PL/pgSQL functions instead, so there is no such table.

-- The complaint says the citizen was charged above the official fee (complaints only).
ALTER TABLE cases ADD COLUMN overcharged integer NOT NULL DEFAULT 0;

CREATE INDEX cases_published ON cases(id) WHERE public_consent = 1 AND public_approved = 1;

-- Set while `ourvoice seed` bulk-loads cases: the triggers stand still and the seed
-- rebuilds the roll-ups at the end.
CREATE TABLE stats_control (paused integer NOT NULL);
INSERT INTO stats_control (paused) VALUES (0);

-- Scope levels: -1 the handling office, 0 the nation, 2/4/6 the first characters of the
-- area code (province, district, commune).
CREATE TABLE stats_levels (level integer PRIMARY KEY);
INSERT INTO stats_levels (level) VALUES (-1), (0), (2), (4), (6);

CREATE TABLE stats_dims (dim text COLLATE "C" PRIMARY KEY);
INSERT INTO stats_dims (dim) VALUES ('all'), ('kind'), ('status'), ('sex'), ('age_band'),
                                    ('disability'), ('service'), ('office');
-- (the planner's row estimates for the view come from these two tables: give it real ones)
ANALYZE stats_levels, stats_dims;

-- Whole days from one RFC 3339 time to another, as SQLite's
-- max(0, min(365, CAST(julianday(b) - julianday(a) AS INTEGER))): NULL when either is NULL.
CREATE FUNCTION stats_days(a text, b text) RETURNS integer LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL
                ELSE greatest(0, least(365, trunc(extract(epoch FROM
                         (b::timestamptz - a::timestamptz)) / 86400)::integer)) END
$$;

-- What one case is, for statistics: its month in Cambodian time and its outcome now.
CREATE VIEW case_stat_facts AS
SELECT id AS case_id,
       to_char((created_at::timestamptz AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM')
           COLLATE "C" AS month,
       kind, status, office_id, area_code, scores,
       coalesce(sex, 'unsaid') AS sex,
       coalesce(age_band, 'unsaid') AS age_band,
       (CASE disability WHEN 1 THEN 'yes' WHEN 0 THEN 'no' ELSE 'unsaid' END) COLLATE "C"
           AS disability,
       coalesce(service_code, 'other') AS service,
       (kind = 'complaint')::integer AS complaint,
       (kind = 'support')::integer AS support,
       (kind = 'information')::integer AS information,
       (kind = 'evaluation')::integer AS evaluation,
       (status IN ('submitted', 'acknowledged', 'in_progress'))::integer AS open,
       (kind <> 'evaluation')::integer AS to_answer,
       (kind <> 'evaluation' AND (answered_at IS NOT NULL OR status = 'rejected'))::integer
           AS responded,
       (acknowledged_at IS NOT NULL)::integer AS acknowledged,
       (answered_at IS NOT NULL)::integer AS answered,
       coalesce((answered_at <= due_answer)::integer, 0) AS answered_in_time,
       (satisfied IS NOT NULL)::integer AS rated,
       coalesce(satisfied, 0) AS satisfied,
       (rating IS NOT NULL)::integer AS rating_n,
       coalesce(rating, 0) AS rating_sum,
       (kind = 'complaint' AND overcharged = 1)::integer AS overcharged,
       stats_days(created_at, acknowledged_at) AS acknowledge_days,
       stats_days(created_at, answered_at) AS answer_days
FROM cases;

CREATE VIEW case_stat_rows AS
SELECT f.*,
       (CASE l.level WHEN -1 THEN 'office:' || f.office_id WHEN 0 THEN ''
                     ELSE substr(f.area_code, 1, l.level) END) COLLATE "C" AS scope,
       d.dim,
       (CASE d.dim WHEN 'all' THEN '' WHEN 'kind' THEN f.kind WHEN 'status' THEN f.status
                   WHEN 'sex' THEN f.sex WHEN 'age_band' THEN f.age_band
                   WHEN 'disability' THEN f.disability WHEN 'service' THEN f.service
                   ELSE CAST(f.office_id AS text) END) COLLATE "C" AS value
FROM case_stat_facts f
JOIN stats_levels l ON l.level <= length(f.area_code)
CROSS JOIN stats_dims d;

CREATE TABLE stats_cells (
    scope            text COLLATE "C" NOT NULL,
    dim              text COLLATE "C" NOT NULL,
    value            text COLLATE "C" NOT NULL,
    month            text COLLATE "C" NOT NULL,
    n                bigint NOT NULL,
    complaint        bigint NOT NULL,
    support          bigint NOT NULL,
    information      bigint NOT NULL,
    evaluation       bigint NOT NULL,
    open             bigint NOT NULL,
    to_answer        bigint NOT NULL,
    responded        bigint NOT NULL,
    acknowledged     bigint NOT NULL,
    answered         bigint NOT NULL,
    answered_in_time bigint NOT NULL,
    rated            bigint NOT NULL,
    satisfied        bigint NOT NULL,
    rating_n         bigint NOT NULL,
    rating_sum       bigint NOT NULL,
    overcharged      bigint NOT NULL,
    PRIMARY KEY (scope, dim, value, month)
);

-- Histograms of whole days to acknowledge / to answer, for the breakdowns all, kind, sex
-- and office only (kept small: a national database holds millions of roll-up rows).
CREATE TABLE stats_delays (
    scope   text COLLATE "C" NOT NULL,
    dim     text COLLATE "C" NOT NULL,
    value   text COLLATE "C" NOT NULL,
    month   text COLLATE "C" NOT NULL,
    measure text COLLATE "C" NOT NULL CHECK (measure IN ('acknowledge', 'answer')),
    days    integer NOT NULL,
    n       bigint NOT NULL,
    PRIMARY KEY (scope, dim, value, month, measure, days)
);

-- Evaluation scores per criterion, for the breakdowns all, kind, sex and office only.
CREATE TABLE stats_scores (
    scope     text COLLATE "C" NOT NULL,
    dim       text COLLATE "C" NOT NULL,
    value     text COLLATE "C" NOT NULL,
    month     text COLLATE "C" NOT NULL,
    criterion text COLLATE "C" NOT NULL,
    n         bigint NOT NULL,
    sum       bigint NOT NULL,
    PRIMARY KEY (scope, dim, value, month, criterion)
);

-- Adds what case `target` contributes now.
CREATE FUNCTION stats_add(target bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_cells AS t
    SELECT scope, dim, value, month, 1, complaint, support, information, evaluation, open,
           to_answer, responded, acknowledged, answered, answered_in_time, rated, satisfied,
           rating_n, rating_sum, overcharged
    FROM case_stat_rows WHERE case_id = target
    ON CONFLICT (scope, dim, value, month) DO UPDATE SET
        n = t.n + excluded.n, complaint = t.complaint + excluded.complaint,
        support = t.support + excluded.support,
        information = t.information + excluded.information,
        evaluation = t.evaluation + excluded.evaluation, open = t.open + excluded.open,
        to_answer = t.to_answer + excluded.to_answer,
        responded = t.responded + excluded.responded,
        acknowledged = t.acknowledged + excluded.acknowledged,
        answered = t.answered + excluded.answered,
        answered_in_time = t.answered_in_time + excluded.answered_in_time,
        rated = t.rated + excluded.rated, satisfied = t.satisfied + excluded.satisfied,
        rating_n = t.rating_n + excluded.rating_n,
        rating_sum = t.rating_sum + excluded.rating_sum,
        overcharged = t.overcharged + excluded.overcharged;
    INSERT INTO stats_delays AS t
    SELECT scope, dim, value, month, 'acknowledge', acknowledge_days, 1 FROM case_stat_rows
    WHERE case_id = target AND dim IN ('all', 'kind', 'sex', 'office')
      AND acknowledge_days IS NOT NULL
    ON CONFLICT (scope, dim, value, month, measure, days) DO UPDATE SET n = t.n + 1;
    INSERT INTO stats_delays AS t
    SELECT scope, dim, value, month, 'answer', answer_days, 1 FROM case_stat_rows
    WHERE case_id = target AND dim IN ('all', 'kind', 'sex', 'office')
      AND answer_days IS NOT NULL
    ON CONFLICT (scope, dim, value, month, measure, days) DO UPDATE SET n = t.n + 1;
    INSERT INTO stats_scores AS t
    SELECT r.scope, r.dim, r.value, r.month, j.key, 1, j.value::bigint
    FROM case_stat_rows r CROSS JOIN LATERAL jsonb_each_text(r.scores::jsonb) AS j
    WHERE r.case_id = target AND r.dim IN ('all', 'kind', 'sex', 'office')
    ON CONFLICT (scope, dim, value, month, criterion) DO UPDATE SET
        n = t.n + 1, sum = t.sum + excluded.sum;
END
$$;

-- Takes away what case `target` contributes now (rows that reach zero stay, as in SQLite).
CREATE FUNCTION stats_remove(target bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE stats_cells t SET
        n = t.n - 1, complaint = t.complaint - r.complaint,
        support = t.support - r.support, information = t.information - r.information,
        evaluation = t.evaluation - r.evaluation, open = t.open - r.open,
        to_answer = t.to_answer - r.to_answer, responded = t.responded - r.responded,
        acknowledged = t.acknowledged - r.acknowledged, answered = t.answered - r.answered,
        answered_in_time = t.answered_in_time - r.answered_in_time,
        rated = t.rated - r.rated, satisfied = t.satisfied - r.satisfied,
        rating_n = t.rating_n - r.rating_n, rating_sum = t.rating_sum - r.rating_sum,
        overcharged = t.overcharged - r.overcharged
    FROM (SELECT * FROM case_stat_rows WHERE case_id = target) AS r
    WHERE t.scope = r.scope AND t.dim = r.dim AND t.value = r.value AND t.month = r.month;
    UPDATE stats_delays t SET n = t.n - 1
    FROM (SELECT scope, dim, value, month, 'acknowledge' AS measure, acknowledge_days AS days
          FROM case_stat_rows
          WHERE case_id = target AND dim IN ('all', 'kind', 'sex', 'office')
            AND acknowledge_days IS NOT NULL
          UNION ALL
          SELECT scope, dim, value, month, 'answer', answer_days FROM case_stat_rows
          WHERE case_id = target AND dim IN ('all', 'kind', 'sex', 'office')
            AND answer_days IS NOT NULL) AS r
    WHERE t.scope = r.scope AND t.dim = r.dim AND t.value = r.value AND t.month = r.month
      AND t.measure = r.measure AND t.days = r.days;
    UPDATE stats_scores t SET n = t.n - 1, sum = t.sum - r.score
    FROM (SELECT c.scope, c.dim, c.value, c.month, j.key AS criterion,
                 j.value::bigint AS score
          FROM case_stat_rows c CROSS JOIN LATERAL jsonb_each_text(c.scores::jsonb) AS j
          WHERE c.case_id = target AND c.dim IN ('all', 'kind', 'sex', 'office')) AS r
    WHERE t.scope = r.scope AND t.dim = r.dim AND t.value = r.value AND t.month = r.month
      AND t.criterion = r.criterion;
END
$$;

-- The trigger functions (a trigger's WHEN cannot read stats_control, so they do).
CREATE FUNCTION stats_case_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM stats_control WHERE paused <> 0) THEN
        PERFORM stats_add(new.id);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION stats_case_leaving() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM stats_control WHERE paused <> 0) THEN
        PERFORM stats_remove(old.id);
    END IF;
    RETURN new;
END
$$;

CREATE TRIGGER stats_case_added AFTER INSERT ON cases
    FOR EACH ROW EXECUTE FUNCTION stats_case_added();

-- Before a change to what a case contributes: take its old rows away.
CREATE TRIGGER stats_case_leaving BEFORE UPDATE ON cases FOR EACH ROW
WHEN (old.kind IS DISTINCT FROM new.kind OR old.status IS DISTINCT FROM new.status
  OR old.office_id IS DISTINCT FROM new.office_id OR old.area_code IS DISTINCT FROM new.area_code
  OR old.service_code IS DISTINCT FROM new.service_code OR old.sex IS DISTINCT FROM new.sex
  OR old.age_band IS DISTINCT FROM new.age_band
  OR old.disability IS DISTINCT FROM new.disability
  OR old.scores IS DISTINCT FROM new.scores OR old.created_at IS DISTINCT FROM new.created_at
  OR old.acknowledged_at IS DISTINCT FROM new.acknowledged_at
  OR old.answered_at IS DISTINCT FROM new.answered_at
  OR old.due_answer IS DISTINCT FROM new.due_answer
  OR old.satisfied IS DISTINCT FROM new.satisfied OR old.rating IS DISTINCT FROM new.rating
  OR old.overcharged IS DISTINCT FROM new.overcharged)
    EXECUTE FUNCTION stats_case_leaving();

-- After it: add the new rows.
CREATE TRIGGER stats_case_changed AFTER UPDATE ON cases FOR EACH ROW
WHEN (old.kind IS DISTINCT FROM new.kind OR old.status IS DISTINCT FROM new.status
  OR old.office_id IS DISTINCT FROM new.office_id OR old.area_code IS DISTINCT FROM new.area_code
  OR old.service_code IS DISTINCT FROM new.service_code OR old.sex IS DISTINCT FROM new.sex
  OR old.age_band IS DISTINCT FROM new.age_band
  OR old.disability IS DISTINCT FROM new.disability
  OR old.scores IS DISTINCT FROM new.scores OR old.created_at IS DISTINCT FROM new.created_at
  OR old.acknowledged_at IS DISTINCT FROM new.acknowledged_at
  OR old.answered_at IS DISTINCT FROM new.answered_at
  OR old.due_answer IS DISTINCT FROM new.due_answer
  OR old.satisfied IS DISTINCT FROM new.satisfied OR old.rating IS DISTINCT FROM new.rating
  OR old.overcharged IS DISTINCT FROM new.overcharged)
    EXECUTE FUNCTION stats_case_added();
