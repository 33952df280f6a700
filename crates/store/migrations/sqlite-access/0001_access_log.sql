-- The access log (issue 23), in a SQLite file of its own beside the database (`<name>-access.db`
-- for `<name>.db`): every view of a child's record, a list or a form that shows children's
-- details, with its own hash chain, appended in batches by the store's one access-log writer.
-- In its own file, its commits do not touch the database's write-ahead log, so the readers of
-- the record keep their page caches (SQLite drops a connection's whole cache whenever its
-- database has had a commit from another connection).
CREATE TABLE access_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor BLOB,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id BLOB,
    person_id BLOB,
    before TEXT,
    after TEXT,
    detail TEXT NOT NULL,
    seq INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE UNIQUE INDEX access_seq ON access_log (seq);
CREATE INDEX access_at ON access_log (at, id);
CREATE INDEX access_person ON access_log (person_id, at, id);
CREATE INDEX access_actor ON access_log (actor, at, id);

CREATE TABLE access_chain (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO access_chain (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER access_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_chain_no_delete BEFORE DELETE ON access_chain
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_chain_forward BEFORE UPDATE ON access_chain WHEN NEW.seq < OLD.seq
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
