//! A child's chronology, built from what is on the record: birth, addresses, relationships,
//! allocations and corrections to the child's details. Later parts of the journey (contacts,
//! assessments, plans, visits) add their own entries here.

use domain::record::{AuditAction, AuditEntry, ChronologyEntry, Person};

use crate::{AllocationView, RelatedPerson};
use domain::record::Address;

fn midnight(d: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc()
}

/// The fields whose values differ between two JSON objects, for "details corrected" entries.
fn changed_fields(before: &serde_json::Value, after: &serde_json::Value) -> Vec<String> {
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return Vec::new();
    };
    let mut keys: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect();
    keys.sort();
    keys.dedup();
    keys.into_iter().map(|k| k.replace('_', " ")).collect()
}

pub(crate) fn build(
    person: &Person,
    addresses: &[Address],
    relationships: &[RelatedPerson],
    allocations: &[AllocationView],
    corrections: &[(AuditEntry, Option<String>)],
) -> Vec<ChronologyEntry> {
    let mut out = Vec::new();
    if let Some(dob) = person.details.date_of_birth {
        out.push(ChronologyEntry {
            date: dob,
            at: midnight(dob),
            category: "Birth".into(),
            summary: "Born".into(),
            recorded_by: None,
        });
    }
    for (e, by) in corrections {
        let summary = match e.action {
            AuditAction::Create => "Record created".to_string(),
            _ => match (&e.before, &e.after) {
                (Some(b), Some(a)) => {
                    let fields = changed_fields(b, a);
                    if fields.is_empty() {
                        "Details saved with no changes".to_string()
                    } else {
                        format!("Details corrected: {}", fields.join(", "))
                    }
                }
                _ => "Details corrected".to_string(),
            },
        };
        out.push(ChronologyEntry {
            date: e.at.date_naive(),
            at: e.at,
            category: "Record".into(),
            summary,
            recorded_by: by.clone(),
        });
    }
    for a in addresses {
        out.push(ChronologyEntry {
            date: a.from,
            at: midnight(a.from),
            category: "Address".into(),
            summary: format!("Moved to {}, {} {}", a.line1, a.town, a.postcode)
                .replace(",  ", ", "),
            recorded_by: None,
        });
    }
    for r in relationships {
        if let Some(from) = r.relationship.from {
            let kind = r.relationship.kind.replace('_', " ");
            let summary = if r.other_is_subject {
                format!("{} recorded as {kind}", r.other.full_name())
            } else {
                format!("Recorded as {kind} of {}", r.other.full_name())
            };
            out.push(ChronologyEntry {
                date: from,
                at: midnight(from),
                category: "Family".into(),
                summary,
                recorded_by: None,
            });
        }
    }
    for a in allocations {
        let team = a
            .team_name
            .as_deref()
            .map(|t| format!(" ({t})"))
            .unwrap_or_default();
        out.push(ChronologyEntry {
            date: a.allocation.from,
            at: midnight(a.allocation.from),
            category: "Allocation".into(),
            summary: format!("Allocated to {}{team}", a.worker_name),
            recorded_by: None,
        });
    }
    out.sort_by(|a, b| b.date.cmp(&a.date).then(b.at.cmp(&a.at)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changed_fields_lists_only_differences() {
        let b = json!({"given_name": "A", "sex": "1", "upn": null});
        let a = json!({"given_name": "B", "sex": "1", "upn": "X"});
        assert_eq!(changed_fields(&b, &a), ["given name", "upn"]);
    }
}
