//! Writes a synthetic SSDA903 return's CSV files, optionally with mistakes in about M rows in
//! every thousand, optionally synthetic reference data for it (a postcode directory padded
//! with P more postcodes, and an Ofsted-style provider list) in `<dir>-reference/`, and
//! optionally its XML form too:
//! `cargo run --release -p synth --example ssda903_return -- 50000 target/903 [M] [P] [--xml DIR]`.
//! The reference data is made from the clean return, so the mistakes show in the rules using it.
//! With `--xml DIR`, DIR gets `ssda903.xml` and, since the XML form has no place for them, the
//! social worker episodes as `sw_episodes.csv`.

use returns::ssda903::{Return, Table};

/// The return as the XML form can hold it: the XML has one date of birth and sex a child (in its
/// HEADER), so the copies in the other tables (where a mistake may have changed them) are taken
/// from the Header; and it has no place for an OC3 or AD1 row whose items are all blank.
fn fit_for_xml(ret: &Return) -> Return {
    let mut out = ret.clone();
    let h = Table::Header;
    let header: std::collections::HashMap<String, (String, String)> = ret
        .rows(h)
        .iter()
        .map(|r| {
            (
                r[h.col("CHILD")].clone(),
                (r[h.col("DOB")].clone(), r[h.col("SEX")].clone()),
            )
        })
        .collect();
    for (t, rows) in out.tables.iter_mut() {
        if *t == h {
            continue;
        }
        let dob = t.columns().iter().position(|c| *c == "DOB");
        let sex = (*t == Table::Uasc).then(|| t.col("SEX"));
        for r in rows.rows.iter_mut() {
            if let Some((d, s)) = header.get(&r[0]) {
                if let Some(c) = dob {
                    r[c] = d.clone();
                }
                if let Some(c) = sex {
                    r[c] = s.clone();
                }
            }
        }
        if matches!(t, Table::Oc3 | Table::Ad1) {
            rows.rows.retain(|r| r[2..].iter().any(|v| !v.is_empty()));
        }
    }
    out
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let xml_dir = args.iter().position(|a| a == "--xml").map(|i| {
        let dir = args.get(i + 1).cloned().expect("--xml needs a directory");
        args.drain(i..i + 2);
        dir
    });
    let mut args = args.into_iter();
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
    if let Some(xml) = xml_dir {
        let fit = fit_for_xml(&ret);
        if let Err(e) = returns::ssda903::xml::write_xml_dir(&fit, std::path::Path::new(&xml)) {
            eprintln!("the XML form could not be written: {e}");
            std::process::exit(1);
        }
        println!("wrote the return's XML form to {xml}");
    }
}
