//! Stage 2: policy validation never panics for any text and any kind, and
//! every diagnostic points inside the text.
#![no_main]

use iamtrace::policy::{parse_policy, PolicyKind};
use iamtrace::DocId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for kind in PolicyKind::ALL {
        let parsed = parse_policy(text, kind, DocId(0));
        for d in &parsed.diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end as usize <= text.len() + 1, "{d:?}");
            assert!(!d.message.is_empty());
        }
        if parsed.diagnostics.iter().any(|d| d.is_error()) {
            assert!(parsed.policy.is_none());
        }
    }
});
