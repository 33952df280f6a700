//! The co-working forms: a second worker on a child's case, and its end.

use super::*;

/// A child's record with the workers who might co-work it.
pub struct CoWorking {
    pub record: store::ChildRecord,
    pub staff: Vec<StaffMember>,
    pub co_workers: Vec<(Uuid, String, chrono::NaiveDate)>,
}

#[async_trait]
impl Subject for CoWorking {
    fn caption(&self) -> String {
        self.record.person.full_name()
    }
    async fn open(
        state: &AppState,
        session: &Session,
        t: &Target,
        what: &str,
    ) -> Result<Self, AppError> {
        let record = store::ChildRecord::open(state, session, t, what).await?;
        let today = crate::forms::fields::today();
        Ok(CoWorking {
            record,
            staff: state
                .store
                .staff()
                .await?
                .into_iter()
                .filter(|s| s.in_post(today) && s.case_holding())
                .collect(),
            co_workers: state.store.co_workers(t.child).await?,
        })
    }
}

/// Co-working as the API takes it.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct CoWorkingBody {
    pub worker_id: Uuid,
    pub from: chrono::NaiveDate,
}

/// A second worker on a child's case (a manager's decision, as allocation is).
pub struct AddCoWorker;

#[async_trait]
impl CaseForm for AddCoWorker {
    type Record = CoWorking;
    type Input = CoWorkingBody;
    type Body = CoWorkingBody;
    type Saved = CoWorkingSaved;
    const PAGE: &'static str = "/children/{id}/co-workers";
    const API: &'static str = "/api/children/{id}/co-workers";
    const ON: On = On::Child;
    const ACTION: Action = Action::Allocate;
    const WHAT: &'static str = "add a co-worker";
    const SUMMARY: &'static str = "Add a second worker on a child's case (co-working), counted in caseloads as the council decides";
    const FALLBACK: &'static str = "worker_id";
    const TODAY: &'static [&'static str] = &["from"];

    fn spec(t: &Target, rec: &CoWorking) -> Result<FormSpec, AppError> {
        let workers: Vec<(String, String)> = rec
            .staff
            .iter()
            .map(|s| (s.worker.id.to_string(), s.worker.name.clone()))
            .collect();
        let now: Vec<String> = rec.co_workers.iter().map(|(_, n, _)| n.clone()).collect();
        let mut spec = FormSpec::new(
            &rec.record,
            "Add a co-worker",
            Self::PAGE.replace("{id}", &t.child.to_string()),
            "Add the co-worker",
            vec![
                Field::Select("worker_id", "Co-worker", workers),
                Field::Date("from", "Co-working from"),
            ],
        );
        if !now.is_empty() {
            spec = spec.summary(vec![("Co-working now", now.join(", "))]);
        }
        Ok(spec)
    }

    fn read(
        form: &FormData,
        _t: &Target,
        _rec: &CoWorking,
    ) -> Result<CoWorkingBody, Vec<FieldError>> {
        let mut e = Vec::new();
        let worker = Uuid::parse_str(&form.get("worker_id")).ok();
        if worker.is_none() {
            e.push(FieldError::new("worker_id", "Choose the co-worker"));
        }
        let from = form.date("from", "Co-working from", &mut e);
        match (worker, from) {
            (Some(worker_id), Some(from)) if e.is_empty() => Ok(CoWorkingBody { worker_id, from }),
            _ => Err(e),
        }
    }

    fn from_body(b: CoWorkingBody, _t: &Target) -> Result<CoWorkingBody, Vec<FieldError>> {
        Ok(b)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        b: CoWorkingBody,
    ) -> Result<CoWorkingSaved, StoreError> {
        state
            .store
            .add_co_worker(actor, t.child, b.worker_id, b.from)
            .await?;
        Ok(CoWorkingSaved {
            child_id: t.child,
            worker_id: b.worker_id,
        })
    }

    fn done(t: &Target, _saved: &CoWorkingSaved) -> String {
        crate::forms::path::to_child(t.child, "co-worker")
    }
}

/// The co-working saved.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CoWorkingSaved {
    pub child_id: Uuid,
    pub worker_id: Uuid,
}

/// The end of a co-working (the last day).
pub struct EndCoWorking;

#[async_trait]
impl CaseForm for EndCoWorking {
    type Record = CoWorking;
    type Input = CoWorkingBody;
    type Body = CoWorkingBody;
    type Saved = CoWorkingSaved;
    const PAGE: &'static str = "/children/{id}/co-workers/end";
    const API: &'static str = "/api/children/{id}/co-workers/end";
    const ON: On = On::Child;
    const ACTION: Action = Action::Allocate;
    const WHAT: &'static str = "end co-working";
    const SUMMARY: &'static str =
        "End a second worker's co-working on a child's case (`from` is the last day)";
    const FALLBACK: &'static str = "worker_id";
    const CREATED: bool = false;
    const TODAY: &'static [&'static str] = &["from"];

    fn spec(t: &Target, rec: &CoWorking) -> Result<FormSpec, AppError> {
        if rec.co_workers.is_empty() {
            return Err(AppError::NotFound { api: false });
        }
        let workers: Vec<(String, String)> = rec
            .co_workers
            .iter()
            .map(|(id, n, _)| (id.to_string(), n.clone()))
            .collect();
        Ok(FormSpec::new(
            &rec.record,
            "End co-working",
            Self::PAGE.replace("{id}", &t.child.to_string()),
            "End the co-working",
            vec![
                Field::Select("worker_id", "Co-worker", workers),
                Field::Date("from", "Last day of co-working"),
            ],
        ))
    }

    fn read(
        form: &FormData,
        _t: &Target,
        _rec: &CoWorking,
    ) -> Result<CoWorkingBody, Vec<FieldError>> {
        let mut e = Vec::new();
        let worker = Uuid::parse_str(&form.get("worker_id")).ok();
        if worker.is_none() {
            e.push(FieldError::new("worker_id", "Choose the co-worker"));
        }
        let from = form.date("from", "Last day of co-working", &mut e);
        match (worker, from) {
            (Some(worker_id), Some(from)) if e.is_empty() => Ok(CoWorkingBody { worker_id, from }),
            _ => Err(e),
        }
    }

    fn from_body(b: CoWorkingBody, _t: &Target) -> Result<CoWorkingBody, Vec<FieldError>> {
        Ok(b)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        b: CoWorkingBody,
    ) -> Result<CoWorkingSaved, StoreError> {
        state
            .store
            .end_co_working(actor, t.child, b.worker_id, b.from)
            .await?;
        Ok(CoWorkingSaved {
            child_id: t.child,
            worker_id: b.worker_id,
        })
    }

    fn done(t: &Target, _saved: &CoWorkingSaved) -> String {
        crate::forms::path::to_child(t.child, "co-working-ended")
    }
}
