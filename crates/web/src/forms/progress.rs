//! Progress on an action of a plan (a child in need plan's, a pathway plan's): where it has got
//! to and what has happened, sent with the action's version as last read, so progress from a
//! page opened before someone else's is refused. The fields and their reading, shared by the
//! capabilities' progress forms.

use domain::child_in_need::{ACTION_STATUSES, ActionProgress};
use domain::validate::FieldError;
use serde::Deserialize;
use utoipa::ToSchema;

use super::path::valid;
use super::{Field, FormData};

/// Progress, with the action's version as last read.
#[derive(Deserialize, ToSchema)]
pub struct ProgressInput {
    pub version: i64,
    #[serde(flatten)]
    pub progress: ActionProgress,
}

/// The form opens with the action's status, progress so far and version.
pub fn initial(status: &str, progress: &str, version: i64) -> FormData {
    FormData::default()
        .set("status", status)
        .set("progress", progress)
        .set("version", &version.to_string())
}

/// The fields: where it has got to, the progress, the version (hidden).
pub fn fields(hint: &'static str) -> Vec<Field> {
    vec![
        Field::Radios(
            "status",
            "Where has it got to?",
            ACTION_STATUSES
                .iter()
                .map(|(c, l)| (c.to_string(), l.to_string()))
                .collect(),
        ),
        Field::Textarea("progress", "Progress", hint),
        Field::Hidden("version"),
    ]
}

/// Reads the posted progress; a page without the version is refused, not saved unchecked.
pub fn read(form: &FormData) -> Result<ProgressInput, Vec<FieldError>> {
    let progress = ActionProgress {
        status: form.get("status"),
        progress: form.get("progress"),
    };
    let mut errors = progress.validate();
    let version = form.version().map_err(|e| errors.push(e)).ok();
    valid(
        errors,
        version.map(|version| ProgressInput { version, progress }),
        |_| Vec::new(),
    )
}
