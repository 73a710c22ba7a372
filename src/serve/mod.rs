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
mod live_reload;
mod response;
mod routes;
mod search_worker;
mod served;
mod snapshot;
mod state;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::routing::get;
use tokio::sync::{Semaphore, watch};

pub use live_reload::EVENTS_PATH;
pub use state::BuildEvent;
// `connections` and `error_page` answer through these.
use response::{plain, respond};
pub use routes::resolve;
pub use search_worker::{Deferred, SearchWorker};
use served::Served;
pub use snapshot::Snapshot;
use state::AppState;
pub use state::Publisher;

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
        .route(EVENTS_PATH, get(live_reload::events))
        .fallback(get(routes::file))
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
