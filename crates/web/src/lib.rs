//! Hearth's web app: server-rendered pages following the GOV.UK Design System (they work without
//! JavaScript), and a JSON API described by an OpenAPI document.
//!
//! Every route checks the user's role and the record's restrictions (see [`policy`]); every view
//! of a child's record and every change is in the audit log; every refusal too.

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::{get, post};
use store::DynRepository;
use tower_http::set_header::SetResponseHeaderLayer;

pub mod api;
pub mod api_journey;
pub mod auth;
pub mod codes;
pub mod error;
pub mod pages;
pub mod policy;
pub mod templates;

/// How the app is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// The council's name, shown in the header.
    pub council_name: String,
    /// Mark cookies `Secure` (set when Hearth is served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// How long a session lasts without signing in again.
    pub session_hours: i64,
    /// The council's visiting standards for children on plans (not set nationally).
    pub visit_standards: domain::work::VisitStandards,
    /// Children aged 0-17 in the area, for the report's rates per 10,000.
    pub population: Option<f64>,
    /// Reference data for the SSDA903 rules needing more than the return (a postcode directory,
    /// Ofsted's provider lists, the council's LA code), loaded once at start; rules whose data
    /// is not here are reported as not run.
    pub reference_903: Arc<returns::ssda903::Reference>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            council_name: "Demo Borough Council".into(),
            secure_cookies: false,
            session_hours: 10,
            visit_standards: domain::work::VisitStandards::default(),
            population: None,
            reference_903: Arc::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: DynRepository,
    pub templates: Arc<templates::Templates>,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn new(store: DynRepository, config: Config) -> Self {
        AppState {
            store,
            templates: Arc::new(templates::Templates::new(&config)),
            config: Arc::new(config),
        }
    }
}

/// The whole app: pages, API, assets, with security headers on every response.
pub fn app(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(pages::home))
        .route("/sign-in", get(auth::sign_in_page).post(auth::sign_in))
        .route("/sign-out", post(auth::sign_out))
        .route(
            "/children",
            get(pages::children::search).post(pages::children::create),
        )
        .route("/children/new", get(pages::children::new_form))
        .route(
            "/children/{id}",
            get(pages::children::show).post(pages::children::update),
        )
        .route("/children/{id}/edit", get(pages::children::edit_form))
        .route(
            "/children/{id}/allocation",
            get(pages::family::allocation_form).post(pages::family::allocate),
        )
        .route(
            "/children/{id}/addresses",
            get(pages::family::address_form).post(pages::family::add_address),
        )
        .route(
            "/children/{id}/family",
            get(pages::family::family_form).post(pages::family::add_family),
        )
        .route("/front-door", get(pages::journey::front_door))
        .route("/contacts", post(pages::journey::create_contact))
        .route("/contacts/new", get(pages::journey::new_contact))
        .route("/contacts/{id}", get(pages::journey::show_contact))
        .route("/contacts/{id}/checks", post(pages::journey::add_check))
        .route("/contacts/{id}/decision", post(pages::journey::decide))
        .route(
            "/children/{id}/assessments",
            post(pages::journey::start_assessment),
        )
        .route(
            "/children/{id}/assessments/new",
            get(pages::journey::start_assessment_form),
        )
        .route("/assessments/{id}", get(pages::journey::show_assessment))
        .route(
            "/assessments/{id}/completion",
            post(pages::journey::complete_assessment),
        )
        .route(
            "/assessments/{id}/authorisation",
            post(pages::journey::authorise_assessment),
        )
        .route(
            "/children/{id}/notes",
            get(pages::journey::new_note).post(pages::journey::add_note),
        )
        .route("/work", get(pages::journey::work_due))
        .route(
            "/front-door/referral-quality",
            get(pages::journey::referral_quality),
        )
        .route(
            "/children/{id}/early-help",
            get(pages::casework::early_help_form).post(pages::casework::start_early_help),
        )
        .route(
            "/early-help/{id}/end",
            get(pages::casework::end_early_help_form).post(pages::casework::end_early_help),
        )
        .route(
            "/referrals/{id}/close",
            get(pages::casework::close_form).post(pages::casework::close_referral),
        )
        .route(
            "/children/{id}/cin-plans",
            get(pages::casework::cin_plan_form).post(pages::casework::start_cin_plan),
        )
        .route("/cin-plans/{id}", get(pages::casework::show_cin_plan))
        .route(
            "/cin-plans/{id}/actions",
            post(pages::casework::add_plan_action),
        )
        .route(
            "/cin-plans/{id}/reviews",
            post(pages::casework::review_plan),
        )
        .route("/cin-plans/{id}/end", post(pages::casework::end_plan))
        .route(
            "/plan-actions/{id}",
            get(pages::casework::action_form).post(pages::casework::update_action),
        )
        .route(
            "/children/{id}/strategy",
            get(pages::casework::strategy_form).post(pages::casework::record_strategy),
        )
        .route(
            "/s47/{id}",
            get(pages::casework::s47_form).post(pages::casework::complete_s47),
        )
        .route(
            "/children/{id}/conferences",
            get(pages::casework::conference_form).post(pages::casework::record_conference),
        )
        .route(
            "/cp-plans/{id}/core-groups",
            get(pages::casework::core_group_form).post(pages::casework::record_core_group),
        )
        .route(
            "/children/{id}/private-fostering",
            get(pages::private_fostering::notification_form)
                .post(pages::private_fostering::record_notification),
        )
        .route(
            "/private-fostering/{id}/visits",
            get(pages::private_fostering::visit_form).post(pages::private_fostering::record_visit),
        )
        .route(
            "/private-fostering/{id}/assessment",
            get(pages::private_fostering::assessment_form)
                .post(pages::private_fostering::record_assessment),
        )
        .route(
            "/private-fostering/{id}/end",
            get(pages::private_fostering::end_form).post(pages::private_fostering::end_arrangement),
        )
        .route("/report", get(pages::report::show))
        .route("/report.xlsx", get(pages::report::workbook))
        .route("/report/indicators/{id}", get(pages::report::drill_down))
        .route("/audit", get(pages::audit::list))
        .route("/returns/cin", get(pages::returns::cin_form))
        .route("/returns/903", get(pages::returns::ssda903_form))
        .route("/health", get(|| async { "ok" }))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            2 * 1024 * 1024,
        ));
    // Return files are large: their upload route has its own limit.
    let uploads = Router::new()
        .route("/returns/cin", post(pages::returns::cin_upload))
        .route("/returns/903", post(pages::returns::ssda903_upload))
        .layer(axum::extract::DefaultBodyLimit::max(
            pages::returns::MAX_UPLOAD,
        ));
    let api = api::router();
    Router::new()
        .merge(pages)
        .merge(uploads)
        .merge(api.layer(tower_http::limit::RequestBodyLimitLayer::new(
            2 * 1024 * 1024,
        )))
        .merge(govuk::assets_router())
        .fallback(pages::not_found)
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                 form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
            ),
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
        .with_state(state)
}

pub mod govuk;
