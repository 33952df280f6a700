-- Hearth foundation schema (SQLite). Case records are never deleted: triggers refuse DELETE;
-- the audit log is append-only.

CREATE TABLE team (
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE worker (
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    team_id BLOB REFERENCES team(id),
    role_title TEXT NOT NULL,
    agency INTEGER NOT NULL DEFAULT 0,
    started TEXT NOT NULL,
    left_on TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE app_user (
    id BLOB PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    worker_id BLOB REFERENCES worker(id),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES app_user(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE person (
    id BLOB PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('child', 'adult')),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    date_of_birth TEXT,
    expected_date_of_birth TEXT,
    sex TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    disabilities TEXT NOT NULL,
    council_child_id TEXT,
    nhs_number TEXT,
    upn TEXT,
    former_upn TEXT,
    uasc INTEGER NOT NULL DEFAULT 0,
    restricted INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX person_council_child_id ON person (council_child_id) WHERE council_child_id IS NOT NULL;
CREATE INDEX person_family_name ON person (lower(family_name));
CREATE INDEX person_given_name ON person (lower(given_name));
CREATE INDEX person_dob ON person (date_of_birth);
CREATE INDEX person_nhs ON person (nhs_number);
CREATE INDEX person_upn ON person (upn);

CREATE TABLE address (
    id BLOB PRIMARY KEY,
    person_id BLOB NOT NULL REFERENCES person(id),
    line1 TEXT NOT NULL,
    line2 TEXT NOT NULL,
    town TEXT NOT NULL,
    postcode TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX address_person ON address (person_id);

CREATE TABLE relationship (
    id BLOB PRIMARY KEY,
    person_id BLOB NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL,
    related_person_id BLOB NOT NULL REFERENCES person(id),
    from_date TEXT,
    to_date TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX relationship_person ON relationship (person_id);
CREATE INDEX relationship_related ON relationship (related_person_id);

CREATE TABLE allocation (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    worker_id BLOB NOT NULL REFERENCES worker(id),
    from_date TEXT NOT NULL,
    to_date TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX allocation_child ON allocation (child_id);
CREATE INDEX allocation_worker ON allocation (worker_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor BLOB,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id BLOB,
    person_id BLOB,
    before TEXT,
    after TEXT,
    detail TEXT NOT NULL
);
CREATE INDEX audit_person ON audit_log (person_id, id);
CREATE INDEX audit_entity ON audit_log (entity_id, id);

CREATE TRIGGER person_no_delete BEFORE DELETE ON person
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER address_no_delete BEFORE DELETE ON address
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER relationship_no_delete BEFORE DELETE ON relationship
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER allocation_no_delete BEFORE DELETE ON allocation
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
