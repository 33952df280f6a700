-- Indexes for the lookups the work lists and the performance report make: an assessment by its
-- referral, a conference by its enquiry or plan, a child's visits by kind.
CREATE INDEX assessment_referral ON assessment (referral_id);
CREATE INDEX conference_s47 ON conference (s47_id);
CREATE INDEX conference_plan ON conference (plan_id, kind);
CREATE INDEX note_kind ON note (kind, child_id);
