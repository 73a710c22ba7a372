//! Times watch-mode rebuilds in process: builds the book once, then appends a line to one
//! chapter N times, rebuilding after each edit as `guidebook serve` does (the search index is
//! left to the background, as there). Prints the median and the spread.
//!
//!     cargo run --release --example rebuild -- BOOK_ROOT CHAPTER [EDITS]

// A benchmark reports on stdout.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::time::Instant;

use guidebook::pipeline::Session;
use guidebook::render::BuildOptions;

fn main() {
    // GUIDEBOOK_LOG=debug shows the time of each stage.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("GUIDEBOOK_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().collect();
    let (Some(root), Some(chapter)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: rebuild BOOK_ROOT CHAPTER [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(30);
    let chapter = std::path::absolute(PathBuf::from(chapter)).expect("chapter path");
    let original = std::fs::read_to_string(&chapter).expect("reading the chapter");
    let options = BuildOptions {
        live_reload: true,
        defer_search: true,
    };
    let mut session = Session::new(std::path::Path::new(root), options);
    let started = Instant::now();
    let first = session
        .render()
        .unwrap_or_else(|_| panic!("the book builds"));
    println!(
        "first build: {} pages in {:.0} ms",
        first.site.page_count,
        started.elapsed().as_secs_f64() * 1000.0
    );
    drop(first);
    let mut samples = Vec::with_capacity(edits);
    for k in 0..edits {
        std::fs::write(&chapter, format!("{original}\n\nEdit number {k}.\n")).expect("writing");
        let started = Instant::now();
        let built = session
            .render_after(std::slice::from_ref(&chapter))
            .unwrap_or_else(|_| panic!("the edited book builds"));
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(built.rendered_pages, 1, "one page re-rendered");
    }
    std::fs::write(&chapter, original).expect("restoring the chapter");
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "rebuild after a one-chapter edit ({edits} edits): median {:.1} ms, min {:.1}, p90 {:.1}",
        at(0.5),
        at(0.0),
        at(0.9)
    );
}
