//! Private fostering, as a part of the repository: notifications of arrangements, the council's
//! assessment of their suitability, visits to the children and the end of an arrangement, with
//! the visits that are due. Every change writes its audit entry for the child in the same
//! transaction.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::chronology::ChronologyEntry;
use domain::private_fostering::{
    Arrangement, ArrangementEnd, Assessment, NewArrangement, NewVisit, Timescales, VisitKind,
};
use domain::work::DueItem;
use uuid::Uuid;

use crate::{Actor, Result, WorkScope};

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
    /// Visits due on open arrangements in scope: the initial visit until it is made, then the
    /// next statutory visit.
    async fn pf_visits_due(
        &self,
        scope: WorkScope,
        today: NaiveDate,
        timescales: Timescales,
    ) -> Result<Vec<DueItem>>;
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
