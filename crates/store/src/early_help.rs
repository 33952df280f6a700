//! Early help, as a part of the repository: episodes started directly or by a step down from the
//! front door or an assessment, and ended (a step up records a contact for the front door).
//! Every change writes its audit entry in the same transaction.

use async_trait::async_trait;
use domain::early_help::{EarlyHelp, EarlyHelpEnd, NewEarlyHelp};
use uuid::Uuid;

use crate::{Actor, Result};

#[async_trait]
pub trait EarlyHelpEpisodes: Send + Sync {
    async fn start_early_help(
        &self,
        actor: Actor,
        child_id: Uuid,
        eh: NewEarlyHelp,
    ) -> Result<EarlyHelp>;
    /// Ends an episode; a step up records a contact (source 5D, early help) for the front door.
    async fn end_early_help(&self, actor: Actor, id: Uuid, end: EarlyHelpEnd) -> Result<EarlyHelp>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use domain::early_help::*;
        use domain::front_door::decision_due;
        use $crate::early_help::EarlyHelpEpisodes as EarlyHelpRepository;

        fn early_help_from_row(r: &Row) -> Result<EarlyHelp, sqlx::Error> {
            Ok(EarlyHelp {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                started_on: r.try_get("started_on")?,
                lead: r.try_get("lead")?,
                reason: r.try_get("reason")?,
                origin: r.try_get("origin")?,
                ended_on: r.try_get("ended_on")?,
                end_reason: r.try_get("end_reason")?,
                end_note: r.try_get("end_note")?,
                step_up_contact: r.try_get("step_up_contact")?,
            })
        }

        async fn fetch_early_help(conn: &mut Conn, id: Uuid) -> Result<EarlyHelp, StoreError> {
            let r = sqlx::query("SELECT * FROM early_help WHERE id = $1").bind(id).fetch_one(&mut *conn).await.map_err(not_found("early help episode"))?;
            Ok(early_help_from_row(&r)?)
        }

        /// Starts an early help episode in the caller's transaction (also used by step downs).
        pub(super) async fn insert_early_help(conn: &mut Conn, actor: Actor, child: Uuid, eh: &NewEarlyHelp, origin: &str) -> Result<EarlyHelp, StoreError> {
            let id = new_id();
            sqlx::query(
                "INSERT INTO early_help (id, child_id, started_on, lead, reason, origin, end_note, created_at) VALUES ($1, $2, $3, $4, $5, $6, '', $7)",
            )
            .bind(id).bind(child).bind(eh.started_on).bind(eh.lead.trim()).bind(eh.reason.trim()).bind(origin).bind(now())
            .execute(&mut *conn).await?;
            let e = fetch_early_help(conn, id).await?;
            audit(conn, actor, AuditAction::Create, "early_help", Some(id), Some(child), None, Some(to_json(&e)),
                if origin == "direct" { "early help started" } else { "stepped down to early help" }).await?;
            Ok(e)
        }

        /// A child's early help episodes, newest first, for the child's page (read in the caller's
        /// transaction).
        pub(super) async fn load_for_child(conn: &mut Conn, child: Uuid) -> Result<Vec<EarlyHelp>, StoreError> {
            let early_help = sqlx::query("SELECT * FROM early_help WHERE child_id = $1 ORDER BY started_on DESC, created_at DESC")
                .bind(child).fetch_all(&mut *conn).await?.iter().map(early_help_from_row).collect::<Result<Vec<_>, _>>()?;
            Ok(early_help)
        }

        #[async_trait::async_trait]
        impl EarlyHelpRepository for $store {
            async fn start_early_help(&self, actor: Actor, child_id: Uuid, eh: NewEarlyHelp) -> Result<EarlyHelp> {
                refuse(eh.validate(local_now().date()))?;
                let mut tx = self.tx().await?;
                let p = fetch_person(&mut tx, child_id).await?;
                if p.details.kind != PersonKind::Child {
                    return Err(invalid("child_id", "Early help is for a child on the record"));
                }
                let open: Option<Uuid> = sqlx::query_scalar("SELECT id FROM early_help WHERE child_id = $1 AND ended_on IS NULL").bind(child_id).fetch_optional(&mut *tx).await?;
                if open.is_some() {
                    return Err(invalid("started", "The child already has an open early help episode"));
                }
                let e = insert_early_help(&mut tx, actor, child_id, &eh, "direct").await?;
                tx.commit().await?;
                Ok(e)
            }

            async fn end_early_help(&self, actor: Actor, id: Uuid, end: EarlyHelpEnd) -> Result<EarlyHelp> {
                let mut tx = self.tx().await?;
                let before = fetch_early_help(&mut tx, id).await?;
                refuse(end.validate(before.started_on, local_now().date()))?;
                if before.ended_on.is_some() {
                    return Err(invalid("ended", "The episode has already ended"));
                }
                let mut contact_id = None;
                if end.reason == "step_up" {
                    // A step up goes to the front door as a contact from early help, without
                    // entering the child again. Early help is consensual work: consent is given.
                    let received = if end.ended_on == local_now().date() { local_now() } else { end.ended_on.and_hms_opt(12, 0, 0).expect("noon") };
                    let due = decision_due(received).ok_or_else(|| invalid("ended", "The date is outside the working-day calendar"))?;
                    let cid = new_id();
                    sqlx::query(
                        "INSERT INTO contact (id, received_at, source, contact_name, contact_agency, reason, consent, decision_due, recorded_by, version, created_at) \
                         VALUES ($1, $2, '5D', $3, 'Early help', $4, 'given', $5, $6, 1, $7)",
                    )
                    .bind(cid).bind(received).bind(before.lead.as_str()).bind(end.note.trim()).bind(due).bind(actor.0).bind(now())
                    .execute(&mut *tx).await?;
                    sqlx::query("INSERT INTO contact_child (contact_id, person_id) VALUES ($1, $2)").bind(cid).bind(before.child_id).execute(&mut *tx).await?;
                    audit(&mut tx, actor, AuditAction::Create, "contact", Some(cid), Some(before.child_id), None,
                        Some(serde_json::json!({"source": "5D", "reason": end.note.trim(), "from_early_help": id})), "stepped up from early help").await?;
                    contact_id = Some(cid);
                }
                sqlx::query("UPDATE early_help SET ended_on = $1, end_reason = $2, end_note = $3, step_up_contact = $4 WHERE id = $5")
                    .bind(end.ended_on).bind(&end.reason).bind(end.note.trim()).bind(contact_id).bind(id)
                    .execute(&mut *tx).await?;
                let after = fetch_early_help(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Update, "early_help", Some(id), Some(after.child_id), Some(to_json(&before)), Some(to_json(&after)), "early help ended").await?;
                tx.commit().await?;
                Ok(after)
            }

        }
    };
}
pub(crate) use sql;
