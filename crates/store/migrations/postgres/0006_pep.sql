-- Reviews of looked-after children's personal education plans (termly for children of school age).
CREATE TABLE pep_review (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    reviewed_on DATE NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX pep_review_child ON pep_review (child_id, reviewed_on);
CREATE TRIGGER pep_review_no_delete BEFORE DELETE ON pep_review FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
