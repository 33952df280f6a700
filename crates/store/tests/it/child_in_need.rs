//! Children in need, on both backends: plans with SMART actions and reviews, and closing
//! episodes with a reason.

use chrono::NaiveDate;
use domain::access::Role;
use domain::child_in_need::{
    ActionProgress, EpisodeClosure, NewCinPlan, NewPlanAction, PlanReview,
};
use domain::timescales::Rag;
use store::{Actor, StoreError, WorkScope};

use crate::{Fixture, child, conformance, date, through_front_door, user};

conformance!(child_in_need_plans_have_smart_actions_and_episodes_close_with_a_reason);
async fn child_in_need_plans_have_smart_actions_and_episodes_close_with_a_reason(f: &Fixture) {
    let s = &f.store;
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let kid = s
        .create_person(Actor::SYSTEM, child("Fay", "Holt", date(2015, 5, 5), "K2"))
        .await
        .unwrap();
    let refs = through_front_door(s, sw, kid.id, date(2025, 9, 1), "referral").await;
    let plan = s
        .start_cin_plan(
            sw,
            NewCinPlan {
                referral_id: refs[0].id,
                started_on: date(2025, 10, 20),
                primary_need: "N4".into(),
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        s.start_cin_plan(
            sw,
            NewCinPlan {
                referral_id: refs[0].id,
                started_on: date(2025, 10, 21),
                primary_need: "N4".into()
            }
        )
        .await,
        Err(StoreError::Invalid {
            field: "started",
            ..
        })
    ));
    // An action without an owner is not SMART: refused.
    let mut action = NewPlanAction {
        need: "Fay attends school every day".into(),
        action: "Walk Fay to school".into(),
        owner: String::new(),
        due_on: date(2025, 12, 1),
    };
    assert!(matches!(
        s.add_plan_action(sw, plan.id, action.clone()).await,
        Err(StoreError::Invalid { field: "owner", .. })
    ));
    action.owner = "Mum, with the family support worker".into();
    let plan = s.add_plan_action(sw, plan.id, action).await.unwrap();
    assert_eq!(plan.actions.len(), 1);
    let due = s.work_due(WorkScope::All, date(2025, 12, 2)).await.unwrap();
    assert_eq!(due.len(), 1);
    assert!(due[0].what.starts_with("Plan action: Walk Fay"));
    assert_eq!(due[0].rag, Rag::Red);
    let progress = |status: &str, progress: &str| ActionProgress {
        status: status.into(),
        progress: progress.into(),
    };
    let first = plan.actions[0].version;
    let plan = s
        .update_plan_action(
            sw,
            plan.actions[0].id,
            first,
            progress("in_progress", "Walked to school three days this week."),
        )
        .await
        .unwrap();
    assert_eq!(plan.actions[0].version, first + 1);
    // A second worker's page, opened before that progress, does not write over it.
    let stale = s
        .update_plan_action(sw, plan.actions[0].id, first, progress("done", "Started."))
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { expected, actual }) if expected == first && actual == first + 1),
        "{stale:?}"
    );
    let rec = s.view_child_record(sw, kid.id, "test").await.unwrap();
    assert_eq!(
        rec.cin_plans[0].actions[0].progress,
        "Walked to school three days this week."
    );
    let plan = s
        .update_plan_action(
            sw,
            plan.actions[0].id,
            first + 1,
            progress("done", "Attendance 98% this half term."),
        )
        .await
        .unwrap();
    assert_eq!(plan.actions_overdue(date(2025, 12, 2)), 0);
    assert!(
        s.work_due(WorkScope::All, date(2025, 12, 2))
            .await
            .unwrap()
            .is_empty()
    );
    // Visits to a child on a child in need plan: every 20 working days by default, from the
    // start of the plan, then from the last visit at which the child was seen.
    let standards = domain::work::VisitStandards::default();
    let v = s
        .visits_due(WorkScope::All, date(2025, 11, 1), standards)
        .await
        .unwrap();
    assert_eq!(
        (v.len(), v[0].what.as_str(), v[0].due),
        (1, "Visit (child in need plan)", date(2025, 11, 17))
    );
    let visit = |on: NaiveDate, seen: bool| domain::case_notes::NewNote {
        kind: domain::case_notes::NoteKind::Visit,
        date: on,
        child_seen: Some(seen),
        seen_alone: if seen { Some(true) } else { None },
        childs_words: if seen {
            "I like my new school.".into()
        } else {
            String::new()
        },
        observation: String::new(),
        text: "Home visit.".into(),
        decision: String::new(),
        rationale: String::new(),
    };
    s.add_note(sw, kid.id, visit(date(2025, 11, 10), true))
        .await
        .unwrap();
    s.add_note(sw, kid.id, visit(date(2025, 11, 20), false))
        .await
        .unwrap();
    let v = s
        .visits_due(WorkScope::All, date(2025, 11, 21), standards)
        .await
        .unwrap();
    assert_eq!(
        v[0].due,
        date(2025, 12, 8),
        "a visit where the child was not seen does not count"
    );
    let tight = domain::work::VisitStandards {
        cp_working_days: 5,
        cin_working_days: 5,
        ..Default::default()
    };
    assert_eq!(
        s.visits_due(WorkScope::All, date(2025, 11, 21), tight)
            .await
            .unwrap()[0]
            .due,
        date(2025, 11, 17)
    );
    s.review_cin_plan(
        sw,
        plan.id,
        PlanReview {
            held_on: date(2026, 1, 20),
            summary: "Good progress".into(),
        },
    )
    .await
    .unwrap();

    // The episode cannot close while the plan is open.
    let closure = EpisodeClosure {
        closed_on: date(2026, 2, 1),
        reason: "RC7".into(),
    };
    assert!(matches!(
        s.close_referral(sw, refs[0].id, closure.clone()).await,
        Err(StoreError::Invalid {
            field: "closed",
            ..
        })
    ));
    // Ending a plan needs the reason it ends, kept on the plan.
    assert!(matches!(
        s.end_cin_plan(sw, plan.id, date(2026, 1, 31), " ".into())
            .await,
        Err(StoreError::Invalid {
            field: "reason",
            ..
        })
    ));
    let ended = s
        .end_cin_plan(
            sw,
            plan.id,
            date(2026, 1, 31),
            "Needs met: school attendance 96%.".into(),
        )
        .await
        .unwrap();
    assert_eq!(ended.ended_on, Some(date(2026, 1, 31)));
    assert_eq!(ended.end_reason, "Needs met: school attendance 96%.");
    let r = s.close_referral(sw, refs[0].id, closure).await.unwrap();
    assert!(
        s.visits_due(WorkScope::All, date(2026, 2, 2), standards)
            .await
            .unwrap()
            .is_empty(),
        "no plan, no visits due"
    );
    assert_eq!(
        (r.closed_on, r.closure_reason.as_deref()),
        (Some(date(2026, 2, 1)), Some("RC7"))
    );
    let rec = s.view_child_record(sw, kid.id, "test").await.unwrap();
    assert_eq!(
        rec.front_door.referrals[0].closure_reason.as_deref(),
        Some("RC7")
    );
    assert!(
        rec.chronology
            .iter()
            .any(|e| e.summary == "Plan reviewed: Good progress")
    );
    let err = f
        .raw_execute("DELETE FROM plan_action")
        .await
        .expect_err("delete");
    assert!(err.to_string().contains("never deleted"));
}
