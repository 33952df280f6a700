//! Looked-after reviews, health and missing episodes, as a part of the repository: the IRO's
//! review (a `cla_review` row, as the 903 return and the child's page read it, with the child's
//! views and who chaired) and recommendations tracked to completion; health assessments, dental
//! checks and SDQs as they happen, each also gathered into the child's `cla_health` row for the
//! collection year (the 903's OC2); missing and away episodes (`cla_missing`, on the chronology)
//! with the return home interview. Every change writes its audit entry in the same transaction.

use async_trait::async_trait;
use domain::looked_after::health::{
    HealthCheck, MissingEpisode, MissingReturn, NewHealthCheck, NewMissing, NewOc2Event, NewSdq,
    Oc2Event, Sdq,
};
use domain::looked_after::reviews::{CareReview, NewReview, Recommendation, RecommendationDone};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::correction::{Col, Correct, Correctable, column, field};
use crate::{Actor, Result};

/// A conviction or substance misuse (the 903's OC2 items) can be corrected; what it is (its
/// kind) cannot be amended. One entered in error is left out of the 903.
pub static OC2_EVENT: Correctable = Correctable {
    kind: "cla_oc2_event",
    table: "cla_oc2_event",
    id_column: "id",
    label: "conviction or substance misuse",
    fields: &[
        field("kind", Col::Text),
        column("happened_on", "happened_on", Col::Date),
        field("intervention_received", Col::OptBool),
        field("intervention_offered", Col::OptBool),
        field("note", Col::Text),
    ],
    fixed: &["kind"],
    may_enter_in_error: true,
};

impl Correct for NewOc2Event {
    const RECORD: &'static Correctable = &OC2_EVENT;
    fn validate(&self, f: &crate::correction::ChildFacts) -> Vec<domain::validate::FieldError> {
        NewOc2Event::validate(self, f.date_of_birth, f.entered_care, f.today)
    }
}

/// What the reviews, health and missing forms show of a child in care.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareReviews {
    /// Oldest first, each with its recommendations.
    pub reviews: Vec<CareReview>,
    pub health_checks: Vec<HealthCheck>,
    pub sdqs: Vec<Sdq>,
    pub missing: Vec<MissingEpisode>,
    /// Convictions and substance misuse (the 903's OC2 items), oldest first.
    #[serde(default)]
    pub oc2_events: Vec<Oc2Event>,
}

#[async_trait]
pub trait LookedAfterReviews: Send + Sync {
    /// Records a looked-after review chaired by the acting IRO, with their recommendations.
    async fn record_review(
        &self,
        actor: Actor,
        child_id: Uuid,
        review: NewReview,
    ) -> Result<CareReview>;
    /// Marks a recommendation done.
    async fn complete_recommendation(
        &self,
        actor: Actor,
        id: Uuid,
        done: RecommendationDone,
    ) -> Result<Recommendation>;
    async fn record_health_check(
        &self,
        actor: Actor,
        child_id: Uuid,
        check: NewHealthCheck,
    ) -> Result<HealthCheck>;
    async fn record_sdq(&self, actor: Actor, child_id: Uuid, sdq: NewSdq) -> Result<Sdq>;
    /// A conviction (or final warning or reprimand) or a substance misuse problem.
    async fn record_oc2_event(
        &self,
        actor: Actor,
        child_id: Uuid,
        event: NewOc2Event,
    ) -> Result<Oc2Event>;
    async fn start_missing(
        &self,
        actor: Actor,
        child_id: Uuid,
        missing: NewMissing,
    ) -> Result<MissingEpisode>;
    /// The child's return, and the return home interview.
    async fn end_missing(
        &self,
        actor: Actor,
        id: Uuid,
        back: MissingReturn,
    ) -> Result<MissingEpisode>;
    /// The child's reviews, health checks, SDQs and missing episodes (the caller has opened the
    /// child's record, which is the access entry).
    async fn care_reviews(&self, child_id: Uuid) -> Result<CareReviews>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use domain::looked_after::health::*;
        use domain::looked_after::reviews::*;
        use $crate::looked_after::reviews::{CareReviews, LookedAfterReviews};

        /// The child's date of birth and the start of their current or latest period of care.
        async fn care_facts(conn: &mut Conn, child: Uuid) -> Result<(Option<NaiveDate>, Option<NaiveDate>), StoreError> {
            let p = fetch_person(conn, child).await?;
            if p.details.kind != PersonKind::Child {
                return Err(invalid("child_id", "This is for a child on the record"));
            }
            let entered: Option<NaiveDate> = sqlx::query_scalar("SELECT MAX(started_on) FROM cla_period WHERE child_id = $1")
                .bind(child).fetch_one(&mut *conn).await?;
            Ok((p.details.date_of_birth, entered))
        }

        fn recommendation_from_row(r: &Row) -> Result<Recommendation, sqlx::Error> {
            Ok(Recommendation {
                id: r.try_get("id")?,
                review_id: r.try_get("review_id")?,
                child_id: r.try_get("child_id")?,
                action: r.try_get("action")?,
                owner: r.try_get("owner")?,
                due_on: r.try_get("due_on")?,
                completed_on: r.try_get("completed_on")?,
                note: r.try_get("note")?,
            })
        }

        fn missing_from_row(r: &Row) -> Result<MissingEpisode, sqlx::Error> {
            Ok(MissingEpisode {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                kind: r.try_get("kind")?,
                started_on: r.try_get("started_on")?,
                ended_on: r.try_get("ended_on")?,
                interview_offered_at: r.try_get("interview_offered_at")?,
                interview_accepted: r.try_get("interview_accepted")?,
            })
        }

        async fn fetch_reviews(conn: &mut Conn, child: Uuid, only: Option<Uuid>) -> Result<Vec<CareReview>, StoreError> {
            let rows = sqlx::query("SELECT * FROM cla_review WHERE child_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY held_on, created_at")
                .bind(child).bind(only).fetch_all(&mut *conn).await?;
            let actions = sqlx::query("SELECT * FROM cla_review_action WHERE child_id = $1 ORDER BY due_on, created_at")
                .bind(child).fetch_all(&mut *conn).await?
                .iter().map(recommendation_from_row).collect::<Result<Vec<_>, _>>()?;
            let mut out = Vec::new();
            for r in &rows {
                let id: Uuid = r.try_get("id")?;
                out.push(CareReview {
                    id,
                    child_id: r.try_get("child_id")?,
                    held_on: r.try_get("held_on")?,
                    participation: r.try_get("participation")?,
                    childs_views: r.try_get("childs_views")?,
                    views_reason: r.try_get("views_reason")?,
                    chaired_by: r.try_get("chaired_by")?,
                    recommendations: actions.iter().filter(|a| a.review_id == id).cloned().collect(),
                });
            }
            Ok(out)
        }

        async fn fetch_recommendation(conn: &mut Conn, id: Uuid) -> Result<Recommendation, StoreError> {
            let r = sqlx::query("SELECT * FROM cla_review_action WHERE id = $1").bind(id).fetch_one(&mut *conn).await.map_err(not_found("recommendation"))?;
            Ok(recommendation_from_row(&r)?)
        }

        async fn fetch_missing(conn: &mut Conn, id: Uuid) -> Result<MissingEpisode, StoreError> {
            let r = sqlx::query("SELECT * FROM cla_missing WHERE id = $1").bind(id).fetch_one(&mut *conn).await.map_err(not_found("missing episode"))?;
            Ok(missing_from_row(&r)?)
        }

        /// Gathers a health check or an SDQ into the child's `cla_health` row for the collection
        /// year (the 903's OC2): the latest date of each kind; immunisations are not recorded here
        /// and start as not up to date.
        async fn gather_health(conn: &mut Conn, child: Uuid, on: NaiveDate, assessment: bool, dental: bool, sdq: Option<(Option<i32>, Option<String>)>) -> Result<(), StoreError> {
            let year = domain::calendar::collection_year(on) as i32;
            let (score, reason, has_sdq) = match sdq {
                Some((s, r)) => (s, r, true),
                None => (None, None, false),
            };
            sqlx::query(
                "INSERT INTO cla_health (id, child_id, year, health_assessment, dental_check, immunisations, sdq_score, sdq_reason, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (child_id, year) DO UPDATE SET \
                   health_assessment = CASE WHEN excluded.health_assessment IS NOT NULL AND (cla_health.health_assessment IS NULL OR cla_health.health_assessment < excluded.health_assessment) THEN excluded.health_assessment ELSE cla_health.health_assessment END, \
                   dental_check = CASE WHEN excluded.dental_check IS NOT NULL AND (cla_health.dental_check IS NULL OR cla_health.dental_check < excluded.dental_check) THEN excluded.dental_check ELSE cla_health.dental_check END, \
                   sdq_score = CASE WHEN $10 THEN excluded.sdq_score ELSE cla_health.sdq_score END, \
                   sdq_reason = CASE WHEN $10 THEN excluded.sdq_reason ELSE cla_health.sdq_reason END",
            )
            .bind(new_id()).bind(child).bind(year)
            .bind(assessment.then_some(on)).bind(dental.then_some(on)).bind(false)
            .bind(score).bind(reason).bind(now()).bind(has_sdq)
            .execute(&mut *conn).await?;
            Ok(())
        }

        #[async_trait::async_trait]
        impl LookedAfterReviews for $store {
            async fn record_review(&self, actor: Actor, child_id: Uuid, review: NewReview) -> Result<CareReview> {
                let mut tx = self.tx().await?;
                let (dob, entered) = care_facts(&mut tx, child_id).await?;
                refuse(review.validate(dob, entered, local_now().date()))?;
                let id = new_id();
                sqlx::query(
                    "INSERT INTO cla_review (id, child_id, held_on, participation, childs_views, views_reason, chaired_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(id).bind(child_id).bind(review.held_on).bind(&review.participation)
                .bind(review.childs_views.trim()).bind(review.views_reason.trim()).bind(actor.0).bind(now())
                .execute(&mut *tx).await?;
                for r in &review.recommendations {
                    sqlx::query(
                        "INSERT INTO cla_review_action (id, review_id, child_id, action, owner, due_on, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, '', $7)",
                    )
                    .bind(new_id()).bind(id).bind(child_id).bind(r.action.trim()).bind(r.owner.trim()).bind(r.due_on).bind(now())
                    .execute(&mut *tx).await?;
                }
                let saved = fetch_reviews(&mut tx, child_id, Some(id)).await?.pop().ok_or(StoreError::NotFound("review"))?;
                audit(&mut tx, actor, AuditAction::Create, "cla_review", Some(id), Some(child_id), None, Some(to_json(&saved)), "looked-after review recorded").await?;
                tx.commit().await?;
                Ok(saved)
            }

            async fn complete_recommendation(&self, actor: Actor, id: Uuid, done: RecommendationDone) -> Result<Recommendation> {
                let mut tx = self.tx().await?;
                let before = fetch_recommendation(&mut tx, id).await?;
                let held: NaiveDate = sqlx::query_scalar("SELECT held_on FROM cla_review WHERE id = $1").bind(before.review_id).fetch_one(&mut *tx).await?;
                refuse(done.validate(held, local_now().date()))?;
                if before.completed_on.is_some() {
                    return Err(invalid("completed", "The recommendation is already done"));
                }
                sqlx::query("UPDATE cla_review_action SET completed_on = $1, note = $2 WHERE id = $3")
                    .bind(done.completed_on).bind(done.note.trim()).bind(id).execute(&mut *tx).await?;
                let after = fetch_recommendation(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Update, "cla_review_action", Some(id), Some(after.child_id), Some(to_json(&before)), Some(to_json(&after)), "review recommendation done").await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn record_health_check(&self, actor: Actor, child_id: Uuid, check: NewHealthCheck) -> Result<HealthCheck> {
                let mut tx = self.tx().await?;
                let (_, entered) = care_facts(&mut tx, child_id).await?;
                refuse(check.validate(entered, local_now().date()))?;
                let saved = HealthCheck { id: new_id(), child_id, kind: check.kind.clone(), done_on: check.done_on };
                sqlx::query("INSERT INTO cla_health_check (id, child_id, kind, done_on, created_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(saved.id).bind(child_id).bind(&saved.kind).bind(saved.done_on).bind(now())
                    .execute(&mut *tx).await?;
                let dental = saved.kind == "dental";
                gather_health(&mut tx, child_id, saved.done_on, !dental, dental, None).await?;
                audit(&mut tx, actor, AuditAction::Create, "cla_health_check", Some(saved.id), Some(child_id), None, Some(to_json(&saved)), "health check recorded").await?;
                tx.commit().await?;
                Ok(saved)
            }

            async fn record_sdq(&self, actor: Actor, child_id: Uuid, sdq: NewSdq) -> Result<Sdq> {
                let mut tx = self.tx().await?;
                let (dob, entered) = care_facts(&mut tx, child_id).await?;
                refuse(sdq.validate(dob, entered, local_now().date()))?;
                let reason = sdq.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(String::from);
                let saved = Sdq { id: new_id(), child_id, done_on: sdq.done_on, score: sdq.score, reason };
                sqlx::query("INSERT INTO cla_sdq (id, child_id, done_on, score, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(saved.id).bind(child_id).bind(saved.done_on).bind(saved.score).bind(&saved.reason).bind(now())
                    .execute(&mut *tx).await?;
                gather_health(&mut tx, child_id, saved.done_on, false, false, Some((saved.score, saved.reason.clone()))).await?;
                audit(&mut tx, actor, AuditAction::Create, "cla_sdq", Some(saved.id), Some(child_id), None, Some(to_json(&saved)), "SDQ recorded").await?;
                tx.commit().await?;
                Ok(saved)
            }

            async fn record_oc2_event(&self, actor: Actor, child_id: Uuid, ev: NewOc2Event) -> Result<Oc2Event> {
                let mut tx = self.tx().await?;
                let (dob, entered) = care_facts(&mut tx, child_id).await?;
                refuse(ev.validate(dob, entered, local_now().date()))?;
                let saved = Oc2Event {
                    id: new_id(),
                    child_id,
                    kind: ev.kind.clone(),
                    happened_on: ev.happened_on,
                    intervention_received: ev.intervention_received,
                    intervention_offered: ev.intervention_offered,
                    note: ev.note.trim().to_string(),
                };
                sqlx::query("INSERT INTO cla_oc2_event (id, child_id, kind, happened_on, intervention_received, intervention_offered, note, recorded_by, created_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                    .bind(saved.id).bind(child_id).bind(&saved.kind).bind(saved.happened_on)
                    .bind(saved.intervention_received).bind(saved.intervention_offered).bind(&saved.note).bind(actor.0).bind(now())
                    .execute(&mut *tx).await?;
                let what = if saved.kind == "conviction" { "conviction recorded" } else { "substance misuse recorded" };
                audit(&mut tx, actor, AuditAction::Create, "cla_oc2_event", Some(saved.id), Some(child_id), None, Some(to_json(&saved)), what).await?;
                tx.commit().await?;
                Ok(saved)
            }

            async fn start_missing(&self, actor: Actor, child_id: Uuid, m: NewMissing) -> Result<MissingEpisode> {
                let mut tx = self.tx().await?;
                let (_, entered) = care_facts(&mut tx, child_id).await?;
                refuse(m.validate(entered, local_now().date()))?;
                // 903 rule 574: a new period cannot start while another is open, nor overlap one.
                let clash: Option<Uuid> = sqlx::query_scalar("SELECT id FROM cla_missing WHERE child_id = $1 AND (ended_on IS NULL OR ended_on >= $2)")
                    .bind(child_id).bind(m.started_on).fetch_optional(&mut *tx).await?;
                if clash.is_some() {
                    return Err(invalid("started", "The child has a missing or away episode still open or ending after this date"));
                }
                let id = new_id();
                sqlx::query("INSERT INTO cla_missing (id, child_id, started_on, kind, created_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(id).bind(child_id).bind(m.started_on).bind(&m.kind).bind(now())
                    .execute(&mut *tx).await?;
                let saved = fetch_missing(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Create, "cla_missing", Some(id), Some(child_id), None, Some(to_json(&saved)), "missing episode started").await?;
                tx.commit().await?;
                Ok(saved)
            }

            async fn end_missing(&self, actor: Actor, id: Uuid, back: MissingReturn) -> Result<MissingEpisode> {
                let mut tx = self.tx().await?;
                let before = fetch_missing(&mut tx, id).await?;
                refuse(back.validate(before.started_on, local_now().date()))?;
                if before.ended_on.is_some() {
                    return Err(invalid("ended", "The episode has already ended"));
                }
                sqlx::query("UPDATE cla_missing SET ended_on = $1, interview_offered_at = $2, interview_accepted = $3 WHERE id = $4")
                    .bind(back.ended_on).bind(back.interview_offered_at).bind(back.interview_accepted).bind(id)
                    .execute(&mut *tx).await?;
                let after = fetch_missing(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Update, "cla_missing", Some(id), Some(after.child_id), Some(to_json(&before)), Some(to_json(&after)), "returned from missing").await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn care_reviews(&self, child_id: Uuid) -> Result<CareReviews> {
                let mut conn = self.pool.acquire().await?;
                let reviews = fetch_reviews(&mut conn, child_id, None).await?;
                let health_checks = sqlx::query("SELECT * FROM cla_health_check WHERE child_id = $1 ORDER BY done_on, created_at")
                    .bind(child_id).fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(HealthCheck { id: r.try_get("id")?, child_id: r.try_get("child_id")?, kind: r.try_get("kind")?, done_on: r.try_get("done_on")? }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let sdqs = sqlx::query("SELECT * FROM cla_sdq WHERE child_id = $1 ORDER BY done_on, created_at")
                    .bind(child_id).fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(Sdq { id: r.try_get("id")?, child_id: r.try_get("child_id")?, done_on: r.try_get("done_on")?, score: r.try_get("score")?, reason: r.try_get("reason")? }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let missing = sqlx::query("SELECT * FROM cla_missing WHERE child_id = $1 ORDER BY started_on")
                    .bind(child_id).fetch_all(&mut *conn).await?.iter().map(missing_from_row).collect::<Result<Vec<_>, _>>()?;
                let oc2_events = super::looked_after::load_oc2_events(&mut conn, Some(child_id)).await?;
                Ok(CareReviews { reviews, health_checks, sdqs, missing, oc2_events })
            }
        }
    };
}
pub(crate) use sql;
