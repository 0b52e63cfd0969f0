//! The inputs of the benchmarks that the profiling example shares
//! (`examples/overview_profile.rs`).

use iamtrace::api::{ContextInput, Input, PolicyText, RequestInput};

/// A policy of about 10 KB: 24 statements mixing services, wildcards,
/// specific resources and conditions.
pub fn policy_10kb() -> String {
    let mut statements = Vec::new();
    for i in 0..24 {
        statements.push(format!(
            r#"    {{
      "Sid": "Statement{i}",
      "Effect": "{effect}",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:List*", "ec2:Describe*", "dynamodb:GetItem", "dynamodb:Query", "kms:Decrypt"],
      "Resource": ["arn:aws:s3:::bucket-{i}/*", "arn:aws:dynamodb:us-east-1:111122223333:table/orders-{i}"],
      "Condition": {{"StringEquals": {{"aws:PrincipalTag/team": "team-{i}"}}, "Bool": {{"aws:SecureTransport": "true"}}}}
    }}"#,
            effect = if i % 5 == 4 { "Deny" } else { "Allow" }
        ));
    }
    format!("{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}\n", statements.join(",\n"))
}

/// The access overview's scenario: the 10 KB policy with EC2 instances
/// among each statement's resources (11 KB), an IAM user stopping an
/// instance (`e2e/latency.test.mjs` asks the page the same).
pub fn overview_input() -> Input {
    let mut input = Input::default();
    let policy = policy_10kb().replace("\"Resource\": [", "\"Resource\": [\"arn:aws:ec2:*:111122223333:instance/*\", ");
    input.policies.identity.push(PolicyText { name: None, text: policy });
    input.request = RequestInput {
        principal: "arn:aws:iam::111122223333:user/alice".into(),
        action: "ec2:StopInstances".into(),
        resource: "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc".into(),
        ..Default::default()
    };
    input.request.context.insert("aws:PrincipalTag/team".into(), ContextInput::One("team-3".into()));
    input.request.context.insert("aws:SecureTransport".into(), ContextInput::One("true".into()));
    input
}
