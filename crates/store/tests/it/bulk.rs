//! Loading a whole synthetic council at once, on both backends: everything lands in one
//! transaction with ONE audit entry (the system, with the counts), the records read back through
//! the repository like any others, the work they make is due, and a load that breaks a
//! constraint leaves nothing behind.

use chrono::{DateTime, NaiveDate, Utc};
use domain::assessment::Assessment;
use domain::case_notes::{NewNote, Note, NoteKind};
use domain::child_in_need::{CinPlan, PlanAction, PlanReview};
use domain::child_protection::{Conference, ConferenceKind, CoreGroup, CpPlan, S47, Strategy};
use domain::early_help::EarlyHelp;
use domain::front_door::{Contact, ContactChild, Decision, PartnerCheck, Referral};
use domain::looked_after::{CareLeaverYear, Episode, HealthYear, Missing, Period, Review};
use domain::person::{Address, Allocation, Person, Relationship};
use domain::workforce::{Team, Worker};
use store::bulk::{BulkConference, BulkCouncil, BulkReferral};
use store::{Actor, AuditQuery, WorkScope};
use uuid::Uuid;

use crate::{Fixture, adult, child, conformance, date};

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 | n)
}

fn person(n: u128, details: domain::person::PersonDetails, at: DateTime<Utc>) -> Person {
    Person {
        id: id(n),
        details,
        version: 1,
        created_at: at,
        updated_at: at,
    }
}

/// A small council: a family of two children and a parent, a worker, and a journey through the
/// front door to a child protection plan (for one child) and a child in need plan (the other).
fn council() -> BulkCouncil {
    let at = DateTime::<Utc>::from_timestamp(1_764_000_000, 0).unwrap();
    let (amy, ben, mum, lee) = (id(1), id(2), id(3), id(4));
    let (team, worker) = (id(10), id(11));
    let d = |m, day| date(2026, m, day);
    let contact = id(20);
    let (ref_amy, ref_ben) = (id(30), id(31));
    let (strategy, s47, plan, cin) = (id(40), id(41), id(42), id(43));
    BulkCouncil {
        teams: vec![Team {
            id: team,
            name: "Child protection team 1".into(),
        }],
        workers: vec![Worker {
            id: worker,
            name: "Dana Social".into(),
            team_id: Some(team),
            role_title: "Social worker".into(),
            agency: true,
            started: date(2020, 1, 6),
            left: None,
        }],
        people: vec![
            person(1, child("Amy", "Reed", date(2018, 5, 1), "HC0000001"), at),
            person(2, child("Ben", "Reed", date(2024, 2, 1), "HC0000002"), at),
            person(3, adult("Kim", "Reed"), at),
            person(4, child("Lee", "Marsh", date(2007, 1, 9), "HC0000004"), at),
        ],
        addresses: [amy, ben, mum]
            .iter()
            .enumerate()
            .map(|(i, p)| Address {
                id: id(100 + i as u128),
                person_id: *p,
                line1: "4 Mill Lane".into(),
                line2: String::new(),
                town: "Lowfield".into(),
                postcode: "ZX9 9ZZ".into(),
                from: date(2024, 2, 1),
                to: None,
            })
            .collect(),
        relationships: vec![
            Relationship {
                id: id(110),
                person_id: mum,
                kind: "parent".into(),
                related_person_id: amy,
                from: None,
                to: None,
            },
            Relationship {
                id: id(111),
                person_id: amy,
                kind: "sibling".into(),
                related_person_id: ben,
                from: None,
                to: None,
            },
        ],
        adviser_allocations: vec![Allocation {
            id: id(122),
            child_id: lee,
            worker_id: worker,
            from: d(1, 12),
            to: None,
        }],
        allocations: vec![
            Allocation {
                id: id(120),
                child_id: amy,
                worker_id: worker,
                from: d(1, 12),
                to: None,
            },
            Allocation {
                id: id(121),
                child_id: ben,
                worker_id: worker,
                from: d(1, 12),
                to: None,
            },
        ],
        contacts: vec![Contact {
            id: contact,
            received_at: d(1, 12).and_hms_opt(9, 30, 0).unwrap(),
            source: "6".into(),
            contact_name: "PC Hale".into(),
            contact_agency: "Police".into(),
            reason: "Domestic incident; both children present.".into(),
            consent: "not_sought".into(),
            decision_due: d(1, 13),
            recorded_by: None,
            children: vec![
                ContactChild {
                    person_id: amy,
                    name: "Amy Reed".into(),
                    restricted: false,
                },
                ContactChild {
                    person_id: ben,
                    name: "Ben Reed".into(),
                    restricted: false,
                },
            ],
            checks: vec![PartnerCheck {
                id: id(21),
                contact_id: contact,
                agency: "health".into(),
                requested_on: d(1, 12),
                received_on: Some(d(1, 12)),
                summary: "Known to the health visitor.".into(),
                recorded_by: None,
            }],
            ratings: vec![domain::front_door::RiskAssessment {
                rating: domain::front_door::RiskRating::Amber,
                reason: "Worries from school; no immediate risk.".into(),
                immediate_safety: false,
                rated_at: d(1, 12).and_hms_opt(10, 30, 0).unwrap(),
                rated_by: None,
            }],
            feedback: Vec::new(),
            decision: Some(Decision {
                outcome: "strategy".into(),
                decided_at: d(1, 12).and_hms_opt(14, 0, 0).unwrap(),
                decided_by: None,
                direction: "Strategy discussion today.".into(),
                rationale: "Reasonable cause to suspect significant harm.".into(),
                quality: Some("good".into()),
                quality_comment: String::new(),
                within_timescale: true,
            }),
            version: 2,
        }],
        referrals: [(ref_amy, amy), (ref_ben, ben)]
            .iter()
            .map(|(r, c)| BulkReferral {
                referral: Referral {
                    id: *r,
                    child_id: *c,
                    contact_id: contact,
                    referral_date: d(1, 12),
                    source: "6".into(),
                    re_referral: false,
                    previous_referral: None,
                    closed_on: None,
                    closure_reason: None,
                },
                primary_need: Some("N1".into()),
            })
            .collect(),
        assessments: vec![Assessment {
            id: id(50),
            child_id: ben,
            referral_id: ref_ben,
            referral_date: d(1, 12),
            started_on: d(1, 13),
            due_on: d(3, 16),
            completed_on: None,
            factors: vec![],
            outcome: None,
            summary: String::new(),
            authorised_on: None,
            authorised_by: None,
            authorised_comment: String::new(),
            framework: domain::assessment::AssessmentFramework {
                child_views: "Ben smiled at his sister.".into(),
                ..Default::default()
            },
            draft_saved_at: None,
            returns: Vec::new(),
            version: 1,
        }],
        notes: vec![Note {
            id: id(60),
            child_id: ben,
            note: NewNote {
                kind: NoteKind::Visit,
                date: d(1, 20),
                child_seen: Some(true),
                seen_alone: Some(false),
                childs_words: String::new(),
                observation: "Settled in his mother's arms.".into(),
                text: "Home visit.".into(),
                decision: String::new(),
                rationale: String::new(),
            },
            recorded_by: None,
        }],
        early_help: vec![EarlyHelp {
            id: id(70),
            child_id: amy,
            started_on: date(2025, 3, 1),
            lead: "Jo Kemp (Early help)".into(),
            reason: "Routines and school attendance.".into(),
            origin: "front_door".into(),
            ended_on: Some(date(2025, 9, 1)),
            end_reason: Some("needs_met".into()),
            end_note: String::new(),
            step_up_contact: None,
        }],
        cin_plans: vec![CinPlan {
            id: cin,
            child_id: ben,
            referral_id: ref_ben,
            started_on: d(2, 2),
            ended_on: None,
            end_reason: String::new(),
            primary_need: "N1".into(),
            actions: vec![PlanAction {
                id: id(80),
                need: "Health".into(),
                action: "Attend the 2-year review by 1 March 2026".into(),
                owner: "Parent".into(),
                due_on: d(3, 1),
                status: "not_started".into(),
                progress: String::new(),
                version: 1,
            }],
            reviews: vec![PlanReview {
                held_on: d(4, 30),
                summary: "Reviewed.".into(),
            }],
        }],
        strategies: vec![Strategy {
            id: strategy,
            child_id: amy,
            referral_id: ref_amy,
            held_on: d(1, 13),
            agencies: vec!["social_care".into(), "police".into()],
            s47: true,
            notes: "Section 47 agreed.".into(),
        }],
        s47s: vec![S47 {
            id: s47,
            child_id: amy,
            strategy_id: strategy,
            started_on: d(1, 13),
            icpc_due: d(2, 3),
            completed_on: Some(d(1, 27)),
            outcome: Some("icpc".into()),
        }],
        cp_plans: vec![CpPlan {
            id: plan,
            child_id: amy,
            started_on: d(2, 2),
            ended_on: None,
            initial_category: "NEG".into(),
            latest_category: "NEG".into(),
            end_reason: String::new(),
            repeat: false,
            core_groups: vec![CoreGroup {
                held_on: d(2, 12),
                agencies: vec!["social_care".into(), "school".into()],
                notes: "First core group.".into(),
            }],
            conferences: vec![],
        }],
        conferences: vec![BulkConference {
            conference: Conference {
                id: id(90),
                child_id: amy,
                kind: ConferenceKind::Initial,
                held_on: d(2, 2),
                due_on: d(2, 3),
                agencies: vec!["social_care".into(), "health".into()],
                plan: true,
                category: Some("NEG".into()),
                plan_id: Some(plan),
            },
            s47_id: Some(s47),
        }],
        cla_periods: vec![
            Period {
                id: id(200),
                child_id: amy,
                started_on: d(3, 2),
                ended_on: None,
                category_of_need: "N1".into(),
            },
            Period {
                id: id(201),
                child_id: lee,
                started_on: date(2019, 6, 3),
                ended_on: Some(date(2025, 1, 9)),
                category_of_need: "N4".into(),
            },
        ],
        cla_episodes: vec![
            Episode {
                id: id(210),
                period_id: id(200),
                child_id: amy,
                started_on: d(3, 2),
                ended_on: Some(d(4, 10)),
                reason_new: "S".into(),
                legal_status: "C1".into(),
                placement: "U4".into(),
                provider: Some("PR1".into()),
                placement_postcode: Some("ZZ9 9ZY".into()),
                urn: None,
                reason_ceased: Some("X1".into()),
                reason_place_change: Some("CARPL".into()),
            },
            Episode {
                id: id(211),
                period_id: id(200),
                child_id: amy,
                started_on: d(4, 10),
                ended_on: None,
                reason_new: "P".into(),
                legal_status: "C1".into(),
                placement: "U6".into(),
                provider: Some("PR1".into()),
                placement_postcode: Some("ZZ9 9ZX".into()),
                urn: None,
                reason_ceased: None,
                reason_place_change: None,
            },
            Episode {
                id: id(212),
                period_id: id(201),
                child_id: lee,
                started_on: date(2019, 6, 3),
                ended_on: Some(date(2025, 1, 9)),
                reason_new: "S".into(),
                legal_status: "C2".into(),
                placement: "U3".into(),
                provider: Some("PR1".into()),
                placement_postcode: Some("ZZ9 9ZW".into()),
                urn: None,
                reason_ceased: Some("E8".into()),
                reason_place_change: None,
            },
        ],
        cla_reviews: vec![Review {
            id: id(220),
            child_id: amy,
            held_on: d(3, 30),
            participation: "PN1".into(),
        }],
        cla_health: vec![HealthYear {
            id: id(230),
            child_id: amy,
            year: 2027,
            health_assessment: Some(d(3, 25)),
            dental_check: Some(d(5, 11)),
            immunisations_up_to_date: true,
            sdq_score: Some(14),
            sdq_reason: None,
        }],
        cla_missing: vec![Missing {
            id: id(240),
            child_id: amy,
            started_on: d(5, 1),
            ended_on: Some(d(5, 2)),
            kind: "M".into(),
        }],
        care_leavers: vec![CareLeaverYear {
            id: id(250),
            child_id: lee,
            year: 2026,
            in_touch: "YES".into(),
            activity: Some("F2".into()),
            accommodation: Some("S1".into()),
        }],
        leaving_care_contacts: vec![domain::care_leavers::KeepingInTouch {
            id: id(251),
            child_id: lee,
            contact_on: d(5, 4),
            seen: true,
            place: "At college".into(),
            words: "It's going fine.".into(),
            in_touch: "YES".into(),
        }],
        leaving_care_statuses: vec![domain::care_leavers::LeavingCareStatus {
            id: id(252),
            child_id: lee,
            from: d(5, 1),
            activity: Some("F2".into()),
            accommodation: Some("U".into()),
            suitable: Some(true),
        }],
        leaving_care_needs: vec![domain::care_leavers::NeedsAssessment {
            id: id(253),
            child_id: lee,
            assessed_on: d(4, 1),
            areas: vec!["finance".into(), "skills".into()],
            findings: "Needs help with budgeting.".into(),
            views: "I want my own flat.".into(),
        }],
        pathway_plans: vec![domain::care_leavers::PathwayPlan {
            id: id(254),
            child_id: lee,
            plan_date: d(4, 2),
            views: "College near home.".into(),
            goals: "A college place.".into(),
            review_due: d(9, 2),
            actions: vec![domain::care_leavers::PathwayAction {
                id: id(255),
                action: "Apply to college".into(),
                owner: "Personal adviser".into(),
                due_on: d(5, 1),
                status: "in_progress".into(),
                progress: "Form sent.".into(),
                version: 1,
            }],
            superseded_by: None,
            superseded_on: None,
        }],
        peps: vec![domain::looked_after::Pep {
            id: id(260),
            child_id: amy,
            reviewed_on: d(5, 3),
        }],
        cla_previous_permanence: vec![domain::looked_after::PreviousPermanence {
            period_id: id(200),
            child_id: amy,
            code: "P2".into(),
            la: Some("800".into()),
            on: Some(date(2020, 1, 6)),
        }],
        cla_adoption: vec![domain::looked_after::adoption::AdoptionDecision {
            id: id(265),
            child_id: amy,
            decided_on: d(4, 1),
            ceased_on: None,
            reason_ceased: None,
            matched: Some(domain::looked_after::adoption::AdoptionMatch {
                id: id(266),
                decision_id: id(265),
                matched_on: d(4, 20),
                adopters: 2,
                adopters_sex: "MF".into(),
                adopters_legal_status: "L11".into(),
                foster_carers: false,
            }),
        }],
        pf_arrangements: vec![domain::private_fostering::Arrangement {
            id: id(270),
            child_id: ben,
            notified_on: d(2, 2),
            notified_by: "parent".into(),
            starts_on: d(3, 16),
            expected_end: None,
            carer_relationship: "family_friend".into(),
            carer: "A family friend, Anytown".into(),
            reason: "Parent in hospital".into(),
            assessed_on: Some(d(3, 20)),
            suitability: Some("suitable".into()),
            ended_on: None,
            end_reason: None,
            end_notified_on: None,
            visits: vec![domain::private_fostering::Visit {
                id: id(271),
                arrangement_id: id(270),
                child_id: ben,
                visited_on: d(2, 9),
                kind: domain::private_fostering::VisitKind::Initial,
                child_seen: true,
                seen_alone: false,
                not_alone_reason: "Too young to be seen alone".into(),
                childs_words: String::new(),
                observation: "Smiling and playing with the carer's dog".into(),
                report: "Report of the initial visit".into(),
            }],
        }],
        ..Default::default()
    }
}

conformance!(a_synthetic_council_loads_in_one_transaction_with_one_audit_entry);
async fn a_synthetic_council_loads_in_one_transaction_with_one_audit_entry(f: &Fixture) {
    let s = &f.store;
    let c = council();
    let before = s
        .audit_entries(&AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .len();
    let k = s
        .load_synthetic(Actor::SYSTEM, &c, "test council")
        .await
        .unwrap();
    assert_eq!(
        (
            k.people,
            k.addresses,
            k.relationships,
            k.allocations,
            k.adviser_allocations
        ),
        (4, 3, 2, 2, 1)
    );
    assert_eq!(
        (
            k.contacts,
            k.contact_children,
            k.partner_checks,
            k.risk_ratings,
            k.referrals
        ),
        (1, 2, 1, 1, 2)
    );
    assert_eq!(
        (
            k.assessments,
            k.notes,
            k.early_help,
            k.cin_plans,
            k.plan_actions,
            k.plan_reviews
        ),
        (1, 1, 1, 1, 1, 1)
    );
    assert_eq!(
        (
            k.strategies,
            k.s47s,
            k.cp_plans,
            k.conferences,
            k.core_groups
        ),
        (1, 1, 1, 1, 1)
    );
    assert_eq!(
        (
            k.cla_periods,
            k.cla_episodes,
            k.cla_reviews,
            k.cla_health,
            k.cla_missing,
            k.care_leavers,
            k.leaving_care_contacts,
            k.leaving_care_statuses,
            k.peps
        ),
        (2, 3, 1, 1, 1, 1, 1, 1, 1)
    );
    assert_eq!(
        (k.leaving_care_needs, k.pathway_plans, k.pathway_actions),
        (1, 1, 1)
    );
    assert_eq!((k.pf_arrangements, k.pf_visits), (1, 1));
    assert_eq!((k.cla_adoption_decisions, k.cla_adoption_matches), (1, 1));
    assert_eq!(k.total(), 51);
    assert_eq!(s.count_people().await.unwrap(), 4);

    // One audit entry, by the system, with the counts.
    let entries = s
        .audit_entries(&AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), before + 1);
    let e = &entries[0];
    assert_eq!(
        (e.actor, e.entity_type.as_str()),
        (None, "synthetic_council")
    );
    assert!(
        e.detail.contains("synthetic data loaded: test council"),
        "{}",
        e.detail
    );
    assert_eq!(e.after.as_ref().unwrap()["referrals"], 2);

    // The records read back through the repository.
    let amy = s
        .view_child_record(Actor::SYSTEM, id(1), "test")
        .await
        .unwrap();
    assert_eq!(amy.front_door.contacts.len(), 1);
    assert_eq!(amy.front_door.contacts[0].children.len(), 2);
    assert_eq!(amy.front_door.referrals.len(), 1);
    assert_eq!(amy.child_protection.cp_plans.len(), 1);
    assert_eq!(amy.child_protection.cp_plans[0].core_groups.len(), 1);
    assert_eq!(amy.early_help.len(), 1);
    assert_eq!(amy.relationships.len(), 2);
    assert_eq!(amy.current_allocation().unwrap().worker_name, "Dana Social");
    assert_eq!(amy.looked_after.adoption.len(), 1);
    assert_eq!(
        amy.looked_after.adoption[0]
            .matched
            .as_ref()
            .map(|m| m.adopters_sex.as_str()),
        Some("MF")
    );
    let x = s.looked_after_export_for(2026, id(1)).await.unwrap();
    assert_eq!(
        x.previous_permanence
            .iter()
            .map(|p| p.code.as_str())
            .collect::<Vec<_>>(),
        ["P2"]
    );
    let ben = s
        .view_child_record(Actor::SYSTEM, id(2), "test")
        .await
        .unwrap();
    assert_eq!(ben.cin_plans[0].actions.len(), 1);
    assert_eq!(ben.cin_plans[0].reviews.len(), 1);
    assert_eq!(ben.notes.len(), 1);
    assert_eq!(ben.assessments.len(), 1);
    assert_eq!(
        ben.assessments[0].framework.child_views, "Ben smiled at his sister.",
        "the framework is loaded in bulk"
    );
    assert_eq!(ben.private_fostering.len(), 1);
    assert_eq!(
        ben.private_fostering[0].visits[0].observation,
        "Smiling and playing with the carer's dog"
    );

    // The work it makes is due for the worker: the open assessment, the review conference and
    // the plan action.
    let due = s
        .work_due(WorkScope::Worker(id(11)), date(2026, 3, 2))
        .await
        .unwrap();
    let whats: Vec<&str> = due.iter().map(|d| d.what.as_str()).collect();
    assert!(whats.iter().any(|w| w.contains("ssessment")), "{whats:?}");
    assert!(
        whats.iter().any(|w| w.contains("review conference")),
        "{whats:?}"
    );
    assert!(
        whats.iter().any(|w| w.starts_with("Plan action")),
        "{whats:?}"
    );

    // The schema's protections hold for loaded records too.
    let err = f
        .raw_execute("DELETE FROM cp_plan")
        .await
        .expect_err("delete");
    assert!(err.to_string().contains("never deleted"));

    // The looked-after records are in their tables, linked, and kept like the rest.
    assert_eq!(
        f.raw_count(
            "SELECT COUNT(*) FROM cla_episode e JOIN cla_period p ON p.id = e.period_id \
             WHERE p.category_of_need = 'N1' AND e.legal_status = 'C1' AND e.ended_on IS NULL"
        )
        .await,
        1
    );
    assert_eq!(
        f.raw_count(
            "SELECT COUNT(*) FROM care_leaver_year WHERE in_touch = 'YES' AND activity = 'F2' AND year = 2026"
        )
        .await,
        1
    );
    assert_eq!(
        f.raw_count("SELECT COUNT(*) FROM cla_health WHERE immunisations AND sdq_score = 14")
            .await,
        1
    );
    for sql in [
        "DELETE FROM cla_period",
        "DELETE FROM cla_episode",
        "DELETE FROM cla_review",
        "DELETE FROM cla_health",
        "DELETE FROM cla_missing",
        "DELETE FROM care_leaver_year",
    ] {
        let err = f.raw_execute(sql).await.expect_err(sql);
        assert!(err.to_string().contains("never deleted"), "{sql}: {err}");
    }
}

conformance!(a_load_that_breaks_a_constraint_leaves_nothing);
async fn a_load_that_breaks_a_constraint_leaves_nothing(f: &Fixture) {
    let s = &f.store;
    let mut c = council();
    // A note about a child who is not on the record: the foreign key refuses it, late in the load.
    c.notes[0].child_id = id(999);
    assert!(s.load_synthetic(Actor::SYSTEM, &c, "broken").await.is_err());
    assert_eq!(s.count_people().await.unwrap(), 0);
    let entries = s
        .audit_entries(&AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(entries.iter().all(|e| e.entity_type != "synthetic_council"));
    assert!(s.list_workers().await.unwrap().is_empty());
    // The same council, mended, loads.
    let k = s
        .load_synthetic(Actor::SYSTEM, &council(), "mended")
        .await
        .unwrap();
    assert_eq!(k.people, 4);
}

conformance!(an_episode_that_ends_without_a_reason_is_refused);
async fn an_episode_that_ends_without_a_reason_is_refused(f: &Fixture) {
    let s = &f.store;
    let mut c = council();
    // An end date with no reason ceased (903 rule 148): the schema refuses it, and nothing lands.
    c.cla_episodes[0].reason_ceased = None;
    assert!(s.load_synthetic(Actor::SYSTEM, &c, "broken").await.is_err());
    assert_eq!(s.count_people().await.unwrap(), 0);
    // Nor an episode that ends before it starts.
    let mut c = council();
    c.cla_episodes[2].ended_on = Some(date(2019, 6, 2));
    assert!(s.load_synthetic(Actor::SYSTEM, &c, "broken").await.is_err());
    assert_eq!(s.count_people().await.unwrap(), 0);
}

#[test]
fn dates_in_the_fixture_are_consistent() {
    // The fixture's due dates follow the statutory timescales it claims.
    assert_eq!(
        domain::timescales::initial_conference_due(date(2026, 1, 13)).unwrap(),
        date(2026, 2, 3)
    );
    assert_eq!(
        domain::timescales::assessment_due(date(2026, 1, 12)).unwrap(),
        date(2026, 3, 16)
    );
    let _: NaiveDate = date(2026, 1, 1);
}
