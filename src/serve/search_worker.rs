//! The search index of a served build is made in the background, after its pages are out.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use super::served::{Served, shared};
use crate::search::SearchJob;

/// Files a background job fills in once; requests for them wait until it has. `None`: a
/// newer build replaced this one before its turn, so requests ask the newest build instead.
#[derive(Default)]
pub struct Deferred {
    pub(super) files: OnceLock<Option<HashMap<String, Served>>>,
}

/// Builds the search indexes of published builds, one at a time, newest first: an index
/// that a newer build has replaced before its turn is skipped, and requests waiting for it
/// are answered from the newer build.
pub struct SearchWorker {
    pub(super) jobs: std::sync::mpsc::Sender<(SearchJob, Arc<Deferred>)>,
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
