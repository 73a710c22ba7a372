//! What the server threads share with the build loop: the build being served and the last
//! build event.

use std::sync::{Arc, PoisonError, RwLock};

use tokio::sync::{Semaphore, watch};

use super::snapshot::Snapshot;

/// What browsers are told after each build.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
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

/// The build being served: `None` until a build succeeds.
pub(super) type Current = Arc<RwLock<Option<Arc<Snapshot>>>>;

#[derive(Clone)]
pub(super) struct AppState {
    pub(super) site: Current,
    pub(super) events: watch::Receiver<BuildEvent>,
    /// Places for live-reload streams; each stream holds one while it is open.
    pub(super) event_streams: Arc<Semaphore>,
}

impl AppState {
    pub(super) fn current(&self) -> Option<Arc<Snapshot>> {
        self.site
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Handle the build loop uses to publish builds.
#[derive(Clone)]
pub struct Publisher {
    pub(super) site: Current,
    pub(super) events: watch::Sender<BuildEvent>,
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
