//! Users, sessions and the audit log, as a part of the repository. Passwords and tokens are in
//! [`crate::auth`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::access::{AuditAction, AuditEntry, Role, User};
use uuid::Uuid;

use crate::{Actor, Result};

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub worker_id: Option<Uuid>,
    /// An argon2 PHC string; see [`crate::auth::hash_password`].
    pub password_hash: String,
}

/// A server-side session: the cookie holds a random token; the store keeps only its hash.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub user_id: Uuid,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: User,
    pub csrf_token: String,
}

#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub person_id: Option<Uuid>,
    pub actor: Option<Uuid>,
    pub action: Option<AuditAction>,
    pub limit: u32,
}

#[async_trait]
pub trait Access: Send + Sync {
    async fn create_user(&self, actor: Actor, user: NewUser) -> Result<User>;
    /// The user and their password hash, for signing in.
    async fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>>;
    async fn get_user(&self, id: Uuid) -> Result<User>;
    async fn list_users(&self) -> Result<Vec<User>>;
    async fn set_password(&self, actor: Actor, user_id: Uuid, password_hash: String) -> Result<()>;
    async fn create_session(&self, session: NewSession) -> Result<()>;
    /// The session's user, if the session exists, has not expired and the user is active.
    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionUser>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;

    // Audit.
    /// Records an event that changes nothing else: a refusal, a sign-in, an export.
    async fn record_event(
        &self,
        actor: Actor,
        action: AuditAction,
        person_id: Option<Uuid>,
        detail: &str,
    ) -> Result<()>;
    /// Newest first.
    async fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use $crate::access::Access as AccessRepository;

        fn user_from_row(r: &Row) -> Result<User, sqlx::Error> {
            Ok(User {
                id: r.try_get("id")?,
                username: r.try_get("username")?,
                display_name: r.try_get("display_name")?,
                role: parse_role(&r.try_get::<String, _>("role")?)?,
                worker_id: r.try_get("worker_id")?,
                active: r.try_get("active")?,
            })
        }

        fn audit_from_row(r: &Row) -> Result<AuditEntry, sqlx::Error> {
            let before: Option<Json<serde_json::Value>> = r.try_get("before")?;
            let after: Option<Json<serde_json::Value>> = r.try_get("after")?;
            Ok(AuditEntry {
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                action: parse_action(&r.try_get::<String, _>("action")?)?,
                entity_type: r.try_get("entity_type")?,
                entity_id: r.try_get("entity_id")?,
                person_id: r.try_get("person_id")?,
                before: before.map(|j| j.0),
                after: after.map(|j| j.0),
                detail: r.try_get("detail")?,
            })
        }

        /// The changes to a person's details, with who made them, oldest first: for the chronology.
        pub(super) async fn corrections_for(conn: &mut Conn, id: Uuid) -> Result<Vec<(AuditEntry, Option<String>)>, StoreError> {
            let corrections = sqlx::query(
                "SELECT l.*, u.display_name FROM audit_log l LEFT JOIN app_user u ON u.id = l.actor \
                 WHERE l.person_id = $1 AND l.entity_type = 'person' AND l.action IN ('create', 'update') ORDER BY l.id",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| Ok((audit_from_row(r)?, r.try_get::<Option<String>, _>("display_name")?)))
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
            Ok(corrections)
        }

        #[async_trait::async_trait]
        impl AccessRepository for $store {
            async fn create_user(&self, actor: Actor, u: NewUser) -> Result<User> {
                let mut tx = self.tx().await?;
                let exists: Option<Uuid> = sqlx::query_scalar("SELECT id FROM app_user WHERE username = $1")
                    .bind(&u.username)
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_some() {
                    return Err(StoreError::Invalid { field: "username", message: format!("User {} exists already", u.username) });
                }
                let user = User {
                    id: new_id(),
                    username: u.username,
                    display_name: u.display_name,
                    role: u.role,
                    worker_id: u.worker_id,
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
                .bind(&u.password_hash)
                .bind(true)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                audit(&mut tx, actor, AuditAction::Create, "user", Some(user.id), None, None, Some(to_json(&user)), "user account created").await?;
                tx.commit().await?;
                Ok(user)
            }

            async fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>> {
                let row = sqlx::query("SELECT * FROM app_user WHERE username = $1")
                    .bind(username)
                    .fetch_optional(&self.pool)
                    .await?;
                match row {
                    Some(r) => Ok(Some((user_from_row(&r)?, r.try_get("password_hash")?))),
                    None => Ok(None),
                }
            }

            async fn get_user(&self, id: Uuid) -> Result<User> {
                let r = sqlx::query("SELECT * FROM app_user WHERE id = $1")
                    .bind(id)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(not_found("user"))?;
                Ok(user_from_row(&r)?)
            }

            async fn list_users(&self) -> Result<Vec<User>> {
                let rows = sqlx::query("SELECT * FROM app_user ORDER BY username").fetch_all(&self.pool).await?;
                Ok(rows.iter().map(user_from_row).collect::<Result<_, _>>()?)
            }

            async fn set_password(&self, actor: Actor, user_id: Uuid, password_hash: String) -> Result<()> {
                let mut tx = self.tx().await?;
                let n = sqlx::query("UPDATE app_user SET password_hash = $1 WHERE id = $2")
                    .bind(&password_hash)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err(StoreError::NotFound("user"));
                }
                sqlx::query("DELETE FROM session WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Update, "user", Some(user_id), None, None, None, "password changed; sessions ended").await?;
                tx.commit().await?;
                Ok(())
            }

            async fn create_session(&self, s: NewSession) -> Result<()> {
                sqlx::query("INSERT INTO session (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(&s.token_hash)
                    .bind(s.user_id)
                    .bind(&s.csrf_token)
                    .bind(now())
                    .bind(s.expires_at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn session_user(&self, token_hash: &str, at: DateTime<Utc>) -> Result<Option<SessionUser>> {
                let row = sqlx::query(
                    "SELECT u.*, s.csrf_token FROM session s JOIN app_user u ON u.id = s.user_id \
                     WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = $3",
                )
                .bind(token_hash)
                .bind(at)
                .bind(true)
                .fetch_optional(&self.pool)
                .await?;
                match row {
                    Some(r) => Ok(Some(SessionUser { user: user_from_row(&r)?, csrf_token: r.try_get("csrf_token")? })),
                    None => Ok(None),
                }
            }

            async fn delete_session(&self, token_hash: &str) -> Result<()> {
                sqlx::query("DELETE FROM session WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
                Ok(())
            }

            async fn record_event(&self, actor: Actor, action: AuditAction, person_id: Option<Uuid>, detail: &str) -> Result<()> {
                let mut conn = self.pool.acquire().await?;
                audit(&mut conn, actor, action, "event", None, person_id, None, None, detail).await?;
                Ok(())
            }

            async fn audit_entries(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
                let limit = i64::from(if q.limit == 0 { 100 } else { q.limit.min(10_000) });
                let rows = sqlx::query(
                    "SELECT * FROM audit_log WHERE ($1 IS NULL OR person_id = $1) AND ($2 IS NULL OR actor = $2) \
                     AND ($3 IS NULL OR action = $3) ORDER BY id DESC LIMIT $4",
                )
                .bind(q.person_id)
                .bind(q.actor)
                .bind(q.action.map(|a| a.as_str()))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.iter().map(audit_from_row).collect::<Result<_, _>>()?)
            }

        }
    };
}
pub(crate) use sql;
