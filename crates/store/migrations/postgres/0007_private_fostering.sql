-- Private fostering: arrangements notified to the council (with the assessment of their
-- suitability and how they ended) and the visits to the children. Nothing here is ever deleted.

CREATE TABLE pf_arrangement (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    notified_on DATE NOT NULL,
    notified_by TEXT NOT NULL,
    starts_on DATE NOT NULL,
    expected_end DATE,
    carer_relationship TEXT NOT NULL,
    carer TEXT NOT NULL,
    reason TEXT NOT NULL,
    assessed_on DATE,
    suitability TEXT,
    ended_on DATE,
    end_reason TEXT,
    end_notified_on DATE,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK ((assessed_on IS NULL) = (suitability IS NULL)),
    CHECK ((ended_on IS NULL) = (end_reason IS NULL)),
    CHECK (ended_on IS NULL OR ended_on >= notified_on)
);
CREATE INDEX pf_arrangement_child ON pf_arrangement (child_id, notified_on);

CREATE TABLE pf_visit (
    id UUID PRIMARY KEY,
    arrangement_id UUID NOT NULL REFERENCES pf_arrangement(id),
    child_id UUID NOT NULL REFERENCES person(id),
    visited_on DATE NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('initial', 'statutory')),
    child_seen BOOLEAN NOT NULL,
    seen_alone BOOLEAN NOT NULL,
    not_alone_reason TEXT NOT NULL,
    childs_words TEXT NOT NULL,
    observation TEXT NOT NULL,
    report TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (child_seen OR NOT seen_alone)
);
CREATE INDEX pf_visit_arrangement ON pf_visit (arrangement_id, visited_on);
CREATE INDEX pf_visit_child ON pf_visit (child_id);

CREATE TRIGGER pf_arrangement_no_delete BEFORE DELETE ON pf_arrangement FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER pf_visit_no_delete BEFORE DELETE ON pf_visit FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
