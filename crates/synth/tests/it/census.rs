//! The CIN census written from a synthetic council's journeys: it round-trips through the XML
//! writer and reader, and Hearth's own validator finds (almost) nothing wrong with it.

use chrono::NaiveDate;
use returns::findings::{Severity, summary_by_rule};
use synth::{Spec, census::cin_census, generate};

#[test]
fn the_census_from_the_journeys_passes_hearths_validator() {
    let as_at = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let council = generate(&Spec::demo(20_000, as_at));
    let year_end = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    let census = cin_census(&council, year_end, "999");
    assert!(
        census.children.len() > 500,
        "{} children",
        census.children.len()
    );

    // Through the writer and back.
    let mut xml = Vec::new();
    returns::cin::write(&mut xml, &census).unwrap();
    let back = returns::cin::read(&xml[..]).unwrap();
    assert_eq!(back.children.len(), census.children.len());
    let streamed = returns::cin::validate_stream(&xml[..]).unwrap();

    let v = returns::cin::validate(&census);
    assert_eq!(v.findings.len(), streamed.findings.len());
    let summary = summary_by_rule(&v.findings);
    for s in &summary {
        println!(
            "{} {:?} {} findings: {}",
            s.rule_code, s.severity, s.findings, s.message
        );
    }
    let children_with_errors: std::collections::HashSet<_> = v
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter_map(|f| f.child.clone())
        .collect();
    println!(
        "{} children; {} with errors; {} findings",
        census.children.len(),
        children_with_errors.len(),
        v.findings.len()
    );
    // Real returns carry a few errors; one built from a consistent record should carry none,
    // and only a few queries (an assessment still open long after it started, a section 47
    // enquiry continuing after its episode's assessment was authorised last year).
    let queries = v
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Error)
        .count();
    assert!(
        children_with_errors.is_empty() && queries * 50 < census.children.len(),
        "{} of {} children with errors, {queries} queries: {:?}",
        children_with_errors.len(),
        census.children.len(),
        summary
            .iter()
            .map(|s| (&s.rule_code, s.findings))
            .collect::<Vec<_>>()
    );
}
