//! A file of the site as the server holds it.

use std::sync::Arc;

use crate::model::Contents;

/// A file's bytes as the server holds them, shared with the render cache.
#[derive(Clone)]
pub(super) enum Served {
    Whole(Arc<Vec<u8>>),
    /// Sent one part after another (print.html).
    Parts(Arc<[Arc<String>]>),
}

pub(super) fn shared(contents: Contents) -> Option<Served> {
    Some(match contents {
        Contents::Shared(b) => Served::Whole(b),
        Contents::Bytes(b) => Served::Whole(Arc::new(b)),
        Contents::Copy(path) => Served::Whole(Arc::new(std::fs::read(path).ok()?)),
        Contents::Joined(parts) => Served::Parts(parts.into()),
    })
}
