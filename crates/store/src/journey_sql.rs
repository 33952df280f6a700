//! The journey's SQL, written once and expanded beside [`crate::sql::repository_impl`] for each
//! backend (it uses that macro's row types and its `audit` and `fetch_person` helpers).

macro_rules! journey_impl {
    ($store:ty) => {
        use domain::assessment::*;
use domain::case_notes::*;
use domain::front_door::*;
use domain::timescales::*;
use domain::work::*;
        use $crate::journey::{Journey, WorkScope};

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
                decision,
                version: r.try_get("version")?,
            })
        }

        const CONTACT_SELECT: &str = "SELECT c.*, ru.display_name AS recorded_by_name, du.display_name AS decided_by_name \
            FROM contact c LEFT JOIN app_user ru ON ru.id = c.recorded_by LEFT JOIN app_user du ON du.id = c.decided_by ";

        fn referral_from_row(r: &Row) -> Result<Referral, sqlx::Error> {
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

        const ASSESSMENT_SELECT: &str = "SELECT a.*, r.referral_date, au.display_name AS authorised_by_name \
            FROM assessment a JOIN referral r ON r.id = a.referral_id LEFT JOIN app_user au ON au.id = a.authorised_by ";

        fn assessment_from_row(r: &Row) -> Result<Assessment, sqlx::Error> {
            let Json(factors): Json<Vec<String>> = r.try_get("factors")?;
            Ok(Assessment {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                referral_id: r.try_get("referral_id")?,
                referral_date: r.try_get("referral_date")?,
                started_on: r.try_get("started_on")?,
                due_on: r.try_get("due_on")?,
                completed_on: r.try_get("completed_on")?,
                factors,
                outcome: r.try_get("outcome")?,
                summary: r.try_get("summary")?,
                authorised_on: r.try_get("authorised_on")?,
                authorised_by: r.try_get("authorised_by_name")?,
                version: r.try_get("version")?,
            })
        }

        fn note_from_row(r: &Row) -> Result<Note, sqlx::Error> {
            let kind: String = r.try_get("kind")?;
            Ok(Note {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                note: NewNote {
                    kind: NoteKind::parse(&kind).ok_or_else(|| $crate::sql::bad_column("kind", &kind))?,
                    date: r.try_get("note_date")?,
                    child_seen: r.try_get("child_seen")?,
                    seen_alone: r.try_get("seen_alone")?,
                    childs_words: r.try_get("childs_words")?,
                    observation: r.try_get("observation")?,
                    text: r.try_get("body")?,
                    decision: r.try_get("decision")?,
                    rationale: r.try_get("rationale")?,
                },
                recorded_by: r.try_get("recorded_by_name")?,
            })
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
            .map(|r| {
                Ok(PartnerCheck {
                    id: r.try_get("id")?,
                    contact_id: r.try_get("contact_id")?,
                    agency: r.try_get("agency")?,
                    requested_on: r.try_get("requested_on")?,
                    received_on: r.try_get("received_on")?,
                    summary: r.try_get("summary")?,
                    recorded_by: r.try_get("recorded_by_name")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
            Ok(c)
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
            .map(|r| {
                Ok(ContactChild {
                    person_id: r.try_get("id")?,
                    name: format!("{} {}", r.try_get::<String, _>("given_name")?, r.try_get::<String, _>("family_name")?),
                    restricted: r.try_get("restricted")?,
                })
            })
            .collect()
        }

        async fn fetch_assessment(conn: &mut Conn, id: Uuid) -> Result<Assessment, StoreError> {
            let row = sqlx::query(sqlx::AssertSqlSafe(format!("{ASSESSMENT_SELECT} WHERE a.id = $1")))
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .map_err(not_found("assessment"))?;
            Ok(assessment_from_row(&row)?)
        }

        /// Everything on a child's journey, for the child's page (read in the caller's transaction).
        pub(crate) async fn load_child_journey(conn: &mut Conn, child_id: Uuid) -> Result<(ChildFrontDoor, Vec<Assessment>, Vec<Note>), StoreError> {
            let ids: Vec<Uuid> = sqlx::query_scalar(
                "SELECT cc.contact_id FROM contact_child cc JOIN contact c ON c.id = cc.contact_id \
                 WHERE cc.person_id = $1 ORDER BY c.received_at DESC",
            )
            .bind(child_id)
            .fetch_all(&mut *conn)
            .await?;
            let mut contacts = Vec::with_capacity(ids.len());
            for id in ids {
                contacts.push(load_contact(conn, id).await?);
            }
            let referrals = sqlx::query("SELECT * FROM referral WHERE child_id = $1 ORDER BY referral_date DESC, created_at DESC")
                .bind(child_id)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(referral_from_row)
                .collect::<Result<Vec<_>, _>>()?;
            let assessments = sqlx::query(sqlx::AssertSqlSafe(format!(
                "{ASSESSMENT_SELECT} WHERE a.child_id = $1 ORDER BY a.started_on DESC, a.created_at DESC"
            )))
            .bind(child_id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(assessment_from_row)
            .collect::<Result<Vec<_>, _>>()?;
            let notes = sqlx::query(
                "SELECT n.*, u.display_name AS recorded_by_name FROM note n LEFT JOIN app_user u ON u.id = n.recorded_by \
                 WHERE n.child_id = $1 ORDER BY n.note_date DESC, n.created_at DESC",
            )
            .bind(child_id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(note_from_row)
            .collect::<Result<Vec<_>, _>>()?;
            Ok((ChildFrontDoor { contacts, referrals }, assessments, notes))
        }

        fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
            StoreError::Invalid { field, message: message.into() }
        }

        /// Refuses what the domain's validation refuses, naming the first field at fault.
        fn refuse(errors: Vec<domain::validate::FieldError>) -> Result<(), StoreError> {
            match errors.into_iter().next() {
                None => Ok(()),
                Some(e) => Err(StoreError::Invalid {
                    field: match e.field.as_str() {
                        "received" => "received",
                        "source" => "source",
                        "contact_name" => "contact_name",
                        "reason" => "reason",
                        "consent" => "consent",
                        "children" => "children",
                        "agency" => "agency",
                        "requested" => "requested",
                        "summary" => "summary",
                        "outcome" => "outcome",
                        "decided" => "decided",
                        "direction" => "direction",
                        "rationale" => "rationale",
                        "quality" => "quality",
                        "completed" => "completed",
                        "factors" => "factors",
                        "date" => "date",
                        "child_seen" => "child_seen",
                        "seen_alone" => "seen_alone",
                        "childs_words" => "childs_words",
                        "text" => "text",
                        "decision" => "decision",
                        "lead" => "lead",
                        "ended" => "ended",
                        "end_reason" => "end_reason",
                        "note" => "note",
                        "closed" => "closed",
                        "closure_reason" => "closure_reason",
                        "started" => "started",
                        "primary_need" => "primary_need",
                        "need" => "need",
                        "action" => "action",
                        "owner" => "owner",
                        "due" => "due",
                        "status" => "status",
                        "progress" => "progress",
                        "held" => "held",
                        "agencies" => "agencies",
                        "category" => "category",
                        "notes" => "notes",
                        _ => "input",
                    },
                    message: e.message,
                }),
            }
        }

        /// Times on the record are UK wall-clock times.
        fn local_now() -> chrono::NaiveDateTime {
            domain::calendar::uk_now()
        }

        #[async_trait::async_trait]
        impl Journey for $store {
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
                let mut tx = self.tx().await?;
                let contact = load_contact(&mut tx, id).await?;
                for child in &contact.children {
                    audit(&mut tx, actor, AuditAction::View, "contact", Some(id), Some(child.person_id), None, None, purpose).await?;
                }
                tx.commit().await?;
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
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    let mut c = contact_from_row(r)?;
                    c.children = contact_children_of(&mut conn, c.id).await?;
                    out.push(c);
                }
                Ok(out)
            }

            async fn start_assessment(&self, actor: Actor, referral_id: Uuid, started_on: NaiveDate) -> Result<Assessment> {
                let mut tx = self.tx().await?;
                let referral = sqlx::query("SELECT * FROM referral WHERE id = $1")
                    .bind(referral_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(not_found("referral"))?;
                let referral = referral_from_row(&referral)?;
                if started_on < referral.referral_date {
                    return Err(invalid("started", "The assessment cannot start before the referral"));
                }
                if started_on > local_now().date() {
                    return Err(invalid("started", "The date started must be today or in the past"));
                }
                let open: Option<Uuid> = sqlx::query_scalar("SELECT id FROM assessment WHERE referral_id = $1")
                    .bind(referral_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if open.is_some() {
                    return Err(invalid("referral_id", "An assessment has already been started on this referral"));
                }
                let due = domain::timescales::assessment_due(referral.referral_date)
                    .map_err(|e| invalid("started", e.to_string()))?;
                let id = new_id();
                sqlx::query(
                    "INSERT INTO assessment (id, child_id, referral_id, started_on, due_on, factors, summary, version, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, '', 1, $7)",
                )
                .bind(id)
                .bind(referral.child_id)
                .bind(referral_id)
                .bind(started_on)
                .bind(due)
                .bind(Json(Vec::<String>::new()))
                .bind(now())
                .execute(&mut *tx)
                .await?;
                let a = fetch_assessment(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Create, "assessment", Some(id), Some(a.child_id), None, Some(to_json(&a)), "assessment started").await?;
                tx.commit().await?;
                Ok(a)
            }

            async fn get_assessment(&self, id: Uuid) -> Result<Assessment> {
                let mut conn = self.pool.acquire().await?;
                fetch_assessment(&mut conn, id).await
            }

            async fn complete_assessment(&self, actor: Actor, id: Uuid, expected_version: i64, c: AssessmentCompletion) -> Result<Assessment> {
                let mut tx = self.tx().await?;
                let before = fetch_assessment(&mut tx, id).await?;
                refuse(c.validate(before.started_on, local_now().date()))?;
                if before.version != expected_version {
                    return Err(StoreError::Conflict { expected: expected_version, actual: before.version });
                }
                if before.authorised_on.is_some() {
                    return Err(invalid("completed", "An authorised assessment cannot be changed"));
                }
                sqlx::query(
                    "UPDATE assessment SET completed_on = $1, factors = $2, outcome = $3, summary = $4, version = version + 1 \
                     WHERE id = $5 AND version = $6",
                )
                .bind(c.completed_on)
                .bind(Json(&c.factors))
                .bind(&c.outcome)
                .bind(c.summary.trim())
                .bind(id)
                .bind(expected_version)
                .execute(&mut *tx)
                .await?;
                let after = fetch_assessment(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Update, "assessment", Some(id), Some(after.child_id), Some(to_json(&before)), Some(to_json(&after)), "assessment completed").await?;
                if c.outcome == "early_help" {
                    let open: Option<Uuid> = sqlx::query_scalar("SELECT id FROM early_help WHERE child_id = $1 AND ended_on IS NULL")
                        .bind(after.child_id).fetch_optional(&mut *tx).await?;
                    if open.is_none() {
                        let eh = domain::early_help::NewEarlyHelp {
                            started_on: c.completed_on,
                            lead: "To be allocated by early help".into(),
                            reason: c.summary.trim().to_string(),
                        };
                        insert_early_help(&mut tx, actor, after.child_id, &eh, "step_down").await?;
                    }
                }
                tx.commit().await?;
                Ok(after)
            }

            async fn authorise_assessment(&self, actor: Actor, id: Uuid, expected_version: i64, on: NaiveDate) -> Result<Assessment> {
                let mut tx = self.tx().await?;
                let before = fetch_assessment(&mut tx, id).await?;
                if before.version != expected_version {
                    return Err(StoreError::Conflict { expected: expected_version, actual: before.version });
                }
                let Some(completed) = before.completed_on else {
                    return Err(invalid("authorised", "Only a completed assessment can be authorised"));
                };
                if before.authorised_on.is_some() {
                    return Err(invalid("authorised", "The assessment has already been authorised"));
                }
                if on < completed || on > local_now().date() {
                    return Err(invalid("authorised", "The date authorised must be between the date completed and today"));
                }
                sqlx::query("UPDATE assessment SET authorised_on = $1, authorised_by = $2, version = version + 1 WHERE id = $3 AND version = $4")
                    .bind(on)
                    .bind(actor.0)
                    .bind(id)
                    .bind(expected_version)
                    .execute(&mut *tx)
                    .await?;
                let after = fetch_assessment(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Update, "assessment", Some(id), Some(after.child_id), Some(to_json(&before)), Some(to_json(&after)), "assessment authorised").await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn add_note(&self, actor: Actor, child_id: Uuid, n: NewNote) -> Result<Note> {
                refuse(n.validate(local_now().date()))?;
                let mut tx = self.tx().await?;
                let child = fetch_person(&mut tx, child_id).await?;
                if child.details.kind != PersonKind::Child {
                    return Err(invalid("child_id", "Notes are recorded on a child's record"));
                }
                let id = new_id();
                sqlx::query(
                    "INSERT INTO note (id, child_id, kind, note_date, child_seen, seen_alone, childs_words, observation, body, \
                     decision, rationale, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                )
                .bind(id)
                .bind(child_id)
                .bind(n.kind.as_str())
                .bind(n.date)
                .bind(n.child_seen)
                .bind(n.seen_alone)
                .bind(n.childs_words.trim())
                .bind(n.observation.trim())
                .bind(n.text.trim())
                .bind(n.decision.trim())
                .bind(n.rationale.trim())
                .bind(actor.0)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                audit(&mut tx, actor, AuditAction::Create, "note", Some(id), Some(child_id), None, Some(to_json(&n)),
                    match n.kind { NoteKind::Visit => "visit recorded", NoteKind::CaseNote => "case note recorded", NoteKind::Oversight => "management oversight recorded" }).await?;
                let row = sqlx::query("SELECT n.*, u.display_name AS recorded_by_name FROM note n LEFT JOIN app_user u ON u.id = n.recorded_by WHERE n.id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
                let note = note_from_row(&row)?;
                tx.commit().await?;
                Ok(note)
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

            async fn work_due(&self, scope: WorkScope, today: NaiveDate) -> Result<Vec<DueItem>> {
                let mut conn = self.pool.acquire().await?;
                let (worker, team) = match scope {
                    WorkScope::Worker(w) => (Some(w), None),
                    WorkScope::Team(t) => (None, Some(t)),
                    WorkScope::All => (None, None),
                };
                let mut items = Vec::new();
                // Front-door decisions belong to the service, not to a worker.
                if worker.is_none() {
                    for c in self.front_door_queue().await? {
                        let names: Vec<&str> = c.children.iter().map(|k| k.name.as_str()).collect();
                        items.push(DueItem {
                            what: "Front-door decision".into(),
                            due: c.decision_due,
                            rag: Rag::of(c.decision_due, today),
                            child_id: c.children.first().map(|k| k.person_id),
                            child_name: names.join(", "),
                            worker_name: None,
                            link: format!("/contacts/{}", c.id),
                        });
                    }
                }
                let rows = sqlx::query(
                    "SELECT a.id, a.child_id, a.due_on, a.completed_on, p.given_name, p.family_name, w.name AS worker_name \
                     FROM assessment a JOIN person p ON p.id = a.child_id \
                     LEFT JOIN allocation al ON al.child_id = a.child_id AND al.to_date IS NULL \
                     LEFT JOIN worker w ON w.id = al.worker_id \
                     WHERE a.authorised_on IS NULL AND ($1 IS NULL OR al.worker_id = $1) AND ($2 IS NULL OR w.team_id = $2) \
                     ORDER BY a.due_on",
                )
                .bind(worker)
                .bind(team)
                .fetch_all(&mut *conn)
                .await?;
                for r in &rows {
                    let id: Uuid = r.try_get("id")?;
                    let due: NaiveDate = r.try_get("due_on")?;
                    let completed: Option<NaiveDate> = r.try_get("completed_on")?;
                    let (what, due) = match completed {
                        // Authorisation is due as soon as the assessment is completed.
                        Some(done) => ("Assessment authorisation", done),
                        None => ("Assessment", due),
                    };
                    items.push(DueItem {
                        what: what.into(),
                        due,
                        rag: Rag::of(due, today),
                        child_id: Some(r.try_get("child_id")?),
                        child_name: format!("{} {}", r.try_get::<String, _>("given_name")?, r.try_get::<String, _>("family_name")?),
                        worker_name: r.try_get("worker_name")?,
                        link: format!("/assessments/{id}"),
                    });
                }
                casework_due(&mut conn, worker, team, today, &mut items).await?;
                items.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.child_name.cmp(&b.child_name)));
                Ok(items)
            }
        }
    };
}
pub(crate) use journey_impl;
