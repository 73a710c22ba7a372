//! Hashes: cache keys and the short fingerprints readers' saved data is checked against.

/// A 64-bit hash of `value`, for cache keys (std's SipHash: collisions are not a concern).
pub fn digest<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(value)
}

/// FNV-1a, 32 bits, as 8 hex digits: a short, stable fingerprint (not security).
pub fn text_hash(text: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in text.as_bytes() {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_are_stable() {
        assert_eq!(super::text_hash(""), "811c9dc5");
        assert_eq!(super::text_hash("a"), "e40c292c");
    }
}
