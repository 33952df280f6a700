//! The performance report from the record: every indicator for a period with its 12-month trend
//! (an SVG chart with a text alternative), comparators and RAG; the children behind each figure
//! for those who may open records (each listing audited); an Excel download; a page that prints
//! as a scrutiny pack.

use crate::AppState;
use crate::auth::Session;
use crate::auth::deny;
use crate::error::AppError;
use crate::policy::Action;
use crate::policy::check_record;
use crate::policy::may_see_report;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::IntoResponse;
use axum::response::Response;
use chrono::Datelike;
use chrono::NaiveDate;
use domain::access::AuditAction;
use domain::access::Role;
use metrics::Context;
use metrics::Outcome;
use metrics::Period;
use metrics::catalogue::Rag;
use minijinja::Value;
use minijinja::context;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    period: String,
}

/// The 12 months to the end of last month.
fn default_period() -> Period {
    let today = domain::calendar::uk_now().date();
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let end = first.pred_opt().unwrap_or(today);
    Period::rolling_year(end)
}

/// The period asked for (by default the 12 months to the end of last month); a period ending
/// after today is refused.
fn period_of(q: &ReportQuery) -> Result<Period, String> {
    if q.period.trim().is_empty() {
        Ok(default_period())
    } else {
        metrics::report::refuse_future(
            Period::parse(q.period.trim())?,
            domain::calendar::uk_now().date(),
        )
    }
}

async fn allowed(state: &AppState, session: &Session, what: &str) -> Result<(), AppError> {
    if may_see_report(session.user.role) {
        Ok(())
    } else {
        Err(deny(
            state,
            session,
            None,
            what,
            format!(
                "role {} may not see the performance report",
                session.user.role.as_str()
            ),
            false,
        )
        .await)
    }
}

pub mod snapshot;

/// The record's events for the report: a shared reading at most [`crate::Config::report_refresh`]
/// old ([`snapshot`]).
async fn events(state: &AppState) -> Result<snapshot::Snapshot, AppError> {
    state.report_snapshots.get(state).await
}

/// "Figures from the record at 14:05 today" (UK time).
fn taken_text(taken: chrono::DateTime<chrono::Utc>) -> String {
    let uk = domain::calendar::uk_local(taken);
    format!("{}", uk.format("%-H:%M:%S on %-d %B %Y"))
}

/// The report as the user may see it: small numbers (counts of 1 to 5 and what is made from
/// them) only for team managers, who may open the children's records; performance analysts and
/// administrators see them withheld.
fn as_seen_by(session: &Session, report: metrics::Report) -> metrics::Report {
    if session.user.role == Role::TeamManager {
        report
    } else {
        metrics::report::suppress_small_numbers(report)
    }
}

fn ctx(state: &AppState) -> Context {
    Context {
        population: state.config.population,
        cp_visit_days: state.config.visit_standards.cp_working_days,
    }
}

/// "Better than England" (green), "Similar to England" (grey), "Worse than England" (red):
/// better or worse only by more than the indicator's tolerance.
fn rag_tag(r: Option<Rag>, against: &str) -> Value {
    match r {
        Some(r) => context! {
            text => format!("{} {against}", r.words()),
            classes => match r {
                Rag::Green => "govuk-tag--green",
                Rag::Similar => "govuk-tag--grey",
                Rag::Red => "govuk-tag--red",
            },
        },
        None => Value::UNDEFINED,
    }
}

pub async fn show(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    allowed(&state, &session, "GET /report").await?;
    let (period, error) = match period_of(&q) {
        Ok(p) => (p, None),
        Err(e) => (default_period(), Some(e)),
    };
    let invalid = error.is_some();
    let snap = events(&state).await?;
    let report = as_seen_by(&session, (*snap.report(period, ctx(&state)).await?).clone());
    state
        .store
        .record_event(
            session.actor(),
            AuditAction::View,
            None,
            &format!("performance report {} to {}", period.from, period.to),
        )
        .await?;
    let mut sections: BTreeMap<usize, (String, Vec<Value>)> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for r in &report.rows {
        let ind = r.indicator;
        if !order.contains(&ind.section) {
            order.push(ind.section.clone());
        }
        let idx = order.iter().position(|s| *s == ind.section).unwrap_or(0);
        let (value, numbers, why, has_children) = match &r.outcome {
            Outcome::Unavailable(_) if r.suppressed => (
                Some("fewer than 6".to_string()),
                Some("small numbers are not shown".to_string()),
                None,
                false,
            ),
            Outcome::Value(f) => (
                Some(ind.format(f.value)),
                metrics::report::numbers_text(ind, f),
                None,
                !f.children.is_empty(),
            ),
            Outcome::Unavailable(w) => (None, None, Some(w.clone()), false),
        };
        let neighbours = ind.neighbours();
        sections.entry(idx).or_insert_with(|| (ind.section.clone(), Vec::new())).1.push(context! {
            id => ind.id.clone(),
            name => ind.name.clone(),
            definition => ind.definition.clone(),
            value, numbers, why, has_children,
            unit => ind.unit_label(),
            england => ind.england.map(|v| ind.format(v)),
            region => ind.region.map(|v| ind.format(v)),
            neighbours => neighbours.map(|(v, _)| ind.format(v)),
            neighbours_are => neighbours.map(|(_, which)| which),
            year => ind.year.clone(),
            rag => rag_tag(r.rag_england, "England"),
            rag_neighbours => rag_tag(r.rag_neighbours, "neighbours"),
            not_compared => r.not_compared.clone(),
            tolerance => (ind.polarity != metrics::catalogue::Polarity::Neutral).then(|| ind.format(ind.tolerance).replace('%', " points")),
            polarity => format!("{:?}", ind.polarity).to_lowercase(),
            svg => Value::from_safe_string(metrics::report::trend_svg(r)),
            trend => r.trend.iter().map(|p| context! { month => p.month_end.format("%b %Y").to_string(), value => p.value.map(|v| ind.format(v)).unwrap_or_else(|| if p.small { "fewer than 6".into() } else { "no data".into() }) }).collect::<Vec<_>>(),
        });
    }
    let sections: Vec<Value> = sections
        .into_values()
        .map(|(name, rows)| context! { name, rows })
        .collect();
    // Quick choices: the last complete month, 3 months, the financial year to date, 12 months.
    let last = default_period().to;
    let month_start = NaiveDate::from_ymd_opt(last.year(), last.month(), 1).unwrap_or(last);
    let quarter_start = month_start
        .checked_sub_months(chrono::Months::new(2))
        .unwrap_or(month_start);
    let fy_year = if last.month() >= 4 {
        last.year()
    } else {
        last.year() - 1
    };
    let fy_start = NaiveDate::from_ymd_opt(fy_year, 4, 1).unwrap_or(last);
    let choices: Vec<Value> = [
        ("Last month", month_start),
        ("Last 3 months", quarter_start),
        ("Financial year to date", fy_start),
        ("Last 12 months", default_period().from),
    ]
    .into_iter()
    .map(|(text, from)| context! { text, href => format!("/report?period={from}..{last}") })
    .collect();
    let html = state.templates.page(
        "report/index.html",
        Some(&session),
        context! {
            title => "Performance report",
            period => format!("{} to {}", period.from.format("%-d %B %Y"), period.to.format("%-d %B %Y")),
            period_value => if q.period.is_empty() { format!("{}..{}", period.from.format("%Y-%m"), period.to.format("%Y-%m")) } else { q.period.clone() },
            period_query => format!("{}..{}", period.from, period.to),
            error,
            errors => match &error { Some(e) => Value::from_serialize(BTreeMap::from([("period", e.clone())])), None => Value::UNDEFINED },
            error_list => match &error { Some(e) => Value::from(vec![context! { text => e.clone(), href => "#period" }]), None => Value::from(Vec::<Value>::new()) },
            sections,
            choices,
            period_note => metrics::report::period_note(period),
            population => state.config.population.map(|p| format!("{p:.0}")),
            may_drill => session.user.role == Role::TeamManager,
            taken => taken_text(snap.taken),
            refresh_minutes => (state.config.report_refresh.num_seconds() > 0).then(|| (state.config.report_refresh.num_seconds() + 59) / 60),
        },
    )?;
    let status = if invalid {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, html).into_response())
}

pub async fn workbook(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    allowed(&state, &session, "GET /report.xlsx").await?;
    let period = period_of(&q).map_err(|m| AppError::BadRequest {
        message: m,
        api: false,
    })?;
    let snap = events(&state).await?;
    let report = as_seen_by(&session, (*snap.report(period, ctx(&state)).await?).clone());
    let bytes = metrics::report::to_xlsx(&report).map_err(AppError::internal)?;
    state
        .store
        .record_event(
            session.actor(),
            AuditAction::View,
            None,
            &format!(
                "performance report workbook {} to {}",
                period.from, period.to
            ),
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
            "attachment; filename=\"hearth-report-{}-{}.xlsx\"",
            period.from, period.to
        ))
        .map_err(AppError::internal)?,
    );
    Ok(resp)
}

/// The children behind a figure: for team managers (who may open records); each child listed is
/// an access entry; restricted children are counted but not named.
pub async fn drill_down(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    let what = format!("GET /report/indicators/{id}");
    if session.user.role != Role::TeamManager {
        return Err(deny(
            &state,
            &session,
            None,
            &what,
            "only team managers see the children behind a figure".into(),
            false,
        )
        .await);
    }
    let ind = metrics::catalogue::find(&id).ok_or(AppError::NotFound { api: false })?;
    let period = period_of(&q).map_err(|m| AppError::BadRequest {
        message: m,
        api: false,
    })?;
    let snap = events(&state).await?;
    let ev = &snap.events;
    let outcome = metrics::compute(ind, ev, period, &ctx(&state));
    let Outcome::Value(f) = outcome else {
        return Err(AppError::NotFound { api: false });
    };
    let mut rows = Vec::new();
    let mut hidden = 0;
    for c in &f.children {
        let Ok(child) = uuid::Uuid::parse_str(c) else {
            continue;
        };
        let Ok(person) = state.store.get_person(child).await else {
            continue;
        };
        let facts = state.store.access_facts(child).await?;
        if check_record(&session.user, Action::ViewRecord, &facts).is_err() {
            hidden += 1;
            continue;
        }
        state
            .store
            .record_event(
                session.actor(),
                AuditAction::View,
                Some(child),
                &format!("listed behind indicator {} ({})", ind.id, ind.name),
            )
            .await?;
        rows.push(context! {
            id => child.to_string(),
            name => person.full_name(),
            council_id => person.details.identifiers.council_child_id.clone().unwrap_or_default(),
        });
    }
    rows.sort_by_key(|r| {
        r.get_attr("name")
            .map(|v| v.to_string())
            .unwrap_or_default()
    });
    let html = state.templates.page(
        "report/children.html",
        Some(&session),
        context! {
            title => ind.name.clone(),
            definition => ind.numerator.clone(),
            value => ind.format(f.value),
            period => format!("{} to {}", period.from.format("%-d %B %Y"), period.to.format("%-d %B %Y")),
            period_query => format!("{}..{}", period.from, period.to),
            rows, hidden,
        },
    )?;
    Ok(html.into_response())
}
