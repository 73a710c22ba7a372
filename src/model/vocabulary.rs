//! The guide's own words: `content/vocabulary.yaml` names the audiences its question banks are
//! for, the reader groups a question can apply to, and the wording of the tool pages. Every key
//! is optional; an absent one falls back to plain English that names no field.

use serde::{Deserialize, Serialize};

/// The reader-group id every question matches; no group may take it.
pub const ALL_READERS: &str = "all";

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Vocabulary {
    /// Whom the questions are asked of, in the order their pages are listed.
    pub audiences: Vec<AudienceTerm>,
    pub reader_groups: ReaderGroups,
    pub tools: Tools,
}

/// One audience: `id` is what banks write as `audience:` and the name of its page.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AudienceTerm {
    pub id: String,
    /// Shown on each question, e.g. "Ask: Alumni".
    pub label: String,
    /// The heading of the audience's page of questions.
    pub heading: String,
}

/// The groups of readers a question may apply to (`applies_to:`), besides everyone (`all`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReaderGroups {
    /// The label of the filter on question pages.
    pub prompt: String,
    /// The filter's choice that shows every question.
    pub any: String,
    /// The tag of a question for everyone.
    pub all: String,
    /// `all` inside a sentence ("For all readers").
    pub all_phrase: String,
    pub groups: Vec<ReaderGroup>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReaderGroup {
    pub id: String,
    /// The tag of a question for this group.
    pub label: String,
    /// The group inside a sentence; `label` when not given.
    #[serde(default)]
    pub phrase: Option<String>,
    /// The group as a choice of the filter; `label` when not given.
    #[serde(default)]
    pub option: Option<String>,
}

/// Wording of the generated tool pages and their place in the navigation.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Tools {
    /// The navigation's part that lists the tool pages.
    pub heading: String,
    /// Title of the reader's own sheet.
    pub my_sheet: String,
    /// The sheet inside a sentence ("your own question sheet").
    pub sheet: String,
    /// The fill-in fields printed under the program's name on the reader's sheet.
    pub sheet_fields: Vec<String>,
    /// A worksheet's fill-in fields when it names none.
    pub worksheet_fields: Vec<String>,
    /// The question bank's opening sentence.
    pub questions_intro: String,
}

impl Default for ReaderGroups {
    fn default() -> Self {
        ReaderGroups {
            prompt: "You are".to_owned(),
            any: "Any reader".to_owned(),
            all: "All readers".to_owned(),
            all_phrase: "all readers".to_owned(),
            groups: Vec::new(),
        }
    }
}

impl Default for Tools {
    fn default() -> Self {
        Tools {
            heading: "Your tools".to_owned(),
            my_sheet: "My question sheet".to_owned(),
            sheet: "question sheet".to_owned(),
            sheet_fields: vec!["Date".to_owned()],
            worksheet_fields: vec!["Program".to_owned(), "Date".to_owned()],
            questions_intro: "Questions to ask, grouped by whom you ask.".to_owned(),
        }
    }
}

impl ReaderGroup {
    pub fn phrase(&self) -> &str {
        self.phrase.as_deref().unwrap_or(&self.label)
    }
}

impl Vocabulary {
    pub fn audience(&self, id: &str) -> Option<&AudienceTerm> {
        self.audiences.iter().find(|a| a.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&ReaderGroup> {
        self.reader_groups.groups.iter().find(|g| g.id == id)
    }

    /// An audience's label, or its id when the vocabulary does not declare it.
    pub fn audience_label<'a>(&'a self, id: &'a str) -> &'a str {
        self.audience(id).map_or(id, |a| a.label.as_str())
    }

    /// The heading of an audience's page, or its id when undeclared.
    pub fn audience_heading<'a>(&'a self, id: &'a str) -> &'a str {
        self.audience(id).map_or(id, |a| a.heading.as_str())
    }

    /// A reader group's tag ("All readers" for `all`), or its id when undeclared.
    pub fn group_label<'a>(&'a self, id: &'a str) -> &'a str {
        if id == ALL_READERS {
            return &self.reader_groups.all;
        }
        self.group(id).map_or(id, |g| g.label.as_str())
    }

    /// A reader group inside a sentence ("all readers" for `all`), or the id when undeclared.
    pub fn group_phrase<'a>(&'a self, id: &'a str) -> &'a str {
        if id == ALL_READERS {
            return &self.reader_groups.all_phrase;
        }
        self.group(id).map_or(id, ReaderGroup::phrase)
    }

    /// Why an id is not a declared audience, for an error message.
    pub fn unknown_audience(&self, id: &str) -> String {
        let ids = self.audiences.iter().map(|a| a.id.as_str());
        unknown("audience", id, ids, "audiences")
    }

    /// Why an id is not a reader group, for an error message.
    pub fn unknown_group(&self, id: &str) -> String {
        let ids = std::iter::once(ALL_READERS)
            .chain(self.reader_groups.groups.iter().map(|g| g.id.as_str()));
        unknown("reader group", id, ids, "reader_groups.groups")
    }
}

fn unknown<'a>(
    kind: &str,
    id: &str,
    ids: impl Iterator<Item = &'a str> + Clone,
    key: &str,
) -> String {
    let hint = crate::diagnostics::suggestion_suffix(id, ids.clone());
    let valid: Vec<&str> = ids.collect();
    let valid = if valid.is_empty() {
        "none are declared".to_owned()
    } else {
        format!("valid: {}", valid.join(", "))
    };
    format!("unknown {kind} \"{id}\"{hint} ({valid}); declare it under `{key}` in vocabulary.yaml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absent_vocabulary_speaks_plain_english_and_falls_back_to_ids() {
        let v = Vocabulary::default();
        assert_eq!(v.tools.heading, "Your tools");
        assert_eq!(v.tools.my_sheet, "My question sheet");
        assert_eq!(v.group_label(ALL_READERS), "All readers");
        assert_eq!(v.group_phrase(ALL_READERS), "all readers");
        assert_eq!(v.audience_label("advisor"), "advisor");
        assert_eq!(
            v.unknown_audience("advisor"),
            "unknown audience \"advisor\" (none are declared); declare it under `audiences` in vocabulary.yaml"
        );
    }

    #[test]
    fn a_group_without_phrase_or_option_uses_its_label() {
        let v: Vocabulary = serde_norway::from_str(
            "reader_groups:\n  groups:\n    - id: returning\n      label: Returning students\n",
        )
        .unwrap();
        assert_eq!(v.group_phrase("returning"), "Returning students");
        assert_eq!(v.reader_groups.any, "Any reader");
        assert!(
            v.unknown_group("returnin")
                .contains("did you mean \"returning\"?")
        );
    }
}
