//! `iamtrace eval --cloudtrail FILE [--policies FILE]`, checked against the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iamtrace"));
    cmd.args(args).env("NO_COLOR", "1").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
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

fn fixture(name: &str) -> String {
    format!("{}/../iamtrace/tests/cloudtrail/{name}.json", env!("CARGO_MANIFEST_DIR"))
}

fn temp(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iamtrace-cloudtrail-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

/// The SCP that denied the fixture's request, as a JSON string (so its
/// location goes through the string's escapes), and an identity policy.
const WITH_SCP: &str = r#"{
  "name": "finance",
  "policies": {
    "identity": [{"Version": "2012-10-17", "Statement": {"Sid": "ReadAll", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}}],
    "scp": [
      {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}},
      "{\"Version\": \"2012-10-17\", \"Statement\": {\"Sid\": \"ProtectFinance\", \"Effect\": \"Deny\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::finance-reports/*\"}}"
    ]
  },
  "request": {"principal": "arn:aws:iam::111122223333:user/x", "action": "s3:GetObject", "resource": "*"}
}"#;

#[test]
fn prints_the_request_with_the_source_of_every_value() {
    let f = fixture("iam-user-get-object-denied");
    let out = run(&["eval", "--cloudtrail", &f], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("principal           arn:aws:iam::111122223333:user/ops/mary  (from userIdentity.arn)"), "{s}");
    assert!(s.contains("aws:SourceIp = 198.51.100.24  (from sourceIPAddress)"), "{s}");
    assert!(s.contains("iam-user-get-object-denied.json:15:22"), "each value points at its field: {s}");
    assert!(
        s.contains("Absent")
            && s.contains("aws:MultiFactorAuthPresent  the request was signed with a long-term access key"),
        "{s}"
    );
    assert!(s.contains("AWS       ExplicitDeny in a service control policy (arn:aws:organizations::"), "{s}");
    assert!(!s.contains("Decision"), "no policies, no decision: {s}");
}

#[test]
fn sets_aws_verdict_beside_iamtrace_and_prints_the_trace() {
    let p = temp("with-scp.json", WITH_SCP);
    let f = fixture("iam-user-get-object-denied");
    let out = run(&["eval", "--cloudtrail", &f, "--policies", p.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("iamtrace  ExplicitDeny: agrees with AWS"), "{s}");
    assert!(s.contains("the service control policy denies in iamtrace's trace too"), "{s}");
    assert!(s.contains("AWS names only one policy type"), "{s}");
    assert!(s.contains("Decision  ExplicitDeny"), "{s}");
    // The statement's location goes through the JSON string into the policies file.
    assert!(s.contains("with-scp.json:7:"), "{s}");
    // Without the SCP, iamtrace allows what AWS denied.
    let p = temp("without-scp.json", &WITH_SCP.replace(r#""scp""#, r#""unused""#));
    let out = run(&["eval", "--cloudtrail", &f, "--policies", p.to_str().unwrap()], None);
    let s = text(&out.stdout);
    assert!(s.contains("iamtrace  Allow: disagrees with AWS"), "{s}");
    assert!(s.contains("Decision  Allow"), "{s}");
}

#[test]
fn json_without_policies_is_a_scenario_to_complete() {
    let f = fixture("assumed-role-lookup-events");
    let out = run(&["eval", "--cloudtrail", &f, "--format", "json"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["request"]["action"], "s3:ListBucket");
    assert_eq!(v["request"]["session_parent_arn"], "arn:aws:iam::111122223333:role/ci/Deployer");
    assert_eq!(v["request"]["context"]["aws:PrincipalArn"], "arn:aws:iam::111122223333:role/ci/Deployer");
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().starts_with("aws:SecureTransport unknown")));
    // Completed with a policy, `iamtrace eval` takes it as it is.
    v["policies"] = serde_json::json!({"identity": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::finance-reports",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}, "StringEquals": {"aws:SourceIdentity": "jdoe"}}}}]});
    let p = temp("completed.json", &v.to_string());
    let out = run(&["eval", "--format", "json", p.to_str().unwrap()], None);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["decision"], "Allow", "{}", text(&out.stdout));
}

#[test]
fn json_with_policies_has_the_comparison() {
    let p = temp("with-scp-2.json", WITH_SCP);
    let out = run(
        &[
            "eval",
            "--cloudtrail",
            &fixture("iam-user-get-object-denied"),
            "--policies",
            p.to_str().unwrap(),
            "--format",
            "json",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["decision"], "ExplicitDeny");
    assert_eq!(v["comparison"]["decision_agrees"], true);
    assert_eq!(v["comparison"]["aws_policy_type"], "service-control");
    assert_eq!(v["event"]["aws_denial"]["kind"], "explicit");
    let st = &v["answer"]["deciding"][0];
    assert_eq!(st["sid"], "ProtectFinance");
}

#[test]
fn reads_standard_input_and_decoded_messages() {
    let body = std::fs::read(fixture("decoded-authorization-message")).unwrap();
    let out = run(&["eval", "--cloudtrail", "-", "--format", "json"], Some(&body));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["request"]["context"]["aws:PrincipalTag/team"], "platform");
    assert_eq!(v["request"]["context"]["aws:TagKeys"], serde_json::json!(["Name", "team"]));
}

#[test]
fn bad_records_are_errors_with_file_line_and_column() {
    for (name, code, at) in [
        ("bad-not-json", "error[json-", ":1:75"),
        ("bad-policy-not-record", "error[cloudtrail-not-a-record]", ":1:1"),
        ("bad-missing-event-name", "error[cloudtrail-missing-field]", ":3:5"),
        ("bad-unknown-identity-type", "error[cloudtrail-unknown-identity-type]", ":3:29"),
        ("bad-insights-event", "error[cloudtrail-no-request]", ":3:5"),
    ] {
        let out = run(&["eval", "--cloudtrail", &fixture(name)], None);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let e = text(&out.stderr);
        assert!(e.contains(code), "{name}: {e}");
        assert!(e.contains(&format!("{name}.json{at}")), "{name}: {e}");
    }
}

#[test]
fn incomplete_requests_are_not_evaluated() {
    let p = temp("with-scp-3.json", WITH_SCP);
    let out =
        run(&["eval", "--cloudtrail", &fixture("aws-account-assume-role"), "--policies", p.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let e = text(&out.stderr);
    assert!(e.contains("cannot be evaluated: the record does not give its principal"), "{e}");
    assert!(!text(&out.stdout).contains("Decision"));
    let out = run(&["eval", "--policies", p.to_str().unwrap(), p.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("`--policies` goes with `--cloudtrail`"));
}

/// An `AssumeRole` that passes session tags and a source identity.
const ASSUME_ROLE_WITH_TAGS: &str = r#"{"eventVersion": "1.08",
  "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/a", "accountId": "111122223333", "accessKeyId": "AKIAEXAMPLE"},
  "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole", "eventTime": "2026-01-01T00:00:00Z",
  "awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.1",
  "requestParameters": {"roleArn": "arn:aws:iam::111122223333:role/R", "roleSessionName": "s", "sourceIdentity": "alice",
    "tags": [{"key": "team", "value": "blue"}]}}"#;

/// A trust policy that allows `sts:AssumeRole` and `sts:SetSourceIdentity`, not `sts:TagSession`.
const TRUST_WITHOUT_TAG_SESSION: &str = r#"{"policies": {"resource": {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::111122223333:user/a"}, "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"]}}}}"#;

#[test]
fn a_call_that_needs_further_actions_is_allowed_only_when_each_is() {
    let f = temp("assume-role-tags.json", ASSUME_ROLE_WITH_TAGS);
    let p = temp("trust-without-tag-session.json", TRUST_WITHOUT_TAG_SESSION);
    let out = run(&["eval", "--cloudtrail", f.to_str().unwrap(), "--policies", p.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("further action      sts:TagSession  (the call passes session tags"), "{s}");
    assert!(s.contains("further action      sts:SetSourceIdentity  (the call sets the source identity `alice`"), "{s}");
    assert!(s.contains("iamtrace  ImplicitDeny (the record shows no access-denied error)"), "{s}");
    assert!(
        s.contains("the call needs every action: sts:AssumeRole Allow, sts:TagSession ImplicitDeny, sts:SetSourceIdentity Allow"),
        "{s}"
    );
    assert!(s.contains("Further   sts:TagSession"), "each further action has its trace: {s}");
    let out = run(
        &["eval", "--cloudtrail", f.to_str().unwrap(), "--policies", p.to_str().unwrap(), "--format", "json"],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["decision"], "ImplicitDeny", "the call's decision");
    assert_eq!(v["answer"]["decision"], "Allow", "sts:AssumeRole's");
    assert_eq!(v["further"][0]["action"], "sts:TagSession");
    assert_eq!(v["further"][0]["decision"], "ImplicitDeny");
    assert_eq!(v["further"][1]["action"], "sts:SetSourceIdentity");
    assert_eq!(v["further"][1]["decision"], "Allow");
    // Without policies, the scenario's notes say what else to evaluate.
    let out = run(&["eval", "--cloudtrail", f.to_str().unwrap(), "--format", "json"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().starts_with("further action sts:TagSession: ")));
}

/// AWS's denial names the further action it denied: iamtrace's answer for
/// that action is the one set beside it.
#[test]
fn a_denial_of_a_further_action_is_compared_with_that_action() {
    let denied = ASSUME_ROLE_WITH_TAGS.replace(
        r#""eventVersion": "1.08","#,
        r#""eventVersion": "1.08", "errorCode": "AccessDenied", "errorMessage": "User: arn:aws:iam::111122223333:user/a is not authorized to perform: sts:TagSession on resource: arn:aws:iam::111122223333:role/R","#,
    );
    let f = temp("assume-role-tags-denied.json", &denied);
    let p = temp("trust-without-tag-session-2.json", TRUST_WITHOUT_TAG_SESSION);
    let out = run(&["eval", "--cloudtrail", f.to_str().unwrap(), "--policies", p.to_str().unwrap()], None);
    let s = text(&out.stdout);
    assert!(s.contains("iamtrace  ImplicitDeny: agrees with AWS"), "{s}");
    let out = run(
        &["eval", "--cloudtrail", f.to_str().unwrap(), "--policies", p.to_str().unwrap(), "--format", "json"],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["comparison"]["decision_agrees"], true);
    assert_eq!(v["comparison"]["iamtrace_decision"], "ImplicitDeny");
}

#[test]
fn every_renamed_action_is_in_the_aws_service_reference() {
    let reference = iamtrace_data::embedded::reference().unwrap();
    for r in iamtrace::cloudtrail::action_table() {
        for a in std::iter::once(&r.action).chain(r.also) {
            assert!(reference.action(a).is_some(), "{a} (for {} {})", r.service, r.event);
        }
    }
}

/// The reviewer's record: a `PutObject` with `x-amz-acl: public-read` by a
/// user allowed `s3:PutObject` only. AWS requires `s3:PutObjectAcl` too
/// (API_PutObject.html, Permissions): the call is denied.
#[test]
fn a_put_object_with_an_acl_needs_put_object_acl() {
    let p = temp(
        "put-only.json",
        r#"{"identity": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}]}"#,
    );
    let f = fixture("iam-user-put-object-acl");
    let out = run(&["eval", "--cloudtrail", &f, "--policies", p.to_str().unwrap()], None);
    let s = text(&out.stdout);
    assert!(s.contains("further action      s3:PutObjectAcl  (the call sets the object's ACL (`x-amz-acl`)"), "{s}");
    assert!(s.contains("s3:x-amz-acl = public-read  (from requestParameters.x-amz-acl"), "{s}");
    assert!(s.contains("iamtrace  ImplicitDeny (the record shows no access-denied error)"), "{s}");
    assert!(s.contains("the call needs every action: s3:PutObject Allow, s3:PutObjectAcl ImplicitDeny"), "{s}");
    let out = run(&["eval", "--cloudtrail", &f, "--policies", p.to_str().unwrap(), "--format", "json"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["decision"], "ImplicitDeny");
    assert_eq!(v["further"][0]["action"], "s3:PutObjectAcl");
}
