//! Inspection, as a part of the repository: everything Ofsted's Annex A lists need from the
//! record, in one read (`domain::inspection::AnnexARecord`). Rows entered in error are left
//! out. Not audited here: the caller writes one entry for the lists as a whole.

use async_trait::async_trait;
use chrono::NaiveDate;

use crate::Result;

#[async_trait]
pub trait Inspection: Send + Sync {
    /// What Annex A needs from the record as at `as_at` (care leavers' status and contacts as
    /// they stood that day; the lists' windows are applied by `domain::inspection::build`).
    async fn annex_a_record(&self, as_at: NaiveDate) -> Result<domain::inspection::AnnexARecord>;
    /// Keeps the head of service's commentary on an indicator for a period (audited, in the
    /// same transaction). An earlier commentary for the same indicator and period is kept.
    async fn save_commentary(
        &self,
        actor: crate::Actor,
        c: domain::inspection::commentary::NewCommentary,
    ) -> Result<domain::inspection::commentary::Commentary>;
    /// The latest commentary on each indicator for exactly this period.
    async fn commentary(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<domain::inspection::commentary::Commentary>>;
}

macro_rules! sql {
    ($store:ty) => {
        use $crate::inspection::Inspection as InspectionRepository;

        #[async_trait::async_trait]
        impl InspectionRepository for $store {
            async fn save_commentary(&self, actor: Actor, c: domain::inspection::commentary::NewCommentary) -> Result<domain::inspection::commentary::Commentary> {
                if let Err(errors) = c.validate() {
                    let e = errors.into_iter().next().expect("an error");
                    return Err(StoreError::Invalid {
                        field: match e.field.as_str() { "text" => "text", "indicator" => "indicator", _ => "period" },
                        message: e.message,
                    });
                }
                let saved = domain::inspection::commentary::Commentary {
                    id: new_id(),
                    indicator_id: c.indicator_id.trim().to_string(),
                    from: c.from,
                    to: c.to,
                    text: c.text.trim().to_string(),
                    written_by: actor.0,
                    written_at: Utc::now(),
                };
                let mut tx = self.tx().await?;
                sqlx::query("INSERT INTO scrutiny_commentary (id, indicator_id, period_from, period_to, text, written_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(saved.id).bind(&saved.indicator_id).bind(saved.from).bind(saved.to).bind(&saved.text).bind(saved.written_by).bind(saved.written_at)
                    .execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Create, "scrutiny_commentary", Some(saved.id), None, None, Some(to_json(&saved)),
                    &format!("scrutiny pack commentary on indicator {} for {} to {}", saved.indicator_id, saved.from, saved.to)).await?;
                tx.commit().await?;
                Ok(saved)
            }

            async fn commentary(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<domain::inspection::commentary::Commentary>> {
                let mut conn = self.pool.acquire().await?;
                let mut latest: std::collections::BTreeMap<String, domain::inspection::commentary::Commentary> = std::collections::BTreeMap::new();
                for r in sqlx::query("SELECT id, indicator_id, text, written_by, created_at FROM scrutiny_commentary WHERE period_from = $1 AND period_to = $2 ORDER BY created_at")
                    .bind(from).bind(to).fetch_all(&mut *conn).await? {
                    let c = domain::inspection::commentary::Commentary {
                        id: r.try_get("id")?,
                        indicator_id: r.try_get("indicator_id")?,
                        from, to,
                        text: r.try_get("text")?,
                        written_by: r.try_get("written_by")?,
                        written_at: r.try_get("created_at")?,
                    };
                    latest.insert(c.indicator_id.clone(), c);
                }
                Ok(latest.into_values().collect())
            }

            async fn annex_a_record(&self, as_at: NaiveDate) -> Result<domain::inspection::AnnexARecord> {
                use domain::inspection::record::*;
                use std::collections::HashMap;
                let mut conn = self.pool.acquire().await?;
                macro_rules! rows {
                    ($sql:expr, |$r:ident| $body:expr) => {
                        sqlx::query($sql)
                            .fetch_all(&mut *conn).await?.iter()
                            .map(|$r| -> Result<_, sqlx::Error> { Ok($body) })
                            .collect::<Result<Vec<_>, sqlx::Error>>()?
                    };
                }
                let children = rows!("SELECT id, council_child_id, sex, ethnicity, date_of_birth, disabilities, uasc FROM person WHERE kind = 'child'", |r| {
                    let Json(disabilities): Json<Vec<String>> = r.try_get("disabilities")?;
                    Child {
                        id: r.try_get("id")?,
                        council_id: r.try_get("council_child_id")?,
                        sex: r.try_get("sex")?,
                        ethnicity: r.try_get("ethnicity")?,
                        date_of_birth: r.try_get("date_of_birth")?,
                        disabilities,
                        uasc: r.try_get("uasc")?,
                    }
                });
                let workers = rows!("SELECT w.id, w.name, t.name AS team FROM worker w LEFT JOIN team t ON t.id = w.team_id", |r| (r.try_get("id")?, r.try_get("name")?, r.try_get("team")?));
                let allocations = rows!("SELECT child_id, worker_id, from_date, to_date FROM allocation WHERE role = 'social_worker'", |r| (r.try_get("child_id")?, r.try_get("worker_id")?, r.try_get("from_date")?, r.try_get("to_date")?));
                let contacts = rows!("SELECT c.id, cc.person_id, c.received_at, c.source FROM contact c JOIN contact_child cc ON cc.contact_id = c.id", |r| (
                    r.try_get("id")?,
                    r.try_get("person_id")?,
                    r.try_get::<chrono::NaiveDateTime, _>("received_at")?.date(),
                    r.try_get("source")?,
                ));
                let early_help = rows!("SELECT child_id, started_on, ended_on, lead FROM early_help", |r| EarlyHelp {
                    child: r.try_get("child_id")?,
                    started: r.try_get("started_on")?,
                    ended: r.try_get("ended_on")?,
                    lead: r.try_get("lead")?,
                });
                let referrals = rows!("SELECT id, child_id, referral_date, source, closed_on, closure_reason, primary_need FROM referral", |r| Referral {
                    id: r.try_get("id")?,
                    child: r.try_get("child_id")?,
                    date: r.try_get("referral_date")?,
                    source: r.try_get("source")?,
                    closed: r.try_get("closed_on")?,
                    closure_reason: r.try_get("closure_reason")?,
                    primary_need: r.try_get("primary_need")?,
                });
                let assessments = rows!("SELECT child_id, referral_id, started_on, completed_on, authorised_on, outcome FROM assessment", |r| Assessment {
                    child: r.try_get("child_id")?,
                    referral: r.try_get("referral_id")?,
                    started: r.try_get("started_on")?,
                    completed: r.try_get("completed_on")?,
                    authorised: r.try_get("authorised_on")?,
                    outcome: r.try_get("outcome")?,
                });
                let visits = rows!("SELECT child_id, note_date, child_seen, seen_alone FROM note WHERE kind = 'visit' AND entered_in_error_at IS NULL", |r| (
                    r.try_get("child_id")?,
                    r.try_get("note_date")?,
                    r.try_get::<Option<bool>, _>("child_seen")?.unwrap_or(false),
                    r.try_get::<Option<bool>, _>("seen_alone")?.unwrap_or(false),
                ));
                let mut icpcs: HashMap<Uuid, (NaiveDate, bool)> = HashMap::new();
                for r in sqlx::query("SELECT s47_id, held_on, plan FROM conference WHERE kind = 'initial' AND s47_id IS NOT NULL ORDER BY held_on DESC").fetch_all(&mut *conn).await? {
                    icpcs.insert(r.try_get("s47_id")?, (r.try_get("held_on")?, r.try_get("plan")?));
                }
                let s47s = rows!("SELECT s.id, s.child_id, st.held_on AS strategy_on, s.started_on, s.completed_on, s.outcome FROM s47 s JOIN strategy st ON st.id = s.strategy_id", |r| S47 {
                    child: r.try_get("child_id")?,
                    strategy: r.try_get("strategy_on")?,
                    started: r.try_get("started_on")?,
                    completed: r.try_get("completed_on")?,
                    outcome: r.try_get("outcome")?,
                    icpc: icpcs.get(&r.try_get::<Uuid, _>("id")?).copied(),
                });
                let mut reviews: HashMap<Uuid, Vec<NaiveDate>> = HashMap::new();
                for r in sqlx::query("SELECT plan_id, held_on FROM conference WHERE kind = 'review' AND plan_id IS NOT NULL ORDER BY held_on").fetch_all(&mut *conn).await? {
                    reviews.entry(r.try_get("plan_id")?).or_default().push(r.try_get("held_on")?);
                }
                let cp_plans = rows!("SELECT id, child_id, started_on, ended_on, initial_category, latest_category FROM cp_plan", |r| CpPlan {
                    child: r.try_get("child_id")?,
                    started: r.try_get("started_on")?,
                    ended: r.try_get("ended_on")?,
                    initial_category: r.try_get("initial_category")?,
                    latest_category: r.try_get("latest_category")?,
                    reviews: reviews.remove(&r.try_get::<Uuid, _>("id")?).unwrap_or_default(),
                });
                let cin_plans = rows!("SELECT child_id, referral_id, started_on, ended_on FROM cin_plan", |r| (r.try_get("child_id")?, r.try_get("referral_id")?, r.try_get("started_on")?, r.try_get("ended_on")?));
                let cla_periods = rows!("SELECT child_id, started_on, ended_on, category_of_need FROM cla_period", |r| (r.try_get("child_id")?, r.try_get("started_on")?, r.try_get("ended_on")?, r.try_get("category_of_need")?));
                let cla_episodes = rows!("SELECT child_id, started_on, ended_on, reason_new, legal_status, placement, provider, placement_postcode, urn, reason_ceased FROM cla_episode", |r| Episode {
                    child: r.try_get("child_id")?,
                    started: r.try_get("started_on")?,
                    ended: r.try_get("ended_on")?,
                    reason_new: r.try_get("reason_new")?,
                    legal_status: r.try_get("legal_status")?,
                    placement: r.try_get("placement")?,
                    provider: r.try_get("provider")?,
                    postcode: r.try_get("placement_postcode")?,
                    urn: r.try_get("urn")?,
                    reason_ceased: r.try_get("reason_ceased")?,
                });
                let cla_reviews = rows!("SELECT child_id, held_on FROM cla_review", |r| (r.try_get("child_id")?, r.try_get("held_on")?));
                let missing = rows!("SELECT child_id, started_on, kind, interview_offered_at, interview_accepted FROM cla_missing", |r| Missing {
                    child: r.try_get("child_id")?,
                    started: r.try_get("started_on")?,
                    kind: r.try_get("kind")?,
                    interview_offered: r.try_get::<Option<chrono::NaiveDateTime>, _>("interview_offered_at")?.is_some(),
                    interview_accepted: r.try_get("interview_accepted")?,
                });
                let health_checks = rows!("SELECT child_id, kind, done_on FROM cla_health_check WHERE entered_in_error_at IS NULL", |r| (r.try_get("child_id")?, r.try_get("kind")?, r.try_get("done_on")?));
                let permanence = rows!("SELECT child_id, plan, agreed_on FROM permanence_plan WHERE superseded_on IS NULL", |r| (r.try_get("child_id")?, r.try_get("plan")?, r.try_get("agreed_on")?));
                // Care leavers: a personal adviser allocated on the day; their latest contact
                // and status by then.
                let advised: Vec<Uuid> = rows!("SELECT DISTINCT child_id, from_date, to_date FROM allocation WHERE role = 'personal_adviser'", |r| (
                    r.try_get::<Uuid, _>("child_id")?,
                    r.try_get::<NaiveDate, _>("from_date")?,
                    r.try_get::<Option<NaiveDate>, _>("to_date")?,
                ))
                .into_iter()
                .filter(|(_, from, to)| *from <= as_at && to.is_none_or(|t| t >= as_at))
                .map(|(c, _, _)| c)
                .collect();
                let mut touch: HashMap<Uuid, (NaiveDate, String)> = HashMap::new();
                for r in sqlx::query("SELECT child_id, contact_on, in_touch FROM leaving_care_contact WHERE entered_in_error_at IS NULL AND contact_on <= $1 ORDER BY contact_on, created_at").bind(as_at).fetch_all(&mut *conn).await? {
                    touch.insert(r.try_get("child_id")?, (r.try_get("contact_on")?, r.try_get("in_touch")?));
                }
                let mut status: HashMap<Uuid, (Option<String>, Option<String>, Option<bool>)> = HashMap::new();
                for r in sqlx::query("SELECT child_id, activity, accommodation, suitable FROM leaving_care_status WHERE entered_in_error_at IS NULL AND from_on <= $1 ORDER BY from_on, created_at").bind(as_at).fetch_all(&mut *conn).await? {
                    let child: Uuid = r.try_get("child_id")?;
                    let e = status.entry(child).or_default();
                    // Activity and accommodation are recorded as changes: each holds until the next.
                    if let Some(a) = r.try_get::<Option<String>, _>("activity")? { e.0 = Some(a); }
                    if let Some(a) = r.try_get::<Option<String>, _>("accommodation")? {
                        e.1 = Some(a);
                        e.2 = r.try_get("suitable")?;
                    }
                }
                let mut leavers: Vec<Leaver> = advised.into_iter().collect::<std::collections::BTreeSet<_>>().into_iter().map(|child| {
                    let s = status.get(&child).cloned().unwrap_or_default();
                    Leaver {
                        child,
                        in_touch: touch.get(&child).map(|t| t.1.clone()),
                        activity: s.0,
                        accommodation: s.1,
                        suitable: s.2,
                    }
                }).collect();
                leavers.sort_by_key(|l| l.child);
                let mut matches: HashMap<Uuid, (Uuid, NaiveDate)> = HashMap::new();
                for r in sqlx::query("SELECT id, decision_id, matched_on FROM cla_adoption_match WHERE entered_in_error_at IS NULL").fetch_all(&mut *conn).await? {
                    matches.insert(r.try_get("decision_id")?, (r.try_get("id")?, r.try_get("matched_on")?));
                }
                let adoption = rows!("SELECT id, child_id, decided_on, ceased_on, reason_ceased FROM cla_adoption_decision WHERE entered_in_error_at IS NULL", |r| {
                    let id: Uuid = r.try_get("id")?;
                    AdoptionDecision {
                        id,
                        child: r.try_get("child_id")?,
                        decided: r.try_get("decided_on")?,
                        ceased: r.try_get("ceased_on")?,
                        reason_ceased: r.try_get("reason_ceased")?,
                        matched: matches.get(&id).copied(),
                    }
                });
                let mut on_contact: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
                for (contact, child, _, _) in &contacts {
                    on_contact.entry(*contact).or_default().push(*child);
                }
                let decisions = rows!("SELECT id, received_at, decision_due, decided_at FROM contact", |r| Decision {
                    children: on_contact.get(&r.try_get::<Uuid, _>("id")?).cloned().unwrap_or_default(),
                    received: r.try_get::<chrono::NaiveDateTime, _>("received_at")?.date(),
                    due: r.try_get("decision_due")?,
                    decided: r.try_get::<Option<chrono::NaiveDateTime>, _>("decided_at")?.map(|d| d.date()),
                });
                Ok(AnnexARecord {
                    children, workers, allocations, contacts, early_help, referrals, assessments, visits,
                    s47s, cp_plans, cin_plans, cla_periods, cla_episodes, cla_reviews, missing,
                    health_checks, permanence, leavers, adoption, decisions,
                })
            }
        }
    };
}
pub(crate) use sql;
