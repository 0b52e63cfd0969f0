//! The lint fixtures of `crates/iamtrace/tests/lint/*.json` with the
//! service reference: every finding, every code covered.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

#[path = "../../iamtrace/tests/lint/runner.rs"]
mod runner;

use std::collections::BTreeSet;

use iamtrace::json::{self, Node};
use iamtrace::lint::RULES;
use iamtrace_data::ServiceReference;

const SAR: &str = include_str!("../data/sar.txt");

#[test]
fn fixtures_with_knowledge() {
    let reference = ServiceReference::parse(SAR).unwrap();
    let failures = runner::run_all(Some(&reference));
    assert!(failures.is_empty(), "{} fixture failures:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn every_code_has_a_fixture() {
    let mut covered: BTreeSet<String> = BTreeSet::new();
    for path in runner::fixture_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let root = json::parse(&text).unwrap();
        for case in root.as_array().unwrap() {
            for f in case.get("findings").and_then(Node::as_array).unwrap_or(&[]) {
                covered.insert(f.get("code").and_then(Node::as_str).unwrap().to_owned());
            }
        }
    }
    // `policy-size-exceeded` is tested in crates/iamtrace/tests/lint.rs with generated policies.
    covered.insert("policy-size-exceeded".to_owned());
    let missing: Vec<&str> = RULES.iter().map(|r| r.code.as_str()).filter(|c| !covered.contains(*c)).collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}

/// A policy of thousands of misspelt actions, wildcards and resources: the
/// "did you mean" searches and the redundancy comparisons stop at their
/// budgets, so checking it costs about as much as reading it.
#[test]
fn hostile_policies_are_checked_within_budgets() {
    use iamtrace::lint::{check, LintOptions};
    use iamtrace::policy::{parse_policy, PolicyKind};
    let reference = ServiceReference::parse(SAR).unwrap();
    let options = LintOptions::default();
    let run = |statements: String| {
        let text = format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#);
        let parsed = parse_policy(&text, PolicyKind::Identity, iamtrace::DocId(0));
        let policy = parsed.policy.expect("the policy reads");
        let t0 = std::time::Instant::now();
        let findings = check(&policy, &text, Some(&reference), &options);
        (findings, t0.elapsed())
    };
    // 5,000 misspelt actions: the first 100 get a suggestion.
    let actions: Vec<String> = (0..5000).map(|i| format!(r#""s3:GetObjct{i}""#)).collect();
    let (findings, took) = run(format!(r#"{{"Effect": "Allow", "Action": [{}], "Resource": "*"}}"#, actions.join(",")));
    let unknown: Vec<_> = findings.iter().filter(|d| d.code.as_str() == "action-unknown").collect();
    assert_eq!(unknown.len(), 5000);
    let suggested = unknown.iter().filter(|d| d.help.as_deref().is_some_and(|h| h.starts_with("did you mean"))).count();
    assert!(suggested > 0 && suggested <= 100, "{suggested} suggestions");
    assert!(took.as_secs() < 20, "{took:?}");
    // 20,000 wildcards of one service and 20,000 resources under one wildcard.
    let wild: Vec<String> = (0..20_000).map(|i| format!(r#""s3:Get{i}Object*""#)).collect();
    let res: Vec<String> = (0..20_000).map(|i| format!(r#""arn:aws:s3:::b/k{i}""#)).collect();
    let (findings, took) = run(format!(
        r#"{{"Effect": "Allow", "Action": [{}], "Resource": ["arn:aws:s3:::b/*", {}]}}"#,
        wild.join(","),
        res.join(",")
    ));
    let redundant = findings.iter().filter(|d| d.code.as_str() == "resource-redundant").count();
    assert!(redundant > 0 && redundant < 20_000, "{redundant} redundant resources reported");
    assert!(took.as_secs() < 20, "{took:?}");
}
