-- Looked-after reviews as the IRO records them (the child's views, who chaired), the IRO's
-- recommendations tracked to completion, health checks and SDQs as they happen (gathered by
-- collection year into cla_health for the 903), and the return home interview after a missing
-- episode. The existing columns keep their meaning. Nothing here is ever deleted.

ALTER TABLE cla_review ADD COLUMN childs_views TEXT NOT NULL DEFAULT '';
ALTER TABLE cla_review ADD COLUMN views_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE cla_review ADD COLUMN chaired_by BLOB;

CREATE TABLE cla_review_action (
    id BLOB PRIMARY KEY,
    review_id BLOB NOT NULL REFERENCES cla_review(id),
    child_id BLOB NOT NULL REFERENCES person(id),
    action TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT NOT NULL,
    completed_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX cla_review_action_child ON cla_review_action (child_id, due_on);

CREATE TABLE cla_health_check (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL CHECK (kind IN ('initial', 'review', 'dental')),
    done_on TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX cla_health_check_child ON cla_health_check (child_id, done_on);

CREATE TABLE cla_sdq (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    done_on TEXT NOT NULL,
    score INTEGER CHECK (score BETWEEN 0 AND 40),
    reason TEXT,
    created_at TEXT NOT NULL,
    CHECK ((score IS NULL) <> (reason IS NULL))
);
CREATE INDEX cla_sdq_child ON cla_sdq (child_id, done_on);

ALTER TABLE cla_missing ADD COLUMN interview_offered_at TEXT;
ALTER TABLE cla_missing ADD COLUMN interview_accepted INTEGER;

CREATE TRIGGER cla_review_action_no_delete BEFORE DELETE ON cla_review_action
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER cla_health_check_no_delete BEFORE DELETE ON cla_health_check
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER cla_sdq_no_delete BEFORE DELETE ON cla_sdq
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
