//! Work due: each worker's, team's and the service's decisions, assessments, conferences,
//! reviews, core groups, plan actions and visits (private fostering visits too), due or overdue.
//! The page and the API both answer from [`work_for`], so they cannot drift apart.

use axum::Router;
use axum::routing::get;
use domain::access::Role;
use domain::calendar::uk_now;
use domain::timescales::Rag;
use domain::work::{DueItem, WorkKind};
use store::WorkScope;
use utoipa::OpenApi;

use crate::AppState;
use crate::auth::{Session, deny};
use crate::error::AppError;
use crate::policy::{Action, check_record, check_role};

pub mod api;
pub mod cases;
pub mod pages;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/work", get(pages::work_due))
        .route("/api/work", get(api::work_due))
        .route("/my-cases", get(cases::page))
        .route("/api/my-cases", get(cases::api))
}

#[derive(OpenApi)]
#[openapi(
    paths(api::work_due, cases::api),
    components(schemas(
        domain::work::DueItem,
        domain::work::WorkKind,
        domain::work::CaseloadEntry,
        domain::work::CaseStatus,
        cases::Case,
        cases::WorkerCases
    ))
)]
pub struct Doc;

/// What a user asked the work due list for: whose work, and the filters on it.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::IntoParams)]
pub struct WorkFilter {
    /// "mine" (the default for social workers), "team" (the default for managers) or "all"
    /// (managers only).
    #[serde(default)]
    pub scope: String,
    /// One worker's work (managers only; a worker may name themselves).
    #[serde(default)]
    pub worker: String,
    /// One team's work (managers only).
    #[serde(default)]
    pub team: String,
    /// One kind of work (`front_door`, `assessment`, `child_protection`, `plan_action`, `visit`,
    /// `care`, `leaving_care`, `private_fostering`, `audit`, `allocation`, `supervision`).
    #[serde(default)]
    pub kind: String,
    /// Only what is overdue ("yes").
    #[serde(default)]
    pub overdue: String,
    /// The page (from 1); the API answers every item when no page is asked for.
    #[serde(default)]
    pub page: Option<usize>,
}

/// Items on one page of the work due list.
pub const PER_PAGE: usize = 50;

/// The work a user asked for, and what the page says of it.
pub struct WorkView {
    pub heading: String,
    /// Soonest first; only what the user may see, after the filters; the page asked for.
    pub items: Vec<DueItem>,
    /// How many items the filters match, on every page.
    pub total: usize,
    /// Of those, overdue and due today.
    pub overdue: usize,
    pub due_today: usize,
    /// How many items of each kind in scope (before the kind and overdue filters).
    pub kinds: Vec<(WorkKind, usize)>,
    pub page: usize,
    pub pages: usize,
    pub manager: bool,
    /// The user holds no cases (no worker record) and is not a manager.
    pub no_worker: bool,
    /// The workers a manager may pick (team name, worker id, name), by team.
    pub workers: Vec<(String, uuid::Uuid, String)>,
    pub teams: Vec<(uuid::Uuid, String)>,
}

/// The work due in the scope asked for: a team manager sees their team's by default (the whole
/// service when they have no team), the service's, another team's or one worker's on asking;
/// anyone else sees their own, and asking for anyone else's is refused (audited). Front-door
/// decisions are listed for managers only; restricted children only to those who may open them.
/// Only the children on the page returned are disclosed (access entries).
pub async fn work_for(
    state: &AppState,
    session: &Session,
    f: &WorkFilter,
    api: bool,
) -> Result<WorkView, AppError> {
    let route = if api { "GET /api/work" } else { "GET /work" };
    if let Err(d) = check_role(&session.user, Action::ViewWorkDue) {
        return Err(deny(state, session, None, route, d.0, api).await);
    }
    let manager = session.user.role == Role::TeamManager;
    let workers = state.store.list_workers().await?;
    let teams = state.store.list_teams().await?;
    let me = session
        .user
        .worker_id
        .and_then(|w| workers.iter().find(|x| x.id == w).cloned());
    let bad = |message: String| AppError::BadRequest { message, api };
    let kind = match f.kind.as_str() {
        "" => None,
        k => Some(
            WorkKind::from_code(k)
                .ok_or_else(|| bad(format!("There is no kind of work called \"{k}\"")))?,
        ),
    };
    let id = |v: &str, what: &str| -> Result<Option<uuid::Uuid>, AppError> {
        match v.trim() {
            "" => Ok(None),
            v => v
                .parse()
                .map(Some)
                .map_err(|_| bad(format!("\"{v}\" is not a {what}"))),
        }
    };
    let (worker_asked, team_asked) = (id(&f.worker, "worker")?, id(&f.team, "team")?);
    let refuse = |why: &str| {
        let what = format!("{route}?{}", describe(f));
        (what, why.to_string())
    };
    let team_name = |t: uuid::Uuid| {
        teams
            .iter()
            .find(|x| x.id == t)
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    let (scope, heading): (Option<WorkScope>, String) = if let Some(w) = worker_asked {
        let Some(worker) = workers.iter().find(|x| x.id == w) else {
            return Err(AppError::NotFound { api });
        };
        if !manager && me.as_ref().map(|m| m.id) != Some(w) {
            let (what, why) = refuse("only managers see another worker's work");
            return Err(deny(state, session, None, &what, why, api).await);
        }
        (
            Some(WorkScope::Worker(w)),
            format!("Work due for {}", worker.name),
        )
    } else if let Some(t) = team_asked {
        if !manager {
            let (what, why) = refuse("only managers see a team's work");
            return Err(deny(state, session, None, &what, why, api).await);
        }
        if !teams.iter().any(|x| x.id == t) {
            return Err(AppError::NotFound { api });
        }
        (
            Some(WorkScope::Team(t)),
            format!("Work due in {}", team_name(t)),
        )
    } else {
        match (f.scope.as_str(), &me) {
            ("all", _) if manager => (Some(WorkScope::All), "Work due across the service".into()),
            ("all", _) => {
                let (what, why) = refuse("only managers see the whole service's work");
                return Err(deny(state, session, None, &what, why, api).await);
            }
            ("team" | "", Some(w)) if manager => match w.team_id {
                Some(team) => (Some(WorkScope::Team(team)), "Work due in your team".into()),
                None => (Some(WorkScope::All), "Work due across the service".into()),
            },
            ("team" | "", None) if manager => {
                (Some(WorkScope::All), "Work due across the service".into())
            }
            (_, Some(w)) => (Some(WorkScope::Worker(w.id)), "Your work due".into()),
            (_, None) => (None, "Your work due".into()),
        }
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
    // A manager's list also holds the workforce's work: supervision due by the council's
    // standard, and workers in their ASYE over the protected caseload.
    let mut items = items;
    if manager && let Some(s) = scope {
        let today = uk_now().date();
        let staff = state.store.staff().await?;
        let last = state.store.last_supervisions().await?;
        let standards = state.store.workforce_standards().await?;
        let held = state.store.cases_held(today).await?;
        let siblings = state.store.sibling_pairs().await?;
        let loads = domain::workforce::caseload::worker_caseloads(
            &staff, &held, &siblings, &standards, today,
        );
        items.extend(domain::workforce::due::due_items(
            &staff,
            &last,
            &loads,
            &standards,
            // A manager's own supervision is their line manager's work, not theirs.
            |m| {
                Some(m.worker.id) != session.user.worker_id
                    && match s {
                        WorkScope::All => true,
                        WorkScope::Team(t) => m.worker.team_id == Some(t),
                        WorkScope::Worker(w) => m.worker.id == w,
                    }
            },
            today,
        ));
        items.sort_by(|a, b| {
            a.due
                .cmp(&b.due)
                .then_with(|| a.child_name.cmp(&b.child_name))
        });
    }
    // Every child's facts in one query, not one per thing due.
    let mut children: Vec<uuid::Uuid> = items.iter().filter_map(|i| i.child_id).collect();
    children.sort_unstable();
    children.dedup();
    let facts = state.store.access_facts_of(&children).await?;
    let visible = items.into_iter().filter(|i| {
        if !manager && i.kind == WorkKind::FrontDoor {
            return false;
        }
        i.child_id.is_none_or(|child| {
            facts
                .get(&child)
                .is_some_and(|fa| check_record(&session.user, Action::ViewRecord, fa).is_ok())
        })
    });
    let mut counts = std::collections::BTreeMap::new();
    let mut matching = Vec::new();
    let overdue_only = f.overdue == "yes";
    for i in visible {
        *counts.entry(i.kind).or_insert(0usize) += 1;
        if kind.is_some_and(|k| k != i.kind) || (overdue_only && i.rag != Rag::Red) {
            continue;
        }
        matching.push(i);
    }
    let total = matching.len();
    let overdue = matching.iter().filter(|i| i.rag == Rag::Red).count();
    let due_today = matching.iter().filter(|i| i.rag == Rag::Amber).count();
    let (page, pages, items) = match f.page {
        None if api => (1, 1, matching),
        p => {
            let pages = total.div_ceil(PER_PAGE).max(1);
            let page = p.unwrap_or(1).clamp(1, pages);
            let items: Vec<DueItem> = matching
                .into_iter()
                .skip((page - 1) * PER_PAGE)
                .take(PER_PAGE)
                .collect();
            (page, pages, items)
        }
    };
    crate::guard::log_disclosure(
        state,
        session,
        "work_due",
        items.iter().filter_map(|i| i.child_id),
        &format!(
            "{route}: {} ({}page {page} of {pages})",
            heading.to_lowercase(),
            describe_filters(f)
        ),
    )
    .await?;
    let mut by_team: Vec<(String, uuid::Uuid, String)> = if manager {
        workers
            .iter()
            .filter(|w| w.left.is_none())
            .map(|w| {
                (
                    w.team_id.map(team_name).unwrap_or_else(|| "No team".into()),
                    w.id,
                    w.name.clone(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    by_team.sort();
    Ok(WorkView {
        heading,
        items,
        total,
        overdue,
        due_today,
        kinds: counts.into_iter().collect(),
        page,
        pages,
        manager,
        no_worker: me.is_none() && !manager,
        workers: by_team,
        teams: if manager {
            teams.iter().map(|t| (t.id, t.name.clone())).collect()
        } else {
            Vec::new()
        },
    })
}

/// The filters, as the audit entry says them.
fn describe_filters(f: &WorkFilter) -> String {
    let mut parts = Vec::new();
    if !f.kind.is_empty() {
        parts.push(format!("kind {}", f.kind));
    }
    if f.overdue == "yes" {
        parts.push("overdue only".into());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}; ", parts.join(", "))
    }
}

/// The query asked for, for a refusal's audit entry.
fn describe(f: &WorkFilter) -> String {
    let mut q = Vec::new();
    if !f.scope.is_empty() {
        q.push(format!("scope={}", f.scope));
    }
    if !f.worker.is_empty() {
        q.push(format!("worker={}", f.worker));
    }
    if !f.team.is_empty() {
        q.push(format!("team={}", f.team));
    }
    q.join("&")
}
