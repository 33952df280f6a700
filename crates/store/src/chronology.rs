//! A child's chronology, built from what is on the record: birth, addresses, relationships,
//! allocations and corrections to the child's details. Later parts of the journey (contacts,
//! assessments, plans, visits) add their own entries here.

use domain::access::{AuditAction, AuditEntry};
use domain::chronology::{ChronologyEntry, Source};
use domain::person::Person;

use crate::{AllocationView, RelatedPerson};
use domain::person::Address;

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
            source: None,
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
            source: None,
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
            source: Source::created(a.id),
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
                source: Source::created(r.relationship.id),
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
            source: Source::created(a.allocation.id),
        });
    }
    out.sort_by(|a, b| b.date.cmp(&a.date).then(b.at.cmp(&a.at)));
    out
}

fn label(list: &domain::codes::CodeList, code: &str) -> String {
    list.label(code).unwrap_or(code).to_string()
}

/// Adds the child's journey (contacts, decisions, referrals, assessments, visits, notes and
/// management oversight) to a chronology, keeping it newest first.
pub(crate) fn add_front_door_assessments_and_notes(
    out: &mut Vec<ChronologyEntry>,
    child_id: uuid::Uuid,
    front_door: &domain::front_door::ChildFrontDoor,
    assessments: &[domain::assessment::Assessment],
    notes: &[domain::case_notes::Note],
    corrections: &[domain::correction::Correction],
) {
    use domain::case_notes::NoteKind;
    use domain::codes;
    for c in &front_door.contacts {
        let others: Vec<&str> = c
            .children
            .iter()
            .filter(|k| k.person_id != child_id)
            .map(|k| k.name.as_str())
            .collect();
        let with = if others.is_empty() {
            String::new()
        } else {
            format!(" (also about {})", others.join(", "))
        };
        out.push(ChronologyEntry {
            date: c.received_at.date(),
            at: c.received_at.and_utc(),
            category: "Contact".into(),
            summary: format!(
                "Contact from {} ({}){with}: {}",
                c.contact_name,
                label(codes::referral_source(), &c.source),
                c.reason
            ),
            recorded_by: c.recorded_by.clone(),
            source: Source::created(c.id),
        });
        if let Some(d) = &c.decision {
            out.push(ChronologyEntry {
                date: d.decided_at.date(),
                at: d.decided_at.and_utc(),
                category: "Front-door decision".into(),
                summary: format!(
                    "{}. Direction: {} Rationale: {}",
                    label(codes::front_door_outcome(), &d.outcome),
                    d.direction,
                    d.rationale
                ),
                recorded_by: d.decided_by.clone(),
                source: Source::changed(c.id, "front-door decision"),
            });
        }
    }
    for r in &front_door.referrals {
        out.push(ChronologyEntry {
            date: r.referral_date,
            at: midnight(r.referral_date),
            category: "Referral".into(),
            summary: if r.re_referral {
                format!(
                    "Re-referral (previous referral {})",
                    r.previous_referral
                        .map(|p| p.format("%-d %B %Y").to_string())
                        .unwrap_or_default()
                )
            } else {
                "Referral to children's social care".into()
            },
            recorded_by: None,
            source: Source::changed(r.contact_id, "front-door decision"),
        });
    }
    for a in assessments {
        out.push(ChronologyEntry {
            date: a.started_on,
            at: midnight(a.started_on),
            category: "Assessment".into(),
            summary: format!(
                "Single assessment started (due {})",
                a.due_on.format("%-d %B %Y")
            ),
            recorded_by: None,
            source: Source::created(a.id),
        });
        if let Some(done) = a.completed_on {
            out.push(ChronologyEntry {
                date: done,
                at: midnight(done),
                category: "Assessment".into(),
                summary: format!(
                    "Single assessment completed: {}",
                    a.outcome
                        .as_deref()
                        .map(|o| label(codes::assessment_outcome(), o))
                        .unwrap_or_default()
                ),
                recorded_by: None,
                source: Source::changed(a.id, "assessment completed"),
            });
        }
        if let Some(on) = a.authorised_on {
            out.push(ChronologyEntry {
                date: on,
                at: midnight(on),
                category: "Assessment".into(),
                summary: "Single assessment authorised".into(),
                recorded_by: a.authorised_by.clone(),
                source: Source::changed(a.id, "assessment authorised"),
            });
        }
    }
    for n in notes {
        let v = &n.note;
        let summary = match v.kind {
            NoteKind::Visit => {
                let seen = match (v.child_seen, v.seen_alone) {
                    (Some(true), Some(true)) => "child seen alone",
                    (Some(true), _) => "child seen",
                    _ => "child not seen",
                };
                let voice = if !v.childs_words.is_empty() {
                    format!(" The child said: \u{201c}{}\u{201d}", v.childs_words)
                } else if !v.observation.is_empty() {
                    format!(" Observed: {}", v.observation)
                } else {
                    String::new()
                };
                format!("Visit, {seen}. {}{voice}", v.text)
            }
            NoteKind::CaseNote => v.text.clone(),
            NoteKind::Oversight => format!("Decision: {} Rationale: {}", v.decision, v.rationale),
        };
        let in_error = domain::correction::entered_in_error(corrections, "note", n.id);
        out.push(ChronologyEntry {
            date: v.date,
            at: midnight(v.date),
            category: v.kind.label().into(),
            summary: if in_error {
                format!("Entered in error: {summary}")
            } else {
                summary
            },
            recorded_by: n.recorded_by.clone(),
            source: Source::created(n.id),
        });
    }
    add_corrections(out, corrections);
    out.sort_by(|a, b| b.date.cmp(&a.date).then(b.at.cmp(&a.at)));
}

/// Adds each correction of a record (amended, entered in error) on the day it was made.
fn add_corrections(out: &mut Vec<ChronologyEntry>, corrections: &[domain::correction::Correction]) {
    use domain::correction::CorrectionKind;
    for c in corrections {
        let what = crate::correction::label_of(&c.record_kind);
        let done = match c.kind {
            CorrectionKind::Amended => "amended",
            CorrectionKind::EnteredInError => "marked entered in error",
        };
        let mut what = what.to_string();
        if let Some(first) = what.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        out.push(ChronologyEntry {
            date: c.at.date_naive(),
            at: c.at,
            category: "Correction".into(),
            summary: format!("{what} {done}: {}", c.reason),
            recorded_by: c.by.clone(),
            source: None,
        });
    }
}

/// Adds early help, child in need plans and the child protection pathway to a chronology.
pub(crate) fn add_early_help_and_plans(
    out: &mut Vec<ChronologyEntry>,
    early_help: &[domain::early_help::EarlyHelp],
    cin_plans: &[domain::child_in_need::CinPlan],
    cp: &domain::child_protection::ChildProtection,
) {
    use domain::codes;
    let mut push =
        |date: chrono::NaiveDate, category: &str, summary: String, source: Option<Source>| {
            out.push(ChronologyEntry {
                date,
                at: midnight(date),
                category: category.into(),
                summary,
                recorded_by: None,
                source,
            })
        };
    for e in early_help {
        let how = match e.origin.as_str() {
            "front_door" => " (from the front door)",
            "step_down" => " (stepped down after assessment)",
            _ => "",
        };
        push(
            e.started_on,
            "Early help",
            format!("Early help started{how}: {}", e.reason),
            Source::created(e.id),
        );
        if let (Some(end), Some(r)) = (e.ended_on, &e.end_reason) {
            push(
                end,
                "Early help",
                format!("Early help ended: {}", label(codes::early_help_end(), r)),
                Source::changed(e.id, "early help ended"),
            );
        }
    }
    for p in cin_plans {
        push(
            p.started_on,
            "Child in need plan",
            format!(
                "Child in need plan started ({})",
                label(codes::primary_need(), &p.primary_need)
            ),
            Source::created(p.id),
        );
        for r in &p.reviews {
            push(
                r.held_on,
                "Child in need plan",
                format!("Plan reviewed: {}", r.summary),
                None,
            );
        }
        if let Some(end) = p.ended_on {
            let why = if p.end_reason.is_empty() {
                String::new()
            } else {
                format!(": {}", p.end_reason)
            };
            push(
                end,
                "Child in need plan",
                format!("Child in need plan ended{why}"),
                Source::changed(p.id, "child in need plan ended"),
            );
        }
    }
    for s in &cp.strategies {
        let agencies: Vec<String> = s
            .agencies
            .iter()
            .map(|a| label(codes::meeting_agency(), a))
            .collect();
        push(
            s.held_on,
            "Strategy discussion",
            format!(
                "Strategy discussion ({}){}",
                agencies.join(", "),
                if s.s47 {
                    ": section 47 enquiry started"
                } else {
                    ""
                }
            ),
            Source::created(s.id),
        );
    }
    for s in &cp.s47s {
        if let (Some(done), Some(o)) = (s.completed_on, &s.outcome) {
            push(
                done,
                "Section 47",
                format!(
                    "Section 47 enquiry completed: {}",
                    label(codes::s47_outcome(), o)
                ),
                Source::created(s.id),
            );
        }
    }
    for k in &cp.conferences {
        let what = match k.kind {
            domain::child_protection::ConferenceKind::Initial => {
                "Initial child protection conference"
            }
            domain::child_protection::ConferenceKind::Review => {
                "Review child protection conference"
            }
        };
        let result = match (&k.category, k.plan) {
            (Some(cat), true) => format!("plan, {}", label(codes::abuse_category(), cat)),
            _ => "no plan".into(),
        };
        let late = if k.held_on > k.due_on {
            format!(" (due {})", k.due_on.format("%-d %B %Y"))
        } else {
            String::new()
        };
        push(
            k.held_on,
            "Conference",
            format!("{what}: {result}{late}"),
            Source::created(k.id),
        );
    }
    for p in &cp.cp_plans {
        for g in &p.core_groups {
            push(
                g.held_on,
                "Core group",
                format!("Core group: {}", g.notes),
                None,
            );
        }
        if let Some(end) = p.ended_on {
            push(
                end,
                "Child protection plan",
                format!("Child protection plan ended: {}", p.end_reason),
                None,
            );
        }
    }
    out.sort_by(|a, b| b.date.cmp(&a.date).then(b.at.cmp(&a.at)));
}

/// Adds a child's time in care: becoming looked after, changes of legal status and placement,
/// ceasing to be looked after, reviews and missing episodes.
pub(crate) fn add_looked_after(
    out: &mut Vec<ChronologyEntry>,
    la: &domain::looked_after::LookedAfter,
) {
    let mut push = |date: chrono::NaiveDate, summary: String, source: Option<Source>| {
        out.push(ChronologyEntry {
            date,
            at: midnight(date),
            category: "Looked after".into(),
            summary,
            recorded_by: None,
            source,
        })
    };
    for e in &la.episodes {
        let what = match e.reason_new.as_str() {
            "S" => "Started to be looked after",
            "L" => "Legal status changed",
            "P" => "Placement changed",
            "T" => "Legal status and placement changed",
            "B" => "Placement changed (and legal status)",
            "U" => "Legal status and placement changed",
            _ => "New episode",
        };
        use domain::looked_after::{legal_status_label, placement_label, reason_ceased_label};
        // Labels, not codes (a code is shown only where it has no label).
        push(
            e.started_on,
            format!(
                "{what}: {}, {}",
                legal_status_label(&e.legal_status),
                placement_label(&e.placement),
            ),
            if e.reason_new == "S" {
                Source::created(e.period_id)
            } else {
                None
            },
        );
        if let (Some(end), Some(reason)) = (e.ended_on, &e.reason_ceased)
            && reason != "X1"
        {
            push(
                end,
                format!("Ceased to be looked after: {}", reason_ceased_label(reason)),
                None,
            );
        }
    }
    for r in &la.reviews {
        push(
            r.held_on,
            format!(
                "Looked-after review: {}",
                domain::looked_after::reviews::participation()
                    .label(&r.participation)
                    .map(str::to_lowercase)
                    .unwrap_or_else(|| format!("participation {}", r.participation))
            ),
            Source::created(r.id),
        );
    }
    for p in &la.peps {
        push(
            p.reviewed_on,
            "Personal education plan reviewed".into(),
            Source::created(p.id),
        );
    }
    for m in &la.missing {
        let kind = if m.kind == "A" {
            "Away from placement"
        } else {
            "Missing"
        };
        let until = m
            .ended_on
            .map(|e| format!(" until {}", e.format("%-d %B %Y")))
            .unwrap_or_else(|| ", not yet returned".into());
        push(
            m.started_on,
            format!("{kind}{until}"),
            Source::created(m.id),
        );
    }
    out.sort_by(|a, b| b.date.cmp(&a.date).then(b.at.cmp(&a.at)));
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
