//! Single assessments, on both backends: their due dates, completion and authorisation, and the
//! work lists that show them.

use domain::access::Role;
use domain::assessment::{AssessmentCompletion, AssessmentFramework};
use domain::timescales::Rag;
use store::{Actor, AuditQuery, NewWorker, StoreError, WorkScope};
use uuid::Uuid;

use crate::front_door::{at, contact, decision};
use crate::{Fixture, child, conformance, date, user};

conformance!(assessments_are_due_in_45_working_days_and_show_on_the_work_lists);
async fn assessments_are_due_in_45_working_days_and_show_on_the_work_lists(f: &Fixture) {
    let s = &f.store;
    let tm_user = user(s, "tm2", Role::TeamManager).await;
    let tm = Actor::user(tm_user.id);
    let team = s
        .create_team(Actor::SYSTEM, "Assessment team 1")
        .await
        .unwrap();
    let w = s
        .create_worker(
            Actor::SYSTEM,
            NewWorker {
                name: "Sam Worker".into(),
                team_id: Some(team.id),
                role_title: "Social worker".into(),
                agency: false,
                started: date(2020, 1, 1),
            },
        )
        .await
        .unwrap();
    let kid = s
        .create_person(Actor::SYSTEM, child("Cal", "Moor", date(2020, 1, 1), "J3"))
        .await
        .unwrap();
    s.allocate(tm, kid.id, w.id, date(2025, 11, 3))
        .await
        .unwrap();
    let c = s
        .record_contact(tm, contact(vec![kid.id], at(date(2025, 11, 3), 10)))
        .await
        .unwrap();
    let (_, refs) = s
        .decide_contact(
            tm,
            c.id,
            c.version,
            decision("referral", at(date(2025, 11, 3), 16)),
        )
        .await
        .unwrap();

    let a = s
        .start_assessment(tm, refs[0].id, date(2025, 11, 4))
        .await
        .unwrap();
    // 45 working days from 3 November 2025, across Christmas and New Year: 8 January 2026.
    assert_eq!(a.due_on, date(2026, 1, 8));
    // Its child, for the access checks on its own routes; an unknown id is not found.
    assert_eq!(
        s.case_record_child(store::CaseRecord::Assessment, a.id)
            .await
            .unwrap(),
        a.child_id
    );
    assert!(matches!(
        s.case_record_child(store::CaseRecord::Assessment, uuid::Uuid::now_v7())
            .await,
        Err(store::StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.start_assessment(tm, refs[0].id, date(2025, 11, 5)).await,
        Err(StoreError::Invalid {
            field: "referral_id",
            ..
        })
    ));

    let mine = s
        .work_due(WorkScope::Worker(w.id), date(2026, 1, 8))
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].what, "Assessment");
    assert_eq!(mine[0].rag, Rag::Amber);
    assert_eq!(mine[0].worker_name.as_deref(), Some("Sam Worker"));
    assert_eq!(
        s.work_due(WorkScope::Worker(w.id), date(2026, 1, 12))
            .await
            .unwrap()[0]
            .rag,
        Rag::Red
    );
    assert_eq!(
        s.work_due(WorkScope::Team(team.id), date(2025, 12, 1))
            .await
            .unwrap()[0]
            .rag,
        Rag::Green
    );
    assert!(
        s.work_due(WorkScope::Worker(Uuid::now_v7()), date(2026, 1, 9))
            .await
            .unwrap()
            .is_empty()
    );

    // Written as a draft first, by the framework: half written is kept, at its version.
    let half = AssessmentFramework {
        developmental_needs: "Cal's speech is delayed; not yet seen by health visitor.".into(),
        child_views: "Cal pointed to his bedroom and said 'cold'.".into(),
        ..Default::default()
    };
    let drafted = s
        .save_assessment_draft(tm, a.id, a.version, half.clone(), "Early view".into())
        .await
        .unwrap();
    assert_eq!(drafted.framework, half);
    assert_eq!(drafted.summary, "Early view");
    assert!(drafted.draft_saved_at.is_some());
    assert_eq!(drafted.completed_on, None);
    assert!(matches!(
        s.save_assessment_draft(tm, a.id, a.version, half.clone(), String::new())
            .await,
        Err(StoreError::Conflict { .. })
    ));
    let a = s.get_assessment(a.id).await.unwrap();
    assert_eq!(a.framework, half, "the draft is read back");
    // Completing needs every section of the framework.
    let mut done = AssessmentCompletion {
        completed_on: date(2026, 1, 8),
        factors: vec!["16A".into(), "4B".into()],
        outcome: "cin_plan".into(),
        summary: "Neglect of basic care; parents engaging.".into(),
        framework: half.clone(),
    };
    assert!(matches!(
        s.complete_assessment(tm, a.id, a.version, done.clone())
            .await,
        Err(StoreError::Invalid {
            field: "parenting_capacity",
            ..
        })
    ));
    done.framework = AssessmentFramework {
        parenting_capacity: "Mother meets basic care inconsistently.".into(),
        family_environment: "Damp two-bedroom flat; rent arrears.".into(),
        parents_views: "Mother agrees help is needed with housing.".into(),
        analysis: "Needs met only in part; a plan will address warmth and housing.".into(),
        ..half.clone()
    };
    // Completing needs valid factors; a refusal saves nothing.
    done.factors = vec!["21".into(), "16A".into()];
    assert!(matches!(
        s.complete_assessment(tm, a.id, a.version, done.clone())
            .await,
        Err(StoreError::Invalid {
            field: "factors",
            ..
        })
    ));
    assert_eq!(s.get_assessment(a.id).await.unwrap().completed_on, None);
    done.factors = vec!["16A".into(), "4B".into()];
    let a2 = s
        .complete_assessment(tm, a.id, a.version, done.clone())
        .await
        .unwrap();
    assert_eq!(a2.completed_on, Some(date(2026, 1, 8)));
    assert_eq!(
        a2.framework.family_environment,
        "Damp two-bedroom flat; rent arrears."
    );
    let due = s.work_due(WorkScope::All, date(2026, 1, 9)).await.unwrap();
    assert_eq!(due[0].what, "Assessment authorisation");
    // A completed assessment is not written over: its manager returns it with what to change.
    assert!(matches!(
        s.save_assessment_draft(tm, a.id, a2.version, half.clone(), String::new())
            .await,
        Err(StoreError::Invalid { .. })
    ));
    assert!(matches!(
        s.return_assessment(tm, a.id, a2.version, "  ".into()).await,
        Err(StoreError::Invalid {
            field: "comment",
            ..
        })
    ));
    let back = s
        .return_assessment(
            tm,
            a.id,
            a2.version,
            "Say what Cal's nursery reports about his speech.".into(),
        )
        .await
        .unwrap();
    assert_eq!(back.completed_on, None, "in progress again");
    assert_eq!(back.framework, a2.framework, "written as it was");
    assert_eq!(back.returns.len(), 1);
    assert_eq!(back.returns[0].completed_on, date(2026, 1, 8));
    assert_eq!(back.returns[0].returned_by.as_deref(), Some("tm2 (test)"));
    assert!(back.returns[0].comment.contains("nursery"));
    // Back on the worker's list as an assessment to finish.
    let mine = s
        .work_due(WorkScope::Worker(w.id), date(2026, 1, 9))
        .await
        .unwrap();
    assert_eq!(mine[0].what, "Assessment");
    // Authorising needs it completed again, and the manager's comment.
    assert!(matches!(
        s.authorise_assessment(tm, a.id, back.version, date(2026, 1, 9), "Good".into())
            .await,
        Err(StoreError::Invalid { .. })
    ));
    done.framework.developmental_needs += " Nursery reports few words at 5.";
    let a2 = s
        .complete_assessment(tm, a.id, back.version, done)
        .await
        .unwrap();
    assert!(matches!(
        s.authorise_assessment(tm, a.id, a2.version, date(2026, 1, 9), String::new())
            .await,
        Err(StoreError::Invalid {
            field: "comment",
            ..
        })
    ));
    let a3 = s
        .authorise_assessment(
            tm,
            a.id,
            a2.version,
            date(2026, 1, 9),
            "Analysis supports a plan.".into(),
        )
        .await
        .unwrap();
    assert_eq!(a3.authorised_by.as_deref(), Some("tm2 (test)"));
    assert_eq!(a3.authorised_comment, "Analysis supports a plan.");
    assert_eq!(a3.returns.len(), 1, "the return stays on the record");
    // The child's record carries the same.
    let rec = s
        .view_child_record(tm, kid.id, "assessment test")
        .await
        .unwrap();
    assert_eq!(rec.assessments[0].returns.len(), 1);
    assert!(
        rec.assessments[0]
            .framework
            .developmental_needs
            .contains("Nursery")
    );
    assert!(
        s.work_due(WorkScope::All, date(2026, 1, 9))
            .await
            .unwrap()
            .is_empty()
    );

    let log = s
        .audit_entries(&AuditQuery {
            person_id: Some(kid.id),
            ..Default::default()
        })
        .await
        .unwrap();
    let details: Vec<&str> = log.iter().map(|e| e.detail.as_str()).collect();
    for want in [
        "assessment started",
        "assessment draft saved",
        "assessment returned to the worker",
        "assessment completed",
        "assessment authorised",
    ] {
        assert!(details.contains(&want), "{want} missing from {details:?}");
    }
    let err = f
        .raw_execute("DELETE FROM assessment")
        .await
        .expect_err("delete");
    assert!(err.to_string().contains("never deleted"));
}
