//! Permanence plans and personal education plans, as a part of the repository. A new permanence
//! plan supersedes the one in force (its `superseded_on` and `superseded_by` set, the row kept),
//! so the plan's history stays on the record. A PEP is a `pep_review` row, as the 903 and the
//! metrics read it, extended with the achievements, the virtual school's sign-off and the SMART
//! targets set at it; progress on the last PEP's targets is written onto those targets. Every
//! change writes its audit entry in the same transaction.

use async_trait::async_trait;
use domain::looked_after::education::{NewPep, PepRecord};
use domain::looked_after::permanence::{NewPermanencePlan, PermanencePlan};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Actor, Result};

/// A child's permanence plans (oldest first, superseded ones too) and PEPs (oldest first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarePlans {
    pub permanence: Vec<PermanencePlan>,
    pub peps: Vec<PepRecord>,
}

#[async_trait]
pub trait LookedAfterPlans: Send + Sync {
    /// Records a permanence plan, superseding the one in force.
    async fn record_permanence_plan(
        &self,
        actor: Actor,
        child_id: Uuid,
        plan: NewPermanencePlan,
    ) -> Result<PermanencePlan>;
    /// Records a PEP with its targets, and progress on earlier targets.
    async fn record_pep(&self, actor: Actor, child_id: Uuid, pep: NewPep) -> Result<PepRecord>;
    /// The child's permanence plans and PEPs (the caller has opened the child's record, which is
    /// the access entry).
    async fn care_plans(&self, child_id: Uuid) -> Result<CarePlans>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use domain::looked_after::education::*;
        use domain::looked_after::permanence::*;
        use $crate::looked_after::plans::{CarePlans, LookedAfterPlans};

        /// The start of the child's current or latest period of care (a child on the record).
        async fn entered_care(conn: &mut Conn, child: Uuid) -> Result<Option<NaiveDate>, StoreError> {
            let p = fetch_person(conn, child).await?;
            if p.details.kind != PersonKind::Child {
                return Err(invalid("child_id", "This is for a child on the record"));
            }
            Ok(sqlx::query_scalar("SELECT MAX(started_on) FROM cla_period WHERE child_id = $1")
                .bind(child).fetch_one(&mut *conn).await?)
        }

        /// [`refuse`], naming this module's fields too.
        fn refuse_plan(errors: Vec<domain::validate::FieldError>) -> Result<(), StoreError> {
            let Some(e) = errors.into_iter().next() else { return Ok(()) };
            let field = match e.field.as_str() {
                "plan" => "plan",
                "agreed" => "agreed",
                "target" => "target",
                "early_permanence" => "early_permanence",
                "parallel_plan" => "parallel_plan",
                "reviewed" => "reviewed",
                "targets" => "targets",
                "signed_off" => "signed_off",
                "signed_off_by" => "signed_off_by",
                _ => return refuse(vec![e]),
            };
            Err(StoreError::Invalid { field, message: e.message })
        }

        fn plan_from_row(r: &Row) -> Result<PermanencePlan, sqlx::Error> {
            let parallel_plan: Option<String> = r.try_get("parallel_plan")?;
            Ok(PermanencePlan {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                plan: r.try_get("plan")?,
                agreed_on: r.try_get("agreed_on")?,
                target_on: r.try_get("target_on")?,
                early_permanence: r.try_get("early_permanence")?,
                twin_track: parallel_plan.is_some(),
                parallel_plan,
                rationale: r.try_get("rationale")?,
                superseded_on: r.try_get("superseded_on")?,
                superseded_by: r.try_get("superseded_by")?,
                recorded_by: r.try_get("recorded_by")?,
            })
        }

        fn target_from_row(r: &Row) -> Result<PepTarget, sqlx::Error> {
            Ok(PepTarget {
                id: r.try_get("id")?,
                pep_id: r.try_get("pep_id")?,
                child_id: r.try_get("child_id")?,
                area: r.try_get("area")?,
                target: r.try_get("target")?,
                due_on: r.try_get("due_on")?,
                progress: r.try_get("progress")?,
                achieved: r.try_get("achieved")?,
                reviewed_at: r.try_get("reviewed_at")?,
            })
        }

        async fn fetch_plans(conn: &mut Conn, child: Uuid) -> Result<Vec<PermanencePlan>, StoreError> {
            Ok(sqlx::query("SELECT * FROM permanence_plan WHERE child_id = $1 ORDER BY agreed_on, created_at")
                .bind(child).fetch_all(&mut *conn).await?
                .iter().map(plan_from_row).collect::<Result<Vec<_>, _>>()?)
        }

        async fn fetch_plan(conn: &mut Conn, id: Uuid) -> Result<PermanencePlan, StoreError> {
            let r = sqlx::query("SELECT * FROM permanence_plan WHERE id = $1").bind(id)
                .fetch_one(&mut *conn).await.map_err(not_found("permanence plan"))?;
            Ok(plan_from_row(&r)?)
        }

        async fn fetch_peps(conn: &mut Conn, child: Uuid, only: Option<Uuid>) -> Result<Vec<PepRecord>, StoreError> {
            let rows = sqlx::query("SELECT * FROM pep_review WHERE child_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY reviewed_on, created_at")
                .bind(child).bind(only).fetch_all(&mut *conn).await?;
            let targets = sqlx::query("SELECT * FROM pep_target WHERE child_id = $1 ORDER BY due_on, created_at")
                .bind(child).fetch_all(&mut *conn).await?
                .iter().map(target_from_row).collect::<Result<Vec<_>, _>>()?;
            let mut out = Vec::new();
            for r in &rows {
                let id: Uuid = r.try_get("id")?;
                out.push(PepRecord {
                    id,
                    child_id: r.try_get("child_id")?,
                    reviewed_on: r.try_get("reviewed_on")?,
                    achievements: r.try_get("achievements")?,
                    signed_off_by: r.try_get("signed_off_by")?,
                    signed_off_on: r.try_get("signed_off_on")?,
                    recorded_by: r.try_get("recorded_by")?,
                    targets: targets.iter().filter(|t| t.pep_id == id).cloned().collect(),
                });
            }
            Ok(out)
        }

        #[async_trait::async_trait]
        impl LookedAfterPlans for $store {
            async fn record_permanence_plan(&self, actor: Actor, child_id: Uuid, plan: NewPermanencePlan) -> Result<PermanencePlan> {
                let mut tx = self.tx().await?;
                let entered = entered_care(&mut tx, child_id).await?;
                refuse_plan(plan.validate(entered, local_now().date()))?;
                let before = fetch_plans(&mut tx, child_id).await?;
                let current = current_plan(&before).cloned();
                if let Some(c) = &current {
                    if plan.agreed_on < c.agreed_on {
                        return Err(invalid("agreed", "The date the plan was agreed must be on or after the date the current plan was agreed"));
                    }
                }
                let trim = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
                let id = new_id();
                sqlx::query(
                    "INSERT INTO permanence_plan (id, child_id, plan, agreed_on, target_on, early_permanence, parallel_plan, rationale, recorded_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(id).bind(child_id).bind(&plan.plan).bind(plan.agreed_on).bind(plan.target_on)
                .bind(trim(&plan.early_permanence)).bind(trim(&plan.parallel_plan)).bind(plan.rationale.trim())
                .bind(actor.0).bind(now())
                .execute(&mut *tx).await?;
                if let Some(c) = current {
                    sqlx::query("UPDATE permanence_plan SET superseded_on = $1, superseded_by = $2 WHERE id = $3")
                        .bind(plan.agreed_on).bind(id).bind(c.id).execute(&mut *tx).await?;
                    let after = fetch_plan(&mut tx, c.id).await?;
                    audit(&mut tx, actor, AuditAction::Update, "permanence_plan", Some(c.id), Some(child_id), Some(to_json(&c)), Some(to_json(&after)), "permanence plan superseded").await?;
                }
                let saved = fetch_plan(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Create, "permanence_plan", Some(id), Some(child_id), None, Some(to_json(&saved)), "permanence plan recorded").await?;
                tx.commit().await?;
                Ok(saved)
            }

            async fn record_pep(&self, actor: Actor, child_id: Uuid, pep: NewPep) -> Result<PepRecord> {
                let mut tx = self.tx().await?;
                let entered = entered_care(&mut tx, child_id).await?;
                refuse_plan(pep.validate(entered, local_now().date()))?;
                let earlier = fetch_peps(&mut tx, child_id, None).await?;
                for p in &pep.progress {
                    let open = earlier.iter().flat_map(|e| &e.targets).any(|t| t.id == p.target_id && t.reviewed_at.is_none());
                    if !open {
                        return Err(invalid("progress", "Progress is for a target of this child's earlier PEPs not yet reviewed"));
                    }
                }
                let id = new_id();
                let by = pep.signed_off_by.as_deref().map(str::trim).filter(|s| !s.is_empty());
                sqlx::query(
                    "INSERT INTO pep_review (id, child_id, reviewed_on, achievements, signed_off_by, signed_off_on, recorded_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(id).bind(child_id).bind(pep.reviewed_on).bind(pep.achievements.trim())
                .bind(by).bind(pep.signed_off_on).bind(actor.0).bind(now())
                .execute(&mut *tx).await?;
                for t in &pep.targets {
                    sqlx::query(
                        "INSERT INTO pep_target (id, pep_id, child_id, area, target, due_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(new_id()).bind(id).bind(child_id).bind(t.area.trim()).bind(t.target.trim())
                    .bind(t.by_when.expect("validated")).bind(now())
                    .execute(&mut *tx).await?;
                }
                for p in &pep.progress {
                    let before = earlier.iter().flat_map(|e| &e.targets).find(|t| t.id == p.target_id).cloned();
                    sqlx::query("UPDATE pep_target SET progress = $1, achieved = $2, reviewed_at = $3 WHERE id = $4")
                        .bind(p.progress.trim()).bind(p.achieved).bind(id).bind(p.target_id)
                        .execute(&mut *tx).await?;
                    let after = sqlx::query("SELECT * FROM pep_target WHERE id = $1").bind(p.target_id).fetch_one(&mut *tx).await?;
                    let after = target_from_row(&after)?;
                    audit(&mut tx, actor, AuditAction::Update, "pep_target", Some(p.target_id), Some(child_id), before.as_ref().map(to_json), Some(to_json(&after)), "PEP target progress reviewed").await?;
                }
                let saved = fetch_peps(&mut tx, child_id, Some(id)).await?.pop().ok_or(StoreError::NotFound("PEP"))?;
                audit(&mut tx, actor, AuditAction::Create, "pep_review", Some(id), Some(child_id), None, Some(to_json(&saved)), "PEP recorded").await?;
                tx.commit().await?;
                Ok(saved)
            }

            async fn care_plans(&self, child_id: Uuid) -> Result<CarePlans> {
                let mut conn = self.pool.acquire().await?;
                let permanence = fetch_plans(&mut conn, child_id).await?;
                let peps = fetch_peps(&mut conn, child_id, None).await?;
                Ok(CarePlans { permanence, peps })
            }
        }
    };
}
pub(crate) use sql;
