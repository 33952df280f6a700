//! Reading and showing form values: dates and times, choices from code lists, yes/no.

use chrono::NaiveDate;
use chrono::NaiveDateTime;
use chrono::NaiveTime;
use domain::calendar::collection_year;
use domain::calendar::uk_now;
use domain::codes::CodeList;
use domain::validate::DateParts;
use domain::validate::FieldError;
use minijinja::Value;
use minijinja::context;

pub(crate) fn now() -> NaiveDateTime {
    uk_now()
}

pub(crate) fn today() -> NaiveDate {
    now().date()
}

/// "14:30", "9:05", "2pm" or "2:30pm" as a time of day.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    let t = s.trim().to_lowercase().replace('.', ":");
    let (t, pm) = if let Some(x) = t.strip_suffix("pm") {
        (x.trim().to_string(), Some(true))
    } else if let Some(x) = t.strip_suffix("am") {
        (x.trim().to_string(), Some(false))
    } else {
        (t, None)
    };
    let (h, m) = match t.split_once(':') {
        Some((h, m)) if m.len() == 2 => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        None if pm.is_some() => (t.parse::<u32>().ok()?, 0),
        _ => return None,
    };
    let h = match pm {
        Some(_) if !(1..=12).contains(&h) => return None,
        Some(true) => h % 12 + 12,
        Some(false) => h % 12,
        None => h,
    };
    NaiveTime::from_hms_opt(h, m, 0)
}

pub(crate) fn fmt_datetime(t: NaiveDateTime) -> String {
    format!("{} at {}", t.format("%-d %B %Y"), t.format("%-I:%M%P"))
}

pub(crate) fn fmt_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

pub(crate) fn label(list: &CodeList, code: &str) -> String {
    list.label(code).unwrap_or(code).to_string()
}

/// Radio or checkbox items from a code list, `checked` deciding which are ticked.
pub(crate) fn code_items(list: &CodeList, year: u16, checked: impl Fn(&str) -> bool) -> Value {
    Value::from(
        list.current(year)
            .map(|c| context! { value => c.code, text => c.label, checked => checked(c.code) })
            .collect::<Vec<_>>(),
    )
}

pub(crate) fn select_items(list: &CodeList, year: u16, selected: &str, prompt: &str) -> Value {
    let mut v = vec![context! { value => "", text => prompt, selected => selected.is_empty() }];
    v.extend(
        list.current(year)
            .map(|c| context! { value => c.code, text => c.label, selected => c.code == selected }),
    );
    Value::from(v)
}

pub(crate) fn parts(day: &str, month: &str, year: &str) -> DateParts {
    DateParts {
        day: day.into(),
        month: month.into(),
        year: year.into(),
    }
}

pub(crate) fn today_parts() -> (String, String, String) {
    let d = today();
    (
        d.format("%-d").to_string(),
        d.format("%-m").to_string(),
        d.format("%Y").to_string(),
    )
}

/// A date and a time from a form, required, not in the future.
pub(crate) fn past_datetime(
    d: &DateParts,
    time: &str,
    field: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDateTime> {
    let date = past_date(d, field, label, errors)?;
    let Some(t) = parse_time(time) else {
        errors.push(FieldError::new(
            &format!("{field}_time"),
            "Enter the time as hours and minutes, for example 14:30 or 2:30pm",
        ));
        return None;
    };
    let at = date.and_time(t);
    if at > now() {
        errors.push(FieldError::new(
            &format!("{field}_time"),
            format!("{label} must be now or in the past"),
        ));
        return None;
    }
    Some(at)
}

pub(crate) fn yes_no_items(value: &str) -> Value {
    Value::from(vec![
        context! { value => "yes", text => "Yes", checked => value == "yes" },
        context! { value => "no", text => "No", checked => value == "no" },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_the_forms_people_write_them() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(parse_time("14:30"), t(14, 30));
        assert_eq!(parse_time("9:05"), t(9, 5));
        assert_eq!(parse_time("2pm"), t(14, 0));
        assert_eq!(parse_time("2:30 PM"), t(14, 30));
        assert_eq!(parse_time("12am"), t(0, 0));
        assert_eq!(parse_time("12.15pm"), t(12, 15));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("13pm"), None);
        assert_eq!(parse_time("1430"), None);
        assert_eq!(parse_time(""), None);
    }
}

pub(crate) fn list_items(list: &CodeList, on: NaiveDate) -> Vec<(String, String)> {
    list.current(collection_year(on))
        .map(|c| (c.code.to_string(), c.label.to_string()))
        .collect()
}

pub(crate) fn yes_no() -> Vec<(String, String)> {
    vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())]
}

pub(crate) fn date_items(has_error: bool, d: &DateParts) -> Value {
    let err = if has_error { " govuk-input--error" } else { "" };
    Value::from(vec![
        context! { name => "day", classes => format!("govuk-input--width-2{err}"), value => d.day.clone() },
        context! { name => "month", classes => format!("govuk-input--width-2{err}"), value => d.month.clone() },
        context! { name => "year", classes => format!("govuk-input--width-4{err}"), value => d.year.clone() },
    ])
}

/// Reads a date from a form, requiring it and refusing a future date.
pub(crate) fn past_date(
    parts: &DateParts,
    field: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    match required_date(parts, field, label, errors) {
        Some(d) if d > today() => {
            errors.push(FieldError::new(
                field,
                format!("{label} must be today or in the past"),
            ));
            None
        }
        d => d,
    }
}

/// Reads a required date from a form (past or future).
pub(crate) fn required_date(
    parts: &DateParts,
    field: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    match parts.parse(field, label) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.push(FieldError::new(
                field,
                format!("Enter the {}", label.to_lowercase()),
            ));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}
