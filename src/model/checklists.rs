//! Checklists: `content/checklists/<id>.yaml`, one checklist per file.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Ticked once per program the reader is weighing.
    PerProgram,
    /// Ticked once.
    Single,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScoreMethod {
    /// Each ticked item counts 1.
    Count,
    /// Ticked items add their `weight`.
    Weights,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub scope: Scope,
    #[serde(default)]
    pub scoring: Option<Scoring>,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    pub method: ScoreMethod,
    #[serde(default)]
    pub bands: Vec<Band>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub min: u32,
    pub max: u32,
    pub label: String,
    #[serde(default)]
    pub advice: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub title: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub weight: Option<u32>,
}

impl Checklist {
    /// The highest score a reader can reach.
    pub fn max_score(&self) -> u32 {
        let weighted = matches!(
            self.scoring,
            Some(Scoring {
                method: ScoreMethod::Weights,
                ..
            })
        );
        self.groups
            .iter()
            .flat_map(|g| &g.items)
            .map(|i| if weighted { i.weight.unwrap_or(1) } else { 1 })
            .sum()
    }

    /// A problem with the bands: they must run from 0 to the maximum score without gaps.
    pub fn band_problem(&self) -> Option<String> {
        let bands = &self.scoring.as_ref()?.bands;
        if bands.is_empty() {
            return None;
        }
        let max = self.max_score();
        let mut expected = 0;
        for band in bands {
            if band.min != expected {
                return Some(format!(
                    "score bands must be contiguous: band \"{}\" starts at {} but the previous one ends at {}",
                    band.label,
                    band.min,
                    expected as i64 - 1
                ));
            }
            if band.max < band.min {
                return Some(format!(
                    "band \"{}\" has max {} below its min {}",
                    band.label, band.max, band.min
                ));
            }
            expected = band.max + 1;
        }
        (expected != max + 1).then(|| {
            format!(
                "score bands end at {} but the highest possible score is {max}",
                expected - 1
            )
        })
    }
}
