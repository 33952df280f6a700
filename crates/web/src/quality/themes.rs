//! Themes: the grades of a period's audits by domain and team (with every team's together), and
//! the share of audits graded good or better, for an improvement board.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use domain::quality::{Grade, ThemeRow, themes};
use minijinja::{Value, context};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::fields::{fmt_date, today};
use crate::policy::Action;
use crate::quality::allow;

/// The period of the themes: both dates as YYYY-MM-DD; by default the last twelve months.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct Period {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

impl Period {
    pub(crate) fn dates(&self) -> (NaiveDate, NaiveDate) {
        let to = NaiveDate::parse_from_str(&self.to, "%Y-%m-%d").unwrap_or_else(|_| today());
        let from = NaiveDate::parse_from_str(&self.from, "%Y-%m-%d")
            .unwrap_or_else(|_| to - chrono::Months::new(12));
        (from.min(to), to)
    }
}

/// The themes of the audits recorded in the period.
pub(crate) async fn rows(state: &AppState, p: &Period) -> Result<Vec<ThemeRow>, AppError> {
    let (from, to) = p.dates();
    let audits = state.store.audits_between(from, to).await?;
    Ok(themes(&audits))
}

/// `GET /quality/audits/themes`.
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(p): Query<Period>,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::ViewAudits,
        "GET /quality/audits/themes",
        false,
    )
    .await?;
    let (from, to) = p.dates();
    let rows = rows(&state, &p).await?;
    let template = state.store.audit_template().await?;
    let teams = state.store.list_teams().await?;
    // Every team's together first, then each team with audits, by name.
    let mut groups: Vec<(Option<uuid::Uuid>, String)> = vec![(None, "All teams".into())];
    let mut named: Vec<(Option<uuid::Uuid>, String)> = teams
        .iter()
        .filter(|t| rows.iter().any(|r| r.team_id == Some(t.id)))
        .map(|t| (Some(t.id), t.name.clone()))
        .collect();
    named.sort_by(|a, b| a.1.cmp(&b.1));
    groups.extend(named);
    let mut keys: Vec<(String, String)> = template
        .iter()
        .filter(|d| rows.iter().any(|r| r.domain == d.key))
        .map(|d| (d.key.clone(), d.label.clone()))
        .collect();
    keys.push(("overall".into(), "Overall grade".into()));
    let tables: Vec<Value> = groups
        .iter()
        .map(|(team, name)| {
            let lines: Vec<Value> = keys
                .iter()
                .filter_map(|(key, label)| {
                    let r = rows.iter().find(|r| &r.domain == key && r.team_id == *team)?;
                    Some(context! {
                        label => label.clone(),
                        counts => r.grades.counts.to_vec(),
                        total => r.grades.total(),
                        good => r.grades.good_or_better_percent().map(|p| format!("{p}%")).unwrap_or_else(|| "–".into()),
                    })
                })
                .collect();
            context! { name => name.clone(), lines }
        })
        .collect();
    let overall = rows
        .iter()
        .find(|r| r.domain == "overall" && r.team_id.is_none());
    let html = state.templates.page(
        "quality/themes.html",
        Some(&session),
        context! {
            title => "Case file audit themes",
            period => format!("{} to {}", fmt_date(from), fmt_date(to)),
            from => from.to_string(), to => to.to_string(),
            grades => Grade::ALL.iter().map(|g| g.label()).collect::<Vec<_>>(),
            tables,
            audits => overall.map(|r| r.grades.total()).unwrap_or(0),
            good => overall.and_then(|r| r.grades.good_or_better_percent()),
        },
    )?;
    Ok(html.into_response())
}
