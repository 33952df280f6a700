use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::SavedQuery;
use crate::forms::errors::errors_value;
use crate::forms::errors::status;
use crate::forms::fields::code_items;
use crate::forms::fields::date_items;
use crate::forms::fields::fmt_date;
use crate::forms::fields::label;
use crate::forms::fields::parts;
use crate::forms::fields::today;
use crate::forms::fields::today_parts;
use crate::guard::casework_record;
use crate::guard::parse_id;
use crate::policy::Action;
use crate::policy::check_role;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use domain::calendar::collection_year;
use domain::codes;
use domain::timescales::Rag;
use domain::validate::FieldError;
use minijinja::Value;
use minijinja::context;
use serde::Deserialize;
use serde::Serialize;
use store::StoreError;

#[derive(Deserialize, Serialize, Default)]
pub struct StartForm {
    #[serde(default)]
    pub(crate) referral_id: String,
    #[serde(default, rename = "started-day")]
    pub(crate) day: String,
    #[serde(default, rename = "started-month")]
    pub(crate) month: String,
    #[serde(default, rename = "started-year")]
    pub(crate) year: String,
}

pub(crate) fn start_page(
    state: &AppState,
    session: &Session,
    rec: &store::ChildRecord,
    form: &StartForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let referral = rec
        .front_door
        .referrals
        .iter()
        .find(|r| r.id.to_string() == form.referral_id)
        .ok_or(AppError::NotFound { api: false })?;
    let due = domain::timescales::assessment_due(referral.referral_date).ok();
    let (errs, error_list) = errors_value(errors, &["started"]);
    let html = state.templates.page(
        "assessment/start.html",
        Some(session),
        context! {
            title => "Start a single assessment",
            child_id => rec.person.id.to_string(),
            child_name => rec.person.full_name(),
            form => Value::from_serialize(form),
            referral_date => fmt_date(referral.referral_date),
            due => due.map(fmt_date),
            started_items => date_items(!errors.is_empty(), &parts(&form.day, &form.month, &form.year)),
            errors => errs,
            error_list,
        },
    )?;
    Ok((status(errors), html).into_response())
}

#[derive(Deserialize, Serialize, Default)]
pub struct CompletionForm {
    #[serde(default)]
    pub(crate) version: String,
    #[serde(default, rename = "completed-day")]
    pub(crate) day: String,
    #[serde(default, rename = "completed-month")]
    pub(crate) month: String,
    #[serde(default, rename = "completed-year")]
    pub(crate) year: String,
    #[serde(default)]
    pub(crate) factors: Vec<String>,
    #[serde(default)]
    pub(crate) outcome: String,
    #[serde(default)]
    pub(crate) summary: String,
    #[serde(flatten)]
    pub(crate) framework: domain::assessment::AssessmentFramework,
}

impl CompletionForm {
    /// The form as posted.
    pub(crate) fn posted(form: &crate::forms::FormData) -> Self {
        let d = form.parts("completed");
        CompletionForm {
            version: form.get("version"),
            day: d.day,
            month: d.month,
            year: d.year,
            factors: form.all("factors"),
            outcome: form.get("outcome"),
            summary: form.get("summary"),
            framework: domain::assessment::AssessmentFramework::from_sections(|n| form.get(n)),
        }
    }

    /// The form as the assessment holds it (its draft), completed today.
    pub(crate) fn of(a: &domain::assessment::Assessment) -> Self {
        let (day, month, year) = today_parts();
        CompletionForm {
            version: a.version.to_string(),
            day,
            month,
            year,
            factors: a.factors.clone(),
            outcome: a.outcome.clone().unwrap_or_default(),
            summary: a.summary.clone(),
            framework: a.framework.clone(),
        }
    }
}

/// An assessment and its child's record, after the checks (the view is audited).
pub(crate) async fn assessment_for(
    state: &AppState,
    session: &Session,
    id: &str,
    action: Action,
    what: &str,
) -> Result<(domain::assessment::Assessment, store::ChildRecord), AppError> {
    let id = parse_id(id, false)?;
    let a = match state.store.get_assessment(id).await {
        Ok(a) => a,
        Err(StoreError::NotFound(_)) => return Err(AppError::NotFound { api: false }),
        Err(e) => return Err(e.into()),
    };
    let rec = casework_record(state, session, &a.child_id.to_string(), action, what).await?;
    Ok((a, rec))
}

pub(crate) fn assessment_page(
    state: &AppState,
    session: &Session,
    a: &domain::assessment::Assessment,
    rec: &store::ChildRecord,
    form: &CompletionForm,
    errors: &[FieldError],
    saved: &str,
) -> Result<Response, AppError> {
    let year = collection_year(today());
    let rag = Rag::of(a.completed_on.unwrap_or(a.due_on).max(a.due_on), today());
    let state_text = match (a.completed_on, a.authorised_on) {
        (_, Some(_)) => "Authorised",
        (Some(_), None) => "Completed: waiting for a manager to authorise",
        (None, None) => "In progress",
    };
    let row = |k: &str, v: String| context! { key => context! { text => k }, value => context! { text => v } };
    let mut rows = vec![
        row("Status", state_text.into()),
        row("Referral", fmt_date(a.referral_date)),
        row("Started", fmt_date(a.started_on)),
        row(
            "Due (45 working days from the referral)",
            fmt_date(a.due_on),
        ),
    ];
    if let Some(done) = a.completed_on {
        let cal = domain::calendar::Calendar::england();
        let days = cal.working_days_between(a.referral_date, done).unwrap_or(0);
        rows.push(row(
            "Completed",
            format!("{} ({days} working days from the referral)", fmt_date(done)),
        ));
        rows.push(row(
            "Factors identified",
            a.factors
                .iter()
                .map(|f| label(codes::assessment_factor(), f))
                .collect::<Vec<_>>()
                .join("; "),
        ));
        rows.push(row(
            "Outcome",
            a.outcome
                .as_deref()
                .map(|o| label(codes::assessment_outcome(), o))
                .unwrap_or_default(),
        ));
        for sec in domain::assessment::FRAMEWORK_SECTIONS {
            rows.push(row(sec.label, a.framework.section(sec.name).to_string()));
        }
        rows.push(row("Summary and recommendation", a.summary.clone()));
    } else if let Some(at) = a.draft_saved_at {
        rows.push(row(
            "Draft last saved",
            at.with_timezone(&chrono::Local)
                .format("%-d %B %Y at %-I:%M%P")
                .to_string(),
        ));
    }
    if let (Some(on), by) = (a.authorised_on, &a.authorised_by) {
        rows.push(row(
            "Authorised",
            format!("{} by {}", fmt_date(on), by.clone().unwrap_or_default()),
        ));
        if !a.authorised_comment.is_empty() {
            rows.push(row("Manager's comment", a.authorised_comment.clone()));
        }
    }
    let returns: Vec<Value> = a
        .returns
        .iter()
        .map(|r| {
            context! {
                at => r.returned_at.with_timezone(&chrono::Local).format("%-d %B %Y").to_string(),
                by => r.returned_by.clone().unwrap_or_default(),
                completed => fmt_date(r.completed_on),
                comment => r.comment.clone(),
            }
        })
        .collect();
    let may_write =
        a.completed_on.is_none() && check_role(&session.user, Action::RecordCasework).is_ok();
    let (errs, error_list) = errors_value(errors, &["completed"]);
    let html = state.templates.page(
        "assessment/show.html",
        Some(session),
        context! {
            title => "Single assessment",
            id => a.id.to_string(),
            version => a.version,
            child_id => rec.person.id.to_string(),
            child_name => rec.person.full_name(),
            saved => match saved { "started" => "Assessment started", "draft" => "Draft saved", "completed" => "Assessment completed", "authorised" => "Assessment authorised", "returned" => "Assessment returned to the worker", _ => "" },
            rows,
            overdue => a.completed_on.is_none() && rag == Rag::Red,
            may_complete => may_write,
            returns,
            sections => super::forms::sections(&form.framework),
            may_authorise => a.completed_on.is_some() && a.authorised_on.is_none() && check_role(&session.user, Action::Oversee).is_ok(),
            form => Value::from_serialize(form),
            completed_items => date_items(errors.iter().any(|e| e.field == "completed"), &parts(&form.day, &form.month, &form.year)),
            factor_items => code_items(codes::assessment_factor(), year, |c| form.factors.iter().any(|f| f == c)),
            outcome_items => code_items(codes::assessment_outcome(), year, |c| c == form.outcome),
            errors => errs,
            error_list,
        },
    )?;
    Ok((status(errors), html).into_response())
}

pub async fn show_assessment(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let (a, rec) =
        assessment_for(&state, &session, &id, Action::ViewRecord, "view assessment").await?;
    assessment_page(
        &state,
        &session,
        &a,
        &rec,
        &CompletionForm::of(&a),
        &[],
        &q.saved,
    )
}
