//! The indicator catalogue: each indicator's definition, window, polarity, unit, where its data
//! can come from, and its published comparators (England, Yorkshire and the Humber, statistical
//! neighbours' mean and median) with their year and source. Kept as a data file
//! (`data/indicators-2025.tsv`) written from specs/performance-indicators.md.

use std::sync::OnceLock;

use serde::Serialize;

const TSV: &str = include_str!("../data/indicators-2025.tsv");
const TOLERANCES: &str = include_str!("../data/tolerances-2025.tsv");

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
    /// How far from a comparator the figure must be, in its own unit (percentage points for
    /// percentages), before it is better or worse rather than similar
    /// (`data/tolerances-2025.tsv`; an indicator not listed there has its unit's default).
    pub tolerance: f64,
    /// Why that tolerance.
    pub tolerance_basis: String,
}

/// The tolerance of an indicator the tolerances file does not list: 2 percentage points for a
/// percentage, otherwise 5% of the England figure (or 1 where there is none).
fn default_tolerance(unit: Unit, england: Option<f64>) -> f64 {
    match (unit, england) {
        (Unit::Percent, _) => 2.0,
        (_, Some(e)) if e.abs() > 0.0 => e.abs() * 0.05,
        _ => 1.0,
    }
}

/// The tolerances file: (id, tolerance, basis).
fn parse_tolerances(tsv: &str) -> Result<Vec<(String, f64, String)>, String> {
    let mut out = Vec::new();
    for (i, line) in tsv.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("id\t") {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let [id, t, basis] = f[..] else {
            return Err(format!(
                "tolerances line {}: {} fields, expected 3",
                i + 1,
                f.len()
            ));
        };
        let t: f64 = t
            .trim()
            .parse()
            .ok()
            .filter(|t: &f64| *t >= 0.0)
            .ok_or_else(|| format!("tolerances line {}: {t:?} is not a tolerance", i + 1))?;
        out.push((id.to_string(), t, basis.to_string()));
    }
    Ok(out)
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
            tolerance: default_tolerance(unit, num(f[10])),
            tolerance_basis: "the unit's default".into(),
        });
    }
    Ok(out)
}

/// The catalogue, in report order.
pub fn catalogue() -> &'static [Indicator] {
    static C: OnceLock<Vec<Indicator>> = OnceLock::new();
    C.get_or_init(|| {
        let mut c = parse(TSV).expect("the indicator catalogue data file is well formed");
        for (id, t, basis) in
            parse_tolerances(TOLERANCES).expect("the tolerances data file is well formed")
        {
            if let Some(i) = c.iter_mut().find(|i| i.id == id) {
                i.tolerance = t;
                i.tolerance_basis = basis;
            }
        }
        c
    })
}

pub fn find(id: &str) -> Option<&'static Indicator> {
    catalogue().iter().find(|i| i.id == id)
}

/// A figure against a comparator, by the indicator's polarity: better or worse only when the
/// difference is material (more than the indicator's tolerance), otherwise similar; neutral
/// indicators have no RAG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    /// Better than the comparator by more than the tolerance.
    Green,
    /// Within the tolerance either side.
    Similar,
    /// Worse than the comparator by more than the tolerance.
    Red,
}

impl Rag {
    /// "better than", "similar to", "worse than" (before the comparator's name).
    pub fn words(self) -> &'static str {
        match self {
            Rag::Green => "Better than",
            Rag::Similar => "Similar to",
            Rag::Red => "Worse than",
        }
    }
}

impl Indicator {
    pub fn rag(&self, value: f64, comparator: Option<f64>) -> Option<Rag> {
        let c = comparator?;
        let better = match self.polarity {
            Polarity::Higher => value - c,
            Polarity::Lower => c - value,
            Polarity::Neutral => return None,
        };
        // A hair of slack so that a difference of exactly the tolerance, after rounding in
        // the data files, is similar.
        let t = self.tolerance + 1e-9;
        Some(if better > t {
            Rag::Green
        } else if better < -t {
            Rag::Red
        } else {
            Rag::Similar
        })
    }

    /// The statistical neighbours' figure the report compares with, and which it is: the
    /// median where published, otherwise the mean.
    pub fn neighbours(&self) -> Option<(f64, &'static str)> {
        self.sn_median
            .map(|v| (v, "median"))
            .or(self.sn_mean.map(|v| (v, "mean")))
    }

    /// The unit as a column heading's cell says it.
    pub fn unit_label(&self) -> &'static str {
        match self.unit {
            Unit::Rate10k => "per 10,000 children",
            Unit::Percent => "%",
            Unit::Count => "number",
            Unit::Days => "days (average)",
            Unit::Ratio => "average",
        }
    }

    /// Whether the value is an average (a sum over a number of cases), not a count or a
    /// proportion: its numerator is then a total no one reads.
    pub fn is_average(&self) -> bool {
        matches!(self.unit, Unit::Days | Unit::Ratio)
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
    fn rag_follows_polarity_and_only_a_material_difference_counts() {
        let re = find("6").unwrap(); // lower is better, England 22.6%, tolerance 2 points
        assert_eq!(re.tolerance, 2.0);
        assert_eq!(re.rag(20.0, re.england), Some(Rag::Green));
        assert_eq!(re.rag(24.0, re.england), Some(Rag::Similar));
        assert_eq!(re.rag(25.5, re.england), Some(Rag::Red));
        let t = find("9").unwrap(); // higher is better, England 85.7%
        assert_eq!(t.rag(90.0, t.england), Some(Rag::Green));
        assert_eq!(t.rag(70.0, t.england), Some(Rag::Red));
        // The case: 0.1 points better is not "better than England".
        assert_eq!(t.rag(85.8, t.england), Some(Rag::Similar));
        assert_eq!(t.rag(85.6, t.england), Some(Rag::Similar));
        assert_eq!(
            t.rag(87.7, t.england),
            Some(Rag::Similar),
            "exactly the tolerance"
        );
        assert_eq!(t.rag(87.8, t.england), Some(Rag::Green));
        assert_eq!(find("5").unwrap().rag(700.0, Some(519.4)), None, "neutral");
        assert_eq!(t.rag(90.0, None), None);
        // Each indicator's own tolerance, in its unit: half a point of SDQ, a month of days.
        let sdq = find("35").unwrap();
        assert_eq!(sdq.rag(15.3, sdq.england), Some(Rag::Similar));
        assert_eq!(sdq.rag(15.5, sdq.england), Some(Rag::Red));
        let adopt = find("41").unwrap();
        assert_eq!(adopt.rag(470.0, adopt.england), Some(Rag::Similar));
        assert_eq!(adopt.rag(450.0, adopt.england), Some(Rag::Green));
    }

    #[test]
    fn every_indicator_has_its_own_tolerance_and_the_neighbours_figure_says_which() {
        for i in catalogue() {
            assert_ne!(
                i.tolerance_basis, "the unit's default",
                "{} has no tolerance",
                i.id
            );
            assert!(i.tolerance > 0.0, "{}", i.id);
        }
        let re = find("6").unwrap();
        assert_eq!(re.neighbours(), Some((18.6, "median")));
        assert_eq!(find("1").unwrap().neighbours(), None);
        assert_eq!(default_tolerance(Unit::Rate10k, Some(500.0)), 25.0);
        assert!(parse_tolerances("6\tlots\tbasis").is_err());
        assert!(parse_tolerances("6\t1").is_err());
    }
}
