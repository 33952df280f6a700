//! After the front door, on both backends: the child protection pathway with its timescales,
//! child in need plans with SMART actions, early help stepping down and up, closing episodes.

use chrono::{NaiveDate, NaiveDateTime};
use domain::access::Role;
use domain::child_in_need::{
    ActionProgress, EpisodeClosure, NewCinPlan, NewPlanAction, PlanReview,
};
use domain::child_protection::{
    ConferenceKind, NewConference, NewCoreGroup, NewStrategy, S47Completion,
};
use domain::early_help::EarlyHelpEnd;
use domain::front_door::{NewContact, NewDecision, Referral};
use domain::timescales::Rag;
use store::{Actor, AuditQuery, DynRepository, StoreError, WorkScope};
use uuid::Uuid;

use crate::{Fixture, child, conformance, date, user};

fn at(d: NaiveDate, h: u32) -> NaiveDateTime {
    d.and_hms_opt(h, 0, 0).unwrap()
}

/// A contact about `kid` on `on`, decided with `outcome`; the referrals it made.
async fn through_front_door(
    s: &DynRepository,
    actor: Actor,
    kid: Uuid,
    on: NaiveDate,
    outcome: &str,
) -> Vec<Referral> {
    let c = s
        .record_contact(
            actor,
            NewContact {
                received_at: at(on, 9),
                source: "6".into(),
                contact_name: "PC Example".into(),
                contact_agency: "Police".into(),
                reason: "Domestic abuse incident at the home; child present.".into(),
                consent: "not_sought".into(),
                children: vec![kid],
            },
        )
        .await
        .unwrap();
    s.decide_contact(
        actor,
        c.id,
        c.version,
        NewDecision {
            outcome: outcome.into(),
            decided_at: at(on, 15),
            direction: "As decided.".into(),
            rationale: "As assessed at the front door.".into(),
            quality: None,
            quality_comment: String::new(),
        },
    )
    .await
    .unwrap()
    .1
}

fn agencies() -> Vec<String> {
    vec!["social_care".into(), "police".into(), "health".into()]
}

conformance!(the_child_protection_pathway_keeps_its_timescales);
async fn the_child_protection_pathway_keeps_its_timescales(f: &Fixture) {
    let s = &f.store;
    let tm = Actor::user(user(s, "tm", Role::TeamManager).await.id);
    let kid = s
        .create_person(Actor::SYSTEM, child("Eli", "Ward", date(2019, 3, 3), "K1"))
        .await
        .unwrap();
    let refs = through_front_door(s, tm, kid.id, date(2025, 11, 3), "strategy").await;

    // A strategy discussion starts the section 47 enquiry; the initial conference is due 15
    // working days from it.
    let (strategy, s47) = s
        .record_strategy(
            tm,
            NewStrategy {
                referral_id: refs[0].id,
                held_on: date(2025, 11, 4),
                agencies: agencies(),
                s47: true,
                notes: "Threshold met for section 47.".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(strategy.agencies.len(), 3);
    let s47 = s47.expect("a section 47 enquiry");
    assert_eq!(s47.icpc_due, date(2025, 11, 25));
    let due = s
        .work_due(WorkScope::All, date(2025, 11, 26))
        .await
        .unwrap();
    let item = due
        .iter()
        .find(|i| i.what.starts_with("Section 47"))
        .unwrap();
    assert_eq!((item.due, item.rag), (date(2025, 11, 25), Rag::Red));

    // No initial conference without an enquiry that called for one.
    let icpc = NewConference {
        kind: ConferenceKind::Initial,
        held_on: date(2025, 11, 24),
        agencies: agencies(),
        plan: true,
        category: Some("EMO".into()),
        end_reason: String::new(),
    };
    assert!(matches!(
        s.record_conference(tm, kid.id, icpc.clone()).await,
        Err(StoreError::Invalid { field: "kind", .. })
    ));
    s.complete_s47(
        tm,
        s47.id,
        S47Completion {
            completed_on: date(2025, 11, 10),
            outcome: "icpc".into(),
        },
    )
    .await
    .unwrap();
    let due = s
        .work_due(WorkScope::All, date(2025, 11, 12))
        .await
        .unwrap();
    assert!(
        due.iter()
            .any(|i| i.what == "Initial child protection conference" && i.rag == Rag::Green)
    );
    let conf = s.record_conference(tm, kid.id, icpc.clone()).await.unwrap();
    assert_eq!(conf.due_on, date(2025, 11, 25));
    assert!(conf.plan_id.is_some());

    let rec = s.view_child_record(tm, kid.id, "test").await.unwrap();
    let plan = &rec.child_protection.cp_plans[0];
    assert_eq!(
        (plan.initial_category.as_str(), plan.repeat),
        ("EMO", false)
    );
    // First review 3 months after the initial conference; first core group within 10 working days.
    let due = s.work_due(WorkScope::All, date(2025, 12, 1)).await.unwrap();
    let review = due
        .iter()
        .find(|i| i.what == "Child protection review conference")
        .unwrap();
    assert_eq!(review.due, date(2026, 2, 24));
    let core = due.iter().find(|i| i.what == "First core group").unwrap();
    assert_eq!(core.due, date(2025, 12, 8));
    assert!(
        !due.iter().any(|i| i.what.contains("nitial")),
        "the initial conference is held"
    );

    s.record_core_group(
        tm,
        plan.id,
        NewCoreGroup {
            held_on: date(2025, 12, 5),
            agencies: agencies(),
            notes: "Safety plan agreed.".into(),
        },
    )
    .await
    .unwrap();
    let review1 = NewConference {
        kind: ConferenceKind::Review,
        held_on: date(2026, 2, 20),
        agencies: agencies(),
        plan: true,
        category: Some("NEG".into()),
        end_reason: String::new(),
    };
    s.record_conference(tm, kid.id, review1).await.unwrap();
    let due = s.work_due(WorkScope::All, date(2026, 3, 1)).await.unwrap();
    assert!(!due.iter().any(|i| i.what == "First core group"));
    assert_eq!(
        due.iter()
            .find(|i| i.what == "Child protection review conference")
            .unwrap()
            .due,
        date(2026, 8, 20)
    );

    // A review that ends the plan needs a reason; then the plan ends and nothing more is due.
    let mut end = NewConference {
        kind: ConferenceKind::Review,
        held_on: date(2026, 5, 1),
        agencies: agencies(),
        plan: false,
        category: None,
        end_reason: String::new(),
    };
    assert!(matches!(
        s.record_conference(tm, kid.id, end.clone()).await,
        Err(StoreError::Invalid {
            field: "end_reason",
            ..
        })
    ));
    end.end_reason = "Risks reduced: step down to a child in need plan.".into();
    s.record_conference(tm, kid.id, end).await.unwrap();
    let rec = s.view_child_record(tm, kid.id, "test").await.unwrap();
    let plan = &rec.child_protection.cp_plans[0];
    assert_eq!(
        (plan.ended_on, plan.latest_category.as_str()),
        (Some(date(2026, 5, 1)), "NEG")
    );
    assert!(
        s.work_due(WorkScope::All, date(2026, 5, 2))
            .await
            .unwrap()
            .is_empty()
    );
    for cat in [
        "Strategy discussion",
        "Section 47",
        "Conference",
        "Core group",
        "Child protection plan",
    ] {
        assert!(
            rec.chronology.iter().any(|e| e.category == cat),
            "{cat} missing from the chronology"
        );
    }

    // A second plan is a repeat plan.
    let refs2 = through_front_door(s, tm, kid.id, date(2026, 6, 1), "strategy").await;
    assert!(refs2[0].re_referral);
    let (_, s47b) = s
        .record_strategy(
            tm,
            NewStrategy {
                referral_id: refs2[0].id,
                held_on: date(2026, 6, 1),
                agencies: agencies(),
                s47: true,
                notes: "Again.".into(),
            },
        )
        .await
        .unwrap();
    s.complete_s47(
        tm,
        s47b.unwrap().id,
        S47Completion {
            completed_on: date(2026, 6, 5),
            outcome: "icpc".into(),
        },
    )
    .await
    .unwrap();
    s.record_conference(
        tm,
        kid.id,
        NewConference {
            held_on: date(2026, 6, 19),
            category: Some("PHY".into()),
            ..icpc
        },
    )
    .await
    .unwrap();
    let rec = s.view_child_record(tm, kid.id, "test").await.unwrap();
    assert!(rec.child_protection.cp_plans[0].repeat);

    // The report's extract holds the pathway.
    let x = s.extract().await.unwrap();
    assert_eq!(
        (
            x.contacts.len(),
            x.referrals.len(),
            x.s47s.len(),
            x.cp_plans.len()
        ),
        (2, 2, 2, 2)
    );
    assert_eq!(x.contacts[0].children, vec![kid.id]);
    let first = x.cp_plans.iter().find(|p| p.ended.is_some()).unwrap();
    assert_eq!(
        (first.initial_category.as_str(), first.reviews.len()),
        ("EMO", 2)
    );
    assert!(x.cp_plans.iter().any(|p| p.repeat));
    assert_eq!(x.s47s.iter().filter(|s| s.icpc.is_some()).count(), 2);
    let log = s
        .audit_entries(&AuditQuery {
            person_id: Some(kid.id),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let details: Vec<&str> = log.iter().map(|e| e.detail.as_str()).collect();
    for want in [
        "strategy discussion",
        "section 47 enquiry started",
        "section 47 enquiry completed",
        "initial child protection conference",
        "child protection plan started",
        "core group",
        "review child protection conference",
        "child protection plan ended",
    ] {
        assert!(details.contains(&want), "{want} missing from the audit log");
    }
    for sql in [
        "DELETE FROM cp_plan",
        "DELETE FROM conference",
        "DELETE FROM s47",
        "DELETE FROM strategy",
        "DELETE FROM core_group",
    ] {
        let err = f.raw_execute(sql).await.expect_err(sql);
        assert!(err.to_string().contains("never deleted"), "{sql}: {err}");
    }
}

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
    let plan = s
        .update_plan_action(
            sw,
            plan.actions[0].id,
            ActionProgress {
                status: "done".into(),
                progress: "Attendance 98% this half term.".into(),
            },
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
    s.end_cin_plan(sw, plan.id, date(2026, 1, 31))
        .await
        .unwrap();
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

conformance!(early_help_steps_down_from_the_front_door_and_up_to_it);
async fn early_help_steps_down_from_the_front_door_and_up_to_it(f: &Fixture) {
    let s = &f.store;
    let fd = Actor::user(user(s, "fd", Role::TeamManager).await.id);
    let kid = s
        .create_person(Actor::SYSTEM, child("Gus", "Lane", date(2017, 7, 7), "K3"))
        .await
        .unwrap();
    let refs = through_front_door(s, fd, kid.id, date(2025, 10, 6), "early_help").await;
    assert!(refs.is_empty(), "early help is not a referral");
    let rec = s.view_child_record(fd, kid.id, "test").await.unwrap();
    let eh = &rec.early_help[0];
    assert_eq!(
        (eh.origin.as_str(), eh.started_on),
        ("front_door", date(2025, 10, 6))
    );

    // Stepping up: the contact goes to the front door with the child already on it.
    let end = EarlyHelpEnd {
        ended_on: date(2026, 1, 12),
        reason: "step_up".into(),
        note: "Neglect worsening despite support.".into(),
    };
    let ended = s.end_early_help(fd, eh.id, end).await.unwrap();
    let contact = ended.step_up_contact.expect("a contact");
    let queue = s.front_door_queue().await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!((queue[0].id, queue[0].source.as_str()), (contact, "5D"));
    assert_eq!(queue[0].children[0].person_id, kid.id);
    assert!(matches!(
        s.end_early_help(
            fd,
            eh.id,
            EarlyHelpEnd {
                ended_on: date(2026, 1, 13),
                reason: "needs_met".into(),
                note: String::new()
            }
        )
        .await,
        Err(StoreError::Invalid { field: "ended", .. })
    ));
    let err = f
        .raw_execute("DELETE FROM early_help")
        .await
        .expect_err("delete");
    assert!(err.to_string().contains("never deleted"));
}
