//! The pages of case file audits: the programmes, setting one up (its sample drawn from a
//! recorded seed), a programme's sample, an audit with its moderation and learning actions, and
//! the learning actions a worker owns.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::access::Role;
use domain::quality::{Audit, Grade, ModeratedGrade, NewLearningAction, NewModeration, Programme};
use domain::validate::FieldError;
use minijinja::{Value, context};
use uuid::Uuid;

use crate::AppState;
use crate::auth::{AuthedForm, Session, deny};
use crate::error::AppError;
use crate::forms::errors::{errors_value, status, store_error};
use crate::forms::fields::{date_items, fmt_date, required_date, today};
use crate::forms::{FormData, SavedQuery};
use crate::policy::Action;
use crate::quality::forms::grade_items;
use crate::quality::{allow, open_audit, open_programme};

/// Users' names by id (auditors, moderators).
async fn user_names(state: &AppState) -> Result<Vec<(Uuid, String)>, AppError> {
    Ok(state
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

fn name_of(names: &[(Uuid, String)], id: Uuid) -> String {
    names
        .iter()
        .find(|(u, _)| *u == id)
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| "Unknown".into())
}

fn period(p: &Programme) -> String {
    format!("{} to {}", fmt_date(p.period_start), fmt_date(p.period_end))
}

/// `GET /quality/audits`: the programmes, newest first.
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(saved): Query<SavedQuery>,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::ViewAudits,
        "GET /quality/audits",
        false,
    )
    .await?;
    let rows: Vec<Value> = state
        .store
        .programmes()
        .await?
        .iter()
        .filter(|p| session.user.role != Role::Auditor || p.auditors.contains(&session.user.id))
        .map(|p| {
            context! {
                id => p.id.to_string(),
                theme => p.theme.clone(),
                scope => p.scope.label(),
                period => period(p),
                sampled => p.sample.len(),
                audited => p.sample.iter().filter(|c| c.audit_id.is_some()).count(),
            }
        })
        .collect();
    let html = state.templates.page(
        "quality/list.html",
        Some(&session),
        context! { title => "Case file audits", rows, saved => saved.saved },
    )?;
    Ok(html.into_response())
}

/// `GET /quality/audits/{id}`: a programme and its sample (an access entry for the children it
/// names).
pub async fn programme(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(saved): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let p = open_programme(
        &state,
        &session,
        &id,
        &format!("GET /quality/audits/{id}"),
        false,
    )
    .await?;
    let names = user_names(&state).await?;
    let children: Vec<Uuid> = p.sample.iter().map(|c| c.child_id).collect();
    let facts = state.store.access_facts_of(&children).await?;
    let me = session.user.id;
    let rows: Vec<Value> = p
        .sample
        .iter()
        .map(|c| {
            let shown = facts
                .get(&c.child_id)
                .is_none_or(|f| crate::guard::may_see(&session, f.restricted));
            context! {
                child => if shown { c.child_name.clone() } else { "Restricted record".into() },
                child_id => c.child_id.to_string(),
                auditor => c.auditor_name.clone(),
                audit_id => c.audit_id.map(|a| a.to_string()),
                mine => c.auditor_id == me && c.audit_id.is_none(),
            }
        })
        .collect();
    let summary = vec![
        ("Scope", p.scope.label().to_string()),
        ("Period", period(&p)),
        (
            "Sample",
            match (p.seed, p.size) {
                (Some(seed), Some(size)) => format!(
                    "{size} at random, seed {seed} (the same seed draws the same sample again)"
                ),
                _ => "Chosen cases".into(),
            },
        ),
        (
            "Auditors",
            p.auditors
                .iter()
                .map(|a| name_of(&names, *a))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    let html = state.templates.page(
        "quality/programme.html",
        Some(&session),
        context! {
            title => p.theme.clone(),
            id => p.id.to_string(),
            summary => summary.into_iter().map(|(k, v)| context! { key => context! { text => k }, value => context! { text => v } }).collect::<Vec<_>>(),
            rows,
            saved => saved.saved,
        },
    )?;
    Ok(html.into_response())
}

/// The audit page, with its moderation and learning action forms (as posted, with problems).
#[allow(clippy::too_many_arguments)]
async fn audit_page(
    state: &AppState,
    session: &Session,
    audit: &Audit,
    p: &Programme,
    form: &FormData,
    errors: &[FieldError],
    saved: &str,
) -> Result<Response, AppError> {
    let names = user_names(state).await?;
    let template = state.store.audit_template().await?;
    let label = |key: &str| {
        if key == "overall" {
            "Overall".to_string()
        } else {
            template
                .iter()
                .find(|d| d.key == key)
                .map(|d| d.label.clone())
                .unwrap_or_else(|| key.to_string())
        }
    };
    let workers = state.store.list_workers().await?;
    let worker_name = |id: Uuid| {
        workers
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.name.clone())
            .unwrap_or_default()
    };
    let child = state.store.get_person(audit.child_id).await?;
    let moderating = form.get("form") == "moderation";
    let grades: Vec<Value> = audit
        .grades
        .iter()
        .map(|g| {
            let field = format!("mod_{}", g.domain);
            let checked = if moderating {
                form.get(&field)
            } else {
                g.grade.as_str().to_string()
            };
            context! {
                label => label(&g.domain), grade => g.grade.label(), evidence => g.evidence.clone(),
                field => field, items => grade_items(&checked),
            }
        })
        .collect();
    let overall_checked = if moderating {
        form.get("mod_overall")
    } else {
        audit.overall.as_str().to_string()
    };
    let moderations: Vec<Value> = audit
        .moderations
        .iter()
        .map(|m| {
            context! {
                by => name_of(&names, m.moderator_id),
                on => m.at.with_timezone(&chrono::Local).format("%-d %B %Y").to_string(),
                agreed => m.agreed,
                reason => m.reason.clone(),
                changes => m.changes.iter().map(|c| format!("{}: {} to {}", label(&c.domain), c.from.label(), c.to.label())).collect::<Vec<_>>(),
            }
        })
        .collect();
    let actions: Vec<Value> = audit
        .actions
        .iter()
        .map(|a| {
            context! {
                action => a.action.clone(), owner => worker_name(a.owner_worker_id), due => fmt_date(a.due_on),
                done => a.done_on.map(fmt_date),
            }
        })
        .collect();
    let owners: Vec<Value> = std::iter::once(context! { value => "", text => "Choose a worker", selected => form.get("owner_worker_id").is_empty() })
        .chain(workers.iter().filter(|w| w.left.is_none()).map(|w| {
            context! { value => w.id.to_string(), selected => form.get("owner_worker_id") == w.id.to_string(), text => w.name.clone() }
        }))
        .collect();
    let me = session.user.id;
    let (by_field, error_list) = errors_value(errors, &["due"]);
    let html = state.templates.page(
        "quality/audit.html",
        Some(session),
        context! {
            title => format!("Case file audit: {}", child.full_name()),
            id => audit.id.to_string(),
            programme_id => p.id.to_string(),
            theme => p.theme.clone(),
            child_id => audit.child_id.to_string(),
            summary => vec![
                context! { key => context! { text => "Auditor" }, value => context! { text => name_of(&names, audit.auditor_id) } },
                context! { key => context! { text => "Audited" }, value => context! { text => fmt_date(audit.audited_on) } },
                context! { key => context! { text => "Overall grade" }, value => context! { text => audit.overall.label() } },
                context! { key => context! { text => "The conversation with the worker" }, value => context! { text => audit.worker_conversation.clone() } },
                context! { key => context! { text => "The views of the child or family" }, value => context! { text => if audit.family_views.is_empty() { "Not gathered".to_string() } else { audit.family_views.clone() } } },
            ],
            grades, moderations, actions, owners,
            overall_items => grade_items(&overall_checked),
            may_moderate => p.auditors.contains(&me) && audit.auditor_id != me,
            may_add_action => session.user.role == Role::TeamManager || p.auditors.contains(&me),
            reason => if moderating { form.get("reason") } else { String::new() },
            action_text => form.get("action"),
            due_items => date_items(errors.iter().any(|e| e.field == "due"), &form.parts("due")),
            errors => by_field, error_list,
            saved,
        },
    )?;
    Ok((status(errors), html).into_response())
}

/// `GET /quality/audits/case/{id}`.
pub async fn audit(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(saved): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let (a, p) = open_audit(
        &state,
        &session,
        &id,
        &format!("GET /quality/audits/case/{id}"),
        false,
    )
    .await?;
    audit_page(
        &state,
        &session,
        &a,
        &p,
        &FormData::default(),
        &[],
        &saved.saved,
    )
    .await
}

/// `POST /quality/audits/case/{id}/moderation`: a second auditor agrees or changes grades.
pub async fn moderate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let what = format!("POST /quality/audits/case/{id}/moderation");
    allow(&state, &session, Action::RecordAudit, &what, false).await?;
    let (a, p) = open_audit(&state, &session, &id, &what, false).await?;
    let mut errors = Vec::new();
    let mut grades = Vec::new();
    for domain in a
        .grades
        .iter()
        .map(|g| g.domain.clone())
        .chain(["overall".to_string()])
    {
        match Grade::parse(&form.get(&format!("mod_{domain}"))) {
            Some(grade) => grades.push(ModeratedGrade { domain, grade }),
            None => errors.push(FieldError::new(&format!("mod_{domain}"), "Select a grade")),
        }
    }
    if errors.is_empty() {
        let m = NewModeration {
            grades,
            reason: form.get("reason"),
        };
        match state.store.moderate_audit(session.actor(), a.id, m).await {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/quality/audits/case/{}?saved=moderation",
                    a.id
                ))
                .into_response());
            }
            Err(e) => errors.push(store_error(e, "reason")?),
        }
    }
    let form = form.set("form", "moderation");
    audit_page(&state, &session, &a, &p, &form, &errors, "").await
}

/// `POST /quality/audits/case/{id}/learning-actions`.
pub async fn add_action(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let what = format!("POST /quality/audits/case/{id}/learning-actions");
    allow(&state, &session, Action::RecordAudit, &what, false).await?;
    let (a, p) = open_audit(&state, &session, &id, &what, false).await?;
    let mut errors = Vec::new();
    let owner = Uuid::parse_str(&form.get("owner_worker_id")).ok();
    if owner.is_none() {
        errors.push(FieldError::new(
            "owner_worker_id",
            "Select the worker who owns the action",
        ));
    }
    let due = required_date(&form.parts("due"), "due", "Due date", &mut errors);
    if let (Some(owner_worker_id), Some(due_on)) = (owner, due) {
        let x = NewLearningAction {
            action: form.get("action"),
            owner_worker_id,
            due_on,
        };
        errors.extend(x.validate(a.audited_on).into_iter().map(|e| {
            if e.field == "due_on" {
                FieldError::new("due", e.message)
            } else {
                e
            }
        }));
        if errors.is_empty() {
            match state
                .store
                .add_learning_action(session.actor(), a.id, x)
                .await
            {
                Ok(_) => {
                    return Ok(Redirect::to(&format!(
                        "/quality/audits/case/{}?saved=action#learning-actions",
                        a.id
                    ))
                    .into_response());
                }
                Err(e) => errors.push(store_error(e, "action")?),
            }
        }
    }
    audit_page(&state, &session, &a, &p, &form, &errors, "").await
}

/// `GET /quality/learning-actions`: the learning actions the user (a worker) owns.
pub async fn learning_actions(
    State(state): State<AppState>,
    session: Session,
    Query(saved): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let what = "GET /quality/learning-actions";
    allow(
        &state,
        &session,
        Action::CompleteLearningAction,
        what,
        false,
    )
    .await?;
    let actions = match session.user.worker_id {
        Some(w) => state.store.learning_actions_of(w).await?,
        None => Vec::new(),
    };
    crate::guard::log_disclosure(
        &state,
        &session,
        "learning_actions",
        actions.iter().map(|a| a.child_id),
        what,
    )
    .await?;
    let mut rows = Vec::new();
    for a in &actions {
        let child = state.store.get_person(a.child_id).await?;
        rows.push(context! {
            id => a.id.to_string(), action => a.action.clone(), due => fmt_date(a.due_on),
            child => child.full_name(), child_id => a.child_id.to_string(),
            done => a.done_on.map(fmt_date),
            rag => domain::timescales::Rag::of(a.due_on, today()).label(),
            rag_class => domain::timescales::Rag::of(a.due_on, today()).tag_class(),
        });
    }
    let html = state.templates.page(
        "quality/learning_actions.html",
        Some(&session),
        context! { title => "Your learning actions", rows, no_worker => session.user.worker_id.is_none(), saved => saved.saved },
    )?;
    Ok(html.into_response())
}

/// `POST /quality/learning-actions/{id}/done`: its owner marks it done today.
pub async fn complete_action(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form: _ }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let what = format!("POST /quality/learning-actions/{id}/done");
    allow(
        &state,
        &session,
        Action::CompleteLearningAction,
        &what,
        false,
    )
    .await?;
    let id = crate::guard::parse_id(&id, false)?;
    let mine = match session.user.worker_id {
        Some(w) => state.store.learning_actions_of(w).await?,
        None => Vec::new(),
    };
    let Some(action) = mine.iter().find(|a| a.id == id) else {
        let why = "only the owner of a learning action marks it done".to_string();
        return Err(deny(&state, &session, None, &what, why, false).await);
    };
    if action.done_on.is_none() {
        state
            .store
            .complete_learning_action(session.actor(), id, today())
            .await?;
    }
    Ok(Redirect::to("/quality/learning-actions?saved=done").into_response())
}
