//! Drafts of long forms kept while they are written (a visit, a plan, a review): one per worker
//! and form, kept server-side so that they survive a closed browser or an ended session, filled
//! back in when the form is opened again and forgotten once it is saved. A draft is not part of
//! the child's record, but keeping one is audited (who, when, which form; not its text).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{Actor, Result};

/// A worker's draft of the form at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingDraft {
    /// The form's page (where it is posted).
    pub path: String,
    /// The answers so far, in order (the CSRF token and the buttons left out).
    pub fields: Vec<(String, String)>,
    pub saved_at: DateTime<Utc>,
}

#[async_trait]
pub trait Drafts: Send + Sync {
    /// Keeps the user's answers so far to the form at `path` about `child` (replacing an earlier
    /// draft of the same form), audited.
    async fn keep_working_draft(
        &self,
        actor: Actor,
        child: Option<Uuid>,
        path: &str,
        fields: &[(String, String)],
    ) -> Result<WorkingDraft>;
    /// The user's draft of the form at `path`, if any.
    async fn working_draft(&self, user: Uuid, path: &str) -> Result<Option<WorkingDraft>>;
    /// Forgets the user's draft of the form at `path` (the form was saved).
    async fn discard_working_draft(&self, user: Uuid, path: &str) -> Result<()>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!`.
macro_rules! sql {
    ($store:ty) => {
        use $crate::drafts::{Drafts, WorkingDraft};

        #[async_trait]
        impl Drafts for $store {
            async fn keep_working_draft(
                &self,
                actor: Actor,
                child: Option<Uuid>,
                path: &str,
                fields: &[(String, String)],
            ) -> Result<WorkingDraft> {
                let Some(user) = actor.0 else {
                    return Err(StoreError::Invalid { field: "draft", message: "only a signed-in user keeps a draft".into() });
                };
                let at = now();
                let json = serde_json::to_string(fields).expect("strings serialise");
                let mut tx = self.tx().await?;
                sqlx::query(
                    "INSERT INTO working_draft (user_id, path, person_id, fields, saved_at) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (user_id, path) DO UPDATE SET person_id = excluded.person_id, fields = excluded.fields, saved_at = excluded.saved_at",
                )
                .bind(user)
                .bind(path)
                .bind(child)
                .bind(&json)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                audit(&mut tx, actor, AuditAction::Update, "working_draft", None, child, None, None, &format!("draft kept of the form {path}")).await?;
                tx.commit().await?;
                Ok(WorkingDraft { path: path.to_string(), fields: fields.to_vec(), saved_at: at })
            }

            async fn working_draft(&self, user: Uuid, path: &str) -> Result<Option<WorkingDraft>> {
                let row = sqlx::query("SELECT fields, saved_at FROM working_draft WHERE user_id = $1 AND path = $2")
                    .bind(user)
                    .bind(path)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(r) = row else { return Ok(None) };
                let fields: String = r.try_get("fields")?;
                Ok(Some(WorkingDraft {
                    path: path.to_string(),
                    fields: serde_json::from_str(&fields).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                    saved_at: r.try_get("saved_at")?,
                }))
            }

            async fn discard_working_draft(&self, user: Uuid, path: &str) -> Result<()> {
                sqlx::query("DELETE FROM working_draft WHERE user_id = $1 AND path = $2")
                    .bind(user)
                    .bind(path)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
    };
}
pub(crate) use sql;
