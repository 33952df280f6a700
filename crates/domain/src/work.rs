//! Work due: what is owed to each child by when, on a worker's or a team's list, and the
//! council's own visiting standards for children on plans.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::timescales::Rag;

/// A piece of work due: on a worker's or team's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueItem {
    /// "Front-door decision", "Assessment", "Assessment authorisation".
    pub what: String,
    pub due: NaiveDate,
    pub rag: Rag,
    pub child_id: Option<Uuid>,
    pub child_name: String,
    pub worker_name: Option<String>,
    /// Where to do it.
    pub link: String,
}

/// How often children on plans are visited: not set nationally, so each council sets its own
/// (specs/statutory-data.md §8 rows 7 and 8). Defaults: every 10 working days on a child
/// protection plan, every 20 on a child in need plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitStandards {
    pub cp_working_days: u32,
    pub cin_working_days: u32,
}

impl Default for VisitStandards {
    fn default() -> Self {
        VisitStandards {
            cp_working_days: 10,
            cin_working_days: 20,
        }
    }
}
