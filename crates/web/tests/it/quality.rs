//! Case file audits through the pages and the API: a 20-case programme from sampling to
//! themes. The sample is drawn again from its seed; an auditor reads only the records in their
//! sample (each view an access entry "case file audit"; any other refused, audited); audits,
//! moderation and learning actions (on the owner's work due until done); a social worker is
//! refused the audits (403, audited).

use axum::http::StatusCode;
use domain::access::{AuditAction, Role};
use serde_json::{Value, json};
use store::{Actor, NewWorker};
use uuid::Uuid;

use crate::api::{json_req, token};
use crate::{Browser, TestApp};

const DOMAINS: [&str; 7] = [
    "management_oversight",
    "voice_of_child",
    "smart_plans",
    "timeliness",
    "multi_agency",
    "risk",
    "impact",
];

fn with_csrf<'a>(b: &'a Browser, fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![("csrf_token", b.csrf.as_str())];
    all.extend_from_slice(fields);
    all
}

fn audit_body(programme: &str, grade: &str) -> Value {
    json!({
        "programme_id": programme,
        "grades": DOMAINS.iter().map(|d| json!({"domain": d, "grade": grade, "evidence": "Seen in supervision and visit notes"})).collect::<Vec<_>>(),
        "overall": grade,
        "worker_conversation": "Discussed the audit with the worker, who agreed the actions",
        "family_views": "",
    })
}

#[tokio::test]
async fn a_twenty_case_programme_from_sampling_to_themes() {
    let t = TestApp::new().await;
    let s = &t.store;
    let team = s
        .create_team(Actor::SYSTEM, "Assessment team")
        .await
        .unwrap()
        .id;
    let worker = s
        .create_worker(
            Actor::SYSTEM,
            NewWorker {
                name: "Ann Worker".into(),
                team_id: Some(team),
                role_title: "Social worker".into(),
                agency: false,
                started: crate::date(2020, 1, 1),
            },
        )
        .await
        .unwrap()
        .id;
    let lead = t.user("lead", Role::Auditor, None).await;
    let second = t.user("second", Role::Auditor, None).await;
    t.user("ann", Role::SocialWorker, Some(worker)).await;
    let mut children = Vec::new();
    for i in 0..24 {
        let kid = t.child(&format!("Child{i}"), "Audit", false).await;
        s.allocate(Actor::SYSTEM, kid, worker, crate::date(2025, 2, 3))
            .await
            .unwrap();
        children.push(kid);
    }
    let b = t.sign_in("lead").await;
    // The form with its problems: nothing saved.
    let page = t.get("/quality/audits/new", Some(&b)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let bad = t
        .post_form(
            "/quality/audits/new",
            Some(&b),
            &with_csrf(&b, &[("theme", ""), ("scope", "service"), ("size", "20")]),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("There is a problem"));
    assert!(bad.body.contains("Enter the theme of the audit"));
    assert!(bad.body.contains("Enter the start of the period"));
    // The summary lists the problems in the order of the fields.
    let at = |text: &str| bad.body.find(text).unwrap();
    assert!(at("Enter the theme of the audit") < at("Enter the start of the period"));
    assert!(s.programmes().await.unwrap().is_empty());
    let (lead_id, second_id) = (lead.id.to_string(), second.id.to_string());
    let made = t
        .post_form(
            "/quality/audits/new",
            Some(&b),
            &with_csrf(
                &b,
                &[
                    ("theme", "The voice of the child"),
                    ("scope", "service"),
                    ("period_start-day", "1"),
                    ("period_start-month", "1"),
                    ("period_start-year", "2025"),
                    ("period_end-day", "31"),
                    ("period_end-month", "12"),
                    ("period_end-year", "2025"),
                    ("auditors", &lead_id),
                    ("auditors", &second_id),
                    ("size", "20"),
                    ("seed", "424242"),
                ],
            ),
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let programme = s.programmes().await.unwrap().remove(0);
    assert_eq!(programme.sample.len(), 20);
    assert_eq!(programme.seed, Some(424242));
    let page = t.get(made.location(), Some(&b)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.body.matches("<tr class=\"govuk-table__row\">").count(),
        21
    );
    assert!(page.body.contains("seed 424242"));
    // Drawn again through the API from the recorded seed: the same cases in the same order.
    let tok = token(&t, "lead").await;
    let again = t
        .send(json_req(
            "POST",
            "/api/case-file-audits/programmes",
            Some(&tok),
            json!({"theme": "Re-drawn", "scope": "service", "team_id": null,
                   "period_start": "2025-01-01", "period_end": "2025-12-31",
                   "auditors": [lead.id, second.id], "sampling": {"method": "random", "size": 20, "seed": 424242}}),
        ))
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    let again: Value = serde_json::from_str(&again.body).unwrap();
    let ids = |v: &Value| -> Vec<String> {
        v["sample"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["child_id"].as_str().unwrap().to_string())
            .collect()
    };
    let first: Value = serde_json::to_value(&programme).unwrap();
    assert_eq!(ids(&first), ids(&again));
    // The auditor reads the records in their sample (a "case file audit" access entry), and
    // is refused any other (audited).
    let sampled: Vec<Uuid> = programme.sample.iter().map(|c| c.child_id).collect();
    let outside = *children.iter().find(|c| !sampled.contains(c)).unwrap();
    let mine: Vec<Uuid> = programme
        .sample
        .iter()
        .filter(|c| c.auditor_id == lead.id)
        .map(|c| c.child_id)
        .collect();
    let theirs: Vec<Uuid> = programme
        .sample
        .iter()
        .filter(|c| c.auditor_id == second.id)
        .map(|c| c.child_id)
        .collect();
    assert_eq!(mine.len() + theirs.len(), 20);
    let rec = t.get(&format!("/children/{}", mine[0]), Some(&b)).await;
    assert_eq!(rec.status, StatusCode::OK, "{}", rec.body);
    let views = t.audit(AuditAction::View).await;
    assert!(
        views.iter().any(|e| e.actor == Some(lead.id)
            && e.person_id == Some(mine[0])
            && e.detail == "case file audit"),
        "{views:?}"
    );
    assert!(
        views
            .iter()
            .filter(|e| e.actor == Some(lead.id)
                && e.person_id == Some(mine[0])
                && e.entity_type == "person")
            .all(|e| e.detail == "case file audit"),
        "{views:?}"
    );
    let refused = t
        .get(&format!("/children/{outside}?section=all"), Some(&b))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        t.audit(AuditAction::Denied)
            .await
            .iter()
            .any(|e| e.actor == Some(lead.id) && e.person_id == Some(outside))
    );
    assert_eq!(
        t.get("/children?q=Audit", Some(&b)).await.status,
        StatusCode::FORBIDDEN
    );
    // The audit form: problems shown, then saved.
    let form = format!(
        "/quality/audits/children/{}?programme={}",
        mine[0], programme.id
    );
    assert_eq!(t.get(&form, Some(&b)).await.status, StatusCode::OK);
    let bad = t
        .post_form(&form, Some(&b), &with_csrf(&b, &[("grade_risk", "good")]))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body
            .contains("Select a grade for management oversight and direction")
    );
    assert!(bad.body.contains("Enter the evidence for risk"));
    let mut fields = vec![
        ("overall", "good"),
        (
            "worker_conversation",
            "Talked it through with Ann, who agreed",
        ),
    ];
    let names: Vec<(String, String)> = DOMAINS
        .iter()
        .map(|d| (format!("grade_{d}"), format!("evidence_{d}")))
        .collect();
    for (g, e) in &names {
        fields.push((g, "good"));
        fields.push((e, "Clear in the case notes"));
    }
    let saved = t.post_form(&form, Some(&b), &with_csrf(&b, &fields)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let audit_page = saved.location().split('?').next().unwrap().to_string();
    let audit_id = audit_page.rsplit('/').next().unwrap().to_string();
    // The rest through the API: the lead's as requires improvement, the second auditor's good.
    let tok2 = token(&t, "second").await;
    for kid in &mine[1..] {
        let r = t
            .send(json_req(
                "POST",
                &format!("/api/case-file-audits/children/{kid}"),
                Some(&tok),
                audit_body(&programme.id.to_string(), "requires_improvement"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    // Not their case: the store refuses another auditor's.
    if let Some(kid) = theirs.first() {
        let r = t
            .send(json_req(
                "POST",
                &format!("/api/case-file-audits/children/{kid}"),
                Some(&tok),
                audit_body(&programme.id.to_string(), "good"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    }
    for kid in &theirs {
        let r = t
            .send(json_req(
                "POST",
                &format!("/api/case-file-audits/children/{kid}"),
                Some(&tok2),
                audit_body(&programme.id.to_string(), "good"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    // The second auditor moderates the lead's audit on the page, changing risk with a reason.
    let b2 = t.sign_in("second").await;
    let mut m: Vec<(String, String)> = DOMAINS
        .iter()
        .map(|d| (format!("mod_{d}"), "good".to_string()))
        .collect();
    m.push(("mod_risk".into(), "inadequate".into()));
    m.retain(|(k, v)| k != "mod_risk" || v == "inadequate");
    m.push(("mod_overall".into(), "good".into()));
    let m_ref: Vec<(&str, &str)> = m.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let no_reason = t
        .post_form(
            &format!("{audit_page}/moderation"),
            Some(&b2),
            &with_csrf(&b2, &m_ref),
        )
        .await;
    assert_eq!(
        no_reason.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        no_reason.body
    );
    assert!(
        no_reason
            .body
            .contains("Enter the reason for changing the grades")
    );
    let mut with_reason = m_ref.clone();
    with_reason.push(("reason", "No plan for the risk from the new partner"));
    let ok = t
        .post_form(
            &format!("{audit_page}/moderation"),
            Some(&b2),
            &with_csrf(&b2, &with_reason),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let shown = t.get(&audit_page, Some(&b)).await;
    assert!(
        shown.body.contains("changed Risk: Good to Inadequate"),
        "{}",
        shown.body
    );
    let api: Value = serde_json::from_str(
        &t.send(json_req(
            "GET",
            &format!("/api/case-file-audits/{audit_id}"),
            Some(&tok),
            json!(null),
        ))
        .await
        .body,
    )
    .unwrap();
    assert_eq!(api["moderations"][0]["changes"][0]["to"], "inadequate");
    // A learning action for the worker: on their work due until they mark it done.
    let owner = worker.to_string();
    let la = t
        .post_form(
            &format!("{audit_page}/learning-actions"),
            Some(&b),
            &with_csrf(
                &b,
                &[
                    ("action", "Record a risk assessment of the new partner"),
                    ("owner_worker_id", &owner),
                    ("due-day", "1"),
                    ("due-month", "1"),
                    ("due-year", "2099"),
                ],
            ),
        )
        .await;
    assert_eq!(la.status, StatusCode::SEE_OTHER, "{}", la.body);
    let ann = t.sign_in("ann").await;
    let work = t.get("/work", Some(&ann)).await;
    assert!(
        work.body.contains("Learning action from a case file audit"),
        "{}",
        work.body
    );
    let list = t.get("/quality/learning-actions", Some(&ann)).await;
    assert_eq!(list.status, StatusCode::OK);
    let action_id = s.learning_actions_of(worker).await.unwrap()[0].id;
    let done = t
        .post_form(
            &format!("/quality/learning-actions/{action_id}/done"),
            Some(&ann),
            &with_csrf(&ann, &[]),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(
        !t.get("/work", Some(&ann))
            .await
            .body
            .contains("Learning action from a case file audit")
    );
    // The lead may not mark another's action done, nor may a social worker see the audits.
    assert_eq!(
        t.get("/quality/audits", Some(&ann)).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        t.audit(AuditAction::Denied)
            .await
            .iter()
            .any(|e| e.detail.starts_with("GET /quality/audits"))
    );
    // Themes: 20 audits, the lead's requires improvement but one, the second's good.
    let themes = t.get("/quality/audits/themes", Some(&b)).await;
    assert_eq!(themes.status, StatusCode::OK, "{}", themes.body);
    let good = 1 + theirs.len();
    let pct = (good * 100 + 10) / 20;
    assert!(
        themes.body.contains(&format!("{pct}% of the 20 audits")),
        "{}",
        themes.body
    );
    let rows: Value = serde_json::from_str(
        &t.send(json_req(
            "GET",
            "/api/case-file-audits/themes",
            Some(&tok),
            json!(null),
        ))
        .await
        .body,
    )
    .unwrap();
    let overall = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["domain"] == "overall" && r["team_id"].is_null())
        .unwrap();
    let counts: Vec<u64> = overall["grades"]["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .collect();
    assert_eq!(counts, vec![0, good as u64, (20 - good) as u64, 0]);
}

#[tokio::test]
async fn the_template_changes_without_code_and_only_auditors_and_managers_change_it() {
    let t = TestApp::new().await;
    let lead = t.user("lead", Role::Auditor, None).await;
    t.user("sw", Role::SocialWorker, None).await;
    let tok = token(&t, "lead").await;
    let permanence = json!({"key": "permanence", "label": "Permanence planning",
        "hint": "A plan for permanence by the second review", "position": 8, "active": true});
    let r = t
        .send(json_req(
            "PUT",
            "/api/case-file-audits/template",
            Some(&tok),
            permanence.clone(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let domains: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(domains.as_array().unwrap().len(), 8);
    assert_eq!(domains[7]["label"], "Permanence planning");
    let bad = t
        .send(json_req(
            "PUT",
            "/api/case-file-audits/template",
            Some(&tok),
            json!({"key": "Not a key", "label": "x", "hint": "", "position": 9, "active": true}),
        ))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("\"field\":\"key\""), "{}", bad.body);
    // A social worker neither changes the template nor sees the audits (refusals audited).
    let sw = token(&t, "sw").await;
    let r = t
        .send(json_req(
            "PUT",
            "/api/case-file-audits/template",
            Some(&sw),
            permanence,
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .send(json_req(
            "GET",
            "/api/case-file-audits/programmes",
            Some(&sw),
            json!(null),
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let denied = t.audit(AuditAction::Denied).await;
    assert!(
        denied
            .iter()
            .any(|e| e.detail.starts_with("PUT /api/case-file-audits/template"))
    );
    assert!(
        denied
            .iter()
            .any(|e| e.detail.starts_with("GET /api/case-file-audits/programmes"))
    );
    // The new domain is on the audit form.
    let b = t.sign_in("lead").await;
    let kid = t.child("Ada", "Audit", false).await;
    let p = t
        .store
        .create_programme(
            Actor::user(lead.id),
            domain::quality::NewProgramme {
                theme: "Permanence".into(),
                scope: domain::quality::ScopeKind::Service,
                team_id: None,
                period_start: crate::date(2025, 1, 1),
                period_end: crate::date(2025, 12, 31),
                auditors: vec![lead.id],
                sampling: domain::quality::Sampling::Chosen {
                    children: vec![kid],
                },
            },
        )
        .await
        .unwrap();
    let form = t
        .get(
            &format!("/quality/audits/children/{kid}?programme={}", p.id),
            Some(&b),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("name=\"grade_permanence\""));
    // A child outside the programme's sample has no audit form.
    let other = t.child("Bea", "Other", false).await;
    let none = t
        .get(
            &format!("/quality/audits/children/{other}?programme={}", p.id),
            Some(&b),
        )
        .await;
    assert_ne!(none.status, StatusCode::OK);
}
