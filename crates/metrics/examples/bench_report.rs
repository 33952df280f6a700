//! Benchmark: the whole catalogue with 12-month trends for a synthetic council of N children
//! (default 50,000) with 10 years of history. Usage:
//! `cargo run --release -p metrics --example bench_report [N]`

use std::time::Instant;

use chrono::{Days, NaiveDate};
use metrics::catalogue::Source;
use metrics::events::*;
use metrics::{Context, Events, Period};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50_000);
    let start = NaiveDate::from_ymd_opt(2016, 4, 1).unwrap();
    let end = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    let span = (end - start).num_days() as u64;
    let mut r = Rng(2026);
    let mut ev = Events {
        sources: [Source::Record, Source::Ssda903].into(),
        ..Default::default()
    };
    let day = |r: &mut Rng| start + Days::new(r.below(span));
    for i in 0..n {
        let child = format!("C{i:06}");
        ev.dob
            .insert(child.clone(), start - Days::new(r.below(17 * 365)));
        for _ in 0..1 + r.below(3) {
            let d = day(&mut r);
            let decided = d
                .and_hms_opt(10, 0, 0)
                .map(|t| t + chrono::Duration::hours(r.below(40) as i64));
            ev.contacts.push(Contact {
                children: vec![child.clone()],
                received: d.and_hms_opt(9, 0, 0).unwrap(),
                due: d + Days::new(1),
                decided,
                outcome: Some(if r.chance(0.4) { "referral" } else { "nfa" }.into()),
            });
            if r.chance(0.4) {
                let closed = r.chance(0.8).then(|| d + Days::new(30 + r.below(300)));
                ev.referrals.push(Referral {
                    child: child.clone(),
                    date: d,
                    closed,
                    closure_reason: Some("RC7".into()),
                    nfa: r.chance(0.07),
                });
                ev.assessments.push(Assessment {
                    child: child.clone(),
                    start: d + Days::new(2),
                    authorised: Some(d + Days::new(20 + r.below(60))),
                });
                if r.chance(0.35) {
                    let icpc = r.chance(0.3).then(|| d + Days::new(10 + r.below(20)));
                    ev.s47s.push(S47 {
                        child: child.clone(),
                        start: d,
                        icpc,
                    });
                    if let Some(c) = icpc {
                        let reviews = vec![c + Days::new(85), c + Days::new(260)];
                        ev.cp_plans.push(CpPlan {
                            child: child.clone(),
                            start: c,
                            end: r.chance(0.8).then(|| c + Days::new(100 + r.below(500))),
                            initial_category: "NEG".into(),
                            repeat: r.chance(0.2),
                            reviews,
                        });
                        ev.visits.push((child.clone(), c + Days::new(7)));
                    }
                }
            }
        }
        if r.chance(0.1) {
            let mut s = day(&mut r);
            for k in 0..1 + r.below(4) {
                let e = s + Days::new(30 + r.below(400));
                let open = e > end;
                ev.episodes.push(Episode {
                    child: child.clone(),
                    start: s,
                    end: (!open).then_some(e),
                    rne: if k == 0 { "S" } else { "P" }.into(),
                    ls: "C2".into(),
                    place: if r.chance(0.7) { "U1" } else { "K2" }.into(),
                    rec: if open { String::new() } else { "X1".into() },
                });
                if open {
                    break;
                }
                s = e;
            }
            if r.chance(0.2) {
                ev.missing.push((child.clone(), day(&mut r)));
            }
            ev.social_workers
                .push((child.clone(), format!("SW{}", r.below(300)), s, None));
        }
    }
    for w in 0..400 {
        ev.workers.push(Worker {
            id: format!("W{w}"),
            social_worker: w % 8 != 0,
            agency: r.chance(0.15),
            started: start,
            left: r.chance(0.1).then(|| day(&mut r)),
        });
    }
    let kids: Vec<String> = ev.dob.keys().take(n / 3).cloned().collect();
    for (i, c) in kids.into_iter().enumerate() {
        ev.allocations
            .push((c, format!("W{}", i % 400), start, None));
    }
    let events = ev.contacts.len()
        + ev.referrals.len()
        + ev.assessments.len()
        + ev.s47s.len()
        + ev.cp_plans.len()
        + ev.episodes.len();
    let ctx = Context {
        population: Some(n as f64 * 5.0),
        cp_visit_days: 10,
    };
    let period = Period::parse("2025-04..2026-03").unwrap();
    for run in 1..=3 {
        let t = Instant::now();
        let report = metrics::build(&ev, period, &ctx);
        let values = report
            .rows
            .iter()
            .filter(|r| r.outcome.value().is_some())
            .count();
        println!(
            "run {run}: {} indicators ({values} with values) with 12-month trends for {n} children, {events} events over 10 years: {:.3} s",
            report.rows.len(),
            t.elapsed().as_secs_f64()
        );
    }
}
