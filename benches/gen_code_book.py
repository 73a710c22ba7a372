#!/usr/bin/env python3
"""Generate an mdBook-style book of N chapters, each with prose and three code blocks (Rust with
hidden lines, TOML, shell), to measure build-time highlighting.

    gen_code_book.py N OUT_DIR [--plain]

--plain writes the same code under ```text, which guidebook does not highlight: building both
books gives the cost of highlighting alone.
"""
import os
import sys

RUST = """# use std::collections::HashMap;
# fn main() {
let mut scores: HashMap<&str, u32> = HashMap::new();
for (name, score) in [("ada", 3), ("bob", 5), ("cy", 8)] {
    // Keep the best score of each player.
    let entry = scores.entry(name).or_insert(0);
    *entry = (*entry).max(score * CHAPTER);
}
if let Some(best) = scores.values().max() {
    println!("best: {best}");
}
# }
"""
TOML = """[package]
name = "chapter-CHAPTER"
version = "0.1.0"
edition = "2021"

[dependencies]
serde = { version = "1", features = ["derive"] }
"""
SHELL = """$ cargo build --release
$ ./target/release/chapter-CHAPTER --input data.txt > out.txt
echo "done: $(wc -l < out.txt) lines"
"""


def chapter(i, plain):
    def fence(lang, body):
        return f"```{'text' if plain else lang}\n{body.replace('CHAPTER', str(i))}```\n"
    prose = ("Each chapter explains one step of the example with a few sentences of text "
             "around its code, as books about programming do. ") * 3
    return (f"# Chapter {i}\n\n{prose}\n\n{fence('rust', RUST)}\n{prose}\n\n"
            f"{fence('toml', TOML)}\n{prose}\n\n{fence('console', SHELL)}")


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    plain = "--plain" in sys.argv
    src = os.path.join(out, "src")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(out, "book.toml"), "w") as f:
        f.write('[book]\ntitle = "Code corpus"\nsrc = "src"\n\n[output.html.search]\nenable = false\n')
    with open(os.path.join(src, "SUMMARY.md"), "w") as f:
        f.write("# Summary\n\n")
        for i in range(n):
            f.write(f"- [Chapter {i}](c{i:05}.md)\n")
    for i in range(n):
        with open(os.path.join(src, f"c{i:05}.md"), "w") as f:
            f.write(chapter(i, plain))


if __name__ == "__main__":
    main()
