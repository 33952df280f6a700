//! The child's journey from the front door: contacts and the checks made with partners, the
//! front-door decision with its management direction, referrals (re-referrals flagged), single
//! assessments with their 45-working-day due date, and visits, case notes and management
//! oversight. Each new record validates itself here, so the pages and the API refuse the same
//! things with the same words; the store saves only what passed.

use chrono::{Months, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::Calendar;
use crate::codes;
use crate::validate::FieldError;

/// The collection year a date falls in, named by its end year (1 April to 31 March).
pub fn collection_year(d: NaiveDate) -> u16 {
    use chrono::Datelike;
    let y = if d.month() >= 4 {
        d.year() + 1
    } else {
        d.year()
    };
    y.clamp(0, u16::MAX as i32) as u16
}

/// UK wall-clock time for a UTC instant: British Summer Time (UTC+1) runs from 01:00 UTC on the
/// last Sunday of March to 01:00 UTC on the last Sunday of October.
pub fn uk_local(utc: chrono::DateTime<chrono::Utc>) -> NaiveDateTime {
    use chrono::{Datelike, Weekday};
    let n = utc.naive_utc();
    let last_sunday = |month: u32| {
        let mut d =
            NaiveDate::from_ymd_opt(n.year(), month, 31).expect("March and October have 31 days");
        while d.weekday() != Weekday::Sun {
            d = d.pred_opt().expect("in range");
        }
        d.and_hms_opt(1, 0, 0).expect("valid time")
    };
    if n >= last_sunday(3) && n < last_sunday(10) {
        n + chrono::Duration::hours(1)
    } else {
        n
    }
}

/// Now, in UK wall-clock time.
pub fn uk_now() -> NaiveDateTime {
    uk_local(chrono::Utc::now())
}

fn required(errors: &mut Vec<FieldError>, field: &str, value: &str, message: &str) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(field, message));
    }
}

fn max_len(errors: &mut Vec<FieldError>, field: &str, label: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("{label} must be {max} characters or fewer"),
        ));
    }
}

fn code(
    errors: &mut Vec<FieldError>,
    field: &str,
    list: &codes::CodeList,
    value: &str,
    year: u16,
    missing: &str,
) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(field, missing));
    } else if !list.is_valid(value, year) {
        errors.push(FieldError::new(
            field,
            format!("{value:?} is not a {} code", list.name),
        ));
    }
}

/// A contact: someone has got in touch with concerns about one or more children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewContact {
    /// When the contact was received (local time).
    pub received_at: NaiveDateTime,
    /// CIN census referral source code.
    pub source: String,
    /// Who got in touch.
    pub contact_name: String,
    /// Their agency or relationship to the child ("Oak Primary School", "grandmother").
    pub contact_agency: String,
    /// The reason and the concerns, in the contact's words where possible.
    pub reason: String,
    /// Consent to share information (`codes::consent`).
    pub consent: String,
    /// The children the contact is about: one contact can name several siblings.
    pub children: Vec<Uuid>,
}

impl NewContact {
    pub fn validate(&self, now: NaiveDateTime) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.received_at > now {
            e.push(FieldError::new(
                "received",
                "The date and time received must be now or in the past",
            ));
        }
        let year = collection_year(self.received_at.date());
        code(
            &mut e,
            "source",
            codes::referral_source(),
            &self.source,
            year,
            "Select where the contact came from",
        );
        required(
            &mut e,
            "contact_name",
            &self.contact_name,
            "Enter who made the contact",
        );
        max_len(
            &mut e,
            "contact_name",
            "Who made the contact",
            &self.contact_name,
            200,
        );
        max_len(
            &mut e,
            "contact_agency",
            "Their agency or relationship",
            &self.contact_agency,
            200,
        );
        required(
            &mut e,
            "reason",
            &self.reason,
            "Enter the reason for the contact and the concerns",
        );
        max_len(
            &mut e,
            "reason",
            "The reason and concerns",
            &self.reason,
            10_000,
        );
        code(
            &mut e,
            "consent",
            codes::consent(),
            &self.consent,
            year,
            "Select whether consent to share information was given",
        );
        if self.children.is_empty() {
            e.push(FieldError::new(
                "children",
                "Select the children the contact is about",
            ));
        }
        e
    }

    /// The front-door decision is due within 1 working day of the contact.
    pub fn decision_due(&self) -> Option<NaiveDate> {
        decision_due(self.received_at)
    }
}

/// The decision on a contact is due by the end of the next working day after it was received.
pub fn decision_due(received_at: NaiveDateTime) -> Option<NaiveDate> {
    Calendar::england()
        .add_working_days(received_at.date(), 1)
        .ok()
}

/// Where a piece of work stands against its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    /// Not yet due.
    Green,
    /// Due today.
    Amber,
    /// Past its due date.
    Red,
}

impl Rag {
    pub fn of(due: NaiveDate, today: NaiveDate) -> Rag {
        if today < due {
            Rag::Green
        } else if today == due {
            Rag::Amber
        } else {
            Rag::Red
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Rag::Green => "Within timescale",
            Rag::Amber => "Due today",
            Rag::Red => "Overdue",
        }
    }
    /// The GOV.UK tag colour class.
    pub fn tag_class(self) -> &'static str {
        match self {
            Rag::Green => "govuk-tag--green",
            Rag::Amber => "govuk-tag--yellow",
            Rag::Red => "govuk-tag--red",
        }
    }
}

/// A check made with a partner agency about a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPartnerCheck {
    /// `codes::partner_agency`.
    pub agency: String,
    pub requested_on: NaiveDate,
    pub received_on: Option<NaiveDate>,
    /// What the partner said.
    pub summary: String,
}

impl NewPartnerCheck {
    pub fn validate(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        code(
            &mut e,
            "agency",
            codes::partner_agency(),
            &self.agency,
            collection_year(self.requested_on),
            "Select the agency asked",
        );
        if self.requested_on > today {
            e.push(FieldError::new(
                "requested",
                "The date requested must be today or in the past",
            ));
        }
        if let Some(r) = self.received_on {
            if r > today {
                e.push(FieldError::new(
                    "received",
                    "The date received must be today or in the past",
                ));
            } else if r < self.requested_on {
                e.push(FieldError::new(
                    "received",
                    "The date received must be the same as or after the date requested",
                ));
            }
            required(
                &mut e,
                "summary",
                &self.summary,
                "Enter what the agency shared",
            );
        }
        max_len(&mut e, "summary", "The summary", &self.summary, 10_000);
        e
    }
}

/// The front-door decision on a contact, with the manager's direction and rationale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDecision {
    /// `codes::front_door_outcome`.
    pub outcome: String,
    pub decided_at: NaiveDateTime,
    /// The manager's direction: what is to happen, by whom.
    pub direction: String,
    /// Why: the rationale for the decision.
    pub rationale: String,
    /// Feedback to the referring agency on the quality of the referral (`codes::referral_quality`).
    pub quality: Option<String>,
    pub quality_comment: String,
}

impl NewDecision {
    pub fn validate(&self, received_at: NaiveDateTime, now: NaiveDateTime) -> Vec<FieldError> {
        let mut e = Vec::new();
        let year = collection_year(self.decided_at.date());
        code(
            &mut e,
            "outcome",
            codes::front_door_outcome(),
            &self.outcome,
            year,
            "Select the decision",
        );
        if self.decided_at > now {
            e.push(FieldError::new(
                "decided",
                "The date and time of the decision must be now or in the past",
            ));
        } else if self.decided_at < received_at {
            e.push(FieldError::new(
                "decided",
                "The decision must be made after the contact was received",
            ));
        }
        required(
            &mut e,
            "direction",
            &self.direction,
            "Enter the manager's direction",
        );
        required(
            &mut e,
            "rationale",
            &self.rationale,
            "Enter the rationale for the decision",
        );
        max_len(
            &mut e,
            "direction",
            "The direction",
            &self.direction,
            10_000,
        );
        max_len(
            &mut e,
            "rationale",
            "The rationale",
            &self.rationale,
            10_000,
        );
        if let Some(q) = self
            .quality
            .as_ref()
            .filter(|q| !codes::referral_quality().is_valid(q, year))
        {
            e.push(FieldError::new(
                "quality",
                format!("{q:?} is not a referral quality rating"),
            ));
        }
        max_len(
            &mut e,
            "quality_comment",
            "The feedback",
            &self.quality_comment,
            2_000,
        );
        e
    }

    /// Does this decision start a referral to children's social care?
    pub fn is_referral(&self) -> bool {
        matches!(self.outcome.as_str(), "referral" | "strategy")
    }
}

/// A referral is a re-referral when the child had an earlier referral within the 12 months
/// before it (the DfE's definition, CIN census).
pub fn is_re_referral(referral: NaiveDate, previous: Option<NaiveDate>) -> bool {
    previous.is_some_and(|p| {
        p < referral
            && referral
                .checked_sub_months(Months::new(12))
                .is_some_and(|start| p >= start)
    })
}

/// Completing a single assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentCompletion {
    pub completed_on: NaiveDate,
    /// CIN census factor codes; "21" (no factors) stands alone.
    pub factors: Vec<String>,
    /// `codes::assessment_outcome`.
    pub outcome: String,
    /// What the assessment found, and the child's views.
    pub summary: String,
}

impl AssessmentCompletion {
    pub fn validate(&self, started: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        let year = collection_year(self.completed_on);
        if self.completed_on > today {
            e.push(FieldError::new(
                "completed",
                "The date completed must be today or in the past",
            ));
        } else if self.completed_on < started {
            e.push(FieldError::new(
                "completed",
                "The date completed must be the same as or after the date the assessment started",
            ));
        }
        if self.factors.is_empty() {
            e.push(FieldError::new(
                "factors",
                "Select the factors identified, or \"No factors identified\"",
            ));
        } else if let Some(bad) = self
            .factors
            .iter()
            .find(|f| !codes::assessment_factor().is_valid(f, year))
        {
            e.push(FieldError::new(
                "factors",
                format!("{bad:?} is not an assessment factor code"),
            ));
        } else if self.factors.len() > 1 && self.factors.iter().any(|f| f == "21") {
            e.push(FieldError::new(
                "factors",
                "\"No factors identified\" cannot be selected with other factors",
            ));
        }
        code(
            &mut e,
            "outcome",
            codes::assessment_outcome(),
            &self.outcome,
            year,
            "Select the outcome of the assessment",
        );
        required(
            &mut e,
            "summary",
            &self.summary,
            "Enter a summary of the assessment's findings",
        );
        max_len(&mut e, "summary", "The summary", &self.summary, 20_000);
        e
    }
}

/// What kind of note: a visit to the child, a case note, or a manager's oversight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    Visit,
    CaseNote,
    Oversight,
}

impl NoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Visit => "visit",
            NoteKind::CaseNote => "case_note",
            NoteKind::Oversight => "oversight",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [NoteKind::Visit, NoteKind::CaseNote, NoteKind::Oversight]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Visit => "Visit",
            NoteKind::CaseNote => "Case note",
            NoteKind::Oversight => "Management oversight",
        }
    }
}

/// A visit, case note or management oversight entry on a child's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewNote {
    pub kind: NoteKind,
    pub date: NaiveDate,
    /// Visits: was the child seen, and seen alone?
    pub child_seen: Option<bool>,
    pub seen_alone: Option<bool>,
    /// The child's own words (visits).
    pub childs_words: String,
    /// For a child too young to speak, or who chose not to: what was observed (visits).
    pub observation: String,
    /// The note itself: what happened, what was discussed.
    pub text: String,
    /// Oversight: the decision and its rationale.
    pub decision: String,
    pub rationale: String,
}

impl NewNote {
    pub fn validate(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.date > today {
            e.push(FieldError::new(
                "date",
                "The date must be today or in the past",
            ));
        }
        match self.kind {
            NoteKind::Visit => {
                match self.child_seen {
                    None => e.push(FieldError::new(
                        "child_seen",
                        "Select whether the child was seen",
                    )),
                    Some(true) => {
                        if self.seen_alone.is_none() {
                            e.push(FieldError::new(
                                "seen_alone",
                                "Select whether the child was seen alone",
                            ));
                        }
                        if self.childs_words.trim().is_empty() && self.observation.trim().is_empty()
                        {
                            e.push(FieldError::new(
                                "childs_words",
                                "Enter the child's own words, or for a child who does not speak, what you observed",
                            ));
                        }
                    }
                    Some(false) => {
                        if self.seen_alone == Some(true) {
                            e.push(FieldError::new(
                                "seen_alone",
                                "A child who was not seen cannot have been seen alone",
                            ));
                        }
                    }
                }
                required(
                    &mut e,
                    "text",
                    &self.text,
                    "Enter what happened on the visit",
                );
            }
            NoteKind::CaseNote => {
                required(&mut e, "text", &self.text, "Enter the case note");
            }
            NoteKind::Oversight => {
                required(
                    &mut e,
                    "decision",
                    &self.decision,
                    "Enter the management decision",
                );
                required(
                    &mut e,
                    "rationale",
                    &self.rationale,
                    "Enter the rationale for the decision",
                );
            }
        }
        for (f, label, v) in [
            ("text", "The note", &self.text),
            ("childs_words", "The child's words", &self.childs_words),
            ("observation", "The observation", &self.observation),
            ("decision", "The decision", &self.decision),
            ("rationale", "The rationale", &self.rationale),
        ] {
            max_len(&mut e, f, label, v, 20_000);
        }
        e
    }
}

// --- What the store gives back ---

/// A child named in a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactChild {
    pub person_id: Uuid,
    pub name: String,
    pub restricted: bool,
}

/// A check made with a partner, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerCheck {
    pub id: Uuid,
    pub contact_id: Uuid,
    pub agency: String,
    pub requested_on: NaiveDate,
    pub received_on: Option<NaiveDate>,
    pub summary: String,
    pub recorded_by: Option<String>,
}

/// The decision on a contact, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    pub outcome: String,
    pub decided_at: NaiveDateTime,
    /// The manager who recorded it.
    pub decided_by: Option<String>,
    pub direction: String,
    pub rationale: String,
    pub quality: Option<String>,
    pub quality_comment: String,
    /// Made by the end of the working day after the contact.
    pub within_timescale: bool,
}

/// A contact with its children, checks and decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: Uuid,
    pub received_at: NaiveDateTime,
    pub source: String,
    pub contact_name: String,
    pub contact_agency: String,
    pub reason: String,
    pub consent: String,
    pub decision_due: NaiveDate,
    pub recorded_by: Option<String>,
    pub children: Vec<ContactChild>,
    pub checks: Vec<PartnerCheck>,
    pub decision: Option<Decision>,
    pub version: i64,
}

/// A referral to children's social care, made by a front-door decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Referral {
    pub id: Uuid,
    pub child_id: Uuid,
    pub contact_id: Uuid,
    pub referral_date: NaiveDate,
    pub source: String,
    /// Within 12 months of the child's previous referral.
    pub re_referral: bool,
    pub previous_referral: Option<NaiveDate>,
    /// The end of the child in need episode the referral began.
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
    /// `codes::closure_reason`.
    #[serde(default)]
    pub closure_reason: Option<String>,
}

/// A single (child and family) assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub id: Uuid,
    pub child_id: Uuid,
    pub referral_id: Uuid,
    pub referral_date: NaiveDate,
    pub started_on: NaiveDate,
    /// 45 working days from the referral.
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub factors: Vec<String>,
    pub outcome: Option<String>,
    pub summary: String,
    pub authorised_on: Option<NaiveDate>,
    pub authorised_by: Option<String>,
    pub version: i64,
}

/// A visit, case note or oversight entry, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    pub id: Uuid,
    pub child_id: Uuid,
    #[serde(flatten)]
    pub note: NewNote,
    pub recorded_by: Option<String>,
}

/// A child's journey so far, for the child's page and chronology.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChildJourney {
    /// Newest first.
    pub contacts: Vec<Contact>,
    pub referrals: Vec<Referral>,
    pub assessments: Vec<Assessment>,
    pub notes: Vec<Note>,
}

/// How many decided contacts from one source had each referral-quality rating (None: not rated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QualityCount {
    pub source: String,
    pub quality: Option<String>,
    pub count: i64,
}

/// A piece of work due: on a worker's or team's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueItem {
    /// "Front-door decision", "Assessment", "Assessment authorisation".
    pub what: String,
    pub due: NaiveDate,
    pub rag: Rag,
    pub child_id: Option<Uuid>,
    pub child_name: String,
    pub worker_name: Option<String>,
    /// Where to do it.
    pub link: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn dt(y: i32, m: u32, day: u32, h: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, 0, 0).unwrap()
    }

    fn contact() -> NewContact {
        NewContact {
            received_at: dt(2025, 12, 24, 16),
            source: "2A".into(),
            contact_name: "Head teacher".into(),
            contact_agency: "Oak Primary School".into(),
            reason: "Bruising seen on arm".into(),
            consent: "not_sought".into(),
            children: vec![Uuid::now_v7()],
        }
    }

    #[test]
    fn a_contact_on_christmas_eve_is_due_for_decision_after_the_bank_holidays() {
        // 25 and 26 December 2025 are bank holidays; the 27th and 28th a weekend.
        assert_eq!(contact().decision_due(), Some(d(2025, 12, 29)));
        assert!(contact().validate(dt(2026, 1, 1, 9)).is_empty());
    }

    #[test]
    fn a_contact_names_its_fields_when_wrong() {
        let mut c = contact();
        c.source = "11".into();
        c.reason = " ".into();
        c.consent = String::new();
        c.children.clear();
        c.received_at = dt(2027, 1, 1, 9);
        let fields: Vec<String> = c
            .validate(dt(2026, 1, 1, 9))
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["received", "source", "reason", "consent", "children"]
        );
    }

    #[test]
    fn uk_time_follows_british_summer_time() {
        let utc = |y, m, day, h| d(y, m, day).and_hms_opt(h, 30, 0).unwrap().and_utc();
        // 2026: BST from 29 March to 25 October.
        assert_eq!(
            uk_local(utc(2026, 3, 29, 0)),
            dt(2026, 3, 29, 0) + chrono::Duration::minutes(30)
        );
        assert_eq!(
            uk_local(utc(2026, 3, 29, 1)),
            dt(2026, 3, 29, 2) + chrono::Duration::minutes(30)
        );
        assert_eq!(
            uk_local(utc(2026, 10, 25, 0)),
            dt(2026, 10, 25, 1) + chrono::Duration::minutes(30)
        );
        assert_eq!(
            uk_local(utc(2026, 10, 25, 1)),
            dt(2026, 10, 25, 1) + chrono::Duration::minutes(30)
        );
        assert_eq!(
            uk_local(utc(2026, 12, 1, 14)),
            dt(2026, 12, 1, 14) + chrono::Duration::minutes(30)
        );
    }

    #[test]
    fn rag_against_a_due_date() {
        let due = d(2025, 12, 29);
        assert_eq!(Rag::of(due, d(2025, 12, 24)), Rag::Green);
        assert_eq!(Rag::of(due, due), Rag::Amber);
        assert_eq!(Rag::of(due, d(2025, 12, 30)), Rag::Red);
    }

    #[test]
    fn a_decision_needs_direction_and_rationale_after_the_contact() {
        let received = dt(2025, 12, 24, 16);
        let mut dec = NewDecision {
            outcome: "referral".into(),
            decided_at: dt(2025, 12, 29, 10),
            direction: "Allocate to assessment team".into(),
            rationale: "Unexplained injury to a 4-year-old".into(),
            quality: Some("good".into()),
            quality_comment: String::new(),
        };
        assert!(dec.validate(received, dt(2026, 1, 1, 0)).is_empty());
        assert!(dec.is_referral());
        dec.direction = "  ".into();
        dec.rationale = String::new();
        dec.decided_at = dt(2025, 12, 24, 15);
        dec.quality = Some("excellent".into());
        let fields: Vec<String> = dec
            .validate(received, dt(2026, 1, 1, 0))
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["decided", "direction", "rationale", "quality"]);
    }

    #[test]
    fn re_referral_is_within_twelve_months_of_the_previous() {
        let r = d(2026, 3, 15);
        assert!(is_re_referral(r, Some(d(2025, 3, 15))));
        assert!(!is_re_referral(r, Some(d(2025, 3, 14))));
        assert!(is_re_referral(r, Some(d(2026, 3, 1))));
        assert!(!is_re_referral(r, None));
        assert!(
            !is_re_referral(r, Some(r)),
            "the same referral is not a re-referral"
        );
    }

    #[test]
    fn assessment_factors_follow_the_census_rules() {
        let mut c = AssessmentCompletion {
            completed_on: d(2026, 2, 1),
            factors: vec!["3B".into(), "4B".into()],
            outcome: "cin_plan".into(),
            summary: "Domestic abuse; mother's mental health".into(),
        };
        assert!(c.validate(d(2026, 1, 5), d(2026, 3, 1)).is_empty());
        c.factors = vec!["21".into(), "3B".into()];
        assert_eq!(c.validate(d(2026, 1, 5), d(2026, 3, 1))[0].field, "factors");
        c.factors = vec!["18A".into()];
        assert!(
            c.validate(d(2026, 1, 5), d(2026, 3, 1))[0]
                .message
                .contains("18A")
        );
        c.factors = vec!["21".into()];
        c.completed_on = d(2026, 1, 4);
        assert_eq!(
            c.validate(d(2026, 1, 5), d(2026, 3, 1))[0].field,
            "completed"
        );
    }

    #[test]
    fn a_visit_records_the_childs_voice_or_what_was_observed() {
        let mut v = NewNote {
            kind: NoteKind::Visit,
            date: d(2026, 1, 10),
            child_seen: Some(true),
            seen_alone: Some(false),
            childs_words: String::new(),
            observation: "Baby smiled and reached for mother; settled when held".into(),
            text: "Home visit".into(),
            decision: String::new(),
            rationale: String::new(),
        };
        assert!(v.validate(d(2026, 1, 10)).is_empty());
        v.observation.clear();
        assert_eq!(v.validate(d(2026, 1, 10))[0].field, "childs_words");
        v.child_seen = None;
        assert_eq!(v.validate(d(2026, 1, 10))[0].field, "child_seen");
        let o = NewNote {
            kind: NoteKind::Oversight,
            text: String::new(),
            ..v
        };
        let fields: Vec<String> = o
            .validate(d(2026, 1, 10))
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["decision", "rationale"]);
    }
}
