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

/// What one uploaded file may hold: checked as it streams in, before anything parses it, so a
/// file past a cap is refused with a clear error instead of taking the server's memory.
#[derive(Debug, Clone, Copy)]
pub struct UploadCaps {
    /// Bytes in one file.
    pub bytes: usize,
    /// Lines in one file (a CSV table's rows).
    pub lines: usize,
    /// How deeply an XML file's elements nest (a return needs fewer than ten levels).
    pub depth: usize,
}

impl Default for UploadCaps {
    fn default() -> Self {
        UploadCaps {
            bytes: 128 * 1024 * 1024,
            lines: 2_000_000,
            depth: 32,
        }
    }
}

/// Counts a file's bytes, lines and XML nesting chunk by chunk as it arrives.
#[derive(Default)]
struct Meter {
    bytes: usize,
    lines: usize,
    depth: usize,
    /// Inside `<...>`: what kind of tag, and the byte before.
    tag: Option<u8>,
    last: u8,
}

impl Meter {
    /// Takes the next chunk; the first cap it passes, in words for the user.
    fn take(&mut self, chunk: &[u8], caps: &UploadCaps) -> Result<(), String> {
        self.bytes += chunk.len();
        if self.bytes > caps.bytes {
            let size = if caps.bytes >= 1024 * 1024 {
                format!("{} MB", caps.bytes / (1024 * 1024))
            } else {
                format!("{} KB", caps.bytes / 1024)
            };
            return Err(format!(
                "is larger than the {size} Hearth validates at once"
            ));
        }
        for &b in chunk {
            match (self.tag, b) {
                (_, b'\n') => self.lines += 1,
                (None, b'<') => self.tag = Some(0),
                (Some(0), k) => {
                    // The byte after `<`: a closing tag, a declaration or comment, or an element.
                    self.tag = Some(if matches!(k, b'/' | b'?' | b'!') {
                        k
                    } else {
                        b'e'
                    });
                    if k == b'/' {
                        self.depth = self.depth.saturating_sub(1);
                    } else if !matches!(k, b'?' | b'!') {
                        self.depth += 1;
                        if self.depth > caps.depth {
                            return Err(format!(
                                "nests its XML elements more than {} deep",
                                caps.depth
                            ));
                        }
                    }
                }
                (Some(kind), b'>') => {
                    if kind == b'e' && self.last == b'/' {
                        self.depth = self.depth.saturating_sub(1);
                    }
                    self.tag = None;
                }
                _ => {}
            }
            self.last = b;
        }
        if self.lines > caps.lines {
            return Err(format!("has more than {} lines", caps.lines));
        }
        Ok(())
    }
}

/// Reads one uploaded file's part chunk by chunk within the caps.
async fn read_capped(
    field: &mut axum::extract::multipart::Field<'_>,
    name: &str,
    caps: &UploadCaps,
) -> Result<Result<Vec<u8>, String>, AppError> {
    let mut meter = Meter::default();
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| AppError::BadRequest {
        message: format!("could not read the file: {e}"),
        api: false,
    })? {
        if let Err(why) = meter.take(&chunk, caps) {
            return Ok(Err(format!(
                "{name} {why}: split it or check it is the right file"
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Ok(bytes))
}

/// Runs a validation on a blocking thread, at most [`crate::AppState::validations`] at once
/// (the others wait their turn), so large returns never stall the async workers serving
/// everyone else.
async fn off_the_workers<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _permit = state
        .validations
        .acquire()
        .await
        .map_err(AppError::internal)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(AppError::internal)
}

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
        match field.name().map(str::to_string).as_deref() {
            Some("csrf_token") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_string();
                let mut field = field;
                match read_capped(&mut field, &name, &state.config.upload_caps).await? {
                    Ok(bytes) => file = Some((name, bytes)),
                    Err(message) => return form_error(&state, &session, &message),
                }
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
    let (started, validated) = (
        std::time::Instant::now(),
        off_the_workers(&state, move || {
            returns::cin::validate_stream(&bytes[..]).map_err(|e| e.to_string())
        })
        .await?,
    );
    let v = match validated {
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
                let mut field = field;
                let bytes = match read_capped(&mut field, &file, &state.config.upload_caps).await? {
                    Ok(b) => b,
                    Err(message) => return ssda903_error(&state, &session, name, &message),
                };
                // A file input left empty sends an empty part.
                if bytes.is_empty() && file.is_empty() {
                    continue;
                }
                let to = if name == "files" {
                    &mut files
                } else {
                    &mut previous
                };
                to.push((file, bytes));
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
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let reference = state.config.reference_903.clone();
    // Reading and validating, off the async workers; the files are dropped as soon as read.
    let outcome = off_the_workers(&state, move || {
        let ret = returns::ssda903::read_files(&files)
            .map_err(|e| ("files", format!("The return could not be read: {e}")))?;
        drop(files);
        let prev = if previous.is_empty() {
            None
        } else {
            Some(returns::ssda903::read_files(&previous).map_err(|e| {
                (
                    "previous",
                    format!("The previous year's return could not be read: {e}"),
                )
            })?)
        };
        let year = 2026;
        let v = returns::ssda903::validate_full(&ret, prev.as_ref(), &reference, year);
        Ok::<_, (&'static str, String)>((ret, prev.is_some(), v))
    })
    .await?;
    let (ret, had_previous, v) = match outcome {
        Ok(o) => o,
        Err((field, message)) => return ssda903_error(&state, &session, field, &message),
    };
    let seconds = started.elapsed().as_secs_f64();
    let children = ret.rows(returns::ssda903::Table::Header).len();
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
                "validated SSDA903 return {}{}: {children} children, {} findings",
                names.join(", "),
                if had_previous {
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
            with_previous => had_previous,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn caps() -> UploadCaps {
        UploadCaps {
            bytes: 1000,
            lines: 5,
            depth: 3,
        }
    }

    #[test]
    fn the_meter_counts_across_chunks_and_names_the_cap_passed() {
        let mut m = Meter::default();
        assert_eq!(m.take(b"<a><b><c/></b", &caps()), Ok(()));
        assert_eq!(m.take(b"><b><c>x</c></b></a>", &caps()), Ok(()));
        assert_eq!(m.depth, 0);
        let mut m = Meter::default();
        let deep = m.take(b"<?xml version=\"1.0\"?><!-- c --><a><b><c><d>", &caps());
        assert_eq!(deep, Err("nests its XML elements more than 3 deep".into()));
        let mut m = Meter::default();
        assert!(m.take(b"1\n2\n3\n", &caps()).is_ok());
        assert_eq!(
            m.take(b"4\n5\n6\n", &caps()),
            Err("has more than 5 lines".into())
        );
        let mut m = Meter::default();
        assert!(
            m.take(&[b'x'; 1001], &caps())
                .unwrap_err()
                .contains("larger than")
        );
    }
}
