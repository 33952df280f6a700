//! The audit log's and the access log's hash chains on both backends: changes and events extend
//! the audit log's chain, batches of views the access log's (on SQLite in a file of its own);
//! deleting or changing an entry behind the triggers' back is found and named; the two logs are
//! listed together in time order and paged without losing or repeating an entry.

use domain::access::{AuditAction, AuditLog, Role};
use store::audit_chain::verify;
use store::{Actor, AuditCursor, AuditQuery};

use crate::{Fixture, Raw, child, conformance, date, user};

conformance!(changes_extend_the_audit_logs_chain_and_view_batches_the_access_logs);
async fn changes_extend_the_audit_logs_chain_and_view_batches_the_access_logs(f: &Fixture) {
    let s = &f.store;
    let sw = user(s, "sw1", Role::SocialWorker).await;
    let p = s
        .create_person(
            Actor::user(sw.id),
            child("Ada", "Example", date(2019, 2, 3), "C0001"),
        )
        .await
        .unwrap();
    // Many requests' views at once (batched by the access log's writer) while events are
    // recorded.
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
    // The audit log: the user, the person and 5 refusals.
    let report = verify(s.as_ref(), AuditLog::Audit).await.unwrap();
    assert_eq!(report.broken, None, "{report:?}");
    assert_eq!((report.entries, report.head.seq), (7, 7));
    // The access log: 35 views.
    let report = verify(s.as_ref(), AuditLog::Access).await.unwrap();
    assert_eq!(report.broken, None, "{report:?}");
    assert_eq!((report.entries, report.head.seq), (35, 35));
    let (head, unchained) = s.audit_chain_head(AuditLog::Access).await.unwrap();
    assert_eq!((head, unchained), (report.head.clone(), None));
    // Every entry's previous hash is the one before's hash.
    let page = s
        .audit_chain_page(AuditLog::Access, 0, 35, 100)
        .await
        .unwrap();
    assert_eq!(page.len(), 35);
    assert!(page.iter().all(|e| e.row.action == "view"));
    for w in page.windows(2) {
        assert_eq!(w[1].prev_hash, w[0].hash);
        assert_eq!(w[1].seq, w[0].seq.map(|n| n + 1));
    }
    // On SQLite the views are in the access log's own file, not in the database.
    if let Raw::Sqlite(path) = &f.raw {
        assert!(store::access_log_path(path).exists());
        assert_eq!(
            f.raw_count("SELECT COUNT(*) FROM audit_log WHERE action = 'view'")
                .await,
            0
        );
        assert_eq!(
            f.raw_count(
                "SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('access_log', 'access_chain')"
            )
            .await,
            0
        );
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
    assert_eq!(
        verify(s.as_ref(), AuditLog::Access).await.unwrap().broken,
        None
    );
    let drops: [&'static str; 2] = if s.backend() == "sqlite" {
        [
            "DROP TRIGGER access_no_update",
            "DROP TRIGGER access_no_delete",
        ]
    } else {
        [
            "DROP TRIGGER access_no_update ON access_log",
            "DROP TRIGGER access_no_delete ON access_log",
        ]
    };
    for sql in drops {
        f.raw_execute_access(sql).await.unwrap();
    }
    // A view of the record rewritten to look like someone else's purpose.
    assert_eq!(
        f.raw_execute_access("UPDATE access_log SET detail = 'nothing' WHERE seq = 5")
            .await
            .unwrap(),
        1
    );
    let broken = verify(s.as_ref(), AuditLog::Access)
        .await
        .unwrap()
        .broken
        .unwrap();
    assert_eq!(broken.seq, 5, "{broken}");
    assert!(broken.id.is_some());
    assert!(broken.to_string().contains("changed"), "{broken}");
    // The audit log's chain is not the access log's: it is still whole.
    assert_eq!(
        verify(s.as_ref(), AuditLog::Audit).await.unwrap().broken,
        None
    );

    // An earlier entry deleted: the first break is named.
    f.raw_execute_access("DELETE FROM access_log WHERE seq = 3")
        .await
        .unwrap();
    let broken = verify(s.as_ref(), AuditLog::Access)
        .await
        .unwrap()
        .broken
        .unwrap();
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
    let broken = verify(s.as_ref(), AuditLog::Audit)
        .await
        .unwrap()
        .broken
        .unwrap();
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
    let broken = verify(s.as_ref(), AuditLog::Audit)
        .await
        .unwrap()
        .broken
        .unwrap();
    assert_eq!(broken.seq, 4, "{broken}");
    assert!(broken.to_string().contains("head"), "{broken}");
}

conformance!(both_logs_are_listed_together_newest_first_and_paged_without_gaps);
async fn both_logs_are_listed_together_newest_first_and_paged_without_gaps(f: &Fixture) {
    let s = &f.store;
    let sw = user(s, "sw1", Role::SocialWorker).await;
    let p = s
        .create_person(
            Actor::user(sw.id),
            child("Ada", "Example", date(2019, 2, 3), "C0001"),
        )
        .await
        .unwrap();
    // Views (access log) and events (audit log) interleaved.
    for i in 0..12 {
        if i % 3 == 0 {
            s.record_event(
                Actor::user(sw.id),
                AuditAction::Denied,
                Some(p.id),
                &format!("refusal {i}"),
            )
            .await
            .unwrap();
        } else {
            s.view_child_record(Actor::user(sw.id), p.id, &format!("view {i}"))
                .await
                .unwrap();
        }
    }
    // Everything about the child, newest first, five at a time.
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = s
            .audit_entries(&AuditQuery {
                person_id: Some(p.id),
                before,
                limit: 5,
                ..Default::default()
            })
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        before = page.last().map(AuditCursor::of);
        seen.extend(page);
    }
    // The person's creation, 4 refusals, 8 views: each once, in time order, each from its log.
    assert_eq!(seen.len(), 13, "{seen:#?}");
    assert!(seen.windows(2).all(|w| w[0].at >= w[1].at));
    let details: Vec<&str> = seen.iter().map(|e| e.detail.as_str()).collect();
    let expected: Vec<String> = (0..12)
        .rev()
        .map(|i| {
            if i % 3 == 0 {
                format!("refusal {i}")
            } else {
                format!("view {i}")
            }
        })
        .collect();
    assert_eq!(
        &details[..12],
        expected
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
    );
    for e in &seen {
        let log = if e.action == AuditAction::View {
            AuditLog::Access
        } else {
            AuditLog::Audit
        };
        assert_eq!(e.log, log, "{e:?}");
    }
    // Only the views, by the actor.
    let views = s
        .audit_entries(&AuditQuery {
            actor: Some(sw.id),
            action: Some(AuditAction::View),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(views.len(), 8);
    // A cursor survives its text form.
    let c = AuditCursor::of(&seen[3]);
    assert_eq!(AuditCursor::parse(&c.to_param()), Some(c));
    assert_eq!(AuditCursor::parse("12.nolog.3"), None);
}
