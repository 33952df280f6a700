-- Entering care, placement moves and changes of legal status, ceasing care, as recorded in
-- Hearth (the periods and episodes loaded in bulk have none of these: all are nullable, and the
-- existing columns are unchanged so the 903 return, metrics and chronology read them as before).

-- The manager's decision to start a period of care: its rationale and who decided.
ALTER TABLE cla_period ADD COLUMN rationale TEXT;
ALTER TABLE cla_period ADD COLUMN decided_by UUID REFERENCES app_user(id);

-- The placement details the 903 does not hold: the carer's or home's name, whether the
-- placement was planned, and who recorded the episode.
ALTER TABLE cla_episode ADD COLUMN carer TEXT;
ALTER TABLE cla_episode ADD COLUMN planned BOOLEAN;
ALTER TABLE cla_episode ADD COLUMN recorded_by UUID REFERENCES app_user(id);
