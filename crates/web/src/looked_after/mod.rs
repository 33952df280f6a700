//! Children looked after: their periods of care, episodes, reviews, health and missing episodes
//! on the child's page.

pub mod adoption;
pub mod corrections;
pub mod health;
pub mod plans;
pub mod reviews;

use crate::forms::fields::fmt_date;
use axum::Router;
use minijinja::Value;
use minijinja::context;

use crate::AppState;
use crate::forms::correct;
use crate::forms::path;

pub mod care;

/// The looked-after forms' pages and API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(path::routes::<care::Enter>())
        .merge(path::routes::<care::Change>())
        .merge(path::routes::<care::Cease>())
        .merge(path::routes::<plans::Permanence>())
        .merge(path::routes::<plans::Pep>())
        .merge(path::routes::<adoption::Adoption>())
        .merge(path::routes::<care::UascEndForm>())
        .merge(correct::routes::<corrections::Oc2Correction>())
        .merge(correct::routes::<corrections::DecisionCorrection>())
        .merge(correct::routes::<corrections::MatchCorrection>())
        .merge(correct::routes::<corrections::UascCorrection>())
}

/// Adds the looked-after forms' API to the OpenAPI document.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    path::document::<care::Enter>(doc);
    path::document::<care::Change>(doc);
    path::document::<care::Cease>(doc);
    path::document::<plans::Permanence>(doc);
    path::document::<plans::Pep>(doc);
    path::document::<adoption::Adoption>(doc);
    path::document::<care::UascEndForm>(doc);
    correct::document::<corrections::Oc2Correction>(doc);
    correct::document::<corrections::DecisionCorrection>(doc);
    correct::document::<corrections::MatchCorrection>(doc);
    correct::document::<corrections::UascCorrection>(doc);
}

/// The looked-after section of the child's page.
pub fn section(rec: &store::ChildRecord, session: &crate::auth::Session) -> Value {
    use domain::looked_after::{legal_status_label, placement_label, reason_ceased_label};
    let la = &rec.looked_after;
    if la.episodes.is_empty() {
        return Value::UNDEFINED;
    }
    let may =
        crate::policy::check_role(&session.user, crate::policy::Action::RecordCasework).is_ok();
    let current = la.episodes.iter().rev().find(|e| e.ended_on.is_none());
    let last_end = la
        .episodes
        .iter()
        .rev()
        .find(|e| e.reason_ceased.as_deref().is_some_and(|r| r != "X1"));
    // Placements: the first episode of each period and every change of placement.
    let placements = la.episodes.iter().filter(|e| e.reason_new != "L").count();
    let stability =
        domain::looked_after::care::stability(&la.episodes, crate::forms::fields::today());
    context! {
        current => current.map(|e| context! {
            since => fmt_date(e.started_on),
            legal_status => format!("{} ({})", legal_status_label(&e.legal_status), e.legal_status),
            placement => format!("{} ({})", placement_label(&e.placement), e.placement),
        }),
        left => (current.is_none()).then(|| last_end.map(|e| format!(
            "{}: {}",
            e.ended_on.map(fmt_date).unwrap_or_default(),
            reason_ceased_label(e.reason_ceased.as_deref().unwrap_or(""))
        ))).flatten(),
        first => fmt_date(la.episodes[0].started_on),
        placements,
        reviews => la.reviews.len(),
        last_review => la.reviews.last().map(|r| fmt_date(r.held_on)),
        missing => la.missing.len(),
        last_pep => la.peps.last().map(|p| fmt_date(p.reviewed_on)),
        open_missing => la.missing.iter().find(|m| m.ended_on.is_none()).map(|m| m.id.to_string()),
        adoption => adoption::section(rec, may),
        uasc => rec.person.details.uasc.then(|| context! {
            corrections => la.uasc_ended.as_ref().map(|u| correct::view::<corrections::UascCorrection>(rec, rec.person.id, u, may)),
            ended => la.uasc_ended.as_ref().map(|u| format!(
                "{} ({})",
                fmt_date(u.ceased_on),
                domain::looked_after::uasc_end_reason().label(&u.reason).unwrap_or("").to_lowercase()
            )),
        }),
        stability => current.map(|_| context! {
            moves => stability.moves_last_12_months,
            since => stability.current_placement_since.map(fmt_date),
            days => stability.days_in_current_placement,
        }),
    }
}

/// A due date as the care summary shows it: "Due by …", or "Overdue: was due by …".
fn due_text(due: chrono::NaiveDate, today: chrono::NaiveDate) -> Value {
    let overdue = due < today;
    context! {
        text => if overdue { format!("Overdue: was due by {}", fmt_date(due)) } else { format!("Due by {}", fmt_date(due)) },
        overdue,
    }
}

/// The care summary at the top of the care section of the child's page, for a child looked after
/// now: the current placement and legal status, the permanence plan (flagged when it is not there
/// by the second review), and when the next review, visit, health assessment, SDQ and PEP are due.
/// Undefined for a child not looked after now. Reads the child's reviews, health and plans (the
/// caller has opened the child's record, which is the access entry).
pub async fn summary(
    state: &AppState,
    session: &crate::auth::Session,
    rec: &store::ChildRecord,
) -> Result<Value, crate::error::AppError> {
    use domain::looked_after::education::{pep_applies, pep_due};
    use domain::looked_after::health::{
        initial_health_assessment_due, review_health_assessment_due, sdq_due,
    };
    use domain::looked_after::permanence::{current_plan, permanence_plan_due};
    use domain::looked_after::reviews::{cla_visit_due, next_review_due};
    use domain::looked_after::{legal_status_label, placement_label};
    let la = &rec.looked_after;
    let Some(current) = la.episodes.iter().rev().find(|e| e.ended_on.is_none()) else {
        return Ok(Value::UNDEFINED);
    };
    let Some(entered) = reviews::entered_care(rec) else {
        return Ok(Value::UNDEFINED);
    };
    let today = crate::forms::fields::today();
    let dob = rec.person.details.date_of_birth;
    let care = state.store.care_reviews(rec.person.id).await?;
    let plans = state.store.care_plans(rec.person.id).await?;
    // The current placement began with the latest episode of the period that was not only a
    // change of legal status.
    let placed_on = la
        .episodes
        .iter()
        .filter(|e| e.period_id == current.period_id && e.reason_new != "L")
        .map(|e| e.started_on)
        .max()
        .unwrap_or(entered);
    let held: Vec<_> = la
        .reviews
        .iter()
        .map(|r| r.held_on)
        .filter(|h| *h >= entered)
        .collect();
    let plan = match current_plan(&plans.permanence) {
        Some(p) => context! {
            text => format!("{}: target {}", p.describe(), fmt_date(p.target_on)),
            overdue => false,
            superseded => plans.permanence.iter().filter(|p| p.superseded_on.is_some()).count(),
        },
        None => match permanence_plan_due(entered, &held) {
            Ok(due) if due < today => context! {
                text => format!("Not recorded: it was due by the second review, {}", fmt_date(due)),
                overdue => true,
            },
            Ok(due) => {
                context! { text => format!("Not recorded yet: due by the second review, {}", fmt_date(due)), overdue => false }
            }
            Err(_) => context! { text => "Not recorded", overdue => false },
        },
    };
    let review = next_review_due(entered, &held)
        .ok()
        .map(|d| due_text(d, today));
    // UNCONFIRMED: whether the placement is intended to last until 18 is not on the record, so
    // the 3-monthly interval of reg 28(2)(c) never applies here (as on work due).
    let last_seen = rec
        .notes
        .iter()
        .filter(|n| {
            n.note.kind == domain::case_notes::NoteKind::Visit
                && n.note.child_seen == Some(true)
                && !domain::correction::entered_in_error(&rec.corrections, "note", n.id)
        })
        .map(|n| n.note.date)
        .max();
    let visit = due_text(cla_visit_due(placed_on, last_seen, false), today);
    // As on work due: the initial health assessment until one is done in this period of care.
    let assessments: Vec<_> = care
        .health_checks
        .iter()
        .filter(|h| h.kind != "dental")
        .collect();
    let initial_done = assessments
        .iter()
        .any(|h| h.kind == "initial" && h.done_on >= entered);
    let last_assessment = assessments.iter().map(|h| h.done_on).max();
    let health = match last_assessment {
        Some(l) if initial_done || l >= entered => Some(context! {
            what => "Review health assessment",
            due => due_text(review_health_assessment_due(l, dob), today),
        }),
        _ => initial_health_assessment_due(entered).ok().map(|d| {
            context! {
                what => "Initial health assessment",
                due => due_text(d, today),
            }
        }),
    };
    let last_sdq = care.sdqs.iter().map(|s| s.done_on).max();
    let sdq = dob
        .and_then(|dob| sdq_due(entered, last_sdq, dob))
        .map(|d| due_text(d, today));
    let last_pep = plans.peps.iter().map(|p| p.reviewed_on).max();
    let pep = pep_applies(dob, today)
        .then(|| pep_due(entered, last_pep).ok().map(|d| due_text(d, today)))
        .flatten();
    Ok(context! {
        placement => format!("{} ({}), since {}", placement_label(&current.placement), current.placement, fmt_date(placed_on)),
        legal_status => format!("{} ({})", legal_status_label(&current.legal_status), current.legal_status),
        plan,
        review,
        visit,
        health,
        sdq,
        pep,
        oc2 => corrections::oc2_list(rec, &care.oc2_events, session),
    })
}

/// The SSDA903 findings this child's record would raise in this collection year's return today
/// (the child's part of the return written from the record, validated by the same rules as a
/// council's whole return), one line per rule; undefined for a child not looked after in the
/// year. Reads the child's part of the return (the caller has opened the child's record, which is
/// the access entry).
pub async fn return_findings(
    state: &AppState,
    rec: &store::ChildRecord,
) -> Result<Value, crate::error::AppError> {
    let today = crate::forms::fields::today();
    let year = i32::from(domain::calendar::collection_year(today));
    let start = chrono::NaiveDate::from_ymd_opt(year - 1, 4, 1).expect("a real date");
    let in_year = rec
        .looked_after
        .episodes
        .iter()
        .any(|e| e.ended_on.is_none_or(|x| x >= start));
    if !in_year {
        return Ok(Value::UNDEFINED);
    }
    let x = state
        .store
        .looked_after_export_for(year, rec.person.id)
        .await?;
    let (ret, _) = returns::ssda903::from_record::from_record(&x);
    let v = returns::ssda903::validate(&ret, year);
    let mut rules: Vec<(String, Value)> = Vec::new();
    for f in &v.findings {
        if rules.iter().any(|(r, _)| *r == f.rule_code) {
            continue;
        }
        rules.push((
            f.rule_code.clone(),
            context! {
                rule => f.rule_code.clone(),
                error => f.severity == returns::findings::Severity::Error,
                message => f.message.clone(),
                fields => f.fields.join(", "),
            },
        ));
    }
    Ok(context! {
        year => format!("{}/{:02}", year - 1, year % 100),
        findings => rules.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
    })
}
