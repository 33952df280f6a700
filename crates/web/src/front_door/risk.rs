//! Screening a contact's risk: the rating form on the contact's page (declared once for its page
//! and API on the one form path), what the page and the queue show of a rating (its colour, the
//! reason, who gave it, the time by which the front door must act and how long is left), and the
//! queue's order: red first, then contacts not yet rated, then amber, then green, each oldest
//! first. An immediate safety concern is rated red and goes straight to the decision, with a
//! strategy discussion chosen.

use async_trait::async_trait;
use axum::response::Response;
use chrono::NaiveDateTime;
use domain::calendar::Calendar;
use domain::front_door::risk::time_left;
use domain::front_door::{Contact, NewRiskRating, RiskRating, RiskTimescales};
use domain::validate::FieldError;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use store::{Actor, StoreError};

use super::pages::{ContactForms, contact_page};
use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::FormData;
use crate::forms::fields::fmt_datetime;
use crate::forms::path::{CaseForm, On, Target};
use crate::policy::Action;

/// The rating form as posted (or blank).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RiskForm {
    pub(crate) rating: String,
    pub(crate) risk_reason: String,
    pub(crate) immediate_safety: bool,
}

impl RiskForm {
    pub(crate) fn of(form: &FormData) -> Self {
        RiskForm {
            rating: form.get("rating"),
            risk_reason: form.get("risk_reason"),
            immediate_safety: form.get("immediate_safety") == "yes",
        }
    }
}

/// The GOV.UK tag colour of a rating (none: not yet rated).
pub(crate) fn tag_class(rating: Option<RiskRating>) -> &'static str {
    match rating {
        Some(RiskRating::Red) => "govuk-tag--red",
        Some(RiskRating::Amber) => "govuk-tag--orange",
        Some(RiskRating::Green) => "govuk-tag--green",
        None => "govuk-tag--grey",
    }
}

/// Where a contact stands in the queue: red, then not yet rated (it may be red), then amber,
/// then green; within each, the longest waiting first.
pub(crate) fn queue_order(c: &Contact) -> (u8, NaiveDateTime) {
    let rank = match c.risk().map(|r| r.rating) {
        Some(RiskRating::Red) => 0,
        None => 1,
        Some(RiskRating::Amber) => 2,
        Some(RiskRating::Green) => 3,
    };
    (rank, c.received_at)
}

/// When the front door must have acted on the contact, by its rating and the council's
/// timescales.
pub(crate) fn respond_by(t: &RiskTimescales, c: &Contact) -> Option<NaiveDateTime> {
    let r = c.risk()?;
    t.respond_by(c.received_at, r.rating, Calendar::england())
}

/// What the queue and the contact's page show of its rating.
pub(crate) fn view(t: &RiskTimescales, c: &Contact, now: NaiveDateTime) -> Value {
    let current = c.risk().map(|r| {
        let due = t.respond_by(c.received_at, r.rating, Calendar::england());
        context! {
            label => r.rating.label(),
            class => tag_class(Some(r.rating)),
            reason => r.reason.clone(),
            immediate => r.immediate_safety,
            by => r.rated_by.clone().unwrap_or_else(|| "Not known".into()),
            at => fmt_datetime(r.rated_at),
            within => t.within(r.rating),
            respond_by => due.map(fmt_datetime),
            left => due.map(|d| time_left(d, now)),
            overdue => due.is_some_and(|d| d < now) && c.decision.is_none(),
        }
    });
    let earlier: Vec<Value> = c
        .ratings
        .iter()
        .rev()
        .skip(1)
        .map(|r| {
            context! {
                label => r.rating.label(),
                class => tag_class(Some(r.rating)),
                reason => r.reason.clone(),
                by => r.rated_by.clone().unwrap_or_else(|| "Not known".into()),
                at => fmt_datetime(r.rated_at),
            }
        })
        .collect();
    context! { current, earlier }
}

/// The rating's radio items, each with what the council's rating means.
pub(crate) fn items(t: &RiskTimescales, chosen: &str) -> Vec<Value> {
    RiskRating::ALL
        .iter()
        .map(|r| {
            context! {
                value => r.as_str(),
                text => r.label(),
                hint => context! { text => t.meaning(*r) },
                checked => chosen == r.as_str(),
            }
        })
        .collect()
}

/// Rating a contact's risk at screening.
pub struct RateRisk;

#[async_trait]
impl CaseForm for RateRisk {
    type Record = Contact;
    type Input = NewRiskRating;
    type Body = NewRiskRating;
    type Saved = Contact;
    const PAGE: &'static str = "/contacts/{id}/risk";
    const API: &'static str = "/api/contacts/{id}/risk";
    const ON: On = On::Contact;
    const ACTION: Action = Action::RecordContact;
    const WHAT: &'static str = "rate a contact's risk";
    const SUMMARY: &'static str = "Rates a contact's risk at screening (red, amber or green, with the reason; an immediate safety concern is red), before the decision. The latest rating is the contact's; earlier ones are kept.";
    const BLANK: bool = false;
    const FALLBACK: &'static str = "rating";

    fn check(_: &Target, _: &Contact) -> Result<(), AppError> {
        Ok(())
    }

    async fn page(
        state: &AppState,
        session: &Session,
        _: &Target,
        contact: &Contact,
        form: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        let forms = ContactForms {
            risk: RiskForm::of(form),
            ..ContactForms::blank()
        };
        contact_page(state, session, contact, &forms, errors, "").await
    }

    fn read(form: &FormData, _: &Target, _: &Contact) -> Result<NewRiskRating, Vec<FieldError>> {
        let f = RiskForm::of(form);
        let new = NewRiskRating {
            rating: f.rating,
            reason: f.risk_reason,
            immediate_safety: f.immediate_safety,
        };
        let errors = new.validate();
        if errors.is_empty() {
            Ok(new)
        } else {
            Err(errors)
        }
    }

    fn from_body(body: NewRiskRating, _: &Target) -> Result<NewRiskRating, Vec<FieldError>> {
        Ok(body)
    }

    async fn api_check(
        _: &AppState,
        _: &Target,
        input: &NewRiskRating,
    ) -> Result<Vec<FieldError>, AppError> {
        Ok(input.validate())
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewRiskRating,
    ) -> Result<Contact, StoreError> {
        state.store.rate_contact(actor, t.id, input).await
    }

    /// An immediate safety concern goes straight to the decision (a strategy discussion).
    fn done(t: &Target, saved: &Contact) -> String {
        if saved.risk().is_some_and(|r| r.immediate_safety) {
            format!("/contacts/{}?saved=immediate#decision", t.id)
        } else {
            format!("/contacts/{}?saved=rated#risk", t.id)
        }
    }
}
