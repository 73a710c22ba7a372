//! A source map for a chapter that a preprocessor rewrote: lines it left alone keep their
//! file and place, text it wrote points at the start of the text it replaced.

use std::time::Duration;

use similar::{DiffOp, TextDiff};

use super::{Segment, SourceMap};

/// A stretch of the new text and where it came from in the old.
struct Piece {
    new_start: usize,
    old_start: usize,
    len: usize,
    /// New text: the whole stretch is placed at `old_start`.
    fixed: bool,
}

impl SourceMap {
    /// The map of `new`, a rewrite of `old` (the text this map describes), matched line by
    /// line. Diffing gives up after a moment on huge rewrites: what is left is placed at the
    /// start of the unmatched text, so the file names stay right.
    pub fn remap(&self, old: &str, new: &str) -> SourceMap {
        let diff = TextDiff::configure()
            .timeout(Duration::from_millis(200))
            .diff_lines(old, new);
        let old_starts = line_starts(old);
        let new_starts = line_starts(new);
        let mut out = SourceMap::default();
        for op in diff.ops() {
            let (old_range, new_range) = (op.old_range(), op.new_range());
            if new_range.is_empty() {
                continue;
            }
            let piece = Piece {
                new_start: new_starts[new_range.start],
                old_start: old_starts[old_range.start],
                len: new_starts[new_range.end] - new_starts[new_range.start],
                fixed: !matches!(op, DiffOp::Equal { .. }),
            };
            self.map_piece(&piece, old.len(), &mut out);
        }
        out
    }

    /// Adds the segments for `piece`: one per segment of this map that it overlaps.
    fn map_piece(&self, piece: &Piece, old_len: usize, out: &mut SourceMap) {
        let old_end = if piece.fixed {
            piece.old_start
        } else {
            piece.old_start + piece.len
        };
        for (i, seg) in self.segments.iter().enumerate() {
            let seg_end = self
                .segments
                .get(i + 1)
                .map_or(old_len, |next| next.expanded_start);
            // A fixed piece sits in the segment holding its point (the last one at the end).
            let overlaps = if piece.fixed {
                seg.expanded_start <= piece.old_start
                    && (piece.old_start < seg_end || i + 1 == self.segments.len())
            } else {
                seg.expanded_start < old_end && piece.old_start < seg_end
            };
            if !overlaps {
                continue;
            }
            let from = piece.old_start.max(seg.expanded_start);
            let advance = if seg.fixed {
                0
            } else {
                from - seg.expanded_start
            };
            out.add(Segment {
                expanded_start: piece.new_start + (from - piece.old_start),
                file: seg.file.clone(),
                file_text: seg.file_text.clone(),
                file_offset: seg.file_offset + advance,
                fixed: seg.fixed || piece.fixed,
            });
            if piece.fixed {
                break;
            }
        }
    }

    /// Appends `seg` unless it continues the last segment exactly.
    fn add(&mut self, seg: Segment) {
        if let Some(last) = self.segments.last() {
            let continues = !last.fixed
                && !seg.fixed
                && last.file == seg.file
                && seg.file_offset - last.file_offset == seg.expanded_start - last.expanded_start;
            if continues {
                return;
            }
        }
        self.segments.push(seg);
    }
}

/// Byte offset of each line start, and the text's length last (lines as `similar` splits
/// them: each ends after its `\n`).
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        text.match_indices('\n')
            .map(|(i, _)| i + 1)
            .filter(|&i| i < text.len()),
    );
    starts.push(text.len());
    starts
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;

    fn map_of(file: &str, text: &str) -> SourceMap {
        let mut map = SourceMap::default();
        map.push(0, PathBuf::from(file), Arc::from(text), 0);
        map
    }

    fn line_of(map: &SourceMap, new: &str, needle: &str) -> (String, usize) {
        let offset = new.find(needle).unwrap();
        let (file, text, at) = map.locate(offset).unwrap();
        let line = text[..at].matches('\n').count() + 1;
        (file.display().to_string(), line)
    }

    #[test]
    fn unchanged_lines_keep_their_place_and_new_text_points_at_what_it_replaced() {
        let old = "# T\n\nkeep one\n\n```note\nold body\n```\n\nkeep two\n";
        let new = "# T\n\nkeep one\n\n<div>\n<p>new body</p>\n</div>\n\nkeep two\n";
        let map = map_of("a.md", old).remap(old, new);
        assert_eq!(line_of(&map, new, "keep one"), ("a.md".into(), 3));
        assert_eq!(line_of(&map, new, "keep two"), ("a.md".into(), 9));
        assert_eq!(line_of(&map, new, "new body"), ("a.md".into(), 5));
    }

    #[test]
    fn lines_from_an_included_file_keep_that_file() {
        let main = "# T\n{{#include part.md}}\nafter\n";
        let part = "from part\n";
        let old = "# T\nfrom part\nafter\n";
        let mut map = SourceMap::default();
        map.push(0, PathBuf::from("a.md"), Arc::from(main), 0);
        map.push(4, PathBuf::from("part.md"), Arc::from(part), 0);
        map.push(14, PathBuf::from("a.md"), Arc::from(main), 25);
        let new = "# T\ninserted\nfrom part\nafter\n";
        let remapped = map.remap(old, new);
        assert_eq!(line_of(&remapped, new, "from part"), ("part.md".into(), 1));
        assert_eq!(line_of(&remapped, new, "after"), ("a.md".into(), 3));
        assert_eq!(line_of(&remapped, new, "inserted"), ("part.md".into(), 1));
    }

    #[test]
    fn text_added_at_the_end_points_at_the_end() {
        let old = "only\n";
        let new = "only\nmore\n";
        let map = map_of("a.md", old).remap(old, new);
        let (_, text, at) = map.locate(new.find("more").unwrap()).unwrap();
        assert_eq!(at, text.len());
    }
}
