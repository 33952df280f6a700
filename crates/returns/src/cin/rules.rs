//! The DfE validation rules of the CIN census, 2025/26. Each rule is written from the rule's text
//! (specs/statutory-data.md §4.2 and the DfE rule messages); the messages come from the DfE list.
//!
//! Most rules look at one child at a time, so validation streams with the reader; rules about the
//! whole return (duplicates, LA-level counts) keep running totals and report at the end.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Months, NaiveDate, Weekday};

use super::model::*;
use crate::findings::{Finding, Severity};

const RULES_TSV: &str = include_str!("../../data/cin/rules-2025-26.tsv");

/// The DfE rule codes and messages of the collection year.
pub fn rule_messages() -> &'static HashMap<&'static str, &'static str> {
    static M: std::sync::OnceLock<HashMap<&'static str, &'static str>> = std::sync::OnceLock::new();
    M.get_or_init(|| crate::findings::parse_rule_list(RULES_TSV))
}

/// The census year and what the rules need to know about it.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub reference_date: NaiveDate,
    pub period_start: NaiveDate,
}

impl Ctx {
    pub fn new(reference_date: NaiveDate) -> Self {
        let period_start = reference_date
            .checked_sub_months(Months::new(12))
            .expect("date in range")
            + chrono::Days::new(1);
        Ctx {
            reference_date,
            period_start,
        }
    }
    fn in_year(&self, d: NaiveDate) -> bool {
        d >= self.period_start && d <= self.reference_date
    }
}

/// Collects a child's findings.
pub struct Out<'a> {
    child: Option<&'a str>,
    findings: &'a mut Vec<Finding>,
}

impl Out<'_> {
    fn push(&mut self, code: &'static str, module: Module, row: usize, fields: &[&str]) {
        push(self.findings, code, module, Some(row), self.child, fields);
    }
}

fn push(
    findings: &mut Vec<Finding>,
    code: &'static str,
    module: Module,
    row: Option<usize>,
    child: Option<&str>,
    fields: &[&str],
) {
    findings.push(Finding {
        rule_code: code.to_string(),
        severity: if code.ends_with('Q') {
            Severity::Query
        } else {
            Severity::Error
        },
        message: rule_messages().get(code).copied().unwrap_or("").to_string(),
        table: module.name().to_string(),
        row,
        child: child.map(str::to_string),
        fields: fields.iter().map(|f| f.to_string()).collect(),
    });
}

const SEX: &[&str] = &["M", "F", "U"];
const ETHNICITY: &[&str] = &[
    "WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
    "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
];
const DISABILITY: &[&str] = &[
    "NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA",
];
const REFERRAL_SOURCE: &[&str] = &[
    "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4", "5A", "5B", "5C",
    "5D", "6", "7", "8", "9", "10",
];
const PRIMARY_NEED: &[&str] = &["N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"];
const CLOSURE_REASON: &[&str] = &[
    "RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8", "RC9",
];
const ABUSE_CATEGORY: &[&str] = &["NEG", "PHY", "SAB", "EMO", "MUL"];
const UPN_UNKNOWN_NOT_SCHOOL: &[&str] = &["UN2", "UN3", "UN4", "UN5", "UN6", "UN7"];
const UPN_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

/// Rule 1530: the post-April-1998 LA codes and recognised pseudo-LA codes that UPN characters 2-4
/// may take, as the DfE rule lists them.
const UPN_LA_CODES: &str = "001-005, 201-213, 301-320, 330-336, 340-344, 350-359, 370-373, 380-384, 390-394, 420, 660-681, \
    701-708, 800-803, 805-808, 810-813, 815, 816, 820-823, 825, 826, 830, 831, 835-837, 838-839, 840, 841, 845, 846, 850-852, \
    855-857, 860, 861, 865-896, 908, 909, 916, 919, 921, 925, 926, 928, 929, 931, 933, 935-938, 940-941";

fn upn_la_code_valid(chars: &[u8]) -> bool {
    static CODES: std::sync::OnceLock<HashSet<u16>> = std::sync::OnceLock::new();
    let codes = CODES.get_or_init(|| {
        let mut set = HashSet::new();
        for part in UPN_LA_CODES.split(',') {
            let part = part.trim();
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            let (a, b): (u16, u16) = (
                a.trim().parse().expect("LA code"),
                b.trim().parse().expect("LA code"),
            );
            set.extend(a..=b);
        }
        set
    });
    chars.len() == 3
        && chars.iter().all(u8::is_ascii_digit)
        && std::str::from_utf8(chars)
            .ok()
            .and_then(|s| s.parse().ok())
            .is_some_and(|n: u16| codes.contains(&n))
}

fn code_in(v: &Option<String>, list: &[&str]) -> bool {
    v.as_deref().is_some_and(|c| list.contains(&c))
}

fn weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn upn_check_letter(upn: &str) -> Option<u8> {
    let b = upn.as_bytes();
    if b.len() != 13 {
        return None;
    }
    let mut sum = 0u32;
    for (i, &c) in b[1..].iter().enumerate() {
        let v = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            UPN_LETTERS.iter().position(|l| *l == c)? as u32
        };
        sum += v * (i as u32 + 2);
    }
    Some(UPN_LETTERS[(sum % 23) as usize])
}

/// Date intervals [start, end] where a missing end means still open (up to far future).
fn open_end(end: Option<NaiveDate>) -> NaiveDate {
    end.unwrap_or(NaiveDate::MAX)
}

/// A school-age child at the reference date: 4 or older on the 31 August before the census year.
fn school_age(ctx: &Ctx, dob: NaiveDate) -> bool {
    let y = ctx.period_start.year() - if ctx.period_start.month() >= 9 { 0 } else { 1 };
    let aug31 = NaiveDate::from_ymd_opt(y, 8, 31).expect("valid");
    aug31.years_since(dob).is_some_and(|a| a >= 4)
}

/// Runs every per-child rule.
pub fn check_child(ctx: &Ctx, c: &Child, findings: &mut Vec<Finding>) {
    let mut o = Out {
        child: c.la_child_id.as_deref(),
        findings,
    };
    let ci = Module::ChildIdentifiers;
    let row = c.row;

    // --- Child identifiers ---
    if let Some(upn) = &c.upn {
        let b = upn.as_bytes();
        if upn_check_letter(upn).is_none_or(|l| b[0] != l) {
            o.push("1510", ci, row, &["UPN"]);
        }
        if b.len() == 13 && !upn_la_code_valid(&b[1..4]) {
            o.push("1530", ci, row, &["UPN"]);
        }
        if b.len() != 13 || !b[4..12].iter().all(u8::is_ascii_digit) {
            o.push("1540", ci, row, &["UPN"]);
        }
        if b.len() != 13 || !(b[12].is_ascii_digit() || UPN_LETTERS.contains(&b[12])) {
            o.push("1550", ci, row, &["UPN"]);
        }
    }
    if let Some(f) = &c.former_upn {
        let b = f.as_bytes();
        let ok = b.len() == 13
            && UPN_LETTERS.contains(&b[0])
            && b[1..12].iter().all(u8::is_ascii_digit)
            && (b[12].is_ascii_digit() || UPN_LETTERS.contains(&b[12]));
        if !ok {
            o.push("1560Q", ci, row, &["FormerUPN"]);
        }
    }
    match &c.la_child_id {
        None => o.push("8500", ci, row, &["LAchildID"]),
        Some(id) => {
            if id.chars().count() > 20 {
                o.push("1570", ci, row, &["LAchildID"]);
            }
            if !id.chars().all(|ch| ch.is_ascii_alphanumeric()) {
                o.push("1580", ci, row, &["LAchildID"]);
            }
        }
    }
    if !code_in(&c.sex, SEX) {
        o.push("4180", ci, row, &["Sex"]);
    }
    if !code_in(&c.ethnicity, ETHNICITY) {
        o.push("4220", Module::ChildCharacteristics, row, &["Ethnicity"]);
    }
    if c.birth_date.is_some_and(|d| d > ctx.reference_date) {
        o.push("8520", ci, row, &["PersonBirthDate"]);
    }
    if c.birth_date.is_some() == c.expected_birth_date.is_some() {
        o.push(
            "8525Q",
            ci,
            row,
            &["PersonBirthDate", "ExpectedPersonBirthDate"],
        );
    }
    if let Some(e) = c.expected_birth_date {
        let low = ctx.reference_date - chrono::Days::new(30);
        let high = ctx
            .reference_date
            .checked_add_months(Months::new(9))
            .expect("in range");
        if e < low || e > high {
            o.push("8530Q", ci, row, &["ExpectedPersonBirthDate"]);
        }
    }
    if let (Some(death), Some(dob)) = (c.death_date, c.birth_date)
        && death < dob
    {
        o.push("8535Q", ci, row, &["PersonDeathDate", "PersonBirthDate"]);
    }
    if c.death_date.is_some_and(|d| !ctx.in_year(d)) {
        o.push("8545Q", ci, row, &["PersonDeathDate"]);
    }
    if c.cin_details.is_empty() {
        o.push("8590", ci, row, &["LAchildID"]);
    }
    if c.birth_date.is_none() && c.expected_birth_date.is_some() && c.sex.as_deref() != Some("U") {
        o.push("8750", ci, row, &["Sex", "ExpectedPersonBirthDate"]);
    }
    let any_not_nfa = c.cin_details.iter().any(|e| e.referral_nfa == Some(false));
    if c.upn.is_none()
        && any_not_nfa
        && c.birth_date.is_some_and(|d| school_age(ctx, d))
        && !code_in(&c.upn_unknown, UPN_UNKNOWN_NOT_SCHOOL)
    {
        o.push("8770Q", ci, row, &["UPN", "UPNunknown"]);
    }
    if c.upn_unknown.as_deref() == Some("UN7")
        && c.cin_details.iter().any(|e| e.referral_nfa != Some(true))
    {
        o.push("8772", ci, row, &["UPNunknown", "ReferralNFA"]);
    }
    if let Some(dob) = c.birth_date
        && ctx.reference_date.years_since(dob).is_some_and(|a| a > 25)
    {
        let turned25 = dob
            .checked_add_months(Months::new(25 * 12))
            .expect("in range");
        if c.cin_details
            .iter()
            .any(|e| e.closure_date.is_none_or(|cl| cl > turned25))
        {
            o.push("8775Q", ci, row, &["PersonBirthDate", "CINclosureDate"]);
        }
    }

    // --- Disabilities ---
    for d in &c.disabilities {
        if !DISABILITY.contains(&d.code.as_str()) {
            o.push("8540", Module::Disabilities, d.row, &["Disability"]);
        }
    }
    if c.disabilities.len() > 1 {
        if let Some(none) = c.disabilities.iter().find(|d| d.code == "NONE") {
            o.push("8790", Module::Disabilities, none.row, &["Disability"]);
        }
        let mut seen = HashSet::new();
        for d in &c.disabilities {
            if !seen.insert(d.code.as_str()) {
                o.push("8794", Module::Disabilities, d.row, &["Disability"]);
            }
        }
    }
    if c.has_disabilities && c.disabilities.is_empty() {
        o.push("8540", Module::ChildCharacteristics, row, &["Disability"]);
    }

    // --- Episodes ---
    let open_non_nfa: Vec<&CinDetails> = c
        .cin_details
        .iter()
        .filter(|e| e.closure_date.is_none() && e.referral_nfa == Some(false))
        .collect();
    if open_non_nfa.len() > 1 {
        for e in &open_non_nfa[1..] {
            o.push(
                "8815",
                Module::CinDetails,
                e.row,
                &["CINclosureDate", "ReferralNFA"],
            );
        }
    }
    if let Some(open) = open_non_nfa.first() {
        let latest = c.cin_details.iter().filter_map(|e| e.referral_date).max();
        if open_non_nfa.len() == 1 && open.referral_date.is_some() && open.referral_date != latest {
            o.push(
                "8816",
                Module::CinDetails,
                open.row,
                &["CINreferralDate", "CINclosureDate"],
            );
        }
    }
    for (i, e) in c.cin_details.iter().enumerate() {
        if let Some(r) = e.referral_date {
            let overlaps = c.cin_details.iter().enumerate().any(|(j, other)| {
                j != i
                    && other
                        .referral_date
                        .is_some_and(|os| os < r || (os == r && j < i))
                    && other
                        .referral_date
                        .is_some_and(|os| r >= os && r <= open_end(other.closure_date))
            });
            if overlaps {
                o.push(
                    "8820",
                    Module::CinDetails,
                    e.row,
                    &["CINreferralDate", "CINclosureDate"],
                );
            }
        }
        check_episode(ctx, c, e, &mut o);
    }
}

fn check_episode(ctx: &Ctx, c: &Child, e: &CinDetails, o: &mut Out<'_>) {
    let cd = Module::CinDetails;
    let row = e.row;
    let r = e.referral_date;
    match r {
        None => o.push("8600", cd, row, &["CINreferralDate"]),
        Some(r) if r > ctx.reference_date => o.push("8600", cd, row, &["CINreferralDate"]),
        _ => {}
    }
    if let (Some(r), Some(death)) = (r, c.death_date)
        && r > death
    {
        o.push("8555Q", cd, row, &["CINreferralDate", "PersonDeathDate"]);
    }
    if let Some(r) = r
        && let Some(birth) = c.birth_date.or(c.expected_birth_date)
        && r < birth - chrono::Days::new(280)
    {
        o.push(
            "8606",
            cd,
            row,
            &[
                "CINreferralDate",
                "PersonBirthDate",
                "ExpectedPersonBirthDate",
            ],
        );
    }
    if e.referral_nfa.is_none() {
        o.push("8568", cd, row, &["ReferralNFA"]);
    }
    if e.referral_nfa == Some(true)
        && let Some(r) = r
    {
        // More than one working day before the census year began (weekends only: bank
        // holidays make this a query, not an error).
        let mut day_before = ctx.period_start.pred_opt().expect("in range");
        while weekend(day_before) {
            day_before = day_before.pred_opt().expect("in range");
        }
        if r < day_before {
            o.push("8569Q", cd, row, &["CINreferralDate", "ReferralNFA"]);
        }
    }
    if e.referral_nfa == Some(false) && e.primary_need_code.is_none() {
        o.push("8610", cd, row, &["PrimaryNeedCode", "ReferralNFA"]);
    }
    if e.primary_need_code.is_some() && !code_in(&e.primary_need_code, PRIMARY_NEED) {
        o.push("8650", cd, row, &["PrimaryNeedCode"]);
    }
    if !code_in(&e.referral_source, REFERRAL_SOURCE) {
        o.push("8866", cd, row, &["ReferralSource"]);
    }
    if let Some(cl) = e.closure_date {
        if !ctx.in_year(cl) {
            o.push("8620", cd, row, &["CINclosureDate"]);
        }
        if r.is_some_and(|r| cl < r) {
            o.push("8630", cd, row, &["CINclosureDate", "CINreferralDate"]);
        }
        if e.reason_for_closure.is_none() {
            o.push("8805", cd, row, &["CINclosureDate", "ReasonForClosure"]);
        }
        let later = e
            .assessments
            .iter()
            .flat_map(|a| [a.start, a.authorisation])
            .chain(
                e.section47
                    .iter()
                    .flat_map(|s| [s.start, s.date_of_initial_cpc]),
            )
            .chain(e.cpps.iter().map(|p| p.end))
            .chain(e.plans.iter().flat_map(|p| [p.start, p.end]))
            .flatten()
            .any(|d| d > cl);
        if later {
            o.push("8565", cd, row, &["CINclosureDate"]);
        }
        if e.assessments.iter().any(|a| a.authorisation.is_none()) {
            o.push(
                "8867",
                cd,
                row,
                &["CINclosureDate", "AssessmentAuthorisationDate"],
            );
        }
        if e.section47
            .iter()
            .any(|s| s.date_of_initial_cpc.is_none() && s.icpc_not_required != Some(true))
        {
            o.push(
                "8868",
                cd,
                row,
                &["CINclosureDate", "DateOfInitialCPC", "ICPCnotRequired"],
            );
        }
    }
    if e.reason_for_closure.is_some() {
        if !code_in(&e.reason_for_closure, CLOSURE_REASON) {
            o.push("8640", cd, row, &["ReasonForClosure"]);
        }
        if e.closure_date.is_none() {
            o.push("8810", cd, row, &["ReasonForClosure", "CINclosureDate"]);
        }
    }
    let rc = e.reason_for_closure.as_deref();
    if matches!(rc, Some("RC8" | "RC9")) {
        if !e.section47.is_empty()
            || !e.cpps.is_empty()
            || e.date_of_initial_cpc.is_some()
            || !e.plans.is_empty()
        {
            o.push("2990", cd, row, &["ReasonForClosure"]);
        }
        if e.assessments.is_empty() {
            o.push("8825Q", cd, row, &["ReasonForClosure"]);
        }
    }
    if rc == Some("RC2") && c.death_date.is_none() {
        o.push("8585Q", cd, row, &["ReasonForClosure", "PersonDeathDate"]);
    }
    if !e.section47.is_empty() && e.assessments.is_empty() {
        o.push("2991Q", cd, row, &["S47ActualStartDate"]);
    }
    if e.referral_nfa == Some(true)
        && (!e.assessments.is_empty()
            || !e.section47.is_empty()
            || e.date_of_initial_cpc.is_some()
            || !e.plans.is_empty()
            || !e.cpps.is_empty())
    {
        o.push("8831", cd, row, &["ReferralNFA"]);
    }
    if let Some(icpc) = e.date_of_initial_cpc {
        if e.section47
            .iter()
            .any(|s| s.date_of_initial_cpc == Some(icpc))
        {
            o.push("2884", Module::Section47, row, &["DateOfInitialCPC"]);
        }
        if r.is_some_and(|r| icpc < r) {
            o.push("1104", cd, row, &["DateOfInitialCPC", "CINreferralDate"]);
        }
        if !ctx.in_year(icpc) {
            o.push("8715", cd, row, &["DateOfInitialCPC"]);
        }
        if weekend(icpc) {
            o.push("8875", cd, row, &["DateOfInitialCPC"]);
        }
    }

    check_assessments(ctx, e, o);
    check_plans(ctx, c, e, o);
    check_section47(ctx, e, o);
    check_cpps(ctx, c, e, o);
}

fn check_assessments(ctx: &Ctx, e: &CinDetails, o: &mut Out<'_>) {
    let m = Module::Assessments;
    let open: Vec<&Assessment> = e
        .assessments
        .iter()
        .filter(|a| a.authorisation.is_none())
        .collect();
    if open.len() > 1 {
        for a in &open {
            o.push("8896", m, a.row, &["AssessmentAuthorisationDate"]);
        }
    }
    for a in &e.assessments {
        if let (Some(s), Some(r)) = (a.start, e.referral_date)
            && s < r
        {
            o.push(
                "1103",
                m,
                a.row,
                &["AssessmentActualStartDate", "CINreferralDate"],
            );
        }
        if let (Some(s), Some(auth)) = (a.start, a.authorisation)
            && s > auth
        {
            o.push(
                "8608",
                m,
                a.row,
                &["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
            );
        }
        if a.authorisation.is_none() && (a.has_factors || !a.factors.is_empty()) {
            o.push(
                "8614",
                m,
                a.row,
                &["AssessmentFactors", "AssessmentAuthorisationDate"],
            );
        }
        if let (None, Some(s)) = (a.authorisation, a.start) {
            // An assessment not yet completed must have started within the census year.
            if !ctx.in_year(s) {
                o.push(
                    "8736",
                    m,
                    a.row,
                    &["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
                );
            }
            if domain_due(s, 45).is_some_and(|due| due < ctx.reference_date) {
                o.push(
                    "8670Q",
                    m,
                    a.row,
                    &["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
                );
            }
        }
        if a.authorisation.is_some_and(|d| !ctx.in_year(d)) {
            o.push("8696", m, a.row, &["AssessmentAuthorisationDate"]);
        }
        if a.authorisation.is_some() && a.factors.is_empty() {
            o.push("8897Q", m, a.row, &["AssessmentFactors"]);
        }
        if a.factors.len() > 1 && a.factors.iter().any(|f| f == "21") {
            o.push("8869", m, a.row, &["AssessmentFactors"]);
        }
        let mut seen = HashSet::new();
        if a.factors.iter().any(|f| !seen.insert(f.as_str())) {
            o.push("8898", m, a.row, &["AssessmentFactors"]);
        }
        if a.factors.iter().any(|f| f == "18A") {
            o.push("8945Q", m, a.row, &["AssessmentFactors"]);
        }
        if a.factors.iter().any(|f| f == "19A") {
            o.push("8950Q", m, a.row, &["AssessmentFactors"]);
        }
        // Starts while another assessment of the episode is ongoing.
        if let Some(s) = a.start {
            let during_other = e.assessments.iter().any(|b| {
                b.row != a.row && b.start.is_some_and(|bs| bs < s) && open_end(b.authorisation) > s
            });
            if during_other {
                o.push("8863Q", m, a.row, &["AssessmentActualStartDate"]);
            }
        }
    }
    if e.assessments.len() == 1
        && e.assessments[0].factors == ["21"]
        && !matches!(e.reason_for_closure.as_deref(), Some("RC8" | "RC9"))
    {
        o.push(
            "8873Q",
            m,
            e.assessments[0].row,
            &["AssessmentFactors", "ReasonForClosure"],
        );
    }
}

/// The date `n` working days after `d` on the England calendar, when it is within the calendar.
fn domain_due(d: NaiveDate, n: u32) -> Option<NaiveDate> {
    domain::calendar::Calendar::england()
        .add_working_days(d, n)
        .ok()
}

fn check_plans(ctx: &Ctx, c: &Child, e: &CinDetails, o: &mut Out<'_>) {
    let m = Module::CinPlanDates;
    if e.referral_nfa == Some(true) {
        for p in &e.plans {
            o.push("4000", m, p.row, &["CINPlanStartDate", "ReferralNFA"]);
        }
    }
    let open: Vec<&CinPlan> = e.plans.iter().filter(|p| p.end.is_none()).collect();
    if open.len() > 1 {
        for p in &open[1..] {
            o.push("4004", m, p.row, &["CINPlanEndDate"]);
        }
    }
    if !open.is_empty() && e.cpps.iter().any(|p| p.end.is_none()) {
        o.push("4001", m, open[0].row, &["CINPlanEndDate", "CPPendDate"]);
    }
    for p in &e.plans {
        match p.start {
            None => o.push("4010", m, p.row, &["CINPlanStartDate"]),
            Some(s) if s > ctx.reference_date => o.push("4010", m, p.row, &["CINPlanStartDate"]),
            _ => {}
        }
        if let (Some(s), Some(death)) = (p.start, c.death_date)
            && s > death
        {
            o.push("4008", m, p.row, &["CINPlanStartDate", "PersonDeathDate"]);
        }
        if let (Some(end), Some(death)) = (p.end, c.death_date)
            && end > death
        {
            o.push("4009Q", m, p.row, &["CINPlanEndDate", "PersonDeathDate"]);
        }
        if let (Some(s), Some(end)) = (p.start, p.end) {
            if end < s {
                o.push("4011", m, p.row, &["CINPlanEndDate", "CINPlanStartDate"]);
            }
            if end == s {
                o.push("4012Q", m, p.row, &["CINPlanEndDate", "CINPlanStartDate"]);
            }
        }
        if p.end.is_some_and(|end| !ctx.in_year(end)) {
            o.push("4013", m, p.row, &["CINPlanEndDate"]);
        }
        if let (Some(s), Some(r)) = (p.start, e.referral_date)
            && s < r
        {
            o.push("4015", m, p.row, &["CINPlanStartDate", "CINreferralDate"]);
        }
        if let Some(s) = p.start {
            if e.plans.iter().any(|q| {
                q.row != p.row
                    && q.start
                        .is_some_and(|qs| qs < s || (qs == s && q.row < p.row))
                    && s <= open_end(q.end)
                    && q.start.is_some_and(|qs| s >= qs)
            }) {
                o.push("4014", m, p.row, &["CINPlanStartDate", "CINPlanEndDate"]);
            }
            if e.cpps
                .iter()
                .any(|cp| cp.start.is_some_and(|cs| s >= cs && s < open_end(cp.end)))
            {
                o.push(
                    "4016",
                    m,
                    p.row,
                    &["CINPlanStartDate", "CPPstartDate", "CPPendDate"],
                );
            }
        }
    }
    for cp in &e.cpps {
        if let Some(cs) = cp.start
            && e.plans
                .iter()
                .any(|p| p.start.is_some_and(|ps| cs >= ps && cs < open_end(p.end)))
        {
            o.push(
                "4017",
                Module::ChildProtectionPlans,
                cp.row,
                &["CPPstartDate", "CINPlanStartDate", "CINPlanEndDate"],
            );
        }
        for rv in &cp.reviews {
            if let Some(d) = rv.date
                && cp.end != Some(d)
                && e.plans
                    .iter()
                    .any(|p| p.start.is_some_and(|ps| d >= ps && d <= open_end(p.end)))
            {
                o.push(
                    "4003",
                    Module::Reviews,
                    rv.row,
                    &["CPPreviewDate", "CINPlanStartDate", "CINPlanEndDate"],
                );
            }
        }
    }
}

fn check_section47(ctx: &Ctx, e: &CinDetails, o: &mut Out<'_>) {
    let m = Module::Section47;
    let open: Vec<&Section47> = e
        .section47
        .iter()
        .filter(|s| s.date_of_initial_cpc.is_none() && s.icpc_not_required != Some(true))
        .collect();
    if open.len() > 1 {
        for s in &open[1..] {
            o.push("8839", m, s.row, &["DateOfInitialCPC", "ICPCnotRequired"]);
        }
    }
    for s in &e.section47 {
        if let (Some(st), Some(r)) = (s.start, e.referral_date)
            && st < r
        {
            o.push("2889", m, s.row, &["S47ActualStartDate", "CINreferralDate"]);
        }
        if let Some(icpc) = s.date_of_initial_cpc {
            if e.referral_date.is_some_and(|r| icpc < r) {
                o.push("1104", m, s.row, &["DateOfInitialCPC", "CINreferralDate"]);
            }
            if s.start.is_none_or(|st| st > icpc) {
                o.push(
                    "8615",
                    m,
                    s.row,
                    &["S47ActualStartDate", "DateOfInitialCPC"],
                );
            }
            if !ctx.in_year(icpc) {
                o.push("8715", m, s.row, &["DateOfInitialCPC"]);
            }
            if weekend(icpc) {
                o.push("8875", m, s.row, &["DateOfInitialCPC"]);
            }
        }
        if s.initial_cpc_target.is_some_and(weekend) {
            o.push("8870Q", m, s.row, &["InitialCPCtarget"]);
        }
        if s.date_of_initial_cpc.is_none()
            && s.icpc_not_required == Some(false)
            && let Some(st) = s.start
            && domain_due(st, 15).is_some_and(|due| due < ctx.reference_date)
        {
            o.push(
                "8675Q",
                m,
                s.row,
                &["S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"],
            );
        }
        if s.date_of_initial_cpc.is_none()
            && s.icpc_not_required != Some(true)
            && s.start.is_some_and(|st| !ctx.in_year(st))
        {
            o.push(
                "8740",
                m,
                s.row,
                &["S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"],
            );
        }
        if let Some(st) = s.start {
            let during_other = e.section47.iter().any(|t| {
                t.row != s.row
                    && t.start.is_some_and(|ts| ts < st)
                    && t.date_of_initial_cpc.is_none_or(|end| end > st)
                    && t.icpc_not_required != Some(true)
            });
            if during_other {
                o.push("8890", m, s.row, &["S47ActualStartDate"]);
            }
        }
    }
}

fn check_cpps(ctx: &Ctx, c: &Child, e: &CinDetails, o: &mut Out<'_>) {
    let m = Module::ChildProtectionPlans;
    if e.referral_nfa == Some(true) {
        for p in &e.cpps {
            o.push("8832", m, p.row, &["CPPstartDate", "ReferralNFA"]);
        }
    }
    let open: Vec<&ChildProtectionPlan> = e.cpps.iter().filter(|p| p.end.is_none()).collect();
    if open.len() > 1 {
        for p in &open[1..] {
            o.push("8935", m, p.row, &["CPPendDate"]);
        }
    }
    for p in &e.cpps {
        if let (Some(s), Some(r)) = (p.start, e.referral_date)
            && s < r
        {
            o.push("1105", m, p.row, &["CPPstartDate", "CINreferralDate"]);
        }
        if let Some(s) = p.start
            && ctx.in_year(s)
        {
            let matches_s47 = e.section47.iter().any(|x| x.date_of_initial_cpc == Some(s));
            let matches_episode = e.section47.is_empty() && e.date_of_initial_cpc == Some(s);
            if !matches_s47 && !matches_episode {
                o.push("2885", m, p.row, &["CPPstartDate", "DateOfInitialCPC"]);
            }
        }
        match p.start {
            None => o.push("8720", m, p.row, &["CPPstartDate"]),
            Some(s) if s > ctx.reference_date => o.push("8720", m, p.row, &["CPPstartDate"]),
            _ => {}
        }
        if p.previous_plans.is_none() {
            o.push("8730", m, p.row, &["NumberOfPreviousCPP"]);
        }
        if let (Some(s), Some(end)) = (p.start, p.end) {
            if s == end {
                o.push("8840", m, p.row, &["CPPstartDate", "CPPendDate"]);
            }
            if end < s {
                o.push("8925", m, p.row, &["CPPendDate", "CPPstartDate"]);
            }
        }
        if let Some(s) = p.start {
            for rv in &p.reviews {
                if rv.date.is_some_and(|d| d <= s) {
                    o.push(
                        "8841",
                        Module::Reviews,
                        rv.row,
                        &["CPPreviewDate", "CPPstartDate"],
                    );
                }
            }
        }
        for rv in &p.reviews {
            if rv.date.is_none() {
                o.push("8842Q", Module::Reviews, rv.row, &["CPPreviewDate"]);
            }
        }
        if p.has_reviews && p.reviews.is_empty() {
            o.push("8842Q", m, p.row, &["CPPreviewDate"]);
        }
        if !code_in(&p.initial_category, ABUSE_CATEGORY) {
            o.push("8905", m, p.row, &["InitialCategoryOfAbuse"]);
        }
        if !code_in(&p.latest_category, ABUSE_CATEGORY) {
            o.push("8910", m, p.row, &["LatestCategoryOfAbuse"]);
        }
        if let (Some(s), Some(death)) = (p.start, c.death_date)
            && s > death
        {
            o.push("8915", m, p.row, &["CPPstartDate", "PersonDeathDate"]);
        }
        if let (Some(end), Some(death)) = (p.end, c.death_date)
            && end > death
        {
            o.push("8920", m, p.row, &["CPPendDate", "PersonDeathDate"]);
        }
        if p.end.is_some_and(|end| !ctx.in_year(end)) {
            o.push("8930", m, p.row, &["CPPendDate"]);
        }
        if let Some(s) = p.start
            && e.cpps.iter().any(|q| {
                q.row != p.row
                    && q.start
                        .is_some_and(|qs| qs < s || (qs == s && q.row < p.row))
                    && q.start.is_some_and(|qs| s >= qs)
                    && s < open_end(q.end)
            })
        {
            o.push("8940", m, p.row, &["CPPstartDate", "CPPendDate"]);
        }
    }
}

/// Whole-return rules: running totals over the children, reported at the end.
#[derive(Default)]
pub struct ReturnChecks {
    /// Rows of each LAchildID (foldhash: the default hasher was a noticeable part of a
    /// census's validation; [`ReturnChecks::finish`] sorts what it reports from these).
    child_ids: foldhash::HashMap<String, Vec<usize>>,
    /// Rows (and LAchildIDs) of each UPN.
    upns: foldhash::HashMap<String, Vec<(usize, Option<String>)>>,
    cpp_starts_in_year: usize,
    icpcs_in_year: usize,
    not_unborn: usize,
    sex_missing: usize,
    disability_codes: HashSet<String>,
    children_with_disability_records: usize,
    children_with_several: usize,
}

impl ReturnChecks {
    pub fn add(&mut self, ctx: &Ctx, c: &Child) {
        if let Some(id) = &c.la_child_id {
            self.child_ids.entry(id.clone()).or_default().push(c.row);
        }
        if let Some(upn) = &c.upn {
            self.upns
                .entry(upn.clone())
                .or_default()
                .push((c.row, c.la_child_id.clone()));
        }
        for e in &c.cin_details {
            self.cpp_starts_in_year += e
                .cpps
                .iter()
                .filter(|p| p.start.is_some_and(|s| ctx.in_year(s)))
                .count();
            self.icpcs_in_year += e
                .section47
                .iter()
                .filter(|s| s.date_of_initial_cpc.is_some_and(|d| ctx.in_year(d)))
                .count();
            self.icpcs_in_year +=
                usize::from(e.date_of_initial_cpc.is_some_and(|d| ctx.in_year(d)));
        }
        if c.birth_date.is_some() {
            self.not_unborn += 1;
            if !matches!(c.sex.as_deref(), Some("M" | "F")) {
                self.sex_missing += 1;
            }
        }
        let real: Vec<&Coded> = c.disabilities.iter().filter(|d| d.code != "NONE").collect();
        for d in &real {
            self.disability_codes.insert(d.code.clone());
        }
        if !real.is_empty() {
            self.children_with_disability_records += 1;
            if real.len() > 1 {
                self.children_with_several += 1;
            }
        }
    }

    pub fn finish(self, findings: &mut Vec<Finding>) {
        // Every record that shares an LAchildID or a UPN with another, in file order.
        let mut duplicates: Vec<(usize, &'static str, Option<&str>, &'static str)> = Vec::new();
        for (id, rows) in self.child_ids.iter().filter(|(_, r)| r.len() > 1) {
            duplicates.extend(
                rows.iter()
                    .map(|r| (*r, "8510", Some(id.as_str()), "LAchildID")),
            );
        }
        for rows in self.upns.values().filter(|r| r.len() > 1) {
            duplicates.extend(
                rows.iter()
                    .map(|(r, id)| (*r, "1520", id.as_deref(), "UPN")),
            );
        }
        duplicates.sort();
        for (row, code, child, field) in duplicates {
            push(
                findings,
                code,
                Module::ChildIdentifiers,
                Some(row),
                child,
                &[field],
            );
        }
        if self.cpp_starts_in_year > self.icpcs_in_year {
            push(
                findings,
                "2883",
                Module::ChildProtectionPlans,
                None,
                None,
                &["CPPstartDate", "DateOfInitialCPC"],
            );
        }
        if self.not_unborn > 0 && self.sex_missing * 50 > self.not_unborn {
            push(
                findings,
                "2886Q",
                Module::ChildIdentifiers,
                None,
                None,
                &["Sex"],
            );
        }
        // More than 7 different codes (NONE aside) should be used across a return.
        if self.disability_codes.len() <= 7 {
            push(
                findings,
                "2887Q",
                Module::Disabilities,
                None,
                None,
                &["Disability"],
            );
        }
        if self.children_with_disability_records > 0 && self.children_with_several == 0 {
            push(
                findings,
                "2888Q",
                Module::Disabilities,
                None,
                None,
                &["Disability"],
            );
        }
    }
}

/// Rule 100: the reference date is 31 March of the census year.
pub fn check_header(header: &Header, findings: &mut Vec<Finding>) -> Option<Ctx> {
    let ok = header.reference_date.filter(|d| {
        d.month() == 3
            && d.day() == 31
            && header
                .year
                .as_deref()
                .is_none_or(|y| y == d.year().to_string())
    });
    if ok.is_none() {
        push(
            findings,
            "100",
            Module::Header,
            Some(0),
            None,
            &["ReferenceDate"],
        );
    }
    header.reference_date.map(Ctx::new)
}

/// The rule codes this module implements.
pub const IMPLEMENTED: &[&str] = &[
    "100", "1103", "1104", "1105", "1510", "1520", "1530", "1540", "1550", "1560Q", "1570", "1580",
    "2883", "2884", "2885", "2886Q", "2887Q", "2888Q", "2889", "2990", "2991Q", "4000", "4001",
    "4003", "4004", "4008", "4009Q", "4010", "4011", "4012Q", "4013", "4014", "4015", "4016",
    "4017", "4180", "4220", "8500", "8510", "8520", "8525Q", "8530Q", "8535Q", "8540", "8545Q",
    "8555Q", "8565", "8568", "8569Q", "8585Q", "8590", "8600", "8606", "8608", "8610", "8614",
    "8615", "8620", "8630", "8640", "8650", "8670Q", "8675Q", "8696", "8715", "8720", "8730",
    "8736", "8740", "8750", "8770Q", "8772", "8775Q", "8790", "8794", "8805", "8810", "8815",
    "8816", "8820", "8825Q", "8831", "8832", "8839", "8840", "8841", "8842Q", "8863Q", "8866",
    "8867", "8868", "8869", "8870Q", "8873Q", "8875", "8890", "8896", "8897Q", "8898", "8905",
    "8910", "8915", "8920", "8925", "8930", "8935", "8940", "8945Q", "8950Q",
];

/// Rules not run, with the reason.
/// Rules not run, with the reason (every 2025/26 rule runs on the file alone).
pub const NOT_RUN: &[(&str, &str)] = &[];
