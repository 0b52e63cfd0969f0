//! Grammar tests (SPEC §1): each asserts the code and the underlined snippet.

use super::*;
use crate::diagnostic::Code;
use crate::Severity;

fn parse(kind: PolicyKind, text: &str) -> ParsedPolicy<'_> {
    parse_policy(text, kind, DocId(0))
}

/// The (code, underlined text) of every error.
fn errors(kind: PolicyKind, text: &str) -> Vec<(String, String)> {
    parse(kind, text)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.code.to_string(), d.span.slice(text).to_owned()))
        .collect()
}

fn identity(statement: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#)
}

fn one_error(kind: PolicyKind, text: &str) -> (String, String) {
    let e = errors(kind, text);
    assert_eq!(e.len(), 1, "expected one error, got {e:?}");
    e.into_iter().next().unwrap()
}

#[test]
fn valid_policy_parses_with_spans() {
    let text =
        identity(r#"{"Sid":"A1","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"arn:aws:s3:::b/*"}"#);
    let p = parse(PolicyKind::Identity, &text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let policy = p.policy.unwrap();
    assert!(policy.variables_enabled());
    let s = &policy.statements[0];
    assert_eq!(s.sid.as_ref().unwrap().span.slice(&text), "\"A1\"");
    assert_eq!(s.action.values[1].span.slice(&text), "\"s3:List*\"");
    assert_eq!(s.effect, Effect::Allow);
    assert!(!s.action.negated);
}

#[test]
fn statement_may_be_a_single_object() {
    let text = r#"{"Statement":{"Effect":"Deny","NotAction":"iam:*","NotResource":"*"}}"#;
    let policy = parse(PolicyKind::Identity, text).policy.unwrap();
    assert!(policy.statements[0].action.negated);
    assert!(policy.statements[0].resource.as_ref().unwrap().negated);
    assert!(!policy.variables_enabled());
}

#[test]
fn effect_is_case_sensitive() {
    let text = identity(r#"{"Effect":"allow","Action":"*","Resource":"*"}"#);
    assert_eq!(one_error(PolicyKind::Identity, &text), ("statement-invalid-effect".into(), "\"allow\"".into()));
    let d = &parse(PolicyKind::Identity, &text).diagnostics[0];
    assert_eq!(d.help.as_deref(), Some("`Effect` is case-sensitive: write `Allow`"));
}

#[test]
fn missing_and_conflicting_elements() {
    let text = identity(r#"{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}"#);
    assert_eq!(
        one_error(PolicyKind::Identity, &text),
        ("statement-conflicting-elements".into(), "\"NotAction\"".into())
    );
    let text = identity(r#"{"Effect":"Allow","Resource":"*"}"#);
    assert_eq!(one_error(PolicyKind::Identity, &text).0, "statement-missing-action");
    let text = identity(r#"{"Action":"*","Resource":"*"}"#);
    assert_eq!(one_error(PolicyKind::Identity, &text).0, "statement-missing-effect");
    let text = identity(r#"{"Effect":"Allow","Action":"*"}"#);
    assert_eq!(one_error(PolicyKind::Identity, &text).0, "statement-missing-resource");
    // a resource-based policy may omit Resource
    let text = identity(r#"{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}"#);
    assert!(errors(PolicyKind::Resource, &text).is_empty());
    assert_eq!(one_error(PolicyKind::Identity, r#"{"Version":"2012-10-17"}"#).0, "policy-missing-statement");
}

#[test]
fn collects_every_error_of_a_document() {
    let text = identity(
        r#"{"Effect":"Allow","Action":"s3GetObject","Resource":"*"},{"Effect":"Permit","Action":"*","Resource":"bucket"},{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"a:b":"c"}}}"#,
    );
    let e = errors(PolicyKind::Identity, &text);
    let codes: Vec<&str> = e.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["action-invalid", "statement-invalid-effect", "resource-invalid", "condition-unknown-operator"]);
    assert_eq!(e[0].1, "\"s3GetObject\"");
    assert_eq!(e[2].1, "\"bucket\"");
    assert_eq!(e[3].1, "\"StringEqualz\"");
    assert!(parse(PolicyKind::Identity, &text).policy.is_none());
}

#[test]
fn unknown_elements_and_wrong_types() {
    let text = r#"{"Version":"2012-10-17","statement":[]}"#;
    let d = parse(PolicyKind::Identity, text).diagnostics;
    assert_eq!(d[0].code, Code::PolicyUnknownElement);
    assert_eq!(d[0].help.as_deref(), Some("element names are case-sensitive: write `Statement`"));
    let text = identity(r#"{"Effect":"Allow","Actions":"*","Resource":"*"}"#);
    assert_eq!(errors(PolicyKind::Identity, &text)[0], ("policy-unknown-element".into(), "\"Actions\"".into()));
    let text = identity(r#"{"Effect":"Allow","Action":5,"Resource":"*"}"#);
    assert_eq!(one_error(PolicyKind::Identity, &text), ("policy-wrong-type".into(), "5".into()));
    let text = identity(r#"{"Effect":"Allow","Action":[],"Resource":"*"}"#);
    assert_eq!(one_error(PolicyKind::Identity, &text), ("statement-empty-list".into(), "[]".into()));
    assert_eq!(one_error(PolicyKind::Identity, "[]").0, "policy-wrong-type");
}

#[test]
fn version_values() {
    let text = r#"{"Version":"2012-10-18","Statement":[]}"#;
    assert_eq!(one_error(PolicyKind::Identity, text), ("policy-invalid-version".into(), "\"2012-10-18\"".into()));
}

#[test]
fn sid_rules_for_iam_policies() {
    let text = identity(r#"{"Sid":"my sid","Effect":"Allow","Action":"*","Resource":"*"}"#);
    assert_eq!(one_error(PolicyKind::Identity, &text), ("statement-invalid-sid".into(), "\"my sid\"".into()));
    assert!(errors(
        PolicyKind::Resource,
        &identity(r#"{"Sid":"my sid","Effect":"Allow","Principal":"*","Action":"*"}"#)
    )
    .is_empty());
    let dup = identity(
        r#"{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"*","Resource":"*"}"#,
    );
    assert_eq!(one_error(PolicyKind::Identity, &dup).0, "policy-duplicate-sid");
}

#[test]
fn action_and_resource_values() {
    let text = identity(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s*:::b"}"#);
    assert_eq!(
        one_error(PolicyKind::Identity, &text),
        ("resource-wildcard-in-service".into(), "\"arn:aws:s*:::b\"".into())
    );
    let text = identity(r#"{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::123456789012:u*"}"#);
    assert_eq!(one_error(PolicyKind::Identity, &text).0, "resource-wildcard-in-type");
    let text = identity(r#"{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::123456789012:user/*"}"#);
    assert!(errors(PolicyKind::Identity, &text).is_empty());
    let text = identity(r#"{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:*"}"#);
    assert!(errors(PolicyKind::Identity, &text).is_empty());
    let text = identity(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:b"}"#);
    assert_eq!(one_error(PolicyKind::Identity, &text).0, "resource-invalid");
    let text = identity(r#"{"Effect":"Allow","Action":"s3*:Get*","Resource":"*"}"#);
    assert_eq!(one_error(PolicyKind::Identity, &text).0, "action-wildcard-in-service");
    let text = identity(r#"{"Effect":"Allow","Action":"*:*","Resource":"*"}"#);
    assert_eq!(one_error(PolicyKind::Identity, &text).0, "action-wildcard-in-service");
}

#[test]
fn principal_rules_by_kind() {
    let with_principal = identity(r#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"#);
    assert_eq!(
        one_error(PolicyKind::Identity, &with_principal),
        ("statement-principal-not-allowed".into(), "\"Principal\"".into())
    );
    assert_eq!(one_error(PolicyKind::Scp, &with_principal).0, "statement-principal-not-allowed");
    assert!(errors(PolicyKind::Rcp, &with_principal).is_empty());
    let no_principal = identity(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#);
    assert_eq!(one_error(PolicyKind::Resource, &no_principal).0, "statement-missing-principal");
    let np_allow = identity(r#"{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"*","Resource":"*"}"#);
    assert_eq!(
        one_error(PolicyKind::Resource, &np_allow),
        ("statement-notprincipal-allow".into(), "\"NotPrincipal\"".into())
    );
    let rcp = identity(r#"{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"*","Resource":"*"}"#);
    assert_eq!(one_error(PolicyKind::Rcp, &rcp).0, "rcp-principal-not-star");
}

#[test]
fn principal_forms() {
    let stmt = |p: &str| identity(&format!(r#"{{"Effect":"Allow","Principal":{p},"Action":"*"}}"#));
    let ok = stmt(
        r#"{"AWS":["*","111122223333","arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:user/a/b","arn:aws:iam::111122223333:role/r","arn:aws:sts::111122223333:assumed-role/r/s","arn:aws:sts::111122223333:federated-user/f","AIDAJQABLZS4A3QDU576Q"],"Service":"ec2.amazonaws.com","Federated":"accounts.google.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}"#,
    );
    let p = parse(PolicyKind::Resource, &ok);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let forms: Vec<_> =
        p.policy.unwrap().statements[0].principal.as_ref().unwrap().entries.iter().map(|e| e.form).collect();
    assert_eq!(
        forms[..8],
        [
            Some(AwsForm::Everyone),
            Some(AwsForm::AccountId),
            Some(AwsForm::AccountRoot),
            Some(AwsForm::User),
            Some(AwsForm::Role),
            Some(AwsForm::RoleSession),
            Some(AwsForm::FederatedUser),
            Some(AwsForm::UniqueId)
        ]
    );
    let text = stmt(r#"{"AWS":"arn:aws:iam::111122223333:user/dev-*"}"#);
    assert_eq!(
        one_error(PolicyKind::Resource, &text),
        ("principal-wildcard".into(), "\"arn:aws:iam::111122223333:user/dev-*\"".into())
    );
    let text = stmt(r#"{"Service":"*"}"#);
    assert_eq!(one_error(PolicyKind::Resource, &text).0, "principal-service-star");
    let text = stmt(r#"{"AWS":"arn:aws:iam::111122223333:group/admins"}"#);
    assert_eq!(one_error(PolicyKind::Resource, &text).0, "principal-group");
    let text = stmt(r#"{"aws":"*"}"#);
    let d = &parse(PolicyKind::Resource, &text).diagnostics[0];
    assert_eq!(d.help.as_deref(), Some("element names are case-sensitive: write `AWS`"));
    let text = stmt(r#""arn:aws:iam::111122223333:root""#);
    assert_eq!(one_error(PolicyKind::Resource, &text).0, "principal-invalid");
}

#[test]
fn condition_blocks() {
    let stmt = |c: &str| identity(&format!(r#"{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{c}}}"#));
    let text = stmt(r#"{"StringEquals":{"aws:username":["a",1,true]},"NumericLessThan":{"k:n":"5"}}"#);
    let p = parse(PolicyKind::Identity, &text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let s = &p.policy.unwrap().statements[0];
    assert_eq!(s.conditions.len(), 2);
    let values: Vec<&str> = s.conditions[0].values.iter().map(|v| v.as_str()).collect();
    assert_eq!(values, ["a", "1", "true"]);
    assert_eq!(
        one_error(PolicyKind::Identity, &stmt(r#"{"NullIfExists":{"k:a":"true"}}"#)).0,
        "condition-null-ifexists"
    );
    assert_eq!(one_error(PolicyKind::Identity, &stmt(r#"{"StringEquals":"x"}"#)).0, "policy-wrong-type");
    assert_eq!(one_error(PolicyKind::Identity, &stmt(r#"{"StringEquals":{"k:a":[]}}"#)).0, "condition-empty-values");
    assert_eq!(
        one_error(PolicyKind::Identity, &stmt(r#"{"StringEquals":{"k:a":null}}"#)),
        ("policy-wrong-type".into(), "null".into())
    );
    assert_eq!(one_error(PolicyKind::Identity, &stmt(r#"{"StringEquals":{}}"#)).0, "condition-no-keys");
    let bad_ip = parse(PolicyKind::Identity, &stmt(r#"{"IpAddress":{"aws:SourceIp":"10.0.0.300"}}"#)).diagnostics;
    assert_eq!(bad_ip[0].code, Code::ConditionInvalidValue);
    assert_eq!(bad_ip[0].severity, Severity::Warning);
    // A variable in a `Bool` value: AWS's pages disagree (SPEC §9.6), and the
    // warning says so rather than calling the value invalid.
    let text = stmt(r#"{"Bool":{"aws:SecureTransport":"${aws:PrincipalTag/t}"}}"#);
    let bool_var = parse(PolicyKind::Identity, &text);
    let codes: Vec<Code> = bool_var.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::ConditionBoolVariable]);
    assert_eq!(bool_var.diagnostics[0].severity, Severity::Warning);
    // Numeric, Date, Binary, IP address and Null values take no variables:
    // AWS says so and IAM refuses the policy.
    for (op, key) in [
        ("NumericNotEquals", "aws:MultiFactorAuthAge"),
        ("DateLessThan", "aws:CurrentTime"),
        ("NotIpAddress", "aws:SourceIp"),
        ("BinaryEquals", "k:b"),
        ("Null", "aws:TokenIssueTime"),
    ] {
        let text = stmt(&format!(r#"{{"{op}":{{"{key}":"${{aws:PrincipalTag/t}}"}}}}"#));
        assert_eq!(
            one_error(PolicyKind::Identity, &text),
            ("condition-variable-not-allowed".into(), "\"${aws:PrincipalTag/t}\"".into()),
            "{op}"
        );
    }
    // A key repeated in one operator block with other letter case is refused;
    // the same key under two operators is fine.
    let text = stmt(r#"{"StringEquals":{"aws:username":"bob","AWS:USERNAME":"carol"}}"#);
    assert_eq!(
        one_error(PolicyKind::Identity, &text),
        ("condition-key-case-duplicate".into(), "\"AWS:USERNAME\"".into())
    );
    let text = stmt(r#"{"StringEquals":{"aws:username":"bob"},"StringLike":{"AWS:USERNAME":"b*"}}"#);
    assert!(errors(PolicyKind::Identity, &text).is_empty());
}

#[test]
fn iam_character_set() {
    let text = identity(r#"{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/☃"}"#);
    assert_eq!(one_error(PolicyKind::Identity, &text).0, "policy-invalid-character");
    assert!(errors(
        PolicyKind::Resource,
        &identity(r#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::b/☃"}"#)
    )
    .is_empty());
}

#[test]
fn huge_policies_are_refused_before_parsing() {
    let text = " ".repeat(MAX_POLICY_BYTES + 1);
    assert_eq!(one_error(PolicyKind::Identity, &text).0, "policy-too-large");
}

#[test]
fn equality_ignores_spans_but_not_content() {
    let compact = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#;
    let spaced = r#"{
        "Version": "2012-10-17",
        "Statement": [ {
            "Sid": "A", "Effect": "Allow",
            "Principal": { "AWS": "111122223333" },
            "Action": "s3:GetObject", "Resource": "*",
            "Condition": { "Bool": { "aws:SecureTransport": "true" } }
        } ]
    }"#;
    let a = parse(PolicyKind::Resource, compact).policy.unwrap();
    let b = parse_policy(spaced, PolicyKind::Resource, DocId(3)).policy.unwrap();
    assert_ne!(a.span, b.span);
    assert_ne!(a.statements[0].effect_span, b.statements[0].effect_span);
    assert_ne!(a.statements[0].conditions[0].values_span, b.statements[0].conditions[0].values_span);
    assert_eq!(a, b, "the same policy, formatted differently");
    for changed in [
        compact.replace("s3:GetObject", "s3:PutObject"),
        compact.replace("\"true\"", "\"false\""),
        compact.replace("111122223333", "444455556666"),
        compact.replace("\"Sid\":\"A\"", "\"Sid\":\"B\""),
    ] {
        let c = parse(PolicyKind::Resource, &changed).policy.unwrap();
        assert_ne!(a, c, "{changed}");
    }
}

/// Resource control policies: `"Version": "2012-10-17"`, no `NotAction`, and
/// `Allow` only as `RCPFullAWSAccess` has it (Organizations User Guide, RCP
/// syntax); Organizations refuses the others.
#[test]
fn rcp_syntax_rules() {
    let deny = r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}"#;
    assert!(errors(PolicyKind::Rcp, &identity(deny)).is_empty());
    let no_version = format!(r#"{{"Statement":[{deny}]}}"#);
    assert_eq!(one_error(PolicyKind::Rcp, &no_version), ("rcp-version".into(), "{".into()));
    let old = format!(r#"{{"Version":"2008-10-17","Statement":[{deny}]}}"#);
    assert_eq!(one_error(PolicyKind::Rcp, &old), ("rcp-version".into(), "\"2008-10-17\"".into()));
    // Other kinds take either version.
    assert!(errors(PolicyKind::Scp, &no_version.replace(r#""Principal":"*","#, "")).is_empty());
    let not_action = identity(r#"{"Effect":"Deny","Principal":"*","NotAction":"s3:GetObject","Resource":"*"}"#);
    assert_eq!(one_error(PolicyKind::Rcp, &not_action), ("rcp-notaction".into(), "\"NotAction\"".into()));
    let allow = identity(r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}"#);
    assert_eq!(one_error(PolicyKind::Rcp, &allow), ("rcp-allow".into(), "\"Allow\"".into()));
    let conditional = identity(
        r#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#,
    );
    assert_eq!(one_error(PolicyKind::Rcp, &conditional).0, "rcp-allow");
    let full_access = identity(r#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"#);
    assert!(errors(PolicyKind::Rcp, &full_access).is_empty());
}
