use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn fostering() -> NewPlacement {
    NewPlacement {
        placement: "U6".into(),
        provider: "PR1".into(),
        postcode: "AB1 2AB".into(),
        urn: "SC123456".into(),
        carer: "Mr and Mrs Carer".into(),
        planned: Some(false),
    }
}

fn entering(on: NaiveDate) -> NewCarePeriod {
    NewCarePeriod {
        started_on: on,
        legal_status: "V2".into(),
        category_of_need: "N1".into(),
        rationale: "Parents agreed accommodation after the injury; no safe family option.".into(),
        placement: fostering(),
        previous_permanence: "Z1".into(),
        previous_permanence_la: String::new(),
        previous_permanence_on: None,
    }
}

fn episode(start: NaiveDate, end: Option<NaiveDate>, rne: &str, ls: &str, place: &str) -> Episode {
    let period = Uuid::nil();
    Episode {
        id: Uuid::now_v7(),
        period_id: period,
        child_id: Uuid::nil(),
        started_on: start,
        ended_on: end,
        reason_new: rne.into(),
        legal_status: ls.into(),
        placement: place.into(),
        provider: Some("PR1".into()),
        placement_postcode: Some("AB1 2AB".into()),
        urn: Some("SC123456".into()),
        reason_ceased: end.map(|_| "X1".into()),
        reason_place_change: None,
    }
}

fn ctx<'a>(eps: &'a [Episode]) -> CareContext<'a> {
    CareContext {
        today: d(2026, 2, 1),
        date_of_birth: Some(d(2015, 6, 1)),
        episodes: eps,
        adoption: &[],
    }
}

/// A decision to place for adoption in force since `on`, matched on `matched`.
fn decided(on: NaiveDate, matched: Option<NaiveDate>) -> Vec<adoption::AdoptionDecision> {
    vec![adoption::AdoptionDecision {
        id: Uuid::nil(),
        child_id: Uuid::nil(),
        decided_on: on,
        ceased_on: None,
        reason_ceased: None,
        matched: matched.map(|m| adoption::AdoptionMatch {
            id: Uuid::nil(),
            decision_id: Uuid::nil(),
            matched_on: m,
            adopters: 2,
            adopters_sex: "MF".into(),
            adopters_legal_status: "L11".into(),
            foster_carers: false,
        }),
    }]
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

fn move_to(on: NaiveDate, p: NewPlacement) -> CareChange {
    CareChange {
        changed_on: on,
        kind: "placement".into(),
        legal_status: String::new(),
        placement: p,
        same_carer: Some(false),
        reason_place_change: "CREQB".into(),
    }
}

#[test]
fn entering_care_with_a_full_placement_is_valid() {
    assert_eq!(entering(d(2026, 1, 12)).validate(&ctx(&[])), vec![]);
}

#[test]
fn entering_care_refuses_what_the_903_refuses() {
    let c = ctx(&[]);
    let mut e = entering(d(2026, 2, 2));
    e.rationale = " ".into();
    let errs = e.validate(&c);
    assert_eq!(fields(&errs), vec!["started", "rationale"]);
    assert_eq!(
        errs[0].message,
        "The date care started must be today or in the past"
    );

    // Short breaks are not a full placement; N9 is the CIN census's only.
    let mut e = entering(d(2026, 1, 12));
    e.legal_status = "V3".into();
    e.category_of_need = "N9".into();
    assert_eq!(
        fields(&e.validate(&c)),
        vec!["legal_status", "category_of_need"]
    );
    e.legal_status = "Q9".into();
    assert_eq!(
        e.validate(&c)[0].message,
        "\"Q9\" is not a legal status code"
    );

    // 380: not a temporary placement first (and 213: no provider or URN for one).
    let mut e = entering(d(2026, 1, 12));
    e.placement.placement = "T1".into();
    assert_eq!(
        fields(&e.validate(&c)),
        vec!["provider", "urn", "placement"]
    );
    e.placement.provider.clear();
    e.placement.urn.clear();
    let errs = e.validate(&c);
    assert_eq!(fields(&errs), vec!["placement"]);
    assert_eq!(
        errs[0].message,
        "A period of care cannot start with a temporary placement"
    );

    // 550: PR0 only with P1; 378: P1 not under V2; 408: A5 needs a placement order.
    let mut e = entering(d(2026, 1, 12));
    e.placement.provider = "PR0".into();
    assert_eq!(fields(&e.validate(&c)), vec!["provider"]);
    e.placement.placement = "P1".into();
    e.placement.urn.clear();
    assert_eq!(
        e.validate(&c)[0].message,
        "A child accommodated under section 20 (V2) cannot be placed with parents (P1)"
    );
    let mut e = entering(d(2026, 1, 12));
    e.legal_status = "C2".into();
    e.placement.placement = "A5".into();
    // 408, and 551: placed for adoption with no decision to place.
    assert_eq!(fields(&e.validate(&c)), vec!["placement", "placement"]);
    e.legal_status = "E1".into();
    let decisions = decided(d(2026, 1, 2), None);
    assert_eq!(
        e.validate(&CareContext {
            adoption: &decisions,
            ..c
        }),
        vec![]
    );

    // 371: supported accommodation is for 16 and over (the child is 10).
    let mut e = entering(d(2026, 1, 12));
    e.placement.placement = "K3".into();
    assert_eq!(
        e.validate(&c)[0].message,
        "A child must be 16 or over for a placement of type K3"
    );
    // A placement before the child was born; a placement type no longer valid (P2 from 2025/26).
    let mut e = entering(d(2015, 5, 1));
    e.placement.placement = "P2".into();
    let errs = e.validate(&c);
    assert_eq!(
        errs[0].message,
        "The date care started must be on or after the child's date of birth"
    );
    let mut e = entering(d(2026, 1, 12));
    e.placement.placement = "P2".into();
    assert_eq!(
        e.validate(&c)[0].message,
        "\"P2\" is not a placement type code"
    );
    // A URN that is not one; no postcode.
    let mut e = entering(d(2026, 1, 12));
    e.placement.urn = "123".into();
    e.placement.postcode = "nowhere".into();
    e.placement.planned = None;
    assert_eq!(fields(&e.validate(&c)), vec!["urn", "postcode", "planned"]);
}

#[test]
fn entering_care_again_needs_the_last_period_closed_and_after_it() {
    let mut ended = episode(d(2025, 1, 10), Some(d(2025, 6, 1)), "S", "V2", "U6");
    ended.reason_ceased = Some("E4A".into());
    let eps = [ended];
    assert_eq!(
        fields(&entering(d(2025, 6, 1)).validate(&ctx(&eps))),
        vec!["started"]
    );
    assert_eq!(entering(d(2025, 6, 2)).validate(&ctx(&eps)), vec![]);
    let open = [episode(d(2025, 1, 10), None, "S", "V2", "U6")];
    assert!(
        entering(d(2025, 6, 2)).validate(&ctx(&open))[0]
            .message
            .starts_with("The child is already looked after")
    );
}

#[test]
fn the_reason_for_a_new_episode_follows_what_changed() {
    assert_eq!(reason_new("placement", false), Some("P"));
    assert_eq!(reason_new("placement", true), Some("T"));
    assert_eq!(reason_new("legal_status", false), Some("L"));
    assert_eq!(reason_new("both", false), Some("B"));
    assert_eq!(reason_new("both", true), Some("U"));
    assert_eq!(reason_new("neither", true), None);
}

#[test]
fn a_move_is_dated_in_the_current_episode_and_gives_its_reason() {
    let eps = [episode(d(2025, 9, 1), None, "S", "C2", "U6")];
    let c = ctx(&eps);
    let mut other = fostering();
    other.urn = "SC654321".into();
    other.postcode = "ZX9 9ZZ".into();
    assert_eq!(move_to(d(2025, 11, 3), other.clone()).validate(&c), vec![]);
    let errs = move_to(d(2025, 8, 31), other.clone()).validate(&c);
    assert_eq!(
        errs[0].message,
        "The date of the change must be on or after the current episode began (1 September 2025)"
    );
    // 225: the reason for the change; nothing changed about the placement.
    let mut m = move_to(d(2025, 11, 3), fostering());
    m.reason_place_change.clear();
    assert_eq!(
        fields(&m.validate(&c)),
        vec!["placement", "reason_place_change"]
    );
    // 226: no reason for a move into a temporary placement; 380: a temporary placement is a new
    // carer (RNE P), not T.
    let mut m = move_to(
        d(2025, 11, 3),
        NewPlacement {
            placement: "T3".into(),
            provider: String::new(),
            urn: String::new(),
            ..other.clone()
        },
    );
    assert_eq!(fields(&m.validate(&c)), vec!["reason_place_change"]);
    m.reason_place_change.clear();
    assert_eq!(m.validate(&c), vec![]);
    m.same_carer = Some(true);
    assert_eq!(fields(&m.validate(&c)), vec!["same_carer"]);
    // 234: custody is not a reason for a child under 10 (the child is 10 on 1 June 2025).
    let mut m = move_to(d(2025, 11, 3), other);
    m.reason_place_change = "CUSTOD".into();
    assert_eq!(m.validate(&c), vec![]);
    let mut young = c;
    young.date_of_birth = Some(d(2016, 6, 1));
    assert_eq!(fields(&m.validate(&young)), vec!["reason_place_change"]);
    // Not looked after: nothing to change.
    assert_eq!(
        fields(&move_to(d(2025, 11, 3), fostering()).validate(&ctx(&[]))),
        vec!["changed"]
    );
}

#[test]
fn a_change_of_legal_status_keeps_the_placement_and_must_fit_it() {
    let eps = [episode(d(2025, 9, 1), None, "S", "C1", "A6")];
    let decisions = decided(d(2025, 8, 1), None);
    let c = CareContext {
        adoption: &decisions,
        ..ctx(&eps)
    };
    let change = |ls: &str| CareChange {
        changed_on: d(2025, 12, 1),
        kind: "legal_status".into(),
        legal_status: ls.into(),
        placement: NewPlacement::default(),
        same_carer: None,
        reason_place_change: String::new(),
    };
    assert_eq!(change("E1").validate(&c), vec![]);
    // 408: A6 under a placement order only; the same status again is no change; V4 is short breaks.
    assert_eq!(fields(&change("C2").validate(&c)), vec!["legal_status"]);
    assert_eq!(fields(&change("C1").validate(&c)), vec!["legal_status"]);
    assert_eq!(fields(&change("V4").validate(&c)), vec!["legal_status"]);
    let mut with_reason = change("E1");
    with_reason.reason_place_change = "CARPL".into();
    assert_eq!(
        fields(&with_reason.validate(&c)),
        vec!["reason_place_change"]
    );

    // The next episode copies what did not change.
    let (next, carer, planned) = next_episode(&eps[0], &change("e1"), Uuid::nil());
    assert_eq!(
        (
            next.reason_new.as_str(),
            next.legal_status.as_str(),
            next.placement.as_str()
        ),
        ("L", "E1", "A6")
    );
    assert_eq!(
        (next.urn, next.started_on, carer, planned),
        (Some("SC123456".into()), d(2025, 12, 1), None, None)
    );
}

#[test]
fn ceasing_care_needs_a_real_reason_that_fits_the_placement() {
    let eps = [episode(d(2025, 9, 1), None, "S", "C2", "U4")];
    let c = ctx(&eps);
    let cease = |on, rec: &str| CeaseCare {
        ended_on: on,
        reason_ceased: rec.into(),
    };
    assert_eq!(cease(d(2026, 1, 5), "E4A").validate(&c), vec![]);
    assert_eq!(
        fields(&cease(d(2026, 1, 5), "X1").validate(&c)),
        vec!["reason_ceased"]
    );
    // 390: adoption from a foster placement (and with no match recorded, 601); 460: E17 at
    // 10; future; before the episode.
    assert_eq!(
        fields(&cease(d(2026, 1, 5), "E11").validate(&c)),
        vec!["reason_ceased", "reason_ceased"]
    );
    assert_eq!(
        cease(d(2026, 1, 5), "E17").validate(&c)[0].message,
        "This reason does not fit a child aged 10"
    );
    assert_eq!(
        fields(&cease(d(2026, 2, 2), "E4A").validate(&c)),
        vec!["ended"]
    );
    assert_eq!(
        fields(&cease(d(2025, 8, 2), "E4A").validate(&c)),
        vec!["ended"]
    );
    // 381: not from a temporary placement.
    let temp = [episode(d(2025, 9, 1), None, "P", "C2", "T2")];
    assert_eq!(
        fields(&cease(d(2026, 1, 5), "E4A").validate(&ctx(&temp))),
        vec!["reason_ceased"]
    );
}

#[test]
fn placement_stability_counts_moves_in_the_last_year_and_time_in_the_placement() {
    // Looked after from January 2024; moved 1 February 2025 (13 months before today, so not in
    // the last 12) and 1 March 2025; a change of legal status on 1 June 2025 is not a move.
    let eps = [
        episode(d(2024, 1, 10), Some(d(2025, 2, 1)), "S", "V2", "U6"),
        episode(d(2025, 2, 1), Some(d(2025, 3, 1)), "P", "V2", "U4"),
        episode(d(2025, 3, 1), Some(d(2025, 6, 1)), "P", "V2", "K2"),
        episode(d(2025, 6, 1), None, "L", "C2", "K2"),
    ];
    let s = stability(&eps, d(2026, 2, 1));
    assert_eq!(s.moves_last_12_months, 1);
    assert_eq!(s.current_placement_since, Some(d(2025, 3, 1)));
    // 1 March 2025 to 1 February 2026: 365 days less February's 28.
    assert_eq!(s.days_in_current_placement, Some(337));
    let none = stability(&eps[..1], d(2026, 2, 1));
    assert_eq!(
        (none.moves_last_12_months, none.current_placement_since),
        (0, None)
    );
}

#[test]
fn code_lists_follow_the_collection_year() {
    assert!(placement_type().is_valid("Z1", 2025));
    assert!(!placement_type().is_valid("Z1", 2026));
    assert!(placement_type().is_valid("Z12", 2026));
    assert!(placement_type().is_valid("K3", 2025));
    assert!(!placement_type().is_valid("K3", 2024));
    assert!(!category_of_need().is_valid("N9", 2026));
    assert!(category_of_need().is_valid("N8", 2026));
    assert!(!reason_ceased().is_valid("X1", 2026));
    assert!(
        urn_well_formed("SC123456") && urn_well_formed("1234567") && urn_well_formed("xxxxxxx")
    );
    assert!(!urn_well_formed("SC12345"));
}

#[test]
fn adoption_episodes_follow_the_decision_and_the_match() {
    let eps = [episode(d(2025, 4, 1), None, "S", "C2", "U4")];
    let to_e1 = CareChange {
        changed_on: d(2025, 9, 1),
        kind: "legal_status".into(),
        legal_status: "E1".into(),
        placement: NewPlacement::default(),
        same_carer: None,
        reason_place_change: String::new(),
    };
    // 553: a placement order needs the decision to place; 554: made on or before it.
    assert_eq!(fields(&to_e1.validate(&ctx(&eps))), vec!["legal_status"]);
    let late = decided(d(2025, 10, 1), None);
    let c = CareContext {
        adoption: &late,
        ..ctx(&eps)
    };
    assert_eq!(fields(&to_e1.validate(&c)), vec!["legal_status"]);
    let decisions = decided(d(2025, 6, 1), None);
    let c = CareContext {
        adoption: &decisions,
        ..ctx(&eps)
    };
    assert_eq!(to_e1.validate(&c), vec![]);

    // 551: placed with adopters only with the decision.
    let under_order = [episode(d(2025, 9, 1), None, "L", "E1", "U4")];
    let adopters = CareChange {
        changed_on: d(2025, 11, 1),
        kind: "placement".into(),
        legal_status: String::new(),
        placement: NewPlacement {
            placement: "A6".into(),
            provider: "PR1".into(),
            carer: "The adopters".into(),
            ..fostering()
        },
        same_carer: Some(false),
        reason_place_change: "CARPL".into(),
    };
    assert_eq!(
        fields(&adopters.validate(&ctx(&under_order))),
        vec!["placement"]
    );
    let c = CareContext {
        adoption: &decisions,
        ..ctx(&under_order)
    };
    assert_eq!(adopters.validate(&c), vec![]);

    // 601: adopted only when matched, 582: after the match; 557: any other ending reverses the
    // decision first.
    let placed = [episode(d(2025, 11, 1), None, "P", "E1", "A6")];
    let cease = |rec: &str| CeaseCare {
        ended_on: d(2026, 1, 20),
        reason_ceased: rec.into(),
    };
    let c = CareContext {
        adoption: &decisions,
        ..ctx(&placed)
    };
    assert_eq!(fields(&cease("E11").validate(&c)), vec!["reason_ceased"]);
    let matched = decided(d(2025, 6, 1), Some(d(2025, 10, 1)));
    let c = CareContext {
        adoption: &matched,
        ..ctx(&placed)
    };
    assert_eq!(cease("E11").validate(&c), vec![]);
    let same_day = decided(d(2025, 6, 1), Some(d(2026, 1, 20)));
    let c2 = CareContext {
        adoption: &same_day,
        ..ctx(&placed)
    };
    assert_eq!(fields(&cease("E11").validate(&c2)), vec!["ended"]);
    let fostered = [episode(d(2025, 9, 1), None, "L", "E1", "U4")];
    let c = CareContext {
        adoption: &matched,
        ..ctx(&fostered)
    };
    assert_eq!(fields(&cease("E4A").validate(&c)), vec!["reason_ceased"]);
}

#[test]
fn previous_permanence_is_recorded_on_entering_care_from_april_2016() {
    let c = ctx(&[]);
    let with = |code: &str, la: &str, on: Option<NaiveDate>| NewCarePeriod {
        previous_permanence: code.into(),
        previous_permanence_la: la.into(),
        previous_permanence_on: on,
        ..entering(d(2025, 9, 1))
    };
    assert_eq!(with("Z1", "", None).validate(&c), vec![]);
    assert_eq!(with("P2", "370", Some(d(2020, 1, 1))).validate(&c), vec![]);
    assert_eq!(with("P3", "", None).validate(&c), vec![]);
    assert_eq!(with("p4", "WAL", None).validate(&c), vec![]);
    // 630: required; 635: nothing else with Z1; the council's code; the order before care.
    assert_eq!(
        fields(&with("", "", None).validate(&c)),
        vec!["previous_permanence"]
    );
    assert_eq!(
        fields(&with("Z1", "370", None).validate(&c)),
        vec!["previous_permanence"]
    );
    assert_eq!(
        fields(&with("P1", "37", None).validate(&c)),
        vec!["previous_permanence_la"]
    );
    assert_eq!(
        fields(&with("P1", "", Some(d(2025, 9, 2))).validate(&c)),
        vec!["previous_permanence_on"]
    );
    assert_eq!(
        fields(&with("P1", "", Some(d(2015, 1, 1))).validate(&c)),
        vec!["previous_permanence_on"]
    );
    // 634: not for care that started before 1 April 2016.
    let old = NewCarePeriod {
        started_on: d(2016, 3, 31),
        ..with("Z1", "", None)
    };
    assert_eq!(fields(&old.validate(&c)), vec!["previous_permanence"]);
    let old = NewCarePeriod {
        previous_permanence: String::new(),
        ..old
    };
    assert_eq!(old.validate(&c), vec![]);
}
