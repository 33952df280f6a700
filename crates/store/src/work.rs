//! The work that is due, as a part of the repository: front-door decisions, assessments to
//! complete and authorise, conferences, core groups and plan actions, visits to children on
//! plans and to privately fostered children; for children in care, looked-after reviews and the
//! IRO's recommendations, health assessments and SDQs, and statutory visits.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::private_fostering::Timescales;
use domain::work::{CaseloadEntry, DueItem, VisitStandards};
use uuid::Uuid;

use crate::Result;

/// Whose work is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkScope {
    /// The children allocated to one worker.
    Worker(Uuid),
    /// The children allocated to a team's workers, and the team's authorisations.
    Team(Uuid),
    /// Everything: the whole service.
    All,
}

#[async_trait]
pub trait WorkDue: Send + Sync {
    /// What is due or overdue: front-door decisions, assessments to complete and to authorise.
    async fn work_due(&self, scope: WorkScope, today: NaiveDate) -> Result<Vec<DueItem>>;
    /// Visits due to children on plans: the council's standard in working days from the last
    /// visit at which the child was seen (or from the start of the plan).
    async fn visits_due(
        &self,
        scope: WorkScope,
        today: NaiveDate,
        standards: VisitStandards,
    ) -> Result<Vec<DueItem>>;
    /// Visits due on open private fostering arrangements in scope: the initial visit until it is
    /// made, then the next statutory visit.
    async fn pf_visits_due(
        &self,
        scope: WorkScope,
        today: NaiveDate,
        timescales: Timescales,
    ) -> Result<Vec<DueItem>>;
    /// The children allocated now in scope (as social worker or personal adviser), each with
    /// their status today, by worker and then child's name.
    async fn caseload(&self, scope: WorkScope) -> Result<Vec<CaseloadEntry>>;
    /// Each child's status today and current address ("line 1, postcode"), for a list of
    /// results.
    async fn case_status_of(
        &self,
        children: &[Uuid],
    ) -> Result<std::collections::HashMap<Uuid, (domain::work::CaseStatus, Option<String>)>>;
    /// How many children each worker holds now (current allocations, either role).
    async fn caseload_counts(&self) -> Result<std::collections::HashMap<Uuid, usize>>;
    /// Everything due in scope: [`WorkDue::work_due`], [`WorkDue::visits_due`] and
    /// [`WorkDue::pf_visits_due`] together, by due date and then child's name.
    async fn all_work_due(
        &self,
        scope: WorkScope,
        today: NaiveDate,
        standards: VisitStandards,
        timescales: Timescales,
    ) -> Result<Vec<DueItem>> {
        let mut items = self.work_due(scope, today).await?;
        items.extend(self.visits_due(scope, today, standards).await?);
        items.extend(self.pf_visits_due(scope, today, timescales).await?);
        items.sort_by(|a, b| {
            a.due
                .cmp(&b.due)
                .then_with(|| a.child_name.cmp(&b.child_name))
        });
        Ok(items)
    }
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use domain::timescales::*;
        use domain::work::*;
        use domain::private_fostering::Timescales as PfTimescales;
        use super::child_protection::s47_from_row;

        /// What a child's status today is read from (`p` is the person), for `status_from_row`.
        macro_rules! status_columns {
            () => {
                "p.restricted, \
                 (SELECT MIN(x.started_on) FROM cp_plan x WHERE x.child_id = p.id AND x.ended_on IS NULL) AS cp_since, \
                 (SELECT MAX(x.latest_category) FROM cp_plan x WHERE x.child_id = p.id AND x.ended_on IS NULL) AS cp_category, \
                 (SELECT MIN(x.started_on) FROM cla_period x WHERE x.child_id = p.id AND x.ended_on IS NULL) AS cla_since, \
                 (SELECT MAX(e.legal_status) FROM cla_episode e WHERE e.child_id = p.id AND e.ended_on IS NULL) AS legal_status, \
                 (SELECT MIN(x.started_on) FROM cin_plan x WHERE x.child_id = p.id AND x.ended_on IS NULL) AS cin_since, \
                 (SELECT MIN(x.referral_date) FROM referral x WHERE x.child_id = p.id AND x.closed_on IS NULL) AS referral_since, \
                 (SELECT MIN(x.started_on) FROM early_help x WHERE x.child_id = p.id AND x.ended_on IS NULL) AS early_help_since, \
                 (SELECT MIN(x.notified_on) FROM pf_arrangement x WHERE x.child_id = p.id AND x.ended_on IS NULL) AS pf_since, \
                 EXISTS (SELECT 1 FROM allocation x WHERE x.child_id = p.id AND x.to_date IS NULL AND x.role = 'personal_adviser') AS has_adviser"
            };
        }

        fn status_from_row(r: &Row) -> Result<CaseStatus, sqlx::Error> {
            Ok(CaseStatus {
                cp_plan: r.try_get("cp_since")?,
                cp_category: r.try_get("cp_category")?,
                looked_after: r.try_get("cla_since")?,
                legal_status: r.try_get("legal_status")?,
                cin_plan: r.try_get("cin_since")?,
                open_referral: r.try_get("referral_since")?,
                early_help: r.try_get("early_help_since")?,
                private_fostering: r.try_get("pf_since")?,
                care_leaver: r.try_get("has_adviser")?,
                restricted: r.try_get("restricted")?,
            })
        }

        /// Work due after the front door: initial conferences, reviews, core groups and plan actions.
        pub(super) async fn plans_due(conn: &mut Conn, worker: Option<Uuid>, team: Option<Uuid>, today: NaiveDate, items: &mut Vec<DueItem>) -> Result<(), StoreError> {
            // Each query joins the child and their current worker, and keeps the children in
            // scope: allocated to the worker or the team (everyone, for the service).
            macro_rules! scoped {
                ($select:literal, $from:literal, $where:literal) => {
                    concat!(
                        "SELECT ", $select, ", p.given_name, p.family_name, w.name AS worker_name FROM ", $from,
                        " JOIN person p ON p.id = x.child_id LEFT JOIN allocation al ON al.child_id = p.id AND al.to_date IS NULL AND al.role = 'social_worker' \
                         LEFT JOIN worker w ON w.id = al.worker_id WHERE ($1 IS NULL OR al.worker_id = $1) AND ($2 IS NULL OR w.team_id = $2) AND ",
                        $where
                    )
                };
            }
            let name = |r: &Row| -> Result<String, sqlx::Error> {
                Ok(format!("{} {}", r.try_get::<String, _>("given_name")?, r.try_get::<String, _>("family_name")?))
            };
            let mut push = |kind: WorkKind, what: String, due: NaiveDate, child: Uuid, name: String, worker: Option<String>, link: String| {
                items.push(DueItem { kind, what, due, rag: Rag::of(due, today), child_id: Some(child), child_name: name, worker_name: worker, link });
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
                push(WorkKind::ChildProtection, what.into(), s.icpc_due, s.child_id, name(r)?, r.try_get("worker_name")?, format!("/children/{}#protection", s.child_id));
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
                push(WorkKind::ChildProtection, "Child protection review conference".into(), due, child, name(r)?, w.clone(), format!("/children/{child}#protection"));
                if core_groups == 0 {
                    if let Ok(due) = domain::timescales::first_core_group_due(started) {
                        push(WorkKind::ChildProtection, "First core group".into(), due, child, name(r)?, w, format!("/children/{child}#protection"));
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
                let plan: Uuid = r.try_get("plan_id")?;
                push(WorkKind::PlanAction, format!("Plan action: {action}"), r.try_get("due_on")?, child, name(r)?, r.try_get("worker_name")?, format!("/cin-plans/{plan}"));
            }
            // Current pathway plans' reviews: on the caseload of the personal adviser and of the
            // social worker (either allocation puts the young person in scope, once).
            let rows = sqlx::query(
                "SELECT x.child_id, x.review_due, p.given_name, p.family_name, \
                 (SELECT w.name FROM allocation a JOIN worker w ON w.id = a.worker_id \
                  WHERE a.child_id = x.child_id AND a.to_date IS NULL AND a.role = 'personal_adviser') AS worker_name \
                 FROM pathway_plan x JOIN person p ON p.id = x.child_id \
                 WHERE x.superseded_by IS NULL \
                 AND ($1 IS NULL OR EXISTS (SELECT 1 FROM allocation a WHERE a.child_id = x.child_id AND a.to_date IS NULL AND a.worker_id = $1)) \
                 AND ($2 IS NULL OR EXISTS (SELECT 1 FROM allocation a JOIN worker w ON w.id = a.worker_id \
                      WHERE a.child_id = x.child_id AND a.to_date IS NULL AND w.team_id = $2))",
            )
            .bind(worker).bind(team).fetch_all(&mut *conn).await?;
            for r in &rows {
                let child: Uuid = r.try_get("child_id")?;
                push(WorkKind::LeavingCare, "Pathway plan review".into(), r.try_get("review_due")?, child, name(r)?, r.try_get("worker_name")?, format!("/children/{child}#leaving-care"));
            }
            // Care leavers: birthday contacts and the personal adviser's visits.
            items.extend(super::care_leavers::work_due(conn, worker, team, today).await?);
            // Learning actions from case file audits, for the worker who owns them.
            items.extend(super::quality::work_due(conn, worker, team, today).await?);
            Ok(())
        }


        /// Children in care in scope (an open episode), with what their work due needs: when
        /// the current period of care began, the current placement's start, the reviews of the
        /// period, the last visit at which they were seen, their health checks and SDQs.
        async fn children_in_care(conn: &mut Conn, worker: Option<Uuid>, team: Option<Uuid>) -> Result<Vec<Row>, StoreError> {
            Ok(sqlx::query(
                "SELECT p.id, p.given_name, p.family_name, p.date_of_birth, w.name AS worker_name, per.started_on AS entered, \
                 (SELECT MAX(x.started_on) FROM cla_episode x WHERE x.period_id = e.period_id AND x.reason_new <> 'L') AS placed_on, \
                 (SELECT COUNT(*) FROM cla_review r WHERE r.child_id = p.id AND r.held_on >= per.started_on) AS reviews, \
                 (SELECT MAX(r.held_on) FROM cla_review r WHERE r.child_id = p.id AND r.held_on >= per.started_on) AS last_review, \
                 (SELECT MAX(n.note_date) FROM note n WHERE n.child_id = p.id AND n.kind = 'visit' AND n.child_seen = $3 AND n.entered_in_error_at IS NULL) AS last_visit, \
                 (SELECT COUNT(*) FROM cla_health_check h WHERE h.child_id = p.id AND h.kind = 'initial' AND h.done_on >= per.started_on) AS initial_done, \
                 (SELECT MAX(h.done_on) FROM cla_health_check h WHERE h.child_id = p.id AND h.kind IN ('initial', 'review')) AS last_assessment, \
                 (SELECT MAX(h.health_assessment) FROM cla_health h WHERE h.child_id = p.id) AS last_assessment_903, \
                 (SELECT MAX(q.done_on) FROM cla_sdq q WHERE q.child_id = p.id) AS last_sdq \
                 FROM cla_episode e JOIN cla_period per ON per.id = e.period_id JOIN person p ON p.id = e.child_id \
                 LEFT JOIN allocation al ON al.child_id = p.id AND al.to_date IS NULL AND al.role = 'social_worker' LEFT JOIN worker w ON w.id = al.worker_id \
                 WHERE e.ended_on IS NULL AND ($1 IS NULL OR al.worker_id = $1) AND ($2 IS NULL OR w.team_id = $2) \
                 ORDER BY p.id",
            )
            .bind(worker).bind(team).bind(true)
            .fetch_all(&mut *conn).await?)
        }

        fn child_name(r: &Row) -> Result<String, sqlx::Error> {
            Ok(format!("{} {}", r.try_get::<String, _>("given_name")?, r.try_get::<String, _>("family_name")?))
        }

        /// Work due for children in care: the next looked-after review, the initial and review
        /// health assessments, the SDQ (4–16s), and the IRO's open recommendations.
        pub(super) async fn care_due(conn: &mut Conn, worker: Option<Uuid>, team: Option<Uuid>, today: NaiveDate, items: &mut Vec<DueItem>) -> Result<(), StoreError> {
            use domain::looked_after::health::{initial_health_assessment_due, review_health_assessment_due, sdq_due};
            let rows = children_in_care(conn, worker, team).await?;
            let mut seen = std::collections::HashSet::new();
            for r in &rows {
                let child: Uuid = r.try_get("id")?;
                if !seen.insert(child) {
                    continue;
                }
                let entered: NaiveDate = r.try_get("entered")?;
                let reviews: i64 = r.try_get("reviews")?;
                let last_review: Option<NaiveDate> = r.try_get("last_review")?;
                let dob: Option<NaiveDate> = r.try_get("date_of_birth")?;
                let w: Option<String> = r.try_get("worker_name")?;
                let mut push = |what: &str, due: NaiveDate, link: String| -> Result<(), sqlx::Error> {
                    items.push(DueItem { kind: WorkKind::Care, what: what.into(), due, rag: Rag::of(due, today), child_id: Some(child), child_name: child_name(r)?, worker_name: w.clone(), link });
                    Ok(())
                };
                if let Ok(due) = cla_review_due(entered, last_review.map(|l| (l, reviews as u32))) {
                    push("Looked-after review", due, format!("/children/{child}/care-reviews"))?;
                }
                let initial_done: i64 = r.try_get("initial_done")?;
                let last: Option<NaiveDate> = r.try_get("last_assessment")?;
                let last_903: Option<NaiveDate> = r.try_get("last_assessment_903")?;
                match last.max(last_903) {
                    Some(l) if initial_done > 0 || l >= entered => push("Review health assessment", review_health_assessment_due(l, dob), format!("/children/{child}/health"))?,
                    _ => {
                        if let Ok(due) = initial_health_assessment_due(entered) {
                            push("Initial health assessment", due, format!("/children/{child}/health"))?;
                        }
                    }
                }
                if let Some(dob) = dob {
                    let last_sdq: Option<NaiveDate> = r.try_get("last_sdq")?;
                    if let Some(due) = sdq_due(entered, last_sdq, dob) {
                        if domain::looked_after::reviews::age_on(dob, due) >= 4 {
                            push("SDQ", due, format!("/children/{child}/sdq"))?;
                        }
                    }
                }
            }
            // The IRO's recommendations not yet done, for children in care in scope.
            let rows = sqlx::query(
                "SELECT a.id, a.action, a.due_on, a.child_id, p.given_name, p.family_name, w.name AS worker_name \
                 FROM cla_review_action a JOIN person p ON p.id = a.child_id \
                 LEFT JOIN allocation al ON al.child_id = p.id AND al.to_date IS NULL AND al.role = 'social_worker' LEFT JOIN worker w ON w.id = al.worker_id \
                 WHERE a.completed_on IS NULL AND ($1 IS NULL OR al.worker_id = $1) AND ($2 IS NULL OR w.team_id = $2) \
                 AND EXISTS (SELECT 1 FROM cla_episode e WHERE e.child_id = a.child_id AND e.ended_on IS NULL)",
            )
            .bind(worker).bind(team).fetch_all(&mut *conn).await?;
            for r in &rows {
                let id: Uuid = r.try_get("id")?;
                let action: String = r.try_get("action")?;
                let due: NaiveDate = r.try_get("due_on")?;
                items.push(DueItem {
                    kind: WorkKind::Care,
                    what: format!("Review recommendation: {action}"),
                    due,
                    rag: Rag::of(due, today),
                    child_id: Some(r.try_get("child_id")?),
                    child_name: child_name(r)?,
                    worker_name: r.try_get("worker_name")?,
                    link: format!("/care-review-actions/{id}/complete"),
                });
            }
            Ok(())
        }

        /// Statutory visits to children in care (reg 28(2)): from the start of the current
        /// placement and the last visit at which the child was seen.
        pub(super) async fn care_visits_due(conn: &mut Conn, worker: Option<Uuid>, team: Option<Uuid>, today: NaiveDate, items: &mut Vec<DueItem>) -> Result<(), StoreError> {
            let rows = children_in_care(conn, worker, team).await?;
            let mut seen = std::collections::HashSet::new();
            for r in &rows {
                let child: Uuid = r.try_get("id")?;
                if !seen.insert(child) {
                    continue;
                }
                let entered: NaiveDate = r.try_get("entered")?;
                let placed: Option<NaiveDate> = r.try_get("placed_on")?;
                let last: Option<NaiveDate> = r.try_get("last_visit")?;
                // UNCONFIRMED: whether the placement is intended to last until 18 is not yet on
                // the record, so the 3-monthly interval of reg 28(2)(c) never applies (6 weeks).
                let due = domain::looked_after::reviews::cla_visit_due(placed.unwrap_or(entered), last, false);
                items.push(DueItem {
                    kind: WorkKind::Visit,
                    what: "Visit (child in care)".into(),
                    due,
                    rag: Rag::of(due, today),
                    child_id: Some(child),
                    child_name: child_name(r)?,
                    worker_name: r.try_get("worker_name")?,
                    link: format!("/children/{child}/notes?kind=visit"),
                });
            }
            Ok(())
        }

        #[async_trait::async_trait]
        impl WorkDue for $store {
            async fn caseload(&self, scope: WorkScope) -> Result<Vec<CaseloadEntry>> {
                let (worker, team) = match scope {
                    WorkScope::Worker(w) => (Some(w), None),
                    WorkScope::Team(t) => (None, Some(t)),
                    WorkScope::All => (None, None),
                };
                let rows = sqlx::query(concat!(
                    "SELECT p.id, p.given_name, p.family_name, p.date_of_birth, w.id AS worker_id, w.name AS worker_name, \
                     al.role, al.from_date, ",
                    status_columns!(),
                    " FROM allocation al JOIN worker w ON w.id = al.worker_id JOIN person p ON p.id = al.child_id \
                     WHERE al.to_date IS NULL AND ($1 IS NULL OR al.worker_id = $1) AND ($2 IS NULL OR w.team_id = $2) \
                     ORDER BY w.name, w.id, p.family_name, p.given_name, p.id",
                ))
                .bind(worker)
                .bind(team)
                .fetch_all(&self.list_pool)
                .await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    let role: String = r.try_get("role")?;
                    let mut status = status_from_row(r)?;
                    status.care_leaver |= role == "personal_adviser";
                    out.push(CaseloadEntry {
                        child_id: r.try_get("id")?,
                        child_name: format!("{} {}", r.try_get::<String, _>("given_name")?, r.try_get::<String, _>("family_name")?),
                        date_of_birth: r.try_get("date_of_birth")?,
                        worker_id: r.try_get("worker_id")?,
                        worker_name: r.try_get("worker_name")?,
                        role,
                        allocated_from: r.try_get("from_date")?,
                        status,
                    });
                }
                Ok(out)
            }

            async fn case_status_of(&self, children: &[Uuid]) -> Result<std::collections::HashMap<Uuid, (domain::work::CaseStatus, Option<String>)>> {
                let mut out = std::collections::HashMap::with_capacity(children.len());
                for chunk in children.chunks(500) {
                    let places: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
                    let sql = format!(
                        concat!(
                            "SELECT p.id, ",
                            status_columns!(),
                            ", (SELECT a.line1 || ', ' || a.postcode FROM address a WHERE a.person_id = p.id AND a.to_date IS NULL \
                             ORDER BY a.from_date DESC LIMIT 1) AS address FROM person p WHERE p.id IN ({})"
                        ),
                        places.join(", ")
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for id in chunk {
                        q = q.bind(*id);
                    }
                    for r in q.fetch_all(&self.list_pool).await? {
                        out.insert(r.try_get("id")?, (status_from_row(&r)?, r.try_get("address")?));
                    }
                }
                Ok(out)
            }

            async fn caseload_counts(&self) -> Result<std::collections::HashMap<Uuid, usize>> {
                let rows = sqlx::query("SELECT worker_id, COUNT(*) AS n FROM allocation WHERE to_date IS NULL GROUP BY worker_id")
                    .fetch_all(&self.list_pool)
                    .await?;
                rows.iter()
                    .map(|r| Ok((r.try_get("worker_id")?, r.try_get::<i64, _>("n")? as usize)))
                    .collect::<Result<_, sqlx::Error>>()
                    .map_err(Into::into)
            }

            async fn work_due(&self, scope: WorkScope, today: NaiveDate) -> Result<Vec<DueItem>> {
                let mut conn = self.list_pool.acquire().await?;
                let (worker, team) = match scope {
                    WorkScope::Worker(w) => (Some(w), None),
                    WorkScope::Team(t) => (None, Some(t)),
                    WorkScope::All => (None, None),
                };
                let mut items = Vec::new();
                // Front-door decisions belong to the service, not to a worker.
                if worker.is_none() {
                    for c in self.front_door_queue().await? {
                        let names: Vec<&str> = c.children.iter().map(|k| k.name.as_str()).collect();
                        items.push(DueItem {
                            kind: WorkKind::FrontDoor,
                            what: "Front-door decision".into(),
                            due: c.decision_due,
                            rag: Rag::of(c.decision_due, today),
                            child_id: c.children.first().map(|k| k.person_id),
                            child_name: names.join(", "),
                            worker_name: None,
                            link: format!("/contacts/{}", c.id),
                        });
                    }
                }
                let rows = sqlx::query(
                    "SELECT a.id, a.child_id, a.due_on, a.completed_on, p.given_name, p.family_name, w.name AS worker_name \
                     FROM assessment a JOIN person p ON p.id = a.child_id \
                     LEFT JOIN allocation al ON al.child_id = a.child_id AND al.to_date IS NULL AND al.role = 'social_worker' \
                     LEFT JOIN worker w ON w.id = al.worker_id \
                     WHERE a.authorised_on IS NULL AND ($1 IS NULL OR al.worker_id = $1) AND ($2 IS NULL OR w.team_id = $2) \
                     ORDER BY a.due_on",
                )
                .bind(worker)
                .bind(team)
                .fetch_all(&mut *conn)
                .await?;
                for r in &rows {
                    let id: Uuid = r.try_get("id")?;
                    let due: NaiveDate = r.try_get("due_on")?;
                    let completed: Option<NaiveDate> = r.try_get("completed_on")?;
                    let (what, due) = match completed {
                        // Authorisation is due as soon as the assessment is completed.
                        Some(done) => ("Assessment authorisation", done),
                        None => ("Assessment", due),
                    };
                    items.push(DueItem {
                        kind: WorkKind::Assessment,
                        what: what.into(),
                        due,
                        rag: Rag::of(due, today),
                        child_id: Some(r.try_get("child_id")?),
                        child_name: format!("{} {}", r.try_get::<String, _>("given_name")?, r.try_get::<String, _>("family_name")?),
                        worker_name: r.try_get("worker_name")?,
                        link: format!("/assessments/{id}"),
                    });
                }
                plans_due(&mut conn, worker, team, today, &mut items).await?;
                care_due(&mut conn, worker, team, today, &mut items).await?;
                items.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.child_name.cmp(&b.child_name)));
                Ok(items)
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
                     (SELECT MAX(n.note_date) FROM note n WHERE n.child_id = p.id AND n.kind = 'visit' AND n.child_seen = $3 AND n.entered_in_error_at IS NULL) AS last_visit \
                     FROM (SELECT child_id, 'cp' AS kind, MIN(started_on) AS started_on FROM cp_plan WHERE ended_on IS NULL GROUP BY child_id \
                           UNION ALL \
                           SELECT child_id, 'cin' AS kind, MIN(started_on) AS started_on FROM cin_plan c WHERE ended_on IS NULL \
                             AND NOT EXISTS (SELECT 1 FROM cp_plan k WHERE k.child_id = c.child_id AND k.ended_on IS NULL) GROUP BY child_id) plans \
                     JOIN person p ON p.id = plans.child_id \
                     LEFT JOIN allocation al ON al.child_id = p.id AND al.to_date IS NULL AND al.role = 'social_worker' LEFT JOIN worker w ON w.id = al.worker_id \
                     WHERE ($1 IS NULL OR al.worker_id = $1) AND ($2 IS NULL OR w.team_id = $2)",
                )
                .bind(worker)
                .bind(team)
                .bind(true)
                .fetch_all(&self.list_pool)
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
                        kind: WorkKind::Visit,
                        what: if kind == "cp" { "Visit (child protection plan)".into() } else { "Visit (child in need plan)".into() },
                        due,
                        rag: Rag::of(due, today),
                        child_id: Some(child),
                        child_name: format!("{} {}", r.try_get::<String, _>("given_name")?, r.try_get::<String, _>("family_name")?),
                        worker_name: r.try_get("worker_name")?,
                        link: format!("/children/{child}/notes?kind=visit"),
                    });
                }
                // Core groups after the first, at the council's interval from the last one.
                let rows = sqlx::query(
                    "SELECT x.id AS plan_id, x.child_id, p.given_name, p.family_name, w.name AS worker_name, \
                     (SELECT MAX(g.held_on) FROM core_group g WHERE g.plan_id = x.id) AS last_core_group \
                     FROM cp_plan x JOIN person p ON p.id = x.child_id \
                     LEFT JOIN allocation al ON al.child_id = p.id AND al.to_date IS NULL AND al.role = 'social_worker' LEFT JOIN worker w ON w.id = al.worker_id \
                     WHERE x.ended_on IS NULL AND ($1 IS NULL OR al.worker_id = $1) AND ($2 IS NULL OR w.team_id = $2)",
                )
                .bind(worker)
                .bind(team)
                .fetch_all(&self.list_pool)
                .await?;
                for r in &rows {
                    let Some(last) = r.try_get::<Option<NaiveDate>, _>("last_core_group")? else { continue };
                    let Ok(due) = cal.add_working_days(last, standards.core_group_working_days) else { continue };
                    let child: Uuid = r.try_get("child_id")?;
                    items.push(DueItem {
                        kind: WorkKind::ChildProtection,
                        what: "Core group".into(),
                        due,
                        rag: Rag::of(due, today),
                        child_id: Some(child),
                        child_name: format!("{} {}", r.try_get::<String, _>("given_name")?, r.try_get::<String, _>("family_name")?),
                        worker_name: r.try_get("worker_name")?,
                        link: format!("/cp-plans/{}/core-groups", r.try_get::<Uuid, _>("plan_id")?),
                    });
                }
                care_visits_due(&mut *self.list_pool.acquire().await?, worker, team, today, &mut items).await?;
                items.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.child_name.cmp(&b.child_name)));
                Ok(items)
            }

            async fn pf_visits_due(&self, scope: WorkScope, today: NaiveDate, t: PfTimescales) -> Result<Vec<DueItem>> {
                let (worker, team) = match scope {
                    WorkScope::Worker(w) => (Some(w), None),
                    WorkScope::Team(t) => (None, Some(t)),
                    WorkScope::All => (None, None),
                };
                let mut conn = self.list_pool.acquire().await?;
                let rows = sqlx::query(
                    "SELECT x.id, x.child_id, x.notified_on, x.starts_on, p.given_name, p.family_name, w.name AS worker_name, \
                     (SELECT MAX(v.visited_on) FROM pf_visit v WHERE v.arrangement_id = x.id AND v.child_seen = $3) AS last_seen \
                     FROM pf_arrangement x JOIN person p ON p.id = x.child_id \
                     LEFT JOIN allocation al ON al.child_id = p.id AND al.to_date IS NULL AND al.role = 'social_worker' LEFT JOIN worker w ON w.id = al.worker_id \
                     WHERE x.ended_on IS NULL AND ($1 IS NULL OR al.worker_id = $1) AND ($2 IS NULL OR w.team_id = $2)",
                )
                .bind(worker).bind(team).bind(true)
                .fetch_all(&mut *conn).await?;
                let mut items = Vec::new();
                for r in &rows {
                    let notified: NaiveDate = r.try_get("notified_on")?;
                    let starts: NaiveDate = r.try_get("starts_on")?;
                    let last: Option<NaiveDate> = r.try_get("last_seen")?;
                    let (what, due) = match last {
                        None => {
                            let days = if starts > notified { t.first_visit_proposed } else { t.first_visit_existing };
                            let Ok(due) = domain::private_fostering::first_visit_due(notified, days) else { continue };
                            ("Private fostering initial visit", due)
                        }
                        Some(last) => (
                            "Private fostering visit",
                            domain::private_fostering::next_visit_due(domain::private_fostering::deemed_start(starts, notified), last, &t),
                        ),
                    };
                    let child: Uuid = r.try_get("child_id")?;
                    let id: Uuid = r.try_get("id")?;
                    items.push(DueItem {
                        kind: WorkKind::PrivateFostering,
                        what: what.into(),
                        due,
                        rag: domain::timescales::Rag::of(due, today),
                        child_id: Some(child),
                        child_name: format!("{} {}", r.try_get::<String, _>("given_name")?, r.try_get::<String, _>("family_name")?),
                        worker_name: r.try_get("worker_name")?,
                        link: format!("/private-fostering/{id}/visits"),
                    });
                }
                items.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.child_name.cmp(&b.child_name)));
                Ok(items)
            }
        }
    };
}
pub(crate) use sql;
