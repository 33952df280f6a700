-- Care leavers: a personal adviser allocated beside the social worker (the allocation's role;
-- existing allocations are social workers'), pathway plans with their actions (a review
-- supersedes the plan, which is kept), and keeping in touch after the young person left care.
-- Nothing here is ever deleted.

ALTER TABLE allocation ADD COLUMN role TEXT NOT NULL DEFAULT 'social_worker'
    CHECK (role IN ('social_worker', 'personal_adviser'));
CREATE INDEX allocation_child_role ON allocation (child_id, role, to_date);

CREATE TABLE pathway_plan (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    plan_date TEXT NOT NULL,
    views TEXT NOT NULL,
    goals TEXT NOT NULL,
    review_due TEXT NOT NULL,
    superseded_by BLOB REFERENCES pathway_plan(id),
    superseded_on TEXT,
    created_at TEXT NOT NULL,
    CHECK (review_due > plan_date),
    CHECK ((superseded_by IS NULL) = (superseded_on IS NULL))
);
CREATE INDEX pathway_plan_child ON pathway_plan (child_id, plan_date);

CREATE TABLE pathway_action (
    id BLOB PRIMARY KEY,
    plan_id BLOB NOT NULL REFERENCES pathway_plan(id),
    child_id BLOB NOT NULL REFERENCES person(id),
    position INTEGER NOT NULL,
    action TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX pathway_action_plan ON pathway_action (plan_id, position);
CREATE INDEX pathway_action_child ON pathway_action (child_id);

CREATE TABLE leaving_care_contact (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    contact_on TEXT NOT NULL,
    seen INTEGER NOT NULL,
    place TEXT NOT NULL,
    words TEXT NOT NULL,
    in_touch TEXT NOT NULL CHECK (in_touch IN ('YES', 'NO', 'DIED', 'REFU', 'NREQ', 'RHOM')),
    activity TEXT,
    accommodation TEXT,
    suitable INTEGER,
    created_at TEXT NOT NULL,
    CHECK ((accommodation IS NULL) = (suitable IS NULL))
);
CREATE INDEX leaving_care_contact_child ON leaving_care_contact (child_id, contact_on);
CREATE TRIGGER pathway_plan_no_delete BEFORE DELETE ON pathway_plan
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER pathway_action_no_delete BEFORE DELETE ON pathway_action
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER leaving_care_contact_no_delete BEFORE DELETE ON leaving_care_contact
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
