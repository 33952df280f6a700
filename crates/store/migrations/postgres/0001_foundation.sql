-- Hearth foundation schema (PostgreSQL). Case records are never deleted: triggers refuse DELETE;
-- the audit log is append-only.

CREATE TABLE team (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE worker (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    team_id UUID REFERENCES team(id),
    role_title TEXT NOT NULL,
    agency BOOLEAN NOT NULL DEFAULT FALSE,
    started DATE NOT NULL,
    left_on DATE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE app_user (
    id UUID PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    worker_id UUID REFERENCES worker(id),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES app_user(id),
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE person (
    id UUID PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('child', 'adult')),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    date_of_birth DATE,
    expected_date_of_birth DATE,
    sex TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    disabilities JSONB NOT NULL,
    council_child_id TEXT,
    nhs_number TEXT,
    upn TEXT,
    former_upn TEXT,
    uasc BOOLEAN NOT NULL DEFAULT FALSE,
    restricted BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX person_council_child_id ON person (council_child_id) WHERE council_child_id IS NOT NULL;
CREATE INDEX person_family_name ON person (lower(family_name));
CREATE INDEX person_given_name ON person (lower(given_name));
CREATE INDEX person_dob ON person (date_of_birth);
CREATE INDEX person_nhs ON person (nhs_number);
CREATE INDEX person_upn ON person (upn);

CREATE TABLE address (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES person(id),
    line1 TEXT NOT NULL,
    line2 TEXT NOT NULL,
    town TEXT NOT NULL,
    postcode TEXT NOT NULL,
    from_date DATE NOT NULL,
    to_date DATE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX address_person ON address (person_id);

CREATE TABLE relationship (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL,
    related_person_id UUID NOT NULL REFERENCES person(id),
    from_date DATE,
    to_date DATE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX relationship_person ON relationship (person_id);
CREATE INDEX relationship_related ON relationship (related_person_id);

CREATE TABLE allocation (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    worker_id UUID NOT NULL REFERENCES worker(id),
    from_date DATE NOT NULL,
    to_date DATE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX allocation_child ON allocation (child_id);
CREATE INDEX allocation_worker ON allocation (worker_id);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor UUID,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id UUID,
    person_id UUID,
    before JSONB,
    after JSONB,
    detail TEXT NOT NULL
);
CREATE INDEX audit_person ON audit_log (person_id, id);
CREATE INDEX audit_entity ON audit_log (entity_id, id);

CREATE FUNCTION hearth_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case records are never deleted (table %)', TG_TABLE_NAME;
END $$;
CREATE FUNCTION hearth_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER person_no_delete BEFORE DELETE ON person FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER address_no_delete BEFORE DELETE ON address FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER relationship_no_delete BEFORE DELETE ON relationship FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER allocation_no_delete BEFORE DELETE ON allocation FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION hearth_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION hearth_audit_append_only();
