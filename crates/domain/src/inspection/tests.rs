//! Annex A from a small hand-made record: every list that the record can fill has its rows with
//! the right cells, a clean record checks clean, and seeded faults are each found.

use chrono::NaiveDate;
use uuid::Uuid;

use super::record::*;
use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// Two children: A, through the front door to a child protection plan and then care and
/// adoption; B, a care leaver with early help before. As at 1 December 2026.
pub(crate) fn record() -> AnnexARecord {
    let (a, b, w) = (id(1), id(2), id(100));
    let child = |i: Uuid, cid: &str, sex: &str, dob: NaiveDate| Child {
        id: i,
        council_id: Some(cid.into()),
        sex: sex.into(),
        ethnicity: "WBRI".into(),
        date_of_birth: Some(dob),
        disabilities: vec!["NONE".into()],
        uasc: false,
    };
    let ep = |started, ended, reason_new: &str, ls: &str, pl: &str, ceased: Option<&str>| Episode {
        child: a,
        started,
        ended,
        reason_new: reason_new.into(),
        legal_status: ls.into(),
        placement: pl.into(),
        provider: Some("PR1".into()),
        postcode: Some("LS1 4AP".into()),
        urn: None,
        reason_ceased: ceased.map(String::from),
    };
    AnnexARecord {
        children: vec![
            child(a, "A1", "F", d(2021, 5, 1)),
            child(b, "B2", "M", d(2007, 2, 1)),
        ],
        workers: vec![(w, "Sam Worker".into(), Some("North".into()))],
        allocations: vec![(a, w, d(2026, 7, 1), None)],
        contacts: vec![(id(10), a, d(2026, 7, 1), "2A".into())],
        early_help: vec![EarlyHelp {
            child: b,
            started: d(2026, 8, 1),
            ended: None,
            lead: "Oak School".into(),
        }],
        referrals: vec![Referral {
            id: id(20),
            child: a,
            date: d(2026, 7, 1),
            source: "2A".into(),
            closed: None,
            closure_reason: None,
            primary_need: Some("N1".into()),
        }],
        assessments: vec![Assessment {
            child: a,
            referral: id(20),
            started: d(2026, 7, 2),
            completed: Some(d(2026, 7, 20)),
            authorised: Some(d(2026, 7, 21)),
            outcome: Some("strategy".into()),
        }],
        visits: vec![
            (a, d(2026, 7, 10), true, true),
            (a, d(2026, 9, 1), true, false),
        ],
        s47s: vec![S47 {
            child: a,
            strategy: d(2026, 7, 22),
            started: d(2026, 7, 22),
            completed: Some(d(2026, 8, 5)),
            outcome: Some("icpc".into()),
            icpc: Some((d(2026, 8, 10), true)),
        }],
        cp_plans: vec![CpPlan {
            child: a,
            started: d(2026, 8, 10),
            ended: Some(d(2026, 10, 1)),
            initial_category: "NEG".into(),
            latest_category: "EMO".into(),
            reviews: vec![d(2026, 9, 20)],
        }],
        cin_plans: vec![],
        cla_periods: vec![(a, d(2026, 10, 1), None, "N1".into())],
        cla_episodes: vec![
            ep(
                d(2026, 10, 1),
                Some(d(2026, 11, 1)),
                "S",
                "C2",
                "U1",
                Some("X1"),
            ),
            ep(d(2026, 11, 1), None, "L", "E1", "U1", None),
        ],
        cla_reviews: vec![(a, d(2026, 10, 20))],
        missing: vec![Missing {
            child: a,
            started: d(2026, 11, 5),
            kind: "M".into(),
            interview_offered: true,
            interview_accepted: Some(false),
        }],
        health_checks: vec![(a, "initial".into(), d(2026, 10, 15))],
        permanence: vec![(a, "adoption".into(), d(2026, 11, 2))],
        leavers: vec![Leaver {
            child: b,
            in_touch: Some("YES".into()),
            accommodation: Some("S".into()),
            suitable: Some(true),
            activity: Some("F2".into()),
        }],
        adoption: vec![AdoptionDecision {
            id: id(30),
            child: a,
            decided: d(2026, 11, 3),
            ceased: None,
            reason_ceased: None,
            matched: Some((id(31), d(2026, 11, 20))),
        }],
        decisions: vec![Decision {
            children: vec![a],
            received: d(2026, 7, 1),
            due: d(2026, 7, 2),
            decided: Some(d(2026, 7, 3)),
        }],
    }
}

fn cell<'a>(l: &'a List, row: usize, heading: &str) -> &'a Cell {
    &l.rows[row][l
        .column(heading)
        .unwrap_or_else(|| panic!("no {heading} on list {}", l.number))]
}

#[test]
fn every_list_the_record_holds_has_its_rows_and_codes() {
    let a = build(&record(), d(2026, 12, 1));
    assert_eq!(a.lists.len(), 11);
    assert_eq!((a.from_6, a.from_12), (d(2026, 6, 2), d(2025, 12, 2)));
    for l in &a.lists[..10] {
        assert!(
            !l.rows.is_empty(),
            "list {} {} has no rows",
            l.number,
            l.name
        );
        assert_eq!(l.columns[0].heading, "Child Unique ID");
        for r in &l.rows {
            assert_eq!(r.len(), l.columns.len(), "list {}", l.number);
        }
    }
    assert!(
        a.lists[10].rows.is_empty(),
        "adopters are the agency's record"
    );
    assert!(!a.lists[10].cannot_fill.is_empty());
    let contacts = &a.lists[0];
    assert_eq!(cell(contacts, 0, "Gender"), &Cell::Text("b) Female".into()));
    assert_eq!(
        cell(contacts, 0, "Ethnicity"),
        &Cell::Text("a) WBRI".into())
    );
    assert_eq!(cell(contacts, 0, "Age of Child (Years)"), &Cell::Number(5));
    assert_eq!(
        cell(contacts, 0, "Contact Source"),
        &Cell::Text("2A".into())
    );
    let referrals = &a.lists[2];
    assert_eq!(
        cell(referrals, 0, "Referral NFA?"),
        &Cell::Text("No".into())
    );
    assert_eq!(
        cell(referrals, 0, "Allocated Worker"),
        &Cell::Text("Sam Worker".into())
    );
    let assessments = &a.lists[3];
    assert_eq!(
        cell(assessments, 0, "Child Seen During Continuous Assessment"),
        &Cell::Text("Yes".into())
    );
    let cin = &a.lists[5];
    assert_eq!(
        cell(cin, 0, "Case Status"),
        &Cell::Text("a) Looked after child".into())
    );
    let cp = &a.lists[6];
    assert_eq!(
        cell(cp, 0, "Latest Category of Abuse"),
        &Cell::Text("c) Emotional abuse".into())
    );
    assert_eq!(
        cell(cp, 0, "Date of the Last Statutory Visit"),
        &Cell::Date(d(2026, 9, 1))
    );
    assert_eq!(
        cell(cp, 0, "Was the Child Seen Alone?"),
        &Cell::Text("No".into())
    );
    let cla = &a.lists[7];
    assert_eq!(
        cell(cla, 0, "Child's Legal Status"),
        &Cell::Text("E1".into())
    );
    assert_eq!(
        cell(cla, 0, "Start date of Child's Current Legal Status"),
        &Cell::Date(d(2026, 11, 1))
    );
    // The move to E1 was a change of legal status only: the placement began on 1 October.
    assert_eq!(
        cell(cla, 0, "Start Date of Most Recent Placement"),
        &Cell::Date(d(2026, 10, 1))
    );
    assert_eq!(
        cell(cla, 0, "Number of Placements in Last 12 Months"),
        &Cell::Number(1)
    );
    assert_eq!(
        cell(cla, 0, "Number of Missing Episodes in Last 12 Months"),
        &Cell::Number(1)
    );
    assert_eq!(
        cell(cla, 0, "Permanence Plan"),
        &Cell::Text("b) Adoption".into())
    );
    let adoption = &a.lists[9];
    assert_eq!(
        cell(adoption, 0, "Date of Placement Order"),
        &Cell::Date(d(2026, 11, 1))
    );
    assert_eq!(
        cell(&a.lists[8], 0, "LA in Touch"),
        &Cell::Text("Yes".into())
    );
}

#[test]
fn a_clean_record_checks_clean() {
    let a = build(&record(), d(2026, 12, 1));
    assert_eq!(check(&a), vec![]);
}

#[test]
fn seeded_faults_are_each_found() {
    let mut r = record();
    // A contact source that is no code, a plan ending before it began, a child with no date
    // of birth (required on every list), and a referral dated after the day.
    r.contacts[0].3 = "ZZ".into();
    r.cp_plans[0].ended = Some(d(2026, 8, 1));
    r.children[1].date_of_birth = None;
    r.referrals.push(Referral {
        id: id(21),
        child: id(1),
        date: d(2026, 11, 30),
        source: "9Z".into(),
        closed: None,
        closure_reason: None,
        primary_need: None,
    });
    let a = build(&r, d(2026, 12, 1));
    let found = check(&a);
    let has = |list: u8, column: &str, what: &str| {
        found
            .iter()
            .any(|f| f.list == list && f.column == column && f.message.contains(what))
    };
    assert!(has(1, "Contact Source", "\"ZZ\" is not one"), "{found:#?}");
    assert!(
        has(
            7,
            "Child Protection Plan End Date",
            "is before Child Protection Plan Start Date"
        ),
        "{found:#?}"
    );
    assert!(has(2, "Date of Birth", "required"), "{found:#?}");
    assert!(has(3, "Referral Source", "\"9Z\""), "{found:#?}");
    // Each finding names its row on the sheet (the heading is row 1).
    assert!(found.iter().all(|f| f.row >= 2));
}
