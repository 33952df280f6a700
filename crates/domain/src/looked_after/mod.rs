//! Children looked after and care leavers: periods of care made of episodes (a new episode on any
//! change of legal status or placement), looked-after reviews, health (annual health assessment,
//! dental check, immunisations, SDQ) by collection year, missing and away-from-placement episodes,
//! and care leavers' status (in touch, activity, accommodation) in the years of their 17th to 21st
//! birthdays. Codes are the SSDA903's (specs/statutory-data.md §1.4).

pub mod adoption;
pub mod education;
pub mod health;
pub mod permanence;
pub mod reviews;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub mod care;

/// A period of care: from becoming looked after to ceasing to be. The category of need is the
/// one at its start and holds for the whole period (903 rule 504).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub id: Uuid,
    pub child_id: Uuid,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    /// N1–N8.
    pub category_of_need: String,
}

/// One episode of a period of care.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    pub id: Uuid,
    pub period_id: Uuid,
    pub child_id: Uuid,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    /// RNE: S (started to be looked after), L, P, T, B, U.
    pub reason_new: String,
    /// LS: C1, C2, D1, E1, J1–J3, L1–L3, V2–V4.
    pub legal_status: String,
    /// PLACE: U1–U6 foster care, R1 placed with parents, A3–A6 adoption, K2 children's home, ...
    pub placement: String,
    /// PR0–PR5; none for placements that have no provider (T0–T4, Z1, Z11–Z14).
    pub provider: Option<String>,
    pub placement_postcode: Option<String>,
    /// Ofsted URN of the placement, where it has one.
    pub urn: Option<String>,
    /// REC, with the end date: X1 (another episode follows), E11, E12, E13, E14, E15, E17, E4A,
    /// E41, E45, E46, E47, E48, E2, E3, E5, E6, E7, E9, E8 ...
    pub reason_ceased: Option<String>,
    /// REASON_PLACE_CHANGE on an episode that ends in a change of placement.
    pub reason_place_change: Option<String>,
}

/// A looked-after review and how the child took part (PN0–PN7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub id: Uuid,
    pub child_id: Uuid,
    pub held_on: NaiveDate,
    pub participation: String,
}

/// A child's health in a collection year (the year ending 31 March `year`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthYear {
    pub id: Uuid,
    pub child_id: Uuid,
    pub year: i32,
    pub health_assessment: Option<NaiveDate>,
    pub dental_check: Option<NaiveDate>,
    pub immunisations_up_to_date: bool,
    /// Strengths and Difficulties Questionnaire total, 0–40, for children aged 4 to 16.
    pub sdq_score: Option<i32>,
    /// SDQ1–SDQ5 when the score is missing or not due.
    pub sdq_reason: Option<String>,
}

/// A period missing from placement (M) or away without authorisation (A).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    pub id: Uuid,
    pub child_id: Uuid,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub kind: String,
}

/// A care leaver's status around their birthday in a collection year (OC3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareLeaverYear {
    pub id: Uuid,
    pub child_id: Uuid,
    pub year: i32,
    /// YES, NO, DIED, REFU, NREQ, RHOM.
    pub in_touch: String,
    /// F1, P1, F2, P2, F4, P4, F5, P5, G4, G5, G6, 0.
    pub activity: Option<String>,
    /// B, C, D, E, G, H, K, R, S, T, U, V, W, X, Y, Z with 1 (suitable) or 2 (not), or 0.
    pub accommodation: Option<String>,
}

/// A review of a looked-after child's personal education plan (termly, for children of school
/// age: *Promoting the education of looked-after children*, DfE 2018).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pep {
    pub id: Uuid,
    pub child_id: Uuid,
    pub reviewed_on: NaiveDate,
}

/// The school term a date falls in: autumn (September to December), spring (January to Easter,
/// taken as to 14 April) or summer (15 April to August), as (start, end).
pub fn school_term(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let ymd = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("a real date");
    let y = d.year();
    if d.month() >= 9 {
        (ymd(y, 9, 1), ymd(y, 12, 31))
    } else if d < ymd(y, 4, 15) {
        (ymd(y, 1, 1), ymd(y, 4, 14))
    } else {
        (ymd(y, 4, 15), ymd(y, 8, 31))
    }
}

/// A child's time in care as the child's page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookedAfter {
    /// Oldest first.
    pub episodes: Vec<Episode>,
    pub reviews: Vec<Review>,
    pub missing: Vec<Missing>,
    #[serde(default)]
    pub peps: Vec<Pep>,
    /// Decisions to place for adoption, oldest first, each with its match.
    #[serde(default)]
    pub adoption: Vec<adoption::AdoptionDecision>,
    /// When the child's UASC status ended before their 18th birthday, where recorded.
    #[serde(default)]
    pub uasc_ended: Option<UascEnd>,
}

/// Why a child's status as an unaccompanied asylum-seeking child ended before 18. UNCONFIRMED:
/// the 903 guidance's list of when UASC status ends has not been checked; these are the cases
/// councils record (a grant of refugee status or leave to remain, an age assessment finding the
/// child 18 or over, the child leaving the UK), with "other".
pub fn uasc_end_reason() -> &'static crate::codes::CodeList {
    use crate::codes::{CodeList, always};
    static L: std::sync::OnceLock<CodeList> = std::sync::OnceLock::new();
    L.get_or_init(|| CodeList {
        name: "reason UASC status ended",
        codes: vec![
            always("leave_granted", "Granted refugee status or leave to remain"),
            always("age_assessed", "Age assessed as 18 or over"),
            always("left_uk", "Left the UK"),
            always("other", "Another reason"),
        ],
    })
}

/// The end of a child's UASC status (the 903's DUC), recorded once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UascEnd {
    pub ceased_on: NaiveDate,
    /// One of [`uasc_end_reason`]'s codes.
    pub reason: String,
}

impl UascEnd {
    /// For a child recorded as UASC (903 rule 303: a DUC only with UASC status), not already
    /// ended, on or after their date of birth and by their 18th birthday (rule 304), not in
    /// the future.
    pub fn validate(
        &self,
        uasc: bool,
        date_of_birth: Option<NaiveDate>,
        already: Option<&UascEnd>,
        today: NaiveDate,
    ) -> Vec<crate::validate::FieldError> {
        use crate::validate::FieldError;
        let mut e = Vec::new();
        if !uasc {
            e.push(FieldError::new(
                "ceased",
                "The child is not recorded as an unaccompanied asylum-seeking child",
            ));
            return e;
        }
        if let Some(a) = already {
            e.push(FieldError::new(
                "ceased",
                format!(
                    "UASC status is already recorded as ended on {}",
                    a.ceased_on.format("%-d %B %Y")
                ),
            ));
        }
        if self.ceased_on > today {
            e.push(FieldError::new(
                "ceased",
                "The date must be today or in the past",
            ));
        }
        if let Some(dob) = date_of_birth {
            let eighteen = dob
                .checked_add_months(chrono::Months::new(12 * 18))
                .unwrap_or(NaiveDate::MAX);
            if self.ceased_on < dob {
                e.push(FieldError::new(
                    "ceased",
                    "The date must be on or after the child's date of birth",
                ));
            } else if self.ceased_on > eighteen {
                e.push(FieldError::new(
                    "ceased",
                    "UASC status ends by the child's 18th birthday: nothing to record after it",
                ));
            }
        }
        if !uasc_end_reason().is_valid(&self.reason, 0) {
            e.push(FieldError::new("reason", "Select why UASC status ended"));
        }
        e
    }
}

#[cfg(test)]
mod uasc_tests {
    use super::*;

    #[test]
    fn uasc_status_ends_once_by_the_18th_birthday() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let today = d(2026, 3, 1);
        let dob = Some(d(2009, 5, 1));
        let end = |on, r: &str| UascEnd {
            ceased_on: on,
            reason: r.into(),
        };
        let fields = |e: Vec<crate::validate::FieldError>| {
            e.into_iter().map(|x| x.field).collect::<Vec<_>>()
        };
        assert!(
            end(d(2025, 6, 1), "leave_granted")
                .validate(true, dob, None, today)
                .is_empty()
        );
        assert_eq!(
            fields(end(d(2025, 6, 1), "leave_granted").validate(false, dob, None, today)),
            ["ceased"]
        );
        let earlier = end(d(2025, 1, 1), "age_assessed");
        assert_eq!(
            fields(end(d(2025, 6, 1), "other").validate(true, dob, Some(&earlier), today)),
            ["ceased"]
        );
        // 304: by the 18th birthday (1 May 2027); not in the future; a known reason.
        let older = Some(d(2007, 5, 1));
        assert!(
            end(d(2025, 5, 1), "other")
                .validate(true, older, None, today)
                .is_empty()
        );
        assert_eq!(
            fields(end(d(2025, 5, 2), "other").validate(true, older, None, today)),
            ["ceased"]
        );
        assert_eq!(
            fields(end(d(2026, 3, 2), "other").validate(true, dob, None, today)),
            ["ceased"]
        );
        assert_eq!(
            fields(end(d(2025, 6, 1), "granted").validate(true, dob, None, today)),
            ["reason"]
        );
    }
}

/// The previous permanence recorded when a period of care started (903 PrevPerm).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousPermanence {
    pub period_id: Uuid,
    pub child_id: Uuid,
    /// P1–P4 or Z1.
    pub code: String,
    pub la: Option<String>,
    pub on: Option<NaiveDate>,
}

/// The SSDA903 legal status in words.
pub fn legal_status_label(code: &str) -> &'static str {
    match code {
        "C1" => "interim care order",
        "C2" => "full care order",
        "D1" => "freeing order",
        "E1" => "placement order",
        "V2" => "accommodated under section 20",
        "V3" | "V4" => "short breaks",
        "L1" => "police protection",
        "L2" => "emergency protection order",
        "L3" => "child assessment order",
        "J1" => "remanded",
        "J2" => "PACE accommodation",
        "J3" => "youth rehabilitation order with residence",
        _ => "other legal status",
    }
}

/// The SSDA903 placement type in words.
pub fn placement_label(code: &str) -> &'static str {
    match code {
        "A3" | "A4" | "A5" | "A6" => "placed for adoption",
        "K1" => "secure children's home",
        "K2" => "children's home",
        "K3" | "H5" => "supported accommodation",
        "P1" => "with parents",
        "P2" => "independent living",
        "P3" => "residential employment",
        "R1" => "residential care home",
        "R2" => "NHS or health setting",
        "R3" => "family centre or mother and baby unit",
        "R5" => "young offender institution",
        "S1" => "residential school",
        "T0" | "T1" | "T2" | "T3" | "T4" => "temporary placement",
        "U1" | "U2" | "U3" => "foster care with a relative or friend",
        "U4" | "U5" | "U6" => "foster care",
        _ => "other placement",
    }
}

/// Why the child ceased to be looked after, in words (903 REC).
pub fn reason_ceased_label(code: &str) -> &'static str {
    match code {
        "E11" | "E12" => "adopted",
        "E2" => "died",
        "E3" => "care taken over by another local authority",
        "E4A" | "E4B" => "returned home",
        "E13" => "left care to live with family or friends",
        "E41" => "child arrangements order",
        "E45" | "E46" | "E47" | "E48" => "special guardianship order",
        "E5" | "E6" => "moved to independent living",
        "E7" => "moved to adult residential care",
        "E9" => "sentenced to custody",
        "E14" => "remand ended",
        "E15" => "age assessed as 18 or over",
        "E16" => "moved abroad",
        "E17" => "turned 18 and stayed with their carers",
        "E8" => "other reason",
        _ => "other reason",
    }
}
