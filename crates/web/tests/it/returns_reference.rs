//! The 903 upload page with reference data given when Hearth is started: the rules on postcodes
//! and Ofsted URNs run, and are not listed as needing it.

use std::sync::Arc;

use axum::http::StatusCode;
use domain::access::Role;
use returns::ssda903::Table;

use crate::TestApp;
use crate::pages::{csv_files, multipart_files};

#[tokio::test]
async fn the_903_page_runs_the_reference_rules_with_the_servers_reference_data() {
    let clean = synth::ssda903::return_903(6, 200, 2026);
    let reference = synth::ssda903_reference::reference(&clean);
    let t = TestApp::with_config(web::Config {
        reference_903: Arc::new(reference),
        ..Default::default()
    })
    .await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let pa = t.sign_in("pa").await;
    // One URN Ofsted does not list.
    let mut ret = clean.clone();
    let e = Table::Episodes;
    let eps = ret.tables.get_mut(&e).unwrap();
    let row = eps
        .rows
        .iter()
        .position(|r| r[e.col("URN")].starts_with("SC"))
        .unwrap();
    eps.rows[row][e.col("URN")] = "SC000001".into();
    let (ct, body) = multipart_files(&pa.csrf, &csv_files("files", &ret));
    let r = t
        .send(
            axum::http::Request::post("/returns/903")
                .header("content-type", ct)
                .header("cookie", &pa.cookie)
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("<td class=\"govuk-table__cell\">1008</td>"),
        "{}",
        r.body
    );
    // Only the rules needing last year's return are not run (those on postcodes among them).
    assert!(!r.body.contains("needs a postcode directory"), "{}", r.body);
    assert!(!r.body.contains("set up by whoever runs Hearth"));
    assert!(
        r.body
            .contains("NoE 205A 205B 205C 452 453 503G 503H 503J."),
        "{}",
        r.body
    );

    // Without reference data the page says what the rules need and who sets it up.
    let t = TestApp::new().await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let pa = t.sign_in("pa").await;
    let (ct, body) = multipart_files(&pa.csrf, &csv_files("files", &ret));
    let r = t
        .send(
            axum::http::Request::post("/returns/903")
                .header("content-type", ct)
                .header("cookie", &pa.cookie)
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!r.body.contains("<td class=\"govuk-table__cell\">1008</td>"));
    assert!(
        r.body.contains("needs the Ofsted provider lists"),
        "{}",
        r.body
    );
    assert!(r.body.contains("set up by whoever runs Hearth"));
}
