//! The GOV.UK Design System layer: our component macros and page template, and the assets built
//! from npm's govuk-frontend (see build.rs), all embedded in the binary.

use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::get;

/// Our templates: (name, source).
const TEMPLATES: &[(&str, &str)] = &[
    (
        "govuk/macros.html",
        include_str!("../templates/govuk/macros.html"),
    ),
    (
        "govuk/template.html",
        include_str!("../templates/govuk/template.html"),
    ),
];

/// The version of govuk-frontend the assets were built from.
pub const GOVUK_FRONTEND_VERSION: &str = env!("GOVUK_FRONTEND_VERSION");

/// Served assets: (path under /assets/, bytes, content type).
const ASSETS: &[(&str, &[u8], &str)] = &[
    (
        "hearth.css",
        include_bytes!(concat!(env!("OUT_DIR"), "/hearth.css")),
        "text/css; charset=utf-8",
    ),
    (
        "govuk-frontend.min.js",
        include_bytes!(concat!(env!("OUT_DIR"), "/govuk-frontend.min.js")),
        "text/javascript; charset=utf-8",
    ),
    (
        "hearth.js",
        include_bytes!("../assets/hearth.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "images/favicon.svg",
        include_bytes!("../assets/favicon.svg"),
        "image/svg+xml",
    ),
];

/// Registers the GOV.UK macros (`govuk/macros.html`) and page template (`govuk/template.html`).
pub fn add_templates(env: &mut minijinja::Environment<'static>) {
    for (name, src) in TEMPLATES {
        env.add_template(name, src)
            .unwrap_or_else(|e| panic!("template {name}: {e:#}"));
    }
}

async fn asset(axum::extract::Path(path): axum::extract::Path<String>) -> Response {
    match ASSETS.iter().find(|(p, _, _)| *p == path) {
        Some((_, bytes, content_type)) => {
            let mut resp = (*bytes).into_response();
            let h = resp.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
            resp
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// Serves `/assets/...` from the binary.
pub fn assets_router<S: Clone + Send + Sync + 'static>() -> axum::Router<S> {
    axum::Router::new().route("/assets/{*path}", get(asset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_uses_arial_and_no_gds_font() {
        let css = std::str::from_utf8(ASSETS[0].1).unwrap();
        assert!(css.contains("arial,sans-serif"));
        assert!(!css.contains("GDS Transport"));
        assert!(css.contains(".hearth-header"));
        assert!(!GOVUK_FRONTEND_VERSION.is_empty());
    }
}
