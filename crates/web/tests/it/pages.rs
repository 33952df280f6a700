//! Pages: sign-in, role checks with audit, restricted records, the child form's validation.

use axum::http::StatusCode;
use domain::access::{AuditAction, Role};

use crate::{TestApp, hidden_value};

#[tokio::test]
async fn signed_out_people_are_sent_to_sign_in_and_wrong_passwords_are_refused() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    let r = t.get("/children?q=x", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/sign-in?next=/children%3Fq%3Dx");

    let page = t.get("/sign-in", None).await;
    let token = hidden_value(&page.body, "sign_in_token");
    let pre = crate::set_cookie(&page, "hearth_sign_in");
    let req = axum::http::Request::post("/sign-in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("hearth_sign_in={pre}"))
        .body(axum::body::Body::from(crate::form_body(&[
            ("username", "sw"),
            ("password", "wrong password!!"),
            ("sign_in_token", &token),
        ])))
        .unwrap();
    let r = t.send(req).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Enter a correct username and password"));
    assert!(r.body.contains("govuk-error-summary"));
    assert_eq!(t.audit(AuditAction::SignInFailed).await.len(), 1);

    // Without the sign-in cookie (a forged cross-site form) the password is not even tried.
    let r = t
        .post_form(
            "/sign-in",
            None,
            &[
                ("username", "sw"),
                ("password", crate::PASSWORD),
                ("sign_in_token", &token),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("expired"));

    let b = t.sign_in("sw").await;
    assert_eq!(t.audit(AuditAction::SignIn).await.len(), 1);
    // Signing out ends the session.
    let r = t
        .post_form("/sign-out", Some(&b), &[("csrf_token", &b.csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        t.get("/children", Some(&b)).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn roles_without_access_get_403_an_audit_entry_and_never_the_data() {
    let t = TestApp::new().await;
    let child = t.child("Zelda", "Quietwater", false).await;
    for (username, role) in [
        ("analyst", Role::PerformanceAnalyst),
        ("admin", Role::Administrator),
    ] {
        t.user(username, role, None).await;
        let b = t.sign_in(username).await;
        let r = t
            .get(&format!("/children/{child}?section=all"), Some(&b))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{username}");
        assert!(!r.body.contains("Quietwater"), "{username} saw the record");
        assert!(r.body.contains("You do not have permission"));
        let r = t.get("/children?q=Quietwater", Some(&b)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(!r.body.contains("Quietwater"));
        let r = t.get("/children/new", Some(&b)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    let denied = t.audit(AuditAction::Denied).await;
    assert_eq!(denied.len(), 6);
    assert!(
        denied
            .iter()
            .any(|d| d.person_id == Some(child) && d.detail.contains("may not view case records"))
    );
    assert!(
        t.audit(AuditAction::View).await.is_empty(),
        "no access entry for a refused view"
    );
    // The administrator may read the audit log; a social worker may not.
    let admin = t.sign_in("admin").await;
    let r = t.get("/audit", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("denied"));
    t.user("sw", Role::SocialWorker, None).await;
    let sw = t.sign_in("sw").await;
    assert_eq!(
        t.get("/audit", Some(&sw)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_social_worker_finds_a_child_and_opens_the_record_which_is_logged() {
    let t = TestApp::new().await;
    let child = t.child("Ada", "Brightwell", false).await;
    t.child("Bea", "Brightwell", false).await;
    let sw = t.user("sw", Role::SocialWorker, None).await;
    let b = t.sign_in("sw").await;
    let r = t.get("/children?q=brightwell", Some(&b)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("2 results"), "{}", r.body);
    assert!(r.body.contains(&format!("/children/{child}")));
    let r = t
        .get(
            "/children?q=&dob-day=17&dob-month=5&dob-year=2018",
            Some(&b),
        )
        .await;
    assert!(r.body.contains("2 results"));
    let r = t
        .get("/children?dob-day=31&dob-month=2&dob-year=2018", Some(&b))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Date of birth must be a real date"));
    assert!(r.body.contains("href=\"#dob-day\""));

    let r = t
        .get(&format!("/children/{child}?section=all"), Some(&b))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    for text in [
        "Ada Brightwell",
        "17 May 2018",
        "Chronology",
        "Family and relationships",
        "Allocated worker",
        "Record created",
    ] {
        assert!(r.body.contains(text), "child page lacks {text}");
    }
    // The record opened once (the searches are logged as searches).
    let views: Vec<_> = t
        .audit(AuditAction::View)
        .await
        .into_iter()
        .filter(|v| v.entity_type != "search")
        .collect();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].actor, Some(sw.id));
    assert_eq!(views[0].person_id, Some(child));
    // Not an id, and an id that is nobody: not found.
    assert_eq!(
        t.get("/children/not-an-id", Some(&b)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.get(&format!("/children/{}", uuid::Uuid::now_v7()), Some(&b))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn restricted_records_open_only_for_the_allocated_worker_and_managers() {
    let t = TestApp::new().await;
    let w = t.worker("Allocated Worker").await;
    let child = t.child("Rae", "Hiddenvale", true).await;
    t.store
        .allocate(store::Actor::SYSTEM, child, w, crate::date(2025, 1, 1))
        .await
        .unwrap();
    t.user("mine", Role::SocialWorker, Some(w)).await;
    t.user("other", Role::SocialWorker, None).await;
    t.user("tm", Role::TeamManager, None).await;
    let other = t.sign_in("other").await;
    let r = t
        .get(&format!("/children/{child}?section=all"), Some(&other))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.body.contains("Hiddenvale"));
    let r = t.get("/children?q=Hiddenvale", Some(&other)).await;
    assert!(!r.body.contains("restricted record matches"));
    assert!(r.body.contains("0 results"), "{}", r.body);
    assert!(!r.body.contains("Hiddenvale</a>"));
    assert!(!r.body.contains(&child.to_string()));
    for who in ["mine", "tm"] {
        let b = t.sign_in(who).await;
        let r = t
            .get(&format!("/children/{child}?section=all"), Some(&b))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{who}");
        assert!(r.body.contains("Hiddenvale"));
    }
    let denied = t.audit(AuditAction::Denied).await;
    assert_eq!(denied.len(), 1);
    assert!(denied[0].detail.contains("restricted"));
}

#[tokio::test]
async fn the_child_form_shows_errors_the_gov_uk_way_and_saves_nothing_until_valid() {
    let t = TestApp::new().await;
    t.user("fd", Role::FrontDoor, None).await;
    let b = t.sign_in("fd").await;
    let form = t.get("/children/new", Some(&b)).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = hidden_value(&form.body, "csrf_token");

    // No CSRF token: refused, nothing saved.
    let r = t
        .post_form(
            "/children",
            Some(&b),
            &[("given_name", "Ola"), ("family_name", "Nordvik")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(t.store.count_people().await.unwrap(), 0);

    let bad = [
        ("csrf_token", csrf.as_str()),
        ("given_name", ""),
        ("family_name", "Nordvik"),
        ("date_of_birth-day", "30"),
        ("date_of_birth-month", "2"),
        ("date_of_birth-year", "2020"),
        ("sex", "Q"),
        ("nhs_number", "123"),
    ];
    let r = t.post_form("/children", Some(&b), &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("<title>Error: "),
        "title starts with Error:"
    );
    assert!(r.body.contains("govuk-error-summary"));
    for (href, message) in [
        ("#given_name", "Enter the child&#x27;s first name"),
        ("#date_of_birth-day", "Date of birth must be a real date"),
        ("#sex", "is not in the current code list"),
        ("#nhs_number", "NHS number must be 10 digits"),
    ] {
        assert!(
            r.body.contains(&format!("href=\"{href}\"")),
            "summary links to {href}"
        );
        assert!(r.body.contains(message), "message {message}");
    }
    assert!(r.body.contains("govuk-error-message"));
    assert!(
        r.body.contains("value=\"Nordvik\""),
        "what was typed is kept"
    );
    assert_eq!(
        t.store.count_people().await.unwrap(),
        0,
        "nothing half-saved"
    );

    let good = [
        ("csrf_token", csrf.as_str()),
        ("given_name", "Ola"),
        ("family_name", "Nordvik"),
        ("date_of_birth-day", "3"),
        ("date_of_birth-month", "2"),
        ("date_of_birth-year", "2020"),
        ("sex", "F"),
        ("ethnicity", "WOTH"),
        ("disabilities", "NONE"),
        ("nhs_number", "943 476 5919"),
        ("council_child_id", "NEW001"),
    ];
    let r = t.post_form("/children", Some(&b), &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get(r.location(), Some(&b)).await;
    assert!(page.body.contains("Child added"));
    assert!(page.body.contains("943 476 5919"));
    let id: uuid::Uuid = r
        .location()
        .trim_start_matches("/children/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        t.audit(AuditAction::Create)
            .await
            .iter()
            .filter(|e| e.person_id == Some(id))
            .count(),
        1
    );

    // The same child again: the possible match is shown first, until the worker confirms this is
    // a different child; then the same NHS number is refused, and so is the same council ID.
    let r = t.post_form("/children", Some(&b), &good).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Ola Nordvik born 3 February 2020 may already be on the record"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(&format!("href=\"/children/{id}\""))
            || r.body.contains(&format!("&#x2f;children&#x2f;{id}")),
        "{}",
        r.body
    );
    let mut confirmed = good.to_vec();
    confirmed.push(("not_duplicate", "yes"));
    let r = t.post_form("/children", Some(&b), &confirmed).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("NHS number 9434765919 is already on the record of Ola Nordvik"),
        "{}",
        r.body
    );
    let other_nhs: Vec<(&str, &str)> = confirmed
        .iter()
        .map(|&(k, v)| if k == "nhs_number" { (k, "") } else { (k, v) })
        .collect();
    let r = t.post_form("/children", Some(&b), &other_nhs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("already used by another record"));

    // A correction made on a stale page is not applied over someone else's.
    let edit = t.get(&format!("/children/{id}/edit"), Some(&b)).await;
    assert_eq!(hidden_value(&edit.body, "version"), "1");
    let mut changed = good.to_vec();
    changed.push(("version", "1"));
    changed[1] = ("given_name", "Olga");
    let r = t
        .post_form(&format!("/children/{id}"), Some(&b), &changed)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    changed[1] = ("given_name", "Oline");
    let r = t
        .post_form(&format!("/children/{id}"), Some(&b), &changed)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Someone else changed"));
    assert_eq!(
        t.store.get_person(id).await.unwrap().details.given_name,
        "Olga"
    );
    // Without the version field the check is not skipped: the correction is refused.
    let unversioned: Vec<_> = changed
        .iter()
        .filter(|(k, _)| *k != "version")
        .cloned()
        .collect();
    let r = t
        .post_form(&format!("/children/{id}"), Some(&b), &unversioned)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("did not say which version"));
    assert_eq!(
        t.store.get_person(id).await.unwrap().details.given_name,
        "Olga"
    );
    // The chronology records the correction.
    let page = t
        .get(&format!("/children/{id}?section=all"), Some(&b))
        .await;
    assert!(
        page.body.contains("Details corrected: given name"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn security_headers_are_sent() {
    let t = TestApp::new().await;
    let r = t.get("/sign-in", None).await;
    let csp = r
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(r.headers.get("x-frame-options").unwrap(), "DENY");
    let cookie = r.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
}

fn multipart(csrf: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "hearthtestboundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"census.xml\"\r\nContent-Type: text/xml\r\n\r\n").as_bytes());
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn an_analyst_uploads_a_cin_census_and_sees_its_findings() {
    let t = TestApp::new().await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    t.user("sw", Role::SocialWorker, None).await;
    let census = synth::cin::census(
        3,
        400,
        chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
    );
    let expected = returns::cin::validate(&census);
    let mut xml = Vec::new();
    returns::cin::write(&mut xml, &census).unwrap();

    let pa = t.sign_in("pa").await;
    let form = t.get("/returns/cin", Some(&pa)).await;
    assert_eq!(form.status, StatusCode::OK);
    let send = |csrf: String, file: Vec<u8>, cookie: String| {
        let (ct, body) = multipart(&csrf, &file);
        axum::http::Request::post("/returns/cin")
            .header("content-type", ct)
            .header("cookie", cookie)
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let r = t
        .send(send(pa.csrf.clone(), xml.clone(), pa.cookie.clone()))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("400 children checked"));
    let errors = expected
        .findings
        .iter()
        .filter(|f| f.severity == returns::findings::Severity::Error)
        .count();
    assert!(errors > 0);
    let after = &r.body[r.body.find("Errors (must be fixed)").unwrap()..];
    let shown_errors = after
        .split("govuk-summary-list__value\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .trim();
    assert_eq!(shown_errors, errors.to_string(), "error count shown");
    let first = &expected.findings[0];
    assert!(
        r.body
            .contains(first.child.as_deref().unwrap_or("(whole return)"))
    );
    assert!(t.audit(AuditAction::View).await.iter().any(|e| {
        e.detail
            .starts_with("validated CIN census census.xml: 400 children")
    }));

    // A broken file is a clear error on the form.
    let r = t
        .send(send(
            pa.csrf.clone(),
            b"<Message><Header>".to_vec(),
            pa.cookie.clone(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("could not be read") && r.body.contains("truncated"),
        "{}",
        r.body
    );
    // Without the CSRF token: refused.
    let r = t
        .send(send(String::new(), xml.clone(), pa.cookie.clone()))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // A social worker may not.
    let sw = t.sign_in("sw").await;
    let r = t.send(send(sw.csrf.clone(), xml, sw.cookie.clone())).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// A multipart body with the CSRF token and files, each under its field name.
pub(crate) fn multipart_files(csrf: &str, files: &[(&str, String, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "hearthtestboundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n"
        )
        .as_bytes(),
    );
    for (field, name, bytes) in files {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A return's tables as CSV files, under a form field.
pub(crate) fn csv_files(
    field: &str,
    ret: &returns::ssda903::Return,
) -> Vec<(&'static str, String, Vec<u8>)> {
    let dir = std::env::temp_dir().join(format!(
        "hearth-web-903-{}-{field}-{}",
        std::process::id(),
        uuid::Uuid::now_v7()
    ));
    returns::ssda903::write_dir(ret, &dir).unwrap();
    let field: &'static str = if field == "files" {
        "files"
    } else {
        "previous"
    };
    let out = ret
        .tables
        .keys()
        .map(|t| {
            let name = t.file_name().to_string();
            let bytes = std::fs::read(dir.join(&name)).unwrap();
            (field, name, bytes)
        })
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    out
}

#[tokio::test]
async fn an_analyst_uploads_a_903_return_and_sees_its_findings() {
    use returns::ssda903::Table;
    let t = TestApp::new().await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("sw", Role::SocialWorker, None).await;
    // A synthetic return with two mistakes: a sex code that does not exist, and an episode
    // starting after the end of the year.
    let mut ret = synth::ssda903::return_903(4, 300, 2026);
    let h = ret.tables.get_mut(&Table::Header).unwrap();
    h.rows[5][Table::Header.col("SEX")] = "X".into();
    let bad_child = h.rows[5][0].clone();
    let e = ret.tables.get_mut(&Table::Episodes).unwrap();
    e.rows[0][Table::Episodes.col("DECOM")] = "01/05/2026".into();
    let expected = returns::ssda903::validate(&ret, 2026);
    let errors = expected
        .findings
        .iter()
        .filter(|f| f.severity == returns::findings::Severity::Error)
        .count();
    assert!(expected.findings.iter().any(|f| f.rule_code == "101"));
    assert!(expected.findings.iter().any(|f| f.rule_code == "354"));

    let send = |csrf: &str, files: &[(&str, String, Vec<u8>)], cookie: &str| {
        let (ct, body) = multipart_files(csrf, files);
        axum::http::Request::post("/returns/903")
            .header("content-type", ct)
            .header("cookie", cookie)
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let pa = t.sign_in("pa").await;
    let form = t.get("/returns/903", Some(&pa)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("type=\"file\" multiple"));
    assert!(form.body.contains("href=\"/returns/903\""), "in the nav");
    let files = csv_files("files", &ret);
    let r = t.send(send(&pa.csrf, &files, &pa.cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("300 children checked"), "{}", r.body);
    let after = &r.body[r.body.find("Errors (must be fixed)").unwrap()..];
    let shown_errors = after
        .split("govuk-summary-list__value\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .trim();
    assert_eq!(shown_errors, errors.to_string(), "error count shown");
    // By rule and by child (the header row of the child with the bad sex code: line 7).
    assert!(r.body.contains("<td class=\"govuk-table__cell\">101</td>"));
    assert!(r.body.contains(&bad_child));
    assert!(r.body.contains("Header line 7"), "{}", r.body);
    assert!(
        r.body.contains("Not run without last year&#x27;s return")
            || r.body.contains("Not run without last year's return")
    );
    assert!(t.audit(AuditAction::View).await.iter().any(|e| {
        e.detail.starts_with("validated SSDA903 return ")
            && e.detail.contains("episodes.csv")
            && e.detail.ends_with(&format!(
                ": 300 children, {} findings",
                expected.findings.len()
            ))
    }));

    // With last year's return too, the rules comparing the years run.
    let tm = t.sign_in("tm").await;
    let mut both = csv_files("files", &ret);
    both.extend(csv_files(
        "previous",
        &synth::ssda903::return_903(9, 50, 2025),
    ));
    let r = t.send(send(&tm.csrf, &both, &tm.cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("with last year"));
    assert!(!r.body.contains("Not run without last year"));
    assert!(
        t.audit(AuditAction::View)
            .await
            .iter()
            .any(|e| { e.detail.contains("with the previous year's") })
    );

    // No files, an unreadable file, a table given twice: clear errors on the form.
    let r = t.send(send(&pa.csrf, &[], &pa.cookie)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Select the return"));
    let junk = vec![("files", "junk.csv".to_string(), b"A,B\n1,2\n".to_vec())];
    let r = t.send(send(&pa.csrf, &junk, &pa.cookie)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("junk.csv") && r.body.contains("match no 903 table"),
        "{}",
        r.body
    );
    let mut twice = csv_files("files", &ret);
    twice.push(("files", "copy.csv".into(), twice[1].2.clone()));
    let r = t.send(send(&pa.csrf, &twice, &pa.cookie)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("a second"), "{}", r.body);
    let bad_prev = vec![
        files[0].clone(),
        ("previous", "old.csv".to_string(), b"X\n".to_vec()),
    ];
    let r = t.send(send(&pa.csrf, &bad_prev, &pa.cookie)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("previous year") && r.body.contains("href=\"#previous\""));

    // Without the CSRF token: refused.
    let r = t.send(send("", &files, &pa.cookie)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // A social worker may not, and the refusal is audited.
    let sw = t.sign_in("sw").await;
    assert_eq!(
        t.get("/returns/903", Some(&sw)).await.status,
        StatusCode::FORBIDDEN
    );
    let r = t.send(send(&sw.csrf, &files, &sw.cookie)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(t.audit(AuditAction::Denied).await.iter().any(|d| {
        d.detail.starts_with("POST /returns/903") && d.detail.contains("may not validate returns")
    }));
}

#[tokio::test]
async fn an_analyst_uploads_a_903_return_as_xml() {
    use returns::ssda903::Table;
    let t = TestApp::new().await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let pa = t.sign_in("pa").await;
    let form = t.get("/returns/903", Some(&pa)).await;
    assert!(form.body.contains("accept=\".xml,.csv,"), "{}", form.body);
    assert!(form.body.contains("One XML file"));
    // A synthetic return with an ethnicity code that does not exist, as the XML form with its
    // social worker episodes beside it as CSV.
    let mut ret = synth::ssda903::return_903(5, 200, 2026);
    let h = ret.tables.get_mut(&Table::Header).unwrap();
    h.rows[5][Table::Header.col("ETHNIC")] = "X".into();
    let bad_child = h.rows[5][0].clone();
    let mut xml = Vec::new();
    returns::ssda903::xml::write_xml(&ret, &mut xml).unwrap();
    let sw = csv_files("files", &ret)
        .into_iter()
        .find(|(_, name, _)| name == "sw_episodes.csv")
        .unwrap();
    let files = vec![("files", "return.xml".to_string(), xml.clone()), sw];
    let read = returns::ssda903::read_files(
        &files
            .iter()
            .map(|(_, n, b)| (n.clone(), b.clone()))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    assert_eq!(read.tables, ret.tables);
    let expected = returns::ssda903::validate(&read, 2026);
    assert!(expected.skipped.iter().all(|(c, _)| *c != "105"));
    let send = |files: &[(&str, String, Vec<u8>)]| {
        let (ct, body) = multipart_files(&pa.csrf, files);
        axum::http::Request::post("/returns/903")
            .header("content-type", ct)
            .header("cookie", &pa.cookie)
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let r = t.send(send(&files)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("200 children checked"), "{}", r.body);
    assert!(r.body.contains("(XML form)"));
    assert!(
        r.body.contains("SWEpisodes ("),
        "the CSV table is read with it"
    );
    assert!(r.body.contains("<td class=\"govuk-table__cell\">103</td>"));
    assert!(r.body.contains(&bad_child));
    // Places are table rows (the XML has no lines a table): the sixth Header row.
    assert!(r.body.contains("Header row 6"), "{}", r.body);
    // 105 and 303 run on the XML form, so are not listed as not run.
    assert!(!r.body.contains("needs the UASC flag"));
    assert!(t.audit(AuditAction::View).await.iter().any(|e| {
        e.detail
            .starts_with("validated SSDA903 return return.xml, sw_episodes.csv")
            && e.detail.ends_with(&format!(
                ": 200 children, {} findings",
                expected.findings.len()
            ))
    }));
    // The CSV form: 105 and 303 are listed as not run, with why.
    let r = t.send(send(&csv_files("files", &ret))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body
            .contains("needs the UASC flag of the XML form; the CSV form has none: 105 303.")
    );
    // An XML return with a CSV copy of one of its tables, or a broken XML file: clear errors.
    let mut mixed = vec![files[0].clone()];
    mixed.extend(
        csv_files("files", &ret)
            .into_iter()
            .filter(|(_, n, _)| n == "header.csv"),
    );
    let r = t.send(send(&mixed)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("header.csv") && r.body.contains("only SWEpisodes may come as CSV"),
        "{}",
        r.body
    );
    let at = xml[..xml.len() / 2]
        .iter()
        .rposition(|b| *b == b'>')
        .unwrap()
        + 1;
    let cut = vec![("files", "cut.xml".to_string(), xml[..at].to_vec())];
    let r = t.send(send(&cut)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("cut.xml, row ") && r.body.contains("it is cut short"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_manager_allocates_and_a_worker_records_an_address_and_a_family_member() {
    let t = TestApp::new().await;
    let child = t.child("Vic", "Moverly", false).await;
    let w = t.worker("Wren Worker").await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("sw", Role::SocialWorker, None).await;
    let tm = t.sign_in("tm").await;
    let sw = t.sign_in("sw").await;
    let base = format!("/children/{child}");

    // Only a manager allocates; the refusal is audited.
    assert_eq!(
        t.get(&format!("{base}/allocation"), Some(&sw)).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        t.audit(AuditAction::Denied)
            .await
            .iter()
            .any(|d| d.detail.contains("only team managers allocate"))
    );
    let page = t.get(&format!("{base}/allocation"), Some(&tm)).await;
    assert_eq!(page.status, StatusCode::OK);
    let r = t
        .post_form(
            &format!("{base}/allocation"),
            Some(&tm),
            &[
                ("csrf_token", &tm.csrf),
                ("worker_id", ""),
                ("from-day", "1"),
                ("from-month", "13"),
                ("from-year", "2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Choose the worker to allocate")
            && r.body.contains("Date of allocation must be a real date")
    );
    assert!(
        t.store
            .access_facts(child)
            .await
            .unwrap()
            .allocated_workers
            .is_empty()
    );
    let wid = w.to_string();
    let r = t
        .post_form(
            &format!("{base}/allocation"),
            Some(&tm),
            &[
                ("csrf_token", &tm.csrf),
                ("worker_id", &wid),
                ("from-day", "2"),
                ("from-month", "11"),
                ("from-year", "2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        t.store.access_facts(child).await.unwrap().allocated_workers,
        vec![w]
    );

    // An address: a bad postcode is refused, nothing saved; then a good one.
    let addr = |pc: &'static str| {
        vec![
            ("csrf_token", sw.csrf.clone()),
            ("line1", "4 Any Road".to_string()),
            ("town", "Testtown".to_string()),
            ("postcode", pc.to_string()),
            ("from-day", "1".to_string()),
            ("from-month", "10".to_string()),
            ("from-year", "2026".to_string()),
        ]
    };
    let fields = addr("NOT A POSTCODE");
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = t
        .post_form(&format!("{base}/addresses"), Some(&sw), &f)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Enter a real postcode"));
    let fields = addr("zx9 9zz");
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = t
        .post_form(&format!("{base}/addresses"), Some(&sw), &f)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // A family member.
    let r = t
        .post_form(
            &format!("{base}/family"),
            Some(&sw),
            &[
                ("csrf_token", &sw.csrf),
                ("kind", ""),
                ("given_name", "Gwen"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Choose how this person is related")
            && r.body.contains("Enter their last name")
    );
    let people = t.store.count_people().await.unwrap();
    let r = t
        .post_form(
            &format!("{base}/family"),
            Some(&sw),
            &[
                ("csrf_token", &sw.csrf),
                ("kind", "grandparent"),
                ("given_name", "Gwen"),
                ("family_name", "Moverly"),
                ("sex", "F"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(t.store.count_people().await.unwrap(), people + 1);

    let page = t.get(&format!("{base}?section=all"), Some(&sw)).await;
    for text in [
        "Wren Worker",
        "4 Any Road, Testtown ZX9 9ZZ",
        "Gwen Moverly",
        "Grandparent",
        "Allocated to Wren Worker",
        "Moved to 4 Any Road",
    ] {
        assert!(page.body.contains(text), "the child's page shows {text}");
    }
}
