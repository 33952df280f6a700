//! ChAT-style timeliness of the Annex A lists (`/inspection/timeliness`): decisions,
//! assessments, conferences, reviews and visits against their timescales over the lists' 6
//! months, for analysts and team managers (analysts see counts of 1 to 5 withheld); team
//! managers list the children out of time (`/inspection/timeliness/{measure}`), each child the
//! guard lets them open listed as an access entry, restricted children counted but not named.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::access::{AuditAction, Role};
use minijinja::{Value, context};

use super::pages::{AsAtQuery, allowed};
use crate::AppState;
use crate::auth::{Session, deny};
use crate::error::AppError;
use crate::policy::{Action, check_record};

async fn measures(
    state: &AppState,
    as_at: chrono::NaiveDate,
) -> Result<Vec<domain::inspection::timeliness::Measure>, AppError> {
    let record = state.store.annex_a_record(as_at).await?;
    let from =
        domain::inspection::build(&domain::inspection::AnnexARecord::default(), as_at).from_6;
    Ok(domain::inspection::timeliness::measures(
        &record,
        from,
        as_at,
        state.config.visit_standards.cp_working_days,
    ))
}

/// A count as the user may see it: 1 to 5 withheld from those who do not open records.
fn count(session: &Session, n: usize) -> String {
    if session.user.role != Role::TeamManager && metrics::report::is_small_number(n as f64) {
        "fewer than 6".into()
    } else {
        n.to_string()
    }
}

pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<AsAtQuery>,
) -> Result<Response, AppError> {
    allowed(&state, &session, "GET /inspection/timeliness").await?;
    let today = domain::calendar::uk_now().date();
    let (as_at, error) = match q.as_at(today) {
        Ok(d) => (d, None),
        Err(e) => (today, Some(e)),
    };
    let ms = measures(&state, as_at).await?;
    state
        .store
        .record_event(
            session.actor(),
            AuditAction::View,
            None,
            &format!("Annex A timeliness as at {as_at}"),
        )
        .await?;
    let manager = session.user.role == Role::TeamManager;
    let query = AsAtQuery::query(as_at);
    let rows: Vec<Value> = ms
        .iter()
        .map(|m| {
            let small = !manager
                && (metrics::report::is_small_number(m.due as f64)
                    || metrics::report::is_small_number(m.late_count as f64)
                    || metrics::report::is_small_number(m.in_time as f64));
            context! {
                key => m.key,
                name => m.name,
                list => m.list,
                standard => m.standard.clone(),
                due => count(&session, m.due),
                in_time => count(&session, m.in_time),
                late => count(&session, m.late_count),
                percent => if small { Some("fewer than 6".to_string()) } else { m.percent().map(|p| format!("{p:.1}%")) },
                drill => (manager && !m.late.is_empty()).then(|| format!("/inspection/timeliness/{}?{query}", m.key)),
            }
        })
        .collect();
    use chrono::Datelike;
    let field = |v: &str, d: u32| {
        if v.is_empty() {
            d.to_string()
        } else {
            v.to_string()
        }
    };
    let html = state.templates.page(
        "inspection/timeliness.html",
        Some(&session),
        context! {
            title => "Timeliness of the Annex A lists",
            as_at => as_at.format("%-d %B %Y").to_string(),
            error_list => match &error { Some(e) => Value::from(vec![context! { text => e.clone(), href => "#as_at-day" }]), None => Value::from(Vec::<Value>::new()) },
            error,
            items => vec![
                context! { name => "day", classes => "govuk-input--width-2", value => field(q.day(), as_at.day()) },
                context! { name => "month", classes => "govuk-input--width-2", value => field(q.month(), as_at.month()) },
                context! { name => "year", classes => "govuk-input--width-4", value => field(q.year(), as_at.year() as u32) },
            ],
            rows,
            manager,
        },
    )?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, html).into_response())
}

pub async fn children(
    State(state): State<AppState>,
    session: Session,
    Path(key): Path<String>,
    Query(q): Query<AsAtQuery>,
) -> Result<Response, AppError> {
    let what = format!("GET /inspection/timeliness/{key}");
    if session.user.role != Role::TeamManager {
        return Err(deny(
            &state,
            &session,
            None,
            &what,
            "only team managers see the children out of time".into(),
            false,
        )
        .await);
    }
    let as_at = q
        .as_at(domain::calendar::uk_now().date())
        .map_err(|message| AppError::BadRequest {
            message,
            api: false,
        })?;
    let ms = measures(&state, as_at).await?;
    let m = ms
        .into_iter()
        .find(|m| m.key == key)
        .ok_or(AppError::NotFound { api: false })?;
    let mut rows = Vec::new();
    let mut hidden = 0;
    for child in &m.late {
        let Ok(person) = state.store.get_person(*child).await else {
            continue;
        };
        let facts = state.store.access_facts(*child).await?;
        if check_record(&session.user, Action::ViewRecord, &facts).is_err() {
            hidden += 1;
            continue;
        }
        state
            .store
            .record_event(
                session.actor(),
                AuditAction::View,
                Some(*child),
                &format!("listed out of time: {} as at {as_at}", m.name),
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
        "inspection/timeliness_children.html",
        Some(&session),
        context! {
            title => format!("{}: children out of time", m.name),
            standard => m.standard.clone(),
            as_at => as_at.format("%-d %B %Y").to_string(),
            back => format!("/inspection/timeliness?{}", AsAtQuery::query(as_at)),
            rows, hidden,
        },
    )?;
    Ok(html.into_response())
}
