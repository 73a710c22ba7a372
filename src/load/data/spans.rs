//! Where each value of a YAML file is: a tree of byte spans built in one pass over the parser's
//! events, so ids, topics and bad values are located exactly (block or flow style) without
//! searching the text.

use saphyr_parser::{Event, Parser, Span};

pub use crate::model::spans::{Entry, Node, NodeKind};

/// The span tree of the first document in `text`; `None` when the text is not YAML this parser
/// accepts (the caller reports the syntax error from its own parser).
pub fn parse(text: &str) -> Option<Node> {
    let mut builder = Builder {
        offsets: CharOffsets::new(text),
        stack: Vec::new(),
        root: None,
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.ok()?;
        if builder.on_event(event, span) {
            break;
        }
    }
    builder.root
}

/// A collection being built, with the key waiting for its value when it is a mapping.
struct Open {
    node: Node,
    pending_key: Option<(Box<str>, usize)>,
}

struct Builder<'t> {
    offsets: CharOffsets<'t>,
    stack: Vec<Open>,
    root: Option<Node>,
}

impl Builder<'_> {
    /// Takes one event; true when the first document is complete.
    fn on_event(&mut self, event: Event<'_>, span: Span) -> bool {
        let start = self.offsets.byte(span.start.index());
        match event {
            Event::Scalar(value, ..) => {
                let awaiting_key = self.stack.last().is_some_and(|open| {
                    matches!(open.node.kind, NodeKind::Map(_)) && open.pending_key.is_none()
                });
                if awaiting_key {
                    let open = self.stack.last_mut().expect("checked above");
                    open.pending_key = Some((value.as_ref().into(), start));
                } else {
                    self.finish(Node {
                        start,
                        kind: NodeKind::Scalar,
                    });
                }
            }
            // Aliases stand for a value defined elsewhere; point at the alias itself.
            Event::Alias(_) => self.finish(Node {
                start,
                kind: NodeKind::Scalar,
            }),
            Event::SequenceStart(..) => self.open(start, NodeKind::Seq(Vec::new())),
            Event::MappingStart(..) => self.open(start, NodeKind::Map(Vec::new())),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(open) = self.stack.pop() {
                    self.finish(open.node);
                }
            }
            Event::DocumentEnd => return self.root.is_some(),
            _ => {}
        }
        self.root.is_some() && self.stack.is_empty()
    }

    fn open(&mut self, start: usize, kind: NodeKind) {
        self.stack.push(Open {
            node: Node { start, kind },
            pending_key: None,
        });
    }

    /// Places a complete node in its parent (or makes it the root).
    fn finish(&mut self, node: Node) {
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        match &mut parent.node.kind {
            NodeKind::Seq(items) => items.push(node),
            NodeKind::Map(entries) => {
                // A complex (collection) key has no pending scalar key: skip it.
                if let Some((key, key_start)) = parent.pending_key.take() {
                    entries.push(Entry {
                        key,
                        key_start,
                        value: node,
                    });
                }
            }
            NodeKind::Scalar => {}
        }
    }
}

/// Turns the parser's character indexes into byte offsets. Events come nearly in order, so a
/// cursor that moves forward makes the whole file one pass.
struct CharOffsets<'t> {
    text: &'t str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'t> CharOffsets<'t> {
    fn new(text: &'t str) -> Self {
        CharOffsets {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.chars {
            (self.chars, self.bytes) = (0, 0);
        }
        for c in self.text[self.bytes..].chars() {
            if self.chars == char_index {
                break;
            }
            self.chars += 1;
            self.bytes += c.len_utf8();
        }
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, offset: usize) -> &str {
        &text[offset..offset + 4]
    }

    #[test]
    fn block_and_flow_values_are_located() {
        let text = "id: bank\nquestions:\n  - id: one\n    topics: [visa, work]\n  - { id: 'two', topics: [work] }\n";
        let root = parse(text).unwrap();
        assert_eq!(at(text, root.value_start("id")), "bank");
        let questions = root.get("questions").unwrap();
        assert_eq!(
            at(text, questions.item(0).unwrap().value_start("id")),
            "one\n"
        );
        let topics = questions.item(0).unwrap().get("topics").unwrap();
        assert_eq!(at(text, topics.item(1).unwrap().start), "work");
        let second = questions.item(1).unwrap();
        assert_eq!(at(text, second.value_start("id")), "'two");
        assert_eq!(at(text, second.entry("topics").unwrap().key_start), "topi");
        assert_eq!(
            at(text, second.get("topics").unwrap().item(0).unwrap().start),
            "work"
        );
    }

    #[test]
    fn offsets_are_bytes_after_multibyte_text() {
        let text = "title: Résumé ✓\nid: x\n";
        let root = parse(text).unwrap();
        assert_eq!(&text[root.value_start("id")..], "x\n");
    }
}
