//! Writes a synthetic council's statutory returns for a collection year, from the same journeys
//! `hearth demo` loads: the CIN census (XML) and the SSDA903 (CSV tables).
//! `cargo run --release -p synth --example council_returns -- [children] [year] [dir]`
//! (defaults: 50,000 children, the year ending 31 March 2026, `council-returns/`).

use chrono::NaiveDate;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let children: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let year: i32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "council-returns".into()));
    std::fs::create_dir_all(&dir)?;
    // The record runs to the autumn after the collection year, as a council's does at return time.
    let as_at = NaiveDate::from_ymd_opt(year, 11, 24).expect("a date");
    let council = synth::generate(&synth::Spec::demo(children, as_at));
    let reference = NaiveDate::from_ymd_opt(year, 3, 31).expect("31 March");
    let census = synth::census::cin_census(&council, reference, "999");
    let path = dir.join("cin-census.xml");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    returns::cin::write(&mut out, &census)?;
    let ret = synth::cla_return::ssda903(&council, year);
    returns::ssda903::write_dir(&ret, &dir)?;
    println!(
        "wrote the CIN census ({} children) and the SSDA903 ({} children) for the year to 31 March {year} to {}",
        census.children.len(),
        ret.rows(returns::ssda903::Table::Header).len(),
        dir.display()
    );
    Ok(())
}
