//! CloudTrail import: one fixture per identity type (shapes from AWS's
//! "CloudTrail userIdentity element" and "CloudTrail log file examples"
//! pages, values our own), bad records, and AWS's verdict beside
//! iamtrace's.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

use iamtrace::api::{self, ContextInput, Policies, PolicyText};
use iamtrace::cloudtrail::{compare, import, DenialKind, Imported, ImportedEvent, InputKind, PolicyType};
use iamtrace::diagnostic::Code;
use iamtrace::Decision;

fn load(name: &str) -> (String, Imported) {
    let text = std::fs::read_to_string(format!("{}/tests/cloudtrail/{name}.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let imported = import(&text);
    (text, imported)
}

fn one(name: &str) -> (String, ImportedEvent) {
    let (text, imported) = load(name);
    assert!(imported.diagnostics.is_empty(), "{:?}", imported.diagnostics);
    assert_eq!(imported.events.len(), 1);
    (text, imported.events.into_iter().next().unwrap())
}

fn key<'e>(ev: &'e ImportedEvent, k: &str) -> &'e iamtrace::cloudtrail::KeyFrom {
    ev.keys.iter().find(|x| x.key == k).unwrap_or_else(|| panic!("no key {k}: {:?}", ev.keys))
}

fn value(ev: &ImportedEvent, k: &str) -> String {
    match &key(ev, k).value {
        ContextInput::One(s) => s.clone(),
        ContextInput::Many(v) => v.join(","),
    }
}

fn unknown(ev: &ImportedEvent, k: &str) -> bool {
    ev.unknown.iter().any(|u| u.key == k)
}

fn absent(ev: &ImportedEvent, k: &str) -> bool {
    ev.absent.iter().any(|u| u.key == k)
}

fn policies(identity: &[&str], scp: &[&str]) -> Policies {
    let texts = |v: &[&str]| v.iter().map(|t| PolicyText { name: None, text: (*t).to_owned() }).collect::<Vec<_>>();
    Policies {
        identity: texts(identity),
        scp: if scp.is_empty() { Vec::new() } else { vec![texts(scp)] },
        ..Policies::default()
    }
}

#[test]
fn iam_user_with_a_long_term_key() {
    let (text, ev) = one("iam-user-get-object-denied");
    assert!(ev.complete);
    assert_eq!(ev.request.principal, "arn:aws:iam::111122223333:user/ops/mary");
    assert_eq!(ev.request.action, "s3:GetObject");
    assert_eq!(ev.request.resource, "arn:aws:s3:::finance-reports/2026/q1.csv");
    assert_eq!(ev.request.resource_account.as_deref(), Some("111122223333"));
    assert_eq!(value(&ev, "aws:PrincipalType"), "User");
    assert_eq!(value(&ev, "aws:username"), "mary");
    assert_eq!(value(&ev, "aws:userid"), "AIDAEXAMPLEUSERID0001");
    assert_eq!(value(&ev, "aws:SecureTransport"), "true");
    assert_eq!(value(&ev, "aws:RequestedRegion"), "eu-west-1");
    assert_eq!(value(&ev, "aws:EpochTime"), "1772619330");
    // A long-term key: MFA and token issue time are absent, not unknown.
    for k in ["aws:MultiFactorAuthPresent", "aws:TokenIssueTime"] {
        assert!(absent(&ev, k) && !ev.request.context.contains_key(k), "{k}");
    }
    let ip = key(&ev, "aws:SourceIp");
    assert_eq!((ip.field.as_str(), ip.span.slice(&text)), ("sourceIPAddress", "\"198.51.100.24\""));
    assert_eq!(ip.location.start.line, 15);
    let d = ev.aws_denial.as_ref().unwrap();
    assert_eq!((d.kind, d.policy_type), (DenialKind::Explicit, Some(PolicyType::ServiceControl)));
    assert_eq!(
        d.policy_arn.as_deref(),
        Some("arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/service_control_policy/p-examplescp")
    );
    assert_eq!(d.field, "errorMessage");
}

#[test]
fn assumed_role_inside_a_lookup_events_result() {
    let (text, imported) = load("assumed-role-lookup-events");
    assert_eq!(imported.kind, Some(InputKind::LookupEvents));
    let ev = &imported.events[0];
    assert_eq!(ev.path, "Events[0].CloudTrailEvent");
    assert_eq!(ev.request.principal, "arn:aws:sts::111122223333:assumed-role/Deployer/deploy-7");
    // aws:PrincipalArn is the role (with its path), not the session.
    assert_eq!(value(ev, "aws:PrincipalArn"), "arn:aws:iam::111122223333:role/ci/Deployer");
    assert_eq!(ev.request.session_parent_arn.as_deref(), Some("arn:aws:iam::111122223333:role/ci/Deployer"));
    assert_eq!(value(ev, "aws:PrincipalType"), "AssumedRole");
    assert_eq!(value(ev, "aws:userid"), "AROAEXAMPLEROLEID0001:deploy-7");
    assert_eq!(value(ev, "aws:MultiFactorAuthPresent"), "true");
    assert_eq!(value(ev, "aws:TokenIssueTime"), "2026-03-04T09:15:00Z");
    assert_eq!(value(ev, "aws:SourceIdentity"), "jdoe");
    assert_eq!(value(ev, "aws:SourceIp"), "2001:db8::17");
    assert_eq!(ev.request.action, "s3:ListBucket", "ListObjectsV2 is authorized by s3:ListBucket");
    assert_eq!(ev.request.resource, "arn:aws:s3:::finance-reports");
    // No tlsDetails: the key is unknown, not false.
    assert!(unknown(ev, "aws:SecureTransport") && !ev.request.context.contains_key("aws:SecureTransport"));
    // Spans point through the JSON string's escapes into the pasted text.
    let k = key(ev, "aws:PrincipalArn");
    assert_eq!(k.field, "Events[0].CloudTrailEvent.userIdentity.sessionContext.sessionIssuer.arn");
    assert_eq!(k.span.slice(&text), r#"\"arn:aws:iam::111122223333:role/ci/Deployer\""#);
    let d = ev.aws_denial.as_ref().unwrap();
    assert_eq!((d.kind, d.policy_type), (DenialKind::Implicit, Some(PolicyType::IdentityBased)));
}

#[test]
fn root_console_sign_in() {
    let (_, ev) = one("root-console-login");
    assert_eq!(ev.request.principal, "arn:aws:iam::444455556666:root");
    assert_eq!(ev.request.action, "signin:Authenticate");
    assert_eq!(ev.request.resource, "*");
    assert_eq!(value(&ev, "aws:PrincipalType"), "Account");
    assert_eq!(value(&ev, "aws:userid"), "444455556666");
    // An empty accessKeyId says nothing about the credentials.
    assert!(unknown(&ev, "aws:MultiFactorAuthPresent"));
    assert!(ev.notes.iter().any(|n| n.contains("evaluated, not called")));
}

#[test]
fn federated_user_batch_call() {
    let (_, ev) = one("federated-user-sqs-batch");
    assert_eq!(ev.request.principal, "arn:aws:sts::111122223333:federated-user/partner-bob");
    assert_eq!(ev.request.session_parent_arn.as_deref(), Some("arn:aws:iam::111122223333:user/broker"));
    assert_eq!(value(&ev, "aws:PrincipalArn"), "arn:aws:sts::111122223333:federated-user/partner-bob");
    assert_eq!(value(&ev, "aws:PrincipalType"), "FederatedUser");
    assert_eq!(ev.request.action, "sqs:SendMessage");
    assert_eq!(ev.request.resource, "arn:aws:sqs:us-east-2:111122223333:orders");
    assert_eq!(value(&ev, "aws:MultiFactorAuthPresent"), "false");
}

#[test]
fn aws_service_principal() {
    let (_, ev) = one("aws-service-put-object");
    assert_eq!(ev.request.principal, "cloudtrail.amazonaws.com");
    assert_eq!(value(&ev, "aws:PrincipalIsAWSService"), "true");
    assert_eq!(value(&ev, "aws:PrincipalServiceName"), "cloudtrail.amazonaws.com");
    assert_eq!(ev.request.resource_account.as_deref(), Some("777788889999"));
    // sourceIPAddress names the service: no aws:SourceIp.
    assert!(unknown(&ev, "aws:SourceIp") && !ev.request.context.contains_key("aws:SourceIp"));
    assert!(ev.complete);
}

#[test]
fn aws_account_caller_is_not_invented() {
    let (_, ev) = one("aws-account-assume-role");
    assert_eq!(ev.request.principal, "");
    assert!(!ev.complete);
    assert!(ev.unknown_fields.iter().any(|u| u.key == "principal" && u.why.contains("does not say which")));
    assert_eq!(value(&ev, "aws:PrincipalAccount"), "210987654321");
    assert_eq!(ev.request.resource, "arn:aws:iam::111122223333:role/PartnerAudit");
}

#[test]
fn identity_center_user() {
    let (_, ev) = one("identity-center-user");
    assert!(!ev.complete);
    assert!(ev.unknown_fields.iter().any(|u| u.key == "principal" && u.why.contains("Identity Center")));
    assert_eq!(ev.request.action, "sso:ListAccounts");
}

#[test]
fn saml_and_web_identity_users() {
    let (_, ev) = one("saml-user-assume-role");
    assert_eq!(ev.request.principal, "arn:aws:iam::111122223333:saml-provider/CorpIdP");
    assert_eq!(ev.request.resource, "arn:aws:iam::111122223333:role/SSO-ReadOnly");
    assert_eq!(value(&ev, "saml:sub"), "alice@example.com");
    let (_, ev) = one("web-identity-user-assume-role");
    assert_eq!(ev.request.principal, "accounts.google.com");
    assert_eq!(ev.request.action, "sts:AssumeRoleWithWebIdentity");
    let out = api::evaluate(&ev.input(Policies::default()));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn a_log_file_of_several_services_and_identity_types() {
    let (_, imported) = load("records-mixed");
    assert_eq!(imported.kind, Some(InputKind::Records));
    let ev = |i: usize| &imported.events[i];
    // EC2 through a VPC endpoint: no aws:SourceIp; every instance listed.
    assert_eq!(ev(0).request.resource, "arn:aws:ec2:ap-southeast-2:555555555555:instance/i-0example0000000a1");
    assert_eq!(ev(0).other_resources, ["arn:aws:ec2:ap-southeast-2:555555555555:instance/i-0example0000000b2"]);
    assert!(absent(ev(0), "aws:SourceIp"));
    assert_eq!(value(ev(0), "aws:SourceVpce"), "vpce-0example1234abcd");
    // KMS called by DynamoDB for a role session: with the session's
    // credentials (then `aws:ViaAWSService` is true) or with a service role
    // of DynamoDB's (then false, and no `aws:CalledVia`); CloudTrail writes
    // `invokedBy` for both, so the keys are unknown.
    assert_eq!(
        ev(1).request.resource,
        "arn:aws:kms:ap-southeast-2:555555555555:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    );
    for k in ["aws:ViaAWSService", "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast"] {
        assert!(unknown(ev(1), k) && !ev(1).request.context.contains_key(k), "{k}");
    }
    assert_eq!(value(ev(1), "ec2:RoleDelivery"), "2.0");
    // Lambda's versioned names and Invoke.
    assert_eq!(ev(2).request.action, "lambda:UpdateFunctionConfiguration");
    assert_eq!(ev(3).request.action, "lambda:InvokeFunction");
    assert_eq!(ev(3).request.resource, "arn:aws:lambda:ap-southeast-2:555555555555:function:resize-images:live");
    // IAM: the response has the path; a name alone does not.
    assert_eq!(ev(4).request.resource, "arn:aws:iam::555555555555:role/teams/TestRole");
    assert_eq!(ev(5).request.resource, "arn:aws:iam::555555555555:role/TestRole");
    assert!(ev(5).fields.iter().any(|f| f.name == "resource" && f.note.as_deref().unwrap_or("").contains("path")));
    assert!(ev(5).notes.iter().any(|n| n.contains("a `Deny` could be missed")));
    assert!(!ev(4).notes.iter().any(|n| n.contains("has no path")));
    // A secret's name gives no ARN.
    assert!(!ev(6).complete && ev(6).unknown_fields.iter().any(|u| u.key == "resource"));
    // DynamoDB batch: one table first, the rest listed.
    assert_eq!(ev(7).request.resource, "arn:aws:dynamodb:ap-southeast-2:555555555555:table/Orders");
    assert_eq!(ev(7).other_resources, ["arn:aws:dynamodb:ap-southeast-2:555555555555:table/Customers"]);
    // Role, Directory and Unknown identity types.
    assert_eq!(ev(8).identity_type.as_deref(), Some("Role"));
    assert_eq!(ev(8).request.principal, "arn:aws:iam::555555555555:role/service/AppRole");
    assert_eq!((ev(8).request.action.as_str(), ev(8).request.resource.as_str()), ("s3:ListAllMyBuckets", "*"));
    assert!(ev(9).unknown_fields.iter().any(|u| u.key == "principal" && u.why.contains("Directory")));
    assert!(ev(10).unknown_fields.iter().any(|u| u.key == "principal" && u.why.contains("Unknown")));
    assert!(imported.events.iter().all(|e| !e.has_errors()));
}

#[test]
fn decoded_authorization_message_imports_every_context_key() {
    let (text, imported) = load("decoded-authorization-message");
    assert_eq!(imported.kind, Some(InputKind::DecodedMessage));
    let ev = &imported.events[0];
    assert_eq!(ev.request.action, "ec2:RunInstances");
    assert_eq!(ev.request.resource, "arn:aws:ec2:ap-southeast-2:555555555555:key-pair/build-key");
    assert_eq!(value(ev, "aws:PrincipalTag/team"), "platform");
    assert_eq!(key(ev, "aws:TagKeys").value, ContextInput::Many(vec!["Name".into(), "team".into()]));
    assert_eq!(value(ev, "ec2:KeyPairName"), "build-key");
    assert_eq!(ev.keys.iter().filter(|k| k.field.starts_with("DecodedMessage.context.conditions")).count(), 8);
    assert!(key(ev, "aws:Service").note.is_some());
    let k = key(ev, "ec2:KeyPairName");
    assert!(k.span.slice(&text).contains(r#"\"ec2:KeyPairName\""#));
    let d = ev.aws_denial.as_ref().unwrap();
    assert_eq!(d.kind, DenialKind::Implicit);
    // The inner document directly works too.
    let inner: serde_json::Value = serde_json::from_str(&text).unwrap();
    let direct = import(inner["DecodedMessage"].as_str().unwrap());
    assert_eq!(direct.events[0].request, ev.request);
}

#[test]
fn bad_records_get_errors_with_positions() {
    let (_, imported) = load("bad-not-json");
    let d = &imported.diagnostics[0];
    assert!(d.diagnostic.code.starts_with("json-"), "{d:?}");
    assert_eq!((d.start.line, d.start.column), (1, 75));

    let (_, imported) = load("bad-policy-not-record");
    assert_eq!(imported.kind, None);
    assert_eq!(imported.diagnostics[0].diagnostic.code, Code::CloudtrailNotARecord);

    let (_, imported) = load("bad-missing-event-name");
    let ev = &imported.events[0];
    let d = &ev.diagnostics[0];
    assert_eq!(d.diagnostic.code, Code::CloudtrailMissingField);
    assert!(d.diagnostic.message.contains("`eventName`"));
    assert_eq!((d.start.line, d.start.column), (3, 5));
    assert!(!ev.complete);

    let (text, imported) = load("bad-unknown-identity-type");
    let d = &imported.events[0].diagnostics[0];
    assert_eq!(d.diagnostic.code, Code::CloudtrailUnknownIdentityType);
    assert_eq!(d.diagnostic.span.slice(&text), "\"Robot\"");
    assert!(d.diagnostic.help.as_deref().unwrap().contains("AssumedRole"));

    let (_, imported) = load("bad-insights-event");
    assert_eq!(imported.events[0].diagnostics[0].diagnostic.code, Code::CloudtrailNoRequest);
}

const ALLOW_S3: &str = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#;
const ALLOW_ALL: &str = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
const SCP_DENY_REPORTS: &str = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::finance-reports/*"}}"#;

#[test]
fn aws_explicit_scp_deny_beside_iamtrace() {
    let (_, ev) = one("iam-user-get-object-denied");
    let aws = ev.aws_denial.as_ref().unwrap();
    // With the SCP that denied it, iamtrace agrees on both counts.
    let out = api::evaluate(&ev.input(policies(&[ALLOW_S3], &[ALLOW_ALL, SCP_DENY_REPORTS])));
    let answer = out.answer.unwrap();
    let c = compare(aws, &answer);
    assert!(c.decision_agrees && c.policy_type_agrees == Some(true), "{c:?}");
    assert_eq!(c.iamtrace_decision, Decision::ExplicitDeny);
    assert!(c.notes.iter().any(|n| n.contains("only one policy type")));
    // The same deny placed in an identity policy: same decision, another policy type.
    let out = api::evaluate(&ev.input(policies(&[ALLOW_S3, SCP_DENY_REPORTS], &[ALLOW_ALL])));
    let c = compare(aws, &out.answer.unwrap());
    assert!(c.decision_agrees && c.policy_type_agrees == Some(false), "{c:?}");
    // Without the SCP, iamtrace allows: they disagree.
    let out = api::evaluate(&ev.input(policies(&[ALLOW_S3], &[])));
    let c = compare(aws, &out.answer.unwrap());
    assert!(!c.decision_agrees);
    assert_eq!(c.iamtrace_decision, Decision::Allow);
}

#[test]
fn aws_implicit_identity_deny_beside_iamtrace() {
    let (_, imported) = load("assumed-role-lookup-events");
    let ev = &imported.events[0];
    let aws = ev.aws_denial.as_ref().unwrap();
    let get_only = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#;
    let out = api::evaluate(&ev.input(policies(&[get_only], &[])));
    let c = compare(aws, &out.answer.unwrap());
    assert_eq!(c.iamtrace_decision, Decision::ImplicitDeny);
    assert!(c.decision_agrees && c.policy_type_agrees == Some(true), "{c:?}");
    // The imported keys take part: a deny on MFA-less sessions does not apply (MFA was used).
    let mfa = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"},
        {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}"#;
    let out = api::evaluate(&ev.input(policies(&[mfa], &[])));
    assert_eq!(out.decision, Some(Decision::Allow));
}

#[test]
fn imported_keys_decide_conditions() {
    let (_, ev) = one("iam-user-get-object-denied");
    let ip_deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},
        {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}"#;
    let out = api::evaluate(&ev.input(policies(&[ip_deny], &[])));
    assert_eq!(out.decision, Some(Decision::ExplicitDeny));
    let answer = out.answer.unwrap();
    assert!(answer.missing_keys.is_empty());
}

/// The reviewer's record: an IAM user's successful console sign-in, with
/// identity policies that say nothing about sign-in. Console sign-in is
/// allowed by default (console-access-control.html): no Allow is needed,
/// and a Deny still denies.
#[test]
fn console_sign_in_needs_no_allow_but_a_deny_denies() {
    let (_, ev) = one("iam-user-console-login");
    assert_eq!(ev.request.action, "signin:Authenticate");
    assert!(ev.complete);
    let eval = |p: Policies| api::evaluate(&ev.input(p)).decision;
    let s3_only = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#;
    assert_eq!(eval(policies(&[s3_only], &[])), Some(Decision::Allow));
    let deny = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "signin:*", "Resource": "*",
        "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}}"#;
    assert_eq!(eval(policies(&[s3_only, deny], &[])), Some(Decision::ExplicitDeny));
    let scp_deny = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "signin:Authenticate", "Resource": "*"}]}"#;
    assert_eq!(eval(policies(&[s3_only], &[scp_deny])), Some(Decision::ExplicitDeny));
    // A failed sign-in reads the same way, without a panic.
    let (text, _) = load("iam-user-console-login");
    let failed = text
        .replace(r#""ConsoleLogin": "Success""#, r#""ConsoleLogin": "Failure""#)
        .replace(r#""responseElements""#, r#""errorMessage": "Failed authentication", "responseElements""#);
    let imported = import(&failed);
    assert_eq!(imported.events.len(), 1);
    let ev = &imported.events[0];
    assert_eq!(ev.request.action, "signin:Authenticate");
    assert!(ev.aws_denial.is_none(), "a failed authentication is not an access denial");
    assert_eq!(api::evaluate(&ev.input(policies(&[s3_only], &[]))).decision, Some(Decision::Allow));
}
