//! The web app end to end, in process: pages, API, roles, CSRF, audit.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use domain::access::{AuditAction, Role};
use domain::person::{Identifiers, PersonDetails, PersonKind};
use store::{Actor, AuditQuery, DynRepository, NewUser, NewWorker};
use tower::ServiceExt;
use uuid::Uuid;

mod agreement;
mod api;
mod assessment;
mod care_leavers;
mod casework;
mod corrections;
mod drafts;
mod find;
mod front_door;
mod govuk_fixtures;
mod inspection;
mod journey;
mod looked_after_care;
mod looked_after_journey;
mod looked_after_plans;
mod looked_after_reviews;
mod pages;
mod private_fostering;
mod quality;
mod quality_pages;
mod quality_themes;
mod report;
mod returns_reference;
mod security;
mod sso;
mod work;
mod workforce;

pub const PASSWORD: &str = "a long test password";

pub struct TestApp {
    pub app: Router,
    pub store: DynRepository,
    _dir: TempDir,
}

pub struct TempDir(std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A signed-in browser: its session cookie and the CSRF token from its pages.
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl TestApp {
    pub async fn new() -> TestApp {
        Self::with_config(web::Config::default()).await
    }

    pub async fn with_config(config: web::Config) -> TestApp {
        let dir = std::env::temp_dir().join(format!("hearth-web-{}", Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = store::open(dir.join("t.db").to_str().unwrap())
            .await
            .unwrap();
        let app = web::app(web::AppState::new(store.clone(), config));
        TestApp {
            app,
            store,
            _dir: TempDir(dir),
        }
    }

    /// The app on a PostgreSQL database of its own (at `HEARTH_TEST_DATABASE_URL`), for what
    /// must hold on both backends. Returns the app and the database's name, to drop afterwards.
    pub async fn postgres() -> (TestApp, String) {
        use sqlx::Connection;
        let admin = std::env::var("HEARTH_TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let db = format!("hearth_web_{}", Uuid::now_v7().simple());
        let mut c = sqlx::PgConnection::connect(&admin)
            .await
            .expect("PostgreSQL for web tests");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
            .execute(&mut c)
            .await
            .unwrap();
        let (base, _) = admin.rsplit_once('/').unwrap();
        let store = store::open(&format!("{base}/{db}")).await.unwrap();
        let dir = std::env::temp_dir().join(format!("hearth-web-{}", Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let app = web::app(web::AppState::new(store.clone(), web::Config::default()));
        (
            TestApp {
                app,
                store,
                _dir: TempDir(dir),
            },
            db,
        )
    }

    /// Drops a database made by [`TestApp::postgres`].
    pub async fn drop_postgres(self, db: &str) {
        use sqlx::Connection;
        drop(self);
        let admin = std::env::var("HEARTH_TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let mut c = sqlx::PgConnection::connect(&admin).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {db} WITH (FORCE)"
        )))
        .execute(&mut c)
        .await
        .unwrap();
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), 16 * 1024 * 1024)
            .await
            .unwrap();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, who: Option<&Browser>) -> Resp {
        let mut b = Request::get(path);
        if let Some(w) = who {
            b = b.header(header::COOKIE, &w.cookie);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    pub async fn post_form(
        &self,
        path: &str,
        who: Option<&Browser>,
        fields: &[(&str, &str)],
    ) -> Resp {
        let mut b =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(w) = who {
            b = b.header(header::COOKIE, &w.cookie);
        }
        self.send(b.body(Body::from(form_body(fields))).unwrap())
            .await
    }

    pub async fn user(
        &self,
        username: &str,
        role: Role,
        worker_id: Option<Uuid>,
    ) -> domain::access::User {
        self.store
            .create_user(
                Actor::SYSTEM,
                NewUser {
                    username: username.into(),
                    display_name: format!("Test {username}"),
                    role,
                    worker_id,
                    password_hash: store::auth::hash_password(PASSWORD),
                },
            )
            .await
            .unwrap()
    }

    pub async fn worker(&self, name: &str) -> Uuid {
        self.store
            .create_worker(
                Actor::SYSTEM,
                NewWorker {
                    name: name.into(),
                    team_id: None,
                    role_title: "Social worker".into(),
                    agency: false,
                    started: date(2020, 1, 1),
                },
            )
            .await
            .unwrap()
            .id
    }

    /// Signs in through the sign-in page, as a browser would.
    pub async fn sign_in(&self, username: &str) -> Browser {
        let page = self.get("/sign-in", None).await;
        assert_eq!(page.status, StatusCode::OK);
        let token = hidden_value(&page.body, "sign_in_token");
        let pre_cookie = set_cookie(&page, "hearth_sign_in");
        let req = Request::post("/sign-in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("hearth_sign_in={pre_cookie}"))
            .body(Body::from(form_body(&[
                ("username", username),
                ("password", PASSWORD),
                ("sign_in_token", &token),
                ("next", "/"),
            ])))
            .unwrap();
        let resp = self.send(req).await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
        let cookie = format!("hearth_session={}", set_cookie(&resp, "hearth_session"));
        let home = self
            .get(
                "/",
                Some(&Browser {
                    cookie: cookie.clone(),
                    csrf: String::new(),
                }),
            )
            .await;
        assert_eq!(home.status, StatusCode::OK, "{}", home.body);
        let csrf = hidden_value(&home.body, "csrf_token");
        Browser { cookie, csrf }
    }

    pub async fn child(&self, given: &str, family: &str, restricted: bool) -> Uuid {
        self.child_born(given, family, date(2018, 5, 17), restricted)
            .await
    }

    /// A child on the record, born on `born`.
    pub async fn child_born(
        &self,
        given: &str,
        family: &str,
        born: NaiveDate,
        restricted: bool,
    ) -> Uuid {
        self.store
            .create_person(
                Actor::SYSTEM,
                PersonDetails {
                    kind: PersonKind::Child,
                    given_name: given.into(),
                    family_name: family.into(),
                    date_of_birth: Some(born),
                    expected_date_of_birth: None,
                    sex: "F".into(),
                    ethnicity: "WBRI".into(),
                    disabilities: vec!["NONE".into()],
                    identifiers: Identifiers {
                        council_child_id: Some(format!(
                            "T{}",
                            &Uuid::now_v7().simple().to_string()[24..]
                        )),
                        ..Default::default()
                    },
                    uasc: false,
                    restricted,
                },
            )
            .await
            .unwrap()
            .id
    }

    pub async fn audit(&self, action: AuditAction) -> Vec<domain::access::AuditEntry> {
        self.store
            .audit_entries(&AuditQuery {
                action: Some(action),
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap()
    }
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden field {name} in page"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

pub fn set_cookie(resp: &Resp, name: &str) -> String {
    resp.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.strip_prefix(&format!("{name}="))
                .map(|rest| rest.split(';').next().unwrap().to_string())
        })
        .unwrap_or_else(|| panic!("no {name} cookie set"))
}
