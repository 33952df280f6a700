use crate::AppState;
use crate::auth::AuthedForm;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::Field;
use crate::forms::FormData;
use crate::forms::FormSpec;
use crate::forms::RefQuery;
use crate::forms::errors::store_error;
use crate::forms::fields::fmt_date;
use crate::forms::fields::list_items;
use crate::forms::fields::today;
use crate::forms::fields::yes_no;
use crate::guard::back_to_child;
use crate::guard::casework_child;
use crate::guard::record_of;
use crate::guard::referral_of;
use crate::policy::Action;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use domain::child_protection::ConferenceKind;
use domain::child_protection::NewConference;
use domain::child_protection::NewCoreGroup;
use domain::child_protection::NewStrategy;
use domain::child_protection::S47Completion;
use domain::codes;
use domain::validate::FieldError;
use store::CaseRecord;
use uuid::Uuid;

pub(crate) fn strategy_spec(rec: &store::ChildRecord, referral: &str) -> FormSpec {
    FormSpec {
        title: "Record a strategy discussion".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/children/{}/strategy?referral={referral}", rec.person.id),
        button: "Save strategy discussion",
        intro: Some("A section 47 enquiry starts on the day of the discussion; the initial child protection conference is due within 15 working days.".into()),
        fields: vec![
            Field::Date("held", "Date of the discussion"),
            Field::Checkboxes("agencies", "Who took part", "", list_items(codes::meeting_agency(), today())),
            Field::Radios("s47", "Did it start a section 47 enquiry?", yes_no()),
            Field::Textarea("notes", "What was discussed and decided", ""),
        ],
    }
}

pub async fn strategy_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<RefQuery>,
) -> Result<Response, AppError> {
    let rec = casework_child(&state, &session, &id, "strategy discussion form").await?;
    referral_of(&rec, &q.referral)?;
    strategy_spec(&rec, &q.referral).blank(&state, &session, &["held"])
}

pub async fn record_strategy(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<RefQuery>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let rec = casework_child(&state, &session, &id, "record strategy discussion").await?;
    let referral = referral_of(&rec, &q.referral)?;
    let mut errors = Vec::new();
    let s47 = match form.get("s47").as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.push(FieldError::new(
                "s47",
                "Select whether a section 47 enquiry started",
            ));
            None
        }
    };
    let held = form.date("held", "Date of the discussion", &mut errors);
    // Every field is checked at once, so that all the problems show together.
    let s = NewStrategy {
        referral_id: referral.id,
        held_on: held.unwrap_or_else(today),
        agencies: form.all("agencies"),
        s47: s47.unwrap_or(false),
        notes: form.get("notes"),
    };
    errors.extend(
        s.validate(referral.referral_date, today())
            .into_iter()
            .filter(|e| held.is_some() || e.field != "held"),
    );
    {
        if errors.is_empty() {
            match state.store.record_strategy(session.actor(), s).await {
                Ok(_) => return Ok(back_to_child(rec.person.id, "strategy")),
                Err(e) => errors.push(store_error(e, "held")?),
            }
        }
    }
    strategy_spec(&rec, &q.referral).render(&state, &session, &form, &errors)
}

pub(crate) fn s47_spec(id: Uuid, rec: &store::ChildRecord, due: NaiveDate) -> FormSpec {
    FormSpec {
        title: "Complete the section 47 enquiry".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/s47/{id}"),
        button: "Save outcome",
        intro: Some(format!(
            "If a conference is needed it is due by {}.",
            fmt_date(due)
        )),
        fields: vec![
            Field::Date("completed", "Date completed"),
            Field::Radios(
                "outcome",
                "Outcome",
                list_items(codes::s47_outcome(), today()),
            ),
        ],
    }
}

pub async fn s47_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::S47,
        &id,
        Action::RecordCasework,
        "section 47 form",
    )
    .await?;
    let s = rec
        .child_protection
        .s47s
        .iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound { api: false })?;
    s47_spec(id, &rec, s.icpc_due).blank(&state, &session, &["completed"])
}

pub async fn complete_s47(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::S47,
        &id,
        Action::RecordCasework,
        "complete section 47",
    )
    .await?;
    let s = rec
        .child_protection
        .s47s
        .iter()
        .find(|s| s.id == id)
        .cloned()
        .ok_or(AppError::NotFound { api: false })?;
    let mut errors = Vec::new();
    if let Some(done) = form.date("completed", "Date completed", &mut errors) {
        let c = S47Completion {
            completed_on: done,
            outcome: form.get("outcome"),
        };
        errors.extend(c.validate(s.started_on, today()));
        if errors.is_empty() {
            match state.store.complete_s47(session.actor(), id, c).await {
                Ok(_) => return Ok(back_to_child(rec.person.id, "s47")),
                Err(e) => errors.push(store_error(e, "completed")?),
            }
        }
    }
    s47_spec(id, &rec, s.icpc_due).render(&state, &session, &form, &errors)
}

pub(crate) fn conference_spec(rec: &store::ChildRecord, kind: ConferenceKind) -> FormSpec {
    let initial = kind == ConferenceKind::Initial;
    let mut fields = vec![
        Field::Date("held", "Date of the conference"),
        Field::Checkboxes(
            "agencies",
            "Attendance",
            "Select every agency that attended.",
            list_items(codes::meeting_agency(), today()),
        ),
        Field::Radios(
            "plan",
            if initial {
                "Is the child to be the subject of a child protection plan?"
            } else {
                "Does the child protection plan continue?"
            },
            yes_no(),
        ),
        Field::Radios(
            "category",
            "Category of abuse (if there is a plan)",
            list_items(codes::abuse_category(), today()),
        ),
    ];
    if !initial {
        fields.push(Field::Textarea("end_reason", "If the plan ends: why", ""));
    }
    FormSpec {
        title: if initial {
            "Record the initial child protection conference".into()
        } else {
            "Record a review conference".into()
        },
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!(
            "/children/{}/conferences?kind={}",
            rec.person.id,
            kind.as_str()
        ),
        button: "Save conference",
        intro: None,
        fields,
    }
}

pub async fn conference_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<RefQuery>,
) -> Result<Response, AppError> {
    let kind = ConferenceKind::parse(&q.kind).ok_or(AppError::NotFound { api: false })?;
    let rec = casework_child(&state, &session, &id, "conference form").await?;
    conference_spec(&rec, kind).blank(&state, &session, &["held"])
}

pub async fn record_conference(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<RefQuery>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let kind = ConferenceKind::parse(&q.kind).ok_or(AppError::NotFound { api: false })?;
    let rec = casework_child(&state, &session, &id, "record conference").await?;
    let mut errors = Vec::new();
    let plan = match form.get("plan").as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.push(FieldError::new("plan", "Select whether there is a plan"));
            None
        }
    };
    let held = form.date("held", "Date of the conference", &mut errors);
    // Every field is checked at once; those that depend on the plan answer wait for it.
    let has_plan = plan.unwrap_or(false);
    let c = NewConference {
        kind,
        held_on: held.unwrap_or_else(today),
        agencies: form.all("agencies"),
        plan: has_plan,
        category: Some(form.get("category")).filter(|c| has_plan && !c.is_empty()),
        end_reason: form.get("end_reason"),
    };
    errors.extend(c.validate(today()).into_iter().filter(|e| {
        (held.is_some() || e.field != "held")
            && (plan.is_some() || !matches!(e.field.as_str(), "category" | "end_reason"))
    }));
    {
        if errors.is_empty() {
            match state
                .store
                .record_conference(session.actor(), rec.person.id, c)
                .await
            {
                Ok(_) => return Ok(back_to_child(rec.person.id, "conference")),
                Err(e) => errors.push(store_error(e, "held").map(|mut e| {
                    if e.field == "kind" {
                        e.field = "held".into();
                    }
                    e
                })?),
            }
        }
    }
    conference_spec(&rec, kind).render(&state, &session, &form, &errors)
}

pub(crate) fn core_group_spec(id: Uuid, rec: &store::ChildRecord) -> FormSpec {
    FormSpec {
        title: "Record a core group meeting".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/cp-plans/{id}/core-groups"),
        button: "Save core group",
        intro: None,
        fields: vec![
            Field::Date("held", "Date of the meeting"),
            Field::Checkboxes(
                "agencies",
                "Who attended",
                "",
                list_items(codes::meeting_agency(), today()),
            ),
            Field::Textarea("notes", "Progress against the plan", ""),
        ],
    }
}

pub async fn core_group_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::CpPlan,
        &id,
        Action::RecordCasework,
        "core group form",
    )
    .await?;
    core_group_spec(id, &rec).blank(&state, &session, &["held"])
}

pub async fn record_core_group(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::CpPlan,
        &id,
        Action::RecordCasework,
        "record core group",
    )
    .await?;
    let started = rec
        .child_protection
        .cp_plans
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.started_on)
        .ok_or(AppError::NotFound { api: false })?;
    let mut errors = Vec::new();
    if let Some(held) = form.date("held", "Date of the meeting", &mut errors) {
        let g = NewCoreGroup {
            held_on: held,
            agencies: form.all("agencies"),
            notes: form.get("notes"),
        };
        errors.extend(g.validate(started, today()));
        if errors.is_empty() {
            match state.store.record_core_group(session.actor(), id, g).await {
                Ok(_) => return Ok(back_to_child(rec.person.id, "core_group")),
                Err(e) => errors.push(store_error(e, "held")?),
            }
        }
    }
    core_group_spec(id, &rec).render(&state, &session, &form, &errors)
}
