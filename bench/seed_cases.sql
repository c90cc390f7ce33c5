-- 100,000 synthetic cases for the inbox benchmark: 2 % of them at C-120101, the rest spread
-- over every commune office. Receipt hashes are random; the FTS index is kept by triggers.
CREATE TEMP TABLE co AS
    SELECT row_number() OVER (ORDER BY id) AS k, id, area_code FROM offices WHERE kind = 'commune';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
INSERT INTO cases (number, kind, status, office_id, area_code, text, language, receipt_hash,
                   made_at, created_at, updated_at, due_acknowledge, due_answer)
SELECT 'BENCH-' || n.i,
       CASE n.i % 4 WHEN 0 THEN 'complaint' WHEN 1 THEN 'support' WHEN 2 THEN 'information'
                    ELSE 'evaluation' END,
       CASE n.i % 5 WHEN 0 THEN 'submitted' WHEN 1 THEN 'acknowledged' WHEN 2 THEN 'in_progress'
                    WHEN 3 THEN 'answered' ELSE 'closed' END,
       co.id, co.area_code,
       'Synthetic case ' || n.i || ': the clerk asked for an unofficial fee for a certificate',
       'en', randomblob(32),
       '2026-10-01T03:00:00Z', '2026-10-01T03:00:00Z', '2026-10-01T03:00:00Z',
       '2026-10-03T17:00:00Z', '2026-10-22T17:00:00Z'
FROM n JOIN co ON co.k = CASE WHEN n.i % 50 = 0
                              THEN (SELECT k FROM co WHERE area_code = '120101')
                              ELSE 1 + n.i % (SELECT count(*) FROM co) END;
