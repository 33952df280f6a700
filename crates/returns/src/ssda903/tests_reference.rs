//! Tests of the rules needing reference data: a small synthetic postcode directory and provider
//! list under which the baseline return passes, for each rule a change that makes it fail,
//! skipping with a reason when the data is missing, and reading the reference files.

use super::reference::{PostcodeDirectory, ProviderList, Sheet, check_la_code};
use super::tests::{add, baseline, dob101, previous, set};
use super::*;

/// The council's own (synthetic) LA code, and another council's.
const OWN: &str = "E08000901";
const OTHER: &str = "E10000902";

/// A synthetic directory holding the baseline's postcodes (in the council's area, a few miles
/// apart) and others for the failing cases. Grid references are invented.
fn directory() -> PostcodeDirectory {
    PostcodeDirectory::from_rows([
        ("ZX70 2TA", Some((440_000, 406_000)), OWN),
        ("ZX71 1AB", Some((441_000, 408_000)), OWN),
        ("ZX75 3DL", Some((430_000, 409_000)), OWN),
        // Where ZX71 1AB is, but in another council's area.
        ("S98 1AA", Some((441_000, 408_000)), OTHER),
        // In the council's area, 20 miles from ZX71 1AB.
        ("ZX92 1AA", Some((473_000, 412_000)), OWN),
        // 369 miles north.
        ("S96 1AA", Some((440_000, 1_000_000)), OWN),
        // No grid reference; no LA.
        ("S95 1AA", None, OWN),
        ("ZX93 1AA", Some((440_500, 406_500)), ""),
    ])
}

/// A synthetic provider list with the baseline's URNs and others for the failing cases.
fn providers() -> ProviderList {
    let csv = "URN,Local authority,Placement code,Placement provider code,Setting postcode,Deregistration date\n\
        SC123456,Own,U4/U5,PR1,ZX71 1AB,\n\
        SC654321,Own,U6,PR4,ZX75 3DL,\n\
        SC222222,Own,K2,PR4,ZX92 1AA,\n\
        SC333333,Own,U6,PR4,ZX75 3DL,01/06/2025\n\
        SC444444,Own,U6,PR4,ZX75 3DL,2026-01-01\n\
        SC555555,Own,U6,\"PR2,PR4\",ZX75 3DL,\n";
    ProviderList::read("providers.csv", csv.as_bytes()).unwrap()
}

fn full() -> Reference {
    Reference {
        postcodes: Some(directory()),
        providers: Some(providers()),
        la: Some(OWN.to_string()),
    }
}

type Mutation = fn(&mut Return, &mut Return);

/// For each rule, a change to this year's return (first) or last year's (second) that makes it
/// fail, and the rules that rightly fire with it.
#[allow(non_upper_case_globals)]
fn cases() -> Vec<(&'static str, Mutation, &'static [&'static str])> {
    const e: Table = Table::Episodes;
    vec![
        // A placement postcode with no grid reference: the distance cannot be worked out.
        ("164", |r, _| set(r, e, 1, "PL_POST", "S95 1AA"), &[]),
        // A placement postcode with no LA.
        ("169", |r, _| set(r, e, 1, "PL_POST", "ZX93 1AA"), &["179"]),
        ("179", |r, _| set(r, e, 1, "PL_POST", "ZX93 1AA"), &["169"]),
        ("392a", |r, _| set(r, e, 1, "HOME_POST", ""), &["392b"]),
        // UASC this year and last (else 205D).
        (
            "406",
            |r, l| {
                for ret in [r, l] {
                    let dob = dob101(ret);
                    add(
                        ret,
                        Table::Uasc,
                        &[("CHILD", "101"), ("SEX", "F"), ("DOB", dob.as_str())],
                    );
                }
            },
            &[],
        ),
        // A short break with a placement postcode: 214 and 398 say the postcode should not be
        // there; the others are about short breaks.
        (
            "420",
            |r, _| set(r, e, 1, "LS", "V4"),
            &["185", "190", "214", "398", "435"],
        ),
        ("454", |r, _| set(r, e, 1, "PL_POST", "S96 1AA"), &[]),
        (
            "1015",
            |r, _| {
                set(r, e, 1, "PLACE", "K2");
                set(r, e, 1, "PLACE_PROVIDER", "PR1");
                set(r, e, 1, "PL_POST", "S98 1AA");
                set(r, e, 1, "URN", "XXXXXXX");
            },
            &[],
        ),
        // Last year's open episode in another council's area (at the same spot).
        (
            "452",
            |_, l| set(l, e, 0, "PL_POST", "S98 1AA"),
            &["503H", "503J"],
        ),
        (
            "503H",
            |_, l| set(l, e, 0, "PL_POST", "S98 1AA"),
            &["452", "503J"],
        ),
        (
            "503J",
            |_, l| set(l, e, 0, "PL_POST", "S98 1AA"),
            &["452", "503H"],
        ),
        // Last year's open episode 20 miles away, in the council's area.
        ("453", |_, l| set(l, e, 0, "PL_POST", "ZX92 1AA"), &["503G"]),
        ("503G", |_, l| set(l, e, 0, "PL_POST", "ZX92 1AA"), &["453"]),
        ("219", |r, _| set(r, e, 1, "PLACE", "U5"), &[]),
        (
            "221",
            |r, _| {
                set(r, e, 1, "PLACE", "K2");
                set(r, e, 1, "URN", "SC222222");
            },
            &[],
        ),
        ("224", |r, _| set(r, e, 1, "PLACE_PROVIDER", "PR5"), &[]),
        // The provider closed before the episode began (so before it ended too).
        ("227", |r, _| set(r, e, 1, "URN", "SC333333"), &["228"]),
        // The provider closed during the episode, which is open.
        ("228", |r, _| set(r, e, 1, "URN", "SC444444"), &[]),
        // Another council's provision, in the council's own area.
        (
            "229",
            |r, _| {
                set(r, e, 1, "PLACE_PROVIDER", "PR2");
                set(r, e, 1, "URN", "SC555555");
            },
            &[],
        ),
        ("1008", |r, _| set(r, e, 1, "URN", "SC999999"), &[]),
    ]
}

#[test]
fn the_baseline_passes_every_rule_with_reference_data() {
    // As read from the XML form (UASC flag 0), so that 105 and 303 run too.
    let (mut r, mut last) = (baseline(), previous());
    r.uasc_flags = Some(vec!["0".into()]);
    last.uasc_flags = Some(vec!["0".into()]);
    let v = validate_full(&r, Some(&last), &full(), 2026);
    assert!(v.findings.is_empty(), "{:#?}", v.findings);
    assert!(v.skipped.is_empty(), "{:?}", v.skipped);
    // 411 cannot fail, so it is reported as not run, with why.
    let (_, why) = v.not_run.iter().find(|(c, _)| *c == "411").unwrap();
    assert!(why.contains("PL_LOCATION is derived from PL_LA"), "{why}");
    // Without last year's return only its rules are skipped.
    let v = validate_full(&baseline(), None, &full(), 2026);
    assert!(v.findings.is_empty(), "{:#?}", v.findings);
    for code in ["452", "453", "503G", "503H", "503J", "502"] {
        assert!(v.skipped.iter().any(|(c, _)| *c == code), "{code}");
    }
}

#[test]
fn each_reference_rule_fails_on_its_case_and_only_with_its_data() {
    let cases = cases();
    for (code, _) in rules::REFERENCE {
        assert!(rules::IMPLEMENTED.contains(code), "{code}");
        assert!(
            cases.iter().any(|(c, _, _)| c == code),
            "no case for {code}"
        );
    }
    let mut unexpected = Vec::new();
    for (code, mutate, also) in cases {
        let (mut r, mut last) = (baseline(), previous());
        mutate(&mut r, &mut last);
        let v = validate_full(&r, Some(&last), &full(), 2026);
        let f = v
            .findings
            .iter()
            .find(|f| f.rule_code == code)
            .unwrap_or_else(|| panic!("{code} did not fire: {:?}", v.findings));
        assert_eq!(f.child.as_deref(), Some("101"), "{code}");
        assert_eq!(f.table, "Episodes", "{code}");
        assert_eq!(f.message, rules::rule_messages()[code]);
        let mut others: Vec<&str> = v
            .findings
            .iter()
            .map(|f| f.rule_code.as_str())
            .filter(|c| *c != code && !also.contains(c))
            .collect();
        others.sort();
        others.dedup();
        if !others.is_empty() {
            unexpected.push(format!("{code}: {others:?}"));
        }
        // Without the reference data the rule does not run, and is listed as skipped.
        let v = validate_with_previous(&r, Some(&last), 2026);
        assert!(v.findings.iter().all(|f| f.rule_code != code), "{code}");
        assert!(v.skipped.iter().any(|(c, _)| *c == code), "{code}");
    }
    assert!(
        unexpected.is_empty(),
        "changes made other rules fire too:\n{}",
        unexpected.join("\n")
    );
}

#[test]
fn rules_lacking_data_are_skipped_with_what_they_need() {
    let reason = |v: &Validation, code: &str| {
        v.skipped
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, why)| why.clone())
    };
    let v = validate_full(&baseline(), None, &Reference::default(), 2026);
    assert_eq!(reason(&v, "164").unwrap(), "needs a postcode directory");
    assert_eq!(
        reason(&v, "1008").unwrap(),
        "needs the Ofsted provider lists"
    );
    assert_eq!(
        reason(&v, "503G").unwrap(),
        "needs the previous year's return and a postcode directory"
    );
    assert_eq!(
        reason(&v, "229").unwrap(),
        "needs a postcode directory, the Ofsted provider lists and the council's LA code"
    );
    // A directory but no LA code: the rules needing the code are skipped, the others run.
    let some = Reference {
        postcodes: Some(directory()),
        ..Reference::default()
    };
    let mut r = baseline();
    set(&mut r, Table::Episodes, 1, "PL_POST", "ZX93 1AA");
    let v = validate_full(&r, Some(&previous()), &some, 2026);
    assert_eq!(
        reason(&v, "179").as_deref(),
        Some("needs the council's LA code")
    );
    assert_eq!(reason(&v, "164"), None);
    assert!(v.findings.iter().any(|f| f.rule_code == "169"));
    assert!(v.findings.iter().all(|f| f.rule_code != "179"));
    for code in ["1015", "503J", "229"] {
        assert!(reason(&v, code).is_some(), "{code}");
    }
}

#[test]
fn distances_are_straight_line_miles_and_999_9_is_not_over_350() {
    // Exactly 350 miles north is not over 350; a little more is.
    let metres = (350.0f64 * 1.6093 * 1000.0).round() as u32;
    let dir = PostcodeDirectory::from_rows([
        ("ZX70 2TA", Some((440_000, 406_000)), OWN),
        ("ZX71 1AB", Some((440_000, 406_000 + metres)), OWN),
        ("ZX75 3DL", Some((440_000, 406_000 + metres + 200)), OWN),
    ]);
    let reference = Reference {
        postcodes: Some(dir),
        ..Reference::default()
    };
    let mut r = baseline();
    let v = validate_full(&r, None, &reference, 2026);
    let rows: Vec<usize> = v
        .findings
        .iter()
        .filter(|f| f.rule_code == "454")
        .map(|f| f.row.unwrap())
        .collect();
    assert_eq!(rows, vec![1]);
    // A UASC child's distance is 406's finding, not 454's.
    add(
        &mut r,
        Table::Uasc,
        &[("CHILD", "101"), ("SEX", "F"), ("DOB", "03/02/2012")],
    );
    let v = validate_full(&r, None, &reference, 2026);
    assert!(v.findings.iter().all(|f| f.rule_code != "454"));
    assert_eq!(
        v.findings.iter().filter(|f| f.rule_code == "406").count(),
        2
    );
}

#[test]
fn a_child_uasc_last_year_is_formerly_uasc() {
    let (r, mut last) = (baseline(), previous());
    add(
        &mut last,
        Table::Uasc,
        &[("CHILD", "101"), ("SEX", "F"), ("DOB", "03/02/2012")],
    );
    let v = validate_full(&r, Some(&last), &full(), 2026);
    let codes: Vec<&str> = v.findings.iter().map(|f| f.rule_code.as_str()).collect();
    assert!(codes.contains(&"406"), "{codes:?}");
}

#[test]
fn postcode_directories_are_read_from_ons_shapes() {
    // ONSPD: oslaua and oscty; a district in a county is placed in the county.
    let onspd = "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,usertype,oseast1m,osnrth1m,osgrdind\n\
        \"AB1 2CD\",\"AB1  2CD\",\"AB1 2CD\",198001,,E10000901,E58000001,E07000901,E05000001,0,512345,287654,1\n\
        \"AB1 2CE\",\"AB1  2CE\",\"AB1 2CE\",198001,,E99999999,,E06000901,E05000002,0,512000,287000,1\n\
        \"AB1 2CF\",\"AB1  2CF\",\"AB1 2CF\",198001,,E11000901,,E08000901,E05000003,0,512100,287100,1\n\
        \"ZZ1 1ZZ\",\"ZZ1  1ZZ\",\"ZZ1 1ZZ\",198001,,S99999999,,S12000901,S13000001,0,312000,687000,1\n\
        \"ZY1 1AA\",\"ZY1  1AA\",\"ZY1 1AA\",198001,,L99999999,,L99999999,L99999999,0,,,9\n\
        \"ZY2 1AA\",\"ZY2  1AA\",\"ZY2 1AA\",198001,,M99999999,,M99999999,M99999999,0,0,0,9\n";
    let d = PostcodeDirectory::read("onspd.csv", onspd.as_bytes()).unwrap();
    assert_eq!(d.len(), 6);
    let p = d.get("ab12cd").unwrap();
    assert_eq!(p.grid, Some((512_345, 287_654)));
    assert_eq!(p.la, Some("E10000901"));
    assert_eq!(d.get("AB1 2CE").unwrap().la, Some("E06000901"));
    // A metropolitan county has no council: the district is the upper tier.
    assert_eq!(d.get("AB1 2CF").unwrap().la, Some("E08000901"));
    assert_eq!(d.get("ZZ11ZZ").unwrap().la, Some("SCO"));
    assert_eq!(d.get("ZY1 1AA").unwrap().la, Some("NUK"));
    assert_eq!(d.get("ZY1 1AA").unwrap().grid, None);
    assert_eq!(
        d.get("ZY2 1AA").unwrap().grid,
        None,
        "0,0 is no grid reference"
    );
    assert!(d.get("AB1 2CX").is_none());
    // NSPL: laua and cty, any column order.
    let nspl = "pcds,oseast1m,osnrth1m,laua,cty\nAB1 2CD,512345,287654,W06000901,W99999999\n";
    let d = PostcodeDirectory::read("nspl.csv", nspl.as_bytes()).unwrap();
    assert_eq!(d.get("AB1 2CD").unwrap().la, Some("WAL"));
    // Newer names with a year.
    let newer = "pcd7,east1m,north1m,lad25cd\nAB1 2CD,1,2,E08000901\n";
    let d = PostcodeDirectory::read("new.csv", newer.as_bytes()).unwrap();
    assert_eq!(d.get("AB1 2CD").unwrap().la, Some("E08000901"));
}

#[test]
fn the_compact_form_holds_the_same_directory() {
    let d = directory();
    let mut out = Vec::new();
    d.write_compact(&mut out).unwrap();
    assert!(PostcodeDirectory::is_compact(&out));
    let back = PostcodeDirectory::read_compact("pc.hpd", &out).unwrap();
    assert_eq!(back.len(), d.len());
    for pc in ["ZX70 2TA", "S95 1AA", "ZX93 1AA", "S98 1AA", "XX1 1XX"] {
        assert_eq!(back.get(pc), d.get(pc), "{pc}");
    }
    let err = PostcodeDirectory::read_compact("pc.hpd", &out[..out.len() - 3]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "pc.hpd: not a compact postcode directory: cut short"
    );
    assert!(PostcodeDirectory::read_compact("pc.csv", b"pcds,oseast1m\n").is_err());
}

#[test]
fn bad_postcode_directories_are_clear_errors() {
    let err = |csv: &str| {
        PostcodeDirectory::read("pc.csv", csv.as_bytes())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err(
            "pcds,oseast1m,osnrth1m,laua\nAB1 2CD,512345,287654,E06000901\nAB1 2CE,5x,1,E06000901\n"
        ),
        "pc.csv, row 3, column oseast1m: \"5x\" is not a grid reference in metres"
    );
    assert_eq!(
        err("pcds,oseast1m,osnrth1m,laua\n,1,2,E06000901\n"),
        "pc.csv, row 2, column pcds: no postcode"
    );
    assert!(
        err("pcds,oseast1m,laua\n")
            .contains("row 1: no northing column (expected one of: osnrth1m")
    );
    assert!(err("").contains("empty"));
}

#[test]
fn provider_lists_are_read_with_title_rows_and_split_sheets() {
    let mut list = ProviderList::default();
    // A settings sheet with title rows above its header, and codes separated by slashes.
    list.add_sheet(
        "ch.xlsx",
        &Sheet {
            name: "Settings and Inspection Info".into(),
            rows: vec![
                vec!["Children's homes".into()],
                vec![],
                vec![
                    "URN".into(),
                    "Local Authority".into(),
                    "Provider Code".into(),
                    "Provider Placement Code".into(),
                    "Closed Date".into(),
                ],
                vec![
                    "SC900001".into(),
                    "Somewhere".into(),
                    "PR4".into(),
                    "K2/S1".into(),
                    "".into(),
                ],
                vec![
                    "sc900002".into(),
                    "Somewhere".into(),
                    "PR1".into(),
                    "K2".into(),
                    "31/12/2025".into(),
                ],
            ],
        },
    )
    .unwrap();
    // The address sheet fills in the postcodes.
    list.add_sheet(
        "ch.xlsx",
        &Sheet {
            name: "Address Details".into(),
            rows: vec![
                vec!["URN".into(), "Setting Address Postcode".into()],
                vec!["SC900001".into(), "ab1 2cd".into()],
            ],
        },
    )
    .unwrap();
    let p = list.get("sc900001").unwrap();
    assert_eq!(p.place_codes, vec!["K2", "S1"]);
    assert_eq!(p.provider_codes, vec!["PR4"]);
    assert_eq!(p.postcode.as_deref(), Some("AB12CD"));
    assert_eq!(p.closed, None);
    assert_eq!(
        list.get("SC900002").unwrap().closed,
        chrono::NaiveDate::from_ymd_opt(2025, 12, 31)
    );
}

/// An Excel workbook laid out as Ofsted's lists are: a title sheet, title rows above the header,
/// URNs typed as numbers and closure dates as dates.
fn workbook(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let notes = book.add_worksheet();
    notes.set_name("Introduction").unwrap();
    notes
        .write_string(0, 0, "About this list (synthetic)")
        .unwrap();
    for (name, rows) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(*name).unwrap();
        ws.write_string(0, 0, "Synthetic provider list").unwrap();
        for (i, row) in rows.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                let (r, c) = (i as u32 + 2, j as u16);
                if let Ok(n) = v.parse::<f64>() {
                    ws.write_number(r, c, n).unwrap();
                } else if let Ok(d) = chrono::NaiveDate::parse_from_str(v, "%d/%m/%Y") {
                    let d = rust_xlsxwriter::ExcelDateTime::parse_from_str(
                        &d.format("%Y-%m-%d").to_string(),
                    )
                    .unwrap();
                    ws.write_datetime_with_format(r, c, &d, &date).unwrap();
                } else if !v.is_empty() {
                    ws.write_string(r, c, *v).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn ofsted_workbooks_are_read_sheet_by_sheet() {
    let homes = workbook(&[
        (
            "Settings and Inspection Info",
            &[
                &[
                    "URN",
                    "Local Authority",
                    "Provider Code",
                    "Provider Placement Code",
                    "Closed Date",
                ],
                &["SC900001", "Somewhere", "PR4", "K2/S1", ""],
                &["SC900002", "Somewhere", "PR1", "K2", "31/12/2025"],
            ],
        ),
        (
            "Address Details",
            &[
                &["URN", "Setting Address Postcode"],
                &["SC900001", "AB1 2CD"],
                &["SC900002", "AB1 2CE"],
            ],
        ),
    ]);
    let providers = workbook(&[
        (
            "Current providers",
            &[
                &[
                    "URN",
                    "Local authority",
                    "Placement code",
                    "Placement provider code",
                    "Setting postcode",
                ],
                &["2900001", "Somewhere", "U1,U2,U3", "PR4", "AB1 2CF"],
            ],
        ),
        (
            "Providers closed",
            &[
                &[
                    "URN",
                    "Local authority",
                    "Placement code",
                    "Placement provider code",
                    "Deregistration date",
                    "Setting postcode",
                ],
                &["2900002", "Somewhere", "U4", "PR5", "01/02/2025", "AB1 2CG"],
            ],
        ),
    ]);
    let mut list = ProviderList::read("homes.xlsx", &homes).unwrap();
    list.add_file("providers.xlsx", &providers).unwrap();
    assert_eq!(list.len(), 4);
    let home = list.get("SC900002").unwrap();
    assert_eq!(home.place_codes, vec!["K2"]);
    assert_eq!(home.provider_codes, vec!["PR1"]);
    assert_eq!(home.postcode.as_deref(), Some("AB12CE"));
    assert_eq!(home.closed, chrono::NaiveDate::from_ymd_opt(2025, 12, 31));
    let agency = list.get("2900001").unwrap();
    assert_eq!(agency.place_codes, vec!["U1", "U2", "U3"]);
    assert_eq!(agency.closed, None);
    assert_eq!(
        list.get("2900002").unwrap().closed,
        chrono::NaiveDate::from_ymd_opt(2025, 2, 1)
    );
    // A bad code in a workbook names the sheet, row and column.
    let bad = workbook(&[(
        "Provider information",
        &[
            &["URN", "Provider Placement Code"],
            &["SC900003", "K2"],
            &["SC900004", "K22X"],
        ],
    )]);
    assert_eq!(
        ProviderList::read("bad.xlsx", &bad)
            .unwrap_err()
            .to_string(),
        "bad.xlsx (sheet Provider information), row 5, column Provider Placement Code: \"K22X\" is not a 903 code"
    );
    let none = workbook(&[("Key", &[&["Code", "Meaning"]])]);
    assert!(
        ProviderList::read("none.xlsx", &none)
            .unwrap_err()
            .to_string()
            .contains("no sheet has a URN column")
    );
}

#[test]
fn bad_provider_lists_are_clear_errors() {
    let err = |csv: &str| {
        ProviderList::read("scp.csv", csv.as_bytes())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err("URN,Placement code,Deregistration date\n1234567,K2,31/13/2025\n"),
        "scp.csv, row 2, column Deregistration date: \"31/13/2025\" is not a date (dd/mm/yyyy or yyyy-mm-dd)"
    );
    assert_eq!(
        err("URN,Placement code\n1234567,K2 K99X\n"),
        "scp.csv, row 2, column Placement code: \"K99X\" is not a 903 code"
    );
    assert!(err("Name,Postcode\nA,B\n").contains("no URN column"));
    assert!(err("URN,Name\n1,A\n").contains("none of placement code"));
}

#[test]
fn la_codes_are_gss_codes_of_upper_tier_councils() {
    assert_eq!(check_la_code(" e08000016 ").unwrap(), "E08000016");
    for bad in ["318", "E07000026", "E0800001", "E08000016X", "É08000016"] {
        assert!(check_la_code(bad).is_err(), "{bad}");
    }
}
