//! The write cost of SQLite's `synchronous=FULL` (Hearth's setting) against `NORMAL`: one change
//! after another, each its own transaction with its audit entry (the case record's write path),
//! and the same with many writers at once. Run: `cargo run --release -p store --example bench_sync`
//! (optional arguments: writes per run, concurrent writers).

use std::time::Instant;

use domain::access::AuditAction;
use sqlx::sqlite::SqliteSynchronous;
use store::{Access, Actor, SqliteStore};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let writers: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(8);
    // On the disk the database will live on (a tmpfs /tmp makes every sync free).
    let base = std::env::var_os("HEARTH_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir = base.join(format!("hearth-bench-sync-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, mode) in [
        ("NORMAL", SqliteSynchronous::Normal),
        ("FULL", SqliteSynchronous::Full),
    ] {
        let path = dir.join(format!("{name}.db"));
        let store = std::sync::Arc::new(SqliteStore::open_with(&path, mode).await.unwrap());
        // One writer: each change waits for its own commit.
        let start = Instant::now();
        for i in 0..n {
            store
                .record_event(
                    Actor::SYSTEM,
                    AuditAction::Update,
                    None,
                    &format!("bench {i}"),
                )
                .await
                .unwrap();
        }
        let serial = start.elapsed();
        // Many writers at once.
        let start = Instant::now();
        let mut tasks = Vec::new();
        for w in 0..writers {
            let s = store.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..n / writers {
                    s.record_event(
                        Actor::SYSTEM,
                        AuditAction::Update,
                        None,
                        &format!("w{w} {i}"),
                    )
                    .await
                    .unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let concurrent = start.elapsed();
        println!(
            "synchronous={name:6} one writer: {n} commits in {:.2}s ({:.3} ms each, {:.0}/s); {writers} writers: {:.2}s ({:.0}/s)",
            serial.as_secs_f64(),
            serial.as_secs_f64() * 1000.0 / n as f64,
            n as f64 / serial.as_secs_f64(),
            concurrent.as_secs_f64(),
            (n / writers * writers) as f64 / concurrent.as_secs_f64(),
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
