//! Private fostering through the pages: a notification, a visit, the assessment and the end of
//! the arrangement; errors the GOV.UK way, role and CSRF checks, the child's page, the work due
//! and the audit.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Datelike, Days};
use domain::access::{AuditAction, Role};
use domain::calendar::uk_now;
use serde_json::{Value, json};
use store::Actor;

use crate::api::token;
use crate::{Browser, Resp, TestApp};

fn kv(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

fn date_fields(prefix: &str, d: chrono::NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{prefix}-day"), d.day().to_string()),
        (format!("{prefix}-month"), d.month().to_string()),
        (format!("{prefix}-year"), d.year().to_string()),
    ]
}

async fn post(t: &TestApp, path: &str, who: &Browser, fields: Vec<(String, String)>) -> Resp {
    let mut all = vec![("csrf_token".to_string(), who.csrf.clone())];
    all.extend(fields);
    let f: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    t.post_form(path, Some(who), &f).await
}

#[tokio::test]
async fn a_private_fostering_arrangement_through_the_pages() {
    let t = TestApp::new().await;
    let w = t.worker("Sam Worker").await;
    t.user("sw", Role::SocialWorker, Some(w)).await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let (sw, pa) = (t.sign_in("sw").await, t.sign_in("pa").await);
    let kid = t.child("Ivy", "Lane", false).await;
    let today = uk_now().date();
    t.store
        .allocate(Actor::SYSTEM, kid, w, today - Days::new(20))
        .await
        .unwrap();
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(
        page.body
            .contains("Record a private fostering notification")
    );
    let form_path = format!("/children/{kid}/private-fostering");
    assert_eq!(t.get(&form_path, Some(&sw)).await.status, StatusCode::OK);
    // Performance analysts do not record casework.
    assert_eq!(
        t.get(&form_path, Some(&pa)).await.status,
        StatusCode::FORBIDDEN
    );

    // Every problem at once, the GOV.UK way; nothing saved.
    let mut bad = vec![kv("reason", "Parent working abroad")];
    bad.extend(date_fields("notified", today - Days::new(3)));
    let r = post(&t, &form_path, &sw, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("govuk-error-summary"));
    // The error summary (first on the page) lists them in the order of the fields.
    let mut last = 0;
    for message in [
        "Select who told the council",
        "Enter the date the child started, or will start, living with the carer",
        "Select how the carer is related to the child",
        "Enter the carer&#x27;s name and where the child lives",
    ] {
        let at = r.body.find(message).unwrap_or_else(|| panic!("{message}"));
        assert!(at > last, "{message} is out of the fields' order");
        last = at;
    }
    assert!(t.store.pf_arrangements(kid).await.unwrap().is_empty());
    // Without the session's CSRF token the post is refused, and nothing is saved.
    for fields in [
        vec![("notified_by", "parent")],
        vec![("csrf_token", "not-the-token"), ("notified_by", "parent")],
    ] {
        let r = t.post_form(&form_path, Some(&sw), &fields).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
    }

    let mut good = vec![
        kv("notified_by", "professional"),
        kv("carer_relationship", "family_friend"),
        kv("carer", "Jo Friend, 4 Elm Road, Anytown"),
        kv("reason", "Parent working abroad for a year"),
    ];
    good.extend(date_fields("notified", today - Days::new(3)));
    good.extend(date_fields("start", today - Days::new(30)));
    let r = post(&t, &form_path, &sw, good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/children/{kid}?saved=pf_notified"));
    let a = t.store.pf_arrangements(kid).await.unwrap().remove(0);
    let page = t.get(r.location(), Some(&sw)).await;
    assert!(
        page.body
            .contains("Private fostering notification recorded")
    );
    assert!(
        page.body
            .contains("Jo Friend, 4 Elm Road, Anytown (family friend)")
    );
    assert!(page.body.contains("Not yet made: due"));
    // The initial visit is in the worker's work due.
    let work = t.get("/work", Some(&sw)).await;
    assert!(
        work.body.contains("Private fostering initial visit"),
        "{}",
        work.body
    );

    // A visit: the child seen alone, in their own words.
    let visit_path = format!("/private-fostering/{}/visits", a.id);
    assert_eq!(t.get(&visit_path, Some(&sw)).await.status, StatusCode::OK);
    let mut v = vec![kv("report", "Saw Ivy's room; talked about school.")];
    v.extend(date_fields("visited", today - Days::new(1)));
    let r = post(&t, &visit_path, &sw, v.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Select whether the child was seen"));
    v.extend([
        kv("child_seen", "yes"),
        kv("seen_alone", "yes"),
        kv("childs_words", "I like my room here"),
    ]);
    let r = post(&t, &visit_path, &sw, v).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(page.body.contains("Seen alone"));
    assert!(page.body.contains("I like my room here"));
    assert!(page.body.contains("within 7 working days"));
    assert!(
        page.body
            .contains("Private fostering initial visit: child seen alone"),
        "in the chronology"
    );

    // The assessment, then the end.
    let mut s = vec![kv("suitability", "suitable")];
    s.extend(date_fields("assessed", today));
    let r = post(
        &t,
        &format!("/private-fostering/{}/assessment", a.id),
        &sw,
        s,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut e = vec![kv("end_reason", "returned_home")];
    e.extend(date_fields("ended", today));
    e.extend(date_fields("end_notified", today));
    let end_path = format!("/private-fostering/{}/end", a.id);
    assert_eq!(
        post(&t, &end_path, &pa, e.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let r = post(&t, &end_path, &sw, e).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(page.body.contains("The child returned to a parent"));
    assert!(
        page.body
            .contains("Record a private fostering notification"),
        "another may follow"
    );
    let work = t.get("/work", Some(&sw)).await;
    assert!(!work.body.contains("Private fostering"));

    // Each change is in the audit log for the child.
    let created: Vec<_> = t
        .audit(AuditAction::Create)
        .await
        .into_iter()
        .filter(|x| x.person_id == Some(kid) && x.entity_type.starts_with("pf_"))
        .collect();
    let updated: Vec<_> = t
        .audit(AuditAction::Update)
        .await
        .into_iter()
        .filter(|x| x.person_id == Some(kid) && x.entity_type == "pf_arrangement")
        .collect();
    assert_eq!((created.len(), updated.len()), (2, 2));
}

// --- Through the API (the one form path gives each form its API) ---

fn api_req(method: &str, path: &str, bearer: Option<&str>, body: Value) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = bearer {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    b.body(Body::from(body.to_string())).unwrap()
}

fn json_of(r: &Resp) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.body))
}

fn field_errors(r: &Resp) -> Vec<String> {
    json_of(r)["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors: {}", r.body))
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_private_fostering_arrangement_through_the_api() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let (sw, pa) = (token(&t, "sw").await, token(&t, "pa").await);
    let kid = t.child("Ida", "Apiwell", false).await;
    let today = uk_now().date();
    let notification = json!({
        "notified_on": today - Days::new(3), "notified_by": "professional",
        "starts_on": today - Days::new(30), "expected_end": null,
        "carer_relationship": "family_friend", "carer": "Jo Friend, 4 Elm Road, Anytown",
        "reason": "Parent working abroad for a year",
    });
    let notify = format!("/api/children/{kid}/private-fostering");

    // Bad input is 422 naming the field; nothing is saved.
    let mut bad = notification.clone();
    bad["notified_by"] = json!("school");
    let r = t.send(api_req("POST", &notify, Some(&sw), bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(field_errors(&r), ["notified_by"]);
    let mut bad = notification.clone();
    bad["carer"] = json!(" ");
    let r = t.send(api_req("POST", &notify, Some(&sw), bad)).await;
    assert_eq!(field_errors(&r), ["carer"]);
    // A body of the wrong shape names the property.
    let mut bad = notification.clone();
    bad["starts_on"] = json!("yesterday");
    let r = t.send(api_req("POST", &notify, Some(&sw), bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(field_errors(&r), ["starts_on"]);
    assert!(t.store.pf_arrangements(kid).await.unwrap().is_empty());

    // A performance analyst may not record casework: 403, audited, nothing saved.
    let denied_before = t.audit(AuditAction::Denied).await.len();
    let r = t
        .send(api_req("POST", &notify, Some(&pa), notification.clone()))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let denied = t.audit(AuditAction::Denied).await;
    assert_eq!(denied.len(), denied_before + 1);
    assert!(denied.iter().any(|d| d.person_id == Some(kid)
        && d.detail.starts_with(&format!("POST {notify}"))
        && d.detail.contains("may not record")));
    assert!(t.store.pf_arrangements(kid).await.unwrap().is_empty());

    // The notification: 201 with the arrangement.
    let r = t
        .send(api_req("POST", &notify, Some(&sw), notification.clone()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let a = json_of(&r);
    assert_eq!(a["child_id"], kid.to_string());
    assert_eq!(a["carer"], "Jo Friend, 4 Elm Road, Anytown");
    let aid = a["id"].as_str().unwrap().to_string();
    // One open arrangement at a time.
    let r = t
        .send(api_req("POST", &notify, Some(&sw), notification))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_errors(&r), ["notified"]);

    // A visit: 201 with the visit, the initial one.
    let visits = format!("/api/private-fostering/{aid}/visits");
    let visit = json!({
        "visited_on": today - Days::new(1), "child_seen": true, "seen_alone": false,
        "not_alone_reason": "", "childs_words": "I like my room here",
        "observation": "", "report": "Saw Ida's room; talked about school.",
    });
    let r = t
        .send(api_req("POST", &visits, Some(&sw), visit.clone()))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(field_errors(&r), ["not_alone_reason"]);
    let r = t
        .send(api_req("POST", &visits, Some(&pa), visit.clone()))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut visit = visit;
    visit["seen_alone"] = json!(true);
    let r = t.send(api_req("POST", &visits, Some(&sw), visit)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let v = json_of(&r);
    assert_eq!(v["arrangement_id"], aid);
    assert_eq!(v["kind"], "initial");
    assert_eq!(v["childs_words"], "I like my room here");
    // An arrangement that does not exist is not found.
    let r = t
        .send(api_req(
            "POST",
            &format!("/api/private-fostering/{}/visits", uuid::Uuid::now_v7()),
            Some(&sw),
            json!({}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // The assessment and the end: 200 with the arrangement.
    let r = t
        .send(api_req(
            "POST",
            &format!("/api/private-fostering/{aid}/assessment"),
            Some(&sw),
            json!({"assessed_on": today, "outcome": "suitable"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(json_of(&r)["suitability"], "suitable");
    let end = format!("/api/private-fostering/{aid}/end");
    let r = t
        .send(api_req(
            "POST",
            &end,
            Some(&sw),
            json!({"ended_on": today, "reason": "holiday", "notified_on": today}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_errors(&r), ["end_reason"]);
    let r = t
        .send(api_req(
            "POST",
            &end,
            Some(&sw),
            json!({"ended_on": today, "reason": "returned_home", "notified_on": today}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(json_of(&r)["end_reason"], "returned_home");

    // The child's record shows them.
    let a = t.store.pf_arrangements(kid).await.unwrap().remove(0);
    assert_eq!(a.visits.len(), 1);
    assert_eq!(a.ended_on, Some(today));
    t.user("web", Role::SocialWorker, None).await;
    let web = t.sign_in("web").await;
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&web))
        .await;
    assert!(
        page.body
            .contains("Jo Friend, 4 Elm Road, Anytown (family friend)")
    );
    assert!(page.body.contains("I like my room here"));
    assert!(page.body.contains("The child returned to a parent"));
}

#[tokio::test]
async fn the_openapi_document_describes_private_fostering() {
    let t = TestApp::new().await;
    let r = t.get("/api/openapi.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = json_of(&r);
    for path in [
        "/api/children/{id}/private-fostering",
        "/api/private-fostering/{id}/visits",
        "/api/private-fostering/{id}/assessment",
        "/api/private-fostering/{id}/end",
    ] {
        assert!(doc["paths"][path]["post"].is_object(), "missing {path}");
    }
    for schema in [
        "NewArrangement",
        "NewVisit",
        "Assessment",
        "ArrangementEnd",
        "Arrangement",
        "Visit",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "missing {schema}"
        );
    }
}
