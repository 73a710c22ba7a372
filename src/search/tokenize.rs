//! Words, as the index and the reader's browser both see them. The rules live here once: the
//! build tokenizes with them and writes them into `search/meta.js`, and `search.js` compiles
//! them from there, so a query splits exactly as the text it searches did.

use std::sync::LazyLock;

use regex::Regex;

/// One character of a word that is not an ideograph: a letter, a digit or a combining mark
/// (so accented, Cyrillic, Greek or Devanagari words stay whole, precomposed or not). Written
/// in the syntax the regex crate and JavaScript's `u` flag read alike.
macro_rules! letter {
    () => {
        r"(?:[^\P{Alphabetic}\p{Ideographic}]|[\p{Nd}\p{No}\p{M}])"
    };
}

/// See [`letter!`]; `search.js` extends a highlighted query word over these.
pub const LETTER: &str = letter!();

/// A word: one ideograph (Chinese and Japanese text has no spaces, so each character is its
/// own word and a query finds it inside a longer run), or a run of other letters.
pub const WORD: &str = concat!(r"\p{Ideographic}|", letter!(), "+");

/// A term's shard is what this matches at its start; every other term shares [`OTHER_SHARD`].
pub const SHARD: &str = "^[a-z0-9]";
pub const OTHER_SHARD: &str = "_";

pub const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "for", "from", "has",
    "have", "how", "if", "in", "is", "it", "its", "of", "on", "or", "so", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "to", "was", "were", "what", "when",
    "which", "who", "will", "with", "you", "your",
];

static WORD_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(WORD).expect("WORD compiles"));
static SHARD_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(SHARD).expect("SHARD compiles"));

/// Splits text into lowercase words, dropping stop words. Each word is lowercased on its own
/// (as `search.js` does), so a Greek final sigma depends on the word, not on what follows it.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    WORD_RE
        .find_iter(text)
        .map(|m| m.as_str().to_lowercase())
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
}

/// The shard `term` is kept in.
pub fn shard_key(term: &str) -> &str {
    SHARD_RE.find(term).map_or(OTHER_SHARD, |m| m.as_str())
}

/// The rules as `search/meta.js` carries them to the browser.
pub(super) fn rules() -> serde_json::Value {
    serde_json::json!({
        "word": WORD,
        "letter": LETTER,
        "stopWords": STOPWORDS,
        "shard": SHARD,
        "otherShard": OTHER_SHARD,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokens(text).collect()
    }

    #[test]
    fn tokens_drop_stop_words_and_keep_short_abbreviations() {
        assert_eq!(
            words("How is IR different from DR? Visa-free, Step 2 CK"),
            ["ir", "different", "dr", "visa", "free", "step", "2", "ck"]
        );
    }

    #[test]
    fn non_latin_words_stay_whole_and_ideographs_stand_alone() {
        assert_eq!(
            words("Ординатура ΟΔΟΣ café"),
            ["ординатура", "οδο\u{3c2}", "café"]
        );
        // A decomposed accent stays in its word.
        assert_eq!(words("cafe\u{301} naïve"), ["cafe\u{301}", "naïve"]);
        assert_eq!(words("放射科IR研修"), ["放", "射", "科", "ir", "研", "修"]);
        assert_eq!(words("हिन्दी"), ["हिन्दी"]);
    }

    #[test]
    fn shards_are_first_letters_or_digits() {
        assert_eq!(shard_key("visa"), "v");
        assert_eq!(shard_key("2024"), "2");
        assert_eq!(shard_key("ординатура"), OTHER_SHARD);
        assert_eq!(shard_key("放"), OTHER_SHARD);
    }
}
