//! Times the stages of a render, for `GUIDEBOOK_LOG=debug`.

use crate::util::memory::peak_memory_mib;

pub(super) struct Laps {
    last: std::time::Instant,
    report: String,
}

impl Laps {
    pub(super) fn start() -> Laps {
        Laps {
            last: std::time::Instant::now(),
            report: String::new(),
        }
    }

    pub(super) fn lap(&mut self, stage: &str) {
        let now = std::time::Instant::now();
        let ms = (now - self.last).as_secs_f64() * 1000.0;
        self.report.push_str(&format!("{stage} {ms:.1} ms"));
        if let Some(peak) = peak_memory_mib() {
            self.report.push_str(&format!(" (peak {peak} MiB)"));
        }
        self.report.push_str(", ");
        self.last = now;
    }

    pub(super) fn finish(self) {
        tracing::debug!("render stages: {}", self.report);
    }
}
