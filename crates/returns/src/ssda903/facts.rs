//! What many 903 rules need about a child, worked out once per validation: the date of birth, the
//! episodes in date order and whether the child was looked after continuously for 12 months.
//! Values that are blank or garbled are left out here, so that rules built on these facts do not
//! match them (the field rules report them).

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use foldhash::{HashMap, HashSet};

use super::rules::{Ctx, date};
use super::{Return, Table};

/// A value without the white space around it. The readers trim every value already, so this
/// looks at the first and last bytes and trims only where one is white space or not ASCII (the
/// last byte of any Unicode white space is): `str::trim` itself was a tenth of a validation.
pub(super) fn trim(v: &str) -> &str {
    let plain = |b: u8| b.is_ascii() && !b.is_ascii_whitespace();
    match v.as_bytes() {
        [] => v,
        [first, .., last] | [first @ last] if plain(*first) && plain(*last) => v,
        _ => v.trim(),
    }
}

/// The trimmed value of a column of a row, "" where the row is short.
pub(super) fn cell<'a>(t: Table, r: &'a [String], col: &str) -> &'a str {
    r.get(t.col(col)).map_or("", |s| trim(s))
}

/// Whether a value is one of the codes (case-insensitive; a blank is none of them).
pub(super) fn is(v: &str, codes: &[&str]) -> bool {
    let v = trim(v);
    !v.is_empty() && codes.iter().any(|c| c.eq_ignore_ascii_case(v))
}

/// A value in capitals (as `str::to_uppercase`), borrowed where it has no lower-case letter to
/// change: most codes are written in capitals already, and this is called for many of them.
pub(super) fn upper(v: &str) -> std::borrow::Cow<'_, str> {
    if v.is_ascii() && !v.bytes().any(|b| b.is_ascii_lowercase()) {
        std::borrow::Cow::Borrowed(v)
    } else {
        std::borrow::Cow::Owned(v.to_uppercase())
    }
}

/// Whether two values are the same once their spaces are taken out and in capitals (as
/// comparing `v.replace(' ', "").to_uppercase()`), without copying them where both are ASCII.
pub(super) fn same_squashed(a: &str, b: &str) -> bool {
    if !(a.is_ascii() && b.is_ascii()) {
        let squash = |v: &str| v.replace(' ', "").to_uppercase();
        return squash(a) == squash(b);
    }
    let mut x = a.bytes().filter(|c| *c != b' ');
    let mut y = b.bytes().filter(|c| *c != b' ');
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p.eq_ignore_ascii_case(&q) => {}
            _ => return false,
        }
    }
}

/// The date `years` years after `d` (29 February becomes 28 February, as DfE's tools do).
pub(super) fn plus_years(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_add_months(Months::new(12 * years))
        .unwrap_or(NaiveDate::MAX)
}

/// The date `days` days after `d` (the latest date there is, rather than overflowing).
pub(super) fn plus_days(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(chrono::Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

pub(super) const TEMPORARY: &[&str] = &["T0", "T1", "T2", "T3", "T4"];
pub(super) const SHORT_BREAKS: &[&str] = &["V3", "V4"];
pub(super) const ADOPTED: &[&str] = &["E11", "E12"];
pub(super) const PLACED_FOR_ADOPTION: &[&str] = &["A3", "A4", "A5", "A6"];

/// One episode row with its dates parsed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ep<'a> {
    /// 0-based row in the Episodes table.
    pub i: usize,
    pub r: &'a [String],
    pub decom: NaiveDate,
    pub dec: Option<NaiveDate>,
}

impl<'a> Ep<'a> {
    pub fn get(&self, col: &str) -> &'a str {
        cell(Table::Episodes, self.r, col)
    }
    pub fn is(&self, col: &str, codes: &[&str]) -> bool {
        is(self.get(col), codes)
    }
    pub fn child(&self) -> &'a str {
        self.get("CHILD")
    }
    /// The end date, or `end` where the episode is open (or its end unreadable).
    pub fn dec_or(&self, end: NaiveDate) -> NaiveDate {
        self.dec.unwrap_or(end)
    }

    /// The order of a child's episodes: by start date, then among episodes starting the same
    /// day by end date with open ones last, then by row, so that the rules' findings do not
    /// depend on the order of the file's rows (only exact duplicates fall back on it).
    pub fn order(&self) -> (NaiveDate, bool, Option<NaiveDate>, usize) {
        (self.decom, self.dec.is_none(), self.dec, self.i)
    }
}

/// The facts shared by the rules.
pub(super) struct Facts<'a> {
    pub ctx: Ctx,
    pub ret: &'a Return,
    /// Date of birth from the Header, by CHILD (valid dates only).
    pub dob: HashMap<&'a str, NaiveDate>,
    /// Header row by CHILD (the first, where a child is repeated).
    pub header_row: HashMap<&'a str, usize>,
    /// Each child's episodes with a valid DECOM, in [`Ep::order`], the children in CHILD order
    /// (so that the rules report them in that order); [`Facts::episodes`] finds a child's.
    pub eps: Vec<(&'a str, Vec<Ep<'a>>)>,
    /// Where each child is in `eps`.
    eps_at: HashMap<&'a str, usize>,
    /// Children looked after continuously for 12 months at 31 March.
    pub cla: HashSet<&'a str>,
    /// The previous year's return, where given.
    pub prev: Option<&'a Return>,
    /// Each child's episodes in the previous year's return, in [`Ep::order`].
    pub prev_eps: BTreeMap<&'a str, Vec<Ep<'a>>>,
}

/// Items grouped by child: the children in CHILD order (the order of a `BTreeMap` on CHILD),
/// each child's items in the order given, and where each child is.
pub(super) struct ByChild<'a, T> {
    pub groups: Vec<(&'a str, Vec<T>)>,
    pub at: HashMap<&'a str, usize>,
}

impl<'a, T> ByChild<'a, T> {
    /// Groups the items. A return's rows are nearly always in CHILD order, a child's rows
    /// together: a row of the child before it needs no look-up, and the children, gathered in
    /// the order they first appear, are then sorted in one pass.
    pub fn new(items: impl IntoIterator<Item = (&'a str, T)>) -> Self {
        let mut at: HashMap<&str, usize> = HashMap::default();
        let mut groups: Vec<(&str, Vec<T>)> = Vec::new();
        for (child, x) in items {
            if let Some((last, v)) = groups.last_mut()
                && *last == child
            {
                v.push(x);
                continue;
            }
            match at.entry(child) {
                std::collections::hash_map::Entry::Occupied(k) => groups[*k.get()].1.push(x),
                std::collections::hash_map::Entry::Vacant(k) => {
                    k.insert(groups.len());
                    groups.push((child, vec![x]));
                }
            }
        }
        if !groups.is_sorted_by(|a, b| a.0 <= b.0) {
            groups.sort_by(|a, b| a.0.cmp(b.0));
            for (k, (child, _)) in groups.iter().enumerate() {
                at.insert(child, k);
            }
        }
        ByChild { groups, at }
    }

    /// The child's items (none where it has none).
    pub fn get(&self, child: &str) -> Option<&Vec<T>> {
        self.at.get(child).map(|k| &self.groups[*k].1)
    }
}

/// The trimmed value of a row's column `k`, "" where the row is short.
fn at(r: &[String], k: usize) -> &str {
    r.get(k).map_or("", |s| trim(s))
}

/// Each child's episodes with a valid DECOM, in [`Ep::order`].
fn episodes_grouped(ret: &Return) -> ByChild<'_, Ep<'_>> {
    let e = Table::Episodes;
    let (c, decom, dec) = (e.col("CHILD"), e.col("DECOM"), e.col("DEC"));
    let mut eps = ByChild::new(ret.rows(e).iter().enumerate().filter_map(|(i, r)| {
        let start = date(at(r, decom))?;
        Some((
            at(r, c),
            Ep {
                i,
                r,
                decom: start,
                dec: date(at(r, dec)),
            },
        ))
    }));
    for (_, v) in &mut eps.groups {
        v.sort_by_key(Ep::order);
    }
    eps
}

/// Each child's episodes with a valid DECOM, in [`Ep::order`].
pub(super) fn episodes_by_child(ret: &Return) -> BTreeMap<&str, Vec<Ep<'_>>> {
    episodes_grouped(ret).groups.into_iter().collect()
}

impl<'a> Facts<'a> {
    pub fn new(ctx: Ctx, ret: &'a Return, prev: Option<&'a Return>) -> Facts<'a> {
        let h = Table::Header;
        let n = ret.rows(h).len();
        let mut dob = HashMap::with_capacity_and_hasher(n, Default::default());
        let mut header_row = HashMap::with_capacity_and_hasher(n, Default::default());
        for (i, r) in ret.rows(h).iter().enumerate() {
            let child = cell(h, r, "CHILD");
            header_row.entry(child).or_insert(i);
            if let Some(d) = date(cell(h, r, "DOB")) {
                dob.entry(child).or_insert(d);
            }
        }
        let ByChild {
            groups: eps,
            at: eps_at,
        } = episodes_grouped(ret);
        let cla = eps
            .iter()
            .filter(|(_, v)| continuously_looked_after(ctx, v))
            .map(|(c, _)| *c)
            .collect();
        Facts {
            ctx,
            ret,
            dob,
            header_row,
            eps,
            eps_at,
            cla,
            prev,
            prev_eps: prev.map(episodes_by_child).unwrap_or_default(),
        }
    }

    /// The child's episodes in date order (none where the child has none).
    pub fn episodes(&self, child: &str) -> &[Ep<'a>] {
        self.eps_at
            .get(child)
            .map_or(&[], |k| self.eps[*k].1.as_slice())
    }

    /// The child's date of birth from the Header, else from the row's own DOB column.
    pub fn dob_of(&self, child: &str, own: &str) -> Option<NaiveDate> {
        self.dob.get(child).copied().or_else(|| date(own))
    }
}

/// DfE's test for "looked after continuously for 12 months at 31 March": the child has an episode
/// in the year, and none that starts a period of care after 1 April (RNE S), none that ends care
/// during the year (a DEC with REC other than X1 before 31 March), and no short-break (V3/V4)
/// episode in the year.
fn continuously_looked_after(ctx: Ctx, eps: &[Ep]) -> bool {
    let mut in_year = false;
    for e in eps {
        let during = e.decom <= ctx.end && e.dec.is_none_or(|d| d >= ctx.start);
        in_year |= during;
        let enters = e.is("RNE", &["S"]) && e.decom > ctx.start && e.decom <= ctx.end;
        let leaves = !e.is("REC", &["X1"]) && e.dec.is_some_and(|d| d >= ctx.start && d < ctx.end);
        if enters || leaves || (during && e.is("LS", SHORT_BREAKS)) {
            return false;
        }
    }
    in_year
}

/// A period of care: consecutive episodes, each starting by the day the one before ended.
#[derive(Debug, Clone, Copy)]
pub(super) struct Period {
    pub start: NaiveDate,
    /// The end of its last episode; None while it is open.
    pub end: Option<NaiveDate>,
}

/// A child's periods of care, from its episodes in date order.
pub(super) fn periods(eps: &[Ep]) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::new();
    for (k, e) in eps.iter().enumerate() {
        let continues = k > 0 && eps[k - 1].dec.is_some_and(|d| e.decom <= d);
        match out.last_mut() {
            Some(p) if continues => p.end = e.dec,
            _ => out.push(Period {
                start: e.decom,
                end: e.dec,
            }),
        }
    }
    out
}
