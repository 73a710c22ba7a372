//! The leaf layer: small helpers that know nothing of books, with no import from the rest of
//! the crate (the layering test in `tests/` holds this).

pub mod cleanup;
pub mod hash;
pub mod html;
pub mod memory;
pub mod paths;
pub mod slug;
pub mod url;
