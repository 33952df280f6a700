//! Quality assurance, as a part of the repository: the council's audit template (rows of
//! `audit_domain`, changed without code), audit programmes with their sample (a random sample
//! drawn from a recorded seed, `domain::quality::draw_sample`) and the auditor assigned to each
//! case, case file audits with their grades, moderations (kept, with the grades they changed)
//! and learning actions. An auditor is never assigned, and may never record, an audit of a
//! case they hold or manage. Every change writes its audit entry in the same transaction.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::quality::{
    Audit, LearningAction, NewAudit, NewLearningAction, NewModeration, NewProgramme, Programme,
    ScopeKind, TemplateDomain,
};
use uuid::Uuid;

use crate::{Actor, Result};

#[async_trait]
pub trait Quality: Send + Sync {
    /// The audit template: every domain, active or retired, in order.
    async fn audit_template(&self) -> Result<Vec<TemplateDomain>>;
    /// Adds a domain to the template, or changes one (its label, hint, place or whether it
    /// is still graded). Audits already recorded keep their grades.
    async fn save_template_domain(&self, actor: Actor, domain: TemplateDomain) -> Result<()>;
    /// The cases a scope holds in a period (children, in order), before sampling.
    async fn eligible_cases(
        &self,
        scope: ScopeKind,
        team: Option<Uuid>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Uuid>>;
    /// Creates a programme and draws its sample: a random sample from the eligible cases that
    /// one of its auditors may audit (so the same seed and the same cases draw it again), or
    /// the chosen cases; each case assigned to an auditor who neither holds nor manages it.
    async fn create_programme(&self, actor: Actor, programme: NewProgramme) -> Result<Programme>;
    async fn programme(&self, id: Uuid) -> Result<Programme>;
    /// Every programme, newest first.
    async fn programmes(&self) -> Result<Vec<Programme>>;
    /// Is `user` an auditor of a programme whose sample holds `child`?
    async fn audits_child(&self, user: Uuid, child: Uuid) -> Result<bool>;
    /// Records the audit of a sampled case by its assigned auditor (the actor).
    async fn record_audit(&self, actor: Actor, programme: Uuid, audit: NewAudit) -> Result<Audit>;
    async fn case_file_audit(&self, id: Uuid) -> Result<Audit>;
    /// The audits of a programme.
    async fn programme_audits(&self, programme: Uuid) -> Result<Vec<Audit>>;
    /// Audits recorded in a period (by the day they were recorded), for themes.
    async fn audits_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Audit>>;
    /// A second auditor of the programme (the actor) agrees with the grades or changes them
    /// with a reason; the moderation is kept with the grades it changed.
    async fn moderate_audit(
        &self,
        actor: Actor,
        audit: Uuid,
        moderation: NewModeration,
    ) -> Result<Audit>;
    async fn add_learning_action(
        &self,
        actor: Actor,
        audit: Uuid,
        action: NewLearningAction,
    ) -> Result<LearningAction>;
    /// Marks a learning action done on `on`.
    async fn complete_learning_action(
        &self,
        actor: Actor,
        id: Uuid,
        on: NaiveDate,
    ) -> Result<LearningAction>;
    /// Learning actions owned by a worker, open first.
    async fn learning_actions_of(&self, worker: Uuid) -> Result<Vec<LearningAction>>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!`.
macro_rules! sql {
    ($store:ty) => {
        use domain::quality::{
            Audit as QAudit, AuditorFacts, CaseHolders, DomainGrade, Grade, GradeChange, LearningAction as QAction,
            Moderation as QModeration, NewAudit as QNewAudit, NewLearningAction as QNewAction,
            NewModeration as QNewModeration, NewProgramme as QNewProgramme, Programme as QProgramme,
            SampledCase, Sampling, ScopeKind as QScope, TemplateDomain as QDomain,
        };
        use $crate::quality::Quality as QualityRepository;

        fn q_refuse(errors: Vec<domain::validate::FieldError>) -> Result<(), StoreError> {
            const FIELDS: &[&str] = &[
                "theme", "team_id", "period_end", "auditors", "size", "children", "grades", "worker_conversation",
                "reason", "action", "due_on", "key", "label", "child_id", "owner_worker_id", "done_on",
            ];
            match errors.into_iter().next() {
                None => Ok(()),
                Some(e) => Err(StoreError::Invalid {
                    field: FIELDS.iter().find(|f| **f == e.field).copied()
                        .unwrap_or(if e.field.starts_with("grade_") || e.field.starts_with("evidence_") { "grades" } else { "input" }),
                    message: e.message,
                }),
            }
        }

        fn q_grade(r: &Row, col: &str) -> Result<Grade, sqlx::Error> {
            let s: String = r.try_get(col)?;
            Grade::parse(&s).ok_or_else(|| $crate::sql::bad_column(col, &s))
        }

        async fn q_template(conn: &mut Conn) -> Result<Vec<QDomain>, StoreError> {
            Ok(sqlx::query("SELECT * FROM audit_domain ORDER BY position, key").fetch_all(&mut *conn).await?.iter()
                .map(|r| Ok(QDomain {
                    key: r.try_get("key")?, label: r.try_get("label")?, hint: r.try_get("hint")?,
                    position: r.try_get("position")?, active: r.try_get("active")?,
                }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?)
        }

        /// The auditor's worker and the teams they manage (a team manager's, or a worker whose
        /// job title names a manager, own team).
        async fn q_auditor(conn: &mut Conn, user: Uuid) -> Result<AuditorFacts, StoreError> {
            let r = sqlx::query(
                "SELECT u.role, u.worker_id, w.team_id, w.role_title FROM app_user u LEFT JOIN worker w ON w.id = u.worker_id WHERE u.id = $1",
            )
            .bind(user).fetch_optional(&mut *conn).await?.ok_or(StoreError::NotFound("auditor"))?;
            let role = parse_role(&r.try_get::<String, _>("role")?)?;
            let title: Option<String> = r.try_get("role_title")?;
            let team: Option<Uuid> = r.try_get("team_id")?;
            let manager = role == Role::TeamManager || title.is_some_and(|t| t.to_lowercase().contains("manager"));
            Ok(AuditorFacts {
                user_id: user,
                worker_id: r.try_get("worker_id")?,
                manages_teams: if manager { team.into_iter().collect() } else { Vec::new() },
            })
        }

        /// Who holds a case now: its open allocations' workers and their teams.
        async fn q_holders(conn: &mut Conn, child: Uuid) -> Result<CaseHolders, StoreError> {
            let mut h = CaseHolders::default();
            for r in sqlx::query("SELECT a.worker_id, w.team_id FROM allocation a JOIN worker w ON w.id = a.worker_id WHERE a.child_id = $1 AND a.to_date IS NULL")
                .bind(child).fetch_all(&mut *conn).await?
            {
                h.workers.push(r.try_get("worker_id")?);
                if let Some(t) = r.try_get::<Option<Uuid>, _>("team_id")? {
                    h.teams.push(t);
                }
            }
            Ok(h)
        }

        async fn q_eligible(conn: &mut Conn, scope: QScope, team: Option<Uuid>, from: NaiveDate, to: NaiveDate) -> Result<Vec<Uuid>, StoreError> {
            const ALLOCATED: &str = "SELECT DISTINCT a.child_id FROM allocation a JOIN worker w ON w.id = a.worker_id JOIN person p ON p.id = a.child_id \
                WHERE p.kind = 'child' AND a.role = 'social_worker' AND a.from_date <= $2 AND (a.to_date IS NULL OR a.to_date >= $1)";
            let rows = match scope {
                QScope::Team => {
                    let team = team.ok_or_else(|| invalid("team_id", "Select the team to audit"))?;
                    sqlx::query(sqlx::AssertSqlSafe(format!("{ALLOCATED} AND w.team_id = $3"))).bind(from).bind(to).bind(team).fetch_all(&mut *conn).await?
                }
                QScope::Service => sqlx::query(ALLOCATED).bind(from).bind(to).fetch_all(&mut *conn).await?,
                QScope::CpPlans => sqlx::query("SELECT DISTINCT child_id FROM cp_plan WHERE started_on <= $2 AND (ended_on IS NULL OR ended_on >= $1)")
                    .bind(from).bind(to).fetch_all(&mut *conn).await?,
                QScope::InCare => sqlx::query("SELECT DISTINCT child_id FROM cla_episode WHERE started_on <= $2 AND (ended_on IS NULL OR ended_on >= $1)")
                    .bind(from).bind(to).fetch_all(&mut *conn).await?,
                QScope::Contacts => sqlx::query(
                    "SELECT DISTINCT cc.person_id AS child_id FROM contact c JOIN contact_child cc ON cc.contact_id = c.id \
                     WHERE c.decided_at >= $1 AND c.decided_at < $2",
                )
                .bind(from.and_hms_opt(0, 0, 0).expect("midnight"))
                .bind(to.succ_opt().unwrap_or(to).and_hms_opt(0, 0, 0).expect("midnight"))
                .fetch_all(&mut *conn).await?,
            };
            let mut ids = rows.iter().map(|r| r.try_get::<Uuid, _>("child_id")).collect::<Result<Vec<_>, _>>()?;
            ids.sort();
            ids.dedup();
            Ok(ids)
        }

        async fn q_programme(conn: &mut Conn, id: Uuid) -> Result<QProgramme, StoreError> {
            let r = sqlx::query("SELECT * FROM audit_programme WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?
                .ok_or(StoreError::NotFound("audit programme"))?;
            let auditors = sqlx::query("SELECT user_id FROM audit_programme_auditor WHERE programme_id = $1 ORDER BY user_id")
                .bind(id).fetch_all(&mut *conn).await?.iter().map(|r| r.try_get("user_id")).collect::<Result<Vec<Uuid>, _>>()?;
            let sample = sqlx::query(
                "SELECT s.child_id, s.auditor_id, p.given_name, p.family_name, u.display_name, a.id AS audit_id FROM audit_sample s \
                 JOIN person p ON p.id = s.child_id JOIN app_user u ON u.id = s.auditor_id \
                 LEFT JOIN case_file_audit a ON a.programme_id = s.programme_id AND a.child_id = s.child_id \
                 WHERE s.programme_id = $1 ORDER BY s.position",
            )
            .bind(id).fetch_all(&mut *conn).await?.iter()
            .map(|r| Ok(SampledCase {
                child_id: r.try_get("child_id")?,
                child_name: format!("{} {}", r.try_get::<String, _>("given_name")?, r.try_get::<String, _>("family_name")?),
                auditor_id: r.try_get("auditor_id")?,
                auditor_name: r.try_get("display_name")?,
                audit_id: r.try_get("audit_id")?,
            }))
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let scope: String = r.try_get("scope")?;
            Ok(QProgramme {
                id,
                theme: r.try_get("theme")?,
                scope: QScope::parse(&scope).ok_or_else(|| $crate::sql::bad_column("scope", &scope))?,
                team_id: r.try_get("team_id")?,
                period_start: r.try_get("period_start")?,
                period_end: r.try_get("period_end")?,
                method: r.try_get("method")?,
                seed: r.try_get::<Option<i64>, _>("seed")?.map(|s| s as u64),
                size: r.try_get::<Option<i32>, _>("size")?.map(|s| s as u32),
                auditors,
                sample,
                created_at: r.try_get("created_at")?,
            })
        }

        fn q_action_from_row(r: &Row) -> Result<QAction, sqlx::Error> {
            Ok(QAction {
                id: r.try_get("id")?, audit_id: r.try_get("audit_id")?, child_id: r.try_get("child_id")?, action: r.try_get("action")?,
                owner_worker_id: r.try_get("owner_worker_id")?, due_on: r.try_get("due_on")?, done_on: r.try_get("done_on")?,
            })
        }

        async fn q_audit(conn: &mut Conn, id: Uuid) -> Result<QAudit, StoreError> {
            let r = sqlx::query("SELECT * FROM case_file_audit WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?
                .ok_or(StoreError::NotFound("case file audit"))?;
            let grades = sqlx::query("SELECT * FROM audit_grade WHERE audit_id = $1 ORDER BY position").bind(id).fetch_all(&mut *conn).await?.iter()
                .map(|g| Ok(DomainGrade { domain: g.try_get("domain")?, grade: q_grade(g, "grade")?, evidence: g.try_get("evidence")? }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let moderations = sqlx::query("SELECT * FROM audit_moderation WHERE audit_id = $1 ORDER BY created_at").bind(id).fetch_all(&mut *conn).await?.iter()
                .map(|m| {
                    let Json(changes): Json<Vec<GradeChange>> = m.try_get("changes")?;
                    Ok(QModeration { id: m.try_get("id")?, moderator_id: m.try_get("moderator_id")?, agreed: m.try_get("agreed")?, changes, reason: m.try_get("reason")?, at: m.try_get("created_at")? })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let actions = sqlx::query("SELECT * FROM learning_action WHERE audit_id = $1 ORDER BY due_on, created_at").bind(id).fetch_all(&mut *conn).await?
                .iter().map(q_action_from_row).collect::<Result<Vec<_>, _>>()?;
            Ok(QAudit {
                id,
                programme_id: r.try_get("programme_id")?,
                child_id: r.try_get("child_id")?,
                auditor_id: r.try_get("auditor_id")?,
                grades,
                overall: q_grade(&r, "overall")?,
                worker_conversation: r.try_get("worker_conversation")?,
                family_views: r.try_get("family_views")?,
                audited_on: r.try_get("audited_on")?,
                team_id: r.try_get("team_id")?,
                moderations,
                actions,
            })
        }

        async fn q_audits(conn: &mut Conn, sql: &'static str, binds: (Option<Uuid>, Option<NaiveDate>, Option<NaiveDate>)) -> Result<Vec<QAudit>, StoreError> {
            let q = sqlx::query(sql);
            let q = match binds { (Some(p), _, _) => q.bind(p), (None, Some(a), Some(b)) => q.bind(a).bind(b), _ => q };
            let ids = q.fetch_all(&mut *conn).await?.iter().map(|r| r.try_get::<Uuid, _>("id")).collect::<Result<Vec<_>, _>>()?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                out.push(q_audit(conn, id).await?);
            }
            Ok(out)
        }

        /// Every case file audit with its grades as they stand, for the performance report.
        pub(super) async fn extract_rows(conn: &mut Conn) -> Result<Vec<domain::extract::AuditRow>, StoreError> {
            let mut grades: std::collections::HashMap<Uuid, Vec<(String, Grade)>> = std::collections::HashMap::new();
            for r in sqlx::query("SELECT audit_id, domain, grade FROM audit_grade ORDER BY audit_id, position").fetch_all(&mut *conn).await? {
                grades.entry(r.try_get("audit_id")?).or_default().push((r.try_get("domain")?, q_grade(&r, "grade")?));
            }
            Ok(sqlx::query("SELECT id, child_id, audited_on, overall FROM case_file_audit").fetch_all(&mut *conn).await?.iter()
                .map(|r| {
                    let id: Uuid = r.try_get("id")?;
                    Ok(domain::extract::AuditRow {
                        child: r.try_get("child_id")?,
                        audited_on: r.try_get("audited_on")?,
                        overall: q_grade(r, "overall")?,
                        grades: grades.remove(&id).unwrap_or_default(),
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?)
        }

        /// Open learning actions owned by a worker in scope (one worker, a team's workers, or
        /// everyone's), for work due.
        pub(super) async fn work_due(conn: &mut Conn, worker: Option<Uuid>, team: Option<Uuid>, today: NaiveDate) -> Result<Vec<domain::work::DueItem>, StoreError> {
            let rows = sqlx::query(
                "SELECT l.id, l.child_id, l.action, l.due_on, p.given_name, p.family_name, w.name AS worker_name FROM learning_action l \
                 JOIN person p ON p.id = l.child_id JOIN worker w ON w.id = l.owner_worker_id \
                 WHERE l.done_on IS NULL AND ($1 IS NULL OR l.owner_worker_id = $1) AND ($2 IS NULL OR w.team_id = $2)",
            )
            .bind(worker).bind(team).fetch_all(&mut *conn).await?;
            rows.iter().map(|r| {
                let due: NaiveDate = r.try_get("due_on")?;
                let id: Uuid = r.try_get("id")?;
                Ok(domain::work::DueItem {
                    kind: domain::work::WorkKind::Audit,
                    what: format!("Learning action from a case file audit: {}", r.try_get::<String, _>("action")?),
                    due,
                    rag: domain::timescales::Rag::of(due, today),
                    child_id: Some(r.try_get("child_id")?),
                    child_name: format!("{} {}", r.try_get::<String, _>("given_name")?, r.try_get::<String, _>("family_name")?),
                    worker_name: Some(r.try_get("worker_name")?),
                    link: format!("/quality/learning-actions#action-{id}"),
                })
            }).collect()
        }

        #[async_trait::async_trait]
        impl QualityRepository for $store {
            async fn audit_template(&self) -> Result<Vec<QDomain>> {
                let mut conn = self.pool.acquire().await?;
                q_template(&mut conn).await
            }

            async fn save_template_domain(&self, actor: Actor, d: QDomain) -> Result<()> {
                q_refuse(d.validate())?;
                let mut tx = self.tx().await?;
                let before = q_template(&mut tx).await?.into_iter().find(|x| x.key == d.key);
                let label = d.label.trim();
                if before.is_some() {
                    sqlx::query("UPDATE audit_domain SET label = $1, hint = $2, position = $3, active = $4 WHERE key = $5")
                        .bind(label).bind(d.hint.trim()).bind(d.position).bind(d.active).bind(&d.key).execute(&mut *tx).await?;
                } else {
                    sqlx::query("INSERT INTO audit_domain (key, label, hint, position, active) VALUES ($1, $2, $3, $4, $5)")
                        .bind(&d.key).bind(label).bind(d.hint.trim()).bind(d.position).bind(d.active).execute(&mut *tx).await?;
                }
                let action = if before.is_some() { AuditAction::Update } else { AuditAction::Create };
                audit(&mut tx, actor, action, "audit_domain", None, None, before.map(|b| to_json(&b)), Some(to_json(&d)),
                    &format!("audit template domain {}", d.key)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn eligible_cases(&self, scope: QScope, team: Option<Uuid>, from: NaiveDate, to: NaiveDate) -> Result<Vec<Uuid>> {
                let mut conn = self.pool.acquire().await?;
                q_eligible(&mut conn, scope, team, from, to).await
            }

            async fn create_programme(&self, actor: Actor, p: QNewProgramme) -> Result<QProgramme> {
                q_refuse(p.validate())?;
                let mut tx = self.tx().await?;
                let mut auditors = Vec::new();
                for u in &p.auditors {
                    let facts = q_auditor(&mut tx, *u).await?;
                    let role: String = sqlx::query_scalar("SELECT role FROM app_user WHERE id = $1").bind(*u).fetch_one(&mut *tx).await?;
                    if !matches!(parse_role(&role)?, Role::Auditor | Role::TeamManager) {
                        return Err(invalid("auditors", "Each auditor must have the auditor or team manager role"));
                    }
                    if !auditors.iter().any(|a: &AuditorFacts| a.user_id == *u) {
                        auditors.push(facts);
                    }
                }
                auditors.sort_by_key(|a| a.user_id);
                // The first auditor (from the case's place in the sample, in turn) who neither
                // holds nor manages the case.
                let assign = |i: usize, h: &CaseHolders| -> Option<Uuid> {
                    (0..auditors.len()).map(|k| &auditors[(i + k) % auditors.len()])
                        .find(|a| domain::quality::conflict_of_interest(a, h).is_none()).map(|a| a.user_id)
                };
                let (sample, seed, size) = match &p.sampling {
                    Sampling::Random { size, seed } => {
                        let mut open = Vec::new();
                        for c in q_eligible(&mut tx, p.scope, p.team_id, p.period_start, p.period_end).await? {
                            if assign(0, &q_holders(&mut tx, c).await?).is_some() {
                                open.push(c);
                            }
                        }
                        (domain::quality::draw_sample(&open, *size, *seed), Some(*seed as i64), Some(*size as i32))
                    }
                    Sampling::Chosen { children } => {
                        let mut chosen: Vec<Uuid> = Vec::new();
                        for c in children {
                            if fetch_person(&mut tx, *c).await?.details.kind != PersonKind::Child {
                                return Err(invalid("children", "Choose children's records"));
                            }
                            if !chosen.contains(c) {
                                chosen.push(*c);
                            }
                        }
                        (chosen, None, None)
                    }
                };
                let id = new_id();
                sqlx::query(
                    "INSERT INTO audit_programme (id, theme, scope, team_id, period_start, period_end, method, seed, size, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(id).bind(p.theme.trim()).bind(p.scope.as_str()).bind(p.team_id.filter(|_| p.scope == QScope::Team))
                .bind(p.period_start).bind(p.period_end).bind(if seed.is_some() { "random" } else { "chosen" }).bind(seed).bind(size)
                .bind(actor.0).bind(now())
                .execute(&mut *tx).await?;
                for a in &auditors {
                    sqlx::query("INSERT INTO audit_programme_auditor (programme_id, user_id) VALUES ($1, $2)").bind(id).bind(a.user_id).execute(&mut *tx).await?;
                }
                for (i, c) in sample.iter().enumerate() {
                    let Some(auditor) = assign(i, &q_holders(&mut tx, *c).await?) else {
                        let who = fetch_person(&mut tx, *c).await?;
                        return Err(invalid("auditors", format!(
                            "No auditor of the programme may audit {} {}: each holds or manages the case",
                            who.details.given_name, who.details.family_name
                        )));
                    };
                    sqlx::query("INSERT INTO audit_sample (programme_id, child_id, position, auditor_id) VALUES ($1, $2, $3, $4)")
                        .bind(id).bind(*c).bind(i as i32).bind(auditor).execute(&mut *tx).await?;
                }
                let prog = q_programme(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Create, "audit_programme", Some(id), None, None, Some(to_json(&prog)), "case file audit programme created").await?;
                tx.commit().await?;
                Ok(prog)
            }

            async fn programme(&self, id: Uuid) -> Result<QProgramme> {
                let mut conn = self.pool.acquire().await?;
                q_programme(&mut conn, id).await
            }

            async fn programmes(&self) -> Result<Vec<QProgramme>> {
                let mut conn = self.pool.acquire().await?;
                let ids = sqlx::query("SELECT id FROM audit_programme ORDER BY created_at DESC").fetch_all(&mut *conn).await?
                    .iter().map(|r| r.try_get::<Uuid, _>("id")).collect::<Result<Vec<_>, _>>()?;
                let mut out = Vec::with_capacity(ids.len());
                for id in ids {
                    out.push(q_programme(&mut conn, id).await?);
                }
                Ok(out)
            }

            async fn audits_child(&self, user: Uuid, child: Uuid) -> Result<bool> {
                let mut conn = self.pool.acquire().await?;
                Ok(sqlx::query(
                    "SELECT 1 AS one FROM audit_sample s JOIN audit_programme_auditor a ON a.programme_id = s.programme_id WHERE a.user_id = $1 AND s.child_id = $2",
                )
                .bind(user).bind(child).fetch_optional(&mut *conn).await?.is_some())
            }

            async fn record_audit(&self, actor: Actor, programme: Uuid, a: QNewAudit) -> Result<QAudit> {
                let mut tx = self.tx().await?;
                let template = q_template(&mut tx).await?;
                q_refuse(a.validate(&template))?;
                let assigned: Option<Uuid> = sqlx::query_scalar("SELECT auditor_id FROM audit_sample WHERE programme_id = $1 AND child_id = $2")
                    .bind(programme).bind(a.child_id).fetch_optional(&mut *tx).await?;
                let Some(assigned) = assigned else { return Err(StoreError::NotFound("case in the programme's sample")) };
                if actor.0 != Some(assigned) {
                    return Err(invalid("auditor", "Only the auditor assigned to the case records its audit"));
                }
                if let Some(why) = domain::quality::conflict_of_interest(&q_auditor(&mut tx, assigned).await?, &q_holders(&mut tx, a.child_id).await?) {
                    return Err(invalid("auditor", why));
                }
                let done: Option<Uuid> = sqlx::query_scalar("SELECT id FROM case_file_audit WHERE programme_id = $1 AND child_id = $2")
                    .bind(programme).bind(a.child_id).fetch_optional(&mut *tx).await?;
                if done.is_some() {
                    return Err(invalid("child_id", "This case's audit is already recorded"));
                }
                let team: Option<Uuid> = sqlx::query_scalar(
                    "SELECT w.team_id FROM allocation a JOIN worker w ON w.id = a.worker_id WHERE a.child_id = $1 AND a.to_date IS NULL AND a.role = 'social_worker'",
                )
                .bind(a.child_id).fetch_optional(&mut *tx).await?.flatten();
                let id = new_id();
                sqlx::query(
                    "INSERT INTO case_file_audit (id, programme_id, child_id, auditor_id, overall_given, overall, worker_conversation, family_views, audited_on, team_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10)",
                )
                .bind(id).bind(programme).bind(a.child_id).bind(assigned).bind(a.overall.as_str()).bind(a.worker_conversation.trim())
                .bind(a.family_views.trim()).bind(local_now().date()).bind(team).bind(now())
                .execute(&mut *tx).await?;
                for g in &a.grades {
                    let position = template.iter().find(|d| d.key == g.domain).map(|d| d.position).unwrap_or_default();
                    sqlx::query("INSERT INTO audit_grade (audit_id, domain, position, grade_given, grade, evidence) VALUES ($1, $2, $3, $4, $4, $5)")
                        .bind(id).bind(&g.domain).bind(position).bind(g.grade.as_str()).bind(g.evidence.trim()).execute(&mut *tx).await?;
                }
                let saved = q_audit(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Create, "case_file_audit", Some(id), Some(a.child_id), None, Some(to_json(&saved)), "case file audit recorded").await?;
                tx.commit().await?;
                Ok(saved)
            }

            async fn case_file_audit(&self, id: Uuid) -> Result<QAudit> {
                let mut conn = self.pool.acquire().await?;
                q_audit(&mut conn, id).await
            }

            async fn programme_audits(&self, programme: Uuid) -> Result<Vec<QAudit>> {
                let mut conn = self.pool.acquire().await?;
                q_audits(&mut conn, "SELECT id FROM case_file_audit WHERE programme_id = $1 ORDER BY created_at", (Some(programme), None, None)).await
            }

            async fn audits_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<QAudit>> {
                let mut conn = self.pool.acquire().await?;
                q_audits(&mut conn, "SELECT id FROM case_file_audit WHERE audited_on >= $1 AND audited_on <= $2 ORDER BY audited_on, created_at", (None, Some(from), Some(to))).await
            }

            async fn moderate_audit(&self, actor: Actor, id: Uuid, m: QNewModeration) -> Result<QAudit> {
                let mut tx = self.tx().await?;
                let before = q_audit(&mut tx, id).await?;
                let Some(moderator) = actor.0 else { return Err(invalid("moderator", "A moderation is a second auditor's")) };
                if moderator == before.auditor_id {
                    return Err(invalid("moderator", "A second auditor moderates the audit, not its auditor"));
                }
                let on_programme: Option<Uuid> = sqlx::query_scalar("SELECT user_id FROM audit_programme_auditor WHERE programme_id = $1 AND user_id = $2")
                    .bind(before.programme_id).bind(moderator).fetch_optional(&mut *tx).await?;
                if on_programme.is_none() {
                    return Err(invalid("moderator", "Only an auditor of the programme moderates its audits"));
                }
                if let Some(why) = domain::quality::conflict_of_interest(&q_auditor(&mut tx, moderator).await?, &q_holders(&mut tx, before.child_id).await?) {
                    return Err(invalid("moderator", why));
                }
                let mut current: Vec<(String, Grade)> = before.grades.iter().map(|g| (g.domain.clone(), g.grade)).collect();
                current.push(("overall".into(), before.overall));
                let changes = domain::quality::moderation_changes(&current, &m).map_err(|e| q_refuse(vec![e]).unwrap_err())?;
                for c in &changes {
                    if c.domain == "overall" {
                        sqlx::query("UPDATE case_file_audit SET overall = $1 WHERE id = $2").bind(c.to.as_str()).bind(id).execute(&mut *tx).await?;
                    } else {
                        sqlx::query("UPDATE audit_grade SET grade = $1 WHERE audit_id = $2 AND domain = $3").bind(c.to.as_str()).bind(id).bind(&c.domain).execute(&mut *tx).await?;
                    }
                }
                let mid = new_id();
                sqlx::query("INSERT INTO audit_moderation (id, audit_id, moderator_id, agreed, changes, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(mid).bind(id).bind(moderator).bind(changes.is_empty()).bind(Json(&changes)).bind(m.reason.trim()).bind(now())
                    .execute(&mut *tx).await?;
                let after = q_audit(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Update, "case_file_audit", Some(id), Some(before.child_id), Some(to_json(&before)), Some(to_json(&after)),
                    if changes.is_empty() { "case file audit moderated: grades agreed" } else { "case file audit moderated: grades changed" }).await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn add_learning_action(&self, actor: Actor, audit_id: Uuid, a: QNewAction) -> Result<QAction> {
                let mut tx = self.tx().await?;
                let on = q_audit(&mut tx, audit_id).await?;
                q_refuse(a.validate(on.audited_on))?;
                let owner: Option<Uuid> = sqlx::query_scalar("SELECT id FROM worker WHERE id = $1").bind(a.owner_worker_id).fetch_optional(&mut *tx).await?;
                if owner.is_none() {
                    return Err(invalid("owner_worker_id", "Select the worker who owns the action"));
                }
                let x = QAction {
                    id: new_id(), audit_id, child_id: on.child_id, action: a.action.trim().to_string(), owner_worker_id: a.owner_worker_id,
                    due_on: a.due_on, done_on: None,
                };
                sqlx::query("INSERT INTO learning_action (id, audit_id, child_id, action, owner_worker_id, due_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(x.id).bind(audit_id).bind(x.child_id).bind(&x.action).bind(x.owner_worker_id).bind(x.due_on).bind(now())
                    .execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Create, "learning_action", Some(x.id), Some(x.child_id), None, Some(to_json(&x)), "learning action from a case file audit").await?;
                tx.commit().await?;
                Ok(x)
            }

            async fn complete_learning_action(&self, actor: Actor, id: Uuid, on: NaiveDate) -> Result<QAction> {
                let mut tx = self.tx().await?;
                let r = sqlx::query("SELECT * FROM learning_action WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?
                    .ok_or(StoreError::NotFound("learning action"))?;
                let before = q_action_from_row(&r)?;
                if before.done_on.is_some() {
                    return Err(invalid("done_on", "The learning action is already done"));
                }
                if on > local_now().date() {
                    return Err(invalid("done_on", "The date it was done must be today or in the past"));
                }
                sqlx::query("UPDATE learning_action SET done_on = $1 WHERE id = $2").bind(on).bind(id).execute(&mut *tx).await?;
                let after = QAction { done_on: Some(on), ..before.clone() };
                audit(&mut tx, actor, AuditAction::Update, "learning_action", Some(id), Some(before.child_id), Some(to_json(&before)), Some(to_json(&after)), "learning action done").await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn learning_actions_of(&self, worker: Uuid) -> Result<Vec<QAction>> {
                let mut conn = self.pool.acquire().await?;
                Ok(sqlx::query("SELECT * FROM learning_action WHERE owner_worker_id = $1 ORDER BY done_on IS NOT NULL, due_on")
                    .bind(worker).fetch_all(&mut *conn).await?.iter().map(q_action_from_row).collect::<Result<Vec<_>, _>>()?)
            }
        }
    };
}
pub(crate) use sql;
