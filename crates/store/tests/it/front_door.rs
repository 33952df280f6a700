//! The front door, on both backends: contacts about several children, partner checks, the
//! decision with its direction, referrals and re-referrals, and the audit entries of all of them.

use chrono::{NaiveDate, NaiveDateTime};
use domain::access::{AuditAction, Role};
use domain::front_door::{NewContact, NewDecision, NewPartnerCheck};
use store::{Actor, AuditQuery, StoreError};
use uuid::Uuid;

use crate::{Fixture, child, conformance, date, user};

pub(crate) fn at(d: NaiveDate, h: u32) -> NaiveDateTime {
    d.and_hms_opt(h, 15, 0).unwrap()
}

pub(crate) fn contact(children: Vec<Uuid>, received: NaiveDateTime) -> NewContact {
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

pub(crate) fn decision(outcome: &str, at_: NaiveDateTime) -> NewDecision {
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

conformance!(risk_ratings_are_kept_in_turn_move_the_version_on_and_stop_at_the_decision);
async fn risk_ratings_are_kept_in_turn_move_the_version_on_and_stop_at_the_decision(f: &Fixture) {
    use domain::front_door::{NewRiskRating, RiskRating};
    let s = &f.store;
    let fd = Actor::user(user(s, "fd-risk", Role::FrontDoor).await.id);
    let tm = Actor::user(user(s, "tm-risk", Role::TeamManager).await.id);
    let kim = s
        .create_person(Actor::SYSTEM, child("Kim", "Rated", date(2017, 3, 3), "R1"))
        .await
        .unwrap();
    let lou = s
        .create_person(Actor::SYSTEM, child("Lou", "Rated", date(2020, 3, 3), "R2"))
        .await
        .unwrap();
    let received = at(date(2026, 11, 30), 9);
    let c = s
        .record_contact(fd, contact(vec![kim.id, lou.id], received))
        .await
        .unwrap();
    assert!(c.risk().is_none());
    let rate = |rating: &str, reason: &str, immediate: bool| NewRiskRating {
        rating: rating.into(),
        reason: reason.into(),
        immediate_safety: immediate,
    };
    // Refused without a reason, or amber with an immediate safety concern: nothing kept.
    for bad in [
        rate("green", "  ", false),
        rate("amber", "Marks seen", true),
    ] {
        assert!(matches!(
            s.rate_contact(fd, c.id, bad).await,
            Err(StoreError::Invalid { .. })
        ));
    }
    let green = s
        .rate_contact(
            fd,
            c.id,
            rate("green", "Hunger only; school supports", false),
        )
        .await
        .unwrap();
    assert_eq!(green.risk().unwrap().rating, RiskRating::Green);
    assert_eq!(
        green.risk().unwrap().rated_by.as_deref(),
        Some("fd-risk (test)")
    );
    assert!(
        green.version > c.version,
        "a rating moves the contact's version on"
    );
    // A later check changes the picture: rated again, the earlier rating kept.
    let red = s
        .rate_contact(
            fd,
            c.id,
            rate("red", "Police: a belt injury disclosed to a teacher", true),
        )
        .await
        .unwrap();
    assert_eq!(red.ratings.len(), 2);
    assert_eq!(red.ratings[0].rating, RiskRating::Green);
    let now_red = red.risk().unwrap();
    assert_eq!(
        (now_red.rating, now_red.immediate_safety),
        (RiskRating::Red, true)
    );
    // The queue and the child's page carry the ratings.
    let queue = s.front_door_queue().await.unwrap();
    let queued = queue.iter().find(|q| q.id == c.id).unwrap();
    assert_eq!(queued.ratings.len(), 2);
    let rec = s
        .view_child_record(Actor::SYSTEM, lou.id, "test")
        .await
        .unwrap();
    assert_eq!(
        rec.front_door.contacts[0].risk().unwrap().rating,
        RiskRating::Red
    );
    // A decision made from a page that showed the contact before its red rating is refused.
    let stale = s
        .decide_contact(
            tm,
            c.id,
            green.version,
            decision("strategy", at(date(2026, 11, 30), 11)),
        )
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { .. })),
        "{stale:?}"
    );
    s.decide_contact(
        tm,
        c.id,
        red.version,
        decision("strategy", at(date(2026, 11, 30), 11)),
    )
    .await
    .unwrap();
    // Decided: the rating stays as it was.
    let late = s
        .rate_contact(fd, c.id, rate("amber", "Second thoughts", false))
        .await;
    assert!(
        matches!(
            late,
            Err(StoreError::Invalid {
                field: "rating",
                ..
            })
        ),
        "{late:?}"
    );
    // Each rating is audited for each child on the contact, the second with the first as before.
    let entries = s
        .audit_entries(&AuditQuery {
            person_id: Some(kim.id),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let rated: Vec<_> = entries
        .iter()
        .filter(|e| e.entity_type == "contact_risk")
        .collect();
    assert_eq!(rated.len(), 2);
    assert!(
        rated
            .iter()
            .any(|e| e.detail == "risk rated red (was green)" && e.before.is_some())
    );
    assert_eq!(
        s.audit_entries(&AuditQuery {
            person_id: Some(lou.id),
            action: Some(AuditAction::Create),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .iter()
        .filter(|e| e.entity_type == "contact_risk")
        .count(),
        2
    );
}
