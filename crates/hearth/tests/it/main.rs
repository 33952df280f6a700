//! Tests of the `hearth` command itself, run as a separate process.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh temporary directory for one test.
fn temp(what: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("hearth-cli-{}-{what}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Runs `hearth validate 903` on the paths: the exit code, standard output and standard error.
fn validate_903(paths: &[&Path]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["validate", "903"])
        .args(paths)
        .output()
        .expect("hearth runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn validate_903_without_social_worker_episodes_says_so_once() {
    let ret = synth::ssda903::return_903(9, 300, 2026);
    let xml = temp("no-sw");
    returns::ssda903::xml::write_xml_dir(&ret, &xml).unwrap();
    // The XML file alone: no SWEpisodes table.
    let (_, out, err) = validate_903(&[&xml.join("ssda903.xml")]);
    assert!(!out.contains("SWEpisodes ("), "{out}{err}");
    assert!(
        !out.lines()
            .any(|l| l.contains("SW12STG2") && l.contains("findings")),
        "no SW12 finding: {out}"
    );
    let line = "needs the social worker episodes table (SWEpisodes), which was not supplied (14)";
    assert_eq!(out.matches(line).count(), 1, "{out}");
    assert!(out.contains("the SWEpisodes table as a CSV file"), "{out}");
}

#[test]
fn validate_903_reads_the_xml_form_as_well_as_csv() {
    use returns::ssda903::Table;
    let mut ret = synth::ssda903::return_903(8, 400, 2026);
    // One mistake, to see the same finding from both forms.
    ret.tables.get_mut(&Table::Header).unwrap().rows[3][Table::Header.col("ETHNIC")] =
        "NOPE".into();
    let (csv, xml) = (temp("csv"), temp("xml"));
    returns::ssda903::write_dir(&ret, &csv).unwrap();
    returns::ssda903::xml::write_xml_dir(&ret, &xml).unwrap();

    let (code, out, err) = validate_903(&[&csv]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("903 return (CSV)"), "{out}");
    assert!(out.contains("1 errors and "), "{out}");
    assert!(
        out.contains("needs the UASC flag of the XML form") && out.contains(": 105 303"),
        "{out}"
    );

    // The directory holding ssda903.xml and sw_episodes.csv, and the two files named.
    for paths in [
        vec![xml.clone()],
        vec![xml.join("ssda903.xml"), xml.join("sw_episodes.csv")],
    ] {
        let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        let (code, out, err) = validate_903(&paths);
        assert_eq!(code, 1, "{out}{err}");
        assert!(out.contains("903 return (XML)"), "{out}");
        assert!(out.contains("SWEpisodes ("), "{out}");
        assert!(out.contains("1 errors and "), "{out}");
        assert!(out.contains("103"), "{out}");
        assert!(
            !out.contains("needs the UASC flag of the XML form"),
            "{out}"
        );
    }

    // An XML file with CSV copies of its tables: refused.
    let (code, _, err) = validate_903(&[&xml.join("ssda903.xml"), &csv.join("header.csv")]);
    assert_eq!(code, 2);
    assert!(err.contains("only SWEpisodes may come as CSV"), "{err}");
    // A broken XML file: a clear error naming the file and line, and exit code 2.
    let bad = xml.join("ssda903.xml");
    let text = std::fs::read_to_string(&bad).unwrap();
    std::fs::write(
        &bad,
        text.replacen("<EPISODE>", "<EPISODE><PLACE>U4</PLACE>", 1),
    )
    .unwrap();
    let (code, _, err) = validate_903(&[&bad]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("ssda903.xml, row ")
            && err.contains("<PLACE> is not an item of a 903 EPISODE (the placement type is <PL>)"),
        "{err}"
    );
    for d in [csv, xml] {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// Runs `hearth report --from DIR` for 2025/26: its lines after the first (which gives timings).
fn report_from(dir: &Path) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["report", "--period", "2025-04..2026-03", "--from"])
        .arg(dir)
        .output()
        .expect("hearth runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout.lines().skip(1).map(str::to_string).collect()
}

#[test]
fn report_reads_the_903_xml_form_as_well_as_its_csv_tables() {
    let ret = synth::ssda903::return_903(9, 600, 2026);
    let (csv, xml) = (temp("report-csv"), temp("report-xml"));
    returns::ssda903::write_dir(&ret, &csv).unwrap();
    returns::ssda903::xml::write_xml_dir(&ret, &xml).unwrap();
    let from_csv = report_from(&csv);
    // Placement moves (indicator 24) come out of the return.
    assert!(
        from_csv
            .iter()
            .any(|l| l.trim_start().starts_with("24 ") && l.contains(" / ")),
        "{from_csv:#?}"
    );
    assert_eq!(report_from(&xml), from_csv);
    let _ = (std::fs::remove_dir_all(&csv), std::fs::remove_dir_all(&xml));
}
