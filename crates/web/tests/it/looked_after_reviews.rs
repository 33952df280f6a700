//! Looked-after reviews and SDQs through the pages and the API: an IRO records a review, a
//! performance analyst is refused (403, audited), bad input saves nothing.

use axum::http::StatusCode;
use domain::access::{AuditAction, Role};
use domain::looked_after::{Episode, Period};
use serde_json::json;
use store::{Actor, BulkCouncil};
use uuid::Uuid;

use crate::TestApp;
use crate::api::{json_req, token};

async fn into_care(t: &TestApp, kid: Uuid) {
    let period = Uuid::now_v7();
    let council = BulkCouncil {
        cla_periods: vec![Period {
            id: period,
            child_id: kid,
            started_on: crate::date(2025, 1, 6),
            ended_on: None,
            category_of_need: "N1".into(),
        }],
        cla_episodes: vec![Episode {
            id: Uuid::now_v7(),
            period_id: period,
            child_id: kid,
            started_on: crate::date(2025, 1, 6),
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
    t.store
        .load_synthetic(Actor::SYSTEM, &council, "in care")
        .await
        .unwrap();
}

#[tokio::test]
async fn an_iro_records_a_review_through_the_page() {
    let t = TestApp::new().await;
    t.user("iro", Role::Iro, None).await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let kid = t.child("Ada", "Carew", false).await;
    let other = t.child("Bea", "Home", false).await;
    into_care(&t, kid).await;
    let iro = t.sign_in("iro").await;
    let page = t
        .get(&format!("/children/{kid}/care-reviews"), Some(&iro))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("next looked-after review is due by 3 February 2025"),
        "{}",
        page.body
    );
    // An IRO may not open a child who is not in care.
    let r = t
        .get(&format!("/children/{other}?section=all"), Some(&iro))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let path = format!("/children/{kid}/care-reviews");
    let base = |views: &'static str, owner: &'static str| {
        vec![
            ("csrf_token", iro.csrf.as_str()),
            ("held-day", "30"),
            ("held-month", "1"),
            ("held-year", "2025"),
            ("participation", "PN1"),
            ("childs_views", views),
            ("rec1_action", "Arrange contact with her brother"),
            ("rec1_owner", owner),
            ("rec1_due-day", "1"),
            ("rec1_due-month", "3"),
            ("rec1_due-year", "2025"),
        ]
    };
    // No views and no owner: the GOV.UK error summary, nothing saved.
    let r = t.post_form(&path, Some(&iro), &base("", "")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("govuk-error-summary"));
    assert!(
        r.body.contains("Enter the child&#x27;s views")
            || r.body.contains("Enter the child's views"),
        "{}",
        r.body
    );
    assert!(r.body.contains("#rec1_owner"));
    assert!(t.store.care_reviews(kid).await.unwrap().reviews.is_empty());
    let r = t
        .post_form(
            &path,
            Some(&iro),
            &base("I want to see my brother.", "Social worker"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let saved = t.store.care_reviews(kid).await.unwrap();
    assert_eq!(saved.reviews.len(), 1);
    assert_eq!(saved.reviews[0].recommendations[0].owner, "Social worker");

    // A performance analyst may not: 403, audited.
    let pa = t.sign_in("pa").await;
    let r = t.get(&path, Some(&pa)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        t.audit(AuditAction::Denied)
            .await
            .iter()
            .any(|e| e.person_id == Some(kid))
    );
}

#[tokio::test]
async fn reviews_and_sdqs_through_the_api() {
    let t = TestApp::new().await;
    t.user("iro", Role::Iro, None).await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let kid = t.child("Ada", "Carew", false).await;
    into_care(&t, kid).await;
    let iro = token(&t, "iro").await;
    let review = json!({
        "held_on": "2025-01-30", "participation": "PN6", "childs_views": "Wrote to the IRO.",
        "recommendations": [{"action": "Life story work", "owner": "Social worker", "due_on": "2025-04-01"}]
    });
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/children/{kid}/care-reviews"),
            Some(&iro),
            review.clone(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pa = token(&t, "pa").await;
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/children/{kid}/care-reviews"),
            Some(&pa),
            review,
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let sw = token(&t, "sw").await;
    let sdq = |score: i32| json!({"done_on": "2025-02-01", "score": score});
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/children/{kid}/sdq"),
            Some(&sw),
            sdq(41),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("\"score\""), "{}", r.body);
    assert!(t.store.care_reviews(kid).await.unwrap().sdqs.is_empty());
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/children/{kid}/sdq"),
            Some(&sw),
            sdq(12),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let doc = t.get("/api/openapi.json", None).await;
    for p in [
        "/api/children/{id}/care-reviews",
        "/api/care-review-actions/{id}/complete",
        "/api/children/{id}/sdq",
        "/api/children/{id}/health",
        "/api/missing/{id}/return",
    ] {
        assert!(doc.body.contains(p), "{p} in the OpenAPI document");
    }
}
