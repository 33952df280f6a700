//! The child's chronology: dated lines built from the whole record.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChronologyEntry {
    pub date: NaiveDate,
    pub at: DateTime<Utc>,
    pub category: String,
    pub summary: String,
    /// Who recorded it: the user whose change the audit log holds for it.
    pub recorded_by: Option<String>,
    /// The record the entry comes from, and the change to it, as the audit log names them: whoever
    /// made that change recorded the entry.
    #[serde(skip)]
    pub source: Option<Source>,
}

/// Where a chronology entry comes from: a record (its id in the audit log) and the change that
/// made the entry (the audit entry's detail), or its creation when `change` is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    pub record: Uuid,
    pub change: Option<&'static str>,
}

impl Source {
    /// The record's creation.
    pub fn created(record: Uuid) -> Option<Source> {
        Some(Source {
            record,
            change: None,
        })
    }
    /// A change to the record, as its audit entry names it.
    pub fn changed(record: Uuid, change: &'static str) -> Option<Source> {
        Some(Source {
            record,
            change: Some(change),
        })
    }
}

/// One change on the child's record, as the audit log holds it: the record, what was done, by
/// whom (in the log's order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub record: Uuid,
    pub created: bool,
    pub detail: String,
    pub by: Option<String>,
}

/// Fills in who recorded each entry that does not say, from the changes the audit log holds:
/// the record's creation, or its latest change of the entry's kind.
pub fn fill_recorded_by(entries: &mut [ChronologyEntry], changes: &[Change]) {
    if changes.is_empty() {
        return;
    }
    let mut by_record: std::collections::HashMap<Uuid, Vec<&Change>> =
        std::collections::HashMap::new();
    for c in changes {
        by_record.entry(c.record).or_default().push(c);
    }
    for e in entries.iter_mut() {
        if e.recorded_by.is_some() {
            continue;
        }
        let Some(src) = e.source else { continue };
        let Some(of) = by_record.get(&src.record) else {
            continue;
        };
        let found = match src.change {
            None => of.iter().find(|c| c.created),
            Some(d) => of.iter().rev().find(|c| c.detail == d),
        };
        e.recorded_by = found.and_then(|c| c.by.clone());
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(source: Option<Source>) -> ChronologyEntry {
        ChronologyEntry {
            date: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            at: DateTime::from_timestamp(0, 0).unwrap(),
            category: "Assessment".into(),
            summary: String::new(),
            recorded_by: None,
            source,
        }
    }

    #[test]
    fn who_recorded_an_entry_comes_from_the_change_the_audit_log_holds_for_it() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let change = |record, created, detail: &str, by: &str| Change {
            record,
            created,
            detail: detail.into(),
            by: Some(by.into()),
        };
        let changes = [
            change(a, true, "assessment started", "Sam"),
            change(a, false, "assessment completed", "Sam"),
            change(a, false, "assessment returned to the worker", "Kim"),
            change(a, false, "assessment completed", "Ola"),
        ];
        let mut entries = vec![
            entry(Source::created(a)),
            entry(Source::changed(a, "assessment completed")),
            entry(Source::changed(a, "assessment authorised")),
            entry(Source::created(b)),
            entry(None),
            ChronologyEntry {
                recorded_by: Some("Already said".into()),
                ..entry(Source::created(a))
            },
        ];
        fill_recorded_by(&mut entries, &changes);
        let by: Vec<Option<&str>> = entries.iter().map(|e| e.recorded_by.as_deref()).collect();
        assert_eq!(
            by,
            [
                Some("Sam"),
                Some("Ola"),
                None,
                None,
                None,
                Some("Already said")
            ],
            "the creation; the latest completion; nothing for a change not made or a record not in the log"
        );
    }
}
