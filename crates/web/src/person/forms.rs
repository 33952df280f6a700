//! The forms on a child's details, declared once for their pages and API (see
//! [`crate::forms::path`]): allocating a worker, a new address, a family member or carer. The
//! page and the API word their problems for their readers (a person on a page, a developer on
//! the API), from the same checks.

use async_trait::async_trait;
use axum::response::Response;
use chrono::NaiveDate;
use domain::person::{Identifiers, NewAddress, PersonDetails, PersonKind};
use domain::validate::{DateParts, FieldError};
use store::{Actor, ChildRecord, StoreError};
use uuid::Uuid;

use super::api::{
    AddressInput, AddressJson, AllocationInput, AllocationJson, FamilyMemberInput,
    RelationshipJson, parse_iso,
};
use super::family::{
    AddressForm, AllocationForm, FamilyForm, address_page, allocation_page, family_page,
    postcode_is_valid, tidy_postcode,
};
use crate::AppState;
use crate::api::{store_field_error, unprocessable};
use crate::auth::Session;
use crate::codes;
use crate::error::AppError;
use crate::forms::FormData;
use crate::forms::fields::{past_date, today};
use crate::forms::path::{CaseForm, On, Target, to_child};
use crate::policy::Action;

fn problems<T>(errors: Vec<FieldError>, input: Option<T>) -> Result<T, Vec<FieldError>> {
    match input {
        Some(i) if errors.is_empty() => Ok(i),
        _ => Err(errors),
    }
}

/// A worker and the date they hold the child from.
pub struct NewAllocation {
    pub worker_id: Uuid,
    pub from: NaiveDate,
}

/// Allocating the child to a worker (team managers only).
pub struct Allocate;

#[async_trait]
impl CaseForm for Allocate {
    type Record = ChildRecord;
    type Input = NewAllocation;
    type Body = AllocationInput;
    type Saved = AllocationJson;
    const PAGE: &'static str = "/children/{id}/allocation";
    const API: &'static str = "/api/children/{id}/allocations";
    const ON: On = On::Child;
    const ACTION: Action = Action::Allocate;
    const WHAT: &'static str = "allocation";
    const SUMMARY: &'static str = "Allocates the child to a worker.";
    const TODAY: &'static [&'static str] = &["from"];
    const FALLBACK: &'static str = "worker_id";

    fn check(_: &Target, _: &ChildRecord) -> Result<(), AppError> {
        Ok(())
    }

    async fn page(
        state: &AppState,
        session: &Session,
        _: &Target,
        rec: &ChildRecord,
        form: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        let d = form.parts("from");
        let values = AllocationForm {
            worker_id: form.get("worker_id"),
            day: d.day,
            month: d.month,
            year: d.year,
        };
        allocation_page(state, session, rec, &values, errors).await
    }

    fn read(
        form: &FormData,
        _: &Target,
        _: &ChildRecord,
    ) -> Result<NewAllocation, Vec<FieldError>> {
        let mut errors = Vec::new();
        let worker = Uuid::parse_str(&form.get("worker_id")).ok();
        if worker.is_none() {
            errors.push(FieldError::new(
                "worker_id",
                "Choose the worker to allocate",
            ));
        }
        let from = past_date(
            &form.parts("from"),
            "from",
            "Date of allocation",
            &mut errors,
        );
        let input = worker
            .zip(from)
            .map(|(worker_id, from)| NewAllocation { worker_id, from });
        problems(errors, input)
    }

    fn from_body(body: AllocationInput, _: &Target) -> Result<NewAllocation, Vec<FieldError>> {
        let mut errors = Vec::new();
        let from = parse_iso("from", &body.from, true, &mut errors);
        let input = from.map(|from| NewAllocation {
            worker_id: body.worker_id,
            from,
        });
        problems(errors, input)
    }

    fn refusal(e: StoreError) -> Result<FieldError, AppError> {
        match e {
            StoreError::Invalid { field, message } => Ok(FieldError::new(
                if field == "from" { "from" } else { "worker_id" },
                message,
            )),
            StoreError::NotFound(_) => Ok(FieldError::new(
                "worker_id",
                "Choose a worker from the list",
            )),
            e => Err(e.into()),
        }
    }

    fn api_refusal(e: StoreError) -> Result<Response, AppError> {
        match e {
            StoreError::NotFound("worker") => Ok(unprocessable(vec![FieldError::new(
                "worker_id",
                "No worker has this id",
            )])),
            e => store_field_error(e),
        }
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewAllocation,
    ) -> Result<AllocationJson, StoreError> {
        let a = state
            .store
            .allocate(actor, t.child, input.worker_id, input.from)
            .await?;
        let worker_name = state
            .store
            .list_workers()
            .await?
            .into_iter()
            .find(|w| w.id == a.worker_id)
            .map(|w| w.name)
            .unwrap_or_default();
        Ok(AllocationJson {
            worker_id: a.worker_id,
            worker_name,
            team_name: None,
            from: a.from,
            to: a.to,
        })
    }

    fn done(t: &Target, _: &AllocationJson) -> String {
        to_child(t.child, "allocated")
    }
}

/// A new address for the child; the current one ends the day before.
pub struct Address;

#[async_trait]
impl CaseForm for Address {
    type Record = ChildRecord;
    type Input = NewAddress;
    type Body = AddressInput;
    type Saved = AddressJson;
    const PAGE: &'static str = "/children/{id}/addresses";
    const API: &'static str = "/api/children/{id}/addresses";
    const ON: On = On::Child;
    const ACTION: Action = Action::EditRecord;
    const WHAT: &'static str = "address";
    const SUMMARY: &'static str = "Records a new address for the child.";
    const FALLBACK: &'static str = "from";

    fn check(_: &Target, _: &ChildRecord) -> Result<(), AppError> {
        Ok(())
    }

    async fn page(
        state: &AppState,
        session: &Session,
        _: &Target,
        rec: &ChildRecord,
        form: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        let d = form.parts("from");
        let values = AddressForm {
            line1: form.get("line1"),
            line2: form.get("line2"),
            town: form.get("town"),
            postcode: form.get("postcode"),
            day: d.day,
            month: d.month,
            year: d.year,
        };
        address_page(state, session, rec, &values, errors)
    }

    fn read(form: &FormData, _: &Target, _: &ChildRecord) -> Result<NewAddress, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (line1, town, postcode) = (form.get("line1"), form.get("town"), form.get("postcode"));
        if line1.trim().is_empty() {
            errors.push(FieldError::new(
                "line1",
                "Enter the first line of the address",
            ));
        }
        if town.trim().is_empty() {
            errors.push(FieldError::new("town", "Enter the town or city"));
        }
        if postcode.trim().is_empty() {
            errors.push(FieldError::new("postcode", "Enter the postcode"));
        } else if !postcode_is_valid(&postcode) {
            errors.push(FieldError::new(
                "postcode",
                "Enter a real postcode, like AA1 1AA",
            ));
        }
        let from = past_date(
            &form.parts("from"),
            "from",
            "Date they moved in",
            &mut errors,
        );
        let input = from.map(|from| NewAddress {
            line1: line1.trim().into(),
            line2: form.get("line2").trim().into(),
            town: town.trim().into(),
            postcode: tidy_postcode(&postcode),
            from,
            to: None,
        });
        problems(errors, input)
    }

    fn from_body(body: AddressInput, _: &Target) -> Result<NewAddress, Vec<FieldError>> {
        let mut errors = Vec::new();
        if body.line1.trim().is_empty() {
            errors.push(FieldError::new("line1", "line1 is required"));
        }
        if body.town.trim().is_empty() {
            errors.push(FieldError::new("town", "town is required"));
        }
        if !postcode_is_valid(&body.postcode) {
            errors.push(FieldError::new(
                "postcode",
                format!("{:?} is not a UK postcode", body.postcode),
            ));
        }
        let from = parse_iso("from", &body.from, true, &mut errors);
        let input = from.map(|from| NewAddress {
            line1: body.line1.trim().into(),
            line2: body.line2.trim().into(),
            town: body.town.trim().into(),
            postcode: tidy_postcode(&body.postcode),
            from,
            to: None,
        });
        problems(errors, input)
    }

    fn refusal(e: StoreError) -> Result<FieldError, AppError> {
        match e {
            StoreError::Invalid { message, .. } => Ok(FieldError::new("from", message)),
            e => Err(e.into()),
        }
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewAddress,
    ) -> Result<AddressJson, StoreError> {
        let a = state.store.add_address(actor, t.child, input).await?;
        Ok(AddressJson {
            line1: a.line1,
            line2: a.line2,
            town: a.town,
            postcode: a.postcode,
            from: a.from,
            to: a.to,
        })
    }

    fn done(t: &Target, _: &AddressJson) -> String {
        to_child(t.child, "address")
    }
}

/// An adult in the child's life, and how they are related to the child.
pub struct NewFamilyMember {
    pub kind: String,
    pub details: PersonDetails,
}

fn adult(given: &str, family: &str, sex: String, dob: Option<NaiveDate>) -> PersonDetails {
    PersonDetails {
        kind: PersonKind::Adult,
        given_name: given.trim().into(),
        family_name: family.trim().into(),
        date_of_birth: dob,
        expected_date_of_birth: None,
        sex,
        ethnicity: String::new(),
        disabilities: vec![],
        identifiers: Identifiers::default(),
        uasc: false,
        restricted: false,
    }
}

fn family_kind_is_valid(kind: &str) -> bool {
    !codes::relationship_label(kind).starts_with("Unknown") && !kind.contains("sibling")
}

/// A family member or carer added to the child's record.
pub struct FamilyMember;

#[async_trait]
impl CaseForm for FamilyMember {
    type Record = ChildRecord;
    type Input = NewFamilyMember;
    type Body = FamilyMemberInput;
    type Saved = RelationshipJson;
    const PAGE: &'static str = "/children/{id}/family";
    const API: &'static str = "/api/children/{id}/family";
    const ON: On = On::Child;
    const ACTION: Action = Action::EditRecord;
    const WHAT: &'static str = "family member";
    const SUMMARY: &'static str = "Adds a family member or carer to the child's record.";
    const FALLBACK: &'static str = "kind";

    fn check(_: &Target, _: &ChildRecord) -> Result<(), AppError> {
        Ok(())
    }

    async fn page(
        state: &AppState,
        session: &Session,
        _: &Target,
        rec: &ChildRecord,
        form: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        let d = form.parts("date_of_birth");
        let values = FamilyForm {
            kind: form.get("kind"),
            given_name: form.get("given_name"),
            family_name: form.get("family_name"),
            sex: form.get("sex"),
            day: d.day,
            month: d.month,
            year: d.year,
        };
        family_page(state, session, rec, &values, errors)
    }

    fn read(
        form: &FormData,
        _: &Target,
        _: &ChildRecord,
    ) -> Result<NewFamilyMember, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (kind, given, family, sex) = (
            form.get("kind"),
            form.get("given_name"),
            form.get("family_name"),
            form.get("sex"),
        );
        if !family_kind_is_valid(&kind) {
            errors.push(FieldError::new(
                "kind",
                "Choose how this person is related to the child",
            ));
        }
        if given.trim().is_empty() {
            errors.push(FieldError::new("given_name", "Enter their first name"));
        }
        if family.trim().is_empty() {
            errors.push(FieldError::new("family_name", "Enter their last name"));
        }
        if !sex.is_empty() && !codes::sex_options().iter().any(|(c, _)| *c == sex) {
            errors.push(FieldError::new("sex", "Choose one of the options"));
        }
        let parts: DateParts = form.parts("date_of_birth");
        let dob = match parts.parse("date_of_birth", "Date of birth") {
            Ok(Some(d)) if d > today() => {
                errors.push(FieldError::new(
                    "date_of_birth",
                    "Date of birth must be in the past",
                ));
                None
            }
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let sex = if sex.is_empty() { "U".to_string() } else { sex };
        let details = adult(&given, &family, sex, dob);
        problems(errors, Some(NewFamilyMember { kind, details }))
    }

    fn from_body(body: FamilyMemberInput, _: &Target) -> Result<NewFamilyMember, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !family_kind_is_valid(&body.kind) {
            errors.push(FieldError::new(
                "kind",
                format!(
                    "{:?} is not a relationship code for a family member or carer",
                    body.kind
                ),
            ));
        }
        if body.given_name.trim().is_empty() {
            errors.push(FieldError::new("given_name", "given_name is required"));
        }
        if body.family_name.trim().is_empty() {
            errors.push(FieldError::new("family_name", "family_name is required"));
        }
        let sex = body.sex.clone().unwrap_or_else(|| "U".into());
        if !codes::sex_options().iter().any(|(c, _)| *c == sex) {
            errors.push(FieldError::new(
                "sex",
                format!("{sex:?} is not in the current sex code list"),
            ));
        }
        let dob = parse_iso(
            "date_of_birth",
            body.date_of_birth.as_deref().unwrap_or(""),
            false,
            &mut errors,
        );
        let details = adult(&body.given_name, &body.family_name, sex, dob);
        problems(
            errors,
            Some(NewFamilyMember {
                kind: body.kind,
                details,
            }),
        )
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewFamilyMember,
    ) -> Result<RelationshipJson, StoreError> {
        let (person, rel) = state
            .store
            .add_related_person(actor, input.details, input.kind, t.child)
            .await?;
        Ok(RelationshipJson {
            person_id: person.id,
            name: person.full_name(),
            kind: rel.kind,
            other_is_subject: true,
        })
    }

    fn done(t: &Target, _: &RelationshipJson) -> String {
        to_child(t.child, "family")
    }
}
