//! `guidebook serve` run as a child process on a free port, for tests that need the real
//! preview server (live reload, its headers).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::TestBook;

/// A running `guidebook serve`, killed when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    /// Every line the server has logged so far.
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    /// The lines logged so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Waits (up to 15 s) for a logged line that contains `text`, and returns it.
    pub fn wait_for_log(&self, text: &str) -> String {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(15) {
            if let Some(line) = self.log().into_iter().find(|l| l.contains(text)) {
                return line;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "the server never logged {text:?}; it logged:\n{}",
            self.log().join("")
        );
    }

    /// How many files (sockets included) the server has open (Linux).
    pub fn open_files(&self) -> Option<usize> {
        Some(
            std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
                .ok()?
                .count(),
        )
    }

    /// The server's resident memory in KiB (Linux).
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

pub fn serve(book: &TestBook) -> Server {
    serve_with(book, &[])
}

pub fn serve_with(book: &TestBook, extra: &[&str]) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_guidebook"));
    command.args(["serve", "-p", "0"]).args(extra);
    start(command, book)
}

/// `guidebook serve` allowed at most `files` open files (`ulimit -n`), as on the many systems
/// whose default is 1,024.
pub fn serve_with_open_files(book: &TestBook, files: u32) -> Server {
    let mut command = Command::new("sh");
    command.args([
        "-c",
        &format!("ulimit -n {files} && exec \"$0\" serve -p 0"),
        env!("CARGO_BIN_EXE_guidebook"),
    ]);
    start(command, book)
}

fn start(mut command: Command, book: &TestBook) -> Server {
    let mut child = command
        .current_dir(book.root())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let port = loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "serve exited before serving"
        );
        let port = line
            .split("serving at http://127.0.0.1:")
            .nth(1)
            .map(|rest| rest.split('/').next().unwrap().parse().unwrap());
        log.lock().unwrap().push(line);
        if let Some(port) = port {
            break port;
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line + "\n");
        }
    });
    Server { child, port, log }
}

/// A raw HTTP/1.1 `GET path` on a fresh connection: (status, head, body). The head (status
/// line and headers) is lower-cased.
pub fn get(port: u16, path: &str) -> (u16, String, String) {
    request(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends `raw` (a whole request head) on a fresh connection and reads the answer until the
/// server closes it: (status, head, body), the head lower-cased.
pub fn request(port: u16, raw: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split_whitespace()
        .nth(1)
        .unwrap_or_else(|| panic!("no status line in {response:?}"))
        .parse()
        .unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (status, head.to_ascii_lowercase(), body.to_owned())
}
