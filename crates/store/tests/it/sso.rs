//! Single sign-on's part of the store, on both backends: sign-ins sent to the provider are taken
//! once, accounts are linked by (issuer, subject), and drafts of forms posted after a session
//! ended go back only to the user who signed in on that browser.

use chrono::{Duration, Utc};
use domain::access::Role;
use store::sso::{FormDraft, PendingSsoLogin, SsoLink, SsoSignIn};

use crate::{Fixture, conformance, user};

fn sign_in(subject: &str, username: &str, role: Role) -> SsoSignIn {
    SsoSignIn {
        issuer: "https://id.council.example".into(),
        subject: subject.into(),
        username: username.into(),
        display_name: format!("{username} from the provider"),
        role,
    }
}

conformance!(single_sign_on_links_accounts_by_issuer_and_subject);
async fn single_sign_on_links_accounts_by_issuer_and_subject(f: &Fixture) {
    let s = &f.store;
    let now = Utc::now();
    let pending = PendingSsoLogin {
        state_hash: "a".repeat(64),
        nonce: "n".into(),
        pkce_verifier: "v".into(),
        next: "/work".into(),
        draft: Some(FormDraft {
            path: "/children/x/visits".into(),
            fields: vec![("note".into(), "kept\nover sign-in".into())],
        }),
        expires_at: now + Duration::minutes(10),
    };
    s.save_sso_login(pending.clone()).await.unwrap();
    let taken = s
        .take_sso_login(&pending.state_hash, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((taken.nonce.as_str(), taken.next.as_str()), ("n", "/work"));
    assert_eq!(taken.draft.unwrap().fields[0].1, "kept\nover sign-in");
    assert!(
        s.take_sso_login(&pending.state_hash, now)
            .await
            .unwrap()
            .is_none(),
        "once only"
    );
    let late = PendingSsoLogin {
        state_hash: "b".repeat(64),
        ..pending.clone()
    };
    s.save_sso_login(late.clone()).await.unwrap();
    assert!(
        s.take_sso_login(&late.state_hash, now + Duration::minutes(11))
            .await
            .unwrap()
            .is_none(),
        "expired"
    );

    // A new account, then the same one again by (issuer, subject) even under another username.
    let (made, link) = s
        .sso_user(sign_in("sub-1", "sam@council.example", Role::SocialWorker))
        .await
        .unwrap();
    assert_eq!(link, SsoLink::Created);
    assert_eq!(made.role, Role::SocialWorker);
    assert!(
        s.user_credentials("sam@council.example")
            .await
            .unwrap()
            .is_some_and(|(_, h)| !store::auth::verify_password("", &h))
    );
    let (again, link) = s
        .sso_user(sign_in(
            "sub-1",
            "sam.renamed@council.example",
            Role::TeamManager,
        ))
        .await
        .unwrap();
    assert_eq!((again.id, link), (made.id, SsoLink::Linked));
    assert_eq!(again.role, Role::TeamManager, "the role follows the claim");
    assert_eq!(s.get_user(made.id).await.unwrap().role, Role::TeamManager);

    // A local account of the same username is linked once; another subject with that name gets
    // an account of its own.
    let local = user(s, "Tess@Council.example", Role::SocialWorker).await;
    let (tess, link) = s
        .sso_user(sign_in("sub-2", "tess@council.example", Role::SocialWorker))
        .await
        .unwrap();
    assert_eq!((tess.id, link), (local.id, SsoLink::Matched));
    let (other, link) = s
        .sso_user(sign_in("sub-3", "tess@council.example", Role::SocialWorker))
        .await
        .unwrap();
    assert_eq!(link, SsoLink::Created);
    assert_ne!(other.id, local.id);
    assert_eq!(other.username, "sso-sub-3");

    // Drafts: claimed by the user who signs in on that browser, taken once, for that page only.
    let draft = FormDraft {
        path: "/children/x/visits".into(),
        fields: vec![("note".into(), "seen at home".into())],
    };
    s.save_draft("d1", &draft, now + Duration::hours(2))
        .await
        .unwrap();
    assert!(
        s.take_draft("d1", made.id, &draft.path, now)
            .await
            .unwrap()
            .is_none(),
        "not claimed yet"
    );
    s.claim_draft("d1", made.id, now).await.unwrap();
    s.claim_draft("d1", tess.id, now).await.unwrap();
    assert!(
        s.take_draft("d1", tess.id, &draft.path, now)
            .await
            .unwrap()
            .is_none(),
        "the first to claim it"
    );
    assert!(
        s.take_draft("d1", made.id, "/elsewhere", now)
            .await
            .unwrap()
            .is_none()
    );
    let back = s
        .take_draft("d1", made.id, &draft.path, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.fields, draft.fields);
    assert!(
        s.take_draft("d1", made.id, &draft.path, now)
            .await
            .unwrap()
            .is_none(),
        "once only"
    );
}

conformance!(working_drafts_are_one_per_worker_and_form_kept_until_discarded);
async fn working_drafts_are_one_per_worker_and_form_kept_until_discarded(f: &Fixture) {
    let s = &f.store;
    let sw = user(s, "drafter", Role::SocialWorker).await;
    let other = user(s, "other-drafter", Role::SocialWorker).await;
    let kid = s
        .create_person(
            store::Actor::SYSTEM,
            crate::child("Wren", "Drafted", crate::date(2019, 2, 3), "W1"),
        )
        .await
        .unwrap();
    let path = format!("/children/{}/notes?kind=visit", kid.id);
    let first = vec![(
        "text".to_string(),
        "Half a visit,\nwith a line break".to_string(),
    )];
    let kept = s
        .keep_working_draft(store::Actor::user(sw.id), Some(kid.id), &path, &first)
        .await
        .unwrap();
    let back = s.working_draft(sw.id, &path).await.unwrap().unwrap();
    assert_eq!(back.fields, first);
    assert_eq!(back.saved_at.timestamp(), kept.saved_at.timestamp());
    // Kept again: replaced, not added to.
    let second = vec![("text".to_string(), "The whole visit".to_string())];
    s.keep_working_draft(store::Actor::user(sw.id), Some(kid.id), &path, &second)
        .await
        .unwrap();
    assert_eq!(
        s.working_draft(sw.id, &path).await.unwrap().unwrap().fields,
        second
    );
    // Another worker's form, and another form of the same worker, have none.
    assert!(s.working_draft(other.id, &path).await.unwrap().is_none());
    assert!(
        s.working_draft(sw.id, &format!("{path}x"))
            .await
            .unwrap()
            .is_none()
    );
    // Each keeping is audited against the child, without the text.
    let entries = s
        .audit_entries(&store::access::AuditQuery {
            person_id: Some(kid.id),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let drafts: Vec<_> = entries
        .iter()
        .filter(|e| e.entity_type == "working_draft")
        .collect();
    assert_eq!(drafts.len(), 2);
    assert!(
        drafts
            .iter()
            .all(|e| e.actor == Some(sw.id) && !e.detail.contains("visit,"))
    );
    // Only a signed-in user keeps a draft.
    assert!(
        s.keep_working_draft(store::Actor::SYSTEM, None, &path, &first)
            .await
            .is_err()
    );
    // Discarded once the form is saved.
    s.discard_working_draft(sw.id, &path).await.unwrap();
    assert!(s.working_draft(sw.id, &path).await.unwrap().is_none());
}
