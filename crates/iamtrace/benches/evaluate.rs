//! Throughput of parse + evaluate on a workload of realistic scenarios:
//! several identity policies of 5 to 30 statements, a bucket policy, a
//! permissions boundary and an SCP, with conditions, variables and wildcards.
//!
//! Run: `cargo bench -p iamtrace --bench evaluate`. Criterion reports the
//! time per scenario; scenarios per second = 1 / that time.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use iamtrace::{parse_scenario, CompiledSet, PreparedRequest};

mod workload;
use workload::workload;

#[expect(clippy::panic, reason = "a benchmark of an invalid workload must stop")]
fn bench(c: &mut Criterion) {
    let scenarios = workload();
    let bytes: usize = scenarios.iter().map(String::len).sum();
    let statements: usize = scenarios.iter().map(|s| s.matches("\"Effect\"").count()).sum();
    eprintln!(
        "workload: {} scenarios, {} statements, {:.1} KB of JSON on average",
        scenarios.len(),
        statements,
        bytes as f64 / scenarios.len() as f64 / 1024.0
    );
    // Every scenario is valid and evaluates.
    for s in &scenarios {
        let parsed = parse_scenario(s, None);
        let scenario = parsed.scenario.unwrap_or_else(|| panic!("{:?}", parsed.diagnostics));
        scenario.evaluate().unwrap_or_else(|d| panic!("{d:?}"));
    }
    let mut g = c.benchmark_group("scenario");
    g.throughput(Throughput::Elements(scenarios.len() as u64));
    g.bench_function("parse+evaluate", |b| {
        b.iter(|| {
            for s in &scenarios {
                let parsed = parse_scenario(black_box(s), None);
                if let Some(sc) = parsed.scenario {
                    black_box(sc.evaluate().ok().map(|a| a.decision));
                }
            }
        })
    });
    // Reference point: parsing the same bytes into a serde_json::Value (no
    // spans, no validation, no policy model) is the floor for any design
    // that reads JSON text.
    g.bench_function("serde_json::Value (reference)", |b| {
        b.iter(|| {
            for s in &scenarios {
                black_box(serde_json::from_str::<serde_json::Value>(black_box(s)).is_ok());
            }
        })
    });
    g.bench_function("parse", |b| {
        b.iter(|| {
            for s in &scenarios {
                black_box(parse_scenario(black_box(s), None).scenario.is_some());
            }
        })
    });
    let parsed: Vec<_> = scenarios.iter().map(|s| parse_scenario(s, None)).collect();
    let valid: Vec<_> = parsed.iter().filter_map(|p| p.scenario.as_ref()).collect();
    g.bench_function("compile", |b| {
        b.iter(|| {
            for sc in &valid {
                black_box(CompiledSet::new(black_box(&sc.policies)));
            }
        })
    });
    let compiled: Vec<_> = valid.iter().map(|sc| (CompiledSet::new(&sc.policies), &sc.request)).collect();
    g.bench_function("evaluate (full trace)", |b| {
        b.iter(|| {
            for (cs, request) in &compiled {
                black_box(cs.evaluate(request).ok().map(|a| a.decision));
            }
        })
    });
    g.bench_function("evaluate (decision only)", |b| {
        b.iter(|| {
            for (cs, request) in &compiled {
                black_box(cs.decide(request).ok());
            }
        })
    });
    // The one-call form (`Scenario::evaluate`, the CLI and the page): the
    // set prepared for one request, with the full trace.
    g.bench_function("one request: prepare+evaluate (full trace)", |b| {
        b.iter(|| {
            for sc in &valid {
                black_box(sc.evaluate().ok().map(|a| a.decision));
            }
        })
    });
    g.bench_function("one request: prepare+decide", |b| {
        b.iter(|| {
            for sc in &valid {
                black_box(CompiledSet::for_one_request(black_box(&sc.policies)).decide(&sc.request).ok());
            }
        })
    });
    g.finish();

    // Many requests against one set, as the access overview and batch
    // questions ask them: every set of the workload against every request
    // of the workload (64 x 64), set after set. Above, each request goes to
    // its own set, 64 sets in turn: every decision starts from a set no
    // longer in the processor's cache.
    let requests: Vec<_> = valid.iter().map(|sc| &sc.request).collect();
    let mut cross = c.benchmark_group("set x requests");
    cross.throughput(Throughput::Elements((compiled.len() * requests.len()) as u64));
    cross.bench_function("evaluate (decision only)", |b| {
        b.iter(|| {
            for (cs, _) in &compiled {
                for request in &requests {
                    black_box(cs.decide(black_box(request)).ok());
                }
            }
        })
    });
    cross.bench_function("evaluate (full trace)", |b| {
        b.iter(|| {
            for (cs, _) in &compiled {
                for request in &requests {
                    black_box(cs.evaluate(black_box(request)).ok().map(|a| a.decision));
                }
            }
        })
    });
    // The same 64 x 64 decisions with every request prepared once (its
    // caller classified, ARNs read, keys derived) and then asked of every
    // set, set after set: what a policy change newly allows, or who can do
    // what, asks in this shape. Preparing is inside the timed loop.
    cross.bench_function("prepared requests, decision only", |b| {
        b.iter(|| {
            let prepared: Vec<_> = requests.iter().filter_map(|r| PreparedRequest::new(black_box(r)).ok()).collect();
            for (cs, _) in &compiled {
                for request in &prepared {
                    black_box(cs.decide_prepared(request));
                }
            }
        })
    });
    cross.bench_function("prepared requests, full trace", |b| {
        b.iter(|| {
            let prepared: Vec<_> = requests.iter().filter_map(|r| PreparedRequest::new(black_box(r)).ok()).collect();
            for (cs, _) in &compiled {
                for request in &prepared {
                    black_box(cs.evaluate_prepared(request).decision);
                }
            }
        })
    });
    cross.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
