//! ChAT-style timeliness of the Annex A lists: front-door decisions, assessments, initial
//! conferences, child protection and looked-after reviews, and visits to children on a plan or
//! in care, each against its timescale over the lists' 6-month window, with the children out of
//! time (for managers' drill-down).

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use super::record::AnnexARecord;
use crate::timescales;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Measure {
    pub key: &'static str,
    pub name: &'static str,
    /// The Annex A list it reads.
    pub list: u8,
    /// The timescale, in words.
    pub standard: String,
    /// How many were due in the window (or are overdue at its end).
    pub due: usize,
    pub in_time: usize,
    /// The children with something out of time, sorted.
    pub late: Vec<Uuid>,
    /// How many were out of time (a child can be late more than once).
    pub late_count: usize,
}

impl Measure {
    pub fn percent(&self) -> Option<f64> {
        (self.due > 0).then(|| 100.0 * self.in_time as f64 / self.due as f64)
    }
}

struct Tally {
    due: usize,
    in_time: usize,
    late: BTreeSet<Uuid>,
    late_count: usize,
}

impl Tally {
    fn new() -> Self {
        Tally {
            due: 0,
            in_time: 0,
            late: BTreeSet::new(),
            late_count: 0,
        }
    }
    fn add(&mut self, child: Uuid, on_time: bool) {
        self.due += 1;
        if on_time {
            self.in_time += 1;
        } else {
            self.late.insert(child);
            self.late_count += 1;
        }
    }
    fn measure(self, key: &'static str, name: &'static str, list: u8, standard: String) -> Measure {
        Measure {
            key,
            name,
            list,
            standard,
            due: self.due,
            in_time: self.in_time,
            late: self.late.into_iter().collect(),
            late_count: self.late_count,
        }
    }
}

/// Whether something due on `due` was done in time: done by then, or (not done) not yet due.
/// `None` when it does not count: not done and not yet due, or due outside the window.
fn judged(
    due: NaiveDate,
    done: Option<NaiveDate>,
    from: NaiveDate,
    as_at: NaiveDate,
) -> Option<bool> {
    let done = done.filter(|d| *d <= as_at);
    if due < from && done.is_some_and(|d| d < from) {
        return None;
    }
    match done {
        Some(d) => Some(d <= due),
        None if due < as_at => Some(false),
        None => None,
    }
}

/// Every review due in a run: the first due from `first_due`, each later one `then` months after
/// the one before (`then(previous)`); judged over the window.
fn reviews(
    t: &mut Tally,
    child: Uuid,
    first_due: NaiveDate,
    mut held: Vec<NaiveDate>,
    then: impl Fn(NaiveDate, usize) -> NaiveDate,
    end: Option<NaiveDate>,
    from: NaiveDate,
    as_at: NaiveDate,
) {
    held.sort();
    let stop = end.unwrap_or(as_at).min(as_at);
    let mut due = first_due;
    let mut n = 0;
    while due <= stop {
        let done = held.get(n).copied();
        if let Some(ok) = judged(due, done, from, as_at) {
            t.add(child, ok);
        }
        match done.filter(|d| *d <= as_at) {
            Some(d) => {
                n += 1;
                due = then(d, n);
            }
            None => break,
        }
    }
}

/// Each measure as at `as_at` over the 6 months from `from`; `cp_visit_days` is the council's
/// visiting standard for children on a plan, in working days.
pub fn measures(
    rec: &AnnexARecord,
    from: NaiveDate,
    as_at: NaiveDate,
    cp_visit_days: u32,
) -> Vec<Measure> {
    let mut out = Vec::new();

    let mut t = Tally::new();
    for d in rec
        .decisions
        .iter()
        .filter(|d| d.received >= from && d.received <= as_at)
    {
        if let Some(ok) = judged(d.due, d.decided, from, as_at) {
            for c in &d.children {
                t.add(*c, ok);
            }
        }
    }
    out.push(t.measure(
        "decisions",
        "Front-door decisions",
        1,
        "By the end of the working day after the contact".into(),
    ));

    let referral_date: HashMap<Uuid, NaiveDate> =
        rec.referrals.iter().map(|r| (r.id, r.date)).collect();
    let mut t = Tally::new();
    for a in rec.assessments.iter().filter(|a| a.started <= as_at) {
        let start = referral_date.get(&a.referral).copied().unwrap_or(a.started);
        if let Ok(due) = timescales::assessment_due(start) {
            if due >= from {
                if let Some(ok) = judged(due, a.authorised, from, as_at) {
                    t.add(a.child, ok);
                }
            }
        }
    }
    out.push(t.measure(
        "assessments",
        "Assessments",
        4,
        "Authorised within 45 working days of the referral".into(),
    ));

    let mut t = Tally::new();
    for s in rec
        .s47s
        .iter()
        .filter(|s| s.strategy >= from && s.strategy <= as_at)
    {
        // Enquiries that concluded with no conference have none to be late.
        let wants =
            s.icpc.is_some() || s.completed.is_none() || s.outcome.as_deref() == Some("icpc");
        if !wants {
            continue;
        }
        if let Ok(due) = timescales::initial_conference_due(s.strategy) {
            if let Some(ok) = judged(due, s.icpc.map(|i| i.0), from, as_at) {
                t.add(s.child, ok);
            }
        }
    }
    out.push(t.measure(
        "conferences",
        "Initial child protection conferences",
        5,
        "Within 15 working days of the strategy discussion".into(),
    ));

    let mut t = Tally::new();
    for p in rec
        .cp_plans
        .iter()
        .filter(|p| p.started <= as_at && p.ended.is_none_or(|e| e >= from))
    {
        reviews(
            &mut t,
            p.child,
            timescales::first_cp_review_due(p.started),
            p.reviews.clone(),
            |d, _| timescales::next_cp_review_due(d),
            p.ended,
            from,
            as_at,
        );
    }
    out.push(t.measure(
        "cp_reviews",
        "Child protection review conferences",
        7,
        "Within 3 months of the initial conference, then every 6 months".into(),
    ));

    let mut held: HashMap<Uuid, Vec<NaiveDate>> = HashMap::new();
    for (c, d) in &rec.cla_reviews {
        held.entry(*c).or_default().push(*d);
    }
    let mut t = Tally::new();
    for (child, started, ended, _) in rec
        .cla_periods
        .iter()
        .filter(|p| p.1 <= as_at && p.2.is_none_or(|e| e >= from))
    {
        let theirs: Vec<NaiveDate> = held
            .get(child)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|d| *d >= *started && ended.is_none_or(|e| *d <= e))
                    .collect()
            })
            .unwrap_or_default();
        if let Ok(first) = timescales::cla_review_due(*started, None) {
            reviews(
                &mut t,
                *child,
                first,
                theirs,
                |d, n| timescales::months_after(d, if n == 1 { 3 } else { 6 }),
                *ended,
                from,
                as_at,
            );
        }
    }
    out.push(t.measure(
        "cla_reviews",
        "Looked-after reviews",
        8,
        "Within 20 working days of coming into care, 3 months later, then every 6 months".into(),
    ));

    // Visits: seen within the standard before the day, for each child on a plan (or in care)
    // on the day.
    let mut seen: HashMap<Uuid, Vec<NaiveDate>> = HashMap::new();
    for (c, d, child_seen, _) in &rec.visits {
        if *child_seen && *d <= as_at {
            seen.entry(*c).or_default().push(*d);
        }
    }
    let last_seen = |c: &Uuid| seen.get(c).and_then(|v| v.iter().max().copied());
    let calendar = crate::calendar::Calendar::england();
    let mut t = Tally::new();
    let on_plan: BTreeSet<Uuid> = rec
        .cp_plans
        .iter()
        .filter(|p| p.started <= as_at && p.ended.is_none_or(|e| e > as_at))
        .map(|p| p.child)
        .collect();
    for c in &on_plan {
        let started = rec
            .cp_plans
            .iter()
            .filter(|p| p.child == *c && p.started <= as_at)
            .map(|p| p.started)
            .max();
        let ok = match (last_seen(c).or(started), started) {
            (Some(last), _) => calendar
                .add_working_days(last, cp_visit_days)
                .map(|due| due >= as_at)
                .unwrap_or(false),
            _ => false,
        };
        t.add(*c, ok);
    }
    out.push(t.measure(
        "cp_visits",
        "Visits to children on a child protection plan",
        7,
        format!("Seen at least every {cp_visit_days} working days (the council's standard)"),
    ));

    let mut t = Tally::new();
    let in_care: BTreeSet<(Uuid, NaiveDate)> = rec
        .cla_periods
        .iter()
        .filter(|p| p.1 <= as_at && p.2.is_none_or(|e| e > as_at))
        .map(|p| (p.0, p.1))
        .collect();
    for (c, started) in &in_care {
        let last = last_seen(c).filter(|d| d >= started).unwrap_or(*started);
        t.add(*c, (as_at - last).num_days() <= 42);
    }
    out.push(t.measure(
        "cla_visits",
        "Visits to children in care",
        8,
        "Seen at least every 6 weeks".into(),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn each_timescale_counts_in_time_and_late_with_the_children_out_of_time() {
        let rec = super::super::tests::record();
        let as_at = d(2026, 12, 1);
        let m = measures(&rec, d(2026, 6, 2), as_at, 10);
        let get = |k: &str| m.iter().find(|x| x.key == k).unwrap();
        // The decision was a day late.
        let dec = get("decisions");
        assert_eq!(
            (dec.due, dec.in_time, dec.late.clone()),
            (1, 0, vec![Uuid::from_u128(1)])
        );
        // The assessment was authorised 21 July, well within 45 working days of 1 July.
        assert_eq!((get("assessments").due, get("assessments").in_time), (1, 1));
        // The conference was held 10 August, 13 working days after the 22 July strategy.
        assert_eq!(get("conferences").in_time, 1);
        // The plan (10 August to 1 October) had its review on 20 September: in time.
        assert_eq!(
            (get("cp_reviews").due, get("cp_reviews").in_time),
            (0, 0),
            "none due before it ended"
        );
        // In care from 1 October: the first review was due within 20 working days (29 October):
        // held 20 October; the second within 3 months of it (20 January) is not yet due.
        assert_eq!((get("cla_reviews").due, get("cla_reviews").in_time), (1, 1));
        // A was last seen on 1 September: in care since 1 October, so not seen for 61 days.
        let v = get("cla_visits");
        assert_eq!(
            (v.due, v.in_time, v.late.clone()),
            (1, 0, vec![Uuid::from_u128(1)])
        );
        assert_eq!(v.percent(), Some(0.0));
    }

    #[test]
    fn a_late_review_and_a_missing_one_are_out_of_time() {
        let mut rec = super::super::tests::record();
        rec.cp_plans[0].ended = None;
        rec.cp_plans[0].reviews = vec![d(2026, 11, 20)]; // due by 10 November
        let m = measures(&rec, d(2026, 6, 2), d(2026, 12, 1), 10);
        let r = m.iter().find(|x| x.key == "cp_reviews").unwrap();
        assert_eq!((r.due, r.in_time, r.late_count), (1, 0, 1));
        rec.cp_plans[0].reviews = vec![];
        let m = measures(&rec, d(2026, 6, 2), d(2026, 12, 1), 10);
        let r = m.iter().find(|x| x.key == "cp_reviews").unwrap();
        assert_eq!((r.due, r.in_time), (1, 0), "overdue and not held");
    }
}
