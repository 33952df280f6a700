//! Care leavers, as a part of the repository: the personal adviser's allocation (an allocation
//! with the role `personal_adviser`, beside the social worker's), pathway plans (a review
//! records a new plan and supersedes the current one, which is kept) and keeping in touch with
//! a young person who has left care. Every change writes its audit entry in the same
//! transaction.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::care_leavers::{
    AdviserAllocation, CareLeaving, KeepingInTouch, NewKeepingInTouch, NewPathwayPlan,
    PathwayPlan,
};
use uuid::Uuid;

use crate::{Actor, Result};

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
    /// The young person's leaving care part, without an access entry (the child's page reads
    /// it with the record, which writes one).
    async fn care_leaving(&self, child_id: Uuid) -> Result<CareLeaving>;
}

/// Adds a young person's leaving care to the chronology.
pub(crate) fn add_to_chronology(
    out: &mut Vec<domain::chronology::ChronologyEntry>,
    c: &CareLeaving,
) {
    use domain::care_leavers::{IN_TOUCH, label};
    let mut push = |date: NaiveDate, summary: String| {
        out.push(domain::chronology::ChronologyEntry {
            date,
            at: date.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc(),
            category: "Leaving care".into(),
            summary,
            recorded_by: None,
        })
    };
    for a in &c.advisers {
        push(a.from, format!("Personal adviser allocated: {}", a.worker_name));
    }
    for p in &c.plans {
        push(
            p.plan_date,
            format!("Pathway plan (review due {})", p.review_due.format("%-d %B %Y")),
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
    out.sort_by(|a, b| b.date.cmp(&a.date).then(b.at.cmp(&a.at)));
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!`.
macro_rules! sql {
    ($store:ty) => {
        use domain::care_leavers::{
            AdviserAllocation as ClAdviser, AllocationRole as ClRole, CareLeaving as ClCareLeaving,
            KeepingInTouch as ClContact, NewKeepingInTouch as ClNewContact, NewPathwayPlan as ClNewPlan,
            PathwayAction as ClAction, PathwayPlan as ClPlan,
        };
        use $crate::care_leavers::CareLeavers as CareLeaversRepository;

        /// Refuses what the domain's validation refuses, naming the first field at fault.
        fn cl_refuse(errors: Vec<domain::validate::FieldError>) -> Result<(), StoreError> {
            const FIELDS: &[&str] = &[
                "from", "plan_date", "views", "goals", "actions", "review_due", "contact_on", "place", "words",
                "in_touch", "activity", "accommodation", "suitable",
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
                activity: r.try_get("activity")?,
                accommodation: r.try_get("accommodation")?,
                suitable: r.try_get("suitable")?,
            })
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
                actions.entry(r.try_get("plan_id")?).or_default().push(ClAction {
                    id: r.try_get("id")?,
                    action: r.try_get("action")?,
                    owner: r.try_get("owner")?,
                    due_on: r.try_get("due_on")?,
                });
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
            let contacts = sqlx::query("SELECT * FROM leaving_care_contact WHERE child_id = $1 ORDER BY contact_on DESC, created_at DESC")
                .bind(child).fetch_all(&mut *conn).await?
                .iter().map(cl_contact_from_row).collect::<Result<Vec<_>, _>>()?;
            Ok(ClCareLeaving { advisers, plans, contacts })
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
                    let action = ClAction { id: new_id(), action: a.action.trim().to_string(), owner: a.owner.trim().to_string(), due_on: a.due_on };
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
                // Left care: the end of the last episode, when none is open.
                let row = sqlx::query(
                    "SELECT MAX(ended_on) AS left_on, SUM(CASE WHEN ended_on IS NULL THEN 1 ELSE 0 END) AS open FROM cla_episode WHERE child_id = $1",
                )
                .bind(child_id).fetch_one(&mut *tx).await?;
                let open: Option<i64> = row.try_get("open")?;
                let left: Option<NaiveDate> = if open.unwrap_or(0) > 0 { None } else { row.try_get("left_on")? };
                cl_refuse(c.validate(left, local_now().date()))?;
                let blank = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
                let k = ClContact {
                    id: new_id(), child_id, contact_on: c.contact_on, seen: c.seen, place: c.place.trim().to_string(),
                    words: c.words.trim().to_string(), in_touch: c.in_touch.clone(), activity: blank(&c.activity),
                    suitable: if blank(&c.accommodation).is_some() { c.suitable } else { None },
                    accommodation: blank(&c.accommodation),
                };
                sqlx::query(
                    "INSERT INTO leaving_care_contact (id, child_id, contact_on, seen, place, words, in_touch, activity, accommodation, suitable, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(k.id).bind(child_id).bind(k.contact_on).bind(k.seen).bind(&k.place).bind(&k.words).bind(&k.in_touch)
                .bind(&k.activity).bind(&k.accommodation).bind(k.suitable).bind(now())
                .execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Create, "leaving_care_contact", Some(k.id), Some(child_id), None, Some(to_json(&k)), "keeping in touch recorded").await?;
                tx.commit().await?;
                Ok(k)
            }

            async fn care_leaving(&self, child_id: Uuid) -> Result<ClCareLeaving> {
                let mut conn = self.pool.acquire().await?;
                load_for_child(&mut conn, child_id).await
            }
        }
    };
}
pub(crate) use sql;
