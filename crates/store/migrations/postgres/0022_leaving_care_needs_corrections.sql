-- Needs assessments and requests for support to 25 can be corrected through the one correction
-- path (migration 0018): amended with a reason, or marked entered in error (left out of the
-- record's reads and work due, still shown on the young person's page).

ALTER TABLE leaving_care_needs ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE leaving_care_needs ADD COLUMN entered_in_error_at TIMESTAMPTZ;
ALTER TABLE leaving_care_support ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE leaving_care_support ADD COLUMN entered_in_error_at TIMESTAMPTZ;
