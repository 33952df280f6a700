//! Tests of the 903 XML form: round trips with the CSV tables, the layout, clear errors for what
//! cannot be read, and fuzzing.

use proptest::prelude::*;

use super::super::tests::{
    add, add_ad1, add_missing, add_oc3, add_pa, add_pp, baseline, previous, set,
};
use super::super::{
    Return, Table, read_files, read_paths, validate, validate_with_previous, write_dir,
};
use super::*;

fn to_xml(r: &Return) -> Vec<u8> {
    let mut out = Vec::new();
    write_xml(r, &mut out).unwrap();
    out
}

/// The return without the tables the XML form has no place for.
fn xml_tables(r: &Return) -> Return {
    let mut r = r.clone();
    r.tables.remove(&Table::SwEpisodes);
    r
}

/// The baseline child with a row in every table the XML form holds.
fn full() -> Return {
    let mut r = baseline();
    add_ad1(&mut r);
    add_oc3(&mut r);
    add_pa(&mut r, "01/07/2025", "", "");
    add_pa(&mut r, "01/08/2025", "01/09/2025", "RD1");
    add_missing(&mut r, "M", "01/08/2025", "03/08/2025");
    add_missing(&mut r, "A", "28/03/2026", "");
    add_pp(&mut r, "P1", "800", "zz/05/2020");
    add(
        &mut r,
        Table::Uasc,
        &[
            ("CHILD", "101"),
            ("SEX", "F"),
            ("DOB", "03/02/2012"),
            ("DUC", ""),
        ],
    );
    // Values that need escaping.
    set(&mut r, Table::Episodes, 0, "HOME_POST", "S70 <2&TA>");
    r
}

fn temp_dir(what: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("hearth-903-xml-{}-{what}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn the_xml_form_round_trips_every_table_it_holds() {
    for r in [baseline(), full()] {
        let xml = to_xml(&r);
        let back = read_xml("r.xml", &xml).unwrap();
        let mut expected = xml_tables(&r);
        expected.uasc_flags = Some(vec![
            if r.rows(Table::Uasc).is_empty() {
                "0"
            } else {
                "1"
            }
            .to_string(),
        ]);
        assert_eq!(back, expected, "{}", String::from_utf8_lossy(&xml));
        // And written again, the same file.
        assert_eq!(to_xml(&back), xml);
    }
}

#[test]
fn a_synthetic_return_round_trips_through_xml_and_validates_the_same() {
    let ret = synth_like();
    let dir = temp_dir("synth");
    write_xml_dir(&ret, &dir).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["ssda903.xml", "sw_episodes.csv"]);
    let back = read_paths(std::slice::from_ref(&dir)).unwrap();
    assert_eq!(back.tables, ret.tables);
    assert_eq!(
        back.uasc_flags
            .as_ref()
            .unwrap()
            .iter()
            .filter(|f| *f == "1")
            .count(),
        ret.rows(Table::Uasc).len()
    );
    // The same findings from either form; only 105 and 303 are run on XML alone.
    let (a, b) = (validate(&ret, 2026), validate(&back, 2026));
    assert_eq!(a.findings, b.findings);
    assert!(a.skipped.iter().any(|(c, _)| *c == "105"));
    assert!(!b.skipped.iter().any(|(c, _)| *c == "105" || *c == "303"));
    let _ = std::fs::remove_dir_all(dir);
}

/// A return of many children with every kind of row: the baseline child copied under new ids,
/// some with the fuller set of rows, some UASC.
fn synth_like() -> Return {
    let (a, b) = (baseline(), full());
    let mut out = Return::default();
    for t in Table::ALL {
        out.tables.insert(t, Default::default());
    }
    for n in 0..300 {
        let src = if n % 3 == 0 { &b } else { &a };
        for (t, rows) in &src.tables {
            if *t == Table::Uasc && n % 5 != 0 {
                continue;
            }
            for row in &rows.rows {
                let mut row = row.clone();
                row[0] = format!("C{n}");
                out.tables.get_mut(t).unwrap().rows.push(row);
            }
        }
    }
    out
}

#[test]
fn csv_to_xml_to_csv_gives_the_same_files() {
    let ret = synth_like();
    let (csv, xml, again) = (temp_dir("csv"), temp_dir("xml"), temp_dir("again"));
    write_dir(&ret, &csv).unwrap();
    let read = read_paths(std::slice::from_ref(&csv)).unwrap();
    write_xml_dir(&read, &xml).unwrap();
    let from_xml = read_paths(std::slice::from_ref(&xml)).unwrap();
    write_dir(&from_xml, &again).unwrap();
    for t in Table::ALL {
        let a = std::fs::read(csv.join(t.file_name())).unwrap();
        let b = std::fs::read(again.join(t.file_name())).unwrap();
        assert!(a == b, "{} differs", t.file_name());
    }
    for d in [csv, xml, again] {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// A file in the shape of the reference validator's example: no indentation, empty elements for
/// blank items, groups before and after header items, an episode before its header, CDATA, a
/// comment and an attribute.
const SAMPLE: &str = r#"<?xml version='1.0' encoding='us-ascii'?>
<!-- a comment -->
<EXPSSDA903 version="1"><CHILD><HEADER><CHILDID>907</CHILDID><UPN>A123456789012</UPN><SEX>F</SEX><DOB>28/07/2010</DOB><ETHNIC>BAFR</ETHNIC><UASC /><AREVIEW><REVIEW>27/09/2025</REVIEW><REVIEW_CODE>PN0</REVIEW_CODE></AREVIEW><AREVIEW><REVIEW>14/01/2026</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW><MOTHER /><MC_DOB /><IN_TOUCH /><PERMANENCE><PREV_PERM>Z1</PREV_PERM></PERMANENCE><OC2><SDQ_SCORE>21</SDQ_SCORE><CONVICTED>1</CONVICTED></OC2></HEADER><EPISODE><DECOM>06/01/2025</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N4</CIN><PL>U4</PL><PL_POST>S7 5YR</PL_POST><HOME_POST>S15 8PZ</HOME_POST><URN>SC146516</URN><PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC /><REC /><REASON_PLACE_CHANGE /></EPISODE></CHILD>
<CHILD><EPISODE><DECOM>01/05/2025</DECOM><PL><![CDATA[K2]]></PL></EPISODE><HEADER><CHILDID>908</CHILDID><SEX>Q</SEX><DOB>31/02/2009</DOB><UASC>1</UASC><DUC>01/02/2026</DUC><IN_TOUCH>YES</IN_TOUCH><ACTIV>F2</ACTIV><ACCOM /><DATE_INT>01/06/2025</DATE_INT></HEADER></CHILD></EXPSSDA903>
"#;

#[test]
fn the_layout_becomes_the_csv_tables() {
    let r = read_xml("sample.xml", SAMPLE.as_bytes()).unwrap();
    let h = r.rows(Table::Header);
    assert_eq!(
        h,
        [
            vec!["907", "F", "28/07/2010", "BAFR", "A123456789012", "", ""],
            vec!["908", "Q", "31/02/2009", "", "", "", ""],
        ]
    );
    assert_eq!(r.uasc_flags, Some(vec!["".to_string(), "1".to_string()]));
    assert_eq!(
        r.rows(Table::Uasc),
        [vec!["908", "Q", "31/02/2009", "01/02/2026"]]
    );
    // OC3 and AD1 rows where an item has a value; the empty IN_TOUCH of 907 is none.
    assert_eq!(
        r.rows(Table::Oc3),
        [vec!["908", "31/02/2009", "YES", "F2", ""]]
    );
    assert_eq!(
        r.rows(Table::Ad1),
        [vec!["908", "31/02/2009", "01/06/2025", "", "", "", "", ""]]
    );
    let e = r.rows(Table::Episodes);
    assert_eq!(e.len(), 2);
    assert_eq!(e[0][Table::Episodes.col("PLACE")], "U4");
    assert_eq!(e[0][Table::Episodes.col("URN")], "SC146516");
    // An episode before its HEADER still gets the child's id.
    assert_eq!(e[1][0], "908");
    assert_eq!(e[1][Table::Episodes.col("PLACE")], "K2");
    assert_eq!(
        r.rows(Table::Reviews),
        [
            vec!["907", "28/07/2010", "27/09/2025", "PN0"],
            vec!["907", "28/07/2010", "14/01/2026", "PN1"]
        ]
    );
    assert_eq!(
        r.rows(Table::PrevPerm),
        [vec!["907", "28/07/2010", "Z1", "", ""]]
    );
    assert_eq!(
        r.rows(Table::Oc2)[0][..5],
        ["907", "28/07/2010", "21", "", "1"]
    );
    assert!(r.rows(Table::Missing).is_empty() && r.rows(Table::PlacedAdoption).is_empty());
    // Unknown codes, bad dates and a blank UASC flag are findings, not read errors.
    let v = validate(&r, 2026);
    let fired = |code: &str, child: &str| {
        v.findings
            .iter()
            .any(|f| f.rule_code == code && f.child.as_deref() == Some(child))
    };
    assert!(fired("101", "908") && fired("102", "908") && fired("103", "908"));
    assert!(fired("105", "907") && !fired("105", "908"));
    assert!(!fired("303", "908"));
}

/// The error reading `xml`.
fn err(xml: &str) -> ReadError {
    read_xml("bad.xml", xml.as_bytes()).unwrap_err()
}

#[test]
fn what_cannot_be_read_is_a_clear_error_naming_where() {
    let one = |inner: &str| {
        format!(
            "<EXPSSDA903>\n<CHILD><HEADER><CHILDID>C1</CHILDID></HEADER></CHILD>\n<CHILD>\n{inner}\n</CHILD>\n</EXPSSDA903>"
        )
    };
    let cases: Vec<(String, usize, Option<&str>, &str)> = vec![
        (
            "<Message><Children/></Message>".into(),
            1,
            Some("Message"),
            "the root element is <Message>, expected <EXPSSDA903>",
        ),
        (
            one("<HEADER><CHILDID>C2</CHILDID><SEX>F</SEX><FAVOURITE>x</FAVOURITE></HEADER>"),
            4,
            Some("FAVOURITE"),
            "CHILD 2 (CHILDID C2) > HEADER: <FAVOURITE> is not an item of the 903 HEADER",
        ),
        (
            one("<HEADER><CHILD>C2</CHILD></HEADER>"),
            4,
            Some("CHILD"),
            "CHILD 2 > HEADER: <CHILD> is not an item of the 903 HEADER (the child's id is <CHILDID>)",
        ),
        (
            one("<HEADER><CHILDID>C2</CHILDID></HEADER><EPISODE><PLACE>U4</PLACE></EPISODE>"),
            4,
            Some("PLACE"),
            "CHILD 2 (CHILDID C2) > EPISODE: <PLACE> is not an item of a 903 EPISODE (the placement type is <PL>)",
        ),
        (
            one("<HEADER><CHILDID>C2</CHILDID><SEX>F<B>M</B></SEX></HEADER>"),
            4,
            Some("B"),
            "CHILD 2 (CHILDID C2) > HEADER > SEX: <B> inside <SEX>, which holds only a value",
        ),
        (
            one("<HEADER><CHILDID>C2</CHILDID></HEADER>stray words"),
            4,
            Some("CHILD"),
            "CHILD 2 (CHILDID C2): text \"stray words\" directly inside <CHILD>, which holds only elements",
        ),
        (
            one("<HEADER><CHILDID>C2</CHILDID></HEADER><HEADER/>"),
            4,
            Some("HEADER"),
            "CHILD 2 (CHILDID C2): a second <HEADER> in this CHILD",
        ),
        (
            one("<EPISODE><DECOM>01/01/2026</DECOM></EPISODE>"),
            5,
            Some("CHILD"),
            "CHILD 2: this CHILD has no <HEADER>",
        ),
        (
            one("<HEADER><CHILDID>C2</CHILDID><OC2/><OC2/></HEADER>"),
            4,
            Some("OC2"),
            "CHILD 2 (CHILDID C2) > HEADER: a second <OC2> in this HEADER (a child has one at most)",
        ),
        (
            one("<HEADER><CHILDID>C2</CHILDID><DOB>1</DOB><DOB>2</DOB></HEADER>"),
            4,
            Some("DOB"),
            "CHILD 2 (CHILDID C2) > HEADER: <DOB> is given twice in this HEADER",
        ),
        (
            one("<HEADER><CHILDID>C2</CHILDID><AREVIEW><REVIEW>1</REVIEW><DOB>x</DOB></AREVIEW></HEADER>"),
            4,
            Some("DOB"),
            "CHILD 2 (CHILDID C2) > HEADER > AREVIEW: <DOB> is not an item of <AREVIEW> (its items are REVIEW, REVIEW_CODE)",
        ),
        (
            one("<HEADER><CHILDID>C2</CHILDID></HEADER><PLACEMENT/>"),
            4,
            Some("PLACEMENT"),
            "CHILD 2 (CHILDID C2): <PLACEMENT> inside <CHILD>, which holds one <HEADER> and <EPISODE>s",
        ),
        (
            "<EXPSSDA903><CHILD><HEADER><CHILDID>C1</CHILDID><SEX>M &bogus; F</SEX></HEADER></CHILD></EXPSSDA903>".into(),
            1,
            None,
            "CHILD 1 (CHILDID C1) > HEADER > SEX: an unknown reference &bogus;",
        ),
        (
            "<EXPSSDA903>\n<CHILD><HEADER><CHILDID>C1</CHILDID>".into(),
            2,
            Some("HEADER"),
            "CHILD 1 (CHILDID C1) > HEADER: the file ends inside <HEADER>: it is cut short",
        ),
        (
            "<EXPSSDA903></EXPSSDA903>\n<EXPSSDA903/>".into(),
            2,
            Some("EXPSSDA903"),
            "a second root element <EXPSSDA903> after </EXPSSDA903>",
        ),
        ("".into(), 1, None, "the file holds no XML elements"),
    ];
    for (xml, line, element, reason) in cases {
        let e = err(&xml);
        assert_eq!(
            (
                e.file.as_str(),
                e.row,
                e.column.as_deref(),
                e.reason.as_str()
            ),
            ("bad.xml", Some(line), element, reason),
            "{xml}"
        );
    }
    // Malformed XML: a mismatched end tag, named with its line.
    let e = err("<EXPSSDA903>\n<CHILD><HEADER><CHILDID>C1</CHILDID></CHILD>\n</EXPSSDA903>");
    assert_eq!(e.row, Some(2), "{e}");
    assert!(
        e.reason
            .contains("CHILD 1 (CHILDID C1) > HEADER: not well-formed XML"),
        "{e}"
    );
    assert_eq!(
        e.to_string(),
        format!("bad.xml, row 2: {}", e.reason),
        "the message names the file and line"
    );
    let e = read_xml("u16.xml", &[0xFF, 0xFE, b'<', 0]).unwrap_err();
    assert!(e.reason.contains("UTF-16"), "{e}");
    let e = read_xml(
        "latin1.xml",
        b"<EXPSSDA903><CHILD><HEADER><CHILDID>\xE9</CHILDID></HEADER></CHILD></EXPSSDA903>",
    )
    .unwrap_err();
    assert!(e.reason.contains("not UTF-8"), "{e}");
}

#[test]
fn an_xml_file_is_a_whole_return_with_sw_episodes_from_csv_at_most() {
    let r = baseline();
    let xml = to_xml(&r);
    let dir = temp_dir("mixed");
    write_dir(&r, &dir).unwrap();
    let csv = |t: Table| {
        (
            t.file_name().to_string(),
            std::fs::read(dir.join(t.file_name())).unwrap(),
        )
    };
    // XML and a CSV SWEpisodes table: the whole return.
    let both = read_files(&[csv(Table::SwEpisodes), ("upload".into(), xml.clone())]).unwrap();
    assert_eq!(both.tables, r.tables);
    assert!(both.uasc_flags.is_some());
    // XML with a CSV copy of a table it holds: an error naming both files.
    let e = read_files(&[("return.xml".into(), xml.clone()), csv(Table::Episodes)]).unwrap_err();
    assert_eq!(e.file, "episodes.csv");
    assert!(
        e.reason
            .contains("a CSV Episodes table with the XML return return.xml"),
        "{e}"
    );
    // Two XML returns.
    let e = read_files(&[("a.xml".into(), xml.clone()), ("b.XML".into(), xml)]).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("b.XML: a second XML return (the first is a.xml)"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_writer_refuses_what_the_xml_form_cannot_hold() {
    let no_place = |r: &Return| match write_xml(r, Vec::new()) {
        Err(WriteError::NoPlace { table, reason, .. }) => format!("{table}: {reason}"),
        other => panic!("{other:?}"),
    };
    let mut r = baseline();
    set(&mut r, Table::Reviews, 0, "CHILD", "999");
    assert!(no_place(&r).starts_with("Reviews: the child has no Header row"));
    let mut r = baseline();
    set(&mut r, Table::Oc2, 0, "DOB", "04/02/2012");
    assert!(no_place(&r).contains("differs from the Header's"));
    let mut r = baseline();
    add_oc3(&mut r);
    add_oc3(&mut r);
    assert!(no_place(&r).contains("a second OC3 row"));
    let mut r = baseline();
    add(
        &mut r,
        Table::Oc3,
        &[("CHILD", "101"), ("DOB", "03/02/2012")],
    );
    assert!(no_place(&r).contains("every OC3 item is blank"));
    // Nothing is written when the return is refused.
    let mut out = Vec::new();
    assert!(write_xml(&r, &mut out).is_err());
    assert!(out.is_empty());
}

#[test]
fn uasc_flags_and_a_duc_without_the_flag_round_trip() {
    let xml = "<EXPSSDA903>\
        <CHILD><HEADER><CHILDID>1</CHILDID><UASC>0</UASC><DUC>01/01/2026</DUC></HEADER></CHILD>\
        <CHILD><HEADER><CHILDID>2</CHILDID><UASC>2</UASC></HEADER></CHILD>\
        <CHILD><HEADER><CHILDID>3</CHILDID></HEADER></CHILD>\
        <CHILD><HEADER><CHILDID>4</CHILDID><UASC>1</UASC></HEADER></CHILD>\
        </EXPSSDA903>";
    let r = read_xml("f.xml", xml.as_bytes()).unwrap();
    assert_eq!(
        r.uasc_flags,
        Some(["0", "2", "", "1"].map(String::from).to_vec())
    );
    let children: Vec<&str> = r.rows(Table::Uasc).iter().map(|u| u[0].as_str()).collect();
    assert_eq!(children, ["1", "4"]);
    let back = read_xml("g.xml", &to_xml(&r)).unwrap();
    assert_eq!(back, r);
    let v = validate(&r, 2026);
    let codes: Vec<(&str, &str)> = v
        .findings
        .iter()
        .filter(|f| ["105", "303"].contains(&f.rule_code.as_str()))
        .map(|f| (f.rule_code.as_str(), f.child.as_deref().unwrap()))
        .collect();
    assert_eq!(codes, [("303", "1"), ("105", "2"), ("105", "3")]);
}

#[test]
fn last_years_return_may_be_xml_too() {
    let (r, last) = (baseline(), previous());
    let last_xml = read_xml("last.xml", &to_xml(&last)).unwrap();
    let v = validate_with_previous(&r, Some(&last_xml), 2026);
    assert!(v.findings.is_empty(), "{:?}", v.findings);
}

/// A well-formed XML built from pieces of the layout in any order and nesting: known elements,
/// unknown ones, text, empty elements, entities.
fn garbled_xml() -> impl Strategy<Value = String> {
    let names = prop::sample::select(vec![
        "EXPSSDA903",
        "CHILD",
        "HEADER",
        "EPISODE",
        "CHILDID",
        "SEX",
        "DOB",
        "UASC",
        "DUC",
        "AREVIEW",
        "REVIEW",
        "OC2",
        "PERMANENCE",
        "AMISSING",
        "MIS_START",
        "PL",
        "DECOM",
        "IN_TOUCH",
        "DATE_INT",
        "X",
        "ns:CHILD",
    ]);
    let texts = prop::sample::select(vec![
        "",
        " ",
        "1",
        "0",
        "F",
        "01/01/2026",
        "31/02/2026",
        "&amp;",
        "&#233;",
        "&#0;",
        "&nope;",
        "<![CDATA[x]]>",
        "zz/zz/zzzz",
        "\u{e9}",
    ]);
    let leaf = (names.clone(), texts).prop_map(|(n, t)| format!("<{n}>{t}</{n}>"));
    let tree = leaf.prop_recursive(5, 64, 6, move |inner| {
        (names.clone(), prop::collection::vec(inner, 0..6))
            .prop_map(|(n, kids)| format!("<{n}>{}</{n}>", kids.concat()))
    });
    prop::collection::vec(tree, 1..4)
        .prop_map(|v| format!("<EXPSSDA903>{}</EXPSSDA903>", v.concat()))
}

/// A return in the layout, each child with items, groups and episodes chosen at random (in any
/// order, some repeated, some unknown, with values of every kind): mostly readable, sometimes not.
fn layout_xml() -> impl Strategy<Value = String> {
    let value = prop::sample::select(vec![
        "",
        "1",
        "0",
        "2",
        "F",
        "M",
        "C1",
        "C2",
        "01/01/2026",
        "31/02/2026",
        "zz/zz/zzzz",
        "U4",
        "PR1",
        "ZX70 2TA",
        "&amp;x",
        "<![CDATA[a<b]]>",
        " padded ",
    ]);
    let header_item = prop::sample::select(HEADER_ITEMS.to_vec());
    let item = (header_item, value.clone()).prop_map(|(n, v)| format!("<{n}>{v}</{n}>"));
    let group = (
        prop::sample::select(vec![
            "AREVIEW",
            "AMISSING",
            "AD_PLACED",
            "PERMANENCE",
            "OC2",
        ]),
        prop::collection::vec(
            (
                prop::sample::select(vec![
                    "REVIEW",
                    "REVIEW_CODE",
                    "MISSING",
                    "MIS_START",
                    "MIS_END",
                    "DATE_PLACED",
                    "PREV_PERM",
                    "SDQ_SCORE",
                    "CONVICTED",
                    "DOB",
                ]),
                value.clone(),
            ),
            0..4,
        ),
    )
        .prop_map(|(g, items)| {
            let inner: String = items
                .iter()
                .map(|(n, v)| format!("<{n}>{v}</{n}>"))
                .collect();
            format!("<{g}>{inner}</{g}>")
        });
    let episode = prop::collection::vec(
        (
            prop::sample::select(vec![
                "DECOM",
                "RNE",
                "LS",
                "CIN",
                "PL",
                "PLACE_PROVIDER",
                "DEC",
                "REC",
                "URN",
                "PLACE",
            ]),
            value,
        ),
        0..6,
    )
    .prop_map(|items| {
        let inner: String = items
            .iter()
            .map(|(n, v)| format!("<{n}>{v}</{n}>"))
            .collect();
        format!("<EPISODE>{inner}</EPISODE>")
    });
    let child = (
        "[A-C]?",
        prop::collection::vec(prop_oneof![4 => item, 1 => group], 0..8),
        prop::collection::vec(episode, 0..3),
        0u8..20,
    )
        .prop_map(|(id, items, eps, odd)| {
            let head = format!("<HEADER><CHILDID>{id}</CHILDID>{}</HEADER>", items.concat());
            match odd {
                0 => format!("<CHILD>{}</CHILD>", eps.concat()),
                1 => format!("<CHILD>{head}{head}</CHILD>"),
                2 => format!("<CHILD>{head}text{}</CHILD>", eps.concat()),
                _ => format!("<CHILD>{head}{}</CHILD>", eps.concat()),
            }
        });
    prop::collection::vec(child, 0..6).prop_map(|c| {
        format!(
            "<?xml version=\"1.0\"?>\n<EXPSSDA903>{}</EXPSSDA903>",
            c.concat()
        )
    })
}

proptest! {
    // 3,000 + 3,000 + 3,000 + 2,000 = 11,000 inputs a run.
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn the_xml_reader_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = read_xml("fuzz.xml", &bytes);
        let mut with_root = b"<EXPSSDA903><CHILD><HEADER>".to_vec();
        with_root.extend_from_slice(&bytes);
        let _ = read_xml("fuzz.xml", &with_root);
    }

    #[test]
    fn random_returns_in_the_layout_are_read_or_refused_and_never_panic(xml in layout_xml()) {
        if let Ok(r) = read_xml("fuzz.xml", xml.as_bytes()) {
            let _ = validate_with_previous(&r, Some(&r), 2026);
            let ids: std::collections::HashSet<&String> = r.rows(Table::Header).iter().map(|h| &h[0]).collect();
            if ids.len() == r.rows(Table::Header).len() && write_xml(&r, Vec::new()).is_ok() {
                let back = read_xml("again.xml", &to_xml(&r)).unwrap();
                prop_assert_eq!(back, r);
            }
        }
    }

    #[test]
    fn garbled_layouts_are_read_or_refused_and_never_panic(xml in garbled_xml()) {
        if let Ok(r) = read_xml("fuzz.xml", xml.as_bytes()) {
            let _ = validate_with_previous(&r, Some(&r), 2026);
            // What was read is written back the same (children with ids of their own), or refused.
            let ids: std::collections::HashSet<&String> = r.rows(Table::Header).iter().map(|h| &h[0]).collect();
            if ids.len() == r.rows(Table::Header).len() && write_xml(&r, Vec::new()).is_ok() {
                let back = read_xml("again.xml", &to_xml(&r)).unwrap();
                prop_assert_eq!(back, r);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// A real return's XML with bytes cut, changed or inserted.
    #[test]
    fn a_damaged_return_never_panics(edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 1..8)) {
        let mut xml = to_xml(&full());
        for (at, kind, byte) in edits {
            let i = at.index(xml.len());
            match kind {
                0 => { xml.remove(i); }
                1 => xml[i] = byte,
                _ => xml.insert(i, byte),
            }
        }
        if let Ok(r) = read_xml("damaged.xml", &xml) {
            let _ = validate(&r, 2026);
        }
    }
}
