-- The workforce (issue 18): the council's standards (the weighted caseload's weights, the ASYE's
-- protected caseload, how often workers are supervised), one row changed on a page; supervision
-- sessions with their reflective notes, and the cases discussed, each with the management
-- oversight note it wrote on the child's record; co-working (a second worker on a child's case,
-- beside the allocated social worker). Nothing is deleted.
CREATE TABLE workforce_standard (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    cp_plan REAL NOT NULL,
    proceedings REAL NOT NULL,
    sibling REAL NOT NULL,
    co_working REAL NOT NULL,
    asye_limit INTEGER NOT NULL,
    supervision_days INTEGER NOT NULL,
    asye_supervision_days INTEGER NOT NULL
);
INSERT INTO workforce_standard VALUES (1, 0.5, 0.5, 0.5, 0.5, 12, 30, 14);

CREATE TABLE co_working (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    worker_id BLOB NOT NULL REFERENCES worker(id),
    from_date TEXT NOT NULL,
    to_date TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX co_working_child ON co_working (child_id);
CREATE INDEX co_working_worker ON co_working (worker_id);
CREATE TRIGGER co_working_no_delete BEFORE DELETE ON co_working
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;

CREATE TABLE supervision (
    id BLOB PRIMARY KEY,
    worker_id BLOB NOT NULL REFERENCES worker(id),
    supervisor_id BLOB NOT NULL REFERENCES worker(id),
    held_on TEXT NOT NULL,
    reflection TEXT NOT NULL,
    recorded_by BLOB REFERENCES app_user(id),
    created_at TEXT NOT NULL
);
CREATE INDEX supervision_worker ON supervision (worker_id, held_on);

CREATE TABLE supervision_case (
    id BLOB PRIMARY KEY,
    supervision_id BLOB NOT NULL REFERENCES supervision(id),
    child_id BLOB NOT NULL REFERENCES person(id),
    note_id BLOB NOT NULL REFERENCES note(id),
    created_at TEXT NOT NULL
);
CREATE INDEX supervision_case_session ON supervision_case (supervision_id);

CREATE TRIGGER workforce_standard_no_delete BEFORE DELETE ON workforce_standard
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER supervision_no_delete BEFORE DELETE ON supervision
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER supervision_case_no_delete BEFORE DELETE ON supervision_case
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
