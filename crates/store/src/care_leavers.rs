//! Care leavers, as a part of the repository: the personal adviser's allocation (an allocation
//! with the role `personal_adviser`, beside the social worker's), pathway plans (a review
//! records a new plan and supersedes the current one, which is kept) and keeping in touch with
//! a young person who has left care. Every change writes its audit entry in the same
//! transaction.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::care_leavers::{
    AdviserAllocation, CareLeaving, KeepingInTouch, LeavingCareStatus, NeedsAssessment,
    NewKeepingInTouch, NewLeavingCareStatus, NewNeedsAssessment, NewPathwayPlan, NewSupportRequest,
    PathwayPlan, SupportRequest,
};
use domain::child_in_need::ActionProgress;
use uuid::Uuid;

use crate::correction::{ChildFacts, Col, Correct, Correctable, column, field};
use crate::{Actor, Result};

/// Keeping in touch contacts, corrected through the one correction path.
pub static KEEPING_IN_TOUCH: Correctable = Correctable {
    kind: "leaving_care_contact",
    table: "leaving_care_contact",
    id_column: "id",
    label: "keeping in touch contact",
    fields: &[
        field("contact_on", Col::Date),
        field("seen", Col::Bool),
        field("place", Col::Text),
        field("words", Col::Text),
        field("in_touch", Col::Text),
    ],
    fixed: &[],
    may_enter_in_error: true,
};

impl Correct for NewKeepingInTouch {
    const RECORD: &'static Correctable = &KEEPING_IN_TOUCH;
    fn validate(&self, f: &ChildFacts) -> Vec<domain::validate::FieldError> {
        NewKeepingInTouch::validate(self, f.left_care, f.today)
    }
}

/// Changes of activity and accommodation, corrected through the one correction path.
pub static LEAVING_CARE_STATUS: Correctable = Correctable {
    kind: "leaving_care_status",
    table: "leaving_care_status",
    id_column: "id",
    label: "change of activity or accommodation",
    fields: &[
        column("from", "from_on", Col::Date),
        field("activity", Col::OptText),
        field("accommodation", Col::OptText),
        field("suitable", Col::OptBool),
    ],
    fixed: &[],
    may_enter_in_error: true,
};

/// Needs assessments, corrected through the one correction path.
pub static NEEDS_ASSESSMENT: Correctable = Correctable {
    kind: "leaving_care_needs",
    table: "leaving_care_needs",
    id_column: "id",
    label: "needs assessment",
    fields: &[
        field("assessed_on", Col::Date),
        field("areas", Col::Codes),
        field("findings", Col::Text),
        field("views", Col::Text),
    ],
    fixed: &[],
    may_enter_in_error: true,
};

impl Correct for NewNeedsAssessment {
    const RECORD: &'static Correctable = &NEEDS_ASSESSMENT;
    fn validate(&self, f: &ChildFacts) -> Vec<domain::validate::FieldError> {
        NewNeedsAssessment::validate(self, f.date_of_birth, f.today)
    }
}

/// Requests for support to 25, corrected through the one correction path.
pub static SUPPORT_REQUEST: Correctable = Correctable {
    kind: "leaving_care_support",
    table: "leaving_care_support",
    id_column: "id",
    label: "request for support to 25",
    fields: &[field("requested_on", Col::Date), field("words", Col::Text)],
    fixed: &[],
    may_enter_in_error: true,
};

impl Correct for NewSupportRequest {
    const RECORD: &'static Correctable = &SUPPORT_REQUEST;
    fn validate(&self, f: &ChildFacts) -> Vec<domain::validate::FieldError> {
        NewSupportRequest::validate(self, f.date_of_birth, f.left_care, f.today)
    }
}

impl Correct for NewLeavingCareStatus {
    const RECORD: &'static Correctable = &LEAVING_CARE_STATUS;
    fn validate(&self, f: &ChildFacts) -> Vec<domain::validate::FieldError> {
        NewLeavingCareStatus::validate(self, f.date_of_birth, f.left_care, f.today)
    }
}

#[async_trait]
pub trait CareLeavers: Send + Sync {
    /// Allocates a personal adviser to a young person from 16, beside their social worker,
    /// ending the current personal adviser's allocation the day before.
    async fn allocate_personal_adviser(
        &self,
        actor: Actor,
        child_id: Uuid,
        worker_id: Uuid,
        from: NaiveDate,
    ) -> Result<AdviserAllocation>;
    /// Records a pathway plan (from 16 years 3 months); when one is current, this is its
    /// review: the current plan is superseded by the new one and kept.
    async fn record_pathway_plan(
        &self,
        actor: Actor,
        child_id: Uuid,
        plan: NewPathwayPlan,
    ) -> Result<PathwayPlan>;
    /// Records a contact with a young person who has left care.
    async fn record_keeping_in_touch(
        &self,
        actor: Actor,
        child_id: Uuid,
        contact: NewKeepingInTouch,
    ) -> Result<KeepingInTouch>;
    /// Records a change of a care leaver's activity, accommodation or both, from a date on or
    /// after they left care.
    async fn record_leaving_care_status(
        &self,
        actor: Actor,
        child_id: Uuid,
        status: NewLeavingCareStatus,
    ) -> Result<LeavingCareStatus>;
    /// Records progress on an action of a pathway plan; refused (a conflict) when the action's
    /// version is no longer `expected_version`. Returns the plan.
    async fn update_pathway_action(
        &self,
        actor: Actor,
        action_id: Uuid,
        expected_version: i64,
        progress: ActionProgress,
    ) -> Result<PathwayPlan>;
    /// Records a needs assessment (from 16).
    async fn record_needs_assessment(
        &self,
        actor: Actor,
        child_id: Uuid,
        assessment: NewNeedsAssessment,
    ) -> Result<NeedsAssessment>;
    /// Records a care leaver's request for support to 25: the leaving care team holds them
    /// to their 25th birthday rather than their 21st.
    async fn record_support_request(
        &self,
        actor: Actor,
        child_id: Uuid,
        request: NewSupportRequest,
    ) -> Result<SupportRequest>;
    /// The young person's leaving care part, without an access entry (the child's page reads
    /// it with the record, which writes one).
    async fn care_leaving(&self, child_id: Uuid) -> Result<CareLeaving>;
}

/// Adds a young person's leaving care to the chronology.
pub(crate) fn add_to_chronology(
    out: &mut Vec<domain::chronology::ChronologyEntry>,
    c: &CareLeaving,
) {
    use domain::care_leavers::{ACCOMMODATION, ACTIVITY, IN_TOUCH, label};
    let mut push = |date: NaiveDate, summary: String| {
        out.push(domain::chronology::ChronologyEntry {
            date,
            at: date
                .and_hms_opt(0, 0, 0)
                .expect("midnight exists")
                .and_utc(),
            category: "Leaving care".into(),
            summary,
            recorded_by: None,
            source: None,
        })
    };
    for a in &c.advisers {
        push(
            a.from,
            format!("Personal adviser allocated: {}", a.worker_name),
        );
    }
    for p in &c.plans {
        push(
            p.plan_date,
            format!(
                "Pathway plan (review due {})",
                p.review_due.format("%-d %B %Y")
            ),
        );
    }
    for k in &c.contacts {
        push(
            k.contact_on,
            format!(
                "Keeping in touch: {}{}",
                label(IN_TOUCH, &k.in_touch).to_lowercase(),
                if k.seen { ", seen" } else { ", not seen" }
            ),
        );
    }
    for s in &c.statuses {
        let mut parts = Vec::new();
        if let Some(a) = &s.activity {
            parts.push(format!("activity {}", label(ACTIVITY, a).to_lowercase()));
        }
        if let Some(a) = &s.accommodation {
            parts.push(format!(
                "accommodation {} ({})",
                label(ACCOMMODATION, a).to_lowercase(),
                if s.suitable == Some(true) {
                    "suitable"
                } else {
                    "not suitable"
                }
            ));
        }
        push(s.from, format!("Leaving care: {}", parts.join(", ")));
    }
    for a in &c.assessments {
        push(a.assessed_on, "Leaving care needs assessment".into());
    }
    for r in &c.support {
        push(
            r.requested_on,
            "Asked for support from a personal adviser to 25".into(),
        );
    }
    out.sort_by(|a, b| b.date.cmp(&a.date).then(b.at.cmp(&a.at)));
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!`.
macro_rules! sql {
    ($store:ty) => {
        use domain::care_leavers::{
            AdviserAllocation as ClAdviser, AllocationRole as ClRole, CareLeaving as ClCareLeaving,
            KeepingInTouch as ClContact, LeavingCareStatus as ClStatus, NewKeepingInTouch as ClNewContact,
            NewLeavingCareStatus as ClNewStatus, NewPathwayPlan as ClNewPlan, PathwayAction as ClAction, PathwayPlan as ClPlan,
            NeedsAssessment as ClNeeds, NewNeedsAssessment as ClNewNeeds, NewSupportRequest as ClNewSupport, SupportRequest as ClSupport,
        };
        use $crate::care_leavers::CareLeavers as CareLeaversRepository;

        /// Refuses what the domain's validation refuses, naming the first field at fault.
        fn cl_refuse(errors: Vec<domain::validate::FieldError>) -> Result<(), StoreError> {
            const FIELDS: &[&str] = &[
                "from", "plan_date", "views", "goals", "actions", "review_due", "contact_on", "place", "words",
                "in_touch", "activity", "accommodation", "suitable", "status", "progress", "assessed_on", "areas", "findings",
                "requested_on",
            ];
            match errors.into_iter().next() {
                None => Ok(()),
                Some(e) => Err(StoreError::Invalid {
                    field: FIELDS.iter().find(|f| **f == e.field).copied().unwrap_or("input"),
                    message: e.message,
                }),
            }
        }

        fn cl_contact_from_row(r: &Row) -> Result<ClContact, sqlx::Error> {
            Ok(ClContact {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                contact_on: r.try_get("contact_on")?,
                seen: r.try_get("seen")?,
                place: r.try_get("place")?,
                words: r.try_get("words")?,
                in_touch: r.try_get("in_touch")?,
            })
        }

        fn cl_action_from_row(r: &Row) -> Result<ClAction, sqlx::Error> {
            Ok(ClAction {
                id: r.try_get("id")?,
                action: r.try_get("action")?,
                owner: r.try_get("owner")?,
                due_on: r.try_get("due_on")?,
                status: r.try_get("status")?,
                progress: r.try_get("progress")?,
                version: r.try_get("version")?,
            })
        }

        /// A pathway plan with its actions.
        async fn cl_plan(conn: &mut Conn, id: Uuid) -> Result<ClPlan, StoreError> {
            let r = sqlx::query("SELECT * FROM pathway_plan WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?
                .ok_or(StoreError::NotFound("pathway plan"))?;
            let actions = sqlx::query("SELECT * FROM pathway_action WHERE plan_id = $1 ORDER BY position").bind(id).fetch_all(&mut *conn).await?
                .iter().map(cl_action_from_row).collect::<Result<Vec<_>, _>>()?;
            Ok(ClPlan {
                id,
                child_id: r.try_get("child_id")?,
                plan_date: r.try_get("plan_date")?,
                views: r.try_get("views")?,
                goals: r.try_get("goals")?,
                review_due: r.try_get("review_due")?,
                actions,
                superseded_by: r.try_get("superseded_by")?,
                superseded_on: r.try_get("superseded_on")?,
            })
        }

        fn cl_status_from_row(r: &Row) -> Result<ClStatus, sqlx::Error> {
            Ok(ClStatus {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                from: r.try_get("from_on")?,
                activity: r.try_get("activity")?,
                accommodation: r.try_get("accommodation")?,
                suitable: r.try_get("suitable")?,
            })
        }

        /// Keeping in touch contacts, for one child or (None) everyone, newest first.
        pub(super) async fn contacts_of(conn: &mut Conn, child: Option<Uuid>) -> Result<Vec<ClContact>, StoreError> {
            let q = match child {
                Some(_) => "SELECT * FROM leaving_care_contact WHERE child_id = $1 AND entered_in_error_at IS NULL ORDER BY contact_on DESC, created_at DESC",
                None => "SELECT * FROM leaving_care_contact WHERE entered_in_error_at IS NULL ORDER BY contact_on DESC, created_at DESC",
            };
            let q = sqlx::query(q);
            let q = match child { Some(c) => q.bind(c), None => q };
            Ok(q.fetch_all(&mut *conn).await?.iter().map(cl_contact_from_row).collect::<Result<Vec<_>, _>>()?)
        }

        /// Changes of activity and accommodation, for one child or (None) everyone, newest first.
        pub(super) async fn statuses_of(conn: &mut Conn, child: Option<Uuid>) -> Result<Vec<ClStatus>, StoreError> {
            let q = match child {
                Some(_) => "SELECT * FROM leaving_care_status WHERE child_id = $1 AND entered_in_error_at IS NULL ORDER BY from_on DESC, created_at DESC",
                None => "SELECT * FROM leaving_care_status WHERE entered_in_error_at IS NULL ORDER BY from_on DESC, created_at DESC",
            };
            let q = sqlx::query(q);
            let q = match child { Some(c) => q.bind(c), None => q };
            Ok(q.fetch_all(&mut *conn).await?.iter().map(cl_status_from_row).collect::<Result<Vec<_>, _>>()?)
        }

        /// When the young person left care: the end of their last episode, none being open.
        async fn cl_left_care(conn: &mut Conn, child_id: Uuid) -> Result<Option<NaiveDate>, StoreError> {
            let row = sqlx::query(
                "SELECT MAX(ended_on) AS left_on, SUM(CASE WHEN ended_on IS NULL THEN 1 ELSE 0 END) AS open FROM cla_episode WHERE child_id = $1",
            )
            .bind(child_id).fetch_one(&mut *conn).await?;
            let open: Option<i64> = row.try_get("open")?;
            Ok(if open.unwrap_or(0) > 0 { None } else { row.try_get("left_on")? })
        }

        /// A young person's personal advisers, pathway plans and contacts, newest first (read
        /// in the caller's transaction).
        pub(super) async fn load_for_child(conn: &mut Conn, child: Uuid) -> Result<ClCareLeaving, StoreError> {
            let advisers = sqlx::query(
                "SELECT a.id, a.child_id, a.worker_id, a.from_date, a.to_date, w.name AS worker_name, t.name AS team_name \
                 FROM allocation a JOIN worker w ON w.id = a.worker_id LEFT JOIN team t ON t.id = w.team_id \
                 WHERE a.child_id = $1 AND a.role = $2 ORDER BY a.from_date DESC",
            )
            .bind(child)
            .bind(ClRole::PersonalAdviser.as_str())
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| {
                Ok(ClAdviser {
                    id: r.try_get("id")?,
                    child_id: r.try_get("child_id")?,
                    worker_id: r.try_get("worker_id")?,
                    worker_name: r.try_get("worker_name")?,
                    team_name: r.try_get("team_name")?,
                    from: r.try_get("from_date")?,
                    to: r.try_get("to_date")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let mut actions: std::collections::HashMap<Uuid, Vec<ClAction>> = Default::default();
            for r in sqlx::query("SELECT * FROM pathway_action WHERE child_id = $1 ORDER BY position").bind(child).fetch_all(&mut *conn).await? {
                actions.entry(r.try_get("plan_id")?).or_default().push(cl_action_from_row(&r)?);
            }
            let mut plans = Vec::new();
            for r in sqlx::query("SELECT * FROM pathway_plan WHERE child_id = $1 ORDER BY plan_date DESC, created_at DESC")
                .bind(child).fetch_all(&mut *conn).await?
            {
                let id: Uuid = r.try_get("id")?;
                plans.push(ClPlan {
                    id,
                    child_id: r.try_get("child_id")?,
                    plan_date: r.try_get("plan_date")?,
                    views: r.try_get("views")?,
                    goals: r.try_get("goals")?,
                    review_due: r.try_get("review_due")?,
                    actions: actions.remove(&id).unwrap_or_default(),
                    superseded_by: r.try_get("superseded_by")?,
                    superseded_on: r.try_get("superseded_on")?,
                });
            }
            let contacts = contacts_of(conn, Some(child)).await?;
            let statuses = statuses_of(conn, Some(child)).await?;
            let assessments = sqlx::query("SELECT * FROM leaving_care_needs WHERE child_id = $1 AND entered_in_error_at IS NULL ORDER BY assessed_on DESC, created_at DESC")
                .bind(child).fetch_all(&mut *conn).await?.iter()
                .map(|r| Ok(ClNeeds {
                    id: r.try_get("id")?,
                    child_id: r.try_get("child_id")?,
                    assessed_on: r.try_get("assessed_on")?,
                    areas: r.try_get::<String, _>("areas")?.split(',').filter(|a| !a.is_empty()).map(str::to_string).collect(),
                    findings: r.try_get("findings")?,
                    views: r.try_get("views")?,
                }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let support = sqlx::query("SELECT * FROM leaving_care_support WHERE child_id = $1 AND entered_in_error_at IS NULL ORDER BY requested_on DESC, created_at DESC")
                .bind(child).fetch_all(&mut *conn).await?.iter()
                .map(|r| Ok(ClSupport {
                    id: r.try_get("id")?,
                    child_id: r.try_get("child_id")?,
                    requested_on: r.try_get("requested_on")?,
                    words: r.try_get("words")?,
                }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            Ok(ClCareLeaving { advisers, plans, contacts, statuses, assessments, support })
        }

        /// The 903 OC3 rows of care leavers (everyone's, or one child's), for one collection year
        /// or every year up to today, derived from their periods of care, keeping in touch and
        /// dated activity and accommodation (`domain::care_leavers::care_leaver_years`). Rows of
        /// the earlier `care_leaver_year` table stand for young people with nothing recorded
        /// since (a database loaded before these records existed).
        pub(super) async fn oc3_rows(conn: &mut Conn, child: Option<Uuid>, year: Option<i32>) -> Result<Vec<domain::looked_after::CareLeaverYear>, StoreError> {
            use std::collections::HashMap;
            let one = |sql: &str| match child {
                Some(_) => format!("{sql} AND {}", if sql.contains("cla_period") { "p.child_id = $1" } else { "child_id = $1" }),
                None => sql.to_string(),
            };
            let q = one("SELECT p.child_id, p.started_on, p.ended_on, c.date_of_birth FROM cla_period p JOIN person c ON c.id = p.child_id WHERE c.date_of_birth IS NOT NULL");
            let q = sqlx::query(sqlx::AssertSqlSafe(q));
            let mut born: HashMap<Uuid, NaiveDate> = HashMap::new();
            let mut periods = Vec::new();
            for r in match child { Some(c) => q.bind(c), None => q }.fetch_all(&mut *conn).await? {
                let id: Uuid = r.try_get("child_id")?;
                born.insert(id, r.try_get("date_of_birth")?);
                periods.push((id, r.try_get("started_on")?, r.try_get("ended_on")?));
            }
            let contacts = contacts_of(conn, child).await?;
            let statuses = statuses_of(conn, child).await?;
            let recorded: std::collections::HashSet<Uuid> = contacts.iter().map(|k| k.child_id).chain(statuses.iter().map(|s| s.child_id)).collect();
            let q = one("SELECT id, child_id, year, in_touch, activity, accommodation FROM care_leaver_year WHERE 1 = 1");
            let q = sqlx::query(sqlx::AssertSqlSafe(q));
            let mut legacy = Vec::new();
            for r in match child { Some(c) => q.bind(c), None => q }.fetch_all(&mut *conn).await? {
                legacy.push(domain::looked_after::CareLeaverYear {
                    id: r.try_get("id")?,
                    child_id: r.try_get("child_id")?,
                    year: r.try_get::<i32, _>("year")?,
                    in_touch: r.try_get("in_touch")?,
                    activity: r.try_get("activity")?,
                    accommodation: r.try_get("accommodation")?,
                });
            }
            let legacy_only: std::collections::HashSet<Uuid> = legacy.iter().map(|l| l.child_id).filter(|c| !recorded.contains(c)).collect();
            let derived = domain::care_leavers::care_leaver_years_of(&born, periods, &contacts, &statuses, local_now().date());
            Ok(derived.into_iter().filter(|l| !legacy_only.contains(&l.child_id))
                .chain(legacy.into_iter().filter(|l| legacy_only.contains(&l.child_id)))
                .filter(|r| year.is_none_or(|y| r.year == y))
                .collect())
        }

        /// Care leavers' work due on the caseloads in scope (a worker's or a team's, through
        /// either allocation; None for everyone): the contact around each 17th to 21st birthday
        /// until someone is in touch in its window, and the personal adviser's next visit
        /// (`ADVISER_VISIT_DAYS` after the last time the young person was seen, or after they
        /// left care).
        pub(super) async fn work_due(conn: &mut Conn, worker: Option<Uuid>, team: Option<Uuid>, today: NaiveDate) -> Result<Vec<domain::work::DueItem>, StoreError> {
            use std::collections::HashMap;
            use domain::care_leavers::{ADVISER_VISIT_DAYS, birthday_contact_due, left_care_as_care_leaver};
            let rows = sqlx::query(
                "SELECT a.child_id, a.from_date, p.given_name, p.family_name, p.date_of_birth, w.name AS worker_name \
                 FROM allocation a JOIN person p ON p.id = a.child_id JOIN worker w ON w.id = a.worker_id \
                 WHERE a.role = 'personal_adviser' AND a.to_date IS NULL AND p.date_of_birth IS NOT NULL \
                 AND ($1 IS NULL OR EXISTS (SELECT 1 FROM allocation b WHERE b.child_id = a.child_id AND b.to_date IS NULL AND b.worker_id = $1)) \
                 AND ($2 IS NULL OR EXISTS (SELECT 1 FROM allocation b JOIN worker v ON v.id = b.worker_id \
                      WHERE b.child_id = a.child_id AND b.to_date IS NULL AND v.team_id = $2))",
            )
            .bind(worker).bind(team).fetch_all(&mut *conn).await?;
            if rows.is_empty() {
                return Ok(Vec::new());
            }
            // Their periods of care and contacts, in two reads.
            const ADVISED: &str = "SELECT child_id FROM allocation WHERE role = 'personal_adviser' AND to_date IS NULL";
            let mut periods: HashMap<Uuid, Vec<(NaiveDate, Option<NaiveDate>)>> = HashMap::new();
            for r in sqlx::query(sqlx::AssertSqlSafe(format!("SELECT child_id, started_on, ended_on FROM cla_period WHERE child_id IN ({ADVISED})")))
                .fetch_all(&mut *conn).await? {
                periods.entry(r.try_get("child_id")?).or_default().push((r.try_get("started_on")?, r.try_get("ended_on")?));
            }
            let mut contacts: HashMap<Uuid, Vec<ClContact>> = HashMap::new();
            for r in sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM leaving_care_contact WHERE entered_in_error_at IS NULL AND child_id IN ({ADVISED})")))
                .fetch_all(&mut *conn).await? {
                let k = cl_contact_from_row(&r)?;
                contacts.entry(k.child_id).or_default().push(k);
            }
            let mut supported: HashMap<Uuid, Vec<ClSupport>> = HashMap::new();
            for r in sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM leaving_care_support WHERE entered_in_error_at IS NULL AND child_id IN ({ADVISED})")))
                .fetch_all(&mut *conn).await? {
                let x = ClSupport { id: r.try_get("id")?, child_id: r.try_get("child_id")?, requested_on: r.try_get("requested_on")?, words: r.try_get("words")? };
                supported.entry(x.child_id).or_default().push(x);
            }
            let mut items = Vec::new();
            for r in &rows {
                let child: Uuid = r.try_get("child_id")?;
                let dob: NaiveDate = r.try_get("date_of_birth")?;
                let Some(left) = periods.remove(&child).and_then(|p| left_care_as_care_leaver(dob, p)) else { continue };
                let name = format!("{} {}", r.try_get::<String, _>("given_name")?, r.try_get::<String, _>("family_name")?);
                let adviser: String = r.try_get("worker_name")?;
                let theirs = contacts.remove(&child).unwrap_or_default();
                let mut push = |what: String, due: NaiveDate| items.push(domain::work::DueItem {
                    kind: domain::work::WorkKind::LeavingCare, what, due, rag: domain::timescales::Rag::of(due, today), child_id: Some(child), child_name: name.clone(),
                    worker_name: Some(adviser.clone()), link: format!("/children/{child}#leaving-care"),
                });
                if let Some(b) = birthday_contact_due(dob, left, &theirs, today) {
                    push(format!("Keeping in touch around the {}th birthday (903)", b.age), b.window.1);
                }
                if theirs.iter().any(|k| k.in_touch == "DIED") {
                    continue;
                }
                let until = domain::care_leavers::held_until(dob, supported.get(&child).map(Vec::as_slice).unwrap_or_default());
                if today >= until {
                    push(format!("Leaving care support ended at {}: end the personal adviser's allocation", if until == domain::care_leavers::birthday(dob, 21) { "21 (no request for support to 25)" } else { "25" }), until);
                    continue;
                }
                let from: NaiveDate = r.try_get("from_date")?;
                let seen = theirs.iter().filter(|k| k.seen).map(|k| k.contact_on).max();
                let since = seen.unwrap_or(left).max(from.min(today));
                push("Personal adviser visit".into(), since + chrono::Days::new(ADVISER_VISIT_DAYS));
            }
            Ok(items)
        }

        /// The young person's child record, refused for an adult's.
        async fn cl_child(conn: &mut Conn, child_id: Uuid) -> Result<Person, StoreError> {
            let p = fetch_person(conn, child_id).await?;
            if p.details.kind != PersonKind::Child {
                return Err(invalid("child_id", "Leaving care is recorded for a young person on the record"));
            }
            Ok(p)
        }

        #[async_trait::async_trait]
        impl CareLeaversRepository for $store {
            async fn allocate_personal_adviser(&self, actor: Actor, child_id: Uuid, worker_id: Uuid, from: NaiveDate) -> Result<ClAdviser> {
                let mut tx = self.tx().await?;
                let child = cl_child(&mut tx, child_id).await?;
                cl_refuse(domain::care_leavers::validate_adviser(from, child.details.date_of_birth, local_now().date()))?;
                let worker = sqlx::query("SELECT w.name, t.name AS team_name FROM worker w LEFT JOIN team t ON t.id = w.team_id WHERE w.id = $1")
                    .bind(worker_id).fetch_optional(&mut *tx).await?;
                let Some(worker) = worker else { return Err(StoreError::NotFound("worker")) };
                let current = sqlx::query("SELECT id, from_date FROM allocation WHERE child_id = $1 AND role = $2 AND to_date IS NULL")
                    .bind(child_id).bind(ClRole::PersonalAdviser.as_str()).fetch_optional(&mut *tx).await?;
                if let Some(cur) = current {
                    let cur_id: Uuid = cur.try_get("id")?;
                    let cur_from: NaiveDate = cur.try_get("from_date")?;
                    if from <= cur_from {
                        return Err(invalid("from", format!("The new personal adviser's allocation must start after the current one (which started {cur_from})")));
                    }
                    let end = from.pred_opt().expect("a date after another has a day before it");
                    sqlx::query("UPDATE allocation SET to_date = $1 WHERE id = $2").bind(end).bind(cur_id).execute(&mut *tx).await?;
                    audit(&mut tx, actor, AuditAction::Update, "allocation", Some(cur_id), Some(child_id), None,
                        Some(serde_json::json!({"to": end, "role": "personal_adviser"})), "personal adviser's allocation ended").await?;
                }
                let a = ClAdviser {
                    id: new_id(), child_id, worker_id, worker_name: worker.try_get("name")?, team_name: worker.try_get("team_name")?, from, to: None,
                };
                sqlx::query("INSERT INTO allocation (id, child_id, worker_id, from_date, to_date, created_at, role) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(a.id).bind(child_id).bind(worker_id).bind(from).bind(None::<NaiveDate>).bind(now()).bind(ClRole::PersonalAdviser.as_str())
                    .execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Create, "allocation", Some(a.id), Some(child_id), None, Some(to_json(&a)), "personal adviser allocated").await?;
                tx.commit().await?;
                Ok(a)
            }

            async fn record_pathway_plan(&self, actor: Actor, child_id: Uuid, p: ClNewPlan) -> Result<ClPlan> {
                let mut tx = self.tx().await?;
                let child = cl_child(&mut tx, child_id).await?;
                cl_refuse(p.validate(child.details.date_of_birth, local_now().date()))?;
                let current = sqlx::query("SELECT id, plan_date FROM pathway_plan WHERE child_id = $1 AND superseded_by IS NULL")
                    .bind(child_id).fetch_optional(&mut *tx).await?;
                let id = new_id();
                let at = now();
                sqlx::query("INSERT INTO pathway_plan (id, child_id, plan_date, views, goals, review_due, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(id).bind(child_id).bind(p.plan_date).bind(p.views.trim()).bind(p.goals.trim()).bind(p.review_due).bind(at)
                    .execute(&mut *tx).await?;
                let mut actions = Vec::with_capacity(p.actions.len());
                for (i, a) in p.actions.iter().enumerate() {
                    let action = ClAction {
                        id: new_id(), action: a.action.trim().to_string(), owner: a.owner.trim().to_string(), due_on: a.due_on,
                        status: "not_started".into(), progress: String::new(), version: 1,
                    };
                    sqlx::query("INSERT INTO pathway_action (id, plan_id, child_id, position, action, owner, due_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                        .bind(action.id).bind(id).bind(child_id).bind(i as i32).bind(&action.action).bind(&action.owner).bind(action.due_on).bind(at)
                        .execute(&mut *tx).await?;
                    actions.push(action);
                }
                if let Some(cur) = current {
                    let cur_id: Uuid = cur.try_get("id")?;
                    let cur_date: NaiveDate = cur.try_get("plan_date")?;
                    if p.plan_date <= cur_date {
                        return Err(invalid("plan_date", format!("A review must be dated after the current plan (of {})", cur_date.format("%-d %B %Y"))));
                    }
                    sqlx::query("UPDATE pathway_plan SET superseded_by = $1, superseded_on = $2 WHERE id = $3")
                        .bind(id).bind(p.plan_date).bind(cur_id).execute(&mut *tx).await?;
                    audit(&mut tx, actor, AuditAction::Update, "pathway_plan", Some(cur_id), Some(child_id), None,
                        Some(serde_json::json!({"superseded_by": id, "superseded_on": p.plan_date})), "pathway plan reviewed and superseded").await?;
                }
                let plan = ClPlan {
                    id, child_id, plan_date: p.plan_date, views: p.views.trim().to_string(), goals: p.goals.trim().to_string(),
                    review_due: p.review_due, actions, superseded_by: None, superseded_on: None,
                };
                audit(&mut tx, actor, AuditAction::Create, "pathway_plan", Some(id), Some(child_id), None, Some(to_json(&plan)), "pathway plan recorded").await?;
                tx.commit().await?;
                Ok(plan)
            }

            async fn record_keeping_in_touch(&self, actor: Actor, child_id: Uuid, c: ClNewContact) -> Result<ClContact> {
                let mut tx = self.tx().await?;
                cl_child(&mut tx, child_id).await?;
                let left = cl_left_care(&mut tx, child_id).await?;
                cl_refuse(c.validate(left, local_now().date()))?;
                let k = ClContact {
                    id: new_id(), child_id, contact_on: c.contact_on, seen: c.seen, place: c.place.trim().to_string(),
                    words: c.words.trim().to_string(), in_touch: c.in_touch.clone(),
                };
                sqlx::query(
                    "INSERT INTO leaving_care_contact (id, child_id, contact_on, seen, place, words, in_touch, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(k.id).bind(child_id).bind(k.contact_on).bind(k.seen).bind(&k.place).bind(&k.words).bind(&k.in_touch).bind(now())
                .execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Create, "leaving_care_contact", Some(k.id), Some(child_id), None, Some(to_json(&k)), "keeping in touch recorded").await?;
                tx.commit().await?;
                Ok(k)
            }

            async fn record_leaving_care_status(&self, actor: Actor, child_id: Uuid, c: ClNewStatus) -> Result<ClStatus> {
                let mut tx = self.tx().await?;
                let child = cl_child(&mut tx, child_id).await?;
                let left = cl_left_care(&mut tx, child_id).await?;
                cl_refuse(c.validate(child.details.date_of_birth, left, local_now().date()))?;
                let blank = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
                let accommodation = blank(&c.accommodation);
                let s = ClStatus {
                    id: new_id(), child_id, from: c.from, activity: blank(&c.activity),
                    suitable: accommodation.as_ref().and(c.suitable), accommodation,
                };
                sqlx::query(
                    "INSERT INTO leaving_care_status (id, child_id, from_on, activity, accommodation, suitable, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(s.id).bind(child_id).bind(s.from).bind(&s.activity).bind(&s.accommodation).bind(s.suitable).bind(now())
                .execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Create, "leaving_care_status", Some(s.id), Some(child_id), None, Some(to_json(&s)), "activity or accommodation recorded").await?;
                tx.commit().await?;
                Ok(s)
            }

            async fn update_pathway_action(&self, actor: Actor, action_id: Uuid, expected_version: i64, p: domain::child_in_need::ActionProgress) -> Result<ClPlan> {
                cl_refuse(p.validate())?;
                let mut tx = self.tx().await?;
                let plan_id: Uuid = sqlx::query_scalar("SELECT plan_id FROM pathway_action WHERE id = $1").bind(action_id)
                    .fetch_optional(&mut *tx).await?.ok_or(StoreError::NotFound("pathway plan action"))?;
                let plan = cl_plan(&mut tx, plan_id).await?;
                let before = plan.actions.iter().find(|a| a.id == action_id).cloned();
                let actual = before.as_ref().map(|b| b.version).unwrap_or_default();
                if actual != expected_version {
                    return Err(StoreError::Conflict { expected: expected_version, actual });
                }
                sqlx::query("UPDATE pathway_action SET status = $1, progress = $2, version = version + 1 WHERE id = $3 AND version = $4")
                    .bind(&p.status).bind(p.progress.trim()).bind(action_id).bind(expected_version).execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Update, "pathway_action", Some(action_id), Some(plan.child_id), before.map(|b| to_json(&b)), Some(to_json(&p)), "pathway plan action progress").await?;
                let plan = cl_plan(&mut tx, plan_id).await?;
                tx.commit().await?;
                Ok(plan)
            }

            async fn record_needs_assessment(&self, actor: Actor, child_id: Uuid, a: ClNewNeeds) -> Result<ClNeeds> {
                let mut tx = self.tx().await?;
                let child = cl_child(&mut tx, child_id).await?;
                cl_refuse(a.validate(child.details.date_of_birth, local_now().date()))?;
                let n = ClNeeds {
                    id: new_id(), child_id, assessed_on: a.assessed_on, areas: a.areas.clone(),
                    findings: a.findings.trim().to_string(), views: a.views.trim().to_string(),
                };
                sqlx::query("INSERT INTO leaving_care_needs (id, child_id, assessed_on, areas, findings, views, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(n.id).bind(child_id).bind(n.assessed_on).bind(n.areas.join(",")).bind(&n.findings).bind(&n.views).bind(now())
                    .execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Create, "leaving_care_needs", Some(n.id), Some(child_id), None, Some(to_json(&n)), "leaving care needs assessment recorded").await?;
                tx.commit().await?;
                Ok(n)
            }

            async fn record_support_request(&self, actor: Actor, child_id: Uuid, r: ClNewSupport) -> Result<ClSupport> {
                let mut tx = self.tx().await?;
                let child = cl_child(&mut tx, child_id).await?;
                let left = cl_left_care(&mut tx, child_id).await?;
                cl_refuse(r.validate(child.details.date_of_birth, left, local_now().date()))?;
                let x = ClSupport { id: new_id(), child_id, requested_on: r.requested_on, words: r.words.trim().to_string() };
                sqlx::query("INSERT INTO leaving_care_support (id, child_id, requested_on, words, created_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(x.id).bind(child_id).bind(x.requested_on).bind(&x.words).bind(now())
                    .execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Create, "leaving_care_support", Some(x.id), Some(child_id), None, Some(to_json(&x)), "support to 25 requested").await?;
                tx.commit().await?;
                Ok(x)
            }

            async fn care_leaving(&self, child_id: Uuid) -> Result<ClCareLeaving> {
                let mut conn = self.pool.acquire().await?;
                load_for_child(&mut conn, child_id).await
            }
        }
    };
}
pub(crate) use sql;
