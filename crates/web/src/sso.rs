//! Single sign-on with the council's OpenID Connect provider (Entra ID, or any other).
//!
//! The authorization code flow with PKCE: `GET /sign-in/sso` keeps a new sign-in (the SHA-256 of
//! its `state`, its nonce and PKCE verifier) in the database, puts the state in a short-lived
//! cookie and sends the browser to the provider; `GET /sign-in/sso/callback` takes that sign-in
//! back once (the state must match the cookie), exchanges the code with the verifier and the
//! client secret, and verifies the ID token: its signature against the provider's keys (JWKS,
//! from the issuer's `/.well-known/openid-configuration`), issuer, audience, expiry and nonce.
//! The Hearth role comes from a claim (`roles` by default, as Entra ID's app roles) through the
//! council's map of claim values to roles; no mapped value is a refusal, with a page and an
//! audit entry. The account is linked by (issuer, subject) (`store::sso`), and the session is an
//! ordinary database session, so any process can serve it.

use crate::AppState;
use crate::auth::SourceAddr;
use crate::error::AppError;
use axum::extract::Query;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use chrono::Utc;
use domain::access::AuditAction;
use domain::access::Role;
use minijinja::context;
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::core::CoreClient;
use openidconnect::core::CoreProviderMetadata;
use openidconnect::reqwest;
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::Deserialize;
use std::time::Duration;
use std::time::Instant;
use store::Actor;
use store::auth::token_hash;
use store::sso::PendingSsoLogin;
use store::sso::SsoLink;
use store::sso::SsoSignIn;

/// The cookie that binds a sign-in sent to the provider to this browser (it holds the state).
const SSO_COOKIE: &str = "hearth_sso";
/// How long the browser has to come back from the provider.
const SIGN_IN_MINUTES: i64 = 10;
/// How long the provider's metadata and keys are used before they are fetched again (sooner
/// when an ID token is signed with a key we do not have: the provider rotated its keys).
const METADATA_TTL: Duration = Duration::from_secs(3600);

/// The council's provider, as `hearth serve` is told it.
#[derive(Debug, Clone)]
pub struct SsoConfig {
    /// The issuer, whose `/.well-known/openid-configuration` describes the provider (for Entra
    /// ID `https://login.microsoftonline.com/<tenant>/v2.0`).
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// Hearth's `/sign-in/sso/callback` as the provider knows it (registered with the provider).
    pub redirect_url: String,
    /// The ID token's claim holding the user's roles or groups (a string or a list of strings).
    pub role_claim: String,
    /// Claim values and the Hearth role each gives; when several match, the first listed wins.
    pub role_map: Vec<(String, Role)>,
    /// Shown on the sign-in page: "Sign in with <provider_name>".
    pub provider_name: String,
}

/// The Content-Security-Policy of a page whose form posts to `/sign-in/sso`: the answer is a
/// redirect to the provider, which browsers check against `form-action`, so the provider's
/// origin (the issuer's: Entra ID's authorisation endpoint is on it) is allowed too.
pub fn form_action_policy(sso: &Sso) -> Option<String> {
    let url = reqwest::Url::parse(&sso.config.issuer).ok()?;
    let origin = url.origin();
    if !origin.is_tuple() {
        return None;
    }
    Some(crate::CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'",
        &format!("form-action 'self' {}", origin.ascii_serialization()),
    ))
}

/// Reads a role map written `value=role,value=role` (e.g.
/// `Hearth.SocialWorker=social_worker,Hearth.TeamManager=team_manager`).
pub fn parse_role_map(text: &str) -> Result<Vec<(String, Role)>, String> {
    let mut map = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((value, role)) = part.rsplit_once('=') else {
            return Err(format!(
                "role map entry {part:?} is not written claim-value=role"
            ));
        };
        let role = Role::parse(role.trim()).ok_or_else(|| {
            let all: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            format!(
                "role map entry {part:?}: unknown role {:?} (use one of {})",
                role.trim(),
                all.join(", ")
            )
        })?;
        map.push((value.trim().to_string(), role));
    }
    if map.is_empty() {
        return Err("the role map is empty: give claim-value=role pairs".into());
    }
    Ok(map)
}

/// The first role of the map whose claim value the user has.
pub fn map_role(map: &[(String, Role)], values: &[String]) -> Option<Role> {
    map.iter()
        .find(|(value, _)| values.iter().any(|v| v == value))
        .map(|(_, role)| *role)
}

/// A claim's values: a string, or the strings of a list.
fn claim_values(claims: &serde_json::Value, name: &str) -> Vec<String> {
    match claims.get(name) {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The provider at run time: its configuration, an HTTP client, and its metadata and keys.
pub struct Sso {
    pub config: SsoConfig,
    http: reqwest::Client,
    metadata: tokio::sync::Mutex<Option<(Instant, CoreProviderMetadata)>>,
}

impl std::fmt::Debug for Sso {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sso")
            .field("issuer", &self.config.issuer)
            .finish()
    }
}

impl Sso {
    pub fn new(config: SsoConfig) -> Result<Self, String> {
        IssuerUrl::new(config.issuer.clone()).map_err(|e| format!("issuer URL: {e}"))?;
        RedirectUrl::new(config.redirect_url.clone()).map_err(|e| format!("redirect URL: {e}"))?;
        let http = reqwest::ClientBuilder::new()
            // Following redirects would let a provider's answer send us anywhere (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Sso {
            config,
            http,
            metadata: tokio::sync::Mutex::new(None),
        })
    }

    /// The provider's metadata and keys, discovered from the issuer (cached for an hour, or
    /// fetched again when `refresh`).
    async fn metadata(&self, refresh: bool) -> Result<CoreProviderMetadata, String> {
        let mut cached = self.metadata.lock().await;
        if let Some((at, md)) = cached.as_ref() {
            if !refresh && at.elapsed() < METADATA_TTL {
                return Ok(md.clone());
            }
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone()).map_err(|e| e.to_string())?;
        let md = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| {
                format!(
                    "discovery from {} failed: {}",
                    self.config.issuer,
                    error_chain(&e)
                )
            })?;
        *cached = Some((Instant::now(), md.clone()));
        Ok(md)
    }

    fn client(&self, md: CoreProviderMetadata) -> Result<Client, String> {
        Ok(CoreClient::from_provider_metadata(
            md,
            ClientId::new(self.config.client_id.clone()),
            self.config.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(
            RedirectUrl::new(self.config.redirect_url.clone()).map_err(|e| e.to_string())?,
        ))
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn sso_of(state: &AppState) -> Result<&Sso, AppError> {
    state
        .config
        .sso
        .as_deref()
        .ok_or(AppError::NotFound { api: false })
}

/// A page saying why single sign-on did not sign the user in (already audited).
fn refusal(state: &AppState, status: StatusCode, title: &str, message: &str) -> Response {
    let provider = state
        .config
        .sso
        .as_ref()
        .map(|s| s.config.provider_name.clone())
        .unwrap_or_default();
    let local = state.config.local_accounts;
    match state.templates.page(
        "sso_refused.html",
        None,
        context! { title, message, provider, local },
    ) {
        Ok(html) => {
            let mut resp = (status, html).into_response();
            resp.headers_mut().append(
                header::SET_COOKIE,
                crate::auth::set_cookie(state, SSO_COOKIE, "", 0),
            );
            resp
        }
        Err(e) => e.into_response(),
    }
}

async fn refuse(
    state: &AppState,
    status: StatusCode,
    title: &str,
    message: &str,
    audit: &str,
    source: Option<std::net::IpAddr>,
) -> Result<Response, AppError> {
    let from = source.map(|a| format!(" from {a}")).unwrap_or_default();
    state
        .store
        .record_event(
            Actor::SYSTEM,
            AuditAction::SignInFailed,
            None,
            // What the provider said is bounded, so that its answers cannot fill the log.
            &format!("single sign-on refused{from}: {}", clean(audit, 1000)),
        )
        .await?;
    Ok(refusal(state, status, title, message))
}

#[derive(Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

/// `GET /sign-in/sso`: sends the browser to the provider.
pub async fn start(
    State(state): State<AppState>,
    Query(q): Query<StartQuery>,
) -> Result<Response, AppError> {
    begin(&state, crate::auth::safe_next(q.next.as_deref()), None).await
}

#[derive(Deserialize)]
struct StartForm {
    #[serde(default)]
    sign_in_token: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    draft_name: Vec<String>,
    #[serde(default)]
    draft_value: Vec<String>,
}

/// A draft kept over a single sign-on waits in the database for the provider's answer: at most
/// this much of it.
const MAX_DRAFT_BYTES: usize = 256 * 1024;

/// `POST /sign-in/sso`: the same from the sign-in page that carries a form's draft (the form
/// posted after its session ended), which is kept with the sign-in until the provider answers.
pub async fn start_with_draft(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let form: StartForm = serde_html_form::from_bytes(&body).map_err(|e| AppError::BadRequest {
        message: format!("could not read the form: {e}"),
        api: false,
    })?;
    let next = crate::auth::safe_next(form.next.as_deref());
    if !crate::auth::sign_in_token_ok(&state, &headers, &form.sign_in_token) {
        return Err(AppError::BadRequest {
            message: "Your sign-in form had expired. Go back to the sign-in page and try again."
                .into(),
            api: false,
        });
    }
    let fields: Vec<(String, String)> = form.draft_name.into_iter().zip(form.draft_value).collect();
    let size: usize = fields.iter().map(|(k, v)| k.len() + v.len()).sum();
    let draft = (!fields.is_empty() && size <= MAX_DRAFT_BYTES).then(|| store::sso::FormDraft {
        path: crate::auth::page_path(&next).to_string(),
        fields,
    });
    begin(&state, next, draft).await
}

async fn begin(
    state: &AppState,
    next: String,
    draft: Option<store::sso::FormDraft>,
) -> Result<Response, AppError> {
    let state = state.clone();
    let sso = sso_of(&state)?;
    let md = match sso.metadata(false).await {
        Ok(md) => md,
        Err(e) => {
            tracing::error!("single sign-on: {e}");
            return Ok(refusal(
                &state,
                StatusCode::BAD_GATEWAY,
                "Sign-in is not available",
                &format!(
                    "{} could not be reached. Try again in a few minutes.",
                    sso.config.provider_name
                ),
            ));
        }
    };
    let client = sso.client(md).map_err(AppError::internal)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    state
        .store
        .save_sso_login(PendingSsoLogin {
            state_hash: token_hash(csrf.secret()),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            next,
            draft,
            expires_at: Utc::now() + chrono::Duration::minutes(SIGN_IN_MINUTES),
        })
        .await?;
    let mut resp = Redirect::to(url.as_str()).into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        crate::auth::set_cookie(&state, SSO_COOKIE, csrf.secret(), SIGN_IN_MINUTES * 60),
    );
    Ok(resp)
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// At most `n` characters of text from outside, for the audit log.
fn capped(text: &str, n: usize) -> String {
    crate::guard::quoted_for_audit(text, n)
}

/// `GET /sign-in/sso/callback`: the provider's answer.
pub async fn callback(
    State(state): State<AppState>,
    SourceAddr(source): SourceAddr,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    let sso = sso_of(&state)?;
    let provider = sso.config.provider_name.clone();
    let try_again = format!("Go back to the sign-in page and sign in with {provider} again.");
    let cookie = crate::auth::cookie(&headers, &crate::auth::cookie_name(&state, SSO_COOKIE))
        .unwrap_or_default();
    let sent = q.state.clone().unwrap_or_default();
    if cookie.is_empty() || sent.is_empty() || !crate::auth::same_secret(&cookie, &sent) {
        return refuse(
            &state,
            StatusCode::BAD_REQUEST,
            "Sign-in did not work",
            &format!("The answer from {provider} did not belong to a sign-in started in this browser. {try_again}"),
            "the answer's state did not match the sign-in started in this browser",
            source,
        )
        .await;
    }
    let Some(pending) = state
        .store
        .take_sso_login(&token_hash(&sent), Utc::now())
        .await?
    else {
        return refuse(
            &state,
            StatusCode::BAD_REQUEST,
            "Sign-in did not work",
            &format!("This sign-in had expired or was used already. {try_again}"),
            "the sign-in had expired or was used already",
            source,
        )
        .await;
    };
    if let Some(error) = q.error.as_deref() {
        let description = q.error_description.as_deref().unwrap_or("");
        return refuse(
            &state,
            StatusCode::FORBIDDEN,
            "You were not signed in",
            &format!("{provider} did not sign you in ({error}). {try_again}"),
            &format!(
                "the provider answered {} {}",
                capped(error, 64),
                capped(description, 200)
            ),
            source,
        )
        .await;
    }
    let Some(code) = q.code.filter(|c| !c.is_empty()) else {
        return refuse(
            &state,
            StatusCode::BAD_REQUEST,
            "Sign-in did not work",
            &format!("The answer from {provider} had no authorisation code. {try_again}"),
            "the answer had no authorisation code",
            source,
        )
        .await;
    };
    let unavailable = |e: String| {
        tracing::error!("single sign-on: {e}");
        e
    };
    let md = match sso.metadata(false).await {
        Ok(md) => md,
        Err(e) => {
            let e = unavailable(e);
            return refuse(
                &state,
                StatusCode::BAD_GATEWAY,
                "Sign-in is not available",
                &format!("{provider} could not be reached. Try again in a few minutes."),
                &e,
                source,
            )
            .await;
        }
    };
    let client = sso.client(md).map_err(AppError::internal)?;
    let exchanged = match client.exchange_code(AuthorizationCode::new(code)) {
        Ok(request) => request
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&sso.http)
            .await
            .map_err(|e| format!("the code could not be exchanged: {}", error_chain(&e))),
        Err(e) => Err(format!("the provider has no token endpoint: {e}")),
    };
    let tokens = match exchanged {
        Ok(t) => t,
        Err(e) => {
            let e = unavailable(e);
            return refuse(
                &state,
                StatusCode::BAD_GATEWAY,
                "Sign-in did not work",
                &format!("{provider} did not complete the sign-in. {try_again}"),
                &e,
                source,
            )
            .await;
        }
    };
    let Some(id_token) = tokens.id_token() else {
        return refuse(
            &state,
            StatusCode::BAD_GATEWAY,
            "Sign-in did not work",
            &format!("{provider} did not say who you are. {try_again}"),
            "the provider sent no ID token",
            source,
        )
        .await;
    };
    let nonce = Nonce::new(pending.nonce.clone());
    // Signature (the provider's keys), issuer, audience, expiry and nonce. A key we do not have
    // may be a rotation: the keys are fetched again once.
    let first = id_token
        .claims(&client.id_token_verifier(), &nonce)
        .map(|c| c.clone());
    let fresh = match &first {
        Ok(_) => None,
        Err(_) => match sso.metadata(true).await {
            Ok(md) => sso.client(md).ok(),
            Err(_) => None,
        },
    };
    let active = fresh.as_ref().unwrap_or(&client);
    let verified = active.id_token_verifier();
    let result = match first {
        Err(_) if fresh.is_some() => id_token.claims(&verified, &nonce).map(|c| c.clone()),
        other => other,
    };
    let claims = match result {
        Ok(c) => c,
        Err(e) => {
            return refuse(
                &state,
                StatusCode::FORBIDDEN,
                "Sign-in did not work",
                &format!("The answer from {provider} could not be verified. {try_again}"),
                &format!("the ID token was refused: {}", error_chain(&e)),
                source,
            )
            .await;
        }
    };
    if let Some(expected) = claims.access_token_hash() {
        let matches = id_token
            .signing_alg()
            .ok()
            .zip(id_token.signing_key(&verified).ok())
            .and_then(|(alg, key)| {
                AccessTokenHash::from_token(tokens.access_token(), alg, key).ok()
            })
            .is_some_and(|h| h == *expected);
        if !matches {
            return refuse(
                &state,
                StatusCode::FORBIDDEN,
                "Sign-in did not work",
                &format!("The answer from {provider} could not be verified. {try_again}"),
                "the access token did not match the ID token's at_hash",
                source,
            )
            .await;
        }
    }
    // The signature is verified over exactly these bytes: the claims not in the standard
    // (the role claim is the council's choice) are read from them.
    let raw: serde_json::Value = id_token
        .to_string()
        .split('.')
        .nth(1)
        .and_then(|p| {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p.trim_end_matches('='))
                .ok()
        })
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(serde_json::Value::Null);
    let issuer = claims.issuer().as_str().to_string();
    let subject = claims.subject().as_str().to_string();
    // The provider's username (Entra ID: the UPN), else a verified email address.
    let username = claims
        .preferred_username()
        .map(|u| u.as_str().to_string())
        .or_else(|| {
            claims
                .email()
                .filter(|_| claims.email_verified() != Some(false))
                .map(|e| e.as_str().to_string())
        })
        .map(|u| clean(&u, 128))
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| store::sso::fallback_username(&subject));
    let display_name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| clean(n.as_str(), 200))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| username.clone());
    let who = format!(
        "{} ({} at {})",
        capped(&username, 64),
        capped(&subject, 64),
        capped(&issuer, 100)
    );
    let values = claim_values(&raw, &sso.config.role_claim);
    let Some(role) = map_role(&sso.config.role_map, &values) else {
        let shown: Vec<String> = values.iter().take(10).map(|v| capped(v, 64)).collect();
        return refuse(
            &state,
            StatusCode::FORBIDDEN,
            "You cannot use Hearth yet",
            &format!(
                "You signed in with {provider} as {username}, but your account has no Hearth role. Ask your manager or Hearth's administrator to give you a Hearth role in {provider}."
            ),
            &format!(
                "{who} has no {} claim value that maps to a Hearth role (values: [{}])",
                capped(&sso.config.role_claim, 64),
                shown.join(", ")
            ),
            source,
        )
        .await;
    };
    let (user, link) = state
        .store
        .sso_user(SsoSignIn {
            issuer,
            subject,
            username,
            display_name,
            role,
        })
        .await?;
    if !user.active {
        return refuse(
            &state,
            StatusCode::FORBIDDEN,
            "Your Hearth account is deactivated",
            "Your Hearth account has been deactivated. Ask Hearth's administrator if you need it again.",
            &format!("{who}: the Hearth account {} is deactivated", capped(&user.username, 64)),
            source,
        )
        .await;
    }
    let from = source.map(|a| format!(" from {a}")).unwrap_or_default();
    let how = match link {
        SsoLink::Linked => "",
        SsoLink::Matched => "; linked to the local account of the same username",
        SsoLink::Created => "; account created",
    };
    let token = crate::auth::open_session(
        &state,
        &user,
        &format!(
            "signed in with single sign-on ({provider}) as {who} with role {}{how}{from}",
            user.role.as_str()
        ),
    )
    .await?;
    let mut resp = Redirect::to(&pending.next).into_response();
    crate::auth::add_session_cookies(&state, &mut resp, &token);
    if let Some(d) = &pending.draft {
        let draft = crate::auth::Draft {
            path: d.path.clone(),
            fields: d.fields.clone(),
        };
        crate::auth::keep_draft(&state, &mut resp, &user, &draft).await?;
    }
    resp.headers_mut().append(
        header::SET_COOKIE,
        crate::auth::set_cookie(&state, SSO_COOKIE, "", 0),
    );
    Ok(resp)
}

/// Text from the provider made fit for a name: no control characters, at most `n` characters.
fn clean(text: &str, n: usize) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .take(n)
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_maps_are_read_and_the_first_match_wins() {
        let map =
            parse_role_map("Hearth.TeamManager=team_manager, Hearth.SocialWorker=social_worker")
                .unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(
            map_role(
                &map,
                &["Hearth.SocialWorker".into(), "Hearth.TeamManager".into()]
            ),
            Some(Role::TeamManager)
        );
        assert_eq!(
            map_role(&map, &["Hearth.SocialWorker".into()]),
            Some(Role::SocialWorker)
        );
        assert_eq!(map_role(&map, &["Payroll".into()]), None);
        assert_eq!(map_role(&map, &[]), None);
        assert!(
            parse_role_map("x=captain")
                .unwrap_err()
                .contains("unknown role")
        );
        assert!(parse_role_map("justtext").is_err());
        assert!(parse_role_map("").is_err());
        // Group object ids and URLs may hold '='? Only the last '=' splits.
        let m = parse_role_map("a=b=social_worker").unwrap();
        assert_eq!(m[0].0, "a=b");
    }

    #[test]
    fn claims_are_strings_or_lists() {
        let c = serde_json::json!({"roles": ["a", "b", 3], "role": "x"});
        assert_eq!(claim_values(&c, "roles"), vec!["a", "b"]);
        assert_eq!(claim_values(&c, "role"), vec!["x"]);
        assert!(claim_values(&c, "groups").is_empty());
    }
}
