//! The workforce's indicators (44 to 49) from the record, census year by census year (to 30
//! September) for the last five years, beside England, the region and statistical neighbours
//! (the catalogue's figures): on a page, as an Excel workbook, and in the API. The council
//! records its vacancies for each year here (the record holds posts filled, not vacant ones).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use domain::access::AuditAction;
use domain::workforce::indicators::{WorkforceYear, census_year, workforce_year};
use minijinja::{Value, context};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::AppState;
use crate::auth::{AuthedForm, Session};
use crate::error::AppError;
use crate::forms::FormData;
use crate::forms::fields::today;
use crate::policy::{Action, check_role};
use crate::workforce::allow;

#[derive(utoipa::OpenApi)]
#[openapi(paths(api), components(schemas(WorkforceYear)))]
pub struct Doc;

/// How many census years the trend shows.
const YEARS: i32 = 5;

/// The indicators, each with how its value is read from a year and its unit.
/// An indicator's id, name, value in a year and unit.
type Row = (
    &'static str,
    &'static str,
    fn(&WorkforceYear) -> Option<f64>,
    &'static str,
);

const ROWS: [Row; 6] = [
    (
        "44",
        "Average caseload (children per case-holding FTE)",
        |y| y.average_caseload,
        "",
    ),
    ("45", "Agency social workers (FTE)", |y| y.agency_rate, "%"),
    ("46", "Turnover (FTE)", |y| y.turnover, "%"),
    ("47", "Vacancy rate (FTE)", |y| y.vacancy_rate, "%"),
    ("48", "Sickness absence", |y| y.sickness, "%"),
    ("49", "Leavers moving to agency work", |y| y.to_agency, "%"),
];

/// The last census year whose reference date has passed.
fn latest_year() -> i32 {
    let t = today();
    if census_year(t.year()).1 <= t {
        t.year()
    } else {
        t.year() - 1
    }
}

/// The last five census years' figures, oldest first.
pub(crate) async fn years(state: &AppState) -> Result<Vec<WorkforceYear>, AppError> {
    let staff = state.store.staff().await?;
    let vacancies = state.store.vacancies().await?;
    let last = latest_year();
    let mut out = Vec::new();
    for year in (last - YEARS + 1)..=last {
        let held = state.store.cases_held(census_year(year).1).await?;
        let v = vacancies.iter().find(|(y, _)| *y == year).map(|(_, f)| *f);
        out.push(workforce_year(year, &staff, &held, v));
    }
    Ok(out)
}

fn fmt(v: Option<f64>, unit: &str) -> String {
    v.map(|v| format!("{v:.1}{unit}"))
        .unwrap_or_else(|| "–".into())
}

/// `GET /workforce/indicators`.
pub async fn page(State(state): State<AppState>, session: Session) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::ViewWorkforce,
        "GET /workforce/indicators",
        false,
    )
    .await?;
    show(&state, &session, &FormData::default(), &[]).await
}

async fn show(
    state: &AppState,
    session: &Session,
    form: &FormData,
    errors: &[domain::validate::FieldError],
) -> Result<Response, AppError> {
    let ys = years(state).await?;
    let rows: Vec<Value> = ROWS
        .iter()
        .map(|(id, name, get, unit)| {
            let ind = metrics::catalogue::find(id);
            context! {
                id, name,
                values => ys.iter().map(|y| fmt(get(y), unit)).collect::<Vec<_>>(),
                england => fmt(ind.and_then(|i| i.england), unit),
                region => fmt(ind.and_then(|i| i.region), unit),
                neighbours => fmt(ind.and_then(|i| i.sn_mean), unit),
            }
        })
        .collect();
    let latest = ys.last().expect("five years");
    let (by_field, error_list) = crate::forms::errors::errors_value(errors, &[]);
    let html = state.templates.page(
        "workforce/indicators.html",
        Some(session),
        context! {
            title => "Workforce indicators",
            years => ys.iter().map(|y| y.year).collect::<Vec<_>>(),
            rows,
            latest_year => latest.year,
            latest_agency => fmt(latest.to_agency, "%"),
            latest_leavers => latest.leavers,
            latest_to_agency => latest.leavers_to_agency,
            latest_caseload => fmt(latest.average_caseload, ""),
            england_caseload => fmt(metrics::catalogue::find("44").and_then(|i| i.england), ""),
            can_manage => check_role(&session.user, Action::ManageWorkforce).is_ok(),
            vacancies_year => if form.get("year").is_empty() { latest.year.to_string() } else { form.get("year") },
            vacancies => form.get("vacancies"),
            errors => by_field,
            error_list,
        },
    )?;
    Ok((crate::forms::errors::status(errors), html).into_response())
}

/// `POST /workforce/vacancies`: a year's vacancies, as the council counts them.
pub async fn save_vacancies(
    State(state): State<AppState>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    use domain::validate::FieldError;
    allow(
        &state,
        &session,
        Action::ManageWorkforce,
        "POST /workforce/vacancies",
        false,
    )
    .await?;
    let year = form.get("year").trim().parse::<i32>();
    let fte = form.get("vacancies").trim().parse::<f64>();
    let errors = match (year, fte) {
        (Ok(y), Ok(f)) => match state.store.set_vacancies(session.actor(), y, f).await {
            Ok(()) => return Ok(Redirect::to("/workforce/indicators").into_response()),
            Err(e) => vec![crate::forms::errors::store_error(e, "vacancies")?],
        },
        (Err(_), _) => vec![FieldError::new(
            "year",
            "Enter the census year, for example 2025",
        )],
        (_, Err(_)) => vec![FieldError::new(
            "vacancies",
            "Enter the vacant posts as a number of full-time equivalents, for example 4.5",
        )],
    };
    show(&state, &session, &form, &errors).await
}

/// The indicators as a workbook: a sheet of the trend with the comparators, and a sheet of
/// what each year's figures are made of.
pub fn to_xlsx(ys: &[WorkforceYear]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let one = Format::new().set_num_format("0.0");
    {
        let ws = wb.add_worksheet().set_name("Indicators")?;
        let mut heads = vec!["Indicator".to_string(), "Name".to_string()];
        heads.extend(ys.iter().map(|y| format!("30 Sep {}", y.year)));
        heads.extend(
            [
                "England",
                "Yorkshire and the Humber",
                "Statistical neighbours",
            ]
            .map(String::from),
        );
        for (c, h) in heads.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, (id, name, get, unit)) in ROWS.iter().enumerate() {
            let r = r as u32 + 1;
            ws.write_string(r, 0, *id)?;
            ws.write_string(
                r,
                1,
                format!("{name}{}", if unit.is_empty() { "" } else { " (%)" }),
            )?;
            let ind = metrics::catalogue::find(id);
            let comps = [
                ind.and_then(|i| i.england),
                ind.and_then(|i| i.region),
                ind.and_then(|i| i.sn_mean),
            ];
            for (c, v) in ys.iter().map(get).chain(comps).enumerate() {
                if let Some(v) = v {
                    ws.write_number_with_format(r, c as u16 + 2, v, &one)?;
                }
            }
        }
        ws.set_column_width(1, 48)?;
    }
    {
        let ws = wb.add_worksheet().set_name("Counts")?;
        let heads = [
            "Census year (to 30 Sep)",
            "Employed social workers",
            "Agency social workers",
            "Employed FTE",
            "Agency FTE",
            "Case-holding FTE",
            "Children allocated",
            "Employed leavers",
            "Leavers FTE",
            "Leavers to agency work",
            "Days lost to sickness",
            "Vacancies FTE",
        ];
        for (c, h) in heads.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, y) in ys.iter().enumerate() {
            let r = r as u32 + 1;
            let vals = [
                f64::from(y.year),
                f64::from(y.employed),
                f64::from(y.agency),
                y.employed_fte,
                y.agency_fte,
                y.case_holding_fte,
                f64::from(y.children_held),
                f64::from(y.leavers),
                y.leavers_fte,
                f64::from(y.leavers_to_agency),
                y.days_lost_to_sickness,
            ];
            for (c, v) in vals.iter().enumerate() {
                ws.write_number(r, c as u16, *v)?;
            }
            if let Some(v) = y.vacancies_fte {
                ws.write_number(r, vals.len() as u16, v)?;
            }
        }
    }
    wb.save_to_buffer()
}

/// `GET /workforce/indicators.xlsx`.
pub async fn workbook(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::ViewWorkforce,
        "GET /workforce/indicators.xlsx",
        false,
    )
    .await?;
    let ys = years(&state).await?;
    let bytes = to_xlsx(&ys).map_err(AppError::internal)?;
    state
        .store
        .record_event(
            session.actor(),
            AuditAction::View,
            None,
            "workforce indicators workbook",
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
        HeaderValue::from_static("attachment; filename=\"hearth-workforce-indicators.xlsx\""),
    );
    Ok(resp)
}

/// The last five census years' workforce figures (indicators 44 to 49 and what they are made
/// of), oldest first.
#[utoipa::path(get, path = "/api/workforce/indicators", tag = "workforce",
    responses((status = 200, body = [WorkforceYear]), (status = 403, body = crate::api::ApiError)))]
pub async fn api(State(state): State<AppState>, session: Session) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::ViewWorkforce,
        "GET /api/workforce/indicators",
        true,
    )
    .await?;
    Ok(Json(years(&state).await?).into_response())
}
