//! Permanence plans and personal education plans, declared once for their pages and API (see
//! [`crate::forms::path`]). Social workers and team managers record them. A new permanence plan
//! supersedes the last (which stays on the record); a PEP records the child's achievements, up to
//! three SMART targets on the page (any number on the API), progress on the last PEP's targets and
//! the virtual school's sign-off.

use async_trait::async_trait;
use axum::response::Response;
use chrono::NaiveDate;
use domain::looked_after::education::{NewPep, NewPepTarget, PepRecord, PepTarget, TargetProgress};
use domain::looked_after::permanence::{
    NewPermanencePlan, PermanencePlan, current_plan, early_permanence, permanence_plan,
};
use domain::validate::FieldError;
use store::{Actor, ChildRecord, StoreError};

use super::reviews::entered_care;
use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::fields::{fmt_date, list_items, today, yes_no};
use crate::forms::path::{CaseForm, On, Target, to_child, valid};
use crate::forms::{Field, FormData, FormSpec};

/// An optional date field: None when left blank.
fn optional_date(
    form: &FormData,
    k: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    match form.parts(k).parse(k, label) {
        Ok(d) => d,
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

fn blank_none(s: String) -> Option<String> {
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// Recording a permanence plan.
pub struct Permanence;

#[async_trait]
impl CaseForm for Permanence {
    type Record = ChildRecord;
    type Input = NewPermanencePlan;
    type Body = NewPermanencePlan;
    type Saved = PermanencePlan;
    const PAGE: &'static str = "/children/{id}/permanence";
    const API: &'static str = "/api/children/{id}/permanence";
    const ON: On = On::Child;
    const WHAT: &'static str = "record a permanence plan";
    const SUMMARY: &'static str = "Records a child in care's permanence plan (return_to_family, adoption, special_guardianship, child_arrangements, long_term_fostering, residential, supported_living, other) with its target date, early permanence (foster_for_adoption, concurrent_planning) and a parallel plan when twin tracking. It supersedes the plan in force, which stays on the record.";
    const TODAY: &'static [&'static str] = &["agreed"];
    const FALLBACK: &'static str = "agreed";

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
        let plans = state.store.care_plans(t.child).await?.permanence;
        let intro = match current_plan(&plans) {
            Some(p) => format!(
                "The plan now is {}, agreed {}, to be achieved by {}. A new plan supersedes it; it stays on the record.",
                p.describe().to_lowercase(),
                fmt_date(p.agreed_on),
                fmt_date(p.target_on)
            ),
            None => "No permanence plan is recorded. It is due by the second looked-after review."
                .into(),
        };
        let mut parallel = vec![(String::new(), "Not twin tracking".to_string())];
        parallel.extend(list_items(permanence_plan(), today()));
        let mut early = vec![(String::new(), "None".to_string())];
        early.extend(list_items(early_permanence(), today()));
        FormSpec::new(
            rec,
            "Record a permanence plan",
            format!("/children/{}/permanence", t.child),
            "Save the plan",
            vec![
                Field::Radios(
                    "plan",
                    "The permanence plan",
                    list_items(permanence_plan(), today()),
                ),
                Field::Date("agreed", "Date the plan was agreed"),
                Field::Date("target", "Target date for the plan to be achieved"),
                Field::Radios(
                    "early_permanence",
                    "Early permanence (for a plan of adoption)",
                    early,
                ),
                Field::Select("parallel_plan", "Parallel plan, if twin tracking", parallel),
                Field::Textarea("rationale", "Why this plan", ""),
            ],
        )
        .intro(intro)
        .render(state, session, form, errors)
    }

    fn read(
        form: &FormData,
        _: &Target,
        rec: &ChildRecord,
    ) -> Result<NewPermanencePlan, Vec<FieldError>> {
        let mut errors = Vec::new();
        let agreed = form.date("agreed", "Date the plan was agreed", &mut errors);
        let target = optional_date(form, "target", "Target date", &mut errors);
        if target.is_none() && form.parts("target").is_empty() {
            errors.push(FieldError::new("target", "Enter the target date"));
        }
        let input = match (agreed, target) {
            (Some(agreed_on), Some(target_on)) => Some(NewPermanencePlan {
                plan: form.get("plan"),
                agreed_on,
                target_on,
                early_permanence: blank_none(form.get("early_permanence")),
                parallel_plan: blank_none(form.get("parallel_plan")),
                rationale: form.get("rationale"),
            }),
            _ => None,
        };
        valid(errors, input, |p| p.validate(entered_care(rec), today()))
    }

    fn from_body(
        body: NewPermanencePlan,
        _: &Target,
    ) -> Result<NewPermanencePlan, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewPermanencePlan,
    ) -> Result<PermanencePlan, StoreError> {
        state
            .store
            .record_permanence_plan(actor, t.child, input)
            .await
    }

    fn done(t: &Target, _: &PermanencePlan) -> String {
        to_child(t.child, "permanence")
    }
}

/// The page's target rows: (area, target, by when) field names.
const TARGETS: [(&str, &str, &str); 3] = [
    ("target1_area", "target1_target", "target1_by"),
    ("target2_area", "target2_target", "target2_by"),
    ("target3_area", "target3_target", "target3_by"),
];

/// The page's progress rows for the earlier targets not yet reviewed: (progress, achieved).
const PROGRESS: [(&str, &str); 3] = [
    ("progress1", "progress1_achieved"),
    ("progress2", "progress2_achieved"),
    ("progress3", "progress3_achieved"),
];

/// The earlier targets not yet reviewed, in the order the page shows them.
fn open_targets(peps: &[PepRecord]) -> Vec<&PepTarget> {
    peps.iter()
        .flat_map(|p| &p.targets)
        .filter(|t| t.reviewed_at.is_none())
        .collect()
}

/// A PEP as read from the page or the API: the page's progress rows (row index, progress,
/// achieved) are matched to the open targets when saving.
pub struct PepInput {
    pep: NewPep,
    rows: Vec<(usize, String, bool)>,
}

/// Recording a personal education plan.
pub struct Pep;

#[async_trait]
impl CaseForm for Pep {
    type Record = ChildRecord;
    type Input = PepInput;
    type Body = NewPep;
    type Saved = PepRecord;
    const PAGE: &'static str = "/children/{id}/pep";
    const API: &'static str = "/api/children/{id}/pep";
    const ON: On = On::Child;
    const WHAT: &'static str = "record a PEP";
    const SUMMARY: &'static str = "Records a child in care's personal education plan meeting: achievements, SMART targets (area, target, by_when), progress on earlier targets (target_id, progress, achieved) and the virtual school's sign-off.";
    const TODAY: &'static [&'static str] = &["reviewed"];
    const FALLBACK: &'static str = "reviewed";
    const DRAFT: bool = true;

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
        let peps = state.store.care_plans(t.child).await?.peps;
        let open = open_targets(&peps);
        let mut fields = vec![
            Field::Date("reviewed", "Date of the PEP meeting"),
            Field::Textarea(
                "achievements",
                "The child's achievements",
                "Since the last PEP.",
            ),
        ];
        let mut intro = String::from(
            "PEPs are reviewed every school term. Set up to three SMART targets: what it is about, the target, and by when.",
        );
        for (i, (tgt, &(p, a))) in open.iter().zip(PROGRESS.iter()).enumerate() {
            intro.push_str(&format!(
                " Earlier target {}: {} — “{}”, by {}.",
                i + 1,
                tgt.area,
                tgt.target,
                fmt_date(tgt.due_on)
            ));
            let (lp, la) = match i {
                0 => ("Progress on earlier target 1", "Was earlier target 1 met?"),
                1 => ("Progress on earlier target 2", "Was earlier target 2 met?"),
                _ => ("Progress on earlier target 3", "Was earlier target 3 met?"),
            };
            fields.push(Field::Textarea(p, lp, ""));
            fields.push(Field::Radios(a, la, yes_no()));
        }
        for (i, &(a, g, b)) in TARGETS.iter().enumerate() {
            let (la, lg, lb) = match i {
                0 => (
                    "Target 1: what it is about",
                    "Target 1",
                    "Target 1 to be met by",
                ),
                1 => (
                    "Target 2: what it is about",
                    "Target 2",
                    "Target 2 to be met by",
                ),
                _ => (
                    "Target 3: what it is about",
                    "Target 3",
                    "Target 3 to be met by",
                ),
            };
            fields.push(Field::Input(
                a,
                la,
                "For example, reading, attendance or wellbeing",
            ));
            fields.push(Field::Textarea(g, lg, ""));
            fields.push(Field::Date(b, lb));
        }
        fields.push(Field::Input(
            "signed_off_by",
            "Signed off for the virtual school by",
            "Leave blank until the virtual school signs the PEP off",
        ));
        fields.push(Field::Date("signed_off", "Date signed off"));
        FormSpec::new(
            rec,
            "Record a personal education plan",
            format!("/children/{}/pep", t.child),
            "Save the PEP",
            fields,
        )
        .intro(intro)
        .drafts(Self::DRAFT)
        .render(state, session, form, errors)
    }

    fn read(form: &FormData, _: &Target, rec: &ChildRecord) -> Result<PepInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let reviewed = form.date("reviewed", "Date of the PEP meeting", &mut errors);
        let mut targets = Vec::new();
        for (i, &(a, g, b)) in TARGETS.iter().enumerate() {
            let parts = form.parts(b);
            if form.get(a).trim().is_empty() && form.get(g).trim().is_empty() && parts.is_empty() {
                continue;
            }
            let label = format!("Target {} to be met by", i + 1);
            let by_when = match parts.parse(b, &label) {
                Ok(d) => d,
                Err(e) => {
                    errors.push(e);
                    None
                }
            };
            let t = NewPepTarget {
                area: form.get(a),
                target: form.get(g),
                by_when,
            };
            if let Some(r) = reviewed {
                for p in t.validate(r) {
                    let field = match p.field.as_str() {
                        "area" => a,
                        "target" => g,
                        _ => b,
                    };
                    if parts.is_empty() || by_when.is_some() || field != b {
                        errors.push(FieldError::new(
                            field,
                            format!("Target {}: {}", i + 1, p.message),
                        ));
                    }
                }
            }
            targets.push(t);
        }
        if targets.is_empty() && reviewed.is_some() {
            errors.push(FieldError::new("target1_area", "Enter at least one target"));
        }
        let mut rows = Vec::new();
        for (i, &(p, a)) in PROGRESS.iter().enumerate() {
            let progress = form.get(p);
            let achieved = form.get(a);
            if progress.trim().is_empty() && achieved.is_empty() {
                continue;
            }
            if progress.trim().is_empty() {
                errors.push(FieldError::new(
                    p,
                    format!("Enter the progress on earlier target {}", i + 1),
                ));
            }
            rows.push((i, progress, achieved == "yes"));
        }
        let signed_off = optional_date(form, "signed_off", "Date signed off", &mut errors);
        let input = reviewed.map(|reviewed_on| PepInput {
            pep: NewPep {
                reviewed_on,
                achievements: form.get("achievements"),
                targets,
                progress: Vec::new(),
                signed_off_by: blank_none(form.get("signed_off_by")),
                signed_off_on: signed_off,
            },
            rows,
        });
        valid(errors, input, |p| {
            p.pep.validate_pep(entered_care(rec), today())
        })
    }

    fn from_body(body: NewPep, _: &Target) -> Result<PepInput, Vec<FieldError>> {
        Ok(PepInput {
            pep: body,
            rows: Vec::new(),
        })
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: PepInput,
    ) -> Result<PepRecord, StoreError> {
        let PepInput { mut pep, rows } = input;
        if !rows.is_empty() {
            let peps = state.store.care_plans(t.child).await?.peps;
            let open = open_targets(&peps);
            for (i, progress, achieved) in rows {
                let Some(target) = open.get(i) else {
                    return Err(StoreError::Invalid {
                        field: "progress",
                        message: "There is no earlier target to review there".into(),
                    });
                };
                pep.progress.push(TargetProgress {
                    target_id: target.id,
                    progress,
                    achieved,
                });
            }
        }
        state.store.record_pep(actor, t.child, pep).await
    }

    fn done(t: &Target, _: &PepRecord) -> String {
        to_child(t.child, "pep")
    }
}
