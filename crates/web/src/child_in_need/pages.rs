use crate::AppState;
use crate::auth::AuthedForm;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::Field;
use crate::forms::FormData;
use crate::forms::FormSpec;
use crate::forms::RefQuery;
use crate::forms::SavedQuery;
use crate::forms::errors::error_context;
use crate::forms::errors::store_error;
use crate::forms::fields::date_items;
use crate::forms::fields::fmt_date;
use crate::forms::fields::list_items;
use crate::forms::fields::today;
use crate::guard::back_to_child;
use crate::guard::casework_child;
use crate::guard::record_of;
use crate::guard::referral_of;
use crate::policy::Action;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use domain::child_in_need::ACTION_STATUSES;
use domain::child_in_need::ActionProgress;
use domain::child_in_need::EpisodeClosure;
use domain::child_in_need::NewCinPlan;
use domain::child_in_need::NewPlanAction;
use domain::child_in_need::PlanReview;
use domain::codes;
use domain::validate::FieldError;
use minijinja::Value;
use minijinja::context;
use store::CaseRecord;
use uuid::Uuid;

pub(crate) fn close_spec(id: Uuid, rec: &store::ChildRecord) -> FormSpec {
    FormSpec {
        title: "Close the child in need episode".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/referrals/{id}/close"),
        button: "Close episode",
        intro: None,
        fields: vec![
            Field::Date("closed", "Date closed"),
            Field::Radios(
                "closure_reason",
                "Reason for closure",
                list_items(codes::closure_reason(), today()),
            ),
        ],
    }
}

pub async fn close_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::Referral,
        &id,
        Action::RecordCasework,
        "close episode form",
    )
    .await?;
    close_spec(id, &rec).blank(&state, &session, &["closed"])
}

pub async fn close_referral(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::Referral,
        &id,
        Action::RecordCasework,
        "close episode",
    )
    .await?;
    let referral = rec
        .front_door
        .referrals
        .iter()
        .find(|r| r.id == id)
        .ok_or(AppError::NotFound { api: false })?;
    let mut errors = Vec::new();
    if let Some(closed) = form.date("closed", "Date closed", &mut errors) {
        let c = EpisodeClosure {
            closed_on: closed,
            reason: form.get("closure_reason"),
        };
        errors.extend(c.validate(referral.referral_date, today()));
        if errors.is_empty() {
            match state.store.close_referral(session.actor(), id, c).await {
                Ok(_) => return Ok(back_to_child(rec.person.id, "closed")),
                Err(e) => errors.push(store_error(e, "closed")?),
            }
        }
    }
    close_spec(id, &rec).render(&state, &session, &form, &errors)
}

pub(crate) fn cin_plan_spec(rec: &store::ChildRecord, referral: &str) -> FormSpec {
    FormSpec {
        title: "Start a child in need plan".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/children/{}/cin-plans?referral={referral}", rec.person.id),
        button: "Start plan",
        intro: None,
        fields: vec![
            Field::Date("started", "Date the plan started"),
            Field::Radios(
                "primary_need",
                "The child's main need",
                list_items(codes::primary_need(), today()),
            ),
        ],
    }
}

pub async fn cin_plan_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<RefQuery>,
) -> Result<Response, AppError> {
    let rec = casework_child(&state, &session, &id, "child in need plan form").await?;
    referral_of(&rec, &q.referral)?;
    cin_plan_spec(&rec, &q.referral).blank(&state, &session, &["started"])
}

pub async fn start_cin_plan(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<RefQuery>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let rec = casework_child(&state, &session, &id, "start child in need plan").await?;
    let referral = referral_of(&rec, &q.referral)?;
    let mut errors = Vec::new();
    if let Some(started) = form.date("started", "Date the plan started", &mut errors) {
        let p = NewCinPlan {
            referral_id: referral.id,
            started_on: started,
            primary_need: form.get("primary_need"),
        };
        errors.extend(p.validate(referral.referral_date, today()));
        if errors.is_empty() {
            match state.store.start_cin_plan(session.actor(), p).await {
                Ok(p) => {
                    return Ok(
                        Redirect::to(&format!("/cin-plans/{}?saved=started", p.id)).into_response()
                    );
                }
                Err(e) => errors.push(store_error(e, "started")?),
            }
        }
    }
    cin_plan_spec(&rec, &q.referral).render(&state, &session, &form, &errors)
}

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

pub async fn add_plan_action(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::CinPlan,
        &id,
        Action::RecordCasework,
        "add plan action",
    )
    .await?;
    let mut errors = Vec::new();
    let due = form.parts("due").parse("due", "Due date");
    match due {
        Ok(Some(due_on)) => {
            let a = NewPlanAction {
                need: form.get("need"),
                action: form.get("action"),
                owner: form.get("owner"),
                due_on,
            };
            let started = rec
                .cin_plans
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.started_on)
                .unwrap_or(due_on);
            errors.extend(a.validate(started));
            if errors.is_empty() {
                match state.store.add_plan_action(session.actor(), id, a).await {
                    Ok(_) => {
                        return Ok(
                            Redirect::to(&format!("/cin-plans/{id}?saved=action")).into_response()
                        );
                    }
                    Err(e) => errors.push(store_error(e, "action")?),
                }
            }
        }
        Ok(None) => errors.push(FieldError::new("due", "Enter the due date")),
        Err(e) => errors.push(e),
    }
    plan_page(
        &state,
        &session,
        id,
        &rec,
        &form.with_today(&["held", "ended"]),
        &errors,
        "",
    )
}

pub async fn review_plan(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::CinPlan,
        &id,
        Action::RecordCasework,
        "review plan",
    )
    .await?;
    let mut errors = Vec::new();
    if let Some(held) = form.date("held", "Date of the review", &mut errors) {
        if form.get("summary").trim().is_empty() {
            errors.push(FieldError::new(
                "summary",
                "Enter what the review found and decided",
            ));
        } else {
            match state
                .store
                .review_cin_plan(
                    session.actor(),
                    id,
                    PlanReview {
                        held_on: held,
                        summary: form.get("summary"),
                    },
                )
                .await
            {
                Ok(_) => {
                    return Ok(
                        Redirect::to(&format!("/cin-plans/{id}?saved=review")).into_response()
                    );
                }
                Err(e) => errors.push(store_error(e, "held")?),
            }
        }
    }
    plan_page(
        &state,
        &session,
        id,
        &rec,
        &form.with_today(&["due", "ended"]),
        &errors,
        "",
    )
}

pub async fn end_plan(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::CinPlan,
        &id,
        Action::RecordCasework,
        "end plan",
    )
    .await?;
    let mut errors = Vec::new();
    if let Some(ended) = form.date("ended", "Date the plan ended", &mut errors) {
        match state.store.end_cin_plan(session.actor(), id, ended).await {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/cin-plans/{id}?saved=ended")).into_response());
            }
            Err(e) => errors.push(store_error(e, "ended")?),
        }
    }
    plan_page(
        &state,
        &session,
        id,
        &rec,
        &form.with_today(&["due", "held"]),
        &errors,
        "",
    )
}

pub(crate) fn progress_spec(id: Uuid, rec: &store::ChildRecord, action: &str) -> FormSpec {
    FormSpec {
        title: "Record progress on an action".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/plan-actions/{id}"),
        button: "Save progress",
        intro: Some(format!("Action: {action}")),
        fields: vec![
            Field::Radios(
                "status",
                "Where has it got to?",
                ACTION_STATUSES
                    .iter()
                    .map(|(c, l)| (c.to_string(), l.to_string()))
                    .collect(),
            ),
            Field::Textarea(
                "progress",
                "Progress",
                "What has happened, and the difference it has made for the child.",
            ),
        ],
    }
}

pub(crate) fn find_action(
    rec: &store::ChildRecord,
    id: Uuid,
) -> Result<(Uuid, domain::child_in_need::PlanAction), AppError> {
    rec.cin_plans
        .iter()
        .find_map(|p| {
            p.actions
                .iter()
                .find(|a| a.id == id)
                .map(|a| (p.id, a.clone()))
        })
        .ok_or(AppError::NotFound { api: false })
}

pub async fn action_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::PlanAction,
        &id,
        Action::RecordCasework,
        "plan action form",
    )
    .await?;
    let (_, a) = find_action(&rec, id)?;
    let form = FormData::default()
        .set("status", &a.status)
        .set("progress", &a.progress);
    progress_spec(id, &rec, &a.action).render(&state, &session, &form, &[])
}

pub async fn update_action(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::PlanAction,
        &id,
        Action::RecordCasework,
        "update plan action",
    )
    .await?;
    let (plan, a) = find_action(&rec, id)?;
    let p = ActionProgress {
        status: form.get("status"),
        progress: form.get("progress"),
    };
    let mut errors = p.validate();
    if errors.is_empty() {
        match state.store.update_plan_action(session.actor(), id, p).await {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/cin-plans/{plan}?saved=progress")).into_response()
                );
            }
            Err(e) => errors.push(store_error(e, "progress")?),
        }
    }
    progress_spec(id, &rec, &a.action).render(&state, &session, &form, &errors)
}
