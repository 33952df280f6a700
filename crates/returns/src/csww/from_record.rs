//! The census from the record: the workers' files ([`StaffMember`]), the cases held at the
//! reference date and the council's vacancies. Workers in the census are the social workers
//! with a Social Work England number in post at some time in the year to 30 September; each is
//! described as at the reference date (or, for a leaver, their last day).

use domain::workforce::caseload::HeldCase;
use domain::workforce::indicators::census_year;
use domain::workforce::{AbsenceReason, OrgRole, StaffMember};

use super::{Census, CensusWorker};

fn dp(v: f64, places: usize) -> String {
    format!("{v:.places$}")
}

/// The census for the year ending 30 September `year`.
pub fn from_record(
    year: i32,
    lea: &str,
    staff: &[StaffMember],
    held: &[HeldCase],
    vacancies_fte: Option<f64>,
) -> Census {
    let (start, end) = census_year(year);
    let mut agency_fte = 0.0;
    let mut agency_headcount = 0;
    let mut workers = Vec::new();
    for s in staff {
        let Some(swe) = &s.swe_number else { continue };
        let in_year = s.worker.started <= end && s.worker.left.is_none_or(|l| l >= start);
        if !in_year {
            continue;
        }
        let on = s.worker.left.filter(|l| *l < end).unwrap_or(end);
        let then = s.at(on);
        let in_post = s.in_post(end);
        if in_post && then.agency {
            agency_fte += then.fte;
            agency_headcount += 1;
        }
        let mut kids: Vec<_> = held
            .iter()
            .filter(|h| h.worker_id == s.worker.id && !h.co_working)
            .map(|h| h.child_id)
            .collect();
        kids.sort_unstable();
        kids.dedup();
        let sickness: f64 = s
            .absences
            .iter()
            .filter(|a| {
                a.reason == AbsenceReason::Sickness && a.first_day >= start && a.first_day <= end
            })
            .map(|a| a.working_days_lost)
            .sum();
        let absent = s
            .absences
            .iter()
            .find(|a| a.first_day <= end && a.last_day.is_none_or(|l| l >= end));
        let case_holder = matches!(
            then.org_role,
            OrgRole::CaseHolder | OrgRole::SeniorPractitioner
        );
        workers.push(CensusWorker {
            agency_worker: if then.agency { "1" } else { "0" }.into(),
            swe_no: swe.clone(),
            fte: dp(then.fte, 6),
            org_role: then.org_role.code().to_string(),
            role_start_date: s.worker.started.to_string(),
            role_end_date: s
                .worker
                .left
                .filter(|l| *l <= end)
                .map(|l| l.to_string())
                .unwrap_or_default(),
            fte30: if in_post {
                dp(then.fte, 6)
            } else {
                String::new()
            },
            cases30: if in_post && case_holder {
                kids.len().to_string()
            } else {
                String::new()
            },
            working_days_lost: if then.agency {
                String::new()
            } else {
                dp(sickness, 2)
            },
            absat30sept: if in_post {
                if absent.is_some() { "1" } else { "0" }
            } else {
                ""
            }
            .into(),
            reason_absence: if in_post {
                absent
                    .map(|a| a.reason.as_str().to_string())
                    .unwrap_or_default()
            } else {
                String::new()
            },
            cfkss_status: if s.in_asye(on) {
                "1".into()
            } else {
                String::new()
            },
        });
    }
    Census {
        year: year.to_string(),
        reference_date: end.to_string(),
        lea: lea.into(),
        vacancies: vacancies_fte.map(|v| dp(v, 2)).unwrap_or_default(),
        agency_fte: dp(agency_fte, 2),
        agency_headcount: agency_headcount.to_string(),
        workers,
    }
}
