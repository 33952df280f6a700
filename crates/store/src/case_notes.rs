//! Visits, case notes and management oversight, as a part of the repository. Every note writes
//! its audit entry in the same transaction.

use async_trait::async_trait;
use domain::case_notes::{NewNote, Note};
use uuid::Uuid;

use crate::correction::{Col, Correct, Correctable, column, field};
use crate::{Actor, Result};

#[async_trait]
pub trait CaseNotes: Send + Sync {
    /// Records a visit, case note or management oversight on a child's record.
    async fn add_note(&self, actor: Actor, child_id: Uuid, note: NewNote) -> Result<Note>;
}

/// Visits, case notes and oversight can be corrected (amended or entered in error); what the note
/// is (its kind) cannot be amended.
pub static NOTE: Correctable = Correctable {
    kind: "note",
    table: "note",
    id_column: "id",
    label: "note",
    fields: &[
        field("kind", Col::Text),
        column("date", "note_date", Col::Date),
        field("child_seen", Col::OptBool),
        field("seen_alone", Col::OptBool),
        field("childs_words", Col::Text),
        field("observation", Col::Text),
        column("text", "body", Col::Text),
        field("decision", Col::Text),
        field("rationale", Col::Text),
    ],
    fixed: &["kind"],
    may_enter_in_error: true,
};

impl Correct for NewNote {
    const RECORD: &'static Correctable = &NOTE;
    fn validate(&self, f: &crate::correction::ChildFacts) -> Vec<domain::validate::FieldError> {
        let mut e = NewNote::validate(self, f.today);
        domain::validate::not_before_birth(&mut e, "date", self.date, f.date_of_birth);
        e
    }
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use domain::case_notes::*;
        use $crate::case_notes::CaseNotes as CaseNotesRepository;

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

        /// A child's visits, case notes and management oversight, newest first, for the child's
        /// page (read in the caller's transaction).
        pub(super) async fn load_for_child(conn: &mut Conn, child_id: Uuid) -> Result<Vec<Note>, StoreError> {
            Ok(sqlx::query(
                "SELECT n.*, u.display_name AS recorded_by_name FROM note n LEFT JOIN app_user u ON u.id = n.recorded_by \
                 WHERE n.child_id = $1 ORDER BY n.note_date DESC, n.created_at DESC",
            )
            .bind(child_id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(note_from_row)
            .collect::<Result<Vec<_>, _>>()?)
        }

        #[async_trait::async_trait]
        impl CaseNotesRepository for $store {
            async fn add_note(&self, actor: Actor, child_id: Uuid, n: NewNote) -> Result<Note> {
                refuse(n.validate(local_now().date()))?;
                let mut tx = self.tx().await?;
                let child = fetch_person(&mut tx, child_id).await?;
                if child.details.kind != PersonKind::Child {
                    return Err(invalid("child_id", "Notes are recorded on a child's record"));
                }
                let mut e = Vec::new();
                domain::validate::not_before_birth(&mut e, "date", n.date, child.details.date_of_birth);
                refuse(e)?;
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

        }
    };
}
pub(crate) use sql;
