-- The staff console and administration: response templates, and the indexes that keep the
-- inbox counts, the polling for new cases and the audit log's filters cheap.

-- Texts staff pick and edit when they act on a case, per service (NULL: any service),
-- action and language. Deactivated templates stay for the record.
CREATE TABLE response_templates (
    id           INTEGER PRIMARY KEY,
    service_code TEXT REFERENCES services(code),
    action       TEXT NOT NULL CHECK (action IN ('acknowledge', 'message', 'note', 'transfer',
                                                 'escalate', 'answer', 'close', 'reject')),
    language     TEXT NOT NULL CHECK (language IN ('km', 'en')),
    title        TEXT NOT NULL,
    text         TEXT NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX response_templates_by_use ON response_templates(action, language, service_code);

INSERT INTO response_templates (service_code, action, language, title, text, created_at,
                                updated_at) VALUES
    (NULL, 'acknowledge', 'en', 'Received',
     'Thank you. We have received your feedback and will answer within the deadline.',
     strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    (NULL, 'acknowledge', 'km', 'បានទទួល',
     'សូមអរគុណ។ យើងបានទទួលមតិរបស់អ្នកហើយ ហើយនឹងឆ្លើយតបក្នុងរយៈពេលកំណត់។',
     strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    (NULL, 'message', 'en', 'More information needed',
     'To handle your case we need more information. Please reply with the details.',
     strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    (NULL, 'message', 'km', 'ត្រូវការព័ត៌មានបន្ថែម',
     'ដើម្បីដោះស្រាយករណីរបស់អ្នក យើងត្រូវការព័ត៌មានបន្ថែម។ សូមឆ្លើយតបដោយផ្តល់ព័ត៌មានលម្អិត។',
     strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    (NULL, 'reject', 'en', 'Outside our responsibility',
     'This matter is outside the responsibility of this office. Please contact the competent authority.',
     strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    (NULL, 'reject', 'km', 'ក្រៅសមត្ថកិច្ច',
     'បញ្ហានេះស្ថិតនៅក្រៅសមត្ថកិច្ចរបស់ការិយាល័យនេះ។ សូមទាក់ទងអាជ្ញាធរមានសមត្ថកិច្ច។',
     strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

-- Inbox counts per status and overdue for one office, read from the index alone.
CREATE INDEX cases_by_office_status ON cases(office_id, status, due_acknowledge, due_answer,
                                             sensitive, origin_office_id);

-- The audit log's filters: by case, by staff member, by action (newest first).
CREATE INDEX audit_by_case ON audit_log(case_id, id) WHERE case_id IS NOT NULL;
CREATE INDEX audit_by_actor ON audit_log(actor_id, id) WHERE actor_id IS NOT NULL;
CREATE INDEX audit_by_action ON audit_log(action, id);

CREATE INDEX staff_by_office ON staff(office_id);
