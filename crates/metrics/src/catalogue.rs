//! The indicator catalogue: each indicator's definition, window, polarity, unit, where its data
//! can come from, and its published comparators (England, Yorkshire and the Humber, statistical
//! neighbours' mean and median) with their year and source. Kept as a data file
//! (`data/indicators-2025.tsv`) written from specs/performance-indicators.md.

use std::sync::OnceLock;

use serde::Serialize;

const TSV: &str = include_str!("../data/indicators-2025.tsv");

/// Flow: events in the period. Snapshot: the position at the end of the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    Flow,
    Snapshot,
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    Higher,
    Lower,
    /// Context: no better direction (rates of referrals, plans, children in care).
    Neutral,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Per 10,000 children aged 0-17.
    Rate10k,
    Percent,
    Count,
    Days,
    Ratio,
}

/// Where an indicator's data can come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Hearth's own case record.
    Record,
    /// An imported CIN census.
    Cin,
    /// An imported SSDA903 return.
    Ssda903,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Source::Record => "the case record",
            Source::Cin => "a CIN census",
            Source::Ssda903 => "an SSDA903 return",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub id: String,
    pub section: String,
    pub name: String,
    pub definition: String,
    pub numerator: String,
    pub denominator: String,
    pub window: Window,
    pub polarity: Polarity,
    pub unit: Unit,
    /// Empty: no source Hearth holds has the data.
    pub data: Vec<Source>,
    pub england: Option<f64>,
    pub region: Option<f64>,
    pub sn_mean: Option<f64>,
    pub sn_median: Option<f64>,
    /// The comparators' year (or why there is none).
    pub year: String,
    pub source: String,
}

fn num(s: &str) -> Option<f64> {
    s.trim().parse().ok()
}

fn parse(tsv: &str) -> Result<Vec<Indicator>, String> {
    let mut out = Vec::new();
    let mut header_seen = false;
    for (i, line) in tsv.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 16 {
            return Err(format!("line {}: {} fields, expected 16", i + 1, f.len()));
        }
        let window = match f[6] {
            "flow" => Window::Flow,
            "snapshot" => Window::Snapshot,
            w => return Err(format!("line {}: window {w:?}", i + 1)),
        };
        let polarity = match f[7] {
            "higher" => Polarity::Higher,
            "lower" => Polarity::Lower,
            "neutral" => Polarity::Neutral,
            p => return Err(format!("line {}: polarity {p:?}", i + 1)),
        };
        let unit = match f[8] {
            "rate10k" => Unit::Rate10k,
            "percent" => Unit::Percent,
            "count" => Unit::Count,
            "days" => Unit::Days,
            "ratio" => Unit::Ratio,
            u => return Err(format!("line {}: unit {u:?}", i + 1)),
        };
        let data = f[9]
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| match s {
                "record" => Ok(Source::Record),
                "cin" => Ok(Source::Cin),
                "903" => Ok(Source::Ssda903),
                d => Err(format!("line {}: data source {d:?}", i + 1)),
            })
            .collect::<Result<Vec<_>, _>>()?;
        out.push(Indicator {
            id: f[0].into(),
            section: f[1].into(),
            name: f[2].into(),
            definition: f[3].into(),
            numerator: f[4].into(),
            denominator: f[5].into(),
            window,
            polarity,
            unit,
            data,
            england: num(f[10]),
            region: num(f[11]),
            sn_mean: num(f[12]),
            sn_median: num(f[13]),
            year: f[14].into(),
            source: f[15].into(),
        });
    }
    Ok(out)
}

/// The catalogue, in report order.
pub fn catalogue() -> &'static [Indicator] {
    static C: OnceLock<Vec<Indicator>> = OnceLock::new();
    C.get_or_init(|| parse(TSV).expect("the indicator catalogue data file is well formed"))
}

pub fn find(id: &str) -> Option<&'static Indicator> {
    catalogue().iter().find(|i| i.id == id)
}

/// Red, amber or green against a comparator, by the indicator's polarity. Within a tolerance
/// (2 percentage points for percentages, 10% otherwise) of the comparator on the worse side is
/// amber; neutral indicators have no RAG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    Green,
    Amber,
    Red,
}

impl Indicator {
    pub fn rag(&self, value: f64, comparator: Option<f64>) -> Option<Rag> {
        let c = comparator?;
        let tolerance = match self.unit {
            Unit::Percent => 2.0,
            _ => (c.abs() * 0.1).max(f64::EPSILON),
        };
        let better = match self.polarity {
            Polarity::Higher => value - c,
            Polarity::Lower => c - value,
            Polarity::Neutral => return None,
        };
        Some(if better >= 0.0 {
            Rag::Green
        } else if better >= -tolerance {
            Rag::Amber
        } else {
            Rag::Red
        })
    }

    /// A value as the report prints it.
    pub fn format(&self, v: f64) -> String {
        match self.unit {
            Unit::Percent => format!("{v:.1}%"),
            Unit::Rate10k | Unit::Ratio => format!("{v:.1}"),
            Unit::Count => format!("{v:.0}"),
            Unit::Days => format!("{v:.0} days"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_of_the_spec_is_in_the_catalogue() {
        let c = catalogue();
        for n in 1..=49 {
            assert!(find(&n.to_string()).is_some(), "indicator {n} missing");
        }
        assert!(find("19b").is_some());
        assert!(find("43a").is_some() && find("43b").is_some());
        // 1 to 49 from the spec, with 19b, 43a and 43b; 50 and 50a to 50g (case file audits).
        assert_eq!(c.len(), 60);
        assert_eq!(find("50").unwrap().section, "Quality assurance");
        for l in 'a'..='g' {
            let i = find(&format!("50{l}")).unwrap();
            assert_eq!((i.polarity, i.unit), (Polarity::Higher, Unit::Percent));
            assert_eq!(i.data, vec![Source::Record]);
        }
        let re = find("6").unwrap();
        assert_eq!(
            (re.england, re.region, re.sn_mean, re.sn_median),
            (Some(22.6), Some(21.7), Some(19.9), Some(18.6))
        );
        assert_eq!(re.polarity, Polarity::Lower);
        assert_eq!(find("5").unwrap().unit, Unit::Rate10k);
        assert!(
            find("47").unwrap().data.is_empty(),
            "vacancies need the workforce census"
        );
    }

    #[test]
    fn rag_follows_polarity() {
        let re = find("6").unwrap(); // lower is better, England 22.6%
        assert_eq!(re.rag(20.0, re.england), Some(Rag::Green));
        assert_eq!(re.rag(24.0, re.england), Some(Rag::Amber));
        assert_eq!(re.rag(25.5, re.england), Some(Rag::Red));
        let t = find("9").unwrap(); // higher is better, England 85.7%
        assert_eq!(t.rag(90.0, t.england), Some(Rag::Green));
        assert_eq!(t.rag(70.0, t.england), Some(Rag::Red));
        assert_eq!(find("5").unwrap().rag(700.0, Some(519.4)), None, "neutral");
        assert_eq!(t.rag(90.0, None), None);
    }
}
