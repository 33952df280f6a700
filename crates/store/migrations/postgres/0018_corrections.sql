-- Corrections: a record is amended with a reason (the earlier version kept here) or marked
-- entered in error with a reason (it stays, marked, and is left out of returns, indicators and
-- work due). One table for every kind of record that can be corrected; each correctable table
-- has a version (an amendment from a stale page is refused) and its entered-in-error marker.
-- Nothing here is ever deleted or changed.

CREATE TABLE record_correction (
    id UUID PRIMARY KEY,
    record_kind TEXT NOT NULL,
    record_id UUID NOT NULL,
    child_id UUID NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL CHECK (kind IN ('amended', 'entered_in_error')),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    previous TEXT NOT NULL,
    corrected_by UUID REFERENCES app_user(id),
    corrected_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX record_correction_child ON record_correction (child_id, corrected_at);
CREATE INDEX record_correction_record ON record_correction (record_kind, record_id);
CREATE TRIGGER record_correction_no_delete BEFORE DELETE ON record_correction FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE FUNCTION hearth_refuse_correction_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'corrections are never changed';
END;
$$;
CREATE TRIGGER record_correction_no_update BEFORE UPDATE ON record_correction FOR EACH ROW EXECUTE FUNCTION hearth_refuse_correction_update();

ALTER TABLE note ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE note ADD COLUMN entered_in_error_at TIMESTAMPTZ;
ALTER TABLE cla_adoption_decision ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE cla_adoption_decision ADD COLUMN entered_in_error_at TIMESTAMPTZ;
ALTER TABLE cla_adoption_match ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE cla_adoption_match ADD COLUMN entered_in_error_at TIMESTAMPTZ;
ALTER TABLE cla_oc2_event ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE cla_oc2_event ADD COLUMN entered_in_error_at TIMESTAMPTZ;
ALTER TABLE uasc_status_end ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE uasc_status_end ADD COLUMN entered_in_error_at TIMESTAMPTZ;
ALTER TABLE cla_health_check ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE cla_health_check ADD COLUMN entered_in_error_at TIMESTAMPTZ;
