//! `guidebook init`: a minimal book that `guidebook build` accepts.

use std::path::PathBuf;

use anyhow::{Context as _, bail};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to create the book in (created if missing; must not already hold a book).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Title of the new guide.
    #[arg(long, default_value = "My advising guide")]
    pub title: String,
}

const SUMMARY: &str = "# Summary\n\n[Welcome](welcome.md)\n\n# Guide\n\n- [Getting started](chapters/getting-started.md)\n";

const WELCOME: &str = "---\ntitle: Welcome\ndescription: Who this guide is for and how to use it.\nlast_reviewed: 2026-01-01\n---\n\nThis guide helps applicants prepare. Start with [Getting started](chapters/getting-started.md).\n";

const GETTING_STARTED: &str = "---\ntitle: Getting started\nlast_reviewed: 2026-01-01\n---\n\n## Before you apply {#before-you-apply}\n\nWrite chapters in Markdown under `content/`, list them in `content/SUMMARY.md`,\nand keep questions in YAML files under `content/questions/`.\n\n> [!TIP]\n> Run `guidebook build` after each change, or link back to the [welcome page](../welcome.md).\n";

const TOPICS: &str =
    "topics:\n  - id: culture\n    title: Culture\n    description: How people treat each other.\n";

const BANK: &str = "id: residents\ntitle: Questions for residents\naudience: residents\ndescription: Residents answer most candidly.\nquestions:\n  - id: res-typical-week\n    text: What does a typical week look like for you?\n    why: Shows the real workload behind the official schedule.\n    good_signs:\n      - Specific hours and examples\n    red_flags:\n      - Vague answers or nervous glances\n    topics: [culture]\n    applies_to: all\n";

pub fn run(args: Args) -> super::Outcome {
    let root = args.dir;
    if root.join("book.toml").exists() {
        bail!(
            "{} already has a book.toml; not overwriting it",
            super::display(&root)
        );
    }
    let book_toml = format!(
        "[book]\ntitle = {}\nauthors = []\nlanguage = \"en\"\nsrc = \"content\"\n\n[build]\nbuild-dir = \"book\"\n",
        toml_string(&args.title)
    );
    let files: [(&str, &str); 6] = [
        ("book.toml", &book_toml),
        ("content/SUMMARY.md", SUMMARY),
        ("content/welcome.md", WELCOME),
        ("content/chapters/getting-started.md", GETTING_STARTED),
        ("content/topics.yaml", TOPICS),
        ("content/questions/residents.yaml", BANK),
    ];
    for (rel, text) in files {
        let path = root.join(rel);
        if path.exists() {
            bail!(
                "{} already exists; not overwriting it",
                super::display(&path)
            );
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    if !root.join(".gitignore").exists() {
        std::fs::write(root.join(".gitignore"), "/book\n").context("writing .gitignore")?;
    }
    tracing::info!(
        "created a new book in {}; build it with `guidebook build {}`",
        super::display(&root),
        super::display(&root)
    );
    Ok(Ok(()))
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}
