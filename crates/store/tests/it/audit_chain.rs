//! The audit log's hash chain on both backends: changes and batches of views extend one chain;
//! deleting or changing an entry behind the triggers' back is found and named.

use domain::access::{AuditAction, Role};
use store::Actor;
use store::audit_chain::verify;

use crate::{Fixture, child, conformance, date, user};

conformance!(changes_and_view_batches_extend_one_chain_that_verifies);
async fn changes_and_view_batches_extend_one_chain_that_verifies(f: &Fixture) {
    let s = &f.store;
    let sw = user(s, "sw1", Role::SocialWorker).await;
    let p = s
        .create_person(
            Actor::user(sw.id),
            child("Ada", "Example", date(2019, 2, 3), "C0001"),
        )
        .await
        .unwrap();
    // Many requests' views at once (batched by the access log's writer) while changes are made.
    let mut tasks = Vec::new();
    for i in 0..40 {
        let s = s.clone();
        let (sw, pid) = (sw.id, p.id);
        tasks.push(tokio::spawn(async move {
            if i % 8 == 0 {
                s.record_event(
                    Actor::user(sw),
                    AuditAction::Denied,
                    Some(pid),
                    "test refusal",
                )
                .await
                .unwrap();
            } else {
                s.view_child_record(Actor::user(sw), pid, "child page")
                    .await
                    .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let report = verify(s.as_ref()).await.unwrap();
    assert_eq!(report.broken, None, "{report:?}");
    // The user, the person, 40 events and views.
    assert_eq!(report.entries, 42);
    assert_eq!(report.head.seq, 42);
    let (head, unchained) = s.audit_chain_head().await.unwrap();
    assert_eq!((head, unchained), (report.head.clone(), None));
    // Every entry's previous hash is the one before's hash.
    let page = s.audit_chain_page(0, 42, 100).await.unwrap();
    assert_eq!(page.len(), 42);
    for w in page.windows(2) {
        assert_eq!(w[1].prev_hash, w[0].hash);
        assert_eq!(w[1].seq, w[0].seq.map(|n| n + 1));
    }
}

conformance!(an_entry_changed_or_deleted_with_the_triggers_dropped_is_named);
async fn an_entry_changed_or_deleted_with_the_triggers_dropped_is_named(f: &Fixture) {
    let s = &f.store;
    let sw = user(s, "sw1", Role::SocialWorker).await;
    let p = s
        .create_person(
            Actor::user(sw.id),
            child("Ada", "Example", date(2019, 2, 3), "C0001"),
        )
        .await
        .unwrap();
    for _ in 0..6 {
        s.view_child_record(Actor::user(sw.id), p.id, "child page")
            .await
            .unwrap();
    }
    assert_eq!(verify(s.as_ref()).await.unwrap().broken, None);
    let drops: [&'static str; 2] = if s.backend() == "sqlite" {
        [
            "DROP TRIGGER audit_no_update",
            "DROP TRIGGER audit_no_delete",
        ]
    } else {
        [
            "DROP TRIGGER audit_no_update ON audit_log",
            "DROP TRIGGER audit_no_delete ON audit_log",
        ]
    };
    for sql in drops {
        f.raw_execute(sql).await.unwrap();
    }
    // A view of the record rewritten to look like someone else's purpose.
    assert_eq!(
        f.raw_execute("UPDATE audit_log SET detail = 'nothing' WHERE seq = 5")
            .await
            .unwrap(),
        1
    );
    let broken = verify(s.as_ref()).await.unwrap().broken.unwrap();
    assert_eq!(broken.seq, 5, "{broken}");
    assert!(broken.id.is_some());
    assert!(broken.to_string().contains("changed"), "{broken}");

    // An earlier entry deleted: the first break is named.
    f.raw_execute("DELETE FROM audit_log WHERE seq = 3")
        .await
        .unwrap();
    let broken = verify(s.as_ref()).await.unwrap().broken.unwrap();
    assert_eq!(broken.seq, 3, "{broken}");
    assert!(broken.to_string().contains("deleted"), "{broken}");
}

conformance!(the_last_entries_deleted_are_found_from_the_chain_head);
async fn the_last_entries_deleted_are_found_from_the_chain_head(f: &Fixture) {
    let s = &f.store;
    let sw = user(s, "sw1", Role::SocialWorker).await;
    for _ in 0..3 {
        s.record_event(Actor::user(sw.id), AuditAction::SignIn, None, "signed in")
            .await
            .unwrap();
    }
    // An entry inserted around the chain (no hash) is named.
    f.raw_execute(
        "INSERT INTO audit_log (at, action, entity_type, detail) \
         VALUES ('2026-01-01 00:00:00+00:00', 'view', 'event', 'forged')",
    )
    .await
    .unwrap();
    let broken = verify(s.as_ref()).await.unwrap().broken.unwrap();
    assert!(broken.to_string().contains("outside the chain"), "{broken}");
    assert_eq!(broken.seq, 5);
    // The last entry deleted: the chain's head still says how long the chain was.
    let drop = if s.backend() == "sqlite" {
        "DROP TRIGGER audit_no_delete"
    } else {
        "DROP TRIGGER audit_no_delete ON audit_log"
    };
    f.raw_execute(drop).await.unwrap();
    f.raw_execute("DELETE FROM audit_log WHERE seq = 4")
        .await
        .unwrap();
    let broken = verify(s.as_ref()).await.unwrap().broken.unwrap();
    assert_eq!(broken.seq, 4, "{broken}");
    assert!(broken.to_string().contains("head"), "{broken}");
}
