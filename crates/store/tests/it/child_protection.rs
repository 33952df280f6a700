//! Child protection, on both backends: the pathway from strategy discussion to the end of a plan,
//! with its timescales.

use domain::access::Role;
use domain::child_protection::{
    ConferenceKind, NewConference, NewCoreGroup, NewStrategy, S47Completion,
};
use domain::timescales::Rag;
use store::{Actor, AuditQuery, StoreError, WorkScope};

use crate::{Fixture, child, conformance, date, through_front_door, user};

fn agencies() -> Vec<String> {
    vec!["social_care".into(), "police".into(), "health".into()]
}

conformance!(the_child_protection_pathway_keeps_its_timescales);
async fn the_child_protection_pathway_keeps_its_timescales(f: &Fixture) {
    let s = &f.store;
    let tm = Actor::user(user(s, "tm", Role::TeamManager).await.id);
    let kid = s
        .create_person(Actor::SYSTEM, child("Eli", "Ward", date(2019, 3, 3), "K1"))
        .await
        .unwrap();
    let refs = through_front_door(s, tm, kid.id, date(2025, 11, 3), "strategy").await;

    // A strategy discussion starts the section 47 enquiry; the initial conference is due 15
    // working days from it.
    let (strategy, s47) = s
        .record_strategy(
            tm,
            NewStrategy {
                referral_id: refs[0].id,
                held_on: date(2025, 11, 4),
                agencies: agencies(),
                s47: true,
                notes: "Threshold met for section 47.".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(strategy.agencies.len(), 3);
    let s47 = s47.expect("a section 47 enquiry");
    assert_eq!(s47.icpc_due, date(2025, 11, 25));
    let due = s
        .work_due(WorkScope::All, date(2025, 11, 26))
        .await
        .unwrap();
    let item = due
        .iter()
        .find(|i| i.what.starts_with("Section 47"))
        .unwrap();
    assert_eq!((item.due, item.rag), (date(2025, 11, 25), Rag::Red));

    // No initial conference without an enquiry that called for one.
    let icpc = NewConference {
        kind: ConferenceKind::Initial,
        held_on: date(2025, 11, 24),
        agencies: agencies(),
        plan: true,
        category: Some("EMO".into()),
        end_reason: String::new(),
    };
    assert!(matches!(
        s.record_conference(tm, kid.id, icpc.clone()).await,
        Err(StoreError::Invalid { field: "kind", .. })
    ));
    s.complete_s47(
        tm,
        s47.id,
        S47Completion {
            completed_on: date(2025, 11, 10),
            outcome: "icpc".into(),
        },
    )
    .await
    .unwrap();
    let due = s
        .work_due(WorkScope::All, date(2025, 11, 12))
        .await
        .unwrap();
    assert!(
        due.iter()
            .any(|i| i.what == "Initial child protection conference" && i.rag == Rag::Green)
    );
    let conf = s.record_conference(tm, kid.id, icpc.clone()).await.unwrap();
    assert_eq!(conf.due_on, date(2025, 11, 25));
    assert!(conf.plan_id.is_some());

    let rec = s.view_child_record(tm, kid.id, "test").await.unwrap();
    let plan = &rec.child_protection.cp_plans[0];
    assert_eq!(
        (plan.initial_category.as_str(), plan.repeat),
        ("EMO", false)
    );
    // First review 3 months after the initial conference; first core group within 10 working days.
    let due = s.work_due(WorkScope::All, date(2025, 12, 1)).await.unwrap();
    let review = due
        .iter()
        .find(|i| i.what == "Child protection review conference")
        .unwrap();
    assert_eq!(review.due, date(2026, 2, 24));
    let core = due.iter().find(|i| i.what == "First core group").unwrap();
    assert_eq!(core.due, date(2025, 12, 8));
    assert!(
        !due.iter().any(|i| i.what.contains("nitial")),
        "the initial conference is held"
    );

    s.record_core_group(
        tm,
        plan.id,
        NewCoreGroup {
            held_on: date(2025, 12, 5),
            agencies: agencies(),
            notes: "Safety plan agreed.".into(),
        },
    )
    .await
    .unwrap();
    let review1 = NewConference {
        kind: ConferenceKind::Review,
        held_on: date(2026, 2, 20),
        agencies: agencies(),
        plan: true,
        category: Some("NEG".into()),
        end_reason: String::new(),
    };
    s.record_conference(tm, kid.id, review1).await.unwrap();
    let due = s.work_due(WorkScope::All, date(2026, 3, 1)).await.unwrap();
    assert!(!due.iter().any(|i| i.what == "First core group"));
    assert_eq!(
        due.iter()
            .find(|i| i.what == "Child protection review conference")
            .unwrap()
            .due,
        date(2026, 8, 20)
    );

    // A review that ends the plan needs a reason; then the plan ends and nothing more is due.
    let mut end = NewConference {
        kind: ConferenceKind::Review,
        held_on: date(2026, 5, 1),
        agencies: agencies(),
        plan: false,
        category: None,
        end_reason: String::new(),
    };
    assert!(matches!(
        s.record_conference(tm, kid.id, end.clone()).await,
        Err(StoreError::Invalid {
            field: "end_reason",
            ..
        })
    ));
    end.end_reason = "Risks reduced: step down to a child in need plan.".into();
    s.record_conference(tm, kid.id, end).await.unwrap();
    let rec = s.view_child_record(tm, kid.id, "test").await.unwrap();
    let plan = &rec.child_protection.cp_plans[0];
    assert_eq!(
        (plan.ended_on, plan.latest_category.as_str()),
        (Some(date(2026, 5, 1)), "NEG")
    );
    assert!(
        s.work_due(WorkScope::All, date(2026, 5, 2))
            .await
            .unwrap()
            .is_empty()
    );
    for cat in [
        "Strategy discussion",
        "Section 47",
        "Conference",
        "Core group",
        "Child protection plan",
    ] {
        assert!(
            rec.chronology.iter().any(|e| e.category == cat),
            "{cat} missing from the chronology"
        );
    }

    // A second plan is a repeat plan.
    let refs2 = through_front_door(s, tm, kid.id, date(2026, 6, 1), "strategy").await;
    assert!(refs2[0].re_referral);
    let (_, s47b) = s
        .record_strategy(
            tm,
            NewStrategy {
                referral_id: refs2[0].id,
                held_on: date(2026, 6, 1),
                agencies: agencies(),
                s47: true,
                notes: "Again.".into(),
            },
        )
        .await
        .unwrap();
    s.complete_s47(
        tm,
        s47b.unwrap().id,
        S47Completion {
            completed_on: date(2026, 6, 5),
            outcome: "icpc".into(),
        },
    )
    .await
    .unwrap();
    s.record_conference(
        tm,
        kid.id,
        NewConference {
            held_on: date(2026, 6, 19),
            category: Some("PHY".into()),
            ..icpc
        },
    )
    .await
    .unwrap();
    let rec = s.view_child_record(tm, kid.id, "test").await.unwrap();
    assert!(rec.child_protection.cp_plans[0].repeat);

    // The report's extract holds the pathway.
    let x = s.extract().await.unwrap();
    assert_eq!(
        (
            x.contacts.len(),
            x.referrals.len(),
            x.s47s.len(),
            x.cp_plans.len()
        ),
        (2, 2, 2, 2)
    );
    assert_eq!(x.contacts[0].children, vec![kid.id]);
    let first = x.cp_plans.iter().find(|p| p.ended.is_some()).unwrap();
    assert_eq!(
        (first.initial_category.as_str(), first.reviews.len()),
        ("EMO", 2)
    );
    assert!(x.cp_plans.iter().any(|p| p.repeat));
    assert_eq!(x.s47s.iter().filter(|s| s.icpc.is_some()).count(), 2);
    let log = s
        .audit_entries(&AuditQuery {
            person_id: Some(kid.id),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let details: Vec<&str> = log.iter().map(|e| e.detail.as_str()).collect();
    for want in [
        "strategy discussion",
        "section 47 enquiry started",
        "section 47 enquiry completed",
        "initial child protection conference",
        "child protection plan started",
        "core group",
        "review child protection conference",
        "child protection plan ended",
    ] {
        assert!(details.contains(&want), "{want} missing from the audit log");
    }
    for sql in [
        "DELETE FROM cp_plan",
        "DELETE FROM conference",
        "DELETE FROM s47",
        "DELETE FROM strategy",
        "DELETE FROM core_group",
    ] {
        let err = f.raw_execute(sql).await.expect_err(sql);
        assert!(err.to_string().contains("never deleted"), "{sql}: {err}");
    }
}
