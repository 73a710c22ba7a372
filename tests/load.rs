//! The preview server under load: several keep-alive clients fetch every file of the IR guide
//! for a fixed time while chapters are saved (and a data file broken and fixed) over and over,
//! so requests race the rebuilds. No request may fail or get a truncated body, and the
//! server's memory must stay flat.
//!
//! Seconds of load: `GUIDEBOOK_LOAD_SECS` (default 8). For figures, run it against a release
//! build: `GUIDEBOOK_LOAD_SECS=30 cargo test --release --test load -- --nocapture`.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::TestBook;
use support::dev_server::serve;

/// One keep-alive HTTP/1.1 connection.
struct Client {
    reader: BufReader<TcpStream>,
}

impl Client {
    fn connect(port: u16) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream.set_nodelay(true).unwrap();
        Client {
            reader: BufReader::new(stream),
        }
    }

    /// GET `path`: (status, body), reading exactly the body the headers announce.
    fn get(&mut self, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        // One write per request: a request split over several writes waits on delayed ACKs.
        let request = format!("GET /{path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        self.reader.get_mut().write_all(request.as_bytes())?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
        let (mut length, mut chunked) = (None, false);
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap_or((header, ""));
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse::<usize>().ok(),
                "transfer-encoding" => chunked = value.trim().eq_ignore_ascii_case("chunked"),
                _ => {}
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim(), 16).map_err(std::io::Error::other)?;
                let start = body.len();
                body.resize(start + size, 0);
                self.reader.read_exact(&mut body[start..])?;
                line.clear();
                self.reader.read_line(&mut line)?;
                if size == 0 {
                    break;
                }
            }
        } else {
            let length = length.ok_or_else(|| std::io::Error::other("no length"))?;
            body.resize(length, 0);
            self.reader.read_exact(&mut body)?;
        }
        Ok((status, body))
    }
}

fn ir_guide() -> TestBook {
    let book = TestBook::empty();
    let repo = support::repo_root();
    support::copy_tree(&repo.join("content"), &book.path("content"));
    std::fs::copy(repo.join("book.toml"), book.path("book.toml")).unwrap();
    let built = book.run(&["build"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    book
}

/// Every file of the built site, relative to its root.
fn site_files(book: &TestBook) -> Vec<String> {
    let root = book.path("book");
    walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

#[test]
fn the_preview_server_answers_every_request_while_it_rebuilds() {
    let seconds: u64 = std::env::var("GUIDEBOOK_LOAD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let book = ir_guide();
    let files = Arc::new(site_files(&book));
    assert!(files.len() > 50, "the guide has its files: {}", files.len());
    let server = serve(&book);
    let port = server.port;
    // Warm up (the first search index builds in the background), then take the baseline.
    let mut warm = Client::connect(port);
    for f in files.iter() {
        let (status, _) = warm.get(f).unwrap();
        assert_eq!(status, 200, "{f}");
    }
    let rss_before = server.rss_kib();

    let stop = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let clients: Vec<_> = (0..4)
        .map(|n| {
            let (files, stop, requests, failures) = (
                files.clone(),
                stop.clone(),
                requests.clone(),
                failures.clone(),
            );
            std::thread::spawn(move || {
                let mut client = Client::connect(port);
                let mut i = n * 7;
                while !stop.load(Ordering::Relaxed) {
                    // Every site file, plus a missing page (the 404 page is an answer too).
                    let path = files
                        .get(i % (files.len() + 1))
                        .map_or("no-such-page.html", |f| f);
                    i += 1;
                    let problem = match client.get(path) {
                        Ok((200, body)) if !body.is_empty() => None,
                        Ok((404, body)) if path == "no-such-page.html" && !body.is_empty() => None,
                        Ok((status, body)) => {
                            Some(format!("{path}: {status}, {} bytes", body.len()))
                        }
                        Err(e) => Some(format!("{path}: {e}")),
                    };
                    requests.fetch_add(1, Ordering::Relaxed);
                    if let Some(p) = problem {
                        failures.lock().unwrap().push(p);
                        client = Client::connect(port);
                    }
                }
            })
        })
        .collect();

    // Saves while the clients run: chapter edits, and now and then a broken data file that the
    // next save fixes (the last good site must stay served).
    let chapter = "content/chapters/strategy.md";
    let bank = "content/questions/residents.yaml";
    let (original, original_bank) = (book.read(chapter), book.read(bank));
    let started = Instant::now();
    let mut saves = 0;
    while started.elapsed() < Duration::from_secs(seconds) {
        saves += 1;
        book.write(chapter, &format!("{original}\n\nSave number {saves}.\n"));
        if saves % 5 == 0 {
            book.write(bank, &format!("{original_bank}\n  - [unclosed\n"));
        } else if saves % 5 == 1 {
            book.write(bank, &original_bank);
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let rss_after = server.rss_kib();
    let total = requests.load(Ordering::Relaxed);
    let failures = failures.lock().unwrap();
    eprintln!(
        "load: {total} requests in {elapsed:.1} s ({:.0}/s) over 4 connections with {saves} saves; \
         {} failed; server memory {rss_before:?} KiB before, {rss_after:?} KiB after",
        total as f64 / elapsed,
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "failed requests: {:#?}",
        &failures[..failures.len().min(20)]
    );
    assert!(total > 100, "the clients made requests: {total}");
    if let (Some(before), Some(after)) = (rss_before, rss_after) {
        // Flat: a few cached builds at most, not a leak per request or per rebuild.
        assert!(
            after < before * 2 + 50 * 1024,
            "server memory grew from {before} KiB to {after} KiB"
        );
    }
}
