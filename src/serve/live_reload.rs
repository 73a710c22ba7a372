//! Live reload: browsers hold a Server-Sent Events stream and hear about every build.

use std::convert::Infallible;

use axum::body::Body;
use axum::extract::State;
use axum::http::{Response, StatusCode};
use axum::response::IntoResponse as _;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::StreamExt;
use tokio_stream::wrappers::WatchStream;

use super::connections;
use super::response::plain;
use super::state::AppState;

/// Where browsers listen for build events.
pub const EVENTS_PATH: &str = "/__guidebook/events";

/// The stream of build events, or 503 when too many are open already.
pub(super) async fn events(State(state): State<AppState>) -> Response<Body> {
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
