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
fn report_refuses_a_period_that_has_not_happened() {
    let dir = temp("report-future");
    returns::ssda903::write_dir(&synth::ssda903::return_903(9, 50, 2026), &dir).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["report", "--period", "2030-01..2030-03", "--from"])
        .arg(&dir)
        .output()
        .expect("hearth runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("after today"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
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
            .any(|l| l.trim_start().starts_with("24 ") && l.contains(" of ")),
        "{from_csv:#?}"
    );
    assert_eq!(report_from(&xml), from_csv);
    let _ = (std::fs::remove_dir_all(&csv), std::fs::remove_dir_all(&xml));
}

/// Runs `hearth` with the arguments: the exit code, standard output and standard error.
fn hearth(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("hearth runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs SQL straight on a SQLite file, as someone with a copy of the database could.
fn tamper(db: &Path, statements: &[&'static str]) {
    use sqlx::Connection;
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        for s in statements {
            sqlx::query(*s).execute(&mut c).await.unwrap();
        }
    });
}

#[test]
fn audit_verify_names_the_first_broken_entry_and_export_writes_json_lines() {
    let dir = temp("audit");
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("h.db");
    let dbs = db.to_str().unwrap();
    for name in ["ann", "bob", "cat"] {
        let (code, out, err) = hearth(
            &[
                "user",
                "add",
                name,
                "--role",
                "social_worker",
                "--database",
                dbs,
            ],
            &[("HEARTH_PASSWORD", "plum kettle harbour 42")],
        );
        assert_eq!(code, 0, "{out}{err}");
    }
    let (code, out, err) = hearth(&["audit", "verify", "--database", dbs], &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("The audit log is whole: 3 entries"), "{out}");
    assert!(out.contains("The access log is whole: 0 entries"), "{out}");

    let (code, out, err) = hearth(&["audit", "export", "--database", dbs], &[]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["seq"], 2);
    assert_eq!(lines[1]["prev_hash"], lines[0]["hash"]);
    assert_eq!(lines[2]["action"], "create");
    // Only what is new since the last export; the export itself is in the log.
    let (_, out, _) = hearth(&["audit", "export", "--after", "3", "--database", dbs], &[]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("audit log exported: 3 entries"), "{out}");
    // The access log (views) is exported on its own; none yet.
    let (code, out, err) = hearth(
        &["audit", "export", "--log", "access", "--database", dbs],
        &[],
    );
    assert_eq!((code, out.lines().count()), (0, 0), "{out}{err}");

    tamper(
        &db,
        &[
            "DROP TRIGGER audit_no_update",
            "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 2",
        ],
    );
    let (code, out, err) = hearth(&["audit", "verify", "--database", dbs], &[]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("broken at entry 2 (id "), "{out}");
    assert!(out.contains("changed"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn user_commands_deactivate_reset_set_role_and_end_sessions_and_refuse_weak_passwords() {
    let dir = temp("users");
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("h.db");
    let dbs = db.to_str().unwrap();
    let pw = [("HEARTH_PASSWORD", "plum kettle harbour 42")];
    let weak = [("HEARTH_PASSWORD", "aaaaaaaaaaaa")];
    let (code, _, err) = hearth(
        &[
            "user",
            "add",
            "sam",
            "--role",
            "social_worker",
            "--database",
            dbs,
        ],
        &weak,
    );
    assert_eq!(code, 2);
    assert!(err.contains("repeat a few characters"), "{err}");
    let (code, out, err) = hearth(
        &[
            "user",
            "add",
            "sam",
            "--role",
            "social_worker",
            "--database",
            dbs,
        ],
        &pw,
    );
    assert_eq!(code, 0, "{out}{err}");
    let run = |args: &[&str]| {
        let mut a = args.to_vec();
        a.extend(["--database", dbs]);
        let (code, out, err) = hearth(&a, &pw);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
        out
    };
    assert!(run(&["user", "set-role", "sam", "team_manager"]).contains("sam is now Team manager"));
    assert!(run(&["user", "reset-password", "sam"]).contains("Set a new password for sam"));
    assert!(run(&["user", "end-sessions", "sam"]).contains("Ended 0 sessions of sam"));
    assert!(run(&["user", "deactivate", "sam"]).contains("Deactivated sam"));
    let list = run(&["user", "list"]);
    assert!(list.contains("sam\tteam_manager\tinactive"), "{list}");
    run(&["user", "activate", "sam"]);
    assert!(run(&["user", "list"]).contains("sam\tteam_manager\tactive"));
    let (code, _, err) = hearth(&["user", "deactivate", "nobody", "--database", dbs], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("no account \"nobody\""), "{err}");
    // Each change is audited, and the chain still verifies.
    let (code, out, _) = hearth(&["audit", "verify", "--database", dbs], &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("whole: 6 entries"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_checks_its_single_sign_on_settings_before_starting() {
    let dir = std::env::temp_dir().join(format!("hearth-cli-sso-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("h.db");
    let db = db.to_str().unwrap();
    let base = [
        "serve",
        "--database",
        db,
        "--listen",
        "127.0.0.1:0",
        "--oidc-issuer",
        "https://id.council.example/tenant/v2.0",
        "--oidc-client-id",
        "hearth",
    ];
    let (code, _, err) = hearth(&base, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--oidc-redirect-url is needed"), "{err}");
    let mut args = base.to_vec();
    args.extend([
        "--oidc-redirect-url",
        "https://hearth.council.example/sign-in/sso/callback",
        "--oidc-role-map",
        "Hearth.Captain=captain",
    ]);
    let (code, _, err) = hearth(&args, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown role \"captain\""), "{err}");
    // Single sign-on alone needs a provider.
    let (code, _, err) = hearth(&["serve", "--database", db, "--no-local-accounts"], &[]);
    assert_ne!(code, 0);
    assert!(err.contains("--oidc-issuer"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
