-- 100,000 synthetic cases for the feedback benchmark (bench/feedback.sh), run with the
-- sqlite3 shell on a fresh `ourvoice init --demo` database before the server starts.
--
-- One case every 5 minutes over the past ~347 days, newest last (ids grow with time, as in
-- life). Every 50th case goes to C-120101 (about 2,000, the demo officer's inbox); the
-- others are spread over every commune office. Cases older than 14 days are answered,
-- closed or rejected; newer ones are open with deadlines still ahead, so the deadline job
-- finds nothing to escalate. Numbers follow the real pattern OFFICE-YEAR-NNNNNN, per office
-- and year, and case_counters is moved past them so new submissions continue the series.
-- Receipt hashes are random (no receipt opens these cases). Each case gets its
-- "submitted" event. The FTS index is filled by the insert trigger.
BEGIN;
CREATE TEMP TABLE co AS
    SELECT row_number() OVER (ORDER BY id) AS k, id, area_code FROM offices
    WHERE kind = 'commune' AND active = 1;
CREATE TEMP TABLE seed AS
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000),
    t AS (SELECT i, CAST(strftime('%s', 'now') AS INTEGER) - (100001 - i) * 300 AS at FROM n)
    SELECT t.i, t.at, co.id AS office_id, co.area_code,
           strftime('%Y', t.at, 'unixepoch') AS year
    FROM t JOIN co ON co.k = CASE WHEN t.i % 50 = 0
                                  THEN (SELECT k FROM co WHERE area_code = '120101')
                                  ELSE 1 + t.i % (SELECT count(*) FROM co) END;
CREATE TEMP TABLE seq AS
    SELECT i, row_number() OVER (PARTITION BY office_id, year ORDER BY i) AS n FROM seed;

INSERT INTO cases (number, kind, status, office_id, area_code, text, language, receipt_hash,
                   made_at, created_at, updated_at, acknowledged_at, answered_at, closed_at,
                   due_acknowledge, due_answer)
SELECT o.code || '-' || s.year || '-' || printf('%06d', q.n),
       CASE s.i % 4 WHEN 0 THEN 'complaint' WHEN 1 THEN 'support' WHEN 2 THEN 'information'
                    ELSE 'evaluation' END,
       CASE WHEN s.at > unixepoch('now') - 14 * 86400
            THEN CASE s.i % 3 WHEN 0 THEN 'submitted' WHEN 1 THEN 'acknowledged'
                              ELSE 'in_progress' END
            ELSE CASE s.i % 5 WHEN 0 THEN 'rejected' WHEN 1 THEN 'answered' ELSE 'closed' END
       END,
       s.office_id, s.area_code,
       CASE s.i % 3
           WHEN 0 THEN 'Case ' || s.i || ': the clerk asked for an unofficial fee before issuing the birth certificate.'
           WHEN 1 THEN 'Case ' || s.i || ': the road to the village school floods every rainy season.'
           ELSE 'ករណី ' || s.i || ' ៖ សូមព័ត៌មានអំពីការចុះបញ្ជីអាជីវកម្ម និងថ្លៃសេវា។'
       END,
       CASE s.i % 3 WHEN 2 THEN 'km' ELSE 'en' END,
       randomblob(32),
       strftime('%Y-%m-%dT%H:%M:%SZ', s.at, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%SZ', s.at, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%SZ', s.at, 'unixepoch'),
       CASE WHEN s.at > unixepoch('now') - 14 * 86400 AND s.i % 3 = 0 THEN NULL
            ELSE strftime('%Y-%m-%dT%H:%M:%SZ', s.at + 86400, 'unixepoch') END,
       CASE WHEN s.at > unixepoch('now') - 14 * 86400 THEN NULL
            ELSE strftime('%Y-%m-%dT%H:%M:%SZ', s.at + 7 * 86400, 'unixepoch') END,
       CASE WHEN s.at > unixepoch('now') - 14 * 86400 OR s.i % 5 = 1 THEN NULL
            ELSE strftime('%Y-%m-%dT%H:%M:%SZ', s.at + 9 * 86400, 'unixepoch') END,
       strftime('%Y-%m-%dT%H:%M:%SZ', s.at + CASE WHEN s.at > unixepoch('now') - 14 * 86400
                                                  THEN 17 ELSE 3 END * 86400, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%SZ', s.at + CASE WHEN s.at > unixepoch('now') - 14 * 86400
                                                  THEN 35 ELSE 21 END * 86400, 'unixepoch')
FROM seed s JOIN seq q ON q.i = s.i JOIN offices o ON o.id = s.office_id
ORDER BY s.i;

INSERT INTO events (case_id, at, actor_kind, type, visibility, to_office, status)
SELECT id, created_at, 'citizen', 'submitted', 'public', office_id, 'submitted' FROM cases
WHERE receipt_hash IS NOT NULL AND id NOT IN (SELECT case_id FROM events);

INSERT INTO case_counters (office_id, year, next)
SELECT office_id, CAST(year AS INTEGER), count(*) FROM seed WHERE true GROUP BY office_id, year
ON CONFLICT (office_id, year) DO UPDATE SET next = max(next, excluded.next);
COMMIT;
