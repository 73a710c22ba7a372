//! The crate's layers, held: every `crate::` path in `src/` may only name a module of a lower
//! layer (or its own module). A new top-level module must be given a layer here.
//!
//! Reads the source as text: `use crate::…` lines (grouped ones too), paths written inline
//! (`crate::model::Book`), and `super::` from a top-level module (which names the crate
//! root). Comments are skipped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Bottom first. Modules on one line are one layer and may not import each other.
const LAYERS: &[&[&str]] = &[
    &["util", "csp"],
    &["diagnostics"],
    &["model"],
    &["config"],
    &["load"],
    &["preprocess"],
    &["markdown"],
    &["validate"],
    &["theme", "search"],
    &["render"],
    &["output"],
    &["pipeline"],
    &["watch", "serve"],
    &["cli"],
    &["fuzzing"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top-level module a file of `src/` belongs to (`None` for lib.rs and main.rs).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    match first.strip_suffix(".rs") {
        Some("lib" | "main") => None,
        Some(name) => Some(name.to_owned()),
        None => Some(first.to_owned()),
    }
}

/// Whether `file` is its module's root (`src/x.rs` or `src/x/mod.rs`): there `super::`
/// names the crate root.
fn is_module_root(src: &Path, file: &Path) -> bool {
    let depth = file.strip_prefix(src).map_or(0, |r| r.components().count());
    depth == 1 || (depth == 2 && file.file_name().is_some_and(|n| n == "mod.rs"))
}

/// The code of `text` without `//` comments (line and doc comments).
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            // A `//` inside a string literal (a URL) keeps the line: a stray import in a
            // string is harmless, a missed one is not.
            Some(i) if line[..i].matches('"').count() % 2 == 0 => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first segment of every path after `prefix` (`crate::` or `super::`), expanding
/// `prefix{a::b, c}` groups.
fn named_modules(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + prefix.len()..];
        // `foo_crate::` or `self::super::` is not this prefix.
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut start = 0;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 1 => {
                        found.insert(first_segment(&group[start..j]));
                        start = j + 1;
                    }
                    _ => {}
                }
                if depth == 0 {
                    found.insert(first_segment(&group[start..j]));
                    break;
                }
            }
        } else {
            found.insert(first_segment(rest));
        }
    }
    found.remove("");
    found
}

fn first_segment(path: &str) -> String {
    path.trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_imports_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let shown = file.strip_prefix(&src).unwrap_or(file).display();
        let Some(own) = layer_of(&module) else {
            problems.push(format!(
                "src/{shown}: module `{module}` has no layer in LAYERS"
            ));
            continue;
        };
        let code = without_comments(&std::fs::read_to_string(file).expect("readable source"));
        let mut named = named_modules(&code, "crate::");
        if is_module_root(&src, file) {
            named.extend(named_modules(&code, "super::"));
        }
        for target in named.iter().filter(|t| **t != module) {
            match layer_of(target) {
                Some(layer) if layer < own => {}
                Some(_) => problems.push(format!(
                    "src/{shown}: `{module}` imports `{target}`, which is not below it"
                )),
                // Not a module of the crate (a macro, `crate::` in a doc string...).
                None => {}
            }
        }
    }
    assert!(
        problems.is_empty(),
        "layering broken:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_reader_finds_grouped_and_inline_paths() {
    let code = "use crate::{model::{Book, Chapter}, util::paths};\nlet x = crate::config::Config::load();\nmy_crate::nope();";
    let found: Vec<String> = named_modules(code, "crate::").into_iter().collect();
    assert_eq!(found, ["config", "model", "util"]);
}
