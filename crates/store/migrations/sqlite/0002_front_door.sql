-- The front door and the child's journey: contacts (several children each), partner checks, the
-- front-door decision with the manager's direction, referrals, single assessments, and visits,
-- case notes and management oversight. Nothing here is ever deleted.

CREATE TABLE contact (
    id BLOB PRIMARY KEY,
    received_at TEXT NOT NULL,
    source TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_agency TEXT NOT NULL,
    reason TEXT NOT NULL,
    consent TEXT NOT NULL,
    decision_due TEXT NOT NULL,
    recorded_by BLOB REFERENCES app_user(id),
    outcome TEXT,
    decided_at TEXT,
    decided_by BLOB REFERENCES app_user(id),
    direction TEXT,
    rationale TEXT,
    quality TEXT,
    quality_comment TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX contact_undecided ON contact (received_at) WHERE outcome IS NULL;

CREATE TABLE contact_child (
    contact_id BLOB NOT NULL REFERENCES contact(id),
    person_id BLOB NOT NULL REFERENCES person(id),
    PRIMARY KEY (contact_id, person_id)
);
CREATE INDEX contact_child_person ON contact_child (person_id);

CREATE TABLE partner_check (
    id BLOB PRIMARY KEY,
    contact_id BLOB NOT NULL REFERENCES contact(id),
    agency TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    received_on TEXT,
    summary TEXT NOT NULL,
    recorded_by BLOB REFERENCES app_user(id),
    created_at TEXT NOT NULL
);
CREATE INDEX partner_check_contact ON partner_check (contact_id);

CREATE TABLE referral (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    contact_id BLOB NOT NULL REFERENCES contact(id),
    referral_date TEXT NOT NULL,
    source TEXT NOT NULL,
    re_referral INTEGER NOT NULL,
    previous_referral TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX referral_child ON referral (child_id, referral_date);
CREATE INDEX referral_date ON referral (referral_date);

CREATE TABLE assessment (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    referral_id BLOB NOT NULL REFERENCES referral(id),
    started_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    completed_on TEXT,
    factors TEXT NOT NULL,
    outcome TEXT,
    summary TEXT NOT NULL,
    authorised_on TEXT,
    authorised_by BLOB REFERENCES app_user(id),
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX assessment_child ON assessment (child_id);
CREATE INDEX assessment_open ON assessment (due_on) WHERE authorised_on IS NULL;

CREATE TABLE note (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL CHECK (kind IN ('visit', 'case_note', 'oversight')),
    note_date TEXT NOT NULL,
    child_seen INTEGER,
    seen_alone INTEGER,
    childs_words TEXT NOT NULL,
    observation TEXT NOT NULL,
    body TEXT NOT NULL,
    decision TEXT NOT NULL,
    rationale TEXT NOT NULL,
    recorded_by BLOB REFERENCES app_user(id),
    created_at TEXT NOT NULL
);
CREATE INDEX note_child ON note (child_id, note_date);
CREATE TRIGGER contact_no_delete BEFORE DELETE ON contact
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER contact_child_no_delete BEFORE DELETE ON contact_child
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER partner_check_no_delete BEFORE DELETE ON partner_check
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER referral_no_delete BEFORE DELETE ON referral
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER assessment_no_delete BEFORE DELETE ON assessment
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER note_no_delete BEFORE DELETE ON note
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
