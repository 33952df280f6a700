//! Care leavers on both backends: a personal adviser beside the social worker (not a social
//! worker episode, not the allocated worker of searches), pathway plans reviewed and superseded
//! with their history, keeping in touch only after the young person left care; refusals save
//! nothing, every change audited for the young person.

use domain::access::Role;
use domain::care_leavers::{
    NewKeepingInTouch, NewLeavingCareStatus, NewPathwayAction, NewPathwayPlan,
};
use domain::looked_after::care::CeaseCare;
use store::{Actor, AuditQuery, NewWorker, SearchQuery, StoreError, WorkScope};

use crate::looked_after_care::entering;
use crate::{Fixture, child, conformance, date, user};

fn plan(on: chrono::NaiveDate, review: chrono::NaiveDate, goals: &str) -> NewPathwayPlan {
    NewPathwayPlan {
        plan_date: on,
        views: "I want to stay near my friends and start college".into(),
        goals: goals.into(),
        actions: vec![
            NewPathwayAction {
                action: "Apply for the college course".into(),
                owner: "Young person with PA".into(),
                due_on: on,
            },
            NewPathwayAction {
                action: "Open a bank account".into(),
                owner: "Personal adviser".into(),
                due_on: review,
            },
        ],
        review_due: review,
    }
}

fn contact(on: chrono::NaiveDate, in_touch: &str) -> NewKeepingInTouch {
    NewKeepingInTouch {
        contact_on: on,
        seen: true,
        place: "Her flat".into(),
        words: "The flat is quiet and I can walk to college.".into(),
        in_touch: in_touch.into(),
    }
}

fn status(
    from: chrono::NaiveDate,
    activity: Option<&str>,
    accom: Option<(&str, bool)>,
) -> NewLeavingCareStatus {
    NewLeavingCareStatus {
        from,
        activity: activity.map(Into::into),
        accommodation: accom.map(|a| a.0.into()),
        suitable: accom.map(|a| a.1),
    }
}

fn invalid_field(e: StoreError) -> &'static str {
    match e {
        StoreError::Invalid { field, .. } => field,
        e => panic!("expected a refusal naming a field, got {e:?}"),
    }
}

conformance!(a_care_leaver_with_adviser_plans_and_keeping_in_touch);
async fn a_care_leaver_with_adviser_plans_and_keeping_in_touch(f: &Fixture) {
    let s = &f.store;
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let team = s
        .create_team(Actor::SYSTEM, "Leaving care team")
        .await
        .unwrap();
    let mut workers = Vec::new();
    for (name, title) in [
        ("Sam Social", "Social worker"),
        ("Pat Adviser", "Personal adviser"),
        ("Lee Adviser", "Personal adviser"),
    ] {
        workers.push(
            s.create_worker(
                Actor::SYSTEM,
                NewWorker {
                    name: name.into(),
                    team_id: Some(team.id),
                    role_title: title.into(),
                    agency: false,
                    started: date(2020, 1, 1),
                },
            )
            .await
            .unwrap(),
        );
    }
    let kid = s
        .create_person(sw, child("Ava", "Leaver", date(2008, 6, 1), "CL1"))
        .await
        .unwrap();
    let young = s
        .create_person(sw, child("Ben", "Young", date(2011, 6, 1), "CL2"))
        .await
        .unwrap();

    // The social worker and, from 16, a personal adviser beside them.
    s.allocate(sw, kid.id, workers[0].id, date(2024, 1, 1))
        .await
        .unwrap();
    assert_eq!(
        invalid_field(
            s.allocate_personal_adviser(sw, young.id, workers[1].id, date(2026, 1, 1))
                .await
                .unwrap_err()
        ),
        "from"
    );
    assert_eq!(
        invalid_field(
            s.allocate_personal_adviser(sw, kid.id, workers[1].id, date(2024, 5, 31))
                .await
                .unwrap_err()
        ),
        "from"
    );
    s.allocate_personal_adviser(sw, kid.id, workers[1].id, date(2024, 6, 1))
        .await
        .unwrap();
    let pa = s
        .allocate_personal_adviser(sw, kid.id, workers[2].id, date(2025, 1, 1))
        .await
        .unwrap();
    assert_eq!(
        (pa.worker_name.as_str(), pa.team_name.as_deref()),
        ("Lee Adviser", Some("Leaving care team"))
    );
    assert_eq!(
        invalid_field(
            s.allocate_personal_adviser(sw, kid.id, workers[1].id, date(2025, 1, 1))
                .await
                .unwrap_err()
        ),
        "from"
    );

    // The social worker's allocation is as it was: one, the allocated worker of searches; the
    // adviser is allocated too for access decisions.
    let facts = s.access_facts(kid.id).await.unwrap();
    assert!(
        facts.allocated_workers.contains(&workers[0].id)
            && facts.allocated_workers.contains(&workers[2].id)
    );
    assert_eq!(facts.allocated_workers.len(), 2);
    let found = s
        .search_people(&SearchQuery {
            text: Some("CL1".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (found.len(), found[0].allocated_worker_id),
        (1, Some(workers[0].id))
    );
    // The social worker's allocation is checked against the social worker's only.
    assert_eq!(
        invalid_field(
            s.allocate(sw, kid.id, workers[0].id, date(2024, 1, 1))
                .await
                .unwrap_err()
        ),
        "from"
    );

    // Pathway plan: from 16 years 3 months, reviewed within 6 months.
    s.enter_care(sw, kid.id, entering()).await.unwrap();
    assert_eq!(
        invalid_field(
            s.record_pathway_plan(
                sw,
                kid.id,
                plan(date(2024, 8, 31), date(2025, 1, 1), "College")
            )
            .await
            .unwrap_err()
        ),
        "plan_date"
    );
    assert_eq!(
        invalid_field(
            s.record_pathway_plan(
                sw,
                kid.id,
                plan(date(2025, 5, 1), date(2025, 11, 2), "College")
            )
            .await
            .unwrap_err()
        ),
        "review_due"
    );
    let first = s
        .record_pathway_plan(
            sw,
            kid.id,
            plan(date(2025, 5, 1), date(2025, 11, 1), "A college place"),
        )
        .await
        .unwrap();
    assert_eq!(first.actions.len(), 2);
    assert_eq!(
        invalid_field(
            s.record_pathway_plan(
                sw,
                kid.id,
                plan(date(2025, 5, 1), date(2025, 10, 1), "Again")
            )
            .await
            .unwrap_err()
        ),
        "plan_date"
    );
    let review = s
        .record_pathway_plan(
            sw,
            kid.id,
            plan(
                date(2025, 10, 20),
                date(2026, 4, 20),
                "College and a tenancy",
            ),
        )
        .await
        .unwrap();

    // Keeping in touch: refused while in care.
    assert_eq!(
        invalid_field(
            s.record_keeping_in_touch(sw, kid.id, contact(date(2025, 11, 1), "YES"))
                .await
                .unwrap_err()
        ),
        "contact_on"
    );
    s.cease_care(
        sw,
        kid.id,
        CeaseCare {
            ended_on: date(2025, 12, 1),
            reason_ceased: "E4A".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        invalid_field(
            s.record_keeping_in_touch(sw, kid.id, contact(date(2025, 12, 1), "YES"))
                .await
                .unwrap_err()
        ),
        "contact_on"
    );
    assert_eq!(
        invalid_field(
            s.record_keeping_in_touch(sw, kid.id, contact(date(2026, 1, 5), "MAYBE"))
                .await
                .unwrap_err()
        ),
        "in_touch"
    );
    assert_eq!(
        invalid_field(
            s.record_keeping_in_touch(sw, young.id, contact(date(2026, 1, 5), "YES"))
                .await
                .unwrap_err()
        ),
        "contact_on"
    );
    let k = s
        .record_keeping_in_touch(sw, kid.id, contact(date(2026, 1, 5), "YES"))
        .await
        .unwrap();
    assert_eq!(k.in_touch, "YES");

    // Activity and accommodation, each from the day it began: after leaving care, known 903
    // codes, staying put only from 18, the suitability with the accommodation.
    for (bad, field) in [
        (status(date(2025, 11, 30), Some("F2"), None), "from"),
        (status(date(2026, 1, 6), Some("F3"), None), "activity"),
        (
            status(date(2026, 1, 6), None, Some(("Q", true))),
            "accommodation",
        ),
        (
            status(date(2026, 1, 6), None, Some(("Z", true))),
            "accommodation",
        ),
        (
            status(date(2026, 1, 6), None, Some(("S", true))),
            "suitable",
        ),
        (status(date(2026, 1, 6), None, None), "activity"),
    ] {
        assert_eq!(
            invalid_field(
                s.record_leaving_care_status(sw, kid.id, bad)
                    .await
                    .unwrap_err()
            ),
            field
        );
    }
    let moved = s
        .record_leaving_care_status(
            sw,
            kid.id,
            status(date(2025, 12, 2), Some("F2"), Some(("D", true))),
        )
        .await
        .unwrap();
    let college = s
        .record_leaving_care_status(sw, kid.id, status(date(2026, 5, 1), Some("F1"), None))
        .await
        .unwrap();

    // The record: both workers, the plans with history, the contact; nothing refused was saved.
    let rec = s.view_child_record(sw, kid.id, "test").await.unwrap();
    assert_eq!(
        rec.allocations.len(),
        1,
        "the social worker's allocations only"
    );
    assert_eq!(
        rec.current_allocation().unwrap().allocation.worker_id,
        workers[0].id
    );
    let cl = &rec.care_leavers;
    assert_eq!(cl.advisers.len(), 2);
    assert_eq!(cl.current_adviser().unwrap().worker_id, workers[2].id);
    assert_eq!(cl.advisers[1].to, Some(date(2024, 12, 31)));
    assert_eq!(cl.plans.len(), 2);
    assert_eq!(cl.current_plan().unwrap().id, review.id);
    let old = cl.plans.iter().find(|p| p.id == first.id).unwrap();
    assert_eq!(
        (old.superseded_by, old.superseded_on, old.goals.as_str()),
        (Some(review.id), Some(date(2025, 10, 20)), "A college place")
    );
    assert_eq!(cl.contacts, vec![k.clone()]);
    assert_eq!(cl.statuses, vec![college.clone(), moved.clone()]);
    assert!(rec.chronology.iter().any(
        |c| c.category == "Leaving care" && c.summary.starts_with("Keeping in touch: in touch")
    ));
    assert_eq!(s.care_leaving(kid.id).await.unwrap(), *cl);
    assert!(
        s.view_child_record(sw, young.id, "test")
            .await
            .unwrap()
            .care_leavers
            .is_empty()
    );

    // The current plan's review is due on the adviser's and the social worker's caseloads
    // (once for the team), not on a former adviser's.
    for (scope, n) in [
        (WorkScope::Worker(workers[2].id), 1),
        (WorkScope::Worker(workers[0].id), 1),
        (WorkScope::Worker(workers[1].id), 0),
        (WorkScope::Team(team.id), 1),
        (WorkScope::All, 1),
    ] {
        let due: Vec<_> = s
            .work_due(scope, date(2026, 1, 10))
            .await
            .unwrap()
            .into_iter()
            .filter(|d| d.what == "Pathway plan review")
            .collect();
        assert_eq!(due.len(), n, "{scope:?}");
        if n == 1 {
            assert_eq!(
                (due[0].due, due[0].child_id, due[0].worker_name.as_deref()),
                (date(2026, 4, 20), Some(kid.id), Some("Lee Adviser"))
            );
        }
    }

    // A personal adviser is not a social worker episode in the 903.
    let x = s.looked_after_export_for(2026, kid.id).await.unwrap();
    assert!(!x.allocations.is_empty());
    assert!(x.allocations.iter().all(|a| a.worker_id == workers[0].id));

    // Audited for the young person.
    let audit = s
        .audit_entries(&AuditQuery {
            person_id: Some(kid.id),
            limit: 200,
            ..Default::default()
        })
        .await
        .unwrap();
    let details: Vec<&str> = audit.iter().map(|a| a.detail.as_str()).collect();
    for d in [
        "personal adviser allocated",
        "personal adviser's allocation ended",
        "pathway plan recorded",
        "pathway plan reviewed and superseded",
        "keeping in touch recorded",
        "activity or accommodation recorded",
    ] {
        assert!(details.contains(&d), "{d} not audited: {details:?}");
    }
    assert_eq!(
        details
            .iter()
            .filter(|d| **d == "pathway plan recorded")
            .count(),
        2
    );
    assert_eq!(
        details
            .iter()
            .filter(|d| **d == "keeping in touch recorded")
            .count(),
        1
    );
}

conformance!(the_903_care_leavers_and_their_work_due_come_from_keeping_in_touch);
/// A care leaver's OC3 rows are read off the record: the contact in the window around each
/// birthday (three months either side) and what their activity and accommodation were on the
/// day; a window without anyone in touch is NO. The birthday contact and the adviser's visit
/// are on the adviser's caseload until done.
async fn the_903_care_leavers_and_their_work_due_come_from_keeping_in_touch(f: &Fixture) {
    let s = &f.store;
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let team = s
        .create_team(Actor::SYSTEM, "Leaving care team")
        .await
        .unwrap();
    let adviser = s
        .create_worker(
            Actor::SYSTEM,
            NewWorker {
                name: "Pat Adviser".into(),
                team_id: Some(team.id),
                role_title: "Personal adviser".into(),
                agency: false,
                started: date(2020, 1, 1),
            },
        )
        .await
        .unwrap();
    let kid = s
        .create_person(sw, child("Cara", "Leaver", date(2007, 3, 10), "CL3"))
        .await
        .unwrap();
    let mut care = entering();
    care.started_on = date(2023, 6, 1);
    s.enter_care(sw, kid.id, care).await.unwrap();
    s.cease_care(
        sw,
        kid.id,
        CeaseCare {
            ended_on: date(2024, 1, 15),
            reason_ceased: "E4A".into(),
        },
    )
    .await
    .unwrap();
    s.allocate_personal_adviser(sw, kid.id, adviser.id, date(2023, 6, 1))
        .await
        .unwrap();
    // 17th birthday (10 March 2024): in touch, in college and supported lodgings.
    s.record_leaving_care_status(
        sw,
        kid.id,
        status(date(2024, 1, 20), Some("F2"), Some(("E", true))),
    )
    .await
    .unwrap();
    s.record_keeping_in_touch(sw, kid.id, contact(date(2024, 4, 2), "YES"))
        .await
        .unwrap();
    // 18th (10 March 2025): nobody in touch in the window. 19th (10 March 2026): refused, then
    // in touch; an apprenticeship and staying put with former foster carers since September.
    s.record_leaving_care_status(
        sw,
        kid.id,
        status(date(2025, 9, 1), Some("F4"), Some(("Z", true))),
    )
    .await
    .unwrap();
    s.record_keeping_in_touch(sw, kid.id, contact(date(2026, 2, 1), "REFU"))
        .await
        .unwrap();
    let last = s
        .record_keeping_in_touch(sw, kid.id, contact(date(2026, 4, 20), "YES"))
        .await
        .unwrap();

    for (year, expected) in [
        (2024, ("YES", "F2", "E1")),
        (2025, ("NO", "0", "0")),
        (2026, ("YES", "F4", "Z1")),
        (2027, ("", "", "")),
    ] {
        let x = s.looked_after_export_for(year, kid.id).await.unwrap();
        let rows: Vec<(&str, &str, &str)> = x
            .care_leavers
            .iter()
            .map(|l| {
                (
                    l.in_touch.as_str(),
                    l.activity.as_deref().unwrap(),
                    l.accommodation.as_deref().unwrap(),
                )
            })
            .collect();
        if year == 2027 {
            assert!(rows.is_empty(), "the 20th birthday is not yet: {rows:?}");
        } else {
            assert_eq!(rows, vec![expected], "{year}");
            // The whole council's export says the same.
            let all = s.looked_after_export(year).await.unwrap();
            assert_eq!(
                all.care_leavers
                    .iter()
                    .filter(|l| l.child_id == kid.id)
                    .count(),
                1
            );
        }
    }
    // The performance report's care leavers are the same rows.
    let mut rows: Vec<(i32, Option<String>, Option<String>)> = s
        .extract()
        .await
        .unwrap()
        .care_leavers
        .into_iter()
        .filter(|l| l.child == kid.id)
        .map(|l| (l.year, l.activity, l.accommodation))
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        vec![
            (2024, Some("F2".into()), Some("E1".into())),
            (2025, Some("0".into()), Some("0".into())),
            (2026, Some("F4".into()), Some("Z1".into())),
        ]
    );

    // Work due on the adviser's caseload: the visit 8 weeks after they were last seen; the
    // 20th birthday's contact once its window opens (10 December 2026), due by its end.
    let due = |today| async move {
        s.work_due(WorkScope::Worker(adviser.id), today)
            .await
            .unwrap()
            .into_iter()
            .filter(|d| d.child_id == Some(kid.id))
            .map(|d| (d.what, d.due))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        due(date(2026, 12, 1)).await,
        vec![(
            "Personal adviser visit".to_string(),
            last.contact_on + chrono::Days::new(56)
        )]
    );
    let later = due(date(2026, 12, 15)).await;
    assert!(
        later.contains(&(
            "Keeping in touch around the 20th birthday (903)".to_string(),
            date(2027, 6, 10)
        )),
        "{later:?}"
    );
    assert!(due(date(2026, 12, 15)).await.len() == 2);
    // Not on another team's list.
    let other = s.create_team(Actor::SYSTEM, "Another team").await.unwrap();
    assert!(
        s.work_due(WorkScope::Team(other.id), date(2026, 12, 15))
            .await
            .unwrap()
            .iter()
            .all(|d| d.child_id != Some(kid.id))
    );
}
