//! Tests of the 903: a baseline return that passes every implemented rule, and for each rule a
//! change, from the rule's text, that makes it fail; reading, writing and bad input.

use proptest::prelude::*;

use super::*;

fn table(t: Table, rows: &[&[(&str, &str)]]) -> Rows {
    Rows {
        rows: rows
            .iter()
            .map(|r| {
                t.columns()
                    .iter()
                    .map(|c| {
                        r.iter()
                            .find(|(k, _)| k == c)
                            .map(|(_, v)| v.to_string())
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect(),
    }
}

/// One child in care since 2024, with a placement move in the year, reviews and an OC2 record.
fn baseline() -> Return {
    let mut r = Return::default();
    r.tables.insert(
        Table::Header,
        table(
            Table::Header,
            &[&[
                ("CHILD", "101"),
                ("SEX", "F"),
                ("DOB", "03/02/2012"),
                ("ETHNIC", "WBRI"),
                ("UPN", "UN2"),
                ("MOTHER", "0"),
            ]],
        ),
    );
    r.tables.insert(
        Table::Episodes,
        table(
            Table::Episodes,
            &[
                &[
                    ("CHILD", "101"),
                    ("DECOM", "01/03/2024"),
                    ("RNE", "S"),
                    ("LS", "C2"),
                    ("CIN", "N1"),
                    ("PLACE", "U4"),
                    ("PLACE_PROVIDER", "PR1"),
                    ("DEC", "10/06/2025"),
                    ("REC", "X1"),
                    ("REASON_PLACE_CHANGE", "CARPL"),
                ],
                &[
                    ("CHILD", "101"),
                    ("DECOM", "10/06/2025"),
                    ("RNE", "P"),
                    ("LS", "C2"),
                    ("CIN", "N1"),
                    ("PLACE", "U6"),
                    ("PLACE_PROVIDER", "PR4"),
                ],
            ],
        ),
    );
    r.tables.insert(
        Table::Reviews,
        table(
            Table::Reviews,
            &[&[
                ("CHILD", "101"),
                ("DOB", "03/02/2012"),
                ("REVIEW", "20/05/2025"),
                ("REVIEW_CODE", "PN1"),
            ]],
        ),
    );
    r.tables.insert(
        Table::Oc2,
        table(
            Table::Oc2,
            &[&[
                ("CHILD", "101"),
                ("DOB", "03/02/2012"),
                ("SDQ_SCORE", "14"),
                ("IMMUNISATIONS", "1"),
            ]],
        ),
    );
    r.tables.insert(Table::Uasc, table(Table::Uasc, &[]));
    r
}

fn set(r: &mut Return, t: Table, row: usize, col: &str, v: &str) {
    let c = t.col(col);
    r.tables.get_mut(&t).unwrap().rows[row][c] = v.to_string();
}

type Mutation = fn(&mut Return);

fn failing_cases() -> Vec<(&'static str, Mutation)> {
    vec![
        ("101", |r| set(r, Table::Header, 0, "SEX", "2")),
        ("102", |r| set(r, Table::Header, 0, "DOB", "31/02/2012")),
        ("103", |r| set(r, Table::Header, 0, "ETHNIC", "WBR")),
        ("104", |r| {
            r.tables.insert(
                Table::Uasc,
                table(
                    Table::Uasc,
                    &[&[
                        ("CHILD", "101"),
                        ("SEX", "F"),
                        ("DOB", "03/02/2012"),
                        ("DUC", "2025-01-01"),
                    ]],
                ),
            );
        }),
        ("141", |r| set(r, Table::Episodes, 1, "DECOM", "")),
        ("142", |r| {
            set(r, Table::Episodes, 0, "DEC", "");
            set(r, Table::Episodes, 0, "REC", "");
        }),
        ("143", |r| set(r, Table::Episodes, 1, "RNE", "Q")),
        ("144", |r| set(r, Table::Episodes, 1, "LS", "C9")),
        ("145", |r| set(r, Table::Episodes, 1, "CIN", "N9")),
        ("146", |r| set(r, Table::Episodes, 1, "PLACE", "Z1")),
        ("147", |r| {
            set(r, Table::Episodes, 1, "DEC", "1/1/2026");
            set(r, Table::Episodes, 1, "REC", "E13");
        }),
        ("148", |r| set(r, Table::Episodes, 1, "REC", "E13")),
        ("149", |r| {
            set(r, Table::Episodes, 1, "DEC", "01/01/2026");
            set(r, Table::Episodes, 1, "REC", "E99");
        }),
        ("165", |r| set(r, Table::Header, 0, "MOTHER", "2")),
        ("166", |r| set(r, Table::Reviews, 0, "REVIEW", "")),
        ("167", |r| set(r, Table::Reviews, 0, "REVIEW_CODE", "PN9")),
        ("168", |r| set(r, Table::Header, 0, "UPN", "UN9")),
        ("171", |r| set(r, Table::Header, 0, "MC_DOB", "2029-01-01")),
        ("174", |r| {
            set(r, Table::Header, 0, "SEX", "M");
            set(r, Table::Header, 0, "MC_DOB", "01/01/2029");
        }),
        ("178", |r| {
            set(r, Table::Episodes, 1, "PLACE_PROVIDER", "PR9")
        }),
        ("180", |r| set(r, Table::Oc2, 0, "SDQ_SCORE", "41")),
        ("196", |r| set(r, Table::Oc2, 0, "SDQ_REASON", "SDQ9")),
        ("352", |r| set(r, Table::Header, 0, "DOB", "03/02/2006")),
        ("355", |r| {
            set(r, Table::Episodes, 1, "DEC", "10/06/2025");
            set(r, Table::Episodes, 1, "REC", "E13");
        }),
        ("356", |r| {
            set(r, Table::Episodes, 1, "DEC", "09/06/2025");
            set(r, Table::Episodes, 1, "REC", "E13");
        }),
        ("358", |r| {
            set(r, Table::Header, 0, "DOB", "03/02/2016");
            set(r, Table::Episodes, 1, "LS", "J1");
        }),
        ("386", |r| {
            set(r, Table::Header, 0, "DOB", "03/02/2007");
            set(r, Table::Episodes, 1, "DEC", "01/03/2026");
            set(r, Table::Episodes, 1, "REC", "E11");
        }),
        ("387", |r| {
            set(r, Table::Header, 0, "DOB", "03/02/2013");
            set(r, Table::Episodes, 1, "DEC", "01/03/2026");
            set(r, Table::Episodes, 1, "REC", "E5");
        }),
        ("389", |r| {
            set(r, Table::Episodes, 1, "DEC", "01/03/2026");
            set(r, Table::Episodes, 1, "REC", "E7");
        }),
        ("460", |r| {
            set(r, Table::Episodes, 1, "DEC", "01/03/2026");
            set(r, Table::Episodes, 1, "REC", "E17");
        }),
    ]
}

#[test]
fn the_baseline_passes_every_implemented_rule() {
    let v = validate(&baseline(), 2026);
    assert!(v.findings.is_empty(), "{:#?}", v.findings);
    assert_eq!(
        v.not_run.len(),
        rules::rule_messages().len() - rules::IMPLEMENTED.len(),
        "unimplemented rules are reported as not run"
    );
}

#[test]
fn each_implemented_rule_fails_on_its_case() {
    let cases = failing_cases();
    for code in rules::IMPLEMENTED {
        assert!(
            rules::rule_messages().contains_key(code),
            "{code} is not a 2025/26 rule"
        );
        assert!(
            cases.iter().any(|(c, _)| c == code),
            "no failing case for {code}"
        );
    }
    for (code, mutate) in cases {
        let mut r = baseline();
        mutate(&mut r);
        let v = validate(&r, 2026);
        let f = v
            .findings
            .iter()
            .find(|f| f.rule_code == code)
            .unwrap_or_else(|| panic!("{code} did not fire: {:?}", v.findings));
        assert_eq!(f.child.as_deref(), Some("101"), "{code}");
        assert!(!f.fields.is_empty() && f.row.is_some(), "{code}");
        assert_eq!(f.message, rules::rule_messages()[code]);
    }
}

#[test]
fn tables_are_recognised_by_their_columns_and_round_trip() {
    let dir = std::env::temp_dir().join(format!("hearth-903-{}", std::process::id()));
    let r = baseline();
    write_dir(&r, &dir).unwrap();
    // Column order and file names do not matter.
    let ep = std::fs::read_to_string(dir.join("episodes.csv")).unwrap();
    std::fs::remove_file(dir.join("episodes.csv")).unwrap();
    let mut lines: Vec<Vec<&str>> = ep.lines().map(|l| l.split(',').collect()).collect();
    for l in &mut lines {
        l.reverse();
    }
    std::fs::write(
        dir.join("whatever.csv"),
        lines
            .iter()
            .map(|l| l.join(","))
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .unwrap();
    let back = read_paths(std::slice::from_ref(&dir)).unwrap();
    assert_eq!(back, r);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn unreadable_files_are_clear_errors() {
    let e = read_table(
        "odd.csv",
        b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER\n1,F,01/01/2010,WBRI,UN1,0\n",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "odd.csv, row 1: the columns match no 903 table; nearest is Header (missing: MC_DOB; unexpected: none)"
    );
    let e = read_table("short.csv", b"CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2010\n").unwrap_err();
    assert_eq!(e.row, Some(2));
    assert!(e.reason.contains("2 values where the header has 4 columns"));
    assert!(read_table("empty.csv", b"").is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
    #[test]
    fn the_reader_and_rules_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), header in 0usize..11) {
        let _ = read_table("fuzz.csv", &bytes);
        let t = Table::ALL[header];
        let mut data = t.columns().join(",").into_bytes();
        data.push(b'\n');
        data.extend_from_slice(&bytes);
        if let Ok((t, rows)) = read_table("fuzz.csv", &data) {
            let mut r = Return::default();
            r.tables.insert(t, rows);
            let _ = validate(&r, 2026);
        }
    }
}
