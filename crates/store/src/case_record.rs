//! Looking up the child a casework record belongs to, for access checks.

use async_trait::async_trait;
use uuid::Uuid;

use crate::Result;

/// The kinds of casework record whose child can be looked up for access checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseRecord {
    Referral,
    EarlyHelp,
    CinPlan,
    PlanAction,
    S47,
    CpPlan,
    Assessment,
    PfArrangement,
    /// A looked-after review's recommendation.
    CareReviewAction,
    /// A missing or away-from-placement episode.
    Missing,
    /// An action of a care leaver's pathway plan.
    PathwayAction,
}

#[async_trait]
pub trait CaseRecords: Send + Sync {
    /// The child a casework record belongs to.
    async fn case_record_child(&self, kind: CaseRecord, id: Uuid) -> Result<Uuid>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use $crate::case_record::{CaseRecord, CaseRecords as CaseRecordRepository};

        #[async_trait::async_trait]
        impl CaseRecordRepository for $store {
            async fn case_record_child(&self, kind: CaseRecord, id: Uuid) -> Result<Uuid> {
                let sql = match kind {
                    CaseRecord::Referral => "SELECT child_id FROM referral WHERE id = $1",
                    CaseRecord::EarlyHelp => "SELECT child_id FROM early_help WHERE id = $1",
                    CaseRecord::CinPlan => "SELECT child_id FROM cin_plan WHERE id = $1",
                    CaseRecord::PlanAction => "SELECT p.child_id FROM plan_action a JOIN cin_plan p ON p.id = a.plan_id WHERE a.id = $1",
                    CaseRecord::PathwayAction => "SELECT child_id FROM pathway_action WHERE id = $1",
                    CaseRecord::S47 => "SELECT child_id FROM s47 WHERE id = $1",
                    CaseRecord::CpPlan => "SELECT child_id FROM cp_plan WHERE id = $1",
                    CaseRecord::Assessment => "SELECT child_id FROM assessment WHERE id = $1",
                    CaseRecord::PfArrangement => "SELECT child_id FROM pf_arrangement WHERE id = $1",
                    CaseRecord::CareReviewAction => "SELECT child_id FROM cla_review_action WHERE id = $1",
                    CaseRecord::Missing => "SELECT child_id FROM cla_missing WHERE id = $1",
                };
                let child: Option<Uuid> = sqlx::query_scalar(sql).bind(id).fetch_optional(&self.pool).await?;
                child.ok_or(StoreError::NotFound("record"))
            }

        }
    };
}
pub(crate) use sql;
