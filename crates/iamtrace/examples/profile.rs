//! Runs the benchmark workload a fixed number of times, for instruction
//! counts that do not depend on machine load:
//! `valgrind --tool=callgrind target/release/examples/profile parse 20`.
//! Modes: `all` (parse + evaluate), `parse`, `serde` (serde_json::Value, a
//! reference point for the cost of reading the JSON alone), and on policy
//! sets parsed and compiled once: `compile`, `decide` (decision only) and
//! `trace` (the full trace); `prepared` and `prepared-trace`: every request
//! prepared once, then asked of every set (64 x 64 decisions per round);
//! `cross` and `cross-trace`: the same 64 x 64 without preparing.

#[path = "../benches/workload.rs"]
mod workload;

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "all".to_owned());
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let scenarios = workload::workload();
    let mut decisions = 0usize;
    const ON_SETS: [&str; 8] =
        ["compile", "prepare", "decide", "trace", "cross", "cross-trace", "prepared", "prepared-trace"];
    if ON_SETS.contains(&what.as_str()) {
        let parsed: Vec<_> = scenarios.iter().map(|s| iamtrace::parse_scenario(s, None)).collect();
        let valid: Vec<_> = parsed.iter().filter_map(|p| p.scenario.as_ref()).collect();
        let compiled: Vec<_> = valid.iter().map(|sc| iamtrace::CompiledSet::new(&sc.policies)).collect();
        let allowed = |d: iamtrace::Decision| usize::from(d == iamtrace::Decision::Allow);
        let identity = iamtrace::policy::PolicyKind::Identity;
        for _ in 0..rounds {
            match what.as_str() {
                // Every set against every request, set after set (64 x 64).
                "cross" | "cross-trace" => {
                    for cs in &compiled {
                        for sc in &valid {
                            decisions += match what.as_str() {
                                "cross" => cs.decide(&sc.request).map_or(0, allowed),
                                _ => cs.evaluate(&sc.request).map_or(0, |a| allowed(a.decision)),
                            };
                        }
                    }
                }
                // The same, every request prepared once first.
                "prepared" | "prepared-trace" => {
                    let prepared: Vec<_> =
                        valid.iter().filter_map(|sc| iamtrace::PreparedRequest::new(&sc.request).ok()).collect();
                    for cs in &compiled {
                        for request in &prepared {
                            decisions += match what.as_str() {
                                "prepared" => allowed(cs.decide_prepared(request)),
                                _ => allowed(cs.evaluate_prepared(request).decision),
                            };
                        }
                    }
                }
                // Each request against its own set.
                mode => {
                    for (sc, cs) in valid.iter().zip(&compiled) {
                        decisions += match mode {
                            "compile" => iamtrace::CompiledSet::new(&sc.policies).policies().count(identity),
                            "prepare" => {
                                iamtrace::CompiledSet::for_one_request(&sc.policies).policies().count(identity)
                            }
                            "decide" => usize::from(cs.decide(&sc.request).is_ok()),
                            _ => usize::from(cs.evaluate(&sc.request).is_ok()),
                        };
                    }
                }
            }
        }
        println!("{decisions} ({} scenarios per round)", scenarios.len());
        return;
    }
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
