-- After the front door: early help, closing child in need episodes, child in need plans with SMART
-- actions and reviews, and the child protection pathway. Nothing here is ever deleted.

ALTER TABLE referral ADD COLUMN closed_on TEXT;
ALTER TABLE referral ADD COLUMN closure_reason TEXT;
ALTER TABLE referral ADD COLUMN primary_need TEXT;

CREATE TABLE early_help (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    started_on TEXT NOT NULL,
    lead TEXT NOT NULL,
    reason TEXT NOT NULL,
    origin TEXT NOT NULL,
    ended_on TEXT,
    end_reason TEXT,
    end_note TEXT NOT NULL,
    step_up_contact BLOB REFERENCES contact(id),
    created_at TEXT NOT NULL
);
CREATE INDEX early_help_child ON early_help (child_id);

CREATE TABLE cin_plan (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    referral_id BLOB NOT NULL REFERENCES referral(id),
    started_on TEXT NOT NULL,
    ended_on TEXT,
    primary_need TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX cin_plan_child ON cin_plan (child_id);

CREATE TABLE plan_action (
    id BLOB PRIMARY KEY,
    plan_id BLOB NOT NULL REFERENCES cin_plan(id),
    seq INTEGER NOT NULL,
    need TEXT NOT NULL,
    action TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    progress TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX plan_action_plan ON plan_action (plan_id);

CREATE TABLE plan_review (
    id BLOB PRIMARY KEY,
    plan_id BLOB NOT NULL REFERENCES cin_plan(id),
    held_on TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX plan_review_plan ON plan_review (plan_id);

CREATE TABLE strategy (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    referral_id BLOB NOT NULL REFERENCES referral(id),
    held_on TEXT NOT NULL,
    agencies TEXT NOT NULL,
    s47 INTEGER NOT NULL,
    notes TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX strategy_child ON strategy (child_id);

CREATE TABLE s47 (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    strategy_id BLOB NOT NULL REFERENCES strategy(id),
    started_on TEXT NOT NULL,
    icpc_due TEXT NOT NULL,
    completed_on TEXT,
    outcome TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX s47_child ON s47 (child_id);

CREATE TABLE cp_plan (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    started_on TEXT NOT NULL,
    ended_on TEXT,
    initial_category TEXT NOT NULL,
    latest_category TEXT NOT NULL,
    end_reason TEXT NOT NULL,
    repeat_plan INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX cp_plan_child ON cp_plan (child_id);

CREATE TABLE conference (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL CHECK (kind IN ('initial', 'review')),
    s47_id BLOB REFERENCES s47(id),
    plan_id BLOB REFERENCES cp_plan(id),
    held_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    agencies TEXT NOT NULL,
    plan INTEGER NOT NULL,
    category TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX conference_child ON conference (child_id);

CREATE TABLE core_group (
    id BLOB PRIMARY KEY,
    plan_id BLOB NOT NULL REFERENCES cp_plan(id),
    held_on TEXT NOT NULL,
    agencies TEXT NOT NULL,
    notes TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX core_group_plan ON core_group (plan_id);
CREATE TRIGGER early_help_no_delete BEFORE DELETE ON early_help
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER cin_plan_no_delete BEFORE DELETE ON cin_plan
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER plan_action_no_delete BEFORE DELETE ON plan_action
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER plan_review_no_delete BEFORE DELETE ON plan_review
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER strategy_no_delete BEFORE DELETE ON strategy
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER s47_no_delete BEFORE DELETE ON s47
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER cp_plan_no_delete BEFORE DELETE ON cp_plan
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER conference_no_delete BEFORE DELETE ON conference
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER core_group_no_delete BEFORE DELETE ON core_group
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
