-- Looked-after reviews as the IRO records them (the child's views, who chaired), the IRO's
-- recommendations tracked to completion, health checks and SDQs as they happen (gathered by
-- collection year into cla_health for the 903), and the return home interview after a missing
-- episode. The existing columns keep their meaning. Nothing here is ever deleted.

ALTER TABLE cla_review ADD COLUMN childs_views TEXT NOT NULL DEFAULT '';
ALTER TABLE cla_review ADD COLUMN views_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE cla_review ADD COLUMN chaired_by UUID;

CREATE TABLE cla_review_action (
    id UUID PRIMARY KEY,
    review_id UUID NOT NULL REFERENCES cla_review(id),
    child_id UUID NOT NULL REFERENCES person(id),
    action TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on DATE NOT NULL,
    completed_on DATE,
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX cla_review_action_child ON cla_review_action (child_id, due_on);

CREATE TABLE cla_health_check (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL CHECK (kind IN ('initial', 'review', 'dental')),
    done_on DATE NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX cla_health_check_child ON cla_health_check (child_id, done_on);

CREATE TABLE cla_sdq (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    done_on DATE NOT NULL,
    score INTEGER CHECK (score BETWEEN 0 AND 40),
    reason TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK ((score IS NULL) <> (reason IS NULL))
);
CREATE INDEX cla_sdq_child ON cla_sdq (child_id, done_on);

ALTER TABLE cla_missing ADD COLUMN interview_offered_at TIMESTAMP;
ALTER TABLE cla_missing ADD COLUMN interview_accepted BOOLEAN;

CREATE TRIGGER cla_review_action_no_delete BEFORE DELETE ON cla_review_action FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER cla_health_check_no_delete BEFORE DELETE ON cla_health_check FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER cla_sdq_no_delete BEFORE DELETE ON cla_sdq FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
