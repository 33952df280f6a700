//! Entering care, placement moves and changes of legal status, and ceasing care, as a part of the
//! repository. Hearth writes the SSDA903 episodes itself, into the same `cla_period` and
//! `cla_episode` rows the bulk loader writes (with the placement details the 903 does not hold
//! in columns of their own), so the 903 return, the metrics and the child's page read them alike.
//! Each change is one transaction with its audit entries; the domain's `validate` refuses what it
//! refuses first, against the child's episodes read in the same transaction.

use async_trait::async_trait;
use domain::looked_after::care::{CareChange, CareRecord, CeaseCare, NewCarePeriod};
use uuid::Uuid;

use crate::{Actor, Result};

#[async_trait]
pub trait LookedAfterCare: Send + Sync {
    /// A manager's decision that the child is looked after: starts a period of care and its
    /// first episode (RNE S).
    async fn enter_care(
        &self,
        actor: Actor,
        child_id: Uuid,
        new: NewCarePeriod,
    ) -> Result<CareRecord>;
    /// A placement move or change of legal status: the current episode ends that day (REC X1,
    /// with the reason for a placement change) and the next starts with the RNE for what changed.
    async fn change_care(
        &self,
        actor: Actor,
        child_id: Uuid,
        change: CareChange,
    ) -> Result<CareRecord>;
    /// The child ceases to be looked after: the current episode and the period end.
    async fn cease_care(&self, actor: Actor, child_id: Uuid, end: CeaseCare) -> Result<CareRecord>;
    /// The child's latest period of care with its episodes, if any.
    async fn latest_care_period(&self, child_id: Uuid) -> Result<Option<CareRecord>>;
    /// The end of the child's status as an unaccompanied asylum-seeking child (recorded once).
    async fn record_uasc_end(
        &self,
        actor: Actor,
        child_id: Uuid,
        end: domain::looked_after::UascEnd,
    ) -> Result<domain::looked_after::UascEnd>;
}

/// The fields the care forms name, for the store's refusals.
pub(crate) const FIELDS: &[&str] = &[
    "started",
    "changed",
    "ended",
    "kind",
    "legal_status",
    "category_of_need",
    "rationale",
    "placement",
    "provider",
    "postcode",
    "urn",
    "carer",
    "planned",
    "same_carer",
    "reason_place_change",
    "reason_ceased",
    "previous_permanence",
    "previous_permanence_la",
    "previous_permanence_on",
    "ceased",
    "reason",
];

/// The end of a child's UASC status can be amended (its date and reason). It is not entered in
/// error (it is kept once per child): an end recorded in error is amended.
pub static UASC_END: crate::correction::Correctable = crate::correction::Correctable {
    kind: "uasc_status_end",
    table: "uasc_status_end",
    id_column: "child_id",
    label: "end of UASC status",
    fields: &[
        crate::correction::field("ceased_on", crate::correction::Col::Date),
        crate::correction::field("reason", crate::correction::Col::Text),
    ],
    fixed: &[],
    may_enter_in_error: false,
};

impl crate::correction::Correct for domain::looked_after::UascEnd {
    const RECORD: &'static crate::correction::Correctable = &UASC_END;
    fn validate(&self, f: &crate::correction::ChildFacts) -> Vec<domain::validate::FieldError> {
        domain::looked_after::UascEnd::validate(self, f.uasc, f.date_of_birth, None, f.today)
    }
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use domain::looked_after::Episode;
        use domain::looked_after::care::*;
        use $crate::looked_after::care::LookedAfterCare as LookedAfterCareRepository;

        fn care_refuse(errors: Vec<domain::validate::FieldError>) -> Result<(), StoreError> {
            match errors.into_iter().next() {
                None => Ok(()),
                Some(e) => Err(StoreError::Invalid {
                    field: $crate::looked_after::care::FIELDS.iter().find(|f| **f == e.field).copied().unwrap_or("input"),
                    message: e.message,
                }),
            }
        }

        fn care_episode_from_row(r: &Row) -> Result<CareEpisode, sqlx::Error> {
            Ok(CareEpisode {
                id: r.try_get("id")?,
                period_id: r.try_get("period_id")?,
                child_id: r.try_get("child_id")?,
                started_on: r.try_get("started_on")?,
                ended_on: r.try_get("ended_on")?,
                reason_new: r.try_get("reason_new")?,
                legal_status: r.try_get("legal_status")?,
                placement: r.try_get("placement")?,
                provider: r.try_get("provider")?,
                placement_postcode: r.try_get("placement_postcode")?,
                urn: r.try_get("urn")?,
                reason_ceased: r.try_get("reason_ceased")?,
                reason_place_change: r.try_get("reason_place_change")?,
                carer: r.try_get("carer")?,
                planned: r.try_get("planned")?,
            })
        }

        fn plain(e: &CareEpisode) -> Episode {
            Episode {
                id: e.id,
                period_id: e.period_id,
                child_id: e.child_id,
                started_on: e.started_on,
                ended_on: e.ended_on,
                reason_new: e.reason_new.clone(),
                legal_status: e.legal_status.clone(),
                placement: e.placement.clone(),
                provider: e.provider.clone(),
                placement_postcode: e.placement_postcode.clone(),
                urn: e.urn.clone(),
                reason_ceased: e.reason_ceased.clone(),
                reason_place_change: e.reason_place_change.clone(),
            }
        }

        async fn child_episodes(conn: &mut Conn, child: Uuid) -> Result<Vec<CareEpisode>, StoreError> {
            Ok(sqlx::query("SELECT * FROM cla_episode WHERE child_id = $1 ORDER BY started_on, created_at")
                .bind(child).fetch_all(&mut *conn).await?
                .iter().map(care_episode_from_row).collect::<Result<Vec<_>, _>>()?)
        }

        async fn fetch_care_episode(conn: &mut Conn, id: Uuid) -> Result<CareEpisode, StoreError> {
            let r = sqlx::query("SELECT * FROM cla_episode WHERE id = $1").bind(id).fetch_one(&mut *conn).await.map_err(not_found("episode"))?;
            Ok(care_episode_from_row(&r)?)
        }

        async fn fetch_care_period(conn: &mut Conn, id: Uuid) -> Result<CareRecord, StoreError> {
            let r = sqlx::query("SELECT * FROM cla_period WHERE id = $1").bind(id).fetch_one(&mut *conn).await.map_err(not_found("period of care"))?;
            let period = CarePeriod {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                started_on: r.try_get("started_on")?,
                ended_on: r.try_get("ended_on")?,
                category_of_need: r.try_get("category_of_need")?,
                rationale: r.try_get("rationale")?,
                decided_by: r.try_get("decided_by")?,
                previous_permanence: r.try_get("previous_permanence")?,
                previous_permanence_la: r.try_get("previous_permanence_la")?,
                previous_permanence_on: r.try_get("previous_permanence_on")?,
            };
            let episodes = sqlx::query("SELECT * FROM cla_episode WHERE period_id = $1 ORDER BY started_on, created_at")
                .bind(id).fetch_all(&mut *conn).await?
                .iter().map(care_episode_from_row).collect::<Result<Vec<_>, _>>()?;
            Ok(CareRecord { period, episodes })
        }

        /// The child (a child on the record), their episodes so far and their decisions to place for
        /// adoption, in the transaction.
        async fn care_context(conn: &mut Conn, child: Uuid) -> Result<(Option<NaiveDate>, Vec<CareEpisode>, Vec<domain::looked_after::adoption::AdoptionDecision>), StoreError> {
            let p = fetch_person(conn, child).await?;
            if p.details.kind != PersonKind::Child {
                return Err(invalid("started", "Care is for a child on the record"));
            }
            let eps = child_episodes(conn, child).await?;
            let adoption = super::looked_after::load_adoption(conn, child).await?;
            Ok((p.details.date_of_birth, eps, adoption))
        }

        fn opt(s: &str) -> Option<String> {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_uppercase())
        }

        #[allow(clippy::too_many_arguments)]
        async fn insert_episode(conn: &mut Conn, actor: Actor, e: &Episode, carer: Option<&str>, planned: Option<bool>, detail: &str) -> Result<CareEpisode, StoreError> {
            sqlx::query(
                "INSERT INTO cla_episode (id, period_id, child_id, started_on, ended_on, reason_new, legal_status, placement, provider, \
                 placement_postcode, urn, reason_ceased, reason_place_change, created_at, carer, planned, recorded_by) \
                 VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8, $9, $10, NULL, NULL, $11, $12, $13, $14)",
            )
            .bind(e.id).bind(e.period_id).bind(e.child_id).bind(e.started_on).bind(&e.reason_new).bind(&e.legal_status)
            .bind(&e.placement).bind(&e.provider).bind(&e.placement_postcode).bind(&e.urn).bind(now())
            .bind(carer).bind(planned).bind(actor.0)
            .execute(&mut *conn).await?;
            let saved = fetch_care_episode(conn, e.id).await?;
            audit(conn, actor, AuditAction::Create, "cla_episode", Some(e.id), Some(e.child_id), None, Some(to_json(&saved)), detail).await?;
            Ok(saved)
        }

        /// Ends the open episode (it must still be open: a change made meanwhile is refused).
        async fn end_episode(conn: &mut Conn, actor: Actor, before: &CareEpisode, on: NaiveDate, rec: &str, reason: Option<String>, detail: &str) -> Result<(), StoreError> {
            let n = sqlx::query("UPDATE cla_episode SET ended_on = $1, reason_ceased = $2, reason_place_change = $3 WHERE id = $4 AND ended_on IS NULL")
                .bind(on).bind(rec).bind(reason).bind(before.id)
                .execute(&mut *conn).await?.rows_affected();
            if n != 1 {
                return Err(invalid("changed", "The child's episode of care was changed meanwhile: check the record and try again"));
            }
            let after = fetch_care_episode(conn, before.id).await?;
            audit(conn, actor, AuditAction::Update, "cla_episode", Some(before.id), Some(before.child_id), Some(to_json(before)), Some(to_json(&after)), detail).await?;
            Ok(())
        }

        #[async_trait::async_trait]
        impl LookedAfterCareRepository for $store {
            async fn enter_care(&self, actor: Actor, child_id: Uuid, new: NewCarePeriod) -> Result<CareRecord> {
                let mut tx = self.tx().await?;
                let (dob, eps, adoption) = care_context(&mut tx, child_id).await?;
                let plain_eps: Vec<Episode> = eps.iter().map(plain).collect();
                care_refuse(new.validate(&CareContext { today: local_now().date(), date_of_birth: dob, episodes: &plain_eps, adoption: &adoption }))?;
                let period = new_id();
                sqlx::query("INSERT INTO cla_period (id, child_id, started_on, ended_on, category_of_need, created_at, rationale, decided_by, \
                             previous_permanence, previous_permanence_la, previous_permanence_on) VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9, $10)")
                    .bind(period).bind(child_id).bind(new.started_on).bind(new.category_of_need.trim().to_uppercase()).bind(now())
                    .bind(new.rationale.trim()).bind(actor.0)
                    .bind(opt(&new.previous_permanence)).bind(opt(&new.previous_permanence_la)).bind(new.previous_permanence_on)
                    .execute(&mut *tx).await?;
                let created = fetch_care_period(&mut tx, period).await?;
                audit(&mut tx, actor, AuditAction::Create, "cla_period", Some(period), Some(child_id), None, Some(to_json(&created.period)), "started to be looked after").await?;
                let p = &new.placement;
                let first = Episode {
                    id: new_id(),
                    period_id: period,
                    child_id,
                    started_on: new.started_on,
                    ended_on: None,
                    reason_new: "S".into(),
                    legal_status: new.legal_status.trim().to_uppercase(),
                    placement: p.placement.trim().to_uppercase(),
                    provider: opt(&p.provider),
                    placement_postcode: opt(&p.postcode),
                    urn: opt(&p.urn),
                    reason_ceased: None,
                    reason_place_change: None,
                };
                insert_episode(&mut tx, actor, &first, Some(p.carer.trim()), p.planned, "first episode of care").await?;
                let rec = fetch_care_period(&mut tx, period).await?;
                tx.commit().await?;
                Ok(rec)
            }

            async fn change_care(&self, actor: Actor, child_id: Uuid, change: CareChange) -> Result<CareRecord> {
                let mut tx = self.tx().await?;
                let (dob, eps, adoption) = care_context(&mut tx, child_id).await?;
                let plain_eps: Vec<Episode> = eps.iter().map(plain).collect();
                let ctx = CareContext { today: local_now().date(), date_of_birth: dob, episodes: &plain_eps, adoption: &adoption };
                care_refuse(change.validate(&ctx))?;
                let current = eps.iter().rev().find(|e| e.ended_on.is_none()).ok_or_else(|| invalid("changed", "The child is not looked after"))?;
                let reason = change.changes_placement().then(|| opt(&change.reason_place_change)).flatten();
                let what = match change.kind.as_str() {
                    "placement" => "placement move",
                    "legal_status" => "change of legal status",
                    _ => "placement move and change of legal status",
                };
                end_episode(&mut tx, actor, current, change.changed_on, "X1", reason, &format!("episode ended by a {what}")).await?;
                let (next, carer, planned) = next_episode(&plain(current), &change, new_id());
                // A legal status change keeps the carer and whether the placement was planned.
                let (carer, planned) = if change.changes_placement() { (carer, planned) } else { (current.carer.clone(), current.planned) };
                insert_episode(&mut tx, actor, &next, carer.as_deref(), planned, what).await?;
                let rec = fetch_care_period(&mut tx, current.period_id).await?;
                tx.commit().await?;
                Ok(rec)
            }

            async fn cease_care(&self, actor: Actor, child_id: Uuid, end: CeaseCare) -> Result<CareRecord> {
                let mut tx = self.tx().await?;
                let (dob, eps, adoption) = care_context(&mut tx, child_id).await?;
                let plain_eps: Vec<Episode> = eps.iter().map(plain).collect();
                care_refuse(end.validate(&CareContext { today: local_now().date(), date_of_birth: dob, episodes: &plain_eps, adoption: &adoption }))?;
                let current = eps.iter().rev().find(|e| e.ended_on.is_none()).ok_or_else(|| invalid("ended", "The child is not looked after"))?;
                let rec_code = end.reason_ceased.trim().to_uppercase();
                end_episode(&mut tx, actor, current, end.ended_on, &rec_code, None, "ceased to be looked after").await?;
                let before = fetch_care_period(&mut tx, current.period_id).await?;
                let n = sqlx::query("UPDATE cla_period SET ended_on = $1 WHERE id = $2 AND ended_on IS NULL")
                    .bind(end.ended_on).bind(current.period_id)
                    .execute(&mut *tx).await?.rows_affected();
                if n != 1 {
                    return Err(invalid("ended", "The period of care has already ended"));
                }
                let after = fetch_care_period(&mut tx, current.period_id).await?;
                audit(&mut tx, actor, AuditAction::Update, "cla_period", Some(current.period_id), Some(child_id),
                    Some(to_json(&before.period)), Some(to_json(&after.period)), "ceased to be looked after").await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn record_uasc_end(&self, actor: Actor, child_id: Uuid, end: domain::looked_after::UascEnd) -> Result<domain::looked_after::UascEnd> {
                let mut tx = self.tx().await?;
                let p = fetch_person(&mut tx, child_id).await?;
                if p.details.kind != PersonKind::Child {
                    return Err(invalid("ceased", "This is for a child on the record"));
                }
                let already = super::looked_after::load_uasc_end(&mut tx, child_id).await?;
                care_refuse(end.validate(p.details.uasc, p.details.date_of_birth, already.as_ref(), local_now().date()))?;
                sqlx::query("INSERT INTO uasc_status_end (child_id, ceased_on, reason, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(child_id).bind(end.ceased_on).bind(&end.reason).bind(actor.0).bind(now())
                    .execute(&mut *tx).await.map_err(|e| match e {
                        sqlx::Error::Database(d) if d.is_unique_violation() => invalid("ceased", "UASC status is already recorded as ended"),
                        e => e.into(),
                    })?;
                audit(&mut tx, actor, AuditAction::Create, "uasc_status_end", Some(child_id), Some(child_id), None, Some(to_json(&end)), "UASC status ended").await?;
                tx.commit().await?;
                Ok(end)
            }

            async fn latest_care_period(&self, child_id: Uuid) -> Result<Option<CareRecord>> {
                let mut tx = self.tx().await?;
                let id: Option<Uuid> = sqlx::query_scalar("SELECT id FROM cla_period WHERE child_id = $1 ORDER BY started_on DESC, created_at DESC LIMIT 1")
                    .bind(child_id).fetch_optional(&mut *tx).await?;
                let rec = match id {
                    Some(id) => Some(fetch_care_period(&mut tx, id).await?),
                    None => None,
                };
                tx.commit().await?;
                Ok(rec)
            }
        }
    };
}
pub(crate) use sql;
