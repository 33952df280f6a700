//! Writes a synthetic SSDA903 return's CSV files, optionally with mistakes in about M rows in
//! every thousand, and optionally synthetic reference data for it (a postcode directory padded
//! with P more postcodes, and an Ofsted-style provider list) in `<dir>-reference/`:
//! `cargo run --release -p synth --example ssda903_return -- 50000 target/903 [M] [P]`.
//! The reference data is made from the clean return, so the mistakes show in the rules using it.

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let dir = args.next().unwrap_or_else(|| "ssda903-return".into());
    let mistakes: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    let padding: Option<usize> = args.next().and_then(|a| a.parse().ok());
    let mut ret = synth::ssda903::return_903(2026, n, 2026);
    if let Some(extra) = padding {
        let refdir = std::path::PathBuf::from(format!("{dir}-reference"));
        std::fs::create_dir_all(&refdir).unwrap();
        let file = std::fs::File::create(refdir.join("postcodes.csv")).unwrap();
        let written = synth::ssda903_reference::write_postcodes(&ret, extra, file).unwrap();
        std::fs::write(
            refdir.join("providers.csv"),
            synth::ssda903_reference::providers_csv(&ret),
        )
        .unwrap();
        println!(
            "wrote {written} postcodes and the providers to {} (council {})",
            refdir.display(),
            synth::ssda903_reference::LA
        );
    }
    if mistakes > 0 {
        synth::ssda903::add_mistakes(&mut ret, 2026, mistakes);
    }
    returns::ssda903::write_dir(&ret, std::path::Path::new(&dir)).unwrap();
    println!("wrote {n} children to {dir} ({mistakes} mistakes a thousand rows)");
}
