//! Runs the access overview of the benchmark (every EC2 action against the
//! 11 KB policy) a fixed number of times, for instruction counts that do not
//! depend on machine load: `valgrind --tool=callgrind
//! target/release/examples/overview_profile N` for two values of N; the
//! difference divided by the cells in between is the cost of one action.
#![allow(clippy::unwrap_used, reason = "a profiling tool over fixed inputs")]

#[path = "../benches/workload.rs"]
mod workload;

const SAR: &str = include_str!("../data/sar.txt");

fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1);
    let reference = iamtrace_data::ServiceReference::parse(SAR.to_owned()).unwrap();
    let input = workload::overview_input();
    let mut allowed = 0;
    for _ in 0..rounds {
        let cells = iamtrace_data::overview::access_overview(&reference, &input, Some("ec2:*")).unwrap();
        allowed += cells.iter().filter(|c| c.decision == Some(iamtrace::Decision::Allow)).count();
    }
    println!("{allowed} cells allowed");
}
