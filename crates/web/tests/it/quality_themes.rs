//! Case file audit themes across periods: the trend by quarter and recurring weaknesses on the
//! page (with GOV.UK date inputs for the period), the same through the API, and the Excel
//! workbook for an improvement board (its sheets, units in the header row; the download audited;
//! refused, audited, to a social worker).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::{Data, Reader};
use domain::access::{AuditAction, Role};
use domain::quality::{DomainGrade, Grade, NewAudit, NewProgramme, Sampling, ScopeKind};
use serde_json::{Value, json};
use store::{Actor, NewWorker};
use tower::ServiceExt;

use crate::TestApp;
use crate::api::{json_req, token};

const DOMAINS: [&str; 7] = [
    "management_oversight",
    "voice_of_child",
    "smart_plans",
    "timeliness",
    "multi_agency",
    "risk",
    "impact",
];

/// Six audits, two in each of the first three quarters of 2026: SMART plans inadequate in every
/// one, everything else good. Returns the lead auditor.
async fn audits_over_three_quarters(t: &TestApp) -> domain::access::User {
    let s = &t.store;
    let team = s
        .create_team(Actor::SYSTEM, "Locality team")
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
    t.user("sw", Role::SocialWorker, Some(worker)).await;
    let mut kids = Vec::new();
    for i in 0..6 {
        let kid = t.child(&format!("Kid{i}"), "Trend", false).await;
        s.allocate(Actor::SYSTEM, kid, worker, crate::date(2025, 6, 1))
            .await
            .unwrap();
        kids.push(kid);
    }
    let p = s
        .create_programme(
            Actor::user(lead.id),
            NewProgramme {
                theme: "SMART plans".into(),
                scope: ScopeKind::Service,
                team_id: None,
                period_start: crate::date(2026, 1, 1),
                period_end: crate::date(2026, 9, 30),
                auditors: vec![lead.id],
                sampling: Sampling::Chosen {
                    children: kids.clone(),
                },
            },
        )
        .await
        .unwrap();
    let mut ids = Vec::new();
    for kid in &kids {
        let grades = DOMAINS
            .iter()
            .map(|d| DomainGrade {
                domain: d.to_string(),
                grade: if *d == "smart_plans" {
                    Grade::Inadequate
                } else {
                    Grade::Good
                },
                evidence: "In the case notes".into(),
            })
            .collect();
        let a = s
            .record_audit(
                Actor::user(lead.id),
                p.id,
                NewAudit {
                    child_id: *kid,
                    grades,
                    overall: Grade::Good,
                    worker_conversation: "Talked it through".into(),
                    family_views: String::new(),
                },
            )
            .await
            .unwrap();
        ids.push(a.id);
    }
    // Audits are dated the day they are recorded: these are dated back into 2026's quarters.
    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(t._dir.0.join("t.db").to_str().unwrap())
        .await
        .unwrap();
    for (i, id) in ids.iter().enumerate() {
        let on = ["2026-01-15", "2026-04-15", "2026-07-15"][i / 2];
        sqlx::query("UPDATE case_file_audit SET audited_on = ? WHERE id = ?")
            .bind(on)
            .bind(id)
            .execute(&mut c)
            .await
            .unwrap();
    }
    lead
}

fn cells(book: &mut calamine::Xlsx<std::io::Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<String>> {
    book.worksheet_range(sheet)
        .unwrap()
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn themes_show_the_trend_by_quarter_and_recurring_weaknesses_with_date_inputs() {
    let t = TestApp::new().await;
    audits_over_three_quarters(&t).await;
    let b = t.sign_in("lead").await;
    let page = t
        .get(
            "/quality/audits/themes?from-day=1&from-month=1&from-year=2026&to-day=30&to-month=9&to-year=2026",
            Some(&b),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // GOV.UK date inputs, filled with the period shown.
    assert!(page.body.contains("name=\"from-day\""), "{}", page.body);
    assert!(
        page.body
            .contains("name=\"to-year\" type=\"text\" value=\"2026\"")
            || page.body.contains("value=\"2026\"")
    );
    assert!(
        page.body
            .contains("6 audits recorded from 1 January 2026 to 30 September 2026"),
        "{}",
        page.body
    );
    // The recurring weakness: SMART plans, three quarters running, still a weakness.
    assert!(page.body.contains("Recurring weaknesses"));
    assert!(
        page.body
            .contains("3 quarters: Jan to Mar 2026 to Jul to Sep 2026"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Still a weakness"));
    // The trend: each quarter's share good or better.
    assert!(page.body.contains("Apr to Jun 2026"));
    assert!(page.body.contains("0% of 2"), "{}", page.body);
    assert!(page.body.contains("100% of 2"));
    assert!(
        page.body
            .contains("themes.xlsx?from=2026-01-01&amp;to=2026-09-30"),
        "{}",
        page.body
    );
    // A date that is not real: the error summary and the message by the date input.
    let bad = t
        .get(
            "/quality/audits/themes?from-day=31&from-month=2&from-year=2026&to-day=30&to-month=9&to-year=2026",
            Some(&b),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("There is a problem"));
    assert!(bad.body.contains("Start of the period must be a real date"));
    // The API: the same trend and weaknesses.
    let tok = token(&t, "lead").await;
    let r = t
        .send(json_req(
            "GET",
            "/api/case-file-audits/trends?from=2026-01-01&to=2026-09-30",
            Some(&tok),
            json!(null),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["quarters"].as_array().unwrap().len(), 3);
    let smart = v["weaknesses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["domain"] == "smart_plans" && w["team_id"].is_null())
        .unwrap();
    assert_eq!(smart["quarters"], 3);
    assert_eq!(smart["ongoing"], true);
}

#[tokio::test]
async fn the_themes_download_as_a_workbook_for_an_improvement_board() {
    let t = TestApp::new().await;
    let lead = audits_over_three_quarters(&t).await;
    let b = t.sign_in("lead").await;
    let resp = t
        .app
        .clone()
        .oneshot(
            Request::get("/quality/audits/themes.xlsx?from=2026-01-01&to=2026-09-30")
                .header(header::COOKIE, &b.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = axum::body::to_bytes(resp.into_body(), 16 * 1024 * 1024)
        .await
        .unwrap()
        .to_vec();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec![
            "Themes",
            "Trend by quarter",
            "Recurring weaknesses",
            "About"
        ]
    );
    let themes = cells(&mut book, "Themes");
    // The header row names the units.
    assert_eq!(themes[0][0], "Team");
    assert_eq!(themes[0][2], "Outstanding (audits)");
    assert_eq!(themes[0][7], "Good or better (%)");
    let smart = themes
        .iter()
        .find(|r| r[0] == "All teams" && r[1] == "SMART plans")
        .unwrap();
    assert_eq!(&smart[2..8], &["0", "0", "0", "6", "6", "0"]);
    let overall = themes
        .iter()
        .find(|r| r[0] == "Locality team" && r[1] == "Overall grade")
        .unwrap();
    assert_eq!(overall[7], "100");
    let trend = cells(&mut book, "Trend by quarter");
    assert_eq!(trend[0][0], "Quarter");
    assert!(
        trend
            .iter()
            .any(|r| r[0] == "Jul to Sep 2026" && r[1] == "Risk" && r[7] == "100")
    );
    let weak = cells(&mut book, "Recurring weaknesses");
    assert!(
        weak.iter()
            .any(|r| r[0] == "All teams" && r[1] == "SMART plans" && r[2] == "3"),
        "{weak:?}"
    );
    // The download is audited; a social worker is refused it (audited).
    assert!(
        t.audit(AuditAction::View)
            .await
            .iter()
            .any(|e| e.actor == Some(lead.id)
                && e.detail == "case file audit themes workbook 2026-01-01 to 2026-09-30")
    );
    let sw = t.sign_in("sw").await;
    assert_eq!(
        t.get("/quality/audits/themes.xlsx", Some(&sw)).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        t.audit(AuditAction::Denied)
            .await
            .iter()
            .any(|e| e.detail.starts_with("GET /quality/audits/themes.xlsx"))
    );
}

#[tokio::test]
async fn the_performance_report_counts_audits_graded_good_or_better() {
    let t = TestApp::new().await;
    audits_over_three_quarters(&t).await;
    t.user("tm", Role::TeamManager, None).await;
    let tm = t.sign_in("tm").await;
    let r = t
        .get("/report?period=2026-01-01..2026-09-30", Some(&tm))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Quality assurance"), "{}", r.body);
    assert!(r.body.contains("Case file audits graded good or better"));
    assert!(r.body.contains("Audits graded good or better: SMART plans"));
    // Every audit good overall; SMART plans inadequate in every one.
    let after = |name: &str| {
        let at = r.body.find(name).unwrap();
        r.body[at..at + 1500].to_string()
    };
    assert!(after("Case file audits graded good or better").contains("100.0%"));
    assert!(after("Audits graded good or better: SMART plans").contains("0.0%"));
}
