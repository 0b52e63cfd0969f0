//! Every built-in example evaluates to its `expected` decision, both as the
//! scenario file says and as the playground loads it (re-indented texts).
#![cfg(not(target_arch = "wasm32"))]

use iamtrace::api;
use iamtrace_web::examples::{self, EXAMPLES};
use iamtrace_web::state::State;

#[test]
fn examples_match_their_expected_decisions() {
    assert_eq!(EXAMPLES.len(), 10);
    for e in EXAMPLES {
        let raw = api::input_from_scenario(e.source).unwrap_or_else(|d| panic!("{}: {}", e.id, d));
        let expected = raw.expected.unwrap_or_else(|| panic!("{} has no `expected`", e.id));
        let out = api::evaluate(&raw);
        let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.diagnostic.is_error()).collect();
        assert!(errors.is_empty(), "{}: {:?}", e.id, errors);
        assert_eq!(out.decision, Some(expected), "{} (scenario file)", e.id);

        let state = State::from_example(e.id).unwrap();
        let loaded_input = state.to_input();
        let loaded = api::evaluate(&loaded_input);
        assert_eq!(loaded.decision, Some(expected), "{} (as loaded by the page)", e.id);
        assert_eq!(loaded.diagnostics.len(), out.diagnostics.len(), "{}: re-indenting changed the diagnostics", e.id);
    }
    assert!(examples::find(examples::DEFAULT).is_some());
}
