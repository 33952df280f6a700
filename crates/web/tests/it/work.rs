//! The practitioner's day: work due filtered by worker, team, kind and overdue, in pages (only
//! the page shown is disclosed); "my cases" for a worker and a team manager's caseloads; the
//! allocation list by team with caseloads; the key-information banner on the child's page.

use axum::http::StatusCode;
use chrono::Days;
use domain::access::{AuditAction, Role};
use domain::calendar::uk_now;
use domain::early_help::NewEarlyHelp;
use domain::private_fostering::NewArrangement;
use serde_json::Value;
use store::Actor;
use store::workforce::NewWorker;
use uuid::Uuid;

use crate::TestApp;
use crate::api::token;

async fn team_worker(t: &TestApp, name: &str, team: Uuid) -> Uuid {
    t.store
        .create_worker(
            Actor::SYSTEM,
            NewWorker {
                name: name.into(),
                team_id: Some(team),
                role_title: "Social worker".into(),
                agency: false,
                started: crate::date(2020, 1, 1),
            },
        )
        .await
        .unwrap()
        .id
}

/// A privately fostered child allocated to `worker`, notified `days_ago` (the initial visit is
/// due 7 working days after notification: overdue when notified 20 days ago, not when today).
async fn pf_child(t: &TestApp, given: &str, worker: Uuid, days_ago: u64) -> Uuid {
    let today = uk_now().date();
    let kid = t.child(given, "Fieldfare", false).await;
    t.store
        .allocate(Actor::SYSTEM, kid, worker, today - Days::new(30))
        .await
        .unwrap();
    t.store
        .record_pf_notification(
            Actor::SYSTEM,
            kid,
            NewArrangement {
                notified_on: today - Days::new(days_ago),
                notified_by: "professional".into(),
                starts_on: today - Days::new(days_ago),
                expected_end: None,
                carer_relationship: "family_friend".into(),
                carer: "A family friend, Anytown".into(),
                reason: "The parent is working abroad".into(),
            },
        )
        .await
        .unwrap();
    kid
}

fn rows(body: &str) -> usize {
    body.matches("<tr class=\"govuk-table__row\">").count() - 1
}

async fn api(t: &TestApp, path: &str, who: &str) -> crate::Resp {
    t.send(crate::api::json_req(
        "GET",
        path,
        Some(&token(t, who).await),
        Value::Null,
    ))
    .await
}

#[tokio::test]
async fn work_due_filters_by_worker_team_kind_and_overdue_in_pages_disclosing_only_the_page() {
    let t = TestApp::new().await;
    let team = t
        .store
        .create_team(Actor::SYSTEM, "Child in need team 1")
        .await
        .unwrap();
    let other_team = t
        .store
        .create_team(Actor::SYSTEM, "Child in need team 2")
        .await
        .unwrap();
    let a = team_worker(&t, "Asha Busy", team.id).await;
    let b = team_worker(&t, "Ben Light", team.id).await;
    let c = team_worker(&t, "Cal Elsewhere", other_team.id).await;
    let m = team_worker(&t, "Mo Manager", team.id).await;
    t.user("tm", Role::TeamManager, Some(m)).await;
    t.user("asha", Role::SocialWorker, Some(a)).await;
    for i in 0..55 {
        pf_child(&t, &format!("Child{i:02}"), a, 20).await;
    }
    for i in 0..3 {
        pf_child(&t, &format!("Light{i}"), b, 0).await;
    }
    pf_child(&t, "Far", c, 20).await;
    let tm = t.sign_in("tm").await;

    // The team by default: 58 items over two pages of 50; the other team's child is not there.
    let page1 = t.get("/work", Some(&tm)).await;
    assert_eq!(page1.status, StatusCode::OK);
    assert!(
        page1.body.contains("Work due in your team"),
        "{}",
        page1.body
    );
    assert!(
        page1.body.contains("Showing 1 to 50 of 58 items"),
        "{}",
        page1.body
    );
    assert_eq!(rows(&page1.body), 50);
    assert!(!page1.body.contains("Far Fieldfare"));
    assert!(
        page1.body.contains("page=2\" rel=\"next\""),
        "{}",
        page1.body
    );
    assert!(
        page1
            .body
            .contains("<optgroup label=\"Child in need team 1\">"),
        "workers by team: {}",
        page1.body
    );
    assert!(
        page1.body.contains("Private fostering (58)"),
        "counts by kind: {}",
        page1.body
    );
    let page2 = t.get("/work?page=2", Some(&tm)).await;
    assert!(
        page2.body.contains("Showing 51 to 58 of 58 items"),
        "{}",
        page2.body
    );
    assert_eq!(rows(&page2.body), 8);
    // Only the children on the page shown are disclosed: 50 access entries for page 1.
    let views = t.audit(AuditAction::View).await;
    let page1_views = views
        .iter()
        .filter(|v| v.entity_type == "work_due" && v.detail.contains("page 1 of 2"))
        .count();
    assert_eq!(page1_views, 50, "{views:?}");

    // One worker's, and only what is overdue.
    let ben = t.get(&format!("/work?worker={b}"), Some(&tm)).await;
    assert!(ben.body.contains("Work due for Ben Light"), "{}", ben.body);
    assert_eq!(rows(&ben.body), 3);
    let overdue = t.get("/work?overdue=yes", Some(&tm)).await;
    assert!(overdue.body.contains("of 55 items"), "{}", overdue.body);
    let ben_overdue = t
        .get(&format!("/work?worker={b}&overdue=yes"), Some(&tm))
        .await;
    assert!(
        ben_overdue
            .body
            .contains("Nothing due matches these filters"),
        "{}",
        ben_overdue.body
    );
    // Another team, a kind with nothing, a kind that does not exist.
    let other = t
        .get(&format!("/work?team={}", other_team.id), Some(&tm))
        .await;
    assert!(
        other.body.contains("Work due in Child in need team 2")
            && other.body.contains("Far Fieldfare"),
        "{}",
        other.body
    );
    let none = t.get("/work?kind=assessment", Some(&tm)).await;
    assert!(none.body.contains("Nothing due matches these filters"));
    assert_eq!(
        t.get("/work?kind=nonsense", Some(&tm)).await.status,
        StatusCode::BAD_REQUEST
    );

    // A social worker sees their own and may not ask for a colleague's (refused, audited).
    let asha = t.sign_in("asha").await;
    assert_eq!(
        t.get(&format!("/work?worker={a}"), Some(&asha))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        t.get(&format!("/work?worker={b}"), Some(&asha))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.get(&format!("/work?team={}", team.id), Some(&asha))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let denied = t.audit(AuditAction::Denied).await;
    assert!(
        denied
            .iter()
            .any(|d| d.detail.contains(&format!("worker={b}"))),
        "{denied:?}"
    );

    // The API: the same filters; every item without a page, 50 with one; the total in a header.
    let all = api(&t, "/api/work", "tm").await;
    let items: Value = serde_json::from_str(&all.body).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 58);
    assert_eq!(items[0]["kind"], "private_fostering");
    let second = api(&t, "/api/work?page=2", "tm").await;
    assert_eq!(
        serde_json::from_str::<Value>(&second.body)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        8
    );
    assert_eq!(second.headers.get("x-total-count").unwrap(), "58");
    let b_api = api(&t, &format!("/api/work?worker={b}"), "tm").await;
    assert_eq!(
        serde_json::from_str::<Value>(&b_api.body)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        api(&t, &format!("/api/work?worker={b}"), "asha")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn my_cases_for_a_worker_and_the_teams_caseloads_for_a_manager() {
    let t = TestApp::new().await;
    let team = t
        .store
        .create_team(Actor::SYSTEM, "Family support")
        .await
        .unwrap();
    let a = team_worker(&t, "Asha Busy", team.id).await;
    let b = team_worker(&t, "Ben Light", team.id).await;
    let m = team_worker(&t, "Mo Manager", team.id).await;
    t.user("tm", Role::TeamManager, Some(m)).await;
    t.user("asha", Role::SocialWorker, Some(a)).await;
    t.user("ben", Role::SocialWorker, Some(b)).await;
    let fostered = pf_child(&t, "Pip", a, 20).await;
    let today = uk_now().date();
    let baby = t
        .child_born("Bea", "Wren", today - Days::new(200), false)
        .await;
    t.store
        .allocate(Actor::SYSTEM, baby, a, today - Days::new(10))
        .await
        .unwrap();
    t.store
        .start_early_help(
            Actor::SYSTEM,
            baby,
            NewEarlyHelp {
                started_on: today - Days::new(5),
                lead: "Health visitor, Anytown".into(),
                reason: "Support with feeding and sleep".into(),
            },
        )
        .await
        .unwrap();
    pf_child(&t, "Lou", b, 0).await;

    let asha = t.sign_in("asha").await;
    let mine = t.get("/my-cases", Some(&asha)).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    assert!(
        mine.body
            .contains("<h1 class=\"govuk-heading-l\">My cases</h1>"),
        "{}",
        mine.body
    );
    assert!(
        mine.body.contains("2 children, 1 overdue item"),
        "{}",
        mine.body
    );
    assert!(
        mine.body.contains("Pip Fieldfare") && mine.body.contains("Bea Wren"),
        "{}",
        mine.body
    );
    assert!(
        !mine.body.contains("Lou Fieldfare"),
        "not another worker's child"
    );
    assert!(
        mine.body.contains("Privately fostered, notified"),
        "{}",
        mine.body
    );
    assert!(mine.body.contains("Early help since"), "{}", mine.body);
    assert!(
        mine.body.contains("6 months"),
        "a baby's age in months: {}",
        mine.body
    );
    assert!(
        mine.body.contains("Private fostering initial visit"),
        "the next thing due: {}",
        mine.body
    );
    let views = t.audit(AuditAction::View).await;
    assert_eq!(
        views.iter().filter(|v| v.entity_type == "caseload").count(),
        2,
        "each child listed is disclosed"
    );
    // Asking for a colleague's cases is refused.
    assert_eq!(
        t.get(&format!("/my-cases?worker={b}"), Some(&asha))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The manager: the team's cases by worker with caseload counts, and one worker's.
    let tm = t.sign_in("tm").await;
    let team_page = t.get("/my-cases", Some(&tm)).await;
    assert!(
        team_page.body.contains("Your team&#x27;s cases"),
        "{}",
        team_page.body
    );
    assert!(team_page.body.contains("id=\"caseloads\""));
    let asha_row = team_page
        .body
        .split("Asha Busy<span class=\"govuk-visually-hidden\">'s cases")
        .nth(1)
        .unwrap();
    assert!(asha_row.trim_start().starts_with("</span></a></td>\n    <td class=\"govuk-table__cell govuk-table__cell--numeric\">2</td>"), "{asha_row}");
    let ben_page = t.get(&format!("/my-cases?worker={b}"), Some(&tm)).await;
    assert!(
        ben_page.body.contains("Cases held by Ben Light")
            && ben_page.body.contains("Lou Fieldfare")
            && !ben_page.body.contains("Pip Fieldfare")
    );
    let api = api(&t, "/api/my-cases", "tm").await;
    let v: Value = serde_json::from_str(&api.body).unwrap();
    let workers = v.as_array().unwrap();
    assert_eq!(workers.len(), 2, "{v}");
    let asha_json = workers
        .iter()
        .find(|w| w["worker_name"] == "Asha Busy")
        .unwrap();
    assert_eq!(asha_json["caseload"], 2);
    assert_eq!(asha_json["overdue"], 1);

    // Allocation offers workers by team with their caseloads.
    let alloc = t
        .get(&format!("/children/{fostered}/allocation"), Some(&tm))
        .await;
    assert!(
        alloc.body.contains("<optgroup label=\"Family support\">"),
        "{}",
        alloc.body
    );
    assert!(
        alloc.body.contains("Asha Busy (Social worker, 2 children)"),
        "{}",
        alloc.body
    );
    assert!(
        alloc.body.contains("Ben Light (Social worker, 1 child)"),
        "{}",
        alloc.body
    );

    // The child's page opens with the key information.
    let page = t
        .get(&format!("/children/{baby}?section=all"), Some(&asha))
        .await;
    let banner = page
        .body
        .split("class=\"hearth-banner\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(banner.contains("6 months"), "{banner}");
    assert!(banner.contains("Early help since"), "{banner}");
    assert!(
        banner.contains("Asha Busy") && banner.contains("Family support"),
        "{banner}"
    );
}

#[tokio::test]
async fn the_childs_page_in_sections_with_a_filtered_chronology() {
    let t = TestApp::new().await;
    let team = t
        .store
        .create_team(Actor::SYSTEM, "Family support")
        .await
        .unwrap();
    let a = team_worker(&t, "Asha Busy", team.id).await;
    let m = team_worker(&t, "Mo Manager", team.id).await;
    t.user("tm", Role::TeamManager, Some(m)).await;
    t.user("asha", Role::SocialWorker, Some(a)).await;
    let today = uk_now().date();
    let kid = t.child("Rory", "Quill", false).await;
    t.store
        .allocate(Actor::SYSTEM, kid, a, today - Days::new(10))
        .await
        .unwrap();
    t.store
        .start_early_help(
            Actor::SYSTEM,
            kid,
            NewEarlyHelp {
                started_on: today - Days::new(5),
                lead: "School nurse, Anytown".into(),
                reason: "Anxiety about school".into(),
            },
        )
        .await
        .unwrap();
    let asha = t.sign_in("asha").await;
    let base = format!("/children/{kid}");

    // The summary by default: the banner, the sections, the family; not the casework.
    let summary = t.get(&base, Some(&asha)).await;
    assert_eq!(summary.status, StatusCode::OK);
    for want in [
        "Sections of Rory Quill",
        "Summary and family",
        "Casework",
        "Chronology",
        "Whole record",
        "Family and relationships",
    ] {
        assert!(summary.body.contains(want), "{want}: {}", summary.body);
    }
    assert!(
        !summary.body.contains("Who has viewed"),
        "not offered to a social worker"
    );
    assert!(!summary.body.contains("id=\"visits\"") && !summary.body.contains("id=\"early-help\""));
    // Casework: the quick actions first, then the journey.
    let casework = t
        .get(&format!("{base}?section=casework"), Some(&asha))
        .await;
    let quick = casework.body.find("id=\"quick-actions\"").unwrap();
    assert!(
        casework.body[quick..].find("Record a visit").unwrap()
            < casework.body[quick..].find("id=\"contacts\"").unwrap()
    );
    assert!(
        casework.body.contains("id=\"early-help\"")
            && !casework.body.contains("Family and relationships")
    );
    let care = t.get(&format!("{base}?section=care"), Some(&asha)).await;
    assert!(
        care.body.contains("Rory Quill has not been looked after"),
        "{}",
        care.body
    );
    // The chronology by type, and significant events only (record created is not one).
    let chron = t
        .get(&format!("{base}?section=chronology"), Some(&asha))
        .await;
    assert!(
        chron.body.contains("Early help started") && chron.body.contains("Record created"),
        "{}",
        chron.body
    );
    let by_type = t
        .get(
            &format!("{base}?section=chronology&type=Early+help"),
            Some(&asha),
        )
        .await;
    assert!(
        by_type.body.contains("Early help started") && !by_type.body.contains("Record created"),
        "{}",
        by_type.body
    );
    assert!(by_type.body.contains("1 of "), "{}", by_type.body);
    let significant = t
        .get(
            &format!("{base}?section=chronology&significant=yes"),
            Some(&asha),
        )
        .await;
    assert!(
        significant.body.contains("Early help started")
            && significant.body.contains("Allocated to Asha Busy")
            && !significant.body.contains("Record created"),
        "{}",
        significant.body
    );
    // Every section is a view of the record: an access entry each.
    let views = t
        .audit(AuditAction::View)
        .await
        .into_iter()
        .filter(|v| v.person_id == Some(kid) && v.entity_type != "caseload")
        .count();
    assert!(views >= 6, "{views}");
    // A manager has the viewers' section; asking for it as a social worker shows the summary.
    let tm = t.sign_in("tm").await;
    let viewers = t.get(&format!("{base}?section=viewers"), Some(&tm)).await;
    assert!(
        viewers.body.contains("Who has viewed this record")
            && viewers
                .body
                .contains("<td class=\"govuk-table__cell\">Test asha"),
        "{}",
        viewers.body
    );
    let refused = t.get(&format!("{base}?section=viewers"), Some(&asha)).await;
    assert!(
        !refused.body.contains("Who has viewed this record")
            && refused.body.contains("Family and relationships")
    );
}
