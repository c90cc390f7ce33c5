-- As sqlite/0007_stats_remove.sql: a case's old contribution is taken away by upserting its
-- rows with negative counts, the same primary-key probes as adding them, instead of an
-- UPDATE … FROM whose join the planner may turn round (reading every roll-up row of a scope).
CREATE OR REPLACE FUNCTION stats_remove(target bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_cells AS t
    SELECT scope, dim, value, month, -1, -complaint, -support, -information, -evaluation, -open,
           -to_answer, -responded, -acknowledged, -answered, -answered_in_time, -rated,
           -satisfied, -rating_n, -rating_sum, -overcharged
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
    SELECT scope, dim, value, month, 'acknowledge', acknowledge_days, -1 FROM case_stat_rows
    WHERE case_id = target AND dim IN ('all', 'kind', 'sex', 'office')
      AND acknowledge_days IS NOT NULL
    ON CONFLICT (scope, dim, value, month, measure, days) DO UPDATE SET n = t.n - 1;
    INSERT INTO stats_delays AS t
    SELECT scope, dim, value, month, 'answer', answer_days, -1 FROM case_stat_rows
    WHERE case_id = target AND dim IN ('all', 'kind', 'sex', 'office')
      AND answer_days IS NOT NULL
    ON CONFLICT (scope, dim, value, month, measure, days) DO UPDATE SET n = t.n - 1;
    INSERT INTO stats_scores AS t
    SELECT r.scope, r.dim, r.value, r.month, j.key, -1, -(j.value::bigint)
    FROM case_stat_rows r CROSS JOIN LATERAL jsonb_each_text(r.scores::jsonb) AS j
    WHERE r.case_id = target AND r.dim IN ('all', 'kind', 'sex', 'office')
    ON CONFLICT (scope, dim, value, month, criterion) DO UPDATE SET
        n = t.n - 1, sum = t.sum + excluded.sum;
END
$$;
