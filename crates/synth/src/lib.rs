//! A synthetic council: households of children and the adults around them, with addresses,
//! relationships, teams, workers and allocations. Seeded and deterministic: the same seed and
//! size always give the same council. Names are drawn at random from lists of common English
//! first names and surnames, and identifiers carry valid check digits, but no person is real.
//!
//! This first part makes the people; the children's journeys (contacts, assessments, plans,
//! care) build on it.

pub mod census;
pub mod cin;
pub mod cla_return;
pub mod journeys;
pub mod looked_after;
pub mod private_fostering;
pub mod quality;
pub mod rates;
pub mod ssda903;
pub mod ssda903_reference;
pub mod workforce;

use chrono::{Datelike, Days, NaiveDate};
use domain::person::identifiers::{nhs_number_with_check_digit, upn_with_check_letter};
use domain::person::{Identifiers, NewAddress, PersonDetails, PersonKind};

/// The seeded generator every synthetic council is drawn from (shared with case file audit
/// sampling, which must draw the same sample from the same seed).
pub use domain::rng::Rng;

const GIRLS: &[&str] = &[
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Rosie",
    "Sophia",
    "Grace",
    "Freya",
    "Willow",
    "Florence",
    "Emily",
    "Ella",
    "Poppy",
    "Evie",
    "Elsie",
    "Charlotte",
    "Evelyn",
    "Sienna",
    "Daisy",
    "Phoebe",
    "Ruby",
    "Matilda",
    "Harper",
    "Sofia",
    "Alice",
    "Maya",
    "Aisha",
    "Zara",
    "Amira",
    "Chloe",
    "Layla",
    "Hannah",
    "Nia",
    "Jessica",
];
const BOYS: &[&str] = &[
    "Noah", "Oliver", "George", "Arthur", "Muhammad", "Leo", "Harry", "Oscar", "Archie", "Henry",
    "Theodore", "Freddie", "Jack", "Charlie", "Theo", "Alfie", "Jacob", "Thomas", "Finley", "Arlo",
    "William", "Lucas", "Roman", "Tommy", "Isaac", "Teddy", "Ethan", "Joshua", "Mason", "Reggie",
    "Yusuf", "Ibrahim", "Kai", "Logan", "Dylan", "Riley", "Ryan", "Adam",
];
const ADULT_WOMEN: &[&str] = &[
    "Sarah", "Emma", "Laura", "Rebecca", "Gemma", "Claire", "Kelly", "Nicola", "Amy", "Danielle",
    "Stacey", "Lisa", "Michelle", "Natalie", "Samantha", "Leanne", "Kirsty", "Jade", "Hayley",
    "Rachel", "Fatima", "Priya", "Joanne",
];
const ADULT_MEN: &[&str] = &[
    "David",
    "Paul",
    "Mark",
    "Daniel",
    "James",
    "Andrew",
    "Craig",
    "Lee",
    "Darren",
    "Wayne",
    "Matthew",
    "Christopher",
    "Richard",
    "Steven",
    "Gary",
    "Jason",
    "Michael",
    "Carl",
    "Ryan",
    "Imran",
    "Tariq",
    "Anthony",
    "Kevin",
];
const SURNAMES: &[&str] = &[
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Lewis",
    "James",
    "Phillips",
    "Mason",
    "Mitchell",
    "Rose",
    "Davis",
    "Rodriguez",
    "Cox",
    "Alexander",
    "Morris",
    "Ward",
    "Hughes",
    "Marshall",
    "Hussain",
    "Ali",
    "Shaw",
    "Lloyd",
    "Ellis",
    "Hill",
    "Turner",
    "Cooper",
    "Harrison",
    "Baker",
    "Holmes",
    "Barker",
    "Booth",
    "Hirst",
    "Sykes",
    "Walsh",
    "Kaur",
    "Begum",
    "Ahmed",
    "Nowak",
    "Kowalski",
    "Okafor",
];
const STREETS: &[&str] = &[
    "Station Road",
    "Church Street",
    "Park Avenue",
    "Victoria Road",
    "Manor Way",
    "Mill Lane",
    "School Lane",
    "The Green",
    "Queens Road",
    "Highfield Road",
    "Orchard Close",
    "Westgate",
    "Kings Crescent",
    "Sheffield Road",
    "Dodworth Road",
    "Pogmoor Road",
    "Huddersfield Road",
    "Racecommon Road",
    "Doncaster Road",
    "Cross Street",
    "Beech Grove",
    "Elm Row",
];
const TOWNS: &[&str] = &[
    "Northbridge",
    "Eastholme",
    "Westmoor",
    "Southcote",
    "Hearthwick",
    "Lowfield",
];

/// Ethnicity codes with rough weights for an English council; codes from the DfE list.
const ETHNICITY: &[(&str, u32)] = &[
    ("WBRI", 700),
    ("WIRI", 5),
    ("WIRT", 3),
    ("WROM", 4),
    ("WOTH", 40),
    ("MWBC", 25),
    ("MWBA", 8),
    ("MWAS", 15),
    ("MOTH", 20),
    ("AIND", 15),
    ("APKN", 40),
    ("ABAN", 10),
    ("AOTH", 10),
    ("BCRB", 8),
    ("BAFR", 30),
    ("BOTH", 5),
    ("CHNE", 3),
    ("OOTH", 15),
    ("REFU", 4),
    ("NOBT", 10),
];

/// Postcodes in the never-issued "ZX" area, so no synthetic address is a real one, while each
/// keeps the postcode letter rules (a "ZZ" area would not: Z is never a second letter), so the
/// returns written from the record pass rule 392c.
fn postcode(rng: &mut Rng) -> String {
    const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    format!(
        "ZX{} {}{}{}",
        1 + rng.below(99),
        rng.below(10),
        LETTERS[rng.below(LETTERS.len() as u64) as usize] as char,
        LETTERS[rng.below(LETTERS.len() as u64) as usize] as char
    )
}

/// What to generate. Every rate is a setting; [`Spec::demo`] sets England's published figures
/// (specs/performance-indicators.md, CIN census year to 31 March 2025 [S1] and the children's
/// social work workforce at 30 September 2025 [S3], unless said otherwise).
#[derive(Debug, Clone)]
pub struct Spec {
    pub seed: u64,
    /// The child population: children aged 0 to 17 living in the council's area on `as_at`.
    /// Only those who came to the service are on the record.
    pub children: usize,
    /// The day the council's record is "as at": ages and dates are relative to it.
    pub as_at: NaiveDate,
    /// Years of history before `as_at`.
    pub years: u32,
    /// Referrals per 10,000 children a year (England 519.4, indicator 5).
    pub referrals_per_10k: f64,
    /// Share of referrals within 12 months of a previous referral (England 22.6%, indicator 6).
    pub re_referral_rate: f64,
    /// Share of referrals closed with no further action before assessment (England 6.5%, ind. 7).
    pub referral_nfa_rate: f64,
    /// Share of referrals assessed as not in need (England 30.8%, indicator 8).
    pub not_in_need_rate: f64,
    /// Share of assessments completed within 45 working days (England 85.7%, indicator 9).
    pub assessment_on_time: f64,
    /// Section 47 enquiries started per 10,000 children a year (England 189.3, indicator 11).
    pub s47_per_10k: f64,
    /// Share of section 47 enquiries leading to an initial conference (England 31.3%, ind. 12).
    pub s47_to_icpc: f64,
    /// Share of initial conferences within 15 working days (England 81.4%, indicator 13).
    pub icpc_on_time: f64,
    /// Share of initial conferences starting a plan (England 85.8%, indicator 14).
    pub icpc_to_plan: f64,
    /// Share of new plans that are second or later plans (England 24.5%, indicator 18).
    pub repeat_plan_rate: f64,
    /// Share of contacts that become referrals (no national figure; a local measure, ind. 3).
    pub contact_conversion: f64,
    /// Share of front-door decisions within 1 working day (no national figure; ind. 2).
    pub front_door_on_time: f64,
    /// Children per case-holding social worker (England 15.2 at 30 Sept 2025, indicator 44).
    pub caseload: f64,
    /// Share of social workers from agencies (England 13.0% FTE, indicator 45).
    pub agency_rate: f64,
    /// Leavers in a year as a share of workers in post (England 11.8%, indicator 46).
    pub turnover: f64,
    /// Children looked after at 31 March per 10,000 (England 67, indicator 22; SSDA903 year to
    /// 31 March 2025). With the starts, it sets how long children stay.
    pub cla_per_10k: f64,
    /// Children starting to be looked after per 10,000 a year (England 26, indicator 23).
    pub cla_starts_per_10k: f64,
    /// Placement moves per child per year from six months to two years in care (2.2 times as
    /// many before, 0.6 times after): set so that about 10% of children in care at 31 March had
    /// 3 or more placements in the year (England 10%, indicator 24) and 69% of those in care 2.5
    /// years stayed in one placement 2 years (England 69%, indicator 25).
    pub cla_move_rate: f64,
    /// Share of placements of 12- to 15-year-olds in foster care (local; younger children are
    /// fostered more, older less): set so that about 67% of children in care at 31 March are
    /// fostered (England 67%, indicator 27).
    pub cla_foster_share: f64,
    /// Chance of a temporary placement (holiday, hospital) during a placement (local).
    pub cla_temporary_rate: f64,
    /// Share of looked-after reviews held on time (no national figure; local).
    pub cla_review_on_time: f64,
    /// Chance that a child of school age has their personal education plan reviewed in a term
    /// (termly review is the standard; no national figure; local).
    pub cla_pep_termly: f64,
    /// Share of children looked after at some time in a year who go missing (England 11%, ind. 28).
    pub cla_missing_rate: f64,
    /// Annual health assessments (England 90%, indicator 31), dental checks (81%, ind. 32),
    /// immunisations up to date (84%, ind. 33) and SDQs received for ages 4/5-16 (78%, ind. 34),
    /// of children looked after for 12 months at 31 March.
    pub cla_health_assessment: f64,
    pub cla_dental_check: f64,
    pub cla_immunisations: f64,
    pub cla_sdq_completion: f64,
    /// Care leavers in education, employment or training aged 17-18 (England 64%, ind. 37) and
    /// 19-21 (54%, ind. 38), and in suitable accommodation (91%, ind. 39; 89%, ind. 40).
    pub care_leaver_eet_17_18: f64,
    pub care_leaver_eet_19_21: f64,
    pub care_leaver_suitable_17_18: f64,
    pub care_leaver_suitable_19_21: f64,
    /// Private fostering: notifications and visits (their own settings and number stream).
    pub private_fostering: private_fostering::Settings,
}

impl Spec {
    /// A council of `children` children with 5 years of history at England's rates.
    pub fn demo(children: usize, as_at: NaiveDate) -> Self {
        Spec {
            seed: 2026,
            children,
            as_at,
            years: 5,
            referrals_per_10k: 519.4,
            re_referral_rate: 0.226,
            referral_nfa_rate: 0.065,
            not_in_need_rate: 0.308,
            assessment_on_time: 0.857,
            s47_per_10k: 189.3,
            s47_to_icpc: 0.313,
            icpc_on_time: 0.814,
            icpc_to_plan: 0.858,
            repeat_plan_rate: 0.245,
            contact_conversion: 0.40,
            front_door_on_time: 0.92,
            caseload: 15.2,
            agency_rate: 0.13,
            turnover: 0.118,
            cla_per_10k: 67.0,
            cla_starts_per_10k: 26.0,
            cla_move_rate: 0.48,
            cla_foster_share: 0.55,
            cla_temporary_rate: 0.05,
            cla_review_on_time: 0.9,
            cla_pep_termly: 0.85,
            cla_missing_rate: 0.11,
            cla_health_assessment: 0.90,
            cla_dental_check: 0.81,
            cla_immunisations: 0.84,
            cla_sdq_completion: 0.78,
            care_leaver_eet_17_18: 0.64,
            care_leaver_eet_19_21: 0.54,
            care_leaver_suitable_17_18: 0.91,
            care_leaver_suitable_19_21: 0.89,
            private_fostering: private_fostering::Settings::default(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Household {
    pub address: NewAddress,
    /// An earlier address, for households that moved.
    pub previous_address: Option<NewAddress>,
    pub adults: Vec<PersonDetails>,
    pub children: Vec<PersonDetails>,
    /// How likely the family is to come to the service, relative to the average (1.0).
    pub risk: f64,
}

/// A synthetic council: its population, and the record of those who came to the service.
#[derive(Debug, Clone)]
pub struct Council {
    pub spec: Spec,
    /// Every household of the population over the years of history (children who have since
    /// turned 18 included).
    pub households: Vec<Household>,
    /// What goes into the store.
    pub record: store::BulkCouncil,
}

impl Council {
    /// Children in the population aged 0 to 17 on a day (the denominator of rates per 10,000).
    pub fn population_on(&self, on: NaiveDate) -> usize {
        self.households
            .iter()
            .flat_map(|h| &h.children)
            .filter(|c| {
                c.date_of_birth
                    .is_some_and(|b| b <= on && on < b + Days::new(365 * 18 + 4))
            })
            .count()
    }
    /// Children on the record (everyone who came to the service, and their siblings).
    pub fn children_on_record(&self) -> usize {
        self.record
            .people
            .iter()
            .filter(|p| p.details.kind == domain::person::PersonKind::Child)
            .count()
    }
    /// The social worker with the liveliest caseload at `as_at` (an open assessment, a child
    /// protection plan and a child in need plan if anyone has all three), for the demo account,
    /// and their team's manager.
    pub fn demo_workers(&self) -> (Option<uuid::Uuid>, Option<uuid::Uuid>) {
        use std::collections::{HashMap, HashSet};
        let r = &self.record;
        let open_assess: HashSet<_> = r
            .assessments
            .iter()
            .filter(|a| a.authorised_on.is_none())
            .map(|a| a.child_id)
            .collect();
        let open_cp: HashSet<_> = r
            .cp_plans
            .iter()
            .filter(|p| p.ended_on.is_none())
            .map(|p| p.child_id)
            .collect();
        let open_cin: HashSet<_> = r
            .cin_plans
            .iter()
            .filter(|p| p.ended_on.is_none())
            .map(|p| p.child_id)
            .collect();
        let mut score: HashMap<uuid::Uuid, [usize; 4]> = HashMap::new();
        for a in r.allocations.iter().filter(|a| a.to.is_none()) {
            let s = score.entry(a.worker_id).or_default();
            s[0] += usize::from(open_assess.contains(&a.child_id));
            s[1] += usize::from(open_cp.contains(&a.child_id));
            s[2] += usize::from(open_cin.contains(&a.child_id));
            s[3] += 1;
        }
        let best = r
            .workers
            .iter()
            .filter(|w| w.role_title == "Social worker" && w.left.is_none() && !w.agency)
            .max_by_key(|w| {
                let s = score.get(&w.id).copied().unwrap_or_default();
                (
                    s[0].min(1) + s[1].min(1) + s[2].min(1),
                    s[3],
                    std::cmp::Reverse(w.id),
                )
            });
        let manager = best.and_then(|b| {
            r.workers
                .iter()
                .find(|m| m.role_title == "Team manager" && m.team_id == b.team_id)
                .map(|m| m.id)
        });
        (best.map(|b| b.id), manager)
    }
}

pub(crate) fn adult_name(rng: &mut Rng) -> String {
    let (_, first) = sex_and_name(rng, true);
    format!("{first} {}", rng.pick(SURNAMES))
}

fn date_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(1) as u64;
    from + Days::new(rng.below(span))
}

fn sex_and_name(rng: &mut Rng, adult: bool) -> (&'static str, &'static str) {
    // Sex codes as recorded for the CIN census and the 903 from 2024/25: M, F (U for unborn).
    if rng.chance(0.5) {
        (
            "M",
            if adult {
                *rng.pick(ADULT_MEN)
            } else {
                *rng.pick(BOYS)
            },
        )
    } else {
        (
            "F",
            if adult {
                *rng.pick(ADULT_WOMEN)
            } else {
                *rng.pick(GIRLS)
            },
        )
    }
}

/// Generates a council. Deterministic for a given spec.
pub fn generate(spec: &Spec) -> Council {
    let mut rng = Rng::new(spec.seed);
    // Everyone who was a child at some time in the years of history: the population aged 0 to
    // 17 on `as_at` and those who have turned 18 since the history began.
    let span_years = 18 + spec.years as usize;
    let total = spec.children * span_years / 18;
    let mut households = Vec::new();
    let mut made = 0usize;
    let mut child_no = 0usize;
    while made < total {
        let family = *rng.pick(SURNAMES);
        let size = (1 + rng
            .weighted(&[("0", 40), ("1", 30), ("2", 18), ("3", 8), ("4", 4)])
            .parse::<usize>()
            .unwrap())
        .min(total - made);
        let ethnicity = rng.weighted(ETHNICITY).to_string();
        let moved_in = date_between(
            &mut rng,
            spec.as_at - Days::new(365 * 8),
            spec.as_at - Days::new(60),
        );
        let town = *rng.pick(TOWNS);
        let address = NewAddress {
            line1: format!("{} {}", 1 + rng.below(180), rng.pick(STREETS)),
            line2: String::new(),
            town: town.into(),
            postcode: postcode(&mut rng),
            from: moved_in,
            to: None,
        };
        let previous_address = rng.chance(0.35).then(|| NewAddress {
            line1: format!("{} {}", 1 + rng.below(180), rng.pick(STREETS)),
            line2: String::new(),
            town: rng.pick(TOWNS).to_string(),
            postcode: postcode(&mut rng),
            from: moved_in - Days::new(365 + rng.below(365 * 4)),
            to: Some(moved_in - Days::new(1)),
        });
        let mut adults = Vec::new();
        let (sex, first) = ("F", *rng.pick(ADULT_WOMEN));
        adults.push(adult(
            first,
            family,
            sex,
            &ethnicity,
            date_between(
                &mut rng,
                spec.as_at - Days::new(365 * 50),
                spec.as_at - Days::new(365 * 19),
            ),
        ));
        if rng.chance(0.45) {
            let first = *rng.pick(ADULT_MEN);
            let surname = if rng.chance(0.7) {
                family
            } else {
                *rng.pick(SURNAMES)
            };
            adults.push(adult(
                first,
                surname,
                "M",
                &ethnicity,
                date_between(
                    &mut rng,
                    spec.as_at - Days::new(365 * 55),
                    spec.as_at - Days::new(365 * 19),
                ),
            ));
        }
        let mut children = Vec::new();
        for _ in 0..size {
            child_no += 1;
            let (sex, first) = sex_and_name(&mut rng, false);
            let unborn = rng.chance(0.002);
            let dob = date_between(
                &mut rng,
                spec.as_at - Days::new(365 * span_years as u64 + span_years as u64 / 4),
                spec.as_at - Days::new(1),
            );
            let school_age = !unborn && (spec.as_at - dob).num_days() > 365 * 4;
            let disabled = rng.chance(0.12);
            let disabilities = if disabled {
                vec![
                    rng.pick(&[
                        "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON",
                        "AUT", "DDA",
                    ])
                    .to_string(),
                ]
            } else {
                vec!["NONE".to_string()]
            };
            let nhs = if unborn {
                None
            } else {
                nhs_number_with_check_digit(&format!(
                    "{:09}",
                    400_000_000 + (rng.below(99_999_999))
                ))
            };
            let upn = if school_age {
                // LA codes 370 to 373 are among those a UPN may carry (CIN rule 1530).
                upn_with_check_letter(&format!(
                    "{}{:04}{:02}{:03}",
                    370 + rng.below(4),
                    2000 + rng.below(7000),
                    dob.year() % 100,
                    rng.below(1000)
                ))
            } else {
                None
            };
            children.push(PersonDetails {
                kind: PersonKind::Child,
                given_name: first.into(),
                family_name: family.into(),
                date_of_birth: (!unborn).then_some(dob),
                expected_date_of_birth: unborn.then(|| spec.as_at + Days::new(14 + rng.below(150))),
                sex: if unborn { "U".into() } else { sex.into() },
                ethnicity: ethnicity.clone(),
                disabilities,
                identifiers: Identifiers {
                    council_child_id: Some(format!("HC{child_no:07}")),
                    nhs_number: nhs,
                    upn,
                    former_upn: None,
                },
                uasc: false,
                restricted: rng.chance(0.003),
            });
        }
        made += children.len();
        households.push(Household {
            address,
            previous_address,
            adults,
            children,
            risk: *rng.pick(&[0.3, 0.3, 0.3, 0.3, 0.3, 1.0, 1.0, 1.0, 2.6, 2.6]) / 0.98,
        });
    }
    let mut g = journeys::Gen::new(spec);
    for h in &households {
        g.household(h);
    }
    let mut council = Council {
        spec: spec.clone(),
        households,
        record: std::mem::take(&mut g.out),
    };
    looked_after::looked_after(&mut council);
    // Workers and allocations after care, so children in care and care leavers are allocated
    // too; private fostering last, from its own number stream, leaving the rest unchanged.
    let (teams, workers) = g.staff(&mut council.record);
    council.record.teams = teams;
    council.record.workers = workers;
    private_fostering::private_fostering(&mut council);
    // A year of case file audits last, from their own number stream too.
    quality::audits(&mut council);
    // The workforce's files and supervision, from their own number stream too.
    workforce::workforce(&mut council);
    council
}

fn adult(first: &str, family: &str, sex: &str, ethnicity: &str, dob: NaiveDate) -> PersonDetails {
    PersonDetails {
        kind: PersonKind::Adult,
        given_name: first.into(),
        family_name: family.into(),
        date_of_birth: Some(dob),
        expected_date_of_birth: None,
        sex: sex.into(),
        ethnicity: ethnicity.into(),
        disabilities: vec![],
        identifiers: Identifiers::default(),
        uasc: false,
        restricted: false,
    }
}

/// Writes a council into a store in one transaction (one audit entry, by the system, saying
/// synthetic data was loaded, with the counts).
pub async fn load(
    council: &Council,
    store: &dyn store::Repository,
) -> Result<store::BulkCounts, store::StoreError> {
    let s = &council.spec;
    store
        .load_synthetic(
            store::Actor::SYSTEM,
            &council.record,
            &format!(
                "synthetic council (seed {}, {} children aged 0-17, {} years to {})",
                s.seed, s.children, s.years, s.as_at
            ),
        )
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(n: usize) -> Spec {
        Spec::demo(n, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap())
    }

    #[test]
    fn same_seed_same_council() {
        let a = generate(&spec(300));
        let b = generate(&spec(300));
        assert_eq!(format!("{:?}", a.households), format!("{:?}", b.households));
        assert_eq!(format!("{:?}", a.record), format!("{:?}", b.record));
        let mut other = spec(300);
        other.seed = 7;
        assert_ne!(
            format!("{:?}", a.households),
            format!("{:?}", generate(&other).households)
        );
    }

    #[test]
    fn sizes_identifiers_and_families_are_plausible() {
        let c = generate(&spec(2000));
        let pop = c.population_on(c.spec.as_at);
        assert!((1900..2100).contains(&pop), "population {pop}");
        let on_record = c.children_on_record();
        assert!(
            on_record > 100 && on_record < pop,
            "{on_record} children on the record"
        );
        let mut ids = std::collections::HashSet::new();
        let mut siblings = 0;
        for h in &c.households {
            assert!(!h.adults.is_empty());
            if h.children.len() > 1 {
                siblings += 1;
            }
            for ch in &h.children {
                assert!(
                    ids.insert(ch.identifiers.council_child_id.clone().unwrap()),
                    "council ids are unique"
                );
                if let Some(n) = &ch.identifiers.nhs_number {
                    assert!(domain::person::identifiers::nhs_number_is_valid(n));
                }
                if let Some(u) = &ch.identifiers.upn {
                    assert!(domain::person::identifiers::upn_is_valid(u));
                }
                assert!(ch.date_of_birth.is_some() != ch.expected_date_of_birth.is_some());
                assert!(h.address.postcode.starts_with("ZX"));
            }
        }
        assert!(siblings > 100, "families share siblings: {siblings}");
        // Contacts name siblings together.
        let together = c
            .record
            .contacts
            .iter()
            .filter(|x| x.children.len() > 1)
            .count();
        assert!(
            together * 4 > c.record.contacts.len(),
            "{together} of {}",
            c.record.contacts.len()
        );
    }

    #[test]
    fn rng_below_is_in_range_and_spread() {
        let mut r = Rng::new(1);
        let mut seen = [0u32; 10];
        for _ in 0..10_000 {
            let x = r.below(10);
            seen[x as usize] += 1;
        }
        assert!(seen.iter().all(|&n| (800..1200).contains(&n)), "{seen:?}");
    }
}
