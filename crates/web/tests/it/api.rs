//! The JSON API: sessions, search, create, read, correct, errors, OpenAPI.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::access::{AuditAction, Role};
use serde_json::{Value, json};

use crate::{Resp, TestApp};

pub(crate) async fn token(t: &TestApp, username: &str) -> String {
    let r = t
        .send(json_req(
            "POST",
            "/api/sessions",
            None,
            json!({"username": username, "password": crate::PASSWORD}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    serde_json::from_str::<Value>(&r.body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string()
}

pub(crate) fn json_req(
    method: &str,
    path: &str,
    bearer: Option<&str>,
    body: Value,
) -> Request<Body> {
    raw_req(method, path, bearer, body.to_string())
}

fn raw_req(method: &str, path: &str, bearer: Option<&str>, body: String) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = bearer {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    b.body(Body::from(body)).unwrap()
}

fn json_of(r: &Resp) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.body))
}

fn child_json() -> Value {
    json!({
        "given_name": "Ivo", "family_name": "Apiton", "date_of_birth": "2017-09-01", "sex": "M",
        "ethnicity": "WBRI", "disabilities": ["NONE"], "council_child_id": "API001", "nhs_number": "9434765919"
    })
}

#[tokio::test]
async fn create_read_search_and_correct_through_the_api() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    let tok = token(&t, "sw").await;
    let r = t
        .send(json_req("POST", "/api/children", Some(&tok), child_json()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let created = json_of(&r);
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["version"], 1);
    assert_eq!(created["identifiers"]["council_child_id"], "API001");

    let r = t
        .send(json_req(
            "GET",
            "/api/children?q=apiton",
            Some(&tok),
            Value::Null,
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(json_of(&r).as_array().unwrap().len(), 1);

    let r = t
        .send(json_req(
            "GET",
            &format!("/api/children/{id}"),
            Some(&tok),
            Value::Null,
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(json_of(&r)["given_name"], "Ivo");
    assert!(
        t.audit(AuditAction::View)
            .await
            .iter()
            .any(|v| v.detail == "api")
    );

    let mut update = child_json();
    update["version"] = json!(1);
    update["given_name"] = json!("Iva");
    let r = t
        .send(json_req(
            "PUT",
            &format!("/api/children/{id}"),
            Some(&tok),
            update.clone(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(json_of(&r)["version"], 2);
    // The same version again is a conflict, and nothing changes.
    update["given_name"] = json!("Ivy");
    let r = t
        .send(json_req(
            "PUT",
            &format!("/api/children/{id}"),
            Some(&tok),
            update,
        ))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(json_of(&r)["error"], "conflict");
    let r = t
        .send(json_req(
            "GET",
            &format!("/api/children/{id}"),
            Some(&tok),
            Value::Null,
        ))
        .await;
    assert_eq!(json_of(&r)["given_name"], "Iva");
}

#[tokio::test]
async fn bad_json_and_bad_fields_are_named_and_nothing_is_saved() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    let tok = token(&t, "sw").await;
    let cases: Vec<(String, &str)> = vec![
        (r#"{"given_name": 5, "family_name": "X", "sex": "M"}"#.into(), "given_name"),
        (r#"{"given_name": "A", "family_name": "X", "sex": "M", "favourite_colour": "red"}"#.into(), "favourite_colour"),
        (r#"{"given_name": "A""#.into(), "body"),
        (json!({"given_name": "A", "family_name": "X", "sex": "M", "date_of_birth": "2019-02-30"}).to_string(), "date_of_birth"),
        (json!({"given_name": "A", "family_name": "X", "sex": "Z", "date_of_birth": "2019-02-03"}).to_string(), "sex"),
        (json!({"given_name": "A", "family_name": "X", "sex": "M", "date_of_birth": "2099-02-03"}).to_string(), "date_of_birth"),
        (json!({"given_name": "A", "family_name": "X", "sex": "M", "date_of_birth": "2019-02-03", "upn": "nonsense"}).to_string(), "upn"),
        (json!({"given_name": "A", "family_name": "X", "sex": "M", "date_of_birth": "2019-02-03", "restricted": true}).to_string(), "restricted"),
    ];
    for (body, field) in cases {
        let r = t
            .send(raw_req("POST", "/api/children", Some(&tok), body.clone()))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        let errors = json_of(&r)["errors"].as_array().unwrap().clone();
        assert!(
            errors.iter().any(|e| e["field"] == field),
            "{body}: expected an error on {field}, got {errors:?}"
        );
        assert!(
            errors
                .iter()
                .all(|e| !e["message"].as_str().unwrap().is_empty())
        );
    }
    assert_eq!(t.store.count_people().await.unwrap(), 0);
}

#[tokio::test]
async fn the_api_checks_roles_and_csrf_and_audits_refusals() {
    let t = TestApp::new().await;
    let child = t.child("Una", "Seen", false).await;
    t.user("analyst", Role::PerformanceAnalyst, None).await;
    let tok = token(&t, "analyst").await;
    let r = t
        .send(json_req(
            "GET",
            &format!("/api/children/{child}"),
            Some(&tok),
            Value::Null,
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.body.contains("Seen"));
    let r = t
        .send(json_req("POST", "/api/children", Some(&tok), child_json()))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(t.audit(AuditAction::Denied).await.len(), 2);

    // No credentials.
    let r = t
        .send(json_req("GET", "/api/children", None, Value::Null))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Wrong password.
    let r = t
        .send(json_req(
            "POST",
            "/api/sessions",
            None,
            json!({"username": "analyst", "password": "nope nope nope"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // A cookie session may write only with the X-CSRF-Token header.
    t.user("sw", Role::SocialWorker, None).await;
    let b = t.sign_in("sw").await;
    let mk = |csrf: Option<&str>| {
        let mut req = Request::post("/api/children")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, &b.cookie);
        if let Some(c) = csrf {
            req = req.header("x-csrf-token", c);
        }
        req.body(Body::from(child_json().to_string())).unwrap()
    };
    let r = t.send(mk(None)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(t.store.count_people().await.unwrap(), 1);
    let r = t.send(mk(Some(&b.csrf))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let t = TestApp::new().await;
    let r = t.get("/api/openapi.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = json_of(&r);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/sessions",
        "/api/children",
        "/api/children/{id}",
        "/api/children/{id}/allocations",
        "/api/children/{id}/addresses",
        "/api/children/{id}/family",
        "/api/front-door",
        "/api/contacts",
        "/api/contacts/{id}",
        "/api/contacts/{id}/checks",
        "/api/contacts/{id}/decision",
        "/api/children/{id}/assessments",
        "/api/assessments/{id}",
        "/api/assessments/{id}/completion",
        "/api/assessments/{id}/authorisation",
        "/api/assessments/{id}/draft",
        "/api/assessments/{id}/return",
        "/api/children/{id}/notes",
        "/api/work",
        "/api/children/{id}/casework",
        "/api/children/{id}/early-help",
        "/api/early-help/{id}/end",
        "/api/referrals/{id}/closure",
        "/api/referrals/{id}/cin-plans",
        "/api/cin-plans/{id}/actions",
        "/api/plan-actions/{id}/progress",
        "/api/cin-plans/{id}/reviews",
        "/api/cin-plans/{id}/end",
        "/api/referrals/{id}/strategy-discussions",
        "/api/s47/{id}/completion",
        "/api/children/{id}/conferences",
        "/api/cp-plans/{id}/core-groups",
    ] {
        assert!(doc["paths"][path].is_object(), "missing {path}");
    }
    assert!(doc["paths"]["/api/children/{id}"]["put"].is_object());
    assert!(doc["components"]["schemas"]["ChildJson"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn allocation_address_and_family_member_through_the_api() {
    let t = TestApp::new().await;
    let child = t.child("Xan", "Apiworth", false).await;
    let w = t.worker("Yara Worker").await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("sw", Role::SocialWorker, None).await;
    let tm = token(&t, "tm").await;
    let sw = token(&t, "sw").await;
    let base = format!("/api/children/{child}");

    let r = t
        .send(json_req(
            "POST",
            &format!("{base}/allocations"),
            Some(&sw),
            json!({"worker_id": w, "from": "2026-11-02"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .send(json_req(
            "POST",
            &format!("{base}/allocations"),
            Some(&tm),
            json!({"worker_id": uuid::Uuid::now_v7(), "from": "2026-11-02"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(&r)["errors"][0]["field"], "worker_id");
    let r = t
        .send(json_req(
            "POST",
            &format!("{base}/allocations"),
            Some(&tm),
            json!({"worker_id": w, "from": "2026-11-02"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(json_of(&r)["worker_name"], "Yara Worker");

    let r = t.send(json_req("POST", &format!("{base}/addresses"), Some(&sw), json!({"line1": "1 Api Lane", "town": "Testtown", "postcode": "Q", "from": "2026-10-01"}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(&r)["errors"][0]["field"], "postcode");
    let r = t.send(json_req("POST", &format!("{base}/addresses"), Some(&sw), json!({"line1": "1 Api Lane", "town": "Testtown", "postcode": "zx1 2ab", "from": "2026-10-01"}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(json_of(&r)["postcode"], "ZX1 2AB");

    let people = t.store.count_people().await.unwrap();
    let r = t
        .send(json_req(
            "POST",
            &format!("{base}/family"),
            Some(&sw),
            json!({"kind": "uncle", "given_name": "Zed", "family_name": "Apiworth"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        t.store.count_people().await.unwrap(),
        people,
        "nothing saved"
    );
    let r = t.send(json_req("POST", &format!("{base}/family"), Some(&sw), json!({"kind": "other_relative", "given_name": "Zed", "family_name": "Apiworth", "sex": "M"}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let rec = json_of(&t.send(json_req("GET", &base, Some(&sw), Value::Null)).await);
    assert_eq!(rec["allocations"][0]["worker_name"], "Yara Worker");
    assert_eq!(rec["addresses"][0]["line1"], "1 Api Lane");
    assert_eq!(rec["relationships"][0]["name"], "Zed Apiworth");
    assert_eq!(rec["relationships"][0]["kind"], "other_relative");
}

#[tokio::test]
async fn the_front_door_journey_through_the_api() {
    let t = TestApp::new().await;
    t.user("fd", Role::FrontDoor, None).await;
    t.user("tm", Role::TeamManager, None).await;
    let w = t.worker("Api Worker").await;
    t.user("sw", Role::SocialWorker, Some(w)).await;
    let (fd, tm, sw) = (
        token(&t, "fd").await,
        token(&t, "tm").await,
        token(&t, "sw").await,
    );
    let a = t.child("Ana", "Jay", false).await;
    let b = t.child("Bo", "Jay", false).await;
    let yesterday = domain::calendar::uk_now().date().pred_opt().unwrap();
    let contact = |reason: &str| {
        json!({
            "received_at": format!("{yesterday}T09:30:00"), "source": "3B", "contact_name": "Health visitor",
            "contact_agency": "Health visiting team", "reason": reason, "consent": "not_sought", "children": [a, b]
        })
    };
    // Errors name the field; nothing is saved.
    let r = t
        .send(json_req("POST", "/api/contacts", Some(&fd), contact("")))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(&r)["errors"][0]["field"], "reason");
    let r = t
        .send(raw_req(
            "POST",
            "/api/contacts",
            Some(&fd),
            "{\"received_at\": 3}".into(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Social workers do not record front-door contacts.
    let r = t
        .send(json_req("POST", "/api/contacts", Some(&sw), contact("x")))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .send(json_req(
            "POST",
            "/api/contacts",
            Some(&fd),
            contact("Baby Bo has a bruise on his cheek."),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let c = json_of(&r);
    let id = c["id"].as_str().unwrap().to_string();
    assert_eq!(c["children"].as_array().unwrap().len(), 2);

    let r = t
        .send(json_req("GET", "/api/front-door", Some(&fd), Value::Null))
        .await;
    assert_eq!(json_of(&r).as_array().unwrap().len(), 1);
    let r = t.send(json_req("POST", &format!("/api/contacts/{id}/checks"), Some(&fd),
        json!({"agency": "health", "requested_on": yesterday, "received_on": null, "summary": ""}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let decision = json!({"version": 1, "outcome": "strategy", "decided_at": format!("{yesterday}T11:00:00"),
        "direction": "Strategy discussion today with police and health.", "rationale": "Injury to a non-mobile baby.",
        "quality": "adequate", "quality_comment": "No parent details"});
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/contacts/{id}/decision"),
            Some(&fd),
            decision.clone(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/contacts/{id}/decision"),
            Some(&tm),
            decision,
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = json_of(&r);
    assert_eq!(d["referrals"].as_array().unwrap().len(), 2);
    assert_eq!(d["contact"]["decision"]["within_timescale"], true);
    let referral = d["referrals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["child_id"] == json!(b))
        .unwrap()["id"]
        .clone();

    // Bo's worker starts and completes the assessment; the manager authorises.
    t.store
        .allocate(store::Actor::SYSTEM, b, w, yesterday)
        .await
        .unwrap();
    let today = domain::calendar::uk_now().date();
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/children/{a}/assessments"),
            Some(&sw),
            json!({"referral_id": referral, "started_on": today}),
        ))
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Ana's page cannot start Bo's assessment"
    );
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/children/{b}/assessments"),
            Some(&sw),
            json!({"referral_id": referral, "started_on": today}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let asmt = json_of(&r);
    let aid = asmt["id"].as_str().unwrap().to_string();
    let r = t
        .send(json_req("GET", "/api/work", Some(&sw), Value::Null))
        .await;
    let work = json_of(&r);
    assert_eq!(work.as_array().unwrap().len(), 1, "{work}");
    assert_eq!(work[0]["what"], "Assessment");
    let r = t
        .send(json_req(
            "GET",
            "/api/work?scope=all",
            Some(&sw),
            Value::Null,
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t.send(json_req("POST", &format!("/api/assessments/{aid}/completion"), Some(&sw),
        json!({"version": 1, "completed_on": today, "factors": ["19A"], "outcome": "strategy", "summary": "s"}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(&r)["errors"][0]["field"], "factors");
    // Completing needs the framework's sections, each named when missing.
    let r = t.send(json_req("POST", &format!("/api/assessments/{aid}/completion"), Some(&sw),
        json!({"version": 1, "completed_on": today, "factors": ["18C"], "outcome": "strategy", "summary": "Non-accidental injury likely.",
            "developmental_needs": "Bruising to the upper arm; otherwise meeting milestones."}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = json_of(&r)["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        fields,
        [
            "parenting_capacity",
            "family_environment",
            "child_views",
            "parents_views",
            "analysis"
        ]
    );
    let r = t.send(json_req("POST", &format!("/api/assessments/{aid}/completion"), Some(&sw),
        json!({"version": 1, "completed_on": today, "factors": ["18C"], "outcome": "strategy", "summary": "Non-accidental injury likely.",
            "developmental_needs": "Bruising to the upper arm; otherwise meeting milestones.",
            "parenting_capacity": "Explanations of the bruising are inconsistent.",
            "family_environment": "New partner in the home; police callouts.",
            "child_views": "Bo (14 months) flinched when the partner came in; settled with his mother.",
            "parents_views": "Mother says he fell from the sofa.",
            "analysis": "Injury likely non-accidental: a strategy discussion is needed today."}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        json_of(&r)["framework"]["analysis"],
        "Injury likely non-accidental: a strategy discussion is needed today."
    );
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/assessments/{aid}/authorisation"),
            Some(&sw),
            json!({"version": 2, "authorised_on": today}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/assessments/{aid}/authorisation"),
            Some(&tm),
            json!({"version": 1, "authorised_on": today, "comment": "Agreed."}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "a stale version");
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/assessments/{aid}/authorisation"),
            Some(&tm),
            json!({"version": 2, "authorised_on": today}),
        ))
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a comment is needed"
    );
    assert_eq!(json_of(&r)["errors"][0]["field"], "comment");
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/assessments/{aid}/authorisation"),
            Some(&tm),
            json!({"version": 2, "authorised_on": today, "comment": "Agreed: strategy discussion held."}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        json_of(&r)["authorised_comment"],
        "Agreed: strategy discussion held."
    );

    let visit = json!({"kind": "visit", "date": today, "child_seen": true, "seen_alone": false, "childs_words": "",
        "observation": "Bo babbled and reached for his sister.", "text": "Visit at home.", "decision": "", "rationale": ""});
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/children/{b}/notes"),
            Some(&sw),
            visit,
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = t
        .send(json_req(
            "GET",
            &format!("/api/children/{b}"),
            Some(&sw),
            Value::Null,
        ))
        .await;
    assert!(r.body.contains("Bo babbled"), "the visit is on the record");

    let r = t
        .send(json_req(
            "GET",
            &format!("/api/contacts/{id}"),
            Some(&tm),
            Value::Null,
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let views = t.audit(AuditAction::View).await;
    assert!(
        views
            .iter()
            .any(|v| v.entity_type == "contact" && v.person_id == Some(a))
    );
}

#[tokio::test]
async fn child_protection_and_plans_through_the_api() {
    let t = TestApp::new().await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let (tm, pa) = (token(&t, "tm").await, token(&t, "pa").await);
    let kid = t.child("Ivy", "Cole", false).await;
    let today = domain::calendar::uk_now().date();
    let r = t.send(json_req("POST", "/api/contacts", Some(&tm), json!({
        "received_at": format!("{}T09:00:00", today - chrono::Days::new(3)), "source": "2A", "contact_name": "Teacher",
        "contact_agency": "School", "reason": "Disclosure of hitting at home.", "consent": "not_sought", "children": [kid]}))).await;
    let c = json_of(&r);
    let r = t.send(json_req("POST", &format!("/api/contacts/{}/decision", c["id"].as_str().unwrap()), Some(&tm), json!({
        "version": 1, "outcome": "strategy", "decided_at": format!("{}T10:00:00", today - chrono::Days::new(3)),
        "direction": "Strategy discussion", "rationale": "Disclosure", "quality": null, "quality_comment": ""}))).await;
    let referral = json_of(&r)["referrals"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let strategy = |agencies: Value| json!({"held_on": today - chrono::Days::new(2), "agencies": agencies, "s47": true, "notes": "S47 agreed"});
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/referrals/{referral}/strategy-discussions"),
            Some(&pa),
            strategy(json!(["police"])),
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/referrals/{referral}/strategy-discussions"),
            Some(&tm),
            strategy(json!([])),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(&r)["errors"][0]["field"], "agencies");
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/referrals/{referral}/strategy-discussions"),
            Some(&tm),
            strategy(json!(["police", "school"])),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let s47 = json_of(&r)["s47"]["id"].as_str().unwrap().to_string();
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/s47/{s47}/completion"),
            Some(&tm),
            json!({"completed_on": today, "outcome": "icpc"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t.send(json_req("POST", &format!("/api/children/{kid}/conferences"), Some(&tm), json!({
        "kind": "initial", "held_on": today, "agencies": ["police", "school", "health"], "plan": true, "category": "PHY", "end_reason": ""}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let plan = json_of(&r)["plan_id"].as_str().unwrap().to_string();
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/cp-plans/{plan}/core-groups"),
            Some(&tm),
            json!({"held_on": today, "agencies": ["school"], "notes": "Plan agreed"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(json_of(&r)["core_groups"].as_array().unwrap().len(), 1);

    let r = t
        .send(json_req(
            "POST",
            &format!("/api/referrals/{referral}/cin-plans"),
            Some(&tm),
            json!({"started_on": today, "primary_need": "N99"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(&r)["errors"][0]["field"], "primary_need");

    let r = t
        .send(json_req(
            "GET",
            &format!("/api/children/{kid}/casework"),
            Some(&tm),
            Value::Null,
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let cw = json_of(&r);
    assert_eq!(cw["casework"]["cp_plans"][0]["latest_category"], "PHY");
    assert_eq!(cw["journey"]["referrals"].as_array().unwrap().len(), 1);
    let r = t
        .send(json_req(
            "GET",
            &format!("/api/children/{kid}/casework"),
            Some(&pa),
            Value::Null,
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(t.audit(AuditAction::Denied).await.len() >= 2);
}
