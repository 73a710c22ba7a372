//! Question banks: `content/questions/<id>.yaml`, one bank per file.

use serde::{Deserialize, Serialize};

use super::vocabulary::{ALL_READERS, Vocabulary};

/// Who a bank's questions are for: an audience id the book's vocabulary declares (checked when
/// the data files are validated).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Audience(pub String);

impl Audience {
    /// The name used in YAML, URLs and data attributes.
    pub fn slug(&self) -> &str {
        &self.0
    }
}

/// Which readers a question matters to: `all`, or a reader group the vocabulary declares.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(transparent)]
pub struct ApplicantType(pub String);

impl ApplicantType {
    pub fn all() -> Self {
        ApplicantType(ALL_READERS.to_owned())
    }

    pub fn is_all(&self) -> bool {
        self.0 == ALL_READERS
    }

    pub fn slug(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Priority {
    High,
    Medium,
    Low,
}

/// `applies_to: all` or `applies_to: [group-a, group-b]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum AppliesTo {
    One(ApplicantType),
    Many(Vec<ApplicantType>),
}

impl AppliesTo {
    pub fn list(&self) -> Vec<ApplicantType> {
        match self {
            AppliesTo::One(a) => vec![a.clone()],
            AppliesTo::Many(v) => v.clone(),
        }
    }

    /// The tags of the groups, in the vocabulary's words: "All readers", or "A, B".
    pub fn label(&self, vocabulary: &Vocabulary) -> String {
        let list = self.list();
        if list.is_empty() || list.iter().any(ApplicantType::is_all) {
            return vocabulary.group_label(ALL_READERS).to_owned();
        }
        list.iter()
            .map(|a| vocabulary.group_label(a.slug()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Priority {
    pub fn slug(self) -> &'static str {
        match self {
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
        }
    }
}

impl Default for AppliesTo {
    fn default() -> Self {
        AppliesTo::One(ApplicantType::all())
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionBank {
    pub id: String,
    pub title: String,
    pub audience: Audience,
    #[serde(default)]
    pub description: String,
    /// How many of these to ask in one conversation, e.g. "3–5".
    #[serde(default)]
    pub ask_count: Option<String>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: String,
    /// What the answer reveals.
    pub why: String,
    #[serde(default)]
    pub good_signs: Vec<String>,
    #[serde(default)]
    pub red_flags: Vec<String>,
    #[serde(default)]
    pub follow_ups: Vec<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub applies_to: AppliesTo,
    #[serde(default)]
    pub priority: Option<Priority>,
}
