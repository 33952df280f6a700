//! Correcting a record: never a silent change. A record is amended with a reason (the earlier
//! version is kept beside it) or marked entered in error with a reason (it stays on the child's
//! record, marked, and is left out of returns, indicators and work due). Shared by every
//! capability whose records can be corrected; not a capability itself.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::rules::entry::{max_len, required};
use crate::validate::FieldError;

/// How a record is corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CorrectionKind {
    /// The record was changed; the earlier version is kept.
    Amended,
    /// The record should never have been made (the wrong child, a duplicate); it is kept, marked.
    EnteredInError,
}

impl CorrectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CorrectionKind::Amended => "amended",
            CorrectionKind::EnteredInError => "entered_in_error",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [CorrectionKind::Amended, CorrectionKind::EnteredInError]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            CorrectionKind::Amended => "Amended",
            CorrectionKind::EnteredInError => "Entered in error",
        }
    }
}

/// The longest reason kept.
pub const REASON_MAX: usize = 2_000;

/// A correction as asked for: how, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCorrection {
    pub kind: CorrectionKind,
    pub reason: String,
}

impl NewCorrection {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        required(
            &mut e,
            "reason",
            &self.reason,
            match self.kind {
                CorrectionKind::Amended => "Enter the reason for amending this record",
                CorrectionKind::EnteredInError => "Enter why this record was entered in error",
            },
        );
        max_len(&mut e, "reason", "The reason", &self.reason, REASON_MAX);
        e
    }
}

/// A correction as stored: of which record, how and why, by whom and when, and the record as it
/// was before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Correction {
    pub id: Uuid,
    /// What kind of record (`note`, `cla_adoption_decision`...).
    pub record_kind: String,
    pub record_id: Uuid,
    pub child_id: Uuid,
    pub kind: CorrectionKind,
    pub reason: String,
    /// Who corrected it (their name), if a user did.
    pub by: Option<String>,
    pub at: DateTime<Utc>,
    /// The record as it was before the correction, field by field.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub previous: serde_json::Value,
}

/// The corrections of one record, oldest first.
pub fn of_record<'a>(
    all: &'a [Correction],
    record_kind: &'a str,
    id: Uuid,
) -> impl Iterator<Item = &'a Correction> + 'a {
    all.iter()
        .filter(move |c| c.record_kind == record_kind && c.record_id == id)
}

/// Whether the record was marked entered in error.
pub fn entered_in_error(all: &[Correction], record_kind: &str, id: Uuid) -> bool {
    of_record(all, record_kind, id).any(|c| c.kind == CorrectionKind::EnteredInError)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_correction_needs_a_reason_naming_the_field() {
        for kind in [CorrectionKind::Amended, CorrectionKind::EnteredInError] {
            let c = NewCorrection {
                kind,
                reason: "  ".into(),
            };
            let e = c.validate();
            assert_eq!(e.len(), 1);
            assert_eq!(e[0].field, "reason");
            assert!(e[0].message.starts_with("Enter "), "{}", e[0].message);
        }
        let long = NewCorrection {
            kind: CorrectionKind::Amended,
            reason: "x".repeat(REASON_MAX + 1),
        };
        assert_eq!(long.validate()[0].field, "reason");
        let ok = NewCorrection {
            kind: CorrectionKind::EnteredInError,
            reason: "Recorded on the wrong child's record".into(),
        };
        assert!(ok.validate().is_empty());
        assert_eq!(
            CorrectionKind::parse("entered_in_error"),
            Some(CorrectionKind::EnteredInError)
        );
    }
}
