-- A care leaver's activity and accommodation, each change with the date it began, so the
-- status on any birthday is read off the record (the 903's OC3 items are derived from these
-- and the keeping in touch contacts). Contacts no longer carry activity and accommodation:
-- what earlier contacts recorded becomes a change dated the day of the contact.

CREATE TABLE leaving_care_status (
    id UUID PRIMARY KEY,
    child_id UUID NOT NULL REFERENCES person(id),
    from_on DATE NOT NULL,
    activity TEXT,
    accommodation TEXT,
    suitable BOOLEAN,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (activity IS NOT NULL OR accommodation IS NOT NULL),
    CHECK ((accommodation IS NULL) = (suitable IS NULL))
);
CREATE INDEX leaving_care_status_child ON leaving_care_status (child_id, from_on);
CREATE TRIGGER leaving_care_status_no_delete BEFORE DELETE ON leaving_care_status FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();

INSERT INTO leaving_care_status (id, child_id, from_on, activity, accommodation, suitable, created_at)
SELECT id, child_id, contact_on, activity, accommodation, suitable, created_at
FROM leaving_care_contact WHERE activity IS NOT NULL OR accommodation IS NOT NULL;
