//! Writes a synthetic SSDA903 return's CSV files, optionally with mistakes in about M rows in
//! every thousand:
//! `cargo run --release -p synth --example ssda903_return -- 50000 target/903 [M]`.

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let dir = args.next().unwrap_or_else(|| "ssda903-return".into());
    let mistakes: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    let mut ret = synth::ssda903::return_903(2026, n, 2026);
    if mistakes > 0 {
        synth::ssda903::add_mistakes(&mut ret, 2026, mistakes);
    }
    returns::ssda903::write_dir(&ret, std::path::Path::new(&dir)).unwrap();
    println!("wrote {n} children to {dir} ({mistakes} mistakes a thousand rows)");
}
