-- Feedback to the referrer (issue 17): the outcome told to the referring agency, when and how.
CREATE TABLE contact_feedback (
    id BLOB PRIMARY KEY,
    contact_id BLOB NOT NULL REFERENCES contact(id),
    told_on TEXT NOT NULL,
    how TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by BLOB REFERENCES app_user(id),
    created_at TEXT NOT NULL
);
CREATE INDEX contact_feedback_contact ON contact_feedback (contact_id);
CREATE TRIGGER contact_feedback_no_delete BEFORE DELETE ON contact_feedback
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
