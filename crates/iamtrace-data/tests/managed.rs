//! Every AWS managed policy in the data parses as an identity policy, lints
//! without ERROR, and evaluates without error. With `--nocapture` it prints
//! the findings per code (and samples with `IAMTRACE_SAMPLES=1`). For the
//! time the whole set takes, see `benches/data.rs` (`managed policies`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

use std::collections::BTreeMap;

use iamtrace::lint::{self, LintOptions};
use iamtrace::policy::{parse_policy, PolicyKind};
use iamtrace::request::{Context, Flags, Request};
use iamtrace::span::Span;
use iamtrace::{DocId, PolicySet, Severity};
use iamtrace_data::{ManagedPolicies, ServiceReference};

const SAR: &str = include_str!("../data/sar.txt");
const MANAGED: &str = include_str!("../data/managed.txt");

fn s(t: &str) -> iamtrace::Str<'_> {
    iamtrace::Str::new(t.into(), Span::from_range(0, t.len()))
}

#[test]
fn every_managed_policy_parses_lints_without_error_and_evaluates() {
    let reference = ServiceReference::parse(SAR).unwrap();
    let managed = ManagedPolicies::parse(MANAGED).unwrap();
    let options = LintOptions::default();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut samples: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut evaluations = 0;
    for p in managed.iter() {
        // The text the scenario reader resolves a managed policy to.
        let text = p.document_pretty();
        let parsed = parse_policy(&text, PolicyKind::Identity, DocId(0));
        let policy = parsed.policy.unwrap_or_else(|| panic!("{} does not parse: {:?}", p.name(), parsed.diagnostics));
        let findings = lint::check(&policy, &text, Some(&reference), &options);
        for d in parsed.diagnostics.iter().chain(&findings) {
            *counts.entry(format!("{:?} {}", d.severity, d.code)).or_default() += 1;
            let sample = samples.entry(d.code.to_string()).or_default();
            if sample.len() < 6 {
                sample.push(format!("{}: {} | {}", p.name(), d.span.slice(&text), d.message));
            }
            if d.severity == Severity::Error {
                errors.push(format!("{}: {} {}: {}", p.name(), d.code, d.span.slice(&text), d.message));
            }
        }
        // One request per statement: its first action (or a real action its first pattern covers).
        let mut set = PolicySet::default();
        set.push(policy.clone(), Some(p.name().to_owned()));
        for stmt in &policy.statements {
            let pattern = stmt.action.values[0].as_str();
            let action =
                reference.expand(pattern).first().map_or_else(|| pattern.replace(['*', '?'], "X"), |a| a.full_name());
            let request = Request {
                principal: s("arn:aws:iam::111122223333:role/app"),
                action: s(&action),
                resource: s("arn:aws:s3:::example-bucket/key"),
                resource_account: None,
                session_parent_arn: None,
                flags: Flags::default(),
                context: Context::new(),
                span: Span::default(),
            };
            if let Err(e) = iamtrace::evaluate(&set, &request) {
                panic!("{}: evaluating {action} failed: {e:?}", p.name());
            }
            evaluations += 1;
        }
    }
    for (k, v) in &counts {
        println!("{v:6} {k}");
    }
    if std::env::var_os("IAMTRACE_SAMPLES").is_some() {
        for (code, list) in &samples {
            println!("== {code}");
            for line in list {
                println!("   {line}");
            }
        }
    }
    println!("{} policies, {evaluations} evaluations", managed.len());
    assert!(errors.is_empty(), "{} errors:\n{}", errors.len(), errors.join("\n"));
}
