//! Child in need's views: the plan's page (with its forms for an action, a review and its end),
//! and the progress form opened with what the action has so far.

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::FormData;
use crate::forms::SavedQuery;
use crate::forms::errors::error_context;
use crate::forms::fields::date_items;
use crate::forms::fields::fmt_date;
use crate::forms::fields::today;
use crate::guard::record_of;
use crate::policy::Action;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use domain::child_in_need::ACTION_STATUSES;
use domain::codes;
use domain::validate::FieldError;
use minijinja::Value;
use minijinja::context;
use store::CaseRecord;
use uuid::Uuid;

/// A plan with its actions and reviews, and the forms to add to it.
pub async fn show_cin_plan(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::CinPlan,
        &id,
        Action::ViewRecord,
        "view child in need plan",
    )
    .await?;
    plan_page(
        &state,
        &session,
        id,
        &rec,
        &FormData::default().with_today(&["due", "held", "ended"]),
        &[],
        &q.saved,
    )
}

pub(crate) fn plan_page(
    state: &AppState,
    session: &Session,
    id: Uuid,
    rec: &store::ChildRecord,
    form: &FormData,
    errors: &[FieldError],
    saved: &str,
) -> Result<Response, AppError> {
    let plan = rec
        .cin_plans
        .iter()
        .find(|p| p.id == id)
        .ok_or(AppError::NotFound { api: false })?;
    let t = today();
    let actions: Vec<Value> = plan
        .actions
        .iter()
        .map(|a| {
            let overdue = a.due_on < t && matches!(a.status.as_str(), "not_started" | "in_progress");
            context! {
                id => a.id.to_string(), need => a.need.clone(), action => a.action.clone(), owner => a.owner.clone(),
                due => fmt_date(a.due_on), overdue,
                status => ACTION_STATUSES.iter().find(|(c, _)| *c == a.status).map(|(_, l)| *l).unwrap_or(""),
                progress => a.progress.clone(),
            }
        })
        .collect();
    let may = crate::policy::check_role(&session.user, Action::RecordCasework).is_ok()
        && plan.ended_on.is_none();
    let err = |name: &str| {
        errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| context! { text => e.message.clone() })
    };
    let (by_field, error_list) = error_context(errors, &["due", "held", "ended"]);
    let html = state.templates.page(
        "child_in_need/plan.html",
        Some(session),
        context! {
            title => "Child in need plan",
            id => id.to_string(),
            child_id => rec.person.id.to_string(),
            child_name => rec.person.full_name(),
            saved => match saved { "started" => "Plan started", "action" => "Action added", "progress" => "Progress recorded", "review" => "Review recorded", "ended" => "Plan ended", _ => "" },
            started => fmt_date(plan.started_on),
            ended => plan.ended_on.map(fmt_date),
            end_reason => plan.end_reason.clone(),
            need => codes::primary_need().label(&plan.primary_need).unwrap_or(&plan.primary_need),
            actions,
            reviews => plan.reviews.iter().map(|r| context! { held => fmt_date(r.held_on), summary => r.summary.clone() }).collect::<Vec<_>>(),
            may,
            form => context! { need => form.get("need"), action => form.get("action"), owner => form.get("owner"), summary => form.get("summary") },
            due_items => date_items(err("due").is_some(), &form.parts("due")),
            held_items => date_items(err("held").is_some(), &form.parts("held")),
            ended_items => date_items(err("ended").is_some(), &form.parts("ended")),
            errors => if errors.is_empty() { Value::UNDEFINED } else { by_field },
            error_list,
        },
    )?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, html).into_response())
}
