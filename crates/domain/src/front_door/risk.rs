//! Screening a contact's risk: a rating of red, amber or green with the screener's reason, and
//! the time by which the front door must act on it. The council sets what each rating means and
//! its timescale in hours (red, for example: a strategy discussion or immediate action within a
//! few hours), counted in clock hours or, if it chooses, in working hours (09:00 to 17:00 on
//! working days, bank holidays excepted). A rating that finds an immediate safety concern is red
//! and goes straight to a strategy discussion.

use chrono::{Duration, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::rules::entry::{max_len, required};
use crate::validate::FieldError;

/// A screening rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RiskRating {
    Red,
    Amber,
    Green,
}

impl RiskRating {
    pub const ALL: [RiskRating; 3] = [RiskRating::Red, RiskRating::Amber, RiskRating::Green];

    pub fn as_str(self) -> &'static str {
        match self {
            RiskRating::Red => "red",
            RiskRating::Amber => "amber",
            RiskRating::Green => "green",
        }
    }

    pub fn parse(s: &str) -> Option<RiskRating> {
        RiskRating::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            RiskRating::Red => "Red",
            RiskRating::Amber => "Amber",
            RiskRating::Green => "Green",
        }
    }
}

/// What the council's ratings mean and how long each gives the front door, in hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskTimescales {
    pub red_hours: u32,
    pub amber_hours: u32,
    pub green_hours: u32,
    /// Count working hours (09:00–17:00 on working days) instead of clock hours.
    pub working_hours: bool,
}

impl Default for RiskTimescales {
    /// Red within 4 hours, amber within 12, green within 24: clock hours.
    fn default() -> Self {
        RiskTimescales {
            red_hours: 4,
            amber_hours: 12,
            green_hours: 24,
            working_hours: false,
        }
    }
}

/// The start and end of a working day, for timescales in working hours.
const DAY_STARTS: NaiveTime = NaiveTime::from_hms_opt(9, 0, 0).expect("valid time");
const DAY_ENDS: NaiveTime = NaiveTime::from_hms_opt(17, 0, 0).expect("valid time");

impl RiskTimescales {
    pub fn hours(&self, rating: RiskRating) -> u32 {
        match rating {
            RiskRating::Red => self.red_hours,
            RiskRating::Amber => self.amber_hours,
            RiskRating::Green => self.green_hours,
        }
    }

    /// What the council's rating means, for the screener choosing it.
    pub fn meaning(&self, rating: RiskRating) -> String {
        let within = self.within(rating);
        match rating {
            RiskRating::Red => format!(
                "Immediate or significant risk of harm: a strategy discussion or immediate action {within}"
            ),
            RiskRating::Amber => {
                format!("Possible significant harm or complex needs: a decision {within}")
            }
            RiskRating::Green => {
                format!("No immediate risk: needs or early help, a decision {within}")
            }
        }
    }

    /// "within 4 hours", "within 12 working hours".
    pub fn within(&self, rating: RiskRating) -> String {
        let h = self.hours(rating);
        let unit = if self.working_hours {
            "working hour"
        } else {
            "hour"
        };
        format!("within {h} {unit}{}", if h == 1 { "" } else { "s" })
    }

    /// When the front door must have acted on a contact received at `received` and given
    /// `rating`. Working hours skip nights, weekends and bank holidays; a contact received out
    /// of hours starts at the next working day's start. None when the date is beyond the
    /// calendar's bank holidays.
    pub fn respond_by(
        &self,
        received: NaiveDateTime,
        rating: RiskRating,
        calendar: &Calendar,
    ) -> Option<NaiveDateTime> {
        let hours = i64::from(self.hours(rating));
        if !self.working_hours {
            return Some(received + Duration::hours(hours));
        }
        let mut left = Duration::hours(hours);
        let mut at = received;
        loop {
            let day = at.date();
            if !calendar.is_working_day(day).ok()? || at.time() >= DAY_ENDS {
                at = calendar.next_working_day(day).ok()?.and_time(DAY_STARTS);
                continue;
            }
            if at.time() < DAY_STARTS {
                at = day.and_time(DAY_STARTS);
            }
            let today_left = day.and_time(DAY_ENDS) - at;
            if left <= today_left {
                return Some(at + left);
            }
            left -= today_left;
            at = day.and_time(DAY_ENDS);
        }
    }
}

/// How long is left before `due`, in words: "3 hours left", "45 minutes left", "2 hours overdue".
pub fn time_left(due: NaiveDateTime, now: NaiveDateTime) -> String {
    let (span, suffix) = if due >= now {
        (due - now, "left")
    } else {
        (now - due, "overdue")
    };
    let minutes = span.num_minutes();
    if minutes < 60 {
        let m = minutes.max(1);
        return format!("{m} minute{} {suffix}", if m == 1 { "" } else { "s" });
    }
    let hours = span.num_hours();
    if hours < 48 {
        return format!("{hours} hour{} {suffix}", if hours == 1 { "" } else { "s" });
    }
    let days = span.num_days();
    format!("{days} days {suffix}")
}

/// A screener's rating of a contact, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRiskRating {
    /// `red`, `amber` or `green`.
    pub rating: String,
    /// Why: what in the contact and the checks led to the rating.
    pub reason: String,
    /// An immediate safety concern (the rating must then be red): a strategy discussion now.
    #[serde(default)]
    pub immediate_safety: bool,
}

impl NewRiskRating {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        match RiskRating::parse(&self.rating) {
            None => e.push(FieldError::new(
                "rating",
                "Select a risk rating: red, amber or green",
            )),
            Some(r) if self.immediate_safety && r != RiskRating::Red => e.push(FieldError::new(
                "rating",
                "An immediate safety concern is rated red",
            )),
            Some(_) => {}
        }
        required(
            &mut e,
            "risk_reason",
            &self.reason,
            "Enter why you gave this rating",
        );
        max_len(
            &mut e,
            "risk_reason",
            "Why you gave this rating",
            &self.reason,
            5_000,
        );
        e
    }
}

/// A rating given, with who gave it and when. A contact keeps every rating it was given; the
/// latest is its rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskAssessment {
    pub rating: RiskRating,
    pub reason: String,
    pub immediate_safety: bool,
    /// When it was given (local time).
    pub rated_at: NaiveDateTime,
    pub rated_by: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn clock_hours_run_through_nights_and_weekends() {
        let t = RiskTimescales::default();
        let cal = Calendar::england();
        // Friday 4 December 2026, 15:00: red within 4 hours is 19:00 the same evening.
        assert_eq!(
            t.respond_by(at(2026, 12, 4, 15, 0), RiskRating::Red, cal),
            Some(at(2026, 12, 4, 19, 0))
        );
        // Green within 24 hours runs over Saturday.
        assert_eq!(
            t.respond_by(at(2026, 12, 4, 15, 0), RiskRating::Green, cal),
            Some(at(2026, 12, 5, 15, 0))
        );
    }

    #[test]
    fn working_hours_skip_nights_weekends_and_bank_holidays() {
        let t = RiskTimescales {
            working_hours: true,
            ..RiskTimescales::default()
        };
        let cal = Calendar::england();
        // Friday 15:00, 4 working hours: 2 on Friday, 2 on Monday from 09:00.
        assert_eq!(
            t.respond_by(at(2026, 12, 4, 15, 0), RiskRating::Red, cal),
            Some(at(2026, 12, 7, 11, 0))
        );
        // Received on a Saturday: the clock starts on Monday at 09:00.
        assert_eq!(
            t.respond_by(at(2026, 12, 5, 10, 0), RiskRating::Red, cal),
            Some(at(2026, 12, 7, 13, 0))
        );
        // Thursday 24 December 2026 at 16:00, amber 12 working hours: 1 on Christmas Eve; Christmas
        // Day (Friday), Boxing Day substitute (Monday 28th) and the weekend are skipped; 8 on
        // Tuesday 29th, 3 on Wednesday 30th.
        assert_eq!(
            t.respond_by(at(2026, 12, 24, 16, 0), RiskRating::Amber, cal),
            Some(at(2026, 12, 30, 12, 0))
        );
        // Before the day starts: from 09:00.
        assert_eq!(
            t.respond_by(at(2026, 12, 7, 7, 30), RiskRating::Red, cal),
            Some(at(2026, 12, 7, 13, 0))
        );
        // Ending exactly at the close of a day stays on that day.
        assert_eq!(
            t.respond_by(at(2026, 12, 7, 13, 0), RiskRating::Red, cal),
            Some(at(2026, 12, 7, 17, 0))
        );
        assert_eq!(t.within(RiskRating::Amber), "within 12 working hours");
    }

    #[test]
    fn time_left_is_said_in_minutes_hours_or_days() {
        let now = at(2026, 12, 4, 12, 0);
        assert_eq!(time_left(at(2026, 12, 4, 15, 0), now), "3 hours left");
        assert_eq!(time_left(at(2026, 12, 4, 12, 45), now), "45 minutes left");
        assert_eq!(time_left(at(2026, 12, 4, 11, 0), now), "1 hour overdue");
        assert_eq!(time_left(at(2026, 12, 1, 12, 0), now), "3 days overdue");
    }

    #[test]
    fn a_rating_needs_its_reason_and_an_immediate_safety_concern_is_red() {
        let ok = NewRiskRating {
            rating: "red".into(),
            reason: "Belt injury disclosed".into(),
            immediate_safety: true,
        };
        assert!(ok.validate().is_empty());
        let amber = NewRiskRating {
            rating: "amber".into(),
            ..ok.clone()
        };
        assert_eq!(
            amber.validate()[0].message,
            "An immediate safety concern is rated red"
        );
        let none = NewRiskRating {
            rating: "purple".into(),
            reason: " ".into(),
            immediate_safety: false,
        };
        let fields: Vec<_> = none.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["rating", "risk_reason"]);
    }
}
