//! A year of case file audits in the synthetic council, for the demo: two auditors (the quality
//! lead, whose account the demo's `auditor` is, and a second auditor who moderates), one
//! programme a quarter over the last twelve months, each a random sample of 20 of the children
//! allocated to a social worker in its quarter (drawn with `domain::quality::draw_sample` from a
//! recorded seed, so the programme's seed draws the same sample again from the record), each
//! case audited in the template's domains with evidence; about a quarter moderated by the other
//! auditor (some grades changed, with a reason), and learning actions for the child's worker on
//! the audits graded below good, most of those already due done.
//!
//! Grades follow a shape an improvement board would recognise: SMART plans mostly below good
//! (a recurring weakness), the voice of the child improving quarter by quarter, the rest mostly
//! good. Everything is drawn from a stream of numbers of its own after the rest of the council,
//! so adding it changes no other record.

use chrono::{Days, Months, TimeZone, Utc};
use domain::access::Role;
use domain::quality::{
    Audit, DEFAULT_DOMAINS, DomainGrade, Grade, GradeChange, LearningAction, Moderation, ScopeKind,
    draw_sample,
};
use store::{BulkProgramme, BulkUser};
use uuid::Uuid;

use crate::{Council, Rng};

/// Cases in each quarter's sample.
pub const SAMPLE: u32 = 20;

fn id(rng: &mut Rng) -> Uuid {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&rng.next_u64().to_le_bytes());
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// The chance a domain is graded good or better in quarter `q` (0 the oldest of four).
fn good_chance(domain: &str, q: usize) -> f64 {
    match domain {
        "smart_plans" => 0.3,
        "voice_of_child" => 0.35 + 0.15 * q as f64,
        "management_oversight" => 0.6,
        _ => 0.72,
    }
}

fn grade(rng: &mut Rng, good: f64) -> Grade {
    if rng.chance(good) {
        if rng.chance(0.15) {
            Grade::Outstanding
        } else {
            Grade::Good
        }
    } else if rng.chance(0.8) {
        Grade::RequiresImprovement
    } else {
        Grade::Inadequate
    }
}

fn evidence(domain: &str, g: Grade) -> String {
    let what = domain::quality::in_sentence(
        DEFAULT_DOMAINS
            .iter()
            .find(|(k, _)| *k == domain)
            .map(|(_, l)| *l)
            .unwrap_or(domain),
    );
    match g {
        Grade::Outstanding => format!("Exemplary {what}: clear in every record read, with impact"),
        Grade::Good => format!("Good {what}, seen in the visits, plans and supervision notes"),
        Grade::RequiresImprovement => {
            format!("Gaps in {what}: some records late or without analysis")
        }
        Grade::Inadequate => format!("Little evidence of {what} in the period audited"),
    }
}

/// One step better or worse, for a moderator's change.
fn step(g: Grade, better: bool) -> Grade {
    let i = Grade::ALL.iter().position(|x| *x == g).unwrap_or(1);
    let j = if better {
        i.saturating_sub(1)
    } else {
        (i + 1).min(3)
    };
    Grade::ALL[j]
}

/// Adds the auditors, programmes and audits to the council's record.
pub fn audits(c: &mut Council) {
    let spec = c.spec.clone();
    let mut rng = Rng::new(spec.seed ^ 0x7175_616c_6974_7921);
    let as_at = spec.as_at;
    let lead = BulkUser {
        id: id(&mut rng),
        username: "auditor".into(),
        display_name: "Aude Quality-Lead".into(),
        role: Role::Auditor,
    };
    let second = BulkUser {
        id: id(&mut rng),
        username: "auditor.second".into(),
        display_name: "Sam Second-Auditor".into(),
        role: Role::Auditor,
    };
    let auditors = [lead.id, second.id];
    let team_of: std::collections::HashMap<Uuid, Option<Uuid>> =
        c.record.workers.iter().map(|w| (w.id, w.team_id)).collect();
    let mut programmes = Vec::new();
    let mut audits = Vec::new();
    for q in 0..4usize {
        // Four quarters ending at `as_at`, the oldest first.
        let end = as_at - Months::new(3 * (3 - q as u32));
        let start = end - Months::new(3) + Days::new(1);
        // The cases the service scope holds in the quarter, as the store reads them.
        let open: Vec<&domain::person::Allocation> = c
            .record
            .allocations
            .iter()
            .filter(|a| a.from <= end && a.to.is_none_or(|t| t >= start))
            .collect();
        let eligible: Vec<Uuid> = open.iter().map(|a| a.child_id).collect();
        let seed = rng.next_u64() & ((1 << 53) - 1);
        let sample = draw_sample(&eligible, SAMPLE, seed);
        let pid = id(&mut rng);
        let created = Utc
            .from_local_datetime(&start.and_hms_opt(9, 0, 0).expect("nine"))
            .single()
            .expect("UTC");
        // The case's auditor in turn (auditors hold and manage no cases).
        let sample: Vec<(Uuid, Uuid)> = sample
            .iter()
            .enumerate()
            .map(|(i, child)| (*child, auditors[i % 2]))
            .collect();
        let last_day = end.min(as_at);
        for (child, auditor) in &sample {
            let span = (last_day - start).num_days().max(15) as u64;
            let on = (start + Days::new(14 + rng.below(span - 14))).min(as_at);
            // The worker holding the case then, and their team.
            let worker = open
                .iter()
                .filter(|a| a.child_id == *child && a.from <= on && a.to.is_none_or(|t| t >= on))
                .map(|a| a.worker_id)
                .next()
                .or_else(|| {
                    open.iter()
                        .find(|a| a.child_id == *child)
                        .map(|a| a.worker_id)
                });
            let mut grades: Vec<DomainGrade> = DEFAULT_DOMAINS
                .iter()
                .map(|(k, _)| {
                    let g = grade(&mut rng, good_chance(k, q));
                    DomainGrade {
                        domain: k.to_string(),
                        grade: g,
                        evidence: evidence(k, g),
                    }
                })
                .collect();
            // Overall: the middle grade of the domains'.
            let mut sorted: Vec<Grade> = grades.iter().map(|g| g.grade).collect();
            sorted.sort();
            let mut overall = sorted[sorted.len() / 2];
            let aid = id(&mut rng);
            let mut moderations = Vec::new();
            if rng.chance(0.25) {
                let moderator = if *auditor == lead.id {
                    second.id
                } else {
                    lead.id
                };
                let at = Utc
                    .from_local_datetime(
                        &(on + Days::new(3))
                            .min(as_at)
                            .and_hms_opt(15, 0, 0)
                            .expect("three"),
                    )
                    .single()
                    .expect("UTC");
                let mut changes = Vec::new();
                if rng.chance(0.4) {
                    let i = rng.below(grades.len() as u64) as usize;
                    let from = grades[i].grade;
                    let to = step(from, rng.chance(0.3));
                    if to != from {
                        grades[i].grade = to;
                        changes.push(GradeChange {
                            domain: grades[i].domain.clone(),
                            from,
                            to,
                        });
                    }
                    let mut again: Vec<Grade> = grades.iter().map(|g| g.grade).collect();
                    again.sort();
                    let now = again[again.len() / 2];
                    if now != overall {
                        changes.push(GradeChange {
                            domain: "overall".into(),
                            from: overall,
                            to: now,
                        });
                        overall = now;
                    }
                }
                moderations.push(Moderation {
                    id: id(&mut rng),
                    moderator_id: moderator,
                    agreed: changes.is_empty(),
                    reason: if changes.is_empty() {
                        String::new()
                    } else {
                        "Read the record again with the auditor: the evidence supports a different grade".into()
                    },
                    changes,
                    at,
                });
            }
            let mut actions = Vec::new();
            if let (Some(owner), false) = (worker, overall.good_or_better()) {
                let due_on = on + Days::new(28 + rng.below(29));
                let done_on = (due_on <= as_at && rng.chance(0.8))
                    .then(|| (due_on - Days::new(rng.below(10))).max(on).min(as_at));
                let weakest = grades
                    .iter()
                    .max_by_key(|g| g.grade)
                    .map(|g| domain::quality::in_sentence(&evidence_label(&g.domain)))
                    .unwrap_or_default();
                actions.push(LearningAction {
                    id: id(&mut rng),
                    audit_id: aid,
                    child_id: *child,
                    action: format!("Discuss {weakest} in supervision and update the plan"),
                    owner_worker_id: owner,
                    due_on,
                    done_on,
                });
            }
            audits.push(Audit {
                id: aid,
                programme_id: pid,
                child_id: *child,
                auditor_id: *auditor,
                grades,
                overall,
                worker_conversation:
                    "Discussed the findings with the worker, who agreed them and the next steps"
                        .into(),
                family_views: if rng.chance(0.4) {
                    "The parent said the worker listened and visits were regular".into()
                } else {
                    String::new()
                },
                audited_on: on,
                team_id: worker.and_then(|w| team_of.get(&w).copied().flatten()),
                moderations,
                actions,
            });
        }
        programmes.push(BulkProgramme {
            id: pid,
            theme: format!(
                "Quarterly case file audit, {}",
                domain::quality::Quarter::of(end).label()
            ),
            scope: ScopeKind::Service,
            team_id: None,
            period_start: start,
            period_end: end,
            seed: Some(seed),
            size: Some(SAMPLE),
            auditors: auditors.to_vec(),
            sample,
            created_by: lead.id,
            created_at: created,
        });
    }
    c.record.users.extend([lead, second]);
    c.record.audit_programmes = programmes;
    c.record.audits = audits;
}

fn evidence_label(domain: &str) -> String {
    DEFAULT_DOMAINS
        .iter()
        .find(|(k, _)| *k == domain)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| domain.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_year_of_audits_quarterly_from_recorded_seeds() {
        let spec = crate::Spec::demo(800, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        let c = crate::generate(&spec);
        let r = &c.record;
        assert_eq!(r.audit_programmes.len(), 4);
        assert_eq!(r.users.len(), 2);
        assert!(
            r.audit_programmes
                .iter()
                .all(|p| p.sample.len() == SAMPLE as usize)
        );
        assert_eq!(r.audits.len(), 4 * SAMPLE as usize);
        // Each sample is the one its seed draws from the cases the scope holds.
        for p in &r.audit_programmes {
            let eligible: Vec<Uuid> = r
                .allocations
                .iter()
                .filter(|a| a.from <= p.period_end && a.to.is_none_or(|t| t >= p.period_start))
                .map(|a| a.child_id)
                .collect();
            let drawn = draw_sample(&eligible, SAMPLE, p.seed.unwrap());
            assert_eq!(drawn, p.sample.iter().map(|(c, _)| *c).collect::<Vec<_>>());
        }
        // Every audit within the year, graded in every domain; some moderated with changes;
        // learning actions, some done.
        let year_ago = spec.as_at - Months::new(12);
        assert!(
            r.audits
                .iter()
                .all(|a| a.audited_on > year_ago && a.audited_on <= spec.as_at)
        );
        assert!(
            r.audits
                .iter()
                .all(|a| a.grades.len() == DEFAULT_DOMAINS.len())
        );
        assert!(
            r.audits
                .iter()
                .any(|a| a.moderations.iter().any(|m| !m.changes.is_empty()))
        );
        assert!(
            r.audits
                .iter()
                .any(|a| a.moderations.iter().any(|m| m.agreed))
        );
        let actions: Vec<&LearningAction> = r.audits.iter().flat_map(|a| &a.actions).collect();
        assert!(actions.iter().any(|x| x.done_on.is_some()));
        assert!(actions.iter().all(|x| {
            x.due_on
                >= r.audits
                    .iter()
                    .find(|a| a.id == x.audit_id)
                    .unwrap()
                    .audited_on
        }));
        // SMART plans a recurring weakness across the year.
        let w = domain::quality::recurring_weaknesses(
            &r.audits,
            spec.as_at - Months::new(12) + Days::new(1),
            spec.as_at,
        );
        assert!(
            w.iter()
                .any(|w| w.domain == "smart_plans" && w.team_id.is_none()),
            "{w:?}"
        );
        // Same seed, same audits.
        let again = crate::generate(&spec);
        assert_eq!(
            format!("{:?}", again.record.audits),
            format!("{:?}", r.audits)
        );
    }
}
