//! Screening at the front door through the pages and the API: a contact rated red, amber or
//! green with the screener's reason (refused the GOV.UK way without one), rated again with the
//! earlier rating kept, the queue ordered by rating then time waiting with the time left in
//! hours, and the immediate-safety path straight to a strategy discussion.

use axum::http::StatusCode;
use domain::access::Role;
use domain::calendar::uk_now;
use domain::front_door::NewContact;
use serde_json::json;
use store::Actor;
use uuid::Uuid;

use crate::TestApp;
use crate::api::{json_req, token};
use crate::casework::{kv, post};

async fn contact(t: &TestApp, kid: Uuid, hours_ago: i64) -> Uuid {
    t.store
        .record_contact(
            Actor::SYSTEM,
            NewContact {
                received_at: uk_now() - chrono::Duration::hours(hours_ago),
                source: "3A".into(),
                contact_name: "Class teacher".into(),
                contact_agency: "Elm Primary".into(),
                reason: "Said there is no food at home.".into(),
                consent: "given".into(),
                children: vec![kid],
            },
        )
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn contacts_are_rated_at_screening_and_the_queue_puts_red_first() {
    let t = TestApp::new().await;
    t.user("fd", Role::FrontDoor, None).await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let (fd, tm, pa) = (
        t.sign_in("fd").await,
        t.sign_in("tm").await,
        t.sign_in("pa").await,
    );
    let (ann, bea, cal) = (
        t.child("Ann", "Queue", false).await,
        t.child("Bea", "Queue", false).await,
        t.child("Cal", "Queue", false).await,
    );
    // Oldest first as received: Ann's (5 hours ago), Bea's (3), Cal's (1).
    let (a, b, c) = (
        contact(&t, ann, 5).await,
        contact(&t, bea, 3).await,
        contact(&t, cal, 1).await,
    );

    // The contact's page offers the rating, with what each rating means and its timescale.
    let page = t.get(&format!("/contacts/{a}"), Some(&fd)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Not yet rated"));
    assert!(
        page.body
            .contains("a strategy discussion or immediate action within 4 hours"),
        "{}",
        page.body
    );

    // No rating and no reason: the GOV.UK error summary, nothing saved.
    let bad = post(
        &t,
        &format!("/contacts/{a}/risk"),
        &fd,
        vec![kv("risk_reason", "")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("govuk-error-summary"));
    assert!(bad.body.contains("href=\"#rating\""));
    assert!(bad.body.contains("Enter why you gave this rating"));
    // Amber with an immediate safety concern is refused too.
    let amber_now = post(
        &t,
        &format!("/contacts/{a}/risk"),
        &fd,
        vec![
            kv("rating", "amber"),
            kv("risk_reason", "Marks seen"),
            kv("immediate_safety", "yes"),
        ],
    )
    .await;
    assert!(
        amber_now
            .body
            .contains("An immediate safety concern is rated red")
    );
    assert!(
        t.store
            .view_contact(Actor::SYSTEM, a, "test")
            .await
            .unwrap()
            .ratings
            .is_empty()
    );

    // Ann's contact rated green, Cal's amber; Bea's not yet rated.
    let green = post(
        &t,
        &format!("/contacts/{a}/risk"),
        &fd,
        vec![
            kv("rating", "green"),
            kv("risk_reason", "Hunger only; school is feeding her."),
        ],
    )
    .await;
    assert_eq!(green.status, StatusCode::SEE_OTHER, "{}", green.body);
    assert_eq!(green.location(), format!("/contacts/{a}?saved=rated#risk"));
    post(
        &t,
        &format!("/contacts/{c}/risk"),
        &fd,
        vec![
            kv("rating", "amber"),
            kv("risk_reason", "Worries from school and health."),
        ],
    )
    .await;
    let queue = t.get("/front-door", Some(&tm)).await;
    let order: Vec<usize> = [b, c, a]
        .iter()
        .map(|id| queue.body.find(&format!("/contacts/{id}\"")).unwrap())
        .collect();
    assert!(
        order[0] < order[1] && order[1] < order[2],
        "not yet rated, then amber, then green"
    );
    assert!(queue.body.contains("1 not yet rated"));
    assert!(
        queue.body.contains("hours left") || queue.body.contains("hour left"),
        "{}",
        queue.body
    );

    // A police check comes back: Ann is rated again, red with an immediate safety concern; the
    // screener is sent to the decision, and the manager finds a strategy discussion chosen.
    let red = post(
        &t,
        &format!("/contacts/{a}/risk"),
        &fd,
        vec![
            kv("rating", "red"),
            kv("risk_reason", "Police: a belt injury disclosed."),
            kv("immediate_safety", "yes"),
        ],
    )
    .await;
    assert_eq!(
        red.location(),
        format!("/contacts/{a}?saved=immediate#decision")
    );
    let queue = t.get("/front-door", Some(&tm)).await;
    let first = queue.body.find(&format!("/contacts/{a}\"")).unwrap();
    assert!(
        first < queue.body.find(&format!("/contacts/{b}\"")).unwrap(),
        "red is first"
    );
    assert!(queue.body.contains("Immediate safety"));
    let decide = t
        .get(&format!("/contacts/{a}?saved=immediate"), Some(&tm))
        .await;
    assert!(decide.body.contains("decide now"), "{}", decide.body);
    assert!(
        decide
            .body
            .contains("name=\"outcome\" type=\"radio\" value=\"strategy\" checked"),
        "a strategy discussion is chosen"
    );
    assert!(decide.body.contains("Earlier ratings (1)"));
    assert!(decide.body.contains("Hunger only; school is feeding her."));

    // The API rates the same way; an analyst may not rate.
    let tok = token(&t, "fd").await;
    let api = t
        .send(json_req(
            "POST",
            &format!("/api/contacts/{b}/risk"),
            Some(&tok),
            json!({"rating": "amber", "reason": "Repeat contact about neglect."}),
        ))
        .await;
    assert_eq!(api.status, StatusCode::CREATED, "{}", api.body);
    let saved: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(saved["ratings"][0]["rating"], "amber");
    let missing = t
        .send(json_req(
            "POST",
            &format!("/api/contacts/{b}/risk"),
            Some(&tok),
            json!({"rating": "blue", "reason": ""}),
        ))
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused = post(
        &t,
        &format!("/contacts/{b}/risk"),
        &pa,
        vec![kv("rating", "red"), kv("risk_reason", "x")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
