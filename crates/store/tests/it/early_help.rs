//! Early help, on both backends: stepping down from the front door and up to it.

use domain::access::Role;
use domain::early_help::EarlyHelpEnd;
use store::{Actor, StoreError};

use crate::{Fixture, child, conformance, date, through_front_door, user};

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
