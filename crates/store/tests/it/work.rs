//! The work due, on both backends: everything due in one list is the work due, the visits due to
//! children on plans and the private fostering visits due, by due date and then child's name.

use domain::access::Role;
use domain::child_in_need::NewCinPlan;
use domain::private_fostering::{NewArrangement, Timescales};
use domain::work::VisitStandards;
use store::{Actor, WorkScope};

use crate::{Fixture, child, conformance, date, through_front_door, user};

conformance!(all_work_due_is_every_list_by_due_date_then_childs_name);
async fn all_work_due_is_every_list_by_due_date_then_childs_name(f: &Fixture) {
    let s = &f.store;
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let amy = s
        .create_person(Actor::SYSTEM, child("Amy", "Ash", date(2016, 4, 1), "W1"))
        .await
        .unwrap();
    let ben = s
        .create_person(Actor::SYSTEM, child("Ben", "Birch", date(2015, 5, 5), "W2"))
        .await
        .unwrap();
    let cat = s
        .create_person(Actor::SYSTEM, child("Cat", "Cole", date(2012, 4, 4), "W3"))
        .await
        .unwrap();
    // Amy: a referral with an assessment under way.
    let refs = through_front_door(s, sw, amy.id, date(2025, 9, 1), "referral").await;
    s.start_assessment(sw, refs[0].id, date(2025, 9, 2))
        .await
        .unwrap();
    // Ben: a child in need plan, so a visit is due.
    let refs = through_front_door(s, sw, ben.id, date(2025, 9, 1), "referral").await;
    s.start_cin_plan(
        sw,
        NewCinPlan {
            referral_id: refs[0].id,
            started_on: date(2025, 10, 20),
            primary_need: "N4".into(),
        },
    )
    .await
    .unwrap();
    // Cat: privately fostered, so the initial visit is due.
    s.record_pf_notification(
        sw,
        cat.id,
        NewArrangement {
            notified_on: date(2026, 9, 1),
            notified_by: "professional".into(),
            starts_on: date(2026, 8, 20),
            expected_end: Some(date(2027, 7, 20)),
            carer_relationship: "host_family".into(),
            carer: "Host family of a language school, Anytown".into(),
            reason: "Studying in England while the parents live overseas".into(),
        },
    )
    .await
    .unwrap();

    let today = date(2026, 9, 9);
    let standards = VisitStandards::default();
    let mut expected = s.work_due(WorkScope::All, today).await.unwrap();
    expected.extend(
        s.visits_due(WorkScope::All, today, standards)
            .await
            .unwrap(),
    );
    expected.extend(
        s.pf_visits_due(WorkScope::All, today, Timescales::default())
            .await
            .unwrap(),
    );
    expected.sort_by(|a, b| {
        a.due
            .cmp(&b.due)
            .then_with(|| a.child_name.cmp(&b.child_name))
    });
    let all = s
        .all_work_due(WorkScope::All, today, standards, Timescales::default())
        .await
        .unwrap();
    assert_eq!(all, expected);
    for what in [
        "Assessment",
        "Visit (child in need plan)",
        "Private fostering initial visit",
    ] {
        assert!(all.iter().any(|i| i.what == what), "{what} in {all:?}");
    }
    assert!(
        all.windows(2)
            .all(|w| (w[0].due, &w[0].child_name) <= (w[1].due, &w[1].child_name))
    );
}
