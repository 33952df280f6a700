//! Early help (Family Help): episodes stepped down to from the front door or an assessment, and
//! ended with an outcome or stepped up to the front door as a contact.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::{self};
use crate::rules::casework::{code, not_future, required};
use crate::validate::FieldError;

// --- Early help ---

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewEarlyHelp {
    pub started_on: NaiveDate,
    /// The lead professional and their agency.
    pub lead: String,
    /// Why early help, and what the family wants to change.
    pub reason: String,
}

impl NewEarlyHelp {
    pub fn validate(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future(&mut e, "started", "The start date", self.started_on, today);
        required(&mut e, "lead", &self.lead, "Enter the lead professional");
        required(
            &mut e,
            "reason",
            &self.reason,
            "Enter why early help is offered",
        );
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EarlyHelpEnd {
    pub ended_on: NaiveDate,
    /// `codes::early_help_end`; "step_up" records a contact to the front door.
    pub reason: String,
    pub note: String,
}

impl EarlyHelpEnd {
    pub fn validate(&self, started: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future(&mut e, "ended", "The end date", self.ended_on, today);
        if self.ended_on < started {
            e.push(FieldError::new(
                "ended",
                "The end date must be on or after the start date",
            ));
        }
        code(
            &mut e,
            "end_reason",
            codes::early_help_end(),
            &self.reason,
            self.ended_on,
            "Select why early help ended",
        );
        if self.reason == "step_up" {
            required(
                &mut e,
                "note",
                &self.note,
                "Enter the concerns for the step up to children's social care",
            );
        }
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EarlyHelp {
    pub id: Uuid,
    pub child_id: Uuid,
    pub started_on: NaiveDate,
    pub lead: String,
    pub reason: String,
    /// "front_door" (a front-door decision), "step_down" (after an assessment) or "direct".
    pub origin: String,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub end_note: String,
    /// The contact made by a step up.
    pub step_up_contact: Option<Uuid>,
}
