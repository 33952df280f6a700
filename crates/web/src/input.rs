//! Every request's input checked before it is handled: form fields, query parameters and JSON
//! strings with control characters (NUL and the like) or more text than a field holds are
//! refused with 422 naming the field (`domain::validate::text_problem`), on pages and API alike,
//! whichever backend is behind. And every error from the API is JSON, whatever produced it.

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header;
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Response;
use domain::validate::FieldError;
use domain::validate::text_problem;
use serde_json::Value;

use crate::error::AppError;

/// The first problem in a JSON value, with the property's path (`actions[2].progress`).
fn json_problem(v: &Value, path: &str) -> Option<FieldError> {
    match v {
        Value::String(s) => {
            // The property's own name decides its bound; the message names the whole path.
            let leaf = path.rsplit(['.', '[']).next().unwrap_or(path);
            text_problem(leaf, s).map(|e| FieldError::new(path, e.message.replacen(leaf, path, 1)))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, x)| json_problem(x, &format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, x)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            text_problem("property name", k).or_else(|| json_problem(x, &p))
        }),
        _ => None,
    }
}

fn pairs_problem(bytes: &[u8]) -> Option<FieldError> {
    form_urlencoded::parse(bytes)
        .find_map(|(k, v)| text_problem("field name", &k).or_else(|| text_problem(&k, &v)))
}

/// The middleware: refuses bad text in the query and in form or JSON bodies (multipart uploads
/// are return files, checked by their validators).
pub async fn check_text(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    if let Some(e) = req.uri().query().and_then(|q| pairs_problem(q.as_bytes())) {
        return refuse(e, api);
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let form = content_type.starts_with("application/x-www-form-urlencoded");
    let json = content_type.starts_with("application/json");
    if !(form || json) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // The body limit layer outside this one bounds what is read here.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(_) => {
            return AppError::BadRequest {
                message: "The request was too large".into(),
                api,
            }
            .into_response();
        }
    };
    let problem = if json {
        // A body that is not JSON is the handler's to refuse, with its own words.
        serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|v| json_problem(&v, ""))
    } else {
        pairs_problem(&bytes)
    };
    if let Some(e) = problem {
        return refuse(e, api);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn refuse(e: FieldError, api: bool) -> Response {
    if api {
        crate::api::unprocessable(vec![e])
    } else {
        AppError::Unprocessable {
            field: e.field,
            message: e.message,
        }
        .into_response()
    }
}

/// The stable code of an API error by its status.
fn error_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "not_signed_in",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable",
        429 => "too_many_attempts",
        _ if status.is_server_error() => "internal",
        _ => "error",
    }
}

/// The middleware: an API error that is not JSON (a 500 page, a framework's plain-text
/// rejection, a body too large) becomes `{"error": code, "message": ...}` with the same status.
pub async fn json_errors(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let resp = next.run(req).await;
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/json"));
    if status.as_u16() < 400 || is_json {
        return resp;
    }
    let plain = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("text/plain"));
    let (mut parts, body) = resp.into_parts();
    let text = if plain && !status.is_server_error() {
        axum::body::to_bytes(body, 64 * 1024)
            .await
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    } else {
        None
    };
    let message = text.filter(|t| !t.trim().is_empty()).unwrap_or_else(|| {
        if status.is_server_error() {
            "Sorry, there is a problem with the service. Try again later.".into()
        } else {
            status.canonical_reason().unwrap_or("Error").into()
        }
    });
    let body = serde_json::json!({ "error": error_code(status), "message": message }).to_string();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_problems_name_the_property_path() {
        let v = serde_json::json!({"given_name": "Ada", "actions": [{"progress": "ok"}, {"progress": "bad\u{0}"}]});
        let e = json_problem(&v, "").unwrap();
        assert_eq!(e.field, "actions[1].progress");
        assert!(
            e.message.starts_with("actions[1].progress must not"),
            "{}",
            e.message
        );
        let v = serde_json::json!({"line1": "x".repeat(300)});
        assert_eq!(json_problem(&v, "").unwrap().field, "line1");
        assert_eq!(
            json_problem(&serde_json::json!({"note": "fine\n"}), ""),
            None
        );
    }

    #[test]
    fn form_problems_name_the_field() {
        assert_eq!(
            pairs_problem(b"username=sam%00&password=x").unwrap().field,
            "username"
        );
        assert_eq!(pairs_problem(b"note=a%0D%0Ab"), None);
    }
}
