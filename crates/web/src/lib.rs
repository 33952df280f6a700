//! Hearth's web app: server-rendered pages following the GOV.UK Design System (they work without
//! JavaScript), and a JSON API described by an OpenAPI document.
//!
//! Every route checks the user's role and the record's restrictions (see [`policy`]); every view
//! of a child's record and every change is in the audit log; every refusal too.

use axum::Router;
use axum::http::HeaderName;
use axum::http::HeaderValue;
use axum::http::header;
use axum::routing::get;
use axum::routing::post;
use std::sync::Arc;
use store::DynRepository;
use tower_http::set_header::SetResponseHeaderLayer;

// Shared: depended on by the capabilities, never depending on them.
pub mod api;
pub mod auth;
pub mod codes;
pub mod error;
pub mod forms;
pub mod govuk;
pub mod guard;
pub mod input;
pub mod policy;
pub mod sso;
pub mod templates;
pub mod throttle;

// Capabilities: one folder each, pages and API side by side, named as in `domain` and `store`.
pub mod assessment;
pub mod care_leavers;
pub mod case_notes;
pub mod child_in_need;
pub mod child_protection;
pub mod early_help;
pub mod front_door;
pub mod inspection;
pub mod looked_after;
pub mod person;
pub mod private_fostering;
pub mod quality;
pub mod work;
pub mod workforce;

// Service pages outside the child's journey.
pub mod admin;
pub mod audit;
pub mod home;
pub mod report;
pub mod returns;

// Composition: the child's page, from every capability's section.
pub mod child_page;

/// How the app is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// The council's name, shown in the header.
    pub council_name: String,
    /// Served over HTTPS (directly or behind a proxy): cookies are `Secure` with the `__Host-`
    /// prefix and every response carries `Strict-Transport-Security`. `hearth serve` sets it
    /// unless told `--insecure-cookies`.
    pub secure_cookies: bool,
    /// How long a session lasts without signing in again.
    pub session_hours: i64,
    /// A session unused for this long ends (the council's setting; 30 minutes by default).
    pub idle_timeout: Option<chrono::Duration>,
    /// The council's visiting standards for children on plans (not set nationally).
    pub visit_standards: domain::work::VisitStandards,
    /// What the front door's screening ratings give it, in hours (the council's setting).
    pub risk_timescales: domain::front_door::RiskTimescales,
    /// Children aged 0-17 in the area, for the report's rates per 10,000.
    pub population: Option<f64>,
    /// Reference data for the SSDA903 rules needing more than the return (a postcode directory,
    /// Ofsted's provider lists, the council's LA code), loaded once at start; rules whose data
    /// is not here are reported as not run.
    pub reference_903: Arc<::returns::ssda903::Reference>,
    /// Need-to-know: social workers open their own and their team's cases, front-door workers
    /// children with a contact waiting; anything else through break-glass with a reason, which
    /// managers review at `/audit/break-glass`. A council's choice (`--need-to-know`).
    pub need_to_know: bool,
    /// What one uploaded return file may hold (bytes, lines, XML depth).
    pub upload_caps: returns::UploadCaps,
    /// How many return uploads are validated at once (the others wait).
    pub concurrent_validations: usize,
    /// Failed sign-ins that lock an account or a source address, and for how long.
    pub sign_in_limits: throttle::SignInLimits,
    /// Take the source address from the last `X-Forwarded-For` entry (only behind a proxy that
    /// sets it), for sign-in throttling and the audit.
    pub trust_forwarded_for: bool,
    /// How long the performance report's reading of the record is shared before the record is
    /// read again (zero: read for every view). `hearth serve` takes one minute.
    pub report_refresh: chrono::Duration,
    /// Single sign-on with the council's OpenID Connect provider, when set up.
    pub sso: Option<Arc<sso::Sso>>,
    /// Local accounts (username and password) may sign in: on unless the council uses single
    /// sign-on alone.
    pub local_accounts: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            council_name: "Demo Borough Council".into(),
            secure_cookies: false,
            session_hours: 10,
            idle_timeout: Some(chrono::Duration::minutes(30)),
            visit_standards: domain::work::VisitStandards::default(),
            risk_timescales: domain::front_door::RiskTimescales::default(),
            population: None,
            reference_903: Arc::default(),
            sign_in_limits: throttle::SignInLimits::default(),
            upload_caps: returns::UploadCaps::default(),
            need_to_know: false,
            concurrent_validations: 2,
            trust_forwarded_for: false,
            report_refresh: chrono::Duration::zero(),
            sso: None,
            local_accounts: true,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: DynRepository,
    pub templates: Arc<templates::Templates>,
    pub config: Arc<Config>,
    /// Failed sign-ins, per account and per source address.
    pub throttle: Arc<throttle::Throttle>,
    /// Permits to validate an uploaded return (see [`Config::concurrent_validations`]).
    pub validations: Arc<tokio::sync::Semaphore>,
    /// The record as the performance report last read it (see [`report::snapshot`]).
    pub report_snapshots: Arc<report::snapshot::Snapshots>,
}

impl AppState {
    pub fn new(store: DynRepository, config: Config) -> Self {
        AppState {
            store,
            templates: Arc::new(templates::Templates::new(&config)),
            throttle: Arc::new(throttle::Throttle::new(config.sign_in_limits)),
            validations: Arc::new(tokio::sync::Semaphore::new(
                config.concurrent_validations.max(1),
            )),
            report_snapshots: Arc::default(),
            config: Arc::new(config),
        }
    }
}

/// Every response's Content-Security-Policy (a page may send its own only to let a form go to the
/// council's sign-in provider: see [`sso::form_action_policy`]).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                 form-action 'self'; frame-ancestors 'none'; base-uri 'self'";

/// The whole app: pages, API, assets, with security headers on every response.
pub fn app(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(home::home))
        .route("/sign-in", get(auth::sign_in_page).post(auth::sign_in))
        .route("/sign-out", post(auth::sign_out))
        .route("/sign-in/sso", get(sso::start).post(sso::start_with_draft))
        .route("/sign-in/sso/callback", get(sso::callback))
        .route(
            "/children/{id}",
            get(child_page::show).post(person::pages::update),
        )
        .route("/api/children/{id}/casework", get(child_page::get_casework))
        .merge(person::routes())
        .merge(front_door::routes())
        .merge(assessment::routes())
        .merge(case_notes::routes())
        .merge(early_help::routes())
        .merge(looked_after::routes())
        .merge(child_in_need::routes())
        .merge(child_protection::routes())
        .merge(private_fostering::routes())
        .merge(care_leavers::routes())
        .merge(looked_after::reviews::routes())
        .merge(looked_after::health::routes())
        .merge(work::routes())
        .merge(quality::routes())
        .merge(workforce::routes())
        .merge(inspection::routes())
        .route("/report", get(report::show))
        .route("/report.xlsx", get(report::workbook))
        .route("/report/indicators/{id}", get(report::drill_down))
        .route("/audit", get(audit::list))
        .route("/audit/break-glass", get(audit::break_glass_report))
        .route(
            "/children/{id}/break-glass",
            get(audit::break_glass_form).post(audit::break_glass),
        )
        .route("/returns/cin", get(returns::cin_form))
        .route("/returns/903", get(returns::ssda903_form))
        .route("/api/openapi.json", get(api::openapi))
        .route(
            "/api/sessions",
            post(api::create_session).delete(api::delete_session),
        )
        .merge(admin::routes())
        .route("/health", get(|| async { "ok" }))
        .layer(axum::middleware::from_fn(input::check_text))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            2 * 1024 * 1024,
        ));
    // Return files are large: their upload route has its own limit.
    let uploads = Router::new()
        .route("/returns/cin", post(returns::cin_upload))
        .route("/returns/903", post(returns::ssda903_upload))
        .layer(axum::extract::DefaultBodyLimit::max(returns::MAX_UPLOAD));
    // Served over HTTPS: browsers are told to use nothing else for a year.
    let hsts = state.config.secure_cookies.then(|| {
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        )
    });
    Router::new()
        .merge(pages)
        .merge(uploads)
        .merge(govuk::assets_router())
        .fallback(home::not_found)
        .layer(axum::middleware::from_fn(input::json_errors))
        // Pages may only widen where their forms go (the sign-in page, to the council's
        // provider); everything else has this policy.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ))
        .layer(tower::util::option_layer(hsts))
        .with_state(state)
}

/// The OpenAPI document: the shared header and every capability's paths and schemas.
pub fn openapi_doc() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    let mut doc = api::ApiDoc::openapi();
    person::document(&mut doc);
    doc.merge(child_page::Doc::openapi());
    front_door::document(&mut doc);
    assessment::document(&mut doc);
    case_notes::document(&mut doc);
    doc.merge(work::Doc::openapi());
    early_help::document(&mut doc);
    private_fostering::document(&mut doc);
    care_leavers::document(&mut doc);
    child_in_need::document(&mut doc);
    child_protection::document(&mut doc);
    looked_after::reviews::document(&mut doc);
    looked_after::health::document(&mut doc);
    looked_after::document(&mut doc);
    quality::document(&mut doc);
    workforce::document(&mut doc);
    doc
}
