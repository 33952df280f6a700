//! Permanence plans, PEPs and the care summary through the pages and the API: a social worker
//! records them, a performance analyst is refused (403, audited), bad input saves nothing.

use axum::http::StatusCode;
use chrono::{Datelike, Local};
use domain::access::{AuditAction, Role};
use domain::looked_after::{Episode, Period};
use serde_json::json;
use store::{Actor, BulkCouncil};
use uuid::Uuid;

use crate::TestApp;
use crate::api::{json_req, token};

/// Looked after from Monday 6 January 2025 (full care order, foster care).
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

fn next_year() -> String {
    (Local::now().year() + 1).to_string()
}

#[tokio::test]
async fn a_social_worker_records_permanence_and_a_pep_through_the_pages() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let kid = t.child("Ada", "Carew", false).await;
    into_care(&t, kid).await;
    let sw = t.sign_in("sw").await;

    // The care summary: no plan by the second review (due 3 May 2025) is flagged.
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"care-summary\""), "{}", page.body);
    assert!(page.body.contains("foster care (U4), since 6 January 2025"));
    assert!(page.body.contains("full care order (C2)"));
    assert!(
        page.body
            .contains("Not recorded: it was due by the second review, 3 May 2025"),
        "{}",
        page.body
    );
    assert!(page.body.contains("govuk-tag--red"));
    assert!(page.body.contains(&format!("/children/{kid}/permanence")));

    let path = format!("/children/{kid}/permanence");
    let form = t.get(&path, Some(&sw)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let year = next_year();
    let plan = |plan: &'static str, target_year: &str, day: &'static str| {
        vec![
            ("csrf_token", sw.csrf.clone()),
            ("plan", plan.to_string()),
            ("agreed-day", day.to_string()),
            ("agreed-month", "3".to_string()),
            ("agreed-year", "2025".to_string()),
            ("target-day", "1".to_string()),
            ("target-month", "6".to_string()),
            ("target-year", target_year.to_string()),
            ("early_permanence", String::new()),
            ("parallel_plan", String::new()),
            ("rationale", "Agreed at the second review.".to_string()),
        ]
    };
    // No plan chosen and a target date in the past: the error summary, nothing saved.
    let bad = plan("", "2025", "1");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = t.post_form(&path, Some(&sw), &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("govuk-error-summary"));
    assert!(r.body.contains("#target"), "{}", r.body);
    assert!(
        r.body
            .contains("The target date must be today or in the future")
    );
    assert!(r.body.contains("Select the permanence plan"));
    assert!(t.store.care_plans(kid).await.unwrap().permanence.is_empty());

    let good = plan("return_to_family", &year, "1");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = t.post_form(&path, Some(&sw), &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let good = plan("adoption", &year, "20");
    let mut good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    good.retain(|(k, _)| *k != "early_permanence" && *k != "parallel_plan");
    good.push(("early_permanence", "foster_for_adoption"));
    good.push(("parallel_plan", "return_to_family"));
    let r = t.post_form(&path, Some(&sw), &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let plans = t.store.care_plans(kid).await.unwrap().permanence;
    assert_eq!(plans.len(), 2);
    assert!(plans[0].superseded_on.is_some());
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(
        page.body.contains(
            "Adoption (fostering for adoption), twin tracking with return to family: target 1 June"
        ),
        "{}",
        page.body
    );
    assert!(page.body.contains("(1 earlier plan superseded)"));

    // A PEP dated before care started, and a target missing its parts: nothing saved.
    let pep_path = format!("/children/{kid}/pep");
    let form = t.get(&pep_path, Some(&sw)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let pep = |day: &'static str, month: &'static str, area: &'static str| {
        vec![
            ("csrf_token", sw.csrf.as_str()),
            ("reviewed-day", day),
            ("reviewed-month", month),
            ("reviewed-year", "2025"),
            ("achievements", "Star of the week."),
            ("target1_area", area),
            ("target1_target", "Read a chapter book each week"),
            ("target1_by-day", "18"),
            ("target1_by-month", "7"),
            ("target1_by-year", "2025"),
            ("signed_off_by", ""),
        ]
    };
    let r = t
        .post_form(&pep_path, Some(&sw), &pep("3", "1", "Reading"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains(
            "The date of the PEP must be on or after the child started to be looked after"
        )
    );
    let r = t.post_form(&pep_path, Some(&sw), &pep("10", "3", "")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("#target1_area"), "{}", r.body);
    assert!(t.store.care_plans(kid).await.unwrap().peps.is_empty());
    let r = t
        .post_form(&pep_path, Some(&sw), &pep("10", "3", "Reading"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let peps = t.store.care_plans(kid).await.unwrap().peps;
    assert_eq!(peps.len(), 1);
    assert_eq!(peps[0].targets[0].area, "Reading");
    // The next PEP reviews that target's progress.
    let form = t.get(&pep_path, Some(&sw)).await;
    assert!(
        form.body.contains("Progress on earlier target 1"),
        "{}",
        form.body
    );

    // A performance analyst may not: 403, audited.
    let pa = t.sign_in("pa").await;
    let r = t.get(&path, Some(&pa)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .post_form(&pep_path, Some(&pa), &[("csrf_token", pa.csrf.as_str())])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        t.audit(AuditAction::Denied)
            .await
            .iter()
            .any(|e| e.person_id == Some(kid))
    );
    assert_eq!(t.store.care_plans(kid).await.unwrap().peps.len(), 1);
}

#[tokio::test]
async fn permanence_and_peps_through_the_api() {
    let t = TestApp::new().await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let kid = t.child("Ada", "Carew", false).await;
    into_care(&t, kid).await;
    let tm = token(&t, "tm").await;
    let target = format!("{}-06-01", next_year());
    let plan = |target: &str| json!({"plan": "long_term_fostering", "agreed_on": "2025-03-01", "target_on": target});
    let url = format!("/api/children/{kid}/permanence");
    let r = t
        .send(json_req("POST", &url, Some(&tm), plan("2025-06-01")))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("\"target\""), "{}", r.body);
    assert!(t.store.care_plans(kid).await.unwrap().permanence.is_empty());
    let r = t
        .send(json_req("POST", &url, Some(&tm), plan(&target)))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pa = token(&t, "pa").await;
    let r = t
        .send(json_req("POST", &url, Some(&pa), plan(&target)))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(t.store.care_plans(kid).await.unwrap().permanence.len(), 1);

    let url = format!("/api/children/{kid}/pep");
    let pep = |area: &str| {
        json!({
            "reviewed_on": "2025-03-10", "achievements": "Joined the choir.",
            "targets": [{"area": area, "target": "Attend every day", "by_when": "2025-07-18"}],
            "signed_off_by": "Virtual school head", "signed_off_on": "2025-03-12"
        })
    };
    let r = t.send(json_req("POST", &url, Some(&tm), pep(""))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("\"targets\""), "{}", r.body);
    assert!(t.store.care_plans(kid).await.unwrap().peps.is_empty());
    let r = t
        .send(json_req("POST", &url, Some(&tm), pep("Attendance")))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = t
        .send(json_req("POST", &url, Some(&pa), pep("Attendance")))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(t.store.care_plans(kid).await.unwrap().peps.len(), 1);

    let doc = t.get("/api/openapi.json", None).await;
    for p in ["/api/children/{id}/permanence", "/api/children/{id}/pep"] {
        assert!(doc.body.contains(p), "{p} in the OpenAPI document");
    }
    assert!(doc.body.contains("NewPermanencePlan"));
    assert!(doc.body.contains("PepRecord"));
}
