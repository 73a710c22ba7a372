//! The order preprocessors run in, as mdBook computes it: `before`/`after` edges, then, round
//! by round, every preprocessor nothing still waits on, sorted by name.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::{Config, Preprocessor};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// mdBook's own preprocessors: guidebook does their work while loading, so they run nothing,
/// but others may be ordered against them.
pub(super) const BUILT_IN: &[&str] = &["links", "index"];

/// The preprocessors of `config` in running order (built-in names left out). A name in
/// `before`/`after` that is no preprocessor is a warning, as in mdBook; a cycle is an error.
pub(super) fn running_order<'c>(
    config: &'c Config,
    diags: &mut Diagnostics,
) -> Result<Vec<&'c Preprocessor>, Diagnostic> {
    let by_name: BTreeMap<&str, &Preprocessor> = config
        .preprocessors
        .iter()
        .map(|p| (p.name.as_str(), p))
        .collect();
    let mut names: BTreeSet<&str> = by_name.keys().copied().collect();
    names.extend(BUILT_IN);
    // (first, then): `first` runs before `then`.
    let mut edges: BTreeSet<(&str, &str)> = BTreeSet::new();
    for p in &config.preprocessors {
        let lists = [("before", &p.before), ("after", &p.after)];
        for (key, list) in lists {
            for other in list.iter().map(String::as_str) {
                if !names.contains(other) {
                    let message = format!(
                        "`preprocessor.{}.{key}` names `{other}`, which is not a preprocessor of \
                         this book; ignored",
                        p.name
                    );
                    diags.push(warning_at(
                        config,
                        &format!("preprocessor.{}.{key}", p.name),
                        message,
                    ));
                    continue;
                }
                let edge = if key == "before" {
                    (p.name.as_str(), other)
                } else {
                    (other, p.name.as_str())
                };
                edges.insert(edge);
            }
        }
    }
    let order = rounds(names, &edges).map_err(|stuck| {
        let listed = stuck.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>();
        let first = stuck
            .iter()
            .find(|n| by_name.contains_key(*n))
            .unwrap_or(&"");
        config.error_at_key(
            &format!("preprocessor.{first}"),
            format!(
                "the preprocessors {} wait on each other in a circle (their `before` and `after` \
                 lists): remove one of those entries",
                listed.join(", ")
            ),
        )
    })?;
    Ok(order
        .into_iter()
        .filter_map(|n| by_name.get(n).copied())
        .collect())
}

/// Kahn's algorithm, one round at a time, each round in name order (as mdBook breaks ties).
/// On a cycle, returns the names that could not be placed.
fn rounds<'n>(
    mut waiting: BTreeSet<&'n str>,
    edges: &BTreeSet<(&'n str, &'n str)>,
) -> Result<Vec<&'n str>, Vec<&'n str>> {
    let mut order = Vec::with_capacity(waiting.len());
    while !waiting.is_empty() {
        let ready: Vec<&str> = waiting
            .iter()
            .copied()
            .filter(|n| !edges.iter().any(|(a, b)| b == n && waiting.contains(a)))
            .collect();
        if ready.is_empty() {
            return Err(waiting.into_iter().collect());
        }
        for n in &ready {
            waiting.remove(n);
        }
        order.extend(ready);
    }
    Ok(order)
}

fn warning_at(config: &Config, dotted: &str, message: String) -> Diagnostic {
    let error = config.error_at_key(dotted, message);
    Diagnostic {
        severity: crate::diagnostics::Severity::Warning,
        ..error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_follow_edges_then_names() {
        let names: BTreeSet<&str> = ["b", "a", "links", "index", "z"].into();
        let edges: BTreeSet<(&str, &str)> = [("z", "a"), ("links", "b")].into();
        assert_eq!(
            rounds(names, &edges).unwrap(),
            ["index", "links", "z", "a", "b"]
        );
    }

    #[test]
    fn a_cycle_names_its_members() {
        let names: BTreeSet<&str> = ["a", "b", "c"].into();
        let edges: BTreeSet<(&str, &str)> = [("a", "b"), ("b", "a")].into();
        assert_eq!(rounds(names, &edges).unwrap_err(), ["a", "b"]);
    }
}
