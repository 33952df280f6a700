//! Correcting a visit on its pages and through the API: the amendment keeps the earlier version
//! and the reason (shown on the child's page), a visit entered in error is marked and no longer
//! counted, a blank reason or a stale page saves nothing, and the role is checked.

use axum::http::StatusCode;
use domain::access::Role;
use serde_json::{Value, json};

use crate::api::{json_req, token};
use crate::{Browser, TestApp, hidden_value};

fn kv(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

async fn post(t: &TestApp, path: &str, who: &Browser, fields: &[(String, String)]) -> crate::Resp {
    let mut all = vec![("csrf_token".to_string(), who.csrf.clone())];
    all.extend(fields.iter().cloned());
    let f: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    t.post_form(path, Some(who), &f).await
}

fn visit_fields(text: &str, version: &str, reason: &str) -> Vec<(String, String)> {
    vec![
        kv("date-day", "10"),
        kv("date-month", "11"),
        kv("date-year", "2025"),
        kv("child_seen", "yes"),
        kv("seen_alone", "yes"),
        kv("childs_words", "I want to stay at my school."),
        kv("observation", ""),
        kv("text", text),
        kv("version", version),
        kv("reason", reason),
    ]
}

/// A visit recorded through the API by `sw`: its id.
async fn visit(t: &TestApp, tok: &str, child: uuid::Uuid, text: &str) -> String {
    let r = t
        .send(json_req(
            "POST",
            &format!("/api/children/{child}/notes"),
            Some(tok),
            json!({"kind": "visit", "date": "2025-11-10", "child_seen": true, "seen_alone": true,
                "childs_words": "I want to stay at my school.", "observation": "", "text": text,
                "decision": "", "rationale": ""}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    serde_json::from_str::<Value>(&r.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Puts the child in care from 6 January 2025.
async fn in_care(t: &TestApp, kid: uuid::Uuid) {
    use domain::looked_after::care::{NewCarePeriod, NewPlacement};
    t.store
        .enter_care(
            store::Actor::SYSTEM,
            kid,
            NewCarePeriod {
                started_on: crate::date(2025, 1, 6),
                legal_status: "C2".into(),
                category_of_need: "N1".into(),
                rationale: "No safe family option.".into(),
                placement: NewPlacement {
                    placement: "U4".into(),
                    provider: "PR1".into(),
                    postcode: "ZX1 2AB".into(),
                    urn: "SC123456".into(),
                    carer: "Jo Carer".into(),
                    planned: Some(true),
                },
                previous_permanence: "Z1".into(),
                previous_permanence_la: String::new(),
                previous_permanence_on: None,
            },
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_visit_is_amended_with_a_reason_and_another_entered_in_error_on_its_pages() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("fd", Role::FrontDoor, None).await;
    let kid = t.child("Rae", "Moss", false).await;
    let tok = token(&t, "sw").await;
    let first = visit(&t, &tok, kid, "Home visit after school.").await;
    let second = visit(&t, &tok, kid, "Visit that was meant for Rae's cousin.").await;
    let sw = t.sign_in("sw").await;

    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(
        page.body
            .contains(&format!("href=\"/notes/{first}/amend\"")),
        "the child's page links to the correction"
    );
    let form = t.get(&format!("/notes/{first}/amend"), Some(&sw)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("Amend this note"));
    assert!(
        form.body.contains("Home visit after school."),
        "the form starts from the record"
    );
    assert_eq!(hidden_value(&form.body, "version"), "1");

    // A blank reason is refused with a field error, and nothing is saved.
    let r = post(
        &t,
        &format!("/notes/{first}/amend"),
        &sw,
        &visit_fields("Home visit after school; Rae showed me her room.", "1", " "),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Enter the reason for amending this record"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("href=\"#reason\""),
        "the error summary links to the field"
    );
    let rec = t
        .store
        .view_child_record(store::Actor::SYSTEM, kid, "test")
        .await
        .unwrap();
    assert!(rec.corrections.is_empty());

    let r = post(
        &t,
        &format!("/notes/{first}/amend"),
        &sw,
        &visit_fields(
            "Home visit after school; Rae showed me her room.",
            "1",
            "Added what Rae showed me",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location(),
        format!("/children/{kid}?section=casework&saved=corrected")
    );

    // The same page posted again (it showed version 1) is refused on the page.
    let r = post(
        &t,
        &format!("/notes/{first}/amend"),
        &sw,
        &visit_fields("Overwritten", "1", "Another"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Someone else changed this since you opened it"),
        "{}",
        r.body
    );

    let r = post(
        &t,
        &format!("/notes/{second}/entered-in-error"),
        &sw,
        &[
            kv("version", "1"),
            kv("reason", "Recorded on the wrong child"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let page = t
        .get(
            &format!("/children/{kid}?section=casework&saved=corrected"),
            Some(&sw),
        )
        .await;
    for want in [
        "Correction saved",
        "Amended on",
        "by Test sw: Added what Rae showed me",
        "The version before this amendment",
        "Home visit after school.\n",
        "Rae showed me her room.",
        "Entered in error",
        "Recorded on the wrong child",
        "hearth-entered-in-error",
    ] {
        assert!(page.body.contains(want), "child's page lacks {want:?}");
    }
    // The visit entered in error is no longer offered for correction, and not counted.
    assert!(!page.body.contains(&format!("/notes/{second}/amend")));
    assert!(page.body.contains("Last visit: 10 November 2025"));

    // Not for those who may not record visits; refusals are audited.
    let fd = t.sign_in("fd").await;
    let r = t.get(&format!("/notes/{first}/amend"), Some(&fd)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        &t,
        &format!("/notes/{first}/entered-in-error"),
        &fd,
        &[kv("version", "2"), kv("reason", "x")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let rec = t
        .store
        .view_child_record(store::Actor::SYSTEM, kid, "test")
        .await
        .unwrap();
    assert_eq!(rec.corrections.len(), 2);
    assert!(t.audit(domain::access::AuditAction::Denied).await.len() >= 2);
}

#[tokio::test]
async fn corrections_through_the_api_refuse_a_stale_version_and_a_blank_reason() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("fd", Role::FrontDoor, None).await;
    let kid = t.child("Sol", "Pike", false).await;
    let sw = token(&t, "sw").await;
    let id = visit(&t, &sw, kid, "Visit at school.").await;
    let record = json!({"kind": "visit", "date": "2025-11-10", "child_seen": true, "seen_alone": true,
        "childs_words": "I want to stay at my school.", "observation": "", "text": "Visit at school, with his teacher.",
        "decision": "", "rationale": ""});
    let amend = |tok: &str, body: Value| {
        json_req("POST", &format!("/api/notes/{id}/amend"), Some(tok), body)
    };

    let r = t
        .send(amend(
            &sw,
            json!({"version": 1, "reason": "", "record": record}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("\"field\":\"reason\""), "{}", r.body);
    let fd = token(&t, "fd").await;
    let r = t
        .send(amend(
            &fd,
            json!({"version": 1, "reason": "Typo", "record": record}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    let r = t
        .send(amend(
            &sw,
            json!({"version": 1, "reason": "The teacher was there", "record": record}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let c: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(c["kind"], "amended");
    assert_eq!(c["previous"]["text"], "Visit at school.");
    let r = t
        .send(amend(
            &sw,
            json!({"version": 1, "reason": "Again", "record": record}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    // Oversight is corrected by managers, as it is recorded.
    let tm = token(&t, "tm").await;
    let r = t
        .send(json_req("POST", &format!("/api/children/{kid}/notes"), Some(&tm),
            json!({"kind": "oversight", "date": "2025-11-11", "childs_words": "", "observation": "", "text": "",
                "decision": "Continue CIN plan", "rationale": "Progress at school"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let oversight = serde_json::from_str::<Value>(&r.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let in_error = |tok: &str| {
        json_req(
            "POST",
            &format!("/api/notes/{oversight}/entered-in-error"),
            Some(tok),
            json!({"version": 1, "reason": "Duplicate"}),
        )
    };
    assert_eq!(t.send(in_error(&sw)).await.status, StatusCode::FORBIDDEN);
    let r = t.send(in_error(&tm)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        serde_json::from_str::<Value>(&r.body).unwrap()["kind"],
        "entered_in_error"
    );

    let doc = t
        .send(json_req("GET", "/api/openapi.json", None, Value::Null))
        .await;
    for want in [
        "/api/notes/{id}/amend",
        "/api/notes/{id}/entered-in-error",
        "AmendNewNote",
        "EnteredInErrorBody",
    ] {
        assert!(doc.body.contains(want), "OpenAPI lacks {want}");
    }
}

#[tokio::test]
async fn a_conviction_is_amended_and_a_substance_misuse_entered_in_error_on_the_care_section() {
    use domain::looked_after::health::NewOc2Event;
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("pa", Role::PerformanceAnalyst, None).await;
    let kid = t
        .child_born("Ash", "Reed", crate::date(2011, 4, 2), false)
        .await;
    in_care(&t, kid).await;
    let ev = |kind: &str, r: Option<bool>, o: Option<bool>| NewOc2Event {
        kind: kind.into(),
        happened_on: crate::date(2025, 8, 1),
        intervention_received: r,
        intervention_offered: o,
        note: String::new(),
    };
    let conviction = t
        .store
        .record_oc2_event(store::Actor::SYSTEM, kid, ev("conviction", None, None))
        .await
        .unwrap();
    let misuse = t
        .store
        .record_oc2_event(
            store::Actor::SYSTEM,
            kid,
            ev("substance_misuse", Some(false), Some(true)),
        )
        .await
        .unwrap();
    let sw = t.sign_in("sw").await;
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(
        page.body.contains("Convictions and substance misuse"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!(
        "href=\"/offending-and-substance-misuse/{}/amend\"",
        conviction.id
    )));

    let form = t
        .get(
            &format!("/offending-and-substance-misuse/{}/amend", conviction.id),
            Some(&sw),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert_eq!(hidden_value(&form.body, "version"), "1");
    // The domain's checks against the child's record hold: not before the child entered care.
    let dated = |d: &str, reason: &str| {
        vec![
            kv("happened-day", d),
            kv("happened-month", "12"),
            kv("happened-year", "2024"),
            kv("note", "Final warning"),
            kv("version", "1"),
            kv("reason", reason),
        ]
    };
    let r = post(
        &t,
        &format!("/offending-and-substance-misuse/{}/amend", conviction.id),
        &sw,
        &dated("1", "Wrong date"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("on or after the child entered care"),
        "{}",
        r.body
    );
    let mut fixed = dated("1", "Wrong date, it was in March");
    fixed[1] = kv("happened-month", "3");
    fixed[2] = kv("happened-year", "2025");
    let r = post(
        &t,
        &format!("/offending-and-substance-misuse/{}/amend", conviction.id),
        &sw,
        &fixed,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Not for those who may not record it.
    let pa = t.sign_in("pa").await;
    let r = post(
        &t,
        &format!(
            "/offending-and-substance-misuse/{}/entered-in-error",
            misuse.id
        ),
        &pa,
        &[kv("version", "1"), kv("reason", "x")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        &t,
        &format!(
            "/offending-and-substance-misuse/{}/entered-in-error",
            misuse.id
        ),
        &sw,
        &[kv("version", "1"), kv("reason", "Another child's")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    for want in [
        "Amended on",
        "Wrong date, it was in March",
        "1 March 2025",
        "1 August 2025",
        "Entered in error",
        "Another child&#x27;s",
    ] {
        assert!(page.body.contains(want), "child's page lacks {want:?}");
    }
    let x = t.store.looked_after_export_for(2026, kid).await.unwrap();
    assert_eq!(
        x.oc2_events.len(),
        1,
        "the substance misuse entered in error is left out of the 903"
    );
    assert_eq!(x.oc2_events[0].happened_on, crate::date(2025, 3, 1));
}

#[tokio::test]
async fn a_decision_to_place_for_adoption_is_amended_then_entered_in_error() {
    use domain::looked_after::adoption::AdoptionStep;
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    let kid = t
        .child_born("Bea", "Lark", crate::date(2023, 2, 1), false)
        .await;
    in_care(&t, kid).await;
    let d = t
        .store
        .record_adoption_step(
            store::Actor::SYSTEM,
            kid,
            AdoptionStep {
                kind: "decision".into(),
                on: crate::date(2025, 3, 3),
                adopters: None,
                adopters_sex: String::new(),
                adopters_legal_status: String::new(),
                foster_carers: None,
                reason: String::new(),
            },
        )
        .await
        .unwrap();
    let sw = t.sign_in("sw").await;
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(
        page.body
            .contains(&format!("href=\"/adoption-decisions/{}/amend\"", d.id)),
        "{}",
        page.body
    );
    let form = t
        .get(&format!("/adoption-decisions/{}/amend", d.id), Some(&sw))
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let fields = |ceased: &str, reason: &str| {
        vec![
            kv("decided-day", "4"),
            kv("decided-month", "3"),
            kv("decided-year", "2025"),
            kv("ceased-day", ceased),
            kv("ceased-month", if ceased.is_empty() { "" } else { "6" }),
            kv("ceased-year", if ceased.is_empty() { "" } else { "2025" }),
            kv("reason_ceased", reason),
            kv("version", "1"),
            kv("reason", "The panel met the next day"),
        ]
    };
    let r = post(
        &t,
        &format!("/adoption-decisions/{}/amend", d.id),
        &sw,
        &fields("2", ""),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Select why the child should no longer be placed for adoption"),
        "{}",
        r.body
    );
    let r = post(
        &t,
        &format!("/adoption-decisions/{}/amend", d.id),
        &sw,
        &fields("", ""),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(
        page.body.contains("Decided 4 March 2025"),
        "the amended date is the decision's"
    );
    assert!(page.body.contains("The panel met the next day"));

    // The match is amended only: one made in error goes with its decision.
    let mut m = AdoptionStep {
        kind: "match".into(),
        on: crate::date(2025, 5, 1),
        adopters: Some(1),
        adopters_sex: "F1".into(),
        adopters_legal_status: "L0".into(),
        foster_carers: Some(false),
        reason: String::new(),
    };
    m.on = crate::date(2025, 5, 1);
    let matched = t
        .store
        .record_adoption_step(store::Actor::SYSTEM, kid, m)
        .await
        .unwrap()
        .matched
        .unwrap();
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(
        page.body
            .contains(&format!("href=\"/adoption-matches/{}/amend\"", matched.id))
    );
    assert!(!page.body.contains(&format!(
        "/adoption-matches/{}/entered-in-error",
        matched.id
    )));
    let r = post(
        &t,
        &format!("/adoption-matches/{}/amend", matched.id),
        &sw,
        &[
            kv("matched-day", "1"),
            kv("matched-month", "5"),
            kv("matched-year", "2025"),
            kv("adopters", "1"),
            kv("adopters_sex", "F1"),
            kv("adopters_legal_status", "L0"),
            kv("foster_carers", "yes"),
            kv("version", "1"),
            kv("reason", "She had fostered Bea"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = post(
        &t,
        &format!("/adoption-matches/{}/entered-in-error", matched.id),
        &sw,
        &[kv("version", "2"), kv("reason", "x")],
    )
    .await;
    assert_ne!(
        r.status,
        StatusCode::SEE_OTHER,
        "a match is not entered in error on its own"
    );

    let r = post(
        &t,
        &format!("/adoption-decisions/{}/entered-in-error", d.id),
        &sw,
        &[kv("version", "2"), kv("reason", "Recorded for her brother")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    for want in [
        "No decision to place for adoption in force",
        "Entered in error",
        "Recorded for her brother",
        "4 March 2025",
    ] {
        assert!(page.body.contains(want), "child's page lacks {want:?}");
    }
    assert!(
        t.store
            .looked_after_export_for(2025, kid)
            .await
            .unwrap()
            .adoption
            .is_empty(),
        "left out of the 903"
    );
}

#[tokio::test]
async fn the_end_of_uasc_status_is_amended_on_the_care_section() {
    use domain::looked_after::UascEnd;
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    let kid = t
        .child_born("Omar", "Hale", crate::date(2009, 9, 1), false)
        .await;
    let mut p = t
        .store
        .view_child_record(store::Actor::SYSTEM, kid, "test")
        .await
        .unwrap()
        .person;
    p.details.uasc = true;
    t.store
        .update_person(store::Actor::SYSTEM, kid, p.version, p.details)
        .await
        .unwrap();
    in_care(&t, kid).await;
    t.store
        .record_uasc_end(
            store::Actor::SYSTEM,
            kid,
            UascEnd {
                ceased_on: crate::date(2025, 6, 1),
                reason: "leave_granted".into(),
            },
        )
        .await
        .unwrap();
    let sw = t.sign_in("sw").await;
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(
        page.body
            .contains(&format!("href=\"/uasc-ends/{kid}/amend\"")),
        "{}",
        page.body
    );
    let form = t.get(&format!("/uasc-ends/{kid}/amend"), Some(&sw)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let fields = |uasc_reason: &str| {
        vec![
            kv("ceased-day", "28"),
            kv("ceased-month", "5"),
            kv("ceased-year", "2025"),
            kv("uasc_reason", uasc_reason),
            kv("version", "1"),
            kv("reason", "The letter was dated 28 May"),
        ]
    };
    let r = post(&t, &format!("/uasc-ends/{kid}/amend"), &sw, &fields("")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("href=\"#uasc_reason\""),
        "the UASC reason's problem is on its own field: {}",
        r.body
    );
    let r = post(
        &t,
        &format!("/uasc-ends/{kid}/amend"),
        &sw,
        &fields("leave_granted"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(page.body.contains("status ended 28 May 2025"));
    assert!(page.body.contains("The letter was dated 28 May"));
}

#[tokio::test]
async fn a_visit_dated_before_the_child_was_born_is_refused_and_so_is_an_amendment_to_it() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    let sw = t.sign_in("sw").await;
    let tok = token(&t, "sw").await;
    // Born 17 May 2018 (the test child).
    let kid = t.child("Ned", "Early", false).await;
    let mut fields = visit_fields("Home visit.", "", "");
    fields.retain(|(k, _)| k != "version" && k != "reason");
    fields[2] = kv("date-year", "1990");
    fields.push(kv("kind", "visit"));
    let r = post(
        &t,
        &format!("/children/{kid}/notes?kind=visit"),
        &sw,
        &fields,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("The date must be on or after the child&#x27;s date of birth, 17 May 2018")
            || r.body
                .contains("The date must be on or after the child's date of birth, 17 May 2018"),
        "{}",
        r.body
    );
    let api = t
        .send(json_req("POST", &format!("/api/children/{kid}/notes"), Some(&tok),
            json!({"kind": "visit", "date": "1990-11-10", "child_seen": true, "seen_alone": true,
                "childs_words": "Hello.", "observation": "", "text": "x", "decision": "", "rationale": ""})))
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    // A visit rightly dated cannot be amended to before the birth either.
    let id = visit(&t, &tok, kid, "Home visit.").await;
    let mut amend = visit_fields("Home visit.", "1", "Wrong year typed");
    amend[2] = kv("date-year", "1990");
    let r = post(&t, &format!("/notes/{id}/amend"), &sw, &amend).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("date of birth, 17 May 2018"), "{}", r.body);
}

#[tokio::test]
async fn a_visit_dated_long_ago_is_saved_only_once_the_worker_confirms_the_date() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    let sw = t.sign_in("sw").await;
    let kid = t.child("Lia", "Late", false).await;
    let long_ago = domain::calendar::uk_now().date() - chrono::Days::new(400);
    let mut fields = visit_fields("Home visit; Lia showed me her room.", "", "");
    fields.retain(|(k, _)| k != "version" && k != "reason");
    fields[0] = kv("date-day", &long_ago.format("%-d").to_string());
    fields[1] = kv("date-month", &long_ago.format("%-m").to_string());
    fields[2] = kv("date-year", &long_ago.format("%Y").to_string());
    fields.push(kv("kind", "visit"));
    let path = format!("/children/{kid}/notes?kind=visit");
    // The first save asks to check the date, carrying what was written; nothing is saved.
    let r = post(&t, &path, &sw, &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("Check the date of this visit"),
        "{}",
        r.body
    );
    assert!(r.body.contains("1 year and 1 month ago"), "{}", r.body);
    assert!(r.body.contains("Save: the date is right"));
    assert!(r.body.contains("Lia showed me her room."));
    let rec = t
        .store
        .view_child_record(store::Actor::SYSTEM, kid, "test")
        .await
        .unwrap();
    assert!(rec.notes.is_empty());
    // "Change the answers" goes back to the form with everything as written.
    let mut change = fields.clone();
    change.push(kv("confirmed", "yes"));
    change.push(kv("change", "yes"));
    let r = post(&t, &path, &sw, &change).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Record a visit"));
    assert!(r.body.contains("Lia showed me her room."));
    assert!(!r.body.contains("Check the date of this visit"));
    // Confirmed, it is saved with its date.
    let mut confirmed = fields.clone();
    confirmed.push(kv("confirmed", "yes"));
    let r = post(&t, &path, &sw, &confirmed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rec = t
        .store
        .view_child_record(store::Actor::SYSTEM, kid, "test")
        .await
        .unwrap();
    assert_eq!(rec.notes.len(), 1);
    assert_eq!(rec.notes[0].note.date, long_ago);
    // A visit dated today needs no confirmation.
    let today = domain::calendar::uk_now().date();
    fields[0] = kv("date-day", &today.format("%-d").to_string());
    fields[1] = kv("date-month", &today.format("%-m").to_string());
    fields[2] = kv("date-year", &today.format("%Y").to_string());
    assert_eq!(
        post(&t, &path, &sw, &fields).await.status,
        StatusCode::SEE_OTHER
    );
}
