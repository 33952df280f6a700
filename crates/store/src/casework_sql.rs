//! The casework SQL, expanded beside the repository and journey macros for each backend (it uses
//! their row types and helpers).

macro_rules! casework_impl {
    ($store:ty) => {
        use domain::child_in_need::*;
use domain::child_protection::*;
use domain::early_help::*;
        use $crate::casework::{CaseRecord, Casework as CaseworkRepository};

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

        fn s47_from_row(r: &Row) -> Result<S47, sqlx::Error> {
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

        async fn fetch_early_help(conn: &mut Conn, id: Uuid) -> Result<EarlyHelp, StoreError> {
            let r = sqlx::query("SELECT * FROM early_help WHERE id = $1").bind(id).fetch_one(&mut *conn).await.map_err(not_found("early help episode"))?;
            Ok(early_help_from_row(&r)?)
        }

        async fn fetch_referral(conn: &mut Conn, id: Uuid) -> Result<Referral, StoreError> {
            let r = sqlx::query("SELECT * FROM referral WHERE id = $1").bind(id).fetch_one(&mut *conn).await.map_err(not_found("referral"))?;
            Ok(referral_from_row(&r)?)
        }

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
                primary_need: r.try_get("primary_need")?,
                actions,
                reviews,
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

        /// Everything after the front door on a child's record (read in the caller's transaction).
        pub(crate) async fn load_casework(conn: &mut Conn, child: Uuid) -> Result<(Vec<EarlyHelp>, Vec<CinPlan>, ChildProtection), StoreError> {
            let early_help = sqlx::query("SELECT * FROM early_help WHERE child_id = $1 ORDER BY started_on DESC, created_at DESC")
                .bind(child).fetch_all(&mut *conn).await?.iter().map(early_help_from_row).collect::<Result<Vec<_>, _>>()?;
            let plan_ids: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM cin_plan WHERE child_id = $1 ORDER BY started_on DESC, created_at DESC")
                .bind(child).fetch_all(&mut *conn).await?;
            let mut cin_plans = Vec::new();
            for id in plan_ids {
                cin_plans.push(fetch_cin_plan(conn, id).await?);
            }
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
            Ok((early_help, cin_plans, ChildProtection { strategies, s47s, conferences, cp_plans }))
        }

        /// Starts an early help episode in the caller's transaction (also used by step downs).
        pub(crate) async fn insert_early_help(conn: &mut Conn, actor: Actor, child: Uuid, eh: &NewEarlyHelp, origin: &str) -> Result<EarlyHelp, StoreError> {
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

        /// Work due after the front door: initial conferences, reviews, core groups and plan actions.
        pub(crate) async fn casework_due(conn: &mut Conn, worker: Option<Uuid>, team: Option<Uuid>, today: NaiveDate, items: &mut Vec<DueItem>) -> Result<(), StoreError> {
            // Each query joins the child and their current worker, and keeps the children in
            // scope: allocated to the worker or the team (everyone, for the service).
            macro_rules! scoped {
                ($select:literal, $from:literal, $where:literal) => {
                    concat!(
                        "SELECT ", $select, ", p.given_name, p.family_name, w.name AS worker_name FROM ", $from,
                        " JOIN person p ON p.id = x.child_id LEFT JOIN allocation al ON al.child_id = p.id AND al.to_date IS NULL \
                         LEFT JOIN worker w ON w.id = al.worker_id WHERE ($1 IS NULL OR al.worker_id = $1) AND ($2 IS NULL OR w.team_id = $2) AND ",
                        $where
                    )
                };
            }
            let name = |r: &Row| -> Result<String, sqlx::Error> {
                Ok(format!("{} {}", r.try_get::<String, _>("given_name")?, r.try_get::<String, _>("family_name")?))
            };
            let mut push = |what: String, due: NaiveDate, child: Uuid, name: String, worker: Option<String>, link: String| {
                items.push(DueItem { what, due, rag: Rag::of(due, today), child_id: Some(child), child_name: name, worker_name: worker, link });
            };
            // Open section 47 enquiries and those calling for an initial conference not yet held.
            let rows = sqlx::query(scoped!(
                "x.*", "s47 x",
                "(x.completed_on IS NULL OR x.outcome = 'icpc') AND NOT EXISTS (SELECT 1 FROM conference c WHERE c.s47_id = x.id)"
            ))
            .bind(worker).bind(team).fetch_all(&mut *conn).await?;
            for r in &rows {
                let s = s47_from_row(r)?;
                let what = if s.completed_on.is_none() { "Section 47 enquiry (initial conference due)" } else { "Initial child protection conference" };
                push(what.into(), s.icpc_due, s.child_id, name(r)?, r.try_get("worker_name")?, format!("/children/{}#protection", s.child_id));
            }
            // Open plans: review conferences (3 months after the initial conference, then 6
            // months after the last review) and the first core group (10 working days).
            let rows = sqlx::query(scoped!(
                "x.id, x.child_id, x.started_on, (SELECT MAX(c.held_on) FROM conference c WHERE c.plan_id = x.id AND c.kind = 'review') AS last_review, \
                 (SELECT COUNT(*) FROM core_group g WHERE g.plan_id = x.id) AS core_groups",
                "cp_plan x",
                "x.ended_on IS NULL"
            ))
            .bind(worker).bind(team).fetch_all(&mut *conn).await?;
            for r in &rows {
                let child: Uuid = r.try_get("child_id")?;
                let started: NaiveDate = r.try_get("started_on")?;
                let last_review: Option<NaiveDate> = r.try_get("last_review")?;
                let core_groups: i64 = r.try_get("core_groups")?;
                let w: Option<String> = r.try_get("worker_name")?;
                let due = match last_review {
                    Some(last) => domain::timescales::next_cp_review_due(last),
                    None => domain::timescales::first_cp_review_due(started),
                };
                push("Child protection review conference".into(), due, child, name(r)?, w.clone(), format!("/children/{child}#protection"));
                if core_groups == 0 {
                    if let Ok(due) = domain::timescales::first_core_group_due(started) {
                        push("First core group".into(), due, child, name(r)?, w, format!("/children/{child}#protection"));
                    }
                }
            }
            // Open actions on open child in need plans.
            let rows = sqlx::query(scoped!(
                "a.due_on, a.action, x.child_id, x.id AS plan_id",
                "plan_action a JOIN cin_plan x ON x.id = a.plan_id",
                "x.ended_on IS NULL AND a.status IN ('not_started', 'in_progress')"
            ))
            .bind(worker).bind(team).fetch_all(&mut *conn).await?;
            for r in &rows {
                let child: Uuid = r.try_get("child_id")?;
                let action: String = r.try_get("action")?;
                let short: String = action.chars().take(60).collect();
                let plan: Uuid = r.try_get("plan_id")?;
                push(format!("Plan action: {short}"), r.try_get("due_on")?, child, name(r)?, r.try_get("worker_name")?, format!("/cin-plans/{plan}"));
            }
            Ok(())
        }

        #[async_trait::async_trait]
        impl CaseworkRepository for $store {
            async fn case_record_child(&self, kind: CaseRecord, id: Uuid) -> Result<Uuid> {
                let sql = match kind {
                    CaseRecord::Referral => "SELECT child_id FROM referral WHERE id = $1",
                    CaseRecord::EarlyHelp => "SELECT child_id FROM early_help WHERE id = $1",
                    CaseRecord::CinPlan => "SELECT child_id FROM cin_plan WHERE id = $1",
                    CaseRecord::PlanAction => "SELECT p.child_id FROM plan_action a JOIN cin_plan p ON p.id = a.plan_id WHERE a.id = $1",
                    CaseRecord::S47 => "SELECT child_id FROM s47 WHERE id = $1",
                    CaseRecord::CpPlan => "SELECT child_id FROM cp_plan WHERE id = $1",
                };
                let child: Option<Uuid> = sqlx::query_scalar(sql).bind(id).fetch_optional(&self.pool).await?;
                child.ok_or(StoreError::NotFound("record"))
            }

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

            async fn update_plan_action(&self, actor: Actor, action_id: Uuid, p: ActionProgress) -> Result<CinPlan> {
                refuse(p.validate())?;
                let mut tx = self.tx().await?;
                let plan_id: Uuid = sqlx::query_scalar("SELECT plan_id FROM plan_action WHERE id = $1").bind(action_id).fetch_one(&mut *tx).await.map_err(not_found("plan action"))?;
                let plan = fetch_cin_plan(&mut tx, plan_id).await?;
                let before = plan.actions.iter().find(|a| a.id == action_id).cloned();
                sqlx::query("UPDATE plan_action SET status = $1, progress = $2 WHERE id = $3").bind(&p.status).bind(p.progress.trim()).bind(action_id).execute(&mut *tx).await?;
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

            async fn end_cin_plan(&self, actor: Actor, plan_id: Uuid, ended_on: NaiveDate) -> Result<CinPlan> {
                let mut tx = self.tx().await?;
                let before = fetch_cin_plan(&mut tx, plan_id).await?;
                if before.ended_on.is_some() {
                    return Err(invalid("ended", "The plan has already ended"));
                }
                if ended_on < before.started_on || ended_on > local_now().date() {
                    return Err(invalid("ended", "The end date must be between the start of the plan and today"));
                }
                sqlx::query("UPDATE cin_plan SET ended_on = $1 WHERE id = $2").bind(ended_on).bind(plan_id).execute(&mut *tx).await?;
                let after = fetch_cin_plan(&mut tx, plan_id).await?;
                audit(&mut tx, actor, AuditAction::Update, "cin_plan", Some(plan_id), Some(after.child_id), None, Some(serde_json::json!({"ended_on": ended_on})), "child in need plan ended").await?;
                tx.commit().await?;
                Ok(after)
            }

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

            async fn visits_due(&self, scope: WorkScope, today: NaiveDate, standards: VisitStandards) -> Result<Vec<DueItem>> {
                let (worker, team) = match scope {
                    WorkScope::Worker(w) => (Some(w), None),
                    WorkScope::Team(t) => (None, Some(t)),
                    WorkScope::All => (None, None),
                };
                // Children on an open plan in scope, the plan's start and kind, and the last visit
                // at which they were seen.
                let rows = sqlx::query(
                    "SELECT p.id, p.given_name, p.family_name, w.name AS worker_name, plans.kind, plans.started_on, \
                     (SELECT MAX(n.note_date) FROM note n WHERE n.child_id = p.id AND n.kind = 'visit' AND n.child_seen = $3) AS last_visit \
                     FROM (SELECT child_id, 'cp' AS kind, MIN(started_on) AS started_on FROM cp_plan WHERE ended_on IS NULL GROUP BY child_id \
                           UNION ALL \
                           SELECT child_id, 'cin' AS kind, MIN(started_on) AS started_on FROM cin_plan c WHERE ended_on IS NULL \
                             AND NOT EXISTS (SELECT 1 FROM cp_plan k WHERE k.child_id = c.child_id AND k.ended_on IS NULL) GROUP BY child_id) plans \
                     JOIN person p ON p.id = plans.child_id \
                     LEFT JOIN allocation al ON al.child_id = p.id AND al.to_date IS NULL LEFT JOIN worker w ON w.id = al.worker_id \
                     WHERE ($1 IS NULL OR al.worker_id = $1) AND ($2 IS NULL OR w.team_id = $2)",
                )
                .bind(worker)
                .bind(team)
                .bind(true)
                .fetch_all(&self.pool)
                .await?;
                let cal = domain::calendar::Calendar::england();
                let mut items = Vec::new();
                for r in &rows {
                    let kind: String = r.try_get("kind")?;
                    let started: NaiveDate = r.try_get("started_on")?;
                    let last: Option<NaiveDate> = r.try_get("last_visit")?;
                    let from = last.map_or(started, |l| l.max(started));
                    let days = if kind == "cp" { standards.cp_working_days } else { standards.cin_working_days };
                    let Ok(due) = cal.add_working_days(from, days) else { continue };
                    let child: Uuid = r.try_get("id")?;
                    items.push(DueItem {
                        what: if kind == "cp" { "Visit (child protection plan)".into() } else { "Visit (child in need plan)".into() },
                        due,
                        rag: Rag::of(due, today),
                        child_id: Some(child),
                        child_name: format!("{} {}", r.try_get::<String, _>("given_name")?, r.try_get::<String, _>("family_name")?),
                        worker_name: r.try_get("worker_name")?,
                        link: format!("/children/{child}/notes?kind=visit"),
                    });
                }
                items.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.child_name.cmp(&b.child_name)));
                Ok(items)
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
pub(crate) use casework_impl;
