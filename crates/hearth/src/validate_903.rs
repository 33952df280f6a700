//! `hearth validate 903 <dir or files>`: validates an SSDA903 return (its CSV tables, or its XML
//! form) with the DfE rules, from the files alone.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use returns::findings::{Severity, summary_by_rule};

#[derive(clap::Args)]
pub struct Args {
    /// The return's CSV files or XML file (with, at most, a CSV SWEpisodes table), or a directory
    /// holding them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The collection year, named by its end (2026 is 1 April 2025 to 31 March 2026).
    #[arg(long, default_value_t = 2026)]
    pub year: i32,
    /// The previous year's return (its XML file, or directory of files), for the rules that
    /// compare years.
    #[arg(long)]
    pub previous: Option<PathBuf>,
    /// Write the findings one a line (rule_code,table,row,child,fields) to this CSV file.
    #[arg(long)]
    pub findings_csv: Option<PathBuf>,
    /// Write the findings and a summary by rule to this Excel workbook.
    #[arg(long)]
    pub xlsx: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.year != 2026 {
        anyhow::bail!(
            "Hearth has the 2025/26 (year 2026) 903 rules only; {} is not supported",
            args.year
        );
    }
    let started = Instant::now();
    let ret = returns::ssda903::read_paths(&args.paths)?;
    let previous = match &args.previous {
        Some(prev) => Some(
            returns::ssda903::read_paths(std::slice::from_ref(prev))
                .with_context(|| format!("reading the previous return in {}", prev.display()))?,
        ),
        None => None,
    };
    let v = returns::ssda903::validate_with_previous(&ret, previous.as_ref(), args.year);
    let errors = v
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let tables: Vec<String> = ret
        .tables
        .iter()
        .map(|(t, r)| format!("{} ({} rows)", t.name(), r.rows.len()))
        .collect();
    let form = if ret.uasc_flags.is_some() {
        "XML"
    } else {
        "CSV"
    };
    say!("903 return ({form}): {}", tables.join(", "));
    say!(
        "{} errors and {} queries ({:.2} s)",
        errors,
        v.findings.len() - errors,
        started.elapsed().as_secs_f64()
    );
    for s in summary_by_rule(&v.findings).iter().take(25) {
        say!(
            "  {:>6} {:>7} findings {:>7} children  {}",
            s.rule_code,
            s.findings,
            s.children,
            s.message
        );
    }
    say!(
        "  {} of the {} rules of 2025/26 are not run yet (not implemented in Hearth): {}",
        v.not_run.len(),
        v.not_run.len() + returns::ssda903::rules::IMPLEMENTED.len(),
        v.not_run
            .iter()
            .map(|(c, _)| *c)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let (previous_year, other): (Vec<_>, Vec<_>) = v
        .skipped
        .iter()
        .partition(|(c, _)| returns::ssda903::rules::PREVIOUS_YEAR.contains(c));
    if !previous_year.is_empty() {
        say!(
            "  {} rules compare with the previous year's return and were not run (give it with --previous): {}",
            previous_year.len(),
            previous_year
                .iter()
                .map(|(c, _)| *c)
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    for (code, why) in other {
        say!("  {code} was not run: it {why}");
    }
    crate::findings_out::write(&v.findings, args.findings_csv.as_ref(), args.xlsx.as_ref())?;
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
