//! Synthetic reference data for a synthetic SSDA903 return: a postcode directory in the shape of
//! the ONS National Statistics Postcode Lookup and a provider list in the shape of Ofsted's
//! "Social care providers" list, consistent with the return, so that a clean synthetic return
//! passes the rules needing them (and mistakes put in with [`crate::ssda903::add_mistakes`] are
//! caught by them). Grid references, LA codes and URNs are all invented: the council is
//! [`LA`], postcodes in the `S` area are in its area and the others in neighbouring councils'
//! (some of them districts of a two-tier county), all within about 100 miles of each other.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use returns::ssda903::reference::{PostcodeDirectory, ProviderList, normalise_postcode};
use returns::ssda903::{Reference, Return, Table};

/// The synthetic council's LA code (an unused ONS GSS code of a unitary authority).
pub const LA: &str = "E06000900";

/// Placement types whose placement postcode is the Ofsted-registered setting's (rule 221).
const SETTINGS: &[&str] = &["K1", "K2", "K3", "R3", "S1"];
/// Placements where own provision may be outside the council's area (rule 1015).
const FOSTER_OR_ADOPTION: &[&str] = &["A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"];

fn hash(s: &str) -> u64 {
    // FNV-1a: stable across runs and platforms.
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The letters before the first digit of a postcode.
fn area(postcode: &str) -> &str {
    let end = postcode
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(postcode.len());
    &postcode[..end]
}

/// A postcode's synthetic grid reference: its area's centre and a few miles either way.
fn grid(postcode: &str) -> (u32, u32) {
    let a = hash(area(postcode));
    let h = hash(postcode);
    let centre = (
        380_000 + (a % 150) as u32 * 1_000,
        380_000 + ((a >> 16) % 150) as u32 * 1_000,
    );
    (
        centre.0 + (h % 16_000) as u32 - 8_000,
        centre.1 + ((h >> 20) % 16_000) as u32 - 8_000,
    )
}

/// A postcode's synthetic district and county codes: the council's own for the `S` area and
/// those forced into it, else a neighbour by area (odd ones two-tier).
fn district_county(postcode: &str, own: &BTreeSet<String>) -> (String, String) {
    if area(postcode) == "S" || own.contains(&normalise_postcode(postcode)) {
        return (LA.to_string(), "E99999999".to_string());
    }
    let k = 1 + hash(area(postcode)) % 90;
    if k % 2 == 1 {
        (
            format!("E07000{:03}", 900 + k),
            format!("E10000{:03}", 900 + k),
        )
    } else {
        (format!("E06000{:03}", 900 + k), "E99999999".to_string())
    }
}

/// The columns of the National Statistics Postcode Lookup (values here are synthetic).
const NSPL_COLUMNS: &[&str] = &[
    "pcd", "pcd2", "pcds", "dointr", "doterm", "usertype", "oseast1m", "osnrth1m", "osgrdind",
    "oa21", "cty", "ced", "laua", "ward", "nhser", "ctry", "rgn", "pcon", "ttwa", "itl", "npark",
    "lsoa21", "msoa21", "wz11", "sicbl", "bua24", "ruc21", "oac11", "lat", "long", "lep1", "lep2",
    "pfa", "imd", "icb",
];

/// What the return says of one provider: placement types, provider codes, the setting's postcode.
type ProviderUse = (BTreeSet<String>, BTreeSet<String>, Option<String>);

/// What the return says of its providers and postcodes.
struct Uses {
    /// Every postcode in the return, normalised, with one spelling of it.
    postcodes: BTreeMap<String, String>,
    /// Postcodes that must be in the council's area.
    own: BTreeSet<String>,
    /// By URN: placement types, provider codes, the setting's postcode.
    providers: BTreeMap<String, ProviderUse>,
}

fn uses(ret: &Return) -> Uses {
    let e = Table::Episodes;
    let mut u = Uses {
        postcodes: BTreeMap::new(),
        own: BTreeSet::new(),
        providers: BTreeMap::new(),
    };
    for r in ret.rows(e) {
        let g = |c: &str| r[e.col(c)].trim();
        for pc in [g("HOME_POST"), g("PL_POST")] {
            if !pc.is_empty() {
                u.postcodes
                    .entry(normalise_postcode(pc))
                    .or_insert_with(|| pc.to_string());
            }
        }
        let (place, provider, pl) = (g("PLACE"), g("PLACE_PROVIDER"), g("PL_POST"));
        // The council's own provision other than fostering and adoption is in its area.
        if provider == "PR1" && !FOSTER_OR_ADOPTION.contains(&place) && !pl.is_empty() {
            u.own.insert(normalise_postcode(pl));
        }
        let urn = g("URN").to_ascii_uppercase();
        if urn.is_empty() || urn == "XXXXXXX" {
            continue;
        }
        let p = u.providers.entry(urn).or_default();
        if !place.is_empty() {
            p.0.insert(place.to_string());
        }
        if !provider.is_empty() {
            p.1.insert(provider.to_string());
        }
        // A setting's postcode is where children are placed with it; for fostering agencies
        // and the like, the first placement's.
        if !pl.is_empty() && (p.2.is_none() || SETTINGS.contains(&place)) {
            p.2 = Some(normalise_postcode(pl));
        }
    }
    // The council's own provision (PR1) is in its area (rule 229).
    for (_, providers, pc) in u.providers.values() {
        if providers.contains("PR1")
            && let Some(pc) = pc
        {
            u.own.insert(pc.clone());
        }
    }
    u
}

/// Writes a synthetic postcode directory CSV (NSPL columns) holding every postcode of the return
/// and `extra` more, which are in no return (`ZA`-`ZY` areas), to make it the size of a real one
/// (about 2.7 million postcodes). Returns the number of postcodes written.
pub fn write_postcodes(ret: &Return, extra: usize, w: impl Write) -> std::io::Result<usize> {
    let u = uses(ret);
    let mut w = std::io::BufWriter::with_capacity(1 << 20, w);
    writeln!(w, "{}", NSPL_COLUMNS.join(","))?;
    let mut n = 0;
    let mut row = |w: &mut std::io::BufWriter<_>, pcds: &str| -> std::io::Result<()> {
        let (e, north) = grid(pcds);
        let (district, county) = district_county(pcds, &u.own);
        let compact = normalise_postcode(pcds);
        let h = hash(&compact);
        writeln!(
            w,
            "{compact:<7},{compact:<8},{pcds},199001,,0,{e},{north},1,E00{:06},{county},E99999999,\
             {district},E05{:06},E40000900,E92000001,E12000900,E14{:06},E30000900,E06000900,\
             E99999999,E01{:06},E02{:06},E33000900,E38000900,E63000900,UN1,1A1,{:.6},{:.6},\
             E37000900,,E23000900,{},E54000900",
            h % 1_000_000,
            (h >> 8) % 1_000_000,
            (h >> 16) % 1_000_000,
            (h >> 24) % 1_000_000,
            (h >> 32) % 1_000_000,
            49.9 + f64::from(north) / 111_000.0,
            -7.5 + f64::from(e) / 70_000.0,
            h % 32_844,
        )?;
        n += 1;
        Ok(())
    };
    for pcds in u.postcodes.values() {
        row(&mut w, pcds)?;
    }
    // Padding: ZA-ZY (not ZE), districts 1-99, sectors 0-9, two letters.
    const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let areas: Vec<String> = (b'A'..=b'Y')
        .filter(|c| *c != b'E')
        .map(|c| format!("Z{}", c as char))
        .collect();
    let per_sector = LETTERS.len() * LETTERS.len();
    for i in 0..extra {
        let (unit, rest) = (i % per_sector, i / per_sector);
        let (sector, rest) = (rest % 10, rest / 10);
        let (district, rest) = (1 + rest % 99, rest / 99);
        let Some(a) = areas.get(rest) else {
            break;
        };
        let pcds = format!(
            "{a}{district} {sector}{}{}",
            LETTERS[unit / LETTERS.len()] as char,
            LETTERS[unit % LETTERS.len()] as char
        );
        row(&mut w, &pcds)?;
    }
    w.flush()?;
    Ok(n)
}

/// A synthetic provider list CSV (the columns of Ofsted's "Social care providers" list) with
/// every URN of the return.
pub fn providers_csv(ret: &Return) -> String {
    let mut out = String::from(
        "URN,Provider type,Local authority,Placement code,Placement provider code,Setting postcode,Registration date,Deregistration date\n",
    );
    for (urn, (places, providers, pc)) in uses(ret).providers {
        out.push_str(&format!(
            "{urn},Synthetic provider,Synthetic council,{},{},{},01/04/2010,\n",
            places.into_iter().collect::<Vec<_>>().join("/"),
            providers.into_iter().collect::<Vec<_>>().join("/"),
            pc.unwrap_or_default(),
        ));
    }
    out
}

/// The synthetic reference data for a return, read back as Hearth reads the real files.
pub fn reference(ret: &Return) -> Reference {
    let mut pcs = Vec::new();
    write_postcodes(ret, 0, &mut pcs).expect("writing to memory");
    Reference {
        postcodes: Some(
            PostcodeDirectory::read("synthetic postcodes", pcs.as_slice())
                .expect("synthetic postcodes read"),
        ),
        providers: Some(
            ProviderList::read("synthetic providers", providers_csv(ret).as_bytes())
                .expect("synthetic providers read"),
        ),
        la: Some(LA.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssda903::{add_mistakes, return_903};

    #[test]
    fn a_clean_synthetic_return_passes_with_its_reference_data() {
        let ret = return_903(21, 3000, 2026);
        let v = returns::ssda903::validate_full(&ret, None, &reference(&ret), 2026);
        let lines: Vec<String> = returns::findings::summary_by_rule(&v.findings)
            .iter()
            .map(|s| format!("{} x{}: {}", s.rule_code, s.findings, s.message))
            .collect();
        assert!(v.findings.is_empty(), "{}", lines.join("\n"));
        // Only the rules comparing years were skipped: the reference rules ran.
        for (code, _) in returns::ssda903::rules::REFERENCE {
            let needs_previous = ["452", "453", "503G", "503H", "503J"].contains(code);
            assert_eq!(
                v.skipped.iter().any(|(c, _)| c == code),
                needs_previous,
                "{code}"
            );
        }
        // Placements in and out of the council's area, and URNs checked.
        let r = reference(&ret);
        let dir = r.postcodes.as_ref().unwrap();
        let e = Table::Episodes;
        let las: BTreeSet<&str> = ret
            .rows(e)
            .iter()
            .filter_map(|row| dir.get(&row[e.col("PL_POST")])?.la)
            .collect();
        assert!(las.contains(LA) && las.len() > 5, "{las:?}");
        assert!(
            las.iter().any(|la| la.starts_with("E10")),
            "two-tier counties"
        );
        assert!(r.providers.as_ref().unwrap().len() > 1000);
    }

    #[test]
    fn mistakes_are_caught_by_the_reference_rules() {
        let clean = return_903(22, 3000, 2026);
        let reference = reference(&clean);
        let mut ret = clean.clone();
        add_mistakes(&mut ret, 5, 30);
        let v = returns::ssda903::validate_full(&ret, None, &reference, 2026);
        let fired: BTreeSet<&str> = v.findings.iter().map(|f| f.rule_code.as_str()).collect();
        for code in ["164", "169", "179", "392a", "1008", "219", "224"] {
            assert!(fired.contains(code), "{code} not in {fired:?}");
        }
    }

    #[test]
    fn the_directory_is_padded_to_size_with_distinct_postcodes() {
        let ret = return_903(23, 50, 2026);
        let mut out = Vec::new();
        let n = write_postcodes(&ret, 20_000, &mut out).unwrap();
        let dir = PostcodeDirectory::read("pcs", out.as_slice()).unwrap();
        assert_eq!(dir.len(), n);
        assert!(n > 20_000);
        assert!(dir.get("ZA1 0AA").is_some());
    }
}
