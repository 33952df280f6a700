//! Leaving care through the pages and the API: a personal adviser beside the social worker
//! (team managers allocate), a pathway plan and its review (history kept), keeping in touch
//! after the young person left care; bad input refused naming the field, nothing saved; role
//! checks audited; views are access entries.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Datelike, Days, Months, NaiveDate};
use domain::access::{AuditAction, Role};
use domain::calendar::uk_now;
use domain::looked_after::care::{CeaseCare, NewCarePeriod, NewPlacement};
use serde_json::{Value, json};
use store::Actor;
use uuid::Uuid;

use crate::api::token;
use crate::{Browser, Resp, TestApp};

fn kv(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

fn date_fields(prefix: &str, d: NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{prefix}-day"), d.day().to_string()),
        (format!("{prefix}-month"), d.month().to_string()),
        (format!("{prefix}-year"), d.year().to_string()),
    ]
}

async fn post(t: &TestApp, path: &str, who: &Browser, fields: Vec<(String, String)>) -> Resp {
    let mut all = vec![("csrf_token".to_string(), who.csrf.clone())];
    all.extend(fields);
    let f: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    t.post_form(path, Some(who), &f).await
}

fn api_req(method: &str, path: &str, bearer: &str, body: Option<Value>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {bearer}"))
        .body(
            body.map(|b| Body::from(b.to_string()))
                .unwrap_or_else(Body::empty),
        )
        .unwrap()
}

fn json_of(r: &Resp) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.body))
}

fn field_errors(r: &Resp) -> Vec<String> {
    json_of(r)["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors: {}", r.body))
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
}

fn today() -> NaiveDate {
    uk_now().date()
}

/// A young person of 17 and a half who was in care from 16 and left 60 days ago.
async fn care_leaver(t: &TestApp, given: &str) -> Uuid {
    care_leaver_aged(t, given, 17 * 12 + 6).await
}

/// A young person `months` old who was in care from 16 years and a month until 60 days ago.
async fn care_leaver_aged(t: &TestApp, given: &str, months: u32) -> Uuid {
    let born = today().checked_sub_months(Months::new(months)).unwrap();
    let kid = t.child_born(given, "Leaver", born, false).await;
    t.store
        .enter_care(
            Actor::SYSTEM,
            kid,
            NewCarePeriod {
                started_on: born.checked_add_months(Months::new(16 * 12 + 1)).unwrap(),
                legal_status: "v2".into(),
                category_of_need: "N1".into(),
                rationale: "No safe family option.".into(),
                placement: NewPlacement {
                    placement: "U6".into(),
                    provider: "PR1".into(),
                    postcode: "ZX1 2AB".into(),
                    urn: "SC123456".into(),
                    carer: "Jo and Sam Carer".into(),
                    planned: Some(false),
                },
                previous_permanence: "p2".into(),
                previous_permanence_la: "370".into(),
                previous_permanence_on: None,
            },
        )
        .await
        .unwrap();
    t.store
        .cease_care(
            Actor::SYSTEM,
            kid,
            CeaseCare {
                ended_on: today() - Days::new(60),
                reason_ceased: "E4A".into(),
            },
        )
        .await
        .unwrap();
    kid
}

#[tokio::test]
async fn a_care_leaver_through_the_pages() {
    let t = TestApp::new().await;
    let sw_worker = t.worker("Sam Social").await;
    let pa_worker = t.worker("Pat Adviser").await;
    t.user("sw", Role::SocialWorker, Some(sw_worker)).await;
    t.user("tm", Role::TeamManager, None).await;
    let (sw, tm) = (t.sign_in("sw").await, t.sign_in("tm").await);
    let kid = care_leaver(&t, "Ava").await;
    let young = t
        .child_born(
            "Ben",
            "Young",
            today().checked_sub_months(Months::new(15 * 12)).unwrap(),
            false,
        )
        .await;
    t.store
        .allocate(Actor::SYSTEM, kid, sw_worker, today() - Days::new(400))
        .await
        .unwrap();

    // The section is on the page of a young person of 16 or more, not a younger child's.
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(
        page.body.contains("Leaving care") && page.body.contains("None allocated"),
        "{}",
        page.body
    );
    assert!(
        !t.get(&format!("/children/{young}?section=all"), Some(&sw))
            .await
            .body
            .contains("id=\"leaving-care\"")
    );

    // Team managers allocate the personal adviser; social workers may not.
    let pa_path = format!("/children/{kid}/personal-adviser");
    assert_eq!(
        t.get(&pa_path, Some(&sw)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(t.get(&pa_path, Some(&tm)).await.status, StatusCode::OK);
    let mut younger = vec![kv("worker_id", &pa_worker.to_string())];
    younger.extend(date_fields("from", today()));
    let r = post(
        &t,
        &format!("/children/{young}/personal-adviser"),
        &tm,
        younger,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("govuk-error-summary") && r.body.contains("16th birthday"),
        "{}",
        r.body
    );
    let mut good = vec![kv("worker_id", &pa_worker.to_string())];
    good.extend(date_fields("from", today() - Days::new(30)));
    let r = post(&t, &pa_path, &tm, good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location(),
        format!("/children/{kid}?saved=personal_adviser")
    );
    let page = t.get(r.location(), Some(&sw)).await;
    assert!(page.body.contains("Personal adviser allocated"));
    // Both workers: the social worker is still the allocated worker.
    assert!(page.body.contains("Pat Adviser") && page.body.contains("Sam Social"));
    let rec = t
        .store
        .view_child_record(Actor::SYSTEM, kid, "test")
        .await
        .unwrap();
    assert_eq!(
        rec.current_allocation().unwrap().allocation.worker_id,
        sw_worker
    );

    // A pathway plan: every problem at once, nothing saved; then the plan; then its review.
    let plan_path = format!("/children/{kid}/pathway-plan");
    assert_eq!(t.get(&plan_path, Some(&sw)).await.status, StatusCode::OK);
    let plan_date = today() - Days::new(100);
    let mut bad = vec![
        kv("views", "I want to go to college"),
        kv("action_1", "Apply to college"),
    ];
    bad.extend(date_fields("plan_date", plan_date));
    bad.extend(date_fields("review_due", plan_date + Days::new(200)));
    let r = post(&t, &plan_path, &sw, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for m in [
        "Enter the goals of the plan",
        "Enter who owns the action",
        "Enter the due date of the action",
        "reviewed within 6 months",
    ] {
        assert!(r.body.contains(m), "{m}: {}", r.body);
    }
    assert!(t.store.care_leaving(kid).await.unwrap().plans.is_empty());
    let plan = |on: NaiveDate, goals: &str| {
        let mut f = vec![
            kv("views", "I want to go to college and live near my friends"),
            kv("goals", goals),
            kv("action_1", "Apply to college"),
            kv("owner_1", "Ava with her PA"),
        ];
        f.extend(date_fields("plan_date", on));
        f.extend(date_fields("due_1", on + Days::new(30)));
        f.extend(date_fields("review_due", on + Days::new(90)));
        f
    };
    let r = post(&t, &plan_path, &sw, vec![]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for m in [
        "Enter the date of the plan",
        "Enter the young person",
        "Enter the goals of the plan",
        "Enter at least one action",
        "Enter the review due date",
    ] {
        assert!(r.body.contains(m), "{m}: {}", r.body);
    }
    let r = post(&t, &plan_path, &sw, plan(plan_date, "A college place")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(page.body.contains("A college place") && page.body.contains("Review the pathway plan"));
    let r = post(
        &t,
        &plan_path,
        &sw,
        plan(today() - Days::new(5), "College and a tenancy"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(
        page.body.contains("College and a tenancy")
            && page.body.contains("A college place")
            && page.body.contains("Superseded by the review of")
    );

    // Keeping in touch: not before the young person left care; unknown codes refused.
    let kit_path = format!("/children/{kid}/keeping-in-touch");
    let contact = |on: NaiveDate, in_touch: &str| {
        let mut f = vec![
            kv("seen", "yes"),
            kv("place", "At her flat"),
            kv("words", "I can walk to college from here."),
            kv("in_touch", in_touch),
        ];
        f.extend(date_fields("contact_on", on));
        f
    };
    let r = post(&t, &kit_path, &sw, contact(today() - Days::new(70), "YES")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("after the young person left care"),
        "{}",
        r.body
    );
    let r = post(&t, &kit_path, &sw, contact(today() - Days::new(3), "MAYBE")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Choose whether the council is in touch"));
    // Every problem at once, in the order of the fields.
    let r = post(
        &t,
        &kit_path,
        &sw,
        date_fields("contact_on", today() - Days::new(3)),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut last = 0;
    for m in [
        "Choose whether the young person was seen",
        "Enter where the young person was seen",
        "Choose whether the council is in touch",
    ] {
        let at = r.body.find(m).unwrap_or_else(|| panic!("{m}: {}", r.body));
        assert!(at > last, "{m} out of order");
        last = at;
    }
    assert!(t.store.care_leaving(kid).await.unwrap().contacts.is_empty());
    let r = post(&t, &kit_path, &sw, contact(today() - Days::new(3), "YES")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get(r.location(), Some(&sw)).await;
    assert!(page.body.contains("Keeping in touch recorded"));
    assert!(page.body.contains("I can walk to college from here."));

    // Activity and accommodation, from the day they began: staying put is from 18, and a
    // suitability is asked for with the accommodation.
    let status_path = format!("/children/{kid}/leaving-care-status");
    let status = |accom: &str, suitable: &str| {
        let mut f = vec![
            kv("activity", "F2"),
            kv("accommodation", accom),
            kv("suitable", suitable),
        ];
        f.extend(date_fields("from", today() - Days::new(20)));
        f
    };
    let r = post(&t, &status_path, &sw, status("Z", "yes")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("is for young people of 18 and over"),
        "{}",
        r.body
    );
    let r = post(&t, &status_path, &sw, status("U", "")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Choose whether the accommodation is suitable")
    );
    assert!(t.store.care_leaving(kid).await.unwrap().statuses.is_empty());
    let r = post(&t, &status_path, &sw, status("U", "yes")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get(r.location(), Some(&sw)).await;
    assert!(page.body.contains("Activity and accommodation recorded"));
    assert!(
        page.body
            .contains("Independent living (own tenancy, student accommodation) (suitable)")
            && page.body.contains("Full-time other education"),
        "{}",
        page.body
    );

    // Every change is audited for the young person.
    let created: Vec<String> = t
        .audit(AuditAction::Create)
        .await
        .into_iter()
        .filter(|a| a.person_id == Some(kid))
        .map(|a| a.detail)
        .collect();
    for d in [
        "personal adviser allocated",
        "pathway plan recorded",
        "keeping in touch recorded",
        "activity or accommodation recorded",
    ] {
        assert!(created.iter().any(|c| c == d), "{d}: {created:?}");
    }
}

#[tokio::test]
async fn a_care_leaver_through_the_api() {
    let t = TestApp::new().await;
    let pa_worker = t.worker("Pat Adviser").await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("analyst", Role::PerformanceAnalyst, None).await;
    let (sw, tm, analyst) = (
        token(&t, "sw").await,
        token(&t, "tm").await,
        token(&t, "analyst").await,
    );
    let kid = care_leaver(&t, "Ida").await;
    let never = t
        .child_born(
            "Nel",
            "Never",
            today().checked_sub_months(Months::new(17 * 12)).unwrap(),
            false,
        )
        .await;

    // The personal adviser: team managers only (403 audited), from 16, a known worker.
    let advisers = format!("/api/children/{kid}/personal-advisers");
    let body = json!({ "worker_id": pa_worker, "from": today() - Days::new(10) });
    let denied = t.audit(AuditAction::Denied).await.len();
    let r = t
        .send(api_req("POST", &advisers, &sw, Some(body.clone())))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(t.audit(AuditAction::Denied).await.len(), denied + 1);
    let r = t
        .send(api_req(
            "POST",
            &advisers,
            &tm,
            Some(json!({ "worker_id": Uuid::now_v7(), "from": today() })),
        ))
        .await;
    assert_eq!(
        (r.status, field_errors(&r)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["worker_id".to_string()]
        )
    );
    let r = t.send(api_req("POST", &advisers, &tm, Some(body))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(json_of(&r)["worker_name"], "Pat Adviser");

    // Pathway plans: before 16 years 3 months is 422 naming plan_date; nothing saved.
    let plans = format!("/api/children/{kid}/pathway-plans");
    let born = t
        .store
        .get_person(kid)
        .await
        .unwrap()
        .details
        .date_of_birth
        .unwrap();
    let plan = |on: NaiveDate, review: NaiveDate| {
        json!({
            "plan_date": on, "views": "I want my own flat", "goals": "A tenancy by 18",
            "actions": [{ "action": "Apply for housing", "owner": "Personal adviser", "due_on": on }],
            "review_due": review,
        })
    };
    let early = born.checked_add_months(Months::new(16 * 12 + 2)).unwrap();
    let r = t
        .send(api_req(
            "POST",
            &plans,
            &sw,
            Some(plan(early, early + Days::new(30))),
        ))
        .await;
    assert_eq!(
        (r.status, field_errors(&r)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["plan_date".to_string()]
        )
    );
    let on = today() - Days::new(200);
    let r = t
        .send(api_req(
            "POST",
            &plans,
            &sw,
            Some(plan(on, on + Days::new(190))),
        ))
        .await;
    assert_eq!(field_errors(&r), ["review_due"]);
    let r = t
        .send(api_req(
            "POST",
            &plans,
            &sw,
            Some(json!({ "plan_date": "soon" })),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = t
        .send(api_req(
            "POST",
            &plans,
            &analyst,
            Some(plan(on, on + Days::new(90))),
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t.send(api_req("GET", &plans, &sw, None)).await;
    assert_eq!((r.status, json_of(&r)), (StatusCode::OK, json!([])));
    let r = t
        .send(api_req(
            "POST",
            &plans,
            &sw,
            Some(plan(on, on + Days::new(90))),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let first = json_of(&r)["id"].clone();
    let r = t
        .send(api_req(
            "POST",
            &plans,
            &sw,
            Some(plan(on, on + Days::new(90))),
        ))
        .await;
    assert_eq!(
        field_errors(&r),
        ["plan_date"],
        "a review is dated after the plan it reviews"
    );
    let r = t
        .send(api_req(
            "POST",
            &plans,
            &sw,
            Some(plan(today() - Days::new(1), today() + Days::new(150))),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let second = json_of(&r)["id"].clone();
    // The history: the review, and the plan it superseded (unchanged but for that).
    let views = t.audit(AuditAction::View).await.len();
    let r = t.send(api_req("GET", &plans, &sw, None)).await;
    let list = json_of(&r);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(
        (list[0]["id"].clone(), list[0]["superseded_by"].clone()),
        (second.clone(), Value::Null)
    );
    assert_eq!(
        (list[1]["id"].clone(), list[1]["superseded_by"].clone()),
        (first, second)
    );
    assert_eq!(list[1]["goals"], "A tenancy by 18");
    assert_eq!(
        t.audit(AuditAction::View).await.len(),
        views + 1,
        "the view is an access entry"
    );

    // Keeping in touch.
    let kit = format!("/api/children/{kid}/keeping-in-touch");
    let contact = |on: NaiveDate, in_touch: &str| {
        json!({
            "contact_on": on, "seen": true, "place": "College cafe", "words": "Exams went well.",
            "in_touch": in_touch,
        })
    };
    for (body, field) in [
        (contact(today() - Days::new(61), "YES"), "contact_on"),
        (contact(today() - Days::new(2), "SOMETIMES"), "in_touch"),
    ] {
        let r = t.send(api_req("POST", &kit, &sw, Some(body))).await;
        assert_eq!(
            (r.status, field_errors(&r)),
            (StatusCode::UNPROCESSABLE_ENTITY, vec![field.to_string()])
        );
    }
    let r = t
        .send(api_req(
            "POST",
            &format!("/api/children/{never}/keeping-in-touch"),
            &sw,
            Some(contact(today(), "YES")),
        ))
        .await;
    assert_eq!(field_errors(&r), ["contact_on"], "never in care");
    assert!(t.store.care_leaving(kid).await.unwrap().contacts.is_empty());
    let r = t
        .send(api_req(
            "POST",
            &kit,
            &sw,
            Some(contact(today() - Days::new(2), "YES")),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // Activity and accommodation.
    let changes = format!("/api/children/{kid}/leaving-care-status");
    let change = |activity: &str, accom: &str| json!({ "from": today() - Days::new(30), "activity": activity, "accommodation": accom, "suitable": true });
    for (body, field) in [
        (change("F3", "D"), "activity"),
        (change("F4", "Q"), "accommodation"),
        (
            json!({ "from": today() - Days::new(70), "activity": "F4" }),
            "from",
        ),
    ] {
        let r = t.send(api_req("POST", &changes, &sw, Some(body))).await;
        assert_eq!(
            (r.status, field_errors(&r)),
            (StatusCode::UNPROCESSABLE_ENTITY, vec![field.to_string()])
        );
    }
    assert!(t.store.care_leaving(kid).await.unwrap().statuses.is_empty());
    let r = t
        .send(api_req("POST", &changes, &sw, Some(change("F4", "D"))))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let r = t
        .send(api_req(
            "GET",
            &format!("/api/children/{kid}/care-leaving"),
            &sw,
            None,
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let cl = json_of(&r);
    assert_eq!(cl["advisers"][0]["worker_name"], "Pat Adviser");
    assert_eq!(cl["plans"].as_array().unwrap().len(), 2);
    assert_eq!(cl["contacts"][0]["in_touch"], "YES");
    assert_eq!(
        (
            cl["statuses"][0]["activity"].clone(),
            cl["statuses"][0]["accommodation"].clone()
        ),
        (json!("F4"), json!("D"))
    );
    let r = t
        .send(api_req(
            "GET",
            &format!("/api/children/{}/care-leaving", Uuid::now_v7()),
            &sw,
            None,
        ))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_openapi_document_describes_leaving_care() {
    let t = TestApp::new().await;
    let r = t.get("/api/openapi.json", None).await;
    let doc = json_of(&r);
    for (path, method) in [
        ("/api/children/{id}/personal-advisers", "post"),
        ("/api/children/{id}/pathway-plans", "post"),
        ("/api/children/{id}/pathway-plans", "get"),
        ("/api/children/{id}/keeping-in-touch", "post"),
        ("/api/children/{id}/leaving-care-status", "post"),
        ("/api/children/{id}/care-leaving", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    assert!(doc["components"]["schemas"]["NewPathwayPlan"].is_object());
}

#[tokio::test]
async fn with_need_to_know_the_personal_adviser_opens_the_young_persons_record() {
    let t = TestApp::with_config(web::Config {
        need_to_know: true,
        ..Default::default()
    })
    .await;
    let pa_worker = t.worker("Pat Adviser").await;
    let other = t.worker("Olly Other").await;
    t.user("pa", Role::SocialWorker, Some(pa_worker)).await;
    t.user("other", Role::SocialWorker, Some(other)).await;
    let (pa, other_user) = (t.sign_in("pa").await, t.sign_in("other").await);
    let kid = care_leaver(&t, "Kit").await;
    let page = format!("/children/{kid}?section=all");
    assert_eq!(
        t.get(&page, Some(&pa)).await.status,
        StatusCode::FORBIDDEN,
        "not yet allocated"
    );
    t.store
        .allocate_personal_adviser(Actor::SYSTEM, kid, pa_worker, today() - Days::new(5))
        .await
        .unwrap();
    let r = t.get(&page, Some(&pa)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("id=\"adviser-heading\"")
            && r.body.contains("This child is not allocated to a worker.")
    );
    assert_eq!(
        t.get(&page, Some(&other_user)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn needs_support_to_25_progress_and_corrections_on_the_pages_and_api() {
    let t = TestApp::new().await;
    t.user("sw", Role::SocialWorker, None).await;
    let sw = t.sign_in("sw").await;
    let bearer = token(&t, "sw").await;
    let kid = care_leaver(&t, "Uma").await;

    // A needs assessment: the areas, what was found, the young person's views.
    let needs = format!("/children/{kid}/needs-assessment");
    let r = post(
        &t,
        &needs,
        &sw,
        date_fields("assessed_on", today() - Days::new(10)),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Enter what the assessment found")
            && r.body.contains("Enter the young person")
    );
    let mut f = vec![
        kv("areas", "finance"),
        kv("areas", "accommodation"),
        kv(
            "findings",
            "Needs help budgeting; wants a flat near college.",
        ),
        kv("views", "I want to learn to cook and manage my money."),
    ];
    f.extend(date_fields("assessed_on", today() - Days::new(10)));
    let r = post(&t, &needs, &sw, f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let cl = t.store.care_leaving(kid).await.unwrap();
    assert_eq!(
        cl.assessments[0].areas,
        vec!["finance".to_string(), "accommodation".to_string()]
    );
    let page = t.get(r.location(), Some(&sw)).await;
    assert!(
        page.body.contains("Needs assessment recorded")
            && page.body.contains("I want to learn to cook")
    );

    // Support to 25 is asked for around 21: refused at 17, naming the field.
    let r = t
        .send(api_req(
            "POST",
            &format!("/api/children/{kid}/support-requests"),
            &bearer,
            Some(json!({ "requested_on": today(), "words": "Help with my tenancy" })),
        ))
        .await;
    assert_eq!(field_errors(&r), ["requested_on"]);
    let older = care_leaver_aged(&t, "Vic", 21 * 12 - 2).await;
    let r = t
        .send(api_req(
            "POST",
            &format!("/api/children/{older}/support-requests"),
            &bearer,
            Some(json!({ "requested_on": today(), "words": "Help with my tenancy" })),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let page = t
        .get(&format!("/children/{older}?section=all"), Some(&sw))
        .await;
    assert!(page.body.contains("Support to 25"), "{}", page.body);

    // Progress on a pathway plan's action, with the version the page showed.
    let plan = t
        .store
        .record_pathway_plan(
            Actor::SYSTEM,
            kid,
            domain::care_leavers::NewPathwayPlan {
                plan_date: today() - Days::new(5),
                views: "College and my own flat".into(),
                goals: "A college place".into(),
                actions: vec![domain::care_leavers::NewPathwayAction {
                    action: "Apply to college".into(),
                    owner: "Uma with her adviser".into(),
                    due_on: today() + Days::new(30),
                }],
                review_due: today() + Days::new(150),
            },
        )
        .await
        .unwrap();
    let action = plan.actions[0].id;
    let path = format!("/pathway-actions/{action}");
    let form = t.get(&path, Some(&sw)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Apply to college"));
    let progress = |version: &str| {
        vec![
            kv("status", "in_progress"),
            kv("progress", "Application sent"),
            kv("version", version),
        ]
    };
    let r = post(&t, &path, &sw, progress("1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = post(&t, &path, &sw, progress("1")).await;
    assert_ne!(r.status, StatusCode::SEE_OTHER, "a stale page is refused");
    let cl = t.store.care_leaving(kid).await.unwrap();
    let a = &cl.plans[0].actions[0];
    assert_eq!(
        (a.status.as_str(), a.progress.as_str(), a.version),
        ("in_progress", "Application sent", 2)
    );
    let r = t
        .send(api_req(
            "POST",
            &format!("/api/pathway-actions/{action}/progress"),
            &bearer,
            Some(json!({ "version": 1, "status": "done", "progress": "Place offered" })),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    // A contact amended with a reason on its page; the earlier version stays visible.
    let k = t
        .store
        .record_keeping_in_touch(
            Actor::SYSTEM,
            kid,
            domain::care_leavers::NewKeepingInTouch {
                contact_on: today() - Days::new(3),
                seen: false,
                place: "By phone".into(),
                words: "I'm fine.".into(),
                in_touch: "NO".into(),
            },
        )
        .await
        .unwrap();
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(
        page.body
            .contains(&format!("/keeping-in-touch/{}/amend", k.id))
    );
    let mut f = vec![
        kv("seen", "no"),
        kv("place", "By phone"),
        kv("words", "I'm fine."),
        kv("in_touch", "YES"),
        kv("version", "1"),
        kv("reason", "She answered: the outcome was picked wrongly"),
    ];
    f.extend(date_fields("contact_on", today() - Days::new(3)));
    let r = post(&t, &format!("/keeping-in-touch/{}/amend", k.id), &sw, f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(
        page.body
            .contains("She answered: the outcome was picked wrongly")
            && page.body.contains("The version before this amendment"),
        "{}",
        page.body
    );
    assert_eq!(
        t.store.care_leaving(kid).await.unwrap().contacts[0].in_touch,
        "YES"
    );
    // And entered in error through the API: off the record's contacts, still on the page.
    let r = t
        .send(api_req(
            "POST",
            &format!("/api/keeping-in-touch/{}/entered-in-error", k.id),
            &bearer,
            Some(json!({ "version": 2, "reason": "Recorded on the wrong young person" })),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(t.store.care_leaving(kid).await.unwrap().contacts.is_empty());
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(
        page.body.contains("Recorded on the wrong young person")
            && page.body.contains("Entered in error")
    );
    // The needs assessment too, with its amend link on the page before.
    let needs_id = t.store.care_leaving(kid).await.unwrap().assessments[0].id;
    assert!(
        page.body
            .contains(&format!("/needs-assessments/{needs_id}/amend"))
    );
    let r = t
        .send(api_req(
            "POST",
            &format!("/api/needs-assessments/{needs_id}/entered-in-error"),
            &bearer,
            Some(json!({ "version": 1, "reason": "Another young person's assessment" })),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(
        t.store
            .care_leaving(kid)
            .await
            .unwrap()
            .assessments
            .is_empty()
    );
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(page.body.contains("Another young person"));
}
