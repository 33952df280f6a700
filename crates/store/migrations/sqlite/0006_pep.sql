-- Reviews of looked-after children's personal education plans (termly for children of school age).
CREATE TABLE pep_review (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    reviewed_on TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX pep_review_child ON pep_review (child_id, reviewed_on);
CREATE TRIGGER pep_review_no_delete BEFORE DELETE ON pep_review
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
