//! The child's chronology: dated lines built from the whole record.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChronologyEntry {
    pub date: NaiveDate,
    pub at: DateTime<Utc>,
    pub category: String,
    pub summary: String,
    pub recorded_by: Option<String>,
}
