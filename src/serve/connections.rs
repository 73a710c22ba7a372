//! The preview server's connections. hyper serves each one with a deadline for its request
//! head, which also closes keep-alive connections left idle. At most [`MAX_CONNECTIONS`] are
//! open: a connection past the cap closes the one idle the longest, so a crowd of idle or
//! slow clients never locks a browser out. A live-reload stream is never idle (its response
//! never ends), so it counts against the cap, and [`MAX_EVENT_STREAMS`] keeps room for pages.

use std::collections::HashMap;
use std::convert::Infallible;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode};
use futures_util::future::{Either, select};
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::service::Service as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

use super::host::AllowedHosts;

/// How long a connection may take to send a whole request head, and so also how long a
/// keep-alive connection may sit idle between requests. A browser sends its head in one
/// packet as soon as it connects, and opening a new loopback connection costs well under a
/// millisecond, so 15 s only ever cuts off clients that stalled or never meant to ask.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(15);

/// Connections open at once at most; each costs a file descriptor and a little memory.
pub const MAX_CONNECTIONS: usize = 256;

/// Live-reload streams open at once at most. A browser opens at most six connections to one
/// host, so this serves several browsers and devices and leaves most connections for pages.
pub const MAX_EVENT_STREAMS: usize = 64;

/// Accepts and serves connections until the listener fails for good.
pub async fn serve(listener: TcpListener, app: Router, hosts: AllowedHosts) {
    let open = Arc::new(OpenConnections::default());
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                wait_after_accept_error(e).await;
                continue;
            }
        };
        match open.admit() {
            Some((connection, evicted)) => {
                tokio::spawn(serve_one(
                    stream,
                    app.clone(),
                    hosts,
                    connection,
                    open.clone(),
                ));
                if evicted {
                    // Let the evicted connection close before the next is accepted, so open
                    // sockets stay near the cap even while a crowd connects.
                    tokio::task::yield_now().await;
                }
            }
            None => refuse(stream),
        }
    }
}

/// Out of file descriptors and the like: give open connections time to close instead of
/// spinning. A connection that failed before it was accepted needs no pause.
async fn wait_after_accept_error(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if !matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        tracing::debug!("accepting a connection failed: {e}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Every connection is busy answering (live-reload streams, responses being sent): say so at
/// once and close, rather than keep the client waiting.
fn refuse(stream: TcpStream) {
    const BODY: &str = "the preview server is busy: too many connections are open\n";
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = stream.try_write(response.as_bytes());
}

async fn serve_one(
    stream: TcpStream,
    app: Router,
    hosts: AllowedHosts,
    connection: Arc<Connection>,
    open: Arc<OpenConnections>,
) {
    // Responses go out in more than one write; do not wait on delayed ACKs between them.
    let _ = stream.set_nodelay(true);
    let router = TowerToHyperService::new(app);
    let tracked = connection.clone();
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let busy = Busy::start(tracked.clone());
        let answer = hosts.allow(&req).then(|| router.call(req));
        async move {
            let response = match answer {
                Some(answer) => answer.await?,
                None => super::plain(StatusCode::MISDIRECTED_REQUEST, hosts.refusal()),
            };
            Ok::<_, Infallible>(response.map(|body| Tracked { body, _busy: busy }))
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT);
    let mut served = pin!(builder.serve_connection(TokioIo::new(stream), service));
    let evicted = pin!(connection.evicted.notified());
    if let Either::Right(_) = select(served.as_mut(), evicted).await
        && !connection.is_idle()
    {
        // A request began since the eviction: answer it, then close. An idle connection is
        // simply dropped (hyper's graceful shutdown would wait for a first request).
        served.as_mut().graceful_shutdown();
        let _ = served.await;
    }
    open.remove(connection.id);
}

/// The connections being served, to find the idlest when all are taken.
#[derive(Default)]
struct OpenConnections {
    next_id: AtomicU64,
    by_id: Mutex<HashMap<u64, Arc<Connection>>>,
}

impl OpenConnections {
    /// A place for a new connection, and whether one was evicted for it: when all are taken,
    /// the connection idle the longest is told to close and gives up its place. `None` when
    /// every connection is busy answering.
    fn admit(&self) -> Option<(Arc<Connection>, bool)> {
        let mut by_id = self.lock();
        let full = by_id.len() >= MAX_CONNECTIONS;
        if full {
            let idlest = by_id
                .values()
                .filter(|c| c.is_idle())
                .min_by_key(|c| c.idle_since())?
                .id;
            if let Some(evicted) = by_id.remove(&idlest) {
                evicted.evicted.notify_one();
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let connection = Arc::new(Connection {
            id,
            answering: AtomicUsize::new(0),
            idle_since: Mutex::new(Instant::now()),
            evicted: Notify::new(),
        });
        by_id.insert(id, connection.clone());
        Some((connection, full))
    }

    fn remove(&self, id: u64) {
        self.lock().remove(&id);
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Arc<Connection>>> {
        self.by_id.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

struct Connection {
    id: u64,
    /// Requests whose response is not yet sent in full.
    answering: AtomicUsize,
    /// When the last response was sent (or the connection opened).
    idle_since: Mutex<Instant>,
    evicted: Notify,
}

impl Connection {
    fn is_idle(&self) -> bool {
        self.answering.load(Ordering::Acquire) == 0
    }

    fn idle_since(&self) -> Instant {
        *self
            .idle_since
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Marks a connection busy from a request's head until its response body is sent or dropped.
struct Busy(Arc<Connection>);

impl Busy {
    fn start(connection: Arc<Connection>) -> Busy {
        connection.answering.fetch_add(1, Ordering::AcqRel);
        Busy(connection)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        *self
            .0
            .idle_since
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Instant::now();
        self.0.answering.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A response body that keeps its connection marked busy while hyper sends it.
struct Tracked {
    body: Body,
    _busy: Busy,
}

impl hyper::body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}
