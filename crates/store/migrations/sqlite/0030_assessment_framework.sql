-- The single assessment by the Assessment Framework (issue 16): the child's developmental needs,
-- parenting capacity, family and environmental factors, the child's and the parents' views and
-- the worker's analysis, kept as a draft while being written; the manager's comment on
-- authorising; an assessment returned to its worker with a comment (each return kept); and why
-- a child in need plan ended (the step is confirmed with a reason).
ALTER TABLE assessment ADD COLUMN developmental_needs TEXT NOT NULL DEFAULT '';
ALTER TABLE assessment ADD COLUMN parenting_capacity TEXT NOT NULL DEFAULT '';
ALTER TABLE assessment ADD COLUMN family_environment TEXT NOT NULL DEFAULT '';
ALTER TABLE assessment ADD COLUMN child_views TEXT NOT NULL DEFAULT '';
ALTER TABLE assessment ADD COLUMN parents_views TEXT NOT NULL DEFAULT '';
ALTER TABLE assessment ADD COLUMN analysis TEXT NOT NULL DEFAULT '';
ALTER TABLE assessment ADD COLUMN draft_saved_at TEXT;
ALTER TABLE assessment ADD COLUMN authorised_comment TEXT NOT NULL DEFAULT '';

CREATE TABLE assessment_return (
    id BLOB PRIMARY KEY,
    assessment_id BLOB NOT NULL REFERENCES assessment(id),
    returned_at TEXT NOT NULL,
    returned_by BLOB REFERENCES app_user(id),
    -- The completion date it had, sent back with the assessment.
    completed_on TEXT NOT NULL,
    comment TEXT NOT NULL
);
CREATE INDEX assessment_return_assessment ON assessment_return (assessment_id);

ALTER TABLE cin_plan ADD COLUMN end_reason TEXT NOT NULL DEFAULT '';
