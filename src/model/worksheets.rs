//! Worksheets: `content/worksheets/<id>.yaml`, printable sheets built from the question banks.

use serde::{Deserialize, Serialize};

use super::questions::{ApplicantType, AppliesTo, Audience};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Worksheet {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Labels of the fill-in fields at the top of the sheet.
    /// The vocabulary's `tools.worksheet_fields` when not given.
    #[serde(default)]
    pub header_fields: Option<Vec<String>>,
    pub sections: Vec<Section>,
}

/// One part of a sheet: selected questions, a ratings table, labelled fields or a notes box
/// (exactly one).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: String,
    #[serde(default)]
    pub intro: Option<String>,
    #[serde(default)]
    pub questions: Option<Selection>,
    /// Ruled lines under each question.
    #[serde(default)]
    pub answer_lines: Option<u8>,
    #[serde(default)]
    pub ratings: Option<Ratings>,
    /// Ruled lines in a free-notes box.
    #[serde(default)]
    pub notes: Option<u8>,
    /// Labelled blanks to fill in, e.g. "Monthly rent".
    #[serde(default)]
    pub fields: Option<Vec<String>>,
}

impl Section {
    pub fn kinds_given(&self) -> usize {
        [
            self.questions.is_some(),
            self.ratings.is_some(),
            self.notes.is_some(),
            self.fields.is_some(),
        ]
        .into_iter()
        .filter(|given| *given)
        .count()
    }
}

/// Which questions a section (or a `{{#questions}}` directive) shows. Every given filter must
/// match; `ids` keep their written order.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    #[serde(default)]
    pub bank: Option<String>,
    #[serde(default)]
    pub audience: Option<Audience>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub ids: Vec<String>,
    #[serde(default)]
    pub applies_to: Option<ApplicantType>,
    /// At most this many questions (after filtering, in bank order).
    #[serde(default)]
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ratings {
    /// Highest rating (ratings run 1..=scale).
    #[serde(default = "default_scale")]
    pub scale: u8,
    pub domains: Vec<String>,
}

fn default_scale() -> u8 {
    5
}

impl Selection {
    /// Whether `applies` matches the selection's applicant type (`all` matches everyone).
    pub fn applies(&self, applies: &AppliesTo) -> bool {
        let Some(wanted) = &self.applies_to else {
            return true;
        };
        let list = applies.list();
        wanted.is_all() || list.iter().any(ApplicantType::is_all) || list.contains(wanted)
    }
}
