-- The child's page reads the changes to a person's details (for the chronology) from the audit
-- log, where every view of the record also lands: without this index the read walks every access
-- entry of the child, so the page grew slower the more the record was opened.
CREATE INDEX audit_person_changes ON audit_log (person_id, id)
    WHERE entity_type = 'person' AND action IN ('create', 'update');
