//! The repository's SQL, written once and expanded for each backend. Both schemas use the same
//! table and column names; values bind with `$n` placeholders, which SQLite and PostgreSQL both
//! accept, and with types both drivers encode natively (UUID, DATE/TEXT dates, timestamps, JSON).

use chrono::Utc;
use domain::access::{AuditAction, Role};
use domain::person::PersonKind;
use serde_json::Value;
use uuid::Uuid;

use crate::StoreError;

pub(crate) fn bad_column(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unexpected value {value:?} in column {column}").into())
}

pub(crate) fn parse_role(s: &str) -> Result<Role, sqlx::Error> {
    Role::parse(s).ok_or_else(|| bad_column("role", s))
}

pub(crate) fn parse_kind(s: &str) -> Result<PersonKind, sqlx::Error> {
    PersonKind::parse(s).ok_or_else(|| bad_column("kind", s))
}

pub(crate) fn parse_action(s: &str) -> Result<AuditAction, sqlx::Error> {
    AuditAction::parse(s).ok_or_else(|| bad_column("action", s))
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("record types serialise to JSON")
}

pub(crate) fn new_id() -> Uuid {
    Uuid::now_v7()
}

pub(crate) fn now() -> chrono::DateTime<Utc> {
    // Microsecond precision: what PostgreSQL keeps, so both backends return the same value.
    let n = Utc::now();
    chrono::DateTime::from_timestamp_micros(n.timestamp_micros()).unwrap_or(n)
}

pub(crate) fn not_found(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| match e {
        sqlx::Error::RowNotFound => StoreError::NotFound(what),
        e => StoreError::Database(e),
    }
}

const PERSON_COLUMNS: &str = "id, kind, given_name, family_name, date_of_birth, expected_date_of_birth, sex, \
    ethnicity, disabilities, council_child_id, nhs_number, upn, former_upn, uasc, restricted, version, created_at, updated_at";

/// Columns of a person summary with the current allocation; `p` is person.
macro_rules! summary_select {
    () => {
        "SELECT p.id, p.kind, p.given_name, p.family_name, p.date_of_birth, p.expected_date_of_birth, \
         p.council_child_id, p.restricted, a.worker_id AS allocated_worker_id, w.name AS allocated_worker_name \
         FROM person p \
         LEFT JOIN allocation a ON a.child_id = p.id AND a.to_date IS NULL \
         LEFT JOIN worker w ON w.id = a.worker_id "
    };
}

pub(crate) fn person_select(where_clause: &'static str) -> String {
    format!("SELECT {PERSON_COLUMNS} FROM person {where_clause}")
}

/// Expands the [`crate::Repository`] implementation for one backend.
macro_rules! repository_impl {
    ($store:ty, $db:ty, $backend:literal) => {
        type Row = <$db as sqlx::Database>::Row;
        type Conn = <$db as sqlx::Database>::Connection;

        use sqlx::Row as _;
        use sqlx::types::Json;
        use $crate::sql::{new_id, not_found, now, parse_action, parse_kind, parse_role, to_json};
        use $crate::*;
        use domain::person::*;
        use chrono::{DateTime, NaiveDate, Utc};
        use uuid::Uuid;

        fn user_from_row(r: &Row) -> Result<User, sqlx::Error> {
            Ok(User {
                id: r.try_get("id")?,
                username: r.try_get("username")?,
                display_name: r.try_get("display_name")?,
                role: parse_role(&r.try_get::<String, _>("role")?)?,
                worker_id: r.try_get("worker_id")?,
                active: r.try_get("active")?,
            })
        }

        fn person_from_row(r: &Row) -> Result<Person, sqlx::Error> {
            let Json(disabilities): Json<Vec<String>> = r.try_get("disabilities")?;
            Ok(Person {
                id: r.try_get("id")?,
                details: PersonDetails {
                    kind: parse_kind(&r.try_get::<String, _>("kind")?)?,
                    given_name: r.try_get("given_name")?,
                    family_name: r.try_get("family_name")?,
                    date_of_birth: r.try_get("date_of_birth")?,
                    expected_date_of_birth: r.try_get("expected_date_of_birth")?,
                    sex: r.try_get("sex")?,
                    ethnicity: r.try_get("ethnicity")?,
                    disabilities,
                    identifiers: Identifiers {
                        council_child_id: r.try_get("council_child_id")?,
                        nhs_number: r.try_get("nhs_number")?,
                        upn: r.try_get("upn")?,
                        former_upn: r.try_get("former_upn")?,
                    },
                    uasc: r.try_get("uasc")?,
                    restricted: r.try_get("restricted")?,
                },
                version: r.try_get("version")?,
                created_at: r.try_get("created_at")?,
                updated_at: r.try_get("updated_at")?,
            })
        }

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

        fn worker_from_row(r: &Row) -> Result<Worker, sqlx::Error> {
            Ok(Worker {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                team_id: r.try_get("team_id")?,
                role_title: r.try_get("role_title")?,
                agency: r.try_get("agency")?,
                started: r.try_get("started")?,
                left: r.try_get("left_on")?,
            })
        }

        fn audit_from_row(r: &Row) -> Result<AuditEntry, sqlx::Error> {
            let before: Option<Json<serde_json::Value>> = r.try_get("before")?;
            let after: Option<Json<serde_json::Value>> = r.try_get("after")?;
            Ok(AuditEntry {
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                action: parse_action(&r.try_get::<String, _>("action")?)?,
                entity_type: r.try_get("entity_type")?,
                entity_id: r.try_get("entity_id")?,
                person_id: r.try_get("person_id")?,
                before: before.map(|j| j.0),
                after: after.map(|j| j.0),
                detail: r.try_get("detail")?,
            })
        }

        /// Appends one audit entry on the transaction's connection.
        #[allow(clippy::too_many_arguments)]
        async fn audit(
            conn: &mut Conn,
            actor: Actor,
            action: AuditAction,
            entity_type: &str,
            entity_id: Option<Uuid>,
            person_id: Option<Uuid>,
            before: Option<serde_json::Value>,
            after: Option<serde_json::Value>,
            detail: &str,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(
                "INSERT INTO audit_log (at, actor, action, entity_type, entity_id, person_id, before, after, detail) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(now())
            .bind(actor.0)
            .bind(action.as_str())
            .bind(entity_type)
            .bind(entity_id)
            .bind(person_id)
            .bind(before.map(Json))
            .bind(after.map(Json))
            .bind(detail)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        async fn fetch_person(conn: &mut Conn, id: Uuid) -> Result<Person, StoreError> {
            let row = sqlx::query(sqlx::AssertSqlSafe($crate::sql::person_select("WHERE id = $1")))
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .map_err(not_found("person"))?;
            Ok(person_from_row(&row)?)
        }

        /// The council child ID is unique among people; a clash is a field error, not a
        /// database error.
        async fn check_unique_child_id(conn: &mut Conn, details: &PersonDetails, except: Option<Uuid>) -> Result<(), StoreError> {
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

        #[async_trait::async_trait]
        impl Repository for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn create_user(&self, actor: Actor, u: NewUser) -> Result<User> {
                let mut tx = self.tx().await?;
                let exists: Option<Uuid> = sqlx::query_scalar("SELECT id FROM app_user WHERE username = $1")
                    .bind(&u.username)
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_some() {
                    return Err(StoreError::Invalid { field: "username", message: format!("User {} exists already", u.username) });
                }
                let user = User {
                    id: new_id(),
                    username: u.username,
                    display_name: u.display_name,
                    role: u.role,
                    worker_id: u.worker_id,
                    active: true,
                };
                sqlx::query(
                    "INSERT INTO app_user (id, username, display_name, role, worker_id, password_hash, active, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(user.id)
                .bind(&user.username)
                .bind(&user.display_name)
                .bind(user.role.as_str())
                .bind(user.worker_id)
                .bind(&u.password_hash)
                .bind(true)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                audit(&mut tx, actor, AuditAction::Create, "user", Some(user.id), None, None, Some(to_json(&user)), "user account created").await?;
                tx.commit().await?;
                Ok(user)
            }

            async fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>> {
                let row = sqlx::query("SELECT * FROM app_user WHERE username = $1")
                    .bind(username)
                    .fetch_optional(&self.pool)
                    .await?;
                match row {
                    Some(r) => Ok(Some((user_from_row(&r)?, r.try_get("password_hash")?))),
                    None => Ok(None),
                }
            }

            async fn get_user(&self, id: Uuid) -> Result<User> {
                let r = sqlx::query("SELECT * FROM app_user WHERE id = $1")
                    .bind(id)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(not_found("user"))?;
                Ok(user_from_row(&r)?)
            }

            async fn list_users(&self) -> Result<Vec<User>> {
                let rows = sqlx::query("SELECT * FROM app_user ORDER BY username").fetch_all(&self.pool).await?;
                Ok(rows.iter().map(user_from_row).collect::<Result<_, _>>()?)
            }

            async fn set_password(&self, actor: Actor, user_id: Uuid, password_hash: String) -> Result<()> {
                let mut tx = self.tx().await?;
                let n = sqlx::query("UPDATE app_user SET password_hash = $1 WHERE id = $2")
                    .bind(&password_hash)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err(StoreError::NotFound("user"));
                }
                sqlx::query("DELETE FROM session WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Update, "user", Some(user_id), None, None, None, "password changed; sessions ended").await?;
                tx.commit().await?;
                Ok(())
            }

            async fn create_session(&self, s: NewSession) -> Result<()> {
                sqlx::query("INSERT INTO session (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(&s.token_hash)
                    .bind(s.user_id)
                    .bind(&s.csrf_token)
                    .bind(now())
                    .bind(s.expires_at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn session_user(&self, token_hash: &str, at: DateTime<Utc>) -> Result<Option<SessionUser>> {
                let row = sqlx::query(
                    "SELECT u.*, s.csrf_token FROM session s JOIN app_user u ON u.id = s.user_id \
                     WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = $3",
                )
                .bind(token_hash)
                .bind(at)
                .bind(true)
                .fetch_optional(&self.pool)
                .await?;
                match row {
                    Some(r) => Ok(Some(SessionUser { user: user_from_row(&r)?, csrf_token: r.try_get("csrf_token")? })),
                    None => Ok(None),
                }
            }

            async fn delete_session(&self, token_hash: &str) -> Result<()> {
                sqlx::query("DELETE FROM session WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
                Ok(())
            }

            async fn create_team(&self, actor: Actor, name: &str) -> Result<Team> {
                let mut tx = self.tx().await?;
                let team = Team { id: new_id(), name: name.trim().to_string() };
                if team.name.is_empty() {
                    return Err(StoreError::Invalid { field: "name", message: "Enter the team's name".into() });
                }
                sqlx::query("INSERT INTO team (id, name, created_at) VALUES ($1, $2, $3)")
                    .bind(team.id)
                    .bind(&team.name)
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                audit(&mut tx, actor, AuditAction::Create, "team", Some(team.id), None, None, Some(to_json(&team)), "team created").await?;
                tx.commit().await?;
                Ok(team)
            }

            async fn list_teams(&self) -> Result<Vec<Team>> {
                let rows = sqlx::query("SELECT id, name FROM team ORDER BY name").fetch_all(&self.pool).await?;
                Ok(rows
                    .iter()
                    .map(|r| Ok(Team { id: r.try_get("id")?, name: r.try_get("name")? }))
                    .collect::<Result<_, sqlx::Error>>()?)
            }

            async fn create_worker(&self, actor: Actor, w: NewWorker) -> Result<Worker> {
                let mut tx = self.tx().await?;
                let worker = Worker {
                    id: new_id(),
                    name: w.name,
                    team_id: w.team_id,
                    role_title: w.role_title,
                    agency: w.agency,
                    started: w.started,
                    left: None,
                };
                sqlx::query(
                    "INSERT INTO worker (id, name, team_id, role_title, agency, started, left_on, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(worker.id)
                .bind(&worker.name)
                .bind(worker.team_id)
                .bind(&worker.role_title)
                .bind(worker.agency)
                .bind(worker.started)
                .bind(worker.left)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                audit(&mut tx, actor, AuditAction::Create, "worker", Some(worker.id), None, None, Some(to_json(&worker)), "worker added").await?;
                tx.commit().await?;
                Ok(worker)
            }

            async fn list_workers(&self) -> Result<Vec<Worker>> {
                let rows = sqlx::query("SELECT * FROM worker ORDER BY name").fetch_all(&self.pool).await?;
                Ok(rows.iter().map(worker_from_row).collect::<Result<_, _>>()?)
            }

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
                let current = sqlx::query("SELECT id, worker_id, from_date FROM allocation WHERE child_id = $1 AND to_date IS NULL")
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
                let rows = sqlx::query(concat!(
                    summary_select!(),
                    "WHERE ($1 IS NULL OR lower(p.given_name) LIKE $1 OR lower(p.family_name) LIKE $1 \
                       OR lower(p.given_name || ' ' || p.family_name) LIKE $1 \
                       OR upper(p.council_child_id) = $2 OR p.nhs_number = $2 OR p.upn = $2 OR p.former_upn = $2) \
                     AND ($3 IS NULL OR p.date_of_birth = $3 OR p.expected_date_of_birth = $3) \
                     AND ($4 IS NULL OR p.kind = $4) \
                     ORDER BY p.family_name, p.given_name, p.id LIMIT $5"
                ))
                .bind(pattern)
                .bind(ident)
                .bind(q.date_of_birth)
                .bind(q.kind.map(|k| k.as_str()))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.iter().map(summary_from_row).collect::<Result<_, _>>()?)
            }

            async fn access_facts(&self, id: Uuid) -> Result<AccessFacts> {
                let row = sqlx::query("SELECT kind, restricted FROM person WHERE id = $1")
                    .bind(id)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(not_found("person"))?;
                let allocated_workers: Vec<Uuid> = sqlx::query_scalar("SELECT worker_id FROM allocation WHERE child_id = $1 AND to_date IS NULL")
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(AccessFacts {
                    kind: parse_kind(&row.try_get::<String, _>("kind")?)?,
                    restricted: row.try_get("restricted")?,
                    allocated_workers,
                })
            }

            async fn view_child_record(&self, actor: Actor, id: Uuid, purpose: &str) -> Result<ChildRecord> {
                let mut tx = self.tx().await?;
                let person = fetch_person(&mut tx, id).await?;
                let addresses = sqlx::query("SELECT * FROM address WHERE person_id = $1 ORDER BY from_date DESC, created_at DESC")
                    .bind(id)
                    .fetch_all(&mut *tx)
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
                    .fetch_all(&mut *tx)
                    .await?;
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
                    let o = sqlx::query(concat!(summary_select!(), "WHERE p.id = $1"))
                        .bind(other_id)
                        .fetch_one(&mut *tx)
                        .await?;
                    relationships.push(RelatedPerson { relationship: rel, other: summary_from_row(&o)?, other_is_subject });
                }
                let allocations = sqlx::query(
                    "SELECT a.*, w.name AS worker_name, t.name AS team_name FROM allocation a \
                     JOIN worker w ON w.id = a.worker_id LEFT JOIN team t ON t.id = w.team_id \
                     WHERE a.child_id = $1 ORDER BY a.from_date DESC",
                )
                .bind(id)
                .fetch_all(&mut *tx)
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
                let corrections = sqlx::query(
                    "SELECT l.*, u.display_name FROM audit_log l LEFT JOIN app_user u ON u.id = l.actor \
                     WHERE l.person_id = $1 AND l.entity_type = 'person' AND l.action IN ('create', 'update') ORDER BY l.id",
                )
                .bind(id)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| Ok((audit_from_row(r)?, r.try_get::<Option<String>, _>("display_name")?)))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let (front_door, assessments, notes) = load_child_journey(&mut tx, id).await?;
                let (early_help, cin_plans, child_protection) = load_casework(&mut tx, id).await?;
                let looked_after = {
                    use domain::looked_after::*;
                    let episodes = sqlx::query("SELECT * FROM cla_episode WHERE child_id = $1 ORDER BY started_on, created_at")
                        .bind(id).fetch_all(&mut *tx).await?.iter()
                        .map(|r| Ok(Episode {
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
                        }))
                        .collect::<Result<Vec<_>, sqlx::Error>>()?;
                    let reviews = sqlx::query("SELECT * FROM cla_review WHERE child_id = $1 ORDER BY held_on")
                        .bind(id).fetch_all(&mut *tx).await?.iter()
                        .map(|r| Ok(Review { id: r.try_get("id")?, child_id: r.try_get("child_id")?, held_on: r.try_get("held_on")?, participation: r.try_get("participation")? }))
                        .collect::<Result<Vec<_>, sqlx::Error>>()?;
                    let missing = sqlx::query("SELECT * FROM cla_missing WHERE child_id = $1 ORDER BY started_on")
                        .bind(id).fetch_all(&mut *tx).await?.iter()
                        .map(|r| Ok(Missing { id: r.try_get("id")?, child_id: r.try_get("child_id")?, started_on: r.try_get("started_on")?, ended_on: r.try_get("ended_on")?, kind: r.try_get("kind")? }))
                        .collect::<Result<Vec<_>, sqlx::Error>>()?;
                    let peps = sqlx::query("SELECT * FROM pep_review WHERE child_id = $1 ORDER BY reviewed_on")
                        .bind(id).fetch_all(&mut *tx).await?.iter()
                        .map(|r| Ok(Pep { id: r.try_get("id")?, child_id: r.try_get("child_id")?, reviewed_on: r.try_get("reviewed_on")? }))
                        .collect::<Result<Vec<_>, sqlx::Error>>()?;
                    LookedAfter { episodes, reviews, missing, peps }
                };
                let mut chronology = $crate::chronology::build(&person, &addresses, &relationships, &allocations, &corrections);
                $crate::chronology::add_journey(&mut chronology, id, &front_door, &assessments, &notes);
                $crate::chronology::add_casework(&mut chronology, &early_help, &cin_plans, &child_protection);
                $crate::chronology::add_looked_after(&mut chronology, &looked_after);
                let private_fostering = load_private_fostering(&mut tx, id).await?;
                $crate::private_fostering::add_to_chronology(&mut chronology, &private_fostering);
                audit(&mut tx, actor, AuditAction::View, "person", Some(id), Some(id), None, None, purpose).await?;
                tx.commit().await?;
                Ok(ChildRecord { person, addresses, relationships, allocations, front_door, assessments, notes, early_help, cin_plans, child_protection, looked_after, private_fostering, chronology })
            }

            async fn count_people(&self) -> Result<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM person").fetch_one(&self.pool).await?)
            }

            async fn record_event(&self, actor: Actor, action: AuditAction, person_id: Option<Uuid>, detail: &str) -> Result<()> {
                let mut conn = self.pool.acquire().await?;
                audit(&mut conn, actor, action, "event", None, person_id, None, None, detail).await?;
                Ok(())
            }

            async fn audit_entries(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
                let limit = i64::from(if q.limit == 0 { 100 } else { q.limit.min(10_000) });
                let rows = sqlx::query(
                    "SELECT * FROM audit_log WHERE ($1 IS NULL OR person_id = $1) AND ($2 IS NULL OR actor = $2) \
                     AND ($3 IS NULL OR action = $3) ORDER BY id DESC LIMIT $4",
                )
                .bind(q.person_id)
                .bind(q.actor)
                .bind(q.action.map(|a| a.as_str()))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.iter().map(audit_from_row).collect::<Result<_, _>>()?)
            }

            async fn extract(&self) -> Result<domain::extract::RecordExtract> {
                use domain::extract::*;
                let mut conn = self.pool.acquire().await?;
                let mut children: std::collections::HashMap<Uuid, Vec<Uuid>> = std::collections::HashMap::new();
                for r in sqlx::query("SELECT contact_id, person_id FROM contact_child").fetch_all(&mut *conn).await? {
                    children.entry(r.try_get("contact_id")?).or_default().push(r.try_get("person_id")?);
                }
                let contacts = sqlx::query("SELECT id, received_at, decision_due, decided_at, outcome FROM contact")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| {
                        let id: Uuid = r.try_get("id")?;
                        Ok(ContactRow {
                            id,
                            children: children.remove(&id).unwrap_or_default(),
                            received_at: r.try_get("received_at")?,
                            decision_due: r.try_get("decision_due")?,
                            decided_at: r.try_get("decided_at")?,
                            outcome: r.try_get("outcome")?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let early_help_starts = sqlx::query("SELECT child_id, started_on FROM early_help")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("child_id")?, r.try_get("started_on")?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let referrals = sqlx::query(
                    "SELECT r.id, r.child_id, r.referral_date, r.closed_on, r.closure_reason, \
                     NOT EXISTS (SELECT 1 FROM assessment a WHERE a.referral_id = r.id) AS no_assessment FROM referral r",
                )
                .fetch_all(&mut *conn).await?.iter()
                .map(|r| Ok(ReferralRow {
                    id: r.try_get("id")?,
                    child: r.try_get("child_id")?,
                    date: r.try_get("referral_date")?,
                    closed_on: r.try_get("closed_on")?,
                    closure_reason: r.try_get("closure_reason")?,
                    no_assessment: r.try_get("no_assessment")?,
                }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let assessments = sqlx::query("SELECT child_id, started_on, authorised_on FROM assessment")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(AssessmentRow { child: r.try_get("child_id")?, started: r.try_get("started_on")?, authorised: r.try_get("authorised_on")? }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let s47s = sqlx::query(
                    "SELECT s.child_id, s.started_on, (SELECT MIN(c.held_on) FROM conference c WHERE c.s47_id = s.id) AS icpc FROM s47 s",
                )
                .fetch_all(&mut *conn).await?.iter()
                .map(|r| Ok(S47Row { child: r.try_get("child_id")?, started: r.try_get("started_on")?, icpc: r.try_get("icpc")? }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let mut reviews: std::collections::HashMap<Uuid, Vec<NaiveDate>> = std::collections::HashMap::new();
                for r in sqlx::query("SELECT plan_id, held_on FROM conference WHERE kind = 'review' AND plan_id IS NOT NULL ORDER BY held_on").fetch_all(&mut *conn).await? {
                    reviews.entry(r.try_get("plan_id")?).or_default().push(r.try_get("held_on")?);
                }
                let cp_plans = sqlx::query("SELECT id, child_id, started_on, ended_on, initial_category, repeat_plan FROM cp_plan")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| {
                        let id: Uuid = r.try_get("id")?;
                        Ok(CpPlanRow {
                            child: r.try_get("child_id")?,
                            started: r.try_get("started_on")?,
                            ended: r.try_get("ended_on")?,
                            initial_category: r.try_get("initial_category")?,
                            repeat: r.try_get("repeat_plan")?,
                            reviews: reviews.remove(&id).unwrap_or_default(),
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let visits_seen = sqlx::query("SELECT child_id, note_date, seen_alone FROM note WHERE kind = 'visit' AND child_seen = $1")
                    .bind(true)
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("child_id")?, r.try_get("note_date")?, r.try_get::<Option<bool>, _>("seen_alone")?.unwrap_or(false))))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let workers = sqlx::query("SELECT id, role_title, agency, started, left_on FROM worker")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(WorkerRow { id: r.try_get("id")?, role_title: r.try_get("role_title")?, agency: r.try_get("agency")?, started: r.try_get("started")?, left: r.try_get("left_on")? }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let allocations = sqlx::query("SELECT child_id, worker_id, from_date, to_date FROM allocation")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("child_id")?, r.try_get("worker_id")?, r.try_get("from_date")?, r.try_get("to_date")?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let dobs = sqlx::query("SELECT id, date_of_birth FROM person WHERE kind = 'child' AND date_of_birth IS NOT NULL")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("id")?, r.try_get("date_of_birth")?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let cla_episodes = sqlx::query("SELECT child_id, started_on, ended_on, reason_new, legal_status, placement, reason_ceased FROM cla_episode")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(ClaEpisodeRow {
                        child: r.try_get("child_id")?,
                        started: r.try_get("started_on")?,
                        ended: r.try_get("ended_on")?,
                        reason_new: r.try_get("reason_new")?,
                        legal_status: r.try_get("legal_status")?,
                        placement: r.try_get("placement")?,
                        reason_ceased: r.try_get("reason_ceased")?,
                    }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let cla_missing = sqlx::query("SELECT child_id, started_on FROM cla_missing")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("child_id")?, r.try_get("started_on")?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let cla_health = sqlx::query("SELECT child_id, year, health_assessment, dental_check, immunisations, sdq_score FROM cla_health")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(HealthRow {
                        child: r.try_get("child_id")?,
                        year: r.try_get::<i32, _>("year")?,
                        health_assessment: r.try_get::<Option<NaiveDate>, _>("health_assessment")?.is_some(),
                        dental_check: r.try_get::<Option<NaiveDate>, _>("dental_check")?.is_some(),
                        immunisations: r.try_get("immunisations")?,
                        sdq_score: r.try_get::<Option<i32>, _>("sdq_score")?,
                    }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let care_leavers = sqlx::query("SELECT child_id, year, activity, accommodation FROM care_leaver_year")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(LeaverRow {
                        child: r.try_get("child_id")?,
                        year: r.try_get::<i32, _>("year")?,
                        activity: r.try_get("activity")?,
                        accommodation: r.try_get("accommodation")?,
                    }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let peps = sqlx::query("SELECT child_id, reviewed_on FROM pep_review")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("child_id")?, r.try_get("reviewed_on")?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                Ok(RecordExtract {
                    contacts, early_help_starts, referrals, assessments, s47s, cp_plans, visits_seen, workers, allocations,
                    dobs, cla_episodes, cla_missing, cla_health, care_leavers, peps,
                    private_fostering: pf_extract(&mut conn).await?,
                })
            }

            async fn backup(&self, path: &std::path::Path) -> Result<()> {
                self.backup_to(path).await
            }
        }
    };
}
pub(crate) use repository_impl;

mod sqlite_impl {
    crate::sql::repository_impl!(crate::SqliteStore, sqlx::Sqlite, "sqlite");
    crate::journey_sql::journey_impl!(crate::SqliteStore);
    crate::casework_sql::casework_impl!(crate::SqliteStore);
    crate::pf_sql::pf_impl!(crate::SqliteStore);
    crate::bulk_sql::bulk_impl!(crate::SqliteStore, sqlx::Sqlite);
}

mod postgres_impl {
    crate::sql::repository_impl!(crate::PgStore, sqlx::Postgres, "postgres");
    crate::journey_sql::journey_impl!(crate::PgStore);
    crate::casework_sql::casework_impl!(crate::PgStore);
    crate::pf_sql::pf_impl!(crate::PgStore);
    crate::bulk_sql::bulk_impl!(crate::PgStore, sqlx::Postgres);
}
