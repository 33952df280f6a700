//! Visits, case notes and management oversight, on both backends.

use domain::access::Role;
use domain::case_notes::{NewNote, NoteKind};
use store::{Actor, StoreError};

use crate::{Fixture, child, conformance, date, user};

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
