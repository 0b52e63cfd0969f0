//! Runs the benchmark workload a fixed number of times, for instruction
//! counts that do not depend on machine load:
//! `valgrind --tool=callgrind target/release/examples/profile parse 20`.
//! Modes: `all` (parse + evaluate), `parse`, `serde` (serde_json::Value, a
//! reference point for the cost of reading the JSON alone).

#[path = "../benches/workload.rs"]
mod workload;

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "all".to_owned());
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let scenarios = workload::workload();
    let mut decisions = 0usize;
    for _ in 0..rounds {
        for s in &scenarios {
            if what == "serde" {
                decisions += usize::from(serde_json::from_str::<serde_json::Value>(s).is_ok());
                continue;
            }
            let parsed = iamtrace::parse_scenario(s, None);
            if what == "parse" {
                decisions += usize::from(parsed.scenario.is_some());
            } else if let Some(sc) = parsed.scenario {
                decisions += usize::from(sc.evaluate().is_ok());
            }
        }
    }
    println!("{decisions} scenarios ({} per round)", scenarios.len());
}
