#!/usr/bin/env python3
"""Generate a deterministic synthetic advising guide of N pages in three layouts.

    gen_guide.py N OUT_DIR

writes OUT_DIR/guidebook (book.toml + content/, with question banks, checklists and
worksheets in proportion to the IR guide), OUT_DIR/mdbook (book.toml + src/) and
OUT_DIR/hugo (a minimal site whose single-page template renders the navigation). All three
hold the same Markdown bodies: about 700 words a chapter with headings, lists, a table, links
to other chapters and a task list.
"""
import os
import random
import sys

WORDS = ("program residency interview applicant case volume faculty trainee visa rotation "
         "research letter score ranking culture workload autonomy mentor procedure radiology "
         "embolization oncology pathway fellowship application statement evaluation call "
         "schedule support outcome benchmark question answer signal review").split()


def para(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def chapter_body(rng, i, n, with_directives):
    other = (i * 7 + 3) % n
    parts = []
    for s in range(5):
        parts.append(f"## Section {s + 1} of chapter {i}\n")
        parts.append(" ".join(para(rng, 14) for _ in range(6)) + "\n")
        if s == 1:
            parts.append("\n".join(f"- {para(rng, 8)}" for _ in range(5)) + "\n")
        if s == 2:
            parts.append("| Item | Figure | Note |\n|---|---|---|\n" +
                         "\n".join(f"| row {r} | {rng.randint(1, 9000)} | {para(rng, 4)} |" for r in range(4)) + "\n")
        if s == 3:
            parts.append(f"See [chapter {other}](c{other:05}.md#section-2-of-chapter-{other}) for more.\n")
            parts.append(f"- [ ] {para(rng, 6)}\n- [ ] {para(rng, 6)}\n")
    if with_directives and i % 20 == 0:
        bank = (i // 50) % max(1, n // 50)
        parts.append(f"{{{{#questions bank=bank-{bank:04} limit=3}}}}\n")
    if with_directives and i % 100 == 0 and n >= 100:
        parts.append(f"{{{{#checklist list-{i // 100:04}}}}}\n")
    return "\n".join(parts)


def summary_lines(n, link):
    lines = []
    for i in range(n):
        if i % 50 == 0:
            lines.append(f"\n# Part {i // 50 + 1}\n")
        indent = "  " if i % 5 else ""
        lines.append(f"{indent}- [Chapter {i}]({link(i)})")
    return lines


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def guidebook(n, out):
    rng = random.Random(n)
    write(f"{out}/book.toml", f'[book]\ntitle = "Synthetic guide ({n} pages)"\nsrc = "content"\n')
    write(f"{out}/content/SUMMARY.md", "# Summary\n" + "\n".join(summary_lines(n, lambda i: f"c{i:05}.md")) + "\n")
    for i in range(n):
        write(f"{out}/content/c{i:05}.md",
              f"---\ntitle: Chapter {i}\nlast_reviewed: 2026-11-01\n---\n\n{chapter_body(rng, i, n, True)}")
    write(f"{out}/content/topics.yaml", "topics:\n  - id: workload\n    title: Workload\n  - id: culture\n    title: Culture\n")
    audiences = ["program-director", "ir-faculty", "residents", "coordinator"]
    for b in range(max(1, n // 50)):
        qs = "".join(
            f"  - id: q-{b:04}-{q}\n    text: {para(rng, 10)}\n    why: {para(rng, 12)}\n"
            f"    good_signs: [{para(rng, 5)}]\n    red_flags: [{para(rng, 5)}]\n    topics: [{'workload' if q % 2 else 'culture'}]\n"
            for q in range(10))
        write(f"{out}/content/questions/bank-{b:04}.yaml",
              f"id: bank-{b:04}\ntitle: Bank {b}\naudience: {audiences[b % 4]}\nquestions:\n{qs}")
    for c in range(max(0, n // 100)):
        items = "".join(f"      - id: item-{c:04}-{k}\n        text: {para(rng, 7)}\n" for k in range(8))
        write(f"{out}/content/checklists/list-{c:04}.yaml",
              f"id: list-{c:04}\ntitle: Checklist {c}\nscope: per-program\nscoring:\n  method: count\n  bands:\n"
              f"    - {{min: 0, max: 3, label: Low}}\n    - {{min: 4, max: 8, label: High}}\ngroups:\n"
              f"  - id: group-{c:04}\n    title: Group\n    items:\n{items}")
        write(f"{out}/content/worksheets/sheet-{c:04}.yaml",
              f"id: sheet-{c:04}\ntitle: Worksheet {c}\nsections:\n  - title: Questions\n    questions:\n"
              f"      bank: bank-{(c * 2) % max(1, n // 50):04}\n      limit: 6\n  - title: Notes\n    notes: 6\n")


def mdbook(n, out):
    rng = random.Random(n)
    write(f"{out}/book.toml", f'[book]\ntitle = "Synthetic guide ({n} pages)"\nsrc = "src"\n\n[output.html]\n[output.html.search]\nenable = false\n')
    write(f"{out}/src/SUMMARY.md", "# Summary\n" + "\n".join(summary_lines(n, lambda i: f"c{i:05}.md")) + "\n")
    for i in range(n):
        write(f"{out}/src/c{i:05}.md", f"# Chapter {i}\n\n{chapter_body(rng, i, n, False)}")


def hugo(n, out):
    rng = random.Random(n)
    write(f"{out}/hugo.toml", f'baseURL = "/"\ntitle = "Synthetic guide ({n} pages)"\n'
          'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\nrelativeURLs = true\n'
          '[markup.goldmark.renderer]\nunsafe = true\n')
    write(f"{out}/layouts/_default/baseof.html",
          '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
          '<body><nav><ol>{{ range .Site.RegularPages.ByWeight }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>'
          '{{ end }}</ol></nav><main>{{ block "main" . }}{{ end }}</main></body></html>\n')
    write(f"{out}/layouts/_default/single.html", '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n')
    write(f"{out}/layouts/_default/list.html", '{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}\n')
    write(f"{out}/layouts/index.html", '{{ define "main" }}<h1>{{ .Site.Title }}</h1>{{ end }}\n')
    for i in range(n):
        body = chapter_body(rng, i, n, False).replace(".md#", "/#").replace(".md)", "/)")
        body = body.replace("(c", "(../c")
        write(f"{out}/content/c{i:05}.md", f'---\ntitle: "Chapter {i}"\nweight: {i + 1}\n---\n\n{body}')


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    n, out = int(sys.argv[1]), sys.argv[2]
    guidebook(n, f"{out}/guidebook")
    mdbook(n, f"{out}/mdbook")
    hugo(n, f"{out}/hugo")
    return 0


if __name__ == "__main__":
    sys.exit(main())
