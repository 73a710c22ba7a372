#!/usr/bin/env python3
"""Builds real mdBook books with guidebook and (where installed) mdBook, and checks the output.

    python3 benches/mdbook_compat.py BOOKS_DIR [--guidebook PATH] [--mdbook PATH] [--runs N]

BOOKS_DIR holds checked-out books, one per folder (a book is a folder with a book.toml, or a
`guide/` under it with one, as rust-lang/mdBook keeps its guide). Nothing is fetched and no
book file is changed: each tool builds into a fresh folder under a temp dir. For mdBook, the
book's preprocessors that are not installed are made optional through mdBook's own
`MDBOOK_PREPROCESSOR__NAME__OPTIONAL` environment override, so it builds what it can.

For each book and tool it prints: the SUMMARY chapters that got a page, internal links and
anchors that do not resolve in the output, warnings, `{{#...}}` directive text left in the
pages' prose, Rust blocks highlighted at build time, hidden (`# `) lines left visible, the
median wall time and the peak memory (RSS) of a build, after one warm-up build.
"""

import argparse
import html.parser
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

# Preprocessors mdBook runs itself.
BUILTIN_PREPROCESSORS = {"links", "index"}


def find_books(root):
    books = []
    for entry in sorted(Path(root).iterdir()):
        for candidate in (entry, entry / "guide"):
            if (candidate / "book.toml").is_file():
                books.append(candidate)
                break
    return books


def book_src(book):
    text = (book / "book.toml").read_text()
    match = re.search(r'^\s*src\s*=\s*"([^"]+)"', text, re.M)
    return book / (match.group(1) if match else "src")


def summary_pages(book):
    """Output paths of the chapters SUMMARY.md links (mdBook's README.md -> index.html)."""
    text = (book_src(book) / "SUMMARY.md").read_text()
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    pages = []
    for target in re.findall(r"\]\(\s*<?([^)>]+?\.md)>?\s*\)", text):
        target = urllib.parse.unquote(target)
        target = target[2:] if target.startswith("./") else target
        if target.endswith("README.md"):
            target = target[: -len("README.md")] + "index.md"
        pages.append(target[:-3] + ".html")
    return pages


class PageScan(html.parser.HTMLParser):
    """Ids, links, prose text and code blocks of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []
        self.prose = []
        self.rust_blocks = []  # (highlighted, visible hidden lines)
        self.in_code = 0
        self.in_skip = 0
        self.in_hidden = 0
        self.block = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href") is not None:
            self.links.append(attrs["href"])
        if tag == "img" and attrs.get("src"):
            self.links.append(attrs["src"])
        if tag in ("script", "style"):
            self.in_skip += 1
        if tag in ("code", "pre"):
            self.in_code += 1
        classes = (attrs.get("class") or "").split()
        if tag == "code" and "language-rust" in classes and self.block is None:
            self.block = {"spans": 0, "text": [], "depth": 0}
        if self.block is not None:
            self.block["depth"] += 1
            if tag == "span":
                if "boring" in classes or "hidden" in classes:
                    self.in_hidden += 1
                    self.block.setdefault("hidden_depths", []).append(self.block["depth"])
                else:
                    self.block["spans"] += 1  # a highlighted token

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.in_skip = max(0, self.in_skip - 1)
        if tag in ("code", "pre"):
            self.in_code = max(0, self.in_code - 1)
        if self.block is not None:
            depths = self.block.get("hidden_depths", [])
            if tag == "span" and depths and depths[-1] == self.block["depth"]:
                depths.pop()
                self.in_hidden -= 1
            self.block["depth"] -= 1
            if self.block["depth"] == 0:
                text = "".join(self.block["text"])
                visible_hidden = sum(1 for line in text.split("\n") if re.match(r"^#(\s|$)", line))
                self.rust_blocks.append((self.block["spans"] > 0, visible_hidden))
                self.block = None

    def handle_data(self, data):
        if self.block is not None and not self.in_hidden:
            self.block["text"].append(data)
        if not self.in_code and not self.in_skip:
            self.prose.append(data)


def scan_site(out):
    pages = {}
    for path in out.rglob("*.html"):
        scan = PageScan()
        try:
            scan.feed(path.read_text(errors="replace"))
        except Exception:  # a page the parser cannot read counts as no links
            pass
        pages[path] = scan
    return pages


def broken_links(out, pages):
    """Internal links and anchors that do not resolve, as `page -> href`."""
    broken = []
    out = out.resolve()
    for page, scan in pages.items():
        if page.name in ("print.html", "404.html"):
            continue
        for href in scan.links:
            parsed = urllib.parse.urlsplit(href)
            if parsed.scheme or href.startswith("//") or href.startswith("javascript:"):
                continue
            target = page if not parsed.path else (page.parent / urllib.parse.unquote(parsed.path))
            target = Path(os.path.normpath(target))
            if not str(target).startswith(str(out)):
                continue  # leaves the book (a sibling book on the same site)
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(out)} -> {href}")
                continue
            fragment = urllib.parse.unquote(parsed.fragment)
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if fragment not in ids:
                    broken.append(f"{page.relative_to(out)} -> {href}")
    return broken


def run_measured(command, cwd, env):
    """Runs `command`; returns (exit code, stderr, wall seconds, peak RSS in MiB)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, stderr, wall, usage.ru_maxrss / 1024


def preprocessor_env(book, mdbook):
    """mdBook's environment: preprocessors and renderers that are not installed marked
    optional (mdBook's `MDBOOK_` overrides), so it builds what it can."""
    env = dict(os.environ)
    text = (book / "book.toml").read_text()
    for kind, name in re.findall(r"^\[(preprocessor|output)\.([A-Za-z0-9_-]+)\]", text, re.M):
        if name in BUILTIN_PREPROCESSORS or name == "html":
            continue
        section = text.split(f"[{kind}.{name}]", 1)[1].split("\n[", 1)[0]
        has_command = re.search(r"^\s*command\s*=", section, re.M)
        if not has_command and not shutil.which(f"mdbook-{name}"):
            key = f"MDBOOK_{kind.upper()}__{name.upper().replace('-', '_')}__OPTIONAL"
            env[key] = "true"
    return env


def build(binary, book, out, runs, env):
    command = [binary, "build", str(book), "-d", str(out)]
    results = []
    for _ in range(runs + 1):  # the first is a warm-up (preprocessors compile, caches fill)
        shutil.rmtree(out, ignore_errors=True)
        results.append(run_measured(command, book, env))
    code, stderr, _, _ = results[-1]
    walls = [r[2] for r in results[1:]]
    rss = max(r[3] for r in results[1:])
    return code, stderr, statistics.median(walls), rss


def count_warnings(tool, stderr):
    if tool.startswith("guidebook"):
        return sum(1 for line in stderr.splitlines() if ": warning:" in line)
    return sum(1 for line in stderr.splitlines() if " WARN " in line)


def site_root(out):
    """Where the HTML is: mdBook writes to `html/` when a book has several renderers."""
    return out / "html" if (out / "html" / "index.html").exists() else out


def with_broken_links_warned(book, scratch):
    """A copy of the book's repository folder whose book.toml says `broken-links = "warn"`:
    the one change a book with genuinely broken links needs to build with guidebook."""
    top = book.parent if book.name == "guide" else book
    copy = Path(scratch) / f"{top.name}-warned"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(top, copy, symlinks=True, ignore=shutil.ignore_patterns(".git", "target"))
    copied = copy / book.relative_to(top)
    toml = (copied / "book.toml").read_text()
    if re.search(r"^\[output\.html\]\s*$", toml, re.M):
        toml = re.sub(r"^\[output\.html\]\s*$", '[output.html]\nbroken-links = "warn"', toml, count=1, flags=re.M)
    else:
        toml += '\n[output.html]\nbroken-links = "warn"\n'
    (copied / "book.toml").write_text(toml)
    return copied


def report(tool, book, out, code, stderr, wall, rss):
    out = site_root(out)
    if code != 0 or not out.exists():
        tail = " | ".join(stderr.strip().splitlines()[-3:])
        return [tool, "FAILED", "", "", "", "", "", f"{wall:.2f}", f"{rss:.0f}", tail[:120]]
    pages = scan_site(out)
    wanted = summary_pages(book)
    present = sum(1 for p in wanted if (out / p).exists())
    prose_pages = {p: s for p, s in pages.items() if p.name != "print.html"}
    directives = sum(len(re.findall(r"\{\{\s*#[A-Za-z0-9_]+", "".join(s.prose))) for s in prose_pages.values())
    blocks = [b for s in prose_pages.values() for b in s.rust_blocks]
    highlighted = sum(1 for b in blocks if b[0])
    hidden_visible = sum(b[1] for b in blocks)
    broken = broken_links(out, pages)
    return [
        tool,
        f"{present}/{len(wanted)}",
        str(len(broken)),
        str(count_warnings(tool, stderr)),
        str(directives),
        f"{highlighted}/{len(blocks)}",
        str(hidden_visible),
        f"{wall:.2f}",
        f"{rss:.0f}",
        "; ".join(broken[:2]),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("books", help="folder holding checked-out mdBook books")
    parser.add_argument("--guidebook", default="target/release/guidebook")
    parser.add_argument("--mdbook", default=shutil.which("mdbook"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    guidebook = str(Path(args.guidebook).resolve())
    header = ["tool", "pages", "broken", "warnings", "{{#", "rust hl", "# shown", "time s", "RSS MiB", "first broken"]
    print("| book | " + " | ".join(header) + " |")
    print("|" + "---|" * (len(header) + 1))
    with tempfile.TemporaryDirectory() as scratch:
        for book in find_books(args.books):
            name = book.parent.name if book.name == "guide" else book.name
            tools = [("guidebook", guidebook)] + ([("mdbook", args.mdbook)] if args.mdbook else [])
            for tool, binary in tools:
                out = Path(scratch) / f"{name}-{tool}"
                env = preprocessor_env(book, args.mdbook) if tool == "mdbook" else dict(os.environ)
                built = book
                code, stderr, wall, rss = build(binary, built, out, args.runs, env)
                if tool == "guidebook" and code == 1 and "error: broken link" in stderr:
                    built = with_broken_links_warned(book, scratch)
                    tool = "guidebook, broken-links = warn"
                    code, stderr, wall, rss = build(binary, built, out, args.runs, env)
                row = report(tool, built, out, code, stderr, wall, rss)
                print(f"| {name} | " + " | ".join(row) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
