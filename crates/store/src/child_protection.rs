//! Child protection, as a part of the repository: the pathway from strategy discussion through
//! section 47 enquiry and initial conference to a plan, its core groups and review conferences,
//! and its end. Every change writes its audit entry in the same transaction.

use async_trait::async_trait;
use domain::child_protection::{
    Conference, CpPlan, NewConference, NewCoreGroup, NewStrategy, S47, S47Completion, Strategy,
};
use uuid::Uuid;

use crate::{Actor, Result};

#[async_trait]
pub trait ChildProtectionPathway: Send + Sync {
    /// Records a strategy discussion on a referral; one that initiates a section 47 enquiry
    /// starts it, with the initial conference due 15 working days later.
    async fn record_strategy(
        &self,
        actor: Actor,
        strategy: NewStrategy,
    ) -> Result<(Strategy, Option<S47>)>;
    async fn complete_s47(
        &self,
        actor: Actor,
        s47_id: Uuid,
        completion: S47Completion,
    ) -> Result<S47>;
    /// An initial conference (after a section 47 enquiry that called for one) may start a plan;
    /// a review conference continues the child's open plan or ends it.
    async fn record_conference(
        &self,
        actor: Actor,
        child_id: Uuid,
        conference: NewConference,
    ) -> Result<Conference>;
    async fn record_core_group(
        &self,
        actor: Actor,
        plan_id: Uuid,
        core_group: NewCoreGroup,
    ) -> Result<CpPlan>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use domain::child_protection::*;
        use $crate::child_protection::ChildProtectionPathway as ChildProtectionRepository;
        use super::front_door::fetch_referral;

        fn strategy_from_row(r: &Row) -> Result<Strategy, sqlx::Error> {
            let Json(agencies): Json<Vec<String>> = r.try_get("agencies")?;
            Ok(Strategy {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                referral_id: r.try_get("referral_id")?,
                held_on: r.try_get("held_on")?,
                agencies,
                s47: r.try_get("s47")?,
                notes: r.try_get("notes")?,
            })
        }

        pub(super) fn s47_from_row(r: &Row) -> Result<S47, sqlx::Error> {
            Ok(S47 {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                strategy_id: r.try_get("strategy_id")?,
                started_on: r.try_get("started_on")?,
                icpc_due: r.try_get("icpc_due")?,
                completed_on: r.try_get("completed_on")?,
                outcome: r.try_get("outcome")?,
            })
        }

        fn conference_from_row(r: &Row) -> Result<Conference, sqlx::Error> {
            let Json(agencies): Json<Vec<String>> = r.try_get("agencies")?;
            let kind: String = r.try_get("kind")?;
            Ok(Conference {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                kind: ConferenceKind::parse(&kind).ok_or_else(|| $crate::sql::bad_column("kind", &kind))?,
                held_on: r.try_get("held_on")?,
                due_on: r.try_get("due_on")?,
                agencies,
                plan: r.try_get("plan")?,
                category: r.try_get("category")?,
                plan_id: r.try_get("plan_id")?,
            })
        }

        async fn fetch_cp_plan(conn: &mut Conn, id: Uuid) -> Result<CpPlan, StoreError> {
            let r = sqlx::query("SELECT * FROM cp_plan WHERE id = $1").bind(id).fetch_one(&mut *conn).await.map_err(not_found("child protection plan"))?;
            let core_groups = sqlx::query("SELECT * FROM core_group WHERE plan_id = $1 ORDER BY held_on, created_at")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(|a| {
                    let Json(agencies): Json<Vec<String>> = a.try_get("agencies")?;
                    Ok(CoreGroup { held_on: a.try_get("held_on")?, agencies, notes: a.try_get("notes")? })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let conferences = sqlx::query("SELECT * FROM conference WHERE plan_id = $1 ORDER BY held_on, created_at")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(conference_from_row)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(CpPlan {
                id,
                child_id: r.try_get("child_id")?,
                started_on: r.try_get("started_on")?,
                ended_on: r.try_get("ended_on")?,
                initial_category: r.try_get("initial_category")?,
                latest_category: r.try_get("latest_category")?,
                end_reason: r.try_get("end_reason")?,
                repeat: r.try_get("repeat_plan")?,
                core_groups,
                conferences,
            })
        }

        /// Strategy discussions, section 47 enquiries, conferences and plans on a child's record, newest
        /// first, for the child's page (read in the caller's transaction).
        pub(super) async fn load_for_child(conn: &mut Conn, child: Uuid) -> Result<ChildProtection, StoreError> {
            let strategies = sqlx::query("SELECT * FROM strategy WHERE child_id = $1 ORDER BY held_on DESC, created_at DESC")
                .bind(child).fetch_all(&mut *conn).await?.iter().map(strategy_from_row).collect::<Result<Vec<_>, _>>()?;
            let s47s = sqlx::query("SELECT * FROM s47 WHERE child_id = $1 ORDER BY started_on DESC, created_at DESC")
                .bind(child).fetch_all(&mut *conn).await?.iter().map(s47_from_row).collect::<Result<Vec<_>, _>>()?;
            let conferences = sqlx::query("SELECT * FROM conference WHERE child_id = $1 ORDER BY held_on DESC, created_at DESC")
                .bind(child).fetch_all(&mut *conn).await?.iter().map(conference_from_row).collect::<Result<Vec<_>, _>>()?;
            let cp_ids: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM cp_plan WHERE child_id = $1 ORDER BY started_on DESC, created_at DESC")
                .bind(child).fetch_all(&mut *conn).await?;
            let mut cp_plans = Vec::new();
            for id in cp_ids {
                cp_plans.push(fetch_cp_plan(conn, id).await?);
            }
            Ok(ChildProtection { strategies, s47s, conferences, cp_plans })
        }

        #[async_trait::async_trait]
        impl ChildProtectionRepository for $store {
            async fn record_strategy(&self, actor: Actor, s: NewStrategy) -> Result<(Strategy, Option<S47>)> {
                let mut tx = self.tx().await?;
                let referral = fetch_referral(&mut tx, s.referral_id).await?;
                refuse(s.validate(referral.referral_date, local_now().date()))?;
                let id = new_id();
                sqlx::query("INSERT INTO strategy (id, child_id, referral_id, held_on, agencies, s47, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(id).bind(referral.child_id).bind(s.referral_id).bind(s.held_on).bind(Json(&s.agencies)).bind(s.s47).bind(s.notes.trim()).bind(now())
                    .execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Create, "strategy", Some(id), Some(referral.child_id), None, Some(to_json(&s)), "strategy discussion").await?;
                let mut s47 = None;
                if s.s47 {
                    let due = domain::timescales::initial_conference_due(s.held_on).map_err(|e| invalid("held", e.to_string()))?;
                    let sid = new_id();
                    sqlx::query("INSERT INTO s47 (id, child_id, strategy_id, started_on, icpc_due, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(sid).bind(referral.child_id).bind(id).bind(s.held_on).bind(due).bind(now())
                        .execute(&mut *tx).await?;
                    let row = sqlx::query("SELECT * FROM s47 WHERE id = $1").bind(sid).fetch_one(&mut *tx).await?;
                    let e = s47_from_row(&row)?;
                    audit(&mut tx, actor, AuditAction::Create, "s47", Some(sid), Some(referral.child_id), None, Some(to_json(&e)), "section 47 enquiry started").await?;
                    s47 = Some(e);
                }
                let row = sqlx::query("SELECT * FROM strategy WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
                let strategy = strategy_from_row(&row)?;
                tx.commit().await?;
                Ok((strategy, s47))
            }

            async fn complete_s47(&self, actor: Actor, s47_id: Uuid, c: S47Completion) -> Result<S47> {
                let mut tx = self.tx().await?;
                let row = sqlx::query("SELECT * FROM s47 WHERE id = $1").bind(s47_id).fetch_one(&mut *tx).await.map_err(not_found("section 47 enquiry"))?;
                let before = s47_from_row(&row)?;
                refuse(c.validate(before.started_on, local_now().date()))?;
                if before.completed_on.is_some() {
                    return Err(invalid("completed", "The enquiry has already been completed"));
                }
                sqlx::query("UPDATE s47 SET completed_on = $1, outcome = $2 WHERE id = $3").bind(c.completed_on).bind(&c.outcome).bind(s47_id).execute(&mut *tx).await?;
                let row = sqlx::query("SELECT * FROM s47 WHERE id = $1").bind(s47_id).fetch_one(&mut *tx).await?;
                let after = s47_from_row(&row)?;
                audit(&mut tx, actor, AuditAction::Update, "s47", Some(s47_id), Some(after.child_id), Some(to_json(&before)), Some(to_json(&after)), "section 47 enquiry completed").await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn record_conference(&self, actor: Actor, child_id: Uuid, c: NewConference) -> Result<Conference> {
                refuse(c.validate(local_now().date()))?;
                let mut tx = self.tx().await?;
                fetch_person(&mut tx, child_id).await?;
                let open_plan: Option<Uuid> = sqlx::query_scalar("SELECT id FROM cp_plan WHERE child_id = $1 AND ended_on IS NULL").bind(child_id).fetch_optional(&mut *tx).await?;
                let id = new_id();
                let (s47_id, plan_id, due) = match c.kind {
                    ConferenceKind::Initial => {
                        if open_plan.is_some() {
                            return Err(invalid("kind", "The child is already on a child protection plan: record a review conference"));
                        }
                        let row = sqlx::query(
                            "SELECT s.* FROM s47 s WHERE s.child_id = $1 AND s.outcome = 'icpc' \
                             AND NOT EXISTS (SELECT 1 FROM conference c WHERE c.s47_id = s.id) ORDER BY s.started_on DESC",
                        ).bind(child_id).fetch_optional(&mut *tx).await?;
                        let Some(row) = row else {
                            return Err(invalid("kind", "An initial conference follows a section 47 enquiry that called for one"));
                        };
                        let s = s47_from_row(&row)?;
                        if c.held_on < s.started_on {
                            return Err(invalid("held", "The conference cannot be before the strategy discussion"));
                        }
                        let plan_id = if c.plan {
                            let category = c.category.clone().unwrap_or_default();
                            let earlier: Option<Uuid> = sqlx::query_scalar("SELECT id FROM cp_plan WHERE child_id = $1 LIMIT 1").bind(child_id).fetch_optional(&mut *tx).await?;
                            let pid = new_id();
                            sqlx::query(
                                "INSERT INTO cp_plan (id, child_id, started_on, initial_category, latest_category, end_reason, repeat_plan, created_at) \
                                 VALUES ($1, $2, $3, $4, $5, '', $6, $7)",
                            ).bind(pid).bind(child_id).bind(c.held_on).bind(&category).bind(&category).bind(earlier.is_some()).bind(now())
                            .execute(&mut *tx).await?;
                            audit(&mut tx, actor, AuditAction::Create, "cp_plan", Some(pid), Some(child_id), None,
                                Some(serde_json::json!({"started_on": c.held_on, "category": category, "repeat": earlier.is_some()})), "child protection plan started").await?;
                            Some(pid)
                        } else {
                            None
                        };
                        (Some(s.id), plan_id, s.icpc_due)
                    }
                    ConferenceKind::Review => {
                        let Some(pid) = open_plan else {
                            return Err(invalid("kind", "A review conference is for a child on a child protection plan"));
                        };
                        let plan = fetch_cp_plan(&mut tx, pid).await?;
                        let due = plan.next_review_due().unwrap_or(c.held_on);
                        if c.held_on < plan.started_on {
                            return Err(invalid("held", "The review cannot be before the plan started"));
                        }
                        if c.plan {
                            sqlx::query("UPDATE cp_plan SET latest_category = $1 WHERE id = $2").bind(c.category.clone().unwrap_or_default()).bind(pid).execute(&mut *tx).await?;
                        } else {
                            sqlx::query("UPDATE cp_plan SET ended_on = $1, end_reason = $2 WHERE id = $3").bind(c.held_on).bind(c.end_reason.trim()).bind(pid).execute(&mut *tx).await?;
                            audit(&mut tx, actor, AuditAction::Update, "cp_plan", Some(pid), Some(child_id), None,
                                Some(serde_json::json!({"ended_on": c.held_on, "end_reason": c.end_reason.trim()})), "child protection plan ended").await?;
                        }
                        (None, Some(pid), due)
                    }
                };
                sqlx::query(
                    "INSERT INTO conference (id, child_id, kind, s47_id, plan_id, held_on, due_on, agencies, plan, category, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                ).bind(id).bind(child_id).bind(c.kind.as_str()).bind(s47_id).bind(plan_id).bind(c.held_on).bind(due).bind(Json(&c.agencies)).bind(c.plan).bind(&c.category).bind(now())
                .execute(&mut *tx).await?;
                let row = sqlx::query("SELECT * FROM conference WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
                let conf = conference_from_row(&row)?;
                audit(&mut tx, actor, AuditAction::Create, "conference", Some(id), Some(child_id), None, Some(to_json(&conf)),
                    match c.kind { ConferenceKind::Initial => "initial child protection conference", ConferenceKind::Review => "review child protection conference" }).await?;
                tx.commit().await?;
                Ok(conf)
            }

            async fn record_core_group(&self, actor: Actor, plan_id: Uuid, g: NewCoreGroup) -> Result<CpPlan> {
                let mut tx = self.tx().await?;
                let plan = fetch_cp_plan(&mut tx, plan_id).await?;
                refuse(g.validate(plan.started_on, local_now().date()))?;
                if plan.ended_on.is_some() {
                    return Err(invalid("held", "The plan has ended"));
                }
                let id = new_id();
                sqlx::query("INSERT INTO core_group (id, plan_id, held_on, agencies, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(id).bind(plan_id).bind(g.held_on).bind(Json(&g.agencies)).bind(g.notes.trim()).bind(now())
                    .execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Create, "core_group", Some(id), Some(plan.child_id), None, Some(to_json(&g)), "core group").await?;
                let plan = fetch_cp_plan(&mut tx, plan_id).await?;
                tx.commit().await?;
                Ok(plan)
            }
        }
    };
}
pub(crate) use sql;
