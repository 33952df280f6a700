use crate::AppState;
use crate::auth::AuthedForm;
use crate::auth::Session;
use crate::auth::deny;
use crate::error::AppError;
use crate::forms::SavedQuery;
use crate::forms::errors::errors_value;
use crate::forms::errors::field_error;
use crate::forms::errors::status;
use crate::forms::fields::code_items;
use crate::forms::fields::date_items;
use crate::forms::fields::fmt_date;
use crate::forms::fields::fmt_datetime;
use crate::forms::fields::label;
use crate::forms::fields::now;
use crate::forms::fields::parts;
use crate::forms::fields::past_datetime;
use crate::forms::fields::select_items;
use crate::forms::fields::today;
use crate::forms::fields::today_parts;
use crate::guard::authorise;
use crate::guard::may_see;
use crate::guard::parse_id;
use crate::policy::Action;
use crate::policy::check_role;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use chrono::NaiveDate;
use domain::access::Role;
use domain::calendar::collection_year;
use domain::codes;
use domain::front_door::Contact;
use domain::front_door::NewContact;
use domain::timescales::Rag;
use domain::validate::FieldError;
use minijinja::Value;
use minijinja::context;
use serde::Deserialize;
use serde::Serialize;
use std::collections::BTreeMap;
use store::StoreError;
use uuid::Uuid;

pub async fn front_door(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    if let Err(d) = check_role(&session.user, Action::ViewFrontDoor) {
        return Err(deny(&state, &session, None, "GET /front-door", d.0, false).await);
    }
    let mut queue = state.store.front_door_queue().await?;
    super::api::log_queue(&state, &session, &queue, "GET /front-door").await?;
    queue.sort_by_key(super::risk::queue_order);
    let timescales = &state.config.risk_timescales;
    let now = now();
    let today = today();
    let cal = domain::calendar::Calendar::england();
    let rows: Vec<Value> = queue
        .iter()
        .map(|c| {
            let rag = Rag::of(c.decision_due, today);
            let waiting = cal
                .working_days_between(c.received_at.date(), today)
                .unwrap_or(0);
            context! {
                id => c.id.to_string(),
                received => fmt_datetime(c.received_at),
                children => c.children.iter().map(|k| if may_see(&session, k.restricted) { k.name.clone() } else { "Restricted record".into() }).collect::<Vec<_>>(),
                source => label(codes::referral_source(), &c.source),
                due => fmt_date(c.decision_due),
                waiting,
                rag_label => rag.label(),
                rag_class => rag.tag_class(),
                risk => super::risk::view(timescales, c, now),
            }
        })
        .collect();
    let unrated = queue.iter().filter(|c| c.risk().is_none()).count();
    let past_rating = queue
        .iter()
        .filter(|c| super::risk::respond_by(timescales, c).is_some_and(|d| d < now))
        .count();
    let overdue = queue
        .iter()
        .filter(|c| Rag::of(c.decision_due, today) == Rag::Red)
        .count();
    let html = state.templates.page(
        "front_door/queue.html",
        Some(&session),
        context! { title => "Front door", rows, overdue, unrated, past_rating, total => queue.len() },
    )?;
    Ok(html.into_response())
}

#[derive(Deserialize, Serialize, Default)]
pub struct ContactForm {
    /// The child the form was opened from.
    #[serde(default)]
    child: String,
    #[serde(default)]
    children: Vec<String>,
    #[serde(default, rename = "received-day")]
    day: String,
    #[serde(default, rename = "received-month")]
    month: String,
    #[serde(default, rename = "received-year")]
    year: String,
    #[serde(default)]
    received_time: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_agency: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    consent: String,
}

#[derive(Deserialize)]
pub struct ContactQuery {
    #[serde(default)]
    child: String,
}

pub(crate) const SIBLING_KINDS: &[&str] = &["sibling", "half_sibling", "step_sibling"];

/// The child the contact starts from and their brothers and sisters the user may open.
pub(crate) async fn contact_children_choice(
    state: &AppState,
    session: &Session,
    child: Uuid,
) -> Result<(store::ChildRecord, Vec<(Uuid, String)>), AppError> {
    authorise(
        state,
        session,
        child,
        Action::RecordContact,
        &format!("record a contact /children/{child}"),
        false,
    )
    .await?;
    let mut rec = state
        .store
        .view_child_record(session.actor(), child, "record a contact")
        .await?;
    crate::guard::withhold_restricted(session, &mut rec);
    let mut choices = vec![(rec.person.id, rec.person.full_name())];
    for r in &rec.relationships {
        if SIBLING_KINDS.contains(&r.relationship.kind.as_str())
            && r.other.kind == domain::person::PersonKind::Child
            && may_see(session, r.other.restricted)
            && !choices.iter().any(|(id, _)| *id == r.other.id)
        {
            choices.push((r.other.id, r.other.full_name()));
        }
    }
    Ok((rec, choices))
}

pub(crate) async fn contact_form_page(
    state: &AppState,
    session: &Session,
    form: &ContactForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let child = parse_id(&form.child, false)?;
    let (rec, choices) = contact_children_choice(state, session, child).await?;
    let year = collection_year(today());
    let children_items: Vec<Value> = choices
        .iter()
        .map(|(id, name)| {
            context! { value => id.to_string(), text => name, checked => form.children.contains(&id.to_string()) }
        })
        .collect();
    let (errs, error_list) = errors_value(errors, &["received"]);
    let d = parts(&form.day, &form.month, &form.year);
    let html = state.templates.page(
        "front_door/contact_form.html",
        Some(session),
        context! {
            title => "Record a contact",
            child_id => rec.person.id.to_string(),
            child_name => rec.person.full_name(),
            form => Value::from_serialize(form),
            children_items,
            received_items => date_items(errors.iter().any(|e| e.field == "received"), &d),
            source_items => select_items(codes::referral_source(), year, &form.source, "Choose where the contact came from"),
            consent_items => code_items(codes::consent(), year, |c| c == form.consent),
            errors => errs,
            error_list,
        },
    )?;
    Ok((status(errors), html).into_response())
}

pub async fn new_contact(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<ContactQuery>,
) -> Result<Response, AppError> {
    if let Err(d) = check_role(&session.user, Action::RecordContact) {
        return Err(deny(&state, &session, None, "GET /contacts/new", d.0, false).await);
    }
    if q.child.is_empty() {
        // A contact starts from the child: find them (or add them) first.
        return Ok(Redirect::to("/children?for=contact").into_response());
    }
    let (day, month, year) = today_parts();
    let form = ContactForm {
        children: vec![q.child.clone()],
        child: q.child,
        day,
        month,
        year,
        received_time: now().format("%H:%M").to_string(),
        ..Default::default()
    };
    contact_form_page(&state, &session, &form, &[]).await
}

pub async fn create_contact(
    State(state): State<AppState>,
    AuthedForm { session, form }: AuthedForm<ContactForm>,
) -> Result<Response, AppError> {
    if let Err(d) = check_role(&session.user, Action::RecordContact) {
        return Err(deny(&state, &session, None, "POST /contacts", d.0, false).await);
    }
    let start = parse_id(&form.child, false)?;
    let (_, choices) = contact_children_choice(&state, &session, start).await?;
    let mut errors = Vec::new();
    // Only the children offered on the form can be named (each one checked for access).
    let mut children = Vec::new();
    for c in &form.children {
        match Uuid::parse_str(c)
            .ok()
            .filter(|id| choices.iter().any(|(k, _)| k == id))
        {
            Some(id) => children.push(id),
            None => {
                return Err(AppError::BadRequest {
                    message: "The form named a child it did not offer.".into(),
                    api: false,
                });
            }
        }
    }
    let received = past_datetime(
        &parts(&form.day, &form.month, &form.year),
        &form.received_time,
        "received",
        "The date and time received",
        &mut errors,
    );
    let new = NewContact {
        received_at: received.unwrap_or_else(now),
        source: form.source.clone(),
        contact_name: form.contact_name.clone(),
        contact_agency: form.contact_agency.clone(),
        reason: form.reason.clone(),
        consent: form.consent.clone(),
        children,
    };
    errors.extend(
        new.validate(now())
            .into_iter()
            .filter(|e| e.field != "received"),
    );
    if errors.is_empty() {
        match state.store.record_contact(session.actor(), new).await {
            Ok(c) => {
                return Ok(
                    Redirect::to(&format!("/contacts/{}?saved=recorded", c.id)).into_response()
                );
            }
            Err(e) => errors.push(field_error(e, "reason")?),
        }
    }
    contact_form_page(&state, &session, &form, &errors).await
}

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct CheckForm {
    #[serde(default)]
    pub(crate) agency: String,
    #[serde(default, rename = "requested-day")]
    pub(crate) requested_day: String,
    #[serde(default, rename = "requested-month")]
    pub(crate) requested_month: String,
    #[serde(default, rename = "requested-year")]
    pub(crate) requested_year: String,
    #[serde(default, rename = "check_received-day")]
    pub(crate) received_day: String,
    #[serde(default, rename = "check_received-month")]
    pub(crate) received_month: String,
    #[serde(default, rename = "check_received-year")]
    pub(crate) received_year: String,
    #[serde(default)]
    pub(crate) summary: String,
}

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct DecisionForm {
    #[serde(default)]
    pub(crate) version: String,
    #[serde(default)]
    pub(crate) outcome: String,
    #[serde(default, rename = "decided-day")]
    pub(crate) day: String,
    #[serde(default, rename = "decided-month")]
    pub(crate) month: String,
    #[serde(default, rename = "decided-year")]
    pub(crate) year: String,
    #[serde(default)]
    pub(crate) decided_time: String,
    #[serde(default)]
    pub(crate) direction: String,
    #[serde(default)]
    pub(crate) rationale: String,
    #[serde(default)]
    pub(crate) quality: String,
    #[serde(default)]
    pub(crate) quality_comment: String,
    /// The worker each child is allocated to on a referral or strategy discussion, if any.
    #[serde(default)]
    pub(crate) allocate_to: String,
}

/// Checks the user may do `action` for every child a contact names; a refusal is audited.
pub(crate) async fn authorise_contact(
    state: &AppState,
    session: &Session,
    id: &str,
    action: Action,
    what: &str,
) -> Result<Uuid, AppError> {
    let id = parse_id(id, false)?;
    let children = match state.store.contact_children(id).await {
        Ok(c) => c,
        Err(StoreError::NotFound(_)) => return Err(AppError::NotFound { api: false }),
        Err(e) => return Err(e.into()),
    };
    for child in children {
        authorise(
            state,
            session,
            child,
            action,
            &format!("{what} /contacts/{id}"),
            false,
        )
        .await?;
    }
    Ok(id)
}

pub(crate) fn contact_rows(c: &Contact) -> Vec<Value> {
    let row = |k: &str, v: String| context! { key => context! { text => k }, value => context! { text => v } };
    vec![
        row("Received", fmt_datetime(c.received_at)),
        row("Source", label(codes::referral_source(), &c.source)),
        row(
            "Who made the contact",
            if c.contact_agency.is_empty() {
                c.contact_name.clone()
            } else {
                format!("{}, {}", c.contact_name, c.contact_agency)
            },
        ),
        row("Reason and concerns", c.reason.clone()),
        row(
            "Consent to share information",
            label(codes::consent(), &c.consent),
        ),
        row("Decision due", fmt_date(c.decision_due)),
        row("Recorded by", c.recorded_by.clone().unwrap_or_default()),
    ]
}

pub(crate) async fn contact_page(
    state: &AppState,
    session: &Session,
    contact: &Contact,
    forms: &ContactForms,
    errors: &[FieldError],
    saved: &str,
) -> Result<Response, AppError> {
    let (check, decision, more) = (&forms.check, &forms.decision, forms);
    let year = collection_year(today());
    let rag = Rag::of(contact.decision_due, today());
    let decision_rows = contact.decision.as_ref().map(|d| {
        let row = |k: &str, v: String| context! { key => context! { text => k }, value => context! { text => v } };
        let mut rows = vec![
            row("Decision", label(codes::front_door_outcome(), &d.outcome)),
            row("Decided", fmt_datetime(d.decided_at)),
            row("Manager", d.decided_by.clone().unwrap_or_default()),
            row("Direction", d.direction.clone()),
            row("Rationale", d.rationale.clone()),
            row(
                "Timescale",
                if d.within_timescale {
                    "Decided within 1 working day".into()
                } else {
                    format!("Decided after the due date ({})", fmt_date(contact.decision_due))
                },
            ),
        ];
        if let Some(q) = &d.quality {
            let comment = if d.quality_comment.is_empty() {
                String::new()
            } else {
                format!(": {}", d.quality_comment)
            };
            rows.push(row(
                "Feedback on the referral",
                format!("{}{comment}", label(codes::referral_quality(), q)),
            ));
        }
        rows
    });
    let checks: Vec<Value> = contact
        .checks
        .iter()
        .map(|k| {
            context! {
                agency => label(codes::partner_agency(), &k.agency),
                requested => fmt_date(k.requested_on),
                received => k.received_on.map(fmt_date).unwrap_or_else(|| "Waiting".into()),
                summary => k.summary.clone(),
            }
        })
        .collect();
    let history = super::history::view(state, session, contact).await?;
    let may_decide = check_role(&session.user, Action::DecideContact).is_ok();
    let worker_groups = if may_decide && contact.decision.is_none() {
        let workers = state.store.list_workers().await?;
        crate::person::family::worker_groups(state, workers, None, &decision.allocate_to).await?
    } else {
        Vec::new()
    };
    let (errs, error_list) =
        errors_value(errors, &["requested", "check_received", "decided", "told"]);
    let has = |f: &str| errors.iter().any(|e| e.field == f);
    let html = state.templates.page(
        "front_door/contact.html",
        Some(session),
        context! {
            title => "Contact",
            id => contact.id.to_string(),
            version => contact.version,
            saved => match saved { "recorded" => "Contact recorded", "check" => "Partner check recorded", "decided" => "Decision recorded", "rated" => "Risk rating recorded", "feedback" => "Feedback to the referrer recorded", _ => "" },
            immediate => saved == "immediate",
            history,
            risk_view => super::risk::view(&state.config.risk_timescales, contact, now()),
            risk_form => Value::from_serialize(&more.risk),
            rating_items => super::risk::items(&state.config.risk_timescales, &more.risk.rating),
            feedback_form => Value::from_serialize(&more.feedback),
            told_items => date_items(has("told"), &parts(&more.feedback.told_day, &more.feedback.told_month, &more.feedback.told_year)),
            how_items => domain::front_door::feedback::HOW.iter().map(|(v, t)| context! { value => v, text => t, checked => more.feedback.how == *v }).collect::<Vec<_>>(),
            feedback_given => contact.feedback.iter().map(|f| context! {
                told => fmt_date(f.told_on),
                how => domain::front_door::feedback::how_label(&f.how),
                note => f.note.clone(),
                by => f.recorded_by.clone().unwrap_or_else(|| "Not known".into()),
            }).collect::<Vec<_>>(),
            rows => contact_rows(contact),
            children => contact.children.iter().map(|k| context! { id => k.person_id.to_string(), name => k.name.clone() }).collect::<Vec<_>>(),
            rag_label => rag.label(),
            rag_class => rag.tag_class(),
            decided => contact.decision.is_some(),
            decision_rows,
            checks,
            may_check => check_role(&session.user, Action::RecordContact).is_ok(),
            may_decide,
            worker_groups,
            check => Value::from_serialize(check),
            decision => Value::from_serialize(decision),
            agency_items => select_items(codes::partner_agency(), year, &check.agency, "Choose the agency"),
            requested_items => date_items(has("requested"), &parts(&check.requested_day, &check.requested_month, &check.requested_year)),
            check_received_items => date_items(has("check_received"), &parts(&check.received_day, &check.received_month, &check.received_year)),
            outcome_items => code_items(codes::front_door_outcome(), year, |c| c == decision.outcome),
            decided_items => date_items(has("decided"), &parts(&decision.day, &decision.month, &decision.year)),
            quality_items => code_items(codes::referral_quality(), year, |c| c == decision.quality),
            errors => errs,
            error_list,
        },
    )?;
    Ok((status(errors), html).into_response())
}

/// The contact page's forms, as posted (the one that was) or blank: dates start as today, the
/// decision's time as now.
#[derive(Default)]
pub(crate) struct ContactForms {
    pub(crate) check: CheckForm,
    pub(crate) decision: DecisionForm,
    pub(crate) risk: super::risk::RiskForm,
    pub(crate) feedback: super::feedback::FeedbackForm,
}

impl ContactForms {
    pub(crate) fn blank() -> Self {
        let (day, month, year) = today_parts();
        ContactForms {
            check: CheckForm {
                requested_day: day.clone(),
                requested_month: month.clone(),
                requested_year: year.clone(),
                ..Default::default()
            },
            decision: DecisionForm {
                day: day.clone(),
                month: month.clone(),
                year: year.clone(),
                decided_time: now().format("%H:%M").to_string(),
                ..Default::default()
            },
            risk: Default::default(),
            feedback: super::feedback::FeedbackForm {
                told_day: day,
                told_month: month,
                told_year: year,
                ..Default::default()
            },
        }
    }
}

pub async fn show_contact(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let id = authorise_contact(&state, &session, &id, Action::ViewRecord, "GET").await?;
    let contact = state
        .store
        .view_contact(session.actor(), id, "view contact")
        .await?;
    let mut forms = ContactForms::blank();
    // An immediate safety concern goes straight to a strategy discussion.
    if contact.decision.is_none() && contact.risk().is_some_and(|r| r.immediate_safety) {
        forms.decision.outcome = "strategy".into();
    }
    contact_page(&state, &session, &contact, &forms, &[], &q.saved).await
}

#[derive(Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// Feedback on the quality of referrals, by the agency they came from, for a period (the last 12
/// months by default): for partnership meetings and feedback to agencies.
pub async fn referral_quality(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let allowed = check_role(&session.user, Action::ViewFrontDoor).is_ok()
        || session.user.role == Role::PerformanceAnalyst;
    if !allowed {
        return Err(deny(
            &state,
            &session,
            None,
            "GET /front-door/referral-quality",
            format!(
                "role {} may not see referral quality",
                session.user.role.as_str()
            ),
            false,
        )
        .await);
    }
    let t = today();
    let mut errors = Vec::new();
    let parse = |s: &str, field: &str, errors: &mut Vec<FieldError>| {
        if s.is_empty() {
            None
        } else {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| {
                    errors.push(FieldError::new(
                        field,
                        "Enter a date as YYYY-MM-DD, for example 2026-04-01",
                    ))
                })
                .ok()
        }
    };
    let to = parse(&q.to, "to", &mut errors).unwrap_or(t);
    let from = parse(&q.from, "from", &mut errors).unwrap_or_else(|| {
        to.checked_sub_months(chrono::Months::new(12))
            .unwrap_or(to)
            .succ_opt()
            .unwrap_or(to)
    });
    if from > to {
        errors.push(FieldError::new(
            "from",
            "The start must be on or before the end",
        ));
    }
    let counts = if errors.is_empty() {
        state.store.referral_quality(from, to).await?
    } else {
        Vec::new()
    };
    let mut by_source: BTreeMap<String, [i64; 4]> = BTreeMap::new();
    for c in &counts {
        let e = by_source.entry(c.source.clone()).or_default();
        let i = match c.quality.as_deref() {
            Some("good") => 0,
            Some("adequate") => 1,
            Some("poor") => 2,
            _ => 3,
        };
        e[i] += c.count;
    }
    let rows: Vec<Value> = by_source
        .iter()
        .map(|(source, n)| {
            let rated = n[0] + n[1] + n[2];
            context! {
                source => label(codes::referral_source(), source),
                good => n[0], adequate => n[1], poor => n[2], unrated => n[3],
                good_share => if rated > 0 { format!("{}%", (n[0] * 100 + rated / 2) / rated) } else { "No ratings".into() },
            }
        })
        .collect();
    let (errs, error_list) = errors_value(&errors, &[]);
    let html = state.templates.page(
        "front_door/quality.html",
        Some(&session),
        context! {
            title => "Referral quality by agency",
            rows,
            from => from.to_string(), to => to.to_string(),
            period => format!("{} to {}", fmt_date(from), fmt_date(to)),
            errors => errs,
            error_list,
        },
    )?;
    Ok((status(&errors), html).into_response())
}

impl CheckForm {
    /// The check's fields as posted, to show them again.
    pub(crate) fn of(f: &crate::forms::FormData) -> Self {
        let (requested, received) = (f.parts("requested"), f.parts("check_received"));
        CheckForm {
            agency: f.get("agency"),
            requested_day: requested.day,
            requested_month: requested.month,
            requested_year: requested.year,
            received_day: received.day,
            received_month: received.month,
            received_year: received.year,
            summary: f.get("summary"),
        }
    }
}

impl DecisionForm {
    /// The decision's fields as posted, to show them again.
    pub(crate) fn of(f: &crate::forms::FormData) -> Self {
        let decided = f.parts("decided");
        DecisionForm {
            version: f.get("version"),
            outcome: f.get("outcome"),
            day: decided.day,
            month: decided.month,
            year: decided.year,
            decided_time: f.get("decided_time"),
            direction: f.get("direction"),
            rationale: f.get("rationale"),
            quality: f.get("quality"),
            quality_comment: f.get("quality_comment"),
            allocate_to: f.get("allocate_to"),
        }
    }
}
