//! Visits, case notes and management oversight, on any child's record at any stage: the child
//! seen (and seen alone), the child's own words or, for a child too young to speak, what was
//! observed; a manager's decision with its rationale.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::rules::entry::{max_len, required};
use crate::validate::FieldError;

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
