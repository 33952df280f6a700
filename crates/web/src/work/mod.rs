//! Work due: each worker's, team's and the service's decisions, assessments, conferences,
//! reviews, core groups, plan actions and visits (private fostering visits too), due or overdue.
//! The page and the API both answer from [`work_for`], so they cannot drift apart.

use axum::Router;
use axum::routing::get;
use domain::access::Role;
use domain::calendar::uk_now;
use domain::work::DueItem;
use store::WorkScope;
use utoipa::OpenApi;

use crate::AppState;
use crate::auth::{Session, deny};
use crate::error::AppError;
use crate::policy::{Action, check_record, check_role};

pub mod api;
pub mod pages;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/work", get(pages::work_due))
        .route("/api/work", get(api::work_due))
}

#[derive(OpenApi)]
#[openapi(paths(api::work_due), components(schemas(domain::work::DueItem)))]
pub struct Doc;

/// The work a user asked for, and what the page says of it.
pub struct WorkView {
    pub heading: &'static str,
    /// Soonest first; only what the user may see.
    pub items: Vec<DueItem>,
    pub manager: bool,
    /// The user holds no cases (no worker record) and is not a manager.
    pub no_worker: bool,
}

/// The work due in the scope asked for ("" or "mine", "team", "all"): a team manager sees their
/// team's by default (the whole service when they have no team) and the service's on asking;
/// anyone else sees their own, and asking for the service's is refused (audited). Front-door
/// decisions are listed for managers only; restricted children only to those who may open them.
pub async fn work_for(
    state: &AppState,
    session: &Session,
    scope: &str,
    api: bool,
) -> Result<WorkView, AppError> {
    let route = if api { "GET /api/work" } else { "GET /work" };
    if let Err(d) = check_role(&session.user, Action::ViewWorkDue) {
        return Err(deny(state, session, None, route, d.0, api).await);
    }
    let manager = session.user.role == Role::TeamManager;
    let workers = state.store.list_workers().await?;
    let me = session
        .user
        .worker_id
        .and_then(|w| workers.into_iter().find(|x| x.id == w));
    let (scope, heading) = match (scope, &me) {
        ("all", _) if manager => (Some(WorkScope::All), "Work due across the service"),
        ("all", _) => {
            let what = format!("{route}?scope=all");
            let why = "only managers see the whole service's work".to_string();
            return Err(deny(state, session, None, &what, why, api).await);
        }
        ("team" | "", Some(w)) if manager => match w.team_id {
            Some(team) => (Some(WorkScope::Team(team)), "Work due in your team"),
            None => (Some(WorkScope::All), "Work due across the service"),
        },
        ("team" | "", None) if manager => (Some(WorkScope::All), "Work due across the service"),
        (_, Some(w)) => (Some(WorkScope::Worker(w.id)), "Your work due"),
        (_, None) => (None, "Your work due"),
    };
    let items = match scope {
        Some(s) => {
            state
                .store
                .all_work_due(
                    s,
                    uk_now().date(),
                    state.config.visit_standards,
                    Default::default(),
                )
                .await?
        }
        None => Vec::new(),
    };
    // Every child's facts in one query, not one per thing due.
    let mut children: Vec<uuid::Uuid> = items.iter().filter_map(|i| i.child_id).collect();
    children.sort_unstable();
    children.dedup();
    let facts = state.store.access_facts_of(&children).await?;
    let mut out = Vec::with_capacity(items.len());
    for i in items {
        if !manager && i.what == "Front-door decision" {
            continue;
        }
        if let Some(child) = i.child_id {
            let allowed = facts
                .get(&child)
                .is_some_and(|f| check_record(&session.user, Action::ViewRecord, f).is_ok());
            if !allowed {
                continue;
            }
        }
        out.push(i);
    }
    crate::guard::log_disclosure(
        state,
        session,
        "work_due",
        out.iter().filter_map(|i| i.child_id),
        &format!("{route}: {}", heading.to_lowercase()),
    )
    .await?;
    Ok(WorkView {
        heading,
        items: out,
        manager,
        no_worker: me.is_none() && !manager,
    })
}
