-- Single sign-on (issue 20): an account signed in through the council's OpenID Connect provider
-- is linked by the provider's (issuer, subject), never by a name that can change.
CREATE TABLE user_identity (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id BLOB NOT NULL REFERENCES app_user(id),
    created_at TEXT NOT NULL,
    last_sign_in_at TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identity_user ON user_identity (user_id);

-- A sign-in sent to the provider and not yet back: the state's SHA-256 (the browser holds the
-- state in a cookie), the nonce the ID token must carry, the PKCE verifier, and where to go after.
-- Taken once; kept in the database so that any of Hearth's processes can finish it.
CREATE TABLE sso_login (
    state_hash TEXT PRIMARY KEY,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next TEXT NOT NULL,
    -- A form's draft carried over signing in again (its fields as JSON), if any.
    draft TEXT,
    expires_at TEXT NOT NULL
);
CREATE INDEX sso_login_expires ON sso_login (expires_at);

-- A form posted after its session had ended (idle timeout): kept, bound to the browser by a
-- token whose SHA-256 is here, until the user signs in again and the form is filled back in.
CREATE TABLE form_draft (
    token_hash TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    fields TEXT NOT NULL,
    user_id BLOB REFERENCES app_user(id),
    expires_at TEXT NOT NULL
);
CREATE INDEX form_draft_expires ON form_draft (expires_at);

-- Plan actions have a version, so progress recorded from a stale page is refused rather than
-- written over someone else's (issue 20).
ALTER TABLE plan_action ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
