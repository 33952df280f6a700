//! The CIN census as typed records. Codes are kept as written, so that a wrong code is a
//! validation finding rather than a reading error; dates and booleans are typed (a value that is
//! not a date is a reading error, as the DfE schema would reject it).
//!
//! Every record carries its row: its 0-based index, in file order, within its module (the tables
//! the DfE rules speak of: ChildIdentifiers, ChildCharacteristics, Disabilities, CINdetails,
//! Assessments, CINplanDates, Section47, ChildProtectionPlans, Reviews).

use chrono::NaiveDate;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub collection: Option<String>,
    pub year: Option<String>,
    pub reference_date: Option<NaiveDate>,
    pub source_level: Option<String>,
    pub lea: Option<String>,
    pub software_code: Option<String>,
    pub release: Option<String>,
    pub serial_no: Option<String>,
    pub date_time: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Child {
    /// Row in ChildIdentifiers and ChildCharacteristics (one per child).
    pub row: usize,
    pub la_child_id: Option<String>,
    pub upn: Option<String>,
    pub former_upn: Option<String>,
    pub upn_unknown: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub expected_birth_date: Option<NaiveDate>,
    pub sex: Option<String>,
    pub death_date: Option<NaiveDate>,
    pub ethnicity: Option<String>,
    /// Whether a `<Disabilities>` element was present.
    pub has_disabilities: bool,
    pub disabilities: Vec<Coded>,
    pub cin_details: Vec<CinDetails>,
}

/// A code with its row in its own module (Disabilities).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coded {
    pub row: usize,
    pub code: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CinDetails {
    pub row: usize,
    pub referral_date: Option<NaiveDate>,
    pub referral_source: Option<String>,
    pub primary_need_code: Option<String>,
    pub closure_date: Option<NaiveDate>,
    pub reason_for_closure: Option<String>,
    /// An initial conference recorded on the episode where there is no Section47 module for it.
    pub date_of_initial_cpc: Option<NaiveDate>,
    pub referral_nfa: Option<bool>,
    pub assessments: Vec<Assessment>,
    pub plans: Vec<CinPlan>,
    pub section47: Vec<Section47>,
    pub cpps: Vec<ChildProtectionPlan>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assessment {
    pub row: usize,
    pub start: Option<NaiveDate>,
    pub internal_review: Option<NaiveDate>,
    pub authorisation: Option<NaiveDate>,
    /// Whether `<FactorsIdentifiedAtAssessment>` was present.
    pub has_factors: bool,
    pub factors: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CinPlan {
    pub row: usize,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section47 {
    pub row: usize,
    pub start: Option<NaiveDate>,
    pub initial_cpc_target: Option<NaiveDate>,
    pub date_of_initial_cpc: Option<NaiveDate>,
    pub icpc_not_required: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChildProtectionPlan {
    pub row: usize,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub initial_category: Option<String>,
    pub latest_category: Option<String>,
    pub previous_plans: Option<i64>,
    /// Whether `<Reviews>` was present.
    pub has_reviews: bool,
    pub reviews: Vec<Review>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    pub row: usize,
    pub date: Option<NaiveDate>,
}

/// A whole census return.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Census {
    pub header: Header,
    pub children: Vec<Child>,
}

impl Census {
    /// Renumbers every row in file order (after building a census in code).
    pub fn renumber(&mut self) {
        let mut n = Counters::default();
        for (i, c) in self.children.iter_mut().enumerate() {
            c.row = i;
            for d in &mut c.disabilities {
                d.row = n.next(Module::Disabilities);
            }
            for e in &mut c.cin_details {
                e.row = n.next(Module::CinDetails);
                for a in &mut e.assessments {
                    a.row = n.next(Module::Assessments);
                }
                for p in &mut e.plans {
                    p.row = n.next(Module::CinPlanDates);
                }
                for s in &mut e.section47 {
                    s.row = n.next(Module::Section47);
                }
                for p in &mut e.cpps {
                    p.row = n.next(Module::ChildProtectionPlans);
                    for r in &mut p.reviews {
                        r.row = n.next(Module::Reviews);
                    }
                }
            }
        }
    }
}

/// The modules (tables) of the census, as the DfE rules name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Module {
    Header,
    ChildIdentifiers,
    ChildCharacteristics,
    Disabilities,
    CinDetails,
    Assessments,
    CinPlanDates,
    Section47,
    ChildProtectionPlans,
    Reviews,
}

impl Module {
    pub fn name(self) -> &'static str {
        match self {
            Module::Header => "Header",
            Module::ChildIdentifiers => "ChildIdentifiers",
            Module::ChildCharacteristics => "ChildCharacteristics",
            Module::Disabilities => "Disabilities",
            Module::CinDetails => "CINdetails",
            Module::Assessments => "Assessments",
            Module::CinPlanDates => "CINplanDates",
            Module::Section47 => "Section47",
            Module::ChildProtectionPlans => "ChildProtectionPlans",
            Module::Reviews => "Reviews",
        }
    }
}

/// Row counters per module, in file order.
#[derive(Debug, Default, Clone)]
pub struct Counters {
    counts: [usize; 10],
}

impl Counters {
    pub fn next(&mut self, m: Module) -> usize {
        let i = m as usize;
        let r = self.counts[i];
        self.counts[i] += 1;
        r
    }
}
