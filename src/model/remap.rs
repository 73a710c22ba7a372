//! A source map for a chapter that a preprocessor rewrote: lines it left alone keep their
//! file and place, text it wrote points at the start of the text it replaced.

use std::collections::HashMap;

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
    /// line (see [`equal_runs`]).
    pub fn remap(&self, old: &str, new: &str) -> SourceMap {
        let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
        let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
        let old_starts = line_starts(&old_lines);
        let new_starts = line_starts(&new_lines);
        let mut out = SourceMap::default();
        let (mut old_at, mut new_at) = (0, 0);
        let mut runs = equal_runs(&old_lines, &new_lines);
        // The new text after the last run is new, placed where the old text's rest starts.
        runs.push((old_lines.len(), new_lines.len(), 0));
        for (i, j, len) in runs {
            if j > new_at {
                let piece = Piece {
                    new_start: new_starts[new_at],
                    old_start: old_starts[old_at],
                    len: new_starts[j] - new_starts[new_at],
                    fixed: true,
                };
                self.map_piece(&piece, old.len(), &mut out);
            }
            if len > 0 {
                let piece = Piece {
                    new_start: new_starts[j],
                    old_start: old_starts[i],
                    len: new_starts[j + len] - new_starts[j],
                    fixed: false,
                };
                self.map_piece(&piece, old.len(), &mut out);
            }
            (old_at, new_at) = (i + len, j + len);
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

/// Byte offset of each line start, and the text's length last.
fn line_starts(lines: &[&str]) -> Vec<usize> {
    let mut starts = Vec::with_capacity(lines.len() + 1);
    let mut at = 0;
    starts.push(0);
    for line in lines {
        at += line.len();
        starts.push(at);
    }
    starts
}

/// Runs of equal lines `(old index, new index, length)`, in order, found in linear time as
/// patience diff finds them: lines that occur once in each text are anchors (the longest
/// chain of them in order), each extended over the equal lines around it. Text between runs
/// is what the rewrite replaced.
fn equal_runs(old: &[&str], new: &[&str]) -> Vec<(usize, usize, usize)> {
    let mut runs = Vec::new();
    let (mut i0, mut j0) = (0, 0);
    // The common start, then each anchor, then the common end.
    let anchors = unique_anchors(old, new)
        .into_iter()
        .chain([(old.len(), new.len())]);
    for (mut i, mut j) in std::iter::once((0, 0)).chain(anchors) {
        if i < i0 || j < j0 {
            continue;
        }
        while i > i0 && j > j0 && old[i - 1] == new[j - 1] {
            (i, j) = (i - 1, j - 1);
        }
        let (mut end_i, mut end_j) = (i, j);
        while end_i < old.len() && end_j < new.len() && old[end_i] == new[end_j] {
            (end_i, end_j) = (end_i + 1, end_j + 1);
        }
        if end_i > i {
            runs.push((i, j, end_i - i));
        }
        (i0, j0) = (end_i, end_j);
    }
    runs
}

/// Pairs `(i, j)` where `old[i] == new[j]` and that line occurs once in each, the longest
/// chain increasing in both (patience sorting).
fn unique_anchors(old: &[&str], new: &[&str]) -> Vec<(usize, usize)> {
    let mut seen: HashMap<&str, (u32, u32, usize, usize)> = HashMap::new();
    for (i, line) in old.iter().enumerate() {
        let e = seen.entry(line).or_insert((0, 0, 0, 0));
        (e.0, e.2) = (e.0 + 1, i);
    }
    for (j, line) in new.iter().enumerate() {
        if let Some(e) = seen.get_mut(line) {
            (e.1, e.3) = (e.1 + 1, j);
        }
    }
    let mut pairs: Vec<(usize, usize)> = seen
        .into_values()
        .filter(|e| e.0 == 1 && e.1 == 1)
        .map(|e| (e.2, e.3))
        .collect();
    pairs.sort_unstable();
    longest_increasing(&pairs)
}

/// The longest subsequence of `pairs` (sorted by their first) whose seconds increase.
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[k]: index of the smallest last second of a chain of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous = vec![usize::MAX; pairs.len()];
    for (n, &(_, j)) in pairs.iter().enumerate() {
        let k = tails.partition_point(|&t| pairs[t].1 < j);
        if k > 0 {
            previous[n] = tails[k - 1];
        }
        if k == tails.len() {
            tails.push(n);
        } else {
            tails[k] = n;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied().unwrap_or(usize::MAX);
    while at != usize::MAX {
        chain.push(pairs[at]);
        at = previous[at];
    }
    chain.reverse();
    chain
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
    fn repeated_lines_between_rewrites_stay_matched() {
        let old = "r[a]\nfirst\n\nr[b]\nsecond\n\nr[c]\nthird\n";
        let new = "<div a>\n</div>\nfirst\n\n<div b>\n</div>\nsecond\n\n<div c>\n</div>\nthird\n[x]: y\n[z]: w\n";
        let map = map_of("a.md", old).remap(old, new);
        assert_eq!(line_of(&map, new, "first"), ("a.md".into(), 2));
        assert_eq!(line_of(&map, new, "<div b>"), ("a.md".into(), 4));
        assert_eq!(line_of(&map, new, "second"), ("a.md".into(), 5));
        assert_eq!(line_of(&map, new, "third"), ("a.md".into(), 8));
        assert_eq!(line_of(&map, new, "[z]"), ("a.md".into(), 9));
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
