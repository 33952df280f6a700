-- Quality assurance: case file audits. The council's audit template (its domains are rows,
-- changed without code, seeded with the defaults), audit programmes with their auditors and
-- their sample (a random sample's seed is recorded so it can be drawn again), the audits with
-- their grades (as the auditor gave them and as they stand after moderation), moderations
-- (kept), and learning actions. Nothing here is ever deleted.

CREATE TABLE audit_domain (
    key TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    hint TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
INSERT INTO audit_domain (key, label, hint, position) VALUES
    ('management_oversight', 'Management oversight and direction', 'Regular, recorded supervision and decisions with their rationale', 1),
    ('voice_of_child', 'The voice of the child, including pre-verbal children', 'The child seen, their words or, for a baby, what was observed', 2),
    ('smart_plans', 'SMART plans', 'Outcomes, actions, owners and dates that can be measured', 3),
    ('timeliness', 'Timeliness', 'Decisions, assessments, visits and reviews within their timescales', 4),
    ('multi_agency', 'Multi-agency working', 'Partners checked with, involved in plans and attending meetings', 5),
    ('risk', 'Risk', 'Risk and protective factors analysed and reassessed when things change', 6),
    ('impact', 'Impact for the child', 'What has changed for the child because of the work', 7);

CREATE TABLE audit_programme (
    id BLOB PRIMARY KEY,
    theme TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('team', 'service', 'cp_plans', 'in_care', 'contacts')),
    team_id BLOB REFERENCES team(id),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('random', 'chosen')),
    seed INTEGER,
    size INTEGER,
    created_by BLOB REFERENCES app_user(id),
    created_at TEXT NOT NULL
);

CREATE TABLE audit_programme_auditor (
    programme_id BLOB NOT NULL REFERENCES audit_programme(id),
    user_id BLOB NOT NULL REFERENCES app_user(id),
    PRIMARY KEY (programme_id, user_id)
);

CREATE TABLE audit_sample (
    programme_id BLOB NOT NULL REFERENCES audit_programme(id),
    child_id BLOB NOT NULL REFERENCES person(id),
    position INTEGER NOT NULL,
    auditor_id BLOB NOT NULL REFERENCES app_user(id),
    PRIMARY KEY (programme_id, child_id)
);
CREATE INDEX audit_sample_auditor ON audit_sample (auditor_id, child_id);

CREATE TABLE case_file_audit (
    id BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL REFERENCES audit_programme(id),
    child_id BLOB NOT NULL REFERENCES person(id),
    auditor_id BLOB NOT NULL REFERENCES app_user(id),
    overall_given TEXT NOT NULL CHECK (overall_given IN ('outstanding', 'good', 'requires_improvement', 'inadequate')),
    overall TEXT NOT NULL CHECK (overall IN ('outstanding', 'good', 'requires_improvement', 'inadequate')),
    worker_conversation TEXT NOT NULL,
    family_views TEXT NOT NULL,
    audited_on TEXT NOT NULL,
    team_id BLOB REFERENCES team(id),
    created_at TEXT NOT NULL,
    UNIQUE (programme_id, child_id)
);
CREATE INDEX case_file_audit_child ON case_file_audit (child_id);
CREATE INDEX case_file_audit_on ON case_file_audit (audited_on);

CREATE TABLE audit_grade (
    audit_id BLOB NOT NULL REFERENCES case_file_audit(id),
    domain TEXT NOT NULL REFERENCES audit_domain(key),
    position INTEGER NOT NULL,
    grade_given TEXT NOT NULL CHECK (grade_given IN ('outstanding', 'good', 'requires_improvement', 'inadequate')),
    grade TEXT NOT NULL CHECK (grade IN ('outstanding', 'good', 'requires_improvement', 'inadequate')),
    evidence TEXT NOT NULL,
    PRIMARY KEY (audit_id, domain)
);

CREATE TABLE audit_moderation (
    id BLOB PRIMARY KEY,
    audit_id BLOB NOT NULL REFERENCES case_file_audit(id),
    moderator_id BLOB NOT NULL REFERENCES app_user(id),
    agreed INTEGER NOT NULL,
    changes TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX audit_moderation_audit ON audit_moderation (audit_id);

CREATE TABLE learning_action (
    id BLOB PRIMARY KEY,
    audit_id BLOB NOT NULL REFERENCES case_file_audit(id),
    child_id BLOB NOT NULL REFERENCES person(id),
    action TEXT NOT NULL,
    owner_worker_id BLOB NOT NULL REFERENCES worker(id),
    due_on TEXT NOT NULL,
    done_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX learning_action_owner ON learning_action (owner_worker_id, done_on);
CREATE INDEX learning_action_audit ON learning_action (audit_id);

CREATE TRIGGER audit_domain_no_delete BEFORE DELETE ON audit_domain
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER audit_programme_no_delete BEFORE DELETE ON audit_programme
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER audit_programme_auditor_no_delete BEFORE DELETE ON audit_programme_auditor
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER audit_sample_no_delete BEFORE DELETE ON audit_sample
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER case_file_audit_no_delete BEFORE DELETE ON case_file_audit
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER audit_grade_no_delete BEFORE DELETE ON audit_grade
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER audit_moderation_no_delete BEFORE DELETE ON audit_moderation
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER learning_action_no_delete BEFORE DELETE ON learning_action
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
