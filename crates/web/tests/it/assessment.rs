//! The single assessment through the pages: written by the Assessment Framework and saved as a
//! draft (kept over a session that ends while it is written), completed, returned to the worker
//! with a comment, and authorised through a confirmation with the manager's comment. Ending a
//! child in need plan and closing an episode are confirmed the same way.

use axum::http::StatusCode;
use domain::access::Role;
use domain::calendar::uk_now;
use domain::front_door::{NewContact, NewDecision};
use store::Actor;
use uuid::Uuid;

use crate::casework::{date_fields, kv, post};
use crate::journey::FRAMEWORK;
use crate::security::sign_in_again;
use crate::{TestApp, set_cookie};

/// A child referred a week ago, and the referral's id.
async fn referred(t: &TestApp, given: &str) -> (Uuid, Uuid) {
    let kid = t.child(given, "Frame", false).await;
    let week_ago = uk_now().date() - chrono::Days::new(7);
    let c = t
        .store
        .record_contact(
            Actor::SYSTEM,
            NewContact {
                received_at: week_ago.and_hms_opt(9, 0, 0).unwrap(),
                source: "3A".into(),
                contact_name: "Head teacher".into(),
                contact_agency: "School".into(),
                reason: "Often hungry; attendance falling.".into(),
                consent: "given".into(),
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
                outcome: "referral".into(),
                decided_at: week_ago.and_hms_opt(15, 0, 0).unwrap(),
                direction: "Single assessment.".into(),
                rationale: "Needs unmet at home.".into(),
                quality: None,
                quality_comment: String::new(),
            },
        )
        .await
        .unwrap();
    (kid, refs[0].id)
}

#[tokio::test]
async fn an_assessment_is_drafted_by_the_framework_returned_with_a_comment_and_authorised() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("tm", Role::TeamManager, None).await;
    let (sw, tm) = (t.sign_in("sw").await, t.sign_in("tm").await);
    let (kid, referral) = referred(&t, "Ivy").await;
    let a = t
        .store
        .start_assessment(Actor::SYSTEM, referral, uk_now().date())
        .await
        .unwrap();
    let page = format!("/assessments/{}", a.id);

    // The page asks for each of the framework's sections, with what each covers.
    let p = t.get(&page, Some(&sw)).await;
    assert_eq!(p.status, StatusCode::OK);
    for want in [
        "The child&#x27;s developmental needs",
        "Parenting capacity",
        "Family and environmental factors",
        "for a baby or a child who cannot say",
        "Save as draft",
    ] {
        assert!(p.body.contains(want), "{want}");
    }

    // Half written, saved as a draft: kept on the record and shown again.
    let r = post(
        &t,
        &format!("{page}/draft"),
        &sw,
        vec![
            kv("version", "1"),
            kv("developmental_needs", "Ivy is small for her age."),
            kv("child_views", "Ivy says she likes school dinners best."),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{page}?saved=draft"));
    let p = t.get(r.location(), Some(&sw)).await;
    assert!(p.body.contains("Draft saved") && p.body.contains("Draft last saved"));
    assert!(p.body.contains("Ivy is small for her age."));
    assert!(p.body.contains(r#"name="version" value="2""#));
    // A draft from a page opened before it is refused rather than written over.
    let r = post(
        &t,
        &format!("{page}/draft"),
        &sw,
        vec![kv("version", "1"), kv("analysis", "Older text")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Someone else changed this"));

    // Completing with sections missing names each one, and keeps what was written.
    let mut done = vec![
        kv("version", "2"),
        kv("outcome", "cin_plan"),
        kv("factors", "4A"),
        kv("summary", "A child in need plan."),
        kv("developmental_needs", "Ivy is small for her age."),
    ];
    done.extend(date_fields("completed", uk_now().date()));
    let r = post(&t, &format!("{page}/completion"), &sw, done.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Enter what the assessment found of parenting capacity")
    );
    assert!(r.body.contains(r##"href="#child_views""##));
    assert!(r.body.contains("Ivy is small for her age."));
    done.retain(|(k, _)| k != "developmental_needs");
    for (name, text) in FRAMEWORK {
        done.push(kv(name, text));
    }
    let r = post(&t, &format!("{page}/completion"), &sw, done.clone()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The manager returns it with what to change; the worker sees why, and writes it again.
    let p = t.get(&page, Some(&tm)).await;
    assert!(p.body.contains("Return to the worker"));
    assert!(
        !t.get(&page, Some(&sw))
            .await
            .body
            .contains("Return to the worker")
    );
    assert_eq!(
        t.get(&format!("{page}/return"), Some(&sw)).await.status,
        StatusCode::FORBIDDEN
    );
    let form = t.get(&format!("{page}/return"), Some(&tm)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains(r#"name="version" value="3""#));
    let r = post(&t, &format!("{page}/return"), &tm, vec![kv("version", "3")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Enter what the worker should change"));
    let r = post(
        &t,
        &format!("{page}/return"),
        &tm,
        vec![
            kv("version", "3"),
            kv(
                "comment",
                "Add what the school nurse says about her weight.",
            ),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = t.get(&page, Some(&sw)).await;
    assert!(p.body.contains("Returned to the worker on"));
    assert!(
        p.body
            .contains("Add what the school nurse says about her weight.")
    );
    assert!(
        p.body.contains("Basic care is met, warmth is lacking."),
        "written as it was"
    );
    assert!(p.body.contains("Complete assessment"));
    // Nothing to return once it is in progress again.
    assert_eq!(
        t.get(&format!("{page}/return"), Some(&tm)).await.status,
        StatusCode::NOT_FOUND
    );
    for f in done.iter_mut() {
        if f.0 == "version" {
            f.1 = "4".into();
        }
        if f.0 == "developmental_needs" {
            f.1.push_str(" School nurse: weight on the 2nd centile.");
        }
    }
    let r = post(&t, &format!("{page}/completion"), &sw, done).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Authorised through the confirmation, with the manager's comment.
    let r = post(
        &t,
        &format!("{page}/authorisation"),
        &tm,
        vec![kv("version", "5")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Check before you authorise the assessment"));
    assert!(
        r.body.contains("Needs met only in part"),
        "the analysis is shown to check"
    );
    let r = post(
        &t,
        &format!("{page}/authorisation"),
        &tm,
        vec![
            kv("version", "5"),
            kv("confirmed", "yes"),
            kv("reason", "Agreed; plan to start this week."),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = t.get(&page, Some(&sw)).await;
    assert!(p.body.contains("Agreed; plan to start this week."));
    assert!(p.body.contains("weight on the 2nd centile"));
    assert!(
        p.body.contains("Returned to the worker on"),
        "the return stays visible"
    );
    // The chronology says who recorded each step, from the audit log (the start was the system's).
    let chron = t
        .get(&format!("/children/{kid}?section=chronology"), Some(&sw))
        .await;
    let row = |what: &str| -> String {
        let at = chron
            .body
            .find(what)
            .unwrap_or_else(|| panic!("{what} in the chronology"));
        let end = chron.body[at..].find("</tr>").unwrap() + at;
        chron.body[at..end].to_string()
    };
    assert!(
        row("Single assessment completed").contains("Test sw"),
        "{}",
        row("Single assessment completed")
    );
    assert!(row("Single assessment authorised").contains("Test tm"));
    assert!(row("Single assessment started").contains("Not known"));
    // Each step is in the audit log, against the child.
    let log = t
        .store
        .audit_entries(&store::AuditQuery {
            person_id: Some(kid),
            ..Default::default()
        })
        .await
        .unwrap();
    let details: Vec<&str> = log.iter().map(|e| e.detail.as_str()).collect();
    for want in [
        "assessment draft saved",
        "assessment returned to the worker",
        "assessment authorised",
    ] {
        assert!(details.contains(&want), "{want} missing from {details:?}");
    }
}

#[tokio::test]
async fn an_assessment_being_written_when_the_session_ends_is_back_in_its_form_after_signing_in() {
    let t = TestApp::with_config(web::Config {
        idle_timeout: Some(chrono::Duration::milliseconds(1500)),
        ..Default::default()
    })
    .await;
    t.user("sam", Role::SocialWorker, None).await;
    let (_, referral) = referred(&t, "Oona").await;
    let a = t
        .store
        .start_assessment(Actor::SYSTEM, referral, uk_now().date())
        .await
        .unwrap();
    let b = t.sign_in("sam").await;
    let page = format!("/assessments/{}", a.id);
    assert_eq!(t.get(&page, Some(&b)).await.status, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(1700)).await;
    let written = "Oona's mother described the week in detail: two missed meals.";
    let posted = post(
        &t,
        &format!("{page}/draft"),
        &b,
        vec![kv("version", "1"), kv("parenting_capacity", written)],
    )
    .await;
    assert_eq!(posted.status, StatusCode::UNAUTHORIZED, "{}", posted.body);
    let signed_in = sign_in_again(&t, &posted, "sam").await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );
    // Back to the assessment's draft form (not "Page not found"), with the text.
    assert_eq!(signed_in.location(), format!("{page}/draft"));
    let again = crate::Browser {
        cookie: format!(
            "hearth_session={}; hearth_draft={}",
            set_cookie(&signed_in, "hearth_session"),
            set_cookie(&signed_in, "hearth_draft")
        ),
        csrf: String::new(),
    };
    let form = t.get(&format!("{page}/draft"), Some(&again)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("two missed meals"), "{}", form.body);
    assert!(form.body.contains("Save as draft"));
    assert!(form.body.contains(r#"name="version" value="1""#));
}

#[tokio::test]
async fn ending_a_plan_and_closing_an_episode_are_checked_and_confirmed_first() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    let sw = t.sign_in("sw").await;
    let (kid, referral) = referred(&t, "Tam").await;
    let today = uk_now().date();
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
    let plan = r.location().split('?').next().unwrap().to_string();
    let end = date_fields("ended", today);
    // The first press shows what will be saved and asks why; nothing is saved yet.
    let r = post(&t, &format!("{plan}/end"), &sw, end.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body
            .contains("Check before you end the child in need plan")
    );
    assert!(r.body.contains("cannot be reopened"));
    assert!(r.body.contains("Why is the plan ending?"));
    assert!(
        r.body.contains(r#"name="ended-day""#),
        "the answers are carried"
    );
    assert!(!t.get(&plan, Some(&sw)).await.body.contains("Why it ended"));
    let mut confirmed = end.clone();
    confirmed.push(kv("confirmed", "yes"));
    let r = post(&t, &format!("{plan}/end"), &sw, confirmed.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Enter why the plan is ending"));
    assert!(r.body.contains(r##"href="#reason""##));
    confirmed.push(kv("reason", "Needs met: Tam is eating at school and home."));
    let r = post(&t, &format!("{plan}/end"), &sw, confirmed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = t.get(&plan, Some(&sw)).await;
    assert!(p.body.contains("Why it ended"));
    assert!(p.body.contains("Tam is eating at school and home."));

    // Closing the episode shows the reason's label to check, then closes.
    let mut close = vec![kv("closure_reason", "RC7")];
    close.extend(date_fields("closed", today));
    let r = post(
        &t,
        &format!("/referrals/{referral}/close"),
        &sw,
        close.clone(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body
            .contains("Check before you close the child in need episode")
    );
    assert!(
        !r.body.contains("Why is the plan ending?"),
        "no reason asked: the code is it"
    );
    let rec = t
        .store
        .view_child_record(Actor::SYSTEM, kid, "test")
        .await
        .unwrap();
    assert_eq!(rec.front_door.referrals[0].closed_on, None);
    close.push(kv("confirmed", "yes"));
    let r = post(&t, &format!("/referrals/{referral}/close"), &sw, close).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rec = t
        .store
        .view_child_record(Actor::SYSTEM, kid, "test")
        .await
        .unwrap();
    assert_eq!(rec.front_door.referrals[0].closed_on, Some(today));
}
