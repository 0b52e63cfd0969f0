//! The benchmark phases natively: prints one JSON line per phase with the
//! time per scenario (median of the samples), as `scripts/bench/wasm.mjs`
//! measures them in Chromium.
//!
//!   cargo run -p iamtrace-bench --release --bin iamtrace-bench-native [-- SAMPLES]

use std::time::Instant;

use iamtrace_bench::{run, scenarios, PHASES};

/// Each sample runs enough rounds to last at least this long.
const SAMPLE_MS: f64 = 50.0;

fn main() -> std::process::ExitCode {
    let samples: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(15);
    let n = scenarios();
    if n == 0 {
        eprintln!("error: the workload does not parse");
        return std::process::ExitCode::FAILURE;
    }
    for phase in PHASES {
        let time = |rounds: u32| {
            let t = Instant::now();
            std::hint::black_box(run(phase, rounds));
            t.elapsed().as_secs_f64() * 1000.0
        };
        // Rounds per sample: doubled until one sample lasts SAMPLE_MS (this also warms up).
        let mut rounds = 1u32;
        while time(rounds) < SAMPLE_MS && rounds < 1 << 20 {
            rounds *= 2;
        }
        let mut per: Vec<f64> = (0..samples).map(|_| time(rounds) * 1000.0 / f64::from(rounds) / n as f64).collect();
        per.sort_by(f64::total_cmp);
        let median = per.get(per.len() / 2).copied().unwrap_or(f64::NAN);
        println!("{{\"phase\": \"{phase}\", \"us_per_scenario\": {median:.3}, \"rounds\": {rounds}, \"samples\": {samples}}}");
    }
    std::process::ExitCode::SUCCESS
}
