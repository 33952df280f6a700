//! Private fostering through the pages: a notification, a visit, the assessment and the end of
//! the arrangement; errors the GOV.UK way, role and CSRF checks, the child's page, the work due
//! and the audit.

use axum::http::StatusCode;
use chrono::{Datelike, Days};
use domain::access::{AuditAction, Role};
use domain::calendar::uk_now;
use store::Actor;

use crate::{Browser, Resp, TestApp};

fn kv(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

fn date_fields(prefix: &str, d: chrono::NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{prefix}-day"), d.day().to_string()),
        (format!("{prefix}-month"), d.month().to_string()),
        (format!("{prefix}-year"), d.year().to_string()),
    ]
}

async fn post(t: &TestApp, path: &str, who: &Browser, fields: Vec<(String, String)>) -> Resp {
    let mut all = vec![("csrf_token".to_string(), who.csrf.clone())];
    all.extend(fields);
    let f: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    t.post_form(path, Some(who), &f).await
}

#[tokio::test]
async fn a_private_fostering_arrangement_through_the_pages() {
    let t = TestApp::new().await;
    let w = t.worker("Sam Worker").await;
    t.user("sw", Role::SocialWorker, Some(w)).await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let (sw, pa) = (t.sign_in("sw").await, t.sign_in("pa").await);
    let kid = t.child("Ivy", "Lane", false).await;
    let today = uk_now().date();
    t.store
        .allocate(Actor::SYSTEM, kid, w, today - Days::new(20))
        .await
        .unwrap();
    let page = t.get(&format!("/children/{kid}"), Some(&sw)).await;
    assert!(
        page.body
            .contains("Record a private fostering notification")
    );
    let form_path = format!("/children/{kid}/private-fostering");
    assert_eq!(t.get(&form_path, Some(&sw)).await.status, StatusCode::OK);
    // Performance analysts do not record casework.
    assert_eq!(
        t.get(&form_path, Some(&pa)).await.status,
        StatusCode::FORBIDDEN
    );

    // Every problem at once, the GOV.UK way; nothing saved.
    let mut bad = vec![kv("reason", "Parent working abroad")];
    bad.extend(date_fields("notified", today - Days::new(3)));
    let r = post(&t, &form_path, &sw, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("govuk-error-summary"));
    // The error summary (first on the page) lists them in the order of the fields.
    let mut last = 0;
    for message in [
        "Select who told the council",
        "Enter the date the child started, or will start, living with the carer",
        "Select how the carer is related to the child",
        "Enter the carer&#x27;s name and where the child lives",
    ] {
        let at = r.body.find(message).unwrap_or_else(|| panic!("{message}"));
        assert!(at > last, "{message} is out of the fields' order");
        last = at;
    }
    assert!(t.store.pf_arrangements(kid).await.unwrap().is_empty());
    // Without the session's CSRF token the post is refused, and nothing is saved.
    for fields in [
        vec![("notified_by", "parent")],
        vec![("csrf_token", "not-the-token"), ("notified_by", "parent")],
    ] {
        let r = t.post_form(&form_path, Some(&sw), &fields).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
    }

    let mut good = vec![
        kv("notified_by", "professional"),
        kv("carer_relationship", "family_friend"),
        kv("carer", "Jo Friend, 4 Elm Road, Anytown"),
        kv("reason", "Parent working abroad for a year"),
    ];
    good.extend(date_fields("notified", today - Days::new(3)));
    good.extend(date_fields("start", today - Days::new(30)));
    let r = post(&t, &form_path, &sw, good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/children/{kid}?saved=pf_notified"));
    let a = t.store.pf_arrangements(kid).await.unwrap().remove(0);
    let page = t.get(r.location(), Some(&sw)).await;
    assert!(
        page.body
            .contains("Private fostering notification recorded")
    );
    assert!(
        page.body
            .contains("Jo Friend, 4 Elm Road, Anytown (family friend)")
    );
    assert!(page.body.contains("Not yet made: due"));
    // The initial visit is in the worker's work due.
    let work = t.get("/work", Some(&sw)).await;
    assert!(
        work.body.contains("Private fostering initial visit"),
        "{}",
        work.body
    );

    // A visit: the child seen alone, in their own words.
    let visit_path = format!("/private-fostering/{}/visits", a.id);
    assert_eq!(t.get(&visit_path, Some(&sw)).await.status, StatusCode::OK);
    let mut v = vec![kv("report", "Saw Ivy's room; talked about school.")];
    v.extend(date_fields("visited", today - Days::new(1)));
    let r = post(&t, &visit_path, &sw, v.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Select whether the child was seen"));
    v.extend([
        kv("child_seen", "yes"),
        kv("seen_alone", "yes"),
        kv("childs_words", "I like my room here"),
    ]);
    let r = post(&t, &visit_path, &sw, v).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get(&format!("/children/{kid}"), Some(&sw)).await;
    assert!(page.body.contains("Seen alone"));
    assert!(page.body.contains("I like my room here"));
    assert!(page.body.contains("within 7 working days"));
    assert!(
        page.body
            .contains("Private fostering initial visit: child seen alone"),
        "in the chronology"
    );

    // The assessment, then the end.
    let mut s = vec![kv("suitability", "suitable")];
    s.extend(date_fields("assessed", today));
    let r = post(
        &t,
        &format!("/private-fostering/{}/assessment", a.id),
        &sw,
        s,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut e = vec![kv("end_reason", "returned_home")];
    e.extend(date_fields("ended", today));
    e.extend(date_fields("end_notified", today));
    let end_path = format!("/private-fostering/{}/end", a.id);
    assert_eq!(
        post(&t, &end_path, &pa, e.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let r = post(&t, &end_path, &sw, e).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get(&format!("/children/{kid}"), Some(&sw)).await;
    assert!(page.body.contains("The child returned to a parent"));
    assert!(
        page.body
            .contains("Record a private fostering notification"),
        "another may follow"
    );
    let work = t.get("/work", Some(&sw)).await;
    assert!(!work.body.contains("Private fostering"));

    // Each change is in the audit log for the child.
    let created: Vec<_> = t
        .audit(AuditAction::Create)
        .await
        .into_iter()
        .filter(|x| x.person_id == Some(kid) && x.entity_type.starts_with("pf_"))
        .collect();
    let updated: Vec<_> = t
        .audit(AuditAction::Update)
        .await
        .into_iter()
        .filter(|x| x.person_id == Some(kid) && x.entity_type == "pf_arrangement")
        .collect();
    assert_eq!((created.len(), updated.len()), (2, 2));
}
