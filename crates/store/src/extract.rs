//! Everything the performance report needs from the record, in one read.

use async_trait::async_trait;

use crate::Result;

#[async_trait]
pub trait Extract: Send + Sync {
    /// Everything the performance report needs from the record, in one read.
    async fn extract(&self) -> Result<domain::extract::RecordExtract>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use $crate::extract::Extract as ExtractRepository;

        #[async_trait::async_trait]
        impl ExtractRepository for $store {
            async fn extract(&self) -> Result<domain::extract::RecordExtract> {
                use domain::extract::*;
                let mut conn = self.pool.acquire().await?;
                let mut children: std::collections::HashMap<Uuid, Vec<Uuid>> = std::collections::HashMap::new();
                for r in sqlx::query("SELECT contact_id, person_id FROM contact_child").fetch_all(&mut *conn).await? {
                    children.entry(r.try_get("contact_id")?).or_default().push(r.try_get("person_id")?);
                }
                let contacts = sqlx::query("SELECT id, received_at, decision_due, decided_at, outcome FROM contact")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| {
                        let id: Uuid = r.try_get("id")?;
                        Ok(ContactRow {
                            id,
                            children: children.remove(&id).unwrap_or_default(),
                            received_at: r.try_get("received_at")?,
                            decision_due: r.try_get("decision_due")?,
                            decided_at: r.try_get("decided_at")?,
                            outcome: r.try_get("outcome")?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let early_help_starts = sqlx::query("SELECT child_id, started_on FROM early_help")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("child_id")?, r.try_get("started_on")?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let referrals = sqlx::query(
                    "SELECT r.id, r.child_id, r.referral_date, r.closed_on, r.closure_reason, \
                     NOT EXISTS (SELECT 1 FROM assessment a WHERE a.referral_id = r.id) AS no_assessment FROM referral r",
                )
                .fetch_all(&mut *conn).await?.iter()
                .map(|r| Ok(ReferralRow {
                    id: r.try_get("id")?,
                    child: r.try_get("child_id")?,
                    date: r.try_get("referral_date")?,
                    closed_on: r.try_get("closed_on")?,
                    closure_reason: r.try_get("closure_reason")?,
                    no_assessment: r.try_get("no_assessment")?,
                }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let assessments = sqlx::query("SELECT child_id, started_on, authorised_on FROM assessment")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(AssessmentRow { child: r.try_get("child_id")?, started: r.try_get("started_on")?, authorised: r.try_get("authorised_on")? }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let s47s = sqlx::query(
                    "SELECT s.child_id, s.started_on, (SELECT MIN(c.held_on) FROM conference c WHERE c.s47_id = s.id) AS icpc FROM s47 s",
                )
                .fetch_all(&mut *conn).await?.iter()
                .map(|r| Ok(S47Row { child: r.try_get("child_id")?, started: r.try_get("started_on")?, icpc: r.try_get("icpc")? }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let mut reviews: std::collections::HashMap<Uuid, Vec<NaiveDate>> = std::collections::HashMap::new();
                for r in sqlx::query("SELECT plan_id, held_on FROM conference WHERE kind = 'review' AND plan_id IS NOT NULL ORDER BY held_on").fetch_all(&mut *conn).await? {
                    reviews.entry(r.try_get("plan_id")?).or_default().push(r.try_get("held_on")?);
                }
                let cp_plans = sqlx::query("SELECT id, child_id, started_on, ended_on, initial_category, repeat_plan FROM cp_plan")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| {
                        let id: Uuid = r.try_get("id")?;
                        Ok(CpPlanRow {
                            child: r.try_get("child_id")?,
                            started: r.try_get("started_on")?,
                            ended: r.try_get("ended_on")?,
                            initial_category: r.try_get("initial_category")?,
                            repeat: r.try_get("repeat_plan")?,
                            reviews: reviews.remove(&id).unwrap_or_default(),
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let visits_seen = sqlx::query("SELECT child_id, note_date, seen_alone FROM note WHERE kind = 'visit' AND child_seen = $1")
                    .bind(true)
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("child_id")?, r.try_get("note_date")?, r.try_get::<Option<bool>, _>("seen_alone")?.unwrap_or(false))))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let workers = sqlx::query("SELECT id, role_title, agency, started, left_on FROM worker")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(WorkerRow { id: r.try_get("id")?, role_title: r.try_get("role_title")?, agency: r.try_get("agency")?, started: r.try_get("started")?, left: r.try_get("left_on")? }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let allocations = sqlx::query("SELECT child_id, worker_id, from_date, to_date FROM allocation")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("child_id")?, r.try_get("worker_id")?, r.try_get("from_date")?, r.try_get("to_date")?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let dobs = sqlx::query("SELECT id, date_of_birth FROM person WHERE kind = 'child' AND date_of_birth IS NOT NULL")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("id")?, r.try_get("date_of_birth")?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let cla_episodes = sqlx::query("SELECT child_id, started_on, ended_on, reason_new, legal_status, placement, reason_ceased FROM cla_episode")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(ClaEpisodeRow {
                        child: r.try_get("child_id")?,
                        started: r.try_get("started_on")?,
                        ended: r.try_get("ended_on")?,
                        reason_new: r.try_get("reason_new")?,
                        legal_status: r.try_get("legal_status")?,
                        placement: r.try_get("placement")?,
                        reason_ceased: r.try_get("reason_ceased")?,
                    }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let cla_missing = sqlx::query("SELECT child_id, started_on FROM cla_missing")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("child_id")?, r.try_get("started_on")?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let cla_health = sqlx::query("SELECT child_id, year, health_assessment, dental_check, immunisations, sdq_score FROM cla_health")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(HealthRow {
                        child: r.try_get("child_id")?,
                        year: r.try_get::<i32, _>("year")?,
                        health_assessment: r.try_get::<Option<NaiveDate>, _>("health_assessment")?.is_some(),
                        dental_check: r.try_get::<Option<NaiveDate>, _>("dental_check")?.is_some(),
                        immunisations: r.try_get("immunisations")?,
                        sdq_score: r.try_get::<Option<i32>, _>("sdq_score")?,
                    }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let care_leavers = sqlx::query("SELECT child_id, year, activity, accommodation FROM care_leaver_year")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(LeaverRow {
                        child: r.try_get("child_id")?,
                        year: r.try_get::<i32, _>("year")?,
                        activity: r.try_get("activity")?,
                        accommodation: r.try_get("accommodation")?,
                    }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let peps = sqlx::query("SELECT child_id, reviewed_on FROM pep_review")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("child_id")?, r.try_get("reviewed_on")?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                Ok(RecordExtract {
                    contacts, early_help_starts, referrals, assessments, s47s, cp_plans, visits_seen, workers, allocations,
                    dobs, cla_episodes, cla_missing, cla_health, care_leavers, peps,
                    private_fostering: super::private_fostering::extract_rows(&mut conn).await?,
                })
            }

        }
    };
}
pub(crate) use sql;
