//! The command-line contract of SCENARIO.md, checked against the real binary.
// Test code: helpers fail loudly by design (the workspace lints allow this in tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iamtrace"))
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = bin();
    cmd.args(args).env_remove("NO_COLOR").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("iamtrace runs");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn temp(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iamtrace-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

const ALLOW: &str = r#"{"name": "read", "policies": {"identity": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}]},
  "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}, "expected": "Allow"}"#;
const DENY: &str = r#"{"name": "write", "policies": {"identity": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}]},
  "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:PutObject", "resource": "arn:aws:s3:::b/k"}, "expected": "Allow"}"#;
const BAD: &str = r#"{"name": "bad", "policies": {"identity": [{"Statement": {"Effect": "allow", "Action": "*", "Resource": "*"}}]},
  "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "*"}}"#;

#[test]
fn eval_prints_the_trace_for_people() {
    let f = temp("allow.json", ALLOW.as_bytes());
    let out = run(&["eval", f.to_str().unwrap()], None);
    assert!(out.status.success());
    let s = text(&out.stdout);
    assert!(s.contains("Decision  Allow"), "{s}");
    assert!(s.contains("Identity-based policies"), "{s}");
    assert!(s.contains("allow.json:1:"), "statement locations point into the file: {s}");
    assert!(!s.contains('\x1b'), "no colour when stdout is not a terminal");
    let coloured = text(&run(&["--color", "always", "eval", f.to_str().unwrap()], None).stdout);
    assert!(coloured.contains("\x1b["));
}

#[test]
fn eval_json_is_one_object_with_the_contract_fields() {
    let f = temp("allow2.json", ALLOW.as_bytes());
    let out = run(&["eval", "--format", "json", f.to_str().unwrap()], None);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["name"], "read");
    assert_eq!(v["decision"], "Allow");
    assert!(v["trace"].as_array().unwrap().len() >= 8);
    assert!(v["diagnostics"].is_array());
    assert_eq!(v["trace"][0]["stage"], "request");
    let identity = v["trace"].as_array().unwrap().iter().find(|s| s["stage"] == "identity").unwrap();
    assert_eq!(identity["statements"][0]["location"]["line"], 1);
}

#[test]
fn jsonl_batches_keep_order_and_survive_bad_scenarios() {
    let lines = format!("{}\n{}\n{}\n", ALLOW.replace('\n', " "), BAD.replace('\n', " "), DENY.replace('\n', " "));
    let out = run(&["eval", "--format", "jsonl", "-"], Some(lines.as_bytes()));
    assert_eq!(out.status.code(), Some(1), "a bad scenario makes the exit status 1");
    let got: Vec<serde_json::Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0]["decision"], "Allow");
    assert_eq!(got[1]["name"], "bad");
    assert!(got[1]["error"].as_str().unwrap().contains("<stdin>:2:"), "{}", got[1]);
    assert_eq!(got[2]["decision"], "ImplicitDeny");
    // A JSON array works the same way.
    let arr = format!("[{ALLOW},{DENY}]");
    let out = run(&["eval", "--format", "jsonl", "-"], Some(arr.as_bytes()));
    assert!(out.status.success());
    assert_eq!(text(&out.stdout).lines().count(), 2);
}

#[test]
fn test_reports_mismatches_and_ends_with_the_count() {
    let f = temp("mixed.json", format!("[{ALLOW},{DENY}]").as_bytes());
    let out = run(&["test", f.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let s = text(&out.stdout);
    assert_eq!(s.lines().last(), Some("1 passed, 1 failed"));
    assert!(s.contains("FAIL write: expected Allow, got ImplicitDeny"), "{s}");
    assert!(s.contains("Identity-based policies"), "the mismatch is shown with its trace: {s}");
    let ok = temp("ok.json", ALLOW.as_bytes());
    let out = run(&["test", ok.to_str().unwrap()], None);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout).lines().last(), Some("1 passed, 0 failed"));
}

/// A file that cannot be read fails with its message; the other files are
/// still checked and the run ends with its summary line.
#[test]
fn test_goes_on_past_a_file_it_cannot_read() {
    let ok = temp("ok-before-missing.json", ALLOW.as_bytes());
    let missing = std::env::temp_dir().join("iamtrace-cli-test-no-such-file.json");
    let out = run(&["test", ok.to_str().unwrap(), missing.to_str().unwrap(), ok.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout).lines().last(), Some("2 passed, 1 failed"));
    assert!(text(&out.stderr).contains("cannot read `"), "{}", text(&out.stderr));
}

#[test]
fn bad_input_points_at_file_line_and_column() {
    let f = temp("bad.json", BAD.as_bytes());
    let out = run(&["eval", f.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("error[statement-invalid-effect]"), "{err}");
    assert!(err.contains("bad.json:1:68"), "{err}");
    assert!(err.contains("^^^^^^^"), "the snippet is underlined: {err}");
    assert!(err.contains("help: `Effect` is case-sensitive"), "{err}");

    let syntax = temp("syntax.json", b"{\"request\": {\n  \"principal\" \"x\"}}");
    let err = text(&run(&["eval", syntax.to_str().unwrap()], None).stderr);
    assert!(err.contains("syntax.json:2:15"), "{err}");
    assert!(err.contains("expected `:` after the key"), "{err}");

    let utf8 = temp("latin1.json", b"{\"name\": \"caf\xe9\"}");
    let out = run(&["eval", utf8.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("invalid UTF-8 at byte 13"), "{}", text(&out.stderr));

    let out = run(&["eval", "/nonexistent/scenario.json"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot read `/nonexistent/scenario.json`"));
}

#[test]
fn policies_embedded_as_strings_are_located_in_the_file() {
    let scenario = r#"{"policies": {"identity": ["{\n  \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3Get\", \"Resource\": \"*\"}\n}"]},
        "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "*"}}"#;
    let f = temp("embedded.json", scenario.as_bytes());
    let err = text(&run(&["eval", f.to_str().unwrap()], None).stderr);
    assert!(err.contains("error[action-invalid]"), "{err}");
    assert!(err.contains("embedded.json:1:"), "{err}");
    assert!(err.contains(r#"\"s3Get\""#), "the snippet is the file's own text: {err}");
}

#[test]
fn the_trace_names_the_service_and_counts_wildcard_actions() {
    let scenario = r#"{"policies": {"identity": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}}]},
      "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}}"#;
    let f = temp("wild.json", scenario.as_bytes());
    let out = run(&["eval", "--format", "json", f.to_str().unwrap()], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["trace"][0]["request"]["service_name"], "Amazon S3");
    let identity = v["trace"].as_array().unwrap().iter().find(|s| s["stage"] == "identity").unwrap();
    let covers = identity["statements"][0]["action"]["hit"]["covers"].as_u64().unwrap();
    assert!(covers > 20, "s3:Get* covers many actions, got {covers}");
    let text = text(&run(&["eval", f.to_str().unwrap()], None).stdout);
    assert!(text.contains("service     s3 (Amazon S3)"), "{text}");
    assert!(text.contains(&format!("(a wildcard covering {covers} actions)")), "{text}");
}

#[test]
fn lint_reports_like_a_compiler_and_fails_on_errors() {
    let policy =
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjct", "Resource": "*"}]}"#;
    let f = temp("lint.json", policy.as_bytes());
    let out = run(&["lint", f.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let s = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(s.contains("error[action-unknown]"), "{s}");
    assert!(s.contains("lint.json:1:"), "{s}");
    assert!(s.contains("did you mean `s3:GetObject`?"), "{s}");
    let out = run(&["lint", "--fail-on", "never", f.to_str().unwrap()], None);
    assert!(out.status.success());
    let out = run(&["lint", "--disable", "action-unknown", f.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out.stdout));
    let out = run(&["lint", "--format", "json", f.to_str().unwrap()], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.to_string().contains("action-unknown"), "{v}");
}

#[test]
fn lint_reads_files_as_the_kind_given() {
    let policy = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}}"#;
    let f = temp("kind.json", policy.as_bytes());
    let out = run(&["lint", f.to_str().unwrap()], None);
    assert!(out.status.success(), "an identity policy needs no `Principal`: {}", text(&out.stdout));
    let out = run(&["lint", "--kind", "rcp", f.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let s = text(&out.stdout);
    assert!(s.contains("error[statement-missing-principal]") && s.contains("resource control policy"), "{s}");
    // Every kind of the scenario format is accepted, and nothing else.
    for kind in ["identity", "resource", "boundary", "session", "scp", "rcp", "vpce"] {
        let out = run(&["lint", "--kind", kind, "--fail-on", "never", f.to_str().unwrap()], None);
        assert!(out.status.success(), "--kind {kind}: {}", text(&out.stderr));
    }
    let out = run(&["lint", "--kind", "group", f.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let e = text(&out.stderr);
    assert!(e.contains("[possible values: identity, resource, boundary, session, scp, rcp, vpce]"), "{e}");
}
