-- A long form's draft kept while it is written (issue 16): the worker's answers so far for the
-- form at `path`, one per worker and form, filled back in when the form is opened again and
-- forgotten once the form is saved. Not part of the child's record; saving one is audited.
CREATE TABLE working_draft (
    user_id UUID NOT NULL REFERENCES app_user(id),
    path TEXT NOT NULL,
    person_id UUID REFERENCES person(id),
    fields TEXT NOT NULL,
    saved_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, path)
);
