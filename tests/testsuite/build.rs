//! `guidebook build` on good books: the site is complete, linked, and structured as promised.

use crate::support::{TestBook, broken_links, html_files, parse, select};

#[test]
fn writes_every_page_and_support_file() {
    let book = TestBook::built("minimal");
    let pages = html_files(&book.path("book"));
    for expected in [
        "404.html",
        "chapters/alpha-detail.html",
        "chapters/alpha.html",
        "chapters/beta.html",
        "contents.html",
        "glossary.html",
        "index.html",
        "print.html",
        "welcome.html",
    ] {
        assert!(
            pages.contains(&expected.to_owned()),
            "missing {expected} in {pages:?}"
        );
    }
    for file in [
        "toc.js",
        "sitemap.xml",
        "assets/css/base.css",
        "assets/js/nav.js",
        "images/diagram.svg",
    ] {
        assert!(book.path("book").join(file).is_file(), "missing {file}");
    }
}

#[test]
fn no_internal_link_is_broken_and_none_is_absolute() {
    let book = TestBook::built("minimal");
    let problems = broken_links(&book.path("book"));
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn markdown_links_point_at_rendered_pages() {
    let book = TestBook::built("minimal");
    let doc = parse(&book.read("book/chapters/alpha.html"));
    let hrefs: Vec<&str> = select(&doc, "main a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&"../chapters/beta.html#step-2-ck-scores"),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"../glossary.html#esir"), "{hrefs:?}");
    assert!(hrefs.contains(&"#details"), "{hrefs:?}");
    assert!(hrefs.contains(&"https://example.org/"), "{hrefs:?}");
    let imgs = select(&doc, "main img");
    assert_eq!(imgs[0].value().attr("src"), Some("../images/diagram.svg"));
}

#[test]
fn heading_ids_are_stable_and_unique_per_page() {
    let book = TestBook::built("minimal");
    for page in html_files(&book.path("book")) {
        let doc = parse(&book.read(&format!("book/{page}")));
        let ids: Vec<&str> = select(&doc, "[id]")
            .iter()
            .filter_map(|e| e.value().attr("id"))
            .collect();
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(ids.len(), unique.len(), "duplicate ids on {page}: {ids:?}");
    }
    let doc = parse(&book.read("book/chapters/alpha.html"));
    let h2: Vec<&str> = select(&doc, "main .chapter-body h2")
        .iter()
        .filter_map(|h| h.value().attr("id"))
        .collect();
    assert_eq!(h2, ["overview", "details", "overview-1"]);
}

#[test]
fn extensions_render() {
    let book = TestBook::built("minimal");
    let doc = parse(&book.read("book/chapters/alpha.html"));
    assert_eq!(select(&doc, "main table th").len(), 2, "table");
    let alert = select(&doc, "main .alert.alert-warning[role=note] .alert-title");
    assert_eq!(alert[0].text().collect::<String>(), "Warning");
    assert_eq!(
        select(&doc, "main sup.footnote-ref a[href='#fn-src']").len(),
        1,
        "footnote reference"
    );
    assert_eq!(
        select(&doc, "main .footnote#fn-src").len(),
        1,
        "footnote definition"
    );
    let body = select(&doc, "main .chapter-body")[0]
        .text()
        .collect::<String>();
    assert!(
        body.contains("\u{201c}Quotes\u{201d}"),
        "smart quotes: {body}"
    );
    assert!(body.contains("Included text"), "include expanded");
    let detail = parse(&book.read("book/chapters/alpha-detail.html"));
    assert_eq!(
        select(&detail, "main input.task[type=checkbox]").len(),
        3,
        "task list"
    );
}

#[test]
fn front_matter_shows_on_the_page() {
    let book = TestBook::built("minimal");
    let doc = parse(&book.read("book/welcome.html"));
    assert_eq!(
        select(&doc, "h1")[0].text().collect::<String>().trim(),
        "Welcome to the minimal guide"
    );
    assert_eq!(
        select(&doc, "title")[0].text().collect::<String>(),
        "Welcome to the minimal guide · Minimal guide"
    );
    assert_eq!(
        select(&doc, "meta[name=description]")[0]
            .value()
            .attr("content"),
        Some("What this guide covers.")
    );
    assert_eq!(select(&doc, "time[datetime='2026-11-01']").len(), 1);
    let meta = select(&doc, ".chapter-meta")[0].text().collect::<String>();
    assert!(
        meta.contains("US-citizen IMGs and non-US-citizen IMGs"),
        "{meta}"
    );
}

#[test]
fn every_page_has_accessible_chrome() {
    let book = TestBook::built("minimal");
    for page in html_files(&book.path("book")) {
        let doc = parse(&book.read(&format!("book/{page}")));
        assert_eq!(select(&doc, "html[lang=en]").len(), 1, "{page}: lang");
        assert_eq!(
            select(&doc, "a.skip-link[href='#content']").len(),
            1,
            "{page}: skip link"
        );
        assert_eq!(
            select(&doc, "main#content").len(),
            1,
            "{page}: main landmark"
        );
        assert_eq!(
            select(&doc, "nav#sidebar[aria-label]").len(),
            1,
            "{page}: labelled nav"
        );
        assert_eq!(
            select(&doc, "meta[name=viewport]").len(),
            1,
            "{page}: viewport"
        );
        // No-JS fallback: every page links to the full contents.
        assert_eq!(
            select(&doc, "#toc a[href$='contents.html']").len(),
            1,
            "{page}: contents link"
        );
        // Nothing from a CDN or another host.
        for el in select(&doc, "script[src], link[href]") {
            let url = el
                .value()
                .attr("src")
                .or_else(|| el.value().attr("href"))
                .unwrap();
            assert!(!url.contains("://"), "{page}: third-party resource {url}");
        }
    }
}

#[test]
fn first_chapter_is_the_front_page_and_prev_next_follow_reading_order() {
    let book = TestBook::built("minimal");
    let index = parse(&book.read("book/index.html"));
    assert_eq!(
        select(&index, "h1")[0].text().collect::<String>().trim(),
        "Welcome to the minimal guide"
    );
    // Its links work from the root.
    assert_eq!(
        select(&index, ".chapter-body a[href='chapters/alpha.html']").len(),
        1
    );
    let alpha = parse(&book.read("book/chapters/alpha.html"));
    assert_eq!(
        select(&alpha, ".prev-next a.prev")[0].value().attr("href"),
        Some("../welcome.html")
    );
    assert_eq!(
        select(&alpha, ".prev-next a.next")[0].value().attr("href"),
        Some("../chapters/alpha-detail.html")
    );
}

#[test]
fn navigation_is_one_shared_script_not_inlined() {
    let book = TestBook::built("minimal");
    let toc = book.read("book/toc.js");
    assert!(toc.starts_with("window.GUIDEBOOK_TOC = ["), "{toc}");
    for title in [
        "Welcome",
        "Alpha",
        "Alpha detail",
        "Not written yet",
        "Beta",
        "Glossary",
        "Part one",
    ] {
        assert!(
            toc.contains(&format!("\"title\":\"{title}\"")),
            "{title} missing from toc.js"
        );
    }
    assert!(toc.contains("\"href\":\"chapters/alpha-detail.html\""));
    let doc = parse(&book.read("book/chapters/beta.html"));
    let sidebar_links = select(&doc, "#sidebar a");
    assert_eq!(
        sidebar_links.len(),
        1,
        "the sidebar carries only the contents link"
    );
    let contents = parse(&book.read("book/contents.html"));
    assert_eq!(select(&contents, ".contents-page a").len(), 12);
    assert_eq!(select(&contents, ".contents-page .draft").len(), 1);
}

#[test]
fn print_page_holds_every_chapter_with_page_local_links() {
    let book = TestBook::built("minimal");
    let doc = parse(&book.read("book/print.html"));
    assert_eq!(select(&doc, "section.print-chapter").len(), 5);
    // A chapter that opens with its own `# Title` does not get a second one.
    assert_eq!(select(&doc, ".print-chapter-title").len(), 4);
    assert_eq!(select(&doc, "section#chapters-alpha-detail h1").len(), 1);
    let hrefs: Vec<&str> = select(&doc, "main a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&"#chapters-beta--step-2-ck-scores"),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"#glossary--esir"), "{hrefs:?}");
}

#[test]
fn sitemap_and_404_use_the_site_url() {
    let book = TestBook::built("minimal");
    let sitemap = book.read("book/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/guide/chapters/alpha.html</loc>"),
        "{sitemap}"
    );
    let not_found = parse(&book.read("book/404.html"));
    assert_eq!(
        select(&not_found, "base[href='https://example.org/guide/']").len(),
        1
    );
}

#[test]
fn warns_about_files_summary_does_not_list() {
    let book = TestBook::from_fixture("minimal");
    book.write("content/chapters/forgotten.md", "# Forgotten\n");
    let run = book.run(&["build"]);
    run.assert_success();
    assert!(
        run.stderr.contains(
            "content/chapters/forgotten.md: warning: this file is not listed in SUMMARY.md"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn output_grows_linearly_with_pages() {
    // Per-page output size must not grow with the book (mdBook inlines the whole TOC: O(N²)).
    let size_per_page = |n: usize| {
        let book = TestBook::empty();
        book.write(
            "book.toml",
            "[book]\ntitle = \"Big\"\n[output.html.print]\nenable = false\n",
        );
        let mut summary = String::from("# Summary\n\n");
        for i in 0..n {
            summary.push_str(&format!("- [Chapter number {i}](c{i}.md)\n"));
            book.write(
                &format!("src/c{i}.md"),
                &format!("# Chapter {i}\n\nSome text for chapter {i}.\n"),
            );
        }
        book.write("src/SUMMARY.md", &summary);
        book.run(&["build"]).assert_success();
        let pages: u64 = (0..n)
            .map(|i| {
                std::fs::metadata(book.path(&format!("book/c{i}.html")))
                    .unwrap()
                    .len()
            })
            .sum();
        pages as f64 / n as f64
    };
    let small = size_per_page(20);
    let large = size_per_page(400);
    assert!(
        large < small * 1.05,
        "bytes per page grew from {small} to {large}"
    );
}

#[test]
fn a_theme_overrides_one_block_or_one_file_without_copying_pages() {
    let book = TestBook::from_fixture("minimal");
    book.write(
        "themes/default/templates/chapter.html",
        "{% extends \"default/chapter.html\" %}\n{% block title %}Custom: {{ page.title }}{% endblock title %}\n",
    );
    book.write(
        "themes/default/css/variables.css",
        ":root { --accent: #123456; }\n",
    );
    book.run(&["build"]).assert_success();
    let doc = parse(&book.read("book/chapters/beta.html"));
    assert_eq!(
        select(&doc, "title")[0].text().collect::<String>(),
        "Custom: Beta chapter"
    );
    assert_eq!(
        select(&doc, "main .chapter-body h2").len(),
        1,
        "the rest of the page still renders"
    );
    assert_eq!(
        book.read("book/assets/css/variables.css"),
        ":root { --accent: #123456; }\n"
    );
    assert!(
        book.read("book/assets/css/base.css").contains("skip-link"),
        "other assets come from the built-in theme"
    );
}

#[test]
fn ids_on_a_page_are_unique_across_headings_and_embedded_blocks() {
    let book = TestBook::from_fixture("minimal");
    // A heading named like the question the directive above it embeds.
    let chapter = book.read("content/chapters/beta.md").replace(
        "{{#questions bank=residents topic=workload}}\n",
        "{{#questions bank=residents topic=workload}}\n\n## Res home call\n",
    );
    book.write("content/chapters/beta.md", &chapter);
    book.run(&["build"]).assert_success();
    for page in html_files(&book.path("book")) {
        let html = std::fs::read_to_string(book.path("book").join(&page)).unwrap();
        let doc = parse(&html);
        let mut ids: Vec<&str> = select(&doc, "[id]")
            .iter()
            .filter_map(|e| e.value().attr("id"))
            .collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "{page} has a duplicate id");
    }
    let beta = book.read("book/chapters/beta.html");
    assert!(
        beta.contains("<h2 id=\"res-home-call-1\">"),
        "the heading yields"
    );
}
