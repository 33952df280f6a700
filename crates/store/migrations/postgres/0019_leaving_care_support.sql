-- Care leavers: progress on a pathway plan's actions (with a version, so progress from a stale
-- page is refused), the needs assessment a plan is made from, and requests for support to 25.
-- Nothing here is ever deleted.

ALTER TABLE pathway_action ADD COLUMN status TEXT NOT NULL DEFAULT 'not_started'
    CHECK (status IN ('not_started', 'in_progress', 'done', 'not_done'));
ALTER TABLE pathway_action ADD COLUMN progress TEXT NOT NULL DEFAULT '';
ALTER TABLE pathway_action ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

CREATE TABLE leaving_care_needs (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    assessed_on DATE NOT NULL,
    areas TEXT NOT NULL,
    findings TEXT NOT NULL,
    views TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX leaving_care_needs_child ON leaving_care_needs (child_id, assessed_on);

CREATE TABLE leaving_care_support (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    requested_on DATE NOT NULL,
    words TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX leaving_care_support_child ON leaving_care_support (child_id);

CREATE TRIGGER leaving_care_needs_no_delete BEFORE DELETE ON leaving_care_needs FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER leaving_care_support_no_delete BEFORE DELETE ON leaving_care_support FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
