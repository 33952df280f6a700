//! Each indicator of the catalogue computed from [`Events`] for a period: the numerator, the
//! denominator, the value, and the children behind the numerator (for drill-down). An indicator
//! whose data no loaded source holds says so instead of showing a number.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use domain::calendar::Calendar;
use serde::Serialize;

use crate::catalogue::Indicator;
use crate::events::{Episode, Events};

/// A period: both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Period {
        Period { from, to }
    }
    pub fn contains(&self, d: NaiveDate) -> bool {
        d >= self.from && d <= self.to
    }
    /// The 12 months ending on `to`.
    pub fn rolling_year(to: NaiveDate) -> Period {
        let from = to
            .checked_sub_months(Months::new(12))
            .and_then(|d| d.succ_opt())
            .unwrap_or(to);
        Period { from, to }
    }
    /// "2025-04..2026-03" (whole months) or "2025-04-01..2026-03-31".
    pub fn parse(s: &str) -> Result<Period, String> {
        let (a, b) = s.split_once("..").ok_or_else(|| {
            format!("{s:?}: write a period as 2025-04..2026-03 or 2025-04-01..2026-03-31")
        })?;
        let day = |v: &str, end: bool| -> Result<NaiveDate, String> {
            if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                return Ok(d);
            }
            let first = NaiveDate::parse_from_str(&format!("{v}-01"), "%Y-%m-%d")
                .map_err(|_| format!("{v:?} is not a month (YYYY-MM) or a date (YYYY-MM-DD)"))?;
            Ok(if end {
                first
                    .checked_add_months(Months::new(1))
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(first)
            } else {
                first
            })
        };
        let p = Period {
            from: day(a.trim(), false)?,
            to: day(b.trim(), true)?,
        };
        if p.from > p.to {
            return Err(format!("{s:?}: the period ends before it starts"));
        }
        Ok(p)
    }
}

/// What the report needs besides the events.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Context {
    /// Children aged 0-17 in the area (mid-year estimate), for rates per 10,000.
    pub population: Option<f64>,
    /// The council's visiting standard for children on a plan, in working days.
    pub cp_visit_days: u32,
}

impl Default for Context {
    fn default() -> Self {
        Context {
            population: None,
            cp_visit_days: 10,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub numerator: f64,
    pub denominator: f64,
    pub value: f64,
    /// The children behind the numerator, sorted.
    pub children: Vec<String>,
}

impl Figure {
    /// Made from a count of 1 to 5 (see [`crate::report::suppress_small_numbers`]).
    pub fn is_small(&self) -> bool {
        crate::report::is_small_number(self.numerator)
            || crate::report::is_small_number(self.denominator)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Value(Figure),
    /// Why there is no figure: the data is not held, or the denominator is empty.
    Unavailable(String),
}

impl Outcome {
    pub fn value(&self) -> Option<f64> {
        match self {
            Outcome::Value(f) => Some(f.value),
            Outcome::Unavailable(_) => None,
        }
    }
}

fn wd_within(start: NaiveDate, end: NaiveDate, days: u32) -> bool {
    match Calendar::england().add_working_days(start, days) {
        Ok(due) => end <= due,
        // Outside the calendar's years: count calendar days at 7/5 of the working days.
        Err(_) => (end - start).num_days() <= i64::from(days) * 7 / 5,
    }
}

fn years(d: NaiveDate, on: NaiveDate) -> i32 {
    on.years_since(d).map(|y| y as i32).unwrap_or(-1)
}

pub(crate) struct Tally {
    num: f64,
    den: f64,
    children: BTreeSet<String>,
}

impl Tally {
    pub(crate) fn new() -> Self {
        Tally {
            num: 0.0,
            den: 0.0,
            children: BTreeSet::new(),
        }
    }
    pub(crate) fn add(&mut self, child: &str, counts: bool) {
        self.den += 1.0;
        if counts {
            self.num += 1.0;
            self.children.insert(child.to_string());
        }
    }
    pub(crate) fn percent(self, what: &str) -> Outcome {
        if self.den == 0.0 {
            return Outcome::Unavailable(format!("no {what} in the period"));
        }
        Outcome::Value(Figure {
            value: 100.0 * self.num / self.den,
            numerator: self.num,
            denominator: self.den,
            children: self.children.into_iter().collect(),
        })
    }
}

fn rate(children: Vec<String>, count: usize, ctx: &Context) -> Outcome {
    match ctx.population {
        Some(p) if p > 0.0 => Outcome::Value(Figure {
            numerator: count as f64,
            denominator: p,
            value: count as f64 * 10_000.0 / p,
            children: {
                let mut c: Vec<String> = children
                    .into_iter()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                c.dedup();
                c
            },
        }),
        _ => Outcome::Unavailable(
            "needs the area's population aged 0-17 (set it with --population)".into(),
        ),
    }
}

fn ratio(sum: f64, n: f64, children: BTreeSet<String>, what: &str) -> Outcome {
    if n == 0.0 {
        return Outcome::Unavailable(format!("no {what} in the period"));
    }
    Outcome::Value(Figure {
        numerator: sum,
        denominator: n,
        value: sum / n,
        children: children.into_iter().collect(),
    })
}

/// Open at `d`: started on or before, not ended before.
fn open_at(start: NaiveDate, end: Option<NaiveDate>, d: NaiveDate) -> bool {
    start <= d && end.is_none_or(|e| e > d)
}

/// Episodes of children looked after at `d` (excluding short breaks), by child.
fn cla_at(ev: &Events, d: NaiveDate) -> HashMap<&str, &Episode> {
    let mut m = HashMap::new();
    for e in &ev.episodes {
        if open_at(e.start, e.end, d) && !matches!(e.ls.as_str(), "V3" | "V4") {
            m.insert(e.child.as_str(), e);
        }
    }
    m
}

/// Each child's episodes, oldest first.
fn episodes_by_child(ev: &Events) -> HashMap<&str, Vec<&Episode>> {
    let mut m: HashMap<&str, Vec<&Episode>> = HashMap::new();
    for e in &ev.episodes {
        m.entry(e.child.as_str()).or_default().push(e);
    }
    for v in m.values_mut() {
        v.sort_by_key(|e| e.start);
    }
    m
}

const NEW_PLACEMENT: &[&str] = &["S", "P", "B", "T", "U"];

/// Computes one indicator for a period.
pub fn compute(ind: &Indicator, ev: &Events, p: Period, ctx: &Context) -> Outcome {
    if ind.data.is_empty() {
        return Outcome::Unavailable(format!(
            "no source Hearth holds has this data ({})",
            ind.source
        ));
    }
    if ind.id.starts_with("43") && !ev.sources.contains(&crate::catalogue::Source::Record) {
        return Outcome::Unavailable(
            "private fostering is in no statutory return (the DfE collection stopped in 2016): it comes from the case record"
                .into(),
        );
    }
    if !ind.data.iter().any(|s| ev.sources.contains(s)) {
        let wanted: Vec<&str> = ind.data.iter().map(|s| s.label()).collect();
        return Outcome::Unavailable(format!("needs {}", wanted.join(" or ")));
    }
    let end = p.to;
    match ind.id.as_str() {
        "1" => {
            let c: Vec<&_> = ev.contacts.iter().filter(|c| p.contains(c.received.date())).collect();
            rate(c.iter().flat_map(|c| c.children.clone()).collect(), c.len(), ctx)
        }
        "2" => {
            let mut t = Tally::new();
            for c in ev.contacts.iter().filter(|c| p.contains(c.received.date())) {
                // Contacts still waiting count once their decision is overdue.
                if c.decided.is_none() && c.due >= end {
                    continue;
                }
                let ok = c.decided.is_some_and(|d| d.date() <= c.due);
                t.add(c.children.first().map_or("", |s| s.as_str()), ok);
            }
            t.percent("contacts due for a decision")
        }
        "3" => {
            let mut t = Tally::new();
            for c in ev.contacts.iter().filter(|c| c.decided.is_some_and(|d| p.contains(d.date()))) {
                let referred = matches!(c.outcome.as_deref(), Some("referral" | "strategy"));
                t.add(c.children.first().map_or("", |s| s.as_str()), referred);
            }
            t.percent("contacts decided")
        }
        "4" => {
            let e: Vec<String> = ev.early_help.iter().filter(|(_, d)| p.contains(*d)).map(|(c, _)| c.clone()).collect();
            let n = e.len();
            rate(e, n, ctx)
        }
        "5" => {
            let r: Vec<String> = ev.referrals.iter().filter(|r| p.contains(r.date)).map(|r| r.child.clone()).collect();
            let n = r.len();
            rate(r, n, ctx)
        }
        "6" => {
            let mut by_child: HashMap<&str, Vec<NaiveDate>> = HashMap::new();
            for r in &ev.referrals {
                by_child.entry(r.child.as_str()).or_default().push(r.date);
            }
            let mut t = Tally::new();
            for r in ev.referrals.iter().filter(|r| p.contains(r.date)) {
                let previous = by_child[r.child.as_str()].iter().filter(|d| **d < r.date).max().copied();
                t.add(&r.child, domain::front_door::is_re_referral(r.date, previous));
            }
            t.percent("referrals")
        }
        "7" => {
            let mut t = Tally::new();
            for r in ev.referrals.iter().filter(|r| p.contains(r.date)) {
                t.add(&r.child, r.nfa);
            }
            t.percent("referrals")
        }
        "8" => {
            let mut t = Tally::new();
            for r in ev.referrals.iter().filter(|r| p.contains(r.date)) {
                t.add(&r.child, matches!(r.closure_reason.as_deref(), Some("RC8" | "RC9")));
            }
            t.percent("referrals")
        }
        "9" => {
            let mut t = Tally::new();
            for a in &ev.assessments {
                if let Some(done) = a.authorised.filter(|d| p.contains(*d)) {
                    t.add(&a.child, wd_within(a.start, done, 45));
                }
            }
            t.percent("assessments completed")
        }
        "10" => {
            let c: BTreeSet<String> = ev.referrals.iter().filter(|r| open_at(r.date, r.closed, end)).map(|r| r.child.clone()).collect();
            let n = c.len();
            rate(c.into_iter().collect(), n, ctx)
        }
        "11" => {
            let s: Vec<String> = ev.s47s.iter().filter(|s| p.contains(s.start)).map(|s| s.child.clone()).collect();
            let n = s.len();
            rate(s, n, ctx)
        }
        "12" => {
            let started = ev.s47s.iter().filter(|s| p.contains(s.start)).count() as f64;
            let icpcs: Vec<&_> = ev.s47s.iter().filter(|s| s.icpc.is_some_and(|d| p.contains(d))).collect();
            ratio(100.0 * icpcs.len() as f64, started, icpcs.iter().map(|s| s.child.clone()).collect(), "section 47 enquiries")
                .with_numerator(icpcs.len() as f64)
        }
        "13" => {
            let mut t = Tally::new();
            for s in &ev.s47s {
                if let Some(icpc) = s.icpc.filter(|d| p.contains(*d)) {
                    t.add(&s.child, wd_within(s.start, icpc, 15));
                }
            }
            t.percent("initial conferences")
        }
        "14" => {
            let icpcs = ev.s47s.iter().filter(|s| s.icpc.is_some_and(|d| p.contains(d))).count() as f64;
            let plans: Vec<&_> = ev.cp_plans.iter().filter(|c| p.contains(c.start)).collect();
            ratio(100.0 * plans.len() as f64, icpcs, plans.iter().map(|c| c.child.clone()).collect(), "initial conferences")
                .with_numerator(plans.len() as f64)
        }
        "15" => {
            let c: Vec<String> = ev.cp_plans.iter().filter(|c| p.contains(c.start)).map(|c| c.child.clone()).collect();
            let n = c.len();
            rate(c, n, ctx)
        }
        "16" => {
            let c: Vec<String> = ev.cp_plans.iter().filter(|c| open_at(c.start, c.end, end)).map(|c| c.child.clone()).collect();
            let n = c.len();
            rate(c, n, ctx)
        }
        "17" => {
            let mut t = Tally::new();
            for c in ev.cp_plans.iter().filter(|c| p.contains(c.start)) {
                t.add(&c.child, c.initial_category == "NEG");
            }
            t.percent("plans started")
        }
        "18" => {
            let mut first: HashMap<&str, NaiveDate> = HashMap::new();
            for c in &ev.cp_plans {
                let e = first.entry(c.child.as_str()).or_insert(c.start);
                *e = (*e).min(c.start);
            }
            let mut t = Tally::new();
            for c in ev.cp_plans.iter().filter(|c| p.contains(c.start)) {
                let earlier = c.repeat || first[c.child.as_str()] < c.start;
                t.add(&c.child, earlier);
            }
            t.percent("plans started")
        }
        "19" => {
            let two_years_before = end.checked_sub_months(Months::new(24)).unwrap_or(end);
            let mut t = Tally::new();
            for c in ev.cp_plans.iter().filter(|c| open_at(c.start, c.end, end)) {
                t.add(&c.child, c.start <= two_years_before);
            }
            t.percent("open plans")
        }
        "19b" => {
            let mut t = Tally::new();
            for c in &ev.cp_plans {
                if let Some(e) = c.end.filter(|e| p.contains(*e)) {
                    t.add(&c.child, c.start.checked_add_months(Months::new(24)).is_some_and(|two| e >= two));
                }
            }
            t.percent("plans ended")
        }
        "20" => {
            let three_months_before = end.checked_sub_months(Months::new(3)).unwrap_or(end);
            let mut t = Tally::new();
            for c in ev.cp_plans.iter().filter(|c| open_at(c.start, c.end, end) && c.start <= three_months_before) {
                let mut due = domain::timescales::first_cp_review_due(c.start);
                let mut ok = true;
                for r in &c.reviews {
                    if *r > due {
                        ok = false;
                    }
                    due = domain::timescales::next_cp_review_due(*r);
                }
                if due < end {
                    ok = false;
                }
                t.add(&c.child, ok);
            }
            t.percent("children on a plan for 3 months or more")
        }
        "21" => {
            let mut last: HashMap<&str, NaiveDate> = HashMap::new();
            for (c, d) in &ev.visits {
                if *d <= end {
                    let e = last.entry(c.as_str()).or_insert(*d);
                    *e = (*e).max(*d);
                }
            }
            let mut t = Tally::new();
            for c in ev.cp_plans.iter().filter(|c| open_at(c.start, c.end, end)) {
                let from = last.get(c.child.as_str()).copied().unwrap_or(c.start).max(c.start);
                t.add(&c.child, wd_within(from, end, ctx.cp_visit_days));
            }
            t.percent("children on a plan")
        }
        "22" => {
            let c: Vec<String> = cla_at(ev, end).keys().map(|k| k.to_string()).collect();
            let n = c.len();
            rate(c, n, ctx)
        }
        "23" => {
            let c: Vec<String> = ev.episodes.iter().filter(|e| e.rne == "S" && p.contains(e.start)).map(|e| e.child.clone()).collect();
            let n = c.len();
            rate(c, n, ctx)
        }
        "24" => {
            let year = Period::rolling_year(end);
            let by_child = episodes_by_child(ev);
            let mut t = Tally::new();
            for child in cla_at(ev, end).keys() {
                let eps = by_child[child].iter().filter(|e| e.start <= end && e.end.is_none_or(|x| x >= year.from));
                let mut placements = 0;
                for (i, e) in eps.enumerate() {
                    // The placement held at the start of the year counts, and every new one after.
                    if i == 0 || (NEW_PLACEMENT.contains(&e.rne.as_str()) && year.contains(e.start)) {
                        placements += 1;
                    }
                }
                t.add(child, placements >= 3);
            }
            t.percent("children looked after")
        }
        "25" => {
            let mut t = Tally::new();
            let before = |m: u32| end.checked_sub_months(Months::new(m)).unwrap_or(end);
            let by_child = episodes_by_child(ev);
            for (child, _) in cla_at(ev, end) {
                let Some(dob) = ev.dob.get(child) else { continue };
                if years(*dob, end) >= 16 {
                    continue;
                }
                let eps: Vec<&Episode> = by_child[child].iter().copied().filter(|e| e.start <= end).collect();
                // The period of care: back from now while each episode follows the one before.
                let mut start = eps.last().map(|e| e.start).unwrap_or(end);
                let mut placement_start = start;
                let mut placement_found = false;
                for e in eps.iter().rev() {
                    if e.end.is_some_and(|x| x < start) {
                        break;
                    }
                    start = e.start;
                    if !placement_found {
                        placement_start = e.start;
                        if NEW_PLACEMENT.contains(&e.rne.as_str()) {
                            placement_found = true;
                        }
                    }
                }
                if start > before(30) {
                    continue;
                }
                t.add(child, placement_start <= before(24));
            }
            t.percent("children under 16 looked after for 2.5 years or more")
        }
        "27" => {
            let mut t = Tally::new();
            for (child, e) in cla_at(ev, end) {
                t.add(child, e.place.starts_with('U'));
            }
            t.percent("children looked after")
        }
        "28" => {
            let mut t = Tally::new();
            let in_care: BTreeSet<&str> = ev.episodes.iter().filter(|e| e.start <= end && e.end.is_none_or(|x| x >= p.from)).map(|e| e.child.as_str()).collect();
            let went_missing: std::collections::HashSet<&str> = ev.missing.iter().filter(|(_, d)| p.contains(*d)).map(|(c, _)| c.as_str()).collect();
            for child in in_care {
                t.add(child, went_missing.contains(child));
            }
            t.percent("children looked after")
        }
        "29" => {
            let year = Period::rolling_year(end);
            let mut workers: HashMap<&str, BTreeSet<&str>> = HashMap::new();
            for (c, w, from, to) in &ev.social_workers {
                if *from <= year.to && to.is_none_or(|x| x >= year.from) {
                    workers.entry(c.as_str()).or_default().insert(w.as_str());
                }
            }
            let mut t = Tally::new();
            for child in cla_at(ev, end).keys() {
                t.add(child, workers.get(child).is_some_and(|w| w.len() >= 3));
            }
            t.percent("children looked after")
        }
        "31" | "32" | "33" | "34" | "35" => {
            // The cohort at the latest 31 March within the period.
            let Some(oc_end) = ev.oc2.iter().map(|o| o.year_end).filter(|d| p.contains(*d)).max() else {
                return Outcome::Unavailable(
                    "no cohort of children looked after for 12 months at a 31 March within the period".into(),
                );
            };
            let mut t = Tally::new();
            let (mut sum, mut n, mut kids) = (0.0, 0.0, BTreeSet::new());
            for o in ev.oc2.iter().filter(|o| o.year_end == oc_end) {
                match ind.id.as_str() {
                    "31" => t.add(&o.child, o.health_assessment),
                    "32" => t.add(&o.child, o.teeth),
                    "33" => t.add(&o.child, o.immunisations),
                    "34" => {
                        if o.dob.is_some_and(|d| (5..=16).contains(&years(d, oc_end))) {
                            t.add(&o.child, o.sdq.is_some());
                        }
                    }
                    _ => {
                        if let Some(s) = o.sdq {
                            sum += f64::from(s);
                            n += 1.0;
                            kids.insert(o.child.clone());
                        }
                    }
                }
            }
            if ind.id == "35" {
                ratio(sum, n, kids, "SDQ scores")
            } else {
                t.percent("children in the OC2 cohort")
            }
        }
        "37" | "38" | "39" | "40" => {
            let Some(oc_end) = ev.oc3.iter().map(|o| o.year_end).filter(|d| p.contains(*d)).max() else {
                return Outcome::Unavailable("no care leavers' year ending at a 31 March within the period".into());
            };
            let ages = if matches!(ind.id.as_str(), "37" | "39") { 17..=18 } else { 19..=21 };
            let mut t = Tally::new();
            for o in ev.oc3.iter().filter(|o| o.year_end == oc_end) {
                // Age at the birthday in the collection year.
                let Some(dob) = o.dob else { continue };
                let age = oc_end.year() - dob.year() - i32::from((dob.month(), dob.day()) > (3, 31));
                if !ages.contains(&age) {
                    continue;
                }
                let counts = if matches!(ind.id.as_str(), "37" | "38") {
                    matches!(o.activity.as_str(), "F1" | "P1" | "F2" | "P2" | "F4" | "P4" | "F5" | "P5")
                } else {
                    o.accommodation.len() == 2 && o.accommodation.ends_with('1')
                };
                t.add(&o.child, counts);
            }
            t.percent("care leavers of that age")
        }
        "41" => {
            // Days from the start of the period of care to the decision to place for adoption,
            // for children adopted (E11/E12) in the period.
            let (mut sum, mut n, mut kids) = (0.0, 0.0, BTreeSet::new());
            let by_child = episodes_by_child(ev);
            for e in ev.episodes.iter().filter(|e| matches!(e.rec.as_str(), "E11" | "E12") && e.end.is_some_and(|d| p.contains(d))) {
                let care_start = by_child[e.child.as_str()]
                    .iter()
                    .filter(|x| x.rne == "S" && x.start <= e.start)
                    .map(|x| x.start)
                    .max();
                let placed = ev.placed_for_adoption.iter().filter(|(c, _)| *c == e.child).map(|(_, d)| *d).max();
                if let (Some(s), Some(pl)) = (care_start, placed) {
                    sum += (pl - s).num_days() as f64;
                    n += 1.0;
                    kids.insert(e.child.clone());
                }
            }
            ratio(sum, n, kids, "adoptions with their dates")
        }
        "44" => {
            let sw: Vec<&_> = ev.workers.iter().filter(|w| w.social_worker && open_at(w.started, w.left, end)).collect();
            let ids: BTreeSet<&str> = sw.iter().map(|w| w.id.as_str()).collect();
            let kids: BTreeSet<String> = ev
                .allocations
                .iter()
                .filter(|(_, w, f, t)| ids.contains(w.as_str()) && open_at(*f, *t, end))
                .map(|(c, _, _, _)| c.clone())
                .collect();
            let n = kids.len() as f64;
            ratio(n, sw.len() as f64, kids, "social workers in post")
        }
        "45" => {
            let mut t = Tally::new();
            for w in ev.workers.iter().filter(|w| w.social_worker && open_at(w.started, w.left, end)) {
                t.add(&w.id, w.agency);
            }
            t.percent("social workers in post")
        }
        "46" => {
            let leavers: Vec<&_> = ev.workers.iter().filter(|w| w.social_worker && w.left.is_some_and(|l| p.contains(l))).collect();
            let in_post = ev.workers.iter().filter(|w| w.social_worker && open_at(w.started, w.left, end)).count() as f64;
            ratio(100.0 * leavers.len() as f64, in_post, leavers.iter().map(|w| w.id.clone()).collect(), "social workers in post")
                .with_numerator(leavers.len() as f64)
        }
        "36" => {
            // Up to date: reviewed in the school term containing the end of the period, or in
            // the term before it.
            let this = domain::looked_after::school_term(end);
            let last = domain::looked_after::school_term(this.0.pred_opt().unwrap_or(this.0));
            let mut reviewed: HashMap<&str, NaiveDate> = HashMap::new();
            for (c, d) in &ev.peps {
                if *d <= end {
                    let e = reviewed.entry(c.as_str()).or_insert(*d);
                    *e = (*e).max(*d);
                }
            }
            let mut t = Tally::new();
            for child in cla_at(ev, end).keys() {
                let Some(dob) = ev.dob.get(*child) else { continue };
                if !(5..16).contains(&years(*dob, end)) {
                    continue;
                }
                t.add(child, reviewed.get(child).is_some_and(|d| *d >= last.0));
            }
            t.percent("children looked after of school age")
        }
        "43" | "43a" | "43b" => private_fostering(&ind.id, ev, p),
        id if id.starts_with("50") => crate::quality::audits(id, ev, p),
        "26" => Outcome::Unavailable(
            "needs distances between home and placement postcodes (a postcode grid reference file Hearth does not hold)".into(),
        ),
        "42" => Outcome::Unavailable("needs placement order dates, which the SSDA903 does not carry".into()),
        _ => Outcome::Unavailable("needs data the loaded sources do not hold".into()),
    }
}

impl Outcome {
    fn with_numerator(self, n: f64) -> Outcome {
        match self {
            Outcome::Value(mut f) => {
                f.numerator = n;
                Outcome::Value(f)
            }
            o => o,
        }
    }
}

/// Indicator 43: new notifications (43a), initial visits within 7 working days of the
/// notification (43) and arrangements with their statutory visits in time (43b), from the
/// visits at which the child was seen (SI 2005/1533 regs 4, 7 and 8).
fn private_fostering(id: &str, ev: &Events, p: Period) -> Outcome {
    use domain::private_fostering::{Timescales, visits_due};
    let t = Timescales::default();
    match id {
        "43a" => {
            let children: BTreeSet<String> = ev
                .private_fostering
                .iter()
                .filter(|a| p.contains(a.notified))
                .map(|a| a.child.clone())
                .collect();
            let n = ev
                .private_fostering
                .iter()
                .filter(|a| p.contains(a.notified))
                .count() as f64;
            Outcome::Value(Figure {
                numerator: n,
                denominator: 1.0,
                value: n,
                children: children.into_iter().collect(),
            })
        }
        "43" => {
            let mut t43 = Tally::new();
            for a in ev
                .private_fostering
                .iter()
                .filter(|a| p.contains(a.notified))
            {
                // The first visit due is the initial visit; none yet if it is not yet due.
                let due = visits_due(a.notified, a.starts, a.ended, &a.seen, p.to, &t);
                if let Some(first) = due.first() {
                    t43.add(&a.child, first.in_time());
                }
            }
            t43.percent("private fostering notifications with the initial visit due")
        }
        _ => {
            let mut t43 = Tally::new();
            for a in &ev.private_fostering {
                if a.notified > p.to || a.ended.is_some_and(|e| e < p.from) {
                    continue;
                }
                let due = visits_due(a.notified, a.starts, a.ended, &a.seen, p.to, &t);
                let in_period: Vec<_> = due.iter().skip(1).filter(|v| p.contains(v.due)).collect();
                if !in_period.is_empty() {
                    t43.add(&a.child, in_period.iter().all(|v| v.in_time()));
                }
            }
            t43.percent("private fostering arrangements with a statutory visit due")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_as_months_or_days() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            Period::parse("2025-04..2026-03").unwrap(),
            Period::new(d(2025, 4, 1), d(2026, 3, 31))
        );
        assert_eq!(
            Period::parse("2024-02..2024-02").unwrap(),
            Period::new(d(2024, 2, 1), d(2024, 2, 29))
        );
        assert_eq!(
            Period::parse("2025-04-15..2025-05-01").unwrap(),
            Period::new(d(2025, 4, 15), d(2025, 5, 1))
        );
        assert!(Period::parse("2026-03..2025-04").is_err());
        assert!(Period::parse("last year").is_err());
        assert_eq!(
            Period::rolling_year(d(2026, 3, 31)),
            Period::new(d(2025, 4, 1), d(2026, 3, 31))
        );
    }
}
