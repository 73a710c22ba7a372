//! `content/compare.yaml`: what the program comparison page asks readers to record for each
//! program (ratings by domain, figures) and what it derives from them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Compare {
    #[serde(default)]
    pub intro: String,
    pub ratings: RatingScale,
    #[serde(default)]
    pub figures: Vec<Figure>,
    #[serde(default)]
    pub derived: Vec<Derived>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RatingScale {
    #[serde(default = "default_scale")]
    pub scale: u8,
    pub domains: Vec<Labelled>,
}

fn default_scale() -> u8 {
    5
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Labelled {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FigureType {
    Number,
    Text,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub id: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: FigureType,
    #[serde(default)]
    pub help: Option<String>,
}

/// A figure computed in the browser as `numerator / denominator`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    pub id: String,
    pub label: String,
    pub numerator: String,
    pub denominator: String,
    #[serde(default)]
    pub help: Option<String>,
}
