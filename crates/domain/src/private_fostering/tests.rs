//! Private fostering's validation and timescales on worked dates.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn arrangement(notified: NaiveDate, starts: NaiveDate) -> Arrangement {
    Arrangement {
        id: Uuid::now_v7(),
        child_id: Uuid::nil(),
        notified_on: notified,
        notified_by: "parent".into(),
        starts_on: starts,
        expected_end: None,
        carer_relationship: "family_friend".into(),
        carer: "A family friend in the same town".into(),
        reason: "Parent working abroad".into(),
        assessed_on: None,
        suitability: None,
        ended_on: None,
        end_reason: None,
        end_notified_on: None,
        visits: vec![],
    }
}

fn visit(on: NaiveDate, seen: bool) -> Visit {
    Visit {
        id: Uuid::now_v7(),
        arrangement_id: Uuid::nil(),
        child_id: Uuid::nil(),
        visited_on: on,
        kind: VisitKind::Statutory,
        child_seen: seen,
        seen_alone: seen,
        not_alone_reason: String::new(),
        childs_words: "Fine".into(),
        observation: String::new(),
        report: "Report".into(),
    }
}

#[test]
fn the_first_visit_is_due_7_working_days_after_the_notification() {
    let t = Timescales::default();
    // Monday 1 September 2025: 2-5 September (4), 8, 9, 10 (7): Wednesday 10 September.
    let a = arrangement(d(2025, 9, 1), d(2025, 10, 20));
    assert_eq!(a.initial_visit_due(&t).unwrap(), d(2025, 9, 10));
    // Friday 27 March 2026, with Good Friday (3 April) and Easter Monday (6 April) out.
    let b = arrangement(d(2026, 3, 27), d(2026, 3, 1));
    assert!(b.existing());
    assert_eq!(b.initial_visit_due(&t).unwrap(), d(2026, 4, 9));
    // The existing-arrangement timescale is a setting of its own.
    let slower = Timescales {
        first_visit_existing: 10,
        ..t
    };
    assert_eq!(b.initial_visit_due(&slower).unwrap(), d(2026, 4, 14));
    assert_eq!(a.initial_visit_due(&slower).unwrap(), d(2025, 9, 10));
}

#[test]
fn initial_visit_timeliness() {
    let t = Timescales::default();
    let mut a = arrangement(d(2025, 9, 1), d(2025, 8, 1));
    assert_eq!(a.initial_visit_in_time(&t, d(2025, 9, 10)), None);
    assert_eq!(a.initial_visit_in_time(&t, d(2025, 9, 11)), Some(false));
    // A visit at which the child was not seen is not the initial visit.
    a.visits.push(visit(d(2025, 9, 5), false));
    assert_eq!(a.initial_visit(), None);
    a.visits.push(visit(d(2025, 9, 10), true));
    assert_eq!(a.initial_visit(), Some(d(2025, 9, 10)));
    assert_eq!(a.initial_visit_in_time(&t, d(2026, 1, 1)), Some(true));
    a.visits[1].visited_on = d(2025, 9, 11);
    assert_eq!(a.initial_visit_in_time(&t, d(2026, 1, 1)), Some(false));
}

#[test]
fn later_visits_are_due_6_weeks_apart_in_year_one_then_12() {
    let t = Timescales::default();
    // Running since June, notified 1 September 2025: deemed to start on 1 September.
    let mut a = arrangement(d(2025, 9, 1), d(2025, 6, 1));
    assert_eq!(a.deemed_start(), d(2025, 9, 1));
    assert_eq!(a.next_visit_due(&t), Some(d(2025, 9, 10)));
    a.visits.push(visit(d(2025, 9, 10), true));
    assert_eq!(a.next_visit_due(&t), Some(d(2025, 10, 22)));
    // The last visit of the first year: 20 August 2026 + 6 weeks = 1 October.
    a.visits.push(visit(d(2026, 8, 20), true));
    assert_eq!(a.next_visit_due(&t), Some(d(2026, 10, 1)));
    // In the second year: 15 September 2026 + 12 weeks = 8 December.
    a.visits.push(visit(d(2026, 9, 15), true));
    assert_eq!(a.next_visit_due(&t), Some(d(2026, 12, 8)));
    a.ended_on = Some(d(2026, 10, 1));
    assert_eq!(a.next_visit_due(&t), None);
}

#[test]
fn the_chain_of_visits_due_marks_late_and_missed_visits() {
    let t = Timescales::default();
    let mut a = arrangement(d(2025, 9, 1), d(2025, 9, 1));
    a.visits = vec![
        visit(d(2025, 9, 9), true),   // due 10 Sep: in time
        visit(d(2025, 10, 30), true), // due 21 Oct: late
        visit(d(2025, 11, 1), false), // not seen: does not count
        visit(d(2025, 12, 10), true), // due 11 Dec: in time
    ];
    let due = a.visits_due(&t, d(2026, 2, 1));
    assert_eq!(
        due,
        vec![
            VisitDue {
                due: d(2025, 9, 10),
                made: Some(d(2025, 9, 9))
            },
            VisitDue {
                due: d(2025, 10, 21),
                made: Some(d(2025, 10, 30))
            },
            VisitDue {
                due: d(2025, 12, 11),
                made: Some(d(2025, 12, 10))
            },
            // 10 December + 6 weeks = 21 January 2026: missed by 1 February.
            VisitDue {
                due: d(2026, 1, 21),
                made: None
            },
        ]
    );
    assert_eq!(
        due.iter().map(VisitDue::in_time).collect::<Vec<_>>(),
        [true, false, true, false]
    );
    // Ended before the next visit fell due: nothing more is due.
    a.ended_on = Some(d(2026, 1, 5));
    assert_eq!(a.visits_due(&t, d(2026, 2, 1)).len(), 3);
}

#[test]
fn notice_of_the_start_and_of_the_end() {
    let mut a = arrangement(d(2025, 7, 1), d(2025, 8, 12));
    assert_eq!(a.notified_in_advance(), Some(true), "exactly 6 weeks");
    a.starts_on = d(2025, 8, 11);
    assert_eq!(a.notified_in_advance(), Some(false));
    a.starts_on = d(2025, 6, 1);
    assert_eq!(a.notified_in_advance(), None);
    assert_eq!(a.end_notified_in_time(), None);
    a.ended_on = Some(d(2025, 12, 1));
    a.end_notified_on = Some(d(2025, 12, 3));
    assert_eq!(a.end_notified_in_time(), Some(true));
    a.end_notified_on = Some(d(2025, 12, 4));
    assert_eq!(a.end_notified_in_time(), Some(false));
}

#[test]
fn new_records_validate_themselves() {
    let today = d(2026, 1, 10);
    let mut n = NewArrangement {
        notified_on: d(2026, 1, 5),
        notified_by: "school".into(),
        starts_on: d(2026, 2, 1),
        expected_end: Some(d(2026, 1, 1)),
        carer_relationship: "grandparent".into(),
        carer: " ".into(),
        reason: "Studying at a local school".into(),
    };
    let f: Vec<String> = n
        .validate(today, Some(d(2012, 3, 1)), false)
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        f,
        ["notified_by", "expected_end", "carer_relationship", "carer"]
    );
    n.notified_by = "professional".into();
    n.expected_end = None;
    n.carer_relationship = "host_family".into();
    n.carer = "Host family, Anytown".into();
    assert!(n.validate(today, Some(d(2012, 3, 1)), false).is_empty());
    // 16 at the start: only a disabled child can be privately fostered.
    assert_eq!(
        n.validate(today, Some(d(2010, 1, 1)), false)[0].field,
        "start"
    );
    assert!(n.validate(today, Some(d(2010, 1, 1)), true).is_empty());

    let v = NewVisit {
        visited_on: d(2026, 1, 9),
        child_seen: true,
        seen_alone: false,
        not_alone_reason: String::new(),
        childs_words: String::new(),
        observation: String::new(),
        report: String::new(),
    };
    let f: Vec<String> = v
        .validate(d(2026, 1, 5), today)
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(f, ["not_alone_reason", "childs_words", "report"]);
    assert_eq!(v.validate(d(2026, 1, 10), today)[0].field, "visited");

    let end = ArrangementEnd {
        ended_on: d(2026, 1, 8),
        reason: "holiday".into(),
        notified_on: d(2026, 1, 7),
    };
    let f: Vec<String> = end
        .validate(d(2026, 1, 5), today)
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(f, ["end_reason", "end_notified"]);
    let s = Assessment {
        assessed_on: d(2026, 1, 4),
        outcome: "suitable".into(),
    };
    assert_eq!(s.validate(d(2026, 1, 5), today)[0].field, "assessed");
}
