//! The preview server: serves the last good build from memory, and tells browsers over
//! Server-Sent Events when a new build is complete (reload), when only stylesheets changed
//! (swap them), or when a build failed (show the errors over the last good page). Until a
//! build succeeds, every page is an error page that reloads once one does.
//!
//! Serving from memory means a browser can never see a half-written site, and a request path
//! can only name a file of the build: there is no file system to escape into. Requests must
//! name this server as their `Host` (see [`host`]); connections are bounded (see
//! [`connections`]).

pub mod connections;
mod error_page;
pub mod host;

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, LazyLock, OnceLock, PoisonError, RwLock};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Response, StatusCode, Uri, header};
use axum::response::IntoResponse as _;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use futures_util::StreamExt;
use serde::Serialize;
use tokio::sync::{Semaphore, watch};
use tokio_stream::wrappers::WatchStream;

use crate::render::{Contents, Site};
use crate::search::SearchJob;

/// Where browsers listen for build events.
pub const EVENTS_PATH: &str = "/__guidebook/events";

/// What browsers are told after each build.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BuildEvent {
    pub id: u64,
    pub ok: bool,
    pub css_only: bool,
    /// Whether a build has succeeded since the server started, so pages are served (false:
    /// every page is the error page).
    pub has_good_build: bool,
    /// `path:line:col: error: message` lines when the build failed.
    pub errors: Vec<String>,
}

/// The files of one build, ready to serve.
pub struct Snapshot {
    files: HashMap<String, Served>,
    /// The search index, when it is still being built in the background.
    search: Option<Arc<Deferred>>,
}

/// Files a background job fills in once; requests for them wait until it has. `None`: a
/// newer build replaced this one before its turn, so requests ask the newest build instead.
#[derive(Default)]
pub struct Deferred {
    files: OnceLock<Option<HashMap<String, Served>>>,
}

/// Where a snapshot stands on a requested file.
enum Lookup {
    Found(Served),
    Missing,
    /// The file was still to be made, and a newer build replaced this one: ask that one.
    Superseded,
}

/// A file's bytes as the server holds them, shared with the render cache.
#[derive(Clone)]
enum Served {
    Whole(Arc<Vec<u8>>),
    /// Sent one part after another (print.html).
    Parts(Arc<[Arc<String>]>),
}

/// Builds the search indexes of published builds, one at a time, newest first: an index
/// that a newer build has replaced before its turn is skipped, and requests waiting for it
/// are answered from the newer build.
pub struct SearchWorker {
    jobs: std::sync::mpsc::Sender<(SearchJob, Arc<Deferred>)>,
}

impl SearchWorker {
    /// Starts the worker thread. Budget warnings are printed once per session.
    pub fn start() -> SearchWorker {
        let (tx, rx) = std::sync::mpsc::channel::<(SearchJob, Arc<Deferred>)>();
        std::thread::Builder::new()
            .name("guidebook-search".into())
            .spawn(move || {
                let mut warned = false;
                while let Ok(mut next) = rx.recv() {
                    // Skip to the newest job; the older ones are settled as empty.
                    while let Ok(newer) = rx.try_recv() {
                        let _ = next.1.files.set(None);
                        next = newer;
                    }
                    let (job, deferred) = next;
                    let (files, bytes) = job.run();
                    if let Some(warning) = job.budget_warning(bytes).filter(|_| !warned) {
                        warned = true;
                        tracing::warn!("{warning}");
                    }
                    let files = files
                        .into_iter()
                        .filter_map(|f| Some((f.path, shared(f.contents)?)))
                        .collect();
                    let _ = deferred.files.set(Some(files));
                }
            })
            .expect("starting the search index thread");
        SearchWorker { jobs: tx }
    }
}

fn shared(contents: Contents) -> Option<Served> {
    Some(match contents {
        Contents::Shared(b) => Served::Whole(b),
        Contents::Bytes(b) => Served::Whole(Arc::new(b)),
        Contents::Copy(path) => Served::Whole(Arc::new(std::fs::read(path).ok()?)),
        Contents::Joined(parts) => Served::Parts(parts.into()),
    })
}

impl Snapshot {
    /// Takes the site's files without copying pages the render cache shares. A deferred
    /// search index goes to `worker`.
    pub fn from_site(site: Site, worker: &SearchWorker) -> Snapshot {
        let search = site.search.map(|job| {
            let deferred = Arc::new(Deferred::default());
            if worker.jobs.send((job, deferred.clone())).is_err() {
                let _ = deferred.files.set(Some(HashMap::new()));
            }
            deferred
        });
        let files = site
            .files
            .into_iter()
            .filter_map(|f| Some((f.path, shared(f.contents)?)))
            .collect();
        Snapshot { files, search }
    }

    /// The file at `rel`, waiting for the search index if it is still being built.
    async fn get(&self, rel: &str) -> Lookup {
        if let Some(bytes) = self
            .files
            .get(rel)
            .or_else(|| self.files.get(&format!("{rel}/index.html")))
        {
            return Lookup::Found(bytes.clone());
        }
        let Some(deferred) = self.search.as_ref().filter(|_| rel.starts_with("search/")) else {
            return Lookup::Missing;
        };
        let deferred = deferred.clone();
        let rel = rel.to_owned();
        let found = tokio::task::spawn_blocking(move || match deferred.files.wait() {
            Some(files) => files
                .get(&rel)
                .cloned()
                .map_or(Lookup::Missing, Lookup::Found),
            None => Lookup::Superseded,
        })
        .await;
        found.unwrap_or(Lookup::Missing)
    }
}

/// The build being served: `None` until a build succeeds.
type Current = Arc<RwLock<Option<Arc<Snapshot>>>>;

#[derive(Clone)]
struct AppState {
    site: Current,
    events: watch::Receiver<BuildEvent>,
    /// Places for live-reload streams; each stream holds one while it is open.
    event_streams: Arc<Semaphore>,
}

impl AppState {
    fn current(&self) -> Option<Arc<Snapshot>> {
        self.site
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Handle the build loop uses to publish builds.
#[derive(Clone)]
pub struct Publisher {
    site: Current,
    events: watch::Sender<BuildEvent>,
}

impl Publisher {
    /// Swaps in a new good build, then tells browsers (in that order, so a reload never
    /// fetches the old site).
    pub fn publish(&self, snapshot: Snapshot, event: BuildEvent) {
        *self.site.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(snapshot));
        let _ = self.events.send(event);
    }

    /// A failed build: the last good site (if any) stays; browsers show the errors.
    pub fn fail(&self, event: BuildEvent) {
        let _ = self.events.send(event);
    }
}

/// Binds `addr` and serves in a background thread. Returns the bound address (port 0 picks a
/// free port) and the publisher. `first` is `None` when the first build failed.
pub fn start(
    addr: SocketAddr,
    first: Option<Snapshot>,
    first_event: BuildEvent,
) -> anyhow::Result<(SocketAddr, Publisher)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind(addr))?;
    let bound = listener.local_addr()?;
    let site = Arc::new(RwLock::new(first.map(Arc::new)));
    let (tx, rx) = watch::channel(first_event);
    let state = AppState {
        site: site.clone(),
        events: rx,
        event_streams: Arc::new(Semaphore::new(connections::MAX_EVENT_STREAMS)),
    };
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(get(file))
        .with_state(state);
    std::thread::Builder::new()
        .name("guidebook-server".into())
        .spawn(move || {
            runtime.block_on(connections::serve(
                listener,
                app,
                host::AllowedHosts::new(bound),
            ));
        })?;
    Ok((bound, Publisher { site, events: tx }))
}

async fn events(State(state): State<AppState>) -> Response<Body> {
    let Ok(place) = state.event_streams.clone().try_acquire_owned() else {
        return plain(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "too many live-reload streams are open (at most {}): close some preview tabs\n",
                connections::MAX_EVENT_STREAMS
            ),
        );
    };
    let stream = WatchStream::new(state.events).map(move |e| {
        let _held_while_open = &place;
        Ok::<_, Infallible>(
            Event::default()
                .event("build")
                .data(serde_json::to_string(&e).unwrap_or_default()),
        )
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

async fn file(State(state): State<AppState>, uri: Uri) -> Response<Body> {
    let rel = match resolve(uri.path()) {
        Ok(rel) => rel,
        Err(status) => return plain(status, "bad request"),
    };
    loop {
        let Some(site) = state.current() else {
            let errors = state.events.borrow().errors.clone();
            return error_page::answer(&rel, &errors);
        };
        return match site.get(&rel).await {
            Lookup::Superseded => continue,
            Lookup::Found(served) => respond(StatusCode::OK, content_type(&rel), served),
            Lookup::Missing => match site.files.get("404.html") {
                Some(page) => respond(
                    StatusCode::NOT_FOUND,
                    "text/html; charset=utf-8",
                    page.clone(),
                ),
                None => plain(StatusCode::NOT_FOUND, "not found"),
            },
        };
    }
}

/// The site-relative path a request names, or 400 for anything that tries to leave the site:
/// `..` segments (also percent-encoded), backslashes, NUL bytes.
pub fn resolve(raw: &str) -> Result<String, StatusCode> {
    let decoded = percent_decode(raw).ok_or(StatusCode::BAD_REQUEST)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return Err(StatusCode::BAD_REQUEST);
    }
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(StatusCode::BAD_REQUEST),
            s => parts.push(s),
        }
    }
    let rel = parts.join("/");
    Ok(if rel.is_empty() || decoded.ends_with('/') {
        if rel.is_empty() {
            "index.html".to_owned()
        } else {
            format!("{rel}/index.html")
        }
    } else {
        rel
    })
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &str) -> &'static str {
    match path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn respond(status: StatusCode, kind: &'static str, served: Served) -> Response<Body> {
    // The body shares the snapshot's bytes rather than copying them per request.
    let body = match served {
        Served::Whole(bytes) => Body::from(Bytes::from_owner(ArcBytes(bytes))),
        Served::Parts(parts) => {
            let chunks: Vec<Result<Bytes, Infallible>> = parts
                .iter()
                .map(|p| Ok(Bytes::from_owner(ArcString(p.clone()))))
                .collect();
            Body::from_stream(futures_util::stream::iter(chunks))
        }
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    // Always fetch the newest build.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    // The same policy as the pages' <meta>, plus what only a header can say (frame-ancestors).
    static CSP: LazyLock<HeaderValue> = LazyLock::new(|| {
        HeaderValue::from_str(&crate::csp::header_policy()).expect("the policy is ASCII")
    });
    headers.insert(header::CONTENT_SECURITY_POLICY, CSP.clone());
    response
}

/// A snapshot file as the owner of a response body.
struct ArcBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for ArcBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

struct ArcString(Arc<String>);

impl AsRef<[u8]> for ArcString {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

fn plain(status: StatusCode, text: impl Into<String>) -> Response<Body> {
    respond(
        status,
        "text/plain; charset=utf-8",
        Served::Whole(Arc::new(text.into().into_bytes())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_site() {
        assert_eq!(resolve("/"), Ok("index.html".into()));
        assert_eq!(resolve("/chapters/a.html"), Ok("chapters/a.html".into()));
        assert_eq!(resolve("/questions/"), Ok("questions/index.html".into()));
        assert_eq!(resolve("/a%20b.html"), Ok("a b.html".into()));
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/secret",
            "/%2E%2E%2Fsecret",
            "/a\\..\\b",
            "/%00",
            "/%zz",
        ] {
            assert_eq!(resolve(bad), Err(StatusCode::BAD_REQUEST), "{bad}");
        }
        // An absolute path inside the request names a site file, never a disk file.
        assert_eq!(resolve("//etc/passwd"), Ok("etc/passwd".into()));
    }
}
