//! Themes: the grades of a period's audits by domain and team (with every team's together), the
//! share of audits graded good or better, the trend by quarter and recurring weaknesses (a
//! domain mostly graded requires improvement or inadequate in two or more consecutive quarters),
//! for an improvement board, on the page and as an Excel workbook.

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use domain::access::AuditAction;
use domain::quality::{Grade, QuarterRow, ThemeRow, Weakness, by_quarter, recurring_weaknesses};
use domain::validate::FieldError;
use minijinja::{Value, context};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::FormData;
use crate::forms::errors::{errors_value, status};
use crate::forms::fields::{date_items, fmt_date, today};
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

/// The period as the page's date inputs give it (`from-day`, `from-month`, `from-year`, and
/// the same for `to`), or as YYYY-MM-DD (`from`, `to`, as the download's link carries it); a
/// date not entered is the default's. Problems are named for the date inputs.
fn page_period(q: &FormData) -> ((NaiveDate, NaiveDate), Vec<FieldError>) {
    let iso = Period {
        from: q.get("from"),
        to: q.get("to"),
    };
    let (mut from, mut to) = iso.dates();
    let mut errors = Vec::new();
    for (k, label, d) in [
        ("from", "Start of the period", &mut from),
        ("to", "End of the period", &mut to),
    ] {
        match q.parts(k).parse(k, label) {
            Ok(Some(x)) => *d = x,
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() && to < from {
        errors.push(FieldError::new(
            "to",
            "The end of the period must be on or after its start",
        ));
    }
    ((from.min(to), to), errors)
}

/// Everything the themes are made of for a period.
pub(crate) struct Themes {
    pub rows: Vec<ThemeRow>,
    pub quarters: Vec<QuarterRow>,
    pub weaknesses: Vec<Weakness>,
    /// Domain keys and labels in the template's order, "overall" last.
    pub domains: Vec<(String, String)>,
    /// Every team's together first, then each team with audits, by name.
    pub teams: Vec<(Option<Uuid>, String)>,
}

pub(crate) async fn gather(
    state: &AppState,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Themes, AppError> {
    let audits = state.store.audits_between(from, to).await?;
    let rows = domain::quality::themes(&audits);
    let template = state.store.audit_template().await?;
    let mut teams: Vec<(Option<Uuid>, String)> = state
        .store
        .list_teams()
        .await?
        .into_iter()
        .filter(|t| rows.iter().any(|r| r.team_id == Some(t.id)))
        .map(|t| (Some(t.id), t.name))
        .collect();
    teams.sort_by(|a, b| a.1.cmp(&b.1));
    teams.insert(0, (None, "All teams".into()));
    let mut domains: Vec<(String, String)> = template
        .iter()
        .filter(|d| rows.iter().any(|r| r.domain == d.key))
        .map(|d| (d.key.clone(), d.label.clone()))
        .collect();
    domains.push(("overall".into(), "Overall grade".into()));
    Ok(Themes {
        quarters: by_quarter(&audits, from, to),
        weaknesses: recurring_weaknesses(&audits, from, to),
        rows,
        domains,
        teams,
    })
}

/// The themes of the audits recorded in the period (the API's rows).
pub(crate) async fn rows(state: &AppState, p: &Period) -> Result<Vec<ThemeRow>, AppError> {
    let (from, to) = p.dates();
    let audits = state.store.audits_between(from, to).await?;
    Ok(domain::quality::themes(&audits))
}

fn label_of(t: &Themes, key: &str) -> String {
    t.domains
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, l)| l.clone())
        .unwrap_or_else(|| key.to_string())
}

/// `GET /quality/audits/themes`.
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<FormData>,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::ViewAudits,
        "GET /quality/audits/themes",
        false,
    )
    .await?;
    let ((from, to), errors) = page_period(&q);
    let t = gather(&state, from, to).await?;
    let tables: Vec<Value> = t
        .teams
        .iter()
        .map(|(team, name)| {
            let lines: Vec<Value> = t
                .domains
                .iter()
                .filter_map(|(key, label)| {
                    let r = t.rows.iter().find(|r| &r.domain == key && r.team_id == *team)?;
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
    // The trend: each domain's share good or better in each quarter.
    let trend: Vec<Value> = t
        .domains
        .iter()
        .map(|(key, label)| {
            let cells: Vec<String> = t
                .quarters
                .iter()
                .map(|q| {
                    q.domains
                        .iter()
                        .find(|x| &x.domain == key)
                        .and_then(|x| {
                            x.grades
                                .good_or_better_percent()
                                .map(|p| format!("{p}% of {}", x.grades.total()))
                        })
                        .unwrap_or_else(|| "–".into())
                })
                .collect();
            context! { label => label.clone(), cells }
        })
        .collect();
    let weaknesses: Vec<Value> = t
        .weaknesses
        .iter()
        .map(|w| {
            context! {
                team => t.teams.iter().find(|(id, _)| *id == w.team_id).map(|(_, n)| n.clone()).unwrap_or_default(),
                domain => label_of(&t, &w.domain),
                quarters => w.quarters,
                span => format!("{} to {}", w.from, w.to),
                ongoing => w.ongoing,
                weak => format!("{}%", w.latest_weak_percent),
            }
        })
        .collect();
    let overall = t
        .rows
        .iter()
        .find(|r| r.domain == "overall" && r.team_id.is_none());
    let (by_field, error_list) = errors_value(&errors, &["from", "to"]);
    let has = |f: &str| errors.iter().any(|e| e.field == f);
    let shown = |k: &str, d: NaiveDate| {
        let p = q.parts(k);
        if p.is_empty() {
            crate::forms::fields::parts(
                &d.format("%-d").to_string(),
                &d.format("%-m").to_string(),
                &d.format("%Y").to_string(),
            )
        } else {
            p
        }
    };
    let html = state.templates.page(
        "quality/themes.html",
        Some(&session),
        context! {
            title => "Case file audit themes",
            period => format!("{} to {}", fmt_date(from), fmt_date(to)),
            download => format!("/quality/audits/themes.xlsx?from={from}&to={to}"),
            from_items => date_items(has("from"), &shown("from", from)),
            to_items => date_items(has("to"), &shown("to", to)),
            grades => Grade::ALL.iter().map(|g| g.label()).collect::<Vec<_>>(),
            quarters => t.quarters.iter().map(|q| q.label.clone()).collect::<Vec<_>>(),
            tables, trend, weaknesses,
            audits => overall.map(|r| r.grades.total()).unwrap_or(0),
            good => overall.and_then(|r| r.grades.good_or_better_percent()),
            errors => by_field, error_list,
        },
    )?;
    Ok((status(&errors), html).into_response())
}

/// `GET /quality/audits/themes.xlsx`: the themes as a workbook for an improvement board (no
/// child is named in it; the download is audited).
pub async fn workbook(
    State(state): State<AppState>,
    session: Session,
    Query(p): Query<Period>,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::ViewAudits,
        "GET /quality/audits/themes.xlsx",
        false,
    )
    .await?;
    let (from, to) = p.dates();
    let t = gather(&state, from, to).await?;
    let bytes = crate::quality::workbook::to_xlsx(&crate::quality::workbook::ThemesBook {
        rows: &t.rows,
        quarters: &t.quarters,
        weaknesses: &t.weaknesses,
        domains: &t.domains,
        teams: &t.teams,
        period: format!("{} to {}", fmt_date(from), fmt_date(to)),
    })
    .map_err(AppError::internal)?;
    state
        .store
        .record_event(
            session.actor(),
            AuditAction::View,
            None,
            &format!("case file audit themes workbook {from} to {to}"),
        )
        .await?;
    let mut resp = bytes.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    resp.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!(
            "attachment; filename=\"hearth-audit-themes-{from}-{to}.xlsx\""
        ))
        .map_err(AppError::internal)?,
    );
    Ok(resp)
}
