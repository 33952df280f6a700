//! Long forms kept as a draft while they are written: "Save as draft" (and the page's script
//! doing the same while the worker types) keeps the answers so far server-side, for that worker
//! alone; opening the form again fills them back in, over a closed browser or a session that
//! ended; saving the form forgets the draft. Keeping a draft is audited, and saves nothing to the
//! child's record.

use axum::http::StatusCode;
use domain::access::{AuditAction, Role};
use domain::calendar::uk_now;

use crate::TestApp;
use crate::casework::{date_fields, kv, post};

#[tokio::test]
async fn a_visit_kept_as_a_draft_comes_back_for_its_worker_alone_until_it_is_saved() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("other", Role::SocialWorker, None).await;
    let kid = t.child("Rowan", "Draft", false).await;
    let form = format!("/children/{kid}/notes?kind=visit");
    let sw = t.sign_in("sw").await;

    // The visit form offers "Save as draft".
    let blank = t.get(&form, Some(&sw)).await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(blank.body.contains("Save as draft"), "{}", blank.body);
    assert!(blank.body.contains("data-hearth-draft"));

    // Half written (whether the child was seen not yet answered): kept, not checked, not saved.
    let today = uk_now().date();
    let mut half = vec![kv("kind", "visit"), kv("draft", "save")];
    half.extend(date_fields("date", today));
    half.push(kv(
        "text",
        "Home visit: the kitchen was stocked; mother was calm.",
    ));
    half.push(kv("childs_words", "I like my new bed"));
    let kept = post(&t, &form, &sw, half).await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
    assert!(
        kept.body.contains("Your draft was saved on"),
        "{}",
        kept.body
    );
    assert!(kept.body.contains("the kitchen was stocked"));
    assert!(
        !kept.body.contains("govuk-error-summary"),
        "a draft is not checked"
    );
    let record = t
        .store
        .view_child_record(store::Actor::SYSTEM, kid, "test")
        .await
        .unwrap();
    assert!(record.notes.is_empty(), "a draft is not part of the record");
    let audited = t.audit(AuditAction::Update).await;
    let entry = audited
        .iter()
        .find(|e| e.entity_type == "working_draft")
        .expect("keeping a draft is audited");
    assert_eq!(entry.person_id, Some(kid));
    assert!(
        !entry.detail.contains("kitchen"),
        "the audit log names the form, not its text"
    );

    // Opening the form again (a new browser session) fills the draft back in, with its notice.
    let later = t.sign_in("sw").await;
    let again = t.get(&form, Some(&later)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.body.contains("Your draft saved on"), "{}", again.body);
    assert!(again.body.contains("the kitchen was stocked"));
    assert!(again.body.contains("I like my new bed"));

    // Another worker opening the same child's visit form sees none of it.
    let other = t.sign_in("other").await;
    let theirs = t.get(&form, Some(&other)).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(!theirs.body.contains("the kitchen was stocked"));
    // Nor does a case note's form, on the same path, for the same worker.
    let note = t
        .get(
            &format!("/children/{kid}/notes?kind=case_note"),
            Some(&later),
        )
        .await;
    assert!(!note.body.contains("the kitchen was stocked"));

    // The page's script keeps the draft the same way, answered with no content.
    let mut typed = vec![
        kv("kind", "visit"),
        kv("draft", "save"),
        kv("autosave", "yes"),
    ];
    typed.extend(date_fields("date", today));
    typed.push(kv(
        "text",
        "Home visit: the kitchen was stocked; mother was calm. Rowan showed me his room.",
    ));
    typed.push(kv("childs_words", "I like my new bed"));
    let auto = post(&t, &form, &later, typed).await;
    assert_eq!(auto.status, StatusCode::NO_CONTENT, "{}", auto.body);
    let again = t.get(&form, Some(&later)).await;
    assert!(again.body.contains("Rowan showed me his room"));

    // Saved in full: the visit is on the record and the draft is forgotten.
    let mut done = vec![
        kv("kind", "visit"),
        kv("child_seen", "yes"),
        kv("seen_alone", "yes"),
    ];
    done.extend(date_fields("date", today));
    done.push(kv(
        "text",
        "Home visit: the kitchen was stocked; mother was calm. Rowan showed me his room.",
    ));
    done.push(kv("childs_words", "I like my new bed"));
    let saved = post(&t, &form, &later, done).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let record = t
        .store
        .view_child_record(store::Actor::SYSTEM, kid, "test")
        .await
        .unwrap();
    assert_eq!(record.notes.len(), 1);
    let fresh = t.get(&form, Some(&later)).await;
    assert!(
        !fresh.body.contains("Rowan showed me his room"),
        "the draft is gone once saved"
    );
    assert!(!fresh.body.contains("Your draft saved on"));
}

#[tokio::test]
async fn a_draft_of_another_childs_form_or_without_the_role_is_refused_and_keeps_nothing() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let kid = t.child("Sorrel", "Draft", false).await;
    let hidden = t.child("Tansy", "Draft", true).await;
    let sw = t.sign_in("sw").await;
    let pa = t.sign_in("pa").await;
    let draft = |text: &str| {
        let mut f = vec![kv("kind", "visit"), kv("draft", "save")];
        f.push(kv("text", text));
        f
    };
    // A role that records no casework keeps no draft of it.
    let refused = post(
        &t,
        &format!("/children/{kid}/notes?kind=visit"),
        &pa,
        draft("analyst's words"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Nor does anyone for a restricted record they are not allowed.
    let restricted = post(
        &t,
        &format!("/children/{hidden}/notes?kind=visit"),
        &sw,
        draft("restricted words"),
    )
    .await;
    assert_eq!(restricted.status, StatusCode::FORBIDDEN);
    assert!(
        !t.audit(AuditAction::Update)
            .await
            .iter()
            .any(|e| e.entity_type == "working_draft"),
        "nothing was kept"
    );
}
