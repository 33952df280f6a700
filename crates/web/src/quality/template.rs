//! The council's audit template on pages: its domains (graded and retired) in order, and a
//! domain added or changed (its name, what the auditor looks for, its place, whether it is still
//! graded). The fields are declared and rendered as the form path's ([`FormSpec`]); the template
//! is on no child's record, so the handlers are its own. Everyone who sees audits sees the
//! template; only quality leads (auditors) and managers change it (refusals audited); the store
//! audits every change.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::quality::TemplateDomain;
use domain::validate::FieldError;
use minijinja::context;

use crate::AppState;
use crate::auth::{AuthedForm, Session};
use crate::error::AppError;
use crate::forms::errors::store_error;
use crate::forms::{Field, FormData, FormSpec, SavedQuery};
use crate::policy::{Action, check_role};
use crate::quality::allow;

const BACK: (&str, &str) = ("Back to the audit template", "/quality/audits/template");

fn fields(new: bool) -> Vec<Field> {
    let mut f = Vec::new();
    if new {
        f.push(Field::Input(
            "key",
            "Short name",
            "Lower case letters and underscores, for example permanence_planning. It does not change.",
        ));
    }
    f.extend([
        Field::Input(
            "label",
            "Domain",
            "As the auditor sees it, for example Permanence planning",
        ),
        Field::Textarea("hint", "What the auditor looks for", "Optional"),
        Field::Input(
            "position",
            "Place in the template",
            "A whole number: domains are graded in this order",
        ),
        Field::Radios(
            "active",
            "Is the domain graded in new audits?",
            vec![
                ("yes".into(), "Yes".into()),
                (
                    "no".into(),
                    "No, it is retired (audits already recorded keep its grades)".into(),
                ),
            ],
        ),
    ]);
    f
}

fn spec(new: bool, key: &str) -> FormSpec {
    if new {
        FormSpec::standalone(
            "Case file audit template",
            "Add a domain",
            BACK,
            "/quality/audits/template/new",
            "Add the domain",
            fields(true),
        )
    } else {
        FormSpec::standalone(
            "Case file audit template",
            "Change a domain",
            BACK,
            format!("/quality/audits/template/{key}"),
            "Save the domain",
            fields(false),
        )
        .summary(vec![("Short name", key.to_string())])
    }
}

/// Reads the form into a domain (the key from the path when changing one).
fn read(form: &FormData, key: Option<&str>) -> Result<TemplateDomain, Vec<FieldError>> {
    let mut errors = Vec::new();
    let position = form.get("position").trim().parse::<i32>();
    if position.is_err() {
        errors.push(FieldError::new(
            "position",
            "Enter the place in the template as a whole number",
        ));
    }
    let active = match form.get("active").as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            errors.push(FieldError::new(
                "active",
                "Select whether the domain is graded in new audits",
            ));
            true
        }
    };
    let d = TemplateDomain {
        key: key
            .map(String::from)
            .unwrap_or_else(|| form.get("key").trim().to_string()),
        label: form.get("label").trim().to_string(),
        hint: form.get("hint").trim().to_string(),
        position: position.unwrap_or_default(),
        active,
    };
    errors.extend(d.validate());
    if errors.is_empty() {
        Ok(d)
    } else {
        Err(errors)
    }
}

/// `GET /quality/audits/template`: the domains in order, graded and retired.
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Query(saved): axum::extract::Query<SavedQuery>,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::ViewAudits,
        "GET /quality/audits/template",
        false,
    )
    .await?;
    let rows: Vec<minijinja::Value> = state
        .store
        .audit_template()
        .await?
        .into_iter()
        .map(|d| {
            context! {
                key => d.key, label => d.label, hint => d.hint, position => d.position, active => d.active,
            }
        })
        .collect();
    let html = state.templates.page(
        "quality/template.html",
        Some(&session),
        context! {
            title => "Case file audit template",
            rows,
            may_change => check_role(&session.user, Action::RunAudits).is_ok(),
            saved => saved.saved,
        },
    )?;
    Ok(html.into_response())
}

/// `GET /quality/audits/template/new`.
pub async fn new_domain(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::RunAudits,
        "GET /quality/audits/template/new",
        false,
    )
    .await?;
    let next = state
        .store
        .audit_template()
        .await?
        .iter()
        .map(|d| d.position)
        .max()
        .unwrap_or(0)
        + 1;
    let form = FormData::default()
        .set("position", &next.to_string())
        .set("active", "yes");
    spec(true, "").render(&state, &session, &form, &[])
}

/// `POST /quality/audits/template/new`: adds a domain (a short name already used is refused).
pub async fn add_domain(
    State(state): State<AppState>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::RunAudits,
        "POST /quality/audits/template/new",
        false,
    )
    .await?;
    let errors = match read(&form, None) {
        Ok(d) => {
            if state
                .store
                .audit_template()
                .await?
                .iter()
                .any(|x| x.key == d.key)
            {
                vec![FieldError::new(
                    "key",
                    "A domain already has this short name: change that domain, or choose another name",
                )]
            } else {
                match state.store.save_template_domain(session.actor(), d).await {
                    Ok(()) => {
                        return Ok(
                            Redirect::to("/quality/audits/template?saved=domain").into_response()
                        );
                    }
                    Err(e) => vec![store_error(e, "label")?],
                }
            }
        }
        Err(errors) => errors,
    };
    spec(true, "").render(&state, &session, &form, &errors)
}

/// The domain `key` of the template, or not found.
async fn domain_of(state: &AppState, key: &str) -> Result<TemplateDomain, AppError> {
    state
        .store
        .audit_template()
        .await?
        .into_iter()
        .find(|d| d.key == key)
        .ok_or(AppError::NotFound { api: false })
}

/// `GET /quality/audits/template/{key}`.
pub async fn edit_domain(
    State(state): State<AppState>,
    session: Session,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::RunAudits,
        &format!("GET /quality/audits/template/{key}"),
        false,
    )
    .await?;
    let d = domain_of(&state, &key).await?;
    let form = FormData::default()
        .set("label", &d.label)
        .set("hint", &d.hint)
        .set("position", &d.position.to_string())
        .set("active", if d.active { "yes" } else { "no" });
    spec(false, &d.key).render(&state, &session, &form, &[])
}

/// `POST /quality/audits/template/{key}`: changes a domain (audits already recorded keep their
/// grades).
pub async fn change_domain(
    State(state): State<AppState>,
    Path(key): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::RunAudits,
        &format!("POST /quality/audits/template/{key}"),
        false,
    )
    .await?;
    let d = domain_of(&state, &key).await?;
    let errors = match read(&form, Some(&d.key)) {
        Ok(changed) => match state
            .store
            .save_template_domain(session.actor(), changed)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to("/quality/audits/template?saved=domain").into_response());
            }
            Err(e) => vec![store_error(e, "label")?],
        },
        Err(errors) => errors,
    };
    spec(false, &d.key).render(&state, &session, &form, &errors)
}
