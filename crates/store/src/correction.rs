//! The one correction path for case records: amend with a reason, or mark entered in error with
//! a reason; the earlier version stays visible. Every kind of correctable record is a
//! declaration ([`Correctable`]: its table and the columns behind its fields), tied to the
//! domain's record type by [`Correct`]; the SQL here serves them all alike:
//!
//! - an amendment checks the version the page was showing, keeps the record as it was in
//!   `record_correction`, updates the row in place and writes the audit entry, in one
//!   transaction;
//! - entered in error sets the row's `entered_in_error_at` (reads for returns, indicators and
//!   work due leave such rows out) and keeps the record as it was, with the reason, likewise.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::correction::{Correction, CorrectionKind, NewCorrection};
use domain::validate::FieldError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

use crate::{Actor, Result, StoreError};

/// How a field's value is kept in its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Text,
    OptText,
    Date,
    OptDate,
    Bool,
    OptBool,
    Int,
    /// A list of codes, kept comma-separated in a text column.
    Codes,
}

/// One field of a correctable record: its name in the record's JSON, its column, its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub column: &'static str,
    pub col: Col,
}

/// A field whose JSON name is its column's.
pub const fn field(name: &'static str, col: Col) -> Field {
    Field {
        name,
        column: name,
        col,
    }
}

/// A field kept in a column of another name.
pub const fn column(name: &'static str, column: &'static str, col: Col) -> Field {
    Field { name, column, col }
}

/// A kind of record that can be corrected: where it is kept and what an amendment may change.
#[derive(Debug, PartialEq, Eq)]
pub struct Correctable {
    /// Its name in `record_correction.record_kind` and the audit log (its table's name).
    pub kind: &'static str,
    pub table: &'static str,
    /// The column the record's id is kept in (`id`; a one-per-child record's is `child_id`).
    pub id_column: &'static str,
    /// What it is called on the page ("visit or note").
    pub label: &'static str,
    /// Its fields as the domain's record names them, every one of them.
    pub fields: &'static [Field],
    /// Fields an amendment may not change (what the record is: a visit stays a visit).
    pub fixed: &'static [&'static str],
    /// Whether it may be marked entered in error. Not a record the schema keeps one of (one
    /// per child, one per decision): once entered in error it could not be recorded again,
    /// so it is amended only.
    pub may_enter_in_error: bool,
}

/// What the domain's checks of an amended record may need of the child's record, read in the
/// amendment's transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildFacts {
    pub today: NaiveDate,
    pub date_of_birth: Option<NaiveDate>,
    /// The start of the child's current or latest period of care.
    pub entered_care: Option<NaiveDate>,
    /// Whether the child is recorded as an unaccompanied asylum-seeking child.
    pub uasc: bool,
    /// When they left care: the end of their last episode, none being open.
    pub left_care: Option<NaiveDate>,
}

/// A domain record that can be corrected, as declared.
pub trait Correct: Serialize + DeserializeOwned + Send + Sync + 'static {
    const RECORD: &'static Correctable;
    /// The domain's checks of the amended record, as when it is recorded.
    fn validate(&self, facts: &ChildFacts) -> Vec<FieldError>;
}

/// The domain's checks of an amended record, given as its JSON.
pub type Check = fn(&Value, &ChildFacts) -> Vec<FieldError>;

fn check_json<R: Correct>(v: &Value, facts: &ChildFacts) -> Vec<FieldError> {
    match serde_json::from_value::<R>(v.clone()) {
        Ok(r) => r.validate(facts),
        Err(e) => vec![FieldError::new(
            "input",
            format!("The record could not be read: {e}"),
        )],
    }
}

/// A correctable record as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct Current {
    pub child_id: Uuid,
    pub version: i64,
    pub entered_in_error: bool,
    /// Its fields, as the domain's record reads them.
    pub record: Value,
}

#[async_trait]
pub trait Corrections: Send + Sync {
    /// A correctable record as it is now (not found if there is none).
    async fn correctable(&self, of: &'static Correctable, id: Uuid) -> Result<Current>;
    /// Corrects a record: amended to `amended` (the whole of its new fields, with the domain's
    /// checks of them), or marked entered in error when `amended` is None. Refused if the record
    /// is at another version than `version` (someone else corrected it) or was already entered
    /// in error.
    async fn correct_record(
        &self,
        actor: Actor,
        of: &'static Correctable,
        id: Uuid,
        version: i64,
        correction: NewCorrection,
        amended: Option<(Value, Check)>,
    ) -> Result<Correction>;
}

/// Every kind of record that can be corrected: a new kind is declared beside its capability's
/// SQL and listed here.
pub static KINDS: &[&Correctable] = &[
    &crate::case_notes::NOTE,
    &crate::looked_after::reviews::OC2_EVENT,
    &crate::looked_after::adoption::ADOPTION_DECISION,
    &crate::looked_after::adoption::ADOPTION_MATCH,
    &crate::looked_after::care::UASC_END,
    &crate::care_leavers::KEEPING_IN_TOUCH,
    &crate::care_leavers::LEAVING_CARE_STATUS,
    &crate::care_leavers::NEEDS_ASSESSMENT,
    &crate::care_leavers::SUPPORT_REQUEST,
];

/// The declaration of a kind of record, by its name.
pub fn kind(name: &str) -> Option<&'static Correctable> {
    KINDS.iter().copied().find(|k| k.kind == name)
}

/// What a kind of record is called on the page ("visit or note"; "record" if unknown).
pub fn label_of(name: &str) -> &'static str {
    kind(name).map_or("record", |k| k.label)
}

pub(crate) fn refuse_first(errors: Vec<FieldError>, of: &Correctable) -> Result<()> {
    match errors.into_iter().next() {
        None => Ok(()),
        Some(e) => Err(StoreError::Invalid {
            field: static_field(&e.field, of),
            message: e.message,
        }),
    }
}

/// The field an error names, as one the record declares (or the reason, or "input").
fn static_field(name: &str, of: &Correctable) -> &'static str {
    if name == "reason" {
        return "reason";
    }
    of.fields
        .iter()
        .map(|f| f.name)
        .find(|n| *n == name)
        .unwrap_or_else(|| crate::sql::field_name(name))
}

/// Amends a record to `record`, with the reason, checked by the domain first.
pub async fn amend<R: Correct, S: Corrections + ?Sized>(
    store: &S,
    actor: Actor,
    id: Uuid,
    version: i64,
    record: &R,
    reason: &str,
) -> Result<Correction> {
    let correction = NewCorrection {
        kind: CorrectionKind::Amended,
        reason: reason.to_string(),
    };
    refuse_first(correction.validate(), R::RECORD)?;
    let amended = serde_json::to_value(record).expect("records serialise to JSON");
    store
        .correct_record(
            actor,
            R::RECORD,
            id,
            version,
            correction,
            Some((amended, check_json::<R>)),
        )
        .await
}

/// Marks a record entered in error, with the reason.
pub async fn enter_in_error<R: Correct, S: Corrections + ?Sized>(
    store: &S,
    actor: Actor,
    id: Uuid,
    version: i64,
    reason: &str,
) -> Result<Correction> {
    let correction = NewCorrection {
        kind: CorrectionKind::EnteredInError,
        reason: reason.to_string(),
    };
    refuse_first(correction.validate(), R::RECORD)?;
    store
        .correct_record(actor, R::RECORD, id, version, correction, None)
        .await
}

/// A correctable record as it is now, read as its domain type.
pub async fn current<R: Correct, S: Corrections + ?Sized>(
    store: &S,
    id: Uuid,
) -> Result<(Current, R)> {
    let c = store.correctable(R::RECORD, id).await?;
    let r = serde_json::from_value(c.record.clone()).map_err(|e| {
        StoreError::Unsupported(format!("the {} could not be read: {e}", R::RECORD.label))
    })?;
    Ok((c, r))
}

pub(crate) fn select_sql(of: &Correctable) -> String {
    let cols: Vec<&str> = of.fields.iter().map(|f| f.column).collect();
    format!(
        "SELECT child_id, version, entered_in_error_at IS NOT NULL AS in_error, {} FROM {} WHERE {} = $1",
        cols.join(", "),
        of.table,
        of.id_column
    )
}

pub(crate) fn update_sql(of: &Correctable) -> String {
    let n = of.fields.len();
    let sets: Vec<String> = of
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| format!("{} = ${}", f.column, i + 1))
        .collect();
    format!(
        "UPDATE {} SET {}, version = version + 1 WHERE {} = ${} AND version = ${} AND entered_in_error_at IS NULL",
        of.table,
        sets.join(", "),
        of.id_column,
        n + 1,
        n + 2
    )
}

pub(crate) fn in_error_sql(of: &Correctable) -> String {
    format!(
        "UPDATE {} SET entered_in_error_at = $1, version = version + 1 WHERE {} = $2 AND version = $3 AND entered_in_error_at IS NULL",
        of.table, of.id_column
    )
}

/// Why an amendment's JSON does not fit the record.
pub(crate) fn bad_value(f: &Field) -> StoreError {
    StoreError::Invalid {
        field: f.name,
        message: format!("The {} is not a valid value", f.name.replace('_', " ")),
    }
}

/// The amendment may not change what the record is.
pub(crate) fn check_fixed(of: &Correctable, before: &Value, after: &Value) -> Result<()> {
    for name in of.fixed {
        if before.get(name) != after.get(name) {
            return Err(StoreError::Invalid {
                field: static_field(name, of),
                message: format!(
                    "The {} cannot be amended: mark this {} entered in error and record it again",
                    name.replace('_', " "),
                    of.label
                ),
            });
        }
    }
    Ok(())
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!`.
macro_rules! sql {
    ($store:ty) => {
        use domain::correction::*;
        use serde_json::Value;
        use $crate::correction::{Col, Correctable, Corrections as CorrectionsRepository, Current};

        fn column_json(r: &Row, f: &$crate::correction::Field) -> Result<Value, sqlx::Error> {
            let c = f.column;
            Ok(match f.col {
                Col::Text => Value::from(r.try_get::<String, _>(c)?),
                Col::OptText => to_json(&r.try_get::<Option<String>, _>(c)?),
                Col::Date => to_json(&r.try_get::<NaiveDate, _>(c)?),
                Col::OptDate => to_json(&r.try_get::<Option<NaiveDate>, _>(c)?),
                Col::Bool => Value::from(r.try_get::<bool, _>(c)?),
                Col::OptBool => to_json(&r.try_get::<Option<bool>, _>(c)?),
                Col::Int => Value::from(r.try_get::<i32, _>(c)?),
                Col::Codes => Value::from(
                    r.try_get::<String, _>(c)?.split(',').filter(|x| !x.is_empty()).collect::<Vec<_>>(),
                ),
            })
        }

        async fn load_current(conn: &mut Conn, of: &'static Correctable, id: Uuid) -> Result<Current, StoreError> {
            let r = sqlx::query(sqlx::AssertSqlSafe($crate::correction::select_sql(of)))
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or(StoreError::NotFound("record"))?;
            let mut record = serde_json::Map::new();
            for f in of.fields {
                record.insert(f.name.to_string(), column_json(&r, f)?);
            }
            Ok(Current {
                child_id: r.try_get("child_id")?,
                version: r.try_get("version")?,
                entered_in_error: r.try_get("in_error")?,
                record: Value::Object(record),
            })
        }

        fn correction_from_row(r: &Row) -> Result<Correction, sqlx::Error> {
            let kind: String = r.try_get("kind")?;
            let previous: String = r.try_get("previous")?;
            Ok(Correction {
                id: r.try_get("id")?,
                record_kind: r.try_get("record_kind")?,
                record_id: r.try_get("record_id")?,
                child_id: r.try_get("child_id")?,
                kind: CorrectionKind::parse(&kind).ok_or_else(|| $crate::sql::bad_column("kind", &kind))?,
                reason: r.try_get("reason")?,
                by: r.try_get("by_name")?,
                at: r.try_get("corrected_at")?,
                previous: serde_json::from_str(&previous).map_err(|e| sqlx::Error::Decode(e.into()))?,
            })
        }

        const CORRECTION_SELECT: &str = "SELECT c.*, u.display_name AS by_name FROM record_correction c LEFT JOIN app_user u ON u.id = c.corrected_by";

        /// The records of a kind marked entered in error (for reads that leave them out).
        #[allow(dead_code)]
        pub(super) async fn in_error_ids(conn: &mut Conn, of: &'static Correctable) -> Result<std::collections::HashSet<Uuid>, StoreError> {
            Ok(sqlx::query_scalar::<_, Uuid>(sqlx::AssertSqlSafe(format!(
                "SELECT {} FROM {} WHERE entered_in_error_at IS NOT NULL", of.id_column, of.table
            )))
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect())
        }

        /// Every correction on a child's record, oldest first (read in the caller's transaction).
        pub(super) async fn load_for_child(conn: &mut Conn, child_id: Uuid) -> Result<Vec<Correction>, StoreError> {
            Ok(sqlx::query(sqlx::AssertSqlSafe(format!("{CORRECTION_SELECT} WHERE c.child_id = $1 ORDER BY c.corrected_at, c.id")))
                .bind(child_id)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(correction_from_row)
                .collect::<Result<Vec<_>, _>>()?)
        }

        #[async_trait::async_trait]
        impl CorrectionsRepository for $store {
            async fn correctable(&self, of: &'static Correctable, id: Uuid) -> Result<Current> {
                let mut conn = self.pool.acquire().await?;
                load_current(&mut conn, of, id).await
            }

            async fn correct_record(
                &self,
                actor: Actor,
                of: &'static Correctable,
                id: Uuid,
                version: i64,
                correction: NewCorrection,
                amended: Option<(Value, $crate::correction::Check)>,
            ) -> Result<Correction> {
                refuse(correction.validate())?;
                let mut tx = self.tx().await?;
                if amended.is_none() && !of.may_enter_in_error {
                    return Err(invalid("reason", format!("A {} cannot be marked entered in error: amend it instead", of.label)));
                }
                let before = load_current(&mut tx, of, id).await?;
                if before.entered_in_error {
                    return Err(invalid("reason", format!("This {} was already marked as entered in error", of.label)));
                }
                if before.version != version {
                    return Err(StoreError::Conflict { expected: version, actual: before.version });
                }
                let at = now();
                let changed = match &amended {
                    Some((after, check)) => {
                        $crate::correction::check_fixed(of, &before.record, after)?;
                        let person = fetch_person(&mut tx, before.child_id).await?;
                        let entered_care: Option<NaiveDate> = sqlx::query_scalar("SELECT MAX(started_on) FROM cla_period WHERE child_id = $1")
                            .bind(before.child_id)
                            .fetch_one(&mut *tx)
                            .await?;
                        let left = sqlx::query(
                            "SELECT MAX(ended_on) AS left_on, SUM(CASE WHEN ended_on IS NULL THEN 1 ELSE 0 END) AS open FROM cla_episode WHERE child_id = $1",
                        )
                        .bind(before.child_id).fetch_one(&mut *tx).await?;
                        let open: Option<i64> = left.try_get("open")?;
                        let facts = $crate::correction::ChildFacts {
                            today: local_now().date(),
                            date_of_birth: person.details.date_of_birth,
                            entered_care,
                            uasc: person.details.uasc,
                            left_care: if open.unwrap_or(0) > 0 { None } else { left.try_get("left_on")? },
                        };
                        $crate::correction::refuse_first(check(after, &facts), of)?;
                        let mut q = sqlx::query(sqlx::AssertSqlSafe($crate::correction::update_sql(of)));
                        for f in of.fields {
                            let v = after.get(f.name).unwrap_or(&Value::Null);
                            let text = || v.as_str().map(|s| s.trim().to_string());
                            let date = || -> Result<Option<NaiveDate>, StoreError> {
                                match v {
                                    Value::Null => Ok(None),
                                    v => serde_json::from_value(v.clone()).map(Some).map_err(|_| $crate::correction::bad_value(f)),
                                }
                            };
                            q = match f.col {
                                Col::Text => q.bind(text().ok_or_else(|| $crate::correction::bad_value(f))?),
                                Col::OptText => q.bind(text()),
                                Col::Date => q.bind(date()?.ok_or_else(|| $crate::correction::bad_value(f))?),
                                Col::OptDate => q.bind(date()?),
                                Col::Bool => q.bind(v.as_bool().ok_or_else(|| $crate::correction::bad_value(f))?),
                                Col::OptBool => q.bind(v.as_bool()),
                                Col::Int => q.bind(v.as_i64().and_then(|i| i32::try_from(i).ok()).ok_or_else(|| $crate::correction::bad_value(f))?),
                                Col::Codes => q.bind(
                                    v.as_array()
                                        .ok_or_else(|| $crate::correction::bad_value(f))?
                                        .iter()
                                        .map(|c| c.as_str().map(str::trim).ok_or_else(|| $crate::correction::bad_value(f)))
                                        .collect::<Result<Vec<_>, _>>()?
                                        .join(","),
                                ),
                            };
                        }
                        q.bind(id).bind(version).execute(&mut *tx).await?.rows_affected()
                    }
                    None => sqlx::query(sqlx::AssertSqlSafe($crate::correction::in_error_sql(of)))
                        .bind(at)
                        .bind(id)
                        .bind(version)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected(),
                };
                if changed != 1 {
                    // Another correction committed between the read and the update.
                    return Err(StoreError::Conflict { expected: version, actual: version + 1 });
                }
                let after = load_current(&mut tx, of, id).await?;
                let correction_id = new_id();
                sqlx::query(
                    "INSERT INTO record_correction (id, record_kind, record_id, child_id, kind, reason, previous, corrected_by, corrected_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(correction_id)
                .bind(of.kind)
                .bind(id)
                .bind(before.child_id)
                .bind(correction.kind.as_str())
                .bind(correction.reason.trim())
                .bind(before.record.to_string())
                .bind(actor.0)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                let detail = format!("{} {}: {}", of.label, match correction.kind {
                    CorrectionKind::Amended => "amended",
                    CorrectionKind::EnteredInError => "marked entered in error",
                }, correction.reason.trim());
                let mut after_json = after.record.clone();
                if let Some(o) = after_json.as_object_mut() {
                    o.insert("correction".into(), to_json(&correction));
                }
                audit(&mut tx, actor, AuditAction::Update, of.kind, Some(id), Some(before.child_id),
                    Some(before.record.clone()), Some(after_json), &detail).await?;
                let row = sqlx::query(sqlx::AssertSqlSafe(format!("{CORRECTION_SELECT} WHERE c.id = $1")))
                    .bind(correction_id)
                    .fetch_one(&mut *tx)
                    .await?;
                let saved = correction_from_row(&row)?;
                tx.commit().await?;
                Ok(saved)
            }
        }
    };
}
pub(crate) use sql;
