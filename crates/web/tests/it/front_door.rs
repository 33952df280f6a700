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

#[tokio::test]
async fn the_contact_page_shows_each_childs_history_for_screening_and_logs_the_reading() {
    use domain::access::AuditAction;
    let t = TestApp::new().await;
    t.user("fd", Role::FrontDoor, None).await;
    let fd = t.sign_in("fd").await;
    let (dot, eve) = (
        t.child("Dot", "Seen", false).await,
        t.child("Eve", "Seen", false).await,
    );
    contact(&t, dot, 24 * 40).await;
    let now = t
        .store
        .record_contact(
            Actor::SYSTEM,
            NewContact {
                received_at: uk_now(),
                source: "1B".into(),
                contact_name: "Neighbour".into(),
                contact_agency: String::new(),
                reason: "Shouting and crying late at night.".into(),
                consent: "not_sought".into(),
                children: vec![dot, eve],
            },
        )
        .await
        .unwrap()
        .id;
    let before = t.audit(AuditAction::View).await.len();
    let page = t.get(&format!("/contacts/{now}"), Some(&fd)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("The children's history"),
        "{}",
        page.body
    );
    // Dot's earlier contact is listed, waiting for a decision; Eve has nothing else.
    assert!(page.body.contains("Contacts in the 12 months before"));
    assert!(page.body.contains("1. "), "one earlier contact");
    assert!(page.body.contains("waiting for a decision"));
    assert!(page.body.contains("Nothing else on the record"));
    let views = t.audit(AuditAction::View).await;
    let history: Vec<_> = views
        .iter()
        .filter(|e| e.entity_type == "screening_history")
        .collect();
    assert_eq!(history.len(), 2, "one access entry per child's history");
    assert!(views.len() > before);
}

#[tokio::test]
async fn the_referrer_is_told_the_outcome_once_decided() {
    use crate::casework::date_fields;
    let t = TestApp::new().await;
    t.user("fd", Role::FrontDoor, None).await;
    let fd = t.sign_in("fd").await;
    let kid = t.child("Fay", "Told", false).await;
    let c = contact(&t, kid, 30).await;
    let today = uk_now().date();
    // Not before the decision.
    let early = post(
        &t,
        &format!("/contacts/{c}/feedback"),
        &fd,
        [
            date_fields("told", today),
            vec![kv("how", "phone"), kv("note", "Assessment")],
        ]
        .concat(),
    )
    .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        early
            .body
            .contains("Record the decision before telling the referrer the outcome")
    );
    let version = t
        .store
        .view_contact(Actor::SYSTEM, c, "test")
        .await
        .unwrap()
        .version;
    t.store
        .decide_contact(
            Actor::SYSTEM,
            c,
            version,
            domain::front_door::NewDecision {
                outcome: "referral".into(),
                decided_at: uk_now() - chrono::Duration::hours(2),
                direction: "Assess.".into(),
                rationale: "Needs unmet.".into(),
                quality: None,
                quality_comment: String::new(),
            },
        )
        .await
        .unwrap();
    let page = t.get(&format!("/contacts/{c}"), Some(&fd)).await;
    assert!(
        page.body
            .contains("The referrer has not yet been told the outcome.")
    );
    // Missing how and what was said: the GOV.UK errors.
    let bad = post(
        &t,
        &format!("/contacts/{c}/feedback"),
        &fd,
        date_fields("told", today),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("href=\"#how\"") && bad.body.contains("Enter what the referrer was told")
    );
    let ok = post(
        &t,
        &format!("/contacts/{c}/feedback"),
        &fd,
        [
            date_fields("told", today),
            vec![
                kv("how", "phone"),
                kv("note", "A social worker will assess; school to be updated."),
            ],
        ]
        .concat(),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = t
        .get(&format!("/contacts/{c}?saved=feedback"), Some(&fd))
        .await;
    assert!(page.body.contains("Feedback to the referrer recorded"));
    assert!(page.body.contains("Told by phone on"));
    assert!(
        page.body
            .contains("A social worker will assess; school to be updated.")
    );
    // The API answers the same way.
    let tok = token(&t, "fd").await;
    let api = t
        .send(json_req(
            "POST",
            &format!("/api/contacts/{c}/feedback"),
            Some(&tok),
            json!({"told_on": today, "how": "email", "note": "Written confirmation sent."}),
        ))
        .await;
    assert_eq!(api.status, StatusCode::CREATED, "{}", api.body);
    let saved: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(saved["feedback"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_referral_decision_allocates_each_child_in_one_step() {
    use crate::casework::date_fields;
    let t = TestApp::new().await;
    t.user("tm", Role::TeamManager, None).await;
    let tm = t.sign_in("tm").await;
    let worker = t.worker("Wyn Allocated").await;
    let (gus, hal) = (
        t.child("Gus", "Both", false).await,
        t.child("Hal", "Both", false).await,
    );
    let c = t
        .store
        .record_contact(
            Actor::SYSTEM,
            NewContact {
                received_at: uk_now() - chrono::Duration::minutes(5),
                source: "1B".into(),
                contact_name: "Police".into(),
                contact_agency: "Police".into(),
                reason: "Domestic abuse incident; both boys present.".into(),
                consent: "not_sought".into(),
                children: vec![gus, hal],
            },
        )
        .await
        .unwrap();
    let page = t.get(&format!("/contacts/{}", c.id), Some(&tm)).await;
    assert!(page.body.contains("Allocate each child to a social worker"));
    assert!(
        page.body.contains("Wyn Allocated"),
        "the worker is offered with their caseload"
    );
    let today = uk_now().date();
    let fields = |outcome: &str| {
        [
            vec![
                kv("version", &c.version.to_string()),
                kv("outcome", outcome),
                kv("decided_time", &uk_now().format("%H:%M").to_string()),
            ],
            date_fields("decided", today),
            vec![
                kv("direction", "Assess both boys."),
                kv("rationale", "Domestic abuse with children present."),
                kv("allocate_to", &worker.to_string()),
            ],
        ]
        .concat()
    };
    // Allocating on "no further action" is refused, the form kept.
    let nfa = post(
        &t,
        &format!("/contacts/{}/decision", c.id),
        &tm,
        fields("nfa"),
    )
    .await;
    assert_eq!(nfa.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", nfa.body);
    assert!(
        nfa.body
            .contains("Allocate a worker only on a referral or a strategy discussion")
    );
    // A referral: both children referred and allocated to the worker from today.
    let ok = post(
        &t,
        &format!("/contacts/{}/decision", c.id),
        &tm,
        fields("referral"),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    for kid in [gus, hal] {
        let rec = t
            .store
            .view_child_record(Actor::SYSTEM, kid, "test")
            .await
            .unwrap();
        let a = rec.current_allocation().expect("allocated on the decision");
        assert_eq!((a.allocation.worker_id, a.allocation.from), (worker, today));
    }
}
