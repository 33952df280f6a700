-- Care leavers: progress on a pathway plan's actions (with a version, so progress from a stale
-- page is refused), the needs assessment a plan is made from, and requests for support to 25.
-- Nothing here is ever deleted.

ALTER TABLE pathway_action ADD COLUMN status TEXT NOT NULL DEFAULT 'not_started'
    CHECK (status IN ('not_started', 'in_progress', 'done', 'not_done'));
ALTER TABLE pathway_action ADD COLUMN progress TEXT NOT NULL DEFAULT '';
ALTER TABLE pathway_action ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE leaving_care_needs (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    assessed_on TEXT NOT NULL,
    areas TEXT NOT NULL,
    findings TEXT NOT NULL,
    views TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX leaving_care_needs_child ON leaving_care_needs (child_id, assessed_on);

CREATE TABLE leaving_care_support (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    requested_on TEXT NOT NULL,
    words TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX leaving_care_support_child ON leaving_care_support (child_id);

CREATE TRIGGER leaving_care_needs_no_delete BEFORE DELETE ON leaving_care_needs
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER leaving_care_support_no_delete BEFORE DELETE ON leaving_care_support
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
