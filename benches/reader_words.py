#!/usr/bin/env python3
"""Count words a reader reads: visible text of chapter pages (introduction, chapters,
glossary) plus question-bank pages in a built site. Drops script/style/template/nav/header/
footer/aside-nav elements and the sidebar; counts whitespace-separated tokens holding a letter
or digit."""
import sys, re, pathlib
from html.parser import HTMLParser

CONTENT_ONLY = False
SKIP = {"script", "style", "nav", "header", "footer", "template", "noscript", "head", "svg"}

class Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = 0; self.stack = []; self.out = []
    def handle_starttag(self, tag, attrs):
        if tag in ("br","img","input","meta","link","hr","wbr","source","col","area","base","embed","param","track"):
            return
        a = dict(attrs)
        cls = set((a.get("class") or "").split())
        skip = tag in SKIP or a.get("aria-hidden") == "true" or (CONTENT_ONLY and (
            tag in ("button", "form", "label", "select") or "hidden" in a
            or cls & {"question-meta", "question-actions", "signs-title"}))
        self.stack.append(skip)
        if skip: self.depth += 1
    def handle_endtag(self, tag):
        if tag in ("br","img","input","meta","link","hr","wbr"): return
        if self.stack:
            if self.stack.pop(): self.depth -= 1
    def handle_data(self, d):
        if self.depth == 0: self.out.append(d)

def words(path):
    p = Text(); p.feed(path.read_text()); p.close()
    return sum(1 for t in " ".join(p.out).split() if re.search(r"\w", t))

CONTENT_ONLY = "--content-only" in sys.argv
site = pathlib.Path([x for x in sys.argv[1:] if not x.startswith("--")][0])
groups = {
  "chapters": [site/"index.html", *sorted((site/"chapters").glob("*.html")), site/"glossary.html"],
  "banks": sorted(p for p in (site/"questions").glob("*.html") if p.name != "index.html"),
}
total = 0
for g, files in groups.items():
    sub = 0
    for f in files:
        if not f.exists(): print("missing", f); continue
        n = words(f); sub += n
        print(f"{n:6d}  {f.relative_to(site)}")
    print(f"{sub:6d}  == {g}"); total += sub
print(f"{total:6d}  == READER TOTAL (chapters + banks)")
