//! The analysts' Annex A page and workbook: who may make them, what they show, and the audit
//! entries for each.

use axum::http::{StatusCode, header};
use domain::access::{AuditAction, Role};
use domain::calendar::uk_now;
use domain::front_door::NewContact;
use store::Actor;

use crate::TestApp;

#[tokio::test]
async fn annex_a_for_analysts_with_its_checks_and_an_audited_download() {
    let t = TestApp::new().await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    t.user("sw", Role::SocialWorker, None).await;
    let (pa, sw) = (t.sign_in("pa").await, t.sign_in("sw").await);
    let kid = t.child("Jo", "Annex", false).await;
    let today = uk_now().date();
    t.store
        .record_contact(
            Actor::SYSTEM,
            NewContact {
                received_at: (today - chrono::Days::new(20))
                    .and_hms_opt(9, 0, 0)
                    .unwrap(),
                source: "2A".into(),
                contact_name: "School".into(),
                contact_agency: "School".into(),
                reason: "Concerns".into(),
                consent: "given".into(),
                children: vec![kid],
            },
        )
        .await
        .unwrap();

    let r = t.get("/inspection/annex-a", Some(&pa)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for want in [
        "1. Contacts",
        "11. Adopters",
        "Check before sending",
        "LA of Placement",
        "annex-a.xlsx?as_at-day=",
    ] {
        assert!(r.body.contains(want), "{want} missing");
    }
    assert!(!r.body.contains("Jo Annex"), "no child's name on the page");
    assert!(
        t.audit(AuditAction::View)
            .await
            .iter()
            .any(|v| v.detail.starts_with("Annex A lists as at"))
    );

    // A day after today is refused, on the page and for the workbook.
    let future = today + chrono::Days::new(3);
    let q = format!(
        "as_at-day={}&as_at-month={}&as_at-year={}",
        chrono::Datelike::day(&future),
        chrono::Datelike::month(&future),
        chrono::Datelike::year(&future)
    );
    let bad = t.get(&format!("/inspection/annex-a?{q}"), Some(&pa)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("govuk-error-summary") && bad.body.contains("after today"));
    assert_eq!(
        t.get(&format!("/inspection/annex-a.xlsx?{q}"), Some(&pa))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    let x = t.get("/inspection/annex-a.xlsx", Some(&pa)).await;
    assert_eq!(x.status, StatusCode::OK);
    assert_eq!(
        x.headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(x.body.starts_with("PK"));
    assert!(
        t.audit(AuditAction::View)
            .await
            .iter()
            .any(|v| v.detail.starts_with("downloaded the Annex A workbook")
                && v.detail.contains("about 1 children"))
    );

    // Social workers do not make Annex A; the refusal is audited.
    assert_eq!(
        t.get("/inspection/annex-a", Some(&sw)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.get("/inspection/annex-a.xlsx", Some(&sw)).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        t.audit(AuditAction::Denied)
            .await
            .iter()
            .any(|d| d.detail.contains("Annex A"))
    );
}

/// Timeliness from the lists: a front-door decision made late shows as out of time; the team
/// manager lists the child (an access entry), the analyst sees small numbers withheld and may
/// not list children.
#[tokio::test]
async fn timeliness_with_drill_down_for_managers_only() {
    use domain::front_door::NewDecision;
    let t = TestApp::new().await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("sw", Role::SocialWorker, None).await;
    let (pa, tm, sw) = (
        t.sign_in("pa").await,
        t.sign_in("tm").await,
        t.sign_in("sw").await,
    );
    let kid = t.child("Lee", "Late", false).await;
    let received = uk_now().date() - chrono::Days::new(30);
    let c = t
        .store
        .record_contact(
            Actor::SYSTEM,
            NewContact {
                received_at: received.and_hms_opt(9, 0, 0).unwrap(),
                source: "2A".into(),
                contact_name: "School".into(),
                contact_agency: "School".into(),
                reason: "Concerns".into(),
                consent: "given".into(),
                children: vec![kid],
            },
        )
        .await
        .unwrap();
    t.store
        .decide_contact(
            Actor::SYSTEM,
            c.id,
            c.version,
            NewDecision {
                outcome: "nfa".into(),
                decided_at: (received + chrono::Days::new(10))
                    .and_hms_opt(12, 0, 0)
                    .unwrap(),
                direction: "No further action".into(),
                rationale: "Needs met by school".into(),
                quality: Some("good".into()),
                quality_comment: String::new(),
            },
        )
        .await
        .unwrap();

    let m = t.get("/inspection/timeliness", Some(&tm)).await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.body);
    assert!(m.body.contains("Front-door decisions"));
    assert!(m.body.contains(">0.0%<"), "the one decision was late");
    assert!(
        m.body.contains("timeliness&#x2f;decisions?") || m.body.contains("timeliness/decisions?")
    );
    let a = t.get("/inspection/timeliness", Some(&pa)).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.body.contains("fewer than 6"),
        "one late decision is a small number"
    );
    assert!(!a.body.contains(">0.0%<"));
    assert!(
        !a.body.contains("timeliness&#x2f;decisions?") && !a.body.contains("timeliness/decisions?")
    );

    let list = t.get("/inspection/timeliness/decisions", Some(&tm)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains("Lee Late"));
    assert!(
        t.audit(AuditAction::View)
            .await
            .iter()
            .any(|v| v.person_id == Some(kid) && v.detail.starts_with("listed out of time"))
    );
    assert_eq!(
        t.get("/inspection/timeliness/decisions", Some(&pa))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.get("/inspection/timeliness", Some(&sw)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.get("/inspection/timeliness/nonsense", Some(&tm))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
