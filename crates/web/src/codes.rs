//! The code lists the pages offer, for the current collection year, from `domain::codes`.

use domain::codes;
use domain::codes::CodeList;
use domain::person::PersonCodes;

/// The collection year (named by its end year) that today's date falls in: 1 April to 31 March.
pub fn current_collection_year() -> u16 {
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    let y = today.year() as u16;
    if today.month() >= 4 { y + 1 } else { y }
}

fn options(list: &CodeList) -> Vec<(String, String)> {
    list.current(current_collection_year())
        .map(|e| (e.code.to_string(), e.label.to_string()))
        .collect()
}

fn label(list: &CodeList, code: &str) -> String {
    list.label(code)
        .map(str::to_string)
        .unwrap_or_else(|| format!("Unknown code {code}"))
}

pub fn sex_options() -> Vec<(String, String)> {
    options(codes::sex())
}
pub fn ethnicity_options() -> Vec<(String, String)> {
    options(codes::ethnicity())
}
pub fn disability_options() -> Vec<(String, String)> {
    options(codes::disability())
}
pub fn relationship_options() -> Vec<(String, String)> {
    options(codes::relationship())
}
pub fn sex_label(code: &str) -> String {
    label(codes::sex(), code)
}
pub fn ethnicity_label(code: &str) -> String {
    label(codes::ethnicity(), code)
}
pub fn disability_label(code: &str) -> String {
    label(codes::disability(), code)
}
pub fn relationship_label(code: &str) -> String {
    label(codes::relationship(), code)
}

/// Validation against the current year's lists.
pub struct CurrentCodes;

impl PersonCodes for CurrentCodes {
    fn sex_is_valid(&self, code: &str) -> bool {
        codes::sex().is_valid(code, current_collection_year())
    }
    fn ethnicity_is_valid(&self, code: &str) -> bool {
        codes::ethnicity().is_valid(code, current_collection_year())
    }
    fn disability_is_valid(&self, code: &str) -> bool {
        codes::disability().is_valid(code, current_collection_year())
    }
}
