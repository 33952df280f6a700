//! People on the record: children and the adults around them, their identifiers, addresses and
//! family and professional relationships, and who a child is allocated to.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod form;
pub mod identifiers;
pub mod phonetic;

pub use form::{PersonCodes, PersonForm};

/// Whether a person on the record is a child the service works with or an adult around them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonKind {
    Child,
    Adult,
}

impl PersonKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PersonKind::Child => "child",
            PersonKind::Adult => "adult",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "child" => Some(PersonKind::Child),
            "adult" => Some(PersonKind::Adult),
            _ => None,
        }
    }
}

/// A child's identifiers as the statutory returns need them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifiers {
    /// The council's own child identifier (CIN LAchildID, 903 CHILD).
    pub council_child_id: Option<String>,
    /// NHS number: 10 digits with a modulus-11 check digit.
    pub nhs_number: Option<String>,
    /// Unique pupil number: 13 characters, a check letter then 12 characters.
    pub upn: Option<String>,
    /// A former UPN (kept when a child's UPN changed, e.g. after adoption).
    pub former_upn: Option<String>,
}

/// The details of a person that a user enters or corrects. Validated by [`PersonDetails::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDetails {
    pub kind: PersonKind,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<NaiveDate>,
    /// For an unborn child: the expected date of birth.
    pub expected_date_of_birth: Option<NaiveDate>,
    /// Sex code (CIN census/903 list).
    pub sex: String,
    /// Ethnicity code (DfE list), empty when not yet known.
    pub ethnicity: String,
    /// Disability codes (CIN census list).
    pub disabilities: Vec<String>,
    pub identifiers: Identifiers,
    /// Unaccompanied asylum-seeking child.
    pub uasc: bool,
    /// A restricted record is seen only by the allocated worker and managers.
    pub restricted: bool,
}

/// A person as stored, with its version (each correction increments it; history is in the audit log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: Uuid,
    #[serde(flatten)]
    pub details: PersonDetails,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.details.given_name, self.details.family_name)
    }
    /// Age in whole years on `on`, when the date of birth is known.
    pub fn age_on(&self, on: NaiveDate) -> Option<u32> {
        let dob = self.details.date_of_birth?;
        on.years_since(dob)
    }
}

/// A child's age as a practitioner says it: in weeks under 13 weeks, in months under 2 years,
/// then in years ("3 weeks", "7 months", "1 year 11 months" is "23 months", "4 years"). None
/// before birth.
pub fn age_text(dob: NaiveDate, on: NaiveDate) -> Option<String> {
    if on < dob {
        return None;
    }
    let plural = |n: u32, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    let years = on.years_since(dob)?;
    if years >= 2 {
        return Some(plural(years, "year"));
    }
    let weeks = ((on - dob).num_days() / 7) as u32;
    if weeks < 13 {
        return Some(plural(weeks, "week"));
    }
    // Whole months: count back from `on` while the monthly anniversary has passed.
    let mut months = 0u32;
    while dob
        .checked_add_months(chrono::Months::new(months + 1))
        .is_some_and(|d| d <= on)
    {
        months += 1;
    }
    Some(plural(months, "month"))
}

#[cfg(test)]
mod age_tests {
    use super::age_text;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn babies_in_weeks_toddlers_in_months_then_years() {
        let dob = d(2026, 1, 31);
        assert_eq!(age_text(dob, d(2026, 1, 31)).as_deref(), Some("0 weeks"));
        assert_eq!(age_text(dob, d(2026, 2, 7)).as_deref(), Some("1 week"));
        assert_eq!(age_text(dob, d(2026, 4, 24)).as_deref(), Some("11 weeks"));
        assert_eq!(age_text(dob, d(2026, 4, 25)).as_deref(), Some("12 weeks"));
        // 13 weeks on: months, counted by the monthly anniversary (28 February for the 31st).
        assert_eq!(age_text(dob, d(2026, 5, 2)).as_deref(), Some("3 months"));
        assert_eq!(age_text(dob, d(2027, 1, 30)).as_deref(), Some("11 months"));
        assert_eq!(age_text(dob, d(2027, 1, 31)).as_deref(), Some("12 months"));
        assert_eq!(age_text(dob, d(2028, 1, 30)).as_deref(), Some("23 months"));
        assert_eq!(age_text(dob, d(2028, 1, 31)).as_deref(), Some("2 years"));
        assert_eq!(age_text(dob, d(2045, 6, 1)).as_deref(), Some("19 years"));
        assert_eq!(age_text(dob, d(2025, 12, 1)), None, "before birth");
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub id: Uuid,
    pub person_id: Uuid,
    pub line1: String,
    pub line2: String,
    pub town: String,
    pub postcode: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAddress {
    pub line1: String,
    pub line2: String,
    pub town: String,
    pub postcode: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// "`person` is the `kind` of `related`": e.g. person = mother, kind = parent, related = child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relationship {
    pub id: Uuid,
    pub person_id: Uuid,
    pub kind: String,
    pub related_person_id: Uuid,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    pub id: Uuid,
    pub child_id: Uuid,
    pub worker_id: Uuid,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// Whether a value is a UK postcode by the standard's format and letter rules (spaces and case
/// ignored): the one check for a home's and a placement's postcode, as the 903's rule 392c. The six formats are A9, A99, A9A, AA9, AA99 and AA9A for the outward
/// code, then the inward code: a digit and two letters. Of the letters (BS 7666's postcode
/// rules, as the Market Research Society's "Postcode format" guide states them,
/// <https://studylib.net/doc/18359331/postcode-format>):
/// - Q, V and X are not used in the first position;
/// - I, J and Z are not used in the second position;
/// - the only letters in the third position (format A9A) are A B C D E F G H J K S T U W;
/// - the inward code never uses C, I, K, M, O or V.
///
/// The guide gives no rule for the letter of format AA9A (the fourth position), so any letter is
/// accepted there. Whether the postcode exists is a question for the postcode directory
/// (the 903 validator's `rules_reference`).
pub fn postcode_well_formed(v: &str) -> bool {
    let p: Vec<u8> = v
        .bytes()
        .filter(|b| *b != b' ')
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if !(5..=7).contains(&p.len()) {
        return false;
    }
    let (out, inward) = p.split_at(p.len() - 3);
    let unit_letter = |b: u8| b.is_ascii_uppercase() && !b"CIKMOV".contains(&b);
    let inward_ok = inward[0].is_ascii_digit() && unit_letter(inward[1]) && unit_letter(inward[2]);
    let letter = |b: &u8| b.is_ascii_uppercase();
    let digit = |b: &u8| b.is_ascii_digit();
    let first_ok = |b: u8| !b"QVX".contains(&b);
    let out_ok = match out {
        // A9, A99, A9A
        [a, d] => letter(a) && digit(d) && first_ok(*a),
        [a, d, x] if letter(a) && digit(d) => {
            first_ok(*a) && (digit(x) || b"ABCDEFGHJKSTUW".contains(x))
        }
        // AA9, AA99, AA9A
        [a, b, d] => letter(a) && letter(b) && digit(d) && first_ok(*a) && !b"IJZ".contains(b),
        [a, b, d, x] => {
            letter(a)
                && letter(b)
                && digit(d)
                && (digit(x) || letter(x))
                && first_ok(*a)
                && !b"IJZ".contains(b)
        }
        _ => false,
    };
    inward_ok && out_ok
}

#[cfg(test)]
mod postcode_tests {
    use super::postcode_well_formed;

    #[test]
    fn postcodes_follow_the_format_and_letter_rules() {
        for ok in [
            "SW1A 1AA", "m1 1ae", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A1BB", "ZX9 9ZZ",
        ] {
            assert!(postcode_well_formed(ok), "{ok}");
        }
        for bad in [
            "", "1AA", "SW1A", "ZX1 11Z", "ABC1 1AA", "SW1A 1A!", "12345",
            // Z second (AA9), Q first, C and I in the inward code, L third in A9A.
            "ZZ1 1ZZ", "QA1 1AA", "AB1 2CD", "AB1 2AI", "A1L 1AA",
        ] {
            assert!(!postcode_well_formed(bad), "{bad}");
        }
    }
}
