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
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(saved): Query<SavedQuery>,
) -> Result<Response, AppError> {
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
                co_worked => l.map_or(0, |l| l.co_worked),
                weighted => one_dp(l.map(|l| l.weighted)),
                over => loads.over_asye_limit.iter().any(|o| o.worker_id == s.worker.id),
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
            weighted => one_dp(t.weighted_average),
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
    let last = state.store.last_supervisions().await?;
    let (by_team, service) =
        domain::workforce::supervision::compliance(&staff, &last, &loads.standards, day);
    let compliance: Vec<Value> = by_team
        .iter()
        .map(|c| {
            context! {
                name => team_name(c.team_id), workers => c.workers, in_time => c.in_time,
                percent => c.percent.map(|p| format!("{p:.0}%")).unwrap_or_else(|| "–".into()),
            }
        })
        .collect();
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
            compliance,
            service_compliance => service.percent.map(|p| format!("{p:.0}%")),
            weighted_average => one_dp(loads.service.weighted_average),
            asye_limit => loads.standards.asye_limit,
            supervision_days => loads.standards.supervision_days,
            asye_supervision_days => loads.standards.asye_supervision_days,
            over_limit => loads.over_asye_limit.len(),
            saved => saved.saved == "standards",
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
    // A worker sees their own file (their supervision with its notes); others need the role.
    if session.user.worker_id != Some(id) {
        allow(
            &state,
            &session,
            Action::ViewWorkforce,
            &format!("GET /workforce/workers/{id}"),
            false,
        )
        .await?;
    }
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
            start => mv.from_team_id.is_none() && mv.moved_on == m.worker.started,
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
    // Supervision: every viewer sees when and with whom; the reflective notes only the worker,
    // the session's supervisor and a manager of the worker's team.
    let me = session.user.worker_id;
    let my_team = match me {
        Some(w) => state
            .store
            .staff_member(w)
            .await
            .ok()
            .and_then(|s| s.worker.team_id),
        None => None,
    };
    let team_manager = session.user.role == domain::access::Role::TeamManager
        && my_team.is_some()
        && my_team == m.worker.team_id;
    let staff = state.store.staff().await?;
    let name_of = |w: uuid::Uuid| {
        staff
            .iter()
            .find(|s| s.worker.id == w)
            .map(|s| s.worker.name.clone())
            .unwrap_or_default()
    };
    let sessions = state.store.supervisions_of(id).await?;
    let standards = state.store.workforce_standards().await?;
    let next = domain::workforce::supervision::next_due(
        &m,
        sessions.first().map(|s| s.held_on),
        &standards,
    );
    let supervision: Vec<Value> = sessions
        .iter()
        .map(|s| {
            let sees = me == Some(id) || me == Some(s.supervisor_id) || team_manager;
            context! {
                on => fmt_date(s.held_on), supervisor => name_of(s.supervisor_id),
                cases => s.cases.len(),
                reflection => sees.then(|| s.reflection.clone()),
            }
        })
        .collect();
    let saved = match saved.saved.as_str() {
        "joiner" => Some("The joiner is recorded."),
        "move" => Some("The move is recorded."),
        "leaver" => Some("The leaver is recorded."),
        "absence" => Some("The absence is recorded."),
        "supervision" => Some("The supervision session is recorded."),
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
            can_supervise => check_role(&session.user, Action::Oversee).is_ok() && me.is_some() && me != Some(id),
            supervision,
            next_due => (m.worker.left.is_none() && domain::workforce::supervision::supervised(&m)).then(|| fmt_date(next)),
            overdue => next < day,
            saved,
        },
    )?;
    Ok(html.into_response())
}

const STANDARD_FIELDS: [(&str, &str, &str); 7] = [
    (
        "cp_plan",
        "Added for a child on a child protection plan",
        "For example 0.5: such a case counts 1.5",
    ),
    (
        "proceedings",
        "Added for a child in care proceedings",
        "Looked after on an interim care order",
    ),
    (
        "sibling",
        "What each further child of a sibling group counts",
        "From 0 to 1: a worker holding three siblings at 0.5 carries 2",
    ),
    (
        "co_working",
        "The share of a case a co-worker carries",
        "From 0 (not counted) to 1 (counted as the allocated worker's)",
    ),
    (
        "asye_limit",
        "Protected caseload in the ASYE (most children)",
        "Managers are alerted on their work due when it is exceeded",
    ),
    (
        "supervision_days",
        "Days between supervision sessions at most",
        "30 for monthly",
    ),
    (
        "asye_supervision_days",
        "Days between supervision sessions at most in the ASYE",
        "14 for fortnightly",
    ),
];

fn standards_spec() -> crate::forms::FormSpec {
    crate::forms::FormSpec::standalone(
        "Workforce",
        "The council's workforce standards",
        ("Back to the workforce", "/workforce"),
        "/workforce/standards",
        "Save the standards",
        STANDARD_FIELDS
            .iter()
            .map(|(n, l, h)| crate::forms::Field::Input(n, l, h))
            .collect(),
    )
    .intro("The weighted caseload counts each child 1, with these weights for what makes a case complex; the protected caseload and the supervision standard set what managers see on their work due.")
}

fn standards_form(s: &domain::workforce::caseload::Standards) -> crate::forms::FormData {
    crate::forms::FormData::default()
        .set("cp_plan", &s.cp_plan.to_string())
        .set("proceedings", &s.proceedings.to_string())
        .set("sibling", &s.sibling.to_string())
        .set("co_working", &s.co_working.to_string())
        .set("asye_limit", &s.asye_limit.to_string())
        .set("supervision_days", &s.supervision_days.to_string())
        .set(
            "asye_supervision_days",
            &s.asye_supervision_days.to_string(),
        )
}

/// `GET /workforce/standards`.
pub async fn standards(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::ManageWorkforce,
        "GET /workforce/standards",
        false,
    )
    .await?;
    let s = state.store.workforce_standards().await?;
    standards_spec().render(&state, &session, &standards_form(&s), &[])
}

/// `POST /workforce/standards`.
pub async fn save_standards(
    State(state): State<AppState>,
    crate::auth::AuthedForm { session, form }: crate::auth::AuthedForm<crate::forms::FormData>,
) -> Result<Response, AppError> {
    use domain::validate::FieldError;
    allow(
        &state,
        &session,
        Action::ManageWorkforce,
        "POST /workforce/standards",
        false,
    )
    .await?;
    let mut errors = Vec::new();
    let mut num = |k: &str| match form.get(k).trim().parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        _ => {
            errors.push(FieldError::new(k, "Enter a number"));
            0.0
        }
    };
    let st = domain::workforce::caseload::Standards {
        cp_plan: num("cp_plan"),
        proceedings: num("proceedings"),
        sibling: num("sibling"),
        co_working: num("co_working"),
        asye_limit: num("asye_limit").max(0.0) as u32,
        supervision_days: num("supervision_days").max(0.0) as u32,
        asye_supervision_days: num("asye_supervision_days").max(0.0) as u32,
    };
    if errors.is_empty() {
        errors = st.validate();
    }
    if errors.is_empty() {
        match state
            .store
            .set_workforce_standards(session.actor(), st)
            .await
        {
            Ok(_) => {
                return Ok(
                    axum::response::Redirect::to("/workforce?saved=standards").into_response()
                );
            }
            Err(e) => errors.push(crate::forms::errors::store_error(e, "cp_plan")?),
        }
    }
    standards_spec().render(&state, &session, &form, &errors)
}
