use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn joiner() -> NewJoiner {
    NewJoiner {
        name: "Sam Okafor".into(),
        team_id: None,
        role_title: "Social worker".into(),
        org_role: OrgRole::CaseHolder,
        agency: false,
        fte: 1.0,
        swe_number: Some("sw 123456".into()),
        started: d(2025, 9, 1),
        asye_started: Some(d(2025, 9, 1)),
        asye_ended: Some(d(2026, 8, 31)),
    }
}

fn fields(e: Vec<FieldError>) -> Vec<String> {
    e.into_iter().map(|e| e.field).collect()
}

fn member() -> StaffMember {
    StaffMember {
        worker: Worker {
            id: Uuid::nil(),
            name: "Sam Okafor".into(),
            team_id: None,
            role_title: "Social worker".into(),
            agency: false,
            started: d(2025, 9, 1),
            left: None,
        },
        org_role: OrgRole::CaseHolder,
        fte: 1.0,
        swe_number: Some("SW123456".into()),
        asye_started: Some(d(2025, 9, 1)),
        asye_ended: None,
        leaving_reason: None,
        destination: None,
        moves: vec![],
        absences: vec![],
    }
}

#[test]
fn a_joiner_is_checked_field_by_field() {
    assert!(joiner().validate().is_empty());
    assert_eq!(normalise_swe("sw 123456"), "SW123456");
    let mut j = joiner();
    j.fte = 1.2;
    j.swe_number = Some("123456".into());
    j.name = " ".into();
    assert_eq!(fields(j.validate()), ["name", "fte", "swe_number"]);
    let mut j = joiner();
    j.swe_number = None;
    assert_eq!(
        fields(j.validate()),
        ["swe_number"],
        "an ASYE worker is registered"
    );
    let mut j = joiner();
    j.asye_started = Some(d(2025, 8, 1));
    assert_eq!(fields(j.validate()), ["asye_started"]);
    let mut j = joiner();
    j.asye_ended = Some(d(2025, 9, 1));
    assert_eq!(fields(j.validate()), ["asye_ended"]);
    let mut j = joiner();
    j.asye_started = None;
    assert_eq!(fields(j.validate()), ["asye_started"]);
}

#[test]
fn a_move_must_change_something_after_the_start() {
    let m = member();
    let mv = NewMove {
        moved_on: d(2026, 1, 5),
        team_id: None,
        role_title: "Social worker".into(),
        org_role: OrgRole::CaseHolder,
        fte: 1.0,
        agency: false,
    };
    assert_eq!(fields(mv.validate(&m)), ["team_id"]);
    let fewer_hours = NewMove {
        fte: 0.8,
        ..mv.clone()
    };
    assert!(fewer_hours.validate(&m).is_empty());
    let early = NewMove {
        moved_on: d(2025, 1, 1),
        ..fewer_hours
    };
    assert_eq!(fields(early.validate(&m)), ["moved_on"]);
}

#[test]
fn a_leaver_and_an_absence_fit_the_worker() {
    let m = member();
    let today = d(2026, 3, 2);
    let l = NewLeaver {
        left: d(2026, 2, 27),
        reason: LeavingReason::Resignation,
        destination: Destination::AgencyWork,
    };
    assert!(l.validate(&m, today).is_empty());
    let before = NewLeaver {
        left: d(2025, 8, 1),
        ..l.clone()
    };
    assert_eq!(fields(before.validate(&m, today)), ["left"]);
    let mut gone = member();
    gone.worker.left = Some(d(2026, 1, 1));
    assert_eq!(fields(l.validate(&gone, today)), ["left"]);

    let a = NewAbsence {
        first_day: d(2026, 2, 2),
        last_day: Some(d(2026, 2, 6)),
        working_days_lost: 4.5,
        reason: AbsenceReason::Sickness,
    };
    assert!(a.validate(&m, today).is_empty());
    let too_many = NewAbsence {
        working_days_lost: 6.0,
        ..a.clone()
    };
    assert_eq!(fields(too_many.validate(&m, today)), ["working_days_lost"]);
    let thirds = NewAbsence {
        working_days_lost: 1.3,
        ..a.clone()
    };
    assert_eq!(fields(thirds.validate(&m, today)), ["working_days_lost"]);
    let backwards = NewAbsence {
        last_day: Some(d(2026, 2, 1)),
        ..a.clone()
    };
    assert_eq!(
        fields(backwards.validate(&m, today)),
        ["last_day", "working_days_lost"]
    );
    let future = NewAbsence {
        first_day: d(2026, 4, 1),
        last_day: None,
        ..a
    };
    assert_eq!(fields(future.validate(&m, today)), ["first_day"]);
}

#[test]
fn asye_and_in_post_are_dated() {
    let mut m = member();
    assert!(m.in_asye(d(2026, 1, 1)));
    assert!(!m.in_asye(d(2025, 8, 31)));
    m.asye_ended = Some(d(2026, 8, 31));
    assert!(!m.in_asye(d(2026, 9, 1)));
    m.worker.left = Some(d(2026, 5, 1));
    assert!(m.in_post(d(2026, 5, 1)) && !m.in_post(d(2026, 5, 2)));
    assert_eq!(OrgRole::CaseHolder.code(), 5);
}
