//! Private fostering on both backends: notification, visits (initial then statutory), the
//! assessment and the end of an arrangement, each audited for the child; the child's record and
//! chronology, the visits due and the metrics extract.

use domain::access::Role;
use domain::private_fostering::{
    ArrangementEnd, Assessment, NewArrangement, NewVisit, Timescales, VisitKind,
};
use domain::timescales::Rag;
use store::{Actor, AuditQuery, NewWorker, StoreError, WorkScope};

use crate::{Fixture, child, conformance, date, user};

fn notification() -> NewArrangement {
    NewArrangement {
        // Tuesday 1 September 2026: the initial visit is due on Thursday 10 September.
        notified_on: date(2026, 9, 1),
        notified_by: "professional".into(),
        starts_on: date(2026, 8, 20),
        expected_end: Some(date(2027, 7, 20)),
        carer_relationship: "host_family".into(),
        carer: "Host family of a language school, Anytown".into(),
        reason: "Studying in England while the parents live overseas".into(),
    }
}

fn visit(on: chrono::NaiveDate, seen: bool) -> NewVisit {
    NewVisit {
        visited_on: on,
        child_seen: seen,
        seen_alone: seen,
        not_alone_reason: String::new(),
        childs_words: if seen {
            "I like it here and I call home on Sundays.".into()
        } else {
            String::new()
        },
        observation: String::new(),
        report: "Visited the home; the child has their own room.".into(),
    }
}

conformance!(a_private_fostering_arrangement_from_notification_to_end);
async fn a_private_fostering_arrangement_from_notification_to_end(f: &Fixture) {
    let s = &f.store;
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let team = s
        .create_team(Actor::SYSTEM, "Fostering team")
        .await
        .unwrap();
    let worker = s
        .create_worker(
            Actor::SYSTEM,
            NewWorker {
                name: "Pat Worker".into(),
                team_id: Some(team.id),
                role_title: "Social worker".into(),
                agency: false,
                started: date(2020, 1, 1),
            },
        )
        .await
        .unwrap();
    let kid = s
        .create_person(Actor::SYSTEM, child("Noa", "Vale", date(2012, 4, 4), "PF1"))
        .await
        .unwrap();
    s.allocate(Actor::SYSTEM, kid.id, worker.id, date(2026, 9, 1))
        .await
        .unwrap();
    let a = s
        .record_pf_notification(sw, kid.id, notification())
        .await
        .unwrap();
    assert!(a.existing(), "running before the council was told");
    assert_eq!(s.pf_arrangement_child(a.id).await.unwrap(), kid.id);
    assert_eq!(
        s.case_record_child(store::CaseRecord::PfArrangement, a.id)
            .await
            .unwrap(),
        kid.id
    );

    // One open arrangement at a time; and only for children under 16 (18 if disabled).
    let err = s
        .record_pf_notification(sw, kid.id, notification())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Invalid {
                field: "notified",
                ..
            }
        ),
        "{err}"
    );
    let older = s
        .create_person(Actor::SYSTEM, child("Ola", "Vale", date(2009, 4, 4), "PF2"))
        .await
        .unwrap();
    let err = s
        .record_pf_notification(sw, older.id, notification())
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid { field: "start", .. }),
        "{err}"
    );

    // The initial visit is due; it shows in the worker's work.
    let t = Timescales::default();
    let due = s
        .pf_visits_due(WorkScope::Worker(worker.id), date(2026, 9, 9), t)
        .await
        .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].what.as_str(), due[0].due, due[0].rag),
        (
            "Private fostering initial visit",
            date(2026, 9, 10),
            Rag::Green
        )
    );
    assert_eq!(due[0].link, format!("/private-fostering/{}/visits", a.id));

    // A visit before the notification is refused; a visit without seeing the child is not the
    // initial visit; the first at which the child is seen is.
    let err = s
        .record_pf_visit(sw, a.id, visit(date(2026, 8, 31), true))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Invalid {
                field: "visited",
                ..
            }
        ),
        "{err}"
    );
    let a1 = s
        .record_pf_visit(sw, a.id, visit(date(2026, 9, 3), false))
        .await
        .unwrap();
    assert_eq!(a1.visits[0].kind, VisitKind::Statutory);
    let a2 = s
        .record_pf_visit(sw, a.id, visit(date(2026, 9, 8), true))
        .await
        .unwrap();
    assert_eq!(a2.visits[1].kind, VisitKind::Initial);
    assert_eq!(a2.initial_visit_in_time(&t, date(2026, 12, 1)), Some(true));
    let a3 = s
        .record_pf_visit(sw, a.id, visit(date(2026, 10, 15), true))
        .await
        .unwrap();
    assert_eq!(a3.visits[2].kind, VisitKind::Statutory);
    // 15 October + 6 weeks.
    let due = s
        .pf_visits_due(WorkScope::Team(team.id), date(2026, 11, 30), t)
        .await
        .unwrap();
    assert_eq!(
        (due[0].what.as_str(), due[0].due, due[0].rag),
        ("Private fostering visit", date(2026, 11, 26), Rag::Red)
    );

    let assessed = s
        .assess_pf_arrangement(
            sw,
            a.id,
            Assessment {
                assessed_on: date(2026, 9, 20),
                outcome: "suitable".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(assessed.suitability.as_deref(), Some("suitable"));
    let err = s
        .assess_pf_arrangement(
            sw,
            a.id,
            Assessment {
                assessed_on: date(2026, 9, 21),
                outcome: "suitable".into(),
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Invalid {
            field: "assessed",
            ..
        }
    ));

    // Ending: not before a recorded visit; then once only.
    let end = |on| ArrangementEnd {
        ended_on: on,
        reason: "returned_home".into(),
        notified_on: date(2026, 11, 2),
    };
    let err = s
        .end_pf_arrangement(
            sw,
            a.id,
            ArrangementEnd {
                notified_on: date(2026, 10, 1),
                ..end(date(2026, 10, 1))
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid { field: "ended", .. }),
        "{err}"
    );
    let ended = s
        .end_pf_arrangement(sw, a.id, end(date(2026, 11, 1)))
        .await
        .unwrap();
    assert_eq!(ended.end_notified_in_time(), Some(true));
    assert!(
        s.end_pf_arrangement(sw, a.id, end(date(2026, 11, 1)))
            .await
            .is_err()
    );
    assert!(
        s.pf_visits_due(WorkScope::All, date(2026, 11, 30), t)
            .await
            .unwrap()
            .is_empty(),
        "nothing is due on an ended arrangement"
    );
    let err = s
        .record_pf_visit(sw, a.id, visit(date(2026, 11, 20), true))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Invalid {
            field: "visited",
            ..
        }
    ));

    // Every change is audited for the child.
    let entries = s
        .audit_entries(&AuditQuery {
            person_id: Some(kid.id),
            actor: sw.0,
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let kinds: Vec<(&str, &str)> = entries
        .iter()
        .rev()
        .map(|e| (e.entity_type.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("pf_arrangement", "private fostering arrangement notified"),
            ("pf_visit", "private fostering visit"),
            ("pf_visit", "private fostering initial visit"),
            ("pf_visit", "private fostering visit"),
            ("pf_arrangement", "private fostering arrangement assessed"),
            ("pf_arrangement", "private fostering arrangement ended"),
        ]
    );

    // The child's record and chronology hold it.
    let rec = s.view_child_record(sw, kid.id, "test").await.unwrap();
    assert_eq!(rec.private_fostering.len(), 1);
    assert_eq!(rec.private_fostering[0].visits.len(), 3);
    let pf: Vec<&str> = rec
        .chronology
        .iter()
        .filter(|c| c.category == "Private fostering")
        .map(|c| c.summary.as_str())
        .collect();
    assert_eq!(pf.len(), 6, "{pf:?}");
    assert!(
        pf[0].starts_with("Private fostering arrangement ended: the child returned"),
        "{pf:?}"
    );
    assert!(
        pf.contains(&"Private fostering initial visit: child seen alone"),
        "{pf:?}"
    );
    assert_eq!(
        s.pf_arrangements(kid.id).await.unwrap(),
        rec.private_fostering
    );

    // The performance report's extract: the visits at which the child was seen.
    let x = s.extract().await.unwrap();
    assert_eq!(x.private_fostering.len(), 1);
    assert_eq!(
        x.private_fostering[0].seen,
        [date(2026, 9, 8), date(2026, 10, 15)]
    );
    assert_eq!(x.private_fostering[0].ended, Some(date(2026, 11, 1)));

    // Never deleted.
    for sql in ["DELETE FROM pf_visit", "DELETE FROM pf_arrangement"] {
        let err = f.raw_execute(sql).await.expect_err(sql);
        assert!(err.to_string().contains("never deleted"), "{err}");
    }
}
