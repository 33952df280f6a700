//! The conformance tests: each is an async function over a [`Fixture`], declared for both
//! backends with `conformance!`.

use chrono::{Duration, Utc};
use domain::access::{AuditAction, Role};
use domain::person::{NewAddress, PersonKind};
use store::{Actor, AuditQuery, NewRelationship, NewSession, NewWorker, SearchQuery, StoreError};

use crate::{Fixture, adult, child, conformance, date, user};

conformance!(create_and_correct_are_audited_with_before_and_after);
async fn create_and_correct_are_audited_with_before_and_after(f: &Fixture) {
    let s = &f.store;
    let sw = user(s, "sw1", Role::SocialWorker).await;
    let p = s
        .create_person(
            Actor::user(sw.id),
            child("Ada", "Example", date(2019, 2, 3), "C0001"),
        )
        .await
        .unwrap();
    assert_eq!(p.version, 1);
    let mut details = p.details.clone();
    details.given_name = "Adah".into();
    let p2 = s
        .update_person(Actor::user(sw.id), p.id, 1, details)
        .await
        .unwrap();
    assert_eq!(p2.version, 2);
    assert_eq!(s.get_person(p.id).await.unwrap().details.given_name, "Adah");

    let log = s
        .audit_entries(&AuditQuery {
            person_id: Some(p.id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 2, "{log:?}");
    let (update, create) = (&log[0], &log[1]);
    assert_eq!(create.action, AuditAction::Create);
    assert_eq!(create.actor, Some(sw.id));
    assert_eq!(create.after.as_ref().unwrap()["given_name"], "Ada");
    assert_eq!(update.action, AuditAction::Update);
    assert_eq!(update.before.as_ref().unwrap()["given_name"], "Ada");
    assert_eq!(update.after.as_ref().unwrap()["given_name"], "Adah");
    assert!(update.at >= create.at);
}

conformance!(a_stale_correction_saves_nothing);
async fn a_stale_correction_saves_nothing(f: &Fixture) {
    let s = &f.store;
    let p = s
        .create_person(
            Actor::SYSTEM,
            child("Ben", "Example", date(2018, 1, 1), "C0002"),
        )
        .await
        .unwrap();
    let mut d = p.details.clone();
    d.family_name = "Changed".into();
    s.update_person(Actor::SYSTEM, p.id, 1, d.clone())
        .await
        .unwrap();
    d.family_name = "Stale".into();
    let err = s
        .update_person(Actor::SYSTEM, p.id, 1, d)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                actual: 2
            }
        ),
        "{err}"
    );
    assert_eq!(
        s.get_person(p.id).await.unwrap().details.family_name,
        "Changed"
    );
    let log = s
        .audit_entries(&AuditQuery {
            person_id: Some(p.id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 2, "the refused correction wrote no audit entry");
}

conformance!(a_refused_write_leaves_no_row_and_no_audit_entry);
async fn a_refused_write_leaves_no_row_and_no_audit_entry(f: &Fixture) {
    let s = &f.store;
    s.create_person(Actor::SYSTEM, child("Cat", "One", date(2017, 3, 3), "DUP1"))
        .await
        .unwrap();
    let before = s
        .audit_entries(&AuditQuery {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .len();
    let err = s
        .create_person(Actor::SYSTEM, child("Cat", "Two", date(2017, 3, 3), "DUP1"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Invalid {
                field: "council_child_id",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(s.count_people().await.unwrap(), 1);
    assert_eq!(
        s.audit_entries(&AuditQuery {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .len(),
        before
    );
}

conformance!(viewing_a_record_writes_an_access_entry);
async fn viewing_a_record_writes_an_access_entry(f: &Fixture) {
    let s = &f.store;
    let sw = user(s, "viewer", Role::SocialWorker).await;
    let p = s
        .create_person(
            Actor::SYSTEM,
            child("Dan", "Example", date(2016, 4, 4), "C0004"),
        )
        .await
        .unwrap();
    let rec = s
        .view_child_record(Actor::user(sw.id), p.id, "child page")
        .await
        .unwrap();
    assert_eq!(rec.person.id, p.id);
    s.view_child_record(Actor::user(sw.id), p.id, "api")
        .await
        .unwrap();
    let views = s
        .audit_entries(&AuditQuery {
            person_id: Some(p.id),
            action: Some(AuditAction::View),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(views.len(), 2);
    assert!(views.iter().all(|v| v.actor == Some(sw.id)));
    assert_eq!(views[0].detail, "api");
    assert_eq!(views[1].detail, "child page");
    // A record that does not exist is not found and logs nothing.
    let missing = uuid::Uuid::now_v7();
    assert!(matches!(
        s.view_child_record(Actor::user(sw.id), missing, "x").await,
        Err(StoreError::NotFound("person"))
    ));
}

conformance!(case_records_cannot_be_deleted_and_the_audit_log_cannot_be_changed);
async fn case_records_cannot_be_deleted_and_the_audit_log_cannot_be_changed(f: &Fixture) {
    let s = &f.store;
    let p = s
        .create_person(
            Actor::SYSTEM,
            child("Eve", "Example", date(2015, 5, 5), "C0005"),
        )
        .await
        .unwrap();
    s.add_address(
        Actor::SYSTEM,
        p.id,
        NewAddress {
            line1: "1 Test Street".into(),
            line2: String::new(),
            town: "Testtown".into(),
            postcode: "ZX1 1ZZ".into(),
            from: date(2020, 1, 1),
            to: None,
        },
    )
    .await
    .unwrap();
    for sql in [
        "DELETE FROM person",
        "DELETE FROM address",
        "DELETE FROM audit_log",
        "UPDATE audit_log SET detail = 'x'",
    ] {
        let err = f.raw_execute(sql).await.expect_err(sql);
        let msg = err.to_string();
        assert!(
            msg.contains("never deleted") || msg.contains("append-only"),
            "{sql}: {msg}"
        );
    }
    assert_eq!(s.count_people().await.unwrap(), 1);
}

conformance!(search_by_name_date_of_birth_and_identifier);
async fn search_by_name_date_of_birth_and_identifier(f: &Fixture) {
    let s = &f.store;
    let mut a = child("Freya", "Northwood", date(2014, 6, 6), "C0006");
    a.identifiers.nhs_number = Some("9434765919".into());
    a.identifiers.upn = domain::person::identifiers::upn_with_check_letter("820200125001");
    let a = s.create_person(Actor::SYSTEM, a).await.unwrap();
    let b = s
        .create_person(
            Actor::SYSTEM,
            child("George", "Northwood", date(2016, 7, 7), "C0007"),
        )
        .await
        .unwrap();
    s.create_person(Actor::SYSTEM, adult("Hannah", "Southby"))
        .await
        .unwrap();

    let find = |text: Option<&str>, dob| {
        let q = SearchQuery {
            text: text.map(Into::into),
            date_of_birth: dob,
            ..Default::default()
        };
        async move {
            s.search_people(&q)
                .await
                .unwrap()
                .into_iter()
                .map(|p| p.given_name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(find(Some("northWOOD"), None).await, ["Freya", "George"]);
    assert_eq!(find(Some("rey"), None).await, ["Freya"]);
    assert_eq!(find(Some("George Northwood"), None).await, ["George"]);
    assert_eq!(
        find(Some("Northwood"), Some(date(2016, 7, 7))).await,
        ["George"]
    );
    assert_eq!(find(None, Some(date(2014, 6, 6))).await, ["Freya"]);
    assert_eq!(find(Some("c0007"), None).await, ["George"]);
    assert_eq!(find(Some("943 476 5919"), None).await, ["Freya"]);
    let upn = a.details.identifiers.upn.clone().unwrap();
    assert_eq!(find(Some(&upn.to_lowercase()), None).await, ["Freya"]);
    assert!(find(Some("nobody"), None).await.is_empty());
    // Wildcards typed by a user are not wildcards.
    assert!(find(Some("%"), None).await.len() == 3);
    let children = s
        .search_people(&SearchQuery {
            kind: Some(PersonKind::Child),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(children.len(), 2);
    assert!(children.iter().any(|c| c.id == b.id));
}

conformance!(allocation_ends_the_previous_one_and_shows_in_access_facts);
async fn allocation_ends_the_previous_one_and_shows_in_access_facts(f: &Fixture) {
    let s = &f.store;
    let team = s
        .create_team(Actor::SYSTEM, "Assessment team 1")
        .await
        .unwrap();
    let w = |name: &str| NewWorker {
        name: name.into(),
        team_id: Some(team.id),
        role_title: "Social worker".into(),
        agency: false,
        started: date(2020, 1, 1),
    };
    let w1 = s
        .create_worker(Actor::SYSTEM, w("Worker One"))
        .await
        .unwrap();
    let w2 = s
        .create_worker(Actor::SYSTEM, w("Worker Two"))
        .await
        .unwrap();
    let p = s
        .create_person(
            Actor::SYSTEM,
            child("Ivy", "Example", date(2019, 8, 8), "C0008"),
        )
        .await
        .unwrap();
    s.allocate(Actor::SYSTEM, p.id, w1.id, date(2025, 1, 6))
        .await
        .unwrap();
    let err = s
        .allocate(Actor::SYSTEM, p.id, w2.id, date(2025, 1, 6))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid { field: "from", .. }));
    s.allocate(Actor::SYSTEM, p.id, w2.id, date(2025, 3, 3))
        .await
        .unwrap();
    let facts = s.access_facts(p.id).await.unwrap();
    assert_eq!(facts.allocated_workers, vec![w2.id]);
    let rec = s
        .view_child_record(Actor::SYSTEM, p.id, "test")
        .await
        .unwrap();
    assert_eq!(rec.allocations.len(), 2);
    let cur = rec.current_allocation().unwrap();
    assert_eq!(cur.worker_name, "Worker Two");
    assert_eq!(cur.team_name.as_deref(), Some("Assessment team 1"));
    let old = rec
        .allocations
        .iter()
        .find(|a| a.allocation.worker_id == w1.id)
        .unwrap();
    assert_eq!(old.allocation.to, Some(date(2025, 3, 2)));
    let summary = &s
        .search_people(&SearchQuery {
            text: Some("Ivy".into()),
            ..Default::default()
        })
        .await
        .unwrap()[0];
    assert_eq!(summary.allocated_worker_name.as_deref(), Some("Worker Two"));
    // An adult cannot be allocated.
    let a = s
        .create_person(Actor::SYSTEM, adult("Jo", "Example"))
        .await
        .unwrap();
    assert!(matches!(
        s.allocate(Actor::SYSTEM, a.id, w1.id, date(2025, 4, 1))
            .await,
        Err(StoreError::Invalid { .. })
    ));
}

conformance!(family_addresses_and_chronology);
async fn family_addresses_and_chronology(f: &Fixture) {
    let s = &f.store;
    let c = s
        .create_person(
            Actor::SYSTEM,
            child("Kit", "Example", date(2018, 9, 9), "C0009"),
        )
        .await
        .unwrap();
    let sib = s
        .create_person(
            Actor::SYSTEM,
            child("Lou", "Example", date(2020, 1, 2), "C0010"),
        )
        .await
        .unwrap();
    let mum = s
        .create_person(Actor::SYSTEM, adult("Mia", "Example"))
        .await
        .unwrap();
    s.add_relationship(
        Actor::SYSTEM,
        NewRelationship {
            person_id: mum.id,
            kind: "parent".into(),
            related_person_id: c.id,
            from: Some(date(2018, 9, 9)),
        },
    )
    .await
    .unwrap();
    s.add_relationship(
        Actor::SYSTEM,
        NewRelationship {
            person_id: sib.id,
            kind: "sibling".into(),
            related_person_id: c.id,
            from: Some(date(2020, 1, 2)),
        },
    )
    .await
    .unwrap();
    assert!(
        s.add_relationship(
            Actor::SYSTEM,
            NewRelationship {
                person_id: c.id,
                kind: "sibling".into(),
                related_person_id: c.id,
                from: None
            }
        )
        .await
        .is_err()
    );
    let addr = |line1: &str, from| NewAddress {
        line1: line1.into(),
        line2: String::new(),
        town: "Testtown".into(),
        postcode: "zx1 1zz".into(),
        from,
        to: None,
    };
    s.add_address(
        Actor::SYSTEM,
        c.id,
        addr("1 First Street", date(2018, 9, 9)),
    )
    .await
    .unwrap();
    s.add_address(
        Actor::SYSTEM,
        c.id,
        addr("2 Second Street", date(2022, 5, 1)),
    )
    .await
    .unwrap();
    let bad = NewAddress {
        to: Some(date(2020, 1, 1)),
        ..addr("3 Third Street", date(2021, 1, 1))
    };
    assert!(matches!(
        s.add_address(Actor::SYSTEM, c.id, bad).await,
        Err(StoreError::Invalid { field: "to", .. })
    ));

    let rec = s
        .view_child_record(Actor::SYSTEM, c.id, "test")
        .await
        .unwrap();
    assert_eq!(rec.relationships.len(), 2);
    let mum_rel = rec
        .relationships
        .iter()
        .find(|r| r.other.id == mum.id)
        .unwrap();
    assert!(mum_rel.other_is_subject);
    assert_eq!(mum_rel.relationship.kind, "parent");
    assert_eq!(rec.addresses.len(), 2);
    let cur = rec.current_address().unwrap();
    assert_eq!(cur.line1, "2 Second Street");
    assert_eq!(cur.postcode, "ZX1 1ZZ");
    assert_eq!(
        rec.addresses
            .iter()
            .find(|a| a.line1 == "1 First Street")
            .unwrap()
            .to,
        Some(date(2022, 4, 30))
    );
    let summaries: Vec<&str> = rec.chronology.iter().map(|e| e.summary.as_str()).collect();
    assert!(summaries.contains(&"Born"), "{summaries:?}");
    assert!(summaries.contains(&"Record created"));
    assert!(
        summaries
            .iter()
            .any(|s| s.starts_with("Moved to 2 Second Street"))
    );
    assert!(summaries.contains(&"Mia Example recorded as parent"));
    assert!(summaries.contains(&"Lou Example recorded as sibling"));
    // Newest first.
    assert!(rec.chronology.windows(2).all(|w| w[0].date >= w[1].date));
    // The sibling's record shows the same relationship from the other side.
    let srec = s
        .view_child_record(Actor::SYSTEM, sib.id, "test")
        .await
        .unwrap();
    assert!(!srec.relationships[0].other_is_subject);
}

conformance!(sessions_expire_and_end);
async fn sessions_expire_and_end(f: &Fixture) {
    let s = &f.store;
    let u = user(s, "tm", Role::TeamManager).await;
    let now = Utc::now();
    s.create_session(NewSession {
        token_hash: "h1".into(),
        user_id: u.id,
        csrf_token: "c1".into(),
        expires_at: now + Duration::hours(1),
    })
    .await
    .unwrap();
    s.create_session(NewSession {
        token_hash: "h2".into(),
        user_id: u.id,
        csrf_token: "c2".into(),
        expires_at: now - Duration::seconds(1),
    })
    .await
    .unwrap();
    let su = s.session_user("h1", now, None).await.unwrap().unwrap();
    assert_eq!(su.user.id, u.id);
    assert_eq!(su.user.role, Role::TeamManager);
    assert_eq!(su.csrf_token, "c1");
    assert!(
        s.session_user("h2", now, None).await.unwrap().is_none(),
        "expired"
    );
    assert!(s.session_user("nope", now, None).await.unwrap().is_none());
    s.delete_session("h1").await.unwrap();
    assert!(s.session_user("h1", now, None).await.unwrap().is_none());
    // Changing the password ends every session.
    s.create_session(NewSession {
        token_hash: "h3".into(),
        user_id: u.id,
        csrf_token: "c3".into(),
        expires_at: now + Duration::hours(1),
    })
    .await
    .unwrap();
    s.set_password(
        Actor::SYSTEM,
        u.id,
        store::auth::hash_password("another long password"),
    )
    .await
    .unwrap();
    assert!(s.session_user("h3", now, None).await.unwrap().is_none());
}

conformance!(users_have_unique_names_and_verifiable_passwords);
async fn users_have_unique_names_and_verifiable_passwords(f: &Fixture) {
    let s = &f.store;
    let u = user(s, "admin", Role::Administrator).await;
    let (found, hash) = s.user_credentials("admin").await.unwrap().unwrap();
    assert_eq!(found, u);
    assert!(store::auth::verify_password("a long test password", &hash));
    assert!(s.user_credentials("nobody").await.unwrap().is_none());
    let again = s
        .create_user(
            Actor::SYSTEM,
            store::NewUser {
                username: "admin".into(),
                display_name: "x".into(),
                role: Role::SocialWorker,
                worker_id: None,
                password_hash: hash,
            },
        )
        .await;
    assert!(matches!(
        again,
        Err(StoreError::Invalid {
            field: "username",
            ..
        })
    ));
    assert_eq!(s.list_users().await.unwrap().len(), 1);
}

conformance!(events_are_recorded);
async fn events_are_recorded(f: &Fixture) {
    let s = &f.store;
    let u = user(s, "analyst", Role::PerformanceAnalyst).await;
    let p = s
        .create_person(
            Actor::SYSTEM,
            child("Ned", "Example", date(2015, 1, 1), "C0011"),
        )
        .await
        .unwrap();
    s.record_event(
        Actor::user(u.id),
        AuditAction::Denied,
        Some(p.id),
        "GET /children/x: role performance_analyst may not view records",
    )
    .await
    .unwrap();
    let denied = s
        .audit_entries(&AuditQuery {
            action: Some(AuditAction::Denied),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(denied.len(), 1);
    assert_eq!(denied[0].actor, Some(u.id));
    assert_eq!(denied[0].person_id, Some(p.id));
    let by_actor = s
        .audit_entries(&AuditQuery {
            actor: Some(u.id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_actor.len(), 1);
}

conformance!(backup_copies_the_embedded_database);
async fn backup_copies_the_embedded_database(f: &Fixture) {
    let s = &f.store;
    s.create_person(
        Actor::SYSTEM,
        child("Oli", "Example", date(2015, 2, 2), "C0012"),
    )
    .await
    .unwrap();
    let dir = std::env::temp_dir().join(format!("hearth-backup-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("copy.db");
    match s.backend() {
        "sqlite" => {
            s.backup(&target).await.unwrap();
            let copy = store::open(target.to_str().unwrap()).await.unwrap();
            assert_eq!(copy.count_people().await.unwrap(), 1);
            // A backup never overwrites a file.
            assert!(matches!(
                s.backup(&target).await,
                Err(StoreError::Invalid { .. })
            ));
        }
        _ => assert!(matches!(
            s.backup(&target).await,
            Err(StoreError::Unsupported(_))
        )),
    }
    let _ = std::fs::remove_dir_all(dir);
}

conformance!(reopening_applies_no_migration_twice);
async fn reopening_applies_no_migration_twice(f: &Fixture) {
    f.store
        .create_person(
            Actor::SYSTEM,
            child("Pat", "Example", date(2015, 3, 3), "C0013"),
        )
        .await
        .unwrap();
    let url = match &f.raw {
        crate::Raw::Sqlite(p) => p.display().to_string(),
        crate::Raw::Postgres { url, .. } => url.clone(),
    };
    let again = store::open(&url).await.unwrap();
    assert_eq!(again.count_people().await.unwrap(), 1);
}

conformance!(a_family_member_and_their_relationship_land_together);
async fn a_family_member_and_their_relationship_land_together(f: &Fixture) {
    let s = &f.store;
    let c = s
        .create_person(
            Actor::SYSTEM,
            child("Quin", "Example", date(2019, 4, 4), "C0014"),
        )
        .await
        .unwrap();
    let (gran, rel) = s
        .add_related_person(
            Actor::SYSTEM,
            adult("Rita", "Example"),
            "grandparent".into(),
            c.id,
        )
        .await
        .unwrap();
    assert_eq!(
        (rel.person_id, rel.related_person_id, rel.kind.as_str()),
        (gran.id, c.id, "grandparent")
    );
    let rec = s
        .view_child_record(Actor::SYSTEM, c.id, "test")
        .await
        .unwrap();
    assert_eq!(rec.relationships[0].other.id, gran.id);
    // Related to someone who does not exist: nothing is saved, not even the person.
    let before = s.count_people().await.unwrap();
    let err = s
        .add_related_person(
            Actor::SYSTEM,
            adult("Sam", "Nobody"),
            "parent".into(),
            uuid::Uuid::now_v7(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound("person")), "{err}");
    assert_eq!(s.count_people().await.unwrap(), before);
}

conformance!(concurrent_views_each_write_one_access_entry_before_returning);
async fn concurrent_views_each_write_one_access_entry_before_returning(f: &Fixture) {
    let s = &f.store;
    let sw = user(s, "many.viewers", Role::SocialWorker).await;
    let mut children = Vec::new();
    for i in 0..5 {
        let p = s
            .create_person(
                Actor::SYSTEM,
                child(
                    "Viewed",
                    &format!("Child{i}"),
                    date(2015, 1, 1 + i),
                    &format!("V000{i}"),
                ),
            )
            .await
            .unwrap();
        children.push(p.id);
    }
    const VIEWS: usize = 200;
    let mut tasks = Vec::new();
    for i in 0..VIEWS {
        let s = s.clone();
        let child = children[i % children.len()];
        let actor = Actor::user(sw.id);
        tasks.push(tokio::spawn(async move {
            let purpose = format!("concurrent view {i}");
            let rec = s.view_child_record(actor, child, &purpose).await.unwrap();
            assert_eq!(rec.person.id, child);
            // The entry is readable as soon as the view has returned.
            let mine = s
                .audit_entries(&AuditQuery {
                    person_id: Some(child),
                    action: Some(AuditAction::View),
                    limit: 10_000,
                    ..Default::default()
                })
                .await
                .unwrap()
                .into_iter()
                .filter(|e| e.detail == purpose)
                .count();
            assert_eq!(
                mine, 1,
                "view {i} returned before its access entry was readable"
            );
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let mut total = 0;
    for child in &children {
        let views = s
            .audit_entries(&AuditQuery {
                person_id: Some(*child),
                action: Some(AuditAction::View),
                limit: 10_000,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            views
                .iter()
                .all(|v| v.actor == Some(sw.id) && v.entity_type == "person")
        );
        total += views.len();
    }
    assert_eq!(total, VIEWS);
}
