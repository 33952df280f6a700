//! The workforce on pages and in the API: a workforce lead records a joiner, a move, an
//! absence and a leaver (to agency work) on the form path, each change audited; the problems
//! named on the page and in the API; team managers see but do not change; other roles are
//! refused (audited); caseloads per worker and team beside England's.

use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use domain::access::{AuditAction, Role};
use serde_json::{Value, json};
use store::Actor;

use crate::api::{json_req, token};
use crate::{Browser, TestApp};

fn with_csrf<'a>(b: &'a Browser, fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![("csrf_token", b.csrf.as_str())];
    all.extend_from_slice(fields);
    all
}

fn today() -> NaiveDate {
    domain::calendar::uk_now().date()
}

/// A date's three form fields.
fn date_fields(name: &str, d: NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{name}-day"), d.day().to_string()),
        (format!("{name}-month"), d.month().to_string()),
        (format!("{name}-year"), d.year().to_string()),
    ]
}

fn refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[tokio::test]
async fn a_workforce_lead_records_joiner_move_absence_and_leaver_on_pages() {
    let t = TestApp::new().await;
    let s = &t.store;
    let a = s
        .create_team(Actor::SYSTEM, "Assessment team")
        .await
        .unwrap();
    let b = s
        .create_team(Actor::SYSTEM, "Children in care")
        .await
        .unwrap();
    let lead = t.user("wren", Role::Workforce, None).await;
    let br = t.sign_in("wren").await;

    let page = t.get("/workforce", Some(&br)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("15.2"),
        "England's caseload: {}",
        page.body
    );
    let form_path = format!("/workforce/teams/{}/joiners", a.id);
    assert!(page.body.contains(&form_path));
    let form = t.get(&form_path, Some(&br)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.body
            .contains("Social Work England registration number")
    );

    // Problems named, nothing saved.
    let started = today() - chrono::Days::new(200);
    let team = a.id.to_string();
    let mut bad: Vec<(String, String)> = vec![
        ("name".into(), "Sam Okafor".into()),
        ("team_id".into(), team.clone()),
        ("role_title".into(), "Social worker".into()),
        ("org_role".into(), "case_holder".into()),
        ("agency".into(), "employed".into()),
        ("fte".into(), "1.5".into()),
        ("swe_number".into(), "123".into()),
    ];
    bad.extend(date_fields("started", started));
    let r = t
        .post_form(&form_path, Some(&br), &with_csrf(&br, &refs(&bad)))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("There is a problem"));
    assert!(r.body.contains("Full-time equivalent must be more than 0"));
    assert!(
        r.body
            .contains("Enter the Social Work England registration number as SW")
    );
    assert!(s.staff().await.unwrap().is_empty());

    let mut good = bad.clone();
    good[5].1 = "0.8".into();
    good[6].1 = "SW 112233".into();
    good.extend(date_fields("asye_started", started));
    good.extend(date_fields("asye_ended", started + chrono::Days::new(364)));
    let r = t
        .post_form(&form_path, Some(&br), &with_csrf(&br, &refs(&good)))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sam = s.staff().await.unwrap().remove(0);
    assert_eq!(sam.swe_number.as_deref(), Some("SW112233"));
    assert!(sam.in_asye(today()));
    let file = t.get(r.location(), Some(&br)).await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    assert!(file.body.contains("The joiner is recorded."));
    assert!(file.body.contains("SW112233"));
    assert!(file.body.contains("ASYE"));
    assert_eq!(
        file.body.matches(">Supervision</h2>").count(),
        1,
        "one supervision section"
    );

    // A move to the other team, working full time.
    let id = sam.worker.id;
    let mv_path = format!("/workforce/workers/{id}/move");
    let mv_form = t.get(&mv_path, Some(&br)).await;
    assert_eq!(mv_form.status, StatusCode::OK, "{}", mv_form.body);
    let to = b.id.to_string();
    let mut mv: Vec<(String, String)> = vec![
        ("team_id".into(), to.clone()),
        ("role_title".into(), "Social worker".into()),
        ("org_role".into(), "case_holder".into()),
        ("agency".into(), "employed".into()),
        ("fte".into(), "1".into()),
    ];
    mv.extend(date_fields("moved_on", today() - chrono::Days::new(60)));
    let r = t
        .post_form(&mv_path, Some(&br), &with_csrf(&br, &refs(&mv)))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get(r.location(), Some(&br)).await;
    assert!(
        page.body.contains("Assessment team to Children in care"),
        "{}",
        page.body
    );

    // An absence: more days lost than the days it spans is refused, then saved.
    let ab_path = format!("/workforce/workers/{id}/absences");
    let first = today() - chrono::Days::new(30);
    let mut ab: Vec<(String, String)> = vec![
        ("working_days_lost".into(), "9".into()),
        ("reason".into(), "SIC".into()),
    ];
    ab.extend(date_fields("first_day", first));
    ab.extend(date_fields("last_day", first + chrono::Days::new(2)));
    let r = t
        .post_form(&ab_path, Some(&br), &with_csrf(&br, &refs(&ab)))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("cannot be more than the days"));
    ab[0].1 = "2.5".into();
    let r = t
        .post_form(&ab_path, Some(&br), &with_csrf(&br, &refs(&ab)))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        t.get(r.location(), Some(&br))
            .await
            .body
            .contains("2.5 working days lost")
    );

    // The leaver, to agency work.
    let lv_path = format!("/workforce/workers/{id}/leaving");
    let mut lv: Vec<(String, String)> = vec![
        ("reason".into(), "resignation".into()),
        ("destination".into(), "agency_work".into()),
    ];
    lv.extend(date_fields("left", today() - chrono::Days::new(1)));
    let r = t
        .post_form(&lv_path, Some(&br), &with_csrf(&br, &refs(&lv)))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = t.get("/workforce", Some(&br)).await;
    assert!(
        list.body
            .contains("1 worker left; 1 went to agency social work."),
        "{}",
        list.body
    );
    assert!(list.body.contains("Agency social work"));
    // A leaver's forms are gone.
    assert_eq!(
        t.get(&lv_path, Some(&br)).await.status,
        StatusCode::NOT_FOUND
    );

    let mut details = Vec::new();
    for action in [AuditAction::Create, AuditAction::Update] {
        for e in t.audit(action).await {
            if e.actor == Some(lead.id) {
                details.push(e.detail);
            }
        }
    }
    for want in [
        "joiner: worker started",
        "mover: team, job, hours or employment changed",
        "leaver: worker left",
    ] {
        assert!(
            details.iter().any(|d| d == want),
            "{want} not in {details:?}"
        );
    }
    assert!(details.iter().any(|d| d.starts_with("absence recorded")));
}

#[tokio::test]
async fn roles_are_checked_on_pages_and_in_the_api() {
    let t = TestApp::new().await;
    let s = &t.store;
    let team = s
        .create_team(Actor::SYSTEM, "Assessment team")
        .await
        .unwrap();
    let ann = t.worker("Ann Worker").await;
    t.user("wren", Role::Workforce, None).await;
    t.user("tm", Role::TeamManager, None).await;
    let sw = t.user("sw", Role::SocialWorker, Some(ann)).await;
    for i in 0..3 {
        let kid = t.child(&format!("Kid{i}"), "Held", false).await;
        s.allocate(Actor::SYSTEM, kid, ann, crate::date(2025, 2, 3))
            .await
            .unwrap();
    }

    // A social worker is refused (audited); a team manager sees but may not record.
    let bsw = t.sign_in("sw").await;
    assert_eq!(
        t.get("/workforce", Some(&bsw)).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        t.audit(AuditAction::Denied)
            .await
            .iter()
            .any(|e| e.actor == Some(sw.id) && e.detail.contains("GET /workforce"))
    );
    let btm = t.sign_in("tm").await;
    let list = t.get("/workforce", Some(&btm)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains("Ann Worker"));
    let joiners = format!("/workforce/teams/{}/joiners", team.id);
    assert!(
        !list.body.contains(&joiners),
        "no joiner link for a manager"
    );
    assert_eq!(
        t.get(&joiners, Some(&btm)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.get(
            &format!("/workforce/teams/{}/joiners", uuid::Uuid::now_v7()),
            Some(&btm)
        )
        .await
        .status,
        StatusCode::FORBIDDEN,
        "the role is checked before the record is looked for"
    );

    // The API: a joiner as JSON (201), a problem naming its field (422), refusals (403).
    let tok = token(&t, "wren").await;
    let body = json!({
        "name": "Bo Agency", "team_id": null, "role_title": "Social worker",
        "org_role": "case_holder", "agency": true, "fte": 1.0, "swe_number": "SW998877",
        "started": "2025-06-02"
    });
    let api = format!("/api/workforce/teams/{}/joiners", team.id);
    let r = t
        .send(json_req("POST", &api, Some(&tok), body.clone()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let bo: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        bo["worker"]["team_id"],
        team.id.to_string(),
        "the path's team"
    );
    let mut wrong = body.clone();
    wrong["fte"] = json!(0);
    let r = t.send(json_req("POST", &api, Some(&tok), wrong)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("\"fte\""), "{}", r.body);
    let tm_tok = token(&t, "tm").await;
    let r = t.send(json_req("POST", &api, Some(&tm_tok), body)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let bo_id = bo["worker"]["id"].as_str().unwrap().to_string();
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/workforce/workers/{bo_id}/leaving"),
            Some(&tok),
            json!({"left": today().to_string(), "reason": "end_of_contract", "destination": "agency_work"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Caseloads: Ann holds three; England's figure beside the council's.
    let r = t
        .send(json_req(
            "GET",
            "/api/workforce/caseloads",
            Some(&tm_tok),
            json!(null),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let c: Value = serde_json::from_str(&r.body).unwrap();
    let ann_load = c["workers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["worker_id"] == ann.to_string())
        .unwrap();
    assert_eq!(ann_load["children"], 3);
    assert_eq!(c["england"], 15.2);
    assert_eq!(c["service"]["children"], 3);
    let sw_tok = token(&t, "sw").await;
    let r = t
        .send(json_req(
            "GET",
            "/api/workforce/workers",
            Some(&sw_tok),
            json!(null),
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let doc = t
        .send(json_req("GET", "/api/openapi.json", None, json!(null)))
        .await;
    assert!(doc.body.contains("/api/workforce/teams/{id}/joiners"));
    assert!(doc.body.contains("/api/workforce/caseloads"));
}

#[tokio::test]
async fn supervision_standards_and_co_working_reach_the_record_and_the_managers_work() {
    use domain::workforce::{NewJoiner, OrgRole};
    let t = TestApp::new().await;
    let s = &t.store;
    let team = s
        .create_team(Actor::SYSTEM, "Assessment team")
        .await
        .unwrap();
    let other_team = s
        .create_team(Actor::SYSTEM, "Children in care")
        .await
        .unwrap();
    let started = today() - chrono::Days::new(100);
    let join = |name: &str, team: uuid::Uuid, role: OrgRole, asye: bool| NewJoiner {
        name: name.into(),
        team_id: Some(team),
        role_title: "Social worker".into(),
        org_role: role,
        agency: false,
        fte: 1.0,
        swe_number: Some("SW1001".into()),
        started,
        asye_started: asye.then_some(started),
        asye_ended: None,
    };
    let sam = s
        .add_joiner(
            Actor::SYSTEM,
            join("Sam Okafor", team.id, OrgRole::CaseHolder, true),
        )
        .await
        .unwrap();
    let tom = s
        .add_joiner(
            Actor::SYSTEM,
            join("Tom Manager", team.id, OrgRole::FirstLineManager, false),
        )
        .await
        .unwrap();
    let una = s
        .add_joiner(
            Actor::SYSTEM,
            join(
                "Una Manager",
                other_team.id,
                OrgRole::FirstLineManager,
                false,
            ),
        )
        .await
        .unwrap();
    t.user("tom", Role::TeamManager, Some(tom.worker.id)).await;
    t.user("una", Role::TeamManager, Some(una.worker.id)).await;
    t.user("sam", Role::SocialWorker, Some(sam.worker.id)).await;
    t.user("wren", Role::Workforce, None).await;
    let mut kids = Vec::new();
    for i in 0..3 {
        let kid = t.child(&format!("Kid{i}"), "Held", false).await;
        s.allocate(Actor::SYSTEM, kid, sam.worker.id, started)
            .await
            .unwrap();
        kids.push(kid);
    }

    // The workforce lead sets the protected caseload at 2: Sam, in the ASYE with 3, is over it.
    let wren = t.sign_in("wren").await;
    let form = t.get("/workforce/standards", Some(&wren)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let mut st: Vec<(&str, &str)> = vec![
        ("cp_plan", "0.5"),
        ("proceedings", "0.5"),
        ("sibling", "2"),
        ("co_working", "0.5"),
        ("asye_limit", "2"),
        ("supervision_days", "30"),
        ("asye_supervision_days", "14"),
    ];
    let r = t
        .post_form("/workforce/standards", Some(&wren), &with_csrf(&wren, &st))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("The weight for a further sibling must be from 0 to 1")
    );
    st[2].1 = "0.5";
    let r = t
        .post_form("/workforce/standards", Some(&wren), &with_csrf(&wren, &st))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(s.workforce_standards().await.unwrap().asye_limit, 2);
    let list = t.get("/workforce", Some(&wren)).await;
    assert!(
        list.body.contains(
            "1 worker in their ASYE holds more than the protected caseload of 2 children"
        ),
        "{}",
        list.body
    );

    // Tom's work due: Sam's supervision (ASYE, never supervised: overdue) and the alert.
    let tb = t.sign_in("tom").await;
    let work = t.get("/work", Some(&tb)).await;
    assert_eq!(work.status, StatusCode::OK, "{}", work.body);
    assert!(work.body.contains("Supervision (ASYE)"), "{}", work.body);
    assert!(
        work.body
            .contains("Protected caseload exceeded: 3 children, the ASYE limit is 2")
    );

    // Tom records supervision, discussing Kid0: oversight on Kid0's record.
    let path = format!("/workforce/workers/{}/supervision", sam.worker.id);
    let page = t.get(&path, Some(&tb)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Kid0 Held"));
    let k0 = kids[0].to_string();
    let mut fields: Vec<(String, String)> = vec![
        (
            "reflection".into(),
            "Sam reflected on a first court statement and felt supported".into(),
        ),
        ("case_2".into(), k0.clone()),
        ("decision_2".into(), "Convene a strategy discussion".into()),
    ];
    fields.extend(date_fields("held_on", today()));
    let r = t
        .post_form(&path, Some(&tb), &with_csrf(&tb, &refs(&fields)))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("href=\"#rationale_2\""),
        "the problem named at its place: {}",
        r.body
    );
    fields.push((
        "rationale_2".into(),
        "A second unexplained injury in a month".into(),
    ));
    let r = t
        .post_form(&path, Some(&tb), &with_csrf(&tb, &refs(&fields)))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rec = s
        .view_child_record(Actor::SYSTEM, kids[0], "test")
        .await
        .unwrap();
    assert!(
        rec.notes
            .iter()
            .any(|n| n.note.decision == "Convene a strategy discussion"
                && n.note.kind == domain::case_notes::NoteKind::Oversight)
    );

    // The reflective notes: the worker, the supervisor, their team's manager; not the
    // workforce lead nor another team's manager.
    let file = format!("/workforce/workers/{}", sam.worker.id);
    let notes = "Sam reflected on a first court statement";
    assert!(t.get(&file, Some(&tb)).await.body.contains(notes));
    let sb = t.sign_in("sam").await;
    let own = t.get(&file, Some(&sb)).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    assert!(own.body.contains(notes));
    let lead_view = t.get(&file, Some(&wren)).await;
    assert!(lead_view.body.contains("With Tom Manager") && !lead_view.body.contains(notes));
    let ub = t.sign_in("una").await;
    assert!(!t.get(&file, Some(&ub)).await.body.contains(notes));
    let tom_file = format!("/workforce/workers/{}", tom.worker.id);
    assert_eq!(
        t.get(&tom_file, Some(&sb)).await.status,
        StatusCode::FORBIDDEN,
        "not another's file"
    );

    // Co-working on Kid1 by Tom's decision: counted at the council's share.
    let cw = format!("/children/{}/co-workers", kids[1]);
    let page = t.get(&cw, Some(&tb)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let una_id = una.worker.id.to_string();
    let mut f: Vec<(String, String)> = vec![("worker_id".into(), una_id)];
    f.extend(date_fields("from", today()));
    let r = t
        .post_form(&cw, Some(&tb), &with_csrf(&tb, &refs(&f)))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let child_page = t.get(r.location(), Some(&tb)).await;
    assert!(
        child_page.body.contains("Co-worker added") && child_page.body.contains("Una Manager"),
        "{}",
        child_page.body
    );
    assert!(
        child_page
            .body
            .contains(&format!("/children/{}/co-workers/end", kids[1]))
    );
    assert_eq!(
        t.get(&cw, Some(&sb)).await.status,
        StatusCode::FORBIDDEN,
        "a manager's decision"
    );
    let tok = token(&t, "tom").await;
    let c: Value = serde_json::from_str(
        &t.send(json_req(
            "GET",
            "/api/workforce/caseloads",
            Some(&tok),
            json!(null),
        ))
        .await
        .body,
    )
    .unwrap();
    let una_load = c["workers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["worker_id"] == una.worker.id.to_string())
        .unwrap()
        .clone();
    assert_eq!(
        (una_load["children"].clone(), una_load["co_worked"].clone()),
        (json!(0), json!(1))
    );
    assert_eq!(una_load["weighted"], 0.5);
}

#[tokio::test]
async fn the_indicators_come_from_the_record_with_vacancies_and_a_workbook() {
    use domain::workforce::{Destination, LeavingReason, NewJoiner, NewLeaver, OrgRole};
    let t = TestApp::new().await;
    let s = &t.store;
    let team = s
        .create_team(Actor::SYSTEM, "Assessment team")
        .await
        .unwrap();
    let year = {
        let d = today();
        if d >= NaiveDate::from_ymd_opt(d.year(), 9, 30).unwrap() {
            d.year()
        } else {
            d.year() - 1
        }
    };
    let start = NaiveDate::from_ymd_opt(year - 3, 1, 6).unwrap();
    let mut ids = Vec::new();
    for (i, agency) in [false, false, false, true].into_iter().enumerate() {
        let m = s
            .add_joiner(
                Actor::SYSTEM,
                NewJoiner {
                    name: format!("Worker {i}"),
                    team_id: Some(team.id),
                    role_title: "Social worker".into(),
                    org_role: OrgRole::CaseHolder,
                    agency,
                    fte: 1.0,
                    swe_number: Some(format!("SW10{i}")),
                    started: start,
                    asye_started: None,
                    asye_ended: None,
                },
            )
            .await
            .unwrap();
        ids.push(m.worker.id);
    }
    // One employed worker left in the census year for agency work.
    s.record_leaver(
        Actor::SYSTEM,
        ids[0],
        NewLeaver {
            left: NaiveDate::from_ymd_opt(year, 3, 31).unwrap(),
            reason: LeavingReason::Resignation,
            destination: Destination::AgencyWork,
        },
    )
    .await
    .unwrap();
    for i in 0..6 {
        let kid = t.child(&format!("Kid{i}"), "Held", false).await;
        s.allocate(Actor::SYSTEM, kid, ids[1 + i % 3], start)
            .await
            .unwrap();
    }
    t.user("wren", Role::Workforce, None).await;
    let b = t.sign_in("wren").await;
    let r = t
        .post_form(
            "/workforce/vacancies",
            Some(&b),
            &with_csrf(&b, &[("year", &year.to_string()), ("vacancies", "lots")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Enter the vacant posts as a number"));
    let r = t
        .post_form(
            "/workforce/vacancies",
            Some(&b),
            &with_csrf(&b, &[("year", &year.to_string()), ("vacancies", "1")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get("/workforce/indicators", Some(&b)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // 3 in post (2 employed, 1 agency), 6 children; 1 of 2 employed went to agency work.
    assert!(
        page.body.contains(&format!("In the year to 30 September {year}, 1 employed social worker left us and 1 went to agency social work: 50.0% of our employed social workers (England: 2.6%)")),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("held 2.0 children each on average, against 15.2 in England")
    );
    assert!(
        page.body.contains("33.3%"),
        "agency rate and vacancy rate: {}",
        page.body
    );
    let tok = token(&t, "wren").await;
    let api: Value = serde_json::from_str(
        &t.send(json_req(
            "GET",
            "/api/workforce/indicators",
            Some(&tok),
            json!(null),
        ))
        .await
        .body,
    )
    .unwrap();
    let latest = api.as_array().unwrap().last().unwrap();
    assert_eq!(latest["year"], year);
    assert_eq!(latest["turnover"], 50.0);
    assert_eq!(latest["vacancy_rate"], 100.0 / 3.0);
    let book = t.get("/workforce/indicators.xlsx", Some(&b)).await;
    assert_eq!(book.status, StatusCode::OK);
    assert_eq!(
        book.headers.get("content-type").unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(book.body.starts_with("PK"), "a zip (xlsx) file");
}
