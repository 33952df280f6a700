//! Entering care, placement moves, changes of legal status and ceasing care, on both backends:
//! Hearth writes the 903 episodes, each change audited in its transaction, refusals save nothing.

use domain::access::{AuditAction, Role};
use domain::looked_after::care::{CareChange, CeaseCare, NewCarePeriod, NewPlacement};
use store::{Actor, AuditQuery, DynRepository, StoreError};
use uuid::Uuid;

use crate::{Fixture, adult, child, conformance, date, user};

fn placement(place: &str, provider: &str, urn: &str, postcode: &str, carer: &str) -> NewPlacement {
    NewPlacement {
        placement: place.into(),
        provider: provider.into(),
        postcode: postcode.into(),
        urn: urn.into(),
        carer: carer.into(),
        planned: Some(false),
    }
}

pub(crate) fn entering() -> NewCarePeriod {
    NewCarePeriod {
        started_on: date(2025, 4, 7),
        legal_status: "v2".into(),
        category_of_need: "N1".into(),
        rationale: "Mother agreed to accommodation after the injury; no safe family option.".into(),
        placement: placement("U6", "PR1", "SC123456", "ab1 2ab", "Jo and Sam Carer"),
        previous_permanence: "p2".into(),
        previous_permanence_la: "370".into(),
        previous_permanence_on: Some(date(2019, 3, 1)),
    }
}

async fn audit_for(s: &DynRepository, kid: Uuid) -> Vec<domain::access::AuditEntry> {
    let mut all = s
        .audit_entries(&AuditQuery {
            person_id: Some(kid),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    all.retain(|e| matches!(e.action, AuditAction::Create | AuditAction::Update));
    all
}

conformance!(care_is_entered_moved_changed_and_ceased);
async fn care_is_entered_moved_changed_and_ceased(f: &Fixture) {
    let s = &f.store;
    let tm = user(s, "tm", Role::TeamManager).await;
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let kid = s
        .create_person(Actor::SYSTEM, child("Ada", "Moss", date(2015, 6, 1), "C1"))
        .await
        .unwrap();

    let rec = s
        .enter_care(Actor::user(tm.id), kid.id, entering())
        .await
        .unwrap();
    assert_eq!(rec.period.started_on, date(2025, 4, 7));
    assert_eq!(rec.period.decided_by, Some(tm.id));
    assert_eq!(
        (
            rec.period.previous_permanence.as_deref(),
            rec.period.previous_permanence_la.as_deref(),
            rec.period.previous_permanence_on
        ),
        (Some("P2"), Some("370"), Some(date(2019, 3, 1)))
    );
    assert_eq!(rec.period.category_of_need, "N1");
    let first = &rec.episodes[0];
    assert_eq!(
        (
            first.reason_new.as_str(),
            first.legal_status.as_str(),
            first.placement.as_str()
        ),
        ("S", "V2", "U6")
    );
    assert_eq!(first.placement_postcode.as_deref(), Some("AB1 2AB"));
    assert_eq!(
        (first.carer.as_deref(), first.planned),
        (Some("Jo and Sam Carer"), Some(false))
    );

    // A move to a children's home: the first episode ends X1 with the reason, the next is P.
    let moved = s
        .change_care(
            sw,
            kid.id,
            CareChange {
                changed_on: date(2025, 7, 1),
                kind: "placement".into(),
                legal_status: String::new(),
                placement: NewPlacement {
                    planned: Some(true),
                    ..placement("K2", "PR4", "SC654321", "ZX9 9ZZ", "Oak House")
                },
                same_carer: Some(false),
                reason_place_change: "CREQB".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(moved.episodes.len(), 2);
    let (a, b) = (&moved.episodes[0], &moved.episodes[1]);
    assert_eq!(
        (
            a.ended_on,
            a.reason_ceased.as_deref(),
            a.reason_place_change.as_deref()
        ),
        (Some(date(2025, 7, 1)), Some("X1"), Some("CREQB"))
    );
    assert_eq!(
        (
            b.reason_new.as_str(),
            b.legal_status.as_str(),
            b.placement.as_str(),
            b.provider.as_deref()
        ),
        ("P", "V2", "K2", Some("PR4"))
    );

    // A care order: L, the placement copied.
    let changed = s
        .change_care(
            sw,
            kid.id,
            CareChange {
                changed_on: date(2025, 9, 1),
                kind: "legal_status".into(),
                legal_status: "C2".into(),
                placement: NewPlacement::default(),
                same_carer: None,
                reason_place_change: String::new(),
            },
        )
        .await
        .unwrap();
    let c = &changed.episodes[2];
    assert_eq!(
        (
            c.reason_new.as_str(),
            c.legal_status.as_str(),
            c.placement.as_str(),
            c.urn.as_deref()
        ),
        ("L", "C2", "K2", Some("SC654321"))
    );
    assert_eq!(
        (c.carer.as_deref(), c.planned),
        (Some("Oak House"), Some(true))
    );
    assert_eq!(changed.episodes[1].reason_place_change, None);

    // Ceasing care: E4A, the period closes.
    let ended = s
        .cease_care(
            sw,
            kid.id,
            CeaseCare {
                ended_on: date(2025, 12, 1),
                reason_ceased: "E4A".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(ended.period.ended_on, Some(date(2025, 12, 1)));
    assert_eq!(ended.episodes[2].reason_ceased.as_deref(), Some("E4A"));
    assert_eq!(
        s.latest_care_period(kid.id).await.unwrap(),
        Some(ended.clone())
    );

    // The child's record (and so the page and the 903) reads the same episodes.
    let record = s.view_child_record(sw, kid.id, "test").await.unwrap();
    let rnes: Vec<&str> = record
        .looked_after
        .episodes
        .iter()
        .map(|e| e.reason_new.as_str())
        .collect();
    assert_eq!(rnes, vec!["S", "P", "L"]);

    // Audited: the period created and closed, three episodes created, three ended.
    let audit = audit_for(s, kid.id).await;
    let count = |t: &str, a: AuditAction| {
        audit
            .iter()
            .filter(|e| e.entity_type == t && e.action == a)
            .count()
    };
    assert_eq!(count("cla_period", AuditAction::Create), 1);
    assert_eq!(count("cla_period", AuditAction::Update), 1);
    assert_eq!(count("cla_episode", AuditAction::Create), 3);
    assert_eq!(count("cla_episode", AuditAction::Update), 3);

    // Entering care again: only after the last period ended.
    let mut again = entering();
    again.started_on = date(2025, 11, 30);
    assert!(matches!(
        s.enter_care(Actor::user(tm.id), kid.id, again).await,
        Err(StoreError::Invalid {
            field: "started",
            ..
        })
    ));
    let err = f
        .raw_execute("DELETE FROM cla_episode")
        .await
        .expect_err("delete");
    assert!(err.to_string().contains("never deleted"));
}

conformance!(care_refusals_save_nothing);
async fn care_refusals_save_nothing(f: &Fixture) {
    let s = &f.store;
    let tm = Actor::user(user(s, "tm", Role::TeamManager).await.id);
    let kid = s
        .create_person(Actor::SYSTEM, child("Bo", "Lark", date(2016, 3, 3), "C2"))
        .await
        .unwrap();
    let grown = s
        .create_person(Actor::SYSTEM, adult("Cy", "Lark"))
        .await
        .unwrap();
    assert!(matches!(
        s.enter_care(tm, grown.id, entering()).await,
        Err(StoreError::Invalid {
            field: "started",
            ..
        })
    ));
    // Not looked after: no move, no end.
    let cease = CeaseCare {
        ended_on: date(2025, 12, 1),
        reason_ceased: "E4A".into(),
    };
    assert!(matches!(
        s.cease_care(tm, kid.id, cease.clone()).await,
        Err(StoreError::Invalid { field: "ended", .. })
    ));
    // A temporary first placement (903 rule 380) and an unknown code are refused.
    let mut bad = entering();
    bad.placement = placement("T1", "", "", "AB1 2AB", "Hospital");
    assert!(matches!(
        s.enter_care(tm, kid.id, bad).await,
        Err(StoreError::Invalid {
            field: "placement",
            ..
        })
    ));
    let mut bad = entering();
    bad.legal_status = "Q1".into();
    assert!(matches!(
        s.enter_care(tm, kid.id, bad).await,
        Err(StoreError::Invalid {
            field: "legal_status",
            ..
        })
    ));
    assert_eq!(f.raw_count("SELECT COUNT(*) FROM cla_period").await, 0);
    assert!(
        audit_for(s, kid.id)
            .await
            .iter()
            .all(|e| !e.entity_type.starts_with("cla_"))
    );

    s.enter_care(tm, kid.id, entering()).await.unwrap();
    // A move dated before the current episode began; a placement change with no reason (225).
    let mut change = CareChange {
        changed_on: date(2025, 4, 6),
        kind: "placement".into(),
        legal_status: String::new(),
        placement: placement("U4", "PR1", "SC222222", "AB1 2AB", "New carers"),
        same_carer: Some(false),
        reason_place_change: "CARPL".into(),
    };
    assert!(matches!(
        s.change_care(tm, kid.id, change.clone()).await,
        Err(StoreError::Invalid {
            field: "changed",
            ..
        })
    ));
    change.changed_on = date(2025, 5, 6);
    change.reason_place_change.clear();
    assert!(matches!(
        s.change_care(tm, kid.id, change).await,
        Err(StoreError::Invalid {
            field: "reason_place_change",
            ..
        })
    ));
    // X1 does not end care.
    assert!(matches!(
        s.cease_care(
            tm,
            kid.id,
            CeaseCare {
                reason_ceased: "X1".into(),
                ..cease
            }
        )
        .await,
        Err(StoreError::Invalid {
            field: "reason_ceased",
            ..
        })
    ));
    assert_eq!(f.raw_count("SELECT COUNT(*) FROM cla_episode").await, 1);
    assert_eq!(
        f.raw_count("SELECT COUNT(*) FROM cla_episode WHERE ended_on IS NOT NULL")
            .await,
        0
    );
    assert_eq!(
        audit_for(s, kid.id)
            .await
            .iter()
            .filter(|e| e.entity_type.starts_with("cla_"))
            .count(),
        2
    );
}

conformance!(the_903_export_read_holds_the_years_looked_after_children);
async fn the_903_export_read_holds_the_years_looked_after_children(f: &Fixture) {
    let s = &f.store;
    let tm = user(s, "tm", Role::TeamManager).await;
    let kid = s
        .create_person(Actor::SYSTEM, child("Ada", "Moss", date(2015, 6, 1), "C1"))
        .await
        .unwrap();
    // A child never in care is not in the read.
    s.create_person(Actor::SYSTEM, child("Bo", "Moss", date(2016, 6, 1), "C2"))
        .await
        .unwrap();
    s.enter_care(Actor::user(tm.id), kid.id, entering())
        .await
        .unwrap();

    let x = s.looked_after_export(2026).await.unwrap();
    assert_eq!(x.year, 2026);
    assert_eq!(x.children.len(), 1);
    let c = &x.children[0];
    assert_eq!(
        (
            c.id,
            c.council_child_id.as_deref(),
            c.sex.as_str(),
            c.date_of_birth,
            c.ethnicity.as_str(),
            c.uasc
        ),
        (
            kid.id,
            Some("C1"),
            "2",
            Some(date(2015, 6, 1)),
            "WBRI",
            false
        )
    );
    assert_eq!(x.periods.len(), 1);
    assert_eq!(x.periods[0].category_of_need, "N1");
    assert_eq!(x.episodes.len(), 1);
    let e = &x.episodes[0];
    assert_eq!(
        (
            e.legal_status.as_str(),
            e.placement.as_str(),
            e.provider.as_deref(),
            e.placement_postcode.as_deref(),
            e.urn.as_deref()
        ),
        ("V2", "U6", Some("PR1"), Some("AB1 2AB"), Some("SC123456"))
    );

    // The year before the child came into care has no one in it.
    let before = s.looked_after_export(2025).await.unwrap();
    assert!(before.children.is_empty() && before.episodes.is_empty());
}
