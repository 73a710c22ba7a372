//! `guidebook init`: a small sample book that `guidebook build` accepts, in a field the
//! engine knows nothing about (study abroad), so every word of it comes from the book.

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

/// The sample book, a study-abroad advising guide: a chapter, three audiences' question banks,
/// a checklist, a worksheet and the vocabulary that names them. Paths are relative to `content/`.
const SAMPLE: [(&str, &str); 10] = [
    ("SUMMARY.md", include_str!("sample/SUMMARY.md")),
    ("welcome.md", include_str!("sample/welcome.md")),
    (
        "chapters/choosing.md",
        include_str!("sample/chapters/choosing.md"),
    ),
    ("topics.yaml", include_str!("sample/topics.yaml")),
    ("vocabulary.yaml", include_str!("sample/vocabulary.yaml")),
    (
        "questions/advisor.yaml",
        include_str!("sample/questions/advisor.yaml"),
    ),
    (
        "questions/host-university.yaml",
        include_str!("sample/questions/host-university.yaml"),
    ),
    (
        "questions/alumni.yaml",
        include_str!("sample/questions/alumni.yaml"),
    ),
    (
        "checklists/before-you-go.yaml",
        include_str!("sample/checklists/before-you-go.yaml"),
    ),
    (
        "worksheets/first-call.yaml",
        include_str!("sample/worksheets/first-call.yaml"),
    ),
];

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
    let files: Vec<(PathBuf, &str)> = std::iter::once((root.join("book.toml"), book_toml.as_str()))
        .chain(
            SAMPLE
                .iter()
                .map(|(rel, text)| (root.join("content").join(rel), *text)),
        )
        .collect();
    // Every target is checked before anything is written: a refusal leaves the folder as it was.
    if let Some((taken, _)) = files
        .iter()
        .find(|(path, _)| path.symlink_metadata().is_ok())
    {
        bail!(
            "{} already exists; not overwriting it, and nothing was written",
            super::display(taken)
        );
    }
    for (path, text) in &files {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        write_new(path, text)?;
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

/// Writes a file that must not exist yet (it could have appeared since the check).
fn write_new(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}
