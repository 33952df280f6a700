//! Validate a statutory return by uploading it: the findings, by rule and by child. The file is
//! validated in memory and not kept; the upload is audited.

use crate::AppState;
use crate::auth::Session;
use crate::auth::deny;
use crate::auth::same_secret;
use crate::error::AppError;
use crate::policy::may_validate_role;
use axum::extract::Multipart;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Response;
use domain::access::AuditAction;
use minijinja::context;
use returns::findings::Severity;
use returns::findings::summary_by_rule;
use std::collections::BTreeMap;

/// The largest return accepted for upload (a national-sized CIN census is about 60 MB; the same
/// limit applies to all the files of a 903 return together).
pub const MAX_UPLOAD: usize = 256 * 1024 * 1024;

fn may_validate(session: &Session) -> bool {
    may_validate_role(session.user.role)
}

pub async fn cin_form(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, AppError> {
    if !may_validate(&session) {
        return Err(deny(
            &state,
            &session,
            None,
            "GET /returns/cin",
            format!(
                "role {} may not validate returns",
                session.user.role.as_str()
            ),
            false,
        )
        .await);
    }
    state.templates.page(
        "returns/cin.html",
        Some(&session),
        context! { title => "Validate a CIN census" },
    )
}

fn form_error(state: &AppState, session: &Session, message: &str) -> Result<Response, AppError> {
    let html = state.templates.page(
        "returns/cin.html",
        Some(session),
        context! {
            title => "Validate a CIN census",
            errors => context! { file => message },
            error_list => vec![context! { text => message, href => "#file" }],
        },
    )?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

pub async fn cin_upload(
    State(state): State<AppState>,
    session: Session,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    if !may_validate(&session) {
        return Err(deny(
            &state,
            &session,
            None,
            "POST /returns/cin",
            format!(
                "role {} may not validate returns",
                session.user.role.as_str()
            ),
            false,
        )
        .await);
    }
    let mut csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest {
            message: format!("could not read the upload: {e}"),
            api: false,
        })?
    {
        match field.name() {
            Some("csrf_token") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_string();
                let bytes = field.bytes().await.map_err(|e| AppError::BadRequest {
                    message: format!("could not read the file: {e}"),
                    api: false,
                })?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    if !same_secret(&csrf, &session.csrf_token) {
        return Err(AppError::BadRequest { message: "The form had expired or did not come from Hearth. Go back, reload the page and try again.".into(), api: false });
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return form_error(&state, &session, "Select a CIN census XML file");
    };
    let started = std::time::Instant::now();
    let v = match returns::cin::validate_stream(&bytes[..]) {
        Ok(v) => v,
        Err(e) => return form_error(&state, &session, &format!("{name} could not be read: {e}")),
    };
    let seconds = started.elapsed().as_secs_f64();
    let errors = v
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    state
        .store
        .record_event(
            session.actor(),
            AuditAction::View,
            None,
            &format!(
                "validated CIN census {name}: {} children, {} findings",
                v.children,
                v.findings.len()
            ),
        )
        .await?;
    let by_rule: Vec<_> = summary_by_rule(&v.findings)
        .into_iter()
        .map(|s| context! { code => s.rule_code, query => s.severity == Severity::Query, findings => s.findings, children => s.children, message => s.message })
        .collect();
    let mut by_child: BTreeMap<&str, Vec<minijinja::Value>> = BTreeMap::new();
    for f in &v.findings {
        by_child.entry(f.child.as_deref().unwrap_or("(whole return)")).or_default().push(context! {
            code => f.rule_code.clone(), table => f.table.clone(), row => f.row, fields => f.fields.join(", "), message => f.message.clone(),
        });
    }
    let shown = 200;
    let children_with_findings = by_child.keys().filter(|k| **k != "(whole return)").count();
    let by_child: Vec<_> = by_child
        .into_iter()
        .take(shown)
        .map(|(child, findings)| context! { child, findings })
        .collect();
    let html = state.templates.page(
        "returns/cin_findings.html",
        Some(&session),
        context! {
            title => format!("CIN census findings: {name}"),
            name,
            children => v.children,
            error_count => errors,
            queries => v.findings.len() - errors,
            seconds => format!("{seconds:.2}"),
            by_rule,
            by_child,
            children_with_findings,
            shown,
            not_run => v.not_run.iter().map(|(c, w)| context! { code => *c, why => w.clone() }).collect::<Vec<_>>(),
        },
    )?;
    Ok(html.into_response())
}

const SSDA903_TITLE: &str = "Validate an SSDA903 return";

fn denied_903(path: &str, session: &Session) -> (String, String) {
    (
        path.to_string(),
        format!(
            "role {} may not validate returns",
            session.user.role.as_str()
        ),
    )
}

pub async fn ssda903_form(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, AppError> {
    if !may_validate(&session) {
        let (what, why) = denied_903("GET /returns/903", &session);
        return Err(deny(&state, &session, None, &what, why, false).await);
    }
    state.templates.page(
        "returns/ssda903.html",
        Some(&session),
        context! { title => SSDA903_TITLE },
    )
}

fn ssda903_error(
    state: &AppState,
    session: &Session,
    field: &str,
    message: &str,
) -> Result<Response, AppError> {
    let html = state.templates.page(
        "returns/ssda903.html",
        Some(session),
        context! {
            title => SSDA903_TITLE,
            errors => if field == "previous" { context! { previous => message } } else { context! { files => message } },
            error_list => vec![context! { text => message, href => format!("#{field}") }],
        },
    )?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

/// Validates the 903 return uploaded as its CSV files (one a table) or its XML file, against the
/// previous year's files where those are given too.
pub async fn ssda903_upload(
    State(state): State<AppState>,
    session: Session,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    if !may_validate(&session) {
        let (what, why) = denied_903("POST /returns/903", &session);
        return Err(deny(&state, &session, None, &what, why, false).await);
    }
    let mut csrf = String::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut previous: Vec<(String, Vec<u8>)> = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest {
            message: format!("could not read the upload: {e}"),
            api: false,
        })?
    {
        let which = field.name().map(str::to_string);
        match which.as_deref() {
            Some("csrf_token") => csrf = field.text().await.unwrap_or_default(),
            Some(name @ ("files" | "previous")) => {
                let file = field.file_name().unwrap_or("upload").to_string();
                let bytes = field.bytes().await.map_err(|e| AppError::BadRequest {
                    message: format!("could not read the file: {e}"),
                    api: false,
                })?;
                // A file input left empty sends an empty part.
                if bytes.is_empty() && file.is_empty() {
                    continue;
                }
                let to = if name == "files" {
                    &mut files
                } else {
                    &mut previous
                };
                to.push((file, bytes.to_vec()));
            }
            _ => {}
        }
    }
    if !same_secret(&csrf, &session.csrf_token) {
        return Err(AppError::BadRequest { message: "The form had expired or did not come from Hearth. Go back, reload the page and try again.".into(), api: false });
    }
    if files.is_empty() {
        return ssda903_error(
            &state,
            &session,
            "files",
            "Select the return's XML file or its CSV files (one for each table)",
        );
    }
    let started = std::time::Instant::now();
    let ret = match returns::ssda903::read_files(&files) {
        Ok(r) => r,
        Err(e) => {
            return ssda903_error(
                &state,
                &session,
                "files",
                &format!("The return could not be read: {e}"),
            );
        }
    };
    let prev = if previous.is_empty() {
        None
    } else {
        match returns::ssda903::read_files(&previous) {
            Ok(r) => Some(r),
            Err(e) => {
                return ssda903_error(
                    &state,
                    &session,
                    "previous",
                    &format!("The previous year's return could not be read: {e}"),
                );
            }
        }
    };
    let year = 2026;
    let v = returns::ssda903::validate_full(&ret, prev.as_ref(), &state.config.reference_903, year);
    let seconds = started.elapsed().as_secs_f64();
    let children = ret.rows(returns::ssda903::Table::Header).len();
    let errors = v
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    state
        .store
        .record_event(
            session.actor(),
            AuditAction::View,
            None,
            &format!(
                "validated SSDA903 return {}{}: {children} children, {} findings",
                names.join(", "),
                if prev.is_some() {
                    " with the previous year's"
                } else {
                    ""
                },
                v.findings.len()
            ),
        )
        .await?;
    let by_rule: Vec<_> = summary_by_rule(&v.findings)
        .into_iter()
        .map(|s| context! { code => s.rule_code, query => s.severity == Severity::Query, findings => s.findings, children => s.children, message => s.message })
        .collect();
    // Where a finding is: the CSV line (the header is line 1), or for the XML form (one file,
    // no lines a table) the row of the table as read, counting from 1.
    let xml = ret.uasc_flags.is_some();
    let from = if xml { 1 } else { 2 };
    let mut by_child: BTreeMap<&str, Vec<minijinja::Value>> = BTreeMap::new();
    for f in &v.findings {
        by_child.entry(f.child.as_deref().unwrap_or("(whole return)")).or_default().push(context! {
            code => f.rule_code.clone(), table => f.table.clone(), line => f.row.map(|r| r + from), fields => f.fields.join(", "), message => f.message.clone(),
        });
    }
    let shown = 200;
    let children_with_findings = by_child.keys().filter(|k| **k != "(whole return)").count();
    let by_child: Vec<_> = by_child
        .into_iter()
        .take(shown)
        .map(|(child, findings)| context! { child, findings })
        .collect();
    let tables: Vec<_> = ret
        .tables
        .iter()
        .map(|(t, r)| context! { name => t.name(), rows => r.rows.len() })
        .collect();
    let html = state.templates.page(
        "returns/ssda903_findings.html",
        Some(&session),
        context! {
            title => "SSDA903 return findings",
            children,
            tables,
            with_previous => prev.is_some(),
            error_count => errors,
            queries => v.findings.len() - errors,
            seconds => format!("{seconds:.2}"),
            by_rule,
            by_child,
            children_with_findings,
            shown,
            not_run => reasons(&v.not_run),
            skipped => reasons(&v.skipped),
            // Whether reference data (not only last year's return) is what some rules lack.
            reference_missing => v.skipped.iter().any(|(c, why)| why != "needs the previous year's return" && returns::ssda903::rules::REFERENCE.iter().any(|(r, _)| r == c)),
            xml,
        },
    )?;
    Ok(html.into_response())
}

/// Rules not run, grouped by why: `[{why, codes}]` in the order first met.
fn reasons(rules: &[(&'static str, String)]) -> Vec<minijinja::Value> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (code, why) in rules {
        match groups.iter_mut().find(|(w, _)| w == why) {
            Some((_, codes)) => codes.push(code),
            None => groups.push((why, vec![code])),
        }
    }
    groups
        .into_iter()
        .map(|(why, codes)| context! { why, codes => codes.join(" ") })
        .collect()
}
