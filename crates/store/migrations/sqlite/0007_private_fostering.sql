-- Private fostering: arrangements notified to the council (with the assessment of their
-- suitability and how they ended) and the visits to the children. Nothing here is ever deleted.

CREATE TABLE pf_arrangement (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    notified_on TEXT NOT NULL,
    notified_by TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    expected_end TEXT,
    carer_relationship TEXT NOT NULL,
    carer TEXT NOT NULL,
    reason TEXT NOT NULL,
    assessed_on TEXT,
    suitability TEXT,
    ended_on TEXT,
    end_reason TEXT,
    end_notified_on TEXT,
    created_at TEXT NOT NULL,
    CHECK ((assessed_on IS NULL) = (suitability IS NULL)),
    CHECK ((ended_on IS NULL) = (end_reason IS NULL)),
    CHECK (ended_on IS NULL OR ended_on >= notified_on)
);
CREATE INDEX pf_arrangement_child ON pf_arrangement (child_id, notified_on);

CREATE TABLE pf_visit (
    id BLOB PRIMARY KEY,
    arrangement_id BLOB NOT NULL REFERENCES pf_arrangement(id),
    child_id BLOB NOT NULL REFERENCES person(id),
    visited_on TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('initial', 'statutory')),
    child_seen INTEGER NOT NULL,
    seen_alone INTEGER NOT NULL,
    not_alone_reason TEXT NOT NULL,
    childs_words TEXT NOT NULL,
    observation TEXT NOT NULL,
    report TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (child_seen OR NOT seen_alone)
);
CREATE INDEX pf_visit_arrangement ON pf_visit (arrangement_id, visited_on);
CREATE INDEX pf_visit_child ON pf_visit (child_id);

CREATE TRIGGER pf_arrangement_no_delete BEFORE DELETE ON pf_arrangement
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER pf_visit_no_delete BEFORE DELETE ON pf_visit
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
