//! The performance report page from the record: values, comparators, trends, the children behind
//! a figure (audited), the workbook, and who may see what.

use axum::http::{StatusCode, header};
use domain::access::{AuditAction, Role};
use domain::calendar::uk_now;
use domain::front_door::{NewContact, NewDecision};
use store::Actor;

use crate::TestApp;

/// A contact about `child` on `day`, decided the same day as a referral.
async fn referral(t: &TestApp, child: uuid::Uuid, day: chrono::NaiveDate) {
    let c = t
        .store
        .record_contact(
            Actor::SYSTEM,
            NewContact {
                received_at: day.and_hms_opt(9, 0, 0).unwrap(),
                source: "2A".into(),
                contact_name: "School".into(),
                contact_agency: "School".into(),
                reason: "Concerns".into(),
                consent: "given".into(),
                children: vec![child],
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
                outcome: "referral".into(),
                decided_at: day.and_hms_opt(12, 0, 0).unwrap(),
                direction: "Assess".into(),
                rationale: "Concerns".into(),
                quality: Some("good".into()),
                quality_comment: String::new(),
            },
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_report_from_the_record_with_drill_down_and_workbook() {
    let t = TestApp::with_config(web::Config {
        population: Some(10_000.0),
        ..Default::default()
    })
    .await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("sw", Role::SocialWorker, None).await;
    let (pa, tm, sw) = (
        t.sign_in("pa").await,
        t.sign_in("tm").await,
        t.sign_in("sw").await,
    );
    let kid = t.child("Jo", "Report", false).await;
    let secret = t.child("Kit", "Hidden", true).await;
    let today = uk_now().date();
    let day = today - chrono::Days::new(10);
    for child in [kid, secret] {
        referral(&t, child, day).await;
    }
    let period = format!("{}..{}", today - chrono::Days::new(30), today);

    let r = t.get(&format!("/report?period={period}"), Some(&pa)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for want in [
        "Referrals",
        "Re-referrals within 12 months",
        "Front-door decisions within 1 working day",
        "<svg",
        ">519.4<",
        ">per 10,000 children<",
        "(median)",
        "No value: needs an SSDA903 return",
    ] {
        assert!(r.body.contains(want), "{want} missing from the report");
    }
    // 2 referrals in a population of 10,000 (2.0 per 10,000), both decided in time (100%, 2 of
    // 2): small numbers, which could identify a child, are not shown to analysts.
    assert!(!r.body.contains(">2.0<"), "referral rate suppressed");
    assert!(
        !r.body.contains(">100.0%<"),
        "decision timeliness suppressed"
    );
    assert!(!r.body.contains("2 of 2"), "its numbers too");
    assert!(r.body.contains(">fewer than 6<"), "said as fewer than 6");
    assert!(r.body.contains("small numbers are not shown"));
    let managers = t.get(&format!("/report?period={period}"), Some(&tm)).await;
    assert_eq!(managers.status, StatusCode::OK);
    assert!(
        managers.body.contains(">2.0<"),
        "managers see the referral rate"
    );
    assert!(
        managers.body.contains(">100.0%<"),
        "and decision timeliness"
    );
    assert!(!managers.body.contains(">fewer than 6<"));
    assert!(
        !r.body.contains("Children<span"),
        "analysts do not get the children behind a figure"
    );
    assert_eq!(
        t.get("/report", Some(&sw)).await.status,
        StatusCode::FORBIDDEN
    );
    let bad = t.get("/report?period=someday", Some(&pa)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("govuk-error-summary"));
    // A period that has not happened is refused, on the page and for the workbook.
    let future = t.get("/report?period=2030-01..2030-03", Some(&pa)).await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future.body.contains("after today"), "{}", future.body);
    assert!(!future.body.contains("1 January 2030 to"));
    assert_eq!(
        t.get("/report.xlsx?period=2030-01..2030-03", Some(&pa))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    // A one-day period says what its figures are.
    let day = t
        .get(&format!("/report?period={today}..{today}"), Some(&tm))
        .await;
    assert_eq!(day.status, StatusCode::OK);
    assert!(day.body.contains("This period is one day"));

    // A team manager sees the children behind the referral rate (managers may open restricted
    // records, so both are listed); each child listed is an access entry.
    let r = t
        .get(&format!("/report/indicators/5?period={period}"), Some(&tm))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Jo Report") && r.body.contains("Kit Hidden"));
    let views = t.audit(AuditAction::View).await;
    assert!(
        views
            .iter()
            .any(|v| v.person_id == Some(kid) && v.detail.contains("listed behind indicator 5"))
    );
    assert_eq!(
        t.get(&format!("/report/indicators/5?period={period}"), Some(&pa))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert!(
        t.audit(AuditAction::Denied)
            .await
            .iter()
            .any(|d| d.detail.contains("children behind a figure"))
    );

    let x = t
        .get(&format!("/report.xlsx?period={period}"), Some(&pa))
        .await;
    assert_eq!(x.status, StatusCode::OK);
    assert_eq!(
        x.headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(x.body.starts_with("PK"), "an xlsx is a zip file");
}

/// With a refresh interval, viewers share one reading of the record (the page says when it was
/// taken) until the interval passes; with none, each view reads the record again.
#[tokio::test]
async fn the_report_shares_one_reading_of_the_record_for_its_refresh_interval() {
    let today = uk_now().date();
    let period = format!("{}..{}", today - chrono::Days::new(30), today);
    for (refresh, shared) in [
        (chrono::Duration::minutes(10), true),
        (chrono::Duration::zero(), false),
    ] {
        let t = TestApp::with_config(web::Config {
            population: Some(10_000.0),
            report_refresh: refresh,
            ..Default::default()
        })
        .await;
        // A team manager sees the figures (analysts see small numbers withheld).
        t.user("tm", Role::TeamManager, None).await;
        let pa = t.sign_in("tm").await;
        let a = t.child("Ada", "Shared", false).await;
        referral(&t, a, today - chrono::Days::new(5)).await;
        let first = t.get(&format!("/report?period={period}"), Some(&pa)).await;
        assert_eq!(first.status, StatusCode::OK);
        assert!(first.body.contains(">1.0<"), "one referral per 10,000");
        assert!(
            first
                .body
                .contains("Computed from the case record as it stood at")
        );
        assert_eq!(
            first.body.contains("read again at most every 10 minutes"),
            shared
        );
        let b = t.child("Bo", "Shared", false).await;
        referral(&t, b, today - chrono::Days::new(5)).await;
        let second = t.get(&format!("/report?period={period}"), Some(&pa)).await;
        if shared {
            assert!(
                second.body.contains(">1.0<"),
                "the shared reading, taken before the second referral"
            );
            assert!(
                !second.body.contains(">2.0<"),
                "not read again within the interval"
            );
        } else {
            assert!(
                second.body.contains(">2.0<"),
                "a fresh reading sees the second referral"
            );
        }
    }
}
