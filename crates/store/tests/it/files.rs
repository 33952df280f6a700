//! The embedded database's files: the owner's only, the backup too; the access log's file
//! beside the database, copied by the backup, and never silently replaced.

#[cfg(unix)]
#[tokio::test]
async fn the_database_its_wal_its_access_log_and_a_backup_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("hearth-files-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("h.db");
    let store = store::open(db.to_str().unwrap()).await.unwrap();
    let sam = crate::user(&store, "sam", domain::access::Role::SocialWorker).await;
    store
        .record_views(store::Actor::user(sam.id), "children", &[], "GET /children")
        .await
        .unwrap();
    let backup = dir.join("backup.db");
    store.backup(&backup).await.unwrap();
    assert_eq!(store::access_log_path(&db), dir.join("h-access.db"));
    for f in [
        db.clone(),
        dir.join("h.db-wal"),
        dir.join("h.db-shm"),
        dir.join("h-access.db"),
        dir.join("h-access.db-wal"),
        dir.join("h-access.db-shm"),
        backup.clone(),
        dir.join("backup-access.db"),
    ] {
        let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} is {mode:o}", f.display());
    }
    // The backup is a whole database with its access log.
    let copy = store::open(backup.to_str().unwrap()).await.unwrap();
    assert_eq!(copy.list_users().await.unwrap().len(), 1);
    let views = copy
        .audit_entries(&store::AuditQuery {
            action: Some(domain::access::AuditAction::View),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(views.len(), 1, "{views:?}");
    assert_eq!(views[0].detail, "GET /children");
    // A second backup to the same place is refused.
    assert!(store.backup(&backup).await.is_err());
    drop((store, copy));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A database whose access log's file has gone is refused when it opens (the views it held
/// would otherwise be replaced by an empty log without a word); a database from before the
/// access log had its own file gets one.
#[tokio::test]
async fn a_database_whose_access_log_has_gone_is_refused() {
    let dir = std::env::temp_dir().join(format!("hearth-files-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("h.db");
    let store = store::open(db.to_str().unwrap()).await.unwrap();
    crate::user(&store, "sam", domain::access::Role::SocialWorker).await;
    drop(store);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("h-access.db{suffix}")));
    }
    let err = match store::open(db.to_str().unwrap()).await {
        Ok(_) => panic!("opened without its access log"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.contains("access log") && err.contains("missing"),
        "{err}"
    );
    assert!(!dir.join("h-access.db").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
