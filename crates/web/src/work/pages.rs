use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::fields::fmt_date;
use crate::work::work_for;
use axum::extract::Query;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;
use std::collections::BTreeMap;

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
    let view = work_for(&state, &session, &q.scope, false).await?;
    let mut by_rag: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rows = Vec::new();
    for i in &view.items {
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
            title => view.heading,
            rows,
            overdue => by_rag.get("Overdue").copied().unwrap_or(0),
            due_today => by_rag.get("Due today").copied().unwrap_or(0),
            manager => view.manager,
            no_worker => view.no_worker,
            scope => q.scope,
        },
    )?;
    Ok(html.into_response())
}
