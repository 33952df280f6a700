//! Setting up an audit programme: its theme, scope, period and auditors, and its sample, drawn
//! at random from a recorded seed or chosen from the cases the scope holds in the period (the
//! cases offered are listed on the form once the scope and period are given: each an access
//! entry; restricted records the user may not open are not offered).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use domain::access::Role;
use domain::quality::{NewProgramme, Sampling, ScopeKind};
use domain::validate::FieldError;
use minijinja::{Value, context};
use uuid::Uuid;

use crate::AppState;
use crate::auth::{AuthedForm, Session};
use crate::error::AppError;
use crate::forms::FormData;
use crate::forms::errors::{errors_value, status, store_error};
use crate::forms::fields::{date_items, fmt_date, required_date};
use crate::policy::Action;
use crate::quality::{allow, new_seed};

/// The most cases the form lists to choose from (narrow the scope or period for more).
const MAX_LISTED: usize = 200;

/// The cases the scope holds in the period, to choose from: those the user may see (the first
/// [`MAX_LISTED`] by record), by name, each listed an access entry; with how many more there
/// were (restricted, or beyond the list).
async fn cases_to_choose(
    state: &AppState,
    session: &Session,
    p: &NewProgramme,
) -> Result<(Vec<(Uuid, String)>, usize), AppError> {
    let eligible = state
        .store
        .eligible_cases(p.scope, p.team_id, p.period_start, p.period_end)
        .await?;
    let facts = state.store.access_facts_of(&eligible).await?;
    let mut listed = Vec::new();
    for id in &eligible {
        // The first cases (by record) up to the most listed, read one by one.
        if listed.len() == MAX_LISTED {
            break;
        }
        if facts
            .get(id)
            .is_some_and(|f| !crate::guard::may_see(session, f.restricted))
        {
            continue;
        }
        let c = state.store.get_person(*id).await?;
        let born = c
            .details
            .date_of_birth
            .map(|d| format!(", born {}", fmt_date(d)))
            .unwrap_or_default();
        let number = c
            .details
            .identifiers
            .council_child_id
            .as_ref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        listed.push((
            c.id,
            c.details.family_name.clone(),
            format!("{}{number}{born}", c.full_name()),
        ));
    }
    listed.sort_by(|a, b| (&a.1, &a.2).cmp(&(&b.1, &b.2)));
    let more = eligible.len() - listed.len();
    crate::guard::log_disclosure(
        state,
        session,
        "audit_sample",
        listed.iter().map(|(id, ..)| *id),
        "cases offered to choose for a case file audit",
    )
    .await?;
    Ok((
        listed.into_iter().map(|(id, _, text)| (id, text)).collect(),
        more,
    ))
}

/// The programme form: teams, the users who may audit and, for chosen cases once the scope and
/// period are given, the cases to choose from.
async fn programme_form(
    state: &AppState,
    session: &Session,
    form: &FormData,
    errors: &[FieldError],
    choose: Option<&NewProgramme>,
) -> Result<Response, AppError> {
    let teams: Vec<Value> = std::iter::once(context! { value => "", text => "Choose a team", selected => form.get("team_id").is_empty() })
        .chain(state.store.list_teams().await?.into_iter().map(|t| {
            context! { value => t.id.to_string(), selected => form.get("team_id") == t.id.to_string(), text => t.name }
        }))
        .collect();
    let chosen = form.all("auditors");
    let auditors: Vec<Value> = state
        .store
        .list_users()
        .await?
        .into_iter()
        .filter(|u| u.active && matches!(u.role, Role::Auditor | Role::TeamManager))
        .map(|u| {
            context! {
                value => u.id.to_string(), checked => chosen.contains(&u.id.to_string()),
                text => format!("{} ({})", u.display_name, u.role.label()),
            }
        })
        .collect();
    let scopes: Vec<Value> = ScopeKind::ALL
        .iter()
        .map(|s| context! { value => s.as_str(), text => s.label(), checked => form.get("scope") == s.as_str() })
        .collect();
    let method = form.get("method");
    let methods: Vec<Value> = [
        ("random", "At random, from a seed"),
        ("chosen", "Cases I choose"),
    ]
    .iter()
    .map(|(v, t)| context! { value => v, text => t, checked => method == *v })
    .collect();
    let (cases, more) = match choose {
        Some(p) => {
            let picked = form.all("children");
            let (list, more) = cases_to_choose(state, session, p).await?;
            let items: Vec<Value> = list
                .into_iter()
                .map(|(id, text)| context! { value => id.to_string(), text, checked => picked.contains(&id.to_string()) })
                .collect();
            (Some(items), more)
        }
        None => (None, 0),
    };
    let (by_field, error_list) = errors_value(errors, &["period_start", "period_end"]);
    let has = |f: &str| errors.iter().any(|e| e.field == f);
    let html = state.templates.page(
        "quality/programme_form.html",
        Some(session),
        context! {
            title => "Set up a case file audit",
            form => Value::from_serialize(form_map(form)),
            teams, auditors, scopes, methods, cases, more,
            start_items => date_items(has("period_start"), &form.parts("period_start")),
            end_items => date_items(has("period_end"), &form.parts("period_end")),
            errors => by_field, error_list,
        },
    )?;
    Ok((status(errors), html).into_response())
}

/// A form's single-valued fields by name, for the template.
fn form_map(form: &FormData) -> std::collections::BTreeMap<&'static str, String> {
    ["theme", "size", "seed", "method"]
        .into_iter()
        .map(|k| (k, form.get(k)))
        .collect()
}

/// `GET /quality/audits/new`.
pub async fn new_programme(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::RunAudits,
        "GET /quality/audits/new",
        false,
    )
    .await?;
    let form = FormData::default()
        .set("size", "20")
        .set("scope", "service")
        .set("method", "random");
    programme_form(&state, &session, &form, &[], None).await
}

/// Reads the programme form: a random sample of `size` from `seed` (a new seed when blank), or
/// the cases chosen (`children`).
fn read_programme(form: &FormData) -> Result<NewProgramme, Vec<FieldError>> {
    let mut errors = Vec::new();
    let scope = ScopeKind::parse(&form.get("scope"));
    if scope.is_none() {
        errors.push(FieldError::new("scope", "Select which cases to audit"));
    }
    let mut date = |k: &str, label: &str| required_date(&form.parts(k), k, label, &mut errors);
    let start = date("period_start", "Start of the period");
    let end = date("period_end", "End of the period");
    let chosen = form.get("method") == "chosen";
    let sampling = if chosen {
        Sampling::Chosen {
            children: form
                .all("children")
                .iter()
                .filter_map(|c| Uuid::parse_str(c).ok())
                .collect(),
        }
    } else {
        let size = form.get("size").trim().parse::<u32>().unwrap_or(0);
        let seed = match form.get("seed").trim() {
            "" => Some(new_seed()),
            s => s.parse().ok(),
        };
        if seed.is_none() {
            errors.push(FieldError::new(
                "seed",
                "Enter the seed as a whole number, or leave it blank",
            ));
        }
        Sampling::Random {
            size,
            seed: seed.unwrap_or_default(),
        }
    };
    let auditors: Vec<Uuid> = form
        .all("auditors")
        .iter()
        .filter_map(|a| Uuid::parse_str(a).ok())
        .collect();
    let team_id = Uuid::parse_str(&form.get("team_id")).ok();
    // Every problem at once: the domain's checks on what could be read.
    let p = NewProgramme {
        theme: form.get("theme"),
        scope: scope.unwrap_or(ScopeKind::Service),
        team_id,
        period_start: start.unwrap_or(NaiveDate::MIN),
        period_end: end.unwrap_or(NaiveDate::MAX),
        auditors,
        sampling,
    };
    for e in p.validate() {
        if !errors.iter().any(|x| x.field == e.field) {
            errors.push(e);
        }
    }
    // The summary lists the problems in the order of the fields on the page.
    const ORDER: [&str; 10] = [
        "theme",
        "scope",
        "team_id",
        "period_start",
        "period_end",
        "auditors",
        "method",
        "size",
        "seed",
        "children",
    ];
    errors.sort_by_key(|e| {
        ORDER
            .iter()
            .position(|f| *f == e.field)
            .unwrap_or(ORDER.len())
    });
    if errors.is_empty() {
        Ok(p)
    } else {
        Err(errors)
    }
}

/// `POST /quality/audits/new`: sets up the programme and draws its sample. Chosen cases: the
/// first post (scope and period given, nothing chosen yet) lists the cases to choose from.
pub async fn create_programme(
    State(state): State<AppState>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::RunAudits,
        "POST /quality/audits/new",
        false,
    )
    .await?;
    let mut errors = match read_programme(&form) {
        Ok(p) => match state.store.create_programme(session.actor(), p).await {
            Ok(p) => {
                return Ok(
                    Redirect::to(&format!("/quality/audits/{}?saved=programme", p.id))
                        .into_response(),
                );
            }
            Err(e) => vec![store_error(e, "auditors")?],
        },
        Err(errors) => errors,
    };
    // Chosen cases, with the scope and period readable: the cases to choose from.
    let mut choose = None;
    if form.get("method") == "chosen"
        && !errors
            .iter()
            .any(|e| ["scope", "team_id", "period_start", "period_end"].contains(&e.field.as_str()))
    {
        let mut ignore = Vec::new();
        let mut d = |k: &str| required_date(&form.parts(k), k, "Date", &mut ignore);
        let p = NewProgramme {
            theme: String::new(),
            scope: ScopeKind::parse(&form.get("scope")).unwrap_or(ScopeKind::Service),
            team_id: Uuid::parse_str(&form.get("team_id")).ok(),
            period_start: d("period_start").unwrap_or(NaiveDate::MIN),
            period_end: d("period_end").unwrap_or(NaiveDate::MAX),
            auditors: Vec::new(),
            sampling: Sampling::Chosen {
                children: Vec::new(),
            },
        };
        // Not yet shown the cases: no problem yet in choosing none.
        if form.get("choosing") != "yes" {
            errors.retain(|e| e.field != "children");
        }
        choose = Some(p);
    }
    let form = if choose.is_some() {
        form.set("choosing", "yes")
    } else {
        form
    };
    programme_form(&state, &session, &form, &errors, choose.as_ref()).await
}
