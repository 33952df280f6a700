//! Signing in with local accounts, server-side sessions and CSRF protection.
//!
//! - The session cookie holds a random token; the store keeps its SHA-256 and the session's CSRF
//!   token. API clients may send the same token as `Authorization: Bearer ...` instead.
//! - Every form that changes something carries the session's CSRF token in a hidden field
//!   (checked by [`AuthedForm`]); API writes made with the cookie must send it in `X-CSRF-Token`.
//!   Bearer requests carry no ambient credentials and need no CSRF token.
//! - The sign-in form, before there is a session, is protected by a double-submit token.

use crate::AppState;
use crate::error::AppError;
use axum::extract::FromRequest;
use axum::extract::FromRequestParts;
use axum::extract::Query;
use axum::extract::Request;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::HeaderValue;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use chrono::Duration;
use chrono::Utc;
use domain::access::AuditAction;
use domain::access::User;
use minijinja::context;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use store::Actor;
use store::NewSession;
use store::auth::random_token;
use store::auth::token_hash;
use store::auth::verify_password;

pub const SESSION_COOKIE: &str = "hearth_session";
const SIGN_IN_COOKIE: &str = "hearth_sign_in";
/// Holds the token of a form's draft kept over signing in again (see [`AuthedForm`]).
pub const DRAFT_COOKIE: &str = "hearth_draft";
/// How long a draft kept over signing in again waits for its form.
const DRAFT_HOURS: i64 = 2;

/// A form's fields posted when its session had ended, carried by the sign-in page (as hidden
/// fields, never stored before the user has signed in again) and put back in the form after.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// The page the form was posted to.
    pub path: String,
    pub fields: Vec<(String, String)>,
}

/// A cookie's name as set: over HTTPS with the `__Host-` prefix, which browsers accept only from
/// a secure origin, for the whole site, with no Domain — so no other host (a sibling subdomain)
/// can set or overwrite it.
pub fn cookie_name(state: &AppState, base: &str) -> String {
    if state.config.secure_cookies {
        format!("__Host-{base}")
    } else {
        base.to_string()
    }
}

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub token_hash: String,
    /// Authenticated by an Authorization header rather than the cookie.
    pub bearer: bool,
}

impl Session {
    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id)
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl FromRequestParts<AppState> for Session {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let api = is_api(parts.uri.path());
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_string);
        let (token, is_bearer) = match (
            bearer,
            cookie(&parts.headers, &cookie_name(state, SESSION_COOKIE)),
        ) {
            (Some(t), _) => (Some(t), true),
            (None, c) => (c, false),
        };
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let Some(token) = token else {
            return Err(AppError::NotSignedIn { next, api });
        };
        let hash = token_hash(&token);
        let found = state
            .store
            .session_user(&hash, Utc::now(), state.config.idle_timeout)
            .await
            .map_err(AppError::internal)?;
        let Some(su) = found else {
            return Err(AppError::NotSignedIn { next, api });
        };
        let session = Session {
            user: su.user,
            csrf_token: su.csrf_token,
            token_hash: hash,
            bearer: is_bearer,
        };
        // Cookie-authenticated API writes must prove they come from our pages or a script that
        // read the token, not from another site.
        if api && !session.bearer && !parts.method.is_safe() {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !same_secret(sent, &session.csrf_token) {
                return Err(AppError::BadRequest {
                    message: "missing or wrong X-CSRF-Token header".into(),
                    api,
                });
            }
        }
        Ok(session)
    }
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf_token: String,
}

/// A form posted by a signed-in user, with its CSRF token checked.
pub struct AuthedForm<T> {
    pub session: Session,
    pub form: T,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for AuthedForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let session = match Session::from_request_parts(&mut parts, state).await {
            Ok(s) => s,
            // The session ended (idle timeout) while the form was being filled in: the sign-in
            // page carries what was entered back to the form.
            Err(AppError::NotSignedIn { next, api: false }) => {
                let draft = match axum::body::to_bytes(body, 2 * 1024 * 1024).await {
                    Ok(bytes) => serde_html_form::from_bytes::<Vec<(String, String)>>(&bytes)
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|(k, _)| k != "csrf_token")
                        .collect(),
                    Err(_) => Vec::new(),
                };
                let mut next = safe_next(Some(&next));
                // The note forms post their kind in the body; their page is asked for by it.
                if !next.contains('?') {
                    if let Some((_, kind)) = draft.iter().find(|(k, _)| k == "kind") {
                        if kind.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                            next = format!("{next}?kind={kind}");
                        }
                    }
                }
                let draft = Draft {
                    path: page_path(&next).to_string(),
                    fields: draft,
                };
                let mut resp = sign_in_response(state, &next, "", None, Some(&draft))?;
                *resp.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
                return Err(AppError::Answered(Box::new(resp)));
            }
            Err(e) => return Err(e),
        };
        let bytes = axum::body::to_bytes(body, 2 * 1024 * 1024)
            .await
            .map_err(|e| AppError::BadRequest {
                message: format!("could not read the form: {e}"),
                api: false,
            })?;
        let csrf: CsrfField =
            serde_html_form::from_bytes(&bytes).map_err(|e| AppError::BadRequest {
                message: format!("could not read the form: {e}"),
                api: false,
            })?;
        if !same_secret(&csrf.csrf_token, &session.csrf_token) {
            return Err(AppError::BadRequest {
                message: "The form had expired or did not come from Hearth. Go back, reload the page and try again.".into(),
                api: false,
            });
        }
        let form = serde_html_form::from_bytes(&bytes).map_err(|e| AppError::BadRequest {
            message: format!("could not read the form: {e}"),
            api: false,
        })?;
        Ok(AuthedForm { session, form })
    }
}

/// The draft kept for this user on this browser for the form at `path` (the page it was posted
/// to), taken once: the form's page is filled with it instead of the record's values.
pub async fn take_draft(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    path: &str,
) -> Result<Option<Vec<(String, String)>>, AppError> {
    let Some(token) = cookie(headers, &cookie_name(state, DRAFT_COOKIE)) else {
        return Ok(None);
    };
    Ok(state
        .store
        .take_draft(&token_hash(&token), session.user.id, path, Utc::now())
        .await?
        .map(|d| d.fields))
}

/// Keeps a draft carried over signing in for the user who signed in, on this browser (its token
/// in a cookie), until the form's page opens.
pub(crate) async fn keep_draft(
    state: &AppState,
    resp: &mut Response,
    user: &User,
    draft: &Draft,
) -> Result<(), AppError> {
    let draft_token = random_token();
    let hash = token_hash(&draft_token);
    let kept = store::sso::FormDraft {
        path: draft.path.clone(),
        fields: draft.fields.clone(),
    };
    let now = Utc::now();
    state
        .store
        .save_draft(&hash, &kept, now + Duration::hours(DRAFT_HOURS))
        .await?;
    state.store.claim_draft(&hash, user.id, now).await?;
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, DRAFT_COOKIE, &draft_token, DRAFT_HOURS * 3600),
    );
    Ok(())
}

/// Whether a form posted before signing in carries this browser's sign-in token (double
/// submit: the token in the form and in the cookie set with the sign-in page).
pub(crate) fn sign_in_token_ok(state: &AppState, headers: &HeaderMap, sent: &str) -> bool {
    let expected = cookie(headers, &cookie_name(state, SIGN_IN_COOKIE)).unwrap_or_default();
    !expected.is_empty() && same_secret(&expected, sent)
}

/// A page's path without its query: drafts are kept for the form's page, whatever it was asked
/// with.
pub fn page_path(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}

/// Clears the draft cookie (its draft has been put back in its form).
pub fn clear_draft_cookie(state: &AppState, resp: &mut Response) {
    resp.headers_mut()
        .append(header::SET_COOKIE, set_cookie(state, DRAFT_COOKIE, "", 0));
}

/// Records a refusal in the audit log and answers 403.
pub async fn deny(
    state: &AppState,
    session: &Session,
    person_id: Option<uuid::Uuid>,
    what: &str,
    reason: String,
    api: bool,
) -> AppError {
    let detail = format!("{what}: {reason}");
    if let Err(e) = state
        .store
        .record_event(session.actor(), AuditAction::Denied, person_id, &detail)
        .await
    {
        return AppError::internal(e);
    }
    AppError::Forbidden { reason, api }
}

pub(crate) fn set_cookie(state: &AppState, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let name = cookie_name(state, name);
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .expect("cookie values are hex tokens")
}

/// Only local paths are followed after signing in (no open redirects): a path starting with one
/// `/`, of printable ASCII with no backslash. Browsers drop tabs and newlines from addresses
/// (`/\t/evil.example` becomes `//evil.example`, another site), and a newline cannot go in the
/// `Location` header, so anything else goes home.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn sign_in_response(
    state: &AppState,
    next: &str,
    username: &str,
    error: Option<&str>,
    draft: Option<&Draft>,
) -> Result<Response, AppError> {
    let draft: Vec<minijinja::Value> = draft
        .filter(|d| !d.fields.is_empty())
        .map(|d| {
            d.fields
                .iter()
                .map(|(name, value)| context! { name, value })
                .collect()
        })
        .unwrap_or_default();
    let token = random_token();
    let sso = state
        .config
        .sso
        .as_ref()
        .map(|s| s.config.provider_name.clone());
    let sso_href = format!("/sign-in/sso?next={}", crate::error::url_encode(next));
    let html = state.templates.page(
        "sign_in.html",
        None,
        context! { next, username, error, sign_in_token => token.clone(), sso, sso_href, local => state.config.local_accounts, draft },
    )?;
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let carries_draft = !draft.is_empty();
    let mut resp = (status, html).into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, SIGN_IN_COOKIE, &token, 3600),
    );
    // Its single sign-on form (carrying a draft) is answered with a redirect to the provider.
    if let Some(policy) = carries_draft
        .then(|| {
            state
                .config
                .sso
                .as_deref()
                .and_then(crate::sso::form_action_policy)
        })
        .flatten()
    {
        if let Ok(v) = HeaderValue::from_str(&policy) {
            resp.headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    Ok(resp)
}

pub async fn sign_in_page(
    State(state): State<AppState>,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    sign_in_response(&state, &safe_next(q.next.as_deref()), "", None, None)
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    sign_in_token: String,
    /// A form's draft carried over signing in again: its fields' names and values, in order.
    #[serde(default)]
    draft_name: Vec<String>,
    #[serde(default)]
    draft_value: Vec<String>,
}

/// What a sign-in attempt came to.
pub enum SignInOutcome {
    /// Signed in: the user, the session token and its CSRF token.
    SignedIn(User, String, String),
    /// Wrong username or password.
    Refused,
    /// Too many failures: refused without checking the password until the lock passes.
    Locked(crate::throttle::Locked),
}

/// How a username is written in the audit log: quoted, escaped and at most 64 characters, so that
/// failed sign-ins cannot fill the log.
pub fn audit_username(username: &str) -> String {
    crate::guard::quoted_for_audit(username, 64)
}

/// Checks a username and password; on success opens a session. Shared by the page and the API.
/// Failures are counted per account and per source address ([`crate::throttle`]).
pub async fn authenticate(
    state: &AppState,
    username: &str,
    password: &str,
    source: Option<std::net::IpAddr>,
) -> Result<SignInOutcome, AppError> {
    use crate::throttle::Key;
    let username = username.trim();
    let account = Key::account(username);
    let mut keys = vec![account.clone()];
    keys.extend(source.map(Key::Address));
    let from = source.map(|a| format!(" from {a}")).unwrap_or_default();
    if !state.config.local_accounts {
        state
            .store
            .record_event(
                Actor::SYSTEM,
                AuditAction::SignInFailed,
                None,
                &format!(
                    "password sign-in for username {}{from} refused: local accounts are turned off (single sign-on only)",
                    audit_username(username)
                ),
            )
            .await?;
        return Ok(SignInOutcome::Refused);
    }
    let now = std::time::Instant::now();
    if let Some(locked) = state.throttle.locked(&keys, now) {
        state
            .store
            .record_event(
                Actor::SYSTEM,
                AuditAction::SignInFailed,
                None,
                &format!(
                    "sign-in for username {}{from} refused without checking the password: {} is locked for {}",
                    audit_username(username),
                    locked.key.describe(),
                    locked.wait_text()
                ),
            )
            .await?;
        return Ok(SignInOutcome::Locked(locked));
    }
    // No account has a longer username or password: refuse without looking it up.
    let creds = if username.chars().count() > 128 || password.len() > 1024 {
        None
    } else {
        state.store.user_credentials(username).await?
    };
    let ok = match &creds {
        Some((user, hash)) => user.active && verify_password(password, hash),
        None => {
            // Spend the same time as a real check, so response times do not reveal usernames.
            let _ = verify_password(
                password.get(..password.len().min(1024)).unwrap_or(""),
                DUMMY_HASH.get_or_init(|| store::auth::hash_password("dummy password for timing")),
            );
            false
        }
    };
    let Some((user, _)) = creds.filter(|_| ok) else {
        state
            .store
            .record_event(
                Actor::SYSTEM,
                AuditAction::SignInFailed,
                None,
                &format!(
                    "failed sign-in for username {}{from}",
                    audit_username(username)
                ),
            )
            .await?;
        for key in state.throttle.fail(&keys, now) {
            let lock_minutes = state.config.sign_in_limits.lock.as_secs().div_ceil(60);
            state
                .store
                .record_event(
                    Actor::SYSTEM,
                    AuditAction::SignInLocked,
                    None,
                    &format!(
                        "{} locked for {lock_minutes} minutes after too many failed sign-ins",
                        key.describe()
                    ),
                )
                .await?;
        }
        return Ok(SignInOutcome::Refused);
    };
    state.throttle.succeed(&account);
    let (token, csrf) = open_session_with_csrf(state, &user, &format!("signed in{from}")).await?;
    Ok(SignInOutcome::SignedIn(user, token, csrf))
}

/// Opens a session for a user who has signed in (with a password or single sign-on), writing
/// the sign-in to the audit log with `detail`. Returns the session token and its CSRF token.
async fn open_session_with_csrf(
    state: &AppState,
    user: &User,
    detail: &str,
) -> Result<(String, String), AppError> {
    let token = random_token();
    let csrf = random_token();
    state
        .store
        .create_session(NewSession {
            token_hash: token_hash(&token),
            user_id: user.id,
            csrf_token: csrf.clone(),
            expires_at: Utc::now() + Duration::hours(state.config.session_hours),
        })
        .await?;
    state
        .store
        .record_event(Actor::user(user.id), AuditAction::SignIn, None, detail)
        .await?;
    Ok((token, csrf))
}

/// Opens a session (see [`open_session_with_csrf`]) and returns its token, for the cookie.
pub(crate) async fn open_session(
    state: &AppState,
    user: &User,
    detail: &str,
) -> Result<String, AppError> {
    Ok(open_session_with_csrf(state, user, detail).await?.0)
}

/// Sets the session cookie on a response that signs the browser in, and clears the sign-in
/// form's cookie.
pub(crate) fn add_session_cookies(state: &AppState, resp: &mut Response, token: &str) {
    let max_age = state.config.session_hours * 3600;
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, SESSION_COOKIE, token, max_age),
    );
    resp.headers_mut()
        .append(header::SET_COOKIE, set_cookie(state, SIGN_IN_COOKIE, "", 0));
}

/// The address a request came from: the connection's peer, or with
/// [`crate::Config::trust_forwarded_for`] the last address a trusted proxy added to
/// `X-Forwarded-For`.
pub struct SourceAddr(pub Option<std::net::IpAddr>);

impl FromRequestParts<AppState> for SourceAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.config.trust_forwarded_for {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|a| a.trim().parse().ok())
                .last();
            if forwarded.is_some() {
                return Ok(SourceAddr(forwarded));
            }
        }
        Ok(SourceAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

pub async fn sign_in(
    State(state): State<AppState>,
    SourceAddr(source): SourceAddr,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    // Read as the other forms are (a draft's fields repeat their names).
    let form: SignInForm =
        serde_html_form::from_bytes(&body).map_err(|e| AppError::BadRequest {
            message: format!("could not read the form: {e}"),
            api: false,
        })?;
    let next = safe_next(form.next.as_deref());
    let draft = Draft {
        path: page_path(&next).to_string(),
        fields: form
            .draft_name
            .iter()
            .cloned()
            .zip(form.draft_value.iter().cloned())
            .collect(),
    };
    let draft = Some(&draft);
    let expected = cookie(&headers, &cookie_name(&state, SIGN_IN_COOKIE)).unwrap_or_default();
    if expected.is_empty() || !same_secret(&expected, &form.sign_in_token) {
        return sign_in_response(
            &state,
            &next,
            &form.username,
            Some("Your sign-in form had expired. Enter your username and password again."),
            draft,
        );
    }
    if form.username.trim().is_empty() || form.password.is_empty() {
        return sign_in_response(
            &state,
            &next,
            &form.username,
            Some("Enter your username and password"),
            draft,
        );
    }
    match authenticate(&state, &form.username, &form.password, source).await? {
        SignInOutcome::Refused => sign_in_response(
            &state,
            &next,
            &form.username,
            Some("Enter a correct username and password"),
            draft,
        ),
        SignInOutcome::Locked(locked) => {
            let message = format!(
                "There have been too many failed attempts to sign in. Try again in {}.",
                locked.wait_text()
            );
            let mut resp = sign_in_response(&state, &next, &form.username, Some(&message), draft)?;
            *resp.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
            Ok(resp)
        }
        SignInOutcome::SignedIn(user, token, _) => {
            let mut resp = Redirect::to(&next).into_response();
            add_session_cookies(&state, &mut resp, &token);
            if let Some(d) = draft.filter(|d| !d.fields.is_empty()) {
                keep_draft(&state, &mut resp, &user, d).await?;
            }
            Ok(resp)
        }
    }
}

pub async fn sign_out(
    State(state): State<AppState>,
    AuthedForm { session, .. }: AuthedForm<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    state.store.delete_session(&session.token_hash).await?;
    state
        .store
        .record_event(session.actor(), AuditAction::SignOut, None, "signed out")
        .await?;
    let mut resp = Redirect::to("/sign-in").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", 0),
    );
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/children/1")), "/children/1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(
            safe_next(Some("/children/1?tab=plan%20x")),
            "/children/1?tab=plan%20x"
        );
        // Browsers drop tabs and newlines: these would be //evil.example.
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/");
        assert_eq!(safe_next(Some("/ /evil.example")), "/");
        assert_eq!(safe_next(Some("/children\r\nSet-Cookie: x=1")), "/");
        assert_eq!(safe_next(Some("/a\\b")), "/");
        assert_eq!(safe_next(Some("/é")), "/");
    }

    #[test]
    fn usernames_in_the_audit_are_capped_and_escaped() {
        assert_eq!(audit_username("sam"), "\"sam\"");
        assert_eq!(audit_username("a\nb"), "\"a\\nb\"");
        let long = "x".repeat(1_900_000);
        let written = audit_username(&long);
        assert!(written.len() < 100, "{written}");
        assert!(written.ends_with("(1900000 characters)"));
    }

    #[test]
    fn cookies_are_read_by_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; hearth_session=abc; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn secrets_compare() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
    }
}
