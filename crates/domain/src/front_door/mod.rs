//! The front door: contacts about one or more children and the checks made with partners, the
//! front-door decision (due by the end of the next working day) with its management direction and
//! rationale and a rating of the referral's quality, and the referrals it makes (re-referrals
//! within 12 months flagged). Each new record validates itself here, so the pages and the API
//! refuse the same things with the same words; the store saves only what passed.

use chrono::{Months, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::{Calendar, collection_year};
use crate::codes;
use crate::rules::entry::{code, max_len, required};
use crate::validate::FieldError;

pub mod risk;

pub use risk::{NewRiskRating, RiskAssessment, RiskRating, RiskTimescales};

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
    /// The screening ratings given, oldest first: the latest is the contact's rating.
    #[serde(default)]
    pub ratings: Vec<RiskAssessment>,
    pub decision: Option<Decision>,
    pub version: i64,
}

impl Contact {
    /// The contact's rating: the latest given.
    pub fn risk(&self) -> Option<&RiskAssessment> {
        self.ratings.last()
    }
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

/// How many decided contacts from one source had each referral-quality rating (None: not rated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QualityCount {
    pub source: String,
    pub quality: Option<String>,
    pub count: i64,
}

/// The front door's part of a child's record: contacts about them and referrals made, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChildFrontDoor {
    pub contacts: Vec<Contact>,
    pub referrals: Vec<Referral>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveDateTime};

    #[allow(dead_code)]
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    #[allow(dead_code)]
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
}
