//! Private fostering's forms, declared once for their pages and API (see
//! [`crate::forms::path`]). The notification is on the child; the visit, the assessment and the
//! end are on an arrangement, which is not a [`store::CaseRecord`]: [`super::arrangement`] serves
//! them with the form path's steps, finding the child with `pf_arrangement_child`.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::private_fostering::{
    Arrangement, ArrangementEnd, Assessment, CARER_RELATIONSHIPS, END_REASONS, NOTIFIERS,
    NewArrangement, NewVisit, SUITABILITY, Timescales, Visit as PfVisit, label,
};
use domain::validate::FieldError;
use store::{Actor, CaseRecord, ChildRecord, StoreError};

use crate::AppState;
use crate::error::AppError;
use crate::forms::fields::{fmt_date, today, yes_no};
use crate::forms::path::{CaseForm, On, Target, to_child, valid};
use crate::forms::{Field, FormData, FormSpec};

pub(crate) fn items(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect()
}

/// A date that may be in the future or left out.
fn any_date(
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
fn yes(form: &FormData, name: &str, message: &str, errors: &mut Vec<FieldError>) -> Option<bool> {
    match form.get(name).as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.push(FieldError::new(name, message));
            None
        }
    }
}

pub(crate) fn carer_line(a: &Arrangement) -> String {
    format!(
        "{} ({})",
        a.carer,
        label(CARER_RELATIONSHIPS, &a.carer_relationship).to_lowercase()
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The arrangement the path names, on the child's record; or not found.
fn arrangement(t: &Target, rec: &ChildRecord) -> Result<Arrangement, AppError> {
    rec.private_fostering
        .iter()
        .find(|a| a.id == t.id)
        .cloned()
        .ok_or(AppError::NotFound { api: false })
}

/// The arrangement's notification date, which the later records are checked against.
fn notified_on(t: &Target, rec: &ChildRecord, field: &str) -> Result<NaiveDate, Vec<FieldError>> {
    arrangement(t, rec).map(|a| a.notified_on).map_err(|_| {
        vec![FieldError::new(
            field,
            "This arrangement is not on the child's record",
        )]
    })
}

/// The notification of a private fostering arrangement for a child.
pub struct Notification;

#[async_trait]
impl CaseForm for Notification {
    type Record = ChildRecord;
    type Input = NewArrangement;
    type Body = NewArrangement;
    type Saved = Arrangement;
    const PAGE: &'static str = "/children/{id}/private-fostering";
    const API: &'static str = "/api/children/{id}/private-fostering";
    const ON: On = On::Child;
    const WHAT: &'static str = "record a private fostering notification";
    const SUMMARY: &'static str = "Records the notification of a private fostering arrangement for a child (one open arrangement at a time).";
    const TODAY: &'static [&'static str] = &["notified"];
    const FALLBACK: &'static str = "notified";

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        Ok(FormSpec::new(
            rec,
            "Record a private fostering notification",
            format!("/children/{}/private-fostering", t.child),
            "Record notification",
            vec![
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
        )
        .intro("Private fostering is when a child under 16 (under 18 if disabled) is cared for by someone who is not a parent or close relative for 28 days or more. The initial visit is due within 7 working days of the notification."))
    }

    fn read(
        form: &FormData,
        _: &Target,
        rec: &ChildRecord,
    ) -> Result<NewArrangement, Vec<FieldError>> {
        let mut errors = Vec::new();
        let notified = form.date("notified", "Date the council was told", &mut errors);
        let start = any_date(
            form,
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
        let expected_end = any_date(form, "expected_end", "Expected end", &mut errors);
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
            Ok(n)
        } else {
            Err(errors)
        }
    }

    fn from_body(body: NewArrangement, _: &Target) -> Result<NewArrangement, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewArrangement,
    ) -> Result<Arrangement, StoreError> {
        state
            .store
            .record_pf_notification(actor, t.child, input)
            .await
    }

    fn done(t: &Target, _: &Arrangement) -> String {
        to_child(t.child, "pf_notified")
    }
}

/// A visit to a privately fostered child; the API answers the visit recorded.
pub struct Visit;

#[async_trait]
impl CaseForm for Visit {
    type Record = ChildRecord;
    type Input = NewVisit;
    type Body = NewVisit;
    type Saved = PfVisit;
    const PAGE: &'static str = "/private-fostering/{id}/visits";
    const API: &'static str = "/api/private-fostering/{id}/visits";
    /// Served by [`super::arrangement`], which resolves the arrangement to its child.
    const ON: On = On::Record(CaseRecord::PfArrangement);
    const WHAT: &'static str = "record a private fostering visit";
    const SUMMARY: &'static str = "Records a visit to a privately fostered child: the first at which the child is seen is the initial visit.";
    const TODAY: &'static [&'static str] = &["visited"];
    const FALLBACK: &'static str = "visited";

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        let a = arrangement(t, rec)?;
        let due = a.next_visit_due(&Timescales::default()).map(fmt_date);
        let kind = if a.initial_visit().is_none() {
            "the initial visit"
        } else {
            "the next visit"
        };
        Ok(FormSpec::new(
            rec,
            "Record a private fostering visit",
            format!("/private-fostering/{}/visits", a.id),
            "Record visit",
            vec![
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
        )
        .intro(match due {
            Some(d) => format!(
                "Arrangement with {}. {} is due by {d}. See the child alone unless that is not appropriate, and write a report of every visit.",
                carer_line(&a),
                capitalise(kind)
            ),
            None => format!("Arrangement with {}.", carer_line(&a)),
        }))
    }

    fn read(form: &FormData, t: &Target, rec: &ChildRecord) -> Result<NewVisit, Vec<FieldError>> {
        let notified = notified_on(t, rec, "visited")?;
        let mut errors = Vec::new();
        let visited = form.date("visited", "Date of the visit", &mut errors);
        let seen = yes(
            form,
            "child_seen",
            "Select whether the child was seen",
            &mut errors,
        );
        let alone = if seen == Some(true) {
            yes(
                form,
                "seen_alone",
                "Select whether the child was seen alone",
                &mut errors,
            )
        } else {
            Some(form.get("seen_alone") == "yes")
        };
        let input = match (visited, seen, alone) {
            (Some(visited), Some(seen), Some(alone)) => Some(NewVisit {
                visited_on: visited,
                child_seen: seen,
                seen_alone: alone,
                not_alone_reason: form.get("not_alone_reason"),
                childs_words: form.get("childs_words"),
                observation: form.get("observation"),
                report: form.get("report"),
            }),
            _ => None,
        };
        valid(errors, input, |v| v.validate(notified, today()))
    }

    fn from_body(body: NewVisit, _: &Target) -> Result<NewVisit, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewVisit,
    ) -> Result<PfVisit, StoreError> {
        let (on, report) = (input.visited_on, input.report.trim().to_string());
        let after = state.store.record_pf_visit(actor, t.id, input).await?;
        // The visit just recorded: the newest (ids are time-ordered) of those that match it.
        after
            .visits
            .into_iter()
            .filter(|v| v.visited_on == on && v.report == report)
            .max_by_key(|v| v.id)
            .ok_or(StoreError::NotFound("private fostering visit"))
    }

    fn done(t: &Target, _: &PfVisit) -> String {
        to_child(t.child, "pf_visit")
    }
}

/// The council's assessment of the arrangement's suitability.
pub struct Assess;

#[async_trait]
impl CaseForm for Assess {
    type Record = ChildRecord;
    type Input = Assessment;
    type Body = Assessment;
    type Saved = Arrangement;
    const PAGE: &'static str = "/private-fostering/{id}/assessment";
    const API: &'static str = "/api/private-fostering/{id}/assessment";
    /// Served by [`super::arrangement`], which resolves the arrangement to its child.
    const ON: On = On::Record(CaseRecord::PfArrangement);
    const WHAT: &'static str = "record a private fostering assessment";
    const SUMMARY: &'static str = "Records the council's assessment of whether a private fostering arrangement is suitable (once).";
    const TODAY: &'static [&'static str] = &["assessed"];
    const FALLBACK: &'static str = "assessed";
    const CREATED: bool = false;

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        let a = arrangement(t, rec)?;
        Ok(FormSpec::new(
            rec,
            "Record the private fostering assessment",
            format!("/private-fostering/{}/assessment", a.id),
            "Record assessment",
            vec![
                Field::Date("assessed", "Date of the assessment"),
                Field::Radios(
                    "suitability",
                    "Is the arrangement suitable?",
                    items(SUITABILITY),
                ),
            ],
        )
        .intro(format!(
            "Whether the arrangement with {} is suitable for the child.",
            carer_line(&a)
        )))
    }

    fn read(form: &FormData, t: &Target, rec: &ChildRecord) -> Result<Assessment, Vec<FieldError>> {
        let notified = notified_on(t, rec, "assessed")?;
        let mut errors = Vec::new();
        let input = form
            .date("assessed", "Date of the assessment", &mut errors)
            .map(|on| Assessment {
                assessed_on: on,
                outcome: form.get("suitability"),
            });
        valid(errors, input, |s| s.validate(notified, today()))
    }

    fn from_body(body: Assessment, _: &Target) -> Result<Assessment, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: Assessment,
    ) -> Result<Arrangement, StoreError> {
        state.store.assess_pf_arrangement(actor, t.id, input).await
    }

    fn done(t: &Target, _: &Arrangement) -> String {
        to_child(t.child, "pf_assessed")
    }
}

/// The end of an arrangement.
pub struct End;

#[async_trait]
impl CaseForm for End {
    type Record = ChildRecord;
    type Input = ArrangementEnd;
    type Body = ArrangementEnd;
    type Saved = Arrangement;
    const PAGE: &'static str = "/private-fostering/{id}/end";
    const API: &'static str = "/api/private-fostering/{id}/end";
    /// Served by [`super::arrangement`], which resolves the arrangement to its child.
    const ON: On = On::Record(CaseRecord::PfArrangement);
    const WHAT: &'static str = "end a private fostering arrangement";
    const SUMMARY: &'static str = "Ends a private fostering arrangement.";
    const TODAY: &'static [&'static str] = &["ended", "end_notified"];
    const FALLBACK: &'static str = "ended";
    const CREATED: bool = false;

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        let a = arrangement(t, rec)?;
        Ok(FormSpec::new(
            rec,
            "End the private fostering arrangement",
            format!("/private-fostering/{}/end", a.id),
            "End arrangement",
            vec![
                Field::Date("ended", "Date the arrangement ended"),
                Field::Radios("end_reason", "Why it ended", items(END_REASONS)),
                Field::Date("end_notified", "Date the council was told it had ended"),
            ],
        )
        .intro(format!(
            "The arrangement with {}. The council should be told within 48 hours of an arrangement ending.",
            carer_line(&a)
        )))
    }

    fn read(
        form: &FormData,
        t: &Target,
        rec: &ChildRecord,
    ) -> Result<ArrangementEnd, Vec<FieldError>> {
        let notified = notified_on(t, rec, "ended")?;
        let mut errors = Vec::new();
        let ended = form.date("ended", "Date the arrangement ended", &mut errors);
        let told = form.date("end_notified", "Date the council was told", &mut errors);
        let input = match (ended, told) {
            (Some(ended), Some(told)) => Some(ArrangementEnd {
                ended_on: ended,
                reason: form.get("end_reason"),
                notified_on: told,
            }),
            _ => None,
        };
        valid(errors, input, |e| e.validate(notified, today()))
    }

    fn from_body(body: ArrangementEnd, _: &Target) -> Result<ArrangementEnd, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: ArrangementEnd,
    ) -> Result<Arrangement, StoreError> {
        state.store.end_pf_arrangement(actor, t.id, input).await
    }

    fn done(t: &Target, _: &Arrangement) -> String {
        to_child(t.child, "pf_ended")
    }
}
