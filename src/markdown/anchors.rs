//! Heading ids: stable slugs from heading text (or an explicit `{#id}`), unique per page.

use std::collections::HashMap;

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
    fn ids_are_unique_per_page() {
        let mut ids = IdAllocator::with_reserved(&["content"]);
        assert_eq!(ids.unique("faq"), "faq");
        assert_eq!(ids.unique("faq"), "faq-1");
        assert_eq!(ids.unique("faq"), "faq-2");
        assert_eq!(ids.unique("content"), "content-1");
    }
}
