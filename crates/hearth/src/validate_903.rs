//! `hearth validate 903 <dir or files>`: validates an SSDA903 return (its CSV tables, or its XML
//! form) with the DfE rules, from the files alone.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use returns::findings::{Severity, summary_by_rule};
use returns::ssda903::Reference;
use returns::ssda903::reference::{PostcodeDirectory, ProviderList, check_la_code};

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
    #[command(flatten)]
    pub reference: ReferenceArgs,
}

/// The reference data for the 903 rules that need more than the return.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ReferenceArgs {
    /// A postcode directory CSV (the ONS Postcode Directory or National Statistics Postcode
    /// Lookup, unzipped), for the rules on the placement's distance and local authority. Its
    /// compact form is kept beside it as `<file>.hearth` (where the folder may be written to),
    /// and used while newer than the CSV, as it loads far faster.
    #[arg(long, env = "HEARTH_POSTCODES")]
    pub postcodes: Option<PathBuf>,
    /// Ofsted's "Children's homes" and "Social care providers" lists (their Excel workbooks, or
    /// CSV files with the same columns), for the rules checking URNs.
    #[arg(long, num_args = 1.., value_delimiter = ',', env = "HEARTH_PROVIDERS")]
    pub providers: Vec<PathBuf>,
    /// The council's own LA code: its ONS GSS code (for example E08000016), for the rules on
    /// placements in and out of its area.
    #[arg(long, env = "HEARTH_LA")]
    pub la: Option<String>,
}

/// Reads a postcode directory: Hearth's compact form, or a CSV. A CSV's compact form is kept
/// beside it (`<file>.hearth`, where the folder may be written to) and used instead while it is
/// newer than the CSV, as it loads in a fraction of the time.
fn load_postcodes(path: &std::path::Path) -> anyhow::Result<PostcodeDirectory> {
    let name = path.display().to_string();
    let mut head = [0u8; 32];
    let n = {
        use std::io::Read;
        std::fs::File::open(path)
            .and_then(|mut f| f.read(&mut head))
            .with_context(|| format!("opening the postcode directory {name}"))?
    };
    if PostcodeDirectory::is_compact(&head[..n]) {
        let data = std::fs::read(path)
            .with_context(|| format!("reading the postcode directory {name}"))?;
        return Ok(PostcodeDirectory::read_compact(&name, &data)?);
    }
    let mut cache = path.as_os_str().to_owned();
    cache.push(".hearth");
    let cache = PathBuf::from(cache);
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(csv), Some(kept)) = (modified(path), modified(&cache))
        && kept >= csv
        && let Ok(bytes) = std::fs::read(&cache)
        && let Ok(dir) = PostcodeDirectory::read_compact(&cache.display().to_string(), &bytes)
    {
        return Ok(dir);
    }
    let file = std::fs::File::open(path)
        .with_context(|| format!("opening the postcode directory {name}"))?;
    let dir = PostcodeDirectory::read(&name, file)?;
    // Keep the compact form for next time, where the folder may be written to.
    let mut part = cache.as_os_str().to_owned();
    part.push(".part");
    let part = PathBuf::from(part);
    let kept = std::fs::File::create(&part)
        .and_then(|f| {
            let mut w = std::io::BufWriter::new(f);
            dir.write_compact(&mut w)?;
            std::io::Write::flush(&mut w)
        })
        .and_then(|()| std::fs::rename(&part, &cache));
    if kept.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    Ok(dir)
}

impl ReferenceArgs {
    /// Reads the reference data given.
    pub fn load(&self) -> anyhow::Result<Reference> {
        let la = match &self.la {
            Some(code) => Some(check_la_code(code).map_err(|e| anyhow::anyhow!("--la: {e}"))?),
            None => None,
        };
        let postcodes = match &self.postcodes {
            Some(path) => Some(load_postcodes(path)?),
            None => None,
        };
        let providers = if self.providers.is_empty() {
            None
        } else {
            let mut list = ProviderList::default();
            for path in &self.providers {
                let data = std::fs::read(path)
                    .with_context(|| format!("reading the provider list {}", path.display()))?;
                list.add_file(&path.display().to_string(), &data)?;
            }
            Some(list)
        };
        Ok(Reference {
            postcodes,
            providers,
            la,
        })
    }
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
    let reference = args.reference.load()?;
    let v = returns::ssda903::validate_full(&ret, previous.as_ref(), &reference, args.year);
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
    let (unimplemented, other): (Vec<_>, Vec<_>) = v
        .not_run
        .iter()
        .partition(|(_, why)| why == "not implemented in Hearth yet");
    if !unimplemented.is_empty() {
        say!(
            "  {} of the {} rules of 2025/26 are not run yet (not implemented in Hearth): {}",
            unimplemented.len(),
            v.not_run.len() + returns::ssda903::rules::IMPLEMENTED.len(),
            unimplemented
                .iter()
                .map(|(c, _)| *c)
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    for (code, why) in other {
        say!("  {code} is not run: {why}");
    }
    if !v.skipped.is_empty() {
        // Group the skipped rules by what they need.
        let mut by_reason: Vec<(&str, Vec<&str>)> = Vec::new();
        for (code, why) in &v.skipped {
            match by_reason.iter_mut().find(|(w, _)| w == why) {
                Some((_, codes)) => codes.push(code),
                None => by_reason.push((why, vec![code])),
            }
        }
        say!("  {} rules were not run:", v.skipped.len());
        for (why, codes) in by_reason {
            say!("    {} ({}): {}", why, codes.len(), codes.join(" "));
        }
        let mut give = Vec::new();
        for (what, option) in [
            (
                "previous year's return",
                "the previous year's return with --previous",
            ),
            (
                "postcode directory",
                "a postcode directory with --postcodes",
            ),
            (
                "Ofsted provider lists",
                "Ofsted's provider lists with --providers",
            ),
            ("LA code", "the council's LA code with --la"),
            (
                "social worker episodes table",
                "the SWEpisodes table as a CSV file beside the return",
            ),
        ] {
            if v.skipped.iter().any(|(_, why)| why.contains(what)) {
                give.push(option);
            }
        }
        if !give.is_empty() {
            say!("    (give {})", give.join(", "));
        }
    }
    crate::findings_out::write(&v.findings, args.findings_csv.as_ref(), args.xlsx.as_ref())?;
    // The command ends here: the operating system takes back the return's memory at once, where
    // freeing its millions of values one by one would take a noticeable part of the run.
    std::mem::forget((ret, previous, reference, v));
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
