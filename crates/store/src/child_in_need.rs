//! Children in need, as a part of the repository: closing the child in need episode a referral
//! began, and child in need plans with SMART actions and reviews. Every change writes its audit
//! entry in the same transaction.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::child_in_need::{
    ActionProgress, CinPlan, EpisodeClosure, NewCinPlan, NewPlanAction, PlanReview,
};
use domain::front_door::Referral;
use uuid::Uuid;

use crate::{Actor, Result};

#[async_trait]
pub trait ChildInNeed: Send + Sync {
    /// Closes the child in need episode a referral began.
    async fn close_referral(
        &self,
        actor: Actor,
        referral_id: Uuid,
        closure: EpisodeClosure,
    ) -> Result<Referral>;
    async fn start_cin_plan(&self, actor: Actor, plan: NewCinPlan) -> Result<CinPlan>;
    async fn add_plan_action(
        &self,
        actor: Actor,
        plan_id: Uuid,
        action: NewPlanAction,
    ) -> Result<CinPlan>;
    /// Records progress on an action last read at `expected_version` (else a conflict).
    async fn update_plan_action(
        &self,
        actor: Actor,
        action_id: Uuid,
        expected_version: i64,
        progress: ActionProgress,
    ) -> Result<CinPlan>;
    async fn review_cin_plan(
        &self,
        actor: Actor,
        plan_id: Uuid,
        review: PlanReview,
    ) -> Result<CinPlan>;
    async fn end_cin_plan(
        &self,
        actor: Actor,
        plan_id: Uuid,
        ended_on: NaiveDate,
        reason: String,
    ) -> Result<CinPlan>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use domain::child_in_need::*;
        use domain::front_door::Referral;
        use $crate::child_in_need::ChildInNeed as ChildInNeedRepository;
        use super::front_door::fetch_referral;

        async fn fetch_cin_plan(conn: &mut Conn, id: Uuid) -> Result<CinPlan, StoreError> {
            let r = sqlx::query("SELECT * FROM cin_plan WHERE id = $1").bind(id).fetch_one(&mut *conn).await.map_err(not_found("child in need plan"))?;
            let actions = sqlx::query("SELECT * FROM plan_action WHERE plan_id = $1 ORDER BY seq")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(|a| {
                    Ok(PlanAction {
                        id: a.try_get("id")?,
                        need: a.try_get("need")?,
                        action: a.try_get("action")?,
                        owner: a.try_get("owner")?,
                        due_on: a.try_get("due_on")?,
                        status: a.try_get("status")?,
                        progress: a.try_get("progress")?,
                        version: a.try_get("version")?,
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let reviews = sqlx::query("SELECT * FROM plan_review WHERE plan_id = $1 ORDER BY held_on, created_at")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(|a| Ok(PlanReview { held_on: a.try_get("held_on")?, summary: a.try_get("summary")? }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            Ok(CinPlan {
                id,
                child_id: r.try_get("child_id")?,
                referral_id: r.try_get("referral_id")?,
                started_on: r.try_get("started_on")?,
                ended_on: r.try_get("ended_on")?,
                end_reason: r.try_get("end_reason")?,
                primary_need: r.try_get("primary_need")?,
                actions,
                reviews,
            })
        }

        /// A child's child in need plans, newest first, for the child's page (read in the caller's
        /// transaction).
        pub(super) async fn load_for_child(conn: &mut Conn, child: Uuid) -> Result<Vec<CinPlan>, StoreError> {
            let plan_ids: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM cin_plan WHERE child_id = $1 ORDER BY started_on DESC, created_at DESC")
                .bind(child).fetch_all(&mut *conn).await?;
            let mut cin_plans = Vec::new();
            for id in plan_ids {
                cin_plans.push(fetch_cin_plan(conn, id).await?);
            }
            Ok(cin_plans)
        }

        #[async_trait::async_trait]
        impl ChildInNeedRepository for $store {
            async fn close_referral(&self, actor: Actor, referral_id: Uuid, c: EpisodeClosure) -> Result<Referral> {
                let mut tx = self.tx().await?;
                let before = fetch_referral(&mut tx, referral_id).await?;
                refuse(c.validate(before.referral_date, local_now().date()))?;
                if before.closed_on.is_some() {
                    return Err(invalid("closed", "The episode is already closed"));
                }
                let open_plan: Option<Uuid> = sqlx::query_scalar("SELECT id FROM cin_plan WHERE referral_id = $1 AND ended_on IS NULL").bind(referral_id).fetch_optional(&mut *tx).await?;
                if open_plan.is_some() {
                    return Err(invalid("closed", "End the child in need plan before closing the episode"));
                }
                let open_cp: Option<Uuid> = sqlx::query_scalar("SELECT id FROM cp_plan WHERE child_id = $1 AND ended_on IS NULL").bind(before.child_id).fetch_optional(&mut *tx).await?;
                if open_cp.is_some() {
                    return Err(invalid("closed", "The child is on a child protection plan: end it at a review conference first"));
                }
                sqlx::query("UPDATE referral SET closed_on = $1, closure_reason = $2 WHERE id = $3").bind(c.closed_on).bind(&c.reason).bind(referral_id).execute(&mut *tx).await?;
                let after = fetch_referral(&mut tx, referral_id).await?;
                audit(&mut tx, actor, AuditAction::Update, "referral", Some(referral_id), Some(after.child_id), Some(to_json(&before)), Some(to_json(&after)), "child in need episode closed").await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn start_cin_plan(&self, actor: Actor, p: NewCinPlan) -> Result<CinPlan> {
                let mut tx = self.tx().await?;
                let referral = fetch_referral(&mut tx, p.referral_id).await?;
                refuse(p.validate(referral.referral_date, local_now().date()))?;
                if referral.closed_on.is_some() {
                    return Err(invalid("started", "The child in need episode is closed"));
                }
                let open: Option<Uuid> = sqlx::query_scalar("SELECT id FROM cin_plan WHERE child_id = $1 AND ended_on IS NULL").bind(referral.child_id).fetch_optional(&mut *tx).await?;
                if open.is_some() {
                    return Err(invalid("started", "The child already has an open child in need plan"));
                }
                let id = new_id();
                sqlx::query("INSERT INTO cin_plan (id, child_id, referral_id, started_on, primary_need, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(id).bind(referral.child_id).bind(p.referral_id).bind(p.started_on).bind(&p.primary_need).bind(now())
                    .execute(&mut *tx).await?;
                sqlx::query("UPDATE referral SET primary_need = $1 WHERE id = $2").bind(&p.primary_need).bind(p.referral_id).execute(&mut *tx).await?;
                let plan = fetch_cin_plan(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Create, "cin_plan", Some(id), Some(plan.child_id), None, Some(to_json(&plan)), "child in need plan started").await?;
                tx.commit().await?;
                Ok(plan)
            }

            async fn add_plan_action(&self, actor: Actor, plan_id: Uuid, a: NewPlanAction) -> Result<CinPlan> {
                let mut tx = self.tx().await?;
                let plan = fetch_cin_plan(&mut tx, plan_id).await?;
                refuse(a.validate(plan.started_on))?;
                if plan.ended_on.is_some() {
                    return Err(invalid("action", "The plan has ended"));
                }
                let id = new_id();
                sqlx::query(
                    "INSERT INTO plan_action (id, plan_id, seq, need, action, owner, due_on, status, progress, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'not_started', '', $8)",
                )
                .bind(id).bind(plan_id).bind(plan.actions.len() as i64 + 1).bind(a.need.trim()).bind(a.action.trim()).bind(a.owner.trim()).bind(a.due_on).bind(now())
                .execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Create, "plan_action", Some(id), Some(plan.child_id), None, Some(to_json(&a)), "plan action added").await?;
                let plan = fetch_cin_plan(&mut tx, plan_id).await?;
                tx.commit().await?;
                Ok(plan)
            }

            async fn update_plan_action(&self, actor: Actor, action_id: Uuid, expected_version: i64, p: ActionProgress) -> Result<CinPlan> {
                refuse(p.validate())?;
                let mut tx = self.tx().await?;
                let plan_id: Uuid = sqlx::query_scalar("SELECT plan_id FROM plan_action WHERE id = $1").bind(action_id).fetch_one(&mut *tx).await.map_err(not_found("plan action"))?;
                let plan = fetch_cin_plan(&mut tx, plan_id).await?;
                let before = plan.actions.iter().find(|a| a.id == action_id).cloned();
                let actual = before.as_ref().map(|b| b.version).unwrap_or_default();
                if actual != expected_version {
                    return Err(StoreError::Conflict { expected: expected_version, actual });
                }
                sqlx::query("UPDATE plan_action SET status = $1, progress = $2, version = version + 1 WHERE id = $3 AND version = $4")
                    .bind(&p.status).bind(p.progress.trim()).bind(action_id).bind(expected_version).execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Update, "plan_action", Some(action_id), Some(plan.child_id), before.map(|b| to_json(&b)), Some(to_json(&p)), "plan action progress").await?;
                let plan = fetch_cin_plan(&mut tx, plan_id).await?;
                tx.commit().await?;
                Ok(plan)
            }

            async fn review_cin_plan(&self, actor: Actor, plan_id: Uuid, r: PlanReview) -> Result<CinPlan> {
                let mut tx = self.tx().await?;
                let plan = fetch_cin_plan(&mut tx, plan_id).await?;
                if r.summary.trim().is_empty() {
                    return Err(invalid("summary", "Enter what the review found and decided"));
                }
                if r.held_on < plan.started_on || r.held_on > local_now().date() {
                    return Err(invalid("held", "The review date must be between the start of the plan and today"));
                }
                let id = new_id();
                sqlx::query("INSERT INTO plan_review (id, plan_id, held_on, summary, created_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(id).bind(plan_id).bind(r.held_on).bind(r.summary.trim()).bind(now()).execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Create, "plan_review", Some(id), Some(plan.child_id), None, Some(to_json(&r)), "child in need plan reviewed").await?;
                let plan = fetch_cin_plan(&mut tx, plan_id).await?;
                tx.commit().await?;
                Ok(plan)
            }

            async fn end_cin_plan(&self, actor: Actor, plan_id: Uuid, ended_on: NaiveDate, reason: String) -> Result<CinPlan> {
                if reason.trim().is_empty() {
                    return Err(invalid("reason", "Enter why the plan is ending"));
                }
                if reason.chars().count() > 5_000 {
                    return Err(invalid("reason", "The reason must be 5000 characters or fewer"));
                }
                let mut tx = self.tx().await?;
                let before = fetch_cin_plan(&mut tx, plan_id).await?;
                if before.ended_on.is_some() {
                    return Err(invalid("ended", "The plan has already ended"));
                }
                if ended_on < before.started_on || ended_on > local_now().date() {
                    return Err(invalid("ended", "The end date must be between the start of the plan and today"));
                }
                sqlx::query("UPDATE cin_plan SET ended_on = $1, end_reason = $2 WHERE id = $3").bind(ended_on).bind(reason.trim()).bind(plan_id).execute(&mut *tx).await?;
                let after = fetch_cin_plan(&mut tx, plan_id).await?;
                audit(&mut tx, actor, AuditAction::Update, "cin_plan", Some(plan_id), Some(after.child_id), None, Some(serde_json::json!({"ended_on": ended_on, "reason": reason.trim()})), "child in need plan ended").await?;
                tx.commit().await?;
                Ok(after)
            }

        }
    };
}
pub(crate) use sql;
