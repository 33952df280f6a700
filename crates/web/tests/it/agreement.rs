//! The page and the API of a capability answer the same question the same way: they call the
//! same authorisation and the same projection (work due, search).

use axum::http::StatusCode;
use chrono::Days;
use domain::access::{AuditAction, Role};
use domain::calendar::uk_now;
use domain::private_fostering::NewArrangement;
use serde_json::Value;
use store::Actor;

use crate::TestApp;
use crate::api::token;

async fn api_get(t: &TestApp, path: &str, bearer: &str) -> crate::Resp {
    t.send(crate::api::json_req("GET", path, Some(bearer), Value::Null))
        .await
}

#[tokio::test]
async fn a_social_worker_asking_for_the_whole_services_work_is_refused_on_page_and_api() {
    let t = TestApp::new().await;
    let w = t.worker("Sam Worker").await;
    t.user("sw", Role::SocialWorker, Some(w)).await;
    let page = t.get("/work?scope=all", Some(&t.sign_in("sw").await)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let bearer = token(&t, "sw").await;
    let api = api_get(&t, "/api/work?scope=all", &bearer).await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    let denied = t.audit(AuditAction::Denied).await;
    assert_eq!(denied.len(), 2, "{denied:?}");
    assert!(
        denied
            .iter()
            .any(|d| d.detail.starts_with("GET /work?scope=all"))
    );
    assert!(
        denied
            .iter()
            .any(|d| d.detail.starts_with("GET /api/work?scope=all"))
    );
    // Their own work is theirs on both.
    assert_eq!(
        t.get("/work", Some(&t.sign_in("sw").await)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        api_get(&t, "/api/work", &bearer).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn private_fostering_visits_due_are_on_the_work_page_and_in_the_api() {
    let t = TestApp::new().await;
    let w = t.worker("Sam Worker").await;
    t.user("sw", Role::SocialWorker, Some(w)).await;
    let kid = t.child("Ivy", "Lane", false).await;
    let today = uk_now().date();
    t.store
        .allocate(Actor::SYSTEM, kid, w, today - Days::new(30))
        .await
        .unwrap();
    t.store
        .record_pf_notification(
            Actor::SYSTEM,
            kid,
            NewArrangement {
                notified_on: today - Days::new(20),
                notified_by: "professional".into(),
                starts_on: today - Days::new(25),
                expected_end: None,
                carer_relationship: "family_friend".into(),
                carer: "A family friend, Anytown".into(),
                reason: "The parent is working abroad".into(),
            },
        )
        .await
        .unwrap();
    let page = t.get("/work", Some(&t.sign_in("sw").await)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Private fostering"), "{}", page.body);
    let api = api_get(&t, "/api/work", &token(&t, "sw").await).await;
    let items: Value = serde_json::from_str(&api.body).unwrap();
    let pf: Vec<&Value> = items
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| {
            i["what"]
                .as_str()
                .unwrap_or("")
                .contains("rivate fostering")
        })
        .collect();
    assert_eq!(pf.len(), 1, "{items}");
    assert_eq!(pf[0]["rag"], "red", "{items}");
}

#[tokio::test]
async fn a_restricted_match_is_never_shown_nor_hinted_at_on_page_and_api() {
    let t = TestApp::new().await;
    let w = t.worker("Allocated Worker").await;
    let child = t.child("Rae", "Hiddenvale", true).await;
    t.store
        .allocate(Actor::SYSTEM, child, w, crate::date(2025, 1, 1))
        .await
        .unwrap();
    t.user("other", Role::SocialWorker, None).await;
    let page = t
        .get("/children?q=Hiddenvale", Some(&t.sign_in("other").await))
        .await;
    assert!(!page.body.contains("restricted record matches"));
    let api = api_get(&t, "/api/children?q=Hiddenvale", &token(&t, "other").await).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.body.trim(), "[]");
    assert!(!api.body.contains(&child.to_string()));
    assert!(api.headers.get("hearth-restricted-matches").is_none());
}
