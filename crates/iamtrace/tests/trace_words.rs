//! The words of the trace, pinned: every corpus scenario's decision summary,
//! each step's title and summary, and the first step's reasons for each
//! policy kind, against `tests/snapshots/trace-words.txt`. A change to a
//! sentence of the trace shows here as a diff to review; when it is meant,
//! rewrite the file with `IAMTRACE_UPDATE_SNAPSHOTS=1 cargo test -p iamtrace
//! --test trace_words`.
// Test code: helpers fail loudly by design (the workspace lints allow this in tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::fmt::Write as _;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn word<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap().trim_matches('"').to_owned()
}

/// Sentences the corpus does not reach: several matching denies, named
/// policies, SCP levels, a cross-account grant.
const EXTRA: &str = r#"[
{"name": "extra-several-denies-named",
 "policies": {
  "identity": [{"name": "Base", "policy": {"Statement": [
    {"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Sid": "NoS3", "Effect": "Deny", "Action": "s3:*", "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:Get*", "Resource": "*"}]}}],
  "scp": [[{"name": "Root", "policy": {"Statement": [
      {"Effect": "Allow", "Action": "*", "Resource": "*"},
      {"Sid": "Guard", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]}}],
    [{"name": "Ou", "policy": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]]},
 "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
  "resource": "arn:aws:s3:::bucket/key", "resource_account": "111122223333"}},
{"name": "extra-scp-levels-and-cross-account",
 "policies": {
  "identity": [{"name": "Reader", "policy": {"Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}],
  "resource": {"name": "BucketPolicy", "policy": {"Statement": [{"Sid": "Partner", "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}},
  "scp": [[{"name": "Root", "policy": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}],
    [{"name": "Ou", "policy": {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}]]},
 "request": {"principal": "arn:aws:sts::111122223333:assumed-role/Reader/s1", "action": "s3:GetObject",
  "resource": "arn:aws:s3:::bucket/key", "resource_account": "444455556666"}},
{"name": "extra-scp-level-without-allow",
 "policies": {
  "identity": [{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}],
  "scp": [[{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}],
    [{"name": "Ou", "policy": {"Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}}]]},
 "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
  "resource": "arn:aws:s3:::bucket/key"}}
]"#;

/// The words of every corpus scenario's answer, one line per sentence.
fn words() -> String {
    let dir = root().join("../../tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut texts: Vec<(String, String)> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "jsonl"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(p).unwrap()))
        .collect();
    texts.push(("(this file)".to_owned(), EXTRA.to_owned()));
    let mut out = String::new();
    for (file, text) in &texts {
        for parsed in iamtrace::walk::parse_file(text, None) {
            let iamtrace::walk::Parsed::Scenario(parsed) = parsed else { continue };
            let name = parsed.name.clone().unwrap_or_default();
            let Some(scenario) = parsed.scenario else { continue };
            writeln!(out, "## {file} :: {name}").unwrap();
            let answer = match scenario.evaluate() {
                Ok(answer) => answer,
                Err(errors) => {
                    for e in errors {
                        writeln!(out, "error: {}", e.message).unwrap();
                    }
                    continue;
                }
            };
            writeln!(out, "{}: {}", word(&answer.decision), answer.summary).unwrap();
            for step in &answer.trace {
                let decisive = if step.decisive { " (decisive)" } else { "" };
                writeln!(
                    out,
                    "{} {}{decisive}: {} | {}",
                    word(&step.stage),
                    word(&step.verdict),
                    step.title,
                    step.summary
                )
                .unwrap();
                for p in step.request.iter().flat_map(|r| &r.policies) {
                    let reason: &str = &p.reason;
                    writeln!(out, "  {} x{}: {reason}", word(&p.kind), p.count).unwrap();
                }
            }
        }
    }
    out
}

#[test]
fn the_trace_says_what_it_said() {
    let path = root().join("tests/snapshots/trace-words.txt");
    let now = words();
    if std::env::var_os("IAMTRACE_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &now).unwrap();
        return;
    }
    let pinned = std::fs::read_to_string(&path).unwrap();
    if let Some((i, (a, b))) = pinned.lines().zip(now.lines()).enumerate().find(|(_, (a, b))| a != b) {
        panic!("line {} of {} changed:\n  pinned: {a}\n  now:    {b}", i + 1, path.display());
    }
    assert_eq!(pinned.lines().count(), now.lines().count(), "lines added or removed");
    assert!(now.lines().count() > 3_000, "the corpus covers the trace's sentences");
}
