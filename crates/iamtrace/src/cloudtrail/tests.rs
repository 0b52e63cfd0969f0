//! Unit tests of the message parser and the key rules; the fixtures under
//! `tests/cloudtrail/` are tested in `tests/cloudtrail.rs`.

use super::*;
use crate::Decision;

const USER: &str = "User: arn:aws:iam::123456789012:user/John is not authorized to perform: ";

/// Every documented form: the message, then explicit/implicit, policy type,
/// resource and policy ARN expected.
#[test]
fn every_documented_access_denied_form_parses() {
    use DenialKind::{Explicit, Implicit};
    use PolicyType::*;
    let cases: [(&str, DenialKind, PolicyType, Option<&str>); 17] = [
        ("codecommit:ListRepositories because no service control policy allows the codecommit:ListRepositories action", Implicit, ServiceControl, None),
        ("codecommit:ListRepositories with an explicit deny in a service control policy", Explicit, ServiceControl, None),
        ("secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:* with an explicit deny in a resource control policy", Explicit, ResourceControl, Some("arn:aws:secretsmanager:us-east-1:123456789012:secret:*")),
        ("codecommit:ListRepositories because no VPC endpoint policy allows the codecommit:ListRepositories action", Implicit, VpcEndpoint, None),
        ("codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in a VPC endpoint policy", Explicit, VpcEndpoint, Some("arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*")),
        ("codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* because no permissions boundary allows the codedeploy:ListDeployments action", Implicit, PermissionsBoundary, Some("arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*")),
        ("sagemaker:ListModels with an explicit deny in a permissions boundary", Explicit, PermissionsBoundary, None),
        ("codecommit:ListRepositories because no session policy allows the codecommit:ListRepositories action", Implicit, Session, None),
        ("codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in a sessions policy", Explicit, Session, Some("arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*")),
        ("secretsmanager:GetSecretValue because no resource-based policy allows the secretsmanager:GetSecretValue action", Implicit, ResourceBased, None),
        ("s3:GetObject on resource: \"arn:aws:s3:::amzn-s3-demo-bucket1/object-name\" with an explicit deny in a resource-based policy", Explicit, ResourceBased, Some("arn:aws:s3:::amzn-s3-demo-bucket1/object-name")),
        ("sts:AssumeRole because no role trust policy allows the sts:AssumeRole action", Implicit, RoleTrust, None),
        ("sts:AssumeRole with an explicit deny in the role trust policy", Explicit, RoleTrust, None),
        ("codecommit:ListRepositories because no identity-based policy allows the codecommit:ListRepositories action", Implicit, IdentityBased, None),
        ("s3:GetObject on resource: \"arn:aws:s3:::amzn-s3-demo-bucket1/object-name\" with an explicit deny in an identity-based policy", Explicit, IdentityBased, Some("arn:aws:s3:::amzn-s3-demo-bucket1/object-name")),
        ("s3:GetObject on resource: \"arn:aws:s3:::b/k\" because no permissions boundary allows the s3:GetObject action", Implicit, PermissionsBoundary, Some("arn:aws:s3:::b/k")),
        ("bedrock:InvokeModel on resource: arn:aws:bedrock:eu-north-1::foundation-model/x with an explicit deny in a service control policy: arn:aws:organizations::705927066274:policy/o-ysrrabz20z/service_control_policy/p-ddxnpgbm", Explicit, ServiceControl, Some("arn:aws:bedrock:eu-north-1::foundation-model/x")),
    ];
    for (tail, kind, ty, resource) in cases {
        let d = parse_message("AccessDenied", &format!("{USER}{tail}"));
        assert_eq!(d.kind, kind, "{tail}");
        assert_eq!(d.policy_type, Some(ty), "{tail}");
        assert_eq!(d.resource.as_deref(), resource, "{tail}");
        assert_eq!(d.principal.as_deref(), Some("arn:aws:iam::123456789012:user/John"), "{tail}");
        let action = tail.split(' ').next().unwrap();
        assert_eq!(d.action.as_deref(), Some(action), "{tail}");
    }
}

#[test]
fn the_denying_policy_arn_is_read_as_written() {
    let d = parse_message(
        "AccessDeniedException",
        "User: arn:aws:sts::1:assumed-role/A/s is not authorized to perform: secretsmanager:CreateSecret with an explicit deny in a service control policy: arn:aws:organizations::111122223333:policy/o-Ab12/service_control_policy/p-9M8f",
    );
    assert_eq!(
        d.policy_arn.as_deref(),
        Some("arn:aws:organizations::111122223333:policy/o-Ab12/service_control_policy/p-9M8f")
    );
    assert_eq!(d.error_code.as_deref(), Some("AccessDeniedException"));
}

#[test]
fn wrapped_and_transitive_messages_parse() {
    // As the docs print it, over several lines.
    let d = parse_message(
        "AccessDenied",
        "An error occurred (AccessDenied) when calling the GetObject operation:\nUser: arn:aws:iam::777788889999:user/MaryMajor is not authorized to perform:\ns3:GetObject on resource: \"arn:aws:s3:::amzn-s3-demo-bucket1/object-name\"\nwith an explicit deny in a resource control policy",
    );
    assert_eq!((d.kind, d.policy_type), (DenialKind::Explicit, Some(PolicyType::ResourceControl)));
    assert_eq!(d.principal.as_deref(), Some("arn:aws:iam::777788889999:user/MaryMajor"));
    let d = parse_message(
        "AccessDenied",
        "User: arn:aws:sts::111122223333:assumed-role/r/s is not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:444455556666:t with an explicit deny in a VPC endpoint policy transitively through a service control policy",
    );
    assert_eq!(d.policy_type, Some(PolicyType::VpcEndpoint));
    assert_eq!(d.through, Some(PolicyType::ServiceControl));
}

#[test]
fn messages_without_a_policy_type_are_unspecified() {
    for (code, message) in [
        ("AccessDenied", "Access Denied"),
        (
            "Client.UnauthorizedOperation",
            "You are not authorized to perform this operation. Encoded authorization failure message: AbC123",
        ),
        ("AccessDenied", ""),
    ] {
        let d = parse_message(code, message);
        assert_eq!(d.kind, DenialKind::Unspecified, "{message}");
        assert_eq!(d.policy_type, None, "{message}");
    }
    let d = parse_message(
        "AccessDenied",
        "User: arn:aws:sts::123456789012:user/MaryMajor is not authorized to perform: s3:CopyObject on resource: \"arn:aws:s3:::b/o\" because public ACLs are prevented by the BlockPublicAcls setting in S3 Block Public Access.",
    );
    assert_eq!(d.kind, DenialKind::Unspecified);
    assert!(d.reason.as_deref().unwrap().contains("BlockPublicAcls"));
}

fn record(identity: &str, extra: &str) -> String {
    format!(
        r#"{{"userIdentity": {identity}, "eventSource": "s3.amazonaws.com", "eventName": "GetObject",
            "eventTime": "2026-01-01T00:00:00Z", "awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.1",
            "requestParameters": {{"bucketName": "b", "key": "k"}} {extra}}}"#
    )
}

#[test]
fn long_term_keys_prove_mfa_absent_and_temporary_keys_carry_it() {
    let long = record(
        r#"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a","accountId":"111122223333","accessKeyId":"AKIAEXAMPLE","sessionContext":{"attributes":{"mfaAuthenticated":"true"}}}"#,
        "",
    );
    let ev = &import(&long).events[0];
    assert!(ev.absent.iter().any(|a| a.key == "aws:MultiFactorAuthPresent"));
    assert!(!ev.request.context.contains_key("aws:MultiFactorAuthPresent"));
    let temp = long.replace("AKIAEXAMPLE", "ASIAEXAMPLE");
    let ev = &import(&temp).events[0];
    assert_eq!(ev.request.context["aws:MultiFactorAuthPresent"], ContextInput::One("true".into()));
    let hidden = long.replace("AKIAEXAMPLE", "");
    let ev = &import(&hidden).events[0];
    assert!(ev.unknown.iter().any(|u| u.key == "aws:MultiFactorAuthPresent"));
}

/// A service calling on with an IAM user's long-term credentials (forward
/// access sessions) uses temporary credentials: the MFA key is there, false.
#[test]
fn a_service_calling_for_a_long_term_key_carries_mfa_false() {
    let fas = record(
        r#"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a","accountId":"111122223333","accessKeyId":"AKIAEXAMPLE","invokedBy":"cloudformation.amazonaws.com"}"#,
        "",
    );
    let ev = &import(&fas).events[0];
    assert_eq!(ev.request.context["aws:MultiFactorAuthPresent"], ContextInput::One("false".into()));
    assert!(ev.unknown.iter().any(|u| u.key == "aws:TokenIssueTime"));
    assert!(!ev.absent.iter().any(|a| a.key == "aws:MultiFactorAuthPresent"));
}

/// For a role session, `invokedBy` may be the service's own service role:
/// `aws:ViaAWSService` and `aws:CalledVia*` are unknown, not true.
#[test]
fn a_service_calling_as_a_role_session_leaves_via_aws_service_unknown() {
    let session = record(
        r#"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/CFNRole/AWSCloudFormation","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE","invokedBy":"cloudformation.amazonaws.com","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/CFNRole","accountId":"111122223333"}}}"#,
        "",
    );
    let ev = &import(&session).events[0];
    for key in ["aws:ViaAWSService", "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast"] {
        assert!(ev.unknown.iter().any(|u| u.key == key), "{key}");
        assert!(!ev.request.context.contains_key(key), "{key}");
    }
    // The same call for an IAM user: the service used the user's credentials.
    let user = session.replace(
        r#""type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/CFNRole/AWSCloudFormation""#,
        r#""type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a""#,
    );
    let ev = &import(&user).events[0];
    assert_eq!(ev.request.context["aws:ViaAWSService"], ContextInput::One("true".into()));
}

/// An `AssumeRole` record's parameters are the call's `sts:` keys and
/// session tags; what the call did not pass is absent.
#[test]
fn assume_role_parameters_are_its_sts_keys() {
    let text = r#"{"userIdentity": {"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a","accountId":"111122223333","accessKeyId":"AKIAEXAMPLE"},
        "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole", "eventTime": "2026-01-01T00:00:00Z",
        "awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.1",
        "requestParameters": {"roleArn": "arn:aws:iam::111122223333:role/R", "roleSessionName": "build-7",
            "externalId": "abc123", "tags": [{"key": "team", "value": "blue"}, {"key": "env", "value": "dev"}]}}"#;
    let ev = &import(text).events[0];
    let ctx = &ev.request.context;
    assert_eq!(ctx["sts:ExternalId"], ContextInput::One("abc123".into()));
    assert_eq!(ctx["sts:RoleSessionName"], ContextInput::One("build-7".into()));
    assert_eq!(ctx["aws:RequestTag/team"], ContextInput::One("blue".into()));
    assert_eq!(ctx["aws:TagKeys"], ContextInput::Many(vec!["team".into(), "env".into()]));
    for key in ["sts:SourceIdentity", "sts:TransitiveTagKeys"] {
        assert!(ev.absent.iter().any(|a| a.key == key) && !ctx.contains_key(key), "{key}");
    }
    // AssumeRoleWithSAML takes its session tags from the assertion: unknown.
    let saml = text
        .replace("\"AssumeRole\"", "\"AssumeRoleWithSAML\"")
        .replace(r#", "tags": [{"key": "team", "value": "blue"}, {"key": "env", "value": "dev"}]"#, "");
    let ev = &import(&saml).events[0];
    for key in ["aws:TagKeys", "sts:TransitiveTagKeys"] {
        assert!(ev.unknown.iter().any(|u| u.key == key) && !ev.absent.iter().any(|a| a.key == key), "{key}");
    }
    // Another service's call carries none of them.
    let other = &import(&record(
        r#"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a","accountId":"111122223333"}"#,
        "",
    ))
    .events[0];
    assert!(!other.request.context.keys().any(|k| k.starts_with("sts:") || k == "aws:TagKeys"));
    assert!(!other.absent.iter().any(|a| a.key.starts_with("sts:")));
}

/// An STS record from an IAM user, with the given event name and `requestParameters`.
fn sts_record(event: &str, params: &str) -> String {
    format!(
        r#"{{"userIdentity": {{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a","accountId":"111122223333","accessKeyId":"AKIAEXAMPLE"}},
            "eventSource": "sts.amazonaws.com", "eventName": "{event}", "eventTime": "2026-01-01T00:00:00Z",
            "awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.1", "requestParameters": {params}}}"#
    )
}

fn further<'e>(ev: &'e ImportedEvent, action: &str) -> Option<&'e FurtherAction> {
    ev.further_actions.iter().find(|f| f.action == action)
}

/// A trust policy that allows the given actions to the user `a`.
fn trust(actions: &str) -> Policies {
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::111122223333:user/a"}},"Action":{actions}}}}}"#
    );
    Policies { resource: Some(crate::api::PolicyText { name: None, text }), ..Policies::default() }
}

/// Passing session tags needs `sts:TagSession` and setting a source
/// identity `sts:SetSourceIdentity`, besides `sts:AssumeRole`, on the same
/// role with the same keys (id_session-tags.html,
/// id_credentials_temp_control-access_monitor.html).
#[test]
fn assume_role_with_tags_or_a_source_identity_needs_the_further_actions() {
    let text = sts_record(
        "AssumeRole",
        r#"{"roleArn": "arn:aws:iam::111122223333:role/R", "roleSessionName": "s", "sourceIdentity": "alice",
            "tags": [{"key": "team", "value": "blue"}], "transitiveTagKeys": ["team"]}"#,
    );
    let ev = &import(&text).events[0];
    assert_eq!(ev.request.action, "sts:AssumeRole");
    let tag = further(ev, "sts:TagSession").expect("sts:TagSession is needed");
    assert!(tag.same_request && tag.why.contains("session tags"), "{tag:?}");
    let source = further(ev, "sts:SetSourceIdentity").expect("sts:SetSourceIdentity is needed");
    assert!(source.same_request && source.why.contains("`alice`"), "{source:?}");
    // The further request is the same request with the further action.
    let input = ev.further_input(tag, Policies::default()).unwrap();
    assert_eq!(input.request.action, "sts:TagSession");
    assert_eq!(input.request.resource, ev.request.resource);
    assert_eq!(input.request.context, ev.request.context);
    // A trust policy that allows only sts:AssumeRole denies the tags.
    let decide =
        |f: &FurtherAction, p: &Policies| crate::api::evaluate(&ev.further_input(f, p.clone()).unwrap()).decision;
    let only = trust(r#""sts:AssumeRole""#);
    assert_eq!(crate::api::evaluate(&ev.input(only.clone())).decision, Some(Decision::Allow));
    assert_eq!(decide(tag, &only), Some(Decision::ImplicitDeny));
    let all = trust(r#"["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]"#);
    assert_eq!(decide(tag, &all), Some(Decision::Allow));
    assert_eq!(decide(source, &all), Some(Decision::Allow));
    // The call is allowed only when every action is; the further action
    // that denies decides it.
    let answers = |p: &Policies| CallAnswers {
        action: ev.request.action.clone(),
        main: crate::api::evaluate(&ev.input(p.clone())).answer.unwrap(),
        further: ev
            .further_actions
            .iter()
            .map(|f| (f.clone(), crate::api::evaluate(&ev.further_input(f, p.clone()).unwrap()).answer.unwrap()))
            .collect(),
    };
    let denied = answers(&only);
    assert_eq!(denied.decision(), Decision::ImplicitDeny);
    assert_eq!(denied.deciding_further().map(|(f, _)| f.action.as_str()), Some("sts:TagSession"));
    let allowed = answers(&all);
    assert_eq!(allowed.decision(), Decision::Allow);
    assert!(allowed.deciding_further().is_none());
    // Without tags or a source identity, sts:AssumeRole is all the call needs.
    let plain = sts_record("AssumeRole", r#"{"roleArn": "arn:aws:iam::111122223333:role/R", "roleSessionName": "s"}"#);
    assert!(import(&plain).events[0].further_actions.is_empty());
    // Transitive tag keys alone still pass tags.
    let transitive = sts_record(
        "AssumeRole",
        r#"{"roleArn": "arn:aws:iam::111122223333:role/R", "roleSessionName": "s", "transitiveTagKeys": ["team"]}"#,
    );
    assert!(further(&import(&transitive).events[0], "sts:TagSession").is_some());
    // A session that carries a source identity passes it on when it assumes
    // another role: that needs sts:SetSourceIdentity too (the walkthrough's rule).
    let chained = plain.replace(
        r#""type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a""#,
        r#""type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/First/s0","sessionContext":{"sourceIdentity":"alice"}"#,
    );
    let inherited = further(&import(&chained).events[0], "sts:SetSourceIdentity").cloned();
    assert!(inherited.is_some_and(|f| f.same_request && f.why.contains("`alice`")));
}

/// `GetFederationToken` takes session tags like `AssumeRole` (and no
/// transitive keys): they are its `aws:RequestTag/*` and `aws:TagKeys`, and
/// they need `sts:TagSession` (id_session-tags.html).
#[test]
fn get_federation_token_tags_are_request_tags_and_need_tag_session() {
    let text = sts_record(
        "GetFederationToken",
        r#"{"name": "bob", "durationSeconds": 3600, "tags": [{"key": "project", "value": "apollo"}, {"key": "cost", "value": "42"}]}"#,
    );
    let ev = &import(&text).events[0];
    assert_eq!(ev.request.action, "sts:GetFederationToken");
    assert_eq!(ev.request.resource, "arn:aws:sts::111122223333:federated-user/bob");
    let ctx = &ev.request.context;
    assert_eq!(ctx["aws:RequestTag/project"], ContextInput::One("apollo".into()));
    assert_eq!(ctx["aws:RequestTag/cost"], ContextInput::One("42".into()));
    assert_eq!(ctx["aws:TagKeys"], ContextInput::Many(vec!["project".into(), "cost".into()]));
    assert_eq!(ev.keys.iter().find(|k| k.key == "aws:TagKeys").unwrap().field, "requestParameters.tags");
    assert!(ev.absent.iter().any(|a| a.key == "sts:TransitiveTagKeys"));
    assert!(!ctx.keys().any(|k| k == "sts:RoleSessionName" || k == "sts:ExternalId"));
    let tag = further(ev, "sts:TagSession").expect("sts:TagSession is needed");
    assert!(tag.same_request && tag.why.contains("`sts:GetFederationToken`"), "{tag:?}");
    // The service reference gives sts:TagSession the role resource only: the
    // check is evaluated on `*`, which only a grant on every resource matches.
    assert_eq!(tag.resource.as_deref(), Some("*"));
    let input = ev.further_input(tag, Policies::default()).unwrap();
    assert_eq!((input.request.action.as_str(), input.request.resource.as_str()), ("sts:TagSession", "*"));
    let user = |resource: &str| {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"sts:TagSession","Resource":"{resource}"}}}}"#
        );
        Policies { identity: vec![crate::api::PolicyText { name: None, text }], ..Policies::default() }
    };
    let decide = |p: Policies| crate::api::evaluate(&ev.further_input(tag, p).unwrap()).decision;
    assert_eq!(decide(user("arn:aws:sts::111122223333:federated-user/*")), Some(Decision::ImplicitDeny));
    assert_eq!(decide(user("*")), Some(Decision::Allow));
    // Without tags, the keys are absent and nothing further is needed.
    let ev = &import(&sts_record("GetFederationToken", r#"{"name": "bob"}"#)).events[0];
    for key in ["aws:TagKeys", "aws:RequestTag/*"] {
        assert!(ev.absent.iter().any(|a| a.key == key) && !ev.request.context.contains_key(key), "{key}");
    }
    assert!(ev.further_actions.is_empty());
}

/// An `AssumeRoleWithSAML` record shows the assertion's session tags as
/// `principalTags` and `transitiveTagKeys` (the CloudTrail example of
/// id_session-tags.html): they are read, not left unknown, and need
/// `sts:TagSession`. Only what the record does not show stays unknown.
#[test]
fn saml_and_web_identity_session_tags_are_read_where_the_record_shows_them() {
    let saml = r#"{"userIdentity": {"type": "SAMLUser", "principalId": "SAMLUser:alice", "userName": "alice", "identityProvider": "idp"},
        "eventSource": "sts.amazonaws.com", "eventName": "AssumeRoleWithSAML", "eventTime": "2026-01-01T00:00:00Z",
        "awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.1",
        "requestParameters": {"sAMLAssertionID": "_a", "roleSessionName": "alice", "roleArn": "arn:aws:iam::111122223333:role/R",
            "principalArn": "arn:aws:iam::111122223333:saml-provider/CorpIdP",
            "principalTags": {"CostCenter": "987654", "Project": "Unicorn"}, "transitiveTagKeys": ["CostCenter", "Project"]}}"#;
    let ev = &import(saml).events[0];
    let ctx = &ev.request.context;
    assert_eq!(ctx["aws:RequestTag/CostCenter"], ContextInput::One("987654".into()));
    assert_eq!(ctx["aws:RequestTag/Project"], ContextInput::One("Unicorn".into()));
    assert_eq!(ctx["aws:TagKeys"], ContextInput::Many(vec!["CostCenter".into(), "Project".into()]));
    assert_eq!(ctx["sts:TransitiveTagKeys"], ContextInput::Many(vec!["CostCenter".into(), "Project".into()]));
    let from = ev.keys.iter().find(|k| k.key == "aws:RequestTag/Project").unwrap();
    assert_eq!(from.field, "requestParameters.principalTags.Project");
    assert_eq!(from.span.slice(saml), "\"Unicorn\"");
    for key in ["aws:RequestTag/*", "aws:TagKeys", "sts:TransitiveTagKeys"] {
        assert!(!ev.unknown.iter().any(|u| u.key == key), "{key}");
    }
    let tag = further(ev, "sts:TagSession").expect("sts:TagSession is needed");
    assert!(tag.same_request && tag.why.contains("`principalTags`"), "{tag:?}");
    // Tags without transitive keys: the transitive keys stay unknown.
    let tags_only = saml.replace(r#", "transitiveTagKeys": ["CostCenter", "Project"]"#, "");
    let ev = &import(&tags_only).events[0];
    assert!(ev.request.context.contains_key("aws:TagKeys"));
    assert!(ev.unknown.iter().any(|u| u.key == "sts:TransitiveTagKeys"));
    assert!(further(ev, "sts:TagSession").is_some());
    // An empty `principalTags`: no session tags, nothing further.
    let empty = tags_only.replace(r#"{"CostCenter": "987654", "Project": "Unicorn"}"#, "{}");
    let ev = &import(&empty).events[0];
    assert!(ev.absent.iter().any(|a| a.key == "aws:TagKeys"));
    assert!(further(ev, "sts:TagSession").is_none());
    // A web identity record with tags, and a source identity.
    let web = tags_only
        .replace("\"SAMLUser\"", "\"WebIdentityUser\"")
        .replace("AssumeRoleWithSAML", "AssumeRoleWithWebIdentity")
        .replace(r#""principalTags""#, r#""sourceIdentity": "alice", "principalTags""#);
    let ev = &import(&web).events[0];
    assert_eq!(ev.request.context["aws:RequestTag/Project"], ContextInput::One("Unicorn".into()));
    assert!(further(ev, "sts:TagSession").is_some());
    assert!(further(ev, "sts:SetSourceIdentity").is_some());
}

/// A call's further action on another resource is said, not evaluated.
#[test]
fn a_further_action_on_another_resource_is_not_evaluated() {
    let text = record(r#"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a","accountId":"111122223333"}"#, "")
        .replace("\"GetObject\"", "\"CopyObject\"");
    let ev = &import(&text).events[0];
    let get = further(ev, "s3:GetObject").expect("CopyObject needs s3:GetObject");
    assert!(!get.same_request && get.why.contains("source object"), "{get:?}");
    assert!(ev.further_input(get, Policies::default()).is_none());
}

#[test]
fn source_ip_is_only_an_ip_and_never_through_a_vpc_endpoint() {
    let ident = r#"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a","accountId":"111122223333"}"#;
    let ev = &import(&record(ident, "")).events[0];
    let key = ev.keys.iter().find(|k| k.key == "aws:SourceIp").unwrap();
    assert_eq!(key.value, ContextInput::One("192.0.2.1".into()));
    assert_eq!(key.field, "sourceIPAddress");
    let text = record(ident, "").replace("192.0.2.1", "s3.amazonaws.com");
    let ev = &import(&text).events[0];
    assert!(!ev.request.context.contains_key("aws:SourceIp"));
    assert!(ev.unknown.iter().any(|u| u.key == "aws:SourceIp"));
    let ev = &import(&record(ident, r#", "vpcEndpointId": "vpce-1a2b""#)).events[0];
    assert!(ev.absent.iter().any(|a| a.key == "aws:SourceIp"));
    assert_eq!(ev.request.context["aws:SourceVpce"], ContextInput::One("vpce-1a2b".into()));
}

#[test]
fn tls_details_prove_secure_transport_but_their_absence_proves_nothing() {
    let ident = r#"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a","accountId":"111122223333"}"#;
    let ev = &import(&record(ident, r#", "tlsDetails": {"tlsVersion": "TLSv1.2"}"#)).events[0];
    assert_eq!(ev.request.context["aws:SecureTransport"], ContextInput::One("true".into()));
    let ev = &import(&record(ident, "")).events[0];
    assert!(!ev.request.context.contains_key("aws:SecureTransport"));
    assert!(ev.unknown.iter().any(|u| u.key == "aws:SecureTransport" && u.why.contains("proves nothing")));
}

#[test]
fn spans_point_at_the_field_in_the_pasted_text() {
    let text = record(r#"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a","accountId":"111122223333"}"#, "");
    let ev = &import(&text).events[0];
    let key = ev.keys.iter().find(|k| k.key == "aws:PrincipalArn").unwrap();
    assert_eq!(key.span.slice(&text), "\"arn:aws:iam::111122223333:user/a\"");
    assert_eq!(key.location.start.line, 1);
    let res = ev.fields.iter().find(|f| f.name == "resource").unwrap();
    assert_eq!(res.span.slice(&text), "\"k\"");
    assert_eq!(ev.request.resource, "arn:aws:s3:::b/k");
}

#[test]
fn versioned_s3_requests_need_the_version_action() {
    let text = record(r#"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a","accountId":"111122223333"}"#, "")
        .replace(r#""key": "k""#, r#""key": "k", "versionId": "3HL4kqtJlcpXroDTDmJ""#);
    assert_eq!(import(&text).events[0].request.action, "s3:GetObjectVersion");
}

#[test]
fn basic_iso_dates_are_converted() {
    assert_eq!(identity::extended_date("20131102T010628Z"), Some(("2013-11-02T01:06:28Z".into(), true)));
    assert_eq!(identity::extended_date("2023-07-19T21:11:57Z"), Some(("2023-07-19T21:11:57Z".into(), false)));
    assert_eq!(identity::extended_date("20131399T010628Z"), None);
    assert_eq!(identity::extended_date("yesterday"), None);
}

/// An identity policy with one statement.
fn identity(statement: &str) -> Policies {
    let text = format!(r#"{{"Version":"2012-10-17","Statement":{statement}}}"#);
    Policies { identity: vec![crate::api::PolicyText { name: None, text }], ..Policies::default() }
}

/// The call's decision: every action it needs, on its own request.
fn call_decision(ev: &ImportedEvent, p: &Policies) -> Decision {
    CallAnswers {
        action: ev.request.action.clone(),
        main: crate::api::evaluate(&ev.input(p.clone())).answer.unwrap(),
        further: ev
            .further_actions
            .iter()
            .filter_map(|f| Some((f.clone(), crate::api::evaluate(&ev.further_input(f, p.clone())?).answer.unwrap())))
            .collect(),
    }
    .decision()
}

/// A `PutObject` with an ACL header needs `s3:PutObjectAcl` on the same
/// object, and one with a tag set `s3:PutObjectTagging` (API_PutObject.html,
/// Permissions); the ACL header is the key `s3:x-amz-acl`.
#[test]
fn put_object_with_acl_or_tagging_headers_needs_the_further_actions() {
    let text = include_str!("../../tests/cloudtrail/iam-user-put-object-acl.json");
    let ev = &import(text).events[0];
    assert_eq!(ev.request.action, "s3:PutObject");
    let acl = further(ev, "s3:PutObjectAcl").expect("s3:PutObjectAcl is needed");
    assert!(acl.same_request && acl.why.contains("`x-amz-acl`"), "{acl:?}");
    assert!(further(ev, "s3:PutObjectTagging").is_none());
    assert_eq!(ev.request.context["s3:x-amz-acl"], ContextInput::One("public-read".into()));
    let key = ev.keys.iter().find(|k| k.key == "s3:x-amz-acl").unwrap();
    assert_eq!(key.span.slice(text), "\"public-read\"");
    // The reviewer's policy allows s3:PutObject only: the call is denied.
    let put_only = identity(r#"{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}"#);
    assert_eq!(call_decision(ev, &put_only), Decision::ImplicitDeny);
    let both = identity(r#"{"Effect":"Allow","Action":["s3:PutObject","s3:PutObjectAcl"],"Resource":"*"}"#);
    assert_eq!(call_decision(ev, &both), Decision::Allow);
    // A Deny on the ACL key now matches.
    let deny_public = identity(
        r#"[{"Effect":"Allow","Action":"s3:*","Resource":"*"},
            {"Effect":"Deny","Action":"s3:PutObject","Resource":"*","Condition":{"StringEquals":{"s3:x-amz-acl":"public-read"}}}]"#,
    );
    assert_eq!(crate::api::evaluate(&ev.input(deny_public.clone())).decision, Some(Decision::ExplicitDeny));
    assert_eq!(call_decision(ev, &deny_public), Decision::ExplicitDeny);
    // Grant and tagging headers, in any case; CopyObject alike.
    let tagged = text
        .replace(r#""x-amz-acl": "public-read""#, r#""X-Amz-Grant-Read": "uri=http://acs.amazonaws.com/groups/global/AllUsers", "x-amz-tagging": "team=blue""#)
        .replace("\"PutObject\"", "\"CopyObject\"");
    let ev = &import(&tagged).events[0];
    assert_eq!(ev.request.action, "s3:PutObject");
    assert!(further(ev, "s3:PutObjectAcl").is_some_and(|f| f.same_request && f.why.contains("`x-amz-grant-read`")));
    assert!(further(ev, "s3:PutObjectTagging").is_some_and(|f| f.same_request));
    assert!(further(ev, "s3:GetObject").is_some_and(|f| !f.same_request), "the copy's source is still listed");
    assert!(ev.request.context.contains_key("s3:x-amz-grant-read"));
    assert!(!ev.request.context.contains_key("s3:x-amz-acl"), "only the headers the record shows");
    assert!(ev.unknown.iter().any(|u| u.key == "s3:RequestObjectTagKeys"));
    // Without these headers, s3:PutObject is all the call needs, and no key is set.
    let plain = text.replace(r#""x-amz-acl": "public-read""#, r#""x-amz-storage-class": "STANDARD""#);
    let ev = &import(&plain).events[0];
    assert!(ev.further_actions.is_empty(), "{:?}", ev.further_actions);
    assert!(!ev.request.context.keys().any(|k| k.starts_with("s3:")));
}

/// A service delivering with its service principal (CloudTrail's own log
/// files) is granted `s3:PutObject` alone by the bucket policies AWS
/// documents: its ACL header is read as a key but needs nothing further.
#[test]
fn a_service_principal_writing_with_an_acl_needs_nothing_further() {
    let text = include_str!("../../tests/cloudtrail/aws-service-put-object.json");
    let ev = &import(text).events[0];
    assert!(ev.further_actions.is_empty(), "{:?}", ev.further_actions);
    assert_eq!(ev.request.context["s3:x-amz-acl"], ContextInput::One("bucket-owner-full-control".into()));
    assert!(ev.notes.iter().any(|n| n.contains("service principal")));
}
