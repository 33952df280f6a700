-- The access log (issue 23): every view of a child's record, a list or a form that shows
-- children's details, in a table and hash chain of its own, appended in batches by the store's
-- one access-log writer. The audit log keeps changes and events (sign-ins, refusals, exports);
-- views recorded before this migration stay in it, sealed in its chain. Both are listed together
-- in time order, so both get an index by time.
CREATE TABLE access_log (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor UUID,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id UUID,
    person_id UUID,
    before JSONB,
    after JSONB,
    detail TEXT NOT NULL,
    seq BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE UNIQUE INDEX access_seq ON access_log (seq);
CREATE INDEX access_at ON access_log (at, id);
CREATE INDEX access_person ON access_log (person_id, at, id);
CREATE INDEX access_actor ON access_log (actor, at, id);
CREATE INDEX audit_at ON audit_log (at, id);
CREATE INDEX audit_person_at ON audit_log (person_id, at, id);

CREATE TABLE access_chain (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO access_chain (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER access_no_delete BEFORE DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION hearth_audit_append_only();
CREATE TRIGGER access_no_update BEFORE UPDATE ON access_log
    FOR EACH ROW EXECUTE FUNCTION hearth_audit_append_only();
CREATE TRIGGER access_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION hearth_audit_append_only();
CREATE TRIGGER access_chain_no_delete BEFORE DELETE OR TRUNCATE ON access_chain
    FOR EACH STATEMENT EXECUTE FUNCTION hearth_audit_append_only();
CREATE TRIGGER access_chain_forward BEFORE UPDATE ON access_chain
    FOR EACH ROW EXECUTE FUNCTION hearth_audit_chain_forward();
