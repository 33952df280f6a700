//! After the front door, as a part of the repository: early help (with step up to the front door
//! and step down from it), closing child in need episodes, child in need plans with SMART actions
//! and reviews, and the child protection pathway from strategy discussion to the end of a plan.
//! Every change writes its audit entry in the same transaction.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::child_in_need::{
    ActionProgress, CinPlan, EpisodeClosure, NewCinPlan, NewPlanAction, PlanReview,
};
use domain::child_protection::{
    Conference, CpPlan, NewConference, NewCoreGroup, NewStrategy, S47, S47Completion, Strategy,
};
use domain::early_help::{EarlyHelp, EarlyHelpEnd, NewEarlyHelp};
use domain::front_door::Referral;
use domain::work::DueItem;
use domain::work::VisitStandards;
use uuid::Uuid;

use crate::{Actor, Result, WorkScope};

/// The kinds of casework record whose child can be looked up for access checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseRecord {
    Referral,
    EarlyHelp,
    CinPlan,
    PlanAction,
    S47,
    CpPlan,
}

#[async_trait]
pub trait Casework: Send + Sync {
    /// The child a casework record belongs to.
    async fn case_record_child(&self, kind: CaseRecord, id: Uuid) -> Result<Uuid>;
    async fn start_early_help(
        &self,
        actor: Actor,
        child_id: Uuid,
        eh: NewEarlyHelp,
    ) -> Result<EarlyHelp>;
    /// Ends an episode; a step up records a contact (source 5D, early help) for the front door.
    async fn end_early_help(&self, actor: Actor, id: Uuid, end: EarlyHelpEnd) -> Result<EarlyHelp>;
    /// Closes the child in need episode a referral began.
    async fn close_referral(
        &self,
        actor: Actor,
        referral_id: Uuid,
        closure: EpisodeClosure,
    ) -> Result<Referral>;
    async fn start_cin_plan(&self, actor: Actor, plan: NewCinPlan) -> Result<CinPlan>;
    async fn add_plan_action(
        &self,
        actor: Actor,
        plan_id: Uuid,
        action: NewPlanAction,
    ) -> Result<CinPlan>;
    async fn update_plan_action(
        &self,
        actor: Actor,
        action_id: Uuid,
        progress: ActionProgress,
    ) -> Result<CinPlan>;
    async fn review_cin_plan(
        &self,
        actor: Actor,
        plan_id: Uuid,
        review: PlanReview,
    ) -> Result<CinPlan>;
    async fn end_cin_plan(
        &self,
        actor: Actor,
        plan_id: Uuid,
        ended_on: NaiveDate,
    ) -> Result<CinPlan>;
    /// Records a strategy discussion on a referral; one that initiates a section 47 enquiry
    /// starts it, with the initial conference due 15 working days later.
    async fn record_strategy(
        &self,
        actor: Actor,
        strategy: NewStrategy,
    ) -> Result<(Strategy, Option<S47>)>;
    async fn complete_s47(
        &self,
        actor: Actor,
        s47_id: Uuid,
        completion: S47Completion,
    ) -> Result<S47>;
    /// An initial conference (after a section 47 enquiry that called for one) may start a plan;
    /// a review conference continues the child's open plan or ends it.
    async fn record_conference(
        &self,
        actor: Actor,
        child_id: Uuid,
        conference: NewConference,
    ) -> Result<Conference>;
    async fn record_core_group(
        &self,
        actor: Actor,
        plan_id: Uuid,
        core_group: NewCoreGroup,
    ) -> Result<CpPlan>;
    /// Visits due to children on plans: the council's standard in working days from the last
    /// visit at which the child was seen (or from the start of the plan).
    async fn visits_due(
        &self,
        scope: WorkScope,
        today: NaiveDate,
        standards: VisitStandards,
    ) -> Result<Vec<DueItem>>;
}
