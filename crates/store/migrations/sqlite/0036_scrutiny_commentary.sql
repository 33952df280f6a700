-- The head of service's commentary on an indicator for a month's scrutiny pack (issue 22).
-- Each change is a new row: the latest for an indicator and period is the one shown, the
-- earlier ones are kept.
CREATE TABLE scrutiny_commentary (
    id BLOB PRIMARY KEY,
    indicator_id TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    text TEXT NOT NULL,
    written_by BLOB REFERENCES app_user(id),
    created_at TEXT NOT NULL
);
CREATE INDEX scrutiny_commentary_period ON scrutiny_commentary (period_from, period_to, indicator_id, created_at);
CREATE TRIGGER scrutiny_commentary_no_delete BEFORE DELETE ON scrutiny_commentary
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
