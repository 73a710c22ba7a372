//! Directories to delete if the process stops without unwinding: Ctrl-C, SIGTERM, or a
//! watchdog that ends a runaway template. A killed process runs no destructors, so the
//! staging directories of a build in progress are listed here while they exist.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

/// A directory on the list until this is dropped.
pub struct Registered(PathBuf);

impl Registered {
    pub fn new(dir: &Path) -> Registered {
        register(dir);
        Registered(dir.to_path_buf())
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        unregister(&self.0);
    }
}

/// Sets the Ctrl-C handler, before the first staging directory exists.
pub fn install() {
    HANDLER.call_once(|| {
        // Another handler (a test harness, an embedding program) may be set: then that
        // one decides, and abandoned directories are removed by the next build.
        let _ = ctrlc::set_handler(|| {
            remove_all();
            std::process::exit(130);
        });
    });
}

fn register(dir: &Path) {
    install();
    if let Ok(mut live) = LIVE.lock() {
        live.push(dir.to_path_buf());
    }
}

fn unregister(dir: &Path) {
    if let Ok(mut live) = LIVE.lock() {
        live.retain(|d| d != dir);
    }
}

pub fn remove_all() {
    let dirs = LIVE.lock().map(|l| l.clone()).unwrap_or_default();
    for dir in dirs {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
