//! The children's journeys: for each household of the population, contacts arrive over the
//! years before `as_at` and are followed through the front door, early help, referral,
//! assessment, child in need plans, strategy discussions, section 47 enquiries, conferences and
//! child protection plans to closure; visits and notes along the way; and, once the children
//! looked after and care leavers are known ([`crate::looked_after`]), the teams, workers (with
//! agency staff and leavers) and allocations for all of them (`Gen::staff`).
//!
//! Every probability comes from a [`crate::Spec`] setting (England's published figures by
//! default, see `Spec::demo`); the simulation turns those national rates into per-step
//! probabilities in [`Steps::from_spec`]. Siblings share a household, an address and their
//! contacts, and move through the service together.

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};
use domain::assessment::Assessment;
use domain::calendar::Calendar;
use domain::case_notes::{NewNote, Note, NoteKind};
use domain::child_in_need::{CinPlan, PlanAction, PlanReview};
use domain::child_protection::{Conference, ConferenceKind, CoreGroup, CpPlan, S47, Strategy};
use domain::early_help::EarlyHelp;
use domain::front_door::{Contact, ContactChild, Decision, PartnerCheck, Referral};
use domain::person::{Address, Allocation, Person, PersonKind, Relationship};
use domain::workforce::{Team, Worker};
use store::bulk::{BulkConference, BulkCouncil, BulkReferral};
use uuid::Uuid;

use crate::{Household, Rng, Spec};

/// CIN census referral sources, weighted roughly as England's referrals by source (police about
/// 29%, schools 18%, health 14%, LA services 9%, individuals 10%, other and unknown the rest).
const SOURCES: &[(&str, u32)] = &[
    ("6", 29),
    ("2A", 18),
    ("2B", 2),
    ("3A", 3),
    ("3B", 3),
    ("3C", 1),
    ("3D", 2),
    ("3E", 3),
    ("3F", 2),
    ("4", 2),
    ("5A", 3),
    ("5B", 2),
    ("5C", 2),
    ("1A", 6),
    ("1B", 1),
    ("1C", 1),
    ("1D", 2),
    ("7", 2),
    ("8", 5),
    ("9", 1),
    ("10", 6),
];

fn source_agency(code: &str) -> (&'static str, &'static str) {
    match code {
        "6" => ("PC Jordan Hale", "South Hearthshire Police"),
        "2A" => (
            "Mrs Okoye, designated safeguarding lead",
            "Northbridge Academy",
        ),
        "2B" => ("Education welfare officer", "Council education services"),
        "3A" => ("Dr Mistry", "Eastholme Medical Practice"),
        "3B" => ("Health visitor", "0-19 service"),
        "3C" => ("School nurse", "0-19 service"),
        "3D" => ("Practice nurse", "Westmoor Health Centre"),
        "3E" => ("Emergency department", "Hearthwick General Hospital"),
        "3F" => ("Community paediatrician", "Hearthwick General Hospital"),
        "4" => ("Housing officer", "Hearthwick Homes"),
        "5A" => ("Adult social care worker", "Adult social care"),
        "5B" => ("Youth worker", "Council youth service"),
        "5C" => ("Duty social worker", "Another local authority"),
        "5D" => ("Family support worker", "Early help"),
        "1A" => ("A relative", "Family member"),
        "1B" => ("A neighbour", "Member of the public"),
        "1C" => ("The young person", "Self"),
        "1D" => ("A member of the public", "Member of the public"),
        "7" => ("Probation officer", "Probation service"),
        "8" => ("Project worker", "Voluntary sector"),
        "9" => ("Anonymous caller", "Anonymous"),
        _ => ("Not recorded", "Unknown"),
    }
}

const REASONS: &[&str] = &[
    "Police attended a domestic incident at the home overnight; the children were present.",
    "The child came to school hungry and in unwashed clothes for the third week running.",
    "The child disclosed that a parent hit them with a belt.",
    "Concerns about a parent's drinking and the care of a baby.",
    "The child has been missing from home twice this month and was found with older adults.",
    "A parent's mental health has deteriorated; the children are caring for them.",
    "Home conditions are very poor: no working heating, little food in the house.",
    "The young person is self-harming and says home is not safe.",
    "Repeated missed health appointments and the baby is not gaining weight.",
    "A neighbour reports children left alone late at night.",
    "The child has unexplained bruising to the upper arm noticed at nursery.",
    "Parents are separating and arguments have become physical in front of the children.",
];

const EMOTIONAL_WORDS: &[&str] = &[
    "\"I like it when Mum takes me to the park.\"",
    "\"I don't like it when they shout. I go to my room and put my headphones on.\"",
    "\"School is OK. My best friend is Layla.\"",
    "\"I want Dad to stop drinking.\"",
    "\"It's better now. There's food in the cupboard.\"",
    "\"I'm worried about my little brother.\"",
    "\"I want to stay living with my nan.\"",
    "\"I don't want to talk about it today.\"",
    "\"I feel safe when my auntie is here.\"",
    "\"Mum has been happier since she started the course.\"",
];

const OBSERVATIONS: &[&str] = &[
    "Baby was settled in mother's arms, made good eye contact and responded to her voice.",
    "Toddler explored the room and returned to father for comfort when the worker spoke.",
    "Baby was in a wet nappy for most of the visit and was not picked up when crying.",
    "Child babbled happily and reached for mother; clean and appropriately dressed.",
    "Child was quiet and watchful, and flinched when a door slammed.",
    "Baby fed well; the cot was clean and made up; the home was warm.",
];

const AGENCIES: &[&str] = &[
    "police",
    "health",
    "school",
    "housing",
    "probation",
    "early_help",
];

const FACTORS: &[(&str, u32)] = &[
    ("3B", 30),
    ("3A", 10),
    ("4B", 28),
    ("2B", 12),
    ("1B", 10),
    ("16A", 18),
    ("17A", 16),
    ("4A", 12),
    ("15A", 5),
    ("10A", 4),
    ("11A", 3),
    ("24A", 3),
    ("18C", 5),
    ("19C", 2),
    ("5B", 4),
    ("6B", 4),
    ("7A", 2),
    ("20", 6),
];

const NEED: &[(&str, u32)] = &[
    ("N1", 57),
    ("N2", 3),
    ("N3", 4),
    ("N4", 14),
    ("N5", 12),
    ("N6", 4),
    ("N7", 1),
    ("N8", 5),
];

const ACTIONS: &[(&str, &str, &str)] = &[
    (
        "Safe and warm home",
        "Mum to keep the home clean and the heating on; the social worker to check at each visit",
        "Parent",
    ),
    (
        "School attendance",
        "Attendance to rise above 90% with a daily lift from the family support worker",
        "School",
    ),
    (
        "Parental alcohol use",
        "Dad to attend the alcohol service weekly and share the key worker's update",
        "Parent",
    ),
    (
        "Health",
        "Register with a dentist and attend the missed 2-year health review",
        "Health visitor",
    ),
    (
        "Domestic abuse",
        "Mum to complete the Freedom Programme; safety plan reviewed at every visit",
        "Domestic abuse service",
    ),
    (
        "Emotional wellbeing",
        "Referral to the school counsellor; the child to see them fortnightly",
        "School",
    ),
    (
        "Routines",
        "A bedtime routine agreed with the family support worker and kept five nights a week",
        "Family support worker",
    ),
    (
        "Mental health",
        "Mum to attend GP review of her medication and the talking therapy assessment",
        "Parent",
    ),
];

/// Per-step probabilities derived from the national rates in the spec.
#[derive(Debug, Clone)]
pub struct Steps {
    /// Fresh contacts per child per year.
    pub contact_rate: f64,
    /// Chance a closed episode is followed by a contact within 12 months of its referral.
    pub return_chance: f64,
    /// Chance that a household whose child was on a plan returns within two years.
    pub cp_return_chance: f64,
    pub fd_strategy: f64,
    pub referral_nfa: f64,
    pub assessment_strategy: f64,
    pub not_in_need: f64,
    pub strategy_s47: f64,
    pub s47_cin: f64,
    /// Section 47 enquiries to conference for children not on a plan before (those who were go
    /// to conference more often, which brings the whole up to the spec's figure).
    pub s47_to_icpc: f64,
}

impl Steps {
    pub fn from_spec(s: &Spec) -> Steps {
        let referral_rate = s.referrals_per_10k / 10_000.0;
        let s47_share = (s.s47_per_10k / s.referrals_per_10k).min(0.9);
        let strategy_s47 = 0.92;
        // Families returning after a plan add strategy discussions of their own.
        let strategies = (s47_share * 0.915 / strategy_s47).min(0.95);
        // Half the strategy discussions come straight from the front door, half from assessments.
        let fd_strategy = strategies / 2.0;
        let plain = 1.0 - fd_strategy;
        let referral_nfa = (s.referral_nfa_rate / plain).min(0.5);
        let assessed = plain - s.referral_nfa_rate;
        let assessment_strategy = (strategies / 2.0 / assessed).min(0.8);
        let not_in_need = (s.not_in_need_rate / assessed).min(1.0 - assessment_strategy);
        // Referrals from fresh contacts: a contact converts at `contact_conversion`; returns and
        // step ups (about the re-referral share) need no fresh contact. The constant is the share
        // of a household's children named in a contact and the time a household is open to the
        // service (when no fresh contact arrives), and more: it (like the other multipliers
        // here: 0.915, 0.335, 2.15, 0.80) was fitted on the calibration test's council of 200,000
        // children so that the figures come out at the settings. Settings far from England's
        // move the figures the right way, but not always exactly to the setting.
        let fresh_share = 1.0 - s.re_referral_rate * 0.95;
        let contact_rate = referral_rate * fresh_share / s.contact_conversion / 2.31;
        Steps {
            contact_rate,
            // Measured on the generator: with no returns about 8.5% of referrals would still fall
            // within 12 months of an earlier one (step ups, families coming back after a plan,
            // fresh contacts), and each point of return chance adds about a third of a point.
            return_chance: ((s.re_referral_rate - 0.085) / 0.335).clamp(0.0, 0.95),
            cp_return_chance: (s.repeat_plan_rate * 2.15).min(0.95),
            fd_strategy,
            referral_nfa,
            assessment_strategy,
            not_in_need,
            strategy_s47,
            s47_cin: 0.45,
            s47_to_icpc: s.s47_to_icpc * 0.80,
        }
    }
}

/// `n` working days after `d` (past the end of the calendar, five a week).
fn wd(d: NaiveDate, n: u32) -> NaiveDate {
    Calendar::england()
        .add_working_days(d, n)
        .unwrap_or(d + Days::new(u64::from(n) * 7 / 5))
}

fn uuid(rng: &mut Rng) -> Uuid {
    let a = rng.next_u64().to_le_bytes();
    let b = rng.next_u64().to_le_bytes();
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a);
    bytes[8..].copy_from_slice(&b);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// A child of a household with an id and their history so far.
struct Kid {
    id: Uuid,
    dob: Option<NaiveDate>,
    edd: Option<NaiveDate>,
    name: String,
    last_referral: Option<NaiveDate>,
    cp_plans: u32,
}

/// One stretch of a family's involvement with the service: the children open to it, from the
/// referral to the closure (None while open at `as_at`).
pub struct Episode {
    pub children: Vec<Uuid>,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// What a contact leads to: when the household is free of the service again (None: still open),
/// and a follow-up contact already arranged (a step up from early help, or a return).
struct After {
    free_from: Option<NaiveDate>,
    next: Option<(NaiveDate, Trigger)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trigger {
    Fresh,
    /// A new contact after an episode closed: usually a re-referral.
    Return,
    /// Early help stepped up to children's social care.
    StepUp,
    /// A new contact about a family whose child was on a plan: often back into child protection.
    CpReturn,
}

pub(crate) struct Gen<'a> {
    spec: &'a Spec,
    steps: Steps,
    rng: Rng,
    ids: Rng,
    start: NaiveDate,
    pub out: BulkCouncil,
    pub episodes: Vec<Episode>,
    at: chrono::DateTime<chrono::Utc>,
    /// Plans categorised so far (categories follow a low-discrepancy sequence).
    categorised: u64,
}

impl<'a> Gen<'a> {
    pub fn new(spec: &'a Spec) -> Self {
        let start = spec
            .as_at
            .checked_sub_months(chrono::Months::new(12 * spec.years))
            .expect("a date in range");
        Gen {
            spec,
            steps: Steps::from_spec(spec),
            rng: Rng::new(spec.seed ^ 0x4A0E_11E5),
            ids: Rng::new(spec.seed ^ 0x1D5),
            start,
            out: BulkCouncil::default(),
            episodes: Vec::new(),
            categorised: 0,
            at: spec
                .as_at
                .and_time(NaiveTime::from_hms_opt(6, 0, 0).expect("a time"))
                .and_utc(),
        }
    }

    fn id(&mut self) -> Uuid {
        uuid(&mut self.ids)
    }

    fn days(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.rng.below(hi.saturating_sub(lo).max(1))
    }

    fn exp_days(&mut self, per_year: f64) -> u64 {
        let u = ((self.rng.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
        ((-u.ln() / per_year.max(1e-9)) * 365.25).min(1e6) as u64
    }

    /// The category of abuse for a new plan (a family's children share it). Chosen by a
    /// low-discrepancy (golden ratio) sequence rather than at random, so that a council's shares
    /// follow `CP_CATEGORIES` closely even with few families: a council of 50,000 children has
    /// only some 150 families starting plans a year.
    fn category(&mut self) -> String {
        self.categorised += 1;
        let x = (self.categorised as f64 * 0.618_033_988_749_895
            + (self.spec.seed % 1000) as f64 / 1000.0)
            .fract();
        let total: u32 = CP_CATEGORIES.iter().map(|c| c.1).sum();
        let mut at = x * f64::from(total);
        for (code, w) in CP_CATEGORIES {
            if at < f64::from(*w) {
                return code.to_string();
            }
            at -= f64::from(*w);
        }
        CP_CATEGORIES[0].0.to_string()
    }

    fn past(&self, d: NaiveDate) -> bool {
        d <= self.spec.as_at
    }

    /// Simulates one household; writes its people only if anyone came to the service.
    pub fn household(&mut self, h: &Household) {
        let mut kids: Vec<Kid> = h
            .children
            .iter()
            .map(|c| Kid {
                id: uuid(&mut self.ids),
                dob: c.date_of_birth,
                edd: c.expected_date_of_birth,
                name: format!("{} {}", c.given_name, c.family_name),
                last_referral: None,
                cp_plans: 0,
            })
            .collect();
        let contacts_before = self.out.contacts.len();
        let as_at = self.spec.as_at;
        let rate = self.steps.contact_rate * kids.len() as f64 * h.risk;
        let mut fresh = self.start + Days::new(self.exp_days(rate));
        let mut pending: Option<(NaiveDate, Trigger)> = None;
        // The council's history does not begin with a clean slate: some families' children were
        // on a plan before the record begins, and some of them come back in the first months.
        // Without them the early years would lack returning families, and the rates would
        // climb through the history instead of holding steady.
        if self.rng.chance(PRIOR_PLAN_SHARE) {
            let before = self.start - Days::new(self.days(30, 500));
            for k in kids.iter_mut() {
                if k.dob.is_some_and(|b| b + Days::new(60) < before) {
                    k.cp_plans = 1;
                    k.last_referral = Some(before - Days::new(self.rng.below(300)));
                }
            }
            if self.rng.chance(self.steps.cp_return_chance) {
                let back = (before + Days::new(self.days(30, 540))).max(self.start);
                pending = Some((back, Trigger::CpReturn));
            }
        }
        loop {
            let (d, trig) = match pending {
                Some((pd, tr)) if pd <= fresh => {
                    pending = None;
                    (pd, tr)
                }
                _ => (fresh, Trigger::Fresh),
            };
            if d > as_at {
                break;
            }
            let eligible: Vec<usize> = (0..kids.len())
                .filter(|&i| match (kids[i].dob, kids[i].edd) {
                    (Some(b), _) => b <= d && d < b + Days::new(365 * 18),
                    (None, Some(e)) => d + Days::new(150) >= e,
                    _ => false,
                })
                .collect();
            if eligible.is_empty() {
                if trig == Trigger::Fresh {
                    fresh = d + Days::new(self.exp_days(rate));
                }
                continue;
            }
            let named: Vec<usize> = if eligible.len() > 1 && self.rng.chance(0.22) {
                vec![*self.rng.pick(&eligible)]
            } else {
                eligible
            };
            let after = self.contact(d, trig, &mut kids, &named, h);
            let Some(free) = after.free_from else { break };
            if trig == Trigger::Fresh || fresh < free {
                fresh = free.max(d) + Days::new(self.exp_days(rate));
            }
            pending = after.next;
        }
        if self.out.contacts.len() > contacts_before {
            self.write_family(h, &kids);
        }
    }

    fn write_family(&mut self, h: &Household, kids: &[Kid]) {
        let at = self.at;
        let mut adult_ids = Vec::new();
        for ad in &h.adults {
            let id = self.id();
            self.out.people.push(Person {
                id,
                details: ad.clone(),
                version: 1,
                created_at: at,
                updated_at: at,
            });
            if let Some(prev) = &h.previous_address {
                let aid = self.id();
                self.out.addresses.push(address(aid, id, prev));
            }
            let aid = self.id();
            self.out.addresses.push(address(aid, id, &h.address));
            adult_ids.push(id);
        }
        for (i, (c, k)) in h.children.iter().zip(kids).enumerate() {
            self.out.people.push(Person {
                id: k.id,
                details: c.clone(),
                version: 1,
                created_at: at,
                updated_at: at,
            });
            let born = c.date_of_birth;
            if let (Some(prev), Some(b)) = (&h.previous_address, born)
                && b < prev.to.unwrap_or(prev.from)
            {
                let mut a = address(self.id(), k.id, prev);
                a.from = a.from.max(b);
                self.out.addresses.push(a);
            }
            if let Some(b) = born {
                let mut a = address(self.id(), k.id, &h.address);
                a.from = a.from.max(b);
                self.out.addresses.push(a);
            }
            for (j, adult_id) in adult_ids.iter().enumerate() {
                let kind = if j == 0 || h.adults[j].family_name == c.family_name {
                    "parent"
                } else {
                    "step_parent"
                };
                let id = self.id();
                self.out.relationships.push(Relationship {
                    id,
                    person_id: *adult_id,
                    kind: kind.into(),
                    related_person_id: k.id,
                    from: born,
                    to: None,
                });
            }
            for sib in &kids[..i] {
                let from = match (born, sib.dob) {
                    (Some(x), Some(y)) => Some(x.max(y)),
                    _ => None,
                };
                let id = self.id();
                self.out.relationships.push(Relationship {
                    id,
                    person_id: sib.id,
                    kind: "sibling".into(),
                    related_person_id: k.id,
                    from,
                    to: None,
                });
            }
        }
    }

    fn received_at(&mut self, d: NaiveDate) -> NaiveDateTime {
        let hour = 8 + self.rng.below(10) as u32;
        let minute = self.rng.below(60) as u32;
        d.and_hms_opt(hour, minute, 0).expect("a time")
    }

    /// A contact about `named` children on `d`, and everything that follows from it.
    fn contact(
        &mut self,
        d: NaiveDate,
        trig: Trigger,
        kids: &mut [Kid],
        named: &[usize],
        h: &Household,
    ) -> After {
        let received = self.received_at(d);
        let source = match trig {
            Trigger::StepUp => "5D".to_string(),
            _ => self.rng.weighted(SOURCES).to_string(),
        };
        let (who, agency) = source_agency(&source);
        let reason = self.rng.pick(REASONS).to_string();
        let outcome: &str = match trig {
            Trigger::CpReturn => {
                if self.rng.chance(0.9) {
                    "strategy"
                } else {
                    "referral"
                }
            }
            Trigger::Return | Trigger::StepUp => {
                if self.rng.chance(self.steps.fd_strategy * 1.2) {
                    "strategy"
                } else {
                    "referral"
                }
            }
            Trigger::Fresh => {
                let conv = self.spec.contact_conversion;
                let x = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                if x < conv * self.steps.fd_strategy {
                    "strategy"
                } else if x < conv {
                    "referral"
                } else if x < conv + (1.0 - conv) * 0.3 {
                    "early_help"
                } else if x < conv + (1.0 - conv) * 0.8 {
                    "advice"
                } else {
                    "nfa"
                }
            }
        };
        let due = domain::front_door::decision_due(received).unwrap_or(d + Days::new(1));
        let on_time = self.rng.chance(self.spec.front_door_on_time);
        let decided_at = if on_time {
            let same_day = received + chrono::Duration::minutes(30 + self.rng.below(300) as i64);
            if same_day.date() == d && self.rng.chance(0.6) {
                same_day
            } else {
                due.and_hms_opt(9 + self.rng.below(8) as u32, 0, 0)
                    .expect("a time")
            }
        } else {
            let late = wd(due, 1 + self.rng.below(3) as u32);
            late.and_hms_opt(10 + self.rng.below(6) as u32, 0, 0)
                .expect("a time")
        };
        let contact_id = self.id();
        let mut checks = Vec::new();
        let n_checks = match outcome {
            "referral" | "strategy" => 1 + self.rng.below(3),
            _ => self.rng.below(2),
        };
        for i in 0..n_checks {
            let agency = ["police", "health", "school"][i as usize % 3];
            let id = self.id();
            let received_on = d + Days::new(self.rng.below(2));
            checks.push(PartnerCheck {
                id,
                contact_id,
                agency: agency.into(),
                requested_on: d,
                received_on: self.past(received_on).then_some(received_on),
                summary: match agency {
                    "police" => "Two previous call-outs to the address in the last year; no convictions for the adults.",
                    "health" => "Health visitor: development on track; one missed appointment.",
                    _ => "School: attendance 86%; the child is quiet and sometimes hungry.",
                }
                .into(),
                recorded_by: None,
            });
        }
        let decided = decided_at <= self.spec.as_at.and_hms_opt(6, 0, 0).expect("a time");
        let decision = decided.then(|| Decision {
            outcome: outcome.into(),
            decided_at,
            decided_by: None,
            direction: match outcome {
                "strategy" => "Convene a strategy discussion today with police and health.",
                "referral" => "Refer to the assessment team for a child and family assessment.",
                "early_help" => {
                    "Offer early help: family support worker to make contact within 5 days."
                }
                "advice" => "Advice given to the referrer; share the family support directory.",
                _ => "No further action: no role for children's social care.",
            }
            .into(),
            rationale: match outcome {
                "strategy" => "Reasonable cause to suspect significant harm.",
                "referral" => {
                    "The child may be in need; the family's circumstances need assessment."
                }
                "early_help" => "Needs are emerging; the family agrees to support.",
                "advice" => "The referrer can manage the concern with advice.",
                _ => "The information does not indicate the child is in need.",
            }
            .into(),
            quality: matches!(outcome, "referral" | "strategy").then(|| {
                self.rng
                    .weighted(&[("good", 55), ("adequate", 35), ("poor", 10)])
                    .into()
            }),
            quality_comment: String::new(),
            within_timescale: decided_at.date() <= due,
        });
        let ratings = screening_rating(contact_id, outcome, decided, received, self.spec.as_at);
        self.out.contacts.push(Contact {
            id: contact_id,
            received_at: received,
            source: source.clone(),
            contact_name: who.into(),
            contact_agency: agency.into(),
            reason,
            consent: if outcome == "strategy" {
                "not_sought"
            } else {
                "given"
            }
            .into(),
            decision_due: due,
            recorded_by: None,
            children: named
                .iter()
                .map(|&i| ContactChild {
                    person_id: kids[i].id,
                    name: kids[i].name.clone(),
                    restricted: false,
                })
                .collect(),
            checks,
            version: (if decided { 2 } else { 1 }) + ratings.len() as i64,
            ratings,
            decision: decision.clone(),
        });
        if !decided {
            return After {
                free_from: None,
                next: None,
            };
        }
        let decided_on = decided_at.date();
        match outcome {
            "nfa" | "advice" => After {
                free_from: Some(decided_on),
                next: None,
            },
            "early_help" => self.early_help(decided_on, kids, named, "front_door"),
            _ => self.referral(
                d,
                contact_id,
                &source,
                outcome == "strategy",
                kids,
                named,
                h,
            ),
        }
    }

    /// Early help for the named children; a step up arranges a contact from early help.
    fn early_help(&mut self, d: NaiveDate, kids: &[Kid], named: &[usize], origin: &str) -> After {
        let started = d + Days::new(self.days(1, 10));
        let months = self.days(3, 10);
        let ended = started + Days::new(months * 30);
        let reason = self.rng.weighted(&[
            ("needs_met", 60),
            ("step_up", 14),
            ("declined", 16),
            ("moved", 4),
            ("other", 6),
        ]);
        let closed = self.past(ended);
        let lead = self
            .rng
            .pick(&[
                "Jo Kemp, family support worker (Early help)",
                "Amir Shah, family hub key worker (Early help)",
                "Mrs Okoye, school family liaison (School)",
                "Beth Lowe, health visitor (Health)",
            ])
            .to_string();
        let step_up = closed && reason == "step_up";
        for &i in named {
            if !self.past(started) {
                break;
            }
            let id = self.id();
            self.out.early_help.push(EarlyHelp {
                id,
                child_id: kids[i].id,
                started_on: started,
                lead: lead.clone(),
                reason: "Support with routines, school attendance and parental wellbeing.".into(),
                origin: origin.into(),
                ended_on: closed.then_some(ended),
                end_reason: closed.then(|| reason.to_string()),
                end_note: if step_up {
                    "Concerns have grown despite support: stepping up to children's social care."
                        .into()
                } else {
                    String::new()
                },
                // The step-up contact is made (with an id of its own) when it is processed; the
                // link is filled in then.
                step_up_contact: None,
            });
        }
        if !self.past(started) {
            return After {
                free_from: Some(started),
                next: None,
            };
        }
        if !closed {
            return After {
                free_from: None,
                next: None,
            };
        }
        After {
            free_from: Some(ended),
            next: step_up.then_some((ended, Trigger::StepUp)),
        }
    }

    /// A referral for each named child, followed to the end of the episode.
    #[allow(clippy::too_many_arguments)]
    fn referral(
        &mut self,
        d: NaiveDate,
        contact_id: Uuid,
        source: &str,
        strategy_first: bool,
        kids: &mut [Kid],
        named: &[usize],
        h: &Household,
    ) -> After {
        // A step up links its early help episodes to this contact.
        if source == "5D" {
            for e in self.out.early_help.iter_mut().rev().take(named.len() * 2) {
                if named.iter().any(|&i| kids[i].id == e.child_id)
                    && e.end_reason.as_deref() == Some("step_up")
                    && e.step_up_contact.is_none()
                {
                    e.step_up_contact = Some(contact_id);
                }
            }
        }
        let mut refs = Vec::new();
        for &i in named {
            let prev = kids[i].last_referral;
            let id = self.id();
            self.out.referrals.push(BulkReferral {
                referral: Referral {
                    id,
                    child_id: kids[i].id,
                    contact_id,
                    referral_date: d,
                    source: source.into(),
                    re_referral: domain::front_door::is_re_referral(d, prev),
                    previous_referral: prev,
                    closed_on: None,
                    closure_reason: None,
                },
                primary_need: None,
            });
            kids[i].last_referral = Some(d);
            refs.push((i, self.out.referrals.len() - 1));
        }
        let children: Vec<Uuid> = named.iter().map(|&i| kids[i].id).collect();
        let ep = self.episodes.len();
        self.episodes.push(Episode {
            children: children.clone(),
            from: d,
            to: None,
        });

        let had_plan = named.iter().any(|&i| kids[i].cp_plans > 0);
        let end = self.episode(d, strategy_first, kids, &refs, h);
        // Close the referrals.
        if let Some((closed, reason)) = &end.closed {
            for &(_, r) in &refs {
                self.out.referrals[r].referral.closed_on = Some(*closed);
                self.out.referrals[r].referral.closure_reason = Some(reason.to_string());
            }
            self.episodes[ep].to = Some(*closed);
        }
        let Some((closed, reason)) = end.closed else {
            return After {
                free_from: None,
                next: None,
            };
        };
        if reason == "RC9" {
            let after = self.early_help(closed, kids, named, "step_down");
            return after;
        }
        if matches!(reason, "RC5" | "RC6") {
            // The family moved away or the young person went to adult services.
            return After {
                free_from: Some(closed + Days::new(365 * 30)),
                next: None,
            };
        }
        let on_plan = end.had_cp_plan || had_plan;
        let window_end = d + Days::new(364);
        let next = if on_plan && self.rng.chance(self.steps.cp_return_chance) {
            let back = closed + Days::new(self.days(30, 540));
            Some((back, Trigger::CpReturn))
        } else if closed + Days::new(14) < window_end && self.rng.chance(self.steps.return_chance) {
            let back = closed + Days::new(self.days(14, (window_end - closed).num_days() as u64));
            Some((back, Trigger::Return))
        } else {
            None
        };
        After {
            free_from: Some(closed),
            next,
        }
    }

    /// The work on an episode, from the referral to its closure. Returns the closure (None if
    /// still open) and whether a child protection plan was part of it.
    fn episode(
        &mut self,
        d: NaiveDate,
        strategy_first: bool,
        kids: &mut [Kid],
        refs: &[(usize, usize)],
        h: &Household,
    ) -> EpisodeEnd {
        let as_at = self.spec.as_at;
        let under = |x: NaiveDate| x <= as_at;
        // Referral closed with no further action, before any assessment.
        if !strategy_first && self.rng.chance(self.steps.referral_nfa) {
            let closed = wd(d, self.rng.below(3) as u32);
            return if under(closed) {
                EpisodeEnd::closed(closed, "RC7", false)
            } else {
                EpisodeEnd::open()
            };
        }
        // A child and family assessment for each child.
        let a_start = wd(d, self.rng.below(3) as u32);
        if !under(a_start) {
            return EpisodeEnd::open();
        }
        let due = domain::timescales::assessment_due(d).unwrap_or(d + Days::new(63));
        let on_time = self.rng.chance(self.spec.assessment_on_time);
        let span = if on_time {
            // Median about 33 working days (England 2025, C2).
            let a = 8 + self.rng.below(38) as u32;
            let b = 8 + self.rng.below(38) as u32;
            a.max(b).min(45)
        } else {
            46 + self.rng.below(30) as u32
        };
        let authorised = wd(a_start, span);
        let completed = authorised
            .checked_sub_days(Days::new(self.rng.below(3)))
            .unwrap_or(authorised)
            .max(a_start);
        let outcome = if strategy_first {
            "strategy"
        } else {
            let x = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            if x < self.steps.assessment_strategy {
                "strategy"
            } else if x < self.steps.assessment_strategy + self.steps.not_in_need {
                if self.rng.chance(0.35) {
                    "early_help"
                } else {
                    "nfa"
                }
            } else {
                "cin_plan"
            }
        };
        // Strategy from an assessment is held when concerns emerge, partway through it.
        let strategy_on = if strategy_first {
            Some(wd(d, self.rng.below(2) as u32))
        } else if outcome == "strategy" {
            let mid = wd(a_start, 3 + self.rng.below(span.max(4) as u64 - 3) as u32);
            Some(mid.min(completed))
        } else {
            None
        };
        let factors = self.factors(outcome);
        let worker_visits_until = if under(completed) { completed } else { as_at };
        for &(i, r) in refs {
            let id = self.id();
            let done = under(completed);
            let auth = under(authorised);
            self.out.assessments.push(Assessment {
                id,
                child_id: kids[i].id,
                referral_id: self.out.referrals[r].referral.id,
                referral_date: d,
                started_on: a_start,
                due_on: due,
                completed_on: done.then_some(completed),
                factors: if done { factors.clone() } else { vec![] },
                outcome: done.then(|| outcome.to_string()),
                summary: if done {
                    format!(
                        "Assessment of {} completed. Factors identified with the family; the child's views are recorded in the visits.",
                        kids[i].name
                    )
                } else {
                    String::new()
                },
                authorised_on: auth.then_some(authorised),
                authorised_by: None,
                authorised_comment: if auth {
                    "Analysis supports the outcome.".into()
                } else {
                    String::new()
                },
                framework: if done {
                    framework(&kids[i].name, outcome)
                } else {
                    Default::default()
                },
                draft_saved_at: None,
                returns: Vec::new(),
                version: if auth { 3 } else if done { 2 } else { 1 },
            });
            self.visits(kids[i].id, kids[i].dob, a_start, worker_visits_until, 10);
            if auth {
                self.oversight(
                    kids[i].id,
                    authorised,
                    match outcome {
                        "nfa" => "Assessment authorised: close with no further action.",
                        "early_help" => "Assessment authorised: step down to early help.",
                        "cin_plan" => {
                            "Assessment authorised: child in need plan; first review in 3 months."
                        }
                        _ => "Assessment authorised: proceed under section 47.",
                    },
                );
            }
        }
        if let Some(s) = strategy_on {
            // The assessment runs alongside the enquiry: the episode closes once both are done.
            let mut end = self.protection(s, kids, refs, h);
            if let Some((closed, reason)) = end.closed
                && authorised > closed
            {
                end.closed = under(authorised).then_some((authorised, reason));
            }
            return end;
        }
        if !under(authorised) {
            return EpisodeEnd::open();
        }
        match outcome {
            "nfa" => EpisodeEnd::closed(authorised, "RC8", false),
            "early_help" => EpisodeEnd::closed(authorised, "RC9", false),
            _ => {
                let need = self.rng.weighted(NEED).to_string();
                let start = authorised + Days::new(self.rng.below(5));
                self.cin_plan(start, need, kids, refs, false)
            }
        }
    }

    fn factors(&mut self, outcome: &str) -> Vec<String> {
        if outcome == "nfa" && self.rng.chance(0.3) {
            return vec!["21".into()];
        }
        let n = 1 + self.rng.below(3);
        let mut f: Vec<String> = Vec::new();
        for _ in 0..n {
            let c = self.rng.weighted(FACTORS).to_string();
            if !f.contains(&c) {
                f.push(c);
            }
        }
        f
    }

    /// Strategy discussion, section 47 enquiry, initial conference and plan.
    fn protection(
        &mut self,
        held: NaiveDate,
        kids: &mut [Kid],
        refs: &[(usize, usize)],
        h: &Household,
    ) -> EpisodeEnd {
        let as_at = self.spec.as_at;
        let s47 = self.rng.chance(self.steps.strategy_s47);
        let agencies = self.agencies(3);
        // Children who were on a plan before go back to conference more often.
        let known_risk = refs.iter().any(|&(i, _)| kids[i].cp_plans > 0);
        let icpc = s47
            && self.rng.chance(if known_risk {
                0.85
            } else {
                self.steps.s47_to_icpc
            });
        let icpc_on_time = self.rng.chance(self.spec.icpc_on_time);
        let icpc_due =
            domain::timescales::initial_conference_due(held).unwrap_or(held + Days::new(21));
        let icpc_day = if icpc_on_time {
            wd(held, 6 + self.rng.below(10) as u32)
        } else {
            wd(held, 16 + self.rng.below(12) as u32)
        };
        let s47_done = if icpc {
            wd(held, 4 + self.rng.below(4) as u32).min(icpc_day)
        } else {
            wd(held, 5 + self.rng.below(12) as u32)
        };
        let s47_outcome = if icpc {
            "icpc"
        } else if self.rng.chance(self.steps.s47_cin) {
            "cin"
        } else {
            "nfa"
        };
        let plan = icpc && self.rng.chance(self.spec.icpc_to_plan);
        let category = self.category();
        let mut s47_ids = Vec::new();
        for &(i, r) in refs {
            let sid = self.id();
            self.out.strategies.push(Strategy {
                id: sid,
                child_id: kids[i].id,
                referral_id: self.out.referrals[r].referral.id,
                held_on: held,
                agencies: agencies.clone(),
                s47,
                notes: "Police and health shared information; threshold for section 47 considered."
                    .into(),
            });
            if s47 {
                let id = self.id();
                let done = s47_done <= as_at;
                self.out.s47s.push(S47 {
                    id,
                    child_id: kids[i].id,
                    strategy_id: sid,
                    started_on: held,
                    icpc_due,
                    completed_on: done.then_some(s47_done),
                    outcome: done.then(|| s47_outcome.to_string()),
                });
                s47_ids.push(id);
            }
        }
        if !s47 {
            let closed = wd(held, 2 + self.rng.below(5) as u32);
            return if closed <= as_at {
                EpisodeEnd::closed(closed, "RC8", false)
            } else {
                EpisodeEnd::open()
            };
        }
        if s47_done > as_at {
            return EpisodeEnd::open();
        }
        if !icpc {
            return if s47_outcome == "cin" {
                let need = "N1".to_string();
                let start = s47_done + Days::new(self.rng.below(5));
                self.cin_plan(start, need, kids, refs, false)
            } else {
                EpisodeEnd::closed(s47_done, "RC7", false)
            };
        }
        if icpc_day > as_at {
            return EpisodeEnd::open();
        }
        // The initial conference.
        let conf_agencies = self.agencies(4);
        let mut plans = Vec::new();
        for (n, &(i, _)) in refs.iter().enumerate() {
            let plan_id = plan.then(|| self.id());
            let id = self.id();
            self.out.conferences.push(BulkConference {
                conference: Conference {
                    id,
                    child_id: kids[i].id,
                    kind: ConferenceKind::Initial,
                    held_on: icpc_day,
                    due_on: icpc_due,
                    agencies: conf_agencies.clone(),
                    plan,
                    category: plan.then(|| category.clone()),
                    plan_id,
                },
                s47_id: Some(s47_ids[n]),
            });
            if let Some(pid) = plan_id {
                plans.push((i, pid));
            }
        }
        if !plan {
            return self.cin_plan(icpc_day, "N1".into(), kids, refs, false);
        }
        self.cp_plans(icpc_day, category, kids, refs, &plans, h)
    }

    fn agencies(&mut self, n: usize) -> Vec<String> {
        let mut a = vec!["social_care".to_string()];
        for x in AGENCIES.iter().take(n) {
            if a.len() < 2 || self.rng.chance(0.75) {
                a.push(x.to_string());
            }
        }
        a
    }

    /// Child protection plans for the children from an initial conference: reviews at 3 months
    /// then 6-monthly, core groups, visits every 10 working days; ending at a review, stepping
    /// down to a child in need plan or closing.
    fn cp_plans(
        &mut self,
        start: NaiveDate,
        category: String,
        kids: &mut [Kid],
        refs: &[(usize, usize)],
        plans: &[(usize, Uuid)],
        _h: &Household,
    ) -> EpisodeEnd {
        let as_at = self.spec.as_at;
        // How many reviews until the plan ends (3, 9, 15, 21 or 27 months).
        let reviews = 1 + self
            .rng
            .weighted(&[("0", 23), ("1", 46), ("2", 20), ("3", 8), ("4", 3)])
            .parse::<u32>()
            .expect("a number");
        let mut dates = Vec::new();
        let mut due = domain::timescales::first_cp_review_due(start);
        for _ in 0..reviews {
            let held = if self.rng.chance(0.94) {
                due - Days::new(self.rng.below(10))
            } else {
                due + Days::new(1 + self.rng.below(15))
            };
            dates.push((held, due));
            due = domain::timescales::next_cp_review_due(held);
        }
        let end = dates.last().map(|x| x.0).expect("at least one review");
        let ended = end <= as_at;
        let latest = if self.rng.chance(0.1) {
            self.rng.weighted(CP_CATEGORIES).to_string()
        } else {
            category.clone()
        };
        let step_down = self.rng.chance(0.7);
        for &(i, pid) in plans {
            let repeat = kids[i].cp_plans > 0;
            kids[i].cp_plans += 1;
            let mut core_groups = Vec::new();
            let mut g = wd(start, 4 + self.rng.below(6) as u32);
            while g <= as_at && g <= end {
                core_groups.push(CoreGroup {
                    held_on: g,
                    agencies: vec!["social_care".into(), "school".into(), "health".into(), "parent".into()],
                    notes: "Plan reviewed with the family: actions on track; school reports better attendance.".into(),
                });
                g = g + Days::new(35 + self.rng.below(14));
            }
            for (n, &(held, due)) in dates.iter().enumerate() {
                if held > as_at {
                    break;
                }
                let last = n + 1 == dates.len();
                let id = self.id();
                self.out.conferences.push(BulkConference {
                    conference: Conference {
                        id,
                        child_id: kids[i].id,
                        kind: ConferenceKind::Review,
                        held_on: held,
                        due_on: due,
                        agencies: vec![
                            "social_care".into(),
                            "health".into(),
                            "school".into(),
                            "parent".into(),
                        ],
                        plan: !last,
                        category: (!last).then(|| latest.clone()),
                        plan_id: Some(pid),
                    },
                    s47_id: None,
                });
            }
            self.out.cp_plans.push(CpPlan {
                id: pid,
                child_id: kids[i].id,
                started_on: start,
                ended_on: ended.then_some(end),
                initial_category: category.clone(),
                latest_category: latest.clone(),
                end_reason: if ended {
                    if step_down {
                        "Risks reduced: continue support under a child in need plan."
                    } else {
                        "Risks reduced and the family no longer needs a plan."
                    }
                    .into()
                } else {
                    String::new()
                },
                repeat,
                core_groups,
                conferences: vec![],
            });
            self.visits(kids[i].id, kids[i].dob, start, end.min(as_at), 10);
        }
        if !ended {
            return EpisodeEnd {
                closed: None,
                had_cp_plan: true,
            };
        }
        if step_down {
            let mut e = self.cin_plan(end, "N1".into(), kids, refs, true);
            e.had_cp_plan = true;
            e
        } else {
            EpisodeEnd::closed(end, "RC7", true)
        }
    }

    /// A child in need plan for the children on the referrals: SMART actions, reviews every 3
    /// months, visits every 20 working days; ends and the episode closes.
    fn cin_plan(
        &mut self,
        start: NaiveDate,
        need: String,
        kids: &[Kid],
        refs: &[(usize, usize)],
        after_cp: bool,
    ) -> EpisodeEnd {
        let as_at = self.spec.as_at;
        if start > as_at {
            return EpisodeEnd::open();
        }
        let months = if after_cp {
            self.days(4, 10)
        } else {
            self.days(6, 20)
        };
        let end = start + Days::new(months * 30);
        let ended = end <= as_at;
        let n_actions = 3 + self.rng.below(3) as usize;
        let picks: Vec<usize> = (0..n_actions)
            .map(|k| (self.rng.below(ACTIONS.len() as u64) as usize + k) % ACTIONS.len())
            .collect();
        for &(i, r) in refs {
            let pid = self.id();
            let mut actions = Vec::new();
            for (k, &a) in picks.iter().enumerate() {
                let (need_text, action, owner) = ACTIONS[a];
                let due = start + Days::new(21 + 14 * k as u64 + self.rng.below(28));
                // Most actions are done by their date; a few run late, fewer not achieved.
                let status = if ended {
                    self.rng
                        .weighted(&[("completed", 90), ("not_achieved", 10)])
                } else if due + Days::new(14) < as_at {
                    self.rng.weighted(&[
                        ("completed", 88),
                        ("in_progress", 7),
                        ("not_started", 2),
                        ("not_achieved", 3),
                    ])
                } else if due <= as_at {
                    self.rng.weighted(&[
                        ("completed", 50),
                        ("in_progress", 40),
                        ("not_started", 10),
                    ])
                } else {
                    self.rng
                        .weighted(&[("not_started", 50), ("in_progress", 50)])
                };
                let id = self.id();
                actions.push(PlanAction {
                    id,
                    need: need_text.into(),
                    action: format!("{action} by {}", due.format("%-d %B %Y")),
                    owner: owner.into(),
                    due_on: due,
                    status: status.into(),
                    progress: match status {
                        "completed" => "Done and confirmed at the review.",
                        "in_progress" => "Started; the family is engaging.",
                        "not_achieved" => "Not achieved; a new approach agreed at the review.",
                        _ => "",
                    }
                    .into(),
                    version: 1,
                });
            }
            let mut reviews = Vec::new();
            let mut rv = start + Days::new(84 + self.rng.below(14));
            while rv <= as_at && rv <= end {
                reviews.push(PlanReview {
                    held_on: rv,
                    summary: "Plan reviewed with the family and the core network: progress on most actions; the child's views shared.".into(),
                });
                rv = rv + Days::new(84 + self.rng.below(14));
            }
            self.out.cin_plans.push(CinPlan {
                id: pid,
                child_id: kids[i].id,
                referral_id: self.out.referrals[r].referral.id,
                started_on: start,
                ended_on: ended.then_some(end),
                end_reason: if ended {
                    "Needs met: the plan's outcomes were achieved.".into()
                } else {
                    String::new()
                },
                primary_need: need.clone(),
                actions,
                reviews,
            });
            self.out.referrals[r].primary_need = Some(need.clone());
            self.visits(kids[i].id, kids[i].dob, start, end.min(as_at), 20);
        }
        if !ended {
            return EpisodeEnd::open();
        }
        // Most episodes end because needs are met; a few families move or a young person moves
        // to adult services.
        let oldest_adult = refs.iter().any(|&(i, _)| {
            kids[i]
                .dob
                .is_some_and(|b| end >= b + Days::new(365 * 18 - 30))
        });
        let reason = if oldest_adult {
            "RC6"
        } else {
            self.rng
                .weighted(&[("RC7", 94), ("RC5", 4), ("RC3", 1), ("RC4", 1)])
        };
        EpisodeEnd::closed(end, reason, false)
    }

    /// Visits every `every` working days (with a little slack) from `from` to `to`.
    fn visits(
        &mut self,
        child: Uuid,
        dob: Option<NaiveDate>,
        from: NaiveDate,
        to: NaiveDate,
        every: u32,
    ) {
        // An unborn baby is not visited; the work is with the parents (a pre-birth assessment).
        let Some(dob) = dob else { return };
        let mut v = wd(from, 1 + self.rng.below(every as u64) as u32);
        while v <= to {
            let seen = self.rng.chance(0.93);
            let young = v < dob + Days::new(365 * 3);
            let alone = seen && !young && self.rng.chance(0.65);
            let id = self.id();
            self.out.notes.push(Note {
                id,
                child_id: child,
                note: NewNote {
                    kind: NoteKind::Visit,
                    date: v,
                    child_seen: Some(seen),
                    seen_alone: Some(alone),
                    childs_words: if seen && !young {
                        self.rng.pick(EMOTIONAL_WORDS).to_string()
                    } else {
                        String::new()
                    },
                    observation: if seen && young {
                        self.rng.pick(OBSERVATIONS).to_string()
                    } else {
                        String::new()
                    },
                    text: if seen {
                        "Home visit. Saw the child and the parent; talked through the plan and what has changed since the last visit."
                    } else {
                        "Visit attempted: no answer at the door. Card left; the school confirmed the child was in today."
                    }
                    .into(),
                    decision: String::new(),
                    rationale: String::new(),
                },
                recorded_by: None,
            });
            v = wd(v, every - 2 + self.rng.below(5) as u32);
        }
    }

    fn oversight(&mut self, child: Uuid, on: NaiveDate, decision: &str) {
        let id = self.id();
        self.out.notes.push(Note {
            id,
            child_id: child,
            note: NewNote {
                kind: NoteKind::Oversight,
                date: on,
                child_seen: None,
                seen_alone: None,
                childs_words: String::new(),
                observation: String::new(),
                text: String::new(),
                decision: decision.into(),
                rationale: "The assessment's analysis supports this; the family's views were taken into account.".into(),
            },
            recorded_by: None,
        });
    }

    /// Workers and allocations, for the children of the journeys and the children looked after
    /// and care leavers already in `record` (from [`crate::looked_after`]).
    ///
    /// Three services hold cases: the family teams (assessment, children in need, child
    /// protection, front door) hold the journeys' episodes, a family's children together; the
    /// children in care teams' social workers hold children looked after; the leaving care
    /// teams' personal advisers hold care leavers to their 21st birthday. Each service has
    /// enough workers (with leavers over the years and agency staff) for its open cases at
    /// `as_at` to average `spec.caseload` (`ADVISER_CASELOAD` for advisers); a case goes to the
    /// least-loaded worker of its service in post, and moves when their worker leaves.
    ///
    /// At entry to care, half the children allocated already keep their worker for the first
    /// weeks and then transfer to the children in care team; the others move at once, and
    /// children new to the service are allocated straight to it. After care the social worker
    /// keeps the case for some weeks (closing it, or handing a care leaver to their adviser).
    pub fn staff(&mut self, record: &mut BulkCouncil) -> (Vec<Team>, Vec<Worker>) {
        let as_at = self.spec.as_at;
        let cases = self.care_cases(record);
        let care_of: HashMap<Uuid, usize> = cases
            .iter()
            .enumerate()
            .map(|(i, c)| (c.child, i))
            .collect();
        // Open cases at as_at in each service.
        let family_open: usize = self
            .episodes
            .iter()
            .filter(|e| e.to.is_none())
            .flat_map(|e| &e.children)
            .filter(|c| care_of.get(c).is_none_or(|&i| !cases[i].blocks(as_at)))
            .count();
        let care_open = cases
            .iter()
            .filter(|c| c.to.is_none() && c.from <= as_at)
            .count();
        let adviser_open = cases
            .iter()
            .filter(|c| matches!(c.adviser, Some((_, None))))
            .count();
        let sized =
            |open: usize, per: f64, least: usize| ((open as f64 / per).round() as usize).max(least);
        let family_now = sized(family_open, self.spec.caseload, 3);
        let care_now = sized(care_open, self.spec.caseload, 2);
        let advisers_now = sized(adviser_open, ADVISER_CASELOAD, 1);

        let mut teams: Vec<Team> = Vec::new();
        let mut team = |ids: &mut Rng, name: String| {
            let id = uuid(ids);
            teams.push(Team { id, name });
            id
        };
        let kinds = [
            "Assessment",
            "Children in need",
            "Child protection",
            "Front door (MASH)",
        ];
        let family_teams: Vec<Uuid> = (0..family_now.div_ceil(7).max(1))
            .map(|i| {
                team(
                    &mut self.ids,
                    format!("{} team {}", kinds[i % kinds.len()], i / kinds.len() + 1),
                )
            })
            .collect();
        let care_teams: Vec<Uuid> = (0..care_now.div_ceil(7).max(1))
            .map(|i| team(&mut self.ids, format!("Children in care team {}", i + 1)))
            .collect();
        let leaving_teams: Vec<Uuid> = (0..advisers_now.div_ceil(8).max(1))
            .map(|i| team(&mut self.ids, format!("Leaving care team {}", i + 1)))
            .collect();
        let mut workers = Vec::new();
        for t in &teams {
            let id = self.id();
            let name = crate::adult_name(&mut self.rng);
            let started = self.start - Days::new(self.days(200, 3000));
            workers.push(Worker {
                id,
                name,
                team_id: Some(t.id),
                role_title: "Team manager".into(),
                agency: false,
                started,
                left: None,
            });
        }
        // Agency staff are spread evenly over the social workers in post, across services.
        let mut agency_seq = 0usize;
        let family = self.hire(
            &mut workers,
            &family_teams,
            family_now,
            "Social worker",
            Some(&mut agency_seq),
        );
        let care = self.hire(
            &mut workers,
            &care_teams,
            care_now,
            "Social worker",
            Some(&mut agency_seq),
        );
        let advisers = self.hire(
            &mut workers,
            &leaving_teams,
            advisers_now,
            "Personal adviser",
            None,
        );

        // For each worker, the end dates of the cases they hold.
        let mut holding: Vec<Vec<NaiveDate>> = vec![Vec::new(); workers.len()];
        let mut out: Vec<Allocation> = Vec::new();

        // The family teams: each episode in date order.
        let mut order: Vec<usize> = (0..self.episodes.len()).collect();
        order.sort_by_key(|&i| self.episodes[i].from);
        for e in order {
            let (from, to) = (self.episodes[e].from, self.episodes[e].to);
            // A referral closed the day it came in is not allocated.
            if to == Some(from) {
                continue;
            }
            assign(
                &family,
                &workers,
                &mut holding,
                &mut self.ids,
                &self.episodes[e].children,
                from,
                to,
                &mut out,
            );
        }
        // A child in care or leaving care is not held by a family team meanwhile: their family
        // allocations stop the day before care starts (or, for half of those allocated then,
        // some weeks into care) and resume after, if the family's episode is still open.
        let mut kept: Vec<Allocation> = Vec::with_capacity(out.len() + cases.len() * 2);
        let mut continued: HashMap<Uuid, NaiveDate> = HashMap::new();
        for a in out {
            let Some(&i) = care_of.get(&a.child_id) else {
                kept.push(a);
                continue;
            };
            let c = &cases[i];
            let last = c.last();
            if a.to.is_some_and(|t| t < c.care_from) || last.is_some_and(|l| a.from > l) {
                kept.push(a);
                continue;
            }
            let day_before = c.care_from - Days::new(1);
            if a.from < day_before {
                let mut before = a.clone();
                before.to = Some(day_before);
                if c.from == c.care_from && self.rng.chance(0.5) {
                    // The worker stays for the first weeks of care, then hands over.
                    let mut until = c.care_from + Days::new(self.days(20, 90));
                    if let Some(t) = a.to {
                        until = until.min(t);
                    }
                    if let Some(t) = c.to {
                        until = until.min(t);
                    }
                    // Not handed over in the last days of March (see `clear_of_year_end`).
                    if until.month() == 3 && until.day() >= 26 {
                        until = until.with_day(25).expect("a date");
                    }
                    if until < c.care_from {
                        // Care began in those days: the child moves at once.
                    } else if until <= as_at {
                        before.to = Some(until);
                        continued.insert(a.child_id, until);
                    } else {
                        before.to = None;
                        continued.insert(a.child_id, NaiveDate::MAX);
                    }
                }
                kept.push(before);
            }
            if let Some(l) = last
                && a.to.is_none_or(|t| t > l + Days::new(1))
            {
                kept.push(Allocation {
                    id: uuid(&mut self.ids),
                    from: l + Days::new(1),
                    ..a
                });
            }
        }
        // The children in care teams, then the leaving care teams, in date order.
        let mut order: Vec<usize> = (0..cases.len()).collect();
        order.sort_by_key(|&i| (cases[i].from, i));
        for &i in &order {
            let c = &cases[i];
            let from = match continued.get(&c.child) {
                Some(&u) if u == NaiveDate::MAX => continue,
                Some(&u) => u + Days::new(1),
                None => c.from,
            };
            if c.to.is_some_and(|t| t <= from) || from > as_at {
                continue;
            }
            assign(
                &care,
                &workers,
                &mut holding,
                &mut self.ids,
                &[c.child],
                from,
                c.to,
                &mut kept,
            );
        }
        order.sort_by_key(|&i| (cases[i].adviser.map(|a| a.0), i));
        for &i in &order {
            if let Some((from, to)) = cases[i].adviser {
                assign(
                    &advisers,
                    &workers,
                    &mut holding,
                    &mut self.ids,
                    &[cases[i].child],
                    from,
                    to,
                    &mut kept,
                );
            }
        }
        clear_of_year_ends(&mut kept, &workers, &care_of, as_at);
        // A personal adviser's allocation has its own role, beside the social worker's.
        let adviser_ids: std::collections::HashSet<Uuid> =
            advisers.iter().map(|&i| workers[i].id).collect();
        let (pa, sw): (Vec<Allocation>, Vec<Allocation>) = kept
            .into_iter()
            .partition(|a| adviser_ids.contains(&a.worker_id));
        record.allocations.extend(sw);
        record.adviser_allocations.extend(pa);
        (teams, workers)
    }

    /// Hires `current` workers in post at `as_at` with the role `role` into `teams` (in turn),
    /// and the leavers of the years of history (turnover); returns their places in `workers`.
    /// Social workers take agency places in turn (`agency_seq` counts them across services).
    fn hire(
        &mut self,
        workers: &mut Vec<Worker>,
        teams: &[Uuid],
        current: usize,
        role: &str,
        mut agency_seq: Option<&mut usize>,
    ) -> Vec<usize> {
        let as_at = self.spec.as_at;
        let first = workers.len();
        let years = self.spec.years as usize;
        let leavers = (current as f64 * self.spec.turnover * years as f64).round() as usize;
        let rate = self.spec.agency_rate;
        for n in 0..current + leavers {
            let id = self.id();
            let name = crate::adult_name(&mut self.rng);
            let leaver = n >= current;
            let (started, left) = if leaver {
                // Leavers spread evenly over the years of history.
                let span = (as_at - self.start).num_days() as f64;
                let k = (n - current) as f64 + 0.5;
                let left = self.start + Days::new((k / leavers as f64 * span) as u64);
                (left - Days::new(self.days(200, 2500)), Some(left))
            } else {
                // Current workers: some joined before the history, the rest replaced leavers.
                let s = if self.rng.chance(0.5) {
                    self.start - Days::new(self.days(30, 3000))
                } else {
                    self.start
                        + Days::new(self.days(0, (as_at - self.start).num_days() as u64 - 20))
                };
                (s, None)
            };
            let agency = match agency_seq.as_deref_mut() {
                None => false,
                // Leavers at random.
                Some(_) if leaver => self.rng.chance(rate),
                Some(k) => {
                    let a = ((*k + 1) as f64 * rate).floor() > (*k as f64 * rate).floor();
                    *k += 1;
                    a
                }
            };
            workers.push(Worker {
                id,
                name,
                team_id: Some(teams[n % teams.len()]),
                role_title: role.into(),
                agency,
                started,
                left,
            });
        }
        (first..workers.len()).collect()
    }

    /// The children looked after and care leavers of `record` whose cases reach into the
    /// allocations' years (from a year before the record begins, so that the first years'
    /// returns have their social workers).
    fn care_cases(&mut self, record: &BulkCouncil) -> Vec<CareCase> {
        let as_at = self.spec.as_at;
        let epoch = self.start - Days::new(365);
        let dob: HashMap<Uuid, NaiveDate> = record
            .people
            .iter()
            .filter_map(|p| p.details.date_of_birth.map(|d| (p.id, d)))
            .collect();
        let adopted: std::collections::HashSet<Uuid> = record
            .cla_episodes
            .iter()
            .filter(|e| matches!(e.reason_ceased.as_deref(), Some("E11" | "E12")))
            .map(|e| e.period_id)
            .collect();
        let mut cases = Vec::new();
        for p in &record.cla_periods {
            let Some(&b) = dob.get(&p.child_id) else {
                continue;
            };
            let birthday = |n: u32| {
                b.checked_add_months(chrono::Months::new(12 * n))
                    .expect("a date in range")
            };
            // Care leavers: looked after for 13 weeks since their 14th birthday, and at 16.
            let leaver = p.ended_on.is_some_and(|e| {
                e >= birthday(16) && e >= p.started_on.max(birthday(14)) + Days::new(91)
            });
            let to = p.ended_on.map(|e| {
                let after = if leaver {
                    self.days(0, 42)
                } else if adopted.contains(&p.id) {
                    self.days(1, 14)
                } else {
                    self.days(14, 90)
                };
                clear_of_year_end(e + Days::new(after))
            });
            let to = to.filter(|t| *t <= as_at);
            let adviser = if leaver {
                to.and_then(|t| {
                    let from = (t + Days::new(1)).max(epoch);
                    let end = birthday(21) - Days::new(1);
                    (from < end && from <= as_at).then_some((from, (end <= as_at).then_some(end)))
                })
            } else {
                None
            };
            if to.is_some_and(|t| t < epoch) && adviser.is_none() {
                continue;
            }
            cases.push(CareCase {
                child: p.child_id,
                care_from: p.started_on,
                from: p.started_on.max(epoch),
                to,
                adviser,
            });
        }
        cases
    }
}

/// Care leavers per personal adviser: there is no national figure (UNCONFIRMED; leaving care
/// services commonly plan for 20 to 30), so a local setting.
const ADVISER_CASELOAD: f64 = 25.0;

/// A child's time in care and leaving care, for allocation.
struct CareCase {
    child: Uuid,
    /// The first day of care.
    care_from: NaiveDate,
    /// The first day a children in care team may hold the case (the first day of care, or the
    /// allocations' first year).
    from: NaiveDate,
    /// The last day the children in care team holds the case (None: open at `as_at`).
    to: Option<NaiveDate>,
    /// A care leaver's personal adviser: from the day after `to` to the day before their 21st
    /// birthday (None: open at `as_at`).
    adviser: Option<(NaiveDate, Option<NaiveDate>)>,
}

impl CareCase {
    /// The last day of care or leaving care (None: open at `as_at`).
    fn last(&self) -> Option<NaiveDate> {
        match self.adviser {
            Some((_, to)) => to,
            None => self.to,
        }
    }
    /// Is the child in care or leaving care on a day?
    fn blocks(&self, on: NaiveDate) -> bool {
        self.care_from <= on && self.last().is_none_or(|l| on <= l)
    }
}

/// Cases are not closed or handed on in the last six days of March: the SSDA903 asks for the
/// next social worker of a child whose social worker episode ends then (rule SW11b), so the
/// synthetic council closes them on 1 April instead.
fn clear_of_year_end(d: NaiveDate) -> NaiveDate {
    if d.month() == 3 && d.day() >= 26 {
        NaiveDate::from_ymd_opt(d.year(), 4, 1).expect("a date")
    } else {
        d
    }
}

/// The allocations of children in care or leaving care that end in the last six days of March
/// (a case closed or handed on, not a worker leaving) end on 1 April instead, or on 25 March if
/// the child's next worker starts by 2 April (see `clear_of_year_end`).
fn clear_of_year_ends(
    allocations: &mut [Allocation],
    workers: &[Worker],
    care_of: &HashMap<Uuid, usize>,
    as_at: NaiveDate,
) {
    let left: HashMap<Uuid, Option<NaiveDate>> = workers.iter().map(|w| (w.id, w.left)).collect();
    let mut by_child: HashMap<Uuid, Vec<usize>> = HashMap::new();
    for (i, a) in allocations.iter().enumerate() {
        if care_of.contains_key(&a.child_id) {
            by_child.entry(a.child_id).or_default().push(i);
        }
    }
    let mut children: Vec<_> = by_child.into_values().collect();
    children.sort();
    for mut v in children {
        v.sort_by_key(|&i| allocations[i].from);
        for k in 0..v.len() {
            let a = &allocations[v[k]];
            let Some(t) = a.to else { continue };
            if clear_of_year_end(t) == t || left[&a.worker_id] == Some(t) {
                continue;
            }
            let april = clear_of_year_end(t);
            let march = april - Days::new(7);
            let next = v.get(k + 1).map(|&j| allocations[j].from);
            let stays = left[&a.worker_id].is_none_or(|l| l >= april);
            let to = if next.is_none_or(|n| n > april + Days::new(1)) && stays && april <= as_at {
                april
            } else if a.from < march {
                march
            } else {
                t
            };
            allocations[v[k]].to = Some(to);
        }
    }
}

/// The last day a worker leaving on `left` holds cases: their last day, or in the last days of
/// March, 25 March (see `clear_of_year_end`).
fn handover(left: NaiveDate) -> NaiveDate {
    if clear_of_year_end(left) == left {
        left
    } else {
        left.with_day(25).expect("a date")
    }
}

/// Allocates `children` from `from` to `to` (the last day held; None: open) to the
/// least-loaded worker of `pool` in post, moving them to another when their worker leaves (and,
/// when no one is in post, waiting for the next to join).
#[allow(clippy::too_many_arguments)]
fn assign(
    pool: &[usize],
    workers: &[Worker],
    holding: &mut [Vec<NaiveDate>],
    ids: &mut Rng,
    children: &[Uuid],
    from: NaiveDate,
    to: Option<NaiveDate>,
    out: &mut Vec<Allocation>,
) {
    let far = NaiveDate::MAX;
    let mut day = from;
    loop {
        let pick = pool
            .iter()
            .copied()
            .filter(|&w| {
                workers[w].started <= day && workers[w].left.is_none_or(|l| handover(l) > day)
            })
            .min_by_key(|&w| {
                let load = holding[w].iter().filter(|&&x| x >= day).count();
                (load, w)
            });
        let Some(w) = pick else {
            // The next to join, if before the case ends.
            let next = pool
                .iter()
                .map(|&w| workers[w].started)
                .filter(|s| *s > day && to.is_none_or(|t| *s < t))
                .min();
            match next {
                Some(s) => {
                    day = s;
                    continue;
                }
                None => break,
            }
        };
        let until = match (workers[w].left.map(handover), to) {
            (Some(l), Some(t)) if l < t => Some(handover(l)),
            (Some(l), None) => Some(handover(l)),
            _ => None,
        };
        let end = until.or(to);
        for c in children {
            let id = uuid(ids);
            out.push(Allocation {
                id,
                child_id: *c,
                worker_id: workers[w].id,
                from: day,
                to: end,
            });
        }
        holding[w].push(end.unwrap_or(far));
        match until {
            Some(l) => day = l + Days::new(1),
            None => break,
        }
    }
}

/// Share of households with a child on a plan before the record begins (about the share with a
/// plan in the last two years at England's rates: 50.8 plans per 10,000 children a year, in
/// families of about 1.6 children on plans, over households of about 2 children).
const PRIOR_PLAN_SHARE: f64 = 0.008;

/// Categories of abuse for new plans: England's shares of plans by initial category at 31 March
/// 2020, the last full breakdown found (DfE CIN A6, performance-indicators.md [S10]): neglect
/// 50.5%, emotional 35.7%, physical 7.4%, sexual 3.8%, multiple 2.6%.
pub const CP_CATEGORIES: &[(&str, u32)] = &[
    ("NEG", 505),
    ("EMO", 357),
    ("PHY", 74),
    ("SAB", 38),
    ("MUL", 26),
];

struct EpisodeEnd {
    closed: Option<(NaiveDate, &'static str)>,
    had_cp_plan: bool,
}

impl EpisodeEnd {
    fn open() -> Self {
        EpisodeEnd {
            closed: None,
            had_cp_plan: false,
        }
    }
    fn closed(on: NaiveDate, reason: &'static str, had_cp_plan: bool) -> Self {
        EpisodeEnd {
            closed: Some((on, reason)),
            had_cp_plan,
        }
    }
}

fn address(id: Uuid, person_id: Uuid, a: &domain::person::NewAddress) -> Address {
    Address {
        id,
        person_id,
        line1: a.line1.clone(),
        line2: a.line2.clone(),
        town: a.town.clone(),
        postcode: a.postcode.clone(),
        from: a.from,
        to: a.to,
    }
}

/// Is this person a child (for counting)?
pub fn is_child(p: &Person) -> bool {
    p.details.kind == PersonKind::Child
}

/// Children's ages on a date, in whole years.
pub fn age_on(dob: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        age -= 1;
    }
    age
}

/// Referrals by child, in date order (for re-referral and repeat checks).
pub fn referrals_by_child(c: &BulkCouncil) -> HashMap<Uuid, Vec<NaiveDate>> {
    let mut m: HashMap<Uuid, Vec<NaiveDate>> = HashMap::new();
    for r in &c.referrals {
        m.entry(r.referral.child_id)
            .or_default()
            .push(r.referral.referral_date);
    }
    for v in m.values_mut() {
        v.sort();
    }
    m
}

/// A synthetic assessment written by the framework's sections, its analysis fitting the outcome.
fn framework(name: &str, outcome: &str) -> domain::assessment::AssessmentFramework {
    domain::assessment::AssessmentFramework {
        developmental_needs: format!(
            "{name}'s health, education and emotional development were discussed with the school and health."
        ),
        parenting_capacity: "Basic care and safety were observed at home visits; warmth and boundaries were discussed with the parents.".into(),
        family_environment: "Housing, income and support from the wider family were explored with the family.".into(),
        child_views: format!("{name}'s wishes and feelings were gathered on visits and are recorded in them."),
        parents_views: "The parents' views were sought and are recorded in the visits.".into(),
        analysis: match outcome {
            "nfa" => "Needs are met at home: no further action.",
            "early_help" => "Needs are best met by early help with the family's agreement.",
            "cin_plan" => "Needs are not fully met without services: a child in need plan.",
            _ => "Risk of significant harm: proceed under section 47.",
        }
        .into(),
    }
}

/// The front door's screening rating of a generated contact, as a MASH would give it: red for a
/// strategy discussion (a third with an immediate safety concern), mostly amber for a referral,
/// mostly green otherwise; given within two hours of receipt, and not yet given for about one
/// contact in ten still waiting. Drawn from the contact's id, so the council's other draws are
/// as before.
fn screening_rating(
    id: uuid::Uuid,
    outcome: &str,
    decided: bool,
    received: chrono::NaiveDateTime,
    as_at: chrono::NaiveDate,
) -> Vec<domain::front_door::RiskAssessment> {
    use domain::front_door::{RiskAssessment, RiskRating};
    let bits = id.as_u128();
    let pick = (bits % 100) as u32;
    let rated_at = received + chrono::Duration::minutes(15 + ((bits >> 8) % 105) as i64);
    if rated_at > as_at.and_hms_opt(6, 0, 0).expect("a time") || (!decided && pick < 10) {
        return Vec::new();
    }
    let (rating, immediate) = match outcome {
        "strategy" => (RiskRating::Red, pick < 33),
        "referral" if pick < 10 => (RiskRating::Red, false),
        "referral" if pick < 80 => (RiskRating::Amber, false),
        "referral" => (RiskRating::Green, false),
        _ if pick < 15 => (RiskRating::Amber, false),
        _ => (RiskRating::Green, false),
    };
    let reason = match (rating, immediate) {
        (RiskRating::Red, true) => {
            "Disclosure of an injury by an adult at home; the child is afraid to go home tonight."
        }
        (RiskRating::Red, false) => {
            "Possible significant harm: repeated concerns and police call-outs to the address."
        }
        (RiskRating::Amber, _) => {
            "Needs unmet at home and worries from school; no immediate risk identified."
        }
        (RiskRating::Green, _) => {
            "No indication of harm; advice or early help may meet the family's needs."
        }
    };
    vec![RiskAssessment {
        rating,
        reason: reason.into(),
        immediate_safety: immediate,
        rated_at,
        rated_by: None,
    }]
}
