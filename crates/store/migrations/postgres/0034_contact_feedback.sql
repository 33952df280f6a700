-- Feedback to the referrer (issue 17): the outcome told to the referring agency, when and how.
CREATE TABLE contact_feedback (
    id UUID PRIMARY KEY,
    contact_id UUID NOT NULL REFERENCES contact(id),
    told_on DATE NOT NULL,
    how TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by UUID REFERENCES app_user(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX contact_feedback_contact ON contact_feedback (contact_id);
CREATE TRIGGER contact_feedback_no_delete BEFORE DELETE ON contact_feedback FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
