//! The child's record: everything on a child's page, read in one read transaction; the access
//! entry goes through the store's access log (committed before the record is returned). Each capability loads its own part.

use async_trait::async_trait;
use domain::chronology::ChronologyEntry;
use domain::person::{Address, Person};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Actor, AllocationView, RelatedPerson, Result};

/// Everything on a child's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildRecord {
    pub person: Person,
    pub addresses: Vec<Address>,
    pub relationships: Vec<RelatedPerson>,
    pub allocations: Vec<AllocationView>,
    /// Contacts about the child and referrals made.
    #[serde(default)]
    pub front_door: domain::front_door::ChildFrontDoor,
    #[serde(default)]
    pub assessments: Vec<domain::assessment::Assessment>,
    /// Visits, case notes and management oversight.
    #[serde(default)]
    pub notes: Vec<domain::case_notes::Note>,
    #[serde(default)]
    pub early_help: Vec<domain::early_help::EarlyHelp>,
    #[serde(default)]
    pub cin_plans: Vec<domain::child_in_need::CinPlan>,
    /// Strategy discussions, section 47 enquiries, conferences and plans.
    #[serde(default)]
    pub child_protection: domain::child_protection::ChildProtection,
    /// Periods of care: episodes, reviews and missing episodes.
    #[serde(default)]
    pub looked_after: domain::looked_after::LookedAfter,
    /// Private fostering arrangements with their visits, newest first.
    #[serde(default)]
    pub private_fostering: Vec<domain::private_fostering::Arrangement>,
    /// Newest first.
    pub chronology: Vec<ChronologyEntry>,
}

impl ChildRecord {
    pub fn current_address(&self) -> Option<&Address> {
        self.addresses
            .iter()
            .filter(|a| a.to.is_none())
            .max_by_key(|a| a.from)
    }
    pub fn current_allocation(&self) -> Option<&AllocationView> {
        self.allocations.iter().find(|a| a.allocation.to.is_none())
    }
}

#[async_trait]
pub trait ChildRecords: Send + Sync {
    /// A child's whole record, read in one read transaction; returns only after the access entry
    /// for `actor` has committed (through the store's one access-log writer).
    async fn view_child_record(&self, actor: Actor, id: Uuid, purpose: &str)
    -> Result<ChildRecord>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use $crate::child_record::ChildRecords as ChildRecordRepository;

        #[async_trait::async_trait]
        impl ChildRecordRepository for $store {
            async fn view_child_record(
                &self,
                actor: Actor,
                id: Uuid,
                purpose: &str,
            ) -> Result<ChildRecord> {
                let mut tx = self.read_tx().await?;
                let (person, addresses, relationships, allocations) =
                    super::person::load_for_child(&mut tx, id).await?;
                let corrections = super::access::corrections_for(&mut tx, id).await?;
                let front_door = super::front_door::load_for_child(&mut tx, id).await?;
                let assessments = super::assessment::load_for_child(&mut tx, id).await?;
                let notes = super::case_notes::load_for_child(&mut tx, id).await?;
                let early_help = super::early_help::load_for_child(&mut tx, id).await?;
                let cin_plans = super::child_in_need::load_for_child(&mut tx, id).await?;
                let child_protection = super::child_protection::load_for_child(&mut tx, id).await?;
                let looked_after = super::looked_after::load_for_child(&mut tx, id).await?;
                let mut chronology = $crate::chronology::build(
                    &person,
                    &addresses,
                    &relationships,
                    &allocations,
                    &corrections,
                );
                $crate::chronology::add_front_door_assessments_and_notes(
                    &mut chronology,
                    id,
                    &front_door,
                    &assessments,
                    &notes,
                );
                $crate::chronology::add_early_help_and_plans(
                    &mut chronology,
                    &early_help,
                    &cin_plans,
                    &child_protection,
                );
                $crate::chronology::add_looked_after(&mut chronology, &looked_after);
                let private_fostering =
                    super::private_fostering::load_for_child(&mut tx, id).await?;
                $crate::private_fostering::add_to_chronology(&mut chronology, &private_fostering);
                // The read ends (its connection back to the pool) before the access entry is
                // appended; the record is returned only once its entry has committed.
                tx.commit().await?;
                self.access_log
                    .append(vec![$crate::access::ViewEntry {
                        actor,
                        entity_type: "person",
                        entity_id: Some(id),
                        person_id: Some(id),
                        detail: purpose.to_string(),
                    }])
                    .await?;
                Ok(ChildRecord {
                    person,
                    addresses,
                    relationships,
                    allocations,
                    front_door,
                    assessments,
                    notes,
                    early_help,
                    cin_plans,
                    child_protection,
                    looked_after,
                    private_fostering,
                    chronology,
                })
            }
        }
    };
}
pub(crate) use sql;
