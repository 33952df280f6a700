//! Loading a whole synthetic council at once: every record of a generated council (people,
//! addresses, relationships, teams, workers, allocations and the children's journeys) in one
//! transaction, with multi-row inserts, and ONE audit entry saying that synthetic data was loaded
//! (by whom, and how many of each record). The records arrive with their ids already assigned, so
//! the generator can link them; nothing here checks them against the record's rules, which the
//! generator is responsible for (the schema's constraints still hold).
//!
//! For demos, tests and benchmarks only: real records enter through the repository's ordinary
//! methods, each with its own audit entry.

use async_trait::async_trait;
use domain::assessment::Assessment;
use domain::case_notes::Note;
use domain::child_in_need::CinPlan;
use domain::child_protection::{Conference, CpPlan, S47, Strategy};
use domain::early_help::EarlyHelp;
use domain::front_door::{Contact, Referral};
use domain::person::{Address, Allocation, Person, Relationship};
use domain::workforce::{Team, Worker};
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, Result};

/// A conference with the section 47 enquiry it follows (initial conferences).
#[derive(Debug, Clone)]
pub struct BulkConference {
    pub conference: Conference,
    pub s47_id: Option<Uuid>,
}

/// A referral with its primary need (set when a plan starts).
#[derive(Debug, Clone)]
pub struct BulkReferral {
    pub referral: Referral,
    pub primary_need: Option<String>,
}

/// An account the synthetic council's records name (its case file auditors). It cannot sign
/// in until a password is set (its stored hash is not one).
#[derive(Debug, Clone)]
pub struct BulkUser {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: domain::access::Role,
}

/// A case file audit programme with its sample: (child, auditor) in the order drawn.
#[derive(Debug, Clone)]
pub struct BulkProgramme {
    pub id: Uuid,
    pub theme: String,
    pub scope: domain::quality::ScopeKind,
    pub team_id: Option<Uuid>,
    pub period_start: chrono::NaiveDate,
    pub period_end: chrono::NaiveDate,
    /// A random sample's recorded seed and size (None: chosen cases).
    pub seed: Option<u64>,
    pub size: Option<u32>,
    pub auditors: Vec<Uuid>,
    pub sample: Vec<(Uuid, Uuid)>,
    pub created_by: Uuid,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Everything a synthetic council holds. Nested records (a contact's children and checks, a plan's
/// actions and reviews, a child protection plan's core groups) are written from their parents;
/// conferences are written from `conferences`, not from `CpPlan::conferences`.
#[derive(Debug, Clone, Default)]
pub struct BulkCouncil {
    pub teams: Vec<Team>,
    pub workers: Vec<Worker>,
    pub people: Vec<Person>,
    pub addresses: Vec<Address>,
    pub relationships: Vec<Relationship>,
    /// Allocations to social workers.
    pub allocations: Vec<Allocation>,
    /// Allocations to personal advisers (from 16, beside or after the social worker's).
    pub adviser_allocations: Vec<Allocation>,
    pub contacts: Vec<Contact>,
    pub referrals: Vec<BulkReferral>,
    pub assessments: Vec<Assessment>,
    pub notes: Vec<Note>,
    pub early_help: Vec<EarlyHelp>,
    pub cin_plans: Vec<CinPlan>,
    pub strategies: Vec<Strategy>,
    pub s47s: Vec<S47>,
    pub cp_plans: Vec<CpPlan>,
    pub conferences: Vec<BulkConference>,
    pub cla_periods: Vec<domain::looked_after::Period>,
    pub cla_episodes: Vec<domain::looked_after::Episode>,
    pub cla_reviews: Vec<domain::looked_after::Review>,
    pub cla_health: Vec<domain::looked_after::HealthYear>,
    pub cla_missing: Vec<domain::looked_after::Missing>,
    /// OC3 rows from elsewhere (an earlier system's returns), written to `care_leaver_year` and
    /// used only for young people with nothing recorded in Hearth; the OC3 rows of everyone else
    /// are derived from the record (see [`BulkCouncil::care_leaver_years`]).
    pub care_leavers: Vec<domain::looked_after::CareLeaverYear>,
    /// Keeping in touch with care leavers.
    pub leaving_care_contacts: Vec<domain::care_leavers::KeepingInTouch>,
    /// Care leavers' activity and accommodation, each change from its date.
    pub leaving_care_statuses: Vec<domain::care_leavers::LeavingCareStatus>,
    /// Needs assessments from 16.
    pub leaving_care_needs: Vec<domain::care_leavers::NeedsAssessment>,
    /// Pathway plans with their actions, a plan's successor (`superseded_by`) before it.
    pub pathway_plans: Vec<domain::care_leavers::PathwayPlan>,
    pub peps: Vec<domain::looked_after::Pep>,
    /// Previous permanence recorded for periods of care (written into their `cla_period` rows).
    pub cla_previous_permanence: Vec<domain::looked_after::PreviousPermanence>,
    /// Decisions to place for adoption, each with its match if any.
    pub cla_adoption: Vec<domain::looked_after::adoption::AdoptionDecision>,
    /// Private fostering arrangements; their visits are written from them.
    pub pf_arrangements: Vec<domain::private_fostering::Arrangement>,
    /// Accounts the records name (case file auditors).
    pub users: Vec<BulkUser>,
    /// Case file audit programmes with their samples.
    pub audit_programmes: Vec<BulkProgramme>,
    /// Case file audits: their grades as they stand after moderation (a moderated grade's grade
    /// as given is its first change's `from`), moderations and learning actions.
    pub audits: Vec<domain::quality::Audit>,
    /// Workers' files (registration, role, hours, ASYE, leaving, moves, absences) for workers
    /// in `workers` (matched by id); a worker without one keeps the defaults.
    pub worker_files: Vec<domain::workforce::StaffMember>,
    /// Supervision sessions (the synthetic council's write no case discussions).
    pub supervisions: Vec<domain::workforce::supervision::Supervision>,
}

impl BulkCouncil {
    /// The OC3 rows the store will hold once this is loaded, as at a day: derived from the
    /// periods of care, contacts and statuses (as `looked_after_export` derives them), and the
    /// rows from elsewhere for young people with nothing recorded.
    pub fn care_leaver_years(
        &self,
        as_at: chrono::NaiveDate,
    ) -> Vec<domain::looked_after::CareLeaverYear> {
        let born: std::collections::HashMap<uuid::Uuid, chrono::NaiveDate> = self
            .people
            .iter()
            .filter_map(|p| p.details.date_of_birth.map(|d| (p.id, d)))
            .collect();
        let recorded: std::collections::HashSet<uuid::Uuid> = self
            .leaving_care_contacts
            .iter()
            .map(|k| k.child_id)
            .chain(self.leaving_care_statuses.iter().map(|s| s.child_id))
            .collect();
        let legacy_only: std::collections::HashSet<uuid::Uuid> = self
            .care_leavers
            .iter()
            .map(|l| l.child_id)
            .filter(|c| !recorded.contains(c))
            .collect();
        domain::care_leavers::care_leaver_years_of(
            &born,
            self.cla_periods
                .iter()
                .map(|p| (p.child_id, p.started_on, p.ended_on)),
            &self.leaving_care_contacts,
            &self.leaving_care_statuses,
            as_at,
        )
        .into_iter()
        .filter(|l| !legacy_only.contains(&l.child_id))
        .chain(
            self.care_leavers
                .iter()
                .filter(|l| legacy_only.contains(&l.child_id))
                .cloned(),
        )
        .collect()
    }
}

/// How many rows of each kind a load wrote (also the audit entry's detail).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BulkCounts {
    pub teams: u64,
    pub workers: u64,
    pub people: u64,
    pub addresses: u64,
    pub relationships: u64,
    pub allocations: u64,
    pub adviser_allocations: u64,
    pub contacts: u64,
    pub contact_children: u64,
    pub partner_checks: u64,
    pub risk_ratings: u64,
    pub referrals: u64,
    pub assessments: u64,
    pub notes: u64,
    pub early_help: u64,
    pub cin_plans: u64,
    pub plan_actions: u64,
    pub plan_reviews: u64,
    pub strategies: u64,
    pub s47s: u64,
    pub cp_plans: u64,
    pub conferences: u64,
    pub core_groups: u64,
    pub cla_periods: u64,
    pub cla_episodes: u64,
    pub cla_reviews: u64,
    pub cla_health: u64,
    pub cla_missing: u64,
    pub care_leavers: u64,
    pub leaving_care_contacts: u64,
    pub leaving_care_statuses: u64,
    pub leaving_care_needs: u64,
    pub pathway_plans: u64,
    pub pathway_actions: u64,
    pub peps: u64,
    pub cla_adoption_decisions: u64,
    pub cla_adoption_matches: u64,
    pub pf_arrangements: u64,
    pub pf_visits: u64,
    pub users: u64,
    pub audit_programmes: u64,
    pub audit_samples: u64,
    pub audits: u64,
    pub audit_grades: u64,
    pub audit_moderations: u64,
    pub learning_actions: u64,
    pub worker_moves: u64,
    pub worker_absences: u64,
    pub supervisions: u64,
}

impl BulkCounts {
    pub fn total(&self) -> u64 {
        let v = serde_json::to_value(self).expect("counts serialise");
        v.as_object()
            .map(|o| o.values().filter_map(|x| x.as_u64()).sum())
            .unwrap_or(0)
    }
}

#[async_trait]
pub trait BulkLoad: Send + Sync {
    /// Writes a whole synthetic council in one transaction, with one audit entry (action
    /// "create", entity "synthetic_council") whose detail names `description` and whose `after`
    /// holds the counts. Either everything lands or nothing does.
    async fn load_synthetic(
        &self,
        actor: Actor,
        council: &BulkCouncil,
        description: &str,
    ) -> Result<BulkCounts>;
}
