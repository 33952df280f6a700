-- The front door and the child's journey: contacts (several children each), partner checks, the
-- front-door decision with the manager's direction, referrals, single assessments, and visits,
-- case notes and management oversight. Nothing here is ever deleted.

CREATE TABLE contact (
    id UUID PRIMARY KEY,
    received_at TIMESTAMP NOT NULL,
    source TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_agency TEXT NOT NULL,
    reason TEXT NOT NULL,
    consent TEXT NOT NULL,
    decision_due DATE NOT NULL,
    recorded_by UUID REFERENCES app_user(id),
    outcome TEXT,
    decided_at TIMESTAMP,
    decided_by UUID REFERENCES app_user(id),
    direction TEXT,
    rationale TEXT,
    quality TEXT,
    quality_comment TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX contact_undecided ON contact (received_at) WHERE outcome IS NULL;

CREATE TABLE contact_child (
    contact_id UUID NOT NULL REFERENCES contact(id),
    person_id UUID NOT NULL REFERENCES person(id),
    PRIMARY KEY (contact_id, person_id)
);
CREATE INDEX contact_child_person ON contact_child (person_id);

CREATE TABLE partner_check (
    id UUID PRIMARY KEY,
    contact_id UUID NOT NULL REFERENCES contact(id),
    agency TEXT NOT NULL,
    requested_on DATE NOT NULL,
    received_on DATE,
    summary TEXT NOT NULL,
    recorded_by UUID REFERENCES app_user(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX partner_check_contact ON partner_check (contact_id);

CREATE TABLE referral (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    contact_id UUID NOT NULL REFERENCES contact(id),
    referral_date DATE NOT NULL,
    source TEXT NOT NULL,
    re_referral BOOLEAN NOT NULL,
    previous_referral DATE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX referral_child ON referral (child_id, referral_date);
CREATE INDEX referral_date ON referral (referral_date);

CREATE TABLE assessment (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    referral_id UUID NOT NULL REFERENCES referral(id),
    started_on DATE NOT NULL,
    due_on DATE NOT NULL,
    completed_on DATE,
    factors JSONB NOT NULL,
    outcome TEXT,
    summary TEXT NOT NULL,
    authorised_on DATE,
    authorised_by UUID REFERENCES app_user(id),
    version BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX assessment_child ON assessment (child_id);
CREATE INDEX assessment_open ON assessment (due_on) WHERE authorised_on IS NULL;

CREATE TABLE note (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL CHECK (kind IN ('visit', 'case_note', 'oversight')),
    note_date DATE NOT NULL,
    child_seen BOOLEAN,
    seen_alone BOOLEAN,
    childs_words TEXT NOT NULL,
    observation TEXT NOT NULL,
    body TEXT NOT NULL,
    decision TEXT NOT NULL,
    rationale TEXT NOT NULL,
    recorded_by UUID REFERENCES app_user(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX note_child ON note (child_id, note_date);
CREATE TRIGGER contact_no_delete BEFORE DELETE ON contact FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER contact_child_no_delete BEFORE DELETE ON contact_child FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER partner_check_no_delete BEFORE DELETE ON partner_check FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER referral_no_delete BEFORE DELETE ON referral FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER assessment_no_delete BEFORE DELETE ON assessment FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER note_no_delete BEFORE DELETE ON note FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
