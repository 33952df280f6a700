-- Accounts (issue 20): when a session was last used, for the council's idle timeout.
ALTER TABLE session ADD COLUMN last_seen_at TEXT;
CREATE INDEX session_user_id ON session (user_id);
