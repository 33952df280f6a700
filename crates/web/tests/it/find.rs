//! Find a child as a worker would: a misspelt name, a year of birth; results told apart by age,
//! address and status.

use axum::http::StatusCode;
use chrono::Days;
use domain::access::Role;
use domain::calendar::uk_now;
use domain::early_help::NewEarlyHelp;
use domain::person::NewAddress;
use store::Actor;

use crate::TestApp;

#[tokio::test]
async fn a_misspelt_name_finds_the_child_and_results_say_age_address_and_status() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    let today = uk_now().date();
    let alice = t
        .child_born("Alice", "Kowalski", crate::date(2016, 4, 1), false)
        .await;
    let other = t
        .child_born("Alice", "Kowalski", crate::date(2019, 9, 9), false)
        .await;
    t.store
        .add_address(
            Actor::SYSTEM,
            alice,
            NewAddress {
                line1: "12 Birch Road".into(),
                line2: String::new(),
                town: "Anytown".into(),
                postcode: "ZX1 2AB".into(),
                from: crate::date(2020, 1, 1),
                to: None,
            },
        )
        .await
        .unwrap();
    t.store
        .start_early_help(
            Actor::SYSTEM,
            other,
            NewEarlyHelp {
                started_on: today - Days::new(3),
                lead: "School, Anytown".into(),
                reason: "Attendance".into(),
            },
        )
        .await
        .unwrap();
    let sw = t.sign_in("sw").await;
    let page = t.get("/children?q=Kowalsky", Some(&sw)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("2 results"),
        "the sound-alike finds both: {}",
        page.body
    );
    assert!(
        page.body.contains("12 Birch Road, ZX1 2AB"),
        "{}",
        page.body
    );
    assert!(page.body.contains("No address recorded"));
    assert!(page.body.contains("Early help since"), "{}", page.body);
    assert!(
        page.body.contains("10 years") || page.body.contains("9 years"),
        "ages: {}",
        page.body
    );
    // A year of birth alone narrows it.
    let by_year = t
        .get(
            "/children?q=Kowalsky&dob-day=&dob-month=&dob-year=2019",
            Some(&sw),
        )
        .await;
    assert!(by_year.body.contains("1 result"), "{}", by_year.body);
    assert!(
        by_year.body.contains(&other.to_string()) && !by_year.body.contains(&alice.to_string())
    );
    let month = t
        .get("/children?dob-month=4&dob-year=2016", Some(&sw))
        .await;
    assert!(
        month.body.contains(&alice.to_string()) && !month.body.contains(&other.to_string()),
        "{}",
        month.body
    );
    let bad = t.get("/children?dob-month=4", Some(&sw)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Date of birth must include a year"));
}
