//! Dates written as digits (the 903's dd/mm/yyyy, the CIN census's yyyy-mm-dd), parsed by hand:
//! reading dates is much of a validator's work, and chrono's format parser is several times
//! slower.

use chrono::NaiveDate;

/// The date with these year, month and day digits (ASCII digits only), if it is a real day.
pub(crate) fn from_digits(year: &[u8], month: &[u8], day: &[u8]) -> Option<NaiveDate> {
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (y, m, d) = (number(year)?, number(month)?, number(day)?);
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}
