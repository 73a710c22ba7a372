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
    pub const ALL: [Audience; 5] = [
        Audience::ProgramDirector,
        Audience::IrFaculty,
        Audience::Residents,
        Audience::Coordinator,
        Audience::Alumni,
    ];

    /// The kebab-case name used in YAML, URLs and data attributes.
    pub fn slug(self) -> &'static str {
        match self {
            Audience::ProgramDirector => "program-director",
            Audience::IrFaculty => "ir-faculty",
            Audience::Residents => "residents",
            Audience::Coordinator => "coordinator",
            Audience::Alumni => "alumni",
        }
    }

    /// Heading for the audience's page of questions.
    pub fn page_title(self) -> &'static str {
        match self {
            Audience::ProgramDirector => "Questions for program directors",
            Audience::IrFaculty => "Questions for IR faculty",
            Audience::Residents => "Questions for residents",
            Audience::Coordinator => "Questions for program coordinators",
            Audience::Alumni => "Questions for alumni",
        }
    }

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

impl ApplicantType {
    pub fn slug(self) -> &'static str {
        match self {
            ApplicantType::All => "all",
            ApplicantType::UsImg => "us-img",
            ApplicantType::NonUsImg => "non-us-img",
        }
    }
}

impl AppliesTo {
    pub fn list(&self) -> Vec<ApplicantType> {
        match self {
            AppliesTo::One(a) => vec![*a],
            AppliesTo::Many(v) => v.clone(),
        }
    }

    /// "All applicants", "US-citizen IMGs", ...
    pub fn label(&self) -> String {
        let list = self.list();
        if list.is_empty() || list.contains(&ApplicantType::All) {
            return "All applicants".to_owned();
        }
        list.iter()
            .map(|a| match a {
                ApplicantType::UsImg => "US-citizen IMGs",
                ApplicantType::NonUsImg => "Non-US-citizen IMGs",
                ApplicantType::All => "All applicants",
            })
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
