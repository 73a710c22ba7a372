//! Question banks: `content/questions/<id>.yaml`, one bank per file.

use serde::{Deserialize, Serialize};

/// Who a bank's questions are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    ProgramDirector,
    IrFaculty,
    Residents,
    Coordinator,
    Alumni,
}

impl Audience {
    pub fn label(self) -> &'static str {
        match self {
            Audience::ProgramDirector => "Program director",
            Audience::IrFaculty => "IR faculty",
            Audience::Residents => "Residents",
            Audience::Coordinator => "Program coordinator",
            Audience::Alumni => "Alumni",
        }
    }
}

/// Which applicants a question matters to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApplicantType {
    All,
    UsImg,
    NonUsImg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Priority {
    High,
    Medium,
    Low,
}

/// `applies_to: all` or `applies_to: [us-img, non-us-img]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum AppliesTo {
    One(ApplicantType),
    Many(Vec<ApplicantType>),
}

impl Default for AppliesTo {
    fn default() -> Self {
        AppliesTo::One(ApplicantType::All)
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
