//! The children's history on the contact's page, for screening: what each child's record holds
//! that the screener should weigh (read by the store as an access entry for each child). A child
//! whose record the screener may not see is shown as restricted, without it.

use domain::codes;
use domain::front_door::{Contact, ScreeningHistory, Span};
use minijinja::{Value, context};

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::fields::{fmt_date, fmt_datetime, label};
use crate::guard::may_see;

fn spans(list: &[Span], what: &str, category: impl Fn(&str) -> String) -> String {
    if list.is_empty() {
        return "None".into();
    }
    list.iter()
        .map(|s| {
            let cat = if s.category.is_empty() {
                String::new()
            } else {
                format!(" ({})", category(&s.category))
            };
            match s.ended_on {
                None => format!("{what} since {}{cat}", fmt_date(s.started_on)),
                Some(end) => format!("{} to {}{cat}", fmt_date(s.started_on), fmt_date(end)),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn rows(h: &ScreeningHistory) -> Vec<Value> {
    let row = |k: &str, v: String| context! { key => context! { text => k }, value => context! { text => v } };
    let contacts = if h.contacts.is_empty() {
        "None".to_string()
    } else {
        let each: Vec<String> = h
            .contacts
            .iter()
            .map(|c| {
                let outcome = c
                    .outcome
                    .as_deref()
                    .map(|o| label(codes::front_door_outcome(), o))
                    .unwrap_or_else(|| "waiting for a decision".into());
                format!(
                    "{}: {} ({outcome})",
                    fmt_datetime(c.received_at),
                    label(codes::referral_source(), &c.source)
                )
            })
            .collect();
        format!("{}. {}", h.contacts.len(), each.join("; "))
    };
    let referrals = if h.referrals.is_empty() {
        "None".to_string()
    } else {
        let each: Vec<String> = h
            .referrals
            .iter()
            .map(|r| {
                format!(
                    "{}{}",
                    fmt_date(r.referral_date),
                    if r.re_referral {
                        " (a re-referral)"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        format!("{}: {}", h.referrals.len(), each.join(", "))
    };
    let open = match (h.open_episode, h.early_help) {
        (Some(r), Some(e)) => format!(
            "Child in need since {}; early help since {}",
            fmt_date(r),
            fmt_date(e)
        ),
        (Some(r), None) => format!("Child in need since {}", fmt_date(r)),
        (None, Some(e)) => format!("Early help since {}", fmt_date(e)),
        (None, None) => "None".into(),
    };
    vec![
        row("Contacts in the 12 months before", contacts),
        row("Referrals in the 12 months before", referrals),
        row(
            "Child protection plans",
            spans(&h.cp_plans, "On a plan", |c| {
                label(codes::abuse_category(), c)
            }),
        ),
        row(
            "Periods in care",
            spans(&h.care, "In care", |c| label(codes::primary_need(), c)),
        ),
        row("Open episode", open),
        row(
            "Allocated social worker",
            h.worker.clone().unwrap_or_else(|| "None".into()),
        ),
    ]
}

/// Each child on the contact with their history (read now: an access entry for each child the
/// screener may see), in the contact's order.
pub(crate) async fn view(
    state: &AppState,
    session: &Session,
    contact: &Contact,
) -> Result<Vec<Value>, AppError> {
    let visible: Vec<uuid::Uuid> = contact
        .children
        .iter()
        .filter(|k| may_see(session, k.restricted))
        .map(|k| k.person_id)
        .collect();
    let histories = if visible.is_empty() {
        Vec::new()
    } else {
        state
            .store
            .screening_history(session.actor(), contact.id, &visible)
            .await?
    };
    Ok(contact
        .children
        .iter()
        .map(
            |k| match histories.iter().find(|h| h.child_id == k.person_id) {
                Some(h) => context! {
                    name => k.name.clone(),
                    id => k.person_id.to_string(),
                    rows => rows(h),
                    on_plan => h.on_plan(),
                    in_care => h.in_care(),
                    nothing => h.is_empty(),
                },
                None => context! { name => "Restricted record", restricted => true },
            },
        )
        .collect())
}
