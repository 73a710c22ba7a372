//! The index files: terms sharded by their first character, postings as gaps and scores, and
//! result metadata in chunks, each a script that hands its part to `GuidebookSearchIndex`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::documents::{chapter_documents, data_documents, snippet};
use super::tokenize::{self, OTHER_SHARD, shard_key, tokens};
use super::{Document, Kind, Section};
use crate::model::{Book, Chapter};
use crate::model::{Contents, OutputFile};

/// Documents per metadata chunk.
const DOCS_PER_CHUNK: usize = 500;
/// Weights: a word in a title counts more than one in a heading, more than one in the body.
const TITLE_WEIGHT: u32 = 10;
const HEADING_WEIGHT: u32 = 6;
const BODY_WEIGHT: u32 = 1;

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
        let mut shards: BTreeMap<&str, BTreeMap<&str, &Vec<u32>>> = BTreeMap::new();
        for (term, (_, docs)) in &self.postings {
            shards
                .entry(shard_key(term))
                .or_default()
                .insert(term, docs);
        }
        let files: BTreeMap<&str, String> = shards.keys().map(|k| (*k, shard_file(k))).collect();
        for (key, terms) in &shards {
            let json = serde_json::to_string(terms).unwrap_or_default();
            push(
                shard_file(key),
                format!(
                    "GuidebookSearchIndex.terms({}, {});\n",
                    serde_json::Value::from(*key),
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
            "shards": files,
            "perChunk": DOCS_PER_CHUNK,
            "docs": self.entries.len(),
            "tokenizer": tokenize::rules(),
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

/// The file of the shard `key`, from the site root.
fn shard_file(key: &str) -> String {
    let name = if key == OTHER_SHARD { "other" } else { key };
    format!("search/terms-{name}.js")
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
