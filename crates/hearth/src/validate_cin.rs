//! `hearth validate cin <file.xml>`: validates a CIN census with the DfE rules, from the file alone.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use returns::findings::{Severity, summary_by_rule};

#[derive(clap::Args)]
pub struct Args {
    /// The census XML file.
    pub file: PathBuf,
    /// Write the findings one a line (rule_code,table,row,child,fields) to this CSV file.
    #[arg(long)]
    pub findings_csv: Option<PathBuf>,
    /// Write the findings and a summary by rule to this Excel workbook.
    #[arg(long)]
    pub xlsx: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let file =
        File::open(&args.file).with_context(|| format!("opening {}", args.file.display()))?;
    let v = returns::cin::validate_stream(BufReader::with_capacity(1 << 20, file))
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let errors = v
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let queries = v.findings.len() - errors;
    say!(
        "{}: {} children, {} errors and {} queries ({:.2} s)",
        args.file.display(),
        v.children,
        errors,
        queries,
        started.elapsed().as_secs_f64()
    );
    for s in summary_by_rule(&v.findings).iter().take(25) {
        let kind = if s.severity == Severity::Error {
            "error"
        } else {
            "query"
        };
        say!(
            "  {:>6} {kind} {:>7} findings {:>7} children  {}",
            s.rule_code,
            s.findings,
            s.children,
            s.message
        );
    }
    for (code, why) in &v.not_run {
        say!("  not run: {code}: {why}");
    }
    crate::findings_out::write(&v.findings, args.findings_csv.as_ref(), args.xlsx.as_ref())?;
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
