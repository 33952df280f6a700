//! Casework through the pages: the child protection pathway, a child in need plan with SMART
//! actions, early help stepping up to the front door; errors the GOV.UK way, role checks.

use axum::http::StatusCode;
use chrono::Datelike;
use domain::access::Role;
use domain::calendar::uk_now;
use domain::front_door::{NewContact, NewDecision};
use store::Actor;

use crate::{Browser, Resp, TestApp};

pub(crate) fn kv(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

pub(crate) fn date_fields(prefix: &str, d: chrono::NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{prefix}-day"), d.day().to_string()),
        (format!("{prefix}-month"), d.month().to_string()),
        (format!("{prefix}-year"), d.year().to_string()),
    ]
}

pub(crate) async fn post(
    t: &TestApp,
    path: &str,
    who: &Browser,
    fields: Vec<(String, String)>,
) -> Resp {
    let mut all = vec![("csrf_token".to_string(), who.csrf.clone())];
    all.extend(fields);
    let f: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    t.post_form(path, Some(who), &f).await
}

#[tokio::test]
async fn child_protection_child_in_need_and_early_help_through_the_pages() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let (sw, tm, pa) = (
        t.sign_in("sw").await,
        t.sign_in("tm").await,
        t.sign_in("pa").await,
    );
    let kid = t.child("Hal", "Penn", false).await;
    let today = uk_now().date();
    let week_ago = today - chrono::Days::new(7);
    let c = t
        .store
        .record_contact(
            Actor::SYSTEM,
            NewContact {
                received_at: week_ago.and_hms_opt(9, 0, 0).unwrap(),
                source: "6".into(),
                contact_name: "PC Example".into(),
                contact_agency: "Police".into(),
                reason: "Injury seen by police at a domestic incident.".into(),
                consent: "not_sought".into(),
                children: vec![kid],
            },
        )
        .await
        .unwrap();
    let (_, refs) = t
        .store
        .decide_contact(
            Actor::SYSTEM,
            c.id,
            c.version,
            NewDecision {
                outcome: "strategy".into(),
                decided_at: week_ago.and_hms_opt(11, 0, 0).unwrap(),
                direction: "Strategy discussion today.".into(),
                rationale: "Injury to a young child.".into(),
                quality: None,
                quality_comment: String::new(),
            },
        )
        .await
        .unwrap();
    let referral = refs[0].id;
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(page.body.contains("Record a strategy discussion"));

    // A strategy discussion with its mistakes, then properly.
    let path = format!("/children/{kid}/strategy?referral={referral}");
    assert_eq!(t.get(&path, Some(&sw)).await.status, StatusCode::OK);
    let mut bad = vec![kv("notes", "Discussed")];
    bad.extend(date_fields("held", week_ago));
    let r = post(&t, &path, &sw, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Select whether a section 47 enquiry started")
    );
    assert!(r.body.contains("govuk-error-summary"));
    assert!(
        r.body.contains("Select the agencies who took part"),
        "all the problems show at once"
    );
    let mut good = vec![
        kv("notes", "Threshold met."),
        kv("s47", "yes"),
        kv("agencies", "police"),
        kv("agencies", "health"),
        kv("agencies", "social_care"),
    ];
    good.extend(date_fields("held", week_ago));
    let r = post(&t, &path, &sw, good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rec = t
        .store
        .view_child_record(Actor::SYSTEM, kid, "test")
        .await
        .unwrap();
    let s47 = rec.child_protection.s47s[0].id;

    let mut outcome = vec![kv("outcome", "icpc")];
    outcome.extend(date_fields("completed", today));
    assert_eq!(
        post(&t, &format!("/s47/{s47}"), &sw, outcome).await.status,
        StatusCode::SEE_OTHER
    );
    // An initial conference needs a category when there is a plan.
    let conf = |category: &str| {
        let mut f = vec![
            kv("plan", "yes"),
            kv("category", category),
            kv("agencies", "police"),
            kv("agencies", "school"),
        ];
        f.extend(date_fields("held", today));
        f
    };
    let r = post(
        &t,
        &format!("/children/{kid}/conferences?kind=initial"),
        &sw,
        conf(""),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Select the category of abuse"));
    let r = post(
        &t,
        &format!("/children/{kid}/conferences?kind=initial"),
        &sw,
        conf("PHY"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t
        .get(&format!("/children/{kid}?saved=conference"), Some(&sw))
        .await;
    assert!(
        page.body.contains("Physical abuse") && page.body.contains("Next review conference due")
    );
    let rec = t
        .store
        .view_child_record(Actor::SYSTEM, kid, "test")
        .await
        .unwrap();
    let plan = rec.child_protection.cp_plans[0].id;
    let mut cg = vec![
        kv("agencies", "school"),
        kv("notes", "Safety plan in place."),
    ];
    cg.extend(date_fields("held", today));
    assert_eq!(
        post(&t, &format!("/cp-plans/{plan}/core-groups"), &sw, cg)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let work = t.get("/work?scope=all", Some(&tm)).await;
    assert!(
        work.body.contains("Child protection review conference"),
        "{}",
        work.body
    );

    // The episode cannot close while the child is on a plan.
    let mut close = vec![kv("closure_reason", "RC7"), kv("confirmed", "yes")];
    close.extend(date_fields("closed", today));
    let r = post(&t, &format!("/referrals/{referral}/close"), &sw, close).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("child protection plan"));

    // A child in need plan with SMART actions.
    let mut start = vec![kv("primary_need", "N1")];
    start.extend(date_fields("started", today));
    let r = post(
        &t,
        &format!("/children/{kid}/cin-plans?referral={referral}"),
        &sw,
        start,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let plan_url = r.location().split('?').next().unwrap().to_string();
    let mut action = vec![
        kv("need", "Hal is safe at home"),
        kv("action", "Dad attends the domestic abuse programme"),
        kv("owner", ""),
    ];
    action.extend(date_fields("due", today + chrono::Days::new(30)));
    let r = post(&t, &format!("{plan_url}/actions"), &sw, action.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Enter who will do it"));
    action[2] = kv("owner", "Dad, referred by the social worker");
    assert_eq!(
        post(&t, &format!("{plan_url}/actions"), &sw, action)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let p = t.get(&plan_url, Some(&sw)).await;
    assert!(p.body.contains("domestic abuse programme") && p.body.contains("Record progress"));
    assert_eq!(
        t.get(&plan_url, Some(&pa)).await.status,
        StatusCode::FORBIDDEN
    );
    let rec = t
        .store
        .view_child_record(Actor::SYSTEM, kid, "test")
        .await
        .unwrap();
    let action_id = rec.cin_plans[0].actions[0].id;
    let version = rec.cin_plans[0].actions[0].version;
    // The progress page carries the action's version; a post without it is refused.
    let form = t
        .get(&format!("/plan-actions/{action_id}"), Some(&sw))
        .await;
    assert!(
        form.body
            .contains(&format!("name=\"version\" value=\"{version}\"")),
        "{}",
        form.body
    );
    let r = post(
        &t,
        &format!("/plan-actions/{action_id}"),
        &sw,
        vec![
            kv("status", "in_progress"),
            kv("progress", "Attended 2 of 10 sessions."),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("did not say which version"), "{}", r.body);
    let r = post(
        &t,
        &format!("/plan-actions/{action_id}"),
        &sw,
        vec![
            kv("status", "in_progress"),
            kv("progress", "Attended 3 of 10 sessions."),
            kv("version", &version.to_string()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let p = t.get(&plan_url, Some(&sw)).await;
    assert!(p.body.contains("Attended 3 of 10 sessions"));
    // A page opened before that progress does not write over it (lost update).
    let r = post(
        &t,
        &format!("/plan-actions/{action_id}"),
        &sw,
        vec![
            kv("status", "done"),
            kv("progress", "Finished."),
            kv("version", &version.to_string()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("changed by someone else"), "{}", r.body);
    let p = t.get(&plan_url, Some(&sw)).await;
    assert!(p.body.contains("Attended 3 of 10 sessions") && !p.body.contains("Finished."));

    // Early help: started, then stepped up to the front door.
    let mut eh = vec![
        kv("lead", "Family support worker, Family Hub"),
        kv("reason", "Parenting support"),
    ];
    eh.extend(date_fields("started", today));
    assert_eq!(
        post(&t, &format!("/children/{kid}/early-help"), &sw, eh)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let rec = t
        .store
        .view_child_record(Actor::SYSTEM, kid, "test")
        .await
        .unwrap();
    let eh_id = rec.early_help[0].id;
    let mut up = vec![kv("end_reason", "step_up"), kv("note", "")];
    up.extend(date_fields("ended", today));
    let r = post(&t, &format!("/early-help/{eh_id}/end"), &sw, up.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    up[1] = kv("note", "New concerns about neglect.");
    let r = post(&t, &format!("/early-help/{eh_id}/end"), &sw, up).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().contains("stepped_up"));
    let q = t.get("/front-door", Some(&tm)).await;
    assert!(
        q.body.contains("Hal Penn"),
        "the step up is on the front-door queue"
    );
}
