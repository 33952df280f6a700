//! People on the record: children and the adults around them, their identifiers, addresses and
//! family and professional relationships, and who a child is allocated to.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod form;
pub mod identifiers;

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
