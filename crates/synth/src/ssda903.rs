//! A synthetic SSDA903 return (children looked after): children in care over the year with their
//! episodes (legal statuses, placement moves, temporary placements, short breaks), reviews,
//! unaccompanied asylum-seeking children, the OC2 cohort (looked after for 12 months, with SDQ
//! and health), OC3 care leavers, missing and away periods, adoption (AD1 and placement for
//! adoption decisions), previous permanence and social worker episodes.
//!
//! Seeded and deterministic, shaped roughly like a council's return (about a third of the
//! children start care in the year and a third leave), and valid against the DfE rules so that a
//! validation of it measures the validator, not the generator's mistakes.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use returns::ssda903::{Return, Rows, Table};

use crate::Rng;

const ETHNIC: &[(&str, u32)] = &[
    ("WBRI", 66),
    ("WOTH", 5),
    ("WIRT", 1),
    ("MWBC", 4),
    ("MWBA", 2),
    ("MOTH", 3),
    ("APKN", 2),
    ("ABAN", 1),
    ("AOTH", 2),
    ("BAFR", 3),
    ("BCRB", 2),
    ("BOTH", 2),
    ("OOTH", 3),
    ("NOBT", 1),
];
/// Category of need at entry (N1 abuse or neglect is about two thirds nationally).
const NEED: &[(&str, u32)] = &[
    ("N1", 65),
    ("N2", 3),
    ("N3", 3),
    ("N4", 13),
    ("N5", 6),
    ("N6", 1),
    ("N7", 1),
    ("N8", 8),
];
const PLACE_CHANGE: &[(&str, u32)] = &[
    ("CARPL", 30),
    ("CHILD", 15),
    ("LAREQ", 20),
    ("PLACE", 10),
    ("CREQB", 5),
    ("ALLEG", 2),
    ("STAND", 8),
    ("OTHER", 10),
];
const SW_CHANGE: &[&str] = &["LEFTRL", "MANAGE", "ORGRST", "CHCHAN", "PCCHAN", "OTHERS"];
const ACTIV: &[(&str, u32)] = &[
    ("F1", 15),
    ("P1", 5),
    ("F2", 20),
    ("P2", 5),
    ("F4", 6),
    ("F5", 5),
    ("G4", 20),
    ("G5", 10),
    ("G6", 14),
];
const ACCOM: &[(&str, u32)] = &[
    ("B1", 5),
    ("C1", 10),
    ("D1", 10),
    ("E1", 5),
    ("H1", 4),
    ("K1", 6),
    ("R1", 6),
    ("S2", 20),
    ("T1", 10),
    ("U1", 10),
    ("V1", 5),
    ("X2", 3),
    ("Y1", 6),
];

fn d(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn years(dob: NaiveDate, n: u32) -> NaiveDate {
    dob.checked_add_months(Months::new(12 * n))
        .expect("in range")
}

/// One placement: type, provider, whether it has an Ofsted URN.
#[derive(Clone, Copy)]
pub(crate) struct Place {
    pub code: &'static str,
    pub provider: &'static str,
    pub urn: bool,
}

/// A placement suited to the child's age on `on`.
/// Placed with parents (P1) only under a care order.
fn placement(rng: &mut Rng, dob: NaiveDate, on: NaiveDate, ls: &str) -> Place {
    let age = (on - dob).num_days() / 365;
    let p = |code, provider, urn| Place {
        code,
        provider,
        urn,
    };
    let r = rng.below(100);
    if age >= 12 && r < 14 {
        return p("K2", if rng.chance(0.3) { "PR1" } else { "PR4" }, true);
    }
    if r < 5 && matches!(ls, "C1" | "C2") {
        return p("P1", "PR0", false);
    }
    match rng.below(6) {
        0 => p("U1", "PR1", true),
        1 => p("U2", "PR1", true),
        2 => p("U3", "PR1", true),
        3 => p("U4", "PR1", true),
        4 => p("U5", "PR4", true),
        _ => p("U6", "PR4", true),
    }
}

pub(crate) fn postcode(rng: &mut Rng) -> String {
    const AREAS: &[&str] = &["S", "LS", "M", "B", "NE", "BD", "HU", "WF", "DN", "L"];
    const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let l = |rng: &mut Rng| *rng.pick(LETTERS) as char;
    format!(
        "{}{} {}{}{}",
        rng.pick(AREAS),
        1 + rng.below(40),
        rng.below(10),
        l(rng),
        l(rng)
    )
}

/// The postcode of the setting with a URN SC100000-SC999999: each URN its own postcode.
fn setting_postcode(urn: &str) -> String {
    const AREAS: &[&str] = &["S", "LS", "M", "B", "NE", "BD", "HU", "WF", "DN", "L"];
    const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let n = urn[2..].parse::<usize>().unwrap_or(100_000) - 100_000;
    let letters = n / 4_000;
    format!(
        "{}{} {}{}{}",
        AREAS[n % 10],
        1 + (n / 10) % 40,
        (n / 400) % 10,
        LETTERS[letters / 20 % 20] as char,
        LETTERS[letters % 20] as char
    )
}

fn upn(rng: &mut Rng) -> String {
    let la = 370 + rng.below(4);
    domain::person::identifiers::upn_with_check_letter(&format!(
        "{la}{:04}{:05}",
        rng.below(10_000),
        rng.below(100_000)
    ))
    .expect("a check letter exists")
}

/// One episode as it will be written.
#[derive(Clone, Default)]
struct Episode {
    decom: NaiveDate,
    rne: &'static str,
    ls: &'static str,
    cin: &'static str,
    place: &'static str,
    provider: &'static str,
    urn: String,
    dec: Option<NaiveDate>,
    rec: &'static str,
    reason_change: &'static str,
    home_post: String,
    pl_post: String,
}

/// What happens to a child in the year.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Story {
    /// In care from before the year to after it.
    Continuing,
    /// Starts care in the year and is still in care at 31 March.
    Starts,
    /// In care from before the year, leaves in it.
    Leaves,
    /// Starts and leaves in the year.
    Brief,
    /// Placed for adoption and adopted in the year.
    Adopted,
    /// A series of short breaks.
    ShortBreaks,
    /// A care leaver aged 19 to 21 (OC3 only).
    CareLeaver,
}

struct Gen {
    rng: Rng,
    start: NaiveDate,
    end: NaiveDate,
    tables: BTreeMap<Table, Vec<Vec<String>>>,
}

impl Gen {
    fn push(&mut self, t: Table, values: &[(&str, String)]) {
        let row = t
            .columns()
            .iter()
            .map(|c| {
                values
                    .iter()
                    .find(|(k, _)| k == c)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            })
            .collect();
        self.tables.entry(t).or_default().push(row);
    }

    /// A day uniformly in `from..=to`.
    fn day(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(0) as u64;
        from + Days::new(self.rng.below(span + 1))
    }

    fn child(&mut self, i: usize) {
        let rng = &mut self.rng;
        let story = match rng.below(1000) {
            0..=449 => Story::Continuing,
            450..=629 => Story::Starts,
            630..=739 => Story::Leaves,
            740..=819 => Story::Brief,
            820..=849 => Story::Adopted,
            850..=879 => Story::ShortBreaks,
            _ => Story::CareLeaver,
        };
        let id = format!("{:07}", 1_000_000 + i);
        let (start, end) = (self.start, self.end);
        // Age at the end of the year, by story.
        let age_days = match story {
            Story::Adopted => 365 + rng.below(365 * 4),
            Story::CareLeaver => 365 * 19 + 5 + rng.below(365 * 2 + 300),
            Story::ShortBreaks => 365 * 5 + rng.below(365 * 11),
            _ => 30 + rng.below(365 * 17 + 300),
        };
        let dob = end - Days::new(age_days);
        let uasc = matches!(story, Story::Continuing | Story::Starts)
            && (end - dob).num_days() > 365 * 15
            && (end - dob).num_days() < 365 * 17
            && rng.chance(0.4);
        let sex = if uasc || rng.chance(0.56) { "M" } else { "F" };
        let ethnic = if uasc {
            rng.pick(&["AOTH", "BAFR", "OOTH", "MOTH"]).to_string()
        } else {
            rng.weighted(ETHNIC).to_string()
        };
        let school_age = years(dob, 4) <= end;
        let upn = if uasc {
            "UN2".to_string()
        } else if !school_age {
            "UN1".to_string()
        } else if rng.chance(0.95) {
            upn(rng)
        } else {
            "UN2".to_string()
        };
        self.push(
            Table::Header,
            &[
                ("CHILD", id.clone()),
                ("SEX", sex.into()),
                ("DOB", d(dob)),
                ("ETHNIC", ethnic),
                ("UPN", upn),
                (
                    "MOTHER",
                    if sex == "F" && !matches!(story, Story::CareLeaver | Story::ShortBreaks) {
                        "0".into()
                    } else {
                        String::new()
                    },
                ),
            ],
        );
        if story == Story::CareLeaver {
            let rng = &mut self.rng;
            let in_touch = rng.weighted(&[("YES", 88), ("NO", 6), ("REFU", 3), ("RHOM", 3)]);
            let (activ, accom) = if in_touch == "YES" {
                (rng.weighted(ACTIV), rng.weighted(ACCOM))
            } else {
                ("0", "0")
            };
            self.push(
                Table::Oc3,
                &[
                    ("CHILD", id),
                    ("DOB", d(dob)),
                    ("IN_TOUCH", in_touch.into()),
                    ("ACTIV", activ.into()),
                    ("ACCOM", accom.into()),
                ],
            );
            return;
        }
        if story == Story::ShortBreaks {
            self.short_breaks(&id, dob);
            return;
        }

        // The period of care: when it starts and ends.
        let earliest = dob.max(start - Days::new(365 * 6));
        let care_start = match story {
            Story::Continuing | Story::Leaves => {
                let latest = start - Days::new(30);
                if earliest >= latest {
                    // Too young to have been in care before the year: start in it instead.
                    self.day(start.max(dob), end - Days::new(40))
                } else {
                    self.day(earliest, latest)
                }
            }
            Story::Adopted => self.day(dob + Days::new(3), start - Days::new(120)),
            _ => self.day(start.max(dob + Days::new(1)), end - Days::new(40)),
        };
        let care_end = match story {
            Story::Leaves | Story::Brief => {
                let from = (care_start + Days::new(20)).max(start);
                Some(self.day(from, end - Days::new(10)))
            }
            Story::Adopted => Some(self.day(start + Days::new(150), end - Days::new(10))),
            _ => None,
        };
        // An 18th birthday ends care.
        let eighteen = years(dob, 18);
        let care_end = match care_end {
            Some(e) if e >= eighteen => Some(eighteen),
            None if eighteen <= end => Some(eighteen),
            other => other,
        };
        if care_end.is_some_and(|e| e <= care_start + Days::new(7)) || care_start >= eighteen {
            // Too close to 18 to have this story: a care leaver instead would need other ages,
            // so the child simply has a short final stay.
            return self.brief_before_eighteen(&id, dob);
        }
        let home_post = postcode(&mut self.rng);
        let cin = if uasc { "N8" } else { self.rng.weighted(NEED) };
        let first_ls = if uasc {
            "V2"
        } else {
            *self.rng.pick(&["C2", "C2", "C2", "C1", "V2", "V2", "L1"])
        };
        let first_ls = if story == Story::Adopted {
            "C2"
        } else {
            first_ls
        };
        let mut eps: Vec<Episode> = Vec::new();
        let pl = placement(&mut self.rng, dob, care_start, first_ls);
        eps.push(self.episode(care_start, "S", first_ls, cin, pl, &home_post));

        // Changes of legal status and placement within the period of care.
        let stop = care_end.unwrap_or(end);
        let mut changes = match story {
            Story::Continuing | Story::Leaves | Story::Starts => self.rng.below(3),
            _ => 0,
        };
        // A short-lived legal status (L1 police protection, C1 interim order) moves on.
        loop {
            let last = eps.last().expect("an episode").clone();
            let must = match last.ls {
                "L1" => Some(last.decom + Days::new(1 + self.rng.below(2))),
                "C1" => Some(last.decom + Days::new(30 + self.rng.below(120))),
                _ => None,
            };
            let at = match must {
                Some(at) => at,
                None if changes > 0 => {
                    changes -= 1;
                    let from = (last.decom + Days::new(14)).max(start);
                    if from + Days::new(14) >= stop {
                        break;
                    }
                    self.day(from, stop - Days::new(14))
                }
                None => break,
            };
            if at + Days::new(1) >= stop {
                break;
            }
            let n = eps.len();
            let next_ls = match last.ls {
                "L1" => "V2",
                "C1" => "C2",
                ls => ls,
            };
            let mut e = last.clone();
            e.decom = at;
            e.dec = None;
            e.rec = "";
            e.reason_change = "";
            if next_ls != last.ls && must.is_some() {
                e.rne = "L";
                e.ls = next_ls;
            } else {
                // A placement move.
                let pl = placement(&mut self.rng, dob, at, e.ls);
                // Home to parents again is not a move: a foster placement instead.
                let pl = if pl.code == "P1" && last.place == "P1" {
                    Place {
                        code: "U4",
                        provider: "PR1",
                        urn: true,
                    }
                } else {
                    pl
                };
                let fresh = self.episode(at, "P", e.ls, cin, pl, &home_post);
                e.place = fresh.place;
                e.provider = fresh.provider;
                e.urn = fresh.urn;
                e.pl_post = fresh.pl_post;
                e.rne = "P";
                eps[n - 1].reason_change = self.rng.weighted(PLACE_CHANGE);
            }
            eps[n - 1].dec = Some(at);
            eps[n - 1].rec = "X1";
            eps.push(e);
        }
        // Only episodes open at some point in the year are in the return; the first of those
        // stands for the period of care's start.
        let mut eps: Vec<Episode> = eps
            .into_iter()
            .filter(|e| e.dec.is_none_or(|x| x >= start))
            .collect();

        if story == Story::Adopted {
            // Placement order, placed for adoption with the foster carers, adopted.
            let last = eps.last_mut().expect("an episode");
            let placed = self.day(start.max(last.decom + Days::new(60)), stop - Days::new(100));
            let placed = placed.max(last.decom + Days::new(1));
            last.dec = Some(placed);
            last.rec = "X1";
            let mut a = last.clone();
            a.decom = placed;
            a.rne = "U";
            a.ls = "E1";
            a.place = "A5";
            a.provider = "PR1";
            a.urn = format!("SC{:06}", 100_000 + self.rng.below(900_000));
            a.pl_post = postcode(&mut self.rng);
            a.dec = care_end;
            a.rec = if self.rng.chance(0.9) { "E11" } else { "E12" };
            last.reason_change = "PLACE";
            // The placement change is recorded on the foster placement's end (a reason).
            eps.push(a);
            let decision = placed - Days::new(20 + self.rng.below(60));
            let matched = placed - Days::new(1 + self.rng.below(15));
            let (sex_adoptr, ls_adoptr) = *self.rng.pick(&[
                ("MF", "L11"),
                ("MF", "L11"),
                ("MF", "L3"),
                ("FF", "L12"),
                ("MM", "L2"),
            ]);
            self.push(
                Table::Ad1,
                &[
                    ("CHILD", id.clone()),
                    ("DOB", d(dob)),
                    ("DATE_INT", d(decision.max(care_start))),
                    ("DATE_MATCH", d(matched)),
                    ("FOSTER_CARE", "1".into()),
                    ("NB_ADOPTR", "2".into()),
                    ("SEX_ADOPTR", sex_adoptr.into()),
                    ("LS_ADOPTR", ls_adoptr.into()),
                ],
            );
            self.push(
                Table::PlacedAdoption,
                &[
                    ("CHILD", id.clone()),
                    ("DOB", d(dob)),
                    ("DATE_PLACED", d(decision.max(care_start))),
                ],
            );
        } else if let Some(ended) = care_end {
            let last = eps.last_mut().expect("an episode");
            last.dec = Some(ended);
            last.rec = if ended == eighteen {
                *self.rng.pick(&["E5", "E6", "E17", "E8"])
            } else if last.place == "P1" {
                "E13"
            } else if matches!(last.place, "U1" | "U2" | "U3" | "U4" | "U5" | "U6")
                && self.rng.chance(0.2)
            {
                *self.rng.pick(&["E45", "E46"])
            } else {
                *self.rng.pick(&["E4A", "E4A", "E13", "E41", "E8"])
            };
            last.reason_change = "";
        }

        // A temporary placement (holiday, hospital) and back, for a few.
        let open_long = eps
            .last()
            .is_some_and(|e| e.dec.is_none() && e.decom + Days::new(60) < end && e.decom >= start);
        if open_long && story != Story::Adopted && self.rng.chance(0.08) {
            let back_to = eps.last().expect("an episode").clone();
            let from = self.day(back_to.decom + Days::new(20), end - Days::new(20));
            let to = from + Days::new(2 + self.rng.below(5));
            let n = eps.len();
            eps[n - 1].dec = Some(from);
            eps[n - 1].rec = "X1";
            let mut t = back_to.clone();
            t.decom = from;
            t.rne = "P";
            t.place = *self.rng.pick(&["T0", "T1", "T2", "T3", "T4"]);
            t.provider = "";
            t.urn = String::new();
            t.pl_post = postcode(&mut self.rng);
            t.dec = Some(to);
            t.rec = "X1";
            eps.push(t);
            let mut back = back_to;
            back.decom = to;
            back.rne = "P";
            eps.push(back);
        }

        for e in &eps {
            let mut urn = e.urn.clone();
            if e.place == "P1" || e.place.starts_with('T') {
                urn.clear();
            }
            self.push(
                Table::Episodes,
                &[
                    ("CHILD", id.clone()),
                    ("DECOM", d(e.decom)),
                    ("RNE", e.rne.into()),
                    ("LS", e.ls.into()),
                    ("CIN", e.cin.into()),
                    ("PLACE", e.place.into()),
                    ("PLACE_PROVIDER", e.provider.into()),
                    ("DEC", e.dec.map(d).unwrap_or_default()),
                    ("REC", e.rec.into()),
                    ("REASON_PLACE_CHANGE", e.reason_change.into()),
                    // An unaccompanied asylum-seeking child has no home postcode (rule 406).
                    (
                        "HOME_POST",
                        if uasc {
                            String::new()
                        } else {
                            e.home_post.clone()
                        },
                    ),
                    ("PL_POST", e.pl_post.clone()),
                    ("URN", urn),
                ],
            );
        }
        if uasc {
            self.push(
                Table::Uasc,
                &[("CHILD", id.clone()), ("SEX", sex.into()), ("DOB", d(dob))],
            );
        }
        let first = eps.first().expect("an episode").decom;
        let last_end = eps.last().expect("an episode").dec;
        let in_care_all_year = first <= start
            && last_end.is_none()
            && eps.iter().all(|e| e.rne != "S" || e.decom <= start);

        // Previous permanence, for a child starting care in the year.
        if first >= start {
            let perm = self
                .rng
                .weighted(&[("Z1", 85), ("P1", 5), ("P2", 4), ("P3", 6)]);
            let (la, when) = if perm == "Z1" {
                (String::new(), String::new())
            } else {
                (
                    "800".to_string(),
                    d(self.day(
                        (dob + Days::new(1)).min(first - Days::new(1)),
                        first - Days::new(1),
                    )),
                )
            };
            self.push(
                Table::PrevPerm,
                &[
                    ("CHILD", id.clone()),
                    ("DOB", d(dob)),
                    ("PREV_PERM", perm.into()),
                    ("LA_PERM", la),
                    ("DATE_PERM", when),
                ],
            );
        }

        self.reviews(&id, dob, first, last_end);
        if in_care_all_year {
            self.oc2(&id, dob);
        }
        self.missing(&id, dob, &eps);
        self.social_workers(&id, dob, first, last_end);
    }

    fn episode(
        &mut self,
        at: NaiveDate,
        rne: &'static str,
        ls: &'static str,
        cin: &'static str,
        pl: Place,
        home_post: &str,
    ) -> Episode {
        let mut pl_post = postcode(&mut self.rng);
        while pl_post.replace(' ', "") == home_post.replace(' ', "") {
            pl_post = postcode(&mut self.rng);
        }
        let mut urn = if pl.urn {
            format!("SC{:06}", 100_000 + self.rng.below(900_000))
        } else {
            String::new()
        };
        // A children's home is at one place: its postcode goes with its URN.
        if pl.urn && matches!(pl.code, "K1" | "K2" | "K3" | "R3" | "S1") {
            loop {
                pl_post = setting_postcode(&urn);
                if pl_post.replace(' ', "") != home_post.replace(' ', "") {
                    break;
                }
                urn = format!("SC{:06}", 100_000 + self.rng.below(900_000));
            }
        }
        Episode {
            decom: at,
            rne,
            ls,
            cin,
            place: pl.code,
            provider: pl.provider,
            urn,
            dec: None,
            rec: "",
            reason_change: "",
            home_post: home_post.to_string(),
            pl_post: if pl.code == "P1" {
                home_post.to_string()
            } else {
                pl_post
            },
        }
    }

    /// A child of 17 or so with a stay of a few weeks ending before the 18th birthday.
    fn brief_before_eighteen(&mut self, id: &str, dob: NaiveDate) {
        let eighteen = years(dob, 18);
        let from = self.start.max(dob);
        let to = eighteen.min(self.end);
        if from + Days::new(30) >= to {
            return;
        }
        let decom = self.day(from, to - Days::new(30));
        let dec = self.day(decom + Days::new(7), to - Days::new(1));
        let home = postcode(&mut self.rng);
        let mut e = self.episode(
            decom,
            "S",
            "V2",
            "N4",
            Place {
                code: "U6",
                provider: "PR4",
                urn: true,
            },
            &home,
        );
        e.dec = Some(dec);
        e.rec = "E4A";
        self.push(
            Table::Episodes,
            &[
                ("CHILD", id.into()),
                ("DECOM", d(e.decom)),
                ("RNE", "S".into()),
                ("LS", "V2".into()),
                ("CIN", "N4".into()),
                ("PLACE", "U6".into()),
                ("PLACE_PROVIDER", "PR4".into()),
                ("DEC", d(dec)),
                ("REC", "E4A".into()),
                ("HOME_POST", e.home_post.clone()),
                ("PL_POST", e.pl_post.clone()),
                ("URN", e.urn.clone()),
            ],
        );
        self.push(
            Table::PrevPerm,
            &[
                ("CHILD", id.into()),
                ("DOB", d(dob)),
                ("PREV_PERM", "Z1".into()),
            ],
        );
        self.reviews(id, dob, decom, Some(dec));
        self.social_workers(id, dob, decom, Some(dec));
    }

    /// Short breaks: a few week-long stays under V3, each its own period of care.
    fn short_breaks(&mut self, id: &str, dob: NaiveDate) {
        let n = 2 + self.rng.below(4);
        let mut at = self.start + Days::new(self.rng.below(40));
        let provider = if self.rng.chance(0.5) { "PR1" } else { "PR4" };
        let place = if self.rng.chance(0.6) { "U6" } else { "K1" };
        for _ in 0..n {
            let to = at + Days::new(2 + self.rng.below(6));
            if to >= self.end {
                break;
            }
            self.push(
                Table::Episodes,
                &[
                    ("CHILD", id.into()),
                    ("DECOM", d(at)),
                    ("RNE", "S".into()),
                    ("LS", "V3".into()),
                    ("CIN", "N2".into()),
                    ("PLACE", place.into()),
                    ("PLACE_PROVIDER", provider.into()),
                    ("DEC", d(to)),
                    ("REC", "E4A".into()),
                ],
            );
            at = to + Days::new(30 + self.rng.below(60));
        }
        self.push(
            Table::PrevPerm,
            &[
                ("CHILD", id.into()),
                ("DOB", d(dob)),
                ("PREV_PERM", "Z1".into()),
            ],
        );
    }

    /// Reviews: within 20 working days (here 28 days) of care starting, three months later,
    /// then every six months, while in care in the year.
    fn reviews(&mut self, id: &str, dob: NaiveDate, first: NaiveDate, ended: Option<NaiveDate>) {
        let stop = ended.unwrap_or(self.end).min(self.end);
        let mut at = first + Days::new(14 + self.rng.below(12));
        let mut k = 0;
        while at <= stop {
            if at >= self.start {
                let code = if years(dob, 4) > at {
                    "PN0"
                } else {
                    self.rng.weighted(&[
                        ("PN1", 60),
                        ("PN2", 10),
                        ("PN3", 10),
                        ("PN4", 8),
                        ("PN5", 5),
                        ("PN6", 5),
                        ("PN7", 2),
                    ])
                };
                self.push(
                    Table::Reviews,
                    &[
                        ("CHILD", id.into()),
                        ("DOB", d(dob)),
                        ("REVIEW", d(at)),
                        ("REVIEW_CODE", code.into()),
                    ],
                );
            }
            let gap = if k == 0 { 80 } else { 160 };
            at = at + Days::new(gap + self.rng.below(20));
            k += 1;
        }
    }

    /// OC2 for a child looked after for the whole year: SDQ for ages 4 to 16, health, convictions
    /// from 10, health promotion under 5.
    fn oc2(&mut self, id: &str, dob: NaiveDate) {
        let (start, end) = (self.start, self.end);
        let rng = &mut self.rng;
        let sdq_age = years(dob, 4) <= end && years(dob, 17) > start;
        let (score, reason) = if sdq_age {
            if rng.chance(0.8) {
                (rng.below(41).to_string(), String::new())
            } else {
                (
                    String::new(),
                    rng.weighted(&[("SDQ2", 40), ("SDQ3", 30), ("SDQ4", 20), ("SDQ5", 10)])
                        .to_string(),
                )
            }
        } else {
            (String::new(), String::new())
        };
        let flag = |rng: &mut Rng, p: f64| if rng.chance(p) { "1" } else { "0" }.to_string();
        let convicted = if years(dob, 10) <= end {
            flag(rng, 0.03)
        } else {
            String::new()
        };
        let health_check = if years(dob, 5) > end {
            flag(rng, 0.9)
        } else {
            String::new()
        };
        let substance = flag(rng, 0.04);
        let (received, offered) = if substance == "1" {
            let received = flag(rng, 0.6);
            let offered = if received == "1" {
                String::new()
            } else {
                flag(rng, 0.5)
            };
            (received, offered)
        } else {
            (String::new(), String::new())
        };
        let row = [
            ("CHILD", id.to_string()),
            ("DOB", d(dob)),
            ("SDQ_SCORE", score),
            ("SDQ_REASON", reason),
            ("CONVICTED", convicted),
            ("HEALTH_CHECK", health_check),
            ("IMMUNISATIONS", flag(rng, 0.85)),
            ("TEETH_CHECK", flag(rng, 0.75)),
            ("HEALTH_ASSESSMENT", flag(rng, 0.9)),
            ("SUBSTANCE_MISUSE", substance),
            ("INTERVENTION_RECEIVED", received),
            ("INTERVENTION_OFFERED", offered),
        ];
        self.push(Table::Oc2, &row);
    }

    /// Missing (M) and away (A) periods for some children aged 10 and over.
    fn missing(&mut self, id: &str, dob: NaiveDate, eps: &[Episode]) {
        if years(dob, 10) > self.end || !self.rng.chance(0.25) {
            return;
        }
        // Periods one after another, each within one (non-temporary) episode.
        let n = 1 + self.rng.below(4);
        let mut after = self.start;
        for _ in 0..n {
            let k = self.rng.below(eps.len() as u64) as usize;
            let Some(e) = eps[k..].iter().find(|e| !e.place.starts_with('T')) else {
                break;
            };
            let from = e.decom.max(after) + Days::new(1);
            let to = e.dec.unwrap_or(self.end) - Days::new(1);
            if from + Days::new(5) >= to {
                continue;
            }
            let s = self.day(from, to - Days::new(4));
            let back = s + Days::new(self.rng.below(3));
            after = back + Days::new(1);
            let kind = if self.rng.chance(0.7) { "M" } else { "A" };
            self.push(
                Table::Missing,
                &[
                    ("CHILD", id.into()),
                    ("DOB", d(dob)),
                    ("MISSING", kind.into()),
                    ("MIS_START", d(s)),
                    ("MIS_END", d(back)),
                ],
            );
        }
    }

    /// Social worker episodes: the worker from the start of care (or of the year), and for some a
    /// change of worker in the year.
    fn social_workers(
        &mut self,
        id: &str,
        dob: NaiveDate,
        first: NaiveDate,
        ended: Option<NaiveDate>,
    ) {
        let worker = |rng: &mut Rng| format!("SW{:06}", 100_000 + rng.below(900_000));
        let from = first.min(self.start.max(dob));
        let stop = ended.unwrap_or(self.end);
        let change = if self.rng.chance(0.35) && from.max(self.start) + Days::new(30) < stop {
            Some(self.day(from.max(self.start) + Days::new(10), stop - Days::new(15)))
        } else {
            None
        };
        let mut rows = vec![(from, change, "FCONTA")];
        if let Some(c) = change {
            rows.push((c, None, *self.rng.pick(SW_CHANGE)));
        }
        for (a, b, reason) in rows {
            let w = worker(&mut self.rng);
            self.push(
                Table::SwEpisodes,
                &[
                    ("CHILD", id.into()),
                    ("DOB", d(dob)),
                    ("SW_ID", w),
                    ("SW_DECOM", d(a)),
                    ("SW_DEC", b.map(d).unwrap_or_default()),
                    ("SW_REASON", reason.into()),
                ],
            );
        }
    }
}

/// A return of `children` children for the collection year ending 31 March `year`.
pub fn return_903(seed: u64, children: usize, year: i32) -> Return {
    let start = NaiveDate::from_ymd_opt(year - 1, 4, 1).expect("valid year");
    let end = NaiveDate::from_ymd_opt(year, 3, 31).expect("valid year");
    let mut g = Gen {
        rng: Rng::new(seed),
        start,
        end,
        tables: BTreeMap::new(),
    };
    for t in Table::ALL {
        g.tables.insert(t, Vec::new());
    }
    for i in 0..children {
        g.child(i);
    }
    debug_assert!(end.year() == year);
    Return {
        tables: g
            .tables
            .into_iter()
            .map(|(t, rows)| (t, Rows { rows }))
            .collect(),
        uasc_flags: None,
    }
}

/// Puts the kinds of mistakes real returns contain into about `per_thousand` rows in every
/// thousand (never the CHILD column): a blank, a value from another row of the same column (a
/// code or date belonging to someone else), an impossible code, or a date moved by days to a
/// year. Deterministic for a seed.
pub fn add_mistakes(ret: &mut Return, seed: u64, per_thousand: u64) {
    let mut rng = Rng::new(seed ^ 0x05EE_D903);
    for (t, rows) in ret.tables.iter_mut() {
        let child = t.col("CHILD");
        let n = rows.rows.len() as u64;
        if n == 0 {
            continue;
        }
        for i in 0..rows.rows.len() {
            if rng.below(1000) >= per_thousand {
                continue;
            }
            let mut col = rng.below(t.columns().len() as u64) as usize;
            if col == child {
                col = (col + 1) % t.columns().len();
            }
            let value = match rng.below(4) {
                0 => String::new(),
                1 => rows.rows[rng.below(n) as usize][col].clone(),
                2 => "XX".to_string(),
                _ => match returns::ssda903::rules::date(&rows.rows[i][col]) {
                    Some(day) => {
                        let by = *rng.pick(&[-400i64, -40, -3, 3, 40, 400]);
                        d(day + chrono::Duration::days(by))
                    }
                    None => rows.rows[rng.below(n) as usize][col].clone(),
                },
            };
            rows.rows[i][col] = value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synthetic_return_is_valid_and_deterministic() {
        let a = return_903(11, 2000, 2026);
        assert_eq!(a, return_903(11, 2000, 2026));
        assert_ne!(a, return_903(12, 2000, 2026));
        let v = returns::ssda903::validate(&a, 2026);
        let summary = returns::findings::summary_by_rule(&v.findings);
        let lines: Vec<String> = summary
            .iter()
            .map(|s| {
                format!(
                    "{} x{} ({} children): {}",
                    s.rule_code, s.findings, s.children, s.message
                )
            })
            .collect();
        assert!(v.findings.is_empty(), "{}", lines.join("\n"));
    }

    #[test]
    fn the_same_seed_writes_the_same_files() {
        let base = std::env::temp_dir().join(format!("hearth-synth-903-{}", std::process::id()));
        let (a, b) = (base.join("a"), base.join("b"));
        returns::ssda903::write_dir(&return_903(5, 300, 2026), &a).unwrap();
        returns::ssda903::write_dir(&return_903(5, 300, 2026), &b).unwrap();
        for t in Table::ALL {
            let x = std::fs::read(a.join(t.file_name())).unwrap();
            let y = std::fs::read(b.join(t.file_name())).unwrap();
            assert_eq!(x, y, "{}", t.file_name());
        }
        // And the files read back as the same return.
        let back = returns::ssda903::read_paths(std::slice::from_ref(&a)).unwrap();
        assert_eq!(back, return_903(5, 300, 2026));
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_synthetic_return_has_every_table_and_story() {
        let r = return_903(3, 2000, 2026);
        for t in Table::ALL {
            assert!(!r.rows(t).is_empty(), "{} is empty", t.name());
        }
        let e = Table::Episodes;
        let count =
            |col: &str, v: &str| r.rows(e).iter().filter(|row| row[e.col(col)] == v).count();
        assert!(count("RNE", "S") > 500, "periods of care starting");
        assert!(count("RNE", "P") > 200, "placement moves");
        assert!(count("RNE", "L") > 50, "legal status changes");
        assert!(count("REC", "E11") > 20, "adoptions");
        assert!(count("LS", "V3") > 50, "short breaks");
    }

    #[test]
    fn mistakes_are_found_and_deterministic() {
        let clean = return_903(8, 1000, 2026);
        let mut a = clean.clone();
        add_mistakes(&mut a, 1, 20);
        let mut b = clean.clone();
        add_mistakes(&mut b, 1, 20);
        assert_eq!(a, b);
        assert_ne!(a, clean);
        // The CHILD column is never changed.
        for (t, rows) in &a.tables {
            let c = t.col("CHILD");
            for (x, y) in rows.rows.iter().zip(&clean.tables[t].rows) {
                assert_eq!(x[c], y[c]);
            }
        }
        let v = returns::ssda903::validate(&a, 2026);
        let rules: std::collections::HashSet<&str> =
            v.findings.iter().map(|f| f.rule_code.as_str()).collect();
        assert!(v.findings.len() > 50, "{} findings", v.findings.len());
        assert!(rules.len() > 20, "{rules:?}");
    }
}
