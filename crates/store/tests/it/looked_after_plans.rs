//! Permanence plans (superseded, never overwritten) and PEPs with SMART targets, on both backends.

use chrono::{Duration, Local};
use domain::access::Role;
use domain::looked_after::education::{NewPep, NewPepTarget, TargetProgress};
use domain::looked_after::permanence::{NewPermanencePlan, current_plan};
use store::{Actor, StoreError};

use crate::looked_after_reviews::child_in_care;
use crate::{Fixture, conformance, date, user};

fn plan(code: &str, agreed_on: chrono::NaiveDate) -> NewPermanencePlan {
    NewPermanencePlan {
        plan: code.into(),
        agreed_on,
        target_on: Local::now().date_naive() + Duration::days(180),
        early_permanence: None,
        parallel_plan: None,
        rationale: "Agreed at the review.".into(),
    }
}

conformance!(a_new_permanence_plan_supersedes_the_last_which_stays);
async fn a_new_permanence_plan_supersedes_the_last_which_stays(f: &Fixture) {
    let s = &f.store;
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let kid = child_in_care(s).await;
    let first = s
        .record_permanence_plan(sw, kid, plan("return_to_family", date(2025, 2, 1)))
        .await
        .unwrap();
    assert!(!first.twin_track);
    let mut adoption = plan("adoption", date(2025, 4, 30));
    adoption.early_permanence = Some("foster_for_adoption".into());
    adoption.parallel_plan = Some("return_to_family".into());
    let second = s.record_permanence_plan(sw, kid, adoption).await.unwrap();
    assert!(second.twin_track);
    let plans = s.care_plans(kid).await.unwrap().permanence;
    assert_eq!(plans.len(), 2);
    assert_eq!(plans[0].id, first.id);
    assert_eq!(plans[0].plan, "return_to_family");
    assert_eq!(plans[0].superseded_on, Some(date(2025, 4, 30)));
    assert_eq!(plans[0].superseded_by, Some(second.id));
    assert_eq!(current_plan(&plans).unwrap().id, second.id);
    assert_eq!(
        f.raw_count("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'permanence_plan'")
            .await,
        3
    );

    // A target date in the past, and a plan agreed before the one in force: refused, nothing saved.
    let mut past = plan("long_term_fostering", date(2025, 5, 1));
    past.target_on = date(2025, 6, 1);
    assert!(matches!(
        s.record_permanence_plan(sw, kid, past).await,
        Err(StoreError::Invalid {
            field: "target",
            ..
        })
    ));
    assert!(matches!(
        s.record_permanence_plan(sw, kid, plan("long_term_fostering", date(2025, 3, 1)))
            .await,
        Err(StoreError::Invalid {
            field: "agreed",
            ..
        })
    ));
    assert_eq!(f.raw_count("SELECT COUNT(*) FROM permanence_plan").await, 2);
    assert!(f.raw_execute("DELETE FROM permanence_plan").await.is_err());
}

fn target(area: &str, by: chrono::NaiveDate) -> NewPepTarget {
    NewPepTarget {
        area: area.into(),
        target: format!("Improve {area}"),
        by_when: Some(by),
    }
}

conformance!(peps_with_targets_reviewed_at_the_next_pep);
async fn peps_with_targets_reviewed_at_the_next_pep(f: &Fixture) {
    let s = &f.store;
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let kid = child_in_care(s).await;
    let first = s
        .record_pep(
            sw,
            kid,
            NewPep {
                reviewed_on: date(2025, 1, 15),
                achievements: "Settled into the new school.".into(),
                targets: vec![
                    target("reading", date(2025, 4, 1)),
                    target("attendance", date(2025, 4, 1)),
                ],
                progress: vec![],
                signed_off_by: Some("Virtual school head".into()),
                signed_off_on: Some(date(2025, 1, 20)),
            },
        )
        .await
        .unwrap();
    assert_eq!(first.targets.len(), 2);
    assert_eq!(first.signed_off_on, Some(date(2025, 1, 20)));
    let reading = first
        .targets
        .iter()
        .find(|t| t.area == "reading")
        .unwrap()
        .id;
    let second = s
        .record_pep(
            sw,
            kid,
            NewPep {
                reviewed_on: date(2025, 3, 20),
                achievements: String::new(),
                targets: vec![target("maths", date(2025, 7, 1))],
                progress: vec![TargetProgress {
                    target_id: reading,
                    progress: "Reads every night with her carer.".into(),
                    achieved: true,
                }],
                signed_off_by: None,
                signed_off_on: None,
            },
        )
        .await
        .unwrap();
    let peps = s.care_plans(kid).await.unwrap().peps;
    assert_eq!(peps.len(), 2);
    let t = peps[0].targets.iter().find(|t| t.id == reading).unwrap();
    assert_eq!(t.reviewed_at, Some(second.id));
    assert_eq!(t.achieved, Some(true));
    // The 903 and the metrics read the same rows.
    let rec = s.view_child_record(sw, kid, "test").await.unwrap();
    assert_eq!(rec.looked_after.peps.len(), 2);

    // Before care started; a target missing its parts; progress on a target already reviewed.
    let bad = |reviewed_on, targets: Vec<NewPepTarget>, progress| NewPep {
        reviewed_on,
        achievements: String::new(),
        targets,
        progress,
        signed_off_by: None,
        signed_off_on: None,
    };
    assert!(matches!(
        s.record_pep(
            sw,
            kid,
            bad(
                date(2025, 1, 3),
                vec![target("reading", date(2025, 4, 1))],
                vec![]
            )
        )
        .await,
        Err(StoreError::Invalid {
            field: "reviewed",
            ..
        })
    ));
    let mut missing = target("", date(2025, 9, 1));
    missing.by_when = None;
    assert!(matches!(
        s.record_pep(sw, kid, bad(date(2025, 6, 1), vec![missing], vec![]))
            .await,
        Err(StoreError::Invalid {
            field: "targets",
            ..
        })
    ));
    let again = TargetProgress {
        target_id: reading,
        progress: "Still reading.".into(),
        achieved: true,
    };
    assert!(matches!(
        s.record_pep(
            sw,
            kid,
            bad(
                date(2025, 6, 1),
                vec![target("maths", date(2025, 9, 1))],
                vec![again]
            )
        )
        .await,
        Err(StoreError::Invalid {
            field: "progress",
            ..
        })
    ));
    assert_eq!(f.raw_count("SELECT COUNT(*) FROM pep_review").await, 2);
    assert_eq!(f.raw_count("SELECT COUNT(*) FROM pep_target").await, 3);
    assert!(f.raw_execute("DELETE FROM pep_target").await.is_err());
}
