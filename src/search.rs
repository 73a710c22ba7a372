//! The search index, built at build time and loaded by the browser with plain `<script>` tags
//! (no fetch, no modules, no WebAssembly), so search works from `file://` too.
//!
//! Documents are chapter sections (split at `##`/`###` headings), questions, checklist items
//! and glossary terms. Terms are sharded by their first character and document metadata is
//! split into chunks, so a query downloads only the shards of its words and the chunks of its
//! top results, never the whole index.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::markdown::inline;
use crate::model::{Book, Chapter};
use crate::model::{Contents, OutputFile};

/// Documents per metadata chunk.
const DOCS_PER_CHUNK: usize = 500;
/// Characters of body text kept for the result snippet.
const SNIPPET_CHARS: usize = 220;
/// Weights: a word in a title counts more than one in a heading, more than one in the body.
const TITLE_WEIGHT: u32 = 10;
const HEADING_WEIGHT: u32 = 6;
const BODY_WEIGHT: u32 = 1;

const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "for", "from", "has",
    "have", "how", "if", "in", "is", "it", "its", "of", "on", "or", "so", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "to", "was", "were", "what", "when",
    "which", "who", "will", "with", "you", "your",
];

/// What kind of thing a result is; the browser groups results by it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Chapter,
    Question,
    Checklist,
    Glossary,
}

/// One searchable document. Its text is borrowed where it can be: a large guide's section
/// bodies are tens of megabytes.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub kind: Kind,
    /// The result's heading (section heading, question text, item text, term).
    pub title: Cow<'a, str>,
    /// Where it lives (chapter title, bank title, checklist title).
    pub context: Cow<'a, str>,
    /// Link from the site root, with an anchor.
    pub url: String,
    pub body: Cow<'a, str>,
}

pub use crate::markdown::Section;

/// Splits text into lowercase words, dropping stop words.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
}

/// Everything the index is made from, so it can be built later: `guidebook serve` publishes
/// the pages first and builds the index in the background, because it takes longer than the
/// rest of a one-chapter rebuild of a large guide.
pub struct SearchJob {
    pub book: Book,
    /// Each chapter's search sections, by chapter index.
    pub sections: Vec<Arc<Vec<Section>>>,
    /// Checklist id → page that embeds it.
    pub checklist_pages: HashMap<String, String>,
    pub budget_bytes: u64,
    pub book_toml: PathBuf,
}

impl SearchJob {
    /// The index files and their total size in bytes.
    pub fn run(&self) -> (Vec<OutputFile>, usize) {
        let mut index = IndexBuilder::default();
        index.add_chapters(&self.book.chapters, &self.sections);
        index.add_data(&self.book, &self.checklist_pages);
        let mut files = Vec::new();
        let bytes = index.finish(|f| files.push(f));
        (files, bytes)
    }

    /// The warning for an index of `bytes` over the budget set in book.toml.
    pub fn budget_warning(&self, bytes: usize) -> Option<Diagnostic> {
        budget_warning(bytes, self.budget_bytes, &self.book_toml)
    }
}

/// The warning for an index of `bytes` over `budget` bytes, set in `book_toml`.
pub fn budget_warning(bytes: usize, budget: u64, book_toml: &Path) -> Option<Diagnostic> {
    (bytes as u64 > budget).then(|| {
        Diagnostic::warning(
            book_toml,
            format!(
                "the search index is {} KB, over the {} KB budget ([output.html.search] size-budget-kb); \
                 readers load only the shards a query needs, but consider a larger budget or splitting the guide",
                bytes / 1024,
                budget / 1024
            ),
        )
    })
}

/// Documents of `chapters`, from each one's rendered sections.
fn chapter_documents<'a>(
    chapters: &'a [Arc<Chapter>],
    sections: &'a [Arc<Vec<Section>>],
) -> Vec<Document<'a>> {
    let mut docs = Vec::new();
    for (chapter, sections) in chapters.iter().zip(sections) {
        let glossary = chapter
            .source_rel
            .rsplit('/')
            .next()
            .is_some_and(|f| f.starts_with("glossary"));
        for s in sections.iter() {
            let is_term = glossary && !s.heading.is_empty() && s.heading.chars().count() <= 40;
            docs.push(Document {
                kind: if is_term {
                    Kind::Glossary
                } else {
                    Kind::Chapter
                },
                title: if s.heading.is_empty() {
                    Cow::Borrowed(chapter.title.as_str())
                } else {
                    Cow::Borrowed(s.heading.as_str())
                },
                context: Cow::Borrowed(chapter.title.as_str()),
                url: if s.anchor.is_empty() {
                    chapter.output_rel.clone()
                } else {
                    format!("{}#{}", chapter.output_rel, s.anchor)
                },
                body: Cow::Borrowed(s.text.as_str()),
            });
        }
    }
    docs
}

/// Documents of the data files: questions, and the items of checklists embedded in a page.
fn data_documents<'a>(
    book: &'a Book,
    checklist_pages: &HashMap<String, String>,
) -> Vec<Document<'a>> {
    let mut docs = Vec::new();
    for bank in book.data.banks.iter().map(|b| &b.value) {
        for q in &bank.questions {
            let mut body = inline::plain(&q.why);
            for extra in q.good_signs.iter().chain(&q.red_flags).chain(&q.follow_ups) {
                body.push(' ');
                body.push_str(&inline::plain(extra));
            }
            docs.push(Document {
                kind: Kind::Question,
                title: inline::plain(&q.text).into(),
                context: format!(
                    "{} · {}",
                    book.data
                        .vocabulary()
                        .audience_heading(bank.audience.slug()),
                    bank.title
                )
                .into(),
                url: format!("questions/{}.html#{}", bank.audience.slug(), q.id),
                body: body.into(),
            });
        }
    }
    for list in book.data.checklists.iter().map(|c| &c.value) {
        let Some(page) = checklist_pages.get(&list.id) else {
            continue;
        };
        for item in list.groups.iter().flat_map(|g| &g.items) {
            docs.push(Document {
                kind: Kind::Checklist,
                title: inline::plain(&item.text).into(),
                context: list.title.as_str().into(),
                url: format!("{page}#{}", item.id),
                body: item
                    .help
                    .as_deref()
                    .map(inline::plain)
                    .unwrap_or_default()
                    .into(),
            });
        }
    }
    docs
}

#[derive(Serialize)]
struct DocEntry {
    /// Kind, title, context, url, snippet.
    k: Kind,
    t: String,
    c: String,
    u: String,
    s: String,
}

/// The index, built up a batch of documents at a time: a one-off build feeds it each batch
/// of chapters as they render, so no chapter's text has to wait for the last one.
#[derive(Default)]
pub struct IndexBuilder {
    /// What a result shows, by document id.
    entries: Vec<DocEntry>,
    /// term → (last document id, flat pairs of gap from the previous document id and score).
    /// Documents come in increasing order, so gaps keep the numbers short however large the
    /// guide, and the index grows in step with it.
    postings: HashMap<String, (u32, Vec<u32>)>,
}

impl IndexBuilder {
    /// Adds the sections of `chapters` (in book order, after those added before).
    pub fn add_chapters(&mut self, chapters: &[Arc<Chapter>], sections: &[Arc<Vec<Section>>]) {
        self.add(&chapter_documents(chapters, sections));
    }

    /// Adds the data files' documents; call after the last chapter.
    pub fn add_data(&mut self, book: &Book, checklist_pages: &HashMap<String, String>) {
        self.add(&data_documents(book, checklist_pages));
    }

    /// Adds `docs`, scoring a bounded batch at a time in parallel: per-document term maps
    /// are far larger than the postings they become.
    pub fn add(&mut self, docs: &[Document<'_>]) {
        const BATCH: usize = 2048;
        for batch in docs.chunks(BATCH) {
            let per_doc: Vec<Vec<(String, u32)>> = batch.par_iter().map(term_scores).collect();
            for (doc, terms) in batch.iter().zip(per_doc) {
                let id = self.entries.len() as u32;
                for (term, score) in terms {
                    let (last, list) = self.postings.entry(term).or_default();
                    list.extend([id - *last, score]);
                    *last = id;
                }
                self.entries.push(DocEntry {
                    k: doc.kind,
                    t: doc.title.clone().into_owned(),
                    c: doc.context.clone().into_owned(),
                    u: doc.url.clone(),
                    s: snippet(&doc.body),
                });
            }
        }
    }

    /// Hands each index file to `emit`, one at a time; returns their total size in bytes.
    pub fn finish(self, mut emit: impl FnMut(OutputFile)) -> usize {
        let mut total = 0;
        let mut push = |path: String, js: String| {
            total += js.len();
            emit(OutputFile {
                path,
                contents: Contents::Bytes(js.into_bytes()),
            });
        };
        let mut shards: BTreeMap<char, BTreeMap<&str, &Vec<u32>>> = BTreeMap::new();
        for (term, (_, docs)) in &self.postings {
            shards
                .entry(shard_key(term))
                .or_default()
                .insert(term, docs);
        }
        let keys: Vec<String> = shards.keys().map(|k| k.to_string()).collect();
        for (key, terms) in &shards {
            let json = serde_json::to_string(terms).unwrap_or_default();
            push(
                format!("search/terms-{}.js", shard_file(*key)),
                format!(
                    "GuidebookSearchIndex.terms({:?}, {});\n",
                    key.to_string(),
                    escape_script(&json)
                ),
            );
        }
        for (n, chunk) in self.entries.chunks(DOCS_PER_CHUNK).enumerate() {
            let json = serde_json::to_string(chunk).unwrap_or_default();
            push(
                format!("search/docs-{n}.js"),
                format!(
                    "GuidebookSearchIndex.docs({n}, {});\n",
                    escape_script(&json)
                ),
            );
        }
        let meta = serde_json::json!({
            "shards": keys,
            "perChunk": DOCS_PER_CHUNK,
            "docs": self.entries.len(),
        });
        push(
            "search/meta.js".to_owned(),
            format!("GuidebookSearchIndex.meta({meta});\n"),
        );
        tracing::debug!("search index: {} documents", self.entries.len());
        total
    }
}

/// One document's terms and their scores.
fn term_scores(doc: &Document<'_>) -> Vec<(String, u32)> {
    let mut in_doc: HashMap<String, u32> = HashMap::new();
    let title_weight = if doc.kind == Kind::Chapter {
        HEADING_WEIGHT
    } else {
        TITLE_WEIGHT
    };
    let weighted = [
        (&*doc.title, title_weight),
        (&*doc.context, 2),
        (&*doc.body, BODY_WEIGHT),
    ];
    for (text, weight) in weighted {
        for t in tokens(text) {
            let score = in_doc.entry(t).or_default();
            // Repetition counts, but with diminishing returns.
            *score = (*score + weight).min(weight * 4).max(*score);
        }
    }
    in_doc.into_iter().collect()
}

/// Terms are sharded by first character; anything outside a–z and 0–9 shares one shard.
pub fn shard_key(term: &str) -> char {
    match term.chars().next() {
        Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() => c,
        _ => '_',
    }
}

fn shard_file(key: char) -> String {
    if key == '_' {
        "other".to_owned()
    } else {
        key.to_string()
    }
}

/// The start of `body`, whitespace folded, at most `SNIPPET_CHARS` characters (reads no
/// further than it needs: bodies can be long).
fn snippet(body: &str) -> String {
    let mut s = String::with_capacity(SNIPPET_CHARS + 4);
    let mut chars = 0;
    for word in body.split_whitespace() {
        if !s.is_empty() {
            s.push(' ');
            chars += 1;
        }
        for c in word.chars() {
            if chars == SNIPPET_CHARS {
                s.push('…');
                return s;
            }
            s.push(c);
            chars += 1;
        }
    }
    s
}

/// JSON inside a script must not close the script element.
fn escape_script(json: &str) -> String {
    json.replace("</", "<\\/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index files of `docs` and their total size in bytes.
    fn index_files(docs: &[Document<'_>]) -> (Vec<OutputFile>, usize) {
        let mut index = IndexBuilder::default();
        index.add(docs);
        let mut files = Vec::new();
        let bytes = index.finish(|f| files.push(f));
        (files, bytes)
    }

    #[test]
    fn tokens_drop_stop_words_and_keep_short_abbreviations() {
        let t: Vec<String> = tokens("How is IR different from DR? Visa-free, Step 2 CK").collect();
        assert_eq!(
            t,
            ["ir", "different", "dr", "visa", "free", "step", "2", "ck"]
        );
    }

    #[test]
    fn snippets_fold_whitespace_and_stop_at_the_limit() {
        assert_eq!(snippet("a  b\n c"), "a b c");
        let long = "word ".repeat(100);
        let s = snippet(&long);
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
    }

    #[test]
    fn postings_are_gaps_and_scores() {
        let doc = |title: &'static str| Document {
            kind: Kind::Question,
            title: title.into(),
            context: "".into(),
            url: "q.html".into(),
            body: "".into(),
        };
        let docs = [
            doc("call nights"),
            doc("rotations"),
            doc("home call"),
            doc("call"),
        ];
        let (files, _) = index_files(&docs);
        let shard = files
            .iter()
            .find(|f| f.path == "search/terms-c.js")
            .and_then(|f| f.contents.bytes().ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap();
        let json = shard
            .trim_start_matches("GuidebookSearchIndex.terms(\"c\", ")
            .trim_end_matches(");\n");
        let terms: HashMap<String, Vec<u32>> = serde_json::from_str(json).unwrap();
        // Documents 0, 2 and 3: gaps 0, 2, 1, each followed by the title score.
        assert_eq!(
            terms["call"],
            [0, TITLE_WEIGHT, 2, TITLE_WEIGHT, 1, TITLE_WEIGHT]
        );
    }

    #[test]
    fn index_shards_terms_by_first_character() {
        let docs = vec![Document {
            kind: Kind::Question,
            title: "Home call nights".into(),
            context: "Residents".into(),
            url: "questions/residents.html#res-home-call".into(),
            body: "Shows the real workload </script>".into(),
        }];
        let (files, total) = index_files(&docs);
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert!(
            names.contains(&"search/terms-h.js") && names.contains(&"search/terms-w.js"),
            "{names:?}"
        );
        assert!(names.contains(&"search/docs-0.js") && names.contains(&"search/meta.js"));
        assert!(total > 0);
        for f in &files {
            if let Contents::Bytes(b) = &f.contents {
                assert!(
                    !String::from_utf8_lossy(b).contains("</script>"),
                    "{}",
                    f.path
                );
            }
        }
    }
}
