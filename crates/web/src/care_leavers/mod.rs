//! Leaving care: the personal adviser beside the social worker, pathway plans (reviewed and
//! superseded with their history) and keeping in touch after the young person left care. Its
//! forms are declarations in [`forms`], served as pages and API by the one form path; the
//! young person's leaving care is read at `GET /api/children/{id}/care-leaving` and
//! `GET /api/children/{id}/pathway-plans` (each an access entry, through the guard).

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use domain::care_leavers::{
    ACCOMMODATION, ACTIVITY, CareLeaving, IN_TOUCH, NEED_AREAS, OC3_BIRTHDAYS, PathwayPlan,
    birthday, birthday_contact_due, birthday_status, held_until, label, left_care_as_care_leaver,
    status_on,
};
use domain::child_in_need::ACTION_STATUSES;
use minijinja::{Value, context};

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::fields::{fmt_date, today};
use crate::forms::{correct, path};
use crate::guard::open_child;

pub mod corrections;
pub mod forms;
pub mod support;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(path::routes::<forms::PersonalAdviser>())
        .merge(path::routes::<forms::Pathway>())
        .merge(path::routes::<forms::KeepInTouch>())
        .merge(path::routes::<forms::Status>())
        .merge(path::routes::<support::Needs>())
        .merge(path::routes::<support::Support>())
        .merge(path::routes::<support::ActionProgress>())
        .merge(correct::routes::<corrections::ContactCorrection>())
        .merge(correct::routes::<corrections::StatusCorrection>())
        .merge(correct::routes::<corrections::NeedsCorrection>())
        .merge(correct::routes::<corrections::SupportCorrection>())
        .route("/api/children/{id}/care-leaving", get(care_leaving))
        .route("/api/children/{id}/pathway-plans", get(pathway_plans))
}

/// Adds leaving care's API to the OpenAPI document.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::OpenApi;
    path::document::<forms::PersonalAdviser>(doc);
    path::document::<forms::Pathway>(doc);
    path::document::<forms::KeepInTouch>(doc);
    path::document::<forms::Status>(doc);
    path::document::<support::Needs>(doc);
    path::document::<support::Support>(doc);
    path::document::<support::ActionProgress>(doc);
    correct::document::<corrections::ContactCorrection>(doc);
    correct::document::<corrections::StatusCorrection>(doc);
    correct::document::<corrections::NeedsCorrection>(doc);
    correct::document::<corrections::SupportCorrection>(doc);
    #[derive(utoipa::OpenApi)]
    #[openapi(
        paths(care_leaving, pathway_plans),
        components(schemas(CareLeaving, PathwayPlan))
    )]
    struct Reads;
    doc.merge(Reads::openapi());
}

/// A young person's personal advisers, pathway plans (with those superseded) and keeping in
/// touch, newest first. The view is recorded in the audit log.
#[utoipa::path(get, path = "/api/children/{id}/care-leaving", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = CareLeaving), (status = 403, body = crate::api::ApiError), (status = 404, body = crate::api::ApiError)))]
pub(crate) async fn care_leaving(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<CareLeaving>, AppError> {
    let rec = open_child(
        &state,
        &session,
        &id,
        "/api/children/{id}/care-leaving",
        "api: care leaving",
        true,
    )
    .await?;
    Ok(Json(rec.care_leavers))
}

/// A young person's pathway plans, newest first: the current one and those its reviews
/// superseded. The view is recorded in the audit log.
#[utoipa::path(get, path = "/api/children/{id}/pathway-plans", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<PathwayPlan>), (status = 403, body = crate::api::ApiError), (status = 404, body = crate::api::ApiError)))]
pub(crate) async fn pathway_plans(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<Vec<PathwayPlan>>, AppError> {
    let rec = open_child(
        &state,
        &session,
        &id,
        "/api/children/{id}/pathway-plans",
        "api: pathway plans",
        true,
    )
    .await?;
    Ok(Json(rec.care_leavers.plans))
}

/// The leaving care section of the child's page; `may` record casework (and so correct it).
pub fn section(rec: &store::ChildRecord, may: bool) -> Value {
    let cl = &rec.care_leavers;
    let now = today();
    let sixteen = rec
        .person
        .details
        .date_of_birth
        .and_then(domain::care_leavers::personal_adviser_from)
        .is_some_and(|d| d <= now);
    let plan_from = rec
        .person
        .details
        .date_of_birth
        .and_then(domain::care_leavers::pathway_plan_from);
    let plans: Vec<Value> = cl
        .plans
        .iter()
        .map(|p| context! {
            date => fmt_date(p.plan_date),
            views => p.views.clone(),
            goals => p.goals.clone(),
            review_due => fmt_date(p.review_due),
            overdue => p.superseded_by.is_none() && now > p.review_due,
            current => p.superseded_by.is_none(),
            superseded => p.superseded_on.map(fmt_date),
            actions => p.actions.iter().map(|a| context! {
                id => a.id.to_string(), action => a.action.clone(), owner => a.owner.clone(), due => fmt_date(a.due_on),
                status => label(ACTION_STATUSES, &a.status), progress => a.progress.clone(),
                overdue => now > a.due_on && matches!(a.status.as_str(), "not_started" | "in_progress"),
            }).collect::<Vec<_>>(),
        })
        .collect();
    let contacts: Vec<Value> = cl
        .contacts
        .iter()
        .map(|k| {
            context! {
                date => fmt_date(k.contact_on),
                seen => if k.seen { "Seen" } else { "Not seen" },
                place => k.place.clone(),
                words => k.words.clone(),
                in_touch => label(IN_TOUCH, &k.in_touch),
                corrections => correct::view::<corrections::ContactCorrection>(rec, k.id, &corrections::contact_record(k), may),
            }
        })
        .collect();
    let statuses: Vec<Value> = cl
        .statuses
        .iter()
        .map(|s| context! {
            from => fmt_date(s.from),
            activity => s.activity.as_deref().map(|a| label(ACTIVITY, a)).unwrap_or_else(|| "Unchanged".into()),
            accommodation => accommodation(s.accommodation.as_deref(), s.suitable, "Unchanged"),
            corrections => correct::view::<corrections::StatusCorrection>(rec, s.id, &corrections::status_record(s), may),
        })
        .collect();
    let on = status_on(&cl.statuses, now);
    let dob = rec.person.details.date_of_birth;
    let leaver = dob.and_then(|d| {
        let episodes = rec
            .looked_after
            .episodes
            .iter()
            .map(|e| (e.started_on, e.ended_on));
        left_care_as_care_leaver(d, episodes).map(|left| (d, left))
    });
    let birthdays: Vec<Value> = leaver
        .map(|(d, left)| {
            OC3_BIRTHDAYS
                .map(|n| birthday_status(d, n, &cl.contacts, &cl.statuses))
                .filter(|b| b.birthday > left && b.window.0 <= now)
                .map(|b| {
                    let open = now <= b.window.1;
                    let (tag, tag_class) = match (b.contact, open) {
                        (Some(c), _) => (Some(format!("Contact {}", fmt_date(c))), "govuk-tag--green"),
                        (None, true) => (Some(format!("Contact due by {}", fmt_date(b.window.1))), "govuk-tag--yellow"),
                        (None, false) => (Some("Missed".to_string()), "govuk-tag--red"),
                    };
                    context! {
                        age => b.age,
                        birthday => fmt_date(b.birthday),
                        window => format!("{} to {}", fmt_date(b.window.0), fmt_date(b.window.1)),
                        tag, tag_class,
                        in_touch => if b.contact.is_none() && open { "Not yet".to_string() } else { format!("{} ({})", label(IN_TOUCH, &b.in_touch), b.in_touch) },
                        activity => b.activity.as_deref().map(|a| format!("{} ({a})", label(ACTIVITY, a))).unwrap_or_else(|| "Blank".into()),
                        accommodation => b.accommodation.clone().unwrap_or_else(|| "Blank".into()),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let contact_due = leaver
        .and_then(|(d, left)| birthday_contact_due(d, left, &cl.contacts, now))
        .map(|b| {
            if now > b.window.1 {
                format!("The contact around the {}th birthday ({}) was missed: nobody was in touch between {} and {}.", b.age, fmt_date(b.birthday), fmt_date(b.window.0), fmt_date(b.window.1))
            } else {
                format!("Contact due around the {}th birthday ({}): be in touch by {}.", b.age, fmt_date(b.birthday), fmt_date(b.window.1))
            }
        });
    let assessments: Vec<Value> = cl
        .assessments
        .iter()
        .map(|a| context! {
            date => fmt_date(a.assessed_on),
            areas => a.areas.iter().map(|x| label(NEED_AREAS, x)).collect::<Vec<_>>().join("; "),
            findings => a.findings.clone(),
            views => a.views.clone(),
            corrections => correct::view::<corrections::NeedsCorrection>(rec, a.id, &corrections::needs_record(a), may),
        })
        .collect();
    let held = dob.map(|d| held_until(d, &cl.support));
    context! {
        shown => sixteen || !cl.is_empty(),
        assessments,
        held_until => held.map(fmt_date),
        support => cl.support.iter().map(|r| context! {
            date => fmt_date(r.requested_on), words => r.words.clone(),
            corrections => correct::view::<corrections::SupportCorrection>(rec, r.id, &corrections::support_record(r), may),
        }).collect::<Vec<_>>(),
        may_ask_support => leaver.is_some() && cl.support.is_empty() && dob.is_some_and(|d| now >= birthday(d, 21) - chrono::Months::new(6) && now < birthday(d, 25)),
        adviser => cl.current_adviser().map(|a| context! {
            name => a.worker_name.clone(), team => a.team_name.clone(), from => fmt_date(a.from),
        }),
        may_plan => plan_from.is_some_and(|d| d <= now),
        plan_from => plan_from.map(fmt_date),
        has_plan => cl.current_plan().is_some(),
        earlier_plans => cl.plans.iter().filter(|p| p.superseded_by.is_some()).count(),
        plans,
        left_care => forms::left_care(rec).map(fmt_date),
        contacts,
        statuses,
        in_error => correct::entered_in_error::<corrections::ContactCorrection>(rec)
            .into_iter()
            .chain(correct::entered_in_error::<corrections::StatusCorrection>(rec))
            .chain(correct::entered_in_error::<corrections::NeedsCorrection>(rec))
            .chain(correct::entered_in_error::<corrections::SupportCorrection>(rec))
            .collect::<Vec<_>>(),
        now => context! {
            activity => on.activity.as_deref().map(|a| label(ACTIVITY, a)).unwrap_or_else(|| "Not recorded".into()),
            accommodation => accommodation(on.accommodation.as_deref(), on.suitable, "Not recorded"),
            staying_put => on.staying_put(),
        },
        birthdays,
        contact_due,
    }
}

/// An accommodation with its suitability, as the page shows it.
pub(crate) fn accommodation(letter: Option<&str>, suitable: Option<bool>, none: &str) -> String {
    match (letter, suitable) {
        (Some(a), Some(s)) => format!(
            "{} ({})",
            label(ACCOMMODATION, a),
            if s { "suitable" } else { "not suitable" }
        ),
        _ => none.into(),
    }
}
