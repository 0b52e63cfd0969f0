//! Stage 3: reading and evaluating scenarios never panics; every answer
//! serialises and ends with a decision step that agrees with the decision,
//! which the decision-only mode reaches too, from a prepared request as
//! from the request itself.
#![no_main]

use iamtrace::trace::{Stage, Verdict};
use iamtrace::{api, parse_scenarios, Decision};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for parsed in parse_scenarios(text, None) {
        let Some(scenario) = parsed.scenario else { continue };
        if let Ok(answer) = scenario.evaluate() {
            let last = answer.trace.last().expect("a trace ends with the decision");
            assert_eq!(last.stage, Stage::Decision);
            let expected = match answer.decision {
                Decision::Allow => Verdict::Allow,
                Decision::ExplicitDeny => Verdict::ExplicitDeny,
                Decision::ImplicitDeny => Verdict::ImplicitDeny,
            };
            assert_eq!(last.verdict, expected);
            assert_eq!(answer.trace.iter().filter(|s| s.decisive).count(), 1, "exactly one decisive step");
            serde_json::to_string(&answer).expect("answers serialise");
            // The decision-only mode of a compiled set agrees with the full trace.
            let compiled = iamtrace::CompiledSet::new(&scenario.policies);
            assert_eq!(compiled.decide(&scenario.request).ok(), Some(answer.decision));
            // A compiled set gives the same whole answer, asked the request
            // itself or the request prepared once.
            let full = compiled.evaluate(&scenario.request).expect("the request evaluated");
            assert_eq!(full, answer);
            let prepared = iamtrace::PreparedRequest::new(&scenario.request).expect("the request evaluated");
            assert_eq!(compiled.decide_prepared(&prepared), answer.decision);
            assert_eq!(compiled.evaluate_prepared(&prepared), full);
        }
    }
    // The text front door used by the playground.
    if let Ok(input) = api::input_from_scenario(text) {
        let out = api::evaluate(&input);
        serde_json::to_string(&out).expect("outputs serialise");
    }
});
