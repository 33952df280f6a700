//! `hearth export workforce-census --database DB --year YYYY --out FILE.xml`: the children's
//! social work workforce census for the year to 30 September from the stored record (the
//! workers' files, the cases held on 30 September, the council's vacancies), one audit entry
//! for the export; and `hearth validate workforce-census FILE.xml`: Hearth's checks of a census
//! file, from the file alone (`returns::csww`).

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: crate::DatabaseArg,
    /// The census year: its reference date is 30 September of this year.
    #[arg(long)]
    pub year: i32,
    /// The XML file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// The council's local authority code for the header.
    #[arg(long, default_value = "000")]
    pub lea: String,
}

pub async fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        (2000..=2100).contains(&args.year),
        "--year {}: the census year, whose reference date is 30 September, e.g. 2025",
        args.year
    );
    let store = crate::open(&args.db).await?;
    let (_, reference) = domain::workforce::indicators::census_year(args.year);
    let staff = store.staff().await.context("reading the workers' files")?;
    let held = store
        .cases_held(reference)
        .await
        .context("reading the cases held on 30 September")?;
    let vacancies = store
        .vacancies()
        .await?
        .into_iter()
        .find(|(y, _)| *y == args.year)
        .map(|(_, v)| v);
    let census =
        returns::csww::from_record::from_record(args.year, &args.lea, &staff, &held, vacancies);
    let mut out = std::io::BufWriter::new(
        File::create(&args.out).with_context(|| format!("creating {}", args.out.display()))?,
    );
    returns::csww::write(&mut out, &census)
        .with_context(|| format!("writing {}", args.out.display()))?;
    // The whole file is written before anything is said about it.
    std::io::Write::flush(&mut out).with_context(|| format!("writing {}", args.out.display()))?;
    drop(out);
    store
        .record_event(
            store::Actor::SYSTEM,
            domain::access::AuditAction::View,
            None,
            &format!(
                "exported the workforce census for 30 September {}: {} workers",
                args.year,
                census.workers.len()
            ),
        )
        .await
        .context("writing the export's audit entry")?;
    say!(
        "Workforce census for 30 September {} written to {}: {} workers, {} agency at the reference date{}",
        args.year,
        args.out.display(),
        census.workers.len(),
        census.agency_headcount,
        if vacancies.is_none() {
            " (no vacancies recorded for the year)"
        } else {
            ""
        }
    );
    say!(
        "Not written (not held by the record, or codes unconfirmed): PersonBirthDate, GenderCurrent/Sex, Ethnicity, QualInst, QualLevel, StepUpGrad, FrontlineGrad, StartOrigin, ContractWeeks, LeaverDestination, ReasonLeave"
    );
    let findings = returns::csww::validate(&census);
    say!("{} findings from Hearth's checks", findings.len());
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct ValidateArgs {
    /// The census XML file.
    pub file: PathBuf,
}

pub fn validate(args: ValidateArgs) -> anyhow::Result<ExitCode> {
    let file =
        File::open(&args.file).with_context(|| format!("opening {}", args.file.display()))?;
    let census = returns::csww::read(BufReader::new(file))
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let findings = returns::csww::validate(&census);
    say!(
        "{}: {} workers, {} findings (Hearth's checks CSWW-01 to CSWW-{:02}; not the DfE's numbered rules)",
        args.file.display(),
        census.workers.len(),
        findings.len(),
        returns::csww::RULES.len()
    );
    for f in &findings {
        say!(
            "  {} {} {}{}: {} ({})",
            f.rule_code,
            f.table,
            f.row
                .map(|r| format!("worker {} ", r + 1))
                .unwrap_or_default(),
            f.child.as_deref().unwrap_or(""),
            f.message,
            f.fields.join(", ")
        );
    }
    Ok(if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
