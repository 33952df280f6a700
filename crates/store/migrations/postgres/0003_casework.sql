-- After the front door: early help, closing child in need episodes, child in need plans with SMART
-- actions and reviews, and the child protection pathway. Nothing here is ever deleted.

ALTER TABLE referral ADD COLUMN closed_on DATE;
ALTER TABLE referral ADD COLUMN closure_reason TEXT;
ALTER TABLE referral ADD COLUMN primary_need TEXT;

CREATE TABLE early_help (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    started_on DATE NOT NULL,
    lead TEXT NOT NULL,
    reason TEXT NOT NULL,
    origin TEXT NOT NULL,
    ended_on DATE,
    end_reason TEXT,
    end_note TEXT NOT NULL,
    step_up_contact UUID REFERENCES contact(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX early_help_child ON early_help (child_id);

CREATE TABLE cin_plan (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    referral_id UUID NOT NULL REFERENCES referral(id),
    started_on DATE NOT NULL,
    ended_on DATE,
    primary_need TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX cin_plan_child ON cin_plan (child_id);

CREATE TABLE plan_action (
    id UUID PRIMARY KEY,
    plan_id UUID NOT NULL REFERENCES cin_plan(id),
    seq INTEGER NOT NULL,
    need TEXT NOT NULL,
    action TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on DATE NOT NULL,
    status TEXT NOT NULL,
    progress TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_action_plan ON plan_action (plan_id);

CREATE TABLE plan_review (
    id UUID PRIMARY KEY,
    plan_id UUID NOT NULL REFERENCES cin_plan(id),
    held_on DATE NOT NULL,
    summary TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_review_plan ON plan_review (plan_id);

CREATE TABLE strategy (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    referral_id UUID NOT NULL REFERENCES referral(id),
    held_on DATE NOT NULL,
    agencies JSONB NOT NULL,
    s47 BOOLEAN NOT NULL,
    notes TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX strategy_child ON strategy (child_id);

CREATE TABLE s47 (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    strategy_id UUID NOT NULL REFERENCES strategy(id),
    started_on DATE NOT NULL,
    icpc_due DATE NOT NULL,
    completed_on DATE,
    outcome TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX s47_child ON s47 (child_id);

CREATE TABLE cp_plan (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    started_on DATE NOT NULL,
    ended_on DATE,
    initial_category TEXT NOT NULL,
    latest_category TEXT NOT NULL,
    end_reason TEXT NOT NULL,
    repeat_plan BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX cp_plan_child ON cp_plan (child_id);

CREATE TABLE conference (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL CHECK (kind IN ('initial', 'review')),
    s47_id UUID REFERENCES s47(id),
    plan_id UUID REFERENCES cp_plan(id),
    held_on DATE NOT NULL,
    due_on DATE NOT NULL,
    agencies JSONB NOT NULL,
    plan BOOLEAN NOT NULL,
    category TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX conference_child ON conference (child_id);

CREATE TABLE core_group (
    id UUID PRIMARY KEY,
    plan_id UUID NOT NULL REFERENCES cp_plan(id),
    held_on DATE NOT NULL,
    agencies JSONB NOT NULL,
    notes TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX core_group_plan ON core_group (plan_id);
CREATE TRIGGER early_help_no_delete BEFORE DELETE ON early_help FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER cin_plan_no_delete BEFORE DELETE ON cin_plan FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER plan_action_no_delete BEFORE DELETE ON plan_action FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER plan_review_no_delete BEFORE DELETE ON plan_review FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER strategy_no_delete BEFORE DELETE ON strategy FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER s47_no_delete BEFORE DELETE ON s47 FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER cp_plan_no_delete BEFORE DELETE ON cp_plan FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER conference_no_delete BEFORE DELETE ON conference FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER core_group_no_delete BEFORE DELETE ON core_group FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
