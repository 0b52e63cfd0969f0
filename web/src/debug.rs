//! Counters that tests read (debug builds only, so the page ships none):
//! how often a component rendered.

use std::sync::atomic::{AtomicU32, Ordering};

/// Renders of the trace panel.
pub static TRACE_RENDERS: AtomicU32 = AtomicU32::new(0);

/// Counts one render.
pub fn count(counter: &AtomicU32) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// Renders so far.
pub fn renders(counter: &AtomicU32) -> u32 {
    counter.load(Ordering::Relaxed)
}
