//! Data tables: `content/data/<id>.yaml`, figures kept as data so one set of numbers feeds a
//! table (`{{#table id}}`) and a chart drawn at build time (`{{#chart id}}`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DataTable {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub caption: String,
    /// What the numbers count, e.g. "procedures" (shown on the chart's axis).
    #[serde(default)]
    pub unit: String,
    /// Column headings: the label column, the figure column, and (if any row has one) notes.
    #[serde(default = "default_columns")]
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

fn default_columns() -> Vec<String> {
    vec!["Item".into(), "Figure".into(), "Note".into()]
}

/// One figure: a single value, an open-ended "at least" value, or a range.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub label: String,
    pub min: f64,
    #[serde(default)]
    pub max: Option<f64>,
    /// The source says "or more" (shown as `+`).
    #[serde(default)]
    pub open: bool,
    #[serde(default)]
    pub note: Option<String>,
}

impl Row {
    /// "50", "50+", "50–100", "50–100+", with thousands separators.
    pub fn figure(&self) -> String {
        let mut s = number(self.min);
        if let Some(max) = self.max {
            s.push('–');
            s.push_str(&number(max));
        }
        if self.open {
            s.push('+');
        }
        s
    }
}

fn number(v: f64) -> String {
    let whole = v.round() as i64;
    if (v - whole as f64).abs() > f64::EPSILON {
        return format!("{v}");
    }
    thousands(whole)
}

/// `12345` → `12,345`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

impl DataTable {
    /// A problem with the figures, if any.
    pub fn problem(&self) -> Option<String> {
        if self.rows.is_empty() {
            return Some("a data table needs at least one row".to_owned());
        }
        self.rows.iter().find_map(|r| match r.max {
            Some(max) if max < r.min => Some(format!(
                "row \"{}\": max {max} is below min {}",
                r.label, r.min
            )),
            _ if r.min < 0.0 => Some(format!("row \"{}\": figures must not be negative", r.label)),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_the_sources_write_them() {
        let row = |min, max, open| Row {
            label: "x".into(),
            min,
            max,
            open,
            note: None,
        };
        assert_eq!(row(50.0, Some(100.0), true).figure(), "50–100+");
        assert_eq!(row(1000.0, Some(1500.0), true).figure(), "1,000–1,500+");
        assert_eq!(row(235.0, None, false).figure(), "235");
        assert_eq!(row(100.0, None, true).figure(), "100+");
    }
}
