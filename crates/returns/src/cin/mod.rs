//! The CIN census (children in need): read and write its XML, and validate it with the DfE rules
//! of the collection year, streaming one child at a time.

pub mod model;
pub mod reader;
pub mod rules;
pub mod writer;

use std::io::BufRead;

use crate::findings::Finding;
pub use model::Census;
pub use reader::{ReadError, read, read_streaming};
pub use writer::write;

/// The result of validating a census.
#[derive(Debug, Clone)]
pub struct Validation {
    pub children: usize,
    pub findings: Vec<Finding>,
    /// Rules not run, with why.
    pub not_run: Vec<(&'static str, String)>,
}

/// Reads and validates a census as it streams: memory holds one child at a time plus the
/// whole-return totals.
pub fn validate_stream<R: BufRead>(input: R) -> Result<Validation, ReadError> {
    let mut findings = Vec::new();
    let mut ctx: Option<Option<rules::Ctx>> = None;
    let mut totals = rules::ReturnChecks::default();
    let mut children = 0;
    let header = read_streaming(input, |header, child| {
        let c = *ctx.get_or_insert_with(|| rules::check_header(header, &mut findings));
        children += 1;
        if let Some(c) = c {
            rules::check_child(&c, &child, &mut findings);
            totals.add(&c, &child);
        }
    })?;
    let ctx = match ctx {
        Some(c) => c,
        None => rules::check_header(&header, &mut findings),
    };
    let mut not_run: Vec<(&'static str, String)> = rules::NOT_RUN
        .iter()
        .map(|(c, r)| (*c, r.to_string()))
        .collect();
    if ctx.is_none() {
        for code in rules::IMPLEMENTED.iter().filter(|c| **c != "100") {
            not_run.push((
                code,
                "the header has no valid ReferenceDate, which the rule needs".into(),
            ));
        }
    } else {
        totals.finish(&mut findings);
    }
    Ok(Validation {
        children,
        findings,
        not_run,
    })
}

/// Validates a census held in memory.
pub fn validate(census: &Census) -> Validation {
    let mut findings = Vec::new();
    let mut not_run: Vec<(&'static str, String)> = rules::NOT_RUN
        .iter()
        .map(|(c, r)| (*c, r.to_string()))
        .collect();
    match rules::check_header(&census.header, &mut findings) {
        Some(ctx) => {
            let mut totals = rules::ReturnChecks::default();
            for c in &census.children {
                rules::check_child(&ctx, c, &mut findings);
                totals.add(&ctx, c);
            }
            totals.finish(&mut findings);
        }
        None => {
            for code in rules::IMPLEMENTED.iter().filter(|c| **c != "100") {
                not_run.push((
                    code,
                    "the header has no valid ReferenceDate, which the rule needs".into(),
                ));
            }
        }
    }
    Validation {
        children: census.children.len(),
        findings,
        not_run,
    }
}

#[cfg(test)]
mod tests;
