//! The child's journey from the front door, as a part of the repository: contacts and partner
//! checks, the front-door decision (which makes referrals, flagging re-referrals), single
//! assessments, and visits, case notes and management oversight; and the work that is due.
//! Every change writes its audit entries in the same transaction, one for each child concerned.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::assessment::{Assessment, AssessmentCompletion};
use domain::case_notes::{NewNote, Note};
use domain::front_door::{
    Contact, NewContact, NewDecision, NewPartnerCheck, PartnerCheck, QualityCount, Referral,
};
use domain::work::DueItem;
use uuid::Uuid;

use crate::{Actor, Result};

/// Whose work is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkScope {
    /// The children allocated to one worker.
    Worker(Uuid),
    /// The children allocated to a team's workers, and the team's authorisations.
    Team(Uuid),
    /// Everything: the whole service.
    All,
}

#[async_trait]
pub trait Journey: Send + Sync {
    /// Records a contact about one or more children (all must be children on the record).
    async fn record_contact(&self, actor: Actor, contact: NewContact) -> Result<Contact>;
    /// A contact with its children, checks and decision, writing an access entry for each child.
    async fn view_contact(&self, actor: Actor, id: Uuid, purpose: &str) -> Result<Contact>;
    /// The children a contact names, for access checks before viewing it.
    async fn contact_children(&self, id: Uuid) -> Result<Vec<Uuid>>;
    async fn add_partner_check(
        &self,
        actor: Actor,
        contact_id: Uuid,
        check: NewPartnerCheck,
    ) -> Result<PartnerCheck>;
    /// Records the front-door decision. A referral or strategy discussion makes a referral for
    /// each child, dated the day the contact was received, flagged as a re-referral when the
    /// child had another referral in the 12 months before. A contact is decided once.
    async fn decide_contact(
        &self,
        actor: Actor,
        contact_id: Uuid,
        expected_version: i64,
        decision: NewDecision,
    ) -> Result<(Contact, Vec<Referral>)>;
    /// Contacts waiting for a decision, oldest first.
    async fn front_door_queue(&self) -> Result<Vec<Contact>>;
    /// Starts a single assessment on a referral; due 45 working days from the referral.
    async fn start_assessment(
        &self,
        actor: Actor,
        referral_id: Uuid,
        started_on: NaiveDate,
    ) -> Result<Assessment>;
    async fn get_assessment(&self, id: Uuid) -> Result<Assessment>;
    async fn complete_assessment(
        &self,
        actor: Actor,
        id: Uuid,
        expected_version: i64,
        completion: AssessmentCompletion,
    ) -> Result<Assessment>;
    /// A manager's authorisation of a completed assessment.
    async fn authorise_assessment(
        &self,
        actor: Actor,
        id: Uuid,
        expected_version: i64,
        on: NaiveDate,
    ) -> Result<Assessment>;
    async fn add_note(&self, actor: Actor, child_id: Uuid, note: NewNote) -> Result<Note>;
    /// What is due or overdue: front-door decisions, assessments to complete and to authorise.
    async fn work_due(&self, scope: WorkScope, today: NaiveDate) -> Result<Vec<DueItem>>;
    /// Feedback on referral quality: contacts decided from `from` to `to` (inclusive), counted by
    /// source and rating, so partners' referral quality can be reported by agency.
    async fn referral_quality(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<QualityCount>>;
}
