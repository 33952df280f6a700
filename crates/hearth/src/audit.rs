//! `hearth audit verify` and `hearth audit export`: the audit log's hash chain checked, and the
//! log written as JSON lines for the council's SIEM.

use std::io::Write;
use std::process::ExitCode;

use clap::Subcommand;
use store::audit_chain::verify;

use crate::DatabaseArg;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain from the first entry to the last. Exits 0 when it is
    /// whole, 1 naming the first entry deleted, changed or inserted around the chain.
    Verify {
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Write the audit log as JSON lines (one entry a line, in chain order, with its seq and
    /// hashes) to standard output, for a SIEM. The export is itself recorded in the log.
    Export {
        #[command(flatten)]
        db: DatabaseArg,
        /// Only the entries after this place in the chain (the last seq already exported).
        #[arg(long, default_value_t = 0)]
        after: i64,
    },
}

pub async fn run(command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Verify { db } => {
            let store = crate::open(&db).await?;
            let report = verify(store.as_ref()).await?;
            match report.broken {
                None => {
                    say!(
                        "The audit log is whole: {} entries, chain head {} {}",
                        report.entries,
                        report.head.seq,
                        report.head.hash
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Some(b) => {
                    say!("The audit log is broken at {b}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        AuditCommand::Export { db, after } => {
            let store = crate::open(&db).await?;
            let (head, _) = store.audit_chain_head().await?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let mut last = after;
            let mut count = 0u64;
            loop {
                let page = store.audit_chain_page(last, head.seq, 10_000).await?;
                let Some(end) = page.last().and_then(|e| e.seq) else {
                    break;
                };
                for e in &page {
                    if let Err(err) = writeln!(out, "{}", e.to_json_line()) {
                        if err.kind() == std::io::ErrorKind::BrokenPipe {
                            return Ok(ExitCode::SUCCESS);
                        }
                        return Err(err.into());
                    }
                }
                count += page.len() as u64;
                last = end;
            }
            out.flush()?;
            drop(out);
            store
                .record_event(
                    store::Actor::SYSTEM,
                    domain::access::AuditAction::View,
                    None,
                    &format!("audit log exported: {count} entries after seq {after}, up to {last}"),
                )
                .await?;
            eprintln!("Exported {count} entries (seq {} to {last})", after + 1);
            Ok(ExitCode::SUCCESS)
        }
    }
}
