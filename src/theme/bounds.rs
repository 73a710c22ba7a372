//! Bounds on rendering a template: a theme's template is code, and a loop that never ends or
//! a string that doubles each turn must end the build with an error naming the template, not
//! hang it or abort it.
//!
//! Tera has no fuel or memory limit, and a running template cannot be stopped from outside.
//! So each render is registered while it runs, and a watchdog thread ends the process (after
//! removing its staging directories) with that template's name when a render runs longer than
//! [`TIME_LIMIT`] or the process grows past [`MEMORY_LIMIT_MIB`] while templates run. Output
//! alone is bounded without ending anything: a page over [`PAGE_LIMIT`] bytes is an error.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

/// The longest one page's template may run. The IR guide's slowest page renders in about a
/// millisecond; ten seconds is a loop, not a big page.
pub const TIME_LIMIT: Duration = Duration::from_secs(10);

/// The most memory (resident, MiB) the process may hold while a template runs: a 10,000-page
/// build peaks near 200 MiB and `serve` near 600.
pub const MEMORY_LIMIT_MIB: u64 = 4096;

/// The most one page's template may write.
pub const PAGE_LIMIT: usize = 64 << 20;

/// A render in progress, on the watchdog's list until dropped.
pub struct Running {
    id: u64,
}

struct Render {
    /// The template's name, and its file as shown in the error.
    template: String,
    file: String,
    page: String,
    started: Instant,
}

static RUNNING: Mutex<Option<HashMap<u64, Render>>> = Mutex::new(None);
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
static WATCHDOG: Once = Once::new();

impl Running {
    pub fn start(template: &str, file: String, page: &str) -> Running {
        WATCHDOG.call_once(|| {
            let _ = std::thread::Builder::new()
                .name("template watchdog".into())
                .spawn(watch);
        });
        let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Ok(mut running) = RUNNING.lock() {
            running.get_or_insert_with(HashMap::new).insert(
                id,
                Render {
                    template: template.to_owned(),
                    file,
                    page: page.to_owned(),
                    started: Instant::now(),
                },
            );
        }
        Running { id }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(mut running) = RUNNING.lock()
            && let Some(map) = running.as_mut()
        {
            map.remove(&self.id);
        }
    }
}

fn watch() {
    loop {
        std::thread::sleep(Duration::from_millis(25));
        let verdict = RUNNING.lock().ok().and_then(|running| {
            let map = running.as_ref()?;
            let oldest = map.values().min_by_key(|r| r.started)?;
            if oldest.started.elapsed() > TIME_LIMIT {
                return Some(format!(
                    "ran for more than {} s rendering `{}` (a loop that never ends?); stopped",
                    TIME_LIMIT.as_secs(),
                    oldest.page
                ))
                .map(|why| (oldest.clone_names(), why));
            }
            let mib = resident_mib()?;
            (mib > MEMORY_LIMIT_MIB).then(|| {
                let why = format!(
                    "made guidebook use more than {MEMORY_LIMIT_MIB} MiB rendering `{}` (a value \
                     that grows each turn of a loop?); stopped",
                    oldest.page
                );
                (oldest.clone_names(), why)
            })
        });
        if let Some(((template, file), why)) = verdict {
            stop(&template, &file, &why);
        }
    }
}

/// Ends the process: the template cannot be interrupted, and the build cannot finish.
fn stop(template: &str, file: &str, why: &str) -> ! {
    eprintln!("{file}: error: template `{template}` {why}");
    eprintln!("error: build stopped; nothing was written");
    crate::util::cleanup::remove_all();
    std::process::exit(1);
}

impl Render {
    fn clone_names(&self) -> (String, String) {
        (self.template.clone(), self.file.clone())
    }
}

/// Resident memory in MiB (Linux); `None` where it cannot be read.
fn resident_mib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / (1024 * 1024))
}

/// A page's bytes, refusing to grow past [`PAGE_LIMIT`].
#[derive(Default)]
pub struct CappedPage {
    pub bytes: Vec<u8>,
    pub overflowed: bool,
}

impl Write for CappedPage {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > PAGE_LIMIT {
            self.overflowed = true;
            return Err(std::io::Error::other("page too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
