//! Entering care, placement moves and changes of legal status, and ceasing care: forms declared
//! once for their pages and API (see [`crate::forms::path`]). Hearth makes the 903 episodes
//! itself (`domain::looked_after::care`); the worker records what happened.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::codes::CodeList;
use domain::looked_after::care::{
    self as care, CHANGE_KINDS, CareChange, CareContext, CareRecord, CeaseCare, NewCarePeriod,
    NewPlacement,
};
use domain::validate::FieldError;
use store::{Actor, ChildRecord, StoreError};

use crate::AppState;
use crate::error::AppError;
use crate::forms::fields::{list_items, today, yes_no};
use crate::forms::path::{CaseForm, On, Target, to_child, valid};
use crate::forms::{Field, FormData, FormSpec};
use crate::policy::Action;

fn codes(list: &CodeList) -> Vec<(String, String)> {
    list_items(list, today())
        .into_iter()
        .map(|(c, l)| (c.clone(), format!("{c}: {l}")))
        .collect()
}

fn context(rec: &ChildRecord) -> CareContext<'_> {
    CareContext {
        today: today(),
        date_of_birth: rec.person.details.date_of_birth,
        episodes: &rec.looked_after.episodes,
        adoption: &rec.looked_after.adoption,
    }
}

fn looked_after(rec: &ChildRecord) -> bool {
    rec.looked_after
        .episodes
        .iter()
        .any(|e| e.ended_on.is_none())
}

/// The placement's fields, as on every care form.
fn placement_fields() -> Vec<Field> {
    vec![
        Field::Select("placement", "Placement type", codes(care::placement_type())),
        Field::Select(
            "provider",
            "Placement provider (none for a temporary placement)",
            codes(care::provider()),
        ),
        Field::Input("carer", "Carer's or home's name", ""),
        Field::Input("postcode", "Placement postcode", ""),
        Field::Input(
            "urn",
            "Ofsted URN",
            "SC and 6 digits, or 7 digits; XXXXXXX if the provider is not inspected by Ofsted. Leave blank for placements with parents, temporary placements and others with no URN.",
        ),
        Field::Radios("planned", "Was the placement planned?", yes_no()),
    ]
}

fn yes_no_value(form: &FormData, k: &str) -> Option<bool> {
    match form.get(k).as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

fn read_placement(form: &FormData) -> NewPlacement {
    NewPlacement {
        placement: form.get("placement"),
        provider: form.get("provider"),
        postcode: form.get("postcode"),
        urn: form.get("urn"),
        carer: form.get("carer"),
        planned: yes_no_value(form, "planned"),
    }
}

/// A date the form reads; the domain checks it is not in the future.
fn date(form: &FormData, k: &str, label: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    crate::forms::fields::required_date(&form.parts(k), k, label, errors)
}

/// A manager's decision that the child is looked after: the first episode of a period of care.
pub struct Enter;

#[async_trait]
impl CaseForm for Enter {
    type Record = ChildRecord;
    type Input = NewCarePeriod;
    type Body = NewCarePeriod;
    type Saved = CareRecord;
    const PAGE: &'static str = "/children/{id}/care/enter";
    const API: &'static str = "/api/children/{id}/care/enter";
    const ON: On = On::Child;
    // A manager's decision, as the front door's is.
    const ACTION: Action = Action::Oversee;
    const WHAT: &'static str = "record entering care";
    const SUMMARY: &'static str = "A team manager's decision that the child is looked after: starts a period of care and its first 903 episode (RNE S). Problems name the field (the placement's fields by their own names).";
    const TODAY: &'static [&'static str] = &["started"];
    const FALLBACK: &'static str = "started";

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        if looked_after(rec) {
            return Err(AppError::NotFound { api: false });
        }
        let mut fields = vec![
            Field::Date("started", "Date care started"),
            Field::Select("legal_status", "Legal status", codes(care::legal_status())),
            Field::Select(
                "category_of_need",
                "Category of need",
                codes(care::category_of_need()),
            ),
        ];
        fields.extend(placement_fields());
        fields.push(Field::Radios(
            "previous_permanence",
            "Before coming into care, was the child adopted, or under a special guardianship or child arrangements order?",
            care::PREVIOUS_PERMANENCE
                .iter()
                .map(|(c, l)| (c.to_string(), l.to_string()))
                .collect(),
        ));
        fields.push(Field::Input(
            "previous_permanence_la",
            "The council that arranged it, if known",
            "Its 3-digit DfE code, or WAL, SCO, NUK or NIR for Wales, Scotland, Northern Ireland or unknown. Leave blank if none.",
        ));
        fields.push(Field::Date(
            "previous_permanence_on",
            "Date of that order, if known",
        ));
        fields.push(Field::Textarea(
            "rationale",
            "Management rationale for the decision",
            "Why the child needs to be looked after and why this placement.",
        ));
        Ok(FormSpec::new(
            rec,
            "Record entering care",
            format!("/children/{}/care/enter", t.child),
            "Record entering care",
            fields,
        )
        .intro("A team manager's decision. Short breaks (V3, V4) are not recorded here."))
    }

    fn read(
        form: &FormData,
        _: &Target,
        rec: &ChildRecord,
    ) -> Result<NewCarePeriod, Vec<FieldError>> {
        let mut errors = Vec::new();
        let previous_on = match form
            .parts("previous_permanence_on")
            .parse("previous_permanence_on", "Date of that order")
        {
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let input = date(form, "started", "Date care started", &mut errors).map(|started_on| {
            NewCarePeriod {
                started_on,
                legal_status: form.get("legal_status"),
                category_of_need: form.get("category_of_need"),
                rationale: form.get("rationale"),
                placement: read_placement(form),
                previous_permanence: form.get("previous_permanence"),
                previous_permanence_la: form.get("previous_permanence_la"),
                previous_permanence_on: previous_on,
            }
        });
        valid(errors, input, |i| i.validate(&context(rec)))
    }

    fn from_body(body: NewCarePeriod, _: &Target) -> Result<NewCarePeriod, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewCarePeriod,
    ) -> Result<CareRecord, StoreError> {
        state.store.enter_care(actor, t.child, input).await
    }

    fn done(t: &Target, _: &CareRecord) -> String {
        to_child(t.child, "care_entered")
    }
}

/// A placement move or a change of legal status (or both on the same day).
pub struct Change;

#[async_trait]
impl CaseForm for Change {
    type Record = ChildRecord;
    type Input = CareChange;
    type Body = CareChange;
    type Saved = CareRecord;
    const PAGE: &'static str = "/children/{id}/care/change";
    const API: &'static str = "/api/children/{id}/care/change";
    const ON: On = On::Child;
    const WHAT: &'static str = "record a placement move or change of legal status";
    const SUMMARY: &'static str = "Records a placement move or change of legal status (kind \"placement\", \"legal_status\" or \"both\"): the current 903 episode ends that day (REC X1) and the next starts with the RNE for what changed, copying what did not.";
    const TODAY: &'static [&'static str] = &["changed"];
    const FALLBACK: &'static str = "changed";

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        if !looked_after(rec) {
            return Err(AppError::NotFound { api: false });
        }
        let kinds = CHANGE_KINDS
            .iter()
            .map(|(v, l)| (v.to_string(), l.to_string()))
            .collect();
        let mut fields = vec![
            Field::Date("changed", "Date of the change"),
            Field::Radios("kind", "What changed", kinds),
            Field::Select(
                "legal_status",
                "New legal status (if it changed)",
                codes(care::legal_status()),
            ),
        ];
        fields.extend(placement_fields());
        fields.push(Field::Radios(
            "same_carer",
            "For a placement move: does the child stay with the same carer?",
            yes_no(),
        ));
        fields.push(Field::Select(
            "reason_place_change",
            "Reason for the placement change (not for a temporary placement)",
            codes(care::reason_place_change()),
        ));
        Ok(FormSpec::new(
            rec,
            "Record a placement move or change of legal status",
            format!("/children/{}/care/change", t.child),
            "Save the change",
            fields,
        )
        .intro("Fill in the new placement for a move, the new legal status for a change of legal status. What did not change is kept from the current episode."))
    }

    fn read(form: &FormData, _: &Target, rec: &ChildRecord) -> Result<CareChange, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = form.get("kind");
        let moves = matches!(kind.as_str(), "placement" | "both");
        let input =
            date(form, "changed", "Date of the change", &mut errors).map(|changed_on| CareChange {
                changed_on,
                legal_status: if matches!(kind.as_str(), "legal_status" | "both") {
                    form.get("legal_status")
                } else {
                    String::new()
                },
                placement: if moves {
                    read_placement(form)
                } else {
                    NewPlacement::default()
                },
                same_carer: if moves {
                    yes_no_value(form, "same_carer")
                } else {
                    None
                },
                reason_place_change: form.get("reason_place_change"),
                kind,
            });
        valid(errors, input, |i| i.validate(&context(rec)))
    }

    fn from_body(body: CareChange, _: &Target) -> Result<CareChange, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: CareChange,
    ) -> Result<CareRecord, StoreError> {
        state.store.change_care(actor, t.child, input).await
    }

    fn done(t: &Target, _: &CareRecord) -> String {
        to_child(t.child, "care_changed")
    }
}

/// The child ceases to be looked after.
pub struct Cease;

#[async_trait]
impl CaseForm for Cease {
    type Record = ChildRecord;
    type Input = CeaseCare;
    type Body = CeaseCare;
    type Saved = CareRecord;
    const PAGE: &'static str = "/children/{id}/care/cease";
    const API: &'static str = "/api/children/{id}/care/cease";
    const ON: On = On::Child;
    const WHAT: &'static str = "record ceasing care";
    const SUMMARY: &'static str = "The child ceases to be looked after: the current 903 episode ends with REC (not X1) and the period of care closes.";
    const TODAY: &'static [&'static str] = &["ended"];
    const FALLBACK: &'static str = "ended";
    const CREATED: bool = false;

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        if !looked_after(rec) {
            return Err(AppError::NotFound { api: false });
        }
        Ok(FormSpec::new(
            rec,
            "Record ceasing care",
            format!("/children/{}/care/cease", t.child),
            "Record ceasing care",
            vec![
                Field::Date("ended", "Date care ended"),
                Field::Select(
                    "reason_ceased",
                    "Why care ended",
                    codes(care::reason_ceased()),
                ),
            ],
        ))
    }

    fn read(form: &FormData, _: &Target, rec: &ChildRecord) -> Result<CeaseCare, Vec<FieldError>> {
        let mut errors = Vec::new();
        let input = date(form, "ended", "Date care ended", &mut errors).map(|ended_on| CeaseCare {
            ended_on,
            reason_ceased: form.get("reason_ceased"),
        });
        valid(errors, input, |i| i.validate(&context(rec)))
    }

    fn from_body(body: CeaseCare, _: &Target) -> Result<CeaseCare, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: CeaseCare,
    ) -> Result<CareRecord, StoreError> {
        state.store.cease_care(actor, t.child, input).await
    }

    fn done(t: &Target, _: &CareRecord) -> String {
        to_child(t.child, "care_ceased")
    }
}

/// The end of a child's status as an unaccompanied asylum-seeking child (the 903's DUC), where
/// it ends before their 18th birthday.
pub struct UascEndForm;

#[async_trait]
impl CaseForm for UascEndForm {
    type Record = ChildRecord;
    type Input = domain::looked_after::UascEnd;
    type Body = domain::looked_after::UascEnd;
    type Saved = domain::looked_after::UascEnd;
    const PAGE: &'static str = "/children/{id}/uasc-end";
    const API: &'static str = "/api/children/{id}/uasc-end";
    const ON: On = On::Child;
    const WHAT: &'static str = "record the end of UASC status";
    const SUMMARY: &'static str = "Records when a child's status as an unaccompanied asylum-seeking child ended before their 18th birthday (the 903's DUC), and why (leave_granted, age_assessed, left_uk, other). Once per child; for a child recorded as UASC.";
    const TODAY: &'static [&'static str] = &["ceased"];
    const FALLBACK: &'static str = "ceased";

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        if !rec.person.details.uasc || rec.looked_after.uasc_ended.is_some() {
            return Err(AppError::NotFound { api: false });
        }
        Ok(FormSpec::new(
            rec,
            "Record the end of UASC status",
            format!("/children/{}/uasc-end", t.child),
            "Save",
            vec![
                Field::Date("ceased", "Date UASC status ended"),
                Field::Radios(
                    "reason",
                    "Why it ended",
                    list_items(domain::looked_after::uasc_end_reason(), today()),
                ),
            ],
        )
        .intro("UASC status ends at 18 without anything recorded here. Record an earlier end: a grant of leave, an age assessment, the child leaving the UK."))
    }

    fn read(
        form: &FormData,
        _: &Target,
        rec: &ChildRecord,
    ) -> Result<domain::looked_after::UascEnd, Vec<FieldError>> {
        let mut errors = Vec::new();
        let input = date(form, "ceased", "Date UASC status ended", &mut errors).map(|ceased_on| {
            domain::looked_after::UascEnd {
                ceased_on,
                reason: form.get("reason"),
            }
        });
        valid(errors, input, |i| {
            i.validate(
                rec.person.details.uasc,
                rec.person.details.date_of_birth,
                rec.looked_after.uasc_ended.as_ref(),
                today(),
            )
        })
    }

    fn from_body(
        body: domain::looked_after::UascEnd,
        _: &Target,
    ) -> Result<domain::looked_after::UascEnd, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: domain::looked_after::UascEnd,
    ) -> Result<domain::looked_after::UascEnd, StoreError> {
        state.store.record_uasc_end(actor, t.child, input).await
    }

    fn done(t: &Target, _: &domain::looked_after::UascEnd) -> String {
        to_child(t.child, "uasc_end")
    }
}
