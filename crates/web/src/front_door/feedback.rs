//! Feedback to the referrer on the contact's page: once decided, the outcome told to the
//! referring agency, when, how and what was said (declared once for its page and API).

use async_trait::async_trait;
use axum::response::Response;
use domain::front_door::{Contact, NewFeedback};
use domain::validate::FieldError;
use serde::{Deserialize, Serialize};
use store::{Actor, StoreError};

use super::pages::{ContactForms, contact_page};
use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::FormData;
use crate::forms::fields::{past_date, today};
use crate::forms::path::{CaseForm, On, Target};
use crate::policy::Action;

/// The feedback form as posted (or blank: see `ContactForms::blank`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FeedbackForm {
    pub(crate) told_day: String,
    pub(crate) told_month: String,
    pub(crate) told_year: String,
    pub(crate) how: String,
    pub(crate) note: String,
}

impl FeedbackForm {
    fn of(form: &FormData) -> Self {
        FeedbackForm {
            told_day: form.get("told-day"),
            told_month: form.get("told-month"),
            told_year: form.get("told-year"),
            how: form.get("how"),
            note: form.get("note"),
        }
    }
}

/// Telling the referrer the outcome.
pub struct TellReferrer;

#[async_trait]
impl CaseForm for TellReferrer {
    type Record = Contact;
    type Input = NewFeedback;
    type Body = NewFeedback;
    type Saved = Contact;
    const PAGE: &'static str = "/contacts/{id}/feedback";
    const API: &'static str = "/api/contacts/{id}/feedback";
    const ON: On = On::Contact;
    const ACTION: Action = Action::RecordContact;
    const WHAT: &'static str = "record feedback to the referrer";
    const SUMMARY: &'static str = "Records that the referring agency was told the outcome of its contact: when, how (phone, email, letter, meeting) and what was said. After the decision only.";
    const BLANK: bool = false;
    const FALLBACK: &'static str = "told";

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
            feedback: FeedbackForm::of(form),
            ..ContactForms::blank()
        };
        contact_page(state, session, contact, &forms, errors, "").await
    }

    fn read(
        form: &FormData,
        _: &Target,
        contact: &Contact,
    ) -> Result<NewFeedback, Vec<FieldError>> {
        let mut errors = Vec::new();
        let told = past_date(
            &form.parts("told"),
            "told",
            "The date the referrer was told",
            &mut errors,
        );
        let new = NewFeedback {
            told_on: told.unwrap_or_else(today),
            how: form.get("how"),
            note: form.get("note"),
        };
        let decided = contact.decision.as_ref().map(|d| d.decided_at.date());
        for e in new.validate(decided, today()) {
            if told.is_some() || e.field != "told" {
                errors.push(e);
            }
        }
        if errors.is_empty() {
            Ok(new)
        } else {
            Err(errors)
        }
    }

    fn from_body(body: NewFeedback, _: &Target) -> Result<NewFeedback, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewFeedback,
    ) -> Result<Contact, StoreError> {
        state.store.record_feedback(actor, t.id, input).await
    }

    fn done(t: &Target, _: &Contact) -> String {
        format!("/contacts/{}?saved=feedback#feedback", t.id)
    }
}
