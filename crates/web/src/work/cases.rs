//! "My cases": a worker's children with their status and the next thing due; for a team
//! manager, the team's cases by worker with each worker's caseload. The page and the API answer
//! from [`cases_for`].

use crate::AppState;
use crate::api::ApiError;
use crate::auth::{Session, deny};
use crate::error::AppError;
use crate::forms::fields::fmt_date;
use crate::policy::{Action, check_record, check_role};
use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::access::Role;
use domain::calendar::uk_now;
use domain::timescales::Rag;
use domain::work::{CaseloadEntry, DueItem};
use minijinja::context;
use serde::{Deserialize, Serialize};
use store::WorkScope;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct CasesQuery {
    /// A team manager's view of one worker's cases.
    #[serde(default)]
    pub worker: String,
}

/// A child on the caseload, with the soonest thing due for them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Case {
    #[serde(flatten)]
    pub entry: CaseloadEntry,
    /// "4 years", "7 months", "3 weeks".
    pub age: Option<String>,
    /// The status in words, most serious first.
    pub status_lines: Vec<String>,
    pub next_due: Option<DueItem>,
    /// How many things due for this child are overdue.
    pub overdue: usize,
}

/// A worker on a manager's list with their caseload.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkerCases {
    pub worker_id: Uuid,
    pub worker_name: String,
    pub caseload: usize,
    pub overdue: usize,
    pub cases: Vec<Case>,
}

pub struct CasesView {
    pub heading: String,
    pub manager: bool,
    pub no_worker: bool,
    pub workers: Vec<WorkerCases>,
}

/// The cases the user asked for: a social worker's own; a team manager's team (or the one worker
/// asked for, or the service's when the manager has no team). Each child listed is disclosed
/// (an access entry); restricted children only to those who may open them.
pub async fn cases_for(
    state: &AppState,
    session: &Session,
    q: &CasesQuery,
    api: bool,
) -> Result<CasesView, AppError> {
    let route = if api {
        "GET /api/my-cases"
    } else {
        "GET /my-cases"
    };
    if let Err(d) = check_role(&session.user, Action::ViewWorkDue) {
        return Err(deny(state, session, None, route, d.0, api).await);
    }
    let manager = session.user.role == Role::TeamManager;
    let workers = state.store.list_workers().await?;
    let me = session
        .user
        .worker_id
        .and_then(|w| workers.iter().find(|x| x.id == w).cloned());
    let asked: Option<Uuid> = match q.worker.trim() {
        "" => None,
        v => Some(v.parse().map_err(|_| AppError::BadRequest {
            message: format!("\"{v}\" is not a worker"),
            api,
        })?),
    };
    let (scope, heading) = match (asked, &me) {
        (Some(w), _) if manager || me.as_ref().map(|m| m.id) == Some(w) => {
            let Some(worker) = workers.iter().find(|x| x.id == w) else {
                return Err(AppError::NotFound { api });
            };
            (
                Some(WorkScope::Worker(w)),
                format!("Cases held by {}", worker.name),
            )
        }
        (Some(_), _) => {
            let why = "only managers see another worker's cases".to_string();
            return Err(deny(
                state,
                session,
                None,
                &format!("{route}?worker={}", q.worker),
                why,
                api,
            )
            .await);
        }
        (None, Some(w)) if manager => match w.team_id {
            Some(t) => (Some(WorkScope::Team(t)), "Your team's cases".to_string()),
            None => (Some(WorkScope::All), "Cases across the service".to_string()),
        },
        (None, None) if manager => (Some(WorkScope::All), "Cases across the service".to_string()),
        (None, Some(w)) => (Some(WorkScope::Worker(w.id)), "My cases".to_string()),
        (None, None) => (None, "My cases".to_string()),
    };
    let Some(scope) = scope else {
        return Ok(CasesView {
            heading,
            manager,
            no_worker: true,
            workers: Vec::new(),
        });
    };
    let today = uk_now().date();
    let entries = state.store.caseload(scope).await?;
    let due = state
        .store
        .all_work_due(
            scope,
            today,
            state.config.visit_standards,
            Default::default(),
        )
        .await?;
    let ids: Vec<Uuid> = entries.iter().map(|e| e.child_id).collect();
    let facts = state.store.access_facts_of(&ids).await?;
    // The soonest thing due for each child (items come soonest first) and how many are overdue.
    let mut next: std::collections::HashMap<Uuid, (DueItem, usize)> =
        std::collections::HashMap::new();
    for i in due {
        let Some(child) = i.child_id else { continue };
        let overdue = usize::from(i.rag == Rag::Red);
        next.entry(child)
            .and_modify(|(_, n)| *n += overdue)
            .or_insert((i, overdue));
    }
    let mut by_worker: Vec<WorkerCases> = Vec::new();
    let mut shown = Vec::new();
    for e in entries {
        let allowed = facts
            .get(&e.child_id)
            .is_some_and(|f| check_record(&session.user, Action::ViewRecord, f).is_ok());
        if !allowed {
            continue;
        }
        shown.push(e.child_id);
        let (next_due, overdue) = match next.get(&e.child_id) {
            Some((i, n)) => (Some(i.clone()), *n),
            None => (None, 0),
        };
        let case = Case {
            age: e
                .date_of_birth
                .and_then(|d| domain::person::age_text(d, today)),
            status_lines: e.status.lines(),
            next_due,
            overdue,
            entry: e,
        };
        match by_worker.last_mut() {
            Some(w) if w.worker_id == case.entry.worker_id => {
                w.caseload += 1;
                w.overdue += case.overdue;
                w.cases.push(case);
            }
            _ => by_worker.push(WorkerCases {
                worker_id: case.entry.worker_id,
                worker_name: case.entry.worker_name.clone(),
                caseload: 1,
                overdue: case.overdue,
                cases: vec![case],
            }),
        }
    }
    crate::guard::log_disclosure(
        state,
        session,
        "caseload",
        shown,
        &format!("{route}: {}", heading.to_lowercase()),
    )
    .await?;
    Ok(CasesView {
        heading,
        manager,
        no_worker: false,
        workers: by_worker,
    })
}

pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<CasesQuery>,
) -> Result<Response, AppError> {
    let view = cases_for(&state, &session, &q, false).await?;
    let workers: Vec<_> = view
        .workers
        .iter()
        .map(|w| {
            let cases: Vec<_> = w
                .cases
                .iter()
                .map(|c| {
                    context! {
                        id => c.entry.child_id.to_string(),
                        name => c.entry.child_name.clone(),
                        age => c.age.clone(),
                        adviser => c.entry.role == "personal_adviser",
                        restricted => c.entry.status.restricted,
                        status => c.entry.status.short(),
                        lines => c.status_lines.clone(),
                        next => c.next_due.as_ref().map(|i| context! {
                            what => i.what.clone(), due => fmt_date(i.due), link => i.link.clone(),
                            rag_label => i.rag.label(), rag_class => i.rag.tag_class(),
                        }),
                        overdue => c.overdue,
                    }
                })
                .collect();
            context! { id => w.worker_id.to_string(), name => w.worker_name.clone(), caseload => w.caseload, overdue => w.overdue, cases }
        })
        .collect();
    let single = !view.manager || !q.worker.is_empty();
    Ok(state
        .templates
        .page(
            "work/cases.html",
            Some(&session),
            context! { title => view.heading, manager => view.manager, no_worker => view.no_worker, workers, single },
        )?
        .into_response())
}

/// The user's cases (a manager's team's, by worker), each child with status and next thing due.
#[utoipa::path(get, path = "/api/my-cases", params(CasesQuery),
    responses((status = 200, body = [WorkerCases]), (status = 403, body = ApiError)))]
pub(crate) async fn api(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<CasesQuery>,
) -> Result<Response, AppError> {
    let view = cases_for(&state, &session, &q, true).await?;
    Ok(Json(view.workers).into_response())
}
