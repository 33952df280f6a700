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
    /// Personal advisers, pathway plans and keeping in touch.
    #[serde(default)]
    pub care_leavers: domain::care_leavers::CareLeaving,
    /// Corrections to the records above (amended, entered in error), oldest first.
    #[serde(default)]
    pub corrections: Vec<domain::correction::Correction>,
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

/// The tables each part of the child's page reads by `child_id`: a part whose tables hold no row
/// for the child is not loaded (it would load empty). A table read by a part's loader must be
/// listed here, or the part would be skipped while holding something.
const HELD: [(&str, &[&str]); 6] = [
    ("early_help", &["early_help"]),
    ("child_in_need", &["cin_plan"]),
    (
        "child_protection",
        &["strategy", "s47", "conference", "cp_plan"],
    ),
    (
        "looked_after",
        &[
            "cla_episode",
            "cla_review",
            "cla_missing",
            "pep_review",
            "cla_adoption_decision",
            "cla_adoption_match",
            "uasc_status_end",
        ],
    ),
    ("private_fostering", &["pf_arrangement", "pf_visit"]),
    (
        "care_leavers",
        &[
            "pathway_plan",
            "pathway_action",
            "leaving_care_contact",
            "leaving_care_status",
            "leaving_care_needs",
            "leaving_care_support",
        ],
    ),
];

/// One row of one boolean per part: does the child ($1) have a row in any of its tables?
pub(crate) fn held_sql() -> String {
    let parts: Vec<String> = HELD
        .iter()
        .map(|(part, tables)| {
            let any: Vec<String> = tables
                .iter()
                .map(|t| format!("EXISTS (SELECT 1 FROM {t} WHERE child_id = $1)"))
                .collect();
            format!("CASE WHEN {} THEN 1 ELSE 0 END AS {part}", any.join(" OR "))
        })
        .collect();
    format!("SELECT {}", parts.join(", "))
}

/// What [`held_sql`] found.
pub(crate) struct Held {
    pub early_help: bool,
    pub child_in_need: bool,
    pub child_protection: bool,
    pub looked_after: bool,
    pub private_fostering: bool,
    pub care_leavers: bool,
}

impl Held {
    pub(crate) fn from_row<R: sqlx::Row>(r: &R) -> std::result::Result<Held, sqlx::Error>
    where
        for<'a> &'a str: sqlx::ColumnIndex<R>,
        for<'a> i32: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    {
        let get = |c: &str| r.try_get::<i32, _>(c).map(|v| v != 0);
        Ok(Held {
            early_help: get("early_help")?,
            child_in_need: get("child_in_need")?,
            child_protection: get("child_protection")?,
            looked_after: get("looked_after")?,
            private_fostering: get("private_fostering")?,
            care_leavers: get("care_leavers")?,
        })
    }
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
                let record_corrections = super::correction::load_for_child(&mut tx, id).await?;
                // Which parts of the record the child has, in one query: most children have
                // no early help, plans, care or private fostering, and each part skipped is
                // queries not run (the page read 35 queries before).
                let held = $crate::child_record::Held::from_row(
                    &sqlx::query(sqlx::AssertSqlSafe($crate::child_record::held_sql()))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?,
                )?;
                let early_help = if held.early_help {
                    super::early_help::load_for_child(&mut tx, id).await?
                } else {
                    Vec::new()
                };
                let cin_plans = if held.child_in_need {
                    super::child_in_need::load_for_child(&mut tx, id).await?
                } else {
                    Vec::new()
                };
                let child_protection = if held.child_protection {
                    super::child_protection::load_for_child(&mut tx, id).await?
                } else {
                    Default::default()
                };
                let looked_after = if held.looked_after {
                    super::looked_after::load_for_child(&mut tx, id).await?
                } else {
                    Default::default()
                };
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
                    &record_corrections,
                );
                $crate::chronology::add_early_help_and_plans(
                    &mut chronology,
                    &early_help,
                    &cin_plans,
                    &child_protection,
                );
                $crate::chronology::add_looked_after(&mut chronology, &looked_after);
                let private_fostering = if held.private_fostering {
                    super::private_fostering::load_for_child(&mut tx, id).await?
                } else {
                    Vec::new()
                };
                $crate::private_fostering::add_to_chronology(&mut chronology, &private_fostering);
                // A personal adviser's allocation is not in HELD (allocations are not a part):
                // the one indexed query for them is run for young people of 16 and over.
                let sixteen = person
                    .details
                    .date_of_birth
                    .and_then(domain::care_leavers::personal_adviser_from)
                    .is_some_and(|d| d <= local_now().date());
                let care_leavers = if held.care_leavers || sixteen {
                    super::care_leavers::load_for_child(&mut tx, id).await?
                } else {
                    Default::default()
                };
                $crate::care_leavers::add_to_chronology(&mut chronology, &care_leavers);
                // Who recorded each entry, from the audit log's changes to the child's records.
                let changes = super::access::changes_for(&mut tx, id).await?;
                domain::chronology::fill_recorded_by(&mut chronology, &changes);
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
                    care_leavers,
                    corrections: record_corrections,
                    chronology,
                })
            }
        }
    };
}
pub(crate) use sql;

#[cfg(test)]
mod tests {
    use super::HELD;

    /// The text of `fn name(` in `source`, up to the next function.
    fn body<'a>(source: &'a str, name: &str) -> &'a str {
        let start = source
            .find(&format!("async fn {name}("))
            .unwrap_or_else(|| panic!("no fn {name}"));
        let rest = &source[start + 10..];
        let end = rest.find("async fn ").unwrap_or(rest.len());
        &rest[..end]
    }

    /// Every table a part's loader reads by the child is one that [`HELD`] checks for that part:
    /// otherwise a child holding only rows of that table would show the part empty.
    #[test]
    fn every_table_a_loader_reads_is_checked_before_it_is_skipped() {
        let parts: [(&str, &str, &[&str]); 6] = [
            (
                "early_help",
                include_str!("early_help.rs"),
                &["load_for_child"],
            ),
            (
                "child_in_need",
                include_str!("child_in_need.rs"),
                &["load_for_child"],
            ),
            (
                "child_protection",
                include_str!("child_protection.rs"),
                &["load_for_child"],
            ),
            (
                "looked_after",
                include_str!("looked_after/mod.rs"),
                &[
                    "load_for_child",
                    "load_adoption",
                    "load_adoption_of",
                    "load_uasc_end",
                ],
            ),
            (
                "private_fostering",
                include_str!("private_fostering.rs"),
                &["load_for_child"],
            ),
            (
                "care_leavers",
                include_str!("care_leavers.rs"),
                &["load_for_child"],
            ),
        ];
        let mut checked = 0;
        for (part, source, functions) in parts {
            let held = HELD
                .iter()
                .find(|(p, _)| *p == part)
                .map(|(_, t)| *t)
                .unwrap_or_else(|| panic!("{part} not in HELD"));
            for f in functions {
                let text = body(source, f);
                for (i, _) in text.match_indices("FROM ") {
                    let after = &text[i + 5..];
                    let table: String = after
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    let rest = &after[table.len()..];
                    if rest.trim_start().starts_with("WHERE child_id") {
                        assert!(
                            held.contains(&table.as_str()),
                            "{part}'s {f} reads {table} by child, which HELD does not check"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(
            checked >= 15,
            "only {checked} queries found: has the loaders' SQL moved?"
        );
    }
}
