//! The workforce: teams and the workers in them (employed or agency, with start and end dates).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Worker {
    pub id: Uuid,
    pub name: String,
    pub team_id: Option<Uuid>,
    /// Job title, e.g. "Social worker", "Team manager".
    pub role_title: String,
    /// Agency (locum) worker rather than employed.
    pub agency: bool,
    pub started: NaiveDate,
    pub left: Option<NaiveDate>,
}
