//! The synthetic council's workforce files, for the demo and the indicators: each worker's
//! Social Work England number (social workers and their managers), the census's organisational
//! role, hours (about one employed social worker in eight part time), the ASYE for about half of
//! the employed social workers who started in the last two years, each leaver's reason and
//! destination (about one employed leaver in five to agency social work, so that leavers to
//! agency work are near the DfE's 2.6% of employed social workers at the turnover already
//! calibrated), sickness and other absence (about 3.5% of working days lost to sickness), and
//! supervision by the team's manager at the council's default standard (monthly, fortnightly in
//! the ASYE), now and then late. Drawn from a stream of numbers of its own after the rest of
//! the council, so adding it changes no other record.

use std::collections::HashMap;

use chrono::Days;
use domain::workforce::caseload::Standards;
use domain::workforce::supervision::Supervision;
use domain::workforce::{
    Absence, AbsenceReason, Destination, LeavingReason, Move, OrgRole, StaffMember,
};
use uuid::Uuid;

use crate::{Council, Rng};

fn id(rng: &mut Rng) -> Uuid {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&rng.next_u64().to_le_bytes());
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

const REFLECTIONS: [&str; 6] = [
    "Talked through a difficult home visit and what helped the worker stay curious",
    "Reflected on managing the week's deadlines and agreed what to hand back",
    "Discussed the worker's learning from a recent court statement",
    "Considered how the child's voice shows in the worker's recording",
    "Explored the impact of a distressing disclosure and the support available",
    "Reviewed the worker's development plan and training booked",
];

/// How often an absence of each reason is drawn, and its working days lost.
fn absence(rng: &mut Rng) -> (AbsenceReason, f64) {
    if rng.chance(0.04) {
        // Long-term sickness.
        return (AbsenceReason::Sickness, 20.0 + rng.below(41) as f64);
    }
    if rng.chance(0.8) {
        (AbsenceReason::Sickness, 1.0 + rng.below(9) as f64 / 2.0)
    } else {
        let r = *rng.pick(&[
            AbsenceReason::Training,
            AbsenceReason::PublicDuties,
            AbsenceReason::Unpaid,
            AbsenceReason::Other,
        ]);
        (r, 1.0 + rng.below(3) as f64)
    }
}

/// Adds the workforce's files and supervision to the council's record.
pub fn workforce(c: &mut Council) {
    let spec = c.spec.clone();
    let mut rng = Rng::new(spec.seed ^ 0x776f_726b_666f_7263);
    let as_at = spec.as_at;
    let standards = Standards::default();
    let from = as_at - chrono::Months::new(60);
    let managers: HashMap<Uuid, Uuid> = c
        .record
        .workers
        .iter()
        .filter(|w| w.role_title == "Team manager")
        .filter_map(|w| w.team_id.map(|t| (t, w.id)))
        .collect();
    let mut files = Vec::new();
    let mut sessions = Vec::new();
    let mut swe = 100_000u64;
    for w in &c.record.workers {
        let social = w.role_title == "Social worker";
        let manager = w.role_title == "Team manager";
        swe += 1 + rng.below(40);
        let org_role = if manager {
            OrgRole::FirstLineManager
        } else if social {
            if rng.chance(0.15) {
                OrgRole::SeniorPractitioner
            } else {
                OrgRole::CaseHolder
            }
        } else {
            OrgRole::QualifiedWithoutCases
        };
        let fte = if social && !w.agency && rng.chance(0.125) {
            *rng.pick(&[0.6, 0.8, 0.8])
        } else {
            1.0
        };
        let asye =
            social && !w.agency && w.started > as_at - chrono::Months::new(24) && rng.chance(0.5);
        let (leaving_reason, destination) = match w.left {
            None => (None, None),
            Some(_) if w.agency => (
                Some(LeavingReason::EndOfContract),
                Some(*rng.pick(&[
                    Destination::AgencyWork,
                    Destination::AgencyWork,
                    Destination::NotKnown,
                ])),
            ),
            Some(_) => {
                let d = *rng.pick(&[
                    Destination::AgencyWork,
                    Destination::AnotherCouncil,
                    Destination::AnotherCouncil,
                    Destination::OtherSocialWork,
                    Destination::OutOfSocialWork,
                ]);
                let d = if rng.chance(0.08) {
                    Destination::Retired
                } else {
                    d
                };
                let r = if d == Destination::Retired {
                    LeavingReason::Retirement
                } else {
                    LeavingReason::Resignation
                };
                (Some(r), Some(d))
            }
        };
        let mut file = StaffMember {
            worker: w.clone(),
            org_role,
            fte,
            swe_number: (social || manager).then(|| format!("SW{swe}")),
            asye_started: asye.then_some(w.started),
            asye_ended: asye.then(|| w.started + Days::new(364)),
            leaving_reason,
            destination,
            moves: vec![Move {
                id: id(&mut rng),
                moved_on: w.started,
                from_team_id: None,
                team_id: w.team_id,
                role_title: w.role_title.clone(),
                org_role,
                fte,
                agency: w.agency,
            }],
            absences: Vec::new(),
        };
        // Absences of employed staff, year by year over the last five years in post.
        let last = w.left.unwrap_or(as_at).min(as_at);
        let mut day = w.started.max(from);
        if !w.agency {
            while day < last {
                let year_end = (day + Days::new(365)).min(last);
                let span = (year_end - day).num_days().max(1) as u64;
                for _ in 0..rng.below(5) {
                    let first = day + Days::new(rng.below(span));
                    let (reason, days) = absence(&mut rng);
                    let last_day = first + Days::new((days * 7.0 / 5.0).ceil() as u64 - 1);
                    if last_day > last {
                        continue;
                    }
                    file.absences.push(Absence {
                        id: id(&mut rng),
                        first_day: first,
                        last_day: Some(last_day),
                        working_days_lost: days,
                        reason,
                    });
                }
                day = year_end + Days::new(1);
            }
            file.absences.sort_by_key(|a| a.first_day);
        }
        // Supervision by the team's manager over the last year.
        if social && let Some(sup) = w.team_id.and_then(|t| managers.get(&t)) {
            let mut on = w.started.max(as_at - chrono::Months::new(12)) + Days::new(rng.below(10));
            while on <= last {
                sessions.push(Supervision {
                    id: id(&mut rng),
                    worker_id: w.id,
                    supervisor_id: *sup,
                    held_on: on,
                    reflection: rng.pick(&REFLECTIONS).to_string(),
                    cases: Vec::new(),
                });
                let days = if file.in_asye(on) {
                    standards.asye_supervision_days
                } else {
                    standards.supervision_days
                };
                let late = if rng.chance(0.1) {
                    u64::from(days) / 2 + rng.below(10)
                } else {
                    0
                };
                on = on + Days::new(u64::from(days) - 2 - rng.below(5) + late);
            }
        }
        files.push(file);
    }
    c.record.worker_files = files;
    c.record.supervisions = sessions;
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use domain::workforce::indicators::{census_year, workforce_year};

    #[test]
    fn the_workforce_is_calibrated_and_its_files_fit_their_workers() {
        let spec = crate::Spec::demo(40_000, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        let c = crate::generate(&spec);
        let r = &c.record;
        assert_eq!(r.worker_files.len(), r.workers.len());
        for f in &r.worker_files {
            for a in &f.absences {
                assert!(a.first_day >= f.worker.started && a.last_day.unwrap() <= spec.as_at);
            }
            assert_eq!(f.destination.is_some(), f.worker.left.is_some());
        }
        assert!(
            r.worker_files.iter().any(|f| f.asye_started.is_some()),
            "ASYE workers"
        );
        assert!(!r.supervisions.is_empty());
        // The census year to 30 September 2026, pooled with the year before for a steadier
        // figure: agency near 13%, turnover near 11.8%, leavers to agency near 2.6%, sickness
        // near 3.5%.
        let mut t = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        for year in [2025, 2026] {
            let held: Vec<domain::workforce::caseload::HeldCase> = r
                .allocations
                .iter()
                .filter(|a| {
                    a.from <= census_year(year).1 && a.to.is_none_or(|x| x >= census_year(year).1)
                })
                .map(|a| domain::workforce::caseload::HeldCase {
                    worker_id: a.worker_id,
                    child_id: a.child_id,
                    co_working: false,
                    cp_plan: false,
                    proceedings: false,
                })
                .collect();
            let y = workforce_year(year, &r.worker_files, &held, None);
            t.0 += y.agency_fte;
            t.1 += y.agency_fte + y.employed_fte;
            t.2 += y.leavers_fte;
            t.3 += y.employed_fte;
            t.4 += f64::from(y.leavers_to_agency);
            t.5 += f64::from(y.employed);
            t.6 += y.days_lost_to_sickness;
        }
        let agency = 100.0 * t.0 / t.1;
        let turnover = 100.0 * t.2 / t.3;
        let to_agency = 100.0 * t.4 / t.5;
        let sickness = 100.0 * t.6 / (t.3 * 253.0);
        assert!((9.0..17.0).contains(&agency), "agency {agency}");
        assert!((7.0..17.0).contains(&turnover), "turnover {turnover}");
        assert!((1.0..5.0).contains(&to_agency), "to agency {to_agency}");
        assert!((2.5..4.5).contains(&sickness), "sickness {sickness}");
    }
}
