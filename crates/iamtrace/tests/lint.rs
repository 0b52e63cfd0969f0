//! Lint fixtures without AWS data: every case of `tests/lint/*.json` gives
//! the findings it lists, except those that need the service reference
//! (the data crate runs the same fixtures with it). Also the size limits,
//! whose fixtures are generated here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

#[path = "lint/runner.rs"]
mod runner;

use iamtrace::diagnostic::Code;
use iamtrace::lint::{self, LintOptions};
use iamtrace::policy::PolicyKind;

#[test]
fn fixtures_without_knowledge() {
    let failures = runner::run_all(None);
    assert!(failures.is_empty(), "{} fixture failures:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn rules_needing_knowledge_are_skipped_without_it() {
    let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::b"}}"#;
    assert!(lint::lint_text(text, PolicyKind::Identity, None, &LintOptions::default()).is_empty());
}

/// A policy of `kind` made of `n` copies of one statement.
fn policy_of(kind: PolicyKind, n: usize, pretty: bool) -> String {
    let stmt = match kind {
        PolicyKind::Resource => {
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}"#
        }
        PolicyKind::Rcp | PolicyKind::Vpce => {
            r#"{"Effect": "Deny", "Principal": "*", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::example-bucket/*"}"#
        }
        _ => {
            r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::example-bucket/*"}"#
        }
    };
    let sep = if pretty { ",\n        " } else { "," };
    let body: Vec<&str> = std::iter::repeat_n(stmt, n).collect();
    format!("{{\"Version\": \"2012-10-17\", \"Statement\": [{}]}}", body.join(sep))
}

fn size_findings(kind: PolicyKind, text: &str) -> Vec<(String, iamtrace::Severity, String)> {
    lint::lint_text(text, kind, None, &LintOptions::default())
        .into_iter()
        .filter(|d| d.code == Code::PolicySizeExceeded)
        .map(|d| (d.span.slice(text).to_owned(), d.severity, d.message))
        .collect()
}

#[test]
fn policy_size_limits_per_kind() {
    use iamtrace::Severity::{Error, Warning};
    for (kind, severity) in [
        (PolicyKind::Identity, Warning),
        (PolicyKind::Boundary, Warning),
        (PolicyKind::Resource, Warning),
        (PolicyKind::Session, Error),
        (PolicyKind::Scp, Error),
        (PolicyKind::Rcp, Error),
        (PolicyKind::Vpce, Error),
    ] {
        let small = policy_of(kind, 1, false);
        assert!(size_findings(kind, &small).is_empty(), "{kind:?}");
        let big = policy_of(kind, 400, false);
        let found = size_findings(kind, &big);
        assert_eq!(found.len(), 1, "{kind:?}");
        assert_eq!(found[0].0, "{", "the finding underlines the opening brace");
        assert_eq!(found[0].1, severity, "{kind:?}");
    }
    // Identity policies do not count whitespace; SCPs do.
    let n = 55; // about 5,700 characters without whitespace, 6,900 with
    let pretty = policy_of(PolicyKind::Identity, n, true);
    let compact: usize = pretty.chars().filter(|c| !c.is_whitespace()).count();
    assert!(compact < 6_144 && pretty.chars().count() > 6_144, "{compact}");
    assert!(size_findings(PolicyKind::Identity, &pretty).is_empty());
    let scp = policy_of(PolicyKind::Scp, 44, true);
    assert!(scp.chars().filter(|c| !c.is_whitespace()).count() < 5_120 && scp.chars().count() > 5_120);
    let found = size_findings(PolicyKind::Scp, &scp);
    assert!(found[0].2.contains("whitespace included"), "{}", found[0].2);
    // Resource policies are checked only as role trust policies (all actions `sts:`).
    let bucket = policy_of(PolicyKind::Identity, 400, false).replace("\"Effect\"", "\"Principal\": \"*\", \"Effect\"");
    assert!(size_findings(PolicyKind::Resource, &bucket).is_empty());
}
