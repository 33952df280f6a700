//! The repository's SQL, written once and expanded for each backend: the helpers every
//! capability's SQL shares, and the expansion of each capability's SQL macro for SQLite and
//! PostgreSQL (at the bottom).
//!
//! Both schemas use the same table and column names; values bind with `$n` placeholders, which
//! SQLite and PostgreSQL both accept, and with types both drivers encode natively (UUID,
//! DATE/TEXT dates, timestamps, JSON).

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

/// A field a domain check names, as the `&'static str` a store refusal carries ("input" for one
/// no form shows).
pub(crate) fn field_name(name: &str) -> &'static str {
    match name {
        "comment" => "comment",
        "rating" => "rating",
        "risk_reason" => "risk_reason",
        "told" => "told",
        "how" => "how",
        "developmental_needs" => "developmental_needs",
        "parenting_capacity" => "parenting_capacity",
        "family_environment" => "family_environment",
        "child_views" => "child_views",
        "parents_views" => "parents_views",
        "analysis" => "analysis",
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
        "observation" => "observation",
        "ceased" => "ceased",
        "reason_ceased" => "reason_ceased",
        "matched" => "matched",
        "adopters" => "adopters",
        "adopters_sex" => "adopters_sex",
        "adopters_legal_status" => "adopters_legal_status",
        "foster_carers" => "foster_carers",
        "version" => "version",
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
        "participation" => "participation",
        "childs_views" => "childs_views",
        "recommendations" => "recommendations",
        "kind" => "kind",
        "done" => "done",
        "score" => "score",
        "sdq_reason" => "sdq_reason",
        "interview_offered" => "interview_offered",
        "interview_accepted" => "interview_accepted",
        "happened" => "happened",
        "intervention_received" => "intervention_received",
        "intervention_offered" => "intervention_offered",
        "name" => "name",
        "team_id" => "team_id",
        "role_title" => "role_title",
        "org_role" => "org_role",
        "fte" => "fte",
        "swe_number" => "swe_number",
        "asye_started" => "asye_started",
        "asye_ended" => "asye_ended",
        "moved_on" => "moved_on",
        "left" => "left",
        "first_day" => "first_day",
        "last_day" => "last_day",
        "working_days_lost" => "working_days_lost",
        "supervisor" => "supervisor",
        "held_on" => "held_on",
        "reflection" => "reflection",
        "worker_id" => "worker_id",
        "to" => "to",
        "from" => "from",
        "case_1" => "case_1",
        "case_2" => "case_2",
        "case_3" => "case_3",
        "case_4" => "case_4",
        "case_5" => "case_5",
        "decision_1" => "decision_1",
        "decision_2" => "decision_2",
        "decision_3" => "decision_3",
        "rationale_1" => "rationale_1",
        "rationale_2" => "rationale_2",
        "rationale_3" => "rationale_3",
        "cp_plan" => "cp_plan",
        "proceedings" => "proceedings",
        "sibling" => "sibling",
        "co_working" => "co_working",
        "asye_limit" => "asye_limit",
        "supervision_days" => "supervision_days",
        "asye_supervision_days" => "asye_supervision_days",
        "year" => "year",
        "vacancies" => "vacancies",
        _ => "input",
    }
}

const PERSON_COLUMNS: &str = "id, kind, given_name, family_name, date_of_birth, expected_date_of_birth, sex, \
    ethnicity, disabilities, council_child_id, nhs_number, upn, former_upn, uasc, restricted, version, created_at, updated_at";

pub(crate) fn person_select(where_clause: &'static str) -> String {
    format!("SELECT {PERSON_COLUMNS} FROM person {where_clause}")
}

/// The row types and helpers every capability's SQL shares, and the [`crate::Repository`]
/// implementation itself, for one backend.
macro_rules! common {
    ($store:ty, $db:ty, $backend:literal) => {
        type Row = <$db as sqlx::Database>::Row;
        type Conn = <$db as sqlx::Database>::Connection;
        #[allow(dead_code)]
        type Db = $db;

        use chrono::{DateTime, NaiveDate, Utc};
        use domain::access::*;
        use domain::person::*;
        use sqlx::Row as _;
        use sqlx::types::Json;
        use uuid::Uuid;
        use $crate::sql::{new_id, not_found, now, parse_action, parse_kind, parse_role, to_json};
        use $crate::*;

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

        /// Appends one audit entry on the transaction's connection (see [`append_audit`]).
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
            let row = $crate::audit_chain::AuditRow {
                at: now(),
                actor: actor.0,
                action: action.as_str().into(),
                entity_type: entity_type.into(),
                entity_id,
                person_id,
                before,
                after,
                detail: detail.into(),
            };
            append_audit(conn, std::slice::from_ref(&row)).await
        }

        /// The chain's head (its last `seq` and hash), locked until the transaction ends: a
        /// no-op update takes the row lock on PostgreSQL; SQLite's writer holds the database.
        pub(crate) async fn lock_chain_head(
            conn: &mut Conn,
            log: domain::access::AuditLog,
        ) -> Result<(i64, String), sqlx::Error> {
            let sql = format!(
                "UPDATE {} SET seq = seq WHERE id = 1 RETURNING seq, hash",
                $crate::access::chain_table(log)
            );
            let head = sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut *conn)
                .await?;
            Ok((head.try_get("seq")?, head.try_get("hash")?))
        }

        /// Appends entries to the audit log in order, extending the hash chain
        /// ([`crate::audit_chain`]): reads and locks the chain's head (`audit_chain`, one row),
        /// inserts the entries with their place and hashes (multi-row inserts), and moves the
        /// head, all on the caller's transaction. Change transactions append here (through
        /// [`audit`]); the access log's batches append the same way to the access log's table
        /// and chain ([`append_to_log`]); three statements per append, whatever its size.
        pub(crate) async fn append_audit(
            conn: &mut Conn,
            rows: &[$crate::audit_chain::AuditRow],
        ) -> Result<(), sqlx::Error> {
            append_to_log(conn, domain::access::AuditLog::Audit, rows).await
        }

        /// Appends entries to `log` (the audit log, or the access log's table and chain), as
        /// [`append_audit`] describes.
        pub(crate) async fn append_to_log(
            conn: &mut Conn,
            log: domain::access::AuditLog,
            rows: &[$crate::audit_chain::AuditRow],
        ) -> Result<(), sqlx::Error> {
            if rows.is_empty() {
                return Ok(());
            }
            let (mut seq, mut prev) = lock_chain_head(conn, log).await?;
            for chunk in rows.chunks($crate::access::MAX_BATCH) {
                let sql = $crate::access::audit_insert_sql(log, chunk.len());
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for r in chunk {
                    seq += 1;
                    let hash = $crate::audit_chain::entry_hash(seq, &prev, r);
                    q = q
                        .bind(r.at)
                        .bind(r.actor)
                        .bind(r.action.as_str())
                        .bind(r.entity_type.as_str())
                        .bind(r.entity_id)
                        .bind(r.person_id)
                        .bind(r.before.clone().map(Json))
                        .bind(r.after.clone().map(Json))
                        .bind(r.detail.as_str())
                        .bind(seq)
                        .bind(std::mem::replace(&mut prev, hash.clone()))
                        .bind(hash);
                }
                q.execute(&mut *conn).await?;
            }
            let sql = format!(
                "UPDATE {} SET seq = $1, hash = $2 WHERE id = 1",
                $crate::access::chain_table(log)
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(seq)
                .bind(&prev)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        async fn fetch_person(conn: &mut Conn, id: Uuid) -> Result<Person, StoreError> {
            let row = sqlx::query(sqlx::AssertSqlSafe($crate::sql::person_select(
                "WHERE id = $1",
            )))
            .bind(id)
            .fetch_one(&mut *conn)
            .await
            .map_err(not_found("person"))?;
            Ok(person_from_row(&row)?)
        }

        fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
            StoreError::Invalid {
                field,
                message: message.into(),
            }
        }

        /// Refuses what the domain's validation refuses, naming the first field at fault.
        fn refuse(errors: Vec<domain::validate::FieldError>) -> Result<(), StoreError> {
            match errors.into_iter().next() {
                None => Ok(()),
                Some(e) => Err(StoreError::Invalid {
                    field: $crate::sql::field_name(&e.field),
                    message: e.message,
                }),
            }
        }

        /// Times on the record are UK wall-clock times.
        fn local_now() -> chrono::NaiveDateTime {
            domain::calendar::uk_now()
        }

        #[async_trait::async_trait]
        impl Repository for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn backup(&self, path: &std::path::Path) -> Result<()> {
                self.backup_to(path).await
            }
        }
    };
}
pub(crate) use common;

/// Expands every capability's SQL for one backend, each in a module of its own that sees the
/// shared row types and helpers.
macro_rules! backend {
    ($store:ty, $db:ty, $backend:literal) => {
        $crate::sql::common!($store, $db, $backend);
        pub(crate) mod access {
            use super::*;
            $crate::access::sql!($store);
        }
        mod workforce {
            use super::*;
            $crate::workforce::sql!($store);
        }
        pub(crate) mod person {
            use super::*;
            $crate::person::sql!($store);
        }
        mod child_record {
            use super::*;
            $crate::child_record::sql!($store);
        }
        mod case_record {
            use super::*;
            $crate::case_record::sql!($store);
        }
        mod front_door {
            use super::*;
            $crate::front_door::sql!($store);
        }
        mod assessment {
            use super::*;
            $crate::assessment::sql!($store);
        }
        mod correction {
            use super::*;
            $crate::correction::sql!($store);
        }
        mod case_notes {
            use super::*;
            $crate::case_notes::sql!($store);
        }
        mod early_help {
            use super::*;
            $crate::early_help::sql!($store);
        }
        mod child_in_need {
            use super::*;
            $crate::child_in_need::sql!($store);
        }
        mod child_protection {
            use super::*;
            $crate::child_protection::sql!($store);
        }
        mod looked_after {
            use super::*;
            $crate::looked_after::sql!($store);
        }
        mod looked_after_reviews {
            use super::*;
            $crate::looked_after::reviews::sql!($store);
        }
        mod looked_after_care {
            use super::*;
            $crate::looked_after::care::sql!($store);
        }
        mod looked_after_adoption {
            use super::*;
            $crate::looked_after::adoption::sql!($store);
        }
        mod looked_after_plans {
            use super::*;
            $crate::looked_after::plans::sql!($store);
        }
        mod private_fostering {
            use super::*;
            $crate::private_fostering::sql!($store);
        }
        mod care_leavers {
            use super::*;
            $crate::care_leavers::sql!($store);
        }
        mod quality {
            use super::*;
            $crate::quality::sql!($store);
        }
        mod work {
            use super::*;
            $crate::work::sql!($store);
        }
        mod extract {
            use super::*;
            $crate::extract::sql!($store);
        }
        mod inspection {
            use super::*;
            $crate::inspection::sql!($store);
        }
        mod sso {
            use super::*;
            $crate::sso::sql!($store);
        }
        mod drafts {
            use super::*;
            $crate::drafts::sql!($store);
        }
        mod bulk {
            use super::*;
            $crate::bulk_sql::bulk_impl!($store, $db);
        }
    };
}
pub(crate) use backend;

pub(crate) mod sqlite_impl {
    crate::sql::backend!(crate::SqliteStore, sqlx::Sqlite, "sqlite");
}

pub(crate) mod postgres_impl {
    crate::sql::backend!(crate::PgStore, sqlx::Postgres, "postgres");
}
