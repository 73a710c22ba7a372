//! One build's files as the server holds them, looked up by request path.

use std::collections::HashMap;
use std::sync::Arc;

use super::search_worker::{Deferred, SearchWorker};
use super::served::{Served, shared};
use crate::render::Site;

/// The files of one build, ready to serve.
pub struct Snapshot {
    pub(super) files: HashMap<String, Served>,
    /// The search index, when it is still being built in the background.
    search: Option<Arc<Deferred>>,
    /// The policy header for this build's files (it names the book's playground, if any).
    pub(super) csp: axum::http::HeaderValue,
}

/// Where a snapshot stands on a requested file.
pub(super) enum Lookup {
    Found(Served),
    Missing,
    /// The file was still to be made, and a newer build replaced this one: ask that one.
    Superseded,
}

impl Snapshot {
    /// Takes the site's files without copying pages the render cache shares. A deferred
    /// search index goes to `worker`.
    pub fn from_site(site: Site, worker: &SearchWorker) -> Snapshot {
        let csp = super::response::policy_header(&site.allowances);
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
        Snapshot { files, search, csp }
    }

    /// The file at `rel`, waiting for the search index if it is still being built.
    pub(super) async fn get(&self, rel: &str) -> Lookup {
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
