//! Correcting records (amend with a reason, or mark entered in error), on both backends: the
//! earlier version and the reason are kept, a stale or reasonless correction saves nothing, and
//! a record entered in error is left out of what feeds the indicators.

use domain::access::Role;
use domain::case_notes::{NewNote, NoteKind};
use domain::correction::CorrectionKind;
use store::correction::{amend, current, enter_in_error};
use store::{Actor, StoreError};

use crate::{Fixture, child, conformance, date, user};

fn visit(text: &str) -> NewNote {
    NewNote {
        kind: NoteKind::Visit,
        date: date(2025, 11, 20),
        child_seen: Some(true),
        seen_alone: Some(true),
        childs_words: "I like my new school.".into(),
        observation: String::new(),
        text: text.into(),
        decision: String::new(),
        rationale: String::new(),
    }
}

conformance!(an_amendment_keeps_the_earlier_version_and_its_reason);
async fn an_amendment_keeps_the_earlier_version_and_its_reason(f: &Fixture) {
    let s = &f.store;
    let sw = Actor::user(user(s, "sw7", Role::SocialWorker).await.id);
    let kid = s
        .create_person(Actor::SYSTEM, child("Ola", "Rook", date(2015, 3, 1), "K1"))
        .await
        .unwrap();
    let n = s
        .add_note(sw, kid.id, visit("Home visit, after school."))
        .await
        .unwrap();
    let (now, read) = current::<NewNote, _>(&**s, n.id).await.unwrap();
    assert_eq!(
        (now.child_id, now.version, now.entered_in_error),
        (kid.id, 1, false)
    );
    assert_eq!(read, n.note);

    // A blank reason is refused, naming the field, and nothing is saved.
    let mut fixed = visit("Home visit, after school; Ola showed me her room.");
    let blank = amend(&**s, sw, n.id, 1, &fixed, "  ").await;
    assert!(
        matches!(
            blank,
            Err(StoreError::Invalid {
                field: "reason",
                ..
            })
        ),
        "{blank:?}"
    );
    // So is an amendment the domain refuses, and one that changes what the record is.
    let mut bad = fixed.clone();
    bad.child_seen = None;
    let refused = amend(&**s, sw, n.id, 1, &bad, "Typo").await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Invalid {
                field: "child_seen",
                ..
            })
        ),
        "{refused:?}"
    );
    let mut other = fixed.clone();
    other.kind = NoteKind::CaseNote;
    let refused = amend(&**s, sw, n.id, 1, &other, "Typo").await;
    assert!(
        matches!(refused, Err(StoreError::Invalid { field: "kind", .. })),
        "{refused:?}"
    );
    assert_eq!(
        f.raw_count("SELECT COUNT(*) FROM record_correction").await,
        0
    );

    let c = amend(&**s, sw, n.id, 1, &fixed, "Left out what Ola showed me")
        .await
        .unwrap();
    assert_eq!(c.kind, CorrectionKind::Amended);
    assert_eq!(c.reason, "Left out what Ola showed me");
    assert_eq!(c.by.as_deref(), Some("sw7 (test)"));
    assert_eq!(c.previous["text"], "Home visit, after school.");
    assert_eq!(c.previous["date"], "2025-11-20");

    // A second amendment from the page that showed version 1 is refused; nothing is saved.
    fixed.text = "Overwritten from a stale page".into();
    let stale = amend(&**s, sw, n.id, 1, &fixed, "Another change").await;
    assert!(
        matches!(
            stale,
            Err(StoreError::Conflict {
                expected: 1,
                actual: 2
            })
        ),
        "{stale:?}"
    );

    let rec = s.view_child_record(sw, kid.id, "test").await.unwrap();
    assert_eq!(
        rec.notes[0].note.text,
        "Home visit, after school; Ola showed me her room."
    );
    assert_eq!(rec.corrections.len(), 1);
    assert_eq!(
        rec.corrections[0].previous["text"],
        "Home visit, after school."
    );
    let entry = rec
        .chronology
        .iter()
        .find(|e| e.category == "Correction")
        .expect("chronology");
    assert_eq!(entry.summary, "Note amended: Left out what Ola showed me");
    assert_eq!(
        f.raw_count(
            "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'note' AND action = 'update'"
        )
        .await,
        1,
        "one audit entry, for the amendment that was saved"
    );
    let err = f
        .raw_execute("DELETE FROM record_correction")
        .await
        .expect_err("delete");
    assert!(err.to_string().contains("never deleted"), "{err}");
    let err = f
        .raw_execute("UPDATE record_correction SET reason = 'x'")
        .await
        .expect_err("update");
    assert!(err.to_string().contains("never changed"), "{err}");
}

conformance!(a_visit_entered_in_error_stays_on_the_record_but_out_of_the_extract);
async fn a_visit_entered_in_error_stays_on_the_record_but_out_of_the_extract(f: &Fixture) {
    let s = &f.store;
    let sw = Actor::user(user(s, "sw8", Role::SocialWorker).await.id);
    let kid = s
        .create_person(Actor::SYSTEM, child("Pip", "Sand", date(2014, 6, 1), "K2"))
        .await
        .unwrap();
    let n = s
        .add_note(sw, kid.id, visit("Visit recorded on the wrong child."))
        .await
        .unwrap();
    let seen = |x: &domain::extract::RecordExtract| x.visits_seen.iter().any(|v| v.0 == kid.id);
    assert!(seen(&s.extract().await.unwrap()));

    let blank = enter_in_error::<NewNote, _>(&**s, sw, n.id, 1, "").await;
    assert!(
        matches!(
            blank,
            Err(StoreError::Invalid {
                field: "reason",
                ..
            })
        ),
        "{blank:?}"
    );
    assert!(
        seen(&s.extract().await.unwrap()),
        "the refused correction changed nothing"
    );

    let c = enter_in_error::<NewNote, _>(
        &**s,
        sw,
        n.id,
        1,
        "Recorded on Pip's record, not his brother's",
    )
    .await
    .unwrap();
    assert_eq!(c.kind, CorrectionKind::EnteredInError);
    assert!(
        !seen(&s.extract().await.unwrap()),
        "left out of what feeds the indicators"
    );

    let rec = s.view_child_record(sw, kid.id, "test").await.unwrap();
    assert_eq!(rec.notes.len(), 1, "the record is kept");
    assert!(domain::correction::entered_in_error(
        &rec.corrections,
        "note",
        n.id
    ));
    let visit_entry = rec
        .chronology
        .iter()
        .find(|e| e.category == "Visit")
        .unwrap();
    assert!(
        visit_entry.summary.starts_with("Entered in error: "),
        "{visit_entry:?}"
    );

    // Once entered in error it is neither amended nor entered in error again.
    let again = enter_in_error::<NewNote, _>(&**s, sw, n.id, 2, "Twice").await;
    assert!(
        matches!(
            again,
            Err(StoreError::Invalid {
                field: "reason",
                ..
            })
        ),
        "{again:?}"
    );
    let amended = amend(&**s, sw, n.id, 2, &visit("Changed"), "Typo").await;
    assert!(amended.is_err());
    assert_eq!(
        f.raw_count("SELECT COUNT(*) FROM record_correction").await,
        1
    );
}

conformance!(a_conviction_entered_in_error_is_left_out_of_the_903_and_an_amendment_kept);
async fn a_conviction_entered_in_error_is_left_out_of_the_903_and_an_amendment_kept(f: &Fixture) {
    use domain::looked_after::health::NewOc2Event;
    let s = &f.store;
    let tm = Actor::user(user(s, "tm9", Role::TeamManager).await.id);
    let sw = Actor::user(user(s, "sw9", Role::SocialWorker).await.id);
    let kid = s
        .create_person(Actor::SYSTEM, child("Jo", "Reed", date(2011, 6, 1), "K3"))
        .await
        .unwrap();
    s.enter_care(tm, kid.id, crate::looked_after_care::entering())
        .await
        .unwrap();
    let ev = |kind: &str, r: Option<bool>, o: Option<bool>| NewOc2Event {
        kind: kind.into(),
        happened_on: date(2025, 8, 1),
        intervention_received: r,
        intervention_offered: o,
        note: String::new(),
    };
    let conviction = s
        .record_oc2_event(sw, kid.id, ev("conviction", None, None))
        .await
        .unwrap();
    let misuse = s
        .record_oc2_event(sw, kid.id, ev("substance_misuse", Some(false), Some(true)))
        .await
        .unwrap();
    assert_eq!(
        s.looked_after_export_for(2026, kid.id)
            .await
            .unwrap()
            .oc2_events
            .len(),
        2
    );

    let c = enter_in_error::<NewOc2Event, _>(
        &**s,
        sw,
        conviction.id,
        1,
        "Another young person's conviction",
    )
    .await
    .unwrap();
    assert_eq!(c.previous["kind"], "conviction");
    let x = s.looked_after_export_for(2026, kid.id).await.unwrap();
    assert_eq!(
        x.oc2_events.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![misuse.id],
        "left out of the 903"
    );
    assert!(
        s.looked_after_export(2026)
            .await
            .unwrap()
            .oc2_events
            .iter()
            .all(|e| e.id != conviction.id)
    );

    // Amended: the domain's rules hold (offered only when none was received), the earlier kept.
    let bad = ev("substance_misuse", Some(true), Some(true));
    let refused = amend(
        &**s,
        sw,
        misuse.id,
        1,
        &bad,
        "Intervention received after all",
    )
    .await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Invalid {
                field: "intervention_offered",
                ..
            })
        ),
        "{refused:?}"
    );
    let good = ev("substance_misuse", Some(true), None);
    let c = amend(
        &**s,
        sw,
        misuse.id,
        1,
        &good,
        "Intervention received after all",
    )
    .await
    .unwrap();
    assert_eq!(c.previous["intervention_received"], false);
    let x = s.looked_after_export_for(2026, kid.id).await.unwrap();
    assert_eq!(x.oc2_events[0].intervention_received, Some(true));
    let rec = s.view_child_record(sw, kid.id, "test").await.unwrap();
    assert_eq!(rec.corrections.len(), 2);
    assert!(
        rec.chronology.iter().any(|e| e.summary
            == "Conviction or substance misuse amended: Intervention received after all")
    );
}

conformance!(a_decision_to_place_entered_in_error_leaves_the_adoption_and_the_903);
async fn a_decision_to_place_entered_in_error_leaves_the_adoption_and_the_903(f: &Fixture) {
    use domain::looked_after::adoption::{AdoptionStep, DecisionDates};
    let s = &f.store;
    let tm = Actor::user(user(s, "tm10", Role::TeamManager).await.id);
    let sw = Actor::user(user(s, "sw10", Role::SocialWorker).await.id);
    let kid = s
        .create_person(Actor::SYSTEM, child("Una", "Vale", date(2022, 6, 1), "K4"))
        .await
        .unwrap();
    let period = crate::looked_after_adoption::entering_care();
    let entered = period.started_on;
    s.enter_care(tm, kid.id, period).await.unwrap();
    let step = |on| AdoptionStep {
        kind: "decision".into(),
        on,
        adopters: None,
        adopters_sex: String::new(),
        adopters_legal_status: String::new(),
        foster_carers: None,
        reason: String::new(),
    };
    let on = entered + chrono::Days::new(30);
    let d = s.record_adoption_step(sw, kid.id, step(on)).await.unwrap();

    // Amended: the date corrected; the domain refuses a reason without an end.
    let bad = DecisionDates {
        decided_on: on,
        ceased_on: None,
        reason_ceased: Some("RD1".into()),
    };
    let refused = amend(&**s, sw, d.id, 1, &bad, "Reason").await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Invalid {
                field: "ceased",
                ..
            })
        ),
        "{refused:?}"
    );
    let moved = DecisionDates {
        decided_on: on + chrono::Days::new(1),
        ceased_on: None,
        reason_ceased: None,
    };
    let c = amend(&**s, sw, d.id, 1, &moved, "The panel sat the next day")
        .await
        .unwrap();
    assert_eq!(c.previous["decided_on"], serde_json::json!(on));
    let rec = s.view_child_record(sw, kid.id, "test").await.unwrap();
    assert_eq!(
        rec.looked_after.adoption[0].decided_on,
        on + chrono::Days::new(1)
    );

    // Entered in error: no longer the child's decision, so another can be recorded.
    enter_in_error::<DecisionDates, _>(&**s, sw, d.id, 2, "Recorded for the wrong sibling")
        .await
        .unwrap();
    let rec = s.view_child_record(sw, kid.id, "test").await.unwrap();
    assert!(rec.looked_after.adoption.is_empty());
    assert_eq!(
        rec.corrections.len(),
        2,
        "the corrections and the earlier versions are kept"
    );
    let year = i32::from(domain::calendar::collection_year(on));
    assert!(
        s.looked_after_export_for(year, kid.id)
            .await
            .unwrap()
            .adoption
            .is_empty(),
        "left out of the 903"
    );
    let again = s
        .record_adoption_step(sw, kid.id, step(on))
        .await
        .expect("a decision may be recorded again");

    // A match is amended, not entered in error (its decision is, with it).
    use domain::looked_after::adoption::MatchDetails;
    let mut m = step(on + chrono::Days::new(40));
    m.kind = "match".into();
    m.adopters = Some(2);
    m.adopters_sex = "MF".into();
    m.adopters_legal_status = "L11".into();
    m.foster_carers = Some(false);
    let matched = s
        .record_adoption_step(sw, kid.id, m)
        .await
        .unwrap()
        .matched
        .unwrap();
    assert_eq!(again.id, matched.decision_id);
    let wrong = MatchDetails {
        matched_on: matched.matched_on,
        adopters: 1,
        adopters_sex: "MF".into(),
        adopters_legal_status: "L11".into(),
        foster_carers: true,
    };
    let refused = amend(&**s, sw, matched.id, 1, &wrong, "One adopter").await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Invalid {
                field: "adopters_sex",
                ..
            })
        ),
        "{refused:?}"
    );
    let right = MatchDetails {
        foster_carers: true,
        ..MatchDetails::from(&matched)
    };
    amend(&**s, sw, matched.id, 1, &right, "They had fostered her")
        .await
        .unwrap();
    let refused =
        enter_in_error::<MatchDetails, _>(&**s, sw, matched.id, 2, "Wrong adopters").await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Invalid {
                field: "reason",
                ..
            })
        ),
        "{refused:?}"
    );
    let rec = s.view_child_record(sw, kid.id, "test").await.unwrap();
    assert!(
        rec.looked_after.adoption[0]
            .matched
            .as_ref()
            .unwrap()
            .foster_carers
    );
}

conformance!(the_end_of_uasc_status_is_amended_not_entered_in_error);
async fn the_end_of_uasc_status_is_amended_not_entered_in_error(f: &Fixture) {
    use domain::looked_after::UascEnd;
    let s = &f.store;
    let sw = Actor::user(user(s, "sw11", Role::SocialWorker).await.id);
    let mut details = child("Ivo", "Cole", date(2009, 5, 1), "K5");
    details.uasc = true;
    let kid = s.create_person(Actor::SYSTEM, details).await.unwrap();
    s.record_uasc_end(
        sw,
        kid.id,
        UascEnd {
            ceased_on: date(2025, 6, 1),
            reason: "leave_granted".into(),
        },
    )
    .await
    .unwrap();
    let (now, was) = current::<UascEnd, _>(&**s, kid.id).await.unwrap();
    assert_eq!(
        (now.child_id, now.version, was.ceased_on),
        (kid.id, 1, date(2025, 6, 1))
    );
    let late = UascEnd {
        ceased_on: date(2027, 6, 1),
        ..was.clone()
    };
    let refused = amend(&**s, sw, kid.id, 1, &late, "Typo").await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Invalid {
                field: "ceased",
                ..
            })
        ),
        "{refused:?}"
    );
    let fixed = UascEnd {
        ceased_on: date(2025, 5, 28),
        ..was
    };
    amend(
        &**s,
        sw,
        kid.id,
        1,
        &fixed,
        "The Home Office letter was dated 28 May",
    )
    .await
    .unwrap();
    let rec = s.view_child_record(sw, kid.id, "test").await.unwrap();
    assert_eq!(
        rec.looked_after.uasc_ended.as_ref().unwrap().ceased_on,
        date(2025, 5, 28)
    );
    let refused = enter_in_error::<UascEnd, _>(&**s, sw, kid.id, 2, "x").await;
    assert!(refused.is_err());
}
