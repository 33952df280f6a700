//! A generated council loads into the store in one go, and reads back through the repository.

use chrono::NaiveDate;
use store::{AuditQuery, WorkScope};
use synth::{Spec, generate, load};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_council_loads_into_sqlite_and_its_workers_have_work_due() {
    let as_at = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let council = generate(&Spec::demo(3_000, as_at));
    let dir =
        std::env::temp_dir().join(format!("hearth-synth-it-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = store::open(dir.join("t.db").to_str().unwrap())
        .await
        .unwrap();
    let counts = load(&council, store.as_ref()).await.unwrap();
    assert_eq!(counts.people as usize, council.record.people.len());
    assert_eq!(counts.referrals as usize, council.record.referrals.len());
    assert_eq!(
        store.count_people().await.unwrap() as usize,
        council.record.people.len()
    );
    let audit = store
        .audit_entries(&AuditQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1, "one audit entry for the whole load");
    assert_eq!(audit[0].entity_type, "synthetic_council");

    // The demo worker's caseload has work due: an assessment, a conference or core group, and a
    // plan action.
    let (worker, manager) = council.demo_workers();
    let due = store
        .work_due(WorkScope::Worker(worker.unwrap()), as_at)
        .await
        .unwrap();
    assert!(!due.is_empty());
    let team = council
        .record
        .workers
        .iter()
        .find(|w| Some(w.id) == manager)
        .unwrap()
        .team_id
        .unwrap();
    let team_due = store.work_due(WorkScope::Team(team), as_at).await.unwrap();
    assert!(team_due.len() >= due.len());
    // A child with a plan reads back whole.
    let plan = council
        .record
        .cp_plans
        .iter()
        .find(|p| p.ended_on.is_none())
        .unwrap();
    let rec = store
        .view_child_record(store::Actor::SYSTEM, plan.child_id, "test")
        .await
        .unwrap();
    assert!(!rec.child_protection.cp_plans.is_empty());
    assert!(!rec.front_door.referrals.is_empty());
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The demo council's record holds what the 903 needs (previous permanence, adoption decisions
/// and matches, placements with parents at home): the return Hearth exports from it has no
/// errors, on a 20,000-child council.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_903_exported_from_a_loaded_council_has_no_errors() {
    let as_at = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let council = generate(&Spec::demo(20_000, as_at));
    assert!(
        !council.record.cla_adoption.is_empty()
            && !council.record.cla_previous_permanence.is_empty()
    );
    let dir = std::env::temp_dir().join(format!(
        "hearth-synth-903-{}",
        uuid::Uuid::now_v7().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let store = store::open(dir.join("t.db").to_str().unwrap())
        .await
        .unwrap();
    load(&council, store.as_ref()).await.unwrap();
    let x = store.looked_after_export(2026).await.unwrap();
    let (ret, summary) = returns::ssda903::from_record::from_record(&x);
    assert!(summary.children > 200, "{} children", summary.children);
    for t in [
        returns::ssda903::Table::Ad1,
        returns::ssda903::Table::PlacedAdoption,
        returns::ssda903::Table::PrevPerm,
    ] {
        assert!(!ret.rows(t).is_empty(), "{} is empty", t.name());
    }
    let v = returns::ssda903::validate(&ret, 2026);
    let errors: Vec<String> = v
        .findings
        .iter()
        .filter(|f| f.severity == returns::findings::Severity::Error)
        .map(|f| format!("{} {:?} {}", f.rule_code, f.child, f.message))
        .collect();
    assert!(
        errors.is_empty(),
        "{} errors: {:?}",
        errors.len(),
        &errors[..errors.len().min(10)]
    );

    // The care leavers' OC3 rows come from keeping in touch and the dated activity and
    // accommodation: what the generated record says on each birthday, row for row.
    let today = domain::calendar::uk_now().date();
    let mut exported: Vec<_> = x.care_leavers.clone();
    let mut expected: Vec<_> = council
        .record
        .care_leaver_years(today)
        .into_iter()
        .filter(|l| l.year == 2026)
        .collect();
    exported.sort_by_key(|l| l.child_id);
    expected.sort_by_key(|l| l.child_id);
    assert!(exported.len() > 50, "{} care leavers", exported.len());
    assert_eq!(exported, expected);
    assert_eq!(ret.rows(returns::ssda903::Table::Oc3).len(), exported.len());
    assert!(
        exported
            .iter()
            .any(|l| l.accommodation.as_deref() == Some("Z1")),
        "staying put"
    );
    // Indicators 37 to 40 from the record agree with the same indicators from the exported
    // return, with the same care leavers behind each figure's count.
    let from_record = metrics::events::Events::from_record(&store.extract().await.unwrap());
    let mut from_return = metrics::events::Events::default();
    from_return.add_903(&ret, NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
    let year = metrics::compute::Period::new(
        NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
    );
    let ctx = metrics::compute::Context::default();
    for id in ["37", "38", "39", "40"] {
        let ind = metrics::catalogue::find(id).unwrap();
        let a = metrics::compute::compute(ind, &from_record, year, &ctx);
        let b = metrics::compute::compute(ind, &from_return, year, &ctx);
        let (Some(a), Some(b)) = (figure(&a), figure(&b)) else {
            panic!("indicator {id}: {a:?} / {b:?}");
        };
        assert_eq!(
            (a.numerator, a.denominator),
            (b.numerator, b.denominator),
            "indicator {id}"
        );
        assert!(a.denominator > 10.0, "indicator {id}: {a:?}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

fn figure(o: &metrics::compute::Outcome) -> Option<&metrics::compute::Figure> {
    match o {
        metrics::compute::Outcome::Value(f) => Some(f),
        metrics::compute::Outcome::Unavailable(_) => None,
    }
}
