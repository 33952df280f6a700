use crate::AppState;
use crate::auth::Session;
use crate::auth::deny;
use crate::error::AppError;
use crate::forms::fields::fmt_date;
use crate::forms::fields::today;
use crate::policy::Action;
use crate::policy::check_record;
use crate::policy::check_role;
use axum::extract::Query;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use domain::access::Role;
use minijinja::context;
use serde::Deserialize;
use std::collections::BTreeMap;
use store::WorkScope;

#[derive(Deserialize)]
pub struct WorkQuery {
    #[serde(default)]
    scope: String,
}

pub async fn work_due(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<WorkQuery>,
) -> Result<Response, AppError> {
    if let Err(d) = check_role(&session.user, Action::ViewWorkDue) {
        return Err(deny(&state, &session, None, "GET /work", d.0, false).await);
    }
    let workers = state.store.list_workers().await?;
    let me = session
        .user
        .worker_id
        .and_then(|w| workers.iter().find(|x| x.id == w));
    let manager = session.user.role == Role::TeamManager;
    let (scope, heading) = match (q.scope.as_str(), me) {
        ("all", _) if manager => (
            Some(WorkScope::All),
            "Work due across the service".to_string(),
        ),
        ("team", Some(w)) | ("", Some(w)) if manager && w.team_id.is_some() => (
            w.team_id.map(WorkScope::Team),
            "Work due in your team".to_string(),
        ),
        ("", None) if manager => (
            Some(WorkScope::All),
            "Work due across the service".to_string(),
        ),
        (_, Some(w)) => (Some(WorkScope::Worker(w.id)), "Your work due".to_string()),
        (_, None) => (None, "Your work due".to_string()),
    };
    let items = match scope {
        Some(s) => {
            let mut items = state.store.work_due(s, today()).await?;
            items.extend(
                state
                    .store
                    .visits_due(s, today(), state.config.visit_standards)
                    .await?,
            );
            items.extend(
                state
                    .store
                    .pf_visits_due(s, today(), Default::default())
                    .await?,
            );
            items.sort_by(|a, b| {
                a.due
                    .cmp(&b.due)
                    .then_with(|| a.child_name.cmp(&b.child_name))
            });
            items
        }
        None => Vec::new(),
    };
    // Front-door decisions are on the front-door queue; here only for managers.
    let mut by_rag: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rows = Vec::new();
    for i in items
        .iter()
        .filter(|i| manager || i.what != "Front-door decision")
    {
        if let Some(child) = i.child_id {
            let facts = state.store.access_facts(child).await?;
            if check_record(&session.user, Action::ViewRecord, &facts).is_err() {
                continue;
            }
        }
        *by_rag.entry(i.rag.label()).or_default() += 1;
        rows.push(context! {
            what => i.what.clone(),
            child => i.child_name.clone(),
            worker => i.worker_name.clone().unwrap_or_default(),
            due => fmt_date(i.due),
            rag_label => i.rag.label(),
            rag_class => i.rag.tag_class(),
            link => i.link.clone(),
        });
    }
    let html = state.templates.page(
        "work/due.html",
        Some(&session),
        context! {
            title => heading,
            rows,
            overdue => by_rag.get("Overdue").copied().unwrap_or(0),
            due_today => by_rag.get("Due today").copied().unwrap_or(0),
            manager,
            no_worker => me.is_none() && !manager,
            scope => q.scope,
        },
    )?;
    Ok(html.into_response())
}
