-- Adoption (the agency decision that the child should be placed for adoption, its reversal, the
-- match with adopters: the 903's PlacedAdoption and AD1 items), previous permanence recorded on
-- entering care (the 903's PrevPerm), and convictions and substance misuse as they are recorded
-- (the 903's OC2 items). The placement order is a change of legal status to E1, the placement with
-- adopters a placement move (A3-A6) and the adoption order ceasing care (E11, E12): those are
-- episodes. Nothing here is ever deleted; a reversal sets the decision's end, audited.

CREATE TABLE cla_adoption_decision (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    decided_on TEXT NOT NULL,
    ceased_on TEXT,
    reason_ceased TEXT CHECK (reason_ceased IN ('RD1', 'RD2', 'RD3', 'RD4')),
    recorded_by BLOB,
    created_at TEXT NOT NULL,
    CHECK ((ceased_on IS NULL) = (reason_ceased IS NULL)),
    CHECK (ceased_on IS NULL OR ceased_on >= decided_on)
);
CREATE INDEX cla_adoption_decision_child ON cla_adoption_decision (child_id, decided_on);

CREATE TABLE cla_adoption_match (
    id BLOB PRIMARY KEY,
    decision_id BLOB NOT NULL UNIQUE REFERENCES cla_adoption_decision(id),
    child_id BLOB NOT NULL REFERENCES person(id),
    matched_on TEXT NOT NULL,
    adopters INTEGER NOT NULL CHECK (adopters IN (1, 2)),
    adopters_sex TEXT NOT NULL CHECK (adopters_sex IN ('M1', 'F1', 'MM', 'FF', 'MF')),
    adopters_legal_status TEXT NOT NULL CHECK (adopters_legal_status IN ('L0', 'L11', 'L12', 'L2', 'L3', 'L4')),
    foster_carers INTEGER NOT NULL,
    recorded_by BLOB,
    created_at TEXT NOT NULL
);
CREATE INDEX cla_adoption_match_child ON cla_adoption_match (child_id);

ALTER TABLE cla_period ADD COLUMN previous_permanence TEXT CHECK (previous_permanence IN ('P1', 'P2', 'P3', 'P4', 'Z1'));
ALTER TABLE cla_period ADD COLUMN previous_permanence_la TEXT;
ALTER TABLE cla_period ADD COLUMN previous_permanence_on TEXT;

CREATE TABLE cla_oc2_event (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL CHECK (kind IN ('conviction', 'substance_misuse')),
    happened_on TEXT NOT NULL,
    intervention_received INTEGER,
    intervention_offered INTEGER,
    note TEXT NOT NULL DEFAULT '',
    recorded_by BLOB,
    created_at TEXT NOT NULL
);
CREATE INDEX cla_oc2_event_child ON cla_oc2_event (child_id, happened_on);

-- The end of a child's status as an unaccompanied asylum-seeking child (the 903's DUC), where
-- it ends before their 18th birthday; one per child.
CREATE TABLE uasc_status_end (
    child_id BLOB PRIMARY KEY REFERENCES person(id),
    ceased_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_by BLOB,
    created_at TEXT NOT NULL
);

CREATE TRIGGER cla_adoption_decision_no_delete BEFORE DELETE ON cla_adoption_decision
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER cla_adoption_match_no_delete BEFORE DELETE ON cla_adoption_match
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER cla_oc2_event_no_delete BEFORE DELETE ON cla_oc2_event
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER uasc_status_end_no_delete BEFORE DELETE ON uasc_status_end
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
