-- Children looked after and care leavers: periods of care and their episodes, looked-after
-- reviews, health by collection year, missing episodes and care leavers' status by year.
-- Nothing here is ever deleted.

CREATE TABLE cla_period (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    started_on TEXT NOT NULL,
    ended_on TEXT,
    category_of_need TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (ended_on IS NULL OR ended_on >= started_on)
);
CREATE INDEX cla_period_child ON cla_period (child_id);

CREATE TABLE cla_episode (
    id BLOB PRIMARY KEY,
    period_id BLOB NOT NULL REFERENCES cla_period(id),
    child_id BLOB NOT NULL REFERENCES person(id),
    started_on TEXT NOT NULL,
    ended_on TEXT,
    reason_new TEXT NOT NULL,
    legal_status TEXT NOT NULL,
    placement TEXT NOT NULL,
    provider TEXT,
    placement_postcode TEXT,
    urn TEXT,
    reason_ceased TEXT,
    reason_place_change TEXT,
    created_at TEXT NOT NULL,
    CHECK (ended_on IS NULL OR ended_on >= started_on),
    CHECK ((ended_on IS NULL) = (reason_ceased IS NULL))
);
CREATE INDEX cla_episode_child ON cla_episode (child_id, started_on);
CREATE INDEX cla_episode_period ON cla_episode (period_id);

CREATE TABLE cla_review (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    held_on TEXT NOT NULL,
    participation TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX cla_review_child ON cla_review (child_id, held_on);

CREATE TABLE cla_health (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    year INTEGER NOT NULL,
    health_assessment TEXT,
    dental_check TEXT,
    immunisations INTEGER NOT NULL,
    sdq_score INTEGER CHECK (sdq_score BETWEEN 0 AND 40),
    sdq_reason TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (child_id, year)
);

CREATE TABLE cla_missing (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    started_on TEXT NOT NULL,
    ended_on TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('M', 'A')),
    created_at TEXT NOT NULL,
    CHECK (ended_on IS NULL OR ended_on >= started_on)
);
CREATE INDEX cla_missing_child ON cla_missing (child_id, started_on);

CREATE TABLE care_leaver_year (
    id BLOB PRIMARY KEY,
    child_id BLOB NOT NULL REFERENCES person(id),
    year INTEGER NOT NULL,
    in_touch TEXT NOT NULL,
    activity TEXT,
    accommodation TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (child_id, year)
);

CREATE TRIGGER cla_period_no_delete BEFORE DELETE ON cla_period
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER cla_episode_no_delete BEFORE DELETE ON cla_episode
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER cla_review_no_delete BEFORE DELETE ON cla_review
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER cla_health_no_delete BEFORE DELETE ON cla_health
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER cla_missing_no_delete BEFORE DELETE ON cla_missing
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
CREATE TRIGGER care_leaver_year_no_delete BEFORE DELETE ON care_leaver_year
BEGIN SELECT RAISE(ABORT, 'case records are never deleted'); END;
