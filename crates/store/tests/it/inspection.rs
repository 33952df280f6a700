//! The scrutiny pack's commentary on both backends: kept with who wrote it and when, the latest
//! for an indicator and period shown and the earlier kept, each audited; empty commentary
//! refused.

use domain::access::AuditAction;
use domain::inspection::commentary::NewCommentary;
use store::{Actor, AuditQuery, StoreError};

use crate::{Fixture, conformance, date};

conformance!(commentary_is_kept_latest_shown_and_audited);
async fn commentary_is_kept_latest_shown_and_audited(f: &Fixture) {
    let s = &f.store;
    let (from, to) = (date(2026, 11, 1), date(2026, 11, 30));
    let new = |id: &str, text: &str| NewCommentary {
        indicator_id: id.into(),
        from,
        to,
        text: text.into(),
    };
    let first = s
        .save_commentary(Actor::SYSTEM, new("9", "Timeliness dipped in two teams."))
        .await
        .unwrap();
    s.save_commentary(Actor::SYSTEM, new("6", "Re-referrals are steady."))
        .await
        .unwrap();
    let second = s
        .save_commentary(
            Actor::SYSTEM,
            new("9", "Timeliness recovered by the month's end."),
        )
        .await
        .unwrap();
    let shown = s.commentary(from, to).await.unwrap();
    assert_eq!(shown.len(), 2);
    let nine = shown.iter().find(|c| c.indicator_id == "9").unwrap();
    assert_eq!(nine.id, second.id);
    assert_eq!(nine.text, "Timeliness recovered by the month's end.");
    assert_ne!(first.id, second.id);
    assert!(
        s.commentary(from, date(2026, 11, 29))
            .await
            .unwrap()
            .is_empty(),
        "another period"
    );
    let entries = s
        .audit_entries(&AuditQuery {
            action: Some(AuditAction::Create),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        entries
            .iter()
            .filter(|e| e
                .detail
                .starts_with("scrutiny pack commentary on indicator 9"))
            .count(),
        2
    );
    assert!(matches!(
        s.save_commentary(Actor::SYSTEM, new("9", "   ")).await,
        Err(StoreError::Invalid { field: "text", .. })
    ));
}
