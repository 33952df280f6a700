//! The one form path. A form is a declaration: a type implementing [`CaseForm`] says where it
//! lives (its page and API routes, and what record the path's id names), which action the user
//! must be allowed, its fields, how the posted fields read into the domain's record (validated
//! by the domain), how the API's JSON body becomes the same record, and how it is saved. The
//! handlers here serve every form alike:
//!
//! - `GET` page: [`form_page`] — authorise, open the child's record (an access entry), render
//!   the blank form;
//! - `POST` page: [`form_post`] — the same checks, read and validate, save (the store audits it in
//!   the same transaction), redirect; or render the form again with the GOV.UK error summary;
//! - `POST` API: [`form_api`] — the same authorisation (by the same [`On`]), save, 201/200 JSON
//!   or 422 naming the field.
//!
//! [`routes`] registers all three and [`document`] adds the API operation to the OpenAPI
//! document, so adding a form is adding a declaration.

use std::borrow::Cow;

use async_trait::async_trait;
use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::validate::FieldError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use store::{Actor, CaseRecord, StoreError};
use utoipa::{PartialSchema, ToSchema};
use uuid::Uuid;

use crate::AppState;
use crate::api::{bad_json, store_field_error};
use crate::auth::{AuthedForm, Session};
use crate::error::AppError;
use crate::forms::errors::store_error;
use crate::forms::{FormData, FormSpec, RefQuery};
use crate::guard::{authorise, parse_id};
use crate::policy::Action;

/// What the id in a form's path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    /// The child.
    Child,
    /// A case record on the child's record (early help, a referral, a plan...).
    Record(CaseRecord),
    /// A contact: the user must be allowed the action for every child it names.
    Contact,
    /// A record that can be corrected (see [`crate::forms::correct`]), of the kind declared.
    Correctable(&'static store::Correctable),
    /// A record of the workforce (a team, a worker's file), on no child's record: the role is
    /// checked, and the record must exist; the target's `child` is the nil id.
    Staff(Staff),
}

/// What a workforce form's path id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Staff {
    Team,
    Worker,
}

/// Whom a request is about, after the checks: the path's record and its child, and the query.
#[derive(Debug, Clone)]
pub struct Target {
    /// The id in the path (the child's, or the case record's).
    pub id: Uuid,
    /// The child (for a contact, the first it names).
    pub child: Uuid,
    /// Every child the record concerns (one, but for a contact about siblings).
    pub children: Vec<Uuid>,
    pub query: RefQuery,
}

/// Resolves the path's id to its child (or, for a contact, children) and checks the user may do
/// `action` for each (the role, then the record's restrictions; refusals audited). Pages and API
/// call this alike.
pub async fn resolve(
    state: &AppState,
    session: &Session,
    on: On,
    id: &str,
    action: Action,
    what: &str,
    api: bool,
) -> Result<(Uuid, Vec<Uuid>), AppError> {
    let id = parse_id(id, api)?;
    if let On::Staff(kind) = on {
        if let Err(d) = crate::policy::check_role(&session.user, action) {
            return Err(crate::auth::deny(state, session, None, what, d.0, api).await);
        }
        let exists = match kind {
            Staff::Team => state.store.list_teams().await?.iter().any(|t| t.id == id),
            Staff::Worker => match state.store.staff_member(id).await {
                Ok(_) => true,
                Err(StoreError::NotFound(_)) => false,
                Err(e) => return Err(e.into()),
            },
        };
        return if exists {
            Ok((id, Vec::new()))
        } else {
            Err(AppError::NotFound { api })
        };
    }
    let found = match on {
        On::Child => Ok(vec![id]),
        On::Record(kind) => state
            .store
            .case_record_child(kind, id)
            .await
            .map(|c| vec![c]),
        On::Contact => state.store.contact_children(id).await,
        On::Correctable(of) => state
            .store
            .correctable(of, id)
            .await
            .map(|c| vec![c.child_id]),
        On::Staff(_) => unreachable!("answered above"),
    };
    let children = match found {
        Ok(c) if !c.is_empty() => c,
        Ok(_) | Err(StoreError::NotFound(_)) => return Err(AppError::NotFound { api }),
        Err(e) => return Err(e.into()),
    };
    for child in &children {
        authorise(state, session, *child, action, what, api).await?;
    }
    Ok((id, children))
}

/// What a form's page opens after the checks: the child's record, or a contact (each opening is
/// an access entry).
#[async_trait]
pub trait Subject: Send + Sync + Sized + 'static {
    /// Whom the page is about, for its caption.
    fn caption(&self) -> String;
    async fn open(
        state: &AppState,
        session: &Session,
        t: &Target,
        what: &str,
    ) -> Result<Self, AppError>;
}

#[async_trait]
impl Subject for store::ChildRecord {
    fn caption(&self) -> String {
        self.person.full_name()
    }
    async fn open(
        state: &AppState,
        session: &Session,
        t: &Target,
        what: &str,
    ) -> Result<Self, AppError> {
        let mut rec = state
            .store
            .view_child_record(
                session.actor(),
                t.child,
                crate::guard::purpose_of(session, what),
            )
            .await?;
        crate::guard::withhold_restricted(session, &mut rec);
        Ok(rec)
    }
}

#[async_trait]
impl Subject for domain::front_door::Contact {
    fn caption(&self) -> String {
        format!(
            "Contact from {} on {}",
            self.contact_agency,
            self.received_at.format("%-d %B %Y")
        )
    }
    async fn open(
        state: &AppState,
        session: &Session,
        t: &Target,
        what: &str,
    ) -> Result<Self, AppError> {
        Ok(state
            .store
            .view_contact(session.actor(), t.id, what)
            .await?)
    }
}

/// A form on a child's record, declared once for its page and its API.
#[async_trait]
pub trait CaseForm: Send + Sync + Sized + 'static {
    /// What the page opens: the child's record (`store::ChildRecord`) or a contact.
    type Record: Subject;
    /// The domain's record the form saves.
    type Input: Send + 'static;
    /// The API's JSON body.
    type Body: DeserializeOwned + ToSchema + Send + 'static;
    /// What saving gives back (the API's answer).
    type Saved: Serialize + ToSchema + Send + Sync + 'static;

    /// The page's path: `GET` shows the form (when [`Self::BLANK`]), `POST` saves it.
    const PAGE: &'static str;
    /// The API's path (`POST`).
    const API: &'static str;
    /// What the page path's id names.
    const ON: On;
    /// What the API path's id names.
    const API_ON: On = Self::ON;
    /// What the user must be allowed to do.
    const ACTION: Action = Action::RecordCasework;
    /// What is being done, for the audit log ("start early help").
    const WHAT: &'static str;
    /// The API operation's summary in the OpenAPI document.
    const SUMMARY: &'static str;
    /// Whether the form has a page of its own (else it is part of another page, e.g. a plan's).
    const BLANK: bool = true;
    /// Where the blank form is shown, when not at [`CaseForm::PAGE`] itself.
    const FORM: Option<&'static str> = None;
    /// Date fields that start as today on a blank form.
    const TODAY: &'static [&'static str] = &[];
    /// The field a store refusal is shown against when it names none.
    const FALLBACK: &'static str;
    /// The API's status on success.
    const CREATED: bool = true;
    /// Whether the form is long enough to be kept as a draft while it is written ("Save as
    /// draft", and every minute or so while typing where scripts run): kept server-side for the
    /// worker, filled back in when the form is opened again, forgotten once it is saved.
    const DRAFT: bool = false;

    /// Checks beyond [`CaseForm::ACTION`] that depend on the record the path names (correcting
    /// management oversight is for managers); by default none. Page and API alike.
    async fn authorise_record(
        _state: &AppState,
        _session: &Session,
        _t: &Target,
        _api: bool,
    ) -> Result<(), AppError> {
        Ok(())
    }
    /// The form's page: title, where it posts, its fields (not found if the record does not fit).
    /// A form with a page of its own design overrides [`CaseForm::page`] and [`CaseForm::check`]
    /// instead.
    fn spec(_t: &Target, _rec: &Self::Record) -> Result<FormSpec, AppError> {
        Err(AppError::Internal(
            "this form renders its own page: it overrides CaseForm::page".into(),
        ))
    }
    /// The form's fields as first shown: by default blank, with today in [`CaseForm::TODAY`]'s
    /// date fields; a form correcting a record starts from what it holds.
    fn initial(_t: &Target, _rec: &Self::Record) -> Result<FormData, AppError> {
        Ok(FormData::default().with_today(Self::TODAY))
    }
    /// Whether the record fits the form at all (else not found), before reading a post.
    fn check(t: &Target, rec: &Self::Record) -> Result<(), AppError> {
        Self::spec(t, rec).map(|_| ())
    }
    /// Reads the posted fields into the record, validated by the domain against the child's
    /// record; or every problem, each naming its field.
    fn read(
        form: &FormData,
        t: &Target,
        rec: &Self::Record,
    ) -> Result<Self::Input, Vec<FieldError>>;
    /// The API's body as the same record (the store validates it as the domain does), or what
    /// in it cannot be read.
    fn from_body(body: Self::Body, t: &Target) -> Result<Self::Input, Vec<FieldError>>;
    /// Checks on the API's record beyond the store's (by default none).
    async fn api_check(
        _state: &AppState,
        _t: &Target,
        _input: &Self::Input,
    ) -> Result<Vec<FieldError>, AppError> {
        Ok(Vec::new())
    }
    /// A store refusal as a problem on the form; by default against the field it names (or
    /// [`CaseForm::FALLBACK`]), anything else an error page.
    fn refusal(e: StoreError) -> Result<FieldError, AppError> {
        store_error(e, Self::FALLBACK)
    }
    /// A store refusal as the API's answer; by default 422 naming the field, 404, 409.
    fn api_refusal(e: StoreError) -> Result<Response, AppError> {
        store_field_error(e)
    }
    /// Saves it (the store writes the audit entry in the same transaction).
    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: Self::Input,
    ) -> Result<Self::Saved, StoreError>;
    /// Where the page goes once saved.
    fn done(t: &Target, saved: &Self::Saved) -> String;
    /// An irreversible step (ending a plan, closing an episode, authorising): the answers to check
    /// and confirm, with a reason when it asks for one, before it is saved. By default none.
    fn confirm(_t: &Target, _rec: &Self::Record, _input: &Self::Input) -> Option<Confirm> {
        None
    }
    /// The reason given at the confirmation step, put into what is saved.
    fn with_reason(input: Self::Input, _reason: String) -> Self::Input {
        input
    }
    /// The form's page: blank (today in [`CaseForm::TODAY`]'s date fields) or as posted with its
    /// problems; by default the [`FormSpec`] rendered the GOV.UK way.
    async fn page(
        state: &AppState,
        session: &Session,
        t: &Target,
        rec: &Self::Record,
        form: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        Self::spec(t, rec)?
            .drafts(Self::DRAFT)
            .render(state, session, form, errors)
    }
}

/// Where a form's working draft is kept: its page's path, with what its query names (the kind
/// of note, the referral a plan is on) when one path serves several forms.
fn draft_key<F: CaseForm>(id: &str, query: &RefQuery) -> String {
    let mut key = F::PAGE.replace("{id}", id);
    for (name, value) in [
        ("kind", &query.kind),
        ("referral", &query.referral),
        ("programme", &query.programme),
    ] {
        if !value.is_empty() {
            key.push(if key.contains('?') { '&' } else { '?' });
            key.push_str(&format!("{name}={value}"));
        }
    }
    key
}

/// "Your draft was saved on 4 December 2026 at 2:32pm", in the council's time.
fn draft_notice(saved_at: chrono::DateTime<chrono::Utc>, kept_now: bool) -> String {
    let when = crate::forms::fields::fmt_datetime(domain::calendar::uk_local(saved_at));
    if kept_now {
        format!("Your draft was saved on {when}. It is kept for you until you save the form.")
    } else {
        format!("Your draft saved on {when} is filled in below. Save the form when it is finished.")
    }
}

async fn page_target<F: CaseForm>(
    state: &AppState,
    session: &Session,
    id: &str,
    query: RefQuery,
    what: &str,
) -> Result<(Target, F::Record), AppError> {
    let route = F::PAGE.replace("{id}", id);
    let (id, children) = resolve(
        state,
        session,
        F::ON,
        id,
        F::ACTION,
        &format!("{what} {route}"),
        false,
    )
    .await?;
    let t = Target {
        id,
        child: children.first().copied().unwrap_or_default(),
        children,
        query,
    };
    F::authorise_record(state, session, &t, false).await?;
    let rec = F::Record::open(state, session, &t, what).await?;
    Ok((t, rec))
}

/// `GET` a form's page.
pub async fn form_page<F: CaseForm>(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<RefQuery>,
    OriginalUri(uri): OriginalUri,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let what = format!("{} form", F::WHAT);
    let (t, rec) = page_target::<F>(&state, &session, &id, query, &what).await?;
    // What was entered before the session ended (idle timeout), kept over signing in again.
    let path = uri.path();
    if let Some(fields) = crate::auth::take_draft(&state, &session, &headers, path).await? {
        let mut resp = F::page(&state, &session, &t, &rec, &FormData::from(fields), &[]).await?;
        crate::auth::clear_draft_cookie(&state, &mut resp);
        return Ok(resp);
    }
    // The worker's draft of this form, kept while it was written.
    if F::DRAFT
        && let Some(d) = state
            .store
            .working_draft(session.user.id, &draft_key::<F>(&id, &t.query))
            .await?
    {
        let form = FormData::from(d.fields).with_notice(draft_notice(d.saved_at, false));
        return F::page(&state, &session, &t, &rec, &form, &[]).await;
    }
    let initial = F::initial(&t, &rec)?;
    F::page(&state, &session, &t, &rec, &initial, &[]).await
}

/// A step that cannot be undone, checked and confirmed before it is saved (GOV.UK "check your
/// answers" with a warning): what will be saved, and the reason asked for, if any.
pub struct Confirm {
    /// The page's heading ("Check before you end the plan").
    pub title: String,
    /// What will be saved, as the summary list shows it.
    pub rows: Vec<(String, String)>,
    /// What cannot be undone.
    pub warning: String,
    /// The confirming button ("End the plan").
    pub button: &'static str,
    /// Whether the step cannot be undone (its button is then a warning button).
    pub irreversible: bool,
    /// The reason's label and the message when it is missing; none when the answers already
    /// carry the reason (a closure reason code).
    pub reason: Option<(&'static str, &'static str)>,
}

/// Longest a confirmation's reason may be.
const REASON_MAX: usize = 5_000;

/// The confirmation page: the answers, the warning, the posted fields carried along unchanged,
/// the reason and the confirming button.
fn confirm_page(
    state: &AppState,
    session: &Session,
    child: Uuid,
    child_name: &str,
    action: &str,
    c: &Confirm,
    form: &FormData,
    error: Option<String>,
) -> Result<Response, AppError> {
    let carried: Vec<minijinja::Value> = form
        .fields()
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "csrf_token" | "confirmed" | "reason" | "change"))
        .map(|(k, v)| minijinja::context! { name => k, value => v })
        .collect();
    let rows: Vec<minijinja::Value> = c
        .rows
        .iter()
        .map(|(k, v)| minijinja::context! { key => minijinja::context! { text => k }, value => minijinja::context! { text => v } })
        .collect();
    let error_list: Vec<minijinja::Value> = error
        .iter()
        .map(|e| minijinja::context! { text => e, href => "#reason" })
        .collect();
    let html = state.templates.page(
        "forms/confirm.html",
        Some(session),
        minijinja::context! {
            title => c.title.clone(),
            child_id => child.to_string(),
            child_name,
            action,
            rows,
            warning => c.warning.clone(),
            button => c.button,
            irreversible => c.irreversible,
            reason => c.reason.map(|(label, _)| label),
            reason_value => form.get("reason"),
            reason_error => error.clone(),
            errors => error.clone(),
            carried,
            error_list,
        },
    )?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, html).into_response())
}

/// `POST` a form's page.
pub async fn form_post<F: CaseForm>(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<RefQuery>,
    OriginalUri(uri): OriginalUri,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (t, rec) = page_target::<F>(&state, &session, &id, query, F::WHAT).await?;
    // The page's own checks first (a record that does not fit the form is not found).
    F::check(&t, &rec)?;
    // "Save as draft" (or the page's script keeping the draft while the worker types): the
    // answers so far are kept, unchecked, and the form shown again with them.
    if F::DRAFT && form.get("draft") == "save" {
        let kept: Vec<(String, String)> = form
            .fields()
            .iter()
            .filter(|(k, _)| {
                !matches!(
                    k.as_str(),
                    "csrf_token" | "draft" | "autosave" | "confirmed" | "change"
                )
            })
            .cloned()
            .collect();
        let d = state
            .store
            .keep_working_draft(
                session.actor(),
                Some(t.child),
                &draft_key::<F>(&id, &t.query),
                &kept,
            )
            .await?;
        if form.get("autosave") == "yes" {
            return Ok(StatusCode::NO_CONTENT.into_response());
        }
        let form = FormData::from(kept).with_notice(draft_notice(d.saved_at, true));
        return F::page(&state, &session, &t, &rec, &form, &[]).await;
    }
    // "Change the answers" on a confirmation: the form again, as it was filled in.
    if form.get("change") == "yes" {
        let kept: Vec<(String, String)> = form
            .fields()
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "change" | "confirmed" | "reason"))
            .cloned()
            .collect();
        return F::page(&state, &session, &t, &rec, &FormData::from(kept), &[]).await;
    }
    let errors = match F::read(&form, &t, &rec) {
        Ok(input) => {
            // A step that cannot be undone is checked and confirmed first, with its reason.
            let input = match F::confirm(&t, &rec, &input) {
                None => input,
                Some(c) => {
                    let reason = form.get("reason");
                    let problem = match c.reason {
                        _ if form.get("confirmed") != "yes" => Some(None),
                        Some((_, missing)) if reason.trim().is_empty() => {
                            Some(Some(missing.to_string()))
                        }
                        Some((label, _)) if reason.chars().count() > REASON_MAX => Some(Some(
                            format!("{label} must be {REASON_MAX} characters or fewer"),
                        )),
                        _ => None,
                    };
                    if let Some(error) = problem {
                        let name = rec.caption();
                        let action = uri
                            .path_and_query()
                            .map(|p| p.as_str())
                            .unwrap_or(uri.path());
                        return confirm_page(
                            &state, &session, t.child, &name, action, &c, &form, error,
                        );
                    }
                    if c.reason.is_some() {
                        F::with_reason(input, reason.trim().to_string())
                    } else {
                        input
                    }
                }
            };
            match F::save(&state, session.actor(), &t, input).await {
                Ok(saved) => {
                    if F::DRAFT {
                        state
                            .store
                            .discard_working_draft(session.user.id, &draft_key::<F>(&id, &t.query))
                            .await?;
                    }
                    return Ok(Redirect::to(&F::done(&t, &saved)).into_response());
                }
                Err(e) => vec![F::refusal(e)?],
            }
        }
        Err(errors) => errors,
    };
    F::page(&state, &session, &t, &rec, &form, &errors).await
}

/// `POST` a form's API.
pub async fn form_api<F: CaseForm>(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    OriginalUri(uri): OriginalUri,
    body: Result<Json<F::Body>, JsonRejection>,
) -> Result<Response, AppError> {
    let what = format!("POST {}", uri.path());
    let (id, children) = resolve(&state, &session, F::API_ON, &id, F::ACTION, &what, true).await?;
    let body = match body {
        Ok(Json(b)) => b,
        Err(r) => return Ok(bad_json(r)),
    };
    let t = Target {
        id,
        child: children.first().copied().unwrap_or_default(),
        children,
        query: RefQuery::default(),
    };
    F::authorise_record(&state, &session, &t, true).await?;
    let input = match F::from_body(body, &t) {
        Ok(i) => i,
        Err(problems) => return Ok(crate::api::unprocessable(problems)),
    };
    let problems = F::api_check(&state, &t, &input).await?;
    if !problems.is_empty() {
        return Ok(crate::api::unprocessable(problems));
    }
    match F::save(&state, session.actor(), &t, input).await {
        Ok(v) => {
            let status = if F::CREATED {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((status, Json(v)).into_response())
        }
        Err(e) => F::api_refusal(e),
    }
}

/// The form's page and API routes.
pub fn routes<F: CaseForm>() -> Router<AppState> {
    let router = match (F::BLANK, F::FORM) {
        (true, None) => Router::new().route(F::PAGE, get(form_page::<F>).post(form_post::<F>)),
        (true, Some(form)) => Router::new()
            .route(form, get(form_page::<F>))
            .route(F::PAGE, post(form_post::<F>)),
        // A form shown on another page (a plan's, an assessment's) answers `GET` at its own path
        // too: signing in again after the session ended returns there, with what was entered.
        (false, _) => Router::new().route(F::PAGE, get(form_page::<F>).post(form_post::<F>)),
    };
    router.route(F::API, post(form_api::<F>))
}

/// Adds the form's API operation, with its body and answer schemas, to the OpenAPI document.
pub fn document<F: CaseForm>(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
    use utoipa::openapi::request_body::RequestBodyBuilder;
    use utoipa::openapi::{ContentBuilder, Ref, Required, ResponseBuilder};
    let json = |name: Cow<'static, str>| {
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(name)))
            .build()
    };
    let error = |what: &str| {
        ResponseBuilder::new()
            .description(what)
            .content("application/json", json("ApiError".into()))
            .build()
    };
    let ok = if F::CREATED { "201" } else { "200" };
    let op = OperationBuilder::new()
        .summary(Some(F::SUMMARY))
        .parameter(
            ParameterBuilder::new()
                .name("id")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .build(),
        )
        .request_body(Some(
            RequestBodyBuilder::new()
                .content("application/json", json(F::Body::name()))
                .required(Some(Required::True))
                .build(),
        ))
        .response(
            ok,
            ResponseBuilder::new()
                .description("Saved")
                .content("application/json", json(F::Saved::name()))
                .build(),
        )
        .response(
            "422",
            ResponseBuilder::new()
                .description("A field is wrong; each problem names its field")
                .content("application/json", json("ValidationErrors".into()))
                .build(),
        )
        .response(
            "403",
            error("Forbidden by the role or the record's restrictions"),
        )
        .response("404", error("No such record"))
        .build();
    doc.paths
        .add_path_operation(F::API, vec![HttpMethod::Post], op);
    let mut schemas = vec![
        (F::Body::name().into_owned(), F::Body::schema()),
        (F::Saved::name().into_owned(), F::Saved::schema()),
    ];
    F::Body::schemas(&mut schemas);
    F::Saved::schemas(&mut schemas);
    let components = doc.components.get_or_insert_with(Default::default);
    for (name, schema) in schemas {
        components.schemas.entry(name).or_insert(schema);
    }
}

/// The record read from a form, once the domain's `validate` finds nothing wrong; or every
/// problem. `input` is None when a field it needs could not be read (its problem is in `errors`).
pub fn valid<T>(
    mut errors: Vec<FieldError>,
    input: Option<T>,
    validate: impl FnOnce(&T) -> Vec<FieldError>,
) -> Result<T, Vec<FieldError>> {
    if let Some(i) = &input {
        errors.extend(validate(i));
    }
    match input {
        Some(i) if errors.is_empty() => Ok(i),
        _ => Err(errors),
    }
}

/// The child's page after saving, with what was saved for its banner.
pub fn to_child(child: Uuid, saved: &str) -> String {
    format!("/children/{child}?saved={saved}")
}
