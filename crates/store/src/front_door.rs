//! The front door, as a part of the repository: contacts and partner checks, the front-door
//! decision (which makes referrals, flagging re-referrals) and feedback on referral quality.
//! Every change writes its audit entries in the same transaction, one for each child concerned.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::front_door::{
    Contact, NewContact, NewDecision, NewPartnerCheck, NewRiskRating, PartnerCheck, QualityCount,
    Referral,
};
use uuid::Uuid;

use crate::{Actor, Result};

#[async_trait]
pub trait FrontDoor: Send + Sync {
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
    /// Rates a contact's risk at screening (red, amber or green, with the reason), before its
    /// decision; a later rating replaces it as the contact's rating and the earlier ones are
    /// kept. The contact's version moves on, so a decision made from a page that did not show
    /// the rating is refused as stale.
    async fn rate_contact(
        &self,
        actor: Actor,
        contact_id: Uuid,
        rating: NewRiskRating,
    ) -> Result<Contact>;
    /// Contacts waiting for a decision, each with its ratings, oldest first (the page orders
    /// them by rating).
    async fn front_door_queue(&self) -> Result<Vec<Contact>>;
    /// Feedback on referral quality: contacts decided from `from` to `to` (inclusive), counted by
    /// source and rating, so partners' referral quality can be reported by agency.
    async fn referral_quality(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<QualityCount>>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use domain::front_door::*;
        use $crate::front_door::FrontDoor as FrontDoorRepository;
        use super::early_help::insert_early_help;

        fn contact_from_row(r: &Row) -> Result<Contact, sqlx::Error> {
            let outcome: Option<String> = r.try_get("outcome")?;
            let decision = match outcome {
                Some(outcome) => {
                    let decided_at: chrono::NaiveDateTime = r.try_get("decided_at")?;
                    let due: NaiveDate = r.try_get("decision_due")?;
                    Some(Decision {
                        outcome,
                        decided_at,
                        decided_by: r.try_get("decided_by_name")?,
                        direction: r.try_get::<Option<String>, _>("direction")?.unwrap_or_default(),
                        rationale: r.try_get::<Option<String>, _>("rationale")?.unwrap_or_default(),
                        quality: r.try_get("quality")?,
                        quality_comment: r.try_get::<Option<String>, _>("quality_comment")?.unwrap_or_default(),
                        within_timescale: decided_at.date() <= due,
                    })
                }
                None => None,
            };
            Ok(Contact {
                id: r.try_get("id")?,
                received_at: r.try_get("received_at")?,
                source: r.try_get("source")?,
                contact_name: r.try_get("contact_name")?,
                contact_agency: r.try_get("contact_agency")?,
                reason: r.try_get("reason")?,
                consent: r.try_get("consent")?,
                decision_due: r.try_get("decision_due")?,
                recorded_by: r.try_get("recorded_by_name")?,
                children: Vec::new(),
                checks: Vec::new(),
                ratings: Vec::new(),
                decision,
                version: r.try_get("version")?,
            })
        }

        const CONTACT_SELECT: &str = "SELECT c.*, ru.display_name AS recorded_by_name, du.display_name AS decided_by_name \
            FROM contact c LEFT JOIN app_user ru ON ru.id = c.recorded_by LEFT JOIN app_user du ON du.id = c.decided_by ";

        pub(super) fn referral_from_row(r: &Row) -> Result<Referral, sqlx::Error> {
            Ok(Referral {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                contact_id: r.try_get("contact_id")?,
                referral_date: r.try_get("referral_date")?,
                source: r.try_get("source")?,
                re_referral: r.try_get("re_referral")?,
                previous_referral: r.try_get("previous_referral")?,
                closed_on: r.try_get("closed_on")?,
                closure_reason: r.try_get("closure_reason")?,
            })
        }

        pub(super) async fn fetch_referral(conn: &mut Conn, id: Uuid) -> Result<Referral, StoreError> {
            let r = sqlx::query("SELECT * FROM referral WHERE id = $1").bind(id).fetch_one(&mut *conn).await.map_err(not_found("referral"))?;
            Ok(referral_from_row(&r)?)
        }

        /// A contact with its children and checks.
        async fn load_contact(conn: &mut Conn, id: Uuid) -> Result<Contact, StoreError> {
            let row = sqlx::query(sqlx::AssertSqlSafe(format!("{CONTACT_SELECT} WHERE c.id = $1")))
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .map_err(not_found("contact"))?;
            let mut c = contact_from_row(&row)?;
            c.children = contact_children_of(conn, id).await?;
            c.checks = sqlx::query(
                "SELECT k.*, u.display_name AS recorded_by_name FROM partner_check k \
                 LEFT JOIN app_user u ON u.id = k.recorded_by WHERE k.contact_id = $1 ORDER BY k.requested_on, k.created_at",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(check_from_row)
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
            c.ratings = ratings_of(conn, "($1)", Some(id)).await?.remove(&id).unwrap_or_default();
            Ok(c)
        }

        /// The screening ratings of the contacts `of` selects (a subquery of contact ids, its
        /// one parameter `bind`), oldest first, by contact.
        async fn ratings_of(conn: &mut Conn, of: &str, bind: Option<Uuid>) -> Result<std::collections::HashMap<Uuid, Vec<RiskAssessment>>, sqlx::Error> {
            let sql = format!(
                "SELECT k.contact_id, k.rating, k.reason, k.immediate_safety, k.rated_at, u.display_name AS rated_by_name FROM contact_risk k \
                 LEFT JOIN app_user u ON u.id = k.rated_by WHERE k.contact_id IN {of} ORDER BY k.rated_at, k.created_at"
            );
            let q = sqlx::query(sqlx::AssertSqlSafe(sql));
            let q = match bind { Some(id) => q.bind(id), None => q };
            let mut out: std::collections::HashMap<Uuid, Vec<RiskAssessment>> = Default::default();
            for r in q.fetch_all(&mut *conn).await? {
                let rating: String = r.try_get("rating")?;
                out.entry(r.try_get("contact_id")?).or_default().push(RiskAssessment {
                    rating: RiskRating::parse(&rating).ok_or_else(|| sqlx::Error::Decode(format!("risk rating {rating}").into()))?,
                    reason: r.try_get("reason")?,
                    immediate_safety: r.try_get("immediate_safety")?,
                    rated_at: r.try_get("rated_at")?,
                    rated_by: r.try_get("rated_by_name")?,
                });
            }
            Ok(out)
        }

        fn check_from_row(r: &Row) -> Result<PartnerCheck, sqlx::Error> {
            Ok(PartnerCheck {
                id: r.try_get("id")?,
                contact_id: r.try_get("contact_id")?,
                agency: r.try_get("agency")?,
                requested_on: r.try_get("requested_on")?,
                received_on: r.try_get("received_on")?,
                summary: r.try_get("summary")?,
                recorded_by: r.try_get("recorded_by_name")?,
            })
        }

        fn contact_child_from_row(r: &Row) -> Result<ContactChild, sqlx::Error> {
            Ok(ContactChild {
                person_id: r.try_get("id")?,
                name: format!("{} {}", r.try_get::<String, _>("given_name")?, r.try_get::<String, _>("family_name")?),
                restricted: r.try_get("restricted")?,
            })
        }

        async fn contact_children_of(conn: &mut Conn, id: Uuid) -> Result<Vec<ContactChild>, sqlx::Error> {
            sqlx::query(
                "SELECT p.id, p.given_name, p.family_name, p.restricted FROM contact_child cc \
                 JOIN person p ON p.id = cc.person_id WHERE cc.contact_id = $1 ORDER BY p.date_of_birth, p.given_name",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(contact_child_from_row)
            .collect()
        }

        /// Contacts about a child and referrals made, for the child's page (read in the caller's
        /// transaction).
        pub(super) async fn load_for_child(conn: &mut Conn, child_id: Uuid) -> Result<ChildFrontDoor, StoreError> {
            // Three queries for all the child's contacts (not three per contact): the contacts,
            // every child on them, and their partner checks.
            const OF_CHILD: &str = "(SELECT contact_id FROM contact_child WHERE person_id = $1)";
            let mut contacts = sqlx::query(sqlx::AssertSqlSafe(format!(
                "{CONTACT_SELECT} WHERE c.id IN {OF_CHILD} ORDER BY c.received_at DESC"
            )))
            .bind(child_id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(contact_from_row)
            .collect::<Result<Vec<_>, _>>()?;
            let mut children: std::collections::HashMap<Uuid, Vec<ContactChild>> = Default::default();
            for r in sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT cc.contact_id, p.id, p.given_name, p.family_name, p.restricted FROM contact_child cc \
                 JOIN person p ON p.id = cc.person_id WHERE cc.contact_id IN {OF_CHILD} ORDER BY p.date_of_birth, p.given_name"
            )))
            .bind(child_id)
            .fetch_all(&mut *conn)
            .await?
            {
                children.entry(r.try_get("contact_id")?).or_default().push(contact_child_from_row(&r)?);
            }
            let mut checks: std::collections::HashMap<Uuid, Vec<PartnerCheck>> = Default::default();
            for r in sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT k.*, u.display_name AS recorded_by_name FROM partner_check k \
                 LEFT JOIN app_user u ON u.id = k.recorded_by WHERE k.contact_id IN {OF_CHILD} ORDER BY k.requested_on, k.created_at"
            )))
            .bind(child_id)
            .fetch_all(&mut *conn)
            .await?
            {
                let check = check_from_row(&r)?;
                checks.entry(check.contact_id).or_default().push(check);
            }
            let mut ratings = ratings_of(conn, OF_CHILD, Some(child_id)).await?;
            for c in &mut contacts {
                c.children = children.remove(&c.id).unwrap_or_default();
                c.checks = checks.remove(&c.id).unwrap_or_default();
                c.ratings = ratings.remove(&c.id).unwrap_or_default();
            }
            let referrals = sqlx::query("SELECT * FROM referral WHERE child_id = $1 ORDER BY referral_date DESC, created_at DESC")
                .bind(child_id)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(referral_from_row)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(ChildFrontDoor { contacts, referrals })
        }

        #[async_trait::async_trait]
        impl FrontDoorRepository for $store {
            async fn record_contact(&self, actor: Actor, c: NewContact) -> Result<Contact> {
                refuse(c.validate(local_now()))?;
                let due = c.decision_due().ok_or_else(|| invalid("received", "The date received is outside the working-day calendar (2015 to 2030)"))?;
                let mut tx = self.tx().await?;
                let mut children = c.children.clone();
                children.sort();
                children.dedup();
                for child in &children {
                    let p = fetch_person(&mut tx, *child).await?;
                    if p.details.kind != PersonKind::Child {
                        return Err(invalid("children", format!("{} is not a child on the record", p.full_name())));
                    }
                }
                let id = new_id();
                sqlx::query(
                    "INSERT INTO contact (id, received_at, source, contact_name, contact_agency, reason, consent, decision_due, \
                     recorded_by, version, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10)",
                )
                .bind(id)
                .bind(c.received_at)
                .bind(&c.source)
                .bind(c.contact_name.trim())
                .bind(c.contact_agency.trim())
                .bind(c.reason.trim())
                .bind(&c.consent)
                .bind(due)
                .bind(actor.0)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                for child in &children {
                    sqlx::query("INSERT INTO contact_child (contact_id, person_id) VALUES ($1, $2)")
                        .bind(id)
                        .bind(child)
                        .execute(&mut *tx)
                        .await?;
                    audit(&mut tx, actor, AuditAction::Create, "contact", Some(id), Some(*child), None, Some(to_json(&c)), "contact recorded").await?;
                }
                let contact = load_contact(&mut tx, id).await?;
                tx.commit().await?;
                Ok(contact)
            }

            async fn view_contact(&self, actor: Actor, id: Uuid, purpose: &str) -> Result<Contact> {
                let mut tx = self.read_tx().await?;
                let contact = load_contact(&mut tx, id).await?;
                tx.commit().await?;
                let entries = contact
                    .children
                    .iter()
                    .map(|child| $crate::access::ViewEntry {
                        actor,
                        entity_type: "contact",
                        entity_id: Some(id),
                        person_id: Some(child.person_id),
                        detail: purpose.to_string(),
                    })
                    .collect();
                self.access_log.append(entries).await?;
                Ok(contact)
            }

            async fn contact_children(&self, id: Uuid) -> Result<Vec<Uuid>> {
                let mut conn = self.pool.acquire().await?;
                let exists: Option<Uuid> = sqlx::query_scalar("SELECT id FROM contact WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
                if exists.is_none() {
                    return Err(StoreError::NotFound("contact"));
                }
                Ok(contact_children_of(&mut conn, id).await?.into_iter().map(|c| c.person_id).collect())
            }

            async fn add_partner_check(&self, actor: Actor, contact_id: Uuid, k: NewPartnerCheck) -> Result<PartnerCheck> {
                refuse(k.validate(local_now().date()))?;
                let mut tx = self.tx().await?;
                let contact = load_contact(&mut tx, contact_id).await?;
                if k.requested_on < contact.received_at.date() {
                    return Err(invalid("requested", "The date requested must be on or after the date the contact was received"));
                }
                let id = new_id();
                sqlx::query(
                    "INSERT INTO partner_check (id, contact_id, agency, requested_on, received_on, summary, recorded_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(id)
                .bind(contact_id)
                .bind(&k.agency)
                .bind(k.requested_on)
                .bind(k.received_on)
                .bind(k.summary.trim())
                .bind(actor.0)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                for child in &contact.children {
                    audit(&mut tx, actor, AuditAction::Create, "partner_check", Some(id), Some(child.person_id), None, Some(to_json(&k)), "partner check recorded").await?;
                }
                let check = load_contact(&mut tx, contact_id).await?.checks.into_iter().find(|c| c.id == id).ok_or(StoreError::NotFound("partner check"))?;
                tx.commit().await?;
                Ok(check)
            }

            async fn decide_contact(&self, actor: Actor, contact_id: Uuid, expected_version: i64, d: NewDecision) -> Result<(Contact, Vec<Referral>)> {
                let mut tx = self.tx().await?;
                let before = load_contact(&mut tx, contact_id).await?;
                refuse(d.validate(before.received_at, local_now()))?;
                if before.version != expected_version {
                    return Err(StoreError::Conflict { expected: expected_version, actual: before.version });
                }
                if before.decision.is_some() {
                    return Err(invalid("outcome", "A decision has already been recorded on this contact"));
                }
                sqlx::query(
                    "UPDATE contact SET outcome = $1, decided_at = $2, decided_by = $3, direction = $4, rationale = $5, \
                     quality = $6, quality_comment = $7, version = version + 1 WHERE id = $8 AND version = $9",
                )
                .bind(&d.outcome)
                .bind(d.decided_at)
                .bind(actor.0)
                .bind(d.direction.trim())
                .bind(d.rationale.trim())
                .bind(&d.quality)
                .bind(d.quality_comment.trim())
                .bind(contact_id)
                .bind(expected_version)
                .execute(&mut *tx)
                .await?;
                let mut referrals = Vec::new();
                let referral_date = before.received_at.date();
                for child in &before.children {
                    audit(&mut tx, actor, AuditAction::Update, "contact", Some(contact_id), Some(child.person_id), None, Some(to_json(&d)), "front-door decision").await?;
                    if d.outcome == "early_help" {
                        // Stepped down to early help from the front door, unless already open.
                        let open: Option<Uuid> = sqlx::query_scalar("SELECT id FROM early_help WHERE child_id = $1 AND ended_on IS NULL")
                            .bind(child.person_id).fetch_optional(&mut *tx).await?;
                        if open.is_none() {
                            let eh = domain::early_help::NewEarlyHelp {
                                started_on: d.decided_at.date(),
                                lead: "To be allocated by early help".into(),
                                reason: before.reason.clone(),
                            };
                            insert_early_help(&mut tx, actor, child.person_id, &eh, "front_door").await?;
                        }
                    }
                    if !d.is_referral() {
                        continue;
                    }
                    let previous: Option<NaiveDate> = sqlx::query_scalar("SELECT MAX(referral_date) FROM referral WHERE child_id = $1 AND referral_date < $2")
                        .bind(child.person_id)
                        .bind(referral_date)
                        .fetch_one(&mut *tx)
                        .await?;
                    let r = Referral {
                        id: new_id(),
                        child_id: child.person_id,
                        contact_id,
                        referral_date,
                        source: before.source.clone(),
                        re_referral: is_re_referral(referral_date, previous),
                        previous_referral: previous,
                        closed_on: None,
                        closure_reason: None,
                    };
                    sqlx::query(
                        "INSERT INTO referral (id, child_id, contact_id, referral_date, source, re_referral, previous_referral, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(r.id)
                    .bind(r.child_id)
                    .bind(r.contact_id)
                    .bind(r.referral_date)
                    .bind(&r.source)
                    .bind(r.re_referral)
                    .bind(r.previous_referral)
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                    audit(&mut tx, actor, AuditAction::Create, "referral", Some(r.id), Some(r.child_id), None, Some(to_json(&r)),
                        if r.re_referral { "re-referral" } else { "referral" }).await?;
                    referrals.push(r);
                }
                let after = load_contact(&mut tx, contact_id).await?;
                tx.commit().await?;
                Ok((after, referrals))
            }

            async fn front_door_queue(&self) -> Result<Vec<Contact>> {
                let mut conn = self.pool.acquire().await?;
                let rows = sqlx::query(sqlx::AssertSqlSafe(format!("{CONTACT_SELECT} WHERE c.outcome IS NULL ORDER BY c.received_at")))
                    .fetch_all(&mut *conn)
                    .await?;
                let mut ratings = ratings_of(&mut conn, "(SELECT id FROM contact WHERE outcome IS NULL)", None).await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    let mut c = contact_from_row(r)?;
                    c.children = contact_children_of(&mut conn, c.id).await?;
                    c.ratings = ratings.remove(&c.id).unwrap_or_default();
                    out.push(c);
                }
                Ok(out)
            }

            async fn rate_contact(&self, actor: Actor, contact_id: Uuid, k: NewRiskRating) -> Result<Contact> {
                refuse(k.validate())?;
                let mut tx = self.tx().await?;
                let before = load_contact(&mut tx, contact_id).await?;
                if before.decision.is_some() {
                    return Err(invalid("rating", "The contact has been decided: its rating can no longer change"));
                }
                let id = new_id();
                sqlx::query(
                    "INSERT INTO contact_risk (id, contact_id, rating, reason, immediate_safety, rated_at, rated_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(id)
                .bind(contact_id)
                .bind(&k.rating)
                .bind(k.reason.trim())
                .bind(k.immediate_safety)
                .bind(local_now())
                .bind(actor.0)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE contact SET version = version + 1 WHERE id = $1").bind(contact_id).execute(&mut *tx).await?;
                let detail = match before.risk() {
                    None => format!("risk rated {}", k.rating),
                    Some(was) => format!("risk rated {} (was {})", k.rating, was.rating.as_str()),
                };
                for child in &before.children {
                    audit(&mut tx, actor, AuditAction::Create, "contact_risk", Some(id), Some(child.person_id), before.risk().map(to_json), Some(to_json(&k)), &detail).await?;
                }
                let after = load_contact(&mut tx, contact_id).await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn referral_quality(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<QualityCount>> {
                let start = from.and_hms_opt(0, 0, 0).expect("midnight");
                let end = to.succ_opt().unwrap_or(to).and_hms_opt(0, 0, 0).expect("midnight");
                let rows = sqlx::query(
                    "SELECT source, quality, COUNT(*) AS n FROM contact WHERE outcome IS NOT NULL AND decided_at >= $1 AND decided_at < $2 \
                     GROUP BY source, quality ORDER BY source, quality",
                )
                .bind(start)
                .bind(end)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .iter()
                    .map(|r| Ok(QualityCount { source: r.try_get("source")?, quality: r.try_get("quality")?, count: r.try_get("n")? }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?)
            }

        }
    };
}
pub(crate) use sql;
