//! The workforce's pages: the workforce (caseloads per team and per worker beside England's,
//! the workers in post, the year's leavers and where they went) and a worker's file.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::SavedQuery;
use crate::forms::fields::{fmt_date, today};
use crate::policy::{Action, check_role};
use crate::workforce::allow;
use crate::workforce::api::caseloads_today;

fn one_dp(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "–".into())
}

fn fte(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `GET /workforce`.
pub async fn list(State(state): State<AppState>, session: Session) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::ViewWorkforce,
        "GET /workforce",
        false,
    )
    .await?;
    let (staff, loads) = caseloads_today(&state).await?;
    let teams = state.store.list_teams().await?;
    let team_name = |id: Option<uuid::Uuid>| {
        id.and_then(|id| teams.iter().find(|t| t.id == id))
            .map(|t| t.name.clone())
            .unwrap_or_else(|| "No team".into())
    };
    let day = today();
    let load_of = |id| loads.workers.iter().find(|l| l.worker_id == id);
    let workers: Vec<Value> = staff
        .iter()
        .filter(|s| s.in_post(day))
        .map(|s| {
            let l = load_of(s.worker.id);
            context! {
                id => s.worker.id.to_string(), name => s.worker.name.clone(),
                team => team_name(s.worker.team_id), role => s.worker.role_title.clone(),
                fte => fte(s.fte), agency => s.worker.agency, asye => s.in_asye(day),
                children => l.map_or(0, |l| l.children),
            }
        })
        .collect();
    let team_rows: Vec<Value> = loads
        .teams
        .iter()
        .map(|t| {
            context! {
                name => team_name(t.team_id), case_holders => t.case_holders,
                children => t.children, average => one_dp(t.average),
            }
        })
        .collect();
    let year_ago = day - chrono::Months::new(12);
    let leavers: Vec<&domain::workforce::StaffMember> = staff
        .iter()
        .filter(|s| s.worker.left.is_some_and(|l| l > year_ago && l <= day))
        .collect();
    let to_agency = leavers
        .iter()
        .filter(|s| s.destination == Some(domain::workforce::Destination::AgencyWork))
        .count();
    let leaver_rows: Vec<Value> = leavers
        .iter()
        .map(|s| {
            context! {
                id => s.worker.id.to_string(), name => s.worker.name.clone(),
                left => s.worker.left.map(fmt_date),
                employment => if s.worker.agency { "Agency" } else { "Employed" },
                reason => s.leaving_reason.map(|r| r.label()),
                destination => s.destination.map(|d| d.label()),
            }
        })
        .collect();
    let can_manage = check_role(&session.user, Action::ManageWorkforce).is_ok();
    let html = state.templates.page(
        "workforce/list.html",
        Some(&session),
        context! {
            title => "Workforce",
            on => fmt_date(day),
            average => one_dp(loads.service.average),
            has_average => loads.service.average.is_some(),
            england => one_dp(loads.england),
            region => one_dp(loads.region),
            neighbours => one_dp(loads.statistical_neighbours),
            service_children => loads.service.children,
            service_holders => loads.service.case_holders,
            team_rows, workers, leaver_rows,
            leavers => leavers.len(), to_agency,
            can_manage,
            teams => teams.iter().map(|t| context! { id => t.id.to_string(), name => t.name.clone() }).collect::<Vec<_>>(),
        },
    )?;
    Ok(html.into_response())
}

/// `GET /workforce/workers/{id}`: the worker's file.
pub async fn worker(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(saved): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let id = crate::guard::parse_id(&id, false)?;
    allow(
        &state,
        &session,
        Action::ViewWorkforce,
        &format!("GET /workforce/workers/{id}"),
        false,
    )
    .await?;
    let m = match state.store.staff_member(id).await {
        Ok(m) => m,
        Err(store::StoreError::NotFound(_)) => return Err(AppError::NotFound { api: false }),
        Err(e) => return Err(e.into()),
    };
    let teams = state.store.list_teams().await?;
    let team_name = |id: Option<uuid::Uuid>| {
        id.and_then(|id| teams.iter().find(|t| t.id == id))
            .map(|t| t.name.clone())
            .unwrap_or_else(|| "No team".into())
    };
    let day = today();
    let children = state
        .store
        .cases_held(day)
        .await?
        .iter()
        .filter(|h| h.worker_id == id && !h.co_working)
        .map(|h| h.child_id)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let asye = match (m.asye_started, m.asye_ended) {
        (Some(s), Some(e)) => format!("{} to {}", fmt_date(s), fmt_date(e)),
        (Some(s), None) => format!("From {}", fmt_date(s)),
        _ => "Not in an ASYE".into(),
    };
    let mut rows = vec![
        ("Team", team_name(m.worker.team_id)),
        ("Job title", m.worker.role_title.clone()),
        (
            "Role in the workforce census",
            m.org_role.label().to_string(),
        ),
        (
            "Employment",
            if m.worker.agency {
                "Agency (locum)"
            } else {
                "Employed by the council"
            }
            .to_string(),
        ),
        ("Full-time equivalent", fte(m.fte)),
        (
            "Social Work England registration",
            m.swe_number
                .clone()
                .unwrap_or_else(|| "Not recorded".into()),
        ),
        ("Started", fmt_date(m.worker.started)),
        ("ASYE (newly qualified)", asye),
        ("Children allocated today", children.to_string()),
    ];
    if let Some(l) = m.worker.left {
        rows.push(("Left", fmt_date(l)));
        rows.push((
            "Why they left",
            m.leaving_reason
                .map(|r| r.label())
                .unwrap_or("Not recorded")
                .to_string(),
        ));
        rows.push((
            "Where they went",
            m.destination
                .map(|d| d.label())
                .unwrap_or("Not recorded")
                .to_string(),
        ));
    }
    let moves: Vec<Value> = m
        .moves
        .iter()
        .rev()
        .map(|mv| context! {
            on => fmt_date(mv.moved_on), from => team_name(mv.from_team_id), to => team_name(mv.team_id),
            role => mv.role_title.clone(), fte => fte(mv.fte), agency => mv.agency,
        })
        .collect();
    let absences: Vec<Value> = m
        .absences
        .iter()
        .rev()
        .map(|a| {
            context! {
                first => fmt_date(a.first_day), last => a.last_day.map(fmt_date),
                days => fte(a.working_days_lost), reason => a.reason.label(),
            }
        })
        .collect();
    let days_lost: f64 = m.absences.iter().map(|a| a.working_days_lost).sum();
    let saved = match saved.saved.as_str() {
        "joiner" => Some("The joiner is recorded."),
        "move" => Some("The move is recorded."),
        "leaver" => Some("The leaver is recorded."),
        "absence" => Some("The absence is recorded."),
        _ => None,
    };
    let html = state.templates.page(
        "workforce/worker.html",
        Some(&session),
        context! {
            title => m.worker.name.clone(),
            id => id.to_string(),
            rows => rows.into_iter().map(|(k, v)| context! { key => context! { text => k }, value => context! { text => v } }).collect::<Vec<_>>(),
            moves, absences, days_lost => fte(days_lost),
            in_post => m.worker.left.is_none(),
            in_asye => m.in_asye(day),
            can_manage => check_role(&session.user, Action::ManageWorkforce).is_ok(),
            saved,
        },
    )?;
    Ok(html.into_response())
}
