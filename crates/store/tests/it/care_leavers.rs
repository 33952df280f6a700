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

/// A leaving care team's personal adviser.
async fn adviser(s: &store::DynRepository) -> domain::workforce::Worker {
    let team = s
        .create_team(Actor::SYSTEM, "Leaving care team")
        .await
        .unwrap();
    s.create_worker(
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
    .unwrap()
}

/// A young person born `dob`, in care from `from` until `to` (a care leaver when that is 13
/// weeks from 14 and ends at 16 or later).
async fn left_care(
    s: &store::DynRepository,
    sw: Actor,
    given: &str,
    dob: chrono::NaiveDate,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> domain::person::Person {
    let kid = s
        .create_person(sw, child(given, "Leaver", dob, &format!("CL-{given}")))
        .await
        .unwrap();
    let mut care = entering();
    care.started_on = from;
    s.enter_care(sw, kid.id, care).await.unwrap();
    s.cease_care(
        sw,
        kid.id,
        CeaseCare {
            ended_on: to,
            reason_ceased: "E4A".into(),
        },
    )
    .await
    .unwrap();
    kid
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
    let adviser = adviser(s).await;
    let kid = left_care(
        s,
        sw,
        "Cara",
        date(2007, 3, 10),
        date(2023, 6, 1),
        date(2024, 1, 15),
    )
    .await;
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

conformance!(keeping_in_touch_and_status_are_corrected_and_the_903_follows);
/// A contact amended (with its reason, the earlier version kept) changes the birthday's
/// IN_TOUCH; a contact or a change of status entered in error leaves the OC3 row and work due,
/// and stays on the record as a correction; an amendment the domain refuses saves nothing.
async fn keeping_in_touch_and_status_are_corrected_and_the_903_follows(f: &Fixture) {
    use store::correction::{amend, current, enter_in_error};
    let s = &f.store;
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let kid = left_care(
        s,
        sw,
        "Dee",
        date(2007, 3, 10),
        date(2023, 6, 1),
        date(2024, 1, 15),
    )
    .await;
    // 17th birthday, 10 March 2024: a contact recorded as not in touch by mistake.
    let k = s
        .record_keeping_in_touch(sw, kid.id, contact(date(2024, 4, 2), "NO"))
        .await
        .unwrap();
    let st = s
        .record_leaving_care_status(
            sw,
            kid.id,
            status(date(2024, 1, 20), Some("F2"), Some(("E", true))),
        )
        .await
        .unwrap();
    let oc3 = |year| async move {
        s.looked_after_export_for(year, kid.id)
            .await
            .unwrap()
            .care_leavers
            .into_iter()
            .map(|l| {
                (
                    l.in_touch,
                    l.activity.unwrap_or_default(),
                    l.accommodation.unwrap_or_default(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        oc3(2024).await,
        vec![("NO".to_string(), "0".to_string(), "0".to_string())]
    );

    // Refused: a reason is needed, and the amended contact must still be after leaving care.
    let (cur, mut was) = current::<NewKeepingInTouch, _>(&**s, k.id).await.unwrap();
    assert_eq!((cur.version, was.in_touch.as_str()), (1, "NO"));
    was.in_touch = "YES".into();
    assert_eq!(
        invalid_field(amend(&**s, sw, k.id, 1, &was, " ").await.unwrap_err()),
        "reason"
    );
    let mut early = was.clone();
    early.contact_on = date(2024, 1, 10);
    assert_eq!(
        invalid_field(
            amend(&**s, sw, k.id, 1, &early, "Wrong date")
                .await
                .unwrap_err()
        ),
        "contact_on"
    );
    assert_eq!(oc3(2024).await[0].0, "NO", "nothing refused was saved");
    let c = amend(
        &**s,
        sw,
        k.id,
        1,
        &was,
        "She was seen: the outcome was picked wrongly",
    )
    .await
    .unwrap();
    assert_eq!(c.previous["in_touch"], "NO");
    assert_eq!(
        oc3(2024).await,
        vec![("YES".to_string(), "F2".to_string(), "E1".to_string())]
    );
    // A stale page is refused.
    assert!(matches!(
        amend(&**s, sw, k.id, 1, &was, "Again").await.unwrap_err(),
        StoreError::Conflict {
            expected: 1,
            actual: 2
        }
    ));

    // The change of status entered in error: in touch, but nothing recorded is 0.
    enter_in_error::<NewLeavingCareStatus, _>(
        &**s,
        sw,
        st.id,
        1,
        "Recorded for the wrong young person",
    )
    .await
    .unwrap();
    assert_eq!(
        oc3(2024).await,
        vec![("YES".to_string(), "0".to_string(), "0".to_string())]
    );
    // And the contact entered in error: nobody in touch.
    enter_in_error::<NewKeepingInTouch, _>(
        &**s,
        sw,
        k.id,
        2,
        "Duplicate of a contact on the other file",
    )
    .await
    .unwrap();
    assert_eq!(oc3(2024).await[0].0, "NO");
    let rec = s.view_child_record(sw, kid.id, "test").await.unwrap();
    assert!(rec.care_leavers.contacts.is_empty() && rec.care_leavers.statuses.is_empty());
    let kinds: Vec<(&str, domain::correction::CorrectionKind)> = rec
        .corrections
        .iter()
        .map(|c| (c.record_kind.as_str(), c.kind))
        .collect();
    for k in ["leaving_care_contact", "leaving_care_status"] {
        assert!(
            kinds
                .iter()
                .any(|(r, c)| *r == k && *c == domain::correction::CorrectionKind::EnteredInError),
            "{kinds:?}"
        );
    }
    assert_eq!(
        rec.corrections
            .iter()
            .filter(|c| c.record_kind == "leaving_care_contact")
            .count(),
        2
    );
}

conformance!(needs_assessments_progress_and_support_to_25);
/// A needs assessment from 16; progress on a pathway plan action checked against its version;
/// at 21 the adviser's allocation is due to end unless the young person asked for support to 25.
async fn needs_assessments_progress_and_support_to_25(f: &Fixture) {
    use domain::care_leavers::{NewNeedsAssessment, NewSupportRequest};
    use domain::child_in_need::ActionProgress;
    let s = &f.store;
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let adviser = adviser(s).await;
    // Born 1 June 2005: 21 on 1 June 2026; in care from 16 to 17.
    let kid = left_care(
        s,
        sw,
        "Eve",
        date(2005, 6, 1),
        date(2021, 7, 1),
        date(2022, 6, 30),
    )
    .await;
    s.allocate_personal_adviser(sw, kid.id, adviser.id, date(2022, 7, 1))
        .await
        .unwrap();

    let needs = |on| NewNeedsAssessment {
        assessed_on: on,
        areas: vec!["finance".into(), "accommodation".into()],
        findings: "Rent arrears; wants to stay near her college".into(),
        views: "I want to keep my flat".into(),
    };
    assert_eq!(
        invalid_field(
            s.record_needs_assessment(sw, kid.id, needs(date(2021, 5, 31)))
                .await
                .unwrap_err()
        ),
        "assessed_on"
    );
    let n = s
        .record_needs_assessment(sw, kid.id, needs(date(2021, 9, 1)))
        .await
        .unwrap();
    let mut bad = needs(date(2021, 9, 1));
    bad.areas = vec!["hobbies".into()];
    assert_eq!(
        invalid_field(
            s.record_needs_assessment(sw, kid.id, bad)
                .await
                .unwrap_err()
        ),
        "areas"
    );

    let p = s
        .record_pathway_plan(
            sw,
            kid.id,
            plan(date(2021, 10, 1), date(2022, 4, 1), "A tenancy"),
        )
        .await
        .unwrap();
    let a = p.actions[0].id;
    let progress = |status: &str| ActionProgress {
        status: status.into(),
        progress: "Application sent".into(),
    };
    assert_eq!(
        invalid_field(
            s.update_pathway_action(sw, a, 1, progress("maybe"))
                .await
                .unwrap_err()
        ),
        "status"
    );
    let p = s
        .update_pathway_action(sw, a, 1, progress("in_progress"))
        .await
        .unwrap();
    assert_eq!(
        (p.actions[0].status.as_str(), p.actions[0].version),
        ("in_progress", 2)
    );
    assert!(matches!(
        s.update_pathway_action(sw, a, 1, progress("done"))
            .await
            .unwrap_err(),
        StoreError::Conflict {
            expected: 1,
            actual: 2
        }
    ));

    // Past 21 with no request: the allocation is due to end at the 21st birthday.
    let ended = |today| async move {
        s.work_due(WorkScope::Worker(adviser.id), today)
            .await
            .unwrap()
            .into_iter()
            .filter(|d| d.what.starts_with("Leaving care support ended"))
            .map(|d| d.due)
            .collect::<Vec<_>>()
    };
    assert_eq!(ended(date(2026, 7, 1)).await, vec![date(2026, 6, 1)]);
    assert!(ended(date(2026, 5, 1)).await.is_empty());
    let request = |on| NewSupportRequest {
        requested_on: on,
        words: "Help with my tenancy and a job".into(),
    };
    assert_eq!(
        invalid_field(
            s.record_support_request(sw, kid.id, request(date(2025, 1, 1)))
                .await
                .unwrap_err()
        ),
        "requested_on"
    );
    let r = s
        .record_support_request(sw, kid.id, request(date(2026, 6, 20)))
        .await
        .unwrap();
    assert!(ended(date(2026, 7, 1)).await.is_empty(), "held to 25 now");
    let cl = s.care_leaving(kid.id).await.unwrap();
    assert_eq!(
        (cl.assessments, cl.support),
        (vec![n.clone()], vec![r.clone()])
    );

    // Corrected like every record: the assessment's areas amended (the earlier kept), the
    // request entered in error (held to 21 again).
    use store::correction::{amend, enter_in_error};
    let mut fixed = needs(date(2021, 9, 1));
    fixed.areas = vec!["finance".into(), "health".into()];
    let c = amend(&**s, sw, n.id, 1, &fixed, "Health needs were left off")
        .await
        .unwrap();
    assert_eq!(
        c.previous["areas"],
        serde_json::json!(["finance", "accommodation"])
    );
    let mut unknown = fixed.clone();
    unknown.areas = vec!["hobbies".into()];
    assert_eq!(
        invalid_field(amend(&**s, sw, n.id, 2, &unknown, "x").await.unwrap_err()),
        "areas"
    );
    enter_in_error::<NewSupportRequest, _>(&**s, sw, r.id, 1, "Asked by another young person")
        .await
        .unwrap();
    let cl = s.care_leaving(kid.id).await.unwrap();
    assert_eq!(
        cl.assessments[0].areas,
        vec!["finance".to_string(), "health".to_string()]
    );
    assert!(cl.support.is_empty());
    assert_eq!(ended(date(2026, 7, 1)).await, vec![date(2026, 6, 1)]);
}
