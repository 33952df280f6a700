-- The workforce (issue 18): vacant social worker posts (FTE) at the census's reference date,
-- 30 September of each year, as the council counts them (the record holds posts filled, not
-- posts vacant). Changed by a later entry for the same year, never deleted.
CREATE TABLE workforce_vacancy (
    year INTEGER PRIMARY KEY,
    fte DOUBLE PRECISION NOT NULL CHECK (fte >= 0),
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE TRIGGER workforce_vacancy_no_delete BEFORE DELETE ON workforce_vacancy FOR EACH ROW EXECUTE FUNCTION hearth_refuse_delete();
