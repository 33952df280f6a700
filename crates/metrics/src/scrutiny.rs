//! For the scrutiny pack: for each indicator, what good looks like and a question members might
//! ask (`data/scrutiny-2025.tsv`, written for councillors).

use std::collections::HashMap;
use std::sync::OnceLock;

const TSV: &str = include_str!("../data/scrutiny-2025.tsv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guide {
    pub good: &'static str,
    pub question: &'static str,
}

fn guides() -> &'static HashMap<&'static str, Guide> {
    static G: OnceLock<HashMap<&'static str, Guide>> = OnceLock::new();
    G.get_or_init(|| {
        TSV.lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("id\t") && !l.trim().is_empty())
            .filter_map(|l| {
                let mut f = l.split('\t');
                Some((
                    f.next()?,
                    Guide {
                        good: f.next()?,
                        question: f.next()?,
                    },
                ))
            })
            .collect()
    })
}

/// The guide to an indicator, if written.
pub fn guide(id: &str) -> Option<&'static Guide> {
    guides().get(id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_indicator_has_what_good_looks_like_and_a_question() {
        for i in crate::catalogue() {
            let g = super::guide(&i.id).unwrap_or_else(|| panic!("no guide for {}", i.id));
            assert!(g.good.len() > 20 && g.question.ends_with('?'), "{}", i.id);
        }
    }
}
