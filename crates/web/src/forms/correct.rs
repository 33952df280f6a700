//! Correcting a record, on the one form path: amend it with a reason (the earlier version is
//! kept) or mark it entered in error with a reason (it stays on the child's page, marked, and
//! is no longer counted). A kind of record is made correctable by a declaration, [`Correcting`]:
//! where its two forms live, its fields and how they read, and how it is described on the page.
//! [`Amend`] and [`EnteredInError`] are the two forms for every kind; [`routes`] and
//! [`document`] register them; [`view`] is what the child's page shows of a record's
//! corrections (the `corrections.html` macros).

use std::borrow::Cow;
use std::marker::PhantomData;

use async_trait::async_trait;
use domain::correction::{Correction, CorrectionKind, NewCorrection};
use domain::validate::FieldError;
use minijinja::{Value, context};
use serde::Deserialize;
use store::correction::{Correct, Current};
use store::{Actor, ChildRecord, StoreError};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::errors::field_error;
use crate::forms::fields::fmt_datetime;
use crate::forms::path::{CaseForm, On, Subject, Target};
use crate::forms::{Field, FormData, FormSpec};
use crate::policy::Action;

/// A kind of record that can be corrected, declared once for both forms and the child's page.
pub trait Correcting: Send + Sync + 'static {
    /// The domain's record, as the store keeps it (see `store::correction::Correct`).
    type Record: Correct + ToSchema + Clone;
    /// The amendment's page and API paths (`{id}` is the record's).
    const AMEND: &'static str;
    const AMEND_API: &'static str;
    /// The entered-in-error page and API paths (not served for a kind declared
    /// `may_enter_in_error: false`).
    const IN_ERROR: &'static str = "";
    const IN_ERROR_API: &'static str = "";
    /// What the user must be allowed: as for recording the record.
    const ACTION: Action = Action::RecordCasework;
    /// The section of the child's page that shows the record (where a correction returns to).
    const SECTION: &'static str = "casework";
    /// What a particular record needs (oversight is corrected by managers); by default
    /// [`Correcting::ACTION`].
    fn action(_record: &Self::Record) -> Action {
        Self::ACTION
    }
    /// The record's fields on the amendment form.
    fn fields(record: &Self::Record) -> Vec<Field>;
    /// The record as the form's fields, to start the amendment from.
    fn form(record: &Self::Record) -> FormData;
    /// The amended record from the posted fields, validated by the domain against the child's
    /// record; `was` is the record as it is now (what the form may not change comes from it).
    fn read(
        form: &FormData,
        was: &Self::Record,
        rec: &ChildRecord,
    ) -> Result<Self::Record, Vec<FieldError>>;
    /// The record, field by field, as the page shows it (the earlier version, the summary).
    fn describe(record: &Self::Record) -> Vec<(&'static str, String)>;
}

/// What a correction form opens: the child's record (an access entry) and the record as it is.
pub struct Opened<R> {
    pub child: ChildRecord,
    pub current: Current,
    pub record: R,
}

#[async_trait]
impl<R: Correct> Subject for Opened<R> {
    fn caption(&self) -> String {
        self.child.caption()
    }
    async fn open(
        state: &AppState,
        session: &Session,
        t: &Target,
        what: &str,
    ) -> Result<Self, AppError> {
        let child = ChildRecord::open(state, session, t, what).await?;
        let (current, record) = store::correction::current::<R, _>(&*state.store, t.id).await?;
        Ok(Opened {
            child,
            current,
            record,
        })
    }
}

/// Checks the action a particular record needs, when it is not the kind's.
async fn authorise_record<C: Correcting>(
    state: &AppState,
    session: &Session,
    t: &Target,
    api: bool,
) -> Result<(), AppError> {
    let (_, record) = store::correction::current::<C::Record, _>(&*state.store, t.id).await?;
    let action = C::action(&record);
    if action != C::ACTION {
        crate::guard::authorise(state, session, t.child, action, "correct a record", api).await?;
    }
    Ok(())
}

fn label<C: Correcting>() -> &'static str {
    <C::Record as Correct>::RECORD.label
}

/// The reason and the version, read from a posted correction form.
fn read_reason(
    form: &FormData,
    kind: CorrectionKind,
    errors: &mut Vec<FieldError>,
) -> (i64, String) {
    let version = form.version().map_err(|e| errors.push(e)).unwrap_or(0);
    let reason = form.get("reason");
    errors.extend(
        NewCorrection {
            kind,
            reason: reason.clone(),
        }
        .validate(),
    );
    (version, reason)
}

/// Where the child's page is after a correction: the section showing the record.
fn done<C: Correcting>(t: &Target) -> String {
    format!(
        "/children/{}?section={}&saved=corrected",
        t.child,
        C::SECTION
    )
}

/// The API's body for an amendment: the version read, the whole of the amended record, why.
#[derive(Debug, Deserialize)]
pub struct AmendBody<R> {
    pub version: i64,
    pub reason: String,
    pub record: R,
}

impl<R: ToSchema> utoipa::PartialSchema for AmendBody<R> {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .description(Some(
                "An amendment: the version of the record read (another is refused with 409), why, and the whole of the amended record.",
            ))
            .property("version", ObjectBuilder::new().schema_type(Type::Integer))
            .property("reason", ObjectBuilder::new().schema_type(Type::String))
            .property("record", utoipa::openapi::Ref::from_schema_name(R::name()))
            .required("version")
            .required("reason")
            .required("record")
            .into()
    }
}

impl<R: ToSchema> ToSchema for AmendBody<R> {
    fn name() -> Cow<'static, str> {
        format!("Amend{}", R::name()).into()
    }
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        schemas.push((R::name().into_owned(), R::schema()));
        R::schemas(schemas);
    }
}

/// The API's body for marking a record entered in error: the version read, and why.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EnteredInErrorBody {
    pub version: i64,
    pub reason: String,
}

/// Amending a record of kind `C`.
pub struct Amend<C>(PhantomData<C>);

#[async_trait]
impl<C: Correcting> CaseForm for Amend<C> {
    type Record = Opened<C::Record>;
    type Input = (i64, C::Record, String);
    type Body = AmendBody<C::Record>;
    type Saved = Correction;
    const PAGE: &'static str = C::AMEND;
    const API: &'static str = C::AMEND_API;
    const ON: On = On::Correctable(<C::Record as Correct>::RECORD);
    const ACTION: Action = C::ACTION;
    const WHAT: &'static str = "amend a record";
    const SUMMARY: &'static str = "Amends a record with a reason; the earlier version is kept and shown. Send the version you read: a record changed since is refused (409).";
    const FALLBACK: &'static str = "reason";

    async fn authorise_record(
        state: &AppState,
        session: &Session,
        t: &Target,
        api: bool,
    ) -> Result<(), AppError> {
        authorise_record::<C>(state, session, t, api).await
    }

    fn spec(t: &Target, rec: &Self::Record) -> Result<FormSpec, AppError> {
        let mut fields = C::fields(&rec.record);
        fields.push(Field::Textarea(
            "reason",
            "Why are you amending it?",
            "The earlier version stays on the record, with your reason.",
        ));
        fields.push(Field::Hidden("version"));
        Ok(FormSpec::new(
            &rec.child,
            format!("Amend this {}", label::<C>()),
            C::AMEND.replace("{id}", &t.id.to_string()),
            "Save amendment",
            fields,
        ))
    }

    fn initial(_: &Target, rec: &Self::Record) -> Result<FormData, AppError> {
        Ok(C::form(&rec.record).set("version", &rec.current.version.to_string()))
    }

    fn read(
        form: &FormData,
        _: &Target,
        rec: &Self::Record,
    ) -> Result<Self::Input, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (version, reason) = read_reason(form, CorrectionKind::Amended, &mut errors);
        let record = C::read(form, &rec.record, &rec.child).map_err(|e| errors.extend(e));
        match record {
            Ok(r) if errors.is_empty() => Ok((version, r, reason)),
            _ => Err(errors),
        }
    }

    fn from_body(b: Self::Body, _: &Target) -> Result<Self::Input, Vec<FieldError>> {
        Ok((b.version, b.record, b.reason))
    }

    /// The reason's problem with the record's (the store names the record's first).
    async fn api_check(
        _: &AppState,
        _: &Target,
        (_, _, reason): &Self::Input,
    ) -> Result<Vec<FieldError>, AppError> {
        Ok(NewCorrection {
            kind: CorrectionKind::Amended,
            reason: reason.clone(),
        }
        .validate())
    }

    fn refusal(e: StoreError) -> Result<FieldError, AppError> {
        field_error(e, Self::FALLBACK)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        (version, record, reason): Self::Input,
    ) -> Result<Correction, StoreError> {
        store::correction::amend(&*state.store, actor, t.id, version, &record, &reason).await
    }

    fn done(t: &Target, _: &Correction) -> String {
        done::<C>(t)
    }
}

/// Marking a record of kind `C` entered in error.
pub struct EnteredInError<C>(PhantomData<C>);

#[async_trait]
impl<C: Correcting> CaseForm for EnteredInError<C> {
    type Record = Opened<C::Record>;
    type Input = (i64, String);
    type Body = EnteredInErrorBody;
    type Saved = Correction;
    const PAGE: &'static str = C::IN_ERROR;
    const API: &'static str = C::IN_ERROR_API;
    const ON: On = On::Correctable(<C::Record as Correct>::RECORD);
    const ACTION: Action = C::ACTION;
    const WHAT: &'static str = "mark a record entered in error";
    const SUMMARY: &'static str = "Marks a record entered in error, with a reason: it stays on the child's record, marked, and is left out of returns, reports and work due. Send the version you read (409 if changed since).";
    const FALLBACK: &'static str = "reason";

    async fn authorise_record(
        state: &AppState,
        session: &Session,
        t: &Target,
        api: bool,
    ) -> Result<(), AppError> {
        authorise_record::<C>(state, session, t, api).await
    }

    fn spec(t: &Target, rec: &Self::Record) -> Result<FormSpec, AppError> {
        Ok(FormSpec::new(
            &rec.child,
            format!("Mark this {} as entered in error", label::<C>()),
            C::IN_ERROR.replace("{id}", &t.id.to_string()),
            "Mark as entered in error",
            vec![
                Field::Textarea(
                    "reason",
                    "Why was it entered in error?",
                    "For example, it was recorded on the wrong child's record, or twice.",
                ),
                Field::Hidden("version"),
            ],
        )
        .intro(format!(
            "The {} stays on the child's record, marked as entered in error with your reason. It is no longer counted in returns, reports or work due.",
            label::<C>()
        ))
        .summary(C::describe(&rec.record)))
    }

    fn initial(_: &Target, rec: &Self::Record) -> Result<FormData, AppError> {
        Ok(FormData::default().set("version", &rec.current.version.to_string()))
    }

    fn read(form: &FormData, _: &Target, _: &Self::Record) -> Result<Self::Input, Vec<FieldError>> {
        let mut errors = Vec::new();
        let read = read_reason(form, CorrectionKind::EnteredInError, &mut errors);
        if errors.is_empty() {
            Ok(read)
        } else {
            Err(errors)
        }
    }

    fn from_body(b: Self::Body, _: &Target) -> Result<Self::Input, Vec<FieldError>> {
        Ok((b.version, b.reason))
    }

    fn refusal(e: StoreError) -> Result<FieldError, AppError> {
        field_error(e, Self::FALLBACK)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        (version, reason): Self::Input,
    ) -> Result<Correction, StoreError> {
        store::correction::enter_in_error::<C::Record, _>(
            &*state.store,
            actor,
            t.id,
            version,
            &reason,
        )
        .await
    }

    fn done(t: &Target, _: &Correction) -> String {
        done::<C>(t)
    }
}

/// The correction forms' pages and API routes for kind `C` (amending only, for a kind that is
/// not entered in error).
pub fn routes<C: Correcting>() -> axum::Router<AppState> {
    let amend = crate::forms::path::routes::<Amend<C>>();
    if <C::Record as Correct>::RECORD.may_enter_in_error {
        amend.merge(crate::forms::path::routes::<EnteredInError<C>>())
    } else {
        amend
    }
}

/// The correction forms' API operations for kind `C`, in the OpenAPI document.
pub fn document<C: Correcting>(doc: &mut utoipa::openapi::OpenApi) {
    crate::forms::path::document::<Amend<C>>(doc);
    if <C::Record as Correct>::RECORD.may_enter_in_error {
        crate::forms::path::document::<EnteredInError<C>>(doc);
    }
}

/// A yes/no answer as the page describes it.
pub fn said(v: Option<bool>) -> String {
    match v {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Not recorded",
    }
    .into()
}

fn rows(fields: Vec<(&'static str, String)>) -> Vec<Value> {
    fields
        .into_iter()
        .map(|(k, v)| context! { key => context! { text => k }, value => context! { text => v } })
        .collect()
}

/// What the child's page shows of a record of kind `C`: whether it was entered in error (when,
/// by whom, why), each amendment with the version before it, and the links to correct it (when
/// `may` correct and it was not entered in error). Use with the `corrections.html` macros.
pub fn view<C: Correcting>(rec: &ChildRecord, id: Uuid, record: &C::Record, may: bool) -> Value {
    let kind = <C::Record as Correct>::RECORD.kind;
    let mut in_error = None;
    let mut amendments = Vec::new();
    for c in domain::correction::of_record(&rec.corrections, kind, id) {
        let by = c.by.clone().unwrap_or_else(|| "the system".into());
        let at = fmt_datetime(domain::calendar::uk_local(c.at));
        match c.kind {
            CorrectionKind::EnteredInError => {
                in_error = Some(context! { at, by, reason => c.reason.clone() });
            }
            CorrectionKind::Amended => {
                let earlier = serde_json::from_value::<C::Record>(c.previous.clone())
                    .map(|r| rows(C::describe(&r)))
                    .unwrap_or_default();
                amendments.push(context! { at, by, reason => c.reason.clone(), earlier });
            }
        }
    }
    let may = may && in_error.is_none();
    let id = id.to_string();
    context! {
        in_error,
        amendments,
        rows => rows(C::describe(record)),
        amend => may.then(|| C::AMEND.replace("{id}", &id)),
        enter_in_error => (may && <C::Record as Correct>::RECORD.may_enter_in_error)
            .then(|| C::IN_ERROR.replace("{id}", &id)),
    }
}

/// The records of kind `C` entered in error, as they were, for a kind whose reads leave them out
/// of the record (the child's page still shows them, marked, from their corrections).
pub fn entered_in_error<C: Correcting>(rec: &ChildRecord) -> Vec<Value> {
    let kind = <C::Record as Correct>::RECORD.kind;
    rec.corrections
        .iter()
        .filter(|c| c.record_kind == kind && c.kind == CorrectionKind::EnteredInError)
        .filter_map(|c| {
            let was = serde_json::from_value::<C::Record>(c.previous.clone()).ok()?;
            Some(view::<C>(rec, c.record_id, &was, false))
        })
        .collect()
}
