//! Looked-after reviews, health, SDQs and missing episodes, on both backends, and the work they
//! put on work due for a child in care.

use domain::access::Role;
use domain::looked_after::health::{MissingReturn, NewHealthCheck, NewMissing, NewSdq};
use domain::looked_after::reviews::{NewRecommendation, NewReview, RecommendationDone};
use domain::looked_after::{Episode, Period};
use domain::work::VisitStandards;
use store::{Actor, BulkCouncil, DynRepository, StoreError, WorkScope};
use uuid::Uuid;

use crate::{Fixture, child, conformance, date, user};

/// A child of 9 looked after from Monday 6 January 2025 (full care order, foster care).
pub async fn child_in_care(s: &DynRepository) -> Uuid {
    let kid = s
        .create_person(
            Actor::SYSTEM,
            child("Ada", "Carew", date(2015, 6, 1), "LA1"),
        )
        .await
        .unwrap();
    let period = Uuid::now_v7();
    let council = BulkCouncil {
        cla_periods: vec![Period {
            id: period,
            child_id: kid.id,
            started_on: date(2025, 1, 6),
            ended_on: None,
            category_of_need: "N1".into(),
        }],
        cla_episodes: vec![Episode {
            id: Uuid::now_v7(),
            period_id: period,
            child_id: kid.id,
            started_on: date(2025, 1, 6),
            ended_on: None,
            reason_new: "S".into(),
            legal_status: "C2".into(),
            placement: "U4".into(),
            provider: Some("PR1".into()),
            placement_postcode: None,
            urn: None,
            reason_ceased: None,
            reason_place_change: None,
        }],
        ..Default::default()
    };
    s.load_synthetic(Actor::SYSTEM, &council, "a child in care")
        .await
        .unwrap();
    kid.id
}

fn due<'a>(items: &'a [domain::work::DueItem], what: &str) -> Option<&'a domain::work::DueItem> {
    items.iter().find(|i| i.what.starts_with(what))
}

conformance!(reviews_and_recommendations_on_work_due);
async fn reviews_and_recommendations_on_work_due(f: &Fixture) {
    let s = &f.store;
    let iro = Actor::user(user(s, "iro", Role::Iro).await.id);
    let kid = child_in_care(s).await;
    let today = date(2025, 1, 7);
    let items = s.work_due(WorkScope::All, today).await.unwrap();
    // 20 working days from Monday 6 January 2025.
    assert_eq!(
        due(&items, "Looked-after review").unwrap().due,
        date(2025, 2, 3)
    );
    assert_eq!(
        due(&items, "Initial health assessment").unwrap().due,
        date(2025, 2, 3)
    );
    assert_eq!(due(&items, "SDQ").unwrap().due, date(2026, 1, 6));
    // Not visited since the placement began: due within a week, overdue by March.
    let visits = s
        .visits_due(WorkScope::All, date(2025, 3, 1), VisitStandards::default())
        .await
        .unwrap();
    let v = due(&visits, "Visit (child in care)").unwrap();
    assert_eq!((v.due, v.child_id), (date(2025, 1, 13), Some(kid)));
    assert_eq!(v.rag, domain::timescales::Rag::Red);

    let bad = NewReview {
        held_on: date(2025, 1, 30),
        participation: "PN0".into(),
        childs_views: String::new(),
        views_reason: String::new(),
        recommendations: vec![],
    };
    assert!(matches!(
        s.record_review(iro, kid, bad.clone()).await,
        Err(StoreError::Invalid {
            field: "participation",
            ..
        })
    ));
    assert_eq!(f.raw_count("SELECT COUNT(*) FROM cla_review").await, 0);
    let review = NewReview {
        participation: "PN1".into(),
        childs_views: "I want to see my brother more.".into(),
        recommendations: vec![NewRecommendation {
            action: "Arrange fortnightly contact with her brother".into(),
            owner: "Social worker".into(),
            due_on: date(2025, 3, 1),
        }],
        ..bad
    };
    let saved = s.record_review(iro, kid, review).await.unwrap();
    assert_eq!(saved.chaired_by, iro.0);
    assert_eq!(saved.recommendations.len(), 1);
    let items = s.work_due(WorkScope::All, today).await.unwrap();
    assert_eq!(
        due(&items, "Looked-after review").unwrap().due,
        date(2025, 4, 30),
        "the second review within 3 months of the first"
    );
    let rec = due(&items, "Review recommendation").unwrap();
    assert_eq!(rec.due, date(2025, 3, 1));
    // The 903's review row and the child's page see it.
    let page = s.view_child_record(iro, kid, "test").await.unwrap();
    assert_eq!(page.looked_after.reviews[0].participation, "PN1");

    let id = saved.recommendations[0].id;
    assert!(matches!(
        s.complete_recommendation(
            iro,
            id,
            RecommendationDone {
                completed_on: date(2025, 1, 1),
                note: "x".into()
            }
        )
        .await,
        Err(StoreError::Invalid {
            field: "completed",
            ..
        })
    ));
    let done = s
        .complete_recommendation(
            iro,
            id,
            RecommendationDone {
                completed_on: date(2025, 2, 14),
                note: "Contact agreed with the carers.".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(done.completed_on, Some(date(2025, 2, 14)));
    let items = s.work_due(WorkScope::All, today).await.unwrap();
    assert!(due(&items, "Review recommendation").is_none());
    let err = f
        .raw_execute("DELETE FROM cla_review_action")
        .await
        .expect_err("delete");
    assert!(err.to_string().contains("never deleted"));
}

conformance!(health_checks_and_sdqs_feed_work_due_and_the_903_year);
async fn health_checks_and_sdqs_feed_work_due_and_the_903_year(f: &Fixture) {
    let s = &f.store;
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let kid = child_in_care(s).await;
    let today = date(2025, 1, 7);
    s.record_health_check(
        sw,
        kid,
        NewHealthCheck {
            kind: "initial".into(),
            done_on: date(2025, 1, 20),
        },
    )
    .await
    .unwrap();
    let items = s.work_due(WorkScope::All, today).await.unwrap();
    assert!(due(&items, "Initial health assessment").is_none());
    assert_eq!(
        due(&items, "Review health assessment").unwrap().due,
        date(2026, 1, 20),
        "aged 9: yearly"
    );
    for bad in [
        NewSdq {
            done_on: date(2025, 2, 1),
            score: Some(41),
            reason: None,
        },
        NewSdq {
            done_on: date(2025, 2, 1),
            score: None,
            reason: None,
        },
    ] {
        assert!(matches!(
            s.record_sdq(sw, kid, bad).await,
            Err(StoreError::Invalid { field: "score", .. })
        ));
    }
    assert_eq!(f.raw_count("SELECT COUNT(*) FROM cla_sdq").await, 0);
    s.record_sdq(
        sw,
        kid,
        NewSdq {
            done_on: date(2025, 2, 1),
            score: Some(14),
            reason: None,
        },
    )
    .await
    .unwrap();
    let items = s.work_due(WorkScope::All, today).await.unwrap();
    assert_eq!(due(&items, "SDQ").unwrap().due, date(2026, 2, 1));
    // Gathered into the collection year's health row (2024/25) for the 903's OC2.
    assert_eq!(
        f.raw_count("SELECT COUNT(*) FROM cla_health WHERE year = 2025 AND sdq_score = 14 AND health_assessment IS NOT NULL").await,
        1
    );
    let err = f
        .raw_execute("DELETE FROM cla_sdq")
        .await
        .expect_err("delete");
    assert!(err.to_string().contains("never deleted"));
}

conformance!(missing_episodes_with_the_return_home_interview);
async fn missing_episodes_with_the_return_home_interview(f: &Fixture) {
    let s = &f.store;
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let kid = child_in_care(s).await;
    let m = s
        .start_missing(
            sw,
            kid,
            NewMissing {
                kind: "M".into(),
                started_on: date(2025, 3, 1),
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        s.start_missing(
            sw,
            kid,
            NewMissing {
                kind: "A".into(),
                started_on: date(2025, 3, 2)
            }
        )
        .await,
        Err(StoreError::Invalid {
            field: "started",
            ..
        })
    ));
    let back = s
        .end_missing(
            sw,
            m.id,
            MissingReturn {
                ended_on: date(2025, 3, 3),
                interview_offered_at: Some(date(2025, 3, 4).and_hms_opt(10, 0, 0).unwrap()),
                interview_accepted: Some(true),
            },
        )
        .await
        .unwrap();
    assert_eq!(back.interview_accepted, Some(true));
    let page = s.view_child_record(sw, kid, "test").await.unwrap();
    assert_eq!(
        page.looked_after.missing[0].ended_on,
        Some(date(2025, 3, 3))
    );
    let reviews = s.care_reviews(kid).await.unwrap();
    assert_eq!(
        reviews.missing[0].interview_offered_at,
        back.interview_offered_at
    );
}
