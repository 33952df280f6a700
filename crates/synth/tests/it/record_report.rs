//! The performance report from the record agrees with the report from the council's own SSDA903
//! return: the same journeys, read through the store's extract or through the return's tables.

use chrono::NaiveDate;
use synth::{Spec, cla_return::ssda903, generate, load};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn looked_after_indicators_from_the_record_match_those_from_the_return() {
    let as_at = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let council = generate(&Spec::demo(40_000, as_at));
    let dir = std::env::temp_dir().join(format!(
        "hearth-synth-report-{}",
        uuid::Uuid::now_v7().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let store = store::open(dir.join("t.db").to_str().unwrap())
        .await
        .unwrap();
    load(&council, store.as_ref()).await.unwrap();
    let from_record = metrics::Events::from_record(&store.extract().await.unwrap());
    let year_end = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    let mut from_return = metrics::Events::default();
    from_return.add_903(&ssda903(&council, 2026), year_end);
    let period = metrics::Period::new(NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(), year_end);
    let ctx = metrics::Context {
        population: Some(40_000.0),
        ..Default::default()
    };
    let figure = |ev: &metrics::Events, id: &str| match metrics::compute(
        metrics::catalogue::find(id).unwrap(),
        ev,
        period,
        &ctx,
    ) {
        metrics::Outcome::Value(f) => (f.numerator, f.denominator),
        metrics::Outcome::Unavailable(why) => panic!("{id}: {why}"),
    };
    // Children looked after at 31 March, starting in the year, fostered, with 3+ placements,
    // health assessments of the OC2 cohort, and three or more social workers in the year (the
    // return's social worker episodes are the record's allocations): the same counts both ways.
    for id in ["22", "23", "27", "24", "31", "29"] {
        let (r, ret) = (figure(&from_record, id), figure(&from_return, id));
        println!("{id}: record {r:?}, return {ret:?}");
        assert_eq!(r.0, ret.0, "indicator {id} numerator");
        if id != "22" && id != "23" {
            assert_eq!(r.1, ret.1, "indicator {id} denominator");
        }
    }
    assert!(
        figure(&from_record, "22").0 > 100.0,
        "a council of 40,000 has children in care"
    );
    let _ = std::fs::remove_dir_all(dir);
}
