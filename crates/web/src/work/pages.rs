use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::fields::fmt_date;
use crate::work::{WorkFilter, work_for};
use axum::extract::Query;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use minijinja::context;

/// The query string of the list with these filters on another page.
fn page_link(f: &WorkFilter, page: usize) -> String {
    let mut q: Vec<(&str, String)> = Vec::new();
    for (k, v) in [
        ("scope", &f.scope),
        ("worker", &f.worker),
        ("team", &f.team),
        ("kind", &f.kind),
        ("overdue", &f.overdue),
    ] {
        if !v.is_empty() {
            q.push((k, v.clone()));
        }
    }
    q.push(("page", page.to_string()));
    let q: Vec<String> = q
        .into_iter()
        .map(|(k, v)| format!("{k}={}", url_escape(&v)))
        .collect();
    format!("/work?{}", q.join("&"))
}

fn url_escape(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub async fn work_due(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<WorkFilter>,
) -> Result<Response, AppError> {
    let view = work_for(&state, &session, &q, false).await?;
    let rows: Vec<_> = view
        .items
        .iter()
        .map(|i| {
            context! {
                what => i.what.clone(),
                kind => i.kind.label(),
                child => i.child_name.clone(),
                worker => i.worker_name.clone().unwrap_or_default(),
                due => fmt_date(i.due),
                rag_label => i.rag.label(),
                rag_class => i.rag.tag_class(),
                link => i.link.clone(),
            }
        })
        .collect();
    let kinds: Vec<_> = view
        .kinds
        .iter()
        .map(|(k, n)| context! { code => k.code(), label => k.label(), count => n, selected => q.kind == k.code() })
        .collect();
    // Workers by team, for a manager's filter.
    let mut groups: Vec<minijinja::Value> = Vec::new();
    let mut current: Option<(String, Vec<minijinja::Value>)> = None;
    for (team, id, name) in &view.workers {
        let option =
            context! { id => id.to_string(), name => name, selected => q.worker == id.to_string() };
        match &mut current {
            Some((t, list)) if t == team => list.push(option),
            _ => {
                if let Some((t, list)) = current.take() {
                    groups.push(context! { team => t, workers => list });
                }
                current = Some((team.clone(), vec![option]));
            }
        }
    }
    if let Some((t, list)) = current {
        groups.push(context! { team => t, workers => list });
    }
    let teams: Vec<_> = view
        .teams
        .iter()
        .map(|(id, name)| context! { id => id.to_string(), name => name, selected => q.team == id.to_string() })
        .collect();
    let pages: Vec<_> = (1..=view.pages)
        .filter(|p| *p == 1 || *p == view.pages || p.abs_diff(view.page) <= 2)
        .map(|p| context! { number => p, link => page_link(&q, p), current => p == view.page })
        .collect();
    let first = (view.page - 1) * crate::work::PER_PAGE + 1;
    let html = state.templates.page(
        "work/due.html",
        Some(&session),
        context! {
            title => view.heading,
            rows,
            total => view.total,
            first => first,
            last => first + view.items.len() - usize::from(!view.items.is_empty()),
            overdue => view.overdue,
            due_today => view.due_today,
            manager => view.manager,
            no_worker => view.no_worker,
            scope => q.scope,
            kinds,
            groups,
            teams,
            overdue_only => q.overdue == "yes",
            filtered => !q.kind.is_empty() || q.overdue == "yes" || !q.worker.is_empty() || !q.team.is_empty(),
            page => view.page,
            pages,
            page_count => view.pages,
            previous => (view.page > 1).then(|| page_link(&q, view.page - 1)),
            next => (view.page < view.pages).then(|| page_link(&q, view.page + 1)),
        },
    )?;
    Ok(html.into_response())
}
