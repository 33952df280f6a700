//! Single sign-on with the council's OpenID Connect provider, as a part of the repository: the
//! sign-ins sent to the provider and not yet back, and the link from the provider's (issuer,
//! subject) to a Hearth account. The protocol itself is the web's (`web/src/sso.rs`).
//!
//! Also the drafts of forms posted after their session had ended, kept until the user signs in
//! again.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::access::{Role, User};
use uuid::Uuid;

use crate::Result;

/// A sign-in sent to the provider: what the answer must match.
#[derive(Debug, Clone)]
pub struct PendingSsoLogin {
    /// SHA-256 of the `state` parameter (see [`crate::auth::token_hash`]).
    pub state_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Where to go after signing in (a local path, already checked).
    pub next: String,
    /// A form's draft carried over signing in again (see [`FormDraft`]).
    pub draft: Option<FormDraft>,
    pub expires_at: DateTime<Utc>,
}

/// Who the provider says signed in, with the Hearth role their claim maps to.
#[derive(Debug, Clone)]
pub struct SsoSignIn {
    pub issuer: String,
    pub subject: String,
    /// The username for a new account, and the one an existing local account is matched by
    /// (the provider's `preferred_username`, else `email`).
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// How the provider's account came to a Hearth account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SsoLink {
    /// Linked before, by (issuer, subject).
    Linked,
    /// A local account with the same username, linked now.
    Matched,
    /// A new account, created now.
    Created,
}

/// A form's fields posted when its session had ended.
#[derive(Debug, Clone)]
pub struct FormDraft {
    /// The page the form was posted to (and is shown on again).
    pub path: String,
    /// The posted fields, in order (the CSRF token left out).
    pub fields: Vec<(String, String)>,
}

#[async_trait]
pub trait SingleSignOn: Send + Sync {
    /// Keeps a sign-in sent to the provider until it comes back (and drops expired ones).
    async fn save_sso_login(&self, login: PendingSsoLogin) -> Result<()>;
    /// Takes the sign-in with this state: returns it once, if it has not expired, and forgets it.
    async fn take_sso_login(
        &self,
        state_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<PendingSsoLogin>>;
    /// The Hearth account of the provider's (issuer, subject): the linked one, else an unlinked
    /// local account with the same username (linked now), else a new one. Its role and name are
    /// the provider's (a change is audited, and ends its other sessions). A deactivated account
    /// comes back deactivated: the caller refuses it.
    async fn sso_user(&self, sign_in: SsoSignIn) -> Result<(User, SsoLink)>;

    /// Keeps a form posted after its session had ended, bound to the browser's draft token.
    async fn save_draft(
        &self,
        token_hash: &str,
        draft: &FormDraft,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    /// Gives the draft to the user who signed in on that browser (the first to claim it).
    async fn claim_draft(&self, token_hash: &str, user_id: Uuid, now: DateTime<Utc>) -> Result<()>;
    /// Takes the user's draft for `path` on that browser: returned once, then forgotten.
    async fn take_draft(
        &self,
        token_hash: &str,
        user_id: Uuid,
        path: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<FormDraft>>;
}

/// Where a new account's username comes from, when the provider names nobody: the subject.
pub fn fallback_username(subject: &str) -> String {
    format!("sso-{}", subject.chars().take(100).collect::<String>())
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use $crate::sso::{FormDraft, PendingSsoLogin, SingleSignOn, SsoLink, SsoSignIn};

        fn account_from_row(r: &Row) -> Result<User, sqlx::Error> {
            Ok(User {
                id: r.try_get("id")?,
                username: r.try_get("username")?,
                display_name: r.try_get("display_name")?,
                role: parse_role(&r.try_get::<String, _>("role")?)?,
                worker_id: r.try_get("worker_id")?,
                active: r.try_get("active")?,
            })
        }

        /// An account made by single sign-on has no password: this is no argon2 hash, so no
        /// password ever verifies against it.
        const NO_PASSWORD: &str = "!single-sign-on";

        #[async_trait::async_trait]
        impl SingleSignOn for $store {
            async fn save_sso_login(&self, l: PendingSsoLogin) -> Result<()> {
                let mut tx = self.tx().await?;
                sqlx::query("DELETE FROM sso_login WHERE expires_at <= $1").bind(now()).execute(&mut *tx).await?;
                let draft = l.draft.as_ref().map(|d| serde_json::to_string(&(&d.path, &d.fields)).expect("strings serialise"));
                sqlx::query("INSERT INTO sso_login (state_hash, nonce, pkce_verifier, next, draft, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(&l.state_hash)
                    .bind(&l.nonce)
                    .bind(&l.pkce_verifier)
                    .bind(&l.next)
                    .bind(draft)
                    .bind(l.expires_at)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn take_sso_login(&self, state_hash: &str, at: DateTime<Utc>) -> Result<Option<PendingSsoLogin>> {
                let mut tx = self.tx().await?;
                let row = sqlx::query("SELECT * FROM sso_login WHERE state_hash = $1")
                    .bind(state_hash)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(r) = row else { return Ok(None) };
                // Once only, whatever comes of it.
                sqlx::query("DELETE FROM sso_login WHERE state_hash = $1").bind(state_hash).execute(&mut *tx).await?;
                tx.commit().await?;
                let login = PendingSsoLogin {
                    state_hash: r.try_get("state_hash")?,
                    nonce: r.try_get("nonce")?,
                    pkce_verifier: r.try_get("pkce_verifier")?,
                    next: r.try_get("next")?,
                    draft: r
                        .try_get::<Option<String>, _>("draft")?
                        .and_then(|d| serde_json::from_str::<(String, Vec<(String, String)>)>(&d).ok())
                        .map(|(path, fields)| FormDraft { path, fields }),
                    expires_at: r.try_get("expires_at")?,
                };
                Ok((login.expires_at > at).then_some(login))
            }

            async fn sso_user(&self, s: SsoSignIn) -> Result<(User, SsoLink)> {
                let mut tx = self.tx().await?;
                let at = now();
                let described = format!("{} at {}", s.subject, s.issuer);
                let linked = sqlx::query(
                    "SELECT u.* FROM user_identity i JOIN app_user u ON u.id = i.user_id WHERE i.issuer = $1 AND i.subject = $2",
                )
                .bind(&s.issuer)
                .bind(&s.subject)
                .fetch_optional(&mut *tx)
                .await?;
                let (before, link) = match linked {
                    Some(r) => (account_from_row(&r)?, SsoLink::Linked),
                    None => {
                        // A local account of the same name with no identity at this provider yet.
                        let local = sqlx::query(
                            "SELECT u.* FROM app_user u WHERE lower(u.username) = lower($1) \
                             AND NOT EXISTS (SELECT 1 FROM user_identity i WHERE i.user_id = u.id AND i.issuer = $2)",
                        )
                        .bind(&s.username)
                        .bind(&s.issuer)
                        .fetch_optional(&mut *tx)
                        .await?;
                        let (user, link) = match local {
                            Some(r) => (account_from_row(&r)?, SsoLink::Matched),
                            None => {
                                let taken: Option<Uuid> = sqlx::query_scalar("SELECT id FROM app_user WHERE lower(username) = lower($1)")
                                    .bind(&s.username)
                                    .fetch_optional(&mut *tx)
                                    .await?;
                                let username = if taken.is_some() { $crate::sso::fallback_username(&s.subject) } else { s.username.clone() };
                                let user = User {
                                    id: new_id(),
                                    username,
                                    display_name: s.display_name.clone(),
                                    role: s.role,
                                    worker_id: None,
                                    active: true,
                                };
                                sqlx::query(
                                    "INSERT INTO app_user (id, username, display_name, role, worker_id, password_hash, active, created_at) \
                                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                                )
                                .bind(user.id)
                                .bind(&user.username)
                                .bind(&user.display_name)
                                .bind(user.role.as_str())
                                .bind(user.worker_id)
                                .bind(NO_PASSWORD)
                                .bind(true)
                                .bind(at)
                                .execute(&mut *tx)
                                .await?;
                                audit(&mut tx, Actor::SYSTEM, AuditAction::Create, "user", Some(user.id), None, None, Some(to_json(&user)),
                                    &format!("user account created at its first single sign-on ({described})")).await?;
                                (user, SsoLink::Created)
                            }
                        };
                        sqlx::query("INSERT INTO user_identity (issuer, subject, user_id, created_at, last_sign_in_at) VALUES ($1, $2, $3, $4, $4)")
                            .bind(&s.issuer)
                            .bind(&s.subject)
                            .bind(user.id)
                            .bind(at)
                            .execute(&mut *tx)
                            .await?;
                        if link == SsoLink::Matched {
                            audit(&mut tx, Actor::SYSTEM, AuditAction::Update, "user", Some(user.id), None, None, None,
                                &format!("account linked to its single sign-on identity ({described})")).await?;
                        }
                        (user, link)
                    }
                };
                sqlx::query("UPDATE user_identity SET last_sign_in_at = $1 WHERE issuer = $2 AND subject = $3")
                    .bind(at)
                    .bind(&s.issuer)
                    .bind(&s.subject)
                    .execute(&mut *tx)
                    .await?;
                let mut after = before.clone();
                after.role = s.role;
                if !s.display_name.trim().is_empty() {
                    after.display_name = s.display_name.clone();
                }
                if after.role != before.role || after.display_name != before.display_name {
                    sqlx::query("UPDATE app_user SET role = $1, display_name = $2 WHERE id = $3")
                        .bind(after.role.as_str())
                        .bind(&after.display_name)
                        .bind(after.id)
                        .execute(&mut *tx)
                        .await?;
                    let mut what = Vec::new();
                    if after.role != before.role {
                        what.push(format!("role {} to {}", before.role.as_str(), after.role.as_str()));
                        // As when an administrator changes a role: the new role starts from this sign-in.
                        sqlx::query("DELETE FROM session WHERE user_id = $1").bind(after.id).execute(&mut *tx).await?;
                    }
                    if after.display_name != before.display_name {
                        what.push("name changed".to_string());
                    }
                    audit(&mut tx, Actor::SYSTEM, AuditAction::Update, "user", Some(after.id), None, Some(to_json(&before)), Some(to_json(&after)),
                        &format!("account from the identity provider's claims: {}", what.join(", "))).await?;
                }
                tx.commit().await?;
                Ok((after, link))
            }

            async fn save_draft(&self, token_hash: &str, d: &FormDraft, expires_at: DateTime<Utc>) -> Result<()> {
                let mut tx = self.tx().await?;
                sqlx::query("DELETE FROM form_draft WHERE expires_at <= $1 OR token_hash = $2").bind(now()).bind(token_hash).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO form_draft (token_hash, path, fields, user_id, expires_at) VALUES ($1, $2, $3, NULL, $4)")
                    .bind(token_hash)
                    .bind(&d.path)
                    .bind(serde_json::to_string(&d.fields).expect("strings serialise"))
                    .bind(expires_at)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn claim_draft(&self, token_hash: &str, user_id: Uuid, at: DateTime<Utc>) -> Result<()> {
                sqlx::query("UPDATE form_draft SET user_id = $1 WHERE token_hash = $2 AND user_id IS NULL AND expires_at > $3")
                    .bind(user_id)
                    .bind(token_hash)
                    .bind(at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn take_draft(&self, token_hash: &str, user_id: Uuid, path: &str, at: DateTime<Utc>) -> Result<Option<FormDraft>> {
                let mut tx = self.tx().await?;
                let row = sqlx::query("SELECT path, fields FROM form_draft WHERE token_hash = $1 AND user_id = $2 AND path = $3 AND expires_at > $4")
                    .bind(token_hash)
                    .bind(user_id)
                    .bind(path)
                    .bind(at)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(r) = row else { return Ok(None) };
                sqlx::query("DELETE FROM form_draft WHERE token_hash = $1").bind(token_hash).execute(&mut *tx).await?;
                tx.commit().await?;
                let fields: String = r.try_get("fields")?;
                Ok(Some(FormDraft {
                    path: r.try_get("path")?,
                    fields: serde_json::from_str(&fields).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                }))
            }
        }
    };
}
pub(crate) use sql;
