//! The preview server under load: several keep-alive clients fetch every file of a fixture book
//! for a fixed time while chapters are saved (and a data file broken and fixed) over and over,
//! so requests race the rebuilds. No request may fail or get a truncated body, and the
//! server's memory must stay flat.
//!
//! Seconds of load: `GUIDEBOOK_LOAD_SECS` (default 8). For figures, run it against a release
//! build: `GUIDEBOOK_LOAD_SECS=30 cargo test --release --test testsuite load:: -- --nocapture`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support;
use crate::support::TestBook;
use crate::support::dev_server::serve;

/// One keep-alive HTTP/1.1 connection.
struct Client {
    reader: BufReader<TcpStream>,
    port: u16,
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
            port,
        }
    }

    /// GET `path`: (status, body), reading exactly the body the headers announce.
    fn get(&mut self, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        // One write per request: a request split over several writes waits on delayed ACKs.
        let request = format!(
            "GET /{path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        );
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

/// Every file of the built site, relative to its root (not the marker that says guidebook
/// wrote the folder: the preview serves the site, not that).
fn site_files(book: &TestBook) -> Vec<String> {
    let root = book.path("book");
    walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != guidebook::output::guard::MARKER)
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
    let _timing = support::timing_lock();
    let seconds: u64 = std::env::var("GUIDEBOOK_LOAD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let book = TestBook::built("minimal");
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
    let chapter = "content/chapters/beta.md";
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

/// A raw request head for `path` on `port`, kept alive.
fn head(port: u16, path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n")
}

/// Reads what the server sends until it closes the connection (or 40 s pass): true if it
/// closed it.
fn closed_by_server(stream: &mut TcpStream) -> bool {
    stream
        .set_read_timeout(Some(Duration::from_secs(40)))
        .unwrap();
    let mut buf = [0; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

/// A live-reload stream, read up to its first build event.
fn event_stream(port: u16) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .write_all(head(port, "/__guidebook/events").as_bytes())
        .unwrap();
    let mut reader = BufReader::new(stream);
    next_data_line(&mut reader);
    reader
}

fn next_data_line(reader: &mut BufReader<TcpStream>) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "the event stream closed"
        );
        if line.starts_with("data: ") {
            return line;
        }
    }
}

#[test]
fn a_crowd_of_idle_connections_cannot_lock_a_browser_out() {
    let _timing = support::timing_lock();
    use guidebook::serve::connections::MAX_CONNECTIONS;
    let book = TestBook::from_fixture("minimal");
    // With the common default of 1,024 open files, a server that kept every idle connection
    // ran out of them and stopped accepting any.
    let server = support::dev_server::serve_with_open_files(&book, 1024);
    let port = server.port;
    // 1,500 clients that connect and then wait: silent, stalled halfway through their request
    // head (slowloris), or idle after a request on a kept-alive connection.
    let started = Instant::now();
    let crowd: Vec<TcpStream> = (0..1500)
        .map(|n| {
            let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
            let request = head(port, "/chapters/beta.html");
            match n % 3 {
                0 => {}
                1 => stream.write_all(&request.as_bytes()[..20]).unwrap(),
                _ => stream.write_all(request.as_bytes()).unwrap(),
            }
            stream
        })
        .collect();
    let crowded_in = started.elapsed();
    let open_files = server.open_files();

    let asked = Instant::now();
    let (status, _, body) = support::dev_server::get(port, "/chapters/beta.html");
    let answered_in = asked.elapsed();
    eprintln!(
        "idle crowd: {} connections opened in {:.2} s, the server holding {open_files:?} open \
         files; a new GET then answered in {} ms",
        crowd.len(),
        crowded_in.as_secs_f64(),
        answered_in.as_millis()
    );
    if let Some(files) = open_files {
        assert!(
            files < MAX_CONNECTIONS + 64,
            "the server holds {files} open files for at most {MAX_CONNECTIONS} connections"
        );
    }
    assert_eq!(status, 200);
    assert!(body.contains("assets/js/livereload.js"), "{body}");
    assert!(
        answered_in < Duration::from_secs(2),
        "a GET took {answered_in:?} with {} idle clients open",
        crowd.len()
    );
}

#[test]
fn idle_connections_close_after_the_head_timeout_and_event_streams_stay_open() {
    let _timing = support::timing_lock();
    use guidebook::serve::connections::HEAD_TIMEOUT;
    let book = TestBook::from_fixture("minimal");
    let server = serve(&book);
    let port = server.port;
    let mut events = event_stream(port);
    let mut silent = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut stalled = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stalled
        .write_all(&head(port, "/").as_bytes()[..20])
        .unwrap();
    let mut kept_alive = Client::connect(port);
    assert_eq!(kept_alive.get("index.html").unwrap().0, 200);
    let started = Instant::now();

    assert!(
        closed_by_server(&mut silent),
        "a silent connection stays open"
    );
    let closed_after = started.elapsed();
    eprintln!(
        "head timeout {HEAD_TIMEOUT:?}: a silent connection was closed after {:.1} s",
        closed_after.as_secs_f64()
    );
    assert!(
        closed_after > HEAD_TIMEOUT - Duration::from_secs(1)
            && closed_after < HEAD_TIMEOUT + Duration::from_secs(5),
        "closed after {closed_after:?}"
    );
    assert!(closed_by_server(&mut stalled), "a stalled head stays open");
    assert!(
        closed_by_server(kept_alive.reader.get_mut()),
        "an idle keep-alive connection stays open"
    );

    // The live-reload stream outlived the timeout: it still announces builds.
    book.write(
        "content/chapters/beta.md",
        &format!(
            "{}\nSaved after the timeout.\n",
            book.read("content/chapters/beta.md")
        ),
    );
    let event = next_data_line(&mut events);
    assert!(
        event.contains("\"id\":2") && event.contains("\"ok\":true"),
        "{event}"
    );
}

#[test]
fn live_reload_streams_are_capped_and_pages_are_still_served() {
    let _timing = support::timing_lock();
    use guidebook::serve::connections::MAX_EVENT_STREAMS;
    let book = TestBook::from_fixture("minimal");
    let server = serve(&book);
    let port = server.port;
    let mut streams: Vec<_> = (0..MAX_EVENT_STREAMS).map(|_| event_stream(port)).collect();
    let one_more = format!(
        "GET /__guidebook/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    );
    let (status, _, body) = support::dev_server::request(port, &one_more);
    assert_eq!(
        (status, body.as_str()),
        (
            503,
            format!(
                "too many live-reload streams are open (at most {MAX_EVENT_STREAMS}): close some preview tabs\n"
            )
            .as_str()
        )
    );
    assert_eq!(support::dev_server::get(port, "/index.html").0, 200);

    // A closed stream gives its place back.
    drop(streams.pop());
    let started = Instant::now();
    loop {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
            .write_all(head(port, "/__guidebook/events").as_bytes())
            .unwrap();
        let mut status_line = String::new();
        BufReader::new(stream).read_line(&mut status_line).unwrap();
        if status_line.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the closed stream's place was not given back: {status_line}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
