-- Screening a contact's risk (issue 17): each rating given (red, amber or green, with the
-- screener's reason and whether it found an immediate safety concern), kept; the latest is the
-- contact's rating. The council's timescale for each rating is in hours.
CREATE TABLE contact_risk (
    id BLOB PRIMARY KEY,
    contact_id BLOB NOT NULL REFERENCES contact(id),
    rating TEXT NOT NULL CHECK (rating IN ('red', 'amber', 'green')),
    reason TEXT NOT NULL,
    immediate_safety INTEGER NOT NULL,
    rated_at TEXT NOT NULL,
    rated_by BLOB REFERENCES app_user(id),
    created_at TEXT NOT NULL
);
CREATE INDEX contact_risk_contact ON contact_risk (contact_id, rated_at);
CREATE TRIGGER contact_risk_no_delete BEFORE DELETE ON contact_risk
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
