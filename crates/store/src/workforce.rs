//! Teams and workers, as a part of the repository: each worker's file (registration, the
//! census's organisational role, hours, the ASYE), joiners, movers (the history kept in
//! `worker_move`), leavers with their reason and destination, and absences. Every change writes
//! its audit entry in the same transaction; a change to a worker first raises the file's
//! version, so that two changes to one worker wait for one another and the second sees the first.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::workforce::caseload::{HeldCase, Standards};
use domain::workforce::supervision::{NewSupervision, Supervision};
use domain::workforce::{
    Absence, NewAbsence, NewJoiner, NewLeaver, NewMove, StaffMember, Team, Worker,
};
use uuid::Uuid;

use crate::{Actor, Result};

#[derive(Debug, Clone)]
pub struct NewWorker {
    pub name: String,
    pub team_id: Option<Uuid>,
    pub role_title: String,
    pub agency: bool,
    pub started: NaiveDate,
}

#[async_trait]
pub trait Workforce: Send + Sync {
    async fn create_team(&self, actor: Actor, name: &str) -> Result<Team>;
    async fn list_teams(&self) -> Result<Vec<Team>>;
    async fn create_worker(&self, actor: Actor, worker: NewWorker) -> Result<Worker>;
    async fn list_workers(&self) -> Result<Vec<Worker>>;
    /// A joiner: a new worker with their file.
    async fn add_joiner(&self, actor: Actor, joiner: NewJoiner) -> Result<StaffMember>;
    /// The worker's file, with their moves and absences.
    async fn staff_member(&self, id: Uuid) -> Result<StaffMember>;
    /// Every worker's file, by name.
    async fn staff(&self) -> Result<Vec<StaffMember>>;
    /// A mover: a change of team, job, hours or employment from a date, kept in the history.
    async fn record_move(&self, actor: Actor, worker: Uuid, change: NewMove)
    -> Result<StaffMember>;
    /// A leaver: the last day, the reason and the destination.
    async fn record_leaver(
        &self,
        actor: Actor,
        worker: Uuid,
        leaver: NewLeaver,
    ) -> Result<StaffMember>;
    /// The cases held on `day`: each social worker's allocation open then, and each co-working,
    /// with whether the child was on a child protection plan or in care proceedings (looked
    /// after on an interim care order) then, by worker.
    async fn cases_held(&self, day: NaiveDate) -> Result<Vec<HeldCase>>;
    /// Pairs of children recorded as siblings (for the weighted caseload's sibling groups).
    async fn sibling_pairs(&self) -> Result<Vec<(Uuid, Uuid)>>;
    /// The council's workforce standards (weights, the ASYE's protected caseload, supervision).
    async fn workforce_standards(&self) -> Result<Standards>;
    async fn set_workforce_standards(
        &self,
        actor: Actor,
        standards: Standards,
    ) -> Result<Standards>;
    /// A second worker on a child's case from `from`, beside its allocated social worker.
    async fn add_co_worker(
        &self,
        actor: Actor,
        child: Uuid,
        worker: Uuid,
        from: NaiveDate,
    ) -> Result<()>;
    /// The co-working ends on `to` (the last day).
    async fn end_co_working(
        &self,
        actor: Actor,
        child: Uuid,
        worker: Uuid,
        to: NaiveDate,
    ) -> Result<()>;
    /// The co-workers on a child's case now.
    async fn co_workers(&self, child: Uuid) -> Result<Vec<(Uuid, String, NaiveDate)>>;
    /// A supervision session: its reflective notes kept to the worker's file, and each case
    /// discussed written onto the child's record as management oversight, in one transaction.
    /// A case discussed must be allocated to the worker (or co-worked by them).
    async fn record_supervision(
        &self,
        actor: Actor,
        worker: Uuid,
        s: NewSupervision,
    ) -> Result<Supervision>;
    /// A worker's sessions, latest first.
    async fn supervisions_of(&self, worker: Uuid) -> Result<Vec<Supervision>>;
    /// Each worker's last session.
    async fn last_supervisions(&self) -> Result<std::collections::HashMap<Uuid, NaiveDate>>;
    /// Vacant posts (FTE) at 30 September, by year, as the council counts them.
    async fn vacancies(&self) -> Result<Vec<(i32, f64)>>;
    /// Sets (or changes) a year's vacancies.
    async fn set_vacancies(&self, actor: Actor, year: i32, fte: f64) -> Result<()>;
    /// A period of absence.
    async fn record_absence(
        &self,
        actor: Actor,
        worker: Uuid,
        absence: NewAbsence,
    ) -> Result<Absence>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use domain::workforce::*;
        use domain::workforce::caseload::{HeldCase, Standards};
        use domain::workforce::supervision::{NewSupervision, Supervision};
        use $crate::workforce::Workforce as WorkforceRepository;

        fn worker_from_row(r: &Row) -> Result<Worker, sqlx::Error> {
            Ok(Worker {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                team_id: r.try_get("team_id")?,
                role_title: r.try_get("role_title")?,
                agency: r.try_get("agency")?,
                started: r.try_get("started")?,
                left: r.try_get("left_on")?,
            })
        }

        fn decode<T>(what: &str, v: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, sqlx::Error> {
            parse(v).ok_or_else(|| sqlx::Error::Decode(format!("unknown {what} {v:?}").into()))
        }

        fn staff_from_row(r: &Row) -> Result<StaffMember, sqlx::Error> {
            let reason: Option<String> = r.try_get("leaving_reason")?;
            let destination: Option<String> = r.try_get("leaving_destination")?;
            Ok(StaffMember {
                worker: worker_from_row(r)?,
                org_role: decode("organisational role", &r.try_get::<String, _>("org_role")?, OrgRole::parse)?,
                fte: r.try_get("fte")?,
                swe_number: r.try_get("swe_number")?,
                asye_started: r.try_get("asye_started")?,
                asye_ended: r.try_get("asye_ended")?,
                leaving_reason: reason.map(|v| decode("leaving reason", &v, LeavingReason::parse)).transpose()?,
                destination: destination.map(|v| decode("destination", &v, Destination::parse)).transpose()?,
                moves: Vec::new(),
                absences: Vec::new(),
            })
        }

        fn move_from_row(r: &Row) -> Result<(Uuid, Move), sqlx::Error> {
            Ok((
                r.try_get("worker_id")?,
                Move {
                    id: r.try_get("id")?,
                    moved_on: r.try_get("moved_on")?,
                    from_team_id: r.try_get("from_team_id")?,
                    team_id: r.try_get("team_id")?,
                    role_title: r.try_get("role_title")?,
                    org_role: decode("organisational role", &r.try_get::<String, _>("org_role")?, OrgRole::parse)?,
                    fte: r.try_get("fte")?,
                    agency: r.try_get("agency")?,
                },
            ))
        }

        fn absence_from_row(r: &Row) -> Result<(Uuid, Absence), sqlx::Error> {
            Ok((
                r.try_get("worker_id")?,
                Absence {
                    id: r.try_get("id")?,
                    first_day: r.try_get("first_day")?,
                    last_day: r.try_get("last_day")?,
                    working_days_lost: r.try_get("working_days_lost")?,
                    reason: decode("absence reason", &r.try_get::<String, _>("reason")?, AbsenceReason::parse)?,
                },
            ))
        }

        /// The file of worker `one` (not found if there is none), or every worker's file, with their moves and absences.
        async fn load_staff(conn: &mut Conn, one: Option<Uuid>) -> Result<Vec<StaffMember>, StoreError> {
            let (w, m, a) = match one {
                Some(_) => (
                    "SELECT * FROM worker WHERE id = $1",
                    "SELECT * FROM worker_move WHERE worker_id = $1 ORDER BY moved_on, created_at",
                    "SELECT * FROM worker_absence WHERE worker_id = $1 ORDER BY first_day, created_at",
                ),
                None => (
                    "SELECT * FROM worker ORDER BY name, id",
                    "SELECT * FROM worker_move ORDER BY moved_on, created_at",
                    "SELECT * FROM worker_absence ORDER BY first_day, created_at",
                ),
            };
            let q = |sql| match one {
                Some(id) => sqlx::query(sql).bind(id),
                None => sqlx::query(sql),
            };
            let rows = q(w).fetch_all(&mut *conn).await?;
            let mut staff: Vec<StaffMember> = rows.iter().map(staff_from_row).collect::<Result<_, _>>()?;
            if one.is_some() && staff.is_empty() {
                return Err(StoreError::NotFound("worker"));
            }
            let index: std::collections::HashMap<Uuid, usize> =
                staff.iter().enumerate().map(|(i, s)| (s.worker.id, i)).collect();
            for r in q(m).fetch_all(&mut *conn).await? {
                let (w, mv) = move_from_row(&r)?;
                if let Some(i) = index.get(&w) {
                    staff[*i].moves.push(mv);
                }
            }
            for r in q(a).fetch_all(&mut *conn).await? {
                let (w, ab) = absence_from_row(&r)?;
                if let Some(i) = index.get(&w) {
                    staff[*i].absences.push(ab);
                }
            }
            Ok(staff)
        }

        fn standards_from_row(r: &Row) -> Result<domain::workforce::caseload::Standards, sqlx::Error> {
            Ok(domain::workforce::caseload::Standards {
                cp_plan: r.try_get("cp_plan")?,
                proceedings: r.try_get("proceedings")?,
                sibling: r.try_get("sibling")?,
                co_working: r.try_get("co_working")?,
                asye_limit: r.try_get::<i32, _>("asye_limit")? as u32,
                supervision_days: r.try_get::<i32, _>("supervision_days")? as u32,
                asye_supervision_days: r.try_get::<i32, _>("asye_supervision_days")? as u32,
            })
        }

        /// Opens a worker's file for a change: raises its version first (so that a second
        /// change to the same worker waits for this one), then reads it.
        async fn open_for_change(conn: &mut Conn, id: Uuid) -> Result<StaffMember, StoreError> {
            let done = sqlx::query("UPDATE worker SET version = version + 1 WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound("worker"));
            }
            Ok(load_staff(conn, Some(id)).await?.remove(0))
        }

        async fn check_team(conn: &mut Conn, team: Option<Uuid>) -> Result<(), StoreError> {
            if let Some(t) = team {
                let found = sqlx::query("SELECT id FROM team WHERE id = $1")
                    .bind(t)
                    .fetch_optional(&mut *conn)
                    .await?;
                if found.is_none() {
                    return Err(invalid("team_id", "Choose a team from the list"));
                }
            }
            Ok(())
        }

        #[async_trait::async_trait]
        impl WorkforceRepository for $store {
            async fn create_team(&self, actor: Actor, name: &str) -> Result<Team> {
                let mut tx = self.tx().await?;
                let team = Team { id: new_id(), name: name.trim().to_string() };
                if team.name.is_empty() {
                    return Err(StoreError::Invalid { field: "name", message: "Enter the team's name".into() });
                }
                sqlx::query("INSERT INTO team (id, name, created_at) VALUES ($1, $2, $3)")
                    .bind(team.id)
                    .bind(&team.name)
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                audit(&mut tx, actor, AuditAction::Create, "team", Some(team.id), None, None, Some(to_json(&team)), "team created").await?;
                tx.commit().await?;
                Ok(team)
            }

            async fn list_teams(&self) -> Result<Vec<Team>> {
                let rows = sqlx::query("SELECT id, name FROM team ORDER BY name").fetch_all(&self.pool).await?;
                Ok(rows
                    .iter()
                    .map(|r| Ok(Team { id: r.try_get("id")?, name: r.try_get("name")? }))
                    .collect::<Result<_, sqlx::Error>>()?)
            }

            async fn create_worker(&self, actor: Actor, w: NewWorker) -> Result<Worker> {
                let mut tx = self.tx().await?;
                let worker = Worker {
                    id: new_id(),
                    name: w.name,
                    team_id: w.team_id,
                    role_title: w.role_title,
                    agency: w.agency,
                    started: w.started,
                    left: None,
                };
                sqlx::query(
                    "INSERT INTO worker (id, name, team_id, role_title, agency, started, left_on, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(worker.id)
                .bind(&worker.name)
                .bind(worker.team_id)
                .bind(&worker.role_title)
                .bind(worker.agency)
                .bind(worker.started)
                .bind(worker.left)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                audit(&mut tx, actor, AuditAction::Create, "worker", Some(worker.id), None, None, Some(to_json(&worker)), "worker added").await?;
                tx.commit().await?;
                Ok(worker)
            }

            async fn list_workers(&self) -> Result<Vec<Worker>> {
                let rows = sqlx::query("SELECT * FROM worker ORDER BY name").fetch_all(&self.pool).await?;
                Ok(rows.iter().map(worker_from_row).collect::<Result<_, _>>()?)
            }

            async fn add_joiner(&self, actor: Actor, j: NewJoiner) -> Result<StaffMember> {
                refuse(j.validate())?;
                let mut tx = self.tx().await?;
                check_team(&mut tx, j.team_id).await?;
                let id = new_id();
                sqlx::query(
                    "INSERT INTO worker (id, name, team_id, role_title, agency, started, left_on, created_at, \
                     swe_number, org_role, fte, asye_started, asye_ended) \
                     VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9, $10, $11, $12)",
                )
                .bind(id)
                .bind(j.name.trim())
                .bind(j.team_id)
                .bind(j.role_title.trim())
                .bind(j.agency)
                .bind(j.started)
                .bind(now())
                .bind(j.swe_number.as_deref().map(normalise_swe))
                .bind(j.org_role.as_str())
                .bind(j.fte)
                .bind(j.asye_started)
                .bind(j.asye_ended)
                .execute(&mut *tx)
                .await?;
                // The history starts with the joiner's team, job, hours and employment, so that
                // what held on any later day is the last entry on or before it.
                sqlx::query(
                    "INSERT INTO worker_move (id, worker_id, moved_on, from_team_id, team_id, role_title, org_role, fte, agency, created_at) \
                     VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9)",
                )
                .bind(new_id())
                .bind(id)
                .bind(j.started)
                .bind(j.team_id)
                .bind(j.role_title.trim())
                .bind(j.org_role.as_str())
                .bind(j.fte)
                .bind(j.agency)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                let member = load_staff(&mut tx, Some(id)).await?.remove(0);
                audit(&mut tx, actor, AuditAction::Create, "worker", Some(id), None, None, Some(to_json(&member)), "joiner: worker started").await?;
                tx.commit().await?;
                Ok(member)
            }

            async fn staff_member(&self, id: Uuid) -> Result<StaffMember> {
                let mut tx = self.read_tx().await?;
                let member = load_staff(&mut tx, Some(id)).await?.remove(0);
                tx.commit().await?;
                Ok(member)
            }

            async fn staff(&self) -> Result<Vec<StaffMember>> {
                let mut tx = self.read_tx().await?;
                let staff = load_staff(&mut tx, None).await?;
                tx.commit().await?;
                Ok(staff)
            }

            async fn record_move(&self, actor: Actor, worker: Uuid, m: NewMove) -> Result<StaffMember> {
                let mut tx = self.tx().await?;
                let before = open_for_change(&mut tx, worker).await?;
                refuse(m.validate(&before))?;
                check_team(&mut tx, m.team_id).await?;
                sqlx::query(
                    "INSERT INTO worker_move (id, worker_id, moved_on, from_team_id, team_id, role_title, org_role, fte, agency, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(new_id())
                .bind(worker)
                .bind(m.moved_on)
                .bind(before.worker.team_id)
                .bind(m.team_id)
                .bind(m.role_title.trim())
                .bind(m.org_role.as_str())
                .bind(m.fte)
                .bind(m.agency)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE worker SET team_id = $2, role_title = $3, org_role = $4, fte = $5, agency = $6 WHERE id = $1")
                    .bind(worker)
                    .bind(m.team_id)
                    .bind(m.role_title.trim())
                    .bind(m.org_role.as_str())
                    .bind(m.fte)
                    .bind(m.agency)
                    .execute(&mut *tx)
                    .await?;
                let after = load_staff(&mut tx, Some(worker)).await?.remove(0);
                audit(&mut tx, actor, AuditAction::Update, "worker", Some(worker), None, Some(to_json(&before)), Some(to_json(&after)), "mover: team, job, hours or employment changed").await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn record_leaver(&self, actor: Actor, worker: Uuid, l: NewLeaver) -> Result<StaffMember> {
                let mut tx = self.tx().await?;
                let before = open_for_change(&mut tx, worker).await?;
                refuse(l.validate(&before, local_now().date()))?;
                sqlx::query("UPDATE worker SET left_on = $2, leaving_reason = $3, leaving_destination = $4 WHERE id = $1")
                    .bind(worker)
                    .bind(l.left)
                    .bind(l.reason.as_str())
                    .bind(l.destination.as_str())
                    .execute(&mut *tx)
                    .await?;
                let after = load_staff(&mut tx, Some(worker)).await?.remove(0);
                audit(&mut tx, actor, AuditAction::Update, "worker", Some(worker), None, Some(to_json(&before)), Some(to_json(&after)), "leaver: worker left").await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn cases_held(&self, day: NaiveDate) -> Result<Vec<HeldCase>> {
                let rows = sqlx::query(
                    "SELECT a.worker_id, a.child_id, a.role, \
                     EXISTS (SELECT 1 FROM cp_plan x WHERE x.child_id = a.child_id AND x.started_on <= $1 \
                             AND (x.ended_on IS NULL OR x.ended_on > $1)) AS cp_plan, \
                     EXISTS (SELECT 1 FROM cla_episode e WHERE e.child_id = a.child_id AND e.legal_status = 'C1' \
                             AND e.started_on <= $1 AND (e.ended_on IS NULL OR e.ended_on > $1)) AS proceedings \
                     FROM (SELECT worker_id, child_id, 'social_worker' AS role, from_date, to_date FROM allocation WHERE role = 'social_worker' \
                           UNION ALL SELECT worker_id, child_id, 'co_worker' AS role, from_date, to_date FROM co_working) a \
                     WHERE a.from_date <= $1 AND (a.to_date IS NULL OR a.to_date >= $1) \
                     ORDER BY a.worker_id, a.child_id",
                )
                .bind(day)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .iter()
                    .map(|r| {
                        Ok(HeldCase {
                            worker_id: r.try_get("worker_id")?,
                            child_id: r.try_get("child_id")?,
                            co_working: r.try_get::<String, _>("role")? == "co_worker",
                            cp_plan: r.try_get("cp_plan")?,
                            proceedings: r.try_get("proceedings")?,
                        })
                    })
                    .collect::<Result<_, sqlx::Error>>()?)
            }

            async fn sibling_pairs(&self) -> Result<Vec<(Uuid, Uuid)>> {
                let rows = sqlx::query("SELECT person_id, related_person_id FROM relationship WHERE kind = 'sibling' AND to_date IS NULL")
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows
                    .iter()
                    .map(|r| Ok((r.try_get("person_id")?, r.try_get("related_person_id")?)))
                    .collect::<Result<_, sqlx::Error>>()?)
            }

            async fn workforce_standards(&self) -> Result<Standards> {
                let r = sqlx::query("SELECT * FROM workforce_standard WHERE id = 1").fetch_one(&self.pool).await?;
                Ok(standards_from_row(&r)?)
            }

            async fn set_workforce_standards(&self, actor: Actor, st: Standards) -> Result<Standards> {
                refuse(st.validate())?;
                let mut tx = self.tx().await?;
                let before = standards_from_row(&sqlx::query("SELECT * FROM workforce_standard WHERE id = 1").fetch_one(&mut *tx).await?)?;
                sqlx::query(
                    "UPDATE workforce_standard SET cp_plan = $1, proceedings = $2, sibling = $3, co_working = $4, \
                     asye_limit = $5, supervision_days = $6, asye_supervision_days = $7 WHERE id = 1",
                )
                .bind(st.cp_plan)
                .bind(st.proceedings)
                .bind(st.sibling)
                .bind(st.co_working)
                .bind(st.asye_limit as i32)
                .bind(st.supervision_days as i32)
                .bind(st.asye_supervision_days as i32)
                .execute(&mut *tx)
                .await?;
                audit(&mut tx, actor, AuditAction::Update, "workforce_standard", None, None, Some(to_json(&before)), Some(to_json(&st)), "workforce standards changed").await?;
                tx.commit().await?;
                Ok(st)
            }

            async fn add_co_worker(&self, actor: Actor, child: Uuid, worker: Uuid, from: NaiveDate) -> Result<()> {
                let mut tx = self.tx().await?;
                let person = fetch_person(&mut tx, child).await?;
                if person.details.kind != PersonKind::Child {
                    return Err(invalid("worker_id", "Only a child's case is co-worked"));
                }
                let member = match load_staff(&mut tx, Some(worker)).await {
                    Ok(mut m) => m.remove(0),
                    Err(StoreError::NotFound(_)) => return Err(invalid("worker_id", "Choose a worker from the list")),
                    Err(e) => return Err(e),
                };
                if !member.in_post(from) {
                    return Err(invalid("worker_id", "The worker is not in post then"));
                }
                if from > local_now().date() {
                    return Err(invalid("from", "The co-working cannot start in the future"));
                }
                let current: Vec<(Uuid, String)> = sqlx::query(
                    "SELECT worker_id, role FROM allocation WHERE child_id = $1 AND to_date IS NULL AND role = 'social_worker' \
                     UNION ALL SELECT worker_id, 'co_worker' AS role FROM co_working WHERE child_id = $1 AND to_date IS NULL")
                    .bind(child)
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|r| Ok((r.try_get("worker_id")?, r.try_get("role")?)))
                    .collect::<Result<_, sqlx::Error>>()?;
                if !current.iter().any(|(_, r)| r == "social_worker") {
                    return Err(invalid("worker_id", "The child has no allocated social worker to co-work with"));
                }
                if current.iter().any(|(w, _)| *w == worker) {
                    return Err(invalid("worker_id", "The worker already holds or co-works the case"));
                }
                let id = new_id();
                sqlx::query("INSERT INTO co_working (id, child_id, worker_id, from_date, to_date, created_at) VALUES ($1, $2, $3, $4, NULL, $5)")
                    .bind(id)
                    .bind(child)
                    .bind(worker)
                    .bind(from)
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                audit(&mut tx, actor, AuditAction::Create, "co_working", Some(id), Some(child), None,
                    Some(serde_json::json!({"worker_id": worker, "from": from})), "co-worker added").await?;
                tx.commit().await?;
                Ok(())
            }

            async fn end_co_working(&self, actor: Actor, child: Uuid, worker: Uuid, to: NaiveDate) -> Result<()> {
                let mut tx = self.tx().await?;
                let row = sqlx::query("SELECT id, from_date FROM co_working WHERE child_id = $1 AND worker_id = $2 AND to_date IS NULL")
                    .bind(child)
                    .bind(worker)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(row) = row else {
                    return Err(invalid("worker_id", "Choose a worker who co-works the case"));
                };
                let id: Uuid = row.try_get("id")?;
                let from: NaiveDate = row.try_get("from_date")?;
                if to < from {
                    return Err(invalid("to", "The co-working cannot end before it began"));
                }
                if to > local_now().date() {
                    return Err(invalid("to", "The co-working cannot end in the future"));
                }
                sqlx::query("UPDATE co_working SET to_date = $1 WHERE id = $2").bind(to).bind(id).execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Update, "co_working", Some(id), Some(child), None,
                    Some(serde_json::json!({"to": to})), "co-working ended").await?;
                tx.commit().await?;
                Ok(())
            }

            async fn co_workers(&self, child: Uuid) -> Result<Vec<(Uuid, String, NaiveDate)>> {
                let rows = sqlx::query("SELECT a.worker_id, w.name, a.from_date FROM co_working a JOIN worker w ON w.id = a.worker_id \
                     WHERE a.child_id = $1 AND a.to_date IS NULL ORDER BY a.from_date, w.name")
                    .bind(child)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows
                    .iter()
                    .map(|r| Ok((r.try_get("worker_id")?, r.try_get("name")?, r.try_get("from_date")?)))
                    .collect::<Result<_, sqlx::Error>>()?)
            }

            async fn record_supervision(&self, actor: Actor, worker: Uuid, s: NewSupervision) -> Result<Supervision> {
                let mut tx = self.tx().await?;
                let member = open_for_change(&mut tx, worker).await?;
                refuse(s.validate(&member, local_now().date()))?;
                let supervisor = match load_staff(&mut tx, Some(s.supervisor_id)).await {
                    Ok(mut m) => m.remove(0),
                    Err(StoreError::NotFound(_)) => return Err(invalid("supervisor", "Choose the supervisor from the list")),
                    Err(e) => return Err(e),
                };
                let id = new_id();
                sqlx::query("INSERT INTO supervision (id, worker_id, supervisor_id, held_on, reflection, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(id)
                    .bind(worker)
                    .bind(s.supervisor_id)
                    .bind(s.held_on)
                    .bind(s.reflection.trim())
                    .bind(actor.0)
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                // The session's own entry says when and who, not what was reflected on.
                audit(&mut tx, actor, AuditAction::Create, "supervision", Some(id), None, None,
                    Some(serde_json::json!({"worker_id": worker, "supervisor_id": s.supervisor_id, "held_on": s.held_on, "cases": s.discussions.len()})),
                    "supervision recorded").await?;
                let mut cases = Vec::new();
                for (i, d) in s.discussions.iter().enumerate() {
                    let field: &'static str = ["case_1", "case_2", "case_3", "case_4", "case_5"].get(i).copied().unwrap_or("case_1");
                    let held: Option<Uuid> = sqlx::query_scalar(
                        "SELECT id FROM allocation WHERE child_id = $1 AND worker_id = $2 AND role = 'social_worker' \
                         AND from_date <= $3 AND (to_date IS NULL OR to_date >= $3) \
                         UNION ALL SELECT id FROM co_working WHERE child_id = $1 AND worker_id = $2 \
                         AND from_date <= $3 AND (to_date IS NULL OR to_date >= $3)",
                    )
                    .bind(d.child_id)
                    .bind(worker)
                    .bind(s.held_on)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if held.is_none() {
                        return Err(invalid(field, "A case discussed must be one the worker held on the day of the session"));
                    }
                    let child = fetch_person(&mut tx, d.child_id).await?;
                    let mut e = Vec::new();
                    domain::validate::not_before_birth(&mut e, "held_on", s.held_on, child.details.date_of_birth);
                    refuse(e)?;
                    let note_id = new_id();
                    let text = format!("Case discussed in supervision of {} by {}.", member.worker.name, supervisor.worker.name);
                    sqlx::query(
                        "INSERT INTO note (id, child_id, kind, note_date, child_seen, seen_alone, childs_words, observation, body, \
                         decision, rationale, recorded_by, created_at) VALUES ($1, $2, 'oversight', $3, NULL, NULL, '', '', $4, $5, $6, $7, $8)",
                    )
                    .bind(note_id)
                    .bind(d.child_id)
                    .bind(s.held_on)
                    .bind(&text)
                    .bind(d.decision.trim())
                    .bind(d.rationale.trim())
                    .bind(actor.0)
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                    audit(&mut tx, actor, AuditAction::Create, "note", Some(note_id), Some(d.child_id), None,
                        Some(serde_json::json!({"kind": "oversight", "date": s.held_on, "text": text, "decision": d.decision.trim(), "rationale": d.rationale.trim(), "supervision_id": id})),
                        "management oversight recorded (case discussed in supervision)").await?;
                    sqlx::query("INSERT INTO supervision_case (id, supervision_id, child_id, note_id, created_at) VALUES ($1, $2, $3, $4, $5)")
                        .bind(new_id())
                        .bind(id)
                        .bind(d.child_id)
                        .bind(note_id)
                        .bind(now())
                        .execute(&mut *tx)
                        .await?;
                    cases.push((d.child_id, note_id));
                }
                tx.commit().await?;
                Ok(Supervision { id, worker_id: worker, supervisor_id: s.supervisor_id, held_on: s.held_on, reflection: s.reflection.trim().to_string(), cases })
            }

            async fn supervisions_of(&self, worker: Uuid) -> Result<Vec<Supervision>> {
                let rows = sqlx::query("SELECT * FROM supervision WHERE worker_id = $1 ORDER BY held_on DESC, created_at DESC")
                    .bind(worker)
                    .fetch_all(&self.pool)
                    .await?;
                let cases = sqlx::query("SELECT c.supervision_id, c.child_id, c.note_id FROM supervision_case c JOIN supervision s ON s.id = c.supervision_id \
                     WHERE s.worker_id = $1 ORDER BY c.created_at")
                    .bind(worker)
                    .fetch_all(&self.pool)
                    .await?;
                let mut out = Vec::new();
                for r in &rows {
                    let id: Uuid = r.try_get("id")?;
                    let mut of = Vec::new();
                    for c in &cases {
                        if c.try_get::<Uuid, _>("supervision_id")? == id {
                            of.push((c.try_get("child_id")?, c.try_get("note_id")?));
                        }
                    }
                    out.push(Supervision {
                        id,
                        worker_id: r.try_get("worker_id")?,
                        supervisor_id: r.try_get("supervisor_id")?,
                        held_on: r.try_get("held_on")?,
                        reflection: r.try_get("reflection")?,
                        cases: of,
                    });
                }
                Ok(out)
            }

            async fn vacancies(&self) -> Result<Vec<(i32, f64)>> {
                let rows = sqlx::query("SELECT year, fte FROM workforce_vacancy ORDER BY year").fetch_all(&self.pool).await?;
                Ok(rows
                    .iter()
                    .map(|r| Ok((r.try_get::<i32, _>("year")?, r.try_get("fte")?)))
                    .collect::<Result<_, sqlx::Error>>()?)
            }

            async fn set_vacancies(&self, actor: Actor, year: i32, fte: f64) -> Result<()> {
                if !(2000..=2100).contains(&year) {
                    return Err(invalid("year", "Enter the census year, for example 2025"));
                }
                if !(fte.is_finite() && (0.0..=10_000.0).contains(&fte)) {
                    return Err(invalid("vacancies", "Enter the vacant posts as a number of full-time equivalents, 0 or more"));
                }
                let mut tx = self.tx().await?;
                let before: Option<f64> = sqlx::query_scalar("SELECT fte FROM workforce_vacancy WHERE year = $1")
                    .bind(year)
                    .fetch_optional(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO workforce_vacancy (year, fte, updated_at) VALUES ($1, $2, $3) \
                             ON CONFLICT (year) DO UPDATE SET fte = excluded.fte, updated_at = excluded.updated_at")
                    .bind(year)
                    .bind(fte)
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                audit(&mut tx, actor, if before.is_some() { AuditAction::Update } else { AuditAction::Create }, "workforce_vacancy", None, None,
                    before.map(|b| serde_json::json!({"year": year, "fte": b})), Some(serde_json::json!({"year": year, "fte": fte})),
                    &format!("vacancies at 30 September {year} recorded")).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn last_supervisions(&self) -> Result<std::collections::HashMap<Uuid, NaiveDate>> {
                let rows = sqlx::query("SELECT worker_id, MAX(held_on) AS last FROM supervision GROUP BY worker_id")
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows
                    .iter()
                    .map(|r| Ok((r.try_get("worker_id")?, r.try_get("last")?)))
                    .collect::<Result<_, sqlx::Error>>()?)
            }

            async fn record_absence(&self, actor: Actor, worker: Uuid, a: NewAbsence) -> Result<Absence> {
                let mut tx = self.tx().await?;
                let member = open_for_change(&mut tx, worker).await?;
                refuse(a.validate(&member, local_now().date()))?;
                let absence = Absence {
                    id: new_id(),
                    first_day: a.first_day,
                    last_day: a.last_day,
                    working_days_lost: a.working_days_lost,
                    reason: a.reason,
                };
                sqlx::query(
                    "INSERT INTO worker_absence (id, worker_id, first_day, last_day, working_days_lost, reason, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(absence.id)
                .bind(worker)
                .bind(absence.first_day)
                .bind(absence.last_day)
                .bind(absence.working_days_lost)
                .bind(absence.reason.as_str())
                .bind(now())
                .execute(&mut *tx)
                .await?;
                audit(&mut tx, actor, AuditAction::Create, "worker_absence", Some(absence.id), None, None, Some(to_json(&absence)), &format!("absence recorded for worker {worker}")).await?;
                tx.commit().await?;
                Ok(absence)
            }
        }
    };
}
pub(crate) use sql;
