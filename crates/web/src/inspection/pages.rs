//! The analysts' Annex A page and the workbook download. Performance analysts and team
//! managers; anyone else is refused (audited). The page shows no child's details, only each
//! list's size, the check's findings (by the row and Child Unique ID the sheet will have) and
//! what the record cannot fill; the download is an access to every child on the lists, written
//! as one audit entry naming the day and the number of rows.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use domain::access::{AuditAction, Role};
use minijinja::{Value, context};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{Session, deny};
use crate::error::AppError;

/// Who may make and send Annex A: performance analysts (who build it) and team managers.
pub fn may_make_annex_a(role: Role) -> bool {
    matches!(role, Role::PerformanceAnalyst | Role::TeamManager)
}

pub(super) async fn allowed(
    state: &AppState,
    session: &Session,
    what: &str,
) -> Result<(), AppError> {
    if may_make_annex_a(session.user.role) {
        return Ok(());
    }
    Err(deny(
        state,
        session,
        None,
        what,
        format!(
            "role {} may not make Ofsted's Annex A lists",
            session.user.role.as_str()
        ),
        false,
    )
    .await)
}

#[derive(Deserialize, Default)]
pub struct AsAtQuery {
    #[serde(rename = "as_at-day", default)]
    day: String,
    #[serde(rename = "as_at-month", default)]
    month: String,
    #[serde(rename = "as_at-year", default)]
    year: String,
}

impl AsAtQuery {
    /// The day asked for (today when none); a day after today, or no such day, is refused.
    pub(super) fn day(&self) -> &str {
        &self.day
    }
    pub(super) fn month(&self) -> &str {
        &self.month
    }
    pub(super) fn year(&self) -> &str {
        &self.year
    }
    pub(super) fn as_at(&self, today: NaiveDate) -> Result<NaiveDate, String> {
        if [&self.day, &self.month, &self.year]
            .iter()
            .all(|s| s.trim().is_empty())
        {
            return Ok(today);
        }
        let n = |s: &str| s.trim().parse::<u32>().ok();
        let d = match (n(&self.year), n(&self.month), n(&self.day)) {
            (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d),
            _ => None,
        }
        .ok_or("Enter a real date, for example 1 12 2026")?;
        if d > today {
            return Err("The day the lists are made cannot be after today".into());
        }
        Ok(d)
    }
    pub(super) fn query(d: NaiveDate) -> String {
        use chrono::Datelike;
        format!(
            "as_at-day={}&as_at-month={}&as_at-year={}",
            d.day(),
            d.month(),
            d.year()
        )
    }
}

/// Findings shown on the page (the workbook's Checks sheet has them all).
const SHOWN: usize = 200;

pub async fn annex_a(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<AsAtQuery>,
) -> Result<Response, AppError> {
    allowed(&state, &session, "GET /inspection/annex-a").await?;
    let today = domain::calendar::uk_now().date();
    let (as_at, error) = match q.as_at(today) {
        Ok(d) => (d, None),
        Err(e) => (today, Some(e)),
    };
    let started = std::time::Instant::now();
    let (lists, findings) = super::annex_a(state.store.as_ref(), as_at).await?;
    let took = started.elapsed();
    state
        .store
        .record_event(
            session.actor(),
            AuditAction::View,
            None,
            &format!(
                "Annex A lists as at {as_at} (counts and checks): {} rows",
                lists.lists.iter().map(|l| l.rows.len()).sum::<usize>()
            ),
        )
        .await?;
    let mut by_list: BTreeMap<u8, usize> = BTreeMap::new();
    for f in &findings {
        *by_list.entry(f.list).or_default() += 1;
    }
    use chrono::Datelike;
    let field = |v: &str, d: u32| {
        if v.is_empty() {
            d.to_string()
        } else {
            v.to_string()
        }
    };
    let html = state.templates.page(
        "inspection/annex_a.html",
        Some(&session),
        context! {
            title => "Ofsted Annex A",
            as_at => as_at.format("%-d %B %Y").to_string(),
            from_6 => lists.from_6.format("%-d %B %Y").to_string(),
            from_12 => lists.from_12.format("%-d %B %Y").to_string(),
            error_list => match &error { Some(e) => Value::from(vec![context! { text => e.clone(), href => "#as_at-day" }]), None => Value::from(Vec::<Value>::new()) },
            error,
            items => vec![
                context! { name => "day", classes => "govuk-input--width-2", value => field(&q.day, as_at.day()) },
                context! { name => "month", classes => "govuk-input--width-2", value => field(&q.month, as_at.month()) },
                context! { name => "year", classes => "govuk-input--width-4", value => field(&q.year, as_at.year() as u32) },
            ],
            lists => lists.lists.iter().map(|l| context! {
                number => l.number,
                name => l.name,
                sheet => super::workbook::sheet_name(l.number, l.name),
                scope => l.scope.clone(),
                rows => l.rows.len(),
                findings => by_list.get(&l.number).copied().unwrap_or(0),
                cannot_fill => l.cannot_fill.iter().map(|(h, why)| context! { heading => *h, why => *why }).collect::<Vec<_>>(),
            }).collect::<Vec<_>>(),
            findings => findings.iter().take(SHOWN).map(|f| context! {
                sheet => super::workbook::sheet_name(f.list, f.list_name),
                row => f.row,
                child => f.child_id.clone(),
                column => f.column,
                message => f.message.clone(),
            }).collect::<Vec<_>>(),
            finding_count => findings.len(),
            more => findings.len().saturating_sub(SHOWN),
            download => format!("/inspection/annex-a.xlsx?{}", AsAtQuery::query(as_at)),
            query => AsAtQuery::query(as_at),
            took => format!("{:.1}", took.as_secs_f64()),
        },
    )?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, html).into_response())
}

pub async fn annex_a_workbook(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<AsAtQuery>,
) -> Result<Response, AppError> {
    allowed(&state, &session, "GET /inspection/annex-a.xlsx").await?;
    let as_at = q
        .as_at(domain::calendar::uk_now().date())
        .map_err(|message| AppError::BadRequest {
            message,
            api: false,
        })?;
    let (lists, findings) = super::annex_a(state.store.as_ref(), as_at).await?;
    let bytes = super::workbook::to_xlsx(&lists, &findings).map_err(AppError::internal)?;
    state
        .store
        .record_event(
            session.actor(),
            AuditAction::View,
            None,
            &format!(
                "downloaded the Annex A workbook as at {as_at}: {} rows about {} children, {} findings",
                lists.lists.iter().map(|l| l.rows.len()).sum::<usize>(),
                lists
                    .lists
                    .iter()
                    .flat_map(|l| l.children.iter())
                    .collect::<std::collections::HashSet<_>>()
                    .len(),
                findings.len()
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
        HeaderValue::from_str(&format!("attachment; filename=\"annex-a-{as_at}.xlsx\""))
            .map_err(AppError::internal)?,
    );
    Ok(resp)
}
