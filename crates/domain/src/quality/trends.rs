//! Trends across periods: the grades of each domain (and the overall grade) by calendar quarter,
//! and recurring weaknesses, where most of a domain's grades were requires improvement or
//! inadequate in two or more consecutive quarters, for every team together and for each team.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Audit, Grade, GradeCounts};

/// A calendar quarter: its year and number (1 is January to March).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    pub year: i32,
    pub number: u32,
}

impl Quarter {
    pub fn of(d: NaiveDate) -> Quarter {
        Quarter {
            year: d.year(),
            number: d.month0() / 3 + 1,
        }
    }
    pub fn next(self) -> Quarter {
        if self.number == 4 {
            Quarter {
                year: self.year + 1,
                number: 1,
            }
        } else {
            Quarter {
                number: self.number + 1,
                ..self
            }
        }
    }
    /// "Jan to Mar 2026".
    pub fn label(self) -> String {
        let months = ["Jan to Mar", "Apr to Jun", "Jul to Sep", "Oct to Dec"];
        format!("{} {}", months[(self.number - 1) as usize], self.year)
    }
    /// The quarters from the one holding `from` to the one holding `to`, oldest first.
    pub fn between(from: NaiveDate, to: NaiveDate) -> Vec<Quarter> {
        let (mut q, last) = (Quarter::of(from), Quarter::of(to));
        let mut out = Vec::new();
        while q <= last {
            out.push(q);
            q = q.next();
        }
        out
    }
}

/// One quarter's grades by domain (a domain's key, or "overall"), every team together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuarterRow {
    pub year: i32,
    /// 1 (January to March) to 4.
    pub quarter: u32,
    /// "Jan to Mar 2026".
    pub label: String,
    /// Each domain's grades in the quarter, in the order first graded; "overall" last.
    pub domains: Vec<DomainCounts>,
}

/// A domain's (or "overall") grades.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainCounts {
    pub domain: String,
    pub grades: GradeCounts,
}

fn graded(a: &Audit) -> impl Iterator<Item = (&str, Grade)> {
    a.grades
        .iter()
        .map(|g| (g.domain.as_str(), g.grade))
        .chain([("overall", a.overall)])
}

/// Every quarter of the period (empty ones too), with its audits' grades by domain; audits by
/// the day they were recorded.
pub fn by_quarter(audits: &[Audit], from: NaiveDate, to: NaiveDate) -> Vec<QuarterRow> {
    Quarter::between(from, to)
        .into_iter()
        .map(|q| {
            let mut domains: Vec<DomainCounts> = Vec::new();
            for a in audits.iter().filter(|a| Quarter::of(a.audited_on) == q) {
                for (d, g) in graded(a) {
                    match domains.iter_mut().find(|x| x.domain == d) {
                        Some(x) => x.grades.add(g),
                        None => {
                            let mut grades = GradeCounts::default();
                            grades.add(g);
                            domains.push(DomainCounts {
                                domain: d.to_string(),
                                grades,
                            });
                        }
                    }
                }
            }
            // The overall grade last.
            if let Some(i) = domains.iter().position(|x| x.domain == "overall") {
                let o = domains.remove(i);
                domains.push(o);
            }
            QuarterRow {
                year: q.year,
                quarter: q.number,
                label: q.label(),
                domains,
            }
        })
        .collect()
}

/// Most grades requires improvement or inadequate: more than half of those given.
pub fn weak(c: &GradeCounts) -> bool {
    let t = c.total();
    t > 0 && (c.counts[2] + c.counts[3]) * 2 > t
}

/// A recurring weakness: a domain in a team (None: every team together) where most grades were
/// requires improvement or inadequate in `quarters` consecutive quarters (two or more).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weakness {
    pub domain: String,
    pub team_id: Option<Uuid>,
    pub quarters: u32,
    /// The first and last quarters of the run ("Jan to Mar 2026").
    pub from: String,
    pub to: String,
    /// The run reaches the last quarter of the period: still a weakness.
    pub ongoing: bool,
    /// Percent requires improvement or inadequate in the run's last quarter, rounded.
    pub latest_weak_percent: u32,
}

/// Every run of two or more consecutive weak quarters in the period, for every team together
/// first, then each team; a quarter with no grades of the domain ends a run. Within each, ongoing
/// runs first, then the longest.
pub fn recurring_weaknesses(audits: &[Audit], from: NaiveDate, to: NaiveDate) -> Vec<Weakness> {
    let quarters = Quarter::between(from, to);
    let mut keys: Vec<(String, Option<Uuid>)> = Vec::new();
    for a in audits {
        for (d, _) in graded(a) {
            for t in [None, a.team_id] {
                if (t.is_none() || a.team_id.is_some())
                    && !keys.iter().any(|(k, x)| k == d && *x == t)
                {
                    keys.push((d.to_string(), t));
                }
            }
        }
    }
    // Every team together first.
    keys.sort_by_key(|(_, t)| t.is_some());
    let mut out = Vec::new();
    for (domain, team) in keys {
        let counts: Vec<GradeCounts> = quarters
            .iter()
            .map(|q| {
                let mut c = GradeCounts::default();
                for a in audits.iter().filter(|a| {
                    Quarter::of(a.audited_on) == *q && (team.is_none() || a.team_id == team)
                }) {
                    for (d, g) in graded(a) {
                        if d == domain {
                            c.add(g);
                        }
                    }
                }
                c
            })
            .collect();
        let mut start = None;
        for i in 0..=counts.len() {
            let is_weak = i < counts.len() && weak(&counts[i]);
            match (is_weak, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    if i - s >= 2 {
                        let last = &counts[i - 1];
                        let t = last.total();
                        out.push(Weakness {
                            domain: domain.clone(),
                            team_id: team,
                            quarters: (i - s) as u32,
                            from: quarters[s].label(),
                            to: quarters[i - 1].label(),
                            ongoing: i == counts.len(),
                            latest_weak_percent: ((last.counts[2] + last.counts[3]) * 100 + t / 2)
                                / t,
                        });
                    }
                    start = None;
                }
                _ => {}
            }
        }
    }
    out.sort_by_key(|w| {
        (
            w.team_id.is_some(),
            !w.ongoing,
            std::cmp::Reverse(w.quarters),
        )
    });
    out
}
