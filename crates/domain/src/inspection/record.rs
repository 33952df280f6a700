//! What Annex A needs from the record, as plain rows: the store fills it in one read
//! (`store::inspection`), and [`super::annex_a::build`] makes the lists from it. Rows entered in
//! error are left out by the store.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnexARecord {
    pub children: Vec<Child>,
    /// (worker, worker's name, team's name).
    pub workers: Vec<(Uuid, String, Option<String>)>,
    /// Social worker allocations: (child, worker, from, to).
    pub allocations: Vec<(Uuid, Uuid, NaiveDate, Option<NaiveDate>)>,
    /// (contact, child, received, source code).
    pub contacts: Vec<(Uuid, Uuid, NaiveDate, String)>,
    pub early_help: Vec<EarlyHelp>,
    pub referrals: Vec<Referral>,
    pub assessments: Vec<Assessment>,
    /// Visits: (child, date, child seen, seen alone).
    pub visits: Vec<(Uuid, NaiveDate, bool, bool)>,
    pub s47s: Vec<S47>,
    pub cp_plans: Vec<CpPlan>,
    /// Child in need plans: (child, referral, started, ended).
    pub cin_plans: Vec<(Uuid, Uuid, NaiveDate, Option<NaiveDate>)>,
    /// Periods of care: (child, started, ended, category of need).
    pub cla_periods: Vec<(Uuid, NaiveDate, Option<NaiveDate>, String)>,
    pub cla_episodes: Vec<Episode>,
    /// Looked-after reviews: (child, held).
    pub cla_reviews: Vec<(Uuid, NaiveDate)>,
    pub missing: Vec<Missing>,
    /// Health checks: (child, kind: initial, review or dental, done).
    pub health_checks: Vec<(Uuid, String, NaiveDate)>,
    /// Permanence plans in force (not superseded): (child, plan, agreed).
    pub permanence: Vec<(Uuid, String, NaiveDate)>,
    pub leavers: Vec<Leaver>,
    pub adoption: Vec<AdoptionDecision>,
    /// Front-door decisions, for their timeliness.
    #[serde(default)]
    pub decisions: Vec<Decision>,
}

/// A contact's decision: when it was due (end of the next working day) and made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub children: Vec<Uuid>,
    pub received: NaiveDate,
    pub due: NaiveDate,
    pub decided: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    pub id: Uuid,
    /// The council's child id (Annex A's Child Unique ID); the record's id where none.
    pub council_id: Option<String>,
    pub sex: String,
    pub ethnicity: String,
    pub date_of_birth: Option<NaiveDate>,
    /// CIN disability codes (NONE for none; empty where not recorded).
    pub disabilities: Vec<String>,
    pub uasc: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlyHelp {
    pub child: Uuid,
    pub started: NaiveDate,
    pub ended: Option<NaiveDate>,
    /// The lead professional's organisation.
    pub lead: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub id: Uuid,
    pub child: Uuid,
    pub date: NaiveDate,
    pub source: String,
    pub closed: Option<NaiveDate>,
    pub closure_reason: Option<String>,
    pub primary_need: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub child: Uuid,
    pub referral: Uuid,
    pub started: NaiveDate,
    pub completed: Option<NaiveDate>,
    pub authorised: Option<NaiveDate>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct S47 {
    pub child: Uuid,
    /// The strategy discussion that began it.
    pub strategy: NaiveDate,
    pub started: NaiveDate,
    pub completed: Option<NaiveDate>,
    pub outcome: Option<String>,
    /// The initial conference on it, and whether it made a plan.
    pub icpc: Option<(NaiveDate, bool)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpPlan {
    pub child: Uuid,
    pub started: NaiveDate,
    pub ended: Option<NaiveDate>,
    pub initial_category: String,
    pub latest_category: String,
    /// Review conferences, oldest first.
    pub reviews: Vec<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    pub child: Uuid,
    pub started: NaiveDate,
    pub ended: Option<NaiveDate>,
    pub reason_new: String,
    pub legal_status: String,
    pub placement: String,
    pub provider: Option<String>,
    pub postcode: Option<String>,
    pub urn: Option<String>,
    pub reason_ceased: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    pub child: Uuid,
    pub started: NaiveDate,
    /// M (missing) or A (away from placement without authorisation).
    pub kind: String,
    pub interview_offered: bool,
    pub interview_accepted: Option<bool>,
}

/// A care leaver's latest keeping-in-touch and status, as at the day the lists are made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaver {
    pub child: Uuid,
    /// YES, NO, DIED, REFU, NREQ, RHOM, from the latest contact.
    pub in_touch: Option<String>,
    pub accommodation: Option<String>,
    pub suitable: Option<bool>,
    pub activity: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdoptionDecision {
    pub id: Uuid,
    pub child: Uuid,
    pub decided: NaiveDate,
    pub ceased: Option<NaiveDate>,
    pub reason_ceased: Option<String>,
    /// The match with adopters (its id identifies the adoptive family), and when.
    pub matched: Option<(Uuid, NaiveDate)>,
}
