-- Permanence plans (each new plan supersedes the last, which stays with the date it was
-- superseded) and personal education plans: the existing pep_review row (read by the 903 and the
-- metrics) extended with the child's achievements, the virtual school's sign-off and who recorded
-- it, and the SMART targets set at each PEP with their progress reviewed at the next. The existing
-- columns keep their meaning. Nothing here is ever deleted.

CREATE TABLE permanence_plan (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    plan TEXT NOT NULL CHECK (plan IN ('return_to_family', 'adoption', 'special_guardianship', 'child_arrangements', 'long_term_fostering', 'residential', 'supported_living', 'other')),
    agreed_on TEXT NOT NULL,
    target_on TEXT NOT NULL,
    early_permanence TEXT CHECK (early_permanence IN ('foster_for_adoption', 'concurrent_planning')),
    parallel_plan TEXT,
    rationale TEXT NOT NULL DEFAULT '',
    superseded_on TEXT,
    superseded_by BLOB REFERENCES permanence_plan(id),
    recorded_by BLOB,
    created_at TEXT NOT NULL
);
CREATE INDEX permanence_plan_child ON permanence_plan (child_id, agreed_on);

ALTER TABLE pep_review ADD COLUMN achievements TEXT NOT NULL DEFAULT '';
ALTER TABLE pep_review ADD COLUMN signed_off_by TEXT;
ALTER TABLE pep_review ADD COLUMN signed_off_on TEXT;
ALTER TABLE pep_review ADD COLUMN recorded_by BLOB;

CREATE TABLE pep_target (
    id BLOB PRIMARY KEY,
    pep_id BLOB NOT NULL REFERENCES pep_review(id),
    child_id BLOB NOT NULL REFERENCES person(id),
    area TEXT NOT NULL,
    target TEXT NOT NULL,
    due_on TEXT NOT NULL,
    progress TEXT,
    achieved INTEGER,
    reviewed_at BLOB REFERENCES pep_review(id),
    created_at TEXT NOT NULL
);
CREATE INDEX pep_target_child ON pep_target (child_id, due_on);

CREATE TRIGGER permanence_plan_no_delete BEFORE DELETE ON permanence_plan
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER pep_target_no_delete BEFORE DELETE ON pep_target
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
