-- The workforce (issue 18): each worker's file (Social Work England registration, the census's
-- organisational role, hours, the ASYE, why they left and where they went), the history of moves
-- (team, job, hours, employment) and absences. Nothing is deleted.
ALTER TABLE worker ADD COLUMN swe_number TEXT;
ALTER TABLE worker ADD COLUMN org_role TEXT NOT NULL DEFAULT 'case_holder';
ALTER TABLE worker ADD COLUMN fte DOUBLE PRECISION NOT NULL DEFAULT 1.0;
ALTER TABLE worker ADD COLUMN asye_started DATE;
ALTER TABLE worker ADD COLUMN asye_ended DATE;
ALTER TABLE worker ADD COLUMN leaving_reason TEXT;
ALTER TABLE worker ADD COLUMN leaving_destination TEXT;
-- Raised by every change to the file: the first statement of a change, so that changes to one
-- worker wait for one another.
ALTER TABLE worker ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE worker_move (
    id UUID PRIMARY KEY,
    worker_id UUID NOT NULL REFERENCES worker(id),
    moved_on DATE NOT NULL,
    from_team_id UUID REFERENCES team(id),
    team_id UUID REFERENCES team(id),
    role_title TEXT NOT NULL,
    org_role TEXT NOT NULL,
    fte DOUBLE PRECISION NOT NULL,
    agency BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX worker_move_worker ON worker_move (worker_id, moved_on);

CREATE TABLE worker_absence (
    id UUID PRIMARY KEY,
    worker_id UUID NOT NULL REFERENCES worker(id),
    first_day DATE NOT NULL,
    last_day DATE,
    working_days_lost DOUBLE PRECISION NOT NULL,
    reason TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX worker_absence_worker ON worker_absence (worker_id, first_day);

CREATE TRIGGER worker_no_delete BEFORE DELETE ON worker FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER worker_move_no_delete BEFORE DELETE ON worker_move FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
CREATE TRIGGER worker_absence_no_delete BEFORE DELETE ON worker_absence FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();

-- Workers recorded before this migration: managers by their job title, everyone else a case holder.
UPDATE worker SET org_role = 'first_line_manager' WHERE lower(role_title) LIKE '%team manager%';
UPDATE worker SET org_role = 'middle_manager' WHERE lower(role_title) LIKE '%service manager%' OR lower(role_title) LIKE '%head of%';
