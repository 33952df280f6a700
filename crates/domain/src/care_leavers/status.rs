//! A care leaver's activity and accommodation, each recorded with the date it began (so the
//! status on any day is read off the record, never typed twice), and the 903's OC3 row for a
//! collection year derived from it: who is a care leaver, the contact around each 17th to 21st
//! birthday, and what was true on the birthday. No I/O.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ACCOMMODATION, ACTIVITY, KeepingInTouch, known, label};
use crate::looked_after::CareLeaverYear;
use crate::validate::FieldError;

/// A change in a care leaver's main activity, accommodation, or both, from a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewLeavingCareStatus {
    /// The day the activity or accommodation began.
    pub from: NaiveDate,
    /// 903 `ACTIV` (blank: unchanged).
    pub activity: Option<String>,
    /// The 903 `ACCOM` letter (blank: unchanged). `Z`, with former foster carers, is staying put.
    pub accommodation: Option<String>,
    /// Whether the accommodation is suitable (the `ACCOM` digit); with an accommodation only.
    pub suitable: Option<bool>,
}

/// Accommodation letters that are never suitable (903 rule 133 has no `S1` or `X1`).
const NEVER_SUITABLE: &[&str] = &["S", "X"];

impl NewLeavingCareStatus {
    /// `left_care`: the end of the young person's care (None: they have not left care).
    pub fn validate(
        &self,
        date_of_birth: Option<NaiveDate>,
        left_care: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.from > today {
            e.push(FieldError::new(
                "from",
                "The date it began must be today or in the past",
            ));
        }
        match left_care {
            None => e.push(FieldError::new(
                "from",
                "The young person has not left care: activity and accommodation are recorded for care leavers",
            )),
            Some(left) if self.from < left => e.push(FieldError::new(
                "from",
                format!(
                    "The date it began must be on or after the young person left care ({})",
                    left.format("%-d %B %Y")
                ),
            )),
            _ => {}
        }
        let activity = blank(&self.activity);
        let accommodation = blank(&self.accommodation);
        if activity.is_none() && accommodation.is_none() {
            e.push(FieldError::new(
                "activity",
                "Choose the young person's main activity, their accommodation, or both",
            ));
        }
        if let Some(a) = activity
            && !known(ACTIVITY, a)
        {
            e.push(FieldError::new(
                "activity",
                format!("{a} is not a 903 main activity code: choose one from the list"),
            ));
        }
        if let Some(a) = accommodation {
            let adult = date_of_birth
                .and_then(|d| d.checked_add_months(Months::new(18 * 12)))
                .is_some_and(|eighteen| self.from >= eighteen);
            if !known(ACCOMMODATION, a) {
                e.push(FieldError::new(
                    "accommodation",
                    format!("{a} is not a 903 accommodation code: choose one from the list"),
                ));
            } else if (a == "Z" || a == "T") && !adult {
                // 903 rules 3001 (staying put is from 18) and 347 (no foyers under 18).
                e.push(FieldError::new(
                    "accommodation",
                    format!(
                        "{} is for young people of 18 and over",
                        label(ACCOMMODATION, a)
                    ),
                ));
            }
            match self.suitable {
                None => e.push(FieldError::new(
                    "suitable",
                    "Choose whether the accommodation is suitable",
                )),
                Some(true) if NEVER_SUITABLE.contains(&a) => e.push(FieldError::new(
                    "suitable",
                    format!(
                        "{} is never suitable accommodation",
                        label(ACCOMMODATION, a)
                    ),
                )),
                _ => {}
            }
        } else if self.suitable.is_some() {
            e.push(FieldError::new(
                "suitable",
                "Leave suitability blank when the accommodation has not changed",
            ));
        }
        e
    }
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A change of activity or accommodation as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeavingCareStatus {
    pub id: Uuid,
    pub child_id: Uuid,
    pub from: NaiveDate,
    pub activity: Option<String>,
    pub accommodation: Option<String>,
    pub suitable: Option<bool>,
}

/// Main activities in education, employment or training (indicators 37 and 38).
pub fn in_eet(activity: &str) -> bool {
    matches!(
        activity,
        "F1" | "P1" | "F2" | "P2" | "F4" | "P4" | "F5" | "P5"
    )
}

/// What is true for a care leaver on a day: the latest activity and accommodation begun on or
/// before it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusOn {
    pub activity: Option<String>,
    pub accommodation: Option<String>,
    pub suitable: Option<bool>,
}

impl StatusOn {
    /// The 903 `ACCOM` code: the letter and 1 (suitable) or 2 (not).
    pub fn accom_code(&self) -> Option<String> {
        let letter = self.accommodation.as_deref()?;
        Some(format!("{letter}{}", if self.suitable? { 1 } else { 2 }))
    }
    /// Living with former foster carers after 18.
    pub fn staying_put(&self) -> bool {
        self.accommodation.as_deref() == Some("Z")
    }
}

/// The status on `on`, from changes in any order.
pub fn status_on(statuses: &[LeavingCareStatus], on: NaiveDate) -> StatusOn {
    let mut sorted: Vec<&LeavingCareStatus> = statuses.iter().filter(|s| s.from <= on).collect();
    sorted.sort_by_key(|s| s.from);
    let mut out = StatusOn::default();
    for s in sorted {
        if let Some(a) = blank(&s.activity) {
            out.activity = Some(a.to_string());
        }
        if let Some(a) = blank(&s.accommodation) {
            out.accommodation = Some(a.to_string());
            out.suitable = s.suitable;
        }
    }
    out
}

/// The care leavers the 903 asks about are those looked after for at least 13 weeks in all
/// since their 14th birthday who left care on or after their 16th (eligible, then relevant and
/// former relevant children). The days of care since 14 that count.
pub const THIRTEEN_WEEKS: i64 = 91;

/// The young person's `n`th birthday (29 February birthdays fall on 28 February).
pub fn birthday(date_of_birth: NaiveDate, n: u32) -> NaiveDate {
    date_of_birth
        .checked_add_months(Months::new(12 * n))
        .expect("a birthday within chrono's range")
}

/// When a young person left care, if they are a care leaver: their periods of care (start,
/// end; None for a period still open) with none open, the last ended on or after their 16th
/// birthday, and at least 13 weeks of care since their 14th birthday.
pub fn left_care_as_care_leaver(
    date_of_birth: NaiveDate,
    periods: impl IntoIterator<Item = (NaiveDate, Option<NaiveDate>)>,
) -> Option<NaiveDate> {
    let fourteen = birthday(date_of_birth, 14);
    let mut left: Option<NaiveDate> = None;
    let mut days = 0;
    for (start, end) in periods {
        let end = end?;
        left = left.max(Some(end));
        let from = start.max(fourteen);
        if end >= from {
            days += (end - from).num_days() + 1;
        }
    }
    let left = left?;
    (left >= birthday(date_of_birth, 16) && days >= THIRTEEN_WEEKS).then_some(left)
}

/// The months either side of each 17th to 21st birthday in which the council must be in touch
/// (the statement of the 903 guidance: three months before and after the birthday).
pub const CONTACT_WINDOW_MONTHS: u32 = 3;

/// The window around a birthday in which the 903's contact falls.
pub fn contact_window(birthday: NaiveDate) -> (NaiveDate, NaiveDate) {
    let m = Months::new(CONTACT_WINDOW_MONTHS);
    (
        birthday.checked_sub_months(m).expect("a date"),
        birthday.checked_add_months(m).expect("a date"),
    )
}

/// The birthdays about which the 903 asks: the 17th to the 21st.
pub const OC3_BIRTHDAYS: std::ops::RangeInclusive<u32> = 17..=21;

/// The collection year (ending 31 March) a day falls in.
pub fn collection_year(d: NaiveDate) -> i32 {
    if d.month() >= 4 {
        d.year() + 1
    } else {
        d.year()
    }
}

/// What the record says about one birthday: the 903 codes and the contact they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BirthdayStatus {
    pub age: u32,
    pub birthday: NaiveDate,
    pub window: (NaiveDate, NaiveDate),
    /// The contact in the window the `IN_TOUCH` code came from (None: none in the window).
    pub contact: Option<NaiveDate>,
    pub in_touch: String,
    /// `ACTIV` and `ACCOM` as the 903 has them (None: blank, for DIED and RHOM).
    pub activity: Option<String>,
    pub accommodation: Option<String>,
}

/// The 903 codes for a care leaver's birthday, from the contacts and the dated activity and
/// accommodation:
/// - `IN_TOUCH`: DIED once any contact recorded a death (it stays DIED, rule 348); else YES when
///   a contact in the window was in touch; else the code of the contact in the window nearest
///   the birthday; else NO (nobody was in touch).
/// - `ACTIV` and `ACCOM`: blank for DIED and RHOM (rule 344); when in touch, what was true on the
///   birthday (or, if nothing was yet recorded, the first recorded in the window), `0` when
///   nothing was recorded; `0` when not in touch (no information).
pub fn birthday_status(
    date_of_birth: NaiveDate,
    age: u32,
    contacts: &[KeepingInTouch],
    statuses: &[LeavingCareStatus],
) -> BirthdayStatus {
    let b = birthday(date_of_birth, age);
    let window = contact_window(b);
    let within: Vec<&KeepingInTouch> = contacts
        .iter()
        .filter(|k| k.contact_on >= window.0 && k.contact_on <= window.1)
        .collect();
    let died = contacts
        .iter()
        .filter(|k| k.in_touch == "DIED" && k.contact_on <= window.1)
        .min_by_key(|k| k.contact_on);
    let nearest = |list: &mut dyn Iterator<Item = &&KeepingInTouch>| {
        list.min_by_key(|k| ((k.contact_on - b).num_days().abs(), k.contact_on))
            .map(|k| (k.contact_on, k.in_touch.clone()))
    };
    let (contact, in_touch) = if let Some(k) = died {
        (Some(k.contact_on), "DIED".to_string())
    } else if let Some(found) = nearest(&mut within.iter().filter(|k| k.in_touch == "YES")) {
        (Some(found.0), found.1)
    } else if let Some(found) = nearest(&mut within.iter()) {
        (Some(found.0), found.1)
    } else {
        (None, "NO".to_string())
    };
    let (activity, accommodation) = match in_touch.as_str() {
        "DIED" | "RHOM" => (None, None),
        "YES" => {
            let mut on = status_on(statuses, b);
            if on.activity.is_none() || on.accommodation.is_none() {
                let first = status_on(statuses, window.1);
                if on.activity.is_none() {
                    on.activity = first.activity;
                }
                if on.accommodation.is_none() {
                    on.accommodation = first.accommodation;
                    on.suitable = first.suitable;
                }
            }
            (
                Some(on.activity.clone().unwrap_or_else(|| "0".into())),
                Some(on.accom_code().unwrap_or_else(|| "0".into())),
            )
        }
        _ => (Some("0".into()), Some("0".into())),
    };
    BirthdayStatus {
        age,
        birthday: b,
        window,
        contact,
        in_touch,
        activity,
        accommodation,
    }
}

/// A care leaver's OC3 rows: one for each 17th to 21st birthday after they left care, up to
/// `as_at`, in the collection year it falls in (each row's id is made from the child's and the year).
pub fn care_leaver_years(
    child_id: Uuid,
    date_of_birth: NaiveDate,
    left_care: NaiveDate,
    as_at: NaiveDate,
    contacts: &[KeepingInTouch],
    statuses: &[LeavingCareStatus],
) -> Vec<CareLeaverYear> {
    OC3_BIRTHDAYS
        .filter(|n| {
            let b = birthday(date_of_birth, *n);
            b > left_care && b <= as_at
        })
        .map(|n| {
            let s = birthday_status(date_of_birth, n, contacts, statuses);
            let year = collection_year(s.birthday);
            CareLeaverYear {
                id: Uuid::from_u128(child_id.as_u128() ^ year as u128),
                child_id,
                year,
                in_touch: s.in_touch,
                activity: s.activity,
                accommodation: s.accommodation,
            }
        })
        .collect()
}

/// Every care leaver's OC3 rows, from the record: dates of birth, periods of care (child, start,
/// end), keeping in touch contacts and changes of activity and accommodation, in any order.
/// Sorted by child, then year.
pub fn care_leaver_years_of(
    dates_of_birth: &std::collections::HashMap<Uuid, NaiveDate>,
    periods: impl IntoIterator<Item = (Uuid, NaiveDate, Option<NaiveDate>)>,
    contacts: &[KeepingInTouch],
    statuses: &[LeavingCareStatus],
    as_at: NaiveDate,
) -> Vec<CareLeaverYear> {
    use std::collections::BTreeMap;
    let mut by_child: BTreeMap<Uuid, Vec<(NaiveDate, Option<NaiveDate>)>> = BTreeMap::new();
    for (child, start, end) in periods {
        by_child.entry(child).or_default().push((start, end));
    }
    let mut kit: std::collections::HashMap<Uuid, Vec<KeepingInTouch>> = Default::default();
    for k in contacts {
        kit.entry(k.child_id).or_default().push(k.clone());
    }
    let mut st: std::collections::HashMap<Uuid, Vec<LeavingCareStatus>> = Default::default();
    for s in statuses {
        st.entry(s.child_id).or_default().push(s.clone());
    }
    let mut out = Vec::new();
    for (child, periods) in by_child {
        let Some(&dob) = dates_of_birth.get(&child) else {
            continue;
        };
        let Some(left) = left_care_as_care_leaver(dob, periods) else {
            continue;
        };
        out.extend(care_leaver_years(
            child,
            dob,
            left,
            as_at,
            kit.get(&child).map(Vec::as_slice).unwrap_or_default(),
            st.get(&child).map(Vec::as_slice).unwrap_or_default(),
        ));
    }
    out
}

/// The birthday contact still owed: the next 17th to 21st birthday whose window has opened by
/// `today` (or opens within `ahead` days) and in which nobody has yet been in touch. None when
/// every window so far has its contact, or none is near.
pub fn birthday_contact_due(
    date_of_birth: NaiveDate,
    left_care: NaiveDate,
    contacts: &[KeepingInTouch],
    today: NaiveDate,
) -> Option<BirthdayStatus> {
    OC3_BIRTHDAYS
        .map(|n| birthday_status(date_of_birth, n, contacts, &[]))
        .filter(|s| s.birthday > left_care)
        // Windows that have opened, not long closed (a missed contact stays on the list until
        // the next window opens).
        .filter(|s| {
            s.window.0 <= today
                && today
                    <= s.window
                        .1
                        .checked_add_months(Months::new(6))
                        .expect("a date")
        })
        .find(|s| s.in_touch != "DIED" && !within_in_touch(s, contacts))
}

fn within_in_touch(s: &BirthdayStatus, contacts: &[KeepingInTouch]) -> bool {
    contacts
        .iter()
        .any(|k| k.contact_on >= s.window.0 && k.contact_on <= s.window.1 && k.in_touch != "NO")
}

/// How often a personal adviser sees a care leaver: a council setting (the Care Leavers
/// (England) Regulations 2010 ask for visits to relevant children at least every two months;
/// for former relevant young people the pathway plan sets it). Default every 8 weeks.
pub const ADVISER_VISIT_DAYS: u64 = 56;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn contact(on: NaiveDate, in_touch: &str) -> KeepingInTouch {
        KeepingInTouch {
            id: Uuid::nil(),
            child_id: Uuid::nil(),
            contact_on: on,
            seen: true,
            place: "Flat".into(),
            words: String::new(),
            in_touch: in_touch.into(),
        }
    }

    fn status(
        from: NaiveDate,
        activity: Option<&str>,
        accom: Option<(&str, bool)>,
    ) -> LeavingCareStatus {
        LeavingCareStatus {
            id: Uuid::nil(),
            child_id: Uuid::nil(),
            from,
            activity: activity.map(Into::into),
            accommodation: accom.map(|a| a.0.into()),
            suitable: accom.map(|a| a.1),
        }
    }

    #[test]
    fn a_care_leaver_had_13_weeks_of_care_since_14_and_left_at_16_or_later() {
        let dob = d(2008, 5, 1);
        // In care from 15 to 17.
        assert_eq!(
            left_care_as_care_leaver(dob, [(d(2023, 6, 1), Some(d(2025, 6, 1)))]),
            Some(d(2025, 6, 1))
        );
        // Left before 16.
        assert_eq!(
            left_care_as_care_leaver(dob, [(d(2023, 6, 1), Some(d(2024, 4, 30)))]),
            None
        );
        // Still in care.
        assert_eq!(left_care_as_care_leaver(dob, [(d(2023, 6, 1), None)]), None);
        // Two short periods since 14 that make 13 weeks between them.
        let two = [
            (d(2024, 1, 1), Some(d(2024, 2, 14))),
            (d(2024, 5, 1), Some(d(2024, 6, 15))),
        ];
        assert_eq!(left_care_as_care_leaver(dob, two), Some(d(2024, 6, 15)));
        assert_eq!(
            left_care_as_care_leaver(dob, [(d(2024, 5, 1), Some(d(2024, 6, 15)))]),
            None
        );
    }

    #[test]
    fn the_birthday_status_comes_from_the_contact_in_the_window_and_what_was_true_on_the_day() {
        let dob = d(2007, 9, 10);
        let b19 = d(2026, 9, 10);
        let contacts = [
            contact(d(2026, 5, 1), "YES"),
            contact(d(2026, 10, 20), "YES"),
        ];
        let statuses = [
            status(d(2025, 1, 5), Some("G5"), Some(("Z", true))),
            status(d(2026, 9, 1), Some("F1"), None),
            status(d(2026, 9, 20), None, Some(("U", true))),
        ];
        let s = birthday_status(dob, 19, &contacts, &statuses);
        assert_eq!(s.birthday, b19);
        assert_eq!(s.window, (d(2026, 6, 10), d(2026, 12, 10)));
        assert_eq!(s.contact, Some(d(2026, 10, 20)));
        assert_eq!(s.in_touch, "YES");
        // Higher education from 1 September; still staying put on the birthday.
        assert_eq!(s.activity.as_deref(), Some("F1"));
        assert_eq!(s.accommodation.as_deref(), Some("Z1"));
        // No contact in the window: not in touch, no information.
        let s = birthday_status(dob, 18, &contacts, &statuses);
        assert_eq!(
            (
                s.in_touch.as_str(),
                s.activity.as_deref(),
                s.accommodation.as_deref()
            ),
            ("NO", Some("0"), Some("0"))
        );
        // Refused contact in the window.
        let s = birthday_status(dob, 18, &[contact(d(2025, 8, 1), "REFU")], &statuses);
        assert_eq!(s.in_touch, "REFU");
        // In touch but nothing recorded: 0, which the 903 refuses (rule 345).
        let s = birthday_status(dob, 19, &contacts, &[]);
        assert_eq!(s.activity.as_deref(), Some("0"));
        // Died: blank, and DIED in later years.
        let died = [contact(d(2026, 8, 1), "DIED")];
        let s = birthday_status(dob, 20, &died, &statuses);
        assert_eq!(
            (s.in_touch.as_str(), s.activity, s.accommodation),
            ("DIED", None, None)
        );
    }

    #[test]
    fn oc3_rows_are_in_the_collection_year_of_each_birthday_after_leaving_care() {
        let dob = d(2007, 2, 1);
        let child = Uuid::from_u128(7);
        let rows = care_leaver_years(child, dob, d(2024, 8, 1), d(2026, 12, 3), &[], &[]);
        // 18th (1 Feb 2025, year 2025), 19th (2026); the 17th was before leaving care.
        assert_eq!(
            rows.iter().map(|r| r.year).collect::<Vec<_>>(),
            vec![2025, 2026]
        );
        assert!(rows.iter().all(|r| r.in_touch == "NO"));
        assert_ne!(rows[0].id, rows[1].id);
        assert_eq!(collection_year(d(2026, 3, 31)), 2026);
        assert_eq!(collection_year(d(2026, 4, 1)), 2027);
    }

    #[test]
    fn a_birthday_contact_is_due_once_its_window_opens_until_someone_is_in_touch() {
        let dob = d(2008, 3, 15);
        // Left care after the 17th birthday (15 March 2025).
        let left = d(2025, 4, 1);
        // 18th birthday 15 March 2026: window 15 December 2025 to 15 June 2026.
        assert!(birthday_contact_due(dob, left, &[], d(2025, 12, 1)).is_none());
        let due = birthday_contact_due(dob, left, &[], d(2025, 12, 20)).unwrap();
        assert_eq!((due.age, due.window.1), (18, d(2026, 6, 15)));
        // A contact in the window that was not in touch does not count.
        assert!(
            birthday_contact_due(dob, left, &[contact(d(2026, 1, 5), "NO")], d(2026, 2, 1))
                .is_some()
        );
        assert!(
            birthday_contact_due(dob, left, &[contact(d(2026, 1, 5), "YES")], d(2026, 2, 1))
                .is_none()
        );
        // Missed: still on the list after the window closes.
        assert!(birthday_contact_due(dob, left, &[], d(2026, 7, 1)).is_some());
    }

    #[test]
    fn activity_and_accommodation_are_checked_against_the_903() {
        let dob = d(2008, 3, 15);
        let left = Some(d(2025, 1, 10));
        let today = d(2026, 12, 1);
        let s = |from, act: Option<&str>, acc: Option<&str>, suitable| NewLeavingCareStatus {
            from,
            activity: act.map(Into::into),
            accommodation: acc.map(Into::into),
            suitable,
        };
        assert!(
            s(d(2026, 4, 1), Some("F4"), Some("Z"), Some(true))
                .validate(Some(dob), left, today)
                .is_empty()
        );
        // Staying put is from 18.
        assert_eq!(
            s(d(2025, 4, 1), None, Some("Z"), Some(true)).validate(Some(dob), left, today)[0].field,
            "accommodation"
        );
        assert_eq!(
            s(d(2026, 4, 1), None, None, None).validate(Some(dob), left, today)[0].field,
            "activity"
        );
        assert_eq!(
            s(d(2026, 4, 1), Some("F3"), None, None).validate(Some(dob), left, today)[0].field,
            "activity"
        );
        assert_eq!(
            s(d(2026, 4, 1), None, Some("S"), Some(true)).validate(Some(dob), left, today)[0].field,
            "suitable"
        );
        assert_eq!(
            s(d(2026, 4, 1), None, Some("U"), None).validate(Some(dob), left, today)[0].field,
            "suitable"
        );
        assert_eq!(
            s(d(2024, 4, 1), Some("F1"), None, None).validate(Some(dob), left, today)[0].field,
            "from"
        );
        assert_eq!(
            s(d(2026, 4, 1), Some("F1"), None, None).validate(Some(dob), None, today)[0].field,
            "from"
        );
        let on = status_on(
            &[status(d(2026, 1, 1), Some("F5"), Some(("Z", true)))],
            d(2026, 2, 1),
        );
        assert!(on.staying_put());
        assert_eq!(on.accom_code().as_deref(), Some("Z1"));
        assert!(in_eet("P4") && !in_eet("G6") && !in_eet("0"));
    }
}
