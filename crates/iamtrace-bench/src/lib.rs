//! The workload of `crates/iamtrace/benches/evaluate.rs` (the same file,
//! `benches/workload.rs`: 64 scenarios of 12.5 KB on average) in phases that
//! run natively (`src/bin/native.rs`) and as WebAssembly in Chromium
//! (`scripts/bench/wasm.mjs`), each timed by its caller: with
//! `std::time::Instant` natively, with `performance.now()` in the browser.
//!
//! Phases, each over every scenario of the workload:
//! - `parse`: the scenario's JSON into policies and a request;
//! - `compile`: the policy set compiled ([`CompiledSet::new`]);
//! - `decide`: the decision alone, policies compiled beforehand;
//! - `evaluate`: the decision with its full trace, policies compiled beforehand;
//! - `parse+evaluate`: parse, compile and full trace, as `iamtrace eval` does.

use std::sync::OnceLock;

use iamtrace::{parse_scenario, CompiledSet, Scenario};
use wasm_bindgen::prelude::*;

#[path = "../../iamtrace/benches/workload.rs"]
mod workload;

/// The phases, in the order they are reported.
pub const PHASES: [&str; 5] = ["parse", "compile", "decide", "evaluate", "parse+evaluate"];

struct Prepared {
    texts: Vec<&'static str>,
    scenarios: Vec<Scenario<'static>>,
}

fn prepared() -> &'static Prepared {
    static CELL: OnceLock<Prepared> = OnceLock::new();
    let p = CELL.get_or_init(|| {
        // Kept for the life of the process, so that parsed scenarios and compiled sets can borrow them.
        let texts: Vec<&'static str> = workload::workload().into_iter().map(|s| &*s.leak()).collect();
        let scenarios: Vec<Scenario<'static>> = texts.iter().filter_map(|t| parse_scenario(t, None).scenario).collect();
        Prepared { texts, scenarios }
    });
    p
}

fn compiled() -> &'static [CompiledSet<'static, 'static>] {
    static CELL: OnceLock<Vec<CompiledSet<'static, 'static>>> = OnceLock::new();
    CELL.get_or_init(|| prepared().scenarios.iter().map(|s| CompiledSet::new(&s.policies)).collect())
}

/// How many scenarios one round of a phase goes through (every scenario
/// of the workload parses: `run` would count fewer otherwise).
#[wasm_bindgen]
pub fn scenarios() -> usize {
    let p = prepared();
    let _ = compiled();
    if p.scenarios.len() == p.texts.len() {
        p.scenarios.len()
    } else {
        0
    }
}

/// Runs `rounds` rounds of `phase` over the workload; returns a count of
/// what was computed (so that nothing is optimised away), or `None` for an
/// unknown phase.
#[wasm_bindgen]
pub fn run(phase: &str, rounds: u32) -> Option<u32> {
    let p = prepared();
    let mut n = 0u32;
    for _ in 0..rounds {
        n = n.wrapping_add(match phase {
            "parse" => count(p.texts.iter().map(|t| parse_scenario(t, None).scenario.is_some())),
            "compile" => count(p.scenarios.iter().map(|s| {
                std::hint::black_box(CompiledSet::new(&s.policies));
                true
            })),
            "decide" => count(compiled().iter().zip(&p.scenarios).map(|(c, s)| c.decide(&s.request).is_ok())),
            "evaluate" => count(compiled().iter().zip(&p.scenarios).map(|(c, s)| c.evaluate(&s.request).is_ok())),
            "parse+evaluate" => {
                count(p.texts.iter().map(|t| parse_scenario(t, None).scenario.is_some_and(|s| s.evaluate().is_ok())))
            }
            _ => return None,
        });
    }
    Some(n)
}

fn count(results: impl Iterator<Item = bool>) -> u32 {
    results.fold(0, |n, ok| n + u32::from(ok))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phase_runs_over_every_scenario() {
        let n = scenarios();
        assert_eq!(n, 64, "every scenario of the workload parses");
        for phase in PHASES {
            assert_eq!(run(phase, 2), Some(2 * n as u32), "{phase}");
        }
        assert_eq!(run("nope", 1), None);
    }
}
