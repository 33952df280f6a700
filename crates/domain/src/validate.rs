//! Validation of what users type: each problem names the field and says what is wrong, in the
//! words the GOV.UK Design System recommends for error messages.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One problem with one field of a form or API request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's name (form field name and JSON property). For a date, the name of the date.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// A date as typed in the three boxes of a GOV.UK date input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateParts {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub year: String,
}

impl DateParts {
    pub fn from_date(d: Option<NaiveDate>) -> Self {
        use chrono::Datelike;
        match d {
            Some(d) => DateParts {
                day: d.day().to_string(),
                month: d.month().to_string(),
                year: d.year().to_string(),
            },
            None => DateParts::default(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.day.trim().is_empty() && self.month.trim().is_empty() && self.year.trim().is_empty()
    }
    /// Reads the date; `label` is how the message names it (e.g. "Date of birth").
    pub fn parse(&self, field: &str, label: &str) -> Result<Option<NaiveDate>, FieldError> {
        if self.is_empty() {
            return Ok(None);
        }
        let parts = [
            ("day", &self.day),
            ("month", &self.month),
            ("year", &self.year),
        ];
        let missing: Vec<&str> = parts
            .iter()
            .filter(|(_, v)| v.trim().is_empty())
            .map(|(n, _)| *n)
            .collect();
        if !missing.is_empty() {
            return Err(FieldError::new(
                field,
                format!("{label} must include a {}", missing.join(" and ")),
            ));
        }
        let num = |v: &str| v.trim().parse::<u32>().ok();
        let (Some(d), Some(m), Some(y)) = (num(&self.day), num(&self.month), num(&self.year))
        else {
            return Err(FieldError::new(
                field,
                format!("{label} must be a real date"),
            ));
        };
        if self.year.trim().len() != 4 {
            return Err(FieldError::new(
                field,
                format!("Year of {} must include 4 numbers", label.to_lowercase()),
            ));
        }
        NaiveDate::from_ymd_opt(y as i32, m, d)
            .map(Some)
            .ok_or_else(|| FieldError::new(field, format!("{label} must be a real date")))
    }

    /// A whole or partial date, as the days it may be: a whole date is that day; a month and
    /// year, that month; a year alone, that year. A day without its month and year, or a month
    /// without its year, is refused.
    pub fn parse_partial(
        &self,
        field: &str,
        label: &str,
    ) -> Result<Option<(NaiveDate, NaiveDate)>, FieldError> {
        let (day, month, year) = (self.day.trim(), self.month.trim(), self.year.trim());
        if !day.is_empty() || (month.is_empty() && year.is_empty()) {
            return Ok(self.parse(field, label)?.map(|d| (d, d)));
        }
        if year.is_empty() {
            return Err(FieldError::new(
                field,
                format!("{label} must include a year"),
            ));
        }
        let y: i32 = match year.parse() {
            Ok(y) if year.len() == 4 => y,
            _ => {
                return Err(FieldError::new(
                    field,
                    format!("Year of {} must include 4 numbers", label.to_lowercase()),
                ));
            }
        };
        let bad = || FieldError::new(field, format!("{label} must be a real month"));
        match month {
            "" => Ok(NaiveDate::from_ymd_opt(y, 1, 1).zip(NaiveDate::from_ymd_opt(y, 12, 31))),
            m => {
                let m: u32 = m.parse().map_err(|_| bad())?;
                let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
                let last = first
                    .checked_add_months(chrono::Months::new(1))
                    .and_then(|d| d.pred_opt())
                    .ok_or_else(bad)?;
                Ok(Some((first, last)))
            }
        }
    }
}

#[cfg(test)]
mod partial_date_tests {
    use super::DateParts;
    use chrono::NaiveDate;

    fn parts(d: &str, m: &str, y: &str) -> DateParts {
        DateParts {
            day: d.into(),
            month: m.into(),
            year: y.into(),
        }
    }

    #[test]
    fn a_partial_date_is_the_days_it_may_be() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            parts("3", "4", "2019")
                .parse_partial("dob", "Date of birth")
                .unwrap(),
            Some((d(2019, 4, 3), d(2019, 4, 3)))
        );
        assert_eq!(
            parts("", "2", "2020")
                .parse_partial("dob", "Date of birth")
                .unwrap(),
            Some((d(2020, 2, 1), d(2020, 2, 29)))
        );
        assert_eq!(
            parts("", "", "2018")
                .parse_partial("dob", "Date of birth")
                .unwrap(),
            Some((d(2018, 1, 1), d(2018, 12, 31)))
        );
        assert_eq!(
            parts("", "", "")
                .parse_partial("dob", "Date of birth")
                .unwrap(),
            None
        );
        assert_eq!(
            parts("", "4", "")
                .parse_partial("dob", "Date of birth")
                .unwrap_err()
                .message,
            "Date of birth must include a year"
        );
        assert!(
            parts("3", "", "2019")
                .parse_partial("dob", "Date of birth")
                .is_err(),
            "a day needs its month"
        );
        assert!(
            parts("", "13", "2019")
                .parse_partial("dob", "Date of birth")
                .is_err()
        );
        assert!(
            parts("", "", "19")
                .parse_partial("dob", "Date of birth")
                .is_err()
        );
    }
}

/// A date on a child's record cannot be before the child was born (a visit dated 1990 for a
/// child born in 2010): pushes the field's error when it is.
pub fn not_before_birth(
    e: &mut Vec<FieldError>,
    field: &str,
    date: NaiveDate,
    born: Option<NaiveDate>,
) {
    if let Some(born) = born {
        if date < born {
            e.push(FieldError::new(
                field,
                format!(
                    "The date must be on or after the child's date of birth, {}",
                    born.format("%-d %B %Y")
                ),
            ));
        }
    }
}

/// A visit or note dated more than this many days before it is recorded is saved only once the
/// worker confirms the date (a mistyped year is the usual cause).
pub const LATE_RECORDING_DAYS: i64 = 90;

/// How long ago a note's date is, in words, when it is more than [`LATE_RECORDING_DAYS`] before
/// `today` (then the date must be confirmed); none otherwise.
pub fn recorded_late(date: NaiveDate, today: NaiveDate) -> Option<String> {
    let days = (today - date).num_days();
    if days <= LATE_RECORDING_DAYS {
        return None;
    }
    let months = (days * 12 + 182) / 365;
    Some(match (months / 12, months % 12) {
        (0, m) => format!("{m} months ago"),
        (1, 0) => "1 year ago".into(),
        (y, 0) => format!("{y} years ago"),
        (1, m) => format!("1 year and {m} month{} ago", if m == 1 { "" } else { "s" }),
        (y, m) => format!(
            "{y} years and {m} month{} ago",
            if m == 1 { "" } else { "s" }
        ),
    })
}

/// The longest any text field may be, in characters (a long plan review is a few thousand).
pub const MAX_TEXT: usize = 20_000;
/// The longest a name, an address line, a postcode, a username or search terms may be.
pub const MAX_SHORT_TEXT: usize = 200;
/// Fields held to [`MAX_SHORT_TEXT`]: names, address lines and the like, by their form field and
/// JSON property names.
pub const SHORT_FIELDS: &[&str] = &[
    "given_name",
    "family_name",
    "line1",
    "line2",
    "town",
    "postcode",
    "contact_name",
    "contact_agency",
    "agency",
    "lead",
    "owner",
    "username",
    "display_name",
    "name",
    "q",
    "council_child_id",
    "nhs_number",
    "upn",
    "former_upn",
    "provider",
    "placement_postcode",
];

/// What is wrong with a text value typed into `field`, if anything: a control character (NUL and
/// the like; tabs and line breaks are allowed), or more characters than the field holds.
/// Checked for every form field, query parameter and JSON string before a request is handled,
/// so neither backend is sent what it cannot store (PostgreSQL refuses NUL).
pub fn text_problem(field: &str, value: &str) -> Option<FieldError> {
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Some(FieldError::new(
            field,
            format!(
                "{field} must not contain control characters (it contains U+{:04X})",
                c as u32
            ),
        ));
    }
    let max = if SHORT_FIELDS.contains(&field) {
        MAX_SHORT_TEXT
    } else {
        MAX_TEXT
    };
    // Bytes first: a cheap bound before counting characters.
    if value.len() > max && value.chars().count() > max {
        return Some(FieldError::new(
            field,
            format!("{field} must be {max} characters or fewer"),
        ));
    }
    None
}

#[cfg(test)]
mod text_tests {
    use super::*;

    #[test]
    fn a_note_dated_months_or_years_before_it_is_recorded_is_late_in_words() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let today = d(2026, 12, 4);
        assert_eq!(
            recorded_late(d(2026, 9, 5), today),
            None,
            "90 days: not late"
        );
        assert_eq!(
            recorded_late(d(2026, 9, 4), today).as_deref(),
            Some("3 months ago"),
            "91 days is"
        );
        assert_eq!(
            recorded_late(d(2026, 8, 4), today).as_deref(),
            Some("4 months ago")
        );
        assert_eq!(
            recorded_late(d(2025, 12, 1), today).as_deref(),
            Some("1 year ago")
        );
        assert_eq!(
            recorded_late(d(2025, 2, 1), today).as_deref(),
            Some("1 year and 10 months ago")
        );
        assert_eq!(
            recorded_late(d(1990, 12, 1), today).as_deref(),
            Some("36 years ago")
        );
    }

    #[test]
    fn control_characters_and_overlong_text_are_refused_naming_the_field() {
        assert_eq!(text_problem("note", "Seen at home.\r\n\tAll well."), None);
        let e = text_problem("given_name", "Ad\0a").unwrap();
        assert_eq!(e.field, "given_name");
        assert!(e.message.contains("U+0000"), "{}", e.message);
        assert!(text_problem("note", "bell \u{7}").is_some());
        assert!(text_problem("note", "c1 \u{85}").is_some());
        assert!(text_problem("line1", &"x".repeat(201)).is_some());
        assert_eq!(text_problem("line1", &"é".repeat(200)), None);
        assert_eq!(text_problem("summary", &"x".repeat(20_000)), None);
        assert!(text_problem("summary", &"x".repeat(20_001)).is_some());
    }
}
