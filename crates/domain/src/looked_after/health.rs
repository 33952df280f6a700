//! The health of children in care: the initial health assessment, review health assessments,
//! dental checks and the Strengths and Difficulties Questionnaire (SDQ), each recorded as it
//! happens and gathered by collection year for the 903's OC2 (`cla_health`); and missing or
//! away-from-placement episodes with the return home interview. Timescales: specs/statutory-data.md
//! §8 rows 15–17 and 19.

use std::sync::OnceLock;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::reviews::age_on;
use crate::calendar::{Calendar, CalendarError};
use crate::codes::CodeList;
use crate::codes::always;
use crate::timescales::months_after;
use crate::validate::FieldError;

/// Why there is no SDQ score (903 SDQ_REASON). SDQ1 ("child under 4 or over 16") is not offered:
/// Hearth refuses an SDQ for a child outside 4–16 instead.
pub fn sdq_reason() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    L.get_or_init(|| CodeList {
        name: "SDQ reason",
        codes: vec![
            always("SDQ2", "Carer refused"),
            always("SDQ3", "Not possible due to severity of disability"),
            always("SDQ4", "Other"),
            always("SDQ5", "Child or young person refused"),
        ],
    })
}

/// What kind of health check: `initial` (the initial health assessment), `review` (a review
/// health assessment) or `dental`.
pub fn health_check_kind() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    L.get_or_init(|| CodeList {
        name: "health check",
        codes: vec![
            always("initial", "Initial health assessment"),
            always("review", "Review health assessment"),
            always("dental", "Dental check"),
        ],
    })
}

fn not_future_since(
    e: &mut Vec<FieldError>,
    field: &str,
    what: &str,
    on: NaiveDate,
    entered_care: Option<NaiveDate>,
    today: NaiveDate,
) {
    if on > today {
        e.push(FieldError::new(
            field,
            format!("{what} must be today or in the past"),
        ));
    }
    if entered_care.is_none() {
        e.push(FieldError::new(
            field,
            "The child is not looked after: this needs a period of care",
        ));
    }
}

/// A health assessment or dental check done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewHealthCheck {
    /// `initial`, `review` or `dental`.
    pub kind: String,
    pub done_on: NaiveDate,
}

impl NewHealthCheck {
    /// `entered_care`: the start of the child's current or latest period of care.
    pub fn validate(&self, entered_care: Option<NaiveDate>, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if !health_check_kind().is_valid(&self.kind, 0) {
            e.push(FieldError::new("kind", "Select what kind of check it was"));
        }
        not_future_since(
            &mut e,
            "done",
            "The date",
            self.done_on,
            entered_care,
            today,
        );
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthCheck {
    pub id: Uuid,
    pub child_id: Uuid,
    pub kind: String,
    pub done_on: NaiveDate,
}

/// An SDQ: its total score (0–40) or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSdq {
    pub done_on: NaiveDate,
    #[serde(default)]
    pub score: Option<i32>,
    /// SDQ2–SDQ5 when there is no score.
    #[serde(default)]
    pub reason: Option<String>,
}

impl NewSdq {
    /// Refuses a score outside 0–40 (903 rule 180), a score and a reason together (197a), neither,
    /// and an SDQ for a child outside 4 to 16 on the day (rules 188/189: the SDQ is for 4–16s).
    pub fn validate(
        &self,
        date_of_birth: Option<NaiveDate>,
        entered_care: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future_since(
            &mut e,
            "done",
            "The date",
            self.done_on,
            entered_care,
            today,
        );
        match date_of_birth.map(|dob| age_on(dob, self.done_on)) {
            None => e.push(FieldError::new(
                "done",
                "The child's date of birth is needed for an SDQ",
            )),
            Some(age) if !(4..=16).contains(&age) => e.push(FieldError::new(
                "done",
                format!("The SDQ is for children aged 4 to 16; the child was {age} on that date"),
            )),
            Some(_) => {}
        }
        let reason = self
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        match (self.score, reason) {
            (Some(s), None) if !(0..=40).contains(&s) => e.push(FieldError::new(
                "score",
                "The SDQ score must be a whole number from 0 to 40",
            )),
            (Some(_), None) => {}
            (None, Some(r)) if !sdq_reason().is_valid(r, 0) => e.push(FieldError::new(
                "sdq_reason",
                "Select why there is no score",
            )),
            (None, Some(_)) => {}
            (Some(_), Some(_)) => e.push(FieldError::new(
                "sdq_reason",
                "Give a score or why there is none, not both",
            )),
            (None, None) => e.push(FieldError::new(
                "score",
                "Enter the SDQ score, or why there is none",
            )),
        }
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sdq {
    pub id: Uuid,
    pub child_id: Uuid,
    pub done_on: NaiveDate,
    pub score: Option<i32>,
    pub reason: Option<String>,
}

/// The initial health assessment: before the first review, so within 20 working days of entering
/// care (reg 7; §8 row 15).
pub fn initial_health_assessment_due(entered_care: NaiveDate) -> Result<NaiveDate, CalendarError> {
    Calendar::england().add_working_days(entered_care, 20)
}

/// The next review health assessment: 6 months after the last for a child under 5 at it, 12
/// months from 5 (§8 row 16: recalled from the regulation, **verify the wording**; taken here
/// as the child's age at the last assessment).
pub fn review_health_assessment_due(
    last: NaiveDate,
    date_of_birth: Option<NaiveDate>,
) -> NaiveDate {
    match date_of_birth {
        Some(dob) if age_on(dob, last) < 5 => months_after(last, 6),
        _ => months_after(last, 12),
    }
}

/// The next SDQ, for a child in care aged 4 to 16: a year after the last; the first a year after
/// entering care (the 903's OC2 cohort is children looked after for 12 months) or at the 4th
/// birthday if later. None once the child is 17 by then. The first SDQ's date is Hearth's
/// reading of the 903 rules (186/188/189), not a statutory figure: **verify local practice**.
pub fn sdq_due(
    entered_care: NaiveDate,
    last: Option<NaiveDate>,
    date_of_birth: NaiveDate,
) -> Option<NaiveDate> {
    let due = match last {
        Some(l) => months_after(l, 12),
        None => months_after(entered_care, 12).max(months_after(date_of_birth, 48)),
    };
    (age_on(date_of_birth, due) <= 16).then_some(due)
}

/// What an OC2 event is: a conviction, final warning or reprimand (the 903's CONVICTED), or a
/// substance misuse problem identified (SUBSTANCE_MISUSE, with INTERVENTION_RECEIVED and
/// INTERVENTION_OFFERED).
pub fn oc2_event_kind() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    L.get_or_init(|| CodeList {
        name: "what happened",
        codes: vec![
            always(
                "conviction",
                "Convicted, or given a final warning or reprimand",
            ),
            always("substance_misuse", "A substance misuse problem identified"),
        ],
    })
}

/// A conviction or a substance misuse problem, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewOc2Event {
    /// `conviction` or `substance_misuse`.
    pub kind: String,
    pub happened_on: NaiveDate,
    /// For substance misuse: whether the child received an intervention.
    #[serde(default)]
    pub intervention_received: Option<bool>,
    /// For substance misuse with no intervention received: whether one was offered.
    #[serde(default)]
    pub intervention_offered: Option<bool>,
    #[serde(default)]
    pub note: String,
}

impl NewOc2Event {
    /// A conviction only from 10, the age of criminal responsibility (903 rule 542: CONVICTED is
    /// for children 10 or over); for substance misuse, whether an intervention was received
    /// (192), and offered only when none was received (158, 159).
    pub fn validate(
        &self,
        date_of_birth: Option<NaiveDate>,
        entered_care: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future_since(
            &mut e,
            "happened",
            "The date",
            self.happened_on,
            entered_care,
            today,
        );
        if let Some(entered) = entered_care
            && self.happened_on < entered
        {
            e.push(FieldError::new(
                "happened",
                "The date must be on or after the child entered care",
            ));
        }
        match self.kind.as_str() {
            "conviction" => {
                if date_of_birth.is_some_and(|dob| age_on(dob, self.happened_on) < 10) {
                    e.push(FieldError::new(
                        "kind",
                        "A child under 10 cannot be convicted or given a final warning or reprimand",
                    ));
                }
                if self.intervention_received.is_some() || self.intervention_offered.is_some() {
                    e.push(FieldError::new(
                        "intervention_received",
                        "An intervention is recorded for substance misuse only: leave it blank",
                    ));
                }
            }
            "substance_misuse" => match self.intervention_received {
                None => e.push(FieldError::new(
                    "intervention_received",
                    "Select whether the child received an intervention",
                )),
                Some(true) if self.intervention_offered.is_some() => e.push(FieldError::new(
                    "intervention_offered",
                    "An intervention was received: leave whether one was offered blank",
                )),
                Some(false) if self.intervention_offered.is_none() => e.push(FieldError::new(
                    "intervention_offered",
                    "Select whether the child was offered an intervention",
                )),
                _ => {}
            },
            _ => e.push(FieldError::new("kind", "Select what happened")),
        }
        if self.note.chars().count() > 5_000 {
            e.push(FieldError::new(
                "note",
                "The note must be 5,000 characters or fewer",
            ));
        }
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Oc2Event {
    pub id: Uuid,
    pub child_id: Uuid,
    pub kind: String,
    pub happened_on: NaiveDate,
    pub intervention_received: Option<bool>,
    pub intervention_offered: Option<bool>,
    pub note: String,
}

/// The OC2 items the events give for a collection year (`start`..=`end`), for a child of `age`
/// at 31 March: CONVICTED (None under 10), SUBSTANCE_MISUSE, INTERVENTION_RECEIVED (None without
/// a problem) and INTERVENTION_OFFERED (None unless none was received). The record is where
/// these are kept, so a year with no event recorded is 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Oc2Items {
    pub convicted: Option<bool>,
    pub substance_misuse: bool,
    pub intervention_received: Option<bool>,
    pub intervention_offered: Option<bool>,
}

pub fn oc2_items(events: &[Oc2Event], start: NaiveDate, end: NaiveDate, age: i32) -> Oc2Items {
    let in_year: Vec<&Oc2Event> = events
        .iter()
        .filter(|x| x.happened_on >= start && x.happened_on <= end)
        .collect();
    let convicted = (age >= 10).then(|| in_year.iter().any(|x| x.kind == "conviction"));
    let misuse: Vec<&&Oc2Event> = in_year
        .iter()
        .filter(|x| x.kind == "substance_misuse")
        .collect();
    let received =
        (!misuse.is_empty()).then(|| misuse.iter().any(|x| x.intervention_received == Some(true)));
    let offered = (received == Some(false))
        .then(|| misuse.iter().any(|x| x.intervention_offered == Some(true)));
    Oc2Items {
        convicted,
        substance_misuse: !misuse.is_empty(),
        intervention_received: received,
        intervention_offered: offered,
    }
}

/// A period missing (M) or away from placement without authorisation (A), started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMissing {
    /// M or A.
    pub kind: String,
    pub started_on: NaiveDate,
}

impl NewMissing {
    pub fn validate(&self, entered_care: Option<NaiveDate>, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if !matches!(self.kind.as_str(), "M" | "A") {
            e.push(FieldError::new(
                "kind",
                "Select whether the child was missing or away without authorisation",
            ));
        }
        not_future_since(
            &mut e,
            "started",
            "The date",
            self.started_on,
            entered_care,
            today,
        );
        if let Some(entered) = entered_care {
            if self.started_on < entered {
                e.push(FieldError::new(
                    "started",
                    "The date must be on or after the child entered care",
                ));
            }
        }
        e
    }
}

/// The child's return, and the return home interview: offered within 72 hours of the return
/// (§8 row 19: *Children who run away or go missing from home or care*, 2014; **not re-checked**).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MissingReturn {
    pub ended_on: NaiveDate,
    /// When the interview was offered (None: not offered).
    #[serde(default)]
    pub interview_offered_at: Option<NaiveDateTime>,
    /// Whether the child accepted it (None when not offered).
    #[serde(default)]
    pub interview_accepted: Option<bool>,
}

impl MissingReturn {
    pub fn validate(&self, started_on: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.ended_on > today {
            e.push(FieldError::new(
                "ended",
                "The date of return must be today or in the past",
            ));
        } else if self.ended_on < started_on {
            e.push(FieldError::new(
                "ended",
                "The date of return must be on or after the date they went missing",
            ));
        }
        match (self.interview_offered_at, self.interview_accepted) {
            (None, Some(_)) => e.push(FieldError::new(
                "interview_accepted",
                "Say when the interview was offered before whether it was accepted",
            )),
            (Some(at), _) if at.date() < self.ended_on => e.push(FieldError::new(
                "interview_offered",
                "The interview is offered on or after the return",
            )),
            (Some(_), None) => e.push(FieldError::new(
                "interview_accepted",
                "Select whether the child accepted the interview",
            )),
            _ => {}
        }
        e
    }
}

/// Whether the return home interview was offered in time: within 72 hours of the return, taken
/// from the end of the day of return (Hearth records the date, not the time, of the return).
pub fn interview_offered_in_time(ended_on: NaiveDate, offered_at: NaiveDateTime) -> bool {
    let end_of_day = (ended_on + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .expect("midnight");
    offered_at <= end_of_day + Duration::hours(72)
}

/// A missing or away episode with the return home interview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MissingEpisode {
    pub id: Uuid,
    pub child_id: Uuid,
    pub kind: String,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub interview_offered_at: Option<NaiveDateTime>,
    pub interview_accepted: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn convictions_and_substance_misuse_as_the_oc2_has_them() {
        let today = d(2026, 3, 1);
        let dob = Some(d(2012, 6, 1));
        let entered = Some(d(2024, 1, 1));
        let ev = |kind: &str, on, r: Option<bool>, o: Option<bool>| NewOc2Event {
            kind: kind.into(),
            happened_on: on,
            intervention_received: r,
            intervention_offered: o,
            note: String::new(),
        };
        let fields = |e: Vec<FieldError>| e.into_iter().map(|x| x.field).collect::<Vec<_>>();
        assert!(
            ev("conviction", d(2025, 6, 1), None, None)
                .validate(dob, entered, today)
                .is_empty()
        );
        // Under 10 on the day (the child is 10 on 1 June 2022).
        assert_eq!(
            fields(ev("conviction", d(2022, 5, 31), None, None).validate(
                dob,
                Some(d(2020, 1, 1)),
                today
            )),
            ["kind"]
        );
        assert_eq!(
            fields(ev("conviction", d(2025, 6, 1), Some(true), None).validate(dob, entered, today)),
            ["intervention_received"]
        );
        // 192, 158, 159.
        assert_eq!(
            fields(ev("substance_misuse", d(2025, 6, 1), None, None).validate(dob, entered, today)),
            ["intervention_received"]
        );
        assert_eq!(
            fields(
                ev("substance_misuse", d(2025, 6, 1), Some(true), Some(true))
                    .validate(dob, entered, today)
            ),
            ["intervention_offered"]
        );
        assert_eq!(
            fields(
                ev("substance_misuse", d(2025, 6, 1), Some(false), None)
                    .validate(dob, entered, today)
            ),
            ["intervention_offered"]
        );
        assert!(
            ev("substance_misuse", d(2025, 6, 1), Some(false), Some(true))
                .validate(dob, entered, today)
                .is_empty()
        );
        // Before care, in the future, an unknown kind.
        assert_eq!(
            fields(ev("conviction", d(2023, 6, 1), None, None).validate(dob, entered, today)),
            ["happened"]
        );
        assert_eq!(
            fields(ev("conviction", d(2026, 3, 2), None, None).validate(dob, entered, today)),
            ["happened"]
        );
        assert_eq!(
            fields(ev("arrest", d(2025, 6, 1), None, None).validate(dob, entered, today)),
            ["kind"]
        );

        // The year's items: 0 when nothing is recorded, CONVICTED blank under 10.
        let saved = |kind: &str, on, r, o| Oc2Event {
            id: Uuid::nil(),
            child_id: Uuid::nil(),
            kind: String::from(kind),
            happened_on: on,
            intervention_received: r,
            intervention_offered: o,
            note: String::new(),
        };
        let (start, end) = (d(2025, 4, 1), d(2026, 3, 31));
        let none = oc2_items(&[], start, end, 13);
        assert_eq!(
            (
                none.convicted,
                none.substance_misuse,
                none.intervention_received
            ),
            (Some(false), false, None)
        );
        assert_eq!(oc2_items(&[], start, end, 9).convicted, None);
        let events = [
            saved("conviction", d(2025, 3, 31), None, None),
            saved("substance_misuse", d(2025, 9, 1), Some(false), Some(true)),
        ];
        let items = oc2_items(&events, start, end, 13);
        assert_eq!(
            items,
            Oc2Items {
                convicted: Some(false),
                substance_misuse: true,
                intervention_received: Some(false),
                intervention_offered: Some(true)
            }
        );
        let events = [
            saved("conviction", d(2025, 4, 1), None, None),
            saved("substance_misuse", d(2025, 9, 1), Some(true), None),
        ];
        let items = oc2_items(&events, start, end, 13);
        assert_eq!(
            items,
            Oc2Items {
                convicted: Some(true),
                substance_misuse: true,
                intervention_received: Some(true),
                intervention_offered: None
            }
        );
    }

    #[test]
    fn health_assessments_fall_due() {
        // Entered care Monday 1 December 2025: the initial assessment by 31 December.
        assert_eq!(
            initial_health_assessment_due(d(2025, 12, 1)).unwrap(),
            d(2025, 12, 31)
        );
        let dob = Some(d(2022, 2, 10));
        // 3 at the last assessment: 6 months; 5 at it: 12 months.
        assert_eq!(
            review_health_assessment_due(d(2025, 8, 31), dob),
            d(2026, 2, 28)
        );
        assert_eq!(
            review_health_assessment_due(d(2027, 2, 10), dob),
            d(2028, 2, 10)
        );
        assert_eq!(
            review_health_assessment_due(d(2027, 2, 9), dob),
            d(2027, 8, 9)
        );
    }

    #[test]
    fn sdqs_yearly_for_ages_4_to_16() {
        let dob = d(2015, 6, 1);
        assert_eq!(sdq_due(d(2025, 1, 6), None, dob), Some(d(2026, 1, 6)));
        assert_eq!(
            sdq_due(d(2025, 1, 6), Some(d(2025, 11, 3)), dob),
            Some(d(2026, 11, 3))
        );
        // Entered care at 2: the first SDQ at the 4th birthday.
        assert_eq!(
            sdq_due(d(2024, 1, 1), None, d(2022, 9, 30)),
            Some(d(2026, 9, 30))
        );
        // 17 by the next one: none due.
        assert_eq!(
            sdq_due(d(2020, 1, 1), Some(d(2025, 7, 1)), d(2009, 3, 1)),
            None
        );
    }

    #[test]
    fn an_sdq_score_outside_0_to_40_or_a_child_outside_4_to_16_is_refused() {
        let dob = Some(d(2015, 6, 1));
        let entered = Some(d(2024, 1, 1));
        let today = d(2026, 1, 10);
        let sdq = |score, reason: Option<&str>, on| NewSdq {
            done_on: on,
            score,
            reason: reason.map(String::from),
        };
        let fields = |s: NewSdq, dob| {
            s.validate(dob, entered, today)
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert!(fields(sdq(Some(14), None, d(2025, 6, 1)), dob).is_empty());
        assert!(fields(sdq(Some(0), None, d(2025, 6, 1)), dob).is_empty());
        assert!(fields(sdq(Some(40), None, d(2025, 6, 1)), dob).is_empty());
        assert_eq!(fields(sdq(Some(41), None, d(2025, 6, 1)), dob), ["score"]);
        assert_eq!(fields(sdq(Some(-1), None, d(2025, 6, 1)), dob), ["score"]);
        assert!(fields(sdq(None, Some("SDQ5"), d(2025, 6, 1)), dob).is_empty());
        assert_eq!(
            fields(sdq(None, Some("SDQ1"), d(2025, 6, 1)), dob),
            ["sdq_reason"]
        );
        assert_eq!(
            fields(sdq(Some(3), Some("SDQ2"), d(2025, 6, 1)), dob),
            ["sdq_reason"]
        );
        assert_eq!(fields(sdq(None, None, d(2025, 6, 1)), dob), ["score"]);
        // Aged 3, and aged 17.
        assert_eq!(
            fields(sdq(Some(10), None, d(2025, 6, 1)), Some(d(2021, 7, 1))),
            ["done"]
        );
        assert_eq!(
            fields(sdq(Some(10), None, d(2025, 6, 1)), Some(d(2008, 5, 1))),
            ["done"]
        );
        assert_eq!(fields(sdq(Some(10), None, d(2026, 2, 1)), dob), ["done"]);
    }

    #[test]
    fn the_return_home_interview_within_72_hours() {
        let back = d(2025, 11, 3);
        let at = |day, h| d(2025, 11, day).and_hms_opt(h, 0, 0).unwrap();
        assert!(interview_offered_in_time(back, at(6, 23)));
        assert!(!interview_offered_in_time(back, at(7, 1)));
        let r = MissingReturn {
            ended_on: back,
            interview_offered_at: Some(at(4, 10)),
            interview_accepted: None,
        };
        assert_eq!(
            r.validate(d(2025, 11, 1), d(2026, 1, 1))[0].field,
            "interview_accepted"
        );
        let r = MissingReturn {
            interview_accepted: Some(true),
            ..r
        };
        assert!(r.validate(d(2025, 11, 1), d(2026, 1, 1)).is_empty());
        assert_eq!(r.validate(d(2025, 11, 5), d(2026, 1, 1))[0].field, "ended");
    }
}
