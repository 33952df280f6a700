//! The scrutiny pack (`/inspection/scrutiny`): the month's report with, for each indicator,
//! what good looks like, a question members might ask and the head of service's commentary,
//! written here by team managers (stored and audited); downloaded as a PDF and an Excel
//! workbook (each download audited). Performance analysts and team managers see it; the pack
//! always withholds small numbers, since it goes to councillors.

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use domain::access::{AuditAction, Role};
use domain::inspection::commentary::NewCommentary;
use metrics::{Context, Period};
use minijinja::context;
use serde::Deserialize;

use super::pack;
use crate::AppState;
use crate::auth::{AuthedForm, Session, deny};
use crate::error::AppError;

#[derive(Deserialize, Default)]
pub struct PackQuery {
    /// The month, YYYY-MM; last month when not given.
    #[serde(default)]
    month: String,
}

/// The month asked for, as a period; a month not yet ended is refused.
fn month_of(q: &str, today: NaiveDate) -> Result<Period, String> {
    let first_this = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let from = if q.trim().is_empty() {
        first_this
            .checked_sub_months(chrono::Months::new(1))
            .unwrap_or(first_this)
    } else {
        NaiveDate::parse_from_str(&format!("{}-01", q.trim()), "%Y-%m-%d")
            .map_err(|_| format!("{q:?} is not a month: write it as 2026-11"))?
    };
    let to = from
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(from);
    if to >= today {
        return Err("The month has not ended: choose a month before this one".into());
    }
    Ok(Period::new(from, to))
}

async fn allowed(
    state: &AppState,
    session: &Session,
    what: &str,
    write: bool,
) -> Result<(), AppError> {
    let ok = match session.user.role {
        Role::TeamManager => true,
        Role::PerformanceAnalyst => !write,
        _ => false,
    };
    if ok {
        return Ok(());
    }
    Err(deny(
        state,
        session,
        None,
        what,
        format!(
            "role {} may not {} the scrutiny pack",
            session.user.role.as_str(),
            if write { "write commentary for" } else { "see" }
        ),
        false,
    )
    .await)
}

/// The month's report (small numbers withheld) with its commentary, and when the record was read.
async fn gather(state: &AppState, period: Period) -> Result<(Vec<pack::Entry>, String), AppError> {
    let snap = state.report_snapshots.get(state).await?;
    let ctx = Context {
        population: state.config.population,
        cp_visit_days: state.config.visit_standards.cp_working_days,
    };
    let report =
        metrics::report::suppress_small_numbers((*snap.report(period, ctx).await?).clone());
    let commentary = state.store.commentary(period.from, period.to).await?;
    let taken = domain::calendar::uk_local(snap.taken)
        .format("%-H:%M on %-d %B %Y")
        .to_string();
    Ok((pack::entries(&report, &commentary), taken))
}

fn title() -> &'static str {
    "Children's social care performance: scrutiny pack"
}

pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<PackQuery>,
) -> Result<Response, AppError> {
    allowed(&state, &session, "GET /inspection/scrutiny", false).await?;
    let today = domain::calendar::uk_now().date();
    let (period, error) = match month_of(&q.month, today) {
        Ok(p) => (p, None),
        Err(e) => (month_of("", today).map_err(AppError::internal)?, Some(e)),
    };
    let (entries, taken) = gather(&state, period).await?;
    state
        .store
        .record_event(
            session.actor(),
            AuditAction::View,
            None,
            &format!("scrutiny pack {} to {}", period.from, period.to),
        )
        .await?;
    let month = period.from.format("%Y-%m").to_string();
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            context! {
                id => e.id.clone(),
                section => e.section.clone(),
                name => e.name.clone(),
                value => e.value.clone().unwrap_or_else(|w| w),
                unit => e.unit,
                compared => e.compared.clone(),
                good => e.good.clone(),
                question => e.question.clone(),
                commentary => e.commentary.as_ref().map(|c| c.text.clone()),
                written => e.commentary.as_ref().map(|c| domain::calendar::uk_local(c.written_at).format("%-d %B %Y").to_string()),
            }
        })
        .collect();
    let html = state.templates.page(
        "inspection/scrutiny.html",
        Some(&session),
        context! {
            title => "Scrutiny pack",
            month,
            period => period.from.format("%B %Y").to_string(),
            taken,
            error,
            error_list => error.as_ref().map(|e| vec![context! { text => e.clone(), href => "#month" }]).unwrap_or_default(),
            rows,
            may_write => session.user.role == Role::TeamManager,
        },
    )?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, html).into_response())
}

#[derive(Deserialize)]
pub struct CommentaryForm {
    month: String,
    indicator: String,
    text: String,
}

pub async fn save(
    State(state): State<AppState>,
    AuthedForm { session, form }: AuthedForm<CommentaryForm>,
) -> Result<Response, AppError> {
    allowed(
        &state,
        &session,
        "POST /inspection/scrutiny/commentary",
        true,
    )
    .await?;
    let period = month_of(&form.month, domain::calendar::uk_now().date()).map_err(|message| {
        AppError::BadRequest {
            message,
            api: false,
        }
    })?;
    if metrics::catalogue::find(&form.indicator).is_none() {
        return Err(AppError::NotFound { api: false });
    }
    match state
        .store
        .save_commentary(
            session.actor(),
            NewCommentary {
                indicator_id: form.indicator.clone(),
                from: period.from,
                to: period.to,
                text: form.text,
            },
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/inspection/scrutiny?month={}#indicator-{}",
            period.from.format("%Y-%m"),
            form.indicator
        ))
        .into_response()),
        Err(store::StoreError::Invalid { message, .. }) => Err(AppError::BadRequest {
            message,
            api: false,
        }),
        Err(e) => Err(e.into()),
    }
}

async fn download(
    state: &AppState,
    session: &Session,
    q: &PackQuery,
    pdf: bool,
) -> Result<Response, AppError> {
    let what = if pdf { "PDF" } else { "workbook" };
    allowed(
        state,
        session,
        &format!("GET /inspection/scrutiny {what}"),
        false,
    )
    .await?;
    let period = month_of(&q.month, domain::calendar::uk_now().date()).map_err(|message| {
        AppError::BadRequest {
            message,
            api: false,
        }
    })?;
    let (entries, taken) = gather(state, period).await?;
    let month = period.from.format("%B %Y").to_string();
    let (bytes, kind, ext) = if pdf {
        (
            pack::to_pdf(title(), &month, &taken, &entries),
            "application/pdf",
            "pdf",
        )
    } else {
        (
            pack::to_xlsx(&format!("{}, {month}", title()), &entries)
                .map_err(AppError::internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    };
    state
        .store
        .record_event(
            session.actor(),
            AuditAction::View,
            None,
            &format!("scrutiny pack {what} {} to {}", period.from, period.to),
        )
        .await?;
    let mut resp = bytes.into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    resp.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!(
            "attachment; filename=\"scrutiny-pack-{}.{ext}\"",
            period.from.format("%Y-%m")
        ))
        .map_err(AppError::internal)?,
    );
    Ok(resp)
}

pub async fn pdf(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<PackQuery>,
) -> Result<Response, AppError> {
    download(&state, &session, &q, true).await
}

pub async fn workbook(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<PackQuery>,
) -> Result<Response, AppError> {
    download(&state, &session, &q, false).await
}
