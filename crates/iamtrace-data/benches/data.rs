//! Loading the data, lookups, linting a 10 KB policy, and the whole set of
//! AWS managed policies (parse + lint + evaluate).
//!
//! `cargo bench -p iamtrace-data` (add `--features embed` for inflating the
//! embedded files).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "benchmark code")]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use iamtrace::lint::{self, LintOptions};
use iamtrace::policy::{parse_policy, PolicyKind};
use iamtrace::request::Request;
use iamtrace::{DocId, PolicySet};
use iamtrace_data::{ManagedPolicies, ServiceReference};

const SAR: &str = include_str!("../data/sar.txt");
const SAR_DESC: &str = include_str!("../data/sar-desc.txt");
const MANAGED: &str = include_str!("../data/managed.txt");

mod workload;

use workload::{overview_input, policy_10kb};

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.sample_size(20);
    g.bench_function("sar.txt", |b| {
        b.iter_batched(|| SAR.to_owned(), |t| ServiceReference::parse(t).unwrap(), BatchSize::LargeInput)
    });
    g.bench_function("sar.txt+sar-desc.txt", |b| {
        b.iter_batched(
            || (SAR.to_owned(), SAR_DESC.to_owned()),
            |(t, d)| {
                let mut r = ServiceReference::parse(t).unwrap();
                r.load_descriptions(d).unwrap();
                r
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("managed.txt", |b| {
        b.iter_batched(|| MANAGED.to_owned(), |t| ManagedPolicies::parse(t).unwrap(), BatchSize::LargeInput)
    });
    #[cfg(feature = "embed")]
    {
        use iamtrace_data::embedded::{text, File};
        g.bench_function("inflate sar.txt", |b| b.iter(|| text(File::Reference).unwrap()));
        g.bench_function("inflate managed.txt", |b| b.iter(|| text(File::Managed).unwrap()));
    }
    g.finish();
}

fn lookups(c: &mut Criterion) {
    let r = ServiceReference::parse(SAR).unwrap();
    let mut g = c.benchmark_group("lookup");
    g.bench_function("action s3:GetObject", |b| b.iter(|| r.action(black_box("s3:getobject")).unwrap()));
    g.bench_function("expand s3:Get*", |b| b.iter(|| r.expand(black_box("s3:Get*")).len()));
    g.bench_function("expand ec2:*Instance*", |b| b.iter(|| r.expand(black_box("ec2:*Instance*")).len()));
    g.bench_function("condition key aws:PrincipalTag/team", |b| {
        b.iter(|| r.condition_key(black_box("aws:PrincipalTag/team")).unwrap())
    });
    g.finish();
}

fn lint_checks(c: &mut Criterion) {
    let r = ServiceReference::parse(SAR).unwrap();
    let managed = ManagedPolicies::parse(MANAGED).unwrap();
    let options = LintOptions::default();
    let text = policy_10kb();
    assert!((9_000..11_000).contains(&text.len()), "{}", text.len());
    let parsed = parse_policy(&text, PolicyKind::Identity, DocId(0));
    let policy = parsed.policy.unwrap();
    let mut g = c.benchmark_group("lint");
    g.bench_function("10 KB policy: check", |b| b.iter(|| lint::check(&policy, &text, Some(&r), &options)));
    g.bench_function("10 KB policy: parse + check", |b| {
        b.iter(|| lint::lint_text(black_box(&text), PolicyKind::Identity, Some(&r), &options))
    });
    g.bench_function("10 KB policy: check without data", |b| b.iter(|| lint::check(&policy, &text, None, &options)));
    let read_only = managed.get("ReadOnlyAccess").unwrap().document_pretty();
    g.bench_function("ReadOnlyAccess (largest wildcard list): parse + check", |b| {
        b.iter(|| lint::lint_text(black_box(&read_only), PolicyKind::Identity, Some(&r), &options))
    });
    g.finish();
}

/// Every AWS managed policy: pretty-print, parse, lint, and evaluate one
/// request per statement (the work of `tests/managed.rs`).
fn managed_set(c: &mut Criterion) {
    let r = ServiceReference::parse(SAR).unwrap();
    let managed = ManagedPolicies::parse(MANAGED).unwrap();
    let options = LintOptions::default();
    let mut g = c.benchmark_group("managed policies");
    g.sample_size(10);
    g.bench_function("all: parse + lint + evaluate", |b| {
        b.iter(|| {
            let mut findings = 0;
            for p in managed.iter() {
                let text = p.document_pretty();
                let policy = parse_policy(&text, PolicyKind::Identity, DocId(0)).policy.unwrap();
                findings += lint::check(&policy, &text, Some(&r), &options).len();
                let mut set = PolicySet::default();
                set.push(policy.clone(), None);
                for stmt in &policy.statements {
                    let pattern = stmt.action.values[0].as_str();
                    let action =
                        r.expand(pattern).first().map_or_else(|| pattern.replace(['*', '?'], "X"), |a| a.full_name());
                    let request =
                        Request::new("arn:aws:iam::111122223333:role/app", &action, "arn:aws:s3:::example-bucket/key");
                    black_box(iamtrace::evaluate(&set, &request).unwrap().decision);
                }
            }
            findings
        })
    });
    g.finish();
}

/// The access overview: every action of EC2 (826) against the 10 KB policy
/// with EC2 instances among its resources (11 KB; the page's overview panel:
/// `e2e/latency.test.mjs` measures the same in Chromium).
fn overview(c: &mut Criterion) {
    let r = ServiceReference::parse(SAR).unwrap();
    let input = overview_input();
    let mut g = c.benchmark_group("overview");
    for pattern in ["ec2:*", "s3:*"] {
        let n = r.expand(pattern).len();
        g.bench_function(format!("{pattern} ({n} actions), 11 KB policy"), |b| {
            b.iter(|| iamtrace_data::overview::access_overview(&r, black_box(&input), Some(pattern)).unwrap().len())
        });
    }
    g.finish();
}

criterion_group!(benches, load, lookups, lint_checks, managed_set, overview);
criterion_main!(benches);
