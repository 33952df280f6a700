//! Looked-after reviews and the IRO's recommendations, declared once for their pages and API
//! (see [`crate::forms::path`]). An IRO records the review (participation PN0–PN7, the child's
//! views or why not, up to three recommendations on the page, any number on the API); whoever
//! does a recommendation marks it done from work due.

use async_trait::async_trait;
use axum::Router;
use axum::response::Response;
use chrono::NaiveDate;
use domain::looked_after::reviews::{
    CareReview, NewRecommendation, NewReview, Recommendation, RecommendationDone, next_review_due,
    participation,
};
use domain::validate::FieldError;
use store::{Actor, CaseRecord, ChildRecord, StoreError};

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::fields::{fmt_date, list_items, today};
use crate::forms::path::{self, CaseForm, On, Target, to_child, valid};
use crate::forms::{Field, FormData, FormSpec};
use crate::policy::Action;

/// The start of the child's current or latest period of care, from the child's record.
pub(crate) fn entered_care(rec: &ChildRecord) -> Option<NaiveDate> {
    let eps = &rec.looked_after.episodes;
    let period = eps.iter().max_by_key(|e| e.started_on)?.period_id;
    eps.iter()
        .filter(|e| e.period_id == period)
        .map(|e| e.started_on)
        .min()
}

/// The page's recommendation rows: (action, owner, due) field names.
const ROWS: [(&str, &str, &str); 3] = [
    ("rec1_action", "rec1_owner", "rec1_due"),
    ("rec2_action", "rec2_owner", "rec2_due"),
    ("rec3_action", "rec3_owner", "rec3_due"),
];

/// Recording a looked-after review (IROs).
pub struct Record;

#[async_trait]
impl CaseForm for Record {
    type Record = ChildRecord;
    type Input = NewReview;
    type Body = NewReview;
    type Saved = CareReview;
    const PAGE: &'static str = "/children/{id}/care-reviews";
    const API: &'static str = "/api/children/{id}/care-reviews";
    const ON: On = On::Child;
    const ACTION: Action = Action::RecordReview;
    const WHAT: &'static str = "record a looked-after review";
    const SUMMARY: &'static str = "Records a looked-after review chaired by the acting IRO: participation (PN0–PN7), the child's views or why not, and the IRO's recommendations (each with an owner and a due date).";
    const TODAY: &'static [&'static str] = &["held"];
    const FALLBACK: &'static str = "held";
    const DRAFT: bool = true;

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        let mut fields = vec![
            Field::Date("held", "Date of the review"),
            Field::Radios(
                "participation",
                "How the child took part",
                list_items(participation(), today()),
            ),
            Field::Textarea(
                "childs_views",
                "The child's views",
                "In their words where you can.",
            ),
            Field::Textarea(
                "views_reason",
                "If the child's views are not recorded, why not",
                "",
            ),
        ];
        for (i, &(a, o, d)) in ROWS.iter().enumerate() {
            let (la, lo, ld) = match i {
                0 => (
                    "Recommendation 1",
                    "Who is to do recommendation 1",
                    "Recommendation 1 due by",
                ),
                1 => (
                    "Recommendation 2",
                    "Who is to do recommendation 2",
                    "Recommendation 2 due by",
                ),
                _ => (
                    "Recommendation 3",
                    "Who is to do recommendation 3",
                    "Recommendation 3 due by",
                ),
            };
            fields.push(Field::Textarea(
                a,
                la,
                if i == 0 { "Leave blank if none." } else { "" },
            ));
            fields.push(Field::Input(
                o,
                lo,
                "A name or a role, such as social worker or carer",
            ));
            fields.push(Field::Date(d, ld));
        }
        let due = entered_care(rec).and_then(|entered| {
            let held: Vec<NaiveDate> = rec
                .looked_after
                .reviews
                .iter()
                .map(|r| r.held_on)
                .filter(|h| *h >= entered)
                .collect();
            next_review_due(entered, &held).ok()
        });
        let intro = match due {
            Some(d) => format!(
                "The next looked-after review is due by {} (20 working days after entering care, then 3 months, then every 6 months).",
                fmt_date(d)
            ),
            None => "The child is not looked after.".to_string(),
        };
        Ok(FormSpec::new(
            rec,
            "Record a looked-after review",
            format!("/children/{}/care-reviews", t.child),
            "Save the review",
            fields,
        )
        .intro(intro))
    }

    fn read(form: &FormData, _: &Target, rec: &ChildRecord) -> Result<NewReview, Vec<FieldError>> {
        let mut errors = Vec::new();
        let held = form.date("held", "Date of the review", &mut errors);
        let mut recommendations = Vec::new();
        for (i, &(a, o, d)) in ROWS.iter().enumerate() {
            let parts = form.parts(d);
            if form.get(a).trim().is_empty() && form.get(o).trim().is_empty() && parts.is_empty() {
                continue;
            }
            let label = format!("Recommendation {} due by", i + 1);
            let due = match parts.parse(d, &label) {
                Ok(Some(due)) => Some(due),
                Ok(None) => {
                    errors.push(FieldError::new(
                        d,
                        format!("Enter when recommendation {} is due", i + 1),
                    ));
                    None
                }
                Err(e) => {
                    errors.push(e);
                    None
                }
            };
            let r = NewRecommendation {
                action: form.get(a),
                owner: form.get(o),
                due_on: due.unwrap_or(NaiveDate::MAX),
            };
            if let Some(h) = held {
                for p in r.validate(h) {
                    let field = match p.field.as_str() {
                        "action" => a,
                        "owner" => o,
                        _ => d,
                    };
                    if due.is_some() || field != d {
                        errors.push(FieldError::new(
                            field,
                            format!("Recommendation {}: {}", i + 1, p.message),
                        ));
                    }
                }
            }
            recommendations.push(r);
        }
        let input = held.map(|held_on| NewReview {
            held_on,
            participation: form.get("participation"),
            childs_views: form.get("childs_views"),
            views_reason: form.get("views_reason"),
            recommendations,
        });
        valid(errors, input, |r| {
            r.validate_review(rec.person.details.date_of_birth, entered_care(rec), today())
        })
    }

    fn from_body(body: NewReview, _: &Target) -> Result<NewReview, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewReview,
    ) -> Result<CareReview, StoreError> {
        state.store.record_review(actor, t.child, input).await
    }

    fn done(t: &Target, _: &CareReview) -> String {
        to_child(t.child, "care_review")
    }
}

/// Marking an IRO's recommendation done.
pub struct Complete;

async fn recommendation(state: &AppState, t: &Target) -> Result<Recommendation, AppError> {
    state
        .store
        .care_reviews(t.child)
        .await?
        .reviews
        .into_iter()
        .flat_map(|r| r.recommendations)
        .find(|a| a.id == t.id)
        .ok_or(AppError::NotFound { api: false })
}

#[async_trait]
impl CaseForm for Complete {
    type Record = ChildRecord;
    type Input = RecommendationDone;
    type Body = RecommendationDone;
    type Saved = Recommendation;
    const PAGE: &'static str = "/care-review-actions/{id}/complete";
    const API: &'static str = "/api/care-review-actions/{id}/complete";
    const ON: On = On::Record(CaseRecord::CareReviewAction);
    const ACTION: Action = Action::TrackRecommendation;
    const WHAT: &'static str = "complete a review recommendation";
    const SUMMARY: &'static str = "Marks an IRO's recommendation done, with what was done.";
    const TODAY: &'static [&'static str] = &["completed"];
    const FALLBACK: &'static str = "completed";
    const CREATED: bool = false;

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
        let a = recommendation(state, t).await?;
        FormSpec::new(
            rec,
            "Review recommendation done",
            format!("/care-review-actions/{}/complete", t.id),
            "Save",
            vec![
                Field::Date("completed", "Date done"),
                Field::Textarea("note", "What was done", ""),
            ],
        )
        .intro(format!(
            "“{}” — {}, due by {}.",
            a.action,
            a.owner,
            fmt_date(a.due_on)
        ))
        .render(state, session, form, errors)
    }

    fn read(
        form: &FormData,
        _: &Target,
        _: &ChildRecord,
    ) -> Result<RecommendationDone, Vec<FieldError>> {
        let mut errors = Vec::new();
        let input = form
            .date("completed", "Date done", &mut errors)
            .map(|completed_on| RecommendationDone {
                completed_on,
                note: form.get("note"),
            });
        // The store checks the date against the review's.
        valid(errors, input, |d| d.validate(NaiveDate::MIN, today()))
    }

    fn from_body(
        body: RecommendationDone,
        _: &Target,
    ) -> Result<RecommendationDone, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: RecommendationDone,
    ) -> Result<Recommendation, StoreError> {
        state
            .store
            .complete_recommendation(actor, t.id, input)
            .await
    }

    fn done(t: &Target, _: &Recommendation) -> String {
        to_child(t.child, "recommendation_done")
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(path::routes::<Record>())
        .merge(path::routes::<Complete>())
}

/// Adds the reviews' API to the OpenAPI document.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    path::document::<Record>(doc);
    path::document::<Complete>(doc);
}
