//! The one form path: a form page is declared as a [`FormSpec`] (its fields), read from a posted
//! [`FormData`], and rendered with the GOV.UK error summary and messages.

pub mod correct;
pub mod errors;
pub mod fields;
pub mod path;
pub mod progress;

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::errors::error_context;
use crate::forms::fields::date_items;
use crate::forms::fields::today;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use chrono::NaiveDate;
use domain::validate::DateParts;
use domain::validate::FieldError;
use minijinja::Value;
use minijinja::context;
use serde::Deserialize;
use uuid::Uuid;

/// Where a notice for the form's page is carried beside its fields (never a field of a form:
/// only declared fields are rendered or read).
const NOTICE: &str = " notice";

/// A posted form: its fields in order (checkboxes repeat a name).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(transparent)]
pub struct FormData(Vec<(String, String)>);

impl From<Vec<(String, String)>> for FormData {
    fn from(fields: Vec<(String, String)>) -> Self {
        FormData(fields)
    }
}

impl FormData {
    /// The version of the record the page was showing (its hidden `version` field). A post
    /// without one is refused rather than saved unchecked over someone else's change.
    pub(crate) fn version(&self) -> Result<i64, domain::validate::FieldError> {
        self.get("version").trim().parse().map_err(|_| {
            domain::validate::FieldError::new(
                "version",
                "The page did not say which version of the record it changes: reload it and try again",
            )
        })
    }

    /// The form with a notice for the top of its page (its draft was kept, or filled back in).
    pub(crate) fn with_notice(mut self, notice: String) -> Self {
        self.0.retain(|(k, _)| k != NOTICE);
        self.0.push((NOTICE.to_string(), notice));
        self
    }
    /// The notice for the top of the form's page, if any (see [`FormData::with_notice`]).
    pub(crate) fn notice(&self) -> Option<String> {
        Some(self.get(NOTICE)).filter(|n| !n.is_empty())
    }

    /// Every field as posted, in order.
    pub(crate) fn fields(&self) -> &[(String, String)] {
        &self.0
    }
    pub(crate) fn get(&self, k: &str) -> String {
        self.0
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    pub(crate) fn all(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    }
    pub(crate) fn parts(&self, k: &str) -> DateParts {
        DateParts {
            day: self.get(&format!("{k}-day")),
            month: self.get(&format!("{k}-month")),
            year: self.get(&format!("{k}-year")),
        }
    }
    /// A required date, not in the future.
    pub(crate) fn date(
        &self,
        k: &str,
        label: &str,
        errors: &mut Vec<FieldError>,
    ) -> Option<NaiveDate> {
        crate::forms::fields::past_date(&self.parts(k), k, label, errors)
    }
    pub(crate) fn with_today(mut self, names: &[&str]) -> Self {
        let d = today();
        for n in names {
            self.0
                .push((format!("{n}-day"), d.format("%-d").to_string()));
            self.0
                .push((format!("{n}-month"), d.format("%-m").to_string()));
            self.0
                .push((format!("{n}-year"), d.format("%Y").to_string()));
        }
        self
    }
    /// A date's three fields (`{k}-day`, `-month`, `-year`), blank for none.
    pub(crate) fn set_date(self, k: &str, d: Option<NaiveDate>) -> Self {
        let part = |f: &str| d.map(|d| d.format(f).to_string()).unwrap_or_default();
        self.set(&format!("{k}-day"), &part("%-d"))
            .set(&format!("{k}-month"), &part("%-m"))
            .set(&format!("{k}-year"), &part("%Y"))
    }
    /// A yes/no radio's value, blank for none.
    pub(crate) fn set_yes_no(self, k: &str, v: Option<bool>) -> Self {
        self.set(
            k,
            match v {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            },
        )
    }
    pub(crate) fn set(mut self, k: &str, v: &str) -> Self {
        self.0.push((k.into(), v.into()));
        self
    }
}

/// One field of a casework form.
pub enum Field {
    Date(&'static str, &'static str),
    Radios(&'static str, &'static str, Vec<(String, String)>),
    Checkboxes(
        &'static str,
        &'static str,
        &'static str,
        Vec<(String, String)>,
    ),
    Select(&'static str, &'static str, Vec<(String, String)>),
    Textarea(&'static str, &'static str, &'static str),
    Input(&'static str, &'static str, &'static str),
    /// Not shown: the version of the record the page was showing, sent back with the form.
    Hidden(&'static str),
}

/// A form page: what it is about, where it posts, its fields.
pub struct FormSpec {
    pub title: String,
    pub child_id: Uuid,
    pub child_name: String,
    pub action: String,
    pub button: &'static str,
    pub intro: Option<String>,
    /// What the form is about, shown above its fields (a record marked entered in error).
    pub summary: Vec<(&'static str, String)>,
    pub fields: Vec<Field>,
    /// Whether the form offers "Save as draft" (see [`crate::forms::path::CaseForm::DRAFT`]).
    pub draft: bool,
    /// Where the back link goes, for a form on no child's record (its text and address).
    pub back: Option<(String, String)>,
}

impl Field {
    fn name(&self) -> &'static str {
        match self {
            Field::Date(n, ..)
            | Field::Radios(n, ..)
            | Field::Checkboxes(n, ..)
            | Field::Select(n, ..)
            | Field::Textarea(n, ..)
            | Field::Input(n, ..)
            | Field::Hidden(n) => n,
        }
    }
}

impl FormSpec {
    /// A form about the child whose record this is.
    pub(crate) fn new(
        rec: &store::ChildRecord,
        title: impl Into<String>,
        action: impl Into<String>,
        button: &'static str,
        fields: Vec<Field>,
    ) -> Self {
        FormSpec {
            title: title.into(),
            child_id: rec.person.id,
            child_name: rec.person.full_name(),
            action: action.into(),
            button,
            intro: None,
            summary: Vec::new(),
            draft: false,
            fields,
            back: None,
        }
    }

    /// A form on no child's record (the council's settings, such as the audit template): its
    /// caption, and the back link's text and address.
    pub(crate) fn standalone(
        caption: impl Into<String>,
        title: impl Into<String>,
        back: (&str, &str),
        action: impl Into<String>,
        button: &'static str,
        fields: Vec<Field>,
    ) -> Self {
        FormSpec {
            title: title.into(),
            child_id: Uuid::nil(),
            child_name: caption.into(),
            action: action.into(),
            button,
            intro: None,
            summary: Vec::new(),
            draft: false,
            fields,
            back: Some((back.0.to_string(), back.1.to_string())),
        }
    }

    pub(crate) fn drafts(mut self, draft: bool) -> Self {
        self.draft = draft;
        self
    }

    pub(crate) fn intro(mut self, intro: impl Into<String>) -> Self {
        self.intro = Some(intro.into());
        self
    }

    pub(crate) fn summary(mut self, rows: Vec<(&'static str, String)>) -> Self {
        self.summary = rows;
        self
    }

    pub(crate) fn render(
        &self,
        state: &AppState,
        session: &Session,
        data: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        // The error summary lists the problems in the order of the fields on the page.
        let mut errors = errors.to_vec();
        errors.sort_by_key(|e| {
            self.fields
                .iter()
                .position(|f| f.name() == e.field)
                .unwrap_or(usize::MAX)
        });
        let errors = errors.as_slice();
        let err = |name: &str| {
            errors
                .iter()
                .find(|e| e.field == name)
                .map(|e| e.message.clone())
        };
        let error_message = |name: &str| err(name).map(|t| context! { text => t });
        let fields: Vec<Value> = self
            .fields
            .iter()
            .map(|f| match f {
                Field::Date(name, label) => context! {
                    kind => "date",
                    params => context! {
                        id => name, namePrefix => name,
                        fieldset => context! { legend => context! { text => label, classes => "govuk-fieldset__legend--s" } },
                        errorMessage => error_message(name),
                        items => date_items(err(name).is_some(), &data.parts(name)),
                    },
                },
                Field::Radios(name, label, items) => context! {
                    kind => "radios",
                    params => context! {
                        name => name, idPrefix => name,
                        classes => if items.len() == 2 { "govuk-radios--inline" } else { "" },
                        fieldset => context! { legend => context! { text => label, classes => "govuk-fieldset__legend--s" } },
                        errorMessage => error_message(name),
                        items => items.iter().map(|(v, t)| context! { value => v, text => t, checked => data.get(name) == *v }).collect::<Vec<_>>(),
                    },
                },
                Field::Checkboxes(name, label, hint, items) => context! {
                    kind => "checkboxes",
                    params => context! {
                        name => name, idPrefix => name, classes => "govuk-checkboxes--small",
                        fieldset => context! { legend => context! { text => label, classes => "govuk-fieldset__legend--s" } },
                        hint => (!hint.is_empty()).then(|| context! { text => hint }),
                        errorMessage => error_message(name),
                        items => items.iter().map(|(v, t)| context! { value => v, text => t, checked => data.all(name).contains(v) }).collect::<Vec<_>>(),
                    },
                },
                Field::Select(name, label, items) => {
                    let mut opts = vec![context! { value => "", text => "Choose", selected => data.get(name).is_empty() }];
                    opts.extend(items.iter().map(|(v, t)| context! { value => v, text => t, selected => data.get(name) == *v }));
                    context! {
                        kind => "select",
                        params => context! {
                            id => name, name => name,
                            label => context! { text => label, classes => "govuk-label--s" },
                            errorMessage => error_message(name),
                            items => opts,
                        },
                    }
                }
                Field::Textarea(name, label, hint) => context! {
                    kind => "textarea",
                    params => context! {
                        id => name, name => name, rows => 5, value => data.get(name),
                        label => context! { text => label, classes => "govuk-label--s" },
                        hint => (!hint.is_empty()).then(|| context! { text => hint }),
                        errorMessage => error_message(name),
                    },
                },
                Field::Hidden(name) => context! {
                    kind => "hidden",
                    params => context! { name => name, value => data.get(name) },
                },
                Field::Input(name, label, hint) => context! {
                    kind => "input",
                    params => context! {
                        id => name, name => name, value => data.get(name), autocomplete => "off",
                        label => context! { text => label, classes => "govuk-label--s" },
                        hint => (!hint.is_empty()).then(|| context! { text => hint }),
                        errorMessage => error_message(name),
                    },
                },
            })
            .collect();
        let dates: Vec<&str> = self
            .fields
            .iter()
            .filter_map(|f| match f {
                Field::Date(n, _) => Some(*n),
                _ => None,
            })
            .collect();
        // Choice fields' first option has the field's id, so the summary links reach them.
        let (by_field, error_list) = error_context(errors, &dates);
        let html = state.templates.page(
            "forms/form.html",
            Some(session),
            context! {
                title => self.title.clone(),
                child_id => self.child_id.to_string(),
                child_name => self.child_name.clone(),
                back_text => self.back.as_ref().map(|b| b.0.clone()),
                back_href => self.back.as_ref().map(|b| b.1.clone()),
                action => self.action.clone(),
                button => self.button,
                intro => self.intro.clone(),
                summary => self.summary.iter().map(|(k, v)| context! { key => context! { text => k }, value => context! { text => v } }).collect::<Vec<_>>(),
                fields,
                draft => self.draft,
                draft_notice => data.notice(),
                errors => if errors.is_empty() { Value::UNDEFINED } else { by_field },
                error_list,
            },
        )?;
        let status = if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        Ok((status, html).into_response())
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RefQuery {
    #[serde(default)]
    pub(crate) referral: String,
    #[serde(default)]
    pub(crate) kind: String,
    /// The audit programme a case file audit belongs to.
    #[serde(default)]
    pub(crate) programme: String,
}

/// `?saved=...` after a redirect: what was just saved, for the success banner.
#[derive(Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    pub(crate) saved: String,
}
