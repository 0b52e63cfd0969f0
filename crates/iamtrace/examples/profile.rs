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
    if what == "cross" || what == "cross-trace" {
        // Every set against every request, set after set, each request
        // unprepared (64 x 64 per round): the `prepared` modes without preparing.
        let parsed: Vec<_> = scenarios.iter().map(|s| iamtrace::parse_scenario(s, None)).collect();
        let valid: Vec<_> = parsed.iter().filter_map(|p| p.scenario.as_ref()).collect();
        let compiled: Vec<_> = valid.iter().map(|sc| iamtrace::CompiledSet::new(&sc.policies)).collect();
        for _ in 0..rounds {
            for cs in &compiled {
                for sc in &valid {
                    decisions += if what == "cross" {
                        usize::from(cs.decide(&sc.request) == Ok(iamtrace::Decision::Allow))
                    } else {
                        usize::from(cs.evaluate(&sc.request).is_ok_and(|a| a.decision == iamtrace::Decision::Allow))
                    };
                }
            }
        }
        println!("{decisions} allowed ({} x {} per round)", compiled.len(), valid.len());
        return;
    }
    if what == "prepared" || what == "prepared-trace" {
        // Every request prepared once, then every set asked each (64 x 64 per round).
        let parsed: Vec<_> = scenarios.iter().map(|s| iamtrace::parse_scenario(s, None)).collect();
        let valid: Vec<_> = parsed.iter().filter_map(|p| p.scenario.as_ref()).collect();
        let compiled: Vec<_> = valid.iter().map(|sc| iamtrace::CompiledSet::new(&sc.policies)).collect();
        for _ in 0..rounds {
            let prepared: Vec<_> =
                valid.iter().filter_map(|sc| iamtrace::PreparedRequest::new(&sc.request).ok()).collect();
            for cs in &compiled {
                for request in &prepared {
                    decisions += if what == "prepared" {
                        usize::from(cs.decide_prepared(request) == iamtrace::Decision::Allow)
                    } else {
                        usize::from(cs.evaluate_prepared(request).decision == iamtrace::Decision::Allow)
                    };
                }
            }
        }
        println!("{decisions} allowed ({} x {} per round)", valid.len(), compiled.len());
        return;
    }
    if matches!(what.as_str(), "compile" | "prepare" | "decide" | "trace") {
        let parsed: Vec<_> = scenarios.iter().map(|s| iamtrace::parse_scenario(s, None)).collect();
        let valid: Vec<_> = parsed.iter().filter_map(|p| p.scenario.as_ref()).collect();
        let compiled: Vec<_> = valid.iter().map(|sc| (iamtrace::CompiledSet::new(&sc.policies), &sc.request)).collect();
        for _ in 0..rounds {
            for (sc, (cs, request)) in valid.iter().zip(&compiled) {
                decisions += match what.as_str() {
                    "compile" => iamtrace::CompiledSet::new(&sc.policies)
                        .policies()
                        .count(iamtrace::policy::PolicyKind::Identity),
                    "prepare" => iamtrace::CompiledSet::for_one_request(&sc.policies)
                        .policies()
                        .count(iamtrace::policy::PolicyKind::Identity),
                    "decide" => usize::from(cs.decide(request).is_ok()),
                    _ => usize::from(cs.evaluate(request).is_ok()),
                };
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
