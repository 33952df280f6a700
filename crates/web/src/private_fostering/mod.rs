//! Private fostering: notifications, the assessment of suitability, visits and the end of the
//! arrangement. Its forms are declarations in [`forms`], served as pages and API by the one form
//! path.

use crate::AppState;
use crate::forms::fields::fmt_date;
use crate::forms::fields::today;
use crate::forms::path;
use crate::private_fostering::forms::carer_line;
use axum::Router;
use domain::private_fostering::END_REASONS;
use domain::private_fostering::NOTIFIERS;
use domain::private_fostering::SUITABILITY;
use domain::private_fostering::Timescales;
use domain::private_fostering::VisitKind;
use domain::private_fostering::label;
use minijinja::Value;
use minijinja::context;

pub mod forms;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(path::routes::<forms::Notification>())
        .merge(path::routes::<forms::Visit>())
        .merge(path::routes::<forms::Assess>())
        .merge(path::routes::<forms::End>())
}

/// Adds private fostering's API to the OpenAPI document.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    path::document::<forms::Notification>(doc);
    path::document::<forms::Visit>(doc);
    path::document::<forms::Assess>(doc);
    path::document::<forms::End>(doc);
}
/// The private fostering section of the child's page: each arrangement with its timescales and
/// visits, newest first.
pub fn section(rec: &store::ChildRecord) -> Value {
    let t = Timescales::default();
    let now = today();
    let arrangements: Vec<Value> = rec
        .private_fostering
        .iter()
        .map(|a| {
            let initial_due = a.initial_visit_due(&t).ok();
            let initial = match (a.initial_visit(), initial_due) {
                (Some(d), Some(due)) => format!(
                    "{} ({})",
                    fmt_date(d),
                    if d <= due { "within 7 working days" } else { "late" }
                ),
                (Some(d), None) => fmt_date(d),
                (None, Some(due)) => format!(
                    "Not yet made: due {}{}",
                    fmt_date(due),
                    if now > due { " (overdue)" } else { "" }
                ),
                (None, None) => "Not yet made".into(),
            };
            let next = a.next_visit_due(&t);
            context! {
                id => a.id.to_string(),
                notified => fmt_date(a.notified_on),
                notified_by => label(NOTIFIERS, &a.notified_by),
                notice => match a.notified_in_advance() {
                    Some(true) => "Notified at least 6 weeks before the start",
                    Some(false) => "Notified less than 6 weeks before the start",
                    None => "Already running when the council was told",
                },
                starts => fmt_date(a.starts_on),
                expected_end => a.expected_end.map(fmt_date),
                carer => carer_line(a),
                reason => a.reason.clone(),
                assessment => match (a.assessed_on, &a.suitability) {
                    (Some(on), Some(s)) => Some(format!("{}: {}", fmt_date(on), label(SUITABILITY, s))),
                    _ => None,
                },
                initial,
                next_due => next.map(fmt_date),
                next_overdue => next.is_some_and(|d| now > d),
                ended => a.ended_on.map(|e| format!(
                    "{}: {}{}",
                    fmt_date(e),
                    a.end_reason.as_deref().map(|r| label(END_REASONS, r)).unwrap_or_default(),
                    if a.end_notified_in_time() == Some(false) { " (the council was told more than 48 hours later)" } else { "" }
                )),
                open => a.ended_on.is_none(),
                visits => a.visits.iter().rev().map(|v| context! {
                    date => fmt_date(v.visited_on),
                    kind => if v.kind == VisitKind::Initial { "Initial" } else { "Statutory" },
                    seen => match (v.child_seen, v.seen_alone) {
                        (true, true) => "Seen alone",
                        (true, false) => "Seen, not alone",
                        (false, _) => "Not seen",
                    },
                    words => if v.childs_words.is_empty() { v.observation.clone() } else { format!("\u{201c}{}\u{201d}", v.childs_words) },
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    context! {
        arrangements,
        open => rec.private_fostering.iter().any(|a| a.ended_on.is_none()),
    }
}
