//! Case file audits on pages beyond the API: a programme of chosen cases (the cases the scope
//! holds in the period listed to choose from, each an access entry; a restricted record the user
//! may not open not offered), and the council's audit template changed on pages by quality leads
//! and managers only (refusals audited, every change audited).

use axum::http::StatusCode;
use domain::access::{AuditAction, Role};
use store::{Actor, NewWorker};

use crate::{Browser, TestApp};

fn with_csrf<'a>(b: &'a Browser, fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![("csrf_token", b.csrf.as_str())];
    all.extend_from_slice(fields);
    all
}

#[tokio::test]
async fn a_programme_of_chosen_cases_is_set_up_on_the_page() {
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
    let mut kids = Vec::new();
    for name in ["Ada", "Bea", "Cal"] {
        let kid = t.child(name, "Chosen", false).await;
        s.allocate(Actor::SYSTEM, kid, worker, crate::date(2025, 2, 3))
            .await
            .unwrap();
        kids.push(kid);
    }
    let hidden = t.child("Dee", "Hidden", true).await;
    s.allocate(Actor::SYSTEM, hidden, worker, crate::date(2025, 2, 3))
        .await
        .unwrap();
    let b = t.sign_in("lead").await;
    let lead_id = lead.id.to_string();
    let base = [
        ("theme", "Chosen cases"),
        ("scope", "service"),
        ("period_start-day", "1"),
        ("period_start-month", "1"),
        ("period_start-year", "2025"),
        ("period_end-day", "31"),
        ("period_end-month", "12"),
        ("period_end-year", "2025"),
        ("auditors", lead_id.as_str()),
        ("method", "chosen"),
    ];
    // First the cases to choose from: listed (no problem yet), each an access entry; the
    // restricted record is not offered.
    let list = t
        .post_form("/quality/audits/new", Some(&b), &with_csrf(&b, &base))
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains("The cases to audit"));
    assert!(list.body.contains("Ada Chosen"), "{}", list.body);
    assert!(!list.body.contains("Dee Hidden"));
    assert!(list.body.contains("1 more are not listed"), "{}", list.body);
    assert!(!list.body.contains("There is a problem"));
    let views = t.audit(AuditAction::View).await;
    assert!(views.iter().any(|e| e.actor == Some(lead.id)
        && e.person_id == Some(kids[0])
        && e.detail == "cases offered to choose for a case file audit"));
    assert!(
        !views
            .iter()
            .any(|e| e.person_id == Some(hidden) && e.actor == Some(lead.id))
    );
    // Choosing none, once shown: the problem named.
    let mut none = base.to_vec();
    none.push(("choosing", "yes"));
    let bad = t
        .post_form("/quality/audits/new", Some(&b), &with_csrf(&b, &none))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Choose at least one case"));
    // Two chosen: the programme holds them, in the order chosen.
    let (a, c) = (kids[0].to_string(), kids[2].to_string());
    let mut two = none.clone();
    two.push(("children", a.as_str()));
    two.push(("children", c.as_str()));
    let made = t
        .post_form("/quality/audits/new", Some(&b), &with_csrf(&b, &two))
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let p = s.programmes().await.unwrap().remove(0);
    assert_eq!(p.method, "chosen");
    assert_eq!(
        p.sample.iter().map(|c| c.child_id).collect::<Vec<_>>(),
        vec![kids[0], kids[2]]
    );
    assert!(
        t.get(made.location(), Some(&b))
            .await
            .body
            .contains("Chosen cases")
    );
}

#[tokio::test]
async fn the_template_is_changed_on_pages_by_quality_leads_and_managers_only() {
    let t = TestApp::new().await;
    let lead = t.user("lead", Role::Auditor, None).await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("sw", Role::SocialWorker, None).await;
    let b = t.sign_in("lead").await;
    let page = t.get("/quality/audits/template", Some(&b)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("SMART plans"));
    assert!(page.body.contains("/quality/audits/template/smart_plans"));
    // Add a domain: the problems first, then saved (audited).
    let form = t.get("/quality/audits/template/new", Some(&b)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.body.contains("value=\"8\""),
        "the next place: {}",
        form.body
    );
    let bad = t
        .post_form(
            "/quality/audits/template/new",
            Some(&b),
            &with_csrf(
                &b,
                &[
                    ("key", "Not A Key"),
                    ("label", ""),
                    ("position", "x"),
                    ("active", "yes"),
                ],
            ),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("There is a problem"));
    assert!(
        bad.body
            .contains("Enter a short name in lower case letters and underscores")
    );
    assert!(
        bad.body.contains("Enter the domain&#x27;s name")
            || bad.body.contains("Enter the domain's name")
    );
    assert!(
        bad.body
            .contains("Enter the place in the template as a whole number")
    );
    let dup = t
        .post_form(
            "/quality/audits/template/new",
            Some(&b),
            &with_csrf(
                &b,
                &[
                    ("key", "risk"),
                    ("label", "Risk again"),
                    ("position", "9"),
                    ("active", "yes"),
                ],
            ),
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup.body.contains("A domain already has this short name"));
    let ok = t
        .post_form(
            "/quality/audits/template/new",
            Some(&b),
            &with_csrf(
                &b,
                &[
                    ("key", "permanence"),
                    ("label", "Permanence planning"),
                    ("hint", "A plan for permanence by the second review"),
                    ("position", "8"),
                    ("active", "yes"),
                ],
            ),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let template = t.store.audit_template().await.unwrap();
    assert_eq!(template.len(), 8);
    assert_eq!(template[7].label, "Permanence planning");
    // A manager retires a domain on its page: kept, no longer graded.
    let m = t.sign_in("tm").await;
    let edit = t.get("/quality/audits/template/timeliness", Some(&m)).await;
    assert_eq!(edit.status, StatusCode::OK, "{}", edit.body);
    assert!(edit.body.contains("Timeliness"));
    let retired = t
        .post_form(
            "/quality/audits/template/timeliness",
            Some(&m),
            &with_csrf(
                &m,
                &[
                    ("label", "Timeliness"),
                    ("hint", ""),
                    ("position", "4"),
                    ("active", "no"),
                ],
            ),
        )
        .await;
    assert_eq!(retired.status, StatusCode::SEE_OTHER, "{}", retired.body);
    let d = t
        .store
        .audit_template()
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.key == "timeliness")
        .unwrap();
    assert!(!d.active);
    assert!(
        t.get("/quality/audits/template", Some(&m))
            .await
            .body
            .contains("Retired")
    );
    // Each change audited.
    let changes: Vec<_> = t
        .audit(AuditAction::Create)
        .await
        .into_iter()
        .chain(t.audit(AuditAction::Update).await)
        .filter(|e| e.entity_type == "audit_domain")
        .collect();
    assert!(
        changes
            .iter()
            .any(|e| e.actor == Some(lead.id) && e.detail == "audit template domain permanence")
    );
    assert!(
        changes
            .iter()
            .any(|e| e.detail == "audit template domain timeliness")
    );
    // Not a domain: not found. A social worker may neither see nor change it (audited).
    assert_eq!(
        t.get("/quality/audits/template/nothing", Some(&b))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let sw = t.sign_in("sw").await;
    assert_eq!(
        t.get("/quality/audits/template", Some(&sw)).await.status,
        StatusCode::FORBIDDEN
    );
    let refused = t
        .post_form(
            "/quality/audits/template/risk",
            Some(&sw),
            &with_csrf(
                &sw,
                &[("label", "Risk"), ("position", "6"), ("active", "no")],
            ),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        t.store
            .audit_template()
            .await
            .unwrap()
            .iter()
            .find(|d| d.key == "risk")
            .unwrap()
            .active
    );
    assert!(
        t.audit(AuditAction::Denied)
            .await
            .iter()
            .any(|e| e.detail.starts_with("POST /quality/audits/template/risk"))
    );
}
