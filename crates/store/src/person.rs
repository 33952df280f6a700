//! People, as a part of the repository: children and the adults around them, their identifiers,
//! addresses and relationships, finding them, allocating children to workers, and what access
//! decisions need to know of a record. Every change writes its audit entry in the same
//! transaction.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::person::{
    Address, Allocation, NewAddress, Person, PersonDetails, PersonKind, Relationship,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Actor, Result};

#[derive(Debug, Clone)]
pub struct NewRelationship {
    pub person_id: Uuid,
    pub kind: String,
    pub related_person_id: Uuid,
    pub from: Option<NaiveDate>,
}

/// Find people by name, date of birth or identifier. Empty criteria match everyone.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SearchQuery {
    /// Part of a first or last name, or a whole "first last"; or an identifier (council child ID,
    /// NHS number, UPN) which matches exactly.
    pub text: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    /// Born on or between these dates (a partial date of birth: a month, a year).
    #[serde(default)]
    pub born_between: Option<(NaiveDate, NaiveDate)>,
    pub kind: Option<PersonKind>,
    pub limit: u32,
}

/// A line of search results: enough to recognise the person and decide whether the user may open
/// the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSummary {
    pub id: Uuid,
    pub kind: PersonKind,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub expected_date_of_birth: Option<NaiveDate>,
    pub council_child_id: Option<String>,
    pub restricted: bool,
    /// The worker currently allocated, for children.
    pub allocated_worker_id: Option<Uuid>,
    pub allocated_worker_name: Option<String>,
}

impl PersonSummary {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// What deciding whether a user may open a record needs to know of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessFacts {
    pub kind: PersonKind,
    pub restricted: bool,
    /// Workers currently allocated to the child.
    pub allocated_workers: Vec<Uuid>,
    /// Whether the child is looked after now (an open episode of care): IROs see only these.
    pub in_care: bool,
    /// The teams of the workers allocated (for need-to-know: a team's cases).
    pub allocated_teams: Vec<Uuid>,
    /// A contact about the child waits for a front-door decision (the front door's cases).
    pub open_contact: bool,
    /// The users auditing the child: auditors of a case file audit programme whose sample
    /// holds the child.
    pub auditors: Vec<Uuid>,
}

/// A relationship seen from one person: "`other` is this person's `kind`", or the reverse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedPerson {
    pub relationship: Relationship,
    /// The other person.
    pub other: PersonSummary,
    /// True when the other person is the relationship's subject ("other is the kind of this
    /// person", e.g. other = mother, kind = parent); false for the reverse direction.
    pub other_is_subject: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationView {
    pub allocation: Allocation,
    pub worker_name: String,
    pub team_name: Option<String>,
}

#[async_trait]
pub trait People: Send + Sync {
    /// Allocates a child to a worker from `from`, ending the current allocation the day before.
    async fn allocate(
        &self,
        actor: Actor,
        child_id: Uuid,
        worker_id: Uuid,
        from: NaiveDate,
    ) -> Result<Allocation>;

    async fn create_person(&self, actor: Actor, details: PersonDetails) -> Result<Person>;
    /// Corrects a person's details. `expected_version` is the version the user saw; a different
    /// stored version is a conflict and nothing is saved.
    async fn update_person(
        &self,
        actor: Actor,
        id: Uuid,
        expected_version: i64,
        details: PersonDetails,
    ) -> Result<Person>;
    /// A person without an access entry: for internal use (forms, checks), not for showing a record.
    async fn get_person(&self, id: Uuid) -> Result<Person>;
    async fn add_address(
        &self,
        actor: Actor,
        person_id: Uuid,
        address: NewAddress,
    ) -> Result<Address>;
    async fn add_relationship(&self, actor: Actor, rel: NewRelationship) -> Result<Relationship>;
    /// Records a new person (a parent, carer or relative) and how they are related to an existing
    /// person ("the new person is the `kind` of `related_person_id`"), in one transaction.
    async fn add_related_person(
        &self,
        actor: Actor,
        details: PersonDetails,
        kind: String,
        related_person_id: Uuid,
    ) -> Result<(Person, Relationship)>;
    async fn search_people(&self, query: &SearchQuery) -> Result<Vec<PersonSummary>>;
    async fn access_facts(&self, id: Uuid) -> Result<AccessFacts>;
    /// [`People::access_facts`] of many people at once (a list of work due): one query per 500;
    /// ids not on the record are left out.
    async fn access_facts_of(
        &self,
        ids: &[Uuid],
    ) -> Result<std::collections::HashMap<Uuid, AccessFacts>>;
    async fn count_people(&self) -> Result<i64>;
}

/// Columns of a person summary with the current allocation; `p` is person.
macro_rules! summary_select {
    () => {
        "SELECT p.id, p.kind, p.given_name, p.family_name, p.date_of_birth, p.expected_date_of_birth, \
         p.council_child_id, p.restricted, a.worker_id AS allocated_worker_id, w.name AS allocated_worker_name \
         FROM person p \
         LEFT JOIN allocation a ON a.child_id = p.id AND a.to_date IS NULL AND a.role = 'social_worker' \
         LEFT JOIN worker w ON w.id = a.worker_id "
    };
}
pub(crate) use summary_select;

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use $crate::person::People as PeopleRepository;

        fn summary_from_row(r: &Row) -> Result<PersonSummary, sqlx::Error> {
            Ok(PersonSummary {
                id: r.try_get("id")?,
                kind: parse_kind(&r.try_get::<String, _>("kind")?)?,
                given_name: r.try_get("given_name")?,
                family_name: r.try_get("family_name")?,
                date_of_birth: r.try_get("date_of_birth")?,
                expected_date_of_birth: r.try_get("expected_date_of_birth")?,
                council_child_id: r.try_get("council_child_id")?,
                restricted: r.try_get("restricted")?,
                allocated_worker_id: r.try_get("allocated_worker_id")?,
                allocated_worker_name: r.try_get("allocated_worker_name")?,
            })
        }

        /// How a person's names sound, kept beside them for the search (`person.family_key`,
        /// `person.given_key`, migration 0029).
        async fn set_name_keys(conn: &mut Conn, id: Uuid, d: &PersonDetails) -> Result<(), StoreError> {
            sqlx::query("UPDATE person SET family_key = $1, given_key = $2 WHERE id = $3")
                .bind(domain::person::phonetic::soundex(&d.family_name).unwrap_or_default())
                .bind(domain::person::phonetic::soundex(&d.given_name).unwrap_or_default())
                .bind(id)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        /// Fills the name keys of people recorded before they were kept (run when the store
        /// opens; nothing to do once every row has them).
        pub(crate) async fn fill_name_keys(pool: &sqlx::Pool<Db>) -> Result<u64, StoreError> {
            let mut filled = 0;
            loop {
                let mut tx = pool.begin().await?;
                let rows = sqlx::query("SELECT id, given_name, family_name FROM person WHERE family_key IS NULL AND given_key IS NULL LIMIT 5000")
                    .fetch_all(&mut *tx)
                    .await?;
                let mut changed = 0;
                for r in &rows {
                    let id: Uuid = r.try_get("id")?;
                    let family = domain::person::phonetic::soundex(&r.try_get::<String, _>("family_name")?);
                    let given = domain::person::phonetic::soundex(&r.try_get::<String, _>("given_name")?);
                    // A name without letters keeps an empty key, so it is not read again.
                    sqlx::query("UPDATE person SET family_key = $1, given_key = $2 WHERE id = $3")
                        .bind(family.unwrap_or_default())
                        .bind(given.unwrap_or_default())
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    changed += 1;
                }
                tx.commit().await?;
                filled += changed;
                if rows.len() < 5000 {
                    return Ok(filled);
                }
            }
        }

        /// The council child ID is unique among people, and so is the NHS number; a clash is a
        /// field error, not a database error.
        async fn check_unique_child_id(conn: &mut Conn, details: &PersonDetails, except: Option<Uuid>) -> Result<(), StoreError> {
            if let Some(nhs) = &details.identifiers.nhs_number {
                let other: Option<(Uuid, String, String)> = sqlx::query_as("SELECT id, given_name, family_name FROM person WHERE nhs_number = $1 LIMIT 1")
                    .bind(nhs)
                    .fetch_optional(&mut *conn)
                    .await?;
                if let Some((o, given, family)) = other {
                    if Some(o) != except {
                        return Err(StoreError::Invalid {
                            field: "nhs_number",
                            message: format!("NHS number {nhs} is already on the record of {given} {family}: open their record rather than adding them again"),
                        });
                    }
                }
            }
            let Some(cid) = &details.identifiers.council_child_id else { return Ok(()) };
            let other: Option<Uuid> = sqlx::query_scalar("SELECT id FROM person WHERE council_child_id = $1")
                .bind(cid)
                .fetch_optional(&mut *conn)
                .await?;
            match other {
                Some(o) if Some(o) != except => Err(StoreError::Invalid {
                    field: "council_child_id",
                    message: format!("Council child ID {cid} is already used by another record"),
                }),
                _ => Ok(()),
            }
        }

        async fn insert_person(tx: &mut Conn, actor: Actor, details: PersonDetails) -> Result<Person, StoreError> {
                check_unique_child_id(tx, &details, None).await?;
                let at = now();
                let person = Person { id: new_id(), details, version: 1, created_at: at, updated_at: at };
                let d = &person.details;
                sqlx::query(
                    "INSERT INTO person (id, kind, given_name, family_name, date_of_birth, expected_date_of_birth, sex, ethnicity, \
                     disabilities, council_child_id, nhs_number, upn, former_upn, uasc, restricted, version, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
                )
                .bind(person.id)
                .bind(d.kind.as_str())
                .bind(&d.given_name)
                .bind(&d.family_name)
                .bind(d.date_of_birth)
                .bind(d.expected_date_of_birth)
                .bind(&d.sex)
                .bind(&d.ethnicity)
                .bind(Json(&d.disabilities))
                .bind(&d.identifiers.council_child_id)
                .bind(&d.identifiers.nhs_number)
                .bind(&d.identifiers.upn)
                .bind(&d.identifiers.former_upn)
                .bind(d.uasc)
                .bind(d.restricted)
                .bind(person.version)
                .bind(person.created_at)
                .bind(person.updated_at)
                .execute(&mut *tx)
                .await?;
                set_name_keys(tx, person.id, d).await?;
                audit(tx, actor, AuditAction::Create, "person", Some(person.id), Some(person.id), None,
                    Some(to_json(&person.details)), &format!("{} record created", d.kind.as_str())).await?;
                Ok(person)
            }

        async fn insert_relationship(tx: &mut Conn, actor: Actor, rel: NewRelationship) -> Result<Relationship, StoreError> {
                if rel.person_id == rel.related_person_id {
                    return Err(StoreError::Invalid { field: "related_person_id", message: "A person cannot be related to themselves".into() });
                }
                let r = Relationship {
                    id: new_id(),
                    person_id: rel.person_id,
                    kind: rel.kind,
                    related_person_id: rel.related_person_id,
                    from: rel.from,
                    to: None,
                };
                sqlx::query(
                    "INSERT INTO relationship (id, person_id, kind, related_person_id, from_date, to_date, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(r.id)
                .bind(r.person_id)
                .bind(&r.kind)
                .bind(r.related_person_id)
                .bind(r.from)
                .bind(r.to)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                // Filed under both people so that each one's history shows it.
                for pid in [r.person_id, r.related_person_id] {
                    audit(tx, actor, AuditAction::Create, "relationship", Some(r.id), Some(pid), None, Some(to_json(&r)), "relationship recorded").await?;
                }
                Ok(r)
        }

        /// The person, their addresses, relationships and allocations, for the child's page (read in
        /// the caller's transaction).
        pub(super) async fn load_for_child(conn: &mut Conn, id: Uuid) -> Result<(Person, Vec<Address>, Vec<RelatedPerson>, Vec<AllocationView>), StoreError> {
            let person = fetch_person(conn, id).await?;
            let addresses = sqlx::query("SELECT * FROM address WHERE person_id = $1 ORDER BY from_date DESC, created_at DESC")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(|r| {
                    Ok(Address {
                        id: r.try_get("id")?,
                        person_id: r.try_get("person_id")?,
                        line1: r.try_get("line1")?,
                        line2: r.try_get("line2")?,
                        town: r.try_get("town")?,
                        postcode: r.try_get("postcode")?,
                        from: r.try_get("from_date")?,
                        to: r.try_get("to_date")?,
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let rel_rows = sqlx::query("SELECT * FROM relationship WHERE person_id = $1 OR related_person_id = $1 ORDER BY created_at")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
            // Everyone the child is related to, in one query (not one per relationship).
            let mut others: std::collections::HashMap<Uuid, PersonSummary> = Default::default();
            if !rel_rows.is_empty() {
                for o in sqlx::query(concat!(
                    $crate::person::summary_select!(),
                    "WHERE p.id IN (SELECT related_person_id FROM relationship WHERE person_id = $1 \
                     UNION SELECT person_id FROM relationship WHERE related_person_id = $1)"
                ))
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
                {
                    let summary = summary_from_row(&o)?;
                    others.entry(summary.id).or_insert(summary);
                }
            }
            let mut relationships = Vec::with_capacity(rel_rows.len());
            for r in &rel_rows {
                let rel = Relationship {
                    id: r.try_get("id")?,
                    person_id: r.try_get("person_id")?,
                    kind: r.try_get("kind")?,
                    related_person_id: r.try_get("related_person_id")?,
                    from: r.try_get("from_date")?,
                    to: r.try_get("to_date")?,
                };
                let other_is_subject = rel.related_person_id == id;
                let other_id = if other_is_subject { rel.person_id } else { rel.related_person_id };
                let other = others.get(&other_id).cloned().ok_or(StoreError::NotFound("person"))?;
                relationships.push(RelatedPerson { relationship: rel, other, other_is_subject });
            }
            let allocations = sqlx::query(
                "SELECT a.*, w.name AS worker_name, t.name AS team_name FROM allocation a \
                 JOIN worker w ON w.id = a.worker_id LEFT JOIN team t ON t.id = w.team_id \
                 WHERE a.child_id = $1 AND a.role = 'social_worker' ORDER BY a.from_date DESC",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| {
                Ok(AllocationView {
                    allocation: Allocation {
                        id: r.try_get("id")?,
                        child_id: r.try_get("child_id")?,
                        worker_id: r.try_get("worker_id")?,
                        from: r.try_get("from_date")?,
                        to: r.try_get("to_date")?,
                    },
                    worker_name: r.try_get("worker_name")?,
                    team_name: r.try_get("team_name")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
            Ok((person, addresses, relationships, allocations))
        }

        #[async_trait::async_trait]
        impl PeopleRepository for $store {
            async fn allocate(&self, actor: Actor, child_id: Uuid, worker_id: Uuid, from: NaiveDate) -> Result<Allocation> {
                let mut tx = self.tx().await?;
                let child = fetch_person(&mut tx, child_id).await?;
                if child.details.kind != PersonKind::Child {
                    return Err(StoreError::Invalid { field: "child_id", message: "Only a child can be allocated to a worker".into() });
                }
                let worker_exists: Option<Uuid> = sqlx::query_scalar("SELECT id FROM worker WHERE id = $1")
                    .bind(worker_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if worker_exists.is_none() {
                    return Err(StoreError::NotFound("worker"));
                }
                let current = sqlx::query("SELECT id, worker_id, from_date FROM allocation WHERE child_id = $1 AND to_date IS NULL AND role = 'social_worker'")
                    .bind(child_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(cur) = current {
                    let cur_id: Uuid = cur.try_get("id")?;
                    let cur_from: NaiveDate = cur.try_get("from_date")?;
                    if from <= cur_from {
                        return Err(StoreError::Invalid {
                            field: "from",
                            message: format!("The new allocation must start after the current one (which started {cur_from})"),
                        });
                    }
                    let end = from.pred_opt().expect("a date after another has a day before it");
                    sqlx::query("UPDATE allocation SET to_date = $1 WHERE id = $2").bind(end).bind(cur_id).execute(&mut *tx).await?;
                    audit(&mut tx, actor, AuditAction::Update, "allocation", Some(cur_id), Some(child_id), None,
                        Some(serde_json::json!({"to": end})), "allocation ended").await?;
                }
                let alloc = Allocation { id: new_id(), child_id, worker_id, from, to: None };
                sqlx::query("INSERT INTO allocation (id, child_id, worker_id, from_date, to_date, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(alloc.id)
                    .bind(child_id)
                    .bind(worker_id)
                    .bind(from)
                    .bind(None::<NaiveDate>)
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                audit(&mut tx, actor, AuditAction::Create, "allocation", Some(alloc.id), Some(child_id), None, Some(to_json(&alloc)), "child allocated").await?;
                tx.commit().await?;
                Ok(alloc)
            }

            async fn create_person(&self, actor: Actor, details: PersonDetails) -> Result<Person> {
                let mut tx = self.tx().await?;
                let person = insert_person(&mut tx, actor, details).await?;
                tx.commit().await?;
                Ok(person)
            }

            async fn add_related_person(&self, actor: Actor, details: PersonDetails, kind: String, related_person_id: Uuid) -> Result<(Person, Relationship)> {
                let mut tx = self.tx().await?;
                fetch_person(&mut tx, related_person_id).await?;
                let person = insert_person(&mut tx, actor, details).await?;
                let rel = insert_relationship(&mut tx, actor, NewRelationship { person_id: person.id, kind, related_person_id, from: None }).await?;
                tx.commit().await?;
                Ok((person, rel))
            }

            async fn update_person(&self, actor: Actor, id: Uuid, expected_version: i64, details: PersonDetails) -> Result<Person> {
                let mut tx = self.tx().await?;
                let before = fetch_person(&mut tx, id).await?;
                if before.version != expected_version {
                    return Err(StoreError::Conflict { expected: expected_version, actual: before.version });
                }
                if before.details.kind != details.kind {
                    return Err(StoreError::Invalid { field: "kind", message: "A child's record cannot become an adult's, or the reverse".into() });
                }
                check_unique_child_id(&mut tx, &details, Some(id)).await?;
                let after = Person { id, details, version: before.version + 1, created_at: before.created_at, updated_at: now() };
                let d = &after.details;
                sqlx::query(
                    "UPDATE person SET given_name = $1, family_name = $2, date_of_birth = $3, expected_date_of_birth = $4, \
                     sex = $5, ethnicity = $6, disabilities = $7, council_child_id = $8, nhs_number = $9, upn = $10, \
                     former_upn = $11, uasc = $12, restricted = $13, version = $14, updated_at = $15 \
                     WHERE id = $16 AND version = $17",
                )
                .bind(&d.given_name)
                .bind(&d.family_name)
                .bind(d.date_of_birth)
                .bind(d.expected_date_of_birth)
                .bind(&d.sex)
                .bind(&d.ethnicity)
                .bind(Json(&d.disabilities))
                .bind(&d.identifiers.council_child_id)
                .bind(&d.identifiers.nhs_number)
                .bind(&d.identifiers.upn)
                .bind(&d.identifiers.former_upn)
                .bind(d.uasc)
                .bind(d.restricted)
                .bind(after.version)
                .bind(after.updated_at)
                .bind(id)
                .bind(expected_version)
                .execute(&mut *tx)
                .await?;
                set_name_keys(&mut tx, id, d).await?;
                audit(&mut tx, actor, AuditAction::Update, "person", Some(id), Some(id), Some(to_json(&before.details)),
                    Some(to_json(&after.details)), "details corrected").await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn get_person(&self, id: Uuid) -> Result<Person> {
                let mut conn = self.pool.acquire().await?;
                fetch_person(&mut conn, id).await
            }

            async fn add_address(&self, actor: Actor, person_id: Uuid, a: NewAddress) -> Result<Address> {
                let mut tx = self.tx().await?;
                fetch_person(&mut tx, person_id).await?;
                if let Some(to) = a.to {
                    if to < a.from {
                        return Err(StoreError::Invalid { field: "to", message: "The date the person left must be on or after the date they moved in".into() });
                    }
                }
                // Moving in ends the current address the day before, when it started earlier.
                if a.to.is_none() {
                    let current = sqlx::query("SELECT id, from_date FROM address WHERE person_id = $1 AND to_date IS NULL")
                        .bind(person_id)
                        .fetch_all(&mut *tx)
                        .await?;
                    for cur in current {
                        let cur_id: Uuid = cur.try_get("id")?;
                        let cur_from: NaiveDate = cur.try_get("from_date")?;
                        if cur_from < a.from {
                            let end = a.from.pred_opt().expect("date has a predecessor");
                            sqlx::query("UPDATE address SET to_date = $1 WHERE id = $2").bind(end).bind(cur_id).execute(&mut *tx).await?;
                            audit(&mut tx, actor, AuditAction::Update, "address", Some(cur_id), Some(person_id), None,
                                Some(serde_json::json!({"to": end})), "moved out").await?;
                        }
                    }
                }
                let address = Address {
                    id: new_id(),
                    person_id,
                    line1: a.line1,
                    line2: a.line2,
                    town: a.town,
                    postcode: a.postcode.trim().to_uppercase(),
                    from: a.from,
                    to: a.to,
                };
                sqlx::query(
                    "INSERT INTO address (id, person_id, line1, line2, town, postcode, from_date, to_date, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(address.id)
                .bind(person_id)
                .bind(&address.line1)
                .bind(&address.line2)
                .bind(&address.town)
                .bind(&address.postcode)
                .bind(address.from)
                .bind(address.to)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                audit(&mut tx, actor, AuditAction::Create, "address", Some(address.id), Some(person_id), None, Some(to_json(&address)), "address recorded").await?;
                tx.commit().await?;
                Ok(address)
            }

            async fn add_relationship(&self, actor: Actor, rel: NewRelationship) -> Result<Relationship> {
                let mut tx = self.tx().await?;
                fetch_person(&mut tx, rel.person_id).await?;
                fetch_person(&mut tx, rel.related_person_id).await?;
                let r = insert_relationship(&mut tx, actor, rel).await?;
                tx.commit().await?;
                Ok(r)
            }

            async fn search_people(&self, q: &SearchQuery) -> Result<Vec<PersonSummary>> {
                let text = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
                let pattern = text.map(|t| format!("%{}%", t.to_lowercase().replace(['%', '_'], "")));
                let ident = text.map(|t| t.replace(' ', "").to_uppercase());
                let limit = i64::from(if q.limit == 0 { 50 } else { q.limit.min(500) });
                // A name is also matched by how it sounds: one word by either name's key, two or
                // more by the first and last words' keys together ("Alice Kowalsky").
                let (sound_one, sound_given, sound_family) = match text.filter(|t| domain::person::phonetic::is_name_like(t)) {
                    Some(t) => {
                        let words: Vec<&str> = t.split_whitespace().collect();
                        let key = |w: &str| domain::person::phonetic::soundex(w);
                        match words.as_slice() {
                            [one] => (key(one), None, None),
                            [first, .., last] => (None, key(first), key(last)),
                            [] => (None, None, None),
                        }
                    }
                    None => (None, None, None),
                };
                let (from, to) = q.born_between.unzip();
                // One case-insensitive match of the whole name: "given family" holds a match of
                // either name (a third of the work of matching each name and the whole name).
                // Exact matches come first, then those that only sound alike.
                let sql = format!(
                    "{}WHERE ($1 IS NULL OR (p.given_name || ' ' || p.family_name) {like} $1 \
                       OR upper(p.council_child_id) = $2 OR p.nhs_number = $2 OR p.upn = $2 OR p.former_upn = $2 \
                       OR p.family_key = $6 OR p.given_key = $6 OR (p.given_key = $7 AND p.family_key = $8)) \
                     AND ($3 IS NULL OR p.date_of_birth = $3 OR p.expected_date_of_birth = $3) \
                     AND ($9 IS NULL OR p.date_of_birth >= $9 OR p.expected_date_of_birth >= $9) \
                     AND ($10 IS NULL OR p.date_of_birth <= $10 OR p.expected_date_of_birth <= $10) \
                     AND ($4 IS NULL OR p.kind = $4) \
                     ORDER BY CASE WHEN $1 IS NULL OR (p.given_name || ' ' || p.family_name) {like} $1 THEN 0 ELSE 1 END, \
                       p.family_name, p.given_name, p.id LIMIT $5",
                    $crate::person::summary_select!(),
                    like = <$store>::CASE_INSENSITIVE_LIKE,
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(pattern)
                .bind(ident)
                .bind(q.date_of_birth)
                .bind(q.kind.map(|k| k.as_str()))
                .bind(limit)
                .bind(sound_one)
                .bind(sound_given)
                .bind(sound_family)
                .bind(from)
                .bind(to)
                .fetch_all(&self.list_pool)
                .await?;
                Ok(rows.iter().map(summary_from_row).collect::<Result<_, _>>()?)
            }

            async fn access_facts(&self, id: Uuid) -> Result<AccessFacts> {
                // One query (each route asks before anything else).
                self.access_facts_of(&[id])
                    .await?
                    .remove(&id)
                    .ok_or(StoreError::NotFound("person"))
            }

            async fn access_facts_of(&self, ids: &[Uuid]) -> Result<std::collections::HashMap<Uuid, AccessFacts>> {
                let mut out: std::collections::HashMap<Uuid, AccessFacts> = std::collections::HashMap::with_capacity(ids.len());
                for chunk in ids.chunks(500) {
                    // A row per current allocation, or one row with no worker.
                    let places: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
                    let sql = format!(
                        "SELECT p.id, p.kind, p.restricted, a.worker_id, w.team_id, \
                         EXISTS (SELECT 1 FROM cla_episode e WHERE e.child_id = p.id AND e.ended_on IS NULL) AS in_care, \
                         EXISTS (SELECT 1 FROM contact_child cc JOIN contact c ON c.id = cc.contact_id \
                                 WHERE cc.person_id = p.id AND c.decided_at IS NULL) AS open_contact \
                         FROM person p LEFT JOIN allocation a ON a.child_id = p.id AND a.to_date IS NULL \
                         LEFT JOIN worker w ON w.id = a.worker_id WHERE p.id IN ({})",
                        places.join(", ")
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for id in chunk {
                        q = q.bind(*id);
                    }
                    for r in q.fetch_all(&self.list_pool).await? {
                        let id: Uuid = r.try_get("id")?;
                        let worker: Option<Uuid> = r.try_get("worker_id")?;
                        let team: Option<Uuid> = r.try_get("team_id")?;
                        let facts = match out.entry(id) {
                            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                            std::collections::hash_map::Entry::Vacant(v) => v.insert(AccessFacts {
                                kind: parse_kind(&r.try_get::<String, _>("kind")?)?,
                                restricted: r.try_get("restricted")?,
                                allocated_workers: Vec::new(),
                                in_care: r.try_get("in_care")?,
                                allocated_teams: Vec::new(),
                                open_contact: r.try_get("open_contact")?,
                                auditors: Vec::new(),
                            }),
                        };
                        if let Some(w) = worker {
                            facts.allocated_workers.push(w);
                        }
                        if let Some(t) = team {
                            if !facts.allocated_teams.contains(&t) {
                                facts.allocated_teams.push(t);
                            }
                        }
                    }
                    // The auditors of programmes whose samples hold these children.
                    let sql = format!(
                        "SELECT DISTINCT s.child_id, a.user_id FROM audit_sample s \
                         JOIN audit_programme_auditor a ON a.programme_id = s.programme_id WHERE s.child_id IN ({})",
                        places.join(", ")
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for id in chunk {
                        q = q.bind(*id);
                    }
                    for r in q.fetch_all(&self.pool).await? {
                        let child: Uuid = r.try_get("child_id")?;
                        if let Some(f) = out.get_mut(&child) {
                            f.auditors.push(r.try_get("user_id")?);
                        }
                    }
                }
                Ok(out)
            }

            async fn count_people(&self) -> Result<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM person").fetch_one(&self.pool).await?)
            }

        }
    };
}
pub(crate) use sql;
