//! Rules needing reference data besides the return (see [`super::reference`]): those on the
//! fields DfE derives from the postcodes (the placement's distance from home `PL_DISTANCE`, its
//! local authority `PL_LA` and whether it is in the council's area `PL_LOCATION`), and those
//! checking a URN against Ofsted's provider lists. Each rule runs only when what it needs was
//! given; [`missing`] says what a rule lacks, for the validation's `skipped` list.
//!
//! The derived fields, worked out once per episode:
//! - `PL_DISTANCE`: straight-line miles between the home and placement postcodes' grid
//!   references, sqrt(Δeasting² + Δnorthing²) / 1000 / 1.6093, to one decimal place (DfE's
//!   formula). It is *not recorded* where either postcode is blank, and *not computable* where
//!   both are given but one is not in the directory or has no grid reference (DfE's tools record
//!   999.9 then).
//! - `PL_LA`: the upper-tier authority of the placement postcode (see the reference module), none
//!   where the postcode is blank or not in the directory.
//! - `PL_LOCATION`: `IN` where `PL_LA` is the council's own code, else `OUT`; none with no `PL_LA`.
//!
//! A child is "UASC or formerly UASC" when it is in this year's UASC table, or in last year's
//! where that return is given.

use std::collections::BTreeMap;

use foldhash::HashSet;

use super::facts::{Ep, SHORT_BREAKS, cell, episodes_by_child, is};
use super::reference::{PostcodeDirectory, Reference, normalise_postcode};
use super::rules::{Ctx, Out, date};
use super::rules_episodes::postcode_well_formed;
use super::{Return, Table};

const E: Table = Table::Episodes;

/// What a rule needs besides this year's return.
#[derive(Debug, Clone, Copy)]
pub struct Needs {
    pub postcodes: bool,
    pub providers: bool,
    pub la: bool,
    pub previous: bool,
}

const fn n(postcodes: bool, providers: bool, la: bool, previous: bool) -> Needs {
    Needs {
        postcodes,
        providers,
        la,
        previous,
    }
}

/// The rules needing reference data, and what each needs.
pub const REFERENCE: &[(&str, Needs)] = &[
    ("164", n(true, false, false, false)),
    ("169", n(true, false, false, false)),
    ("179", n(true, false, true, false)),
    ("392a", n(true, false, false, false)),
    ("406", n(true, false, false, false)),
    ("420", n(true, false, false, false)),
    ("452", n(true, false, false, true)),
    ("453", n(true, false, false, true)),
    ("454", n(true, false, false, false)),
    ("503G", n(true, false, false, true)),
    ("503H", n(true, false, false, true)),
    ("503J", n(true, false, true, true)),
    ("1015", n(true, false, true, false)),
    ("219", n(false, true, false, false)),
    ("221", n(false, true, false, false)),
    ("224", n(false, true, false, false)),
    ("227", n(false, true, false, false)),
    ("228", n(false, true, false, false)),
    ("229", n(true, true, true, false)),
    ("1008", n(false, true, false, false)),
];

/// Rules that cannot fail when the fields they compare are derived as Hearth derives them, with
/// why; reported as not run.
pub const BY_CONSTRUCTION: &[(&str, &str)] = &[(
    "411",
    "cannot fail in Hearth: PL_LOCATION is derived from PL_LA, so the two never disagree",
)];

/// What a rule lacks to run, in words ("needs a postcode directory and the council's LA code");
/// None where it can run.
pub fn missing(needs: Needs, reference: &Reference, previous: bool) -> Option<String> {
    let mut lack = Vec::new();
    if needs.previous && !previous {
        lack.push("the previous year's return");
    }
    if needs.postcodes && reference.postcodes.is_none() {
        lack.push("a postcode directory");
    }
    if needs.providers && reference.providers.is_none() {
        lack.push("the Ofsted provider lists");
    }
    if needs.la && reference.la.is_none() {
        lack.push("the council's LA code");
    }
    let last = lack.pop()?;
    Some(if lack.is_empty() {
        format!("needs {last}")
    } else {
        format!("needs {} and {last}", lack.join(", "))
    })
}

/// The distance from home, as derived.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Distance {
    /// A postcode is blank.
    NotRecorded,
    /// Both postcodes are given but one is not in the directory or has no grid reference.
    NotComputable,
    Miles(f64),
}

impl Distance {
    /// The value DfE's tools would record: none, 999.9, or the miles.
    fn value(self) -> Option<f64> {
        match self {
            Distance::NotRecorded => None,
            Distance::NotComputable => Some(999.9),
            Distance::Miles(m) => Some(m),
        }
    }
}

/// The fields derived from one episode's postcodes.
#[derive(Debug, Clone, Copy)]
struct Derived<'a> {
    distance: Distance,
    la: Option<&'a str>,
    /// Whether the placement is IN the council's area; None with no council code or no PL_LA.
    inside: Option<bool>,
}

fn derive<'a>(dir: &'a PostcodeDirectory, own: Option<&str>, r: &[String]) -> Derived<'a> {
    let (home, pl) = (cell(E, r, "HOME_POST"), cell(E, r, "PL_POST"));
    let pl_place = if pl.is_empty() { None } else { dir.get(pl) };
    let distance = if home.is_empty() || pl.is_empty() {
        Distance::NotRecorded
    } else {
        match (
            dir.get(home).and_then(|p| p.grid),
            pl_place.and_then(|p| p.grid),
        ) {
            (Some((e1, n1)), Some((e2, n2))) => {
                let (de, dn) = (f64::from(e1) - f64::from(e2), f64::from(n1) - f64::from(n2));
                let miles = (de * de + dn * dn).sqrt() / 1000.0 / 1.6093;
                Distance::Miles((miles * 10.0).round() / 10.0)
            }
            _ => Distance::NotComputable,
        }
    };
    let la = pl_place.and_then(|p| p.la);
    Derived {
        distance,
        la,
        inside: own.zip(la).map(|(o, l)| o == l),
    }
}

/// Children in a return's UASC table.
fn uasc_children(ret: &Return) -> impl Iterator<Item = &str> {
    ret.rows(Table::Uasc)
        .iter()
        .map(|r| cell(Table::Uasc, r, "CHILD"))
}

/// Runs the rules whose reference data was given.
pub(super) fn check(
    ctx: &Ctx,
    ret: &Return,
    previous: Option<&Return>,
    reference: &Reference,
    o: &mut Out<'_>,
) {
    let runs = |code: &str| {
        REFERENCE
            .iter()
            .find(|(c, _)| *c == code)
            .is_some_and(|(_, needs)| missing(*needs, reference, previous.is_some()).is_none())
    };
    let own = reference.la.as_deref();
    if let Some(dir) = &reference.postcodes {
        let mut uasc: HashSet<&str> = uasc_children(ret).collect();
        uasc.extend(previous.into_iter().flat_map(uasc_children));
        let derived: Vec<Derived> = ret.rows(E).iter().map(|r| derive(dir, own, r)).collect();
        postcode_rules(ret, &derived, &uasc, own, o);
        postcodes_in_directory(ret, dir, o);
        if let Some(prev) = previous {
            year_to_year(ret, prev, &derived, dir, own, &runs, o);
        }
    }
    if let Some(list) = &reference.providers {
        provider_rules(ctx, ret, list, reference, o);
    }
}

/// 392c with a postcode directory: a postcode of the standard's form that is not in the
/// directory is not a postcode either. (The form is checked without a directory, in
/// `rules_episodes`, which reports the episodes with a postcode of the wrong form; those are not
/// reported twice.)
fn postcodes_in_directory(ret: &Return, dir: &PostcodeDirectory, o: &mut Out<'_>) {
    for (i, r) in ret.rows(E).iter().enumerate() {
        let posts = [cell(E, r, "HOME_POST"), cell(E, r, "PL_POST")];
        let given = posts.iter().filter(|p| !p.is_empty());
        if given.clone().all(|p| postcode_well_formed(p))
            && given.clone().any(|p| dir.get(p).is_none())
        {
            o.push("392c", E, i, cell(E, r, "CHILD"), &["HOME_POST", "PL_POST"]);
        }
    }
}

/// 164, 169, 179, 392a, 406, 420, 454, 1015: the derived fields of each episode.
fn postcode_rules(
    ret: &Return,
    derived: &[Derived],
    uasc: &HashSet<&str>,
    own: Option<&str>,
    o: &mut Out<'_>,
) {
    for (i, (r, d)) in ret.rows(E).iter().zip(derived).enumerate() {
        let g = |c: &str| cell(E, r, c);
        let child = g("CHILD");
        let short = is(g("LS"), SHORT_BREAKS);
        let was_uasc = uasc.contains(child);
        let mut p = |code: &'static str, fields: &[&str]| o.push(code, E, i, child, fields);
        // 164: for a child never UASC and not on a short break, the distance is valid: DfE's
        // 0-999.9, where 999.9 is what its tools record when a postcode cannot be placed, so a
        // postcode given but not found in the directory (or with no grid reference) fails here.
        // (A blank postcode is 392a's "no distance recorded".)
        if !short
            && !was_uasc
            && match d.distance {
                Distance::NotComputable => true,
                Distance::Miles(m) => !(0.0..=999.9).contains(&m),
                Distance::NotRecorded => false,
            }
        {
            p("164", &["PL_DISTANCE", "HOME_POST", "PL_POST"]);
        }
        // 392a: a child never UASC, not on a short break, has a distance: both postcodes given.
        if !short && !was_uasc && d.distance == Distance::NotRecorded {
            p("392a", &["PL_DISTANCE", "HOME_POST", "PL_POST"]);
        }
        // 406: a UASC or formerly UASC child has no distance: its home postcode is not recorded
        // (any distance, computable or 999.9, counts as one given).
        if was_uasc && d.distance != Distance::NotRecorded {
            p("406", &["PL_DISTANCE", "HOME_POST"]);
        }
        // 454: a distance over 350 miles (999.9, not computable, excepted; UASC children's
        // distances are 406's).
        if !was_uasc && matches!(d.distance, Distance::Miles(m) if m > 350.0) {
            p("454", &["PL_DISTANCE", "HOME_POST", "PL_POST"]);
        }
        // 169: every episode but a short break has a placement LA: a placement postcode that is
        // in the directory with an LA.
        if !short && d.la.is_none() {
            p("169", &["PL_LA", "PL_POST"]);
        }
        // 179: likewise a placement location (IN or OUT), which needs the council's code.
        if !short && own.is_some() && d.inside.is_none() {
            p("179", &["PL_LOCATION", "PL_POST"]);
        }
        // 420: no placement LA for a short break (V3/V4): its placement postcode gives one.
        if short && d.la.is_some() {
            p("420", &["PL_LA", "LS", "PL_POST"]);
        }
        // 1015: the council's own provision (PR1), other than fostering and adoption placements
        // (whose carers may live outside its area), is in its own area; checked where the
        // placement LA is known (169 reports it missing) and not for short breaks.
        if is(g("PLACE_PROVIDER"), &["PR1"])
            && !g("PLACE").is_empty()
            && !is(
                g("PLACE"),
                &["A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"],
            )
            && !short
            && !g("LS").is_empty()
            && d.inside == Some(false)
        {
            p("1015", &["PL_LA", "PLACE_PROVIDER", "PL_POST"]);
        }
    }
}

/// 452, 453, 503G, 503H, 503J: this year's first episode against last year's latest, where that
/// was open at 31 March. 503G/H/J compare the distance, placement LA and location; 452 and 453
/// compare the LA and distance where the reason for new episode is also the same (DfE's
/// conditions). Last year's fields are derived with the same directory. Distances differ when
/// one is recorded and the other not, or by 0.2 miles or more (DfE's tolerance).
fn year_to_year(
    ret: &Return,
    prev: &Return,
    derived: &[Derived],
    dir: &PostcodeDirectory,
    own: Option<&str>,
    runs: &dyn Fn(&str) -> bool,
    o: &mut Out<'_>,
) {
    let now: BTreeMap<&str, Vec<Ep>> = episodes_by_child(ret);
    let then = episodes_by_child(prev);
    for (child, eps) in &now {
        let first = &eps[0];
        let Some(latest) = then.get(child).and_then(|v| v.last()) else {
            continue;
        };
        if !latest.get("DEC").is_empty() {
            continue;
        }
        let (a, b) = (derived[first.i], derive(dir, own, latest.r));
        let distance_differs = match (a.distance.value(), b.distance.value()) {
            (Some(x), Some(y)) => (x - y).abs() >= 0.2 - 1e-9,
            (x, y) => x.is_some() != y.is_some(),
        };
        let la_differs = a.la != b.la;
        let same_rne = first.get("RNE").eq_ignore_ascii_case(latest.get("RNE"));
        let mut p = |code: &'static str, fields: &[&str]| {
            if runs(code) {
                o.push(code, E, first.i, child, fields);
            }
        };
        if distance_differs {
            p("503G", &["PL_DISTANCE", "HOME_POST", "PL_POST"]);
            if same_rne {
                p("453", &["PL_DISTANCE", "HOME_POST", "PL_POST"]);
            }
        }
        if la_differs {
            p("503H", &["PL_LA", "PL_POST"]);
            if same_rne {
                p("452", &["PL_LA", "PL_POST"]);
            }
        }
        if own.is_some() && a.inside != b.inside {
            p("503J", &["PL_LOCATION", "PL_POST"]);
        }
    }
}

/// 1008, 219, 221, 224, 227, 228, 229: the URN against Ofsted's lists. A URN of XXXXXXX (a
/// provider not inspected by Ofsted) and a blank one are not checked. A URN not in the lists is
/// 1008's finding alone: the other rules check what the lists say of a URN they hold, and only
/// where the lists say it (a provider listed with no placement codes is not checked by 219).
fn provider_rules(
    ctx: &Ctx,
    ret: &Return,
    list: &super::reference::ProviderList,
    reference: &Reference,
    o: &mut Out<'_>,
) {
    let own = reference.la.as_deref();
    let dir = reference.postcodes.as_ref();
    for (i, r) in ret.rows(E).iter().enumerate() {
        let g = |c: &str| cell(E, r, c);
        let child = g("CHILD");
        let urn = g("URN");
        if urn.is_empty() || urn.eq_ignore_ascii_case("XXXXXXX") {
            continue;
        }
        let mut p = |code: &'static str, fields: &[&str]| o.push(code, E, i, child, fields);
        // 1008: the URN is one Ofsted lists.
        let Some(pr) = list.get(urn) else {
            p("1008", &["URN"]);
            continue;
        };
        // 219: the placement type is one the provider is registered for.
        let place = g("PLACE");
        if !place.is_empty()
            && !pr.place_codes.is_empty()
            && !pr.place_codes.iter().any(|c| c.eq_ignore_ascii_case(place))
        {
            p("219", &["URN", "PLACE"]);
        }
        // 221: for a children's home or other registered setting (K1, K2, K3, R3, S1), not a
        // short break, the placement postcode is the setting's.
        let pl = g("PL_POST");
        if is(place, &["K1", "K2", "K3", "R3", "S1"])
            && !is(g("LS"), SHORT_BREAKS)
            && !pl.is_empty()
            && pr
                .postcode
                .as_deref()
                .is_some_and(|pc| normalise_postcode(pl) != pc)
        {
            p("221", &["URN", "PL_POST"]);
        }
        // 224: the placement provider code is one the provider is listed with.
        let provider = g("PLACE_PROVIDER");
        if !provider.is_empty()
            && !pr.provider_codes.is_empty()
            && !pr
                .provider_codes
                .iter()
                .any(|c| c.eq_ignore_ascii_case(provider))
        {
            p("224", &["URN", "PLACE_PROVIDER"]);
        }
        if let Some(closed) = pr.closed {
            // 227: the episode starts before the provider closed.
            if date(g("DECOM")).is_some_and(|d| d >= closed) {
                p("227", &["URN", "DECOM"]);
            }
            // 228: it ends by the closure, or, still open, the provider is open at 31 March.
            let dec = g("DEC");
            if (dec.is_empty() && ctx.end > closed) || date(dec).is_some_and(|d| d > closed) {
                p("228", &["URN", "DEC"]);
            }
        }
        // 229: the council's own provision (PR1) is in its area and another council's (PR2) is
        // not, by the LA of the setting's postcode (where the directory knows it).
        if let (Some(own), Some(dir)) = (own, dir) {
            let la = pr.postcode.as_deref().and_then(|pc| dir.get(pc)?.la);
            if let Some(la) = la
                && ((is(provider, &["PR1"]) && la != own) || (is(provider, &["PR2"]) && la == own))
            {
                p("229", &["URN", "PLACE_PROVIDER"]);
            }
        }
    }
}
