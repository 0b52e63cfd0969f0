//! Stage 2: policy validation and the policy checks (with and without the
//! AWS service reference) never panic for any text and any kind, and every
//! diagnostic points inside the text.
#![no_main]

use iamtrace::lint::{self, LintOptions};
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
        if let Some(policy) = &parsed.policy {
            let knowledge = iamtrace_data::embedded::reference().ok().map(|r| r as &dyn lint::Knowledge);
            for k in [None, knowledge] {
                for d in lint::check(policy, text, k, &LintOptions::default()) {
                    assert!(d.span.start <= d.span.end && d.span.end as usize <= text.len(), "{d:?}");
                }
            }
        }
    }
});
