use crate::AppState;
use crate::auth::AuthedForm;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::Field;
use crate::forms::FormData;
use crate::forms::FormSpec;
use crate::forms::errors::store_error;
use crate::forms::fields::list_items;
use crate::forms::fields::today;
use crate::guard::back_to_child;
use crate::guard::casework_child;
use crate::guard::record_of;
use crate::policy::Action;
use axum::extract::Path;
use axum::extract::State;
use axum::response::Response;
use domain::codes;
use domain::early_help::EarlyHelpEnd;
use domain::early_help::NewEarlyHelp;
use store::CaseRecord;
use uuid::Uuid;

pub(crate) fn early_help_spec(rec: &store::ChildRecord) -> FormSpec {
    FormSpec {
        title: "Start early help".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/children/{}/early-help", rec.person.id),
        button: "Start early help",
        intro: None,
        fields: vec![
            Field::Date("started", "Date started"),
            Field::Input("lead", "Lead professional", "Their name and agency"),
            Field::Textarea(
                "reason",
                "Why early help, and what the family wants to change",
                "",
            ),
        ],
    }
}

pub async fn early_help_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let rec = casework_child(&state, &session, &id, "early help form").await?;
    early_help_spec(&rec).blank(&state, &session, &["started"])
}

pub async fn start_early_help(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let rec = casework_child(&state, &session, &id, "start early help").await?;
    let mut errors = Vec::new();
    if let Some(started) = form.date("started", "Date started", &mut errors) {
        let eh = NewEarlyHelp {
            started_on: started,
            lead: form.get("lead"),
            reason: form.get("reason"),
        };
        errors.extend(eh.validate(today()));
        if errors.is_empty() {
            match state
                .store
                .start_early_help(session.actor(), rec.person.id, eh)
                .await
            {
                Ok(_) => return Ok(back_to_child(rec.person.id, "early_help")),
                Err(e) => errors.push(store_error(e, "started")?),
            }
        }
    }
    early_help_spec(&rec).render(&state, &session, &form, &errors)
}

pub(crate) fn end_early_help_spec(id: Uuid, rec: &store::ChildRecord) -> FormSpec {
    FormSpec {
        title: "End early help".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/early-help/{id}/end"),
        button: "End early help",
        intro: Some("Stepping up sends a contact to the front door about this child, without entering them again.".into()),
        fields: vec![
            Field::Date("ended", "Date ended"),
            Field::Radios("end_reason", "Why early help ended", list_items(codes::early_help_end(), today())),
            Field::Textarea("note", "Notes", "For a step up: the concerns for children's social care."),
        ],
    }
}

pub async fn end_early_help_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::EarlyHelp,
        &id,
        Action::RecordCasework,
        "end early help form",
    )
    .await?;
    end_early_help_spec(id, &rec).blank(&state, &session, &["ended"])
}

pub async fn end_early_help(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::EarlyHelp,
        &id,
        Action::RecordCasework,
        "end early help",
    )
    .await?;
    let started = rec
        .early_help
        .iter()
        .find(|e| e.id == id)
        .map(|e| e.started_on)
        .ok_or(AppError::NotFound { api: false })?;
    let mut errors = Vec::new();
    if let Some(ended) = form.date("ended", "Date ended", &mut errors) {
        let end = EarlyHelpEnd {
            ended_on: ended,
            reason: form.get("end_reason"),
            note: form.get("note"),
        };
        errors.extend(end.validate(started, today()));
        if errors.is_empty() {
            match state.store.end_early_help(session.actor(), id, end).await {
                Ok(e) => {
                    return Ok(back_to_child(
                        rec.person.id,
                        if e.step_up_contact.is_some() {
                            "stepped_up"
                        } else {
                            "early_help_ended"
                        },
                    ));
                }
                Err(e) => errors.push(store_error(e, "ended")?),
            }
        }
    }
    end_early_help_spec(id, &rec).render(&state, &session, &form, &errors)
}
