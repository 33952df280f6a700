use crate::AppState;
use crate::auth::AuthedForm;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::Field;
use crate::forms::FormData;
use crate::forms::FormSpec;
use crate::forms::errors::store_error;
use crate::forms::fields::fmt_date;
use crate::forms::fields::today;
use crate::forms::fields::yes_no;
use crate::guard::back_to_child;
use crate::guard::casework_child;
use crate::guard::child_for;
use crate::guard::parse_id;
use crate::policy::Action;
use axum::extract::Path;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use domain::private_fostering::Arrangement;
use domain::private_fostering::ArrangementEnd;
use domain::private_fostering::Assessment;
use domain::private_fostering::CARER_RELATIONSHIPS;
use domain::private_fostering::END_REASONS;
use domain::private_fostering::NOTIFIERS;
use domain::private_fostering::NewArrangement;
use domain::private_fostering::NewVisit;
use domain::private_fostering::SUITABILITY;
use domain::private_fostering::Timescales;
use domain::private_fostering::label;
use domain::validate::FieldError;

pub(crate) fn items(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect()
}

/// A date that may be in the future or left out.
pub(crate) fn any_date(
    form: &FormData,
    name: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    match form.parts(name).parse(name, label) {
        Ok(d) => d,
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// A yes or no answer; `None` (with an error) when neither was chosen.
pub(crate) fn yes(
    form: &FormData,
    name: &str,
    message: &str,
    errors: &mut Vec<FieldError>,
) -> Option<bool> {
    match form.get(name).as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.push(FieldError::new(name, message));
            None
        }
    }
}

/// The arrangement behind a form, with its child's record after the role and restriction checks.
pub(crate) async fn arrangement_for(
    state: &AppState,
    session: &Session,
    id: &str,
    what: &str,
) -> Result<(Arrangement, store::ChildRecord), AppError> {
    let id = parse_id(id, false)?;
    let child = match state.store.pf_arrangement_child(id).await {
        Ok(c) => c,
        Err(store::StoreError::NotFound(_)) => return Err(AppError::NotFound { api: false }),
        Err(e) => return Err(e.into()),
    };
    let rec = child_for(state, session, child, Action::RecordCasework, what).await?;
    let a = rec
        .private_fostering
        .iter()
        .find(|a| a.id == id)
        .cloned()
        .ok_or(AppError::NotFound { api: false })?;
    Ok((a, rec))
}

pub(crate) fn carer_line(a: &Arrangement) -> String {
    format!(
        "{} ({})",
        a.carer,
        label(CARER_RELATIONSHIPS, &a.carer_relationship).to_lowercase()
    )
}

pub(crate) fn notification_spec(rec: &store::ChildRecord) -> FormSpec {
    FormSpec {
        title: "Record a private fostering notification".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/children/{}/private-fostering", rec.person.id),
        button: "Record notification",
        intro: Some(
            "Private fostering is when a child under 16 (under 18 if disabled) is cared for by someone who is not a parent or close relative for 28 days or more. The initial visit is due within 7 working days of the notification."
                .into(),
        ),
        fields: vec![
            Field::Date("notified", "Date the council was told"),
            Field::Radios("notified_by", "Who told the council", items(NOTIFIERS)),
            Field::Date(
                "start",
                "Date the child started, or will start, living with the carer",
            ),
            Field::Date("expected_end", "Expected end of the arrangement (optional)"),
            Field::Radios(
                "carer_relationship",
                "How the carer is related to the child",
                items(CARER_RELATIONSHIPS),
            ),
            Field::Input(
                "carer",
                "The carer",
                "Their name and where the child lives",
            ),
            Field::Textarea("reason", "Why the child lives away from home", ""),
        ],
    }
}

pub async fn notification_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let rec = casework_child(&state, &session, &id, "private fostering notification form").await?;
    notification_spec(&rec).blank(&state, &session, &["notified"])
}

pub async fn record_notification(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let rec = casework_child(
        &state,
        &session,
        &id,
        "record a private fostering notification",
    )
    .await?;
    let mut errors = Vec::new();
    let notified = form.date("notified", "Date the council was told", &mut errors);
    let start = any_date(
        &form,
        "start",
        "Date the child started living with the carer",
        &mut errors,
    );
    if start.is_none() && !errors.iter().any(|e| e.field == "start") {
        errors.push(FieldError::new(
            "start",
            "Enter the date the child started, or will start, living with the carer",
        ));
    }
    let expected_end = any_date(&form, "expected_end", "Expected end", &mut errors);
    let n = NewArrangement {
        notified_on: notified.unwrap_or_else(today),
        notified_by: form.get("notified_by"),
        starts_on: start.unwrap_or_else(today),
        expected_end,
        carer_relationship: form.get("carer_relationship"),
        carer: form.get("carer"),
        reason: form.get("reason"),
    };
    let disabled = rec.person.details.disabilities.iter().any(|d| d != "NONE");
    for e in n.validate(today(), rec.person.details.date_of_birth, disabled) {
        // A date already reported as missing or invalid is not checked again.
        if !errors.iter().any(|x| x.field == e.field) {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        match state
            .store
            .record_pf_notification(session.actor(), rec.person.id, n)
            .await
        {
            Ok(_) => return Ok(back_to_child(rec.person.id, "pf_notified")),
            Err(e) => errors.push(store_error(e, "notified")?),
        }
    }
    notification_spec(&rec).render(&state, &session, &form, &errors)
}

pub(crate) fn visit_spec(a: &Arrangement, rec: &store::ChildRecord) -> FormSpec {
    let t = Timescales::default();
    let due = a.next_visit_due(&t).map(fmt_date);
    let kind = if a.initial_visit().is_none() {
        "the initial visit"
    } else {
        "the next visit"
    };
    FormSpec {
        title: "Record a private fostering visit".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/private-fostering/{}/visits", a.id),
        button: "Record visit",
        intro: Some(match due {
            Some(d) => format!(
                "Arrangement with {}. {} is due by {d}. See the child alone unless that is not appropriate, and write a report of every visit.",
                carer_line(a),
                capitalise(kind)
            ),
            None => format!("Arrangement with {}.", carer_line(a)),
        }),
        fields: vec![
            Field::Date("visited", "Date of the visit"),
            Field::Radios("child_seen", "Was the child seen?", yes_no()),
            Field::Radios("seen_alone", "Was the child seen alone?", yes_no()),
            Field::Textarea(
                "not_alone_reason",
                "Why the child was not seen alone",
                "Only if the child was seen, but not alone.",
            ),
            Field::Textarea(
                "childs_words",
                "The child's own words",
                "What the child said about living with the carer.",
            ),
            Field::Textarea(
                "observation",
                "What you observed",
                "For a child who does not speak, or chose not to.",
            ),
            Field::Textarea("report", "Report of the visit", ""),
        ],
    }
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub async fn visit_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (a, rec) = arrangement_for(&state, &session, &id, "private fostering visit form").await?;
    visit_spec(&a, &rec).blank(&state, &session, &["visited"])
}

pub async fn record_visit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (a, rec) =
        arrangement_for(&state, &session, &id, "record a private fostering visit").await?;
    let mut errors = Vec::new();
    let visited = form.date("visited", "Date of the visit", &mut errors);
    let seen = yes(
        &form,
        "child_seen",
        "Select whether the child was seen",
        &mut errors,
    );
    let alone = if seen == Some(true) {
        yes(
            &form,
            "seen_alone",
            "Select whether the child was seen alone",
            &mut errors,
        )
    } else {
        Some(form.get("seen_alone") == "yes")
    };
    if let (Some(visited), Some(seen), Some(alone)) = (visited, seen, alone) {
        let v = NewVisit {
            visited_on: visited,
            child_seen: seen,
            seen_alone: alone,
            not_alone_reason: form.get("not_alone_reason"),
            childs_words: form.get("childs_words"),
            observation: form.get("observation"),
            report: form.get("report"),
        };
        errors.extend(v.validate(a.notified_on, today()));
        if errors.is_empty() {
            match state.store.record_pf_visit(session.actor(), a.id, v).await {
                Ok(_) => return Ok(back_to_child(rec.person.id, "pf_visit")),
                Err(e) => errors.push(store_error(e, "visited")?),
            }
        }
    }
    visit_spec(&a, &rec).render(&state, &session, &form, &errors)
}

pub(crate) fn assessment_spec(a: &Arrangement, rec: &store::ChildRecord) -> FormSpec {
    FormSpec {
        title: "Record the private fostering assessment".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/private-fostering/{}/assessment", a.id),
        button: "Record assessment",
        intro: Some(format!(
            "Whether the arrangement with {} is suitable for the child.",
            carer_line(a)
        )),
        fields: vec![
            Field::Date("assessed", "Date of the assessment"),
            Field::Radios(
                "suitability",
                "Is the arrangement suitable?",
                items(SUITABILITY),
            ),
        ],
    }
}

pub async fn assessment_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (a, rec) =
        arrangement_for(&state, &session, &id, "private fostering assessment form").await?;
    assessment_spec(&a, &rec).blank(&state, &session, &["assessed"])
}

pub async fn record_assessment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (a, rec) = arrangement_for(
        &state,
        &session,
        &id,
        "record a private fostering assessment",
    )
    .await?;
    let mut errors = Vec::new();
    if let Some(on) = form.date("assessed", "Date of the assessment", &mut errors) {
        let s = Assessment {
            assessed_on: on,
            outcome: form.get("suitability"),
        };
        errors.extend(s.validate(a.notified_on, today()));
        if errors.is_empty() {
            match state
                .store
                .assess_pf_arrangement(session.actor(), a.id, s)
                .await
            {
                Ok(_) => return Ok(back_to_child(rec.person.id, "pf_assessed")),
                Err(e) => errors.push(store_error(e, "assessed")?),
            }
        }
    }
    assessment_spec(&a, &rec).render(&state, &session, &form, &errors)
}

pub(crate) fn end_spec(a: &Arrangement, rec: &store::ChildRecord) -> FormSpec {
    FormSpec {
        title: "End the private fostering arrangement".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/private-fostering/{}/end", a.id),
        button: "End arrangement",
        intro: Some(format!(
            "The arrangement with {}. The council should be told within 48 hours of an arrangement ending.",
            carer_line(a)
        )),
        fields: vec![
            Field::Date("ended", "Date the arrangement ended"),
            Field::Radios("end_reason", "Why it ended", items(END_REASONS)),
            Field::Date("end_notified", "Date the council was told it had ended"),
        ],
    }
}

pub async fn end_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (a, rec) = arrangement_for(&state, &session, &id, "end private fostering form").await?;
    end_spec(&a, &rec).blank(&state, &session, &["ended", "end_notified"])
}

pub async fn end_arrangement(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (a, rec) =
        arrangement_for(&state, &session, &id, "end a private fostering arrangement").await?;
    let mut errors = Vec::new();
    let ended = form.date("ended", "Date the arrangement ended", &mut errors);
    let told = form.date("end_notified", "Date the council was told", &mut errors);
    if let (Some(ended), Some(told)) = (ended, told) {
        let end = ArrangementEnd {
            ended_on: ended,
            reason: form.get("end_reason"),
            notified_on: told,
        };
        errors.extend(end.validate(a.notified_on, today()));
        if errors.is_empty() {
            match state
                .store
                .end_pf_arrangement(session.actor(), a.id, end)
                .await
            {
                Ok(_) => return Ok(back_to_child(rec.person.id, "pf_ended")),
                Err(e) => errors.push(store_error(e, "ended")?),
            }
        }
    }
    end_spec(&a, &rec).render(&state, &session, &form, &errors)
}
