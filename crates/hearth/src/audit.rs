//! `hearth audit verify` and `hearth audit export`: the hash chains of the audit log (changes
//! and events) and the access log (views) checked, and either log written as JSON lines for the
//! council's SIEM.

use std::io::Write;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use domain::access::AuditLog;
use store::audit_chain::verify;

use crate::DatabaseArg;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the hash chains of the audit log and the access log from the first entry to the
    /// last. Exits 0 when both are whole, 1 naming the first entry deleted, changed or inserted
    /// around a chain.
    Verify {
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Write the audit log (changes and events) or the access log (views) as JSON lines (one
    /// entry a line, in chain order, with its log, seq and hashes) to standard output, for a
    /// SIEM. The export is itself recorded in the audit log.
    Export {
        #[command(flatten)]
        db: DatabaseArg,
        /// Which log: `audit` (changes and events) or `access` (views).
        #[arg(long, value_enum, default_value_t = LogArg::Audit)]
        log: LogArg,
        /// Only the entries after this place in the chain (the last seq already exported).
        #[arg(long, default_value_t = 0)]
        after: i64,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LogArg {
    Audit,
    Access,
}

impl From<LogArg> for AuditLog {
    fn from(l: LogArg) -> Self {
        match l {
            LogArg::Audit => AuditLog::Audit,
            LogArg::Access => AuditLog::Access,
        }
    }
}

/// How the log is named to the person running the command.
fn log_name(log: AuditLog) -> &'static str {
    match log {
        AuditLog::Audit => "The audit log",
        AuditLog::Access => "The access log",
    }
}

pub async fn run(command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Verify { db } => {
            let store = crate::open(&db).await?;
            let mut whole = true;
            for log in AuditLog::ALL {
                let report = verify(store.as_ref(), log).await?;
                match report.broken {
                    None => say!(
                        "{} is whole: {} entries, chain head {} {}",
                        log_name(log),
                        report.entries,
                        report.head.seq,
                        report.head.hash
                    ),
                    Some(b) => {
                        say!("{} is broken at {b}", log_name(log));
                        whole = false;
                    }
                }
            }
            Ok(if whole {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        AuditCommand::Export { db, log, after } => {
            let log = AuditLog::from(log);
            let store = crate::open(&db).await?;
            let (head, _) = store.audit_chain_head(log).await?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let mut last = after;
            let mut count = 0u64;
            loop {
                let page = store.audit_chain_page(log, last, head.seq, 10_000).await?;
                let Some(end) = page.last().and_then(|e| e.seq) else {
                    break;
                };
                for e in &page {
                    if let Err(err) = writeln!(out, "{}", e.to_json_line(log)) {
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
                    &format!(
                        "{} log exported: {count} entries after seq {after}, up to {last}",
                        log.as_str()
                    ),
                )
                .await?;
            eprintln!("Exported {count} entries (seq {} to {last})", after + 1);
            Ok(ExitCode::SUCCESS)
        }
    }
}
