//! Adoption, as a part of the repository: decisions that the child should be placed for adoption
//! (`cla_adoption_decision`; a reversal sets its end and reason, audited before and after) and
//! the match with adopters (`cla_adoption_match`, one per decision). The domain's checks
//! ([`domain::looked_after::adoption`]) run against the child's episodes and decisions read in the
//! same transaction. The placement order, the placement with adopters and the adoption order are
//! episodes of care ([`crate::looked_after::care`]).

use async_trait::async_trait;
use domain::looked_after::adoption::{AdoptionDecision, AdoptionStep};
use uuid::Uuid;

use crate::{Actor, Result};

#[async_trait]
pub trait LookedAfterAdoption: Send + Sync {
    /// Records a decision to place for adoption, the match with adopters, or the reversal of
    /// the decision in force; returns the decision it made or changed.
    async fn record_adoption_step(
        &self,
        actor: Actor,
        child_id: Uuid,
        step: AdoptionStep,
    ) -> Result<AdoptionDecision>;
}

/// The fields the adoption form names, for the store's refusals.
pub(crate) const FIELDS: &[&str] = &[
    "kind",
    "on",
    "adopters",
    "adopters_sex",
    "adopters_legal_status",
    "foster_carers",
    "reason",
];

/// A decision to place for adoption can be corrected: its dates and the reason it ceased are
/// amended, or it is entered in error (then left out of the child's adoption, the checks against
/// it and the 903, with its match).
pub static ADOPTION_DECISION: crate::correction::Correctable = crate::correction::Correctable {
    kind: "cla_adoption_decision",
    table: "cla_adoption_decision",
    id_column: "id",
    label: "decision to place for adoption",
    fields: &[
        crate::correction::field("decided_on", crate::correction::Col::Date),
        crate::correction::field("ceased_on", crate::correction::Col::OptDate),
        crate::correction::field("reason_ceased", crate::correction::Col::OptText),
    ],
    fixed: &[],
    may_enter_in_error: true,
};

impl crate::correction::Correct for domain::looked_after::adoption::DecisionDates {
    const RECORD: &'static crate::correction::Correctable = &ADOPTION_DECISION;
    fn validate(&self, f: &crate::correction::ChildFacts) -> Vec<domain::validate::FieldError> {
        domain::looked_after::adoption::DecisionDates::validate(self, f.today)
    }
}

/// A match with adopters can be amended (its date and the adopters' details). It is not entered
/// in error on its own (a decision has one match): a match made in error goes with its decision.
pub static ADOPTION_MATCH: crate::correction::Correctable = crate::correction::Correctable {
    kind: "cla_adoption_match",
    table: "cla_adoption_match",
    id_column: "id",
    label: "match with adopters",
    fields: &[
        crate::correction::field("matched_on", crate::correction::Col::Date),
        crate::correction::field("adopters", crate::correction::Col::Int),
        crate::correction::field("adopters_sex", crate::correction::Col::Text),
        crate::correction::field("adopters_legal_status", crate::correction::Col::Text),
        crate::correction::field("foster_carers", crate::correction::Col::Bool),
    ],
    fixed: &[],
    may_enter_in_error: false,
};

impl crate::correction::Correct for domain::looked_after::adoption::MatchDetails {
    const RECORD: &'static crate::correction::Correctable = &ADOPTION_MATCH;
    fn validate(&self, f: &crate::correction::ChildFacts) -> Vec<domain::validate::FieldError> {
        domain::looked_after::adoption::MatchDetails::validate(self, f.today)
    }
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use domain::looked_after::Episode;
        use domain::looked_after::adoption::*;
        use $crate::looked_after::adoption::LookedAfterAdoption;

        fn adoption_refuse(errors: Vec<domain::validate::FieldError>) -> Result<(), StoreError> {
            match errors.into_iter().next() {
                None => Ok(()),
                Some(e) => Err(StoreError::Invalid {
                    field: $crate::looked_after::adoption::FIELDS.iter().find(|f| **f == e.field).copied().unwrap_or("input"),
                    message: e.message,
                }),
            }
        }

        async fn fetch_decision(conn: &mut Conn, child: Uuid, id: Uuid) -> Result<AdoptionDecision, StoreError> {
            super::looked_after::load_adoption(conn, child).await?
                .into_iter().find(|d| d.id == id)
                .ok_or(StoreError::NotFound("adoption decision"))
        }

        #[async_trait::async_trait]
        impl LookedAfterAdoption for $store {
            async fn record_adoption_step(&self, actor: Actor, child_id: Uuid, step: AdoptionStep) -> Result<AdoptionDecision> {
                let mut tx = self.tx().await?;
                let p = fetch_person(&mut tx, child_id).await?;
                if p.details.kind != PersonKind::Child {
                    return Err(invalid("kind", "Adoption is for a child on the record"));
                }
                let episodes: Vec<Episode> = super::looked_after::load_for_child(&mut tx, child_id).await?.episodes;
                let decisions = super::looked_after::load_adoption(&mut tx, child_id).await?;
                adoption_refuse(step.validate(&AdoptionContext { today: local_now().date(), episodes: &episodes, decisions: &decisions }))?;
                let saved = match step.kind.as_str() {
                    "decision" => {
                        let id = new_id();
                        sqlx::query("INSERT INTO cla_adoption_decision (id, child_id, decided_on, ceased_on, reason_ceased, recorded_by, created_at) VALUES ($1, $2, $3, NULL, NULL, $4, $5)")
                            .bind(id).bind(child_id).bind(step.on).bind(actor.0).bind(now())
                            .execute(&mut *tx).await?;
                        let saved = fetch_decision(&mut tx, child_id, id).await?;
                        audit(&mut tx, actor, AuditAction::Create, "cla_adoption_decision", Some(id), Some(child_id), None, Some(to_json(&saved)), "decision that the child should be placed for adoption").await?;
                        saved
                    }
                    "match" => {
                        let open = open_decision(&decisions).ok_or_else(|| invalid("kind", "There is no decision to place for adoption in force"))?;
                        let id = new_id();
                        sqlx::query("INSERT INTO cla_adoption_match (id, decision_id, child_id, matched_on, adopters, adopters_sex, adopters_legal_status, foster_carers, recorded_by, created_at) \
                                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                            .bind(id).bind(open.id).bind(child_id).bind(step.on).bind(step.adopters.unwrap_or(1))
                            .bind(step.adopters_sex.trim().to_uppercase()).bind(step.adopters_legal_status.trim().to_uppercase())
                            .bind(step.foster_carers.unwrap_or(false)).bind(actor.0).bind(now())
                            .execute(&mut *tx).await.map_err(|e| match e {
                                sqlx::Error::Database(d) if d.is_unique_violation() => invalid("kind", "The child is already matched with adopters on this decision"),
                                e => e.into(),
                            })?;
                        let saved = fetch_decision(&mut tx, child_id, open.id).await?;
                        audit(&mut tx, actor, AuditAction::Create, "cla_adoption_match", Some(id), Some(child_id), None, Some(to_json(&saved.matched)), "matched with adopters").await?;
                        saved
                    }
                    _ => {
                        let open = open_decision(&decisions).ok_or_else(|| invalid("kind", "There is no decision to place for adoption in force to reverse"))?;
                        let n = sqlx::query("UPDATE cla_adoption_decision SET ceased_on = $1, reason_ceased = $2 WHERE id = $3 AND ceased_on IS NULL")
                            .bind(step.on).bind(step.reason.trim().to_uppercase()).bind(open.id)
                            .execute(&mut *tx).await?.rows_affected();
                        if n != 1 {
                            return Err(invalid("kind", "The decision was changed meanwhile: check the record and try again"));
                        }
                        let saved = fetch_decision(&mut tx, child_id, open.id).await?;
                        audit(&mut tx, actor, AuditAction::Update, "cla_adoption_decision", Some(open.id), Some(child_id), Some(to_json(open)), Some(to_json(&saved)), "decision that the child should no longer be placed for adoption").await?;
                        saved
                    }
                };
                tx.commit().await?;
                Ok(saved)
            }
        }
    };
}
pub(crate) use sql;
