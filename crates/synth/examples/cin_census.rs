//! Writes a synthetic CIN census: `cargo run --release -p synth --example cin_census -- 50000 cin.xml`.

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let path = args.next().unwrap_or_else(|| "cin-census.xml".into());
    let reference = chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    let census = synth::cin::census(2026, n, reference);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    returns::cin::write(&mut out, &census).unwrap();
    println!("wrote {n} children to {path}");
}
