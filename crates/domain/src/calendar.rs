//! The working-day calendar for England: Monday to Friday, less the bank holidays of England and
//! Wales (`data/bank-holidays-england-and-wales.txt`, 2015 to 2030).
//!
//! Counting follows the convention of the statutory timescales and the DfE validation rules: "within
//! N working days of day D" counts the working days *after* D, so day 1 is the first working day
//! after D, and the due date is the Nth.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, Weekday};

const DATA: &str = include_str!("../data/bank-holidays-england-and-wales.txt");

/// The years the bank-holiday data covers.
pub const FIRST_YEAR: i32 = 2015;
pub const LAST_YEAR: i32 = 2030;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error(
        "{date} is outside the working-day calendar ({first_year} to {last_year}); add the bank holidays for its year"
    )]
    OutOfRange {
        date: NaiveDate,
        first_year: i32,
        last_year: i32,
    },
}

/// A working-day calendar.
#[derive(Debug)]
pub struct Calendar {
    holidays: BTreeMap<NaiveDate, &'static str>,
    first: NaiveDate,
    last: NaiveDate,
}

impl Calendar {
    /// England's calendar, read once from the embedded data file.
    pub fn england() -> &'static Calendar {
        static CAL: OnceLock<Calendar> = OnceLock::new();
        CAL.get_or_init(|| {
            Calendar::parse(DATA, FIRST_YEAR, LAST_YEAR)
                .expect("the embedded bank-holiday file is valid")
        })
    }

    /// Reads a bank-holiday file (`YYYY-MM-DD<TAB>name` lines; `#` comments).
    pub fn parse(data: &'static str, first_year: i32, last_year: i32) -> Result<Calendar, String> {
        let mut holidays = BTreeMap::new();
        for (n, line) in data.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (date, name) = line
                .split_once('\t')
                .ok_or_else(|| format!("line {}: expected a date, a tab and a name", n + 1))?;
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|e| format!("line {}: {e}", n + 1))?;
            if date.weekday() == Weekday::Sat || date.weekday() == Weekday::Sun {
                return Err(format!("line {}: {date} is a weekend day", n + 1));
            }
            if holidays.insert(date, name).is_some() {
                return Err(format!("line {}: {date} is listed twice", n + 1));
            }
        }
        Ok(Calendar {
            holidays,
            first: NaiveDate::from_ymd_opt(first_year, 1, 1).expect("valid year"),
            last: NaiveDate::from_ymd_opt(last_year, 12, 31).expect("valid year"),
        })
    }

    fn check(&self, date: NaiveDate) -> Result<(), CalendarError> {
        if date < self.first || date > self.last {
            Err(CalendarError::OutOfRange {
                date,
                first_year: self.first.year(),
                last_year: self.last.year(),
            })
        } else {
            Ok(())
        }
    }

    /// The bank holiday on `date`, if any.
    pub fn bank_holiday(&self, date: NaiveDate) -> Option<&'static str> {
        self.holidays.get(&date).copied()
    }

    /// All bank holidays in a year, in date order.
    pub fn bank_holidays_in(
        &self,
        year: i32,
    ) -> impl Iterator<Item = (NaiveDate, &'static str)> + '_ {
        let from = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year");
        let to = NaiveDate::from_ymd_opt(year, 12, 31).expect("valid year");
        self.holidays.range(from..=to).map(|(d, n)| (*d, *n))
    }

    /// Monday to Friday and not a bank holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.check(date)?;
        Ok(!matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
            && !self.holidays.contains_key(&date))
    }

    /// The first working day after `date`.
    pub fn next_working_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        self.add_working_days(date, 1)
    }

    /// The `n`th working day after `start` (day 1 is the first working day after `start`);
    /// `start` itself for n = 0.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        self.check(start)?;
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d
                .checked_add_days(Days::new(1))
                .ok_or(CalendarError::OutOfRange {
                    date: d,
                    first_year: self.first.year(),
                    last_year: self.last.year(),
                })?;
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// The number of working days after `a` up to and including `b`; negative when `b` is before
    /// `a`. So `working_days_between(d, add_working_days(d, n)) == n`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> Result<i64, CalendarError> {
        self.check(a)?;
        self.check(b)?;
        if b < a {
            return self.working_days_between(b, a).map(|n| -n);
        }
        // Whole weeks first, then the remaining days one by one.
        let days = (b - a).num_days();
        let weeks = days / 7;
        let mut count = weeks * 5;
        let mut d = a + Days::new((weeks * 7) as u64);
        while d < b {
            d = d + Days::new(1);
            if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                count += 1;
            }
        }
        let holidays = self
            .holidays
            .range((std::ops::Bound::Excluded(a), std::ops::Bound::Included(b)))
            .count() as i64;
        Ok(count - holidays)
    }
}

/// The collection year a date falls in, named by its end year (1 April to 31 March).
pub fn collection_year(d: NaiveDate) -> u16 {
    use chrono::Datelike;
    let y = if d.month() >= 4 {
        d.year() + 1
    } else {
        d.year()
    };
    y.clamp(0, u16::MAX as i32) as u16
}

/// UK wall-clock time for a UTC instant: British Summer Time (UTC+1) runs from 01:00 UTC on the
/// last Sunday of March to 01:00 UTC on the last Sunday of October.
pub fn uk_local(utc: chrono::DateTime<chrono::Utc>) -> NaiveDateTime {
    use chrono::{Datelike, Weekday};
    let n = utc.naive_utc();
    let last_sunday = |month: u32| {
        let mut d =
            NaiveDate::from_ymd_opt(n.year(), month, 31).expect("March and October have 31 days");
        while d.weekday() != Weekday::Sun {
            d = d.pred_opt().expect("in range");
        }
        d.and_hms_opt(1, 0, 0).expect("valid time")
    };
    if n >= last_sunday(3) && n < last_sunday(10) {
        n + chrono::Duration::hours(1)
    } else {
        n
    }
}

/// Now, in UK wall-clock time.
pub fn uk_now() -> NaiveDateTime {
    uk_local(chrono::Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cal() -> &'static Calendar {
        Calendar::england()
    }

    #[test]
    fn weekends_and_bank_holidays_are_not_working_days() {
        assert!(cal().is_working_day(d(2025, 11, 24)).unwrap()); // a Monday
        assert!(!cal().is_working_day(d(2025, 11, 22)).unwrap()); // Saturday
        assert!(!cal().is_working_day(d(2025, 12, 25)).unwrap());
        assert!(
            !cal().is_working_day(d(2022, 9, 19)).unwrap(),
            "state funeral of Queen Elizabeth II"
        );
        assert_eq!(
            cal().bank_holiday(d(2023, 5, 8)),
            Some("Bank holiday for the coronation of King Charles III")
        );
        assert!(
            cal().is_working_day(d(2020, 5, 4)).unwrap(),
            "the 2020 early May holiday moved to Friday 8 May"
        );
        assert!(!cal().is_working_day(d(2020, 5, 8)).unwrap());
    }

    #[test]
    fn forty_five_working_days_across_christmas() {
        // From Friday 1 November 2024. November has 20 working days after the 1st (4-29 Nov:
        // weeks of 4, 11, 18, 25 Nov = 20). December 2024 has 22 weekdays, less Christmas Day (Wed
        // 25) and Boxing Day (Thu 26) = 20, making 40 by Tuesday 31 December. January 2025: Wed 1
        // is New Year's Day; Thu 2 (41), Fri 3 (42), Mon 6 (43), Tue 7 (44), Wed 8 (45).
        assert_eq!(
            cal().add_working_days(d(2024, 11, 1), 45).unwrap(),
            d(2025, 1, 8)
        );
        assert_eq!(
            cal()
                .working_days_between(d(2024, 11, 1), d(2025, 1, 8))
                .unwrap(),
            45
        );
    }

    #[test]
    fn fifteen_working_days_across_easter() {
        // From Monday 7 April 2025: 8-11 Apr (4), 14-17 Apr (8), Good Friday 18 and Easter Monday
        // 21 are holidays, 22-25 Apr (12), 28, 29, 30 Apr (15).
        assert_eq!(
            cal().add_working_days(d(2025, 4, 7), 15).unwrap(),
            d(2025, 4, 30)
        );
    }

    #[test]
    fn one_working_day() {
        // From a Friday: the Monday.
        assert_eq!(
            cal().next_working_day(d(2025, 11, 21)).unwrap(),
            d(2025, 11, 24)
        );
        // From the Friday before the early May bank holiday: the Tuesday.
        assert_eq!(
            cal().next_working_day(d(2025, 5, 2)).unwrap(),
            d(2025, 5, 6)
        );
        // From the Friday before the state funeral (Monday 19 September 2022): the Tuesday.
        assert_eq!(
            cal().next_working_day(d(2022, 9, 16)).unwrap(),
            d(2022, 9, 20)
        );
        // From Christmas Eve 2026 (Thursday): Christmas Friday and Boxing Day substitute Monday
        // 28 December are holidays, so Tuesday 29.
        assert_eq!(
            cal().next_working_day(d(2026, 12, 24)).unwrap(),
            d(2026, 12, 29)
        );
        assert_eq!(
            cal().add_working_days(d(2026, 12, 24), 0).unwrap(),
            d(2026, 12, 24)
        );
    }

    #[test]
    fn between_counts_backwards_and_out_of_range_is_an_error() {
        assert_eq!(
            cal()
                .working_days_between(d(2025, 1, 8), d(2024, 11, 1))
                .unwrap(),
            -45
        );
        assert_eq!(
            cal()
                .working_days_between(d(2025, 6, 2), d(2025, 6, 2))
                .unwrap(),
            0
        );
        assert_eq!(
            cal().is_working_day(d(2031, 1, 2)),
            Err(CalendarError::OutOfRange {
                date: d(2031, 1, 2),
                first_year: 2015,
                last_year: 2030
            })
        );
        assert!(cal().add_working_days(d(2030, 12, 20), 30).is_err());
    }

    fn easter(y: i32) -> NaiveDate {
        // Anonymous Gregorian computus.
        let a = y % 19;
        let b = y / 100;
        let c = y % 100;
        let dd = b / 4;
        let e = b % 4;
        let f = (b + 8) / 25;
        let g = (b - f + 1) / 3;
        let h = (19 * a + b - dd - g + 15) % 30;
        let i = c / 4;
        let k = c % 4;
        let l = (32 + 2 * e + 2 * i - h - k) % 7;
        let m = (a + 11 * h + 22 * l) / 451;
        let month = (h + l - 7 * m + 114) / 31;
        let day = (h + l - 7 * m + 114) % 31 + 1;
        d(y, month as u32, day as u32)
    }

    fn monday_on_or_after(date: NaiveDate) -> NaiveDate {
        let mut x = date;
        while x.weekday() != Weekday::Mon {
            x = x.succ_opt().unwrap();
        }
        x
    }

    fn last_monday(y: i32, m: u32) -> NaiveDate {
        let mut x = d(y, m + 1, 1).pred_opt().unwrap();
        while x.weekday() != Weekday::Mon {
            x = x.pred_opt().unwrap();
        }
        x
    }

    /// The holidays the standing rules give for a year.
    fn by_rule(y: i32) -> Vec<NaiveDate> {
        let weekend = |x: NaiveDate| matches!(x.weekday(), Weekday::Sat | Weekday::Sun);
        let mut new_year = d(y, 1, 1);
        while weekend(new_year) {
            new_year = new_year.succ_opt().unwrap();
        }
        let mut v = vec![new_year, easter(y) - Days::new(2), easter(y) + Days::new(1)];
        v.push(monday_on_or_after(d(y, 5, 1)));
        v.push(last_monday(y, 5));
        v.push(last_monday(y, 8));
        // Christmas and Boxing Day move to the next weekdays not already taken.
        let mut next = d(y, 12, 25);
        for _ in 0..2 {
            while weekend(next) || v.contains(&next) {
                next = next.succ_opt().unwrap();
            }
            v.push(next);
            next = next.succ_opt().unwrap();
        }
        v.sort();
        v
    }

    #[test]
    fn the_data_file_agrees_with_the_rules_except_the_one_off_changes() {
        let one_offs_added = [
            d(2020, 5, 8),
            d(2022, 6, 2),
            d(2022, 6, 3),
            d(2022, 9, 19),
            d(2023, 5, 8),
        ];
        let one_offs_removed = [d(2020, 5, 4), d(2022, 5, 30)];
        for y in FIRST_YEAR..=LAST_YEAR {
            let mut expected: Vec<NaiveDate> = by_rule(y)
                .into_iter()
                .filter(|x| !one_offs_removed.contains(x))
                .collect();
            expected.extend(one_offs_added.iter().filter(|x| x.year() == y));
            expected.sort();
            let listed: Vec<NaiveDate> = cal().bank_holidays_in(y).map(|(x, _)| x).collect();
            assert_eq!(listed, expected, "bank holidays of {y}");
            assert!((8..=10).contains(&listed.len()));
        }
    }

    proptest! {
        #[test]
        fn adding_and_counting_agree(day in 0u64..5000, n in 0u32..300) {
            let start = d(2015, 1, 1) + Days::new(day);
            let end = cal().add_working_days(start, n).unwrap();
            if n > 0 {
                prop_assert!(cal().is_working_day(end).unwrap());
            }
            prop_assert_eq!(cal().working_days_between(start, end).unwrap(), i64::from(n));
        }
    }

    fn dt(y: i32, m: u32, day: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, day)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    #[test]
    fn uk_time_follows_british_summer_time() {
        let utc = |y, m, day, h| d(y, m, day).and_hms_opt(h, 30, 0).unwrap().and_utc();
        // 2026: BST from 29 March to 25 October.
        assert_eq!(
            uk_local(utc(2026, 3, 29, 0)),
            dt(2026, 3, 29, 0) + chrono::Duration::minutes(30)
        );
        assert_eq!(
            uk_local(utc(2026, 3, 29, 1)),
            dt(2026, 3, 29, 2) + chrono::Duration::minutes(30)
        );
        assert_eq!(
            uk_local(utc(2026, 10, 25, 0)),
            dt(2026, 10, 25, 1) + chrono::Duration::minutes(30)
        );
        assert_eq!(
            uk_local(utc(2026, 10, 25, 1)),
            dt(2026, 10, 25, 1) + chrono::Duration::minutes(30)
        );
        assert_eq!(
            uk_local(utc(2026, 12, 1, 14)),
            dt(2026, 12, 1, 14) + chrono::Duration::minutes(30)
        );
    }
}
