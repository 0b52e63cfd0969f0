//! The command line on chain scenarios (the credential walkthrough).
// Test code: helpers fail loudly by design (the workspace lints allow this in tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iamtrace")).current_dir(root()).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const COURSE: &str = "examples/sts-course-assume-role.json";

#[test]
fn eval_prints_each_hop_with_its_checks_and_traces() {
    let out = run(&["eval", COURSE]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    for want in [
        "Chain     access key of jkcho -> sts:AssumeRole AssumeRole_S3_jkcho -> s3:GetObject",
        " Hop 1  access key of jkcho",
        " Hop 2  sts:AssumeRole AssumeRole_S3_jkcho",
        "check   ✓ duration-role-maximum 900 seconds against the role's maximum session duration of 3600",
        "evaluation 1/1: sts:AssumeRole on arn:aws:iam::111122223333:role/AssumeRole_S3_jkcho",
        "yields  role-session arn:aws:sts::111122223333:assumed-role/AssumeRole_S3_jkcho/s3-session",
        "session policies: session policy 1 `AmazonS3FullAccess`",
        "Decision  Allow: every hop succeeded",
    ] {
        assert!(s.contains(want), "missing {want:?} in:\n{s}");
    }
    // Statements point into the scenario file, and into managed policies.
    assert!(s.contains("examples/sts-course-assume-role.json:"), "{s}");
    assert!(s.contains("managed policy AmazonS3FullAccess:"), "{s}");
}

#[test]
fn the_failing_hop_is_marked() {
    let out = run(&["eval", "examples/sts-leaked-key-inactive.json"]);
    assert!(out.status.success());
    let s = text(&out.stdout);
    let marked: Vec<&str> = s.lines().filter(|l| l.starts_with(">Hop")).collect();
    assert_eq!(marked.len(), 1, "{s}");
    assert!(marked[0].contains("CheckFailed"), "{s}");
    assert!(s.contains("is Inactive: AWS rejects every request signed with an inactive key before any policy is read"));
    assert!(s.contains("Decision  ImplicitDeny: hop 1"), "{s}");
}

#[test]
fn json_is_the_walk_as_data() {
    let out = run(&["eval", "--format", "json", "examples/sts-missing-tag-session.json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["decision"], "ImplicitDeny");
    assert_eq!(v["failed_hop"], 1);
    assert!(v["diagnostics"].is_array());
    let hops = v["hops"].as_array().unwrap();
    assert_eq!(hops.len(), 3);
    assert_eq!(hops[1]["kind"], "assume-role");
    assert_eq!(hops[1]["outcome"], "implicit-deny");
    let auth = hops[1]["authorizations"].as_array().unwrap();
    assert_eq!(auth[1]["action"], "sts:TagSession");
    assert_eq!(auth[1]["answer"]["decision"], "ImplicitDeny");
    let rbp = auth[0]["answer"]["trace"].as_array().unwrap().iter().find(|s| s["stage"] == "resource-policy").unwrap();
    assert_eq!(rbp["statements"][0]["location"]["file"], "examples/sts-missing-tag-session.json");
    assert_eq!(hops[2]["outcome"], "not-reached");
}

#[test]
fn jsonl_gives_name_decision_and_failed_hop() {
    let out = run(&["eval", "--format", "jsonl", "tests/corpus/sts-chain.json"]);
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(lines.len() >= 80);
    let inactive = lines.iter().find(|l| l["name"] == "credential-inactive-key").unwrap();
    assert_eq!(inactive["decision"], "ImplicitDeny");
    assert_eq!(inactive["failed_hop"], 0);
    let course = lines.iter().find(|l| l["name"] == "credential-active-key-reads-s3").unwrap();
    assert_eq!(course["decision"], "Allow");
    assert!(course["failed_hop"].is_null());
}

#[test]
fn test_checks_expected_hops() {
    let out = run(&["test", "tests/corpus/sts-chain.json", "examples/tls-deny.json"]);
    let s = text(&out.stdout);
    assert!(out.status.success(), "{s}");
    assert!(s.lines().last().unwrap().ends_with("passed, 0 failed"), "{s}");
    let course = std::fs::read_to_string(root().join(COURSE)).unwrap();
    let wrong = course.replace(
        r#""expected_hops": ["Allow", "Allow", "Allow"]"#,
        r#""expected_hops": ["Allow", "CheckFailed", "Allow"]"#,
    );
    assert_ne!(wrong, course);
    let dir = std::env::temp_dir().join(format!("iamtrace-chain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("wrong.json");
    std::fs::write(&f, wrong).unwrap();
    let out = run(&["test", f.to_str().unwrap()]);
    let s = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{s}");
    assert!(s.contains("hop 2: expected CheckFailed, got Allow"), "{s}");
    assert!(s.contains("0 passed, 1 failed"), "{s}");
}

#[test]
fn bad_chain_scenarios_are_reported_with_positions() {
    let dir = std::env::temp_dir().join(format!("iamtrace-chain-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("bad.json");
    std::fs::write(&f, "{\"chain\": [\n  {\"credential\": {\"user\": \"arn:aws:iam::111122223333:user/nobody\"}}\n]}")
        .unwrap();
    let out = run(&["eval", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let e = text(&out.stderr);
    assert!(e.contains("error[chain-unknown-user]"), "{e}");
    assert!(e.contains("bad.json:2:"), "{e}");
}
