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
