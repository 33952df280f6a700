//! The front door's forms on a contact, declared once for their pages and API (see
//! [`crate::forms::path`]): a check with a partner agency, and the manager's decision. Both are
//! refused unless the user may act for every child the contact names.

use async_trait::async_trait;
use axum::response::Response;
use domain::front_door::{Contact, NewDecision, NewPartnerCheck, PartnerCheck};
use domain::validate::FieldError;
use store::{Actor, StoreError};

use super::api::{Decided, DecisionInput};
use super::pages::{CheckForm, ContactForms, DecisionForm, contact_page};
use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::FormData;
use crate::forms::errors::field_error;
use crate::forms::fields::{now, past_date, past_datetime, today};
use crate::forms::path::{CaseForm, On, Target};
use crate::policy::Action;

/// A check made with a partner agency about a contact.
pub struct Check;

#[async_trait]
impl CaseForm for Check {
    type Record = Contact;
    type Input = NewPartnerCheck;
    type Body = NewPartnerCheck;
    type Saved = PartnerCheck;
    const PAGE: &'static str = "/contacts/{id}/checks";
    const API: &'static str = "/api/contacts/{id}/checks";
    const ON: On = On::Contact;
    const ACTION: Action = Action::RecordContact;
    const WHAT: &'static str = "partner check";
    const SUMMARY: &'static str = "Records a check made with a partner agency about a contact.";
    const BLANK: bool = false;
    const FALLBACK: &'static str = "summary";

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
            check: CheckForm::of(form),
            ..ContactForms::blank()
        };
        contact_page(state, session, contact, &forms, errors, "").await
    }

    fn read(form: &FormData, _: &Target, _: &Contact) -> Result<NewPartnerCheck, Vec<FieldError>> {
        let mut errors = Vec::new();
        let requested = past_date(
            &form.parts("requested"),
            "requested",
            "Date requested",
            &mut errors,
        );
        let received_parts = form.parts("check_received");
        let received = if received_parts.is_empty() {
            None
        } else {
            past_date(
                &received_parts,
                "check_received",
                "Date received",
                &mut errors,
            )
        };
        let Some(requested) = requested else {
            if form.get("agency").is_empty() {
                errors.push(FieldError::new("agency", "Select the agency asked"));
            }
            return Err(errors);
        };
        let new = NewPartnerCheck {
            agency: form.get("agency"),
            requested_on: requested,
            received_on: received,
            summary: form.get("summary"),
        };
        // The page's field for the date received is "check_received".
        errors.extend(new.validate(today()).into_iter().map(|mut e| {
            if e.field == "received" {
                e.field = "check_received".into();
            }
            e
        }));
        if errors.is_empty() {
            Ok(new)
        } else {
            Err(errors)
        }
    }

    fn from_body(body: NewPartnerCheck, _: &Target) -> Result<NewPartnerCheck, Vec<FieldError>> {
        Ok(body)
    }

    async fn api_check(
        _: &AppState,
        _: &Target,
        input: &NewPartnerCheck,
    ) -> Result<Vec<FieldError>, AppError> {
        Ok(input.validate(today()))
    }

    fn refusal(e: StoreError) -> Result<FieldError, AppError> {
        field_error(e, "summary")
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewPartnerCheck,
    ) -> Result<PartnerCheck, StoreError> {
        state.store.add_partner_check(actor, t.id, input).await
    }

    fn done(t: &Target, _: &PartnerCheck) -> String {
        format!("/contacts/{}?saved=check", t.id)
    }
}

/// A worker is allocated on the decision only when it refers the children.
fn allocation_problem(decision: &NewDecision, allocate_to: Option<uuid::Uuid>) -> Vec<FieldError> {
    match allocate_to {
        Some(_) if !matches!(decision.outcome.as_str(), "referral" | "strategy") => {
            vec![FieldError::new(
                "allocate_to",
                "Allocate a worker only on a referral or a strategy discussion",
            )]
        }
        _ => Vec::new(),
    }
}

/// The front-door decision: a team manager's, with direction and rationale.
pub struct Decide;

#[async_trait]
impl CaseForm for Decide {
    type Record = Contact;
    type Input = DecisionInput;
    type Body = DecisionInput;
    type Saved = Decided;
    const PAGE: &'static str = "/contacts/{id}/decision";
    const API: &'static str = "/api/contacts/{id}/decision";
    const ON: On = On::Contact;
    const ACTION: Action = Action::DecideContact;
    const WHAT: &'static str = "decision";
    const SUMMARY: &'static str = "Records the front-door decision (team managers only): direction and rationale are required.";
    const BLANK: bool = false;
    const FALLBACK: &'static str = "outcome";
    const CREATED: bool = false;

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
            decision: DecisionForm::of(form),
            ..ContactForms::blank()
        };
        contact_page(state, session, contact, &forms, errors, "").await
    }

    fn read(
        form: &FormData,
        _: &Target,
        contact: &Contact,
    ) -> Result<DecisionInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let decided = past_datetime(
            &form.parts("decided"),
            &form.get("decided_time"),
            "decided",
            "The date and time of the decision",
            &mut errors,
        );
        let quality = form.get("quality");
        let decision = NewDecision {
            outcome: form.get("outcome"),
            decided_at: decided.unwrap_or_else(now),
            direction: form.get("direction"),
            rationale: form.get("rationale"),
            quality: Some(quality).filter(|q| !q.is_empty()),
            quality_comment: form.get("quality_comment"),
        };
        // A date that could not be read is named once, not again by the domain's check.
        errors.extend(
            decision
                .validate(contact.received_at, now())
                .into_iter()
                .filter(|e| decided.is_some() || e.field != "decided"),
        );
        let version = form.version().map_err(|e| errors.push(e));
        let allocate_to = match form.get("allocate_to").trim() {
            "" => None,
            id => match id.parse::<uuid::Uuid>() {
                Ok(w) => Some(w),
                Err(_) => {
                    errors.push(FieldError::new(
                        "allocate_to",
                        "Choose a worker from the list",
                    ));
                    None
                }
            },
        };
        errors.extend(allocation_problem(&decision, allocate_to));
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(DecisionInput {
            version: version.unwrap_or(contact.version),
            decision,
            allocate_to,
        })
    }

    fn from_body(body: DecisionInput, _: &Target) -> Result<DecisionInput, Vec<FieldError>> {
        Ok(body)
    }

    fn refusal(e: StoreError) -> Result<FieldError, AppError> {
        field_error(e, "outcome")
    }

    async fn api_check(
        _: &AppState,
        _: &Target,
        input: &DecisionInput,
    ) -> Result<Vec<FieldError>, AppError> {
        Ok(allocation_problem(&input.decision, input.allocate_to))
    }

    /// The decision, then (in one step for the manager) each referred child allocated to the
    /// worker chosen; the worker is checked first, so a refusal saves nothing.
    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: DecisionInput,
    ) -> Result<Decided, StoreError> {
        if let Some(w) = input.allocate_to {
            let workers = state.store.list_workers().await?;
            if !workers.iter().any(|x| x.id == w && x.left.is_none()) {
                return Err(StoreError::Invalid {
                    field: "allocate_to",
                    message: "Choose a worker from the list".into(),
                });
            }
        }
        let from = input.decision.decided_at.date();
        let (contact, referrals) = state
            .store
            .decide_contact(actor, t.id, input.version, input.decision)
            .await?;
        if let Some(w) = input.allocate_to {
            for r in &referrals {
                state.store.allocate(actor, r.child_id, w, from).await?;
            }
        }
        Ok(Decided { contact, referrals })
    }

    fn done(t: &Target, _: &Decided) -> String {
        format!("/contacts/{}?saved=decided", t.id)
    }
}
