-- The audit log and the access log (a file of its own beside the database: issue 23) are listed
-- together in time order: the audit log gets an index by time.
CREATE INDEX audit_at ON audit_log (at, id);
CREATE INDEX audit_person_at ON audit_log (person_id, at, id);
