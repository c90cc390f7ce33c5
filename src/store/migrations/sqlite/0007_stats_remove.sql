-- Taking a case's old contribution away (before a change to it) by upserting its rows with
-- negative counts: the same primary-key probes as adding them. The UPDATE … FROM of 0005 was
-- planned with the roll-up table outside, reading every roll-up row of a scope (the nation's
-- hundreds of thousands) for each change: 180 ms per acknowledgement at a million cases.
DROP TRIGGER stats_case_leaving;

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
    INSERT INTO stats_cells
    SELECT scope, dim, value, month, -1, -complaint, -support, -information, -evaluation, -open,
           -to_answer, -responded, -acknowledged, -answered, -answered_in_time, -rated,
           -satisfied, -rating_n, -rating_sum, -overcharged
    FROM case_stat_rows WHERE case_id = old.id
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
    SELECT scope, dim, value, month, 'acknowledge', acknowledge_days, -1 FROM case_stat_rows
    WHERE case_id = old.id AND dim IN ('all', 'kind', 'sex', 'office') AND acknowledge_days IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n - 1;
    INSERT INTO stats_delays
    SELECT scope, dim, value, month, 'answer', answer_days, -1 FROM case_stat_rows
    WHERE case_id = old.id AND dim IN ('all', 'kind', 'sex', 'office') AND answer_days IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n - 1;
    INSERT INTO stats_scores
    SELECT r.scope, r.dim, r.value, r.month, j.key, -1, -j.value
    FROM case_stat_rows r, json_each(r.scores) j
    WHERE r.case_id = old.id AND r.dim IN ('all', 'kind', 'sex', 'office')
    ON CONFLICT DO UPDATE SET n = n - 1, sum = sum + excluded.sum;
END;
