//! Block directives (`{{#questions ...}}` alone in a paragraph): rendered by the
//! [`BlockRenderer`](super::BlockRenderer), their ids claimed on the page.

use pulldown_cmark::Event;

use super::directives::{BLOCK_DIRECTIVES, Directive};
use super::state::State;
use super::{BlockError, BlockPlace};
use crate::diagnostics::Diagnostic;

impl State<'_> {
    /// If `inner` (a paragraph's events) is exactly one block directive, its rendered HTML.
    /// Problems become diagnostics at the directive, and an empty block.
    pub(super) fn block_directive(&mut self, inner: &[(Event<'_>, usize)]) -> Option<String> {
        let mut text = String::new();
        for (e, _) in inner {
            match e {
                Event::Text(t) => text.push_str(t),
                Event::SoftBreak => text.push(' '),
                _ => return None,
            }
        }
        // Smart punctuation may have curled the quotes of an argument.
        let text = text.replace(['\u{201c}', '\u{201d}'], "\"");
        let directive = Directive::parse(&text)?;
        if !BLOCK_DIRECTIVES.contains(&directive.name.as_str()) {
            return None;
        }
        let at = inner.first().map_or(0, |(_, o)| *o);
        let result = match self.ctx.blocks {
            Some(blocks) => {
                let place = BlockPlace {
                    location: self.location,
                    heading_level: self.headings.last().map_or(2, |h| h.level + 1).clamp(2, 6),
                    id_prefix: &self.id_prefix,
                };
                blocks.render_block(&directive, &place)
            }
            None => Err(BlockError {
                message: "block directives are not available here".to_owned(),
                offset: 0,
            }),
        };
        match result {
            Ok(block) => {
                // A checklist block's first id is its anchor: the checklist it rendered.
                if directive.name == "checklist"
                    && let Some(anchor) = block.ids.first()
                {
                    let id = anchor
                        .strip_prefix(self.id_prefix.as_str())
                        .unwrap_or(anchor);
                    self.checklists.push(id.to_owned());
                }
                self.claim_block_ids(&block.ids, at);
                self.all_ids.extend(block.ids);
                Some(block.html)
            }
            Err(e) => {
                let d = self
                    .chapter
                    .source_map
                    .diagnostic(at + e.offset, |p| Diagnostic::error(p, e.message));
                self.diagnostics.push(d);
                Some(String::new())
            }
        }
    }

    /// A block's ids are fixed (saved state and links use them): later headings are given
    /// other ids, and a heading above that already took one is an error at the directive.
    fn claim_block_ids(&mut self, ids: &[String], at: usize) {
        for full in ids {
            let id = full.strip_prefix(self.id_prefix.as_str()).unwrap_or(full);
            if !self.ids.claim(id) {
                let message = format!(
                    "this block's id \"{id}\" is already used on this page (by a heading or another block); give the heading another {{#id}} or embed the block once"
                );
                let d = self
                    .chapter
                    .source_map
                    .diagnostic(at, |p| Diagnostic::error(p, message));
                self.diagnostics.push(d);
            }
        }
    }
}
