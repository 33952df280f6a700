use crate::AppState;
use crate::api::ApiError;
use crate::api::ValidationErrors;
use crate::api::bad_json;
use crate::api::store_field_error;
use crate::api::unprocessable;
use crate::auth::Session;
use crate::auth::deny;
use crate::codes;
use crate::error::AppError;
use crate::guard::authorise;
use crate::guard::open_child;
use crate::guard::parse_id;
use crate::policy::Action;
use crate::policy::check_role;
use axum::Json;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use chrono::NaiveDate;
use domain::access::Role;
use domain::person::PersonForm;
use domain::person::PersonKind;
use domain::validate::DateParts;
use domain::validate::FieldError;
use serde::Deserialize;
use serde::Serialize;
use store::ChildRecord;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct IdentifiersJson {
    pub council_child_id: Option<String>,
    pub nhs_number: Option<String>,
    pub upn: Option<String>,
    pub former_upn: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ChildSummaryJson {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub expected_date_of_birth: Option<NaiveDate>,
    pub council_child_id: Option<String>,
    pub restricted: bool,
    pub allocated_worker: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SearchParams {
    /// Part of a name, or an identifier (council child ID, NHS number, UPN).
    q: Option<String>,
    /// ISO date, e.g. 2019-02-03.
    date_of_birth: Option<NaiveDate>,
}

/// Finds children by name, date of birth or identifier (50 at most). Restricted records the user
/// may not open are left out, and nothing says they matched.
#[utoipa::path(get, path = "/api/children", params(SearchParams),
    responses((status = 200, body = [ChildSummaryJson]), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub(crate) async fn search_children(
    State(state): State<AppState>,
    session: Session,
    Query(p): Query<SearchParams>,
) -> Result<Response, AppError> {
    if let Err(d) = check_role(&session.user, Action::SearchRecords) {
        return Err(deny(&state, &session, None, "GET /api/children", d.0, true).await);
    }
    let found = crate::person::find(
        &state,
        &session,
        p.q,
        p.date_of_birth.map(|d| (d, d)),
        Some(PersonKind::Child),
        50,
        "GET /api/children",
    )
    .await?;
    let children: Vec<ChildSummaryJson> = found
        .shown
        .into_iter()
        .map(|r| ChildSummaryJson {
            id: r.id,
            given_name: r.given_name,
            family_name: r.family_name,
            date_of_birth: r.date_of_birth,
            expected_date_of_birth: r.expected_date_of_birth,
            council_child_id: r.council_child_id,
            restricted: r.restricted,
            allocated_worker: r.allocated_worker_name,
        })
        .collect();
    Ok(Json(children).into_response())
}

/// A child's details to create a record. Dates are ISO (YYYY-MM-DD); codes are from the current
/// collection year's lists.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ChildInput {
    pub given_name: String,
    pub family_name: String,
    #[serde(default)]
    pub date_of_birth: Option<String>,
    #[serde(default)]
    pub expected_date_of_birth: Option<String>,
    pub sex: String,
    #[serde(default)]
    pub ethnicity: Option<String>,
    #[serde(default)]
    pub disabilities: Vec<String>,
    #[serde(default)]
    pub council_child_id: Option<String>,
    #[serde(default)]
    pub nhs_number: Option<String>,
    #[serde(default)]
    pub upn: Option<String>,
    #[serde(default)]
    pub former_upn: Option<String>,
    #[serde(default)]
    pub uasc: bool,
    /// Only team managers may set or clear this.
    #[serde(default)]
    pub restricted: Option<bool>,
}

/// A correction: the version the client read, and the whole of the new details.
#[derive(Deserialize, ToSchema)]
pub struct ChildUpdate {
    pub version: i64,
    #[serde(flatten)]
    pub child: ChildInput,
}

pub(crate) fn iso_date(field: &str, v: &Option<String>, errors: &mut Vec<FieldError>) -> DateParts {
    let Some(s) = v.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return DateParts::default();
    };
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => DateParts::from_date(Some(d)),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                format!("{field} must be a real date written YYYY-MM-DD, not {s:?}"),
            ));
            DateParts::default()
        }
    }
}

impl ChildInput {
    fn into_form(
        self,
        restricted_default: bool,
        may_restrict: bool,
    ) -> (PersonForm, Vec<FieldError>) {
        let mut errors = Vec::new();
        let dob = iso_date("date_of_birth", &self.date_of_birth, &mut errors);
        let edob = iso_date(
            "expected_date_of_birth",
            &self.expected_date_of_birth,
            &mut errors,
        );
        if self.restricted.is_some_and(|r| r != restricted_default) && !may_restrict {
            errors.push(FieldError::new(
                "restricted",
                "Only a team manager can restrict a record or lift a restriction",
            ));
        }
        let form = PersonForm {
            given_name: self.given_name,
            family_name: self.family_name,
            date_of_birth: dob,
            expected_date_of_birth: edob,
            sex: self.sex,
            ethnicity: self.ethnicity.unwrap_or_default(),
            disabilities: self.disabilities,
            council_child_id: self.council_child_id.unwrap_or_default(),
            nhs_number: self.nhs_number.unwrap_or_default(),
            upn: self.upn.unwrap_or_default(),
            former_upn: self.former_upn.unwrap_or_default(),
            uasc: self.uasc,
            restricted: self.restricted.unwrap_or(restricted_default),
        };
        (form, errors)
    }
}

#[derive(Serialize, ToSchema)]
pub struct AddressJson {
    pub line1: String,
    pub line2: String,
    pub town: String,
    pub postcode: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct RelationshipJson {
    /// The nil UUID, named "Restricted record", for a child whose record is restricted from you.
    pub person_id: Uuid,
    pub name: String,
    /// The relationship code, e.g. parent, sibling.
    pub kind: String,
    /// True when the other person is the `kind` of this child (e.g. their parent).
    pub other_is_subject: bool,
}

#[derive(Serialize, ToSchema)]
pub struct AllocationJson {
    pub worker_id: Uuid,
    pub worker_name: String,
    pub team_name: Option<String>,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct ChronologyJson {
    pub date: NaiveDate,
    pub category: String,
    pub summary: String,
    pub recorded_by: Option<String>,
}

/// A child's record.
#[derive(Serialize, ToSchema)]
pub struct ChildJson {
    pub id: Uuid,
    /// Send back with a correction; a different stored version means someone else changed it.
    pub version: i64,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub expected_date_of_birth: Option<NaiveDate>,
    pub sex: String,
    pub ethnicity: String,
    pub disabilities: Vec<String>,
    pub identifiers: IdentifiersJson,
    pub uasc: bool,
    pub restricted: bool,
    pub addresses: Vec<AddressJson>,
    pub relationships: Vec<RelationshipJson>,
    pub allocations: Vec<AllocationJson>,
    /// Newest first.
    pub chronology: Vec<ChronologyJson>,
}

impl From<ChildRecord> for ChildJson {
    fn from(r: ChildRecord) -> Self {
        let d = r.person.details;
        ChildJson {
            id: r.person.id,
            version: r.person.version,
            given_name: d.given_name,
            family_name: d.family_name,
            date_of_birth: d.date_of_birth,
            expected_date_of_birth: d.expected_date_of_birth,
            sex: d.sex,
            ethnicity: d.ethnicity,
            disabilities: d.disabilities,
            identifiers: IdentifiersJson {
                council_child_id: d.identifiers.council_child_id,
                nhs_number: d.identifiers.nhs_number,
                upn: d.identifiers.upn,
                former_upn: d.identifiers.former_upn,
            },
            uasc: d.uasc,
            restricted: d.restricted,
            addresses: r
                .addresses
                .into_iter()
                .map(|a| AddressJson {
                    line1: a.line1,
                    line2: a.line2,
                    town: a.town,
                    postcode: a.postcode,
                    from: a.from,
                    to: a.to,
                })
                .collect(),
            relationships: r
                .relationships
                .into_iter()
                .map(|x| RelationshipJson {
                    person_id: x.other.id,
                    name: x.other.full_name(),
                    kind: x.relationship.kind,
                    other_is_subject: x.other_is_subject,
                })
                .collect(),
            allocations: r
                .allocations
                .into_iter()
                .map(|a| AllocationJson {
                    worker_id: a.allocation.worker_id,
                    worker_name: a.worker_name,
                    team_name: a.team_name,
                    from: a.allocation.from,
                    to: a.allocation.to,
                })
                .collect(),
            chronology: r
                .chronology
                .into_iter()
                .map(|c| ChronologyJson {
                    date: c.date,
                    category: c.category,
                    summary: c.summary,
                    recorded_by: c.recorded_by,
                })
                .collect(),
        }
    }
}

/// Creates a child's record.
#[utoipa::path(post, path = "/api/children", request_body = ChildInput,
    responses((status = 201, body = ChildJson), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn create_child(
    State(state): State<AppState>,
    session: Session,
    body: Result<Json<ChildInput>, JsonRejection>,
) -> Result<Response, AppError> {
    if let Err(d) = check_role(&session.user, Action::CreateRecord) {
        return Err(deny(&state, &session, None, "POST /api/children", d.0, true).await);
    }
    let Json(input) = match body {
        Ok(b) => b,
        Err(r) => return Ok(bad_json(r)),
    };
    let (form, mut errors) = input.into_form(false, session.user.role == Role::TeamManager);
    let today = chrono::Utc::now().date_naive();
    let details = match form.validate_child(&codes::CurrentCodes, today) {
        Ok(d) if errors.is_empty() => d,
        Ok(_) => return Ok(unprocessable(errors)),
        Err(mut e) => {
            errors.append(&mut e);
            return Ok(unprocessable(errors));
        }
    };
    let person = match state.store.create_person(session.actor(), details).await {
        Ok(p) => p,
        Err(e) => return store_field_error(e),
    };
    let mut rec = state
        .store
        .view_child_record(session.actor(), person.id, "api: created")
        .await?;
    crate::guard::withhold_restricted(&session, &mut rec);
    Ok((StatusCode::CREATED, Json(ChildJson::from(rec))).into_response())
}

/// A child's whole record. The view is recorded in the audit log.
#[utoipa::path(get, path = "/api/children/{id}", params(("id" = Uuid, Path)),
    responses((status = 200, body = ChildJson), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(crate) async fn get_child(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<ChildJson>, AppError> {
    let rec = open_child(&state, &session, &id, "/api/children/{id}", "api", true).await?;
    Ok(Json(rec.into()))
}

/// Corrects a child's details. The history is kept in the audit log.
#[utoipa::path(put, path = "/api/children/{id}", params(("id" = Uuid, Path)), request_body = ChildUpdate,
    responses((status = 200, body = ChildJson), (status = 409, body = ApiError), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn update_child(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<ChildUpdate>, JsonRejection>,
) -> Result<Response, AppError> {
    let id = parse_id(&id, true)?;
    authorise(
        &state,
        &session,
        id,
        Action::EditRecord,
        &format!("PUT /api/children/{id}"),
        true,
    )
    .await?;
    let Json(update) = match body {
        Ok(b) => b,
        Err(r) => return Ok(bad_json(r)),
    };
    let current = state.store.get_person(id).await?;
    let (form, mut errors) = update.child.into_form(
        current.details.restricted,
        session.user.role == Role::TeamManager,
    );
    let today = chrono::Utc::now().date_naive();
    let details = match form.validate_child(&codes::CurrentCodes, today) {
        Ok(d) if errors.is_empty() => d,
        Ok(_) => return Ok(unprocessable(errors)),
        Err(mut e) => {
            errors.append(&mut e);
            return Ok(unprocessable(errors));
        }
    };
    if let Err(e) = state
        .store
        .update_person(session.actor(), id, update.version, details)
        .await
    {
        return store_field_error(e);
    }
    let mut rec = state
        .store
        .view_child_record(session.actor(), id, "api: updated")
        .await?;
    crate::guard::withhold_restricted(&session, &mut rec);
    Ok(Json(ChildJson::from(rec)).into_response())
}

pub(crate) fn parse_iso(
    field: &str,
    v: &str,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    let v = v.trim();
    if v.is_empty() {
        if required {
            errors.push(FieldError::new(
                field,
                format!("{field} is required (YYYY-MM-DD)"),
            ));
        }
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if d > chrono::Utc::now().date_naive() => {
            errors.push(FieldError::new(
                field,
                format!("{field} must be today or in the past"),
            ));
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                format!("{field} must be a real date written YYYY-MM-DD, not {v:?}"),
            ));
            None
        }
    }
}

/// Allocates a child to a worker from a date (team managers only).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationInput {
    pub worker_id: Uuid,
    /// ISO date the allocation starts; the current one ends the day before.
    pub from: String,
}

/// A new address for a child; the current one ends the day before `from`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    pub line1: String,
    #[serde(default)]
    pub line2: String,
    pub town: String,
    pub postcode: String,
    pub from: String,
}

/// A new family member or carer and how they are related to the child.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FamilyMemberInput {
    /// Relationship code, e.g. parent, grandparent, kinship_carer: "they are the child's ...".
    pub kind: String,
    pub given_name: String,
    pub family_name: String,
    #[serde(default)]
    pub sex: Option<String>,
    #[serde(default)]
    pub date_of_birth: Option<String>,
}
