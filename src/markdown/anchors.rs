//! Heading ids: stable slugs from heading text (or an explicit `{#id}`), unique per page; and
//! the anchors authors write in raw HTML.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// An opening tag's name and attributes.
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?>").expect("TAG compiles"));
/// An `id` or `name` attribute with its value, quoted or not.
static ANCHOR_ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:^|\s)(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"#)
        .expect("ANCHOR_ATTRIBUTE compiles")
});

/// The link targets raw HTML defines: every element's `id`, and `<a name>` (the old anchor
/// form many mdBook books use).
pub fn raw_html_anchors(html: &str) -> impl Iterator<Item = &str> {
    TAG.captures_iter(html).flat_map(|tag| {
        let is_a = tag[1].eq_ignore_ascii_case("a");
        let attributes = tag.get(2).map_or("", |m| m.as_str());
        ANCHOR_ATTRIBUTE
            .captures_iter(attributes)
            .filter(move |a| is_a || a[1].eq_ignore_ascii_case("id"))
            .filter_map(|a| a.get(2).or(a.get(3)).or(a.get(4)).map(|v| v.as_str()))
            .filter(|v| !v.is_empty())
    })
}

/// Hands out ids that are unique within one page: the second `intro` becomes `intro-1`.
#[derive(Default)]
pub struct IdAllocator {
    used: HashMap<String, usize>,
}

impl IdAllocator {
    /// Ids the page template already uses, so headings cannot collide with them.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        let mut a = IdAllocator::default();
        for id in reserved {
            a.used.insert((*id).to_owned(), 0);
        }
        a
    }

    /// Takes `id` exactly; false when it is already taken.
    pub fn claim(&mut self, id: &str) -> bool {
        if self.used.contains_key(id) {
            return false;
        }
        self.used.insert(id.to_owned(), 0);
        true
    }

    pub fn unique(&mut self, wanted: &str) -> String {
        if !self.used.contains_key(wanted) {
            self.used.insert(wanted.to_owned(), 0);
            return wanted.to_owned();
        }
        loop {
            let n = self.used.get_mut(wanted).map(|n| {
                *n += 1;
                *n
            });
            let candidate = format!("{wanted}-{}", n.unwrap_or(1));
            if !self.used.contains_key(&candidate) {
                self.used.insert(candidate.clone(), 0);
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_anchors_are_ids_and_a_names() {
        let html = r#"<a name="old"></a><span id='s1' class="x">t</span><div ID=bare>
<input name="not-an-anchor"><a id="both" name="both-name">"#;
        let found: Vec<&str> = raw_html_anchors(html).collect();
        assert_eq!(found, ["old", "s1", "bare", "both", "both-name"]);
    }

    #[test]
    fn ids_are_unique_per_page() {
        let mut ids = IdAllocator::with_reserved(&["content"]);
        assert_eq!(ids.unique("faq"), "faq");
        assert_eq!(ids.unique("faq"), "faq-1");
        assert_eq!(ids.unique("faq"), "faq-2");
        assert_eq!(ids.unique("content"), "content-1");
    }
}
