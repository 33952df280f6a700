//! The front door and the journey, on both backends: contacts about several children, the
//! decision with its direction, referrals and re-referrals, assessments and their due dates,
//! visits and oversight, the work due, and the audit entries of all of them.

use chrono::{NaiveDate, NaiveDateTime};
use domain::access::{AuditAction, Role};
use domain::assessment::AssessmentCompletion;
use domain::case_notes::{NewNote, NoteKind};
use domain::front_door::{NewContact, NewDecision, NewPartnerCheck};
use domain::timescales::Rag;
use store::{Actor, AuditQuery, NewWorker, StoreError, WorkScope};
use uuid::Uuid;

use crate::{Fixture, child, conformance, date, user};

fn at(d: NaiveDate, h: u32) -> NaiveDateTime {
    d.and_hms_opt(h, 15, 0).unwrap()
}

fn contact(children: Vec<Uuid>, received: NaiveDateTime) -> NewContact {
    NewContact {
        received_at: received,
        source: "2A".into(),
        contact_name: "Ms Head".into(),
        contact_agency: "Oak Primary School".into(),
        reason: "Both children arrived hungry and said there was no food at home.".into(),
        consent: "given".into(),
        children,
    }
}

fn decision(outcome: &str, at_: NaiveDateTime) -> NewDecision {
    NewDecision {
        outcome: outcome.into(),
        decided_at: at_,
        direction: "Allocate to the assessment team today.".into(),
        rationale: "Repeated concerns about neglect from school.".into(),
        quality: Some("good".into()),
        quality_comment: "Clear and specific".into(),
    }
}

conformance!(a_contact_about_siblings_becomes_referrals_with_re_referrals_flagged);
async fn a_contact_about_siblings_becomes_referrals_with_re_referrals_flagged(f: &Fixture) {
    let s = &f.store;
    let fd = user(s, "fd1", Role::FrontDoor).await;
    let tm = user(s, "tm1", Role::TeamManager).await;
    let (fd, tm) = (Actor::user(fd.id), Actor::user(tm.id));
    let amy = s
        .create_person(Actor::SYSTEM, child("Amy", "Stone", date(2016, 4, 1), "J1"))
        .await
        .unwrap();
    let ben = s
        .create_person(Actor::SYSTEM, child("Ben", "Stone", date(2019, 9, 9), "J2"))
        .await
        .unwrap();

    // Amy was referred in June 2025; Ben never was.
    let first = s
        .record_contact(fd, contact(vec![amy.id], at(date(2025, 6, 2), 9)))
        .await
        .unwrap();
    let (_, refs) = s
        .decide_contact(
            tm,
            first.id,
            first.version,
            decision("referral", at(date(2025, 6, 2), 15)),
        )
        .await
        .unwrap();
    assert_eq!(refs.len(), 1);
    assert!(!refs[0].re_referral);

    // A contact on Christmas Eve about both children: the decision is due after the holidays.
    let c = s
        .record_contact(
            fd,
            contact(vec![amy.id, ben.id], at(date(2025, 12, 24), 16)),
        )
        .await
        .unwrap();
    assert_eq!(c.decision_due, date(2025, 12, 29));
    assert_eq!(c.children.len(), 2);
    assert_eq!(c.recorded_by.as_deref(), Some("fd1 (test)"));
    let queue = s.front_door_queue().await.unwrap();
    assert_eq!(queue.iter().map(|q| q.id).collect::<Vec<_>>(), [c.id]);

    let check = s
        .add_partner_check(
            fd,
            c.id,
            NewPartnerCheck {
                agency: "police".into(),
                requested_on: date(2025, 12, 24),
                received_on: Some(date(2025, 12, 29)),
                summary: "No police contact with the household.".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(check.agency, "police");

    // No direction: refused, nothing saved.
    let mut bad = decision("referral", at(date(2025, 12, 29), 11));
    bad.direction = " ".into();
    match s.decide_contact(tm, c.id, c.version, bad).await {
        Err(StoreError::Invalid {
            field: "direction", ..
        }) => {}
        other => panic!("expected a refusal naming the direction, got {other:?}"),
    }
    assert_eq!(
        s.front_door_queue().await.unwrap().len(),
        1,
        "still waiting for a decision"
    );

    let (decided, refs) = s
        .decide_contact(
            tm,
            c.id,
            c.version,
            decision("referral", at(date(2025, 12, 29), 11)),
        )
        .await
        .unwrap();
    let d = decided.decision.as_ref().unwrap();
    assert!(d.within_timescale);
    assert_eq!(d.decided_by.as_deref(), Some("tm1 (test)"));
    assert_eq!(refs.len(), 2);
    let amy_ref = refs.iter().find(|r| r.child_id == amy.id).unwrap();
    let ben_ref = refs.iter().find(|r| r.child_id == ben.id).unwrap();
    assert!(amy_ref.re_referral, "Amy was referred 7 months before");
    assert_eq!(amy_ref.previous_referral, Some(date(2025, 6, 2)));
    assert!(!ben_ref.re_referral);
    assert_eq!(amy_ref.referral_date, date(2025, 12, 24));
    assert!(s.front_door_queue().await.unwrap().is_empty());

    // Deciding twice is refused.
    assert!(matches!(
        s.decide_contact(
            tm,
            c.id,
            decided.version,
            decision("nfa", at(date(2025, 12, 30), 9))
        )
        .await,
        Err(StoreError::Invalid {
            field: "outcome",
            ..
        })
    ));
    // A stale version is a conflict.
    let c2 = s
        .record_contact(fd, contact(vec![ben.id], at(date(2026, 1, 5), 9)))
        .await
        .unwrap();
    assert!(matches!(
        s.decide_contact(
            tm,
            c2.id,
            c2.version + 1,
            decision("nfa", at(date(2026, 1, 5), 12))
        )
        .await,
        Err(StoreError::Conflict { .. })
    ));

    // The child's record holds the journey, and the chronology tells it.
    let rec = s.view_child_record(tm, amy.id, "test").await.unwrap();
    assert_eq!(rec.front_door.contacts.len(), 2);
    assert_eq!(rec.front_door.referrals.len(), 2);
    assert!(rec.front_door.referrals[0].re_referral);
    let cats: Vec<&str> = rec.chronology.iter().map(|e| e.category.as_str()).collect();
    for want in ["Contact", "Front-door decision", "Referral"] {
        assert!(cats.contains(&want), "{want} missing from {cats:?}");
    }
    assert!(
        rec.chronology
            .iter()
            .any(|e| e.summary.contains("also about Ben Stone"))
    );
    assert!(rec.chronology.iter().any(|e| {
        e.summary
            .starts_with("Re-referral (previous referral 2 June 2025)")
    }));

    // Audit: the contact, the check, the decision and the referral are on each child's log.
    let log = s
        .audit_entries(&AuditQuery {
            person_id: Some(ben.id),
            ..Default::default()
        })
        .await
        .unwrap();
    let kinds: Vec<(&str, AuditAction)> = log
        .iter()
        .map(|e| (e.entity_type.as_str(), e.action))
        .collect();
    for want in [
        ("contact", AuditAction::Create),
        ("partner_check", AuditAction::Create),
        ("contact", AuditAction::Update),
        ("referral", AuditAction::Create),
    ] {
        assert!(kinds.contains(&want), "{want:?} missing from {kinds:?}");
    }
    // Viewing a contact writes an access entry for each child in it.
    s.view_contact(tm, c.id, "GET /contacts").await.unwrap();
    let views = s
        .audit_entries(&AuditQuery {
            action: Some(AuditAction::View),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.entity_type == "contact" && e.entity_id == Some(c.id))
        .count();
    assert_eq!(views, 2);

    // Referral quality by source, for feedback to partner agencies.
    let q = s
        .referral_quality(date(2025, 1, 1), date(2025, 12, 31))
        .await
        .unwrap();
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(
        (q[0].source.as_str(), q[0].quality.as_deref(), q[0].count),
        ("2A", Some("good"), 2)
    );
    assert!(
        s.referral_quality(date(2026, 1, 1), date(2026, 1, 31))
            .await
            .unwrap()
            .is_empty()
    );

    // Bad contacts are refused whole.
    let mut bad = contact(vec![], at(date(2026, 1, 6), 9));
    bad.source = "99".into();
    assert!(matches!(
        s.record_contact(fd, bad).await,
        Err(StoreError::Invalid {
            field: "source",
            ..
        })
    ));
    let adult = s
        .create_person(Actor::SYSTEM, crate::adult("Carol", "Stone"))
        .await
        .unwrap();
    assert!(matches!(
        s.record_contact(fd, contact(vec![ben.id, adult.id], at(date(2026, 1, 6), 9)))
            .await,
        Err(StoreError::Invalid {
            field: "children",
            ..
        })
    ));
    assert_eq!(
        s.front_door_queue().await.unwrap().len(),
        1,
        "only c2 waits"
    );

    for sql in [
        "DELETE FROM contact",
        "DELETE FROM referral",
        "DELETE FROM contact_child",
    ] {
        let err = f.raw_execute(sql).await.expect_err(sql);
        assert!(err.to_string().contains("never deleted"), "{sql}: {err}");
    }
}

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

    // Completing needs valid factors; a refusal saves nothing.
    let mut done = AssessmentCompletion {
        completed_on: date(2026, 1, 8),
        factors: vec!["21".into(), "16A".into()],
        outcome: "cin_plan".into(),
        summary: "Neglect of basic care; parents engaging.".into(),
    };
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
        .complete_assessment(tm, a.id, a.version, done)
        .await
        .unwrap();
    assert_eq!(a2.completed_on, Some(date(2026, 1, 8)));
    let due = s.work_due(WorkScope::All, date(2026, 1, 9)).await.unwrap();
    assert_eq!(due[0].what, "Assessment authorisation");
    let a3 = s
        .authorise_assessment(tm, a.id, a2.version, date(2026, 1, 9))
        .await
        .unwrap();
    assert_eq!(a3.authorised_by.as_deref(), Some("tm2 (test)"));
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

conformance!(visits_keep_the_childs_voice_and_oversight_its_rationale);
async fn visits_keep_the_childs_voice_and_oversight_its_rationale(f: &Fixture) {
    let s = &f.store;
    let sw = Actor::user(user(s, "sw3", Role::SocialWorker).await.id);
    let baby = s
        .create_person(Actor::SYSTEM, child("Dee", "Fen", date(2025, 8, 1), "J4"))
        .await
        .unwrap();
    let visit = NewNote {
        kind: NoteKind::Visit,
        date: date(2025, 11, 20),
        child_seen: Some(true),
        seen_alone: Some(false),
        childs_words: String::new(),
        observation: "Dee was alert, fed well and settled when held by her mother.".into(),
        text: "Unannounced home visit.".into(),
        decision: String::new(),
        rationale: String::new(),
    };
    let n = s.add_note(sw, baby.id, visit.clone()).await.unwrap();
    assert_eq!(n.recorded_by.as_deref(), Some("sw3 (test)"));
    assert_eq!(n.note, visit);

    let mut no_voice = visit.clone();
    no_voice.observation.clear();
    assert!(matches!(
        s.add_note(sw, baby.id, no_voice).await,
        Err(StoreError::Invalid {
            field: "childs_words",
            ..
        })
    ));
    let oversight = NewNote {
        kind: NoteKind::Oversight,
        date: date(2025, 11, 21),
        child_seen: None,
        seen_alone: None,
        childs_words: String::new(),
        observation: String::new(),
        text: String::new(),
        decision: "Continue weekly visits.".into(),
        rationale: "Baby under one; mother's mental health fluctuating.".into(),
    };
    s.add_note(sw, baby.id, oversight).await.unwrap();
    let rec = s.view_child_record(sw, baby.id, "test").await.unwrap();
    assert_eq!(rec.notes.len(), 2, "the refused visit was not saved");
    let journey: Vec<_> = rec
        .chronology
        .iter()
        .filter(|e| e.category != "Record" && e.category != "Birth")
        .collect();
    assert_eq!(journey[0].category, "Management oversight");
    assert!(journey[0].summary.contains("Rationale: Baby under one"));
    assert_eq!(journey[1].category, "Visit");
    assert!(
        journey[1].summary.contains("Observed: Dee was alert"),
        "{:?}",
        journey[1]
    );
    assert_eq!(journey[1].recorded_by.as_deref(), Some("sw3 (test)"));
    let err = f.raw_execute("DELETE FROM note").await.expect_err("delete");
    assert!(err.to_string().contains("never deleted"));
}
