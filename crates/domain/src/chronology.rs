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

/// The kinds of entry a significant-events chronology keeps: the decisions and changes that
/// shape the child's journey (a birth, a front-door decision, a referral, strategy discussions,
/// section 47 enquiries, conferences, plans begun and ended, care, missing episodes, early help,
/// leaving care, a change of worker), not the day-to-day visits, notes and corrections.
pub const SIGNIFICANT: &[&str] = &[
    "Birth",
    "Front-door decision",
    "Referral",
    "Strategy discussion",
    "Section 47",
    "Conference",
    "Child protection plan",
    "Child in need plan",
    "Looked after",
    "Missing",
    "Early help",
    "Leaving care",
    "Allocation",
];

pub fn is_significant(entry: &ChronologyEntry) -> bool {
    SIGNIFICANT.contains(&entry.category.as_str())
}
