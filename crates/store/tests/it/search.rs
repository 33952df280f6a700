//! Finding a child on both backends: by a misspelt or sound-alike name (exact matches first),
//! by a partial date of birth; an NHS number is on one record only.

use store::{Actor, SearchQuery, StoreError};

use crate::{Fixture, child, conformance, date};

conformance!(names_that_sound_alike_are_found_after_exact_matches);
async fn names_that_sound_alike_are_found_after_exact_matches(f: &Fixture) {
    let s = &f.store;
    for (given, family, dob, cid) in [
        ("Alice", "Kowalski", date(2016, 4, 1), "K1"),
        ("Alice", "Kowalsky", date(2019, 2, 14), "K2"),
        ("Alicia", "Nowak", date(2016, 4, 1), "K3"),
        ("Tom", "Smith", date(2012, 9, 30), "K4"),
    ] {
        s.create_person(Actor::SYSTEM, child(given, family, dob, cid))
            .await
            .unwrap();
    }
    let names = |q: SearchQuery| async move {
        s.search_people(&q)
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.full_name())
            .collect::<Vec<_>>()
    };
    let text = |t: &str| SearchQuery {
        text: Some(t.into()),
        ..Default::default()
    };
    // The exact spelling first, then the one that sounds the same.
    assert_eq!(
        names(text("Kowalsky")).await,
        vec!["Alice Kowalsky", "Alice Kowalski"]
    );
    assert_eq!(
        names(text("Kowalski")).await,
        vec!["Alice Kowalski", "Alice Kowalsky"]
    );
    assert_eq!(names(text("Smyth")).await, vec!["Tom Smith"]);
    // Both names sound right; a different family name does not.
    assert_eq!(
        names(text("Alise Kovalski")).await,
        Vec::<String>::new(),
        "by Soundex Kovalski (K142) is not Kowalski (K420)"
    );
    assert_eq!(
        names(text("Alyce Kowalsky")).await,
        vec!["Alice Kowalski", "Alice Kowalsky"]
    );
    // A fragment is matched as typed, not sounded out.
    assert_eq!(
        names(text("owal")).await,
        vec!["Alice Kowalski", "Alice Kowalsky"]
    );
    // Partial dates of birth: a year, a month.
    let born = |from, to| SearchQuery {
        born_between: Some((from, to)),
        ..Default::default()
    };
    assert_eq!(
        names(born(date(2016, 1, 1), date(2016, 12, 31))).await,
        vec!["Alice Kowalski", "Alicia Nowak"]
    );
    assert_eq!(
        names(born(date(2019, 2, 1), date(2019, 2, 28))).await,
        vec!["Alice Kowalsky"]
    );
    let both = SearchQuery {
        text: Some("Kowalsky".into()),
        born_between: Some((date(2016, 1, 1), date(2016, 12, 31))),
        ..Default::default()
    };
    assert_eq!(names(both).await, vec!["Alice Kowalski"]);
}

conformance!(an_nhs_number_is_on_one_record_only);
async fn an_nhs_number_is_on_one_record_only(f: &Fixture) {
    let s = &f.store;
    let mut first = child("Ivy", "Lane", date(2017, 3, 3), "N1");
    first.identifiers.nhs_number = Some("9434765919".into());
    let ivy = s.create_person(Actor::SYSTEM, first.clone()).await.unwrap();
    let mut again = child("Ivy", "Laine", date(2017, 3, 3), "N2");
    again.identifiers.nhs_number = Some("9434765919".into());
    match s.create_person(Actor::SYSTEM, again).await {
        Err(StoreError::Invalid { field, message }) => {
            assert_eq!(field, "nhs_number");
            assert!(message.contains("Ivy Lane"), "{message}");
        }
        other => panic!("a second record with the NHS number was not refused: {other:?}"),
    }
    // The record itself keeps its number when its other details change.
    let mut changed = first;
    changed.family_name = "Lane-Moss".into();
    s.update_person(Actor::SYSTEM, ivy.id, ivy.version, changed)
        .await
        .unwrap();
    let found = s
        .search_people(&SearchQuery {
            text: Some("Lane Moss".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        found.is_empty(),
        "'Lane Moss' is neither a part of 'Ivy Lane-Moss' nor its sound: {found:?}"
    );
    let found = s
        .search_people(&SearchQuery {
            text: Some("Ivy Lanemoss".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        found.len(),
        1,
        "the new name's sound is kept when the name changes"
    );
}
