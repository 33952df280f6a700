//! The workforce's indicators (44 to 49 in the catalogue) for a census year from the record:
//! the year runs from 1 October to the reference date, 30 September, as the children's social
//! work workforce census counts it. Social workers are those the record knows as registered
//! ([`StaffMember::social_worker`]); their team, hours and employment on a day come from their
//! history ([`StaffMember::at`]).
//!
//! - 44 average caseload: children allocated to case-holding social workers in post at the
//!   reference date, per case-holding FTE (co-working not counted);
//! - 45 agency rate: agency FTE as a share of all social worker FTE in post;
//! - 46 turnover: the FTE of employed social workers who left in the year, as a share of the
//!   employed FTE in post;
//! - 47 vacancy rate: vacant FTE (as the council counts them) as a share of vacant and
//!   employed FTE;
//! - 48 sickness absence: working days lost to sickness by employed social workers in the year
//!   (absences beginning in it), as a share of the employed FTE in post x 253 working days;
//! - 49 leavers to agency work: employed social workers who left in the year for agency social
//!   work, as a share of the employed social workers in post (headcount).

use chrono::NaiveDate;
use serde::Serialize;

use super::caseload::HeldCase;
use super::{AbsenceReason, Destination, StaffMember};

/// Working days in a year, as the census's sickness rate counts them.
pub const WORKING_DAYS: f64 = 253.0;

/// One census year's figures, with what they are made of.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkforceYear {
    pub year: i32,
    pub reference_date: NaiveDate,
    /// Social workers in post (headcount): employed, agency.
    pub employed: u32,
    pub agency: u32,
    /// Their FTE.
    pub employed_fte: f64,
    pub agency_fte: f64,
    pub case_holding_fte: f64,
    pub children_held: u32,
    /// Employed social workers who left in the year; their FTE; those going to agency work.
    pub leavers: u32,
    pub leavers_fte: f64,
    pub leavers_to_agency: u32,
    pub days_lost_to_sickness: f64,
    pub vacancies_fte: Option<f64>,
    /// Indicator 44.
    pub average_caseload: Option<f64>,
    /// Indicators 45 to 49, as percentages.
    pub agency_rate: Option<f64>,
    pub turnover: Option<f64>,
    pub vacancy_rate: Option<f64>,
    pub sickness: Option<f64>,
    pub to_agency: Option<f64>,
}

fn pct(n: f64, d: f64) -> Option<f64> {
    (d > 0.0).then(|| 100.0 * n / d)
}

/// The census year ending 30 September `year`: its first day and its reference date.
pub fn census_year(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year - 1, 10, 1).expect("1 October"),
        NaiveDate::from_ymd_opt(year, 9, 30).expect("30 September"),
    )
}

/// The figures for the census year ending 30 September `year`; `held` are the cases held on the
/// reference date (the store's `cases_held` on it).
pub fn workforce_year(
    year: i32,
    staff: &[StaffMember],
    held: &[HeldCase],
    vacancies_fte: Option<f64>,
) -> WorkforceYear {
    let (start, end) = census_year(year);
    let mut y = WorkforceYear {
        year,
        reference_date: end,
        employed: 0,
        agency: 0,
        employed_fte: 0.0,
        agency_fte: 0.0,
        case_holding_fte: 0.0,
        children_held: 0,
        leavers: 0,
        leavers_fte: 0.0,
        leavers_to_agency: 0,
        days_lost_to_sickness: 0.0,
        vacancies_fte,
        average_caseload: None,
        agency_rate: None,
        turnover: None,
        vacancy_rate: None,
        sickness: None,
        to_agency: None,
    };
    for s in staff.iter().filter(|s| s.social_worker()) {
        if s.in_post(end) {
            let now = s.at(end);
            if now.agency {
                y.agency += 1;
                y.agency_fte += now.fte;
            } else {
                y.employed += 1;
                y.employed_fte += now.fte;
                y.days_lost_to_sickness += s
                    .absences
                    .iter()
                    .filter(|a| {
                        a.reason == AbsenceReason::Sickness
                            && a.first_day >= start
                            && a.first_day <= end
                    })
                    .map(|a| a.working_days_lost)
                    .sum::<f64>();
            }
            if matches!(
                now.org_role,
                super::OrgRole::CaseHolder | super::OrgRole::SeniorPractitioner
            ) {
                y.case_holding_fte += now.fte;
                let mut kids: Vec<_> = held
                    .iter()
                    .filter(|h| h.worker_id == s.worker.id && !h.co_working)
                    .map(|h| h.child_id)
                    .collect();
                kids.sort_unstable();
                kids.dedup();
                y.children_held += kids.len() as u32;
            }
        }
        if let Some(left) = s.worker.left
            && left >= start
            && left <= end
        {
            let then = s.at(left);
            if !then.agency {
                y.leavers += 1;
                y.leavers_fte += then.fte;
                if s.destination == Some(Destination::AgencyWork) {
                    y.leavers_to_agency += 1;
                }
                y.days_lost_to_sickness += s
                    .absences
                    .iter()
                    .filter(|a| {
                        a.reason == AbsenceReason::Sickness
                            && a.first_day >= start
                            && a.first_day <= end
                    })
                    .map(|a| a.working_days_lost)
                    .sum::<f64>();
            }
        }
    }
    y.average_caseload =
        (y.case_holding_fte > 0.0).then(|| f64::from(y.children_held) / y.case_holding_fte);
    y.agency_rate = pct(y.agency_fte, y.agency_fte + y.employed_fte);
    y.turnover = pct(y.leavers_fte, y.employed_fte);
    y.vacancy_rate = vacancies_fte.and_then(|v| pct(v, v + y.employed_fte));
    y.sickness = pct(y.days_lost_to_sickness, y.employed_fte * WORKING_DAYS);
    y.to_agency = pct(f64::from(y.leavers_to_agency), f64::from(y.employed));
    y
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workforce::{Absence, LeavingReason, Move, OrgRole, Worker};
    use uuid::Uuid;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn sw(agency: bool, fte: f64, left: Option<NaiveDate>, to: Option<Destination>) -> StaffMember {
        StaffMember {
            worker: Worker {
                id: Uuid::now_v7(),
                name: "W".into(),
                team_id: None,
                role_title: "Social worker".into(),
                agency,
                started: d(2020, 1, 6),
                left,
            },
            org_role: OrgRole::CaseHolder,
            fte,
            swe_number: Some("SW1".into()),
            asye_started: None,
            asye_ended: None,
            leaving_reason: left.map(|_| LeavingReason::Resignation),
            destination: to,
            moves: vec![],
            absences: vec![],
        }
    }

    #[test]
    fn the_census_years_figures_from_the_record() {
        let mut a = sw(false, 1.0, None, None);
        a.absences.push(Absence {
            id: Uuid::nil(),
            first_day: d(2025, 2, 3),
            last_day: Some(d(2025, 2, 14)),
            working_days_lost: 10.0,
            reason: AbsenceReason::Sickness,
        });
        a.absences.push(Absence {
            id: Uuid::nil(),
            first_day: d(2025, 3, 3),
            last_day: None,
            working_days_lost: 5.0,
            reason: AbsenceReason::Training,
        });
        // Half time until June, then full time: full time at 30 September.
        let mut b = sw(false, 1.0, None, None);
        b.moves = vec![
            Move {
                id: Uuid::nil(),
                moved_on: d(2020, 1, 6),
                from_team_id: None,
                team_id: None,
                role_title: "Social worker".into(),
                org_role: OrgRole::CaseHolder,
                fte: 0.5,
                agency: false,
            },
            Move {
                id: Uuid::nil(),
                moved_on: d(2025, 6, 2),
                from_team_id: None,
                team_id: None,
                role_title: "Social worker".into(),
                org_role: OrgRole::CaseHolder,
                fte: 1.0,
                agency: false,
            },
        ];
        let c = sw(true, 1.0, None, None);
        let to_agency = sw(
            false,
            0.5,
            Some(d(2025, 3, 31)),
            Some(Destination::AgencyWork),
        );
        let elsewhere = sw(
            false,
            1.0,
            Some(d(2024, 12, 20)),
            Some(Destination::AnotherCouncil),
        );
        let last_year = sw(
            false,
            1.0,
            Some(d(2024, 9, 30)),
            Some(Destination::AgencyWork),
        );
        let mut admin = sw(false, 1.0, None, None);
        admin.swe_number = None;
        admin.worker.role_title = "Business support".into();
        let held: Vec<HeldCase> = (0..30)
            .map(|n| HeldCase {
                worker_id: if n < 18 { a.worker.id } else { b.worker.id },
                child_id: Uuid::from_u128(n),
                co_working: false,
                cp_plan: false,
                proceedings: false,
            })
            .chain(std::iter::once(HeldCase {
                worker_id: c.worker.id,
                child_id: Uuid::from_u128(1),
                co_working: true,
                cp_plan: false,
                proceedings: false,
            }))
            .collect();
        let staff = vec![a, b, c, to_agency, elsewhere, last_year, admin];
        let y = workforce_year(2025, &staff, &held, Some(1.0));
        assert_eq!((y.employed, y.agency), (2, 1));
        assert_eq!((y.employed_fte, y.agency_fte), (2.0, 1.0));
        assert_eq!(y.children_held, 30);
        assert_eq!(
            y.average_caseload,
            Some(10.0),
            "30 children over 3 case-holding FTE"
        );
        assert_eq!(y.agency_rate, Some(100.0 / 3.0));
        assert_eq!((y.leavers, y.leavers_fte, y.leavers_to_agency), (2, 1.5, 1));
        assert_eq!(y.turnover, Some(75.0));
        assert_eq!(y.vacancy_rate, Some(100.0 / 3.0));
        assert_eq!(y.days_lost_to_sickness, 10.0, "training is not sickness");
        assert_eq!(y.sickness, Some(100.0 * 10.0 / (2.0 * 253.0)));
        assert_eq!(y.to_agency, Some(50.0));
        let none = workforce_year(2025, &[], &[], None);
        assert_eq!(
            (none.average_caseload, none.vacancy_rate, none.turnover),
            (None, None, None)
        );
    }
}
