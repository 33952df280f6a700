//! Entering care, a placement move, a change of legal status and ceasing care, through the pages
//! and through the API: the manager's decision, refusals (audited), errors naming the field.

use axum::http::StatusCode;
use domain::access::{AuditAction, Role};
use serde_json::{Value, json};

use crate::api::{json_req, token};
use crate::{Browser, Resp, TestApp};

async fn post(t: &TestApp, path: &str, who: &Browser, fields: &[(&str, &str)]) -> Resp {
    let mut all = vec![("csrf_token", who.csrf.as_str())];
    all.extend_from_slice(fields);
    t.post_form(path, Some(who), &all).await
}

fn json_of(r: &Resp) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.body))
}

async fn episodes(t: &TestApp, kid: uuid::Uuid) -> Vec<domain::looked_after::Episode> {
    t.store
        .view_child_record(store::Actor::SYSTEM, kid, "test")
        .await
        .unwrap()
        .looked_after
        .episodes
}

const ENTER: &[(&str, &str)] = &[
    ("started-day", "7"),
    ("started-month", "4"),
    ("started-year", "2025"),
    ("legal_status", "V2"),
    ("category_of_need", "N1"),
    ("placement", "U6"),
    ("provider", "PR1"),
    ("carer", "Jo and Sam Carer"),
    ("postcode", "AB1 2AB"),
    ("urn", "SC123456"),
    ("planned", "no"),
    ("previous_permanence", "Z1"),
    (
        "rationale",
        "Mother agreed to accommodation after the injury; no safe family option.",
    ),
];

#[tokio::test]
async fn care_through_the_pages() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let (sw, tm, pa) = (
        t.sign_in("sw").await,
        t.sign_in("tm").await,
        t.sign_in("pa").await,
    );
    let kid = t.child("Ada", "Moss", false).await;

    // The manager sees the link and the form; a social worker may not decide.
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&tm))
        .await;
    assert!(page.body.contains(&format!("/children/{kid}/care/enter")));
    let form = t
        .get(&format!("/children/{kid}/care/enter"), Some(&tm))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Management rationale for the decision"));
    let r = t
        .get(&format!("/children/{kid}/care/enter"), Some(&sw))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(&t, &format!("/children/{kid}/care/enter"), &sw, ENTER).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Bad input: the GOV.UK error summary, nothing saved.
    let mut bad: Vec<(&str, &str)> = ENTER.to_vec();
    bad.retain(|(k, _)| *k != "rationale");
    bad.push(("rationale", ""));
    bad.retain(|(k, _)| *k != "placement");
    bad.push(("placement", "T1"));
    let r = post(&t, &format!("/children/{kid}/care/enter"), &tm, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("govuk-error-summary"), "{}", r.body);
    assert!(
        r.body
            .contains("Enter the management rationale for the decision")
    );
    assert!(r.body.contains("href=\"#rationale\""));
    assert!(episodes(&t, kid).await.is_empty());

    let r = post(&t, &format!("/children/{kid}/care/enter"), &tm, ENTER).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/children/{kid}?saved=care_entered"));

    // A placement move by the social worker: the episodes are Hearth's to make.
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(page.body.contains("Placement stability"));
    assert!(page.body.contains(&format!("/children/{kid}/care/change")));
    let move_fields: &[(&str, &str)] = &[
        ("changed-day", "1"),
        ("changed-month", "7"),
        ("changed-year", "2025"),
        ("kind", "placement"),
        ("placement", "K2"),
        ("provider", "PR4"),
        ("carer", "Oak House"),
        ("postcode", "ZX9 9ZZ"),
        ("urn", "SC654321"),
        ("planned", "yes"),
        ("same_carer", "no"),
        ("reason_place_change", "CREQB"),
    ];
    // Dated before the current episode began: refused, nothing saved.
    let mut early = move_fields.to_vec();
    early[2] = ("changed-year", "2024");
    let r = post(&t, &format!("/children/{kid}/care/change"), &sw, &early).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(
        "The date of the change must be on or after the current episode began (7 April 2025)"
    ));
    assert_eq!(episodes(&t, kid).await.len(), 1);

    let r = post(
        &t,
        &format!("/children/{kid}/care/change"),
        &sw,
        move_fields,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let eps = episodes(&t, kid).await;
    assert_eq!(
        eps.iter()
            .map(|e| e.reason_new.as_str())
            .collect::<Vec<_>>(),
        vec!["S", "P"]
    );
    assert_eq!(eps[0].reason_place_change.as_deref(), Some("CREQB"));
    let page = t
        .get(&format!("/children/{kid}?saved=care_changed"), Some(&sw))
        .await;
    assert!(
        page.body
            .contains("Placement move or change of legal status recorded")
    );
    assert!(page.body.contains("Since 1 July 2025"), "{}", page.body);

    // A performance analyst may not record casework: 403, audited.
    let denied = t.audit(AuditAction::Denied).await.len();
    let r = t
        .get(&format!("/children/{kid}/care/change"), Some(&pa))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(&t, &format!("/children/{kid}/care/cease"), &pa, &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(t.audit(AuditAction::Denied).await.len(), denied + 2);

    // Ceasing care.
    let r = post(
        &t,
        &format!("/children/{kid}/care/cease"),
        &sw,
        &[
            ("ended-day", "1"),
            ("ended-month", "12"),
            ("ended-year", "2025"),
            ("reason_ceased", "E4A"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let eps = episodes(&t, kid).await;
    assert_eq!(eps[1].reason_ceased.as_deref(), Some("E4A"));
    // Not looked after now: no change form.
    let r = t
        .get(&format!("/children/{kid}/care/change"), Some(&sw))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn care_through_the_api() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let (sw, tm, pa) = (
        token(&t, "sw").await,
        token(&t, "tm").await,
        token(&t, "pa").await,
    );
    let kid = t.child("Bo", "Lark", false).await;
    let enter = json!({
        "started_on": "2025-04-07",
        "legal_status": "C1",
        "category_of_need": "N1",
        "rationale": "Interim care order granted today.",
        "previous_permanence": "Z1",
        "placement": {"placement": "U6", "provider": "PR1", "postcode": "AB1 2AB",
                      "urn": "SC123456", "carer": "Jo Carer", "planned": false}
    });
    let path = |what: &str| format!("/api/children/{kid}/care/{what}");
    let r = t
        .send(json_req("POST", &path("enter"), Some(&sw), enter.clone()))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .send(json_req("POST", &path("enter"), Some(&tm), enter))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let v = json_of(&r);
    assert_eq!(v["episodes"][0]["reason_new"], "S");
    assert_eq!(
        v["period"]["rationale"],
        "Interim care order granted today."
    );

    // A change of legal status, refused for the analyst (audited), then bad input (422, the
    // field named, nothing saved), then saved.
    let change = json!({"changed_on": "2025-09-01", "kind": "legal_status", "legal_status": "C2"});
    let denied = t.audit(AuditAction::Denied).await.len();
    let r = t
        .send(json_req("POST", &path("change"), Some(&pa), change.clone()))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(t.audit(AuditAction::Denied).await.len(), denied + 1);
    let r = t
        .send(json_req(
            "POST",
            &path("change"),
            Some(&sw),
            json!({"changed_on": "2025-04-06", "kind": "legal_status", "legal_status": "C2"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(&r)["errors"][0]["field"], "changed");
    let r = t
        .send(json_req(
            "POST",
            &path("change"),
            Some(&sw),
            json!({"changed_on": "2025-09-01", "kind": "legal_status", "legal_status": "V3"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(&r)["errors"][0]["field"], "legal_status");
    assert_eq!(episodes(&t, kid).await.len(), 1);
    let r = t
        .send(json_req("POST", &path("change"), Some(&sw), change))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let v = json_of(&r);
    assert_eq!(v["episodes"][1]["reason_new"], "L");
    assert_eq!(v["episodes"][1]["placement"], "U6");
    assert_eq!(v["episodes"][0]["reason_ceased"], "X1");

    // Ceasing care: X1 is refused; E4A closes the period.
    let r = t
        .send(json_req(
            "POST",
            &path("cease"),
            Some(&sw),
            json!({"ended_on": "2025-12-01", "reason_ceased": "X1"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(&r)["errors"][0]["field"], "reason_ceased");
    let r = t
        .send(json_req(
            "POST",
            &path("cease"),
            Some(&sw),
            json!({"ended_on": "2025-12-01", "reason_ceased": "E4A"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(json_of(&r)["period"]["ended_on"], "2025-12-01");

    // In the OpenAPI document.
    let doc = json_of(&t.get("/api/openapi.json", None).await);
    for p in ["enter", "change", "cease"] {
        let key = format!("/api/children/{{id}}/care/{p}");
        assert!(doc["paths"][&key]["post"].is_object(), "missing {key}");
    }
    assert!(doc["components"]["schemas"]["NewCarePeriod"].is_object());
    assert!(doc["components"]["schemas"]["CareRecord"].is_object());
}
