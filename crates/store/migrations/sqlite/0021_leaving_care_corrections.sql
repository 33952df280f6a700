-- Keeping in touch contacts and changes of activity and accommodation can be corrected through
-- the one correction path (migration 0018): amended with a reason (the earlier version kept in
-- record_correction) or marked entered in error (left out of the 903's OC3 rows, the
-- indicators and work due, still shown on the young person's page).

ALTER TABLE leaving_care_contact ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE leaving_care_contact ADD COLUMN entered_in_error_at TEXT;
ALTER TABLE leaving_care_status ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE leaving_care_status ADD COLUMN entered_in_error_at TEXT;
