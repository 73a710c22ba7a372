//! Where each value of a YAML data file is: a tree of byte spans (built by
//! `load::data::spans`), so checks can point at the exact value they name.

/// A YAML node reduced to its shape and where it is. Scalars keep no text: the span says where
/// to read it.
#[derive(Debug, Clone, Default)]
pub struct Node {
    /// Byte offset of the node's first character (for a block mapping, its first key).
    pub start: usize,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, Default)]
pub enum NodeKind {
    #[default]
    Scalar,
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: Box<str>,
    /// Byte offset of the key.
    pub key_start: usize,
    pub value: Node,
}

impl Node {
    /// The value of `key` when this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|e| &*e.key == key),
            _ => None,
        }
    }

    /// The items of a sequence; empty for anything else.
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Seq(items) => items,
            _ => &[],
        }
    }

    /// The `index`th item of a sequence.
    pub fn item(&self, index: usize) -> Option<&Node> {
        self.items().get(index)
    }

    /// Where `key`'s value starts, or this node's start when it has no such key.
    pub fn value_start(&self, key: &str) -> usize {
        self.get(key).map_or(self.start, |n| n.start)
    }
}

/// The start of the first scalar under `node` (itself included) written as `value`, plain or
/// quoted: to point at a value that a check names (a topic, a bank id).
pub fn find_scalar(node: &Node, text: &str, value: &str) -> Option<usize> {
    match &node.kind {
        NodeKind::Scalar => scalar_is(text, node.start, value).then_some(node.start),
        NodeKind::Seq(items) => items.iter().find_map(|n| find_scalar(n, text, value)),
        NodeKind::Map(entries) => entries
            .iter()
            .find_map(|e| find_scalar(&e.value, text, value)),
    }
}

/// Whether the scalar at `start` is `value` as a whole token.
fn scalar_is(text: &str, start: usize, value: &str) -> bool {
    let rest = text.get(start..).unwrap_or_default();
    let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
    rest.strip_prefix(value).is_some_and(|after| {
        !after
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_')
    })
}
