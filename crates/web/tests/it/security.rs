//! Security hardening (issue 20): sign-in throttling, the audit's bounds, redirects after sign-in.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use domain::access::{AuditAction, Role};

use crate::{Browser, PASSWORD, Resp, TestApp, form_body, hidden_value, set_cookie};

/// One sign-in through the page, as a browser at `addr` would: fetch the form, post it.
pub(crate) async fn attempt(
    t: &TestApp,
    username: &str,
    password: &str,
    next: &str,
    addr: &str,
) -> Resp {
    let page = t.get("/sign-in", None).await;
    let token = hidden_value(&page.body, "sign_in_token");
    let pre = set_cookie(&page, "hearth_sign_in");
    let mut req = Request::post("/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("hearth_sign_in={pre}"))
        .body(Body::from(form_body(&[
            ("username", username),
            ("password", password),
            ("sign_in_token", &token),
            ("next", next),
        ])))
        .unwrap();
    let peer: std::net::SocketAddr = format!("{addr}:40000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(peer));
    t.send(req).await
}

#[tokio::test]
async fn the_right_password_after_fifteen_wrong_ones_is_refused_and_the_lock_is_audited() {
    let t = TestApp::new().await;
    t.user("sam", Role::SocialWorker, None).await;
    for _ in 0..15 {
        let r = attempt(&t, "sam", "wrong password!!", "/", "192.0.2.1").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = attempt(&t, "sam", PASSWORD, "/", "192.0.2.1").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("too many failed attempts"), "{}", r.body);
    assert!(r.body.contains("Try again in 15 minutes"));
    assert!(
        r.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("hearth_session="))
    );
    // From another address too: it is the account that is locked.
    let r = attempt(&t, "SAM", PASSWORD, "/", "198.51.100.9").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // The API's sign-in is the same check.
    let r = t
        .send(
            Request::post("/api/sessions")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(format!(
                    r#"{{"username":"sam","password":"{PASSWORD}"}}"#
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key(header::RETRY_AFTER));
    assert!(r.body.contains("too_many_attempts"));

    let locks = t.audit(AuditAction::SignInLocked).await;
    assert_eq!(locks.len(), 1);
    assert!(
        locks[0].detail.contains("account \"sam\""),
        "{}",
        locks[0].detail
    );
    let failed = t.audit(AuditAction::SignInFailed).await;
    assert_eq!(failed.len(), 18);
    assert!(
        failed[0]
            .detail
            .contains("refused without checking the password")
    );
    assert!(failed.iter().any(|e| e.detail.contains("from 192.0.2.1")));
    assert!(t.audit(AuditAction::SignIn).await.is_empty());
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_locked_without_locking_the_accounts() {
    let t = TestApp::new().await;
    t.user("sam", Role::SocialWorker, None).await;
    for i in 0..50 {
        attempt(
            &t,
            &format!("guess{i}"),
            "wrong password!!",
            "/",
            "203.0.113.5",
        )
        .await;
    }
    let r = attempt(&t, "sam", PASSWORD, "/", "203.0.113.5").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let locks = t.audit(AuditAction::SignInLocked).await;
    assert_eq!(locks.len(), 1);
    assert!(locks[0].detail.contains("address 203.0.113.5"));
    // Sam at another address signs in.
    let r = attempt(&t, "sam", PASSWORD, "/", "192.0.2.44").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn a_failed_sign_in_with_a_huge_username_writes_a_short_audit_entry_or_none() {
    let t = TestApp::new().await;
    // Longer than any username: refused before it is looked at, and not written anywhere.
    let huge = "u".repeat(300_000);
    let r = attempt(&t, &huge, "wrong password!!", "/", "192.0.2.1").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(t.audit(AuditAction::SignInFailed).await.is_empty());
    // Long, but within a field's bound: its entry holds the first 64 characters.
    let long = "u".repeat(190);
    let r = attempt(&t, &long, "wrong password!!", "/", "192.0.2.1").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let failed = t.audit(AuditAction::SignInFailed).await;
    assert_eq!(failed.len(), 1);
    assert!(failed[0].detail.len() < 130, "{}", failed[0].detail);
    assert!(failed[0].detail.contains("(190 characters)"));
}

#[tokio::test]
async fn after_sign_in_only_local_paths_are_followed() {
    let t = TestApp::new().await;
    t.user("sam", Role::SocialWorker, None).await;
    // `/\t/evil.example`: browsers drop the tab and go to //evil.example.
    let r = attempt(&t, "sam", PASSWORD, "/\t/evil.example", "192.0.2.1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/");
    // A newline cannot go in a Location header: home, not a 500.
    let r = attempt(&t, "sam", PASSWORD, "/children\nx", "192.0.2.1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/");
    // The sign-in page does not offer them either.
    let page = t.get("/sign-in?next=/%09/evil.example", None).await;
    assert_eq!(hidden_value(&page.body, "next"), "&#x2f;");
    let r = attempt(&t, "sam", PASSWORD, "/children?q=a", "192.0.2.1").await;
    assert_eq!(r.location(), "/children?q=a");
}

#[tokio::test]
async fn searches_edit_forms_queues_work_due_and_the_audit_log_are_in_the_access_log() {
    let t = TestApp::new().await;
    let ada = t.child("Ada", "Brightwell", false).await;
    let bea = t.child("Bea", "Brightwell", true).await;
    let sw = t.user("sw", Role::SocialWorker, None).await;
    let tm = t.user("tm", Role::TeamManager, None).await;
    let b = t.sign_in("sw").await;
    let views_of = |entries: &[domain::access::AuditEntry], kind: &str| {
        entries
            .iter()
            .filter(|e| e.entity_type == kind)
            .map(|e| (e.actor, e.person_id, e.detail.clone()))
            .collect::<Vec<_>>()
    };

    // Page and API search: the terms, with each child listed (not the restricted one hidden).
    assert_eq!(
        t.get("/children?q=brightwell", Some(&b)).await.status,
        StatusCode::OK
    );
    let r = t
        .send(
            Request::get("/api/children?q=Bright")
                .header(header::COOKIE, &b.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let views = t.audit(AuditAction::View).await;
    let searches = views_of(&views, "search");
    assert_eq!(
        searches,
        vec![
            (
                Some(sw.id),
                Some(ada),
                "GET /api/children: search for \"Bright\"".to_string()
            ),
            (
                Some(sw.id),
                Some(ada),
                "GET /children: search for \"brightwell\"".to_string()
            ),
        ]
    );
    // A search finding nothing is logged too, with its terms.
    t.get("/children?q=nobody+here", Some(&b)).await;
    let views = t.audit(AuditAction::View).await;
    assert_eq!(
        views_of(&views, "search")[0],
        (
            Some(sw.id),
            None,
            "GET /children: search for \"nobody here\"".to_string()
        )
    );

    // The edit form shows the identifiers.
    let r = t.get(&format!("/children/{ada}/edit"), Some(&b)).await;
    assert_eq!(r.status, StatusCode::OK);
    let views = t.audit(AuditAction::View).await;
    assert_eq!(views[0].person_id, Some(ada));
    assert_eq!(
        views[0].detail,
        format!("GET /children/{ada}/edit: the edit form")
    );

    // Work due (this worker has none): the listing is logged, naming no child.
    let r = t.get("/work", Some(&b)).await;
    assert_eq!(r.status, StatusCode::OK);
    let views = t.audit(AuditAction::View).await;
    assert_eq!(views_of(&views, "work_due").len(), 1);

    // The front-door queue and the audit log, by a manager.
    let m = t.sign_in("tm").await;
    assert_eq!(t.get("/front-door", Some(&m)).await.status, StatusCode::OK);
    assert_eq!(
        t.get(&format!("/audit?person={bea}"), Some(&m))
            .await
            .status,
        StatusCode::OK
    );
    let views = t.audit(AuditAction::View).await;
    assert_eq!(
        views_of(&views, "audit_log"),
        vec![(
            Some(tm.id),
            Some(bea),
            "GET /audit: the audit log".to_string()
        )]
    );
    assert_eq!(views_of(&views, "front_door_queue").len(), 1);
}

#[tokio::test]
async fn a_restricted_sibling_is_a_restricted_record_in_the_family_list_and_the_shared_contact_is_withheld()
 {
    use store::{Actor, NewRelationship};
    let t = TestApp::new().await;
    let amy = t.child("Amy", "Brook", false).await;
    let cy = t.child("Cyrus", "Hideaway", true).await;
    t.store
        .add_relationship(
            Actor::SYSTEM,
            NewRelationship {
                person_id: cy,
                kind: "sibling".into(),
                related_person_id: amy,
                from: None,
            },
        )
        .await
        .unwrap();
    t.store
        .record_contact(
            Actor::SYSTEM,
            domain::front_door::NewContact {
                received_at: chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
                    .unwrap()
                    .and_hms_opt(10, 0, 0)
                    .unwrap(),
                source: "2A".into(),
                contact_name: "Ms Quill".into(),
                contact_agency: "Refuge outreach".into(),
                reason: "Cyrus is staying at the refuge on Larch Road".into(),
                consent: "given".into(),
                children: vec![amy, cy],
            },
        )
        .await
        .unwrap();
    t.user("sw", Role::SocialWorker, None).await;
    t.user("tm", Role::TeamManager, None).await;
    let sw = t.sign_in("sw").await;
    assert_eq!(
        t.get(&format!("/children/{cy}?section=all"), Some(&sw))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let page = t
        .get(&format!("/children/{amy}?section=all"), Some(&sw))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let api = t
        .send(
            Request::get(format!("/api/children/{amy}"))
                .header(header::COOKIE, &sw.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let casework = t
        .send(
            Request::get(format!("/api/children/{amy}/casework"))
                .header(header::COOKIE, &sw.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(casework.status, StatusCode::OK);
    for (what, body) in [
        ("page", &page.body),
        ("api", &api.body),
        ("casework", &casework.body),
    ] {
        for secret in [
            "Cyrus",
            "Hideaway",
            "Larch Road",
            "Ms Quill",
            "2018-05-17\",\"relationship",
            &cy.to_string(),
        ] {
            assert!(!body.contains(secret), "{what} shows {secret}");
        }
    }
    assert!(page.body.contains("Restricted record"));
    assert!(
        page.body
            .contains("Withheld: this is also about a restricted record")
    );
    assert!(
        api.body.contains("\"name\":\"Restricted record\""),
        "{}",
        api.body
    );
    // A manager, who may open the restricted record, sees it all.
    let tm = t.sign_in("tm").await;
    let page = t
        .get(&format!("/children/{amy}?section=all"), Some(&tm))
        .await;
    assert!(page.body.contains("Cyrus Hideaway"));
    assert!(page.body.contains("Larch Road"));
    assert!(page.body.contains(&cy.to_string()));
}

/// NUL in a name, a note, a search and a sign-in username; over-long text: 422 naming the field,
/// nothing stored, on the page and the API.
async fn control_characters_and_overlong_text_are_refused(t: &TestApp) {
    use crate::api::json_req;
    t.user("sw", Role::SocialWorker, None).await;
    let child = t.child("Ada", "Brightwell", false).await;
    let b = t.sign_in("sw").await;
    let token = crate::api::token(t, "sw").await;
    let heads = || async {
        let mut seqs = Vec::new();
        for log in domain::access::AuditLog::ALL {
            seqs.push(t.store.audit_chain_head(log).await.unwrap().0.seq);
        }
        seqs
    };
    let before = heads().await;

    // Sign-in, with no session.
    let r = attempt(t, "sam\0", "wrong password!!", "/", "192.0.2.1").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("username must not contain control characters"),
        "{}",
        r.body
    );
    // A search on the page and the API.
    let r = t.get("/children?q=Ada%00", Some(&b)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("q must not contain control characters"));
    let r = t
        .send(
            Request::get("/api/children?q=Ada%00")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("\"field\":\"q\""), "{}", r.body);
    // A name through the page's form and a note through the API.
    let r = t
        .post_form(
            "/children/new",
            Some(&b),
            &[
                ("csrf_token", &b.csrf),
                ("given_name", "Ev\0e"),
                ("family_name", "Nul"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("given_name"));
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/children/{child}/notes"),
            Some(&token),
            serde_json::json!({"date": "2026-01-05", "text": "note \u{0} here"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("\"field\":\"text\""), "{}", r.body);
    // A 900 KB address line.
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/children/{child}/addresses"),
            Some(&token),
            serde_json::json!({"line1": "x".repeat(900_000), "town": "Testtown", "postcode": "ZX1 1ZZ", "from": "2026-01-01"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("line1 must be 200 characters or fewer"),
        "{}",
        r.body
    );
    // Nothing was stored (and nothing went to the log but the sign-in the test made).
    assert_eq!(t.store.count_people().await.unwrap(), 1);
    let after = heads().await;
    assert_eq!(after, before, "entries were written");
}

#[tokio::test]
async fn control_characters_and_overlong_text_are_refused_on_sqlite() {
    control_characters_and_overlong_text_are_refused(&TestApp::new().await).await;
}

#[tokio::test]
async fn control_characters_and_overlong_text_are_refused_on_postgres() {
    let (t, db) = TestApp::postgres().await;
    control_characters_and_overlong_text_are_refused(&t).await;
    t.drop_postgres(&db).await;
}

#[tokio::test]
async fn api_errors_are_always_json() {
    let t = TestApp::new().await;
    for (method, path) in [
        ("GET", "/api/nothing-here"),
        ("GET", "/api/children/not-an-id"),
        ("DELETE", "/api/children"),
    ] {
        let r = t
            .send(
                Request::builder()
                    .method(method)
                    .uri(path)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(r.status.is_client_error(), "{path}: {}", r.status);
        assert_eq!(
            r.headers.get(header::CONTENT_TYPE).unwrap(),
            "application/json",
            "{method} {path}"
        );
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert!(
            v["error"].is_string() && v["message"].is_string(),
            "{}",
            r.body
        );
    }
}

/// Posts the account page's form as the signed-in administrator.
async fn as_admin(t: &TestApp, a: &crate::Browser, page: &str, fields: &[(&str, &str)]) -> Resp {
    let mut all = vec![("csrf_token", a.csrf.as_str())];
    all.extend_from_slice(fields);
    t.post_form(page, Some(a), &all).await
}

#[tokio::test]
async fn an_administrator_changes_a_role_resets_a_password_ends_sessions_and_deactivates_a_leaver()
{
    let t = TestApp::new().await;
    let admin = t.user("ada.admin", Role::Administrator, None).await;
    let sam = t.user("sam", Role::SocialWorker, None).await;
    let a = t.sign_in("ada.admin").await;
    let s = t.sign_in("sam").await;
    // Only administrators, and a refusal is audited.
    assert_eq!(
        t.get("/admin/users", Some(&s)).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        t.audit(AuditAction::Denied).await[0]
            .detail
            .contains("GET /admin/users")
    );
    let list = t.get("/admin/users", Some(&a)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Test sam") && list.body.contains("Social worker"));
    let page = format!("/admin/users/{}", sam.id);
    assert_eq!(t.get(&page, Some(&a)).await.status, StatusCode::OK);

    // A role change ends their sessions.
    let r = as_admin(
        &t,
        &a,
        &page,
        &[("action", "role"), ("role", "team_manager")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        t.store.get_user(sam.id).await.unwrap().role,
        Role::TeamManager
    );
    assert_eq!(t.get("/", Some(&s)).await.status, StatusCode::SEE_OTHER);

    // A common password is refused; a good one is set and works.
    let r = as_admin(
        &t,
        &a,
        &page,
        &[("action", "password"), ("password", "Password123456!")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("too common"));
    let r = as_admin(
        &t,
        &a,
        &page,
        &[
            ("action", "password"),
            ("password", "plum kettle harbour 42"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = attempt(&t, "sam", "plum kettle harbour 42", "/", "192.0.2.3").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // Ending sessions; then deactivating: no sign-in at all.
    let s2 = crate::api::token(&t, "ada.admin").await;
    let r = as_admin(&t, &a, &page, &[("action", "end_sessions")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = as_admin(&t, &a, &page, &[("action", "deactivate")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!t.store.get_user(sam.id).await.unwrap().active);
    let r = attempt(&t, "sam", "plum kettle harbour 42", "/", "192.0.2.3").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The administrator cannot deactivate themself, nor drop their own role.
    let own = format!("/admin/users/{}", admin.id);
    let r = as_admin(
        &t,
        &a,
        &own,
        &[("action", "role"), ("role", "social_worker")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Every change is in the audit log with who made it.
    let updates: Vec<_> = t
        .audit(AuditAction::Update)
        .await
        .into_iter()
        .filter(|e| e.entity_id == Some(sam.id))
        .collect();
    let details: Vec<&str> = updates.iter().map(|e| e.detail.as_str()).collect();
    assert_eq!(
        details,
        [
            "account: deactivated; sessions ended",
            "1 sessions ended",
            "password changed; sessions ended",
            "account: role social_worker to team_manager"
        ]
    );
    assert!(updates.iter().all(|e| e.actor == Some(admin.id)));
    // The API token of the administrator still works: only sam's sessions ended.
    let r = t
        .send(
            Request::get("/api/work")
                .header(header::AUTHORIZATION, format!("Bearer {s2}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_ne!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_api_token_is_revoked_by_its_holder() {
    let t = TestApp::new().await;
    t.user("sam", Role::SocialWorker, None).await;
    let token = crate::api::token(&t, "sam").await;
    let get = |tok: String| {
        Request::get("/api/work")
            .header(header::AUTHORIZATION, format!("Bearer {tok}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(t.send(get(token.clone())).await.status, StatusCode::OK);
    let r = t
        .send(
            Request::delete("/api/sessions")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(t.send(get(token)).await.status, StatusCode::UNAUTHORIZED);
    assert!(
        t.audit(AuditAction::SignOut).await[0]
            .detail
            .contains("API token revoked")
    );
}

#[tokio::test]
async fn an_idle_session_ends_after_the_councils_timeout() {
    let t = TestApp::with_config(web::Config {
        idle_timeout: Some(chrono::Duration::milliseconds(1500)),
        ..Default::default()
    })
    .await;
    t.user("sam", Role::SocialWorker, None).await;
    let b = t.sign_in("sam").await;
    assert_eq!(t.get("/work", Some(&b)).await.status, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(1700)).await;
    let r = t.get("/work", Some(&b)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/sign-in?next=/work");
    // It is gone, not merely refused.
    assert_eq!(t.get("/work", Some(&b)).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn over_https_cookies_are_host_prefixed_and_secure_and_hsts_is_sent() {
    let t = TestApp::with_config(web::Config {
        secure_cookies: true,
        ..Default::default()
    })
    .await;
    t.user("sam", Role::SocialWorker, None).await;
    let page = t.get("/sign-in", None).await;
    assert_eq!(
        page.headers.get(header::STRICT_TRANSPORT_SECURITY).unwrap(),
        "max-age=31536000; includeSubDomains"
    );
    let pre = set_cookie(&page, "__Host-hearth_sign_in");
    let token = hidden_value(&page.body, "sign_in_token");
    let r = t
        .send(
            Request::post("/sign-in")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("__Host-hearth_sign_in={pre}"))
                .body(Body::from(form_body(&[
                    ("username", "sam"),
                    ("password", PASSWORD),
                    ("sign_in_token", &token),
                ])))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let set: Vec<&str> = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    let session = set
        .iter()
        .find(|c| c.starts_with("__Host-hearth_session="))
        .unwrap();
    assert!(
        session.contains("; Secure") && session.contains("Path=/") && !session.contains("Domain")
    );
    let cookie = format!(
        "__Host-hearth_session={}",
        set_cookie(&r, "__Host-hearth_session")
    );
    let home = t
        .send(
            Request::get("/")
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(home.status, StatusCode::OK);
    // A cookie without the prefix (set by another host of the domain) is not a session.
    let plain = format!("hearth_session={}", set_cookie(&r, "__Host-hearth_session"));
    let home = t
        .send(
            Request::get("/")
                .header(header::COOKIE, plain)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    // Plain HTTP (the demo): no HSTS.
    let t = TestApp::new().await;
    assert!(
        t.get("/sign-in", None)
            .await
            .headers
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_none()
    );
}

#[tokio::test]
async fn a_return_past_a_cap_is_refused_with_a_clear_error_before_it_is_parsed() {
    let t = TestApp::with_config(web::Config {
        upload_caps: web::returns::UploadCaps {
            bytes: 64 * 1024,
            lines: 100,
            depth: 8,
        },
        ..Default::default()
    })
    .await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let pa = t.sign_in("pa").await;
    let upload = |path: &str, field: &str, name: &str, file: Vec<u8>| {
        let (ct, body) =
            crate::pages::multipart_files(&pa.csrf, &[(field, name.to_string(), file)]);
        Request::post(path)
            .header(header::CONTENT_TYPE, ct)
            .header(header::COOKIE, &pa.cookie)
            .body(Body::from(body))
            .unwrap()
    };
    // Too deep: an XML bomb's shape.
    let deep = format!(
        "<Message>{}{}</Message>",
        "<a>".repeat(50),
        "</a>".repeat(50)
    );
    let r = t
        .send(upload(
            "/returns/cin",
            "file",
            "census.xml",
            deep.into_bytes(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("census.xml nests its XML elements more than 8 deep"),
        "{}",
        r.body
    );
    // Too many rows, and too large.
    let rows = "CHILD,SEX\n".to_string() + &"1,1\n".repeat(150);
    let r = t
        .send(upload(
            "/returns/903",
            "files",
            "header.csv",
            rows.into_bytes(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("header.csv has more than 100 lines"),
        "{}",
        r.body
    );
    let r = t
        .send(upload(
            "/returns/903",
            "files",
            "header.csv",
            vec![b'x'; 70 * 1024],
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("header.csv is larger than the 64 KB Hearth validates at once"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn with_need_to_know_a_worker_opens_their_teams_cases_and_others_through_break_glass() {
    use store::{Actor, NewWorker};
    let t = TestApp::with_config(web::Config {
        need_to_know: true,
        ..Default::default()
    })
    .await;
    let team = t
        .store
        .create_team(Actor::SYSTEM, "North")
        .await
        .unwrap()
        .id;
    let worker = |name: &'static str, team_id: Option<uuid::Uuid>| NewWorker {
        name: name.into(),
        team_id,
        role_title: "Social worker".into(),
        agency: false,
        started: crate::date(2020, 1, 1),
    };
    let me = t
        .store
        .create_worker(Actor::SYSTEM, worker("Me", Some(team)))
        .await
        .unwrap()
        .id;
    let mate = t
        .store
        .create_worker(Actor::SYSTEM, worker("Mate", Some(team)))
        .await
        .unwrap()
        .id;
    let mine = t.child("Mina", "Own", false).await;
    let teams = t.child("Tam", "Team", false).await;
    let other = t.child("Ola", "Other", false).await;
    for (c, w) in [(mine, me), (teams, mate)] {
        t.store
            .allocate(Actor::SYSTEM, c, w, crate::date(2025, 1, 1))
            .await
            .unwrap();
    }
    let sw = t.user("sw", Role::SocialWorker, Some(me)).await;
    t.user("tm", Role::TeamManager, None).await;
    let b = t.sign_in("sw").await;
    assert_eq!(
        t.get(&format!("/children/{mine}?section=all"), Some(&b))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        t.get(&format!("/children/{teams}?section=all"), Some(&b))
            .await
            .status,
        StatusCode::OK
    );
    let r = t
        .get(&format!("/children/{other}?section=all"), Some(&b))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("not allocated to you or your team"));
    assert!(!r.body.contains("Ola"));
    assert!(r.body.contains("break-glass"));
    // The API says the same, and a change is refused too.
    let token = crate::api::token(&t, "sw").await;
    let api = t
        .send(
            Request::get(format!("/api/children/{other}"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert!(api.body.contains("need_to_know"));
    // Break-glass: a reason is required; then the record opens, and managers see why.
    let form = format!("/children/{other}/break-glass");
    assert_eq!(t.get(&form, Some(&b)).await.status, StatusCode::OK);
    let r = t
        .post_form(&form, Some(&b), &[("csrf_token", &b.csrf), ("reason", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .post_form(
            &form,
            Some(&b),
            &[
                ("csrf_token", &b.csrf),
                ("reason", "Duty call from the police about Ola tonight"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        t.get(&format!("/children/{other}?section=all"), Some(&b))
            .await
            .status,
        StatusCode::OK
    );
    let glass = t.audit(AuditAction::BreakGlass).await;
    assert_eq!(glass.len(), 1);
    assert_eq!(
        (glass[0].actor, glass[0].person_id),
        (Some(sw.id), Some(other))
    );
    let m = t.sign_in("tm").await;
    let report = t.get("/audit/break-glass", Some(&m)).await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.body.contains("Duty call from the police") && report.body.contains("Ola Other"));
    assert_eq!(
        t.get("/audit/break-glass", Some(&b)).await.status,
        StatusCode::FORBIDDEN
    );
    // Without the setting, any social worker opens any unrestricted child (today's default).
    let t2 = TestApp::new().await;
    let c = t2.child("Ola", "Other", false).await;
    t2.user("sw", Role::SocialWorker, None).await;
    let b2 = t2.sign_in("sw").await;
    assert_eq!(
        t2.get(&format!("/children/{c}?section=all"), Some(&b2))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_audit_log_is_searched_by_child_user_action_and_date_and_paged() {
    let t = TestApp::new().await;
    let ada = t.child("Ada", "Brightwell", false).await;
    let bea = t.child("Bea", "Other", false).await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("tm", Role::TeamManager, None).await;
    let b = t.sign_in("sw").await;
    for _ in 0..3 {
        t.get(&format!("/children/{ada}?section=all"), Some(&b))
            .await;
    }
    t.get(&format!("/children/{bea}?section=all"), Some(&b))
        .await;
    let m = t.sign_in("tm").await;
    // The manager's panel on the child's page: who viewed Ada lately, when and how often, with
    // a link to every view; the social worker has no such panel.
    let page = t
        .get(&format!("/children/{ada}?section=all"), Some(&m))
        .await;
    assert!(page.body.contains("Who has viewed this record"));
    let panel = &page.body[page.body.find("id=\"viewers\"").unwrap()..];
    let panel = &panel[..panel.find("</table>").unwrap()];
    assert!(
        panel.contains("Test sw") && panel.contains("Test tm"),
        "{panel}"
    );
    assert!(panel.contains(">3</td>"), "the worker's 3 views: {panel}");
    assert!(panel.contains("The last 2 people"), "{panel}");
    assert!(
        page.body
            .contains(&format!("/audit?person={ada}&amp;action=view"))
    );
    let r = t
        .get(
            &format!("/audit?person={ada}&action=view&user=sw"),
            Some(&m),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Audit log: Ada Brightwell"));
    assert!(r.body.contains("3 entries"), "{}", r.body);
    assert!(!r.body.contains("Bea Other"));
    let today = chrono::Utc::now().date_naive();
    let r = t
        .get(
            &format!("/audit?from={today}&to={today}&action=view"),
            Some(&m),
        )
        .await;
    assert!(r.body.contains("Bea Other") && r.body.contains("Ada Brightwell"));
    let r = t
        .get("/audit?from=2020-01-01&to=2020-12-31", Some(&m))
        .await;
    assert!(r.body.contains("0 entries"));
    // Bad criteria: the GOV.UK error summary, naming the field.
    let r = t.get("/audit?from=yesterday&user=nobody", Some(&m)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("href=\"#from\"")
            && r.body.contains("There is no account with that username")
    );
    // Paged: 100 an page, then older entries.
    for _ in 0..110 {
        t.store
            .record_event(store::Actor::SYSTEM, AuditAction::SignOut, None, "x")
            .await
            .unwrap();
    }
    let r = t.get("/audit?action=sign_out", Some(&m)).await;
    assert!(r.body.contains("100 entries"));
    let next = r
        .body
        .split("href=\"")
        .find(|s| s.contains("before="))
        .unwrap();
    let next = next
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
        .replace("&#x2f;", "/");
    let r = t.get(&next, Some(&m)).await;
    assert!(r.body.contains("10 entries (an older page)"), "{next}");
    // The search itself is logged, with its criteria.
    let views = t.audit(AuditAction::View).await;
    assert!(
        views
            .iter()
            .any(|v| v.entity_type == "audit_log" && v.detail.contains("user=\"sw\""))
    );
    let own = t
        .get(&format!("/children/{ada}?section=all"), Some(&b))
        .await;
    assert!(!own.body.contains("Who has viewed this record"));
}

#[tokio::test]
async fn a_json_body_missing_a_property_or_with_an_unknown_one_names_it() {
    use crate::api::json_req;
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    let token = crate::api::token(&t, "sw").await;
    for (body, field) in [
        (
            serde_json::json!({"family_name": "X", "sex": "F"}),
            "given_name",
        ),
        (
            serde_json::json!({"given_name": "A", "family_name": "X", "sex": "F", "shoe_size": 3}),
            "shoe_size",
        ),
    ] {
        let r = t
            .send(json_req("POST", "/api/children", Some(&token), body))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["errors"][0]["field"], field, "{}", r.body);
    }
}

#[tokio::test]
async fn a_form_posted_after_the_idle_timeout_is_kept_over_signing_in_again() {
    let t = TestApp::with_config(web::Config {
        idle_timeout: Some(chrono::Duration::milliseconds(1500)),
        ..Default::default()
    })
    .await;
    t.user("sam", Role::SocialWorker, None).await;
    t.user("kim", Role::SocialWorker, None).await;
    let kid = t.child("Ada", "Draft", false).await;
    let b = t.sign_in("sam").await;
    let page = format!("/children/{kid}/early-help");
    assert_eq!(t.get(&page, Some(&b)).await.status, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(1700)).await;
    // The worker saves after the session has ended: the sign-in page carries what they wrote.
    let posted = t
        .post_form(
            &page,
            Some(&b),
            &[
                ("csrf_token", &b.csrf),
                ("lead", "Family support worker, Riverside Family Hub"),
                ("reason", "Parenting support after\na house move"),
                ("started-day", "3"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::UNAUTHORIZED, "{}", posted.body);
    assert!(
        posted.body.contains("what you entered has been kept"),
        "{}",
        posted.body
    );
    assert!(
        !posted.body.contains(&b.csrf),
        "the old CSRF token is not carried"
    );
    assert!(posted.body.contains("Riverside Family Hub"));
    // Nothing is kept before signing in again.
    let signed_in = sign_in_again(&t, &posted, "sam").await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );
    assert_eq!(signed_in.location(), page);
    let cookie = format!(
        "hearth_session={}; hearth_draft={}",
        set_cookie(&signed_in, "hearth_session"),
        set_cookie(&signed_in, "hearth_draft")
    );
    let again = Browser {
        cookie: cookie.clone(),
        csrf: String::new(),
    };
    // The form opens with what was entered, once.
    let form = t.get(&page, Some(&again)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("Riverside Family Hub"), "{}", form.body);
    assert!(form.body.contains("Parenting support after\na house move"));
    let cleared = set_cookie(&form, "hearth_draft");
    assert!(cleared.is_empty(), "the draft cookie is cleared");
    let form = t.get(&page, Some(&again)).await;
    assert!(!form.body.contains("Riverside Family Hub"), "taken once");
    // Another user signing in on a browser with someone's draft cookie does not get it: drafts
    // are kept for the user who signed in with them.
    let kim = t.sign_in("kim").await;
    let stolen = Browser {
        cookie: format!(
            "{}; hearth_draft={}",
            kim.cookie,
            set_cookie(&signed_in, "hearth_draft")
        ),
        csrf: String::new(),
    };
    assert!(
        !t.get(&page, Some(&stolen))
            .await
            .body
            .contains("Riverside Family Hub")
    );
}

/// Signs in again from the sign-in page a form posted after the session ended was answered with,
/// as a browser posts it (its hidden fields carry what was entered).
pub(crate) async fn sign_in_again(t: &TestApp, posted: &Resp, username: &str) -> Resp {
    // Signing in again (as a browser posts the sign-in form with its hidden fields).
    let token = hidden_value(&posted.body, "sign_in_token");
    let pre = set_cookie(posted, "hearth_sign_in");
    let mut fields: Vec<(String, String)> = vec![
        ("username".into(), username.into()),
        ("password".into(), PASSWORD.into()),
        ("sign_in_token".into(), token),
        (
            "next".into(),
            hidden_value(&posted.body, "next").replace("&#x2f;", "/"),
        ),
    ];
    let mut rest = posted.body.as_str();
    while let Some(at) = rest.find("name=\"draft_name\" value=\"") {
        rest = &rest[at + 25..];
        let name = rest.split('"').next().unwrap().to_string();
        let v = rest.find("name=\"draft_value\" value=\"").unwrap();
        rest = &rest[v + 26..];
        let value = rest
            .split('"')
            .next()
            .unwrap()
            .replace("&#x2f;", "/")
            .replace("&#x27;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        fields.push(("draft_name".into(), name));
        fields.push(("draft_value".into(), value));
    }
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    t.send(
        Request::post("/sign-in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("hearth_sign_in={pre}"))
            .body(Body::from(form_body(&f)))
            .unwrap(),
    )
    .await
}
