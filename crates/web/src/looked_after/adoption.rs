//! Adoption, declared once for its page and API (see [`crate::forms::path`]): the decision that
//! the child should be placed for adoption, the match with adopters, and the decision that the
//! child should no longer be placed. The placement order (a change of legal status to E1), the
//! placement with adopters (a placement move to A3–A6) and the adoption order (ceasing care with
//! E11 or E12) are recorded on the care forms, which check them against these decisions.

use async_trait::async_trait;
use axum::response::Response;
use domain::looked_after::adoption::{
    AdoptionContext, AdoptionDecision, AdoptionStep, STEP_KINDS, adopters_legal_status,
    adopters_sex, open_decision, reason_no_longer_placed,
};
use domain::validate::FieldError;
use minijinja::{Value, context};
use store::{Actor, ChildRecord, StoreError};

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::fields::{fmt_date, list_items, today, yes_no};
use crate::forms::path::{CaseForm, On, Target, to_child, valid};
use crate::forms::{Field, FormData, FormSpec};

fn coded(list: &domain::codes::CodeList) -> Vec<(String, String)> {
    list_items(list, today())
        .into_iter()
        .map(|(c, l)| (c.clone(), format!("{c}: {l}")))
        .collect()
}

/// Where the adoption plan stands, in words, for the form's introduction and the child's page.
pub fn status(decisions: &[AdoptionDecision]) -> Option<String> {
    match open_decision(decisions) {
        Some(d) => Some(match &d.matched {
            Some(m) => format!(
                "Should be placed for adoption (decided {}); matched with adopters on {}",
                fmt_date(d.decided_on),
                fmt_date(m.matched_on)
            ),
            None => format!(
                "Should be placed for adoption (decided {}); not matched yet",
                fmt_date(d.decided_on)
            ),
        }),
        None => decisions.last().map(|d| {
            format!(
                "Should no longer be placed for adoption (from {})",
                d.ceased_on.map(fmt_date).unwrap_or_default()
            )
        }),
    }
}

/// The adoption part of the care section of the child's page.
pub fn section(rec: &ChildRecord, may: bool) -> Value {
    use super::corrections::{DecisionCorrection, MatchCorrection};
    use crate::forms::correct::{entered_in_error, view};
    let decisions = &rec.looked_after.adoption;
    let in_error = entered_in_error::<DecisionCorrection>(rec);
    if decisions.is_empty() && in_error.is_empty() {
        return Value::UNDEFINED;
    }
    context! {
        status => status(decisions).unwrap_or_else(|| "No decision to place for adoption in force".into()),
        in_error,
        decisions => decisions.iter().map(|d| context! {
            corrections => view::<DecisionCorrection>(rec, d.id, &d.into(), may),
            match_corrections => d.matched.as_ref().map(|m| view::<MatchCorrection>(rec, m.id, &m.into(), may)),
            decided => fmt_date(d.decided_on),
            ceased => d.ceased_on.map(fmt_date),
            reason => d.reason_ceased.as_deref().and_then(|r| reason_no_longer_placed().label(r)),
            matched => d.matched.as_ref().map(|m| format!(
                "{} on {}{}",
                adopters_sex().label(&m.adopters_sex).unwrap_or("adopters").to_lowercase(),
                fmt_date(m.matched_on),
                if m.foster_carers { ", the child's foster carers" } else { "" }
            )),
        }).collect::<Vec<_>>(),
    }
}

/// Recording a step of the adoption plan.
pub struct Adoption;

#[async_trait]
impl CaseForm for Adoption {
    type Record = ChildRecord;
    type Input = AdoptionStep;
    type Body = AdoptionStep;
    type Saved = AdoptionDecision;
    const PAGE: &'static str = "/children/{id}/adoption";
    const API: &'static str = "/api/children/{id}/adoption";
    const ON: On = On::Child;
    const WHAT: &'static str = "record an adoption decision or match";
    const SUMMARY: &'static str = "Records, for a child in care, the decision that they should be placed for adoption (kind decision), the match with adopters (kind match: adopters 1 or 2, adopters_sex M1/F1/MM/FF/MF, adopters_legal_status L0/L11/L12/L2/L3/L4, foster_carers), or that they should no longer be placed (kind reversal, reason RD1-RD4). Returns the decision made or changed.";
    const TODAY: &'static [&'static str] = &["on"];
    const FALLBACK: &'static str = "on";

    fn check(_: &Target, _: &ChildRecord) -> Result<(), AppError> {
        Ok(())
    }

    async fn page(
        state: &AppState,
        session: &Session,
        t: &Target,
        rec: &ChildRecord,
        form: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        let intro = match status(&rec.looked_after.adoption) {
            Some(s) => format!("{s}. The placement order, the placement with adopters and the adoption order are recorded as changes of legal status (E1), placement moves (A3 to A6) and ceasing care (E11, E12)."),
            None => "No decision to place for adoption is recorded. Record the agency decision maker's decision first; the match with adopters follows it.".into(),
        };
        let kinds = STEP_KINDS
            .iter()
            .map(|(c, l)| (c.to_string(), l.to_string()))
            .collect();
        let number = vec![
            ("1".to_string(), "One".to_string()),
            ("2".to_string(), "Two".to_string()),
        ];
        FormSpec::new(
            rec,
            "Record an adoption decision or match",
            format!("/children/{}/adoption", t.child),
            "Save",
            vec![
                Field::Radios("kind", "What are you recording?", kinds),
                Field::Date("on", "Date of the decision or match"),
                Field::Radios("adopters", "For a match: how many adopters?", number),
                Field::Select(
                    "adopters_sex",
                    "For a match: the adopters' sex",
                    coded(adopters_sex()),
                ),
                Field::Select(
                    "adopters_legal_status",
                    "For a match: the adopters' legal status",
                    coded(adopters_legal_status()),
                ),
                Field::Radios(
                    "foster_carers",
                    "For a match: are the adopters the child's foster carers?",
                    yes_no(),
                ),
                Field::Radios(
                    "reason",
                    "If the child should no longer be placed for adoption, why",
                    list_items(reason_no_longer_placed(), today()),
                ),
            ],
        )
        .intro(intro)
        .render(state, session, form, errors)
    }

    fn read(
        form: &FormData,
        _: &Target,
        rec: &ChildRecord,
    ) -> Result<AdoptionStep, Vec<FieldError>> {
        let mut errors = Vec::new();
        let adopters = match form.get("adopters").trim() {
            "" => None,
            n => n.parse::<i32>().ok().or(Some(0)),
        };
        let foster_carers = match form.get("foster_carers").as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        };
        let kind = form.get("kind");
        let is_match = kind == "match";
        let input = form.date("on", "Date", &mut errors).map(|on| AdoptionStep {
            // A step carries only its own kind's fields.
            adopters: adopters.filter(|_| is_match),
            adopters_sex: if is_match {
                form.get("adopters_sex")
            } else {
                String::new()
            },
            adopters_legal_status: if is_match {
                form.get("adopters_legal_status")
            } else {
                String::new()
            },
            foster_carers: foster_carers.filter(|_| is_match),
            reason: if kind == "reversal" {
                form.get("reason")
            } else {
                String::new()
            },
            kind,
            on,
        });
        valid(errors, input, |s| {
            s.validate(&AdoptionContext {
                today: today(),
                episodes: &rec.looked_after.episodes,
                decisions: &rec.looked_after.adoption,
            })
        })
    }

    fn from_body(body: AdoptionStep, _: &Target) -> Result<AdoptionStep, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: AdoptionStep,
    ) -> Result<AdoptionDecision, StoreError> {
        state
            .store
            .record_adoption_step(actor, t.child, input)
            .await
    }

    fn done(t: &Target, _: &AdoptionDecision) -> String {
        to_child(t.child, "adoption")
    }
}
