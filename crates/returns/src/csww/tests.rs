use super::*;

fn worker() -> CensusWorker {
    CensusWorker {
        agency_worker: "0".into(),
        swe_no: "SW123456".into(),
        fte: "0.800000".into(),
        org_role: "5".into(),
        role_start_date: "2024-09-02".into(),
        role_end_date: String::new(),
        fte30: "0.800000".into(),
        cases30: "14".into(),
        working_days_lost: "3.50".into(),
        absat30sept: "0".into(),
        reason_absence: String::new(),
        cfkss_status: "1".into(),
    }
}

fn census() -> Census {
    Census {
        year: "2025".into(),
        reference_date: "2025-09-30".into(),
        lea: "370".into(),
        vacancies: "4.50".into(),
        agency_fte: "1.00".into(),
        agency_headcount: "1".into(),
        workers: vec![worker()],
    }
}

fn codes(c: &Census) -> Vec<String> {
    validate(c).into_iter().map(|f| f.rule_code).collect()
}

#[test]
fn a_census_is_written_and_read_back_whole_and_passes() {
    let c = census();
    assert!(validate(&c).is_empty(), "{:?}", validate(&c));
    let mut out = Vec::new();
    write(&mut out, &c).unwrap();
    let back = read(std::io::Cursor::new(out)).unwrap();
    assert_eq!(back, c);
    assert!(read(std::io::Cursor::new(b"<Other/>".to_vec())).is_err());
    assert!(read(std::io::Cursor::new(b"not xml <<".to_vec())).is_err());
}

/// Each check, with a census failing it and no other.
#[test]
fn each_check_fails_its_case() {
    type Breaks = Box<dyn Fn(&mut Census)>;
    let cases: Vec<(&str, Breaks)> = vec![
        (
            "CSWW-01",
            Box::new(|c| c.reference_date = "2025-03-31".into()),
        ),
        ("CSWW-02", Box::new(|c| c.vacancies = "4.555".into())),
        (
            "CSWW-03",
            Box::new(|c| c.workers[0].agency_worker = "2".into()),
        ),
        (
            "CSWW-04",
            Box::new(|c| c.workers[0].swe_no = "123456".into()),
        ),
        (
            "CSWW-05",
            Box::new(|c| {
                c.workers.push(CensusWorker {
                    cfkss_status: String::new(),
                    ..c.workers[0].clone()
                })
            }),
        ),
        ("CSWW-06", Box::new(|c| c.workers[0].fte = "1.5".into())),
        ("CSWW-07", Box::new(|c| c.workers[0].org_role = "7".into())),
        (
            "CSWW-08",
            Box::new(|c| c.workers[0].role_start_date = "2025-10-01".into()),
        ),
        (
            "CSWW-09",
            Box::new(|c| {
                c.workers[0].role_end_date = "2024-08-01".into();
                c.workers[0].fte30.clear();
                c.workers[0].cases30.clear();
            }),
        ),
        (
            "CSWW-10",
            Box::new(|c| c.workers[0].absat30sept = "1".into()),
        ),
        (
            "CSWW-11",
            Box::new(|c| c.workers[0].working_days_lost = "-1".into()),
        ),
        (
            "CSWW-12",
            Box::new(|c| c.workers[0].role_end_date = "2025-06-30".into()),
        ),
        (
            "CSWW-13",
            Box::new(|c| c.workers[0].cfkss_status = "5".into()),
        ),
    ];
    assert_eq!(cases.len(), RULES.len(), "a failing case for every check");
    for (code, break_it) in cases {
        let mut c = census();
        break_it(&mut c);
        assert_eq!(codes(&c), vec![code.to_string()], "{code}");
    }
}

#[test]
fn the_census_from_the_record_describes_each_worker_at_the_reference_date() {
    use chrono::NaiveDate;
    use domain::workforce::caseload::HeldCase;
    use domain::workforce::{
        Absence, AbsenceReason, Destination, LeavingReason, StaffMember, Worker,
    };
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let member = |agency: bool, left: Option<NaiveDate>| StaffMember {
        worker: Worker {
            id: uuid::Uuid::now_v7(),
            name: "W".into(),
            team_id: None,
            role_title: "Social worker".into(),
            agency,
            started: d(2024, 9, 2),
            left,
        },
        org_role: domain::workforce::OrgRole::CaseHolder,
        fte: 1.0,
        swe_number: Some(format!(
            "SW{}",
            100 + u8::from(agency) + 2 * u8::from(left.is_some())
        )),
        asye_started: Some(d(2024, 9, 2)),
        asye_ended: Some(d(2025, 9, 1)),
        leaving_reason: left.map(|_| LeavingReason::Resignation),
        destination: left.map(|_| Destination::AgencyWork),
        moves: vec![],
        absences: vec![],
    };
    let mut a = member(false, None);
    a.absences.push(Absence {
        id: uuid::Uuid::nil(),
        first_day: d(2025, 9, 29),
        last_day: None,
        working_days_lost: 2.0,
        reason: AbsenceReason::Sickness,
    });
    let b = member(true, None);
    let gone = member(false, Some(d(2025, 4, 30)));
    let held: Vec<HeldCase> = (0..3)
        .map(|n| HeldCase {
            worker_id: a.worker.id,
            child_id: uuid::Uuid::from_u128(n),
            co_working: false,
            cp_plan: false,
            proceedings: false,
        })
        .collect();
    let mut unregistered = member(false, None);
    unregistered.swe_number = None;
    let c = from_record::from_record(2025, "370", &[a, b, gone, unregistered], &held, Some(2.5));
    assert!(validate(&c).is_empty(), "{:?}", validate(&c));
    assert_eq!(
        c.workers.len(),
        3,
        "the worker with no registration is left out"
    );
    assert_eq!(
        (
            c.agency_fte.as_str(),
            c.agency_headcount.as_str(),
            c.vacancies.as_str()
        ),
        ("1.00", "1", "2.50")
    );
    let w = &c.workers[0];
    assert_eq!(
        (
            w.cases30.as_str(),
            w.absat30sept.as_str(),
            w.reason_absence.as_str()
        ),
        ("3", "1", "SIC")
    );
    assert_eq!(w.working_days_lost, "2.00");
    assert_eq!(
        w.cfkss_status, "",
        "the ASYE ended before the reference date"
    );
    let leaver = &c.workers[2];
    assert_eq!(
        (
            leaver.role_end_date.as_str(),
            leaver.fte30.as_str(),
            leaver.cfkss_status.as_str()
        ),
        ("2025-04-30", "", "1")
    );
}
