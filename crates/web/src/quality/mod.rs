//! Quality assurance: case file audits. Pages under `/quality/audits` (programmes, their
//! samples, the audit of a case, moderation, learning actions and themes) and the API under
//! `/api/case-file-audits`, side by side. Auditors and team managers run audits; an auditor
//! opens only the records of the children in the samples they audit (each view an access entry
//! with the purpose "case file audit", see `guard::purpose_of`) and never changes casework.
//! The audit of a case is a declaration on the one form path ([`forms::RecordAudit`]).

use axum::Router;
use axum::routing::{get, post};
use domain::quality::{Audit, Programme};
use uuid::Uuid;

use crate::AppState;
use crate::auth::{Session, deny};
use crate::error::AppError;
use crate::forms::path;
use crate::policy::{Action, check_role};

pub mod api;
pub mod forms;
pub mod pages;
pub mod programme_form;
pub mod template;
pub mod themes;
pub mod workbook;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(path::routes::<forms::RecordAudit>())
        .route("/quality/audits", get(pages::list))
        .route(
            "/quality/audits/new",
            get(programme_form::new_programme).post(programme_form::create_programme),
        )
        .route("/quality/audits/template", get(template::list))
        .route(
            "/quality/audits/template/new",
            get(template::new_domain).post(template::add_domain),
        )
        .route(
            "/quality/audits/template/{key}",
            get(template::edit_domain).post(template::change_domain),
        )
        .route("/quality/audits/themes", get(themes::page))
        .route("/quality/audits/themes.xlsx", get(themes::workbook))
        .route("/quality/audits/{id}", get(pages::programme))
        .route("/quality/audits/case/{id}", get(pages::audit))
        .route(
            "/quality/audits/case/{id}/moderation",
            post(pages::moderate),
        )
        .route(
            "/quality/audits/case/{id}/learning-actions",
            post(pages::add_action),
        )
        .route("/quality/learning-actions", get(pages::learning_actions))
        .route(
            "/quality/learning-actions/{id}/done",
            post(pages::complete_action),
        )
        .route(
            "/api/case-file-audits/programmes",
            get(api::programmes).post(api::create_programme),
        )
        .route("/api/case-file-audits/programmes/{id}", get(api::programme))
        .route(
            "/api/case-file-audits/template",
            get(api::template).put(api::save_template_domain),
        )
        .route("/api/case-file-audits/themes", get(api::themes))
        .route("/api/case-file-audits/trends", get(api::trends))
        .route("/api/case-file-audits/{id}", get(api::audit))
        .route(
            "/api/case-file-audits/{id}/moderations",
            post(api::moderate),
        )
        .route(
            "/api/case-file-audits/{id}/learning-actions",
            post(api::add_action),
        )
}

/// Adds case file audits' API to the OpenAPI document.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::OpenApi;
    path::document::<forms::RecordAudit>(doc);
    doc.merge(api::Doc::openapi());
}

/// Refuses (audited) a user whose role may not do `action`.
pub(crate) async fn allow(
    state: &AppState,
    session: &Session,
    action: Action,
    what: &str,
    api: bool,
) -> Result<(), AppError> {
    match check_role(&session.user, action) {
        Ok(()) => Ok(()),
        Err(d) => Err(deny(state, session, None, what, d.0, api).await),
    }
}

/// A programme's audits are for its auditors, and for managers: an auditor on another
/// programme is refused (audited).
pub(crate) async fn allow_programme(
    state: &AppState,
    session: &Session,
    p: &Programme,
    what: &str,
    api: bool,
) -> Result<(), AppError> {
    allow(state, session, Action::ViewAudits, what, api).await?;
    if session.user.role == domain::access::Role::Auditor && !p.auditors.contains(&session.user.id)
    {
        let why = "an auditor sees the audits of the programmes they audit".to_string();
        return Err(deny(state, session, None, what, why, api).await);
    }
    Ok(())
}

/// The audit `id` with its programme, after the checks (not found for anything that is not one).
pub(crate) async fn open_audit(
    state: &AppState,
    session: &Session,
    id: &str,
    what: &str,
    api: bool,
) -> Result<(Audit, Programme), AppError> {
    let id = crate::guard::parse_id(id, api)?;
    allow(state, session, Action::ViewAudits, what, api).await?;
    let audit = match state.store.case_file_audit(id).await {
        Ok(a) => a,
        Err(store::StoreError::NotFound(_)) => return Err(AppError::NotFound { api }),
        Err(e) => return Err(e.into()),
    };
    let p = state.store.programme(audit.programme_id).await?;
    allow_programme(state, session, &p, what, api).await?;
    // The audit tells of the child's record: an access entry, as for a view of it.
    crate::guard::log_disclosure(
        state,
        session,
        "case_file_audit",
        [audit.child_id],
        &format!("{what}: {}", crate::guard::CASE_FILE_AUDIT),
    )
    .await?;
    Ok((audit, p))
}

/// The programme `id`, after the checks.
pub(crate) async fn open_programme(
    state: &AppState,
    session: &Session,
    id: &str,
    what: &str,
    api: bool,
) -> Result<Programme, AppError> {
    let id: Uuid = crate::guard::parse_id(id, api)?;
    allow(state, session, Action::ViewAudits, what, api).await?;
    let p = match state.store.programme(id).await {
        Ok(p) => p,
        Err(store::StoreError::NotFound(_)) => return Err(AppError::NotFound { api }),
        Err(e) => return Err(e.into()),
    };
    allow_programme(state, session, &p, what, api).await?;
    crate::guard::log_disclosure(
        state,
        session,
        "audit_sample",
        p.sample.iter().map(|c| c.child_id),
        &format!("{what}: {}", crate::guard::CASE_FILE_AUDIT),
    )
    .await?;
    Ok(p)
}

/// A seed for a new random sample (from a new id's random bits): JSON-safe (below 2^53),
/// recorded with the programme.
pub(crate) fn new_seed() -> u64 {
    Uuid::now_v7().as_u128() as u64 & ((1 << 53) - 1)
}
