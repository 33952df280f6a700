//! SSDA903 validation rules, 2025/26, written from the DfE rule texts (specs/statutory-data.md
//! §1 and §4.1). The header and episode code checks are here; the other rules are in the
//! `rules_*` files, run from [`check`]. [`not_implemented`] lists the rest, and a validation run
//! reports them as not run.

use foldhash::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};

use super::{Return, Table};
use crate::findings::{Finding, Severity};

const RULES_TSV: &str = include_str!("../../data/ssda903/rules-2025-26.tsv");

/// The DfE rule codes and messages of the collection year.
pub fn rule_messages() -> &'static std::collections::HashMap<&'static str, &'static str> {
    static M: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    M.get_or_init(|| crate::findings::parse_rule_list(RULES_TSV))
}

/// The collection year: 1 April to 31 March, named by its end year.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Ctx {
    pub fn for_year(year: i32) -> Ctx {
        Ctx {
            start: NaiveDate::from_ymd_opt(year - 1, 4, 1).expect("valid"),
            end: NaiveDate::from_ymd_opt(year, 3, 31).expect("valid"),
        }
    }
}

/// A 903 date: dd/mm/yyyy, two digits, two digits and four digits (parsed by hand: it is the
/// most common work of the validator, and chrono's format parser is several times slower).
pub fn date(s: &str) -> Option<NaiveDate> {
    let b = super::facts::trim(s).as_bytes();
    if b.len() != 10 || b[2] != b'/' || b[5] != b'/' {
        return None;
    }
    crate::dates::from_digits(&b[6..], &b[3..5], &b[..2])
}

const SEX: &[&str] = &["M", "F", "U"];
const ETHNIC: &[&str] = &[
    "WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
    "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
];
const RNE: &[&str] = &["S", "L", "P", "T", "B", "U"];
const LS: &[&str] = &[
    "C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3",
];
const CIN: &[&str] = &["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"];
/// Placement types valid in 2025/26 (K3 and Z11-Z14 in; H5, P2 and Z1 out).
const PLACE: &[&str] = &[
    "A3", "A4", "A5", "A6", "K1", "K2", "K3", "P1", "P3", "R1", "R2", "R3", "R5", "S1", "T0", "T1",
    "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z11", "Z12", "Z13", "Z14",
];
const PROVIDER: &[&str] = &["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"];
const REC: &[&str] = &[
    "X1", "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E5",
    "E6", "E7", "E9", "E14", "E15", "E16", "E17", "E8",
];
const REVIEW_CODE: &[&str] = &["PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"];
const SDQ_REASON: &[&str] = &["SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"];

/// A value trimmed and in capitals (borrowed where it is already).
pub(super) fn upper(v: &str) -> std::borrow::Cow<'_, str> {
    super::facts::upper(v.trim())
}

/// Rules whose failure asks the council to check and confirm rather than blocking the return.
const QUERIES: &[&str] = &["231", "232", "EPI"];

pub(super) struct Out<'a> {
    pub(super) findings: &'a mut Vec<Finding>,
}

impl Out<'_> {
    pub(super) fn push(
        &mut self,
        code: &'static str,
        table: Table,
        row: usize,
        child: &str,
        fields: &[&str],
    ) {
        self.findings.push(Finding {
            rule_code: code.to_string(),
            severity: if QUERIES.contains(&code) {
                Severity::Query
            } else {
                Severity::Error
            },
            message: rule_messages().get(code).copied().unwrap_or("").to_string(),
            table: table.name().to_string(),
            row: Some(row),
            child: (!child.is_empty()).then(|| child.to_string()),
            fields: fields.iter().map(|f| f.to_string()).collect(),
        });
    }
}

/// Checks a code column against a list; `required` makes a blank a failure too.
pub(super) fn code_rule(
    ret: &Return,
    out: &mut Out<'_>,
    code: &'static str,
    t: Table,
    col: &'static str,
    list: &[&str],
    required: bool,
) {
    let (c, ci) = (t.col(col), t.col("CHILD"));
    for (i, r) in ret.rows(t).iter().enumerate() {
        let v = super::facts::trim(&r[c]);
        if (v.is_empty() && required)
            || (!v.is_empty() && !list.iter().any(|x| x.eq_ignore_ascii_case(v)))
        {
            out.push(code, t, i, &r[ci], &[col]);
        }
    }
}

/// Checks a date column is a real dd/mm/yyyy date; `required` makes a blank a failure too.
pub(super) fn date_rule(
    ret: &Return,
    out: &mut Out<'_>,
    code: &'static str,
    t: Table,
    col: &'static str,
    required: bool,
) {
    let (c, ci) = (t.col(col), t.col("CHILD"));
    for (i, r) in ret.rows(t).iter().enumerate() {
        let v = super::facts::trim(&r[c]);
        if (v.is_empty() && required) || (!v.is_empty() && date(v).is_none()) {
            out.push(code, t, i, &r[ci], &[col]);
        }
    }
}

pub(super) fn years_on(dob: NaiveDate, on: NaiveDate) -> i32 {
    on.years_since(dob).map(|y| y as i32).unwrap_or(-1)
}

/// Runs the implemented rules.
pub fn check(ctx: &Ctx, ret: &Return, findings: &mut Vec<Finding>) {
    check_with_previous(ctx, ret, None, findings);
}

/// A group of rules run on the facts worked out once.
type Module = fn(&super::facts::Facts, &mut Out<'_>);

/// The groups of rules, in the order their findings are reported.
const MODULES: &[Module] = &[
    latest_episode_ended,
    super::rules_fields::check,
    super::rules_oc::check,
    super::rules_oc::care_leavers,
    super::rules_episodes::check,
    super::rules_adoption::check,
    super::rules_header::check,
    super::rules_missing::check,
    super::rules_prevperm::check,
    super::rules_integrity::check,
    super::rules_sw::check,
    super::rules_previous::check,
    super::rules_uasc::check,
];

/// Runs the implemented rules, those comparing years too where the previous return is given.
/// The groups of rules are independent of each other, so each runs on a thread of its own (a
/// national return validates in a fraction of the time on several cores); their findings are
/// put together in the same order as if they had run one after the other.
pub fn check_with_previous(
    ctx: &Ctx,
    ret: &Return,
    previous: Option<&Return>,
    findings: &mut Vec<Finding>,
) {
    let run = |f: &dyn Fn(&mut Out<'_>)| {
        let mut found = Vec::new();
        f(&mut Out {
            findings: &mut found,
        });
        found
    };
    let joined = |h: std::thread::ScopedJoinHandle<'_, Vec<Finding>>| {
        h.join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    };
    std::thread::scope(|s| {
        let fields = s.spawn(|| run(&|o| field_rules(ret, o)));
        let facts = super::facts::Facts::new(*ctx, ret, previous);
        let facts = &facts;
        let groups: Vec<Vec<Finding>> = std::thread::scope(|t| {
            let handles: Vec<_> = MODULES
                .iter()
                .map(|m| t.spawn(move || run(&|o| m(facts, o))))
                .collect();
            handles.into_iter().map(joined).collect()
        });
        findings.extend(joined(fields));
        findings.extend(groups.into_iter().flatten());
    });
}

/// 142: every episode but a child's latest must have ended (the latest in the episodes' order:
/// of two starting the same day, an open one is the later).
fn latest_episode_ended(facts: &super::facts::Facts, o: &mut Out<'_>) {
    for (_, eps) in &facts.eps {
        for x in &eps[..eps.len() - 1] {
            if x.get("DEC").is_empty() || x.get("REC").is_empty() {
                o.push("142", Table::Episodes, x.i, x.child(), &["DEC", "REC"]);
            }
        }
    }
}

/// What a single-field rule asks of its column: a code from the list, or a real date; `true`
/// makes a blank a failure too.
#[derive(Clone, Copy)]
enum FieldCheck {
    Code(&'static [&'static str], bool),
    Date(bool),
}

/// The single-field rules, in the order their findings are reported.
const FIELD_CHECKS: &[(&str, Table, &str, FieldCheck)] = {
    use FieldCheck::{Code, Date};
    let (h, e) = (Table::Header, Table::Episodes);
    &[
        ("101", h, "SEX", Code(SEX, true)),
        ("102", h, "DOB", Date(true)),
        ("103", h, "ETHNIC", Code(ETHNIC, true)),
        ("104", Table::Uasc, "DUC", Date(false)),
        ("141", e, "DECOM", Date(true)),
        ("143", e, "RNE", Code(RNE, true)),
        ("144", e, "LS", Code(LS, true)),
        ("145", e, "CIN", Code(CIN, true)),
        ("146", e, "PLACE", Code(PLACE, true)),
        ("147", e, "DEC", Date(false)),
        ("149", e, "REC", Code(REC, false)),
        ("165", h, "MOTHER", Code(&["0", "1"], false)),
        ("166", Table::Reviews, "REVIEW", Date(true)),
        (
            "167",
            Table::Reviews,
            "REVIEW_CODE",
            Code(REVIEW_CODE, true),
        ),
        ("171", h, "MC_DOB", Date(false)),
        ("178", e, "PLACE_PROVIDER", Code(PROVIDER, false)),
        ("196", Table::Oc2, "SDQ_REASON", Code(SDQ_REASON, false)),
    ]
};

/// The single-field rules ([`FIELD_CHECKS`]): as [`code_rule`] and [`date_rule`] one after the
/// other, but reading each table's rows once for all its rules (a national return's rows do not
/// fit in the cache), each rule's findings kept apart and then reported in the rules' order.
fn single_field_rules(ret: &Return, o: &mut Out<'_>) {
    let mut found: Vec<Vec<Finding>> = FIELD_CHECKS.iter().map(|_| Vec::new()).collect();
    for t in Table::ALL {
        let mine: Vec<(usize, usize)> = FIELD_CHECKS
            .iter()
            .enumerate()
            .filter(|(_, (_, ct, _, _))| *ct == t)
            .map(|(k, (_, _, col, _))| (k, t.col(col)))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let ci = t.col("CHILD");
        for (i, r) in ret.rows(t).iter().enumerate() {
            for &(k, c) in &mine {
                let (code, _, col, check) = FIELD_CHECKS[k];
                let v = super::facts::trim(&r[c]);
                let fails = match check {
                    FieldCheck::Code(list, required) => {
                        (v.is_empty() && required)
                            || (!v.is_empty() && !list.iter().any(|x| x.eq_ignore_ascii_case(v)))
                    }
                    FieldCheck::Date(required) => {
                        (v.is_empty() && required) || (!v.is_empty() && date(v).is_none())
                    }
                };
                if fails {
                    Out {
                        findings: &mut found[k],
                    }
                    .push(code, t, i, &r[ci], &[col]);
                }
            }
        }
    }
    o.findings.extend(found.into_iter().flatten());
}

/// The rules on single fields and rows of the Header and Episodes.
fn field_rules(ret: &Return, o: &mut Out<'_>) {
    let h = Table::Header;
    let e = Table::Episodes;
    single_field_rules(ret, o);

    // 148: DEC and REC both present or both blank.
    let (decom, dec, rec, child) = (e.col("DECOM"), e.col("DEC"), e.col("REC"), e.col("CHILD"));
    for (i, r) in ret.rows(e).iter().enumerate() {
        if r[dec].is_empty() != r[rec].is_empty() {
            o.push("148", e, i, &r[child], &["DEC", "REC"]);
        }
        // 355: an episode that ends the day it starts; 356: one that ends before it starts.
        if let (Some(s), Some(end)) = (date(&r[decom]), date(&r[dec])) {
            if end == s {
                o.push("355", e, i, &r[child], &["DECOM", "DEC"]);
            }
            if end < s {
                o.push("356", e, i, &r[child], &["DECOM", "DEC"]);
            }
        }
    }

    // 168: a UPN, or one of the codes for an unknown UPN.
    let upn = h.col("UPN");
    let hc = h.col("CHILD");
    for (i, r) in ret.rows(h).iter().enumerate() {
        let v = upper(&r[upn]);
        let b = v.as_bytes();
        let real = b.len() == 13
            && b"ABCDEFGHJKLMNPQRTUVWXYZ".contains(&b[0])
            && (b[1..13].iter().all(u8::is_ascii_digit)
                || (b[1..12].iter().all(u8::is_ascii_digit) && b[12].is_ascii_uppercase()));
        // A blank UPN is 442's finding (not completed), not a malformed one.
        if !v.is_empty() && !real && !["UN1", "UN2", "UN3", "UN4", "UN5"].contains(&&*v) {
            o.push("168", h, i, &r[hc], &["UPN"]);
        }
    }
    // 174: a mother's child's date of birth for a male child.
    let (sex, mc_dob) = (h.col("SEX"), h.col("MC_DOB"));
    for (i, r) in ret.rows(h).iter().enumerate() {
        if !r[mc_dob].is_empty() && super::facts::is(&r[sex], &["M"]) {
            o.push("174", h, i, &r[hc], &["MC_DOB", "SEX"]);
        }
    }
    // 180: SDQ score is a whole number from 0 to 40.
    let sdq = Table::Oc2.col("SDQ_SCORE");
    for (i, r) in ret.rows(Table::Oc2).iter().enumerate() {
        if !r[sdq].is_empty() && r[sdq].parse::<u32>().map_or(true, |n| n > 40) {
            o.push("180", Table::Oc2, i, &r[0], &["SDQ_SCORE"]);
        }
    }

    // Rules that need the child's date of birth from the header.
    let dobs: HashMap<&str, NaiveDate> = ret
        .rows(h)
        .iter()
        .filter_map(|r| date(&r[h.col("DOB")]).map(|d| (r[hc].as_str(), d)))
        .collect();
    let (rne, ls) = (e.col("RNE"), e.col("LS"));
    for (i, r) in ret.rows(e).iter().enumerate() {
        let Some(dob) = dobs.get(r[child].as_str()) else {
            continue;
        };
        // 352: a child cannot start to be looked after at 18 or over.
        if super::facts::is(&r[rne], &["S"])
            && date(&r[decom]).is_some_and(|s| years_on(*dob, s) >= 18)
        {
            o.push("352", e, i, &r[child], &["RNE", "DECOM"]);
        }
        // 358: youth justice legal statuses start after the 10th birthday.
        if super::facts::is(&r[ls], &["J1", "J2", "J3"])
            && date(&r[decom]).is_some_and(|s| s <= dob.with_year(dob.year() + 10).unwrap_or(*dob))
        {
            o.push("358", e, i, &r[child], &["LS", "DECOM"]);
        }
        // 386 / 387 / 389 / 460: reasons for leaving care that depend on age.
        if let Some(end) = date(&r[dec]) {
            let age = years_on(*dob, end);
            let reason = upper(&r[rec]);
            let (code, bad) = match &*reason {
                "E11" | "E12" => ("386", age >= 18),
                "E5" | "E6" => ("387", age < 14),
                "E7" => ("389", age < 16),
                "E17" => ("460", age < 18),
                _ => ("", false),
            };
            if bad {
                o.push(code, e, i, &r[child], &["REC", "DEC"]);
            }
        }
    }
}

/// The rule codes implemented.
pub const IMPLEMENTED: &[&str] = &[
    "101",
    "102",
    "103",
    "104",
    "141",
    "142",
    "143",
    "144",
    "145",
    "146",
    "147",
    "148",
    "149",
    "165",
    "166",
    "167",
    "168",
    "171",
    "174",
    "178",
    "180",
    "196",
    "352",
    "355",
    "356",
    "358",
    "386",
    "387",
    "389",
    "460", // rules_fields.rs
    "112",
    "113",
    "114",
    "115",
    "116",
    "119",
    "120",
    "131",
    "132",
    "133",
    "134",
    "151",
    "153",
    "158",
    "159",
    "175",
    "176",
    "177",
    "181",
    "182",
    "192",
    "193",
    "197a",
    "209",
    "210",
    "301",
    "304",
    "344",
    "345",
    "347",
    "351",
    "391", // rules_oc.rs
    "157",
    "185",
    "186",
    "187",
    "188",
    "189",
    "190",
    "191",
    "197B",
    "198",
    "215",
    // rules_episodes.rs
    "199",
    "213",
    "214",
    "217",
    "218",
    "222",
    "225",
    "226",
    "302",
    "353",
    "354",
    "357",
    "359",
    "361",
    "362",
    "363",
    "364",
    "365",
    "366",
    "367",
    "371",
    "372",
    "373",
    "374",
    "375",
    "376",
    "377",
    "378",
    "379",
    "380",
    "381",
    "382",
    "383",
    "384",
    "385",
    "388",
    "390",
    "392b",
    "392c",
    "392d",
    "393",
    "398",
    "399", // rules_adoption.rs
    "117",
    "118",
    "184",
    "331",
    "333",
    "334",
    "335",
    "336",
    "511",
    "514",
    "517",
    "518",
    "519",
    "520",
    "521",
    "522",
    "523",
    "524",
    "525",
    "551",
    "552",
    "553",
    "554",
    "557",
    "558",
    "563",
    "579",
    "582",
    "583",
    "601",
    "602", // rules_episodes.rs, sequence of episodes
    "407",
    "408",
    "426",
    "431",
    "432",
    "433",
    "434",
    "435",
    "436",
    "437",
    "446",
    "501",
    "504",
    "516",
    "526",
    "527",
    "528",
    "529",
    "530",
    "531",
    "550", // rules_oc.rs
    "542",
    "543",
    "544",
    "545",
    "546",
    "547", // rules_header.rs
    "440",
    "441",
    "442",
    "444",
    "607",
    "611",
    "612",
    "620",
    "621",
    "625",
    "628",
    // rules_missing.rs
    "564",
    "565",
    "566",
    "567",
    "570",
    "571",
    "574",
    "575",
    "577",
    "578",
    "580",
    "581",
    "586",
    // rules_prevperm.rs
    "630",
    "631",
    "632",
    "633",
    "634",
    "635",
    // queries, placement change reasons, missing dates, care leavers (1000s)
    "231",
    "232",
    "233",
    "234",
    "1000",
    "1003",
    "1004",
    "1005",
    "1006",
    "1007",
    "1009",
    "1011",
    "1012",
    "1014",
    "1016",
    "3001", // rules_integrity.rs
    "INT01",
    "INT02",
    "INT03",
    "INT04",
    "INT05",
    "INT06",
    "INT07",
    "INT08",
    "INT09",
    "INT11",
    "INT12",
    "INT13",
    "INT14",
    "INT15",
    "INT16",
    "INT17",
    "INT18",
    "INT21",
    "INT31",
    "INT32",
    "INT33",
    "INT34",
    "INT35",
    "INT36",
    "EPI",
    // rules_sw.rs
    "SW01aSTG1",
    "SW01bSTG1",
    "SW02STG1",
    "SW04STG1",
    "SW05STG1",
    "SW06STG2",
    "SW07STG2",
    "SW08STG2",
    "SW09STG2",
    "SW10STG2",
    "SW11bSTG2",
    "SW12STG2",
    "SW13STG1",
    "SW17STG2",
    // rules_previous.rs: against the previous year's return
    "202",
    "203",
    "204",
    "205D",
    "207",
    "208",
    "348",
    "502",
    "503A",
    "503B",
    "503C",
    "503D",
    "503E",
    "503F",
    "559",
    "560",
    "561",
    "562",
    "576",
    "584",
    "624",
    "626",
    "1001",
    "1002",
    "1010",
    "NoE",
    // rules_reference.rs: with a postcode directory, Ofsted's lists, the council's LA code
    "164",
    "169",
    "179",
    "392a",
    "406",
    "420",
    "452",
    "453",
    "454",
    "503G",
    "503H",
    "503J",
    "1015",
    "219",
    "221",
    "224",
    "227",
    "228",
    "229",
    "1008",
    // rules_uasc.rs: the XML form's UASC flag, and UASC status against last year
    "105",
    "303",
    "205A",
    "205B",
    "205C",
];

pub use super::rules_reference::{BY_CONSTRUCTION, Needs, REFERENCE};

/// The implemented rules that compare with the previous year's return (skipped without it).
pub const PREVIOUS_YEAR: &[&str] = &[
    "202", "203", "204", "205D", "207", "208", "348", "502", "503A", "503B", "503C", "503D",
    "503E", "503F", "559", "560", "561", "562", "576", "584", "624", "626", "1001", "1002", "1010",
    "NoE", // rules_uasc.rs
    "205A", "205B", "205C",
];

/// The 2025/26 rules not implemented yet, in code order.
pub fn not_implemented() -> Vec<&'static str> {
    let done: HashSet<&str> = IMPLEMENTED.iter().copied().collect();
    let mut v: Vec<&str> = rule_messages()
        .keys()
        .copied()
        .filter(|c| !done.contains(c))
        .collect();
    v.sort_by_key(|c| {
        (
            c.chars()
                .take_while(|ch| ch.is_ascii_digit())
                .collect::<String>()
                .parse::<u32>()
                .unwrap_or(u32::MAX),
            c.to_string(),
        )
    });
    v
}
