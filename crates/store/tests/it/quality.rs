//! Case file audits on both backends: a random sample drawn again from its recorded seed, each
//! case assigned to an auditor who neither holds nor manages it (and a sample no auditor may
//! audit refused, saving nothing), audits graded on the council's template, moderation kept
//! with the grades it changed, learning actions on the owner's work due; nothing deleted.

use domain::access::Role;
use domain::quality::{
    DomainGrade, Grade, ModeratedGrade, NewAudit, NewLearningAction, NewModeration, NewProgramme,
    Sampling, ScopeKind, TemplateDomain,
};
use store::{Actor, DynRepository, NewUser, NewWorker, StoreError, WorkScope};
use uuid::Uuid;

use crate::{Fixture, child, conformance, date};

struct Council {
    team_a: Uuid,
    worker_a: Uuid,
    worker_b: Uuid,
    /// Team A's manager, who audits.
    manager: Uuid,
    /// An auditor who also holds cases in team B.
    auditor: Uuid,
    /// An auditor who holds no cases.
    lead: Uuid,
    /// Children allocated in team A, then in team B.
    team_a_children: Vec<Uuid>,
    team_b_children: Vec<Uuid>,
}

async fn account(s: &DynRepository, name: &str, role: Role, worker: Option<Uuid>) -> Uuid {
    s.create_user(
        Actor::SYSTEM,
        NewUser {
            username: name.into(),
            display_name: format!("{name} (test)"),
            role,
            worker_id: worker,
            password_hash: store::auth::hash_password("a long test password"),
        },
    )
    .await
    .unwrap()
    .id
}

async fn council(s: &DynRepository) -> Council {
    let team_a = s.create_team(Actor::SYSTEM, "Team A").await.unwrap().id;
    let team_b = s.create_team(Actor::SYSTEM, "Team B").await.unwrap().id;
    let mut workers = Vec::new();
    for (name, team, title) in [
        ("Ann Worker", team_a, "Social worker"),
        ("Tom Manager", team_a, "Team manager"),
        ("Bea Worker", team_b, "Social worker"),
    ] {
        let w = s
            .create_worker(
                Actor::SYSTEM,
                NewWorker {
                    name: name.into(),
                    team_id: Some(team),
                    role_title: title.into(),
                    agency: false,
                    started: date(2020, 1, 6),
                },
            )
            .await
            .unwrap();
        workers.push(w.id);
    }
    let manager = account(s, "tom", Role::TeamManager, Some(workers[1])).await;
    let auditor = account(s, "bea", Role::Auditor, Some(workers[2])).await;
    let lead = account(s, "lee", Role::Auditor, None).await;
    let (mut team_a_children, mut team_b_children) = (Vec::new(), Vec::new());
    for i in 0..12 {
        let c = s
            .create_person(
                Actor::SYSTEM,
                child(
                    &format!("Child{i}"),
                    "Sample",
                    date(2015, 1, 1 + i),
                    &format!("Q{i}"),
                ),
            )
            .await
            .unwrap();
        let (worker, list) = if i < 8 {
            (workers[0], &mut team_a_children)
        } else {
            (workers[2], &mut team_b_children)
        };
        s.allocate(Actor::SYSTEM, c.id, worker, date(2025, 3, 1))
            .await
            .unwrap();
        list.push(c.id);
    }
    Council {
        team_a,
        worker_a: workers[0],
        worker_b: workers[2],
        manager,
        auditor,
        lead,
        team_a_children,
        team_b_children,
    }
}

fn random(auditors: Vec<Uuid>, size: u32, seed: u64) -> NewProgramme {
    NewProgramme {
        theme: "Management oversight on child in need cases".into(),
        scope: ScopeKind::Service,
        team_id: None,
        period_start: date(2025, 1, 1),
        period_end: date(2025, 12, 31),
        auditors,
        sampling: Sampling::Random { size, seed },
    }
}

async fn graded(s: &DynRepository, child: Uuid, grade: Grade) -> NewAudit {
    NewAudit {
        child_id: child,
        grades: s
            .audit_template()
            .await
            .unwrap()
            .into_iter()
            .filter(|d| d.active)
            .map(|d| DomainGrade {
                domain: d.key,
                grade,
                evidence: "Supervision notes every four weeks with clear actions".into(),
            })
            .collect(),
        overall: grade,
        worker_conversation: "Talked through the audit with the worker, who agreed".into(),
        family_views: "Mum said the worker listens and comes when she says she will".into(),
    }
}

fn refused_field(e: StoreError) -> &'static str {
    match e {
        StoreError::Invalid { field, .. } => field,
        e => panic!("expected a refusal naming a field, got {e:?}"),
    }
}

conformance!(a_random_sample_is_drawn_again_from_its_seed_and_avoids_conflicts);
async fn a_random_sample_is_drawn_again_from_its_seed_and_avoids_conflicts(f: &Fixture) {
    let s = &f.store;
    let c = council(s).await;
    let lead = Actor::user(c.lead);
    let first = s
        .create_programme(lead, random(vec![c.manager, c.auditor], 6, 20261203))
        .await
        .unwrap();
    assert_eq!(first.method, "random");
    assert_eq!(first.seed, Some(20261203));
    assert_eq!(first.sample.len(), 6);
    // Drawn again from the recorded seed: the same cases in the same order.
    let again = s
        .create_programme(lead, random(vec![c.auditor, c.manager], 6, 20261203))
        .await
        .unwrap();
    let cases = |p: &domain::quality::Programme| -> Vec<Uuid> {
        p.sample.iter().map(|x| x.child_id).collect()
    };
    assert_eq!(cases(&first), cases(&again));
    let eligible = s
        .eligible_cases(
            ScopeKind::Service,
            None,
            date(2025, 1, 1),
            date(2025, 12, 31),
        )
        .await
        .unwrap();
    assert_eq!(eligible.len(), 12);
    assert_eq!(
        cases(&first),
        domain::quality::draw_sample(&eligible, 6, 20261203)
    );
    let other = s
        .create_programme(lead, random(vec![c.manager, c.auditor], 6, 7))
        .await
        .unwrap();
    assert_ne!(cases(&first), cases(&other));
    // Nobody audits a case they hold or manage: team A's manager audits team B's cases, the
    // auditor who works in team B audits team A's.
    for p in [&first, &again, &other] {
        for x in &p.sample {
            if c.team_a_children.contains(&x.child_id) {
                assert_eq!(x.auditor_id, c.auditor, "{x:?}");
            } else {
                assert!(c.team_b_children.contains(&x.child_id));
                assert_eq!(x.auditor_id, c.manager, "{x:?}");
            }
        }
    }
    // A team's scope holds only that team's cases.
    let team = s
        .eligible_cases(
            ScopeKind::Team,
            Some(c.team_a),
            date(2025, 1, 1),
            date(2025, 12, 31),
        )
        .await
        .unwrap();
    let mut expected = c.team_a_children.clone();
    expected.sort();
    assert_eq!(team, expected);
    // Only the manager of team A auditing: team A's cases are left out of the random draw.
    let managed = s
        .create_programme(lead, random(vec![c.manager], 12, 1))
        .await
        .unwrap();
    let mut drawn = cases(&managed);
    drawn.sort();
    let mut b = c.team_b_children.clone();
    b.sort();
    assert_eq!(drawn, b);
    // Front-door contacts decided in the period.
    let kid = s
        .create_person(
            Actor::SYSTEM,
            child("Cal", "Contact", date(2019, 6, 1), "QC"),
        )
        .await
        .unwrap()
        .id;
    crate::through_front_door(s, Actor::user(c.manager), kid, date(2025, 9, 1), "nfa").await;
    let decided = |from, to| s.eligible_cases(ScopeKind::Contacts, None, from, to);
    assert_eq!(
        decided(date(2025, 9, 1), date(2025, 9, 1)).await.unwrap(),
        vec![kid]
    );
    assert!(
        decided(date(2025, 9, 2), date(2025, 9, 30))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(s.audits_child(c.manager, b[0]).await.unwrap());
    assert!(!s.audits_child(c.lead, b[0]).await.unwrap());
    // The record's access facts name its auditors, for the role checks.
    let facts = s.access_facts(b[0]).await.unwrap();
    assert!(facts.auditors.contains(&c.manager));
    assert!(!facts.auditors.contains(&c.lead));
    assert!(s.access_facts(kid).await.unwrap().auditors.is_empty());
}

conformance!(chosen_cases_no_auditor_may_audit_are_refused_saving_nothing);
async fn chosen_cases_no_auditor_may_audit_are_refused_saving_nothing(f: &Fixture) {
    let s = &f.store;
    let c = council(s).await;
    let mut p = random(vec![c.manager], 0, 0);
    p.sampling = Sampling::Chosen {
        children: vec![c.team_b_children[0], c.team_a_children[0]],
    };
    let e = s
        .create_programme(Actor::user(c.lead), p.clone())
        .await
        .unwrap_err();
    assert_eq!(refused_field(e), "auditors");
    assert!(s.programmes().await.unwrap().is_empty());
    // A social worker is not an auditor.
    let sw = account(s, "ann", Role::SocialWorker, Some(c.worker_a)).await;
    p.auditors = vec![sw];
    let e = s
        .create_programme(Actor::user(c.lead), p.clone())
        .await
        .unwrap_err();
    assert_eq!(refused_field(e), "auditors");
    p.auditors = vec![c.lead];
    let ok = s.create_programme(Actor::user(c.lead), p).await.unwrap();
    assert_eq!(ok.method, "chosen");
    assert_eq!(ok.seed, None);
    assert_eq!(ok.sample[0].child_id, c.team_b_children[0]);
    assert_eq!(
        f.raw_count("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'audit_programme'")
            .await,
        1
    );
}

conformance!(audits_graded_moderated_with_history_and_learning_actions_on_work_due);
async fn audits_graded_moderated_with_history_and_learning_actions_on_work_due(f: &Fixture) {
    let s = &f.store;
    let c = council(s).await;
    let mut p = random(vec![c.manager, c.lead], 0, 0);
    p.sampling = Sampling::Chosen {
        children: vec![c.team_a_children[0]],
    };
    // Team A's manager is first in turn but manages the case: the lead is assigned.
    let prog = s.create_programme(Actor::user(c.lead), p).await.unwrap();
    let kid = c.team_a_children[0];
    assert_eq!(prog.sample[0].auditor_id, c.lead);
    // Only the assigned auditor records the audit; every active domain graded with evidence.
    let e = s
        .record_audit(
            Actor::user(c.manager),
            prog.id,
            graded(s, kid, Grade::Good).await,
        )
        .await
        .unwrap_err();
    assert_eq!(refused_field(e), "auditor");
    let mut missing = graded(s, kid, Grade::Good).await;
    missing.grades.pop();
    let e = s
        .record_audit(Actor::user(c.lead), prog.id, missing)
        .await
        .unwrap_err();
    assert_eq!(refused_field(e), "grades");
    let audit = s
        .record_audit(
            Actor::user(c.lead),
            prog.id,
            graded(s, kid, Grade::Good).await,
        )
        .await
        .unwrap();
    assert_eq!(audit.grades.len(), 7);
    assert_eq!(audit.team_id, Some(c.team_a));
    assert_eq!(
        s.programme(prog.id).await.unwrap().sample[0].audit_id,
        Some(audit.id)
    );
    // The auditor does not moderate their own audit; the manager of the case's team may not
    // either (a second auditor who manages it).
    let change = NewModeration {
        grades: vec![ModeratedGrade {
            domain: "risk".into(),
            grade: Grade::RequiresImprovement,
        }],
        reason: "The risk from the new partner was not assessed".into(),
    };
    let e = s
        .moderate_audit(Actor::user(c.lead), audit.id, change.clone())
        .await
        .unwrap_err();
    assert_eq!(refused_field(e), "moderator");
    let e = s
        .moderate_audit(Actor::user(c.manager), audit.id, change.clone())
        .await
        .unwrap_err();
    assert_eq!(refused_field(e), "moderator");
    // A second auditor on the programme, holding nothing in team A.
    let mut p2 = random(vec![c.lead, c.auditor], 0, 0);
    p2.sampling = Sampling::Chosen {
        children: vec![c.team_a_children[1]],
    };
    s.create_programme(Actor::user(c.lead), p2).await.unwrap();
    let e = s
        .moderate_audit(Actor::user(c.auditor), audit.id, change.clone())
        .await
        .unwrap_err();
    assert_eq!(
        refused_field(e),
        "moderator",
        "not an auditor of this programme"
    );
    // ...so the lead adds a programme the auditor moderates on: the same case, both auditing.
    let mut p3 = random(vec![c.lead, c.auditor], 0, 0);
    p3.sampling = Sampling::Chosen {
        children: vec![kid],
    };
    let prog3 = s.create_programme(Actor::user(c.lead), p3).await.unwrap();
    let assigned = prog3.sample[0].auditor_id;
    let second = if assigned == c.lead {
        c.auditor
    } else {
        c.lead
    };
    let a3 = s
        .record_audit(
            Actor::user(assigned),
            prog3.id,
            graded(s, kid, Grade::Good).await,
        )
        .await
        .unwrap();
    let mut no_reason = change.clone();
    no_reason.reason = " ".into();
    let e = s
        .moderate_audit(Actor::user(second), a3.id, no_reason)
        .await
        .unwrap_err();
    assert_eq!(refused_field(e), "reason");
    let moderated = s
        .moderate_audit(Actor::user(second), a3.id, change)
        .await
        .unwrap();
    let risk = moderated
        .grades
        .iter()
        .find(|g| g.domain == "risk")
        .unwrap();
    assert_eq!(risk.grade, Grade::RequiresImprovement);
    let agreed = s
        .moderate_audit(
            Actor::user(second),
            a3.id,
            NewModeration {
                grades: vec![ModeratedGrade {
                    domain: "overall".into(),
                    grade: Grade::Good,
                }],
                reason: String::new(),
            },
        )
        .await
        .unwrap();
    assert_eq!(agreed.moderations.len(), 2, "every moderation kept");
    let (m1, m2) = (&agreed.moderations[0], &agreed.moderations[1]);
    assert!(!m1.agreed);
    assert_eq!(m1.changes.len(), 1);
    assert_eq!(m1.changes[0].from, Grade::Good);
    assert_eq!(m1.changes[0].to, Grade::RequiresImprovement);
    assert!(m2.agreed && m2.changes.is_empty());
    assert_eq!(m1.moderator_id, second);
    // Learning actions on the owner's work due until done.
    let e = s
        .add_learning_action(
            Actor::user(c.lead),
            audit.id,
            NewLearningAction {
                action: " ".into(),
                owner_worker_id: c.worker_a,
                due_on: date(2099, 1, 1),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(refused_field(e), "action");
    let la = s
        .add_learning_action(
            Actor::user(c.lead),
            audit.id,
            NewLearningAction {
                action: "Record the risk assessment after the new partner moved in".into(),
                owner_worker_id: c.worker_a,
                due_on: date(2099, 1, 1),
            },
        )
        .await
        .unwrap();
    let today = domain::calendar::uk_now().date();
    let due = |items: Vec<domain::work::DueItem>| {
        items
            .into_iter()
            .filter(|i| i.what.starts_with("Learning action"))
            .count()
    };
    assert_eq!(
        due(s
            .work_due(WorkScope::Worker(c.worker_a), today)
            .await
            .unwrap()),
        1
    );
    assert_eq!(
        due(s.work_due(WorkScope::Team(c.team_a), today).await.unwrap()),
        1
    );
    assert_eq!(
        due(s
            .work_due(WorkScope::Worker(c.worker_b), today)
            .await
            .unwrap()),
        0
    );
    s.complete_learning_action(Actor::user(c.lead), la.id, today)
        .await
        .unwrap();
    assert_eq!(
        due(s
            .work_due(WorkScope::Worker(c.worker_a), today)
            .await
            .unwrap()),
        0
    );
    let mine = s.learning_actions_of(c.worker_a).await.unwrap();
    assert_eq!(mine[0].done_on, Some(today));
    // Themes read the period's audits with their moderated grades.
    let period = s.audits_between(today, today).await.unwrap();
    assert_eq!(period.len(), 2);
    // Every change audited; nothing deleted.
    assert_eq!(
        f.raw_count("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'case_file_audit'")
            .await,
        4
    );
    assert!(f.raw_execute("DELETE FROM audit_moderation").await.is_err());
    assert!(f.raw_execute("DELETE FROM case_file_audit").await.is_err());
    assert!(f.raw_execute("DELETE FROM learning_action").await.is_err());
}

conformance!(the_template_changes_without_code_and_audits_follow_it);
async fn the_template_changes_without_code_and_audits_follow_it(f: &Fixture) {
    let s = &f.store;
    let c = council(s).await;
    let template = s.audit_template().await.unwrap();
    assert_eq!(
        template.iter().map(|d| d.key.as_str()).collect::<Vec<_>>(),
        domain::quality::DEFAULT_DOMAINS
            .iter()
            .map(|d| d.0)
            .collect::<Vec<_>>()
    );
    let mut timeliness = template
        .iter()
        .find(|d| d.key == "timeliness")
        .unwrap()
        .clone();
    timeliness.active = false;
    s.save_template_domain(Actor::user(c.lead), timeliness)
        .await
        .unwrap();
    s.save_template_domain(
        Actor::user(c.lead),
        TemplateDomain {
            key: "permanence".into(),
            label: "Permanence planning".into(),
            hint: "A plan for permanence by the second review".into(),
            position: 8,
            active: true,
        },
    )
    .await
    .unwrap();
    let bad = TemplateDomain {
        key: "Not A Key".into(),
        label: "x".into(),
        hint: String::new(),
        position: 9,
        active: true,
    };
    assert_eq!(
        refused_field(
            s.save_template_domain(Actor::user(c.lead), bad)
                .await
                .unwrap_err()
        ),
        "key"
    );
    let mut p = random(vec![c.lead], 0, 0);
    p.sampling = Sampling::Chosen {
        children: vec![c.team_a_children[0]],
    };
    let prog = s.create_programme(Actor::user(c.lead), p).await.unwrap();
    let a = s
        .record_audit(
            Actor::user(c.lead),
            prog.id,
            graded(s, c.team_a_children[0], Grade::Outstanding).await,
        )
        .await
        .unwrap();
    let keys: Vec<&str> = a.grades.iter().map(|g| g.domain.as_str()).collect();
    assert!(keys.contains(&"permanence"));
    assert!(!keys.contains(&"timeliness"));
    assert_eq!(
        f.raw_count("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'audit_domain'")
            .await,
        2
    );
    assert!(f.raw_execute("DELETE FROM audit_domain").await.is_err());
}
