//! What a user submits to create or correct a person, and its validation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::identifiers::{nhs_number_is_valid, normalise_nhs_number, upn_is_valid};
use super::{Identifiers, PersonDetails, PersonKind};
use crate::validate::{DateParts, FieldError};

/// What a user submits to create or correct a person, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    pub given_name: String,
    #[serde(default)]
    pub family_name: String,
    #[serde(default)]
    pub date_of_birth: DateParts,
    #[serde(default)]
    pub expected_date_of_birth: DateParts,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub disabilities: Vec<String>,
    #[serde(default)]
    pub council_child_id: String,
    #[serde(default)]
    pub nhs_number: String,
    #[serde(default)]
    pub upn: String,
    #[serde(default)]
    pub former_upn: String,
    #[serde(default)]
    pub uasc: bool,
    #[serde(default)]
    pub restricted: bool,
}

/// What the validation of a person needs to know of the code lists, so this module stays free of
/// any particular year's lists.
pub trait PersonCodes {
    fn sex_is_valid(&self, code: &str) -> bool;
    fn ethnicity_is_valid(&self, code: &str) -> bool;
    fn disability_is_valid(&self, code: &str) -> bool;
}

impl PersonForm {
    pub fn from_details(d: &PersonDetails) -> Self {
        PersonForm {
            given_name: d.given_name.clone(),
            family_name: d.family_name.clone(),
            date_of_birth: DateParts::from_date(d.date_of_birth),
            expected_date_of_birth: DateParts::from_date(d.expected_date_of_birth),
            sex: d.sex.clone(),
            ethnicity: d.ethnicity.clone(),
            disabilities: d.disabilities.clone(),
            council_child_id: d.identifiers.council_child_id.clone().unwrap_or_default(),
            nhs_number: d.identifiers.nhs_number.clone().unwrap_or_default(),
            upn: d.identifiers.upn.clone().unwrap_or_default(),
            former_upn: d.identifiers.former_upn.clone().unwrap_or_default(),
            uasc: d.uasc,
            restricted: d.restricted,
        }
    }

    /// Checks a child's details. Returns every problem at once, in the order of the form.
    pub fn validate_child(
        &self,
        codes: &dyn PersonCodes,
        today: NaiveDate,
    ) -> Result<PersonDetails, Vec<FieldError>> {
        let mut errors = Vec::new();
        let given = self.given_name.trim();
        let family = self.family_name.trim();
        if given.is_empty() {
            errors.push(FieldError::new(
                "given_name",
                "Enter the child's first name",
            ));
        } else if given.chars().count() > 100 {
            errors.push(FieldError::new(
                "given_name",
                "First name must be 100 characters or fewer",
            ));
        }
        if family.is_empty() {
            errors.push(FieldError::new(
                "family_name",
                "Enter the child's last name",
            ));
        } else if family.chars().count() > 100 {
            errors.push(FieldError::new(
                "family_name",
                "Last name must be 100 characters or fewer",
            ));
        }
        let dob = match self.date_of_birth.parse("date_of_birth", "Date of birth") {
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let edob = match self
            .expected_date_of_birth
            .parse("expected_date_of_birth", "Expected date of birth")
        {
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let dates_ok = !errors.iter().any(|e| e.field.contains("date_of_birth"));
        if dates_ok {
            match (dob, edob) {
                (None, None) => errors.push(FieldError::new(
                    "date_of_birth",
                    "Enter the child's date of birth, or the expected date of birth for an unborn child",
                )),
                (Some(d), _) if d > today => {
                    errors.push(FieldError::new("date_of_birth", "Date of birth must be today or in the past"))
                }
                (Some(d), _) if today.years_since(d).is_some_and(|y| y > 25) => errors.push(FieldError::new(
                    "date_of_birth",
                    "Date of birth must be within the last 25 years: Hearth records children and care leavers",
                )),
                (None, Some(e)) if e < today - chrono::Days::new(31) => errors.push(FieldError::new(
                    "expected_date_of_birth",
                    "Expected date of birth is more than a month ago: enter the date of birth instead",
                )),
                _ => {}
            }
        }
        let sex = self.sex.trim();
        if sex.is_empty() {
            errors.push(FieldError::new("sex", "Select the child's sex"));
        } else if !codes.sex_is_valid(sex) {
            errors.push(FieldError::new(
                "sex",
                format!("Sex code '{sex}' is not in the current code list"),
            ));
        }
        let ethnicity = self.ethnicity.trim();
        if !ethnicity.is_empty() && !codes.ethnicity_is_valid(ethnicity) {
            errors.push(FieldError::new(
                "ethnicity",
                format!("Ethnicity code '{ethnicity}' is not in the current code list"),
            ));
        }
        let mut disabilities: Vec<String> = Vec::new();
        for d in &self.disabilities {
            let d = d.trim();
            if d.is_empty() {
                continue;
            }
            if !codes.disability_is_valid(d) {
                errors.push(FieldError::new(
                    "disabilities",
                    format!("Disability code '{d}' is not in the current code list"),
                ));
            } else if !disabilities.iter().any(|x| x == d) {
                disabilities.push(d.to_string());
            }
        }
        if disabilities.len() > 1 && disabilities.iter().any(|d| d == "NONE") {
            errors.push(FieldError::new(
                "disabilities",
                "Select 'No disability' only when no disability is selected",
            ));
        }
        let opt = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        };
        let council_child_id = opt(&self.council_child_id);
        if let Some(id) = &council_child_id
            && (id.len() > 10 || !id.chars().all(|c| c.is_ascii_alphanumeric()))
        {
            errors.push(FieldError::new(
                "council_child_id",
                "Council child ID must be 10 letters or numbers or fewer, with no spaces",
            ));
        }
        let nhs_number = opt(&self.nhs_number).map(|n| normalise_nhs_number(&n));
        if let Some(n) = &nhs_number
            && !nhs_number_is_valid(n)
        {
            errors.push(FieldError::new(
                "nhs_number",
                "NHS number must be 10 digits with a valid check digit",
            ));
        }
        let upn = opt(&self.upn).map(|u| u.to_ascii_uppercase());
        if let Some(u) = &upn
            && !upn_is_valid(u)
        {
            errors.push(FieldError::new(
                "upn",
                "UPN must be 13 characters with a valid check letter",
            ));
        }
        let former_upn = opt(&self.former_upn).map(|u| u.to_ascii_uppercase());
        if let Some(u) = &former_upn {
            if !upn_is_valid(u) {
                errors.push(FieldError::new(
                    "former_upn",
                    "Former UPN must be 13 characters with a valid check letter",
                ));
            } else if upn.as_ref() == Some(u) {
                errors.push(FieldError::new(
                    "former_upn",
                    "Former UPN must be different from the current UPN",
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(PersonDetails {
            kind: PersonKind::Child,
            given_name: given.to_string(),
            family_name: family.to_string(),
            date_of_birth: dob,
            expected_date_of_birth: if dob.is_some() { None } else { edob },
            sex: sex.to_string(),
            ethnicity: ethnicity.to_string(),
            disabilities,
            identifiers: Identifiers {
                council_child_id,
                nhs_number,
                upn,
                former_upn,
            },
            uasc: self.uasc,
            restricted: self.restricted,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Codes;
    impl PersonCodes for Codes {
        fn sex_is_valid(&self, code: &str) -> bool {
            matches!(code, "1" | "2")
        }
        fn ethnicity_is_valid(&self, code: &str) -> bool {
            matches!(code, "WBRI" | "NOBT")
        }
        fn disability_is_valid(&self, code: &str) -> bool {
            matches!(code, "NONE" | "MOB" | "HAND")
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn good() -> PersonForm {
        PersonForm {
            given_name: " Ada ".into(),
            family_name: "Example".into(),
            date_of_birth: DateParts {
                day: "3".into(),
                month: "2".into(),
                year: "2019".into(),
            },
            sex: "2".into(),
            ethnicity: "WBRI".into(),
            disabilities: vec!["NONE".into()],
            nhs_number: "943 476 5919".into(),
            ..Default::default()
        }
    }

    fn fields(r: Result<PersonDetails, Vec<FieldError>>) -> Vec<String> {
        r.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_good_form_is_accepted_and_tidied() {
        let d = good().validate_child(&Codes, today()).unwrap();
        assert_eq!(d.given_name, "Ada");
        assert_eq!(d.identifiers.nhs_number.as_deref(), Some("9434765919"));
        assert_eq!(d.date_of_birth, NaiveDate::from_ymd_opt(2019, 2, 3));
    }

    #[test]
    fn missing_names_sex_and_dates_are_each_named() {
        let f = PersonForm::default();
        assert_eq!(
            fields(f.validate_child(&Codes, today())),
            ["given_name", "family_name", "date_of_birth", "sex"]
        );
    }

    #[test]
    fn impossible_and_future_dates_are_refused() {
        let mut f = good();
        f.date_of_birth = DateParts {
            day: "30".into(),
            month: "2".into(),
            year: "2020".into(),
        };
        let e = f.validate_child(&Codes, today()).unwrap_err();
        assert_eq!(e[0].message, "Date of birth must be a real date");
        f.date_of_birth = DateParts {
            day: "1".into(),
            month: "1".into(),
            year: "2027".into(),
        };
        assert_eq!(fields(f.validate_child(&Codes, today())), ["date_of_birth"]);
        f.date_of_birth = DateParts {
            day: "1".into(),
            month: "".into(),
            year: "2020".into(),
        };
        let e = f.validate_child(&Codes, today()).unwrap_err();
        assert_eq!(e[0].message, "Date of birth must include a month");
    }

    #[test]
    fn unborn_child_uses_expected_date() {
        let mut f = good();
        f.date_of_birth = DateParts::default();
        f.expected_date_of_birth = DateParts {
            day: "1".into(),
            month: "3".into(),
            year: "2027".into(),
        };
        let d = f.validate_child(&Codes, today()).unwrap();
        assert_eq!(d.date_of_birth, None);
        assert_eq!(
            d.expected_date_of_birth,
            NaiveDate::from_ymd_opt(2027, 3, 1)
        );
    }

    #[test]
    fn unknown_codes_and_bad_identifiers_are_refused() {
        let mut f = good();
        f.sex = "9".into();
        f.ethnicity = "XXXX".into();
        f.disabilities = vec!["NONE".into(), "MOB".into()];
        f.nhs_number = "9434765918".into();
        f.upn = "A123".into();
        f.council_child_id = "has space".into();
        assert_eq!(
            fields(f.validate_child(&Codes, today())),
            [
                "sex",
                "ethnicity",
                "disabilities",
                "council_child_id",
                "nhs_number",
                "upn"
            ]
        );
    }
}
