//! The embedded database's files: the owner's only, the backup too.

#[cfg(unix)]
#[tokio::test]
async fn the_database_its_wal_and_a_backup_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("hearth-files-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("h.db");
    let store = store::open(db.to_str().unwrap()).await.unwrap();
    crate::user(&store, "sam", domain::access::Role::SocialWorker).await;
    let backup = dir.join("backup.db");
    store.backup(&backup).await.unwrap();
    for f in [
        db.clone(),
        dir.join("h.db-wal"),
        dir.join("h.db-shm"),
        backup.clone(),
    ] {
        let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} is {mode:o}", f.display());
    }
    // The backup is a whole database.
    let copy = store::open(backup.to_str().unwrap()).await.unwrap();
    assert_eq!(copy.list_users().await.unwrap().len(), 1);
    drop((store, copy));
    let _ = std::fs::remove_dir_all(&dir);
}
