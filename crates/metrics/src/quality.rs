//! Indicators 50 and 50a to 50g: case file audits graded good or better (outstanding or good),
//! overall and in each domain of the council's starting template, of the audits recorded in the
//! period (grades as they stand after moderation). From the case record only: no return holds
//! audits. A domain the council has retired or renamed keeps its key, so its figure stays.

use crate::compute::{Outcome, Period, Tally};
use crate::events::Events;

/// The domain each of 50a to 50g counts (`domain::quality::DEFAULT_DOMAINS`, in order).
pub fn domain_of(id: &str) -> Option<&'static str> {
    let letter = id.strip_prefix("50")?.chars().next()?;
    let i = (letter as u32).checked_sub('a' as u32)? as usize;
    domain::quality::DEFAULT_DOMAINS.get(i).map(|(k, _)| *k)
}

pub(crate) fn audits(id: &str, ev: &Events, p: Period) -> Outcome {
    let mut t = Tally::new();
    let in_period = ev.audits.iter().filter(|a| p.contains(a.on));
    if id == "50" {
        for a in in_period {
            t.add(&a.child, a.overall.good_or_better());
        }
        return t.percent("case file audits recorded");
    }
    let Some(domain) = domain_of(id) else {
        return Outcome::Unavailable("not an indicator of case file audits".into());
    };
    for a in in_period {
        for (_, g) in a.grades.iter().filter(|(d, _)| d == domain) {
            t.add(&a.child, g.good_or_better());
        }
    }
    t.percent(&format!(
        "case file audits grading {}",
        domain.replace('_', " ")
    ))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use domain::quality::Grade;

    use crate::catalogue::{Source, find};
    use crate::compute::{Context, Outcome, Period, compute};
    use crate::events::{CaseFileAudit, Events};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn audit(child: &str, on: NaiveDate, overall: Grade, risk: Grade) -> CaseFileAudit {
        CaseFileAudit {
            child: child.into(),
            on,
            overall,
            grades: vec![("risk".into(), risk), ("smart_plans".into(), Grade::Good)],
        }
    }

    #[test]
    fn audits_graded_good_or_better_overall_and_by_domain() {
        let ev = Events {
            sources: [Source::Record].into(),
            audits: vec![
                audit("a", d(2026, 1, 5), Grade::Outstanding, Grade::Inadequate),
                audit("b", d(2026, 2, 5), Grade::Good, Grade::RequiresImprovement),
                audit("c", d(2026, 3, 5), Grade::RequiresImprovement, Grade::Good),
                audit("d", d(2026, 3, 6), Grade::Inadequate, Grade::Inadequate),
                // Outside the period.
                audit("e", d(2025, 12, 31), Grade::Good, Grade::Good),
            ],
            ..Default::default()
        };
        let p = Period::new(d(2026, 1, 1), d(2026, 3, 31));
        let ctx = Context::default();
        let Outcome::Value(f) = compute(find("50").unwrap(), &ev, p, &ctx) else {
            panic!("a figure")
        };
        assert_eq!((f.numerator, f.denominator, f.value), (2.0, 4.0, 50.0));
        assert_eq!(f.children, vec!["a", "b"]);
        assert_eq!(super::domain_of("50f"), Some("risk"));
        let Outcome::Value(risk) = compute(find("50f").unwrap(), &ev, p, &ctx) else {
            panic!("a figure")
        };
        assert_eq!((risk.numerator, risk.denominator), (1.0, 4.0));
        // SMART plans (50c): every audit graded it good.
        assert_eq!(
            compute(find("50c").unwrap(), &ev, p, &ctx).value(),
            Some(100.0)
        );
        // No audit graded the voice of the child: no figure, and why.
        assert!(matches!(
            compute(find("50b").unwrap(), &ev, p, &ctx),
            Outcome::Unavailable(why) if why.contains("no case file audits grading voice of child")
        ));
        // From the record only: a return alone has no audits.
        let returns = Events {
            sources: [Source::Ssda903].into(),
            ..Default::default()
        };
        assert!(matches!(
            compute(find("50").unwrap(), &returns, p, &ctx),
            Outcome::Unavailable(_)
        ));
    }

    #[test]
    fn the_record_extract_carries_the_audits() {
        let x = domain::extract::RecordExtract {
            audits: vec![domain::extract::AuditRow {
                child: uuid::Uuid::from_u128(1),
                audited_on: d(2026, 2, 1),
                overall: Grade::Good,
                grades: vec![("risk".into(), Grade::Inadequate)],
            }],
            ..Default::default()
        };
        let ev = Events::from_record(&x);
        assert_eq!(ev.audits.len(), 1);
        assert_eq!(ev.audits[0].grades[0].1, Grade::Inadequate);
    }
}
