//! Selecting questions from the banks, for `{{#questions}}` directives and worksheet sections.

use super::DataSet;
use super::questions::{Question, QuestionBank};
use super::worksheets::Selection;
use crate::diagnostics::suggestion_suffix;

/// Why a selection failed, and the word in the source to point at.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectError {
    pub message: String,
    /// The offending value as written (a bank, topic or id), to locate it in the source.
    pub token: Option<String>,
}

impl SelectError {
    fn at(token: &str, message: String) -> Self {
        SelectError {
            message,
            token: Some(token.to_owned()),
        }
    }
}

pub type Selected<'a> = Vec<(&'a QuestionBank, &'a Question)>;

impl DataSet {
    pub fn bank(&self, id: &str) -> Option<&QuestionBank> {
        self.banks.iter().map(|b| &b.value).find(|b| b.id == id)
    }

    /// The questions `selection` picks: in `ids` order when ids are given, else in bank order
    /// (banks sorted by file name). Unknown names and empty results are errors.
    pub fn select(&self, selection: &Selection) -> Result<Selected<'_>, SelectError> {
        if let Some(bank) = &selection.bank
            && self.bank(bank).is_none()
        {
            let ids = self.banks.iter().map(|b| b.value.id.as_str());
            return Err(SelectError::at(
                bank,
                format!(
                    "unknown question bank \"{bank}\"{}",
                    suggestion_suffix(bank, ids)
                ),
            ));
        }
        if let Some(audience) = &selection.audience
            && self.vocabulary().audience(audience.slug()).is_none()
        {
            let message = self.vocabulary().unknown_audience(audience.slug());
            return Err(SelectError::at(audience.slug(), message));
        }
        if let Some(group) = &selection.applies_to
            && !group.is_all()
            && self.vocabulary().group(group.slug()).is_none()
        {
            let message = self.vocabulary().unknown_group(group.slug());
            return Err(SelectError::at(group.slug(), message));
        }
        for topic in &selection.topics {
            if !self.topics.iter().any(|t| &t.id == topic) {
                let ids = self.topics.iter().map(|t| t.id.as_str());
                return Err(SelectError::at(
                    topic,
                    format!("unknown topic \"{topic}\"{}", suggestion_suffix(topic, ids)),
                ));
            }
        }
        let all: Selected<'_> = self
            .banks
            .iter()
            .flat_map(|b| b.value.questions.iter().map(move |q| (&b.value, q)))
            .collect();
        for id in &selection.ids {
            if !all.iter().any(|(_, q)| &q.id == id) {
                let ids = all.iter().map(|(_, q)| q.id.as_str());
                return Err(SelectError::at(
                    id,
                    format!("unknown question id \"{id}\"{}", suggestion_suffix(id, ids)),
                ));
            }
        }
        let keep = |(bank, q): &(&QuestionBank, &Question)| {
            selection.bank.as_ref().is_none_or(|b| &bank.id == b)
                && selection
                    .audience
                    .as_ref()
                    .is_none_or(|a| &bank.audience == a)
                && (selection.topics.is_empty()
                    || q.topics.iter().any(|t| selection.topics.contains(t)))
                && selection.applies(&q.applies_to)
        };
        let mut picked: Selected<'_> = if selection.ids.is_empty() {
            all.into_iter().filter(keep).collect()
        } else {
            selection
                .ids
                .iter()
                .filter_map(|id| all.iter().find(|(_, q)| &q.id == id).copied())
                .filter(keep)
                .collect()
        };
        if let Some(limit) = selection.limit {
            picked.truncate(limit);
        }
        if picked.is_empty() {
            return Err(SelectError {
                message: "this selection matches no questions".to_owned(),
                token: None,
            });
        }
        Ok(picked)
    }
}
