//! Single sign-on against a real OpenID Connect provider: the npm `oidc-provider` package,
//! started by the test from `tests/oidc/` (its packages installed with `npm ci` when missing),
//! with Hearth served on a port of its own. A client following redirects and posting the
//! provider's sign-in and consent forms plays the browser.

use super::*;
use openidconnect::reqwest;
use std::collections::HashMap;
use std::io::BufRead;

const ROLE_MAP: &str = "Hearth.TeamManager=team_manager,Hearth.SocialWorker=social_worker";

/// The provider's process; ended when the test ends.
struct Provider {
    child: std::process::Child,
    issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_provider(redirect_uri: &str) -> Provider {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/oidc");
    if !dir.join("node_modules/oidc-provider/package.json").exists() {
        let status = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--silent"])
            .current_dir(&dir)
            .status()
            .expect("npm (Node.js) for the OpenID Connect provider");
        assert!(status.success(), "npm ci in tests/oidc failed");
    }
    let mut child = std::process::Command::new("node")
        .arg("provider.mjs")
        .arg(redirect_uri)
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("node for the OpenID Connect provider");
    let mut line = String::new();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut line).unwrap();
    // Whatever else it prints is read, so that it never writes to a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let ready: serde_json::Value = serde_json::from_str(&line)
        .unwrap_or_else(|e| panic!("the provider did not start ({e}): {line:?}"));
    Provider {
        child,
        issuer: ready["issuer"].as_str().unwrap().to_string(),
    }
}

/// A browser: cookies per origin, no redirects followed by itself.
struct Agent {
    http: reqwest::Client,
    jar: HashMap<String, HashMap<String, String>>,
}

struct Page {
    status: u16,
    location: Option<String>,
    body: String,
}

fn origin(url: &str) -> String {
    let u = reqwest::Url::parse(url).unwrap();
    format!(
        "{}:{}",
        u.host_str().unwrap(),
        u.port_or_known_default().unwrap()
    )
}

impl Agent {
    fn new() -> Agent {
        Agent {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            jar: HashMap::new(),
        }
    }

    fn cookie_header(&self, url: &str) -> String {
        self.jar
            .get(&origin(url))
            .map(|c| {
                c.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    }

    fn cookie(&self, url: &str, name: &str) -> Option<String> {
        self.jar
            .get(&origin(url))
            .and_then(|c| c.get(name).cloned())
    }

    async fn send(&mut self, req: reqwest::RequestBuilder, url: &str) -> Page {
        let resp = req
            .header("cookie", self.cookie_header(url))
            .send()
            .await
            .unwrap();
        let jar = self.jar.entry(origin(url)).or_default();
        for v in resp.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let (pair, attrs) = v.split_once(';').unwrap_or((v, ""));
            let (name, value) = pair.split_once('=').unwrap();
            let attrs = attrs.to_ascii_lowercase();
            if value.is_empty() || attrs.contains("max-age=0") || attrs.contains("1970") {
                jar.remove(name.trim());
            } else {
                jar.insert(name.trim().to_string(), value.to_string());
            }
        }
        let status = resp.status().as_u16();
        let location = resp.headers().get("location").map(|l| {
            reqwest::Url::parse(url)
                .unwrap()
                .join(l.to_str().unwrap())
                .unwrap()
                .to_string()
        });
        Page {
            status,
            location,
            body: resp.text().await.unwrap(),
        }
    }

    async fn get(&mut self, url: &str) -> Page {
        let req = self.http.get(url);
        self.send(req, url).await
    }

    async fn post(&mut self, url: &str, fields: &[(String, String)]) -> Page {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let req = self
            .http
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(req, url).await
    }
}

/// A page's first form: its action and its inputs' names and values.
fn form(page: &str) -> (String, Vec<(String, String)>) {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!("{name}=\"");
        let at = tag.find(&key)? + key.len();
        Some(
            tag[at..]
                .split('"')
                .next()?
                .replace("&#x2f;", "/")
                .replace("&#x27;", "'")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&"),
        )
    };
    let start = page.find("<form").expect("a form on the provider's page");
    let end = page[start..].find("</form>").unwrap() + start;
    let html = &page[start..end];
    let action = attr(&html[..html.find('>').unwrap()], "action").unwrap();
    let mut fields = Vec::new();
    for part in html.split("<input").skip(1) {
        let tag = &part[..part.find('>').unwrap()];
        if let Some(name) = attr(tag, "name") {
            fields.push((name, attr(tag, "value").unwrap_or_default()));
        }
    }
    (action, fields)
}

/// Signs in at the provider as `login` from the authorisation URL, posting its sign-in and
/// consent forms, until it sends the browser back to Hearth: returns that callback URL.
async fn at_provider(agent: &mut Agent, authorize: &str, login: &str, hearth: &str) -> String {
    let mut url = authorize.to_string();
    for _ in 0..12 {
        let page = agent.get(&url).await;
        let mut next = page.location.clone();
        if next.is_none() {
            assert_eq!(page.status, 200, "{url}: {}", page.body);
            let (action, mut fields) = form(&page.body);
            for (name, value) in &mut fields {
                match name.as_str() {
                    "login" => *value = login.to_string(),
                    "password" => {
                        *value = "any password: the provider's test pages accept it".into()
                    }
                    _ => {}
                }
            }
            let action = reqwest::Url::parse(&url)
                .unwrap()
                .join(&action)
                .unwrap()
                .to_string();
            let posted = agent.post(&action, &fields).await;
            next = posted.location.clone();
            assert!(
                next.is_some(),
                "posting {action}: {} {}",
                posted.status,
                posted.body
            );
        }
        let next = next.unwrap();
        if next.starts_with(hearth) {
            return next;
        }
        url = next;
    }
    panic!("the provider never sent the browser back to Hearth");
}

struct Served {
    base: String,
    store: DynRepository,
    _provider: Provider,
    _dir: TempDir,
}

async fn serve_with_provider() -> Served {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let redirect = format!("{base}/sign-in/sso/callback");
    let provider = start_provider(&redirect);
    let sso = web::sso::Sso::new(web::sso::SsoConfig {
        issuer: provider.issuer.clone(),
        client_id: "hearth".into(),
        client_secret: Some("a-synthetic-test-client-secret".into()),
        redirect_url: redirect,
        role_claim: "roles".into(),
        role_map: web::sso::parse_role_map(ROLE_MAP).unwrap(),
        provider_name: "Test Council ID".into(),
    })
    .unwrap();
    let dir = std::env::temp_dir().join(format!("hearth-sso-{}", Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = store::open(dir.join("t.db").to_str().unwrap())
        .await
        .unwrap();
    let config = web::Config {
        sso: Some(std::sync::Arc::new(sso)),
        ..Default::default()
    };
    let app = web::app(web::AppState::new(store.clone(), config));
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap();
    });
    Served {
        base,
        store,
        _provider: provider,
        _dir: TempDir(dir),
    }
}

/// Starts a sign-in at Hearth: the provider's authorisation URL.
async fn start(agent: &mut Agent, base: &str, next: &str) -> String {
    let page = agent
        .get(&format!("{base}/sign-in/sso?next={}", enc(next)))
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let to = page.location.unwrap();
    assert!(!to.starts_with(base), "{to}");
    let url = reqwest::Url::parse(&to).unwrap();
    let q: HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["code_challenge_method"], "S256", "PKCE");
    assert!(q.contains_key("state") && q.contains_key("nonce"), "{to}");
    assert!(q["scope"].split(' ').any(|s| s == "openid"));
    to
}

async fn events(store: &DynRepository, action: AuditAction) -> Vec<String> {
    store
        .audit_entries(&AuditQuery {
            action: Some(action),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.detail)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_sign_on_with_a_real_openid_provider() {
    let s = serve_with_provider().await;
    let base = s.base.clone();

    // The sign-in page offers the council's provider and the local form.
    let mut agent = Agent::new();
    let page = agent.get(&format!("{base}/sign-in?next=/work")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Sign in with Test Council ID"),
        "{}",
        page.body
    );
    assert!(page.body.contains("sso?next=&#x2f;work"), "{}", page.body);
    assert!(page.body.contains("name=\"password\""));

    // A social worker: a new account with the mapped role, signed in, back where they were going.
    let authorize = start(&mut agent, &base, "/work").await;
    let callback = at_provider(&mut agent, &authorize, "sam.sso", &base).await;
    let back = agent.get(&callback).await;
    assert_eq!(back.status, 303, "{}", back.body);
    assert_eq!(
        back.location.as_deref(),
        Some(format!("{base}/work").as_str())
    );
    assert!(agent.cookie(&base, "hearth_session").is_some());
    assert!(
        agent.cookie(&base, "hearth_sso").is_none(),
        "the state cookie is cleared"
    );
    let home = agent.get(&format!("{base}/")).await;
    assert_eq!(home.status, 200);
    assert!(
        home.body.contains("sam.sso (test provider)"),
        "{}",
        home.body
    );
    let work = agent.get(&format!("{base}/work")).await;
    assert_eq!(work.status, 200, "a social worker's page opens");
    let users = s.store.list_users().await.unwrap();
    let sam = users
        .iter()
        .find(|u| u.username == "sam.sso@council.example")
        .expect("account made");
    assert_eq!(sam.role, Role::SocialWorker);
    let signed_in = events(&s.store, AuditAction::SignIn).await;
    assert!(
        signed_in.iter().any(
            |d| d.contains("single sign-on (Test Council ID)") && d.contains("account created")
        ),
        "{signed_in:?}"
    );

    // The callback is good once: replayed, even with its state cookie, it is refused.
    let state = reqwest::Url::parse(&callback)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    agent
        .jar
        .get_mut(&origin(&base))
        .unwrap()
        .insert("hearth_sso".into(), state);
    let replay = agent.get(&callback).await;
    assert_eq!(replay.status, 400, "{}", replay.body);
    assert!(
        replay.body.contains("expired or was used already"),
        "{}",
        replay.body
    );

    // Signing in again links to the same account, by issuer and subject.
    let mut again = Agent::new();
    let authorize = start(&mut again, &base, "/").await;
    let callback = at_provider(&mut again, &authorize, "sam.sso", &base).await;
    assert_eq!(again.get(&callback).await.status, 303);
    let users = s.store.list_users().await.unwrap();
    assert_eq!(
        users
            .iter()
            .filter(|u| u.username.starts_with("sam.sso"))
            .count(),
        1
    );

    // A local account of the same username is matched and linked; the claim's first mapped
    // value gives the role (team manager before social worker in the map).
    let tess = s
        .store
        .create_user(
            Actor::SYSTEM,
            NewUser {
                username: "tess.sso@council.example".into(),
                display_name: "Tess".into(),
                role: Role::SocialWorker,
                worker_id: None,
                password_hash: store::auth::hash_password(PASSWORD),
            },
        )
        .await
        .unwrap();
    let mut agent = Agent::new();
    let authorize = start(&mut agent, &base, "/").await;
    let callback = at_provider(&mut agent, &authorize, "tess.sso", &base).await;
    assert_eq!(agent.get(&callback).await.status, 303);
    let now = s.store.get_user(tess.id).await.unwrap();
    assert_eq!(now.role, Role::TeamManager, "role from the claim");
    let audit = agent.get(&format!("{base}/audit/break-glass")).await;
    assert_eq!(
        audit.status, 200,
        "a team manager's page opens: {}",
        audit.body
    );

    // No mapped role: refused with a page saying why, audited, no session and no account.
    let mut agent = Agent::new();
    let authorize = start(&mut agent, &base, "/").await;
    let callback = at_provider(&mut agent, &authorize, "pat.payroll", &base).await;
    let refused = agent.get(&callback).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.body.contains("You cannot use Hearth yet"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("has no Hearth role"),
        "{}",
        refused.body
    );
    assert!(agent.cookie(&base, "hearth_session").is_none());
    let users = s.store.list_users().await.unwrap();
    assert!(!users.iter().any(|u| u.username.starts_with("pat.payroll")));
    let failed = events(&s.store, AuditAction::SignInFailed).await;
    assert!(
        failed.iter().any(|d| d.contains("pat.payroll")
            && d.contains("no \"roles\" claim value that maps to a Hearth role")
            && d.contains("Payroll.Viewer")),
        "{failed:?}"
    );

    // A state that is not this browser's sign-in is refused, and so is a browser that did not
    // start the sign-in (no state cookie).
    let mut agent = Agent::new();
    let authorize = start(&mut agent, &base, "/").await;
    let callback = at_provider(&mut agent, &authorize, "sam.sso", &base).await;
    let mut url = reqwest::Url::parse(&callback).unwrap();
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    url.query_pairs_mut().clear();
    for (k, v) in &pairs {
        let v = if k == "state" {
            format!("{v}x")
        } else {
            v.clone()
        };
        url.query_pairs_mut().append_pair(k, &v);
    }
    let forged = agent.get(url.as_str()).await;
    assert_eq!(forged.status, 400, "{}", forged.body);
    assert!(agent.cookie(&base, "hearth_session").is_none());
    let mut other = Agent::new();
    let elsewhere = other.get(&callback).await;
    assert_eq!(elsewhere.status, 400, "{}", elsewhere.body);
    assert!(other.cookie(&base, "hearth_session").is_none());
    let failed = events(&s.store, AuditAction::SignInFailed).await;
    assert!(
        failed
            .iter()
            .filter(|d| d.contains("state did not match"))
            .count()
            >= 2,
        "{failed:?}"
    );

    // A form saved after the session ended is kept over signing in with the provider: the
    // sign-in page's provider button posts the draft, which waits with the sign-in.
    let kid = s
        .store
        .create_person(
            Actor::SYSTEM,
            PersonDetails {
                kind: PersonKind::Child,
                given_name: "Ada".into(),
                family_name: "Draft".into(),
                date_of_birth: Some(date(2018, 5, 17)),
                expected_date_of_birth: None,
                sex: "F".into(),
                ethnicity: "WBRI".into(),
                disabilities: vec!["NONE".into()],
                identifiers: Identifiers::default(),
                uasc: false,
                restricted: false,
            },
        )
        .await
        .unwrap()
        .id;
    let page = format!("{base}/children/{kid}/early-help");
    let mut agent = Agent::new();
    let fields = vec![
        (
            "csrf_token".to_string(),
            "from the ended session".to_string(),
        ),
        (
            "lead".to_string(),
            "Family support worker, Riverside Family Hub".to_string(),
        ),
        ("reason".to_string(), "Parenting support".to_string()),
    ];
    let signed_out = agent.post(&page, &fields).await;
    assert_eq!(signed_out.status, 401, "{}", signed_out.body);
    assert!(signed_out.body.contains("what you entered has been kept"));
    let (action, carried) = form(&signed_out.body);
    assert_eq!(action, "/sign-in/sso");
    assert!(
        carried
            .iter()
            .any(|(k, v)| k == "draft_value" && v.contains("Riverside")),
        "{carried:?}"
    );
    let authorize = agent.post(&format!("{base}{action}"), &carried).await;
    assert_eq!(authorize.status, 303, "{}", authorize.body);
    let callback = at_provider(
        &mut agent,
        authorize.location.as_deref().unwrap(),
        "sam.sso",
        &base,
    )
    .await;
    let back = agent.get(&callback).await;
    assert_eq!(back.location.as_deref(), Some(page.as_str()));
    assert!(agent.cookie(&base, "hearth_draft").is_some());
    let refilled = agent.get(&page).await;
    assert_eq!(refilled.status, 200, "{}", refilled.body);
    assert!(
        refilled.body.contains("Riverside Family Hub"),
        "{}",
        refilled.body
    );
    // Without the sign-in page's token the provider's button is refused.
    let mut other = Agent::new();
    let forged = other.post(&format!("{base}/sign-in/sso"), &carried).await;
    assert_eq!(forged.status, 400, "{}", forged.body);
}

#[tokio::test]
async fn single_sign_on_alone_turns_the_password_form_off() {
    let sso = web::sso::Sso::new(web::sso::SsoConfig {
        issuer: "http://127.0.0.1:9/".into(),
        client_id: "hearth".into(),
        client_secret: None,
        redirect_url: "http://127.0.0.1:8080/sign-in/sso/callback".into(),
        role_claim: "roles".into(),
        role_map: web::sso::parse_role_map(ROLE_MAP).unwrap(),
        provider_name: "Test Council ID".into(),
    })
    .unwrap();
    let t = TestApp::with_config(web::Config {
        sso: Some(std::sync::Arc::new(sso)),
        local_accounts: false,
        ..Default::default()
    })
    .await;
    t.user("lee", Role::SocialWorker, None).await;
    let page = t.get("/sign-in", None).await;
    assert!(page.body.contains("Sign in with Test Council ID"));
    assert!(!page.body.contains("name=\"password\""), "{}", page.body);
    let api = t
        .send(
            Request::post("/api/sessions")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(format!(
                    r#"{{"username":"lee","password":"{PASSWORD}"}}"#
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED, "{}", api.body);
    let failed = t
        .store
        .audit_entries(&AuditQuery {
            action: Some(AuditAction::SignInFailed),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        failed
            .iter()
            .any(|e| e.detail.contains("local accounts are turned off"))
    );
    // The provider is down: a clear page, not an error.
    let down = t.get("/sign-in/sso", None).await;
    assert_eq!(down.status, StatusCode::BAD_GATEWAY, "{}", down.body);
    assert!(down.body.contains("could not be reached"));
}
