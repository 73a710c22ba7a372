//! Questions as templates see them, the per-audience question bank pages, and the
//! `{{#questions}}` directive.

use serde::Serialize;

use crate::markdown::directives::{Directive, list};
use crate::markdown::links::{PageLocation, relative_to};
use crate::markdown::{BlockError, RenderContext, inline};
use crate::model::DataSet;
use crate::model::questions::{ApplicantType, Audience, Priority, Question, QuestionBank};
use crate::model::worksheets::Selection;

/// Where a question's canonical anchor lives: its audience's bank page.
pub fn canonical_page(audience: &Audience) -> String {
    crate::model::question_page(audience.slug())
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicView {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    pub id: String,
    /// Element id on this page (prefixed on print.html).
    pub anchor: String,
    pub text: String,
    /// Plain text, for the reader's own sheet and data attributes.
    pub plain: String,
    pub why: String,
    pub good_signs: Vec<String>,
    pub red_flags: Vec<String>,
    pub follow_ups: Vec<String>,
    pub topics: Vec<TopicView>,
    pub topic_ids: String,
    pub applies_to: String,
    pub applies_label: String,
    pub priority: Option<&'static str>,
    pub bank: String,
    pub bank_title: String,
    pub audience: String,
    pub audience_label: String,
    /// Link to the question's anchor on its bank page, relative to the current page.
    pub permalink: String,
}

/// Builds question views for one page.
pub struct QuestionViews<'a> {
    pub data: &'a DataSet,
    pub ctx: &'a RenderContext<'a>,
}

impl QuestionViews<'_> {
    pub fn view(
        &self,
        bank: &QuestionBank,
        q: &Question,
        location: &PageLocation,
        id_prefix: &str,
    ) -> QuestionView {
        let source = format!("questions/{}.yaml", bank.id);
        let md = |text: &str| inline::render(text, &source, self.ctx, location).0;
        let many = |items: &[String]| items.iter().map(|t| md(t)).collect::<Vec<_>>();
        let page = match location {
            PageLocation::Page(p) => p.as_str(),
            PageLocation::Print => "print.html",
        };
        let vocabulary = self.data.vocabulary();
        let topics: Vec<TopicView> = q
            .topics
            .iter()
            .map(|t| TopicView {
                id: t.clone(),
                title: self
                    .data
                    .topics
                    .iter()
                    .find(|x| &x.id == t)
                    .map_or_else(|| t.clone(), |x| x.title.clone()),
            })
            .collect();
        QuestionView {
            id: q.id.clone(),
            anchor: format!("{id_prefix}{}", q.id),
            text: md(&q.text),
            plain: inline::plain(&q.text),
            why: md(&q.why),
            good_signs: many(&q.good_signs),
            red_flags: many(&q.red_flags),
            follow_ups: many(&q.follow_ups),
            topic_ids: q.topics.join(" "),
            topics,
            applies_to: q
                .applies_to
                .list()
                .iter()
                .map(|a| a.slug())
                .collect::<Vec<_>>()
                .join(" "),
            applies_label: q.applies_to.label(self.data.vocabulary()),
            priority: q.priority.map(|p| p.slug()),
            bank: bank.id.clone(),
            bank_title: bank.title.clone(),
            audience: bank.audience.slug().to_owned(),
            audience_label: vocabulary.audience_label(bank.audience.slug()).to_owned(),
            permalink: format!(
                "{}#{}",
                relative_to(page, &canonical_page(&bank.audience)),
                q.id
            ),
        }
    }
}

/// Reads a `{{#questions bank=.. audience=.. topic=a,b ids=x,y applies_to=.. limit=N}}`.
pub fn selection_from(directive: &Directive) -> Result<Selection, BlockError> {
    let mut selection = Selection::default();
    for arg in &directive.args {
        let bad = |message: String| BlockError {
            message,
            offset: arg.offset,
        };
        match arg.key.as_deref() {
            Some("bank") => selection.bank = Some(arg.value.clone()),
            // Checked against the vocabulary when the selection is made.
            Some("audience") => selection.audience = Some(Audience(arg.value.clone())),
            Some("topic" | "topics") => selection.topics = list(&arg.value),
            Some("ids" | "id") => selection.ids = list(&arg.value),
            Some("applies_to" | "applies-to") => {
                selection.applies_to = Some(ApplicantType(arg.value.clone()));
            }
            Some("limit") => {
                selection.limit =
                    Some(arg.value.parse().map_err(|_| {
                        bad(format!("limit must be a number, not \"{}\"", arg.value))
                    })?);
            }
            Some("title") | Some("expanded") => {}
            Some(other) => {
                return Err(bad(format!(
                    "unknown argument `{other}`{}; use bank, audience, topic, ids, applies_to, limit or title",
                    crate::diagnostics::suggestion_suffix(
                        other,
                        [
                            "bank",
                            "audience",
                            "topic",
                            "ids",
                            "applies_to",
                            "limit",
                            "title"
                        ]
                    )
                )));
            }
            None => selection.bank = Some(arg.value.clone()),
        }
    }
    if selection.bank.is_none()
        && selection.audience.is_none()
        && selection.topics.is_empty()
        && selection.ids.is_empty()
    {
        return Err(BlockError {
            message: "`{{#questions}}` needs a bank, audience, topic or ids, e.g. `{{#questions bank=first-week topic=housing}}`".to_owned(),
            offset: 0,
        });
    }
    Ok(selection)
}

/// An audience's bank page: its banks with their questions.
#[derive(Debug, Serialize)]
pub struct AudiencePage {
    pub audience: String,
    pub title: String,
    pub banks: Vec<BankView>,
    pub topics: Vec<TopicView>,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct BankView {
    pub id: String,
    pub title: String,
    pub description: String,
    pub ask_count: Option<String>,
    /// The bank's lead questions first, then the rest, each part in file order.
    pub questions: Vec<QuestionView>,
    /// How many of `questions` lead the bank; the page folds the others away.
    pub lead: usize,
}

/// A bank's questions in page order, and how many of them lead: those with the bank's top
/// priority. A question without a priority ranks below `low`, so a bank that gives none (or
/// gives every question the same one) leads with all of them.
fn lead_first(bank: &QuestionBank) -> (Vec<&Question>, usize) {
    let rank = |q: &Question| match q.priority {
        Some(Priority::High) => 0,
        Some(Priority::Medium) => 1,
        Some(Priority::Low) => 2,
        None => 3,
    };
    let top = bank.questions.iter().map(rank).min().unwrap_or(0);
    let (lead, rest): (Vec<&Question>, Vec<&Question>) =
        bank.questions.iter().partition(|q| rank(q) == top);
    let count = lead.len();
    (lead.into_iter().chain(rest).collect(), count)
}

/// Links to every audience page that has questions, for the index and navigation.
#[derive(Debug, Serialize)]
pub struct AudienceLink {
    pub title: String,
    pub href: String,
    pub count: usize,
    pub banks: Vec<String>,
}

/// A page per audience with questions, in the order the vocabulary declares the audiences.
pub fn audience_pages(views: &QuestionViews<'_>) -> Vec<AudiencePage> {
    let data = views.data;
    data.vocabulary()
        .audiences
        .iter()
        .filter_map(|term| {
            let audience = Audience(term.id.clone());
            let banks = bank_views(views, &audience);
            if banks.is_empty() {
                return None;
            }
            let topics: Vec<TopicView> = data
                .topics
                .iter()
                .filter(|t| {
                    banks
                        .iter()
                        .flat_map(|b| &b.questions)
                        .any(|q| q.topics.iter().any(|x| x.id == t.id))
                })
                .map(|t| TopicView {
                    id: t.id.clone(),
                    title: t.title.clone(),
                })
                .collect();
            let count = banks.iter().map(|b| b.questions.len()).sum();
            Some(AudiencePage {
                audience: term.id.clone(),
                title: term.heading.clone(),
                banks,
                topics,
                count,
            })
        })
        .collect()
}

/// The banks for `audience`, as its page shows them.
fn bank_views(views: &QuestionViews<'_>, audience: &Audience) -> Vec<BankView> {
    let location = PageLocation::Page(canonical_page(audience));
    views
        .data
        .banks
        .iter()
        .map(|b| &b.value)
        .filter(|b| &b.audience == audience)
        .map(|b| {
            let (ordered, lead) = lead_first(b);
            BankView {
                id: b.id.clone(),
                title: b.title.clone(),
                description: inline::render(
                    &b.description,
                    &format!("questions/{}.yaml", b.id),
                    views.ctx,
                    &location,
                )
                .0,
                ask_count: b.ask_count.clone(),
                questions: ordered
                    .into_iter()
                    .map(|q| views.view(b, q, &location, ""))
                    .collect(),
                lead,
            }
        })
        .collect()
}

/// Output path of an audience page from its slug.
pub fn canonical_page_for(audience_slug: &str) -> String {
    crate::model::question_page(audience_slug)
}

pub fn audience_links(pages: &[AudiencePage]) -> Vec<AudienceLink> {
    pages
        .iter()
        .map(|p| AudienceLink {
            title: p.title.clone(),
            href: format!("{}.html", p.audience),
            count: p.count,
            banks: p.banks.iter().map(|b| b.title.clone()).collect(),
        })
        .collect()
}
