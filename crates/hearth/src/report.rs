//! `hearth report`: the performance report for a period, from imported returns (a directory of
//! CIN census XML files and SSDA903 CSV tables) or from Hearth's own record, on the terminal and
//! as an Excel workbook.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use metrics::{Context, Events, Outcome, Period};

#[derive(clap::Args)]
pub struct Args {
    /// A directory of returns: CIN census XML files and/or the SSDA903 CSV tables. Without it
    /// the report is computed from the record (--database).
    #[arg(long)]
    pub from: Option<PathBuf>,
    /// The database to report from when --from is not given.
    #[arg(long, env = "HEARTH_DATABASE", default_value = "hearth.db")]
    pub database: String,
    /// The period: 2025-04..2026-03 (months) or 2025-04-01..2026-03-31.
    #[arg(long)]
    pub period: String,
    /// Children aged 0-17 in the area, for rates per 10,000.
    #[arg(long)]
    pub population: Option<f64>,
    /// The council's visiting standard for children on a plan, in working days.
    #[arg(long, default_value_t = 10)]
    pub cp_visit_days: u32,
    /// Write the report (indicators with trends, and definitions) to this Excel workbook.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Reads every CIN census (`*.xml`) and the SSDA903 (its `*.csv` tables, or its XML form) in a
/// directory. The 903 describes the collection year ending 31 March in the period's last
/// collection year.
pub fn events_from_returns(dir: &Path, period: Period) -> anyhow::Result<Events> {
    let mut ev = Events::default();
    let mut csvs = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_lowercase())
            .as_deref()
        {
            // The 903's XML form (root EXPSSDA903) goes with the 903's tables.
            Some("xml") if is_903_xml(&path)? => csvs.push(path),
            Some("xml") => {
                let f = std::fs::File::open(&path)
                    .with_context(|| format!("opening {}", path.display()))?;
                let census = returns::cin::read(std::io::BufReader::new(f))
                    .with_context(|| format!("reading the CIN census {}", path.display()))?;
                ev.add_cin(&census);
            }
            Some("csv") => csvs.push(path),
            _ => {}
        }
    }
    if !csvs.is_empty() {
        let ret = returns::ssda903::read_paths(&csvs).context("reading the SSDA903 tables")?;
        let year = domain::calendar::collection_year(period.to);
        let year_end = chrono::NaiveDate::from_ymd_opt(i32::from(year), 3, 31).expect("31 March");
        ev.add_903(&ret, year_end);
    }
    if ev.sources.is_empty() {
        anyhow::bail!(
            "{} holds no CIN census (.xml) or SSDA903 (.csv tables or its .xml form)",
            dir.display()
        );
    }
    Ok(ev)
}

/// Whether an XML file is the SSDA903's XML form rather than a CIN census: its root element,
/// within the first few kilobytes, is `EXPSSDA903`.
fn is_903_xml(path: &Path) -> anyhow::Result<bool> {
    use std::io::Read;
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)
        .with_context(|| format!("opening {}", path.display()))?
        .take(4096)
        .read_to_end(&mut head)
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(head.windows(11).any(|w| w == b"<EXPSSDA903"))
}

pub async fn run(args: Args) -> anyhow::Result<std::process::ExitCode> {
    let period = metrics::report::refuse_future(
        Period::parse(&args.period).map_err(anyhow::Error::msg)?,
        domain::calendar::uk_now().date(),
    )
    .map_err(anyhow::Error::msg)?;
    let started = Instant::now();
    let ev = match &args.from {
        Some(dir) => events_from_returns(dir, period)?,
        None => {
            let store = store::open(&args.database)
                .await
                .with_context(|| format!("opening the database {}", args.database))?;
            let x = store.extract().await?;
            store
                .record_event(
                    store::Actor::SYSTEM,
                    domain::access::AuditAction::View,
                    None,
                    &format!(
                        "performance report {} computed from the record (command line)",
                        args.period
                    ),
                )
                .await?;
            Events::from_record(&x)
        }
    };
    let loaded = started.elapsed();
    let ctx = Context {
        population: args.population,
        cp_visit_days: args.cp_visit_days,
    };
    // What the command writes goes to analysts and on to councillors: small numbers (a count of
    // 1 to 5, and what is made from one) are withheld, as on the page for those who do not open
    // records.
    let report = metrics::report::suppress_small_numbers(metrics::build(&ev, period, &ctx));
    let computed = started.elapsed() - loaded;
    say!(
        "Performance report {} to {}, from {} (read in {:.2} s, computed in {:.3} s)",
        period.from.format("%-d %B %Y"),
        period.to.format("%-d %B %Y"),
        report.sources.join(" and "),
        loaded.as_secs_f64(),
        computed.as_secs_f64()
    );
    if let Some(note) = metrics::report::period_note(period) {
        say!("  {note}");
    }
    let (mut unavailable, mut suppressed) = (0, 0);
    for r in &report.rows {
        let ind = r.indicator;
        match &r.outcome {
            Outcome::Value(f) => {
                let england = ind
                    .england
                    .map(|e| format!("England {}", ind.format(e)))
                    .unwrap_or_default();
                let compared = match (r.rag_england, &r.not_compared) {
                    (Some(rag), _) => format!("{} England", rag.words().to_lowercase()),
                    (None, Some(why)) => why.clone(),
                    (None, None) => String::new(),
                };
                say!(
                    "  {:>4}  {:<58} {:>12}  {:<20} ({})  {england}  {compared}",
                    ind.id,
                    ind.name,
                    ind.format(f.value),
                    ind.unit_label(),
                    metrics::report::numbers_text(ind, f).unwrap_or_default(),
                );
            }
            Outcome::Unavailable(_) if r.suppressed => suppressed += 1,
            Outcome::Unavailable(_) => unavailable += 1,
        }
    }
    if suppressed > 0 {
        say!(
            "  {suppressed} indicators are withheld: made from fewer than 6 children, which could identify a child."
        );
    }
    say!(
        "  {unavailable} indicators have no value from this data (the workbook says why for each)."
    );
    if let Some(out) = &args.out {
        let bytes = metrics::report::to_xlsx(&report)?;
        std::fs::write(out, bytes).with_context(|| format!("writing {}", out.display()))?;
        say!("Wrote {}", out.display());
    }
    Ok(std::process::ExitCode::SUCCESS)
}
