//! Administrators' account pages: the list of accounts, and one account's page to change its
//! role, deactivate or reactivate it, set a new password and end its sessions. Every change is
//! audited by the store in the same transaction; anyone else is refused (audited).

use axum::Router;
use axum::extract::Path;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use axum::routing::get;
use domain::access::Role;
use domain::access::User;
use minijinja::context;
use serde::Deserialize;
use store::UserChange;

use crate::AppState;
use crate::auth::AuthedForm;
use crate::auth::Session;
use crate::auth::deny;
use crate::error::AppError;
use crate::guard::parse_id;
use crate::policy::Action;
use crate::policy::check_role;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list))
        .route("/admin/users/{id}", get(show).post(change))
}

async fn admin_only(state: &AppState, session: &Session, what: &str) -> Result<(), AppError> {
    match check_role(&session.user, Action::ManageUsers) {
        Ok(()) => Ok(()),
        Err(d) => Err(deny(state, session, None, what, d.0, false).await),
    }
}

fn user_row(u: &User) -> minijinja::Value {
    context! {
        id => u.id.to_string(),
        username => u.username.clone(),
        name => u.display_name.clone(),
        role => u.role.label(),
        active => u.active,
    }
}

pub async fn list(State(state): State<AppState>, session: Session) -> Result<Response, AppError> {
    admin_only(&state, &session, "GET /admin/users").await?;
    let users = state.store.list_users().await?;
    let rows: Vec<_> = users.iter().map(user_row).collect();
    Ok(state
        .templates
        .page(
            "admin/users.html",
            Some(&session),
            context! { title => "Accounts", users => rows },
        )?
        .into_response())
}

async fn render(
    state: &AppState,
    session: &Session,
    user: &User,
    notice: Option<&str>,
    error: Option<(&str, String)>,
) -> Result<Response, AppError> {
    let roles: Vec<_> = Role::ALL
        .iter()
        .map(|r| context! { value => r.as_str(), text => r.label(), selected => *r == user.role })
        .collect();
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let (error_field, error_text) = error.unzip();
    let html = state.templates.page(
        "admin/user.html",
        Some(session),
        context! {
            title => format!("Account: {}", user.display_name),
            u => user_row(user),
            roles,
            notice,
            error_field,
            error_text,
            is_self => user.id == session.user.id,
        },
    )?;
    Ok((status, html).into_response())
}

#[derive(Deserialize)]
pub struct ShowParams {
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<ShowParams>,
) -> Result<Response, AppError> {
    let id = parse_id(&id, false)?;
    admin_only(&state, &session, &format!("GET /admin/users/{id}")).await?;
    let user = state.store.get_user(id).await?;
    let notice = match q.done.as_deref() {
        Some("role") => Some("Role changed. Their sessions have ended."),
        Some("deactivated") => Some("Account deactivated. Their sessions have ended."),
        Some("activated") => Some("Account reactivated."),
        Some("password") => Some("New password set. Their sessions have ended."),
        Some("sessions") => Some("Their sessions have ended."),
        _ => None,
    };
    render(&state, &session, &user, notice, None).await
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

pub async fn change(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<ChangeForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id, false)?;
    admin_only(&state, &session, &format!("POST /admin/users/{id}")).await?;
    let user = state.store.get_user(id).await?;
    let actor = session.actor();
    let is_self = user.id == session.user.id;
    let notice = match form.action.as_str() {
        "role" => {
            let Some(role) = Role::parse(&form.role) else {
                let e = ("role", "Select a role".to_string());
                return render(&state, &session, &user, None, Some(e)).await;
            };
            if is_self && role != Role::Administrator {
                let e = (
                    "role",
                    "You cannot take away your own administrator role".to_string(),
                );
                return render(&state, &session, &user, None, Some(e)).await;
            }
            let change = UserChange {
                role: Some(role),
                ..Default::default()
            };
            state.store.update_user(actor, id, change).await?;
            "role"
        }
        "deactivate" if !is_self => {
            let change = UserChange {
                active: Some(false),
                ..Default::default()
            };
            state.store.update_user(actor, id, change).await?;
            "deactivated"
        }
        "activate" => {
            let change = UserChange {
                active: Some(true),
                ..Default::default()
            };
            state.store.update_user(actor, id, change).await?;
            "activated"
        }
        "password" => {
            if let Some(problem) = store::auth::password_problem(&form.password, &user.username) {
                return render(
                    &state,
                    &session,
                    &user,
                    None,
                    Some(("password", problem.into())),
                )
                .await;
            }
            let hash = store::auth::hash_password(&form.password);
            state.store.set_password(actor, id, hash).await?;
            "password"
        }
        "end_sessions" => {
            state.store.end_sessions(actor, id).await?;
            "sessions"
        }
        _ => {
            return Err(AppError::BadRequest {
                message: "That is not a change this page makes.".into(),
                api: false,
            });
        }
    };
    Ok(Redirect::to(&format!("/admin/users/{id}?done={notice}")).into_response())
}
