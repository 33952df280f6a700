//! Benchmark: generate a council and bulk-load it into a fresh SQLite file, printing the times.
//!
//! `cargo run --release -p synth --example bench -- [children] [years] [seed] [postgres-url]`
//! (defaults 50,000 children, 5 years; `scripts/bench-synth` runs it). With a PostgreSQL URL
//! naming an empty database it loads there too. Also prints the council's
//! figures for the last complete collection year, for calibration work.

use std::time::Instant;

use chrono::NaiveDate;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let children: usize = args
        .first()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(50_000);
    let years: u32 = args.get(1).map(|a| a.parse()).transpose()?.unwrap_or(5);
    let seed: Option<u64> = args.get(2).map(|a| a.parse()).transpose()?;
    let as_at = NaiveDate::from_ymd_opt(2026, 11, 24).expect("a date");
    let mut spec = synth::Spec::demo(children, as_at);
    spec.years = years;
    if let Some(s) = seed {
        spec.seed = s;
    }

    let t = Instant::now();
    let council = synth::generate(&spec);
    let generated = t.elapsed();

    let dir = std::env::temp_dir().join(format!("hearth-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("bench.db");
    let store = store::open(path.to_str().expect("a UTF-8 path")).await?;
    let t = Instant::now();
    let counts = synth::load(&council, store.as_ref()).await?;
    let loaded = t.elapsed();
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);

    if let Some(url) = args.get(3) {
        let pg = store::open(url).await?;
        let t = Instant::now();
        synth::load(&council, pg.as_ref()).await?;
        println!(
            "bulk load into PostgreSQL: {:.2} s",
            t.elapsed().as_secs_f64()
        );
    }
    println!(
        "{children} children (population), {years} years: {} children on the record, {} rows",
        council.children_on_record(),
        counts.total()
    );
    println!("generate: {:.2} s", generated.as_secs_f64());
    println!("bulk load into SQLite: {:.2} s", loaded.as_secs_f64());
    println!("total: {:.2} s", (generated + loaded).as_secs_f64());
    let r = synth::rates::rates(&council, synth::rates::last_year_end(as_at));
    println!("{r:#?}");
    Ok(())
}
