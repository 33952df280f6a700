//! Private fostering, as a part of the repository: notifications of arrangements, the council's
//! assessment of their suitability, visits to the children and the end of an arrangement (the
//! visits that are due are in [`crate::work`]). Every change writes its audit entry for the child
//! in the same transaction.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::chronology::ChronologyEntry;
use domain::private_fostering::{
    Arrangement, ArrangementEnd, Assessment, NewArrangement, NewVisit, VisitKind,
};
use uuid::Uuid;

use crate::{Actor, Result};

#[async_trait]
pub trait PrivateFostering: Send + Sync {
    /// The child an arrangement is for, for access checks.
    async fn pf_arrangement_child(&self, id: Uuid) -> Result<Uuid>;
    /// Records the notification of an arrangement for a child on the record (under 16, or under
    /// 18 if disabled); a child has one open arrangement at a time.
    async fn record_pf_notification(
        &self,
        actor: Actor,
        child_id: Uuid,
        arrangement: NewArrangement,
    ) -> Result<Arrangement>;
    /// Records the council's assessment of the arrangement's suitability (once).
    async fn assess_pf_arrangement(
        &self,
        actor: Actor,
        id: Uuid,
        assessment: Assessment,
    ) -> Result<Arrangement>;
    /// Records a visit. The first at which the child was seen is the initial visit; the rest are
    /// statutory visits.
    async fn record_pf_visit(
        &self,
        actor: Actor,
        arrangement_id: Uuid,
        visit: NewVisit,
    ) -> Result<Arrangement>;
    async fn end_pf_arrangement(
        &self,
        actor: Actor,
        id: Uuid,
        end: ArrangementEnd,
    ) -> Result<Arrangement>;
    /// One arrangement with its visits, without an access entry: for forms and checks.
    async fn get_pf_arrangement(&self, id: Uuid) -> Result<Arrangement>;
    /// A child's arrangements with their visits, newest first, without an access entry (the
    /// child's page reads them with the record, which writes one).
    async fn pf_arrangements(&self, child_id: Uuid) -> Result<Vec<Arrangement>>;
}

/// Adds a child's private fostering to the chronology: notifications, assessments, visits and
/// ends of arrangements.
pub(crate) fn add_to_chronology(out: &mut Vec<ChronologyEntry>, arrangements: &[Arrangement]) {
    use domain::private_fostering::{CARER_RELATIONSHIPS, END_REASONS, SUITABILITY, label};
    let mut push = |date: NaiveDate, summary: String| {
        out.push(ChronologyEntry {
            date,
            at: date
                .and_hms_opt(0, 0, 0)
                .expect("midnight exists")
                .and_utc(),
            category: "Private fostering".into(),
            summary,
            recorded_by: None,
            source: None,
        })
    };
    for a in arrangements {
        push(
            a.notified_on,
            format!(
                "Private fostering arrangement notified ({}, {})",
                label(CARER_RELATIONSHIPS, &a.carer_relationship).to_lowercase(),
                if a.existing() {
                    format!("living there since {}", a.starts_on.format("%-d %B %Y"))
                } else {
                    format!("to start {}", a.starts_on.format("%-d %B %Y"))
                }
            ),
        );
        if let (Some(on), Some(outcome)) = (a.assessed_on, &a.suitability) {
            push(
                on,
                format!(
                    "Private fostering assessment: {}",
                    label(SUITABILITY, outcome).to_lowercase()
                ),
            );
        }
        for v in &a.visits {
            let seen = match (v.child_seen, v.seen_alone) {
                (true, true) => "child seen alone",
                (true, false) => "child seen, not alone",
                (false, _) => "child not seen",
            };
            let kind = match v.kind {
                VisitKind::Initial => "Private fostering initial visit",
                VisitKind::Statutory => "Private fostering visit",
            };
            push(v.visited_on, format!("{kind}: {seen}"));
        }
        if let (Some(on), Some(reason)) = (a.ended_on, &a.end_reason) {
            push(
                on,
                format!(
                    "Private fostering arrangement ended: {}",
                    label(END_REASONS, reason).to_lowercase()
                ),
            );
        }
    }
    out.sort_by(|a, b| b.date.cmp(&a.date).then(b.at.cmp(&a.at)));
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use domain::private_fostering::{
            Arrangement as PfArrangement, ArrangementEnd as PfEnd, Assessment as PfAssessment, NewArrangement as PfNew,
            NewVisit as PfNewVisit, Visit as PfVisit, VisitKind as PfVisitKind,
        };
        use $crate::private_fostering::PrivateFostering as PrivateFosteringRepository;

        /// Refuses what the domain's validation refuses, naming the first field at fault.
        fn pf_refuse(errors: Vec<domain::validate::FieldError>) -> Result<(), StoreError> {
            const FIELDS: &[&str] = &[
                "notified", "notified_by", "start", "expected_end", "carer_relationship", "carer", "reason", "assessed",
                "suitability", "ended", "end_reason", "end_notified", "visited", "seen_alone", "not_alone_reason",
                "childs_words", "report",
            ];
            match errors.into_iter().next() {
                None => Ok(()),
                Some(e) => Err(StoreError::Invalid {
                    field: FIELDS.iter().find(|f| **f == e.field).copied().unwrap_or("input"),
                    message: e.message,
                }),
            }
        }

        fn pf_visit_from_row(r: &Row) -> Result<PfVisit, sqlx::Error> {
            let kind: String = r.try_get("kind")?;
            Ok(PfVisit {
                id: r.try_get("id")?,
                arrangement_id: r.try_get("arrangement_id")?,
                child_id: r.try_get("child_id")?,
                visited_on: r.try_get("visited_on")?,
                kind: PfVisitKind::parse(&kind).ok_or_else(|| $crate::sql::bad_column("kind", &kind))?,
                child_seen: r.try_get("child_seen")?,
                seen_alone: r.try_get("seen_alone")?,
                not_alone_reason: r.try_get("not_alone_reason")?,
                childs_words: r.try_get("childs_words")?,
                observation: r.try_get("observation")?,
                report: r.try_get("report")?,
            })
        }

        fn pf_arrangement_from_row(r: &Row, visits: Vec<PfVisit>) -> Result<PfArrangement, sqlx::Error> {
            Ok(PfArrangement {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                notified_on: r.try_get("notified_on")?,
                notified_by: r.try_get("notified_by")?,
                starts_on: r.try_get("starts_on")?,
                expected_end: r.try_get("expected_end")?,
                carer_relationship: r.try_get("carer_relationship")?,
                carer: r.try_get("carer")?,
                reason: r.try_get("reason")?,
                assessed_on: r.try_get("assessed_on")?,
                suitability: r.try_get("suitability")?,
                ended_on: r.try_get("ended_on")?,
                end_reason: r.try_get("end_reason")?,
                end_notified_on: r.try_get("end_notified_on")?,
                visits,
            })
        }

        async fn fetch_pf_arrangement(conn: &mut Conn, id: Uuid) -> Result<PfArrangement, StoreError> {
            let r = sqlx::query("SELECT * FROM pf_arrangement WHERE id = $1").bind(id).fetch_one(&mut *conn).await
                .map_err(not_found("private fostering arrangement"))?;
            let visits = sqlx::query("SELECT * FROM pf_visit WHERE arrangement_id = $1 ORDER BY visited_on, created_at")
                .bind(id).fetch_all(&mut *conn).await?.iter().map(pf_visit_from_row).collect::<Result<Vec<_>, _>>()?;
            Ok(pf_arrangement_from_row(&r, visits)?)
        }

        /// A child's private fostering arrangements, newest first, for the child's page
        /// (read in the caller's transaction).
        pub(super) async fn load_for_child(conn: &mut Conn, child: Uuid) -> Result<Vec<PfArrangement>, StoreError> {
            let mut visits: std::collections::HashMap<Uuid, Vec<PfVisit>> = std::collections::HashMap::new();
            for r in sqlx::query("SELECT * FROM pf_visit WHERE child_id = $1 ORDER BY visited_on, created_at").bind(child).fetch_all(&mut *conn).await? {
                let v = pf_visit_from_row(&r)?;
                visits.entry(v.arrangement_id).or_default().push(v);
            }
            let rows = sqlx::query("SELECT * FROM pf_arrangement WHERE child_id = $1 ORDER BY notified_on DESC, created_at DESC")
                .bind(child).fetch_all(&mut *conn).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let id: Uuid = r.try_get("id")?;
                out.push(pf_arrangement_from_row(r, visits.remove(&id).unwrap_or_default())?);
            }
            Ok(out)
        }

        /// Every arrangement with the dates of the visits at which the child was seen, for the
        /// performance report.
        pub(super) async fn extract_rows(conn: &mut Conn) -> Result<Vec<domain::extract::PrivateFosteringRow>, StoreError> {
            let mut seen: std::collections::HashMap<Uuid, Vec<NaiveDate>> = std::collections::HashMap::new();
            for r in sqlx::query("SELECT arrangement_id, visited_on FROM pf_visit WHERE child_seen = $1 ORDER BY visited_on").bind(true).fetch_all(&mut *conn).await? {
                seen.entry(r.try_get("arrangement_id")?).or_default().push(r.try_get("visited_on")?);
            }
            Ok(sqlx::query("SELECT id, child_id, notified_on, starts_on, ended_on FROM pf_arrangement")
                .fetch_all(&mut *conn).await?.iter()
                .map(|r| {
                    let id: Uuid = r.try_get("id")?;
                    Ok(domain::extract::PrivateFosteringRow {
                        child: r.try_get("child_id")?,
                        notified: r.try_get("notified_on")?,
                        starts: r.try_get("starts_on")?,
                        ended: r.try_get("ended_on")?,
                        seen: seen.remove(&id).unwrap_or_default(),
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?)
        }

        #[async_trait::async_trait]
        impl PrivateFosteringRepository for $store {
            async fn pf_arrangement_child(&self, id: Uuid) -> Result<Uuid> {
                let child: Option<Uuid> = sqlx::query_scalar("SELECT child_id FROM pf_arrangement WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
                child.ok_or(StoreError::NotFound("private fostering arrangement"))
            }

            async fn record_pf_notification(&self, actor: Actor, child_id: Uuid, a: PfNew) -> Result<PfArrangement> {
                let mut tx = self.tx().await?;
                let p = fetch_person(&mut tx, child_id).await?;
                if p.details.kind != PersonKind::Child {
                    return Err(invalid("child_id", "Private fostering is for a child on the record"));
                }
                let disabled = p.details.disabilities.iter().any(|d| d != "NONE");
                pf_refuse(a.validate(local_now().date(), p.details.date_of_birth, disabled))?;
                let open: Option<Uuid> = sqlx::query_scalar("SELECT id FROM pf_arrangement WHERE child_id = $1 AND ended_on IS NULL")
                    .bind(child_id).fetch_optional(&mut *tx).await?;
                if open.is_some() {
                    return Err(invalid("notified", "The child already has an open private fostering arrangement: end it first"));
                }
                let id = new_id();
                sqlx::query(
                    "INSERT INTO pf_arrangement (id, child_id, notified_on, notified_by, starts_on, expected_end, carer_relationship, carer, reason, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(id).bind(child_id).bind(a.notified_on).bind(&a.notified_by).bind(a.starts_on).bind(a.expected_end)
                .bind(&a.carer_relationship).bind(a.carer.trim()).bind(a.reason.trim()).bind(now())
                .execute(&mut *tx).await?;
                let after = fetch_pf_arrangement(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Create, "pf_arrangement", Some(id), Some(child_id), None, Some(to_json(&after)),
                    "private fostering arrangement notified").await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn assess_pf_arrangement(&self, actor: Actor, id: Uuid, s: PfAssessment) -> Result<PfArrangement> {
                let mut tx = self.tx().await?;
                let before = fetch_pf_arrangement(&mut tx, id).await?;
                pf_refuse(s.validate(before.notified_on, local_now().date()))?;
                if before.assessed_on.is_some() {
                    return Err(invalid("assessed", "The arrangement has already been assessed"));
                }
                sqlx::query("UPDATE pf_arrangement SET assessed_on = $1, suitability = $2 WHERE id = $3")
                    .bind(s.assessed_on).bind(&s.outcome).bind(id).execute(&mut *tx).await?;
                let after = fetch_pf_arrangement(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Update, "pf_arrangement", Some(id), Some(after.child_id), None, Some(to_json(&s)),
                    "private fostering arrangement assessed").await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn record_pf_visit(&self, actor: Actor, arrangement_id: Uuid, v: PfNewVisit) -> Result<PfArrangement> {
                let mut tx = self.tx().await?;
                let a = fetch_pf_arrangement(&mut tx, arrangement_id).await?;
                pf_refuse(v.validate(a.notified_on, local_now().date()))?;
                if a.ended_on.is_some_and(|e| v.visited_on > e) {
                    return Err(invalid("visited", "The arrangement had ended by then"));
                }
                // The initial visit is the first at which the child was seen.
                let kind = if v.child_seen && !a.visits.iter().any(|x| x.child_seen && x.visited_on <= v.visited_on) {
                    PfVisitKind::Initial
                } else {
                    PfVisitKind::Statutory
                };
                let id = new_id();
                sqlx::query(
                    "INSERT INTO pf_visit (id, arrangement_id, child_id, visited_on, kind, child_seen, seen_alone, not_alone_reason, childs_words, observation, report, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(id).bind(arrangement_id).bind(a.child_id).bind(v.visited_on).bind(kind.as_str()).bind(v.child_seen).bind(v.seen_alone)
                .bind(v.not_alone_reason.trim()).bind(v.childs_words.trim()).bind(v.observation.trim()).bind(v.report.trim()).bind(now())
                .execute(&mut *tx).await?;
                let after = fetch_pf_arrangement(&mut tx, arrangement_id).await?;
                let saved = after.visits.iter().find(|x| x.id == id).map(to_json);
                audit(&mut tx, actor, AuditAction::Create, "pf_visit", Some(id), Some(a.child_id), None, saved,
                    if kind == PfVisitKind::Initial { "private fostering initial visit" } else { "private fostering visit" }).await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn end_pf_arrangement(&self, actor: Actor, id: Uuid, end: PfEnd) -> Result<PfArrangement> {
                let mut tx = self.tx().await?;
                let before = fetch_pf_arrangement(&mut tx, id).await?;
                pf_refuse(end.validate(before.notified_on, local_now().date()))?;
                if before.ended_on.is_some() {
                    return Err(invalid("ended", "The arrangement has already ended"));
                }
                if before.visits.iter().any(|v| v.visited_on > end.ended_on) {
                    return Err(invalid("ended", "A visit is recorded after that date"));
                }
                sqlx::query("UPDATE pf_arrangement SET ended_on = $1, end_reason = $2, end_notified_on = $3 WHERE id = $4")
                    .bind(end.ended_on).bind(&end.reason).bind(end.notified_on).bind(id).execute(&mut *tx).await?;
                let after = fetch_pf_arrangement(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Update, "pf_arrangement", Some(id), Some(after.child_id), None, Some(to_json(&end)),
                    "private fostering arrangement ended").await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn get_pf_arrangement(&self, id: Uuid) -> Result<PfArrangement> {
                let mut conn = self.pool.acquire().await?;
                fetch_pf_arrangement(&mut conn, id).await
            }

            async fn pf_arrangements(&self, child_id: Uuid) -> Result<Vec<PfArrangement>> {
                let mut conn = self.pool.acquire().await?;
                load_for_child(&mut conn, child_id).await
            }
        }
    };
}
pub(crate) use sql;
